"""The text of a Word .docx file: paragraphs and tables in document order, after a zip-bomb check."""

from __future__ import annotations

import io
import zipfile

from ingest.formats import Extracted, FormatError

MAX_UNZIPPED = 200_000_000  # bytes; a press release is a few hundred kB unzipped
MAX_RATIO = 200  # real .docx parts compress about 5-20x; bombs compress 1000x


def check_zip(raw: bytes, name: str) -> zipfile.ZipFile:
    """Open a zip only if its declared sizes are plausible; FormatError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise FormatError(f"{name}: not a readable .docx (damaged zip: {exc}); save it again from Word.") from exc
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1_000_000), default=0)
    if total > MAX_UNZIPPED or worst > MAX_RATIO:
        raise FormatError(f"{name}: refused, it would unpack to {total / 1e6:.0f} MB (compression ratio {worst:.0f}x): "
                          "a zip bomb or not a press release.")
    return archive


def read_docx(raw: bytes, name: str) -> Extracted:
    """Title, author and text (paragraphs, then table rows as lines, in body order)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(raw, name)
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... on damaged parts
        raise FormatError(f"{name}: not a readable .docx ({type(exc).__name__}: {str(exc)[:120]}); save it again "
                          "from Word.") from exc
    blocks: list[str] = []
    title = ""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text and not title and (item.style is not None and item.style.name in {"Title", "Heading 1"}):
                title = text
                continue
            blocks.append(text)
        elif isinstance(item, Table):
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                blocks.append(" | ".join(dict.fromkeys(c for c in cells if c)))  # merged cells repeat
    text = "\n\n".join(b for b in blocks if b)
    if not text.strip():
        raise FormatError(f"{name}: the .docx has no text.")
    props = document.core_properties
    meta = {"title": title or (props.title or "").strip()}
    return Extracted(text, {k: v for k, v in meta.items() if v})
