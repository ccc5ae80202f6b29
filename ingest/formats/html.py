"""The main text of a web page (trafilatura drops menus, footers and sidebars)."""

from __future__ import annotations

from ingest.formats import Extracted, FormatError


def read_html(raw: bytes, name: str) -> Extracted:
    """Title, date and main text of an HTML page; FormatError when it holds no main text."""
    import trafilatura

    # favor_precision: a ministry page carries many short link blocks that must not become "text".
    doc = trafilatura.bare_extraction(raw, include_comments=False, include_tables=True, favor_precision=True,
                                      with_metadata=True, deduplicate=False)
    text = (doc.text if doc is not None else "") or ""
    if not text.strip():
        # Short pages (a two-paragraph communiqué) can fall under trafilatura's thresholds: recall mode.
        doc = trafilatura.bare_extraction(raw, include_comments=False, favor_recall=True, with_metadata=True)
        text = (doc.text if doc is not None else "") or ""
    if not text.strip():
        raise FormatError(f"{name}: no readable text in this HTML page (only menus, scripts or images).")
    meta = {}
    for key in ("title", "date", "url"):
        value = getattr(doc, key, None)
        if value:
            meta[key] = str(value)
    # trafilatura separates paragraphs with single newlines; our paragraphs are separated by blank lines.
    return Extracted("\n\n".join(line for line in text.splitlines() if line.strip()), meta)
