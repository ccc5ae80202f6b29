"""The text layer of a PDF, page by page, in reading order (two-column pages read column by column)."""

from __future__ import annotations

import io
import re

from ingest.formats import Extracted, FormatError
from textkit.normalize import PAGE_BREAK, strip_repeated_lines

_FILENAME_TITLE = re.compile(r"(?i)^(microsoft word|untitled|document\d*$)|\.(docx?|pdf|odt|indd|rtf)$")


def _reading_order(boxes: list, width: float) -> list:
    """Order text boxes as a person reads them.

    Blocks that cross the middle of the page cut it into bands; in a band that has two columns, the
    left column is read top to bottom, then the right one. Left-side blocks above or below the right
    column (a title, a footer) stay above or below both columns.
    """
    mid = width / 2
    ordered: list = []
    band: list = []

    def flush() -> None:
        right = [b for b in band if b.x0 >= mid - 5]
        left = [b for b in band if b.x0 < mid - 5]
        if not right or not left:
            ordered.extend(sorted(band, key=lambda b: (-b.y1, b.x0)))
        else:
            top, bottom = max(b.y1 for b in right), min(b.y0 for b in right)
            above = [b for b in left if b.y0 > top]
            below = [b for b in left if b.y1 < bottom]
            column = [b for b in left if b not in above and b not in below]
            for group in (above, column, right, below):
                ordered.extend(sorted(group, key=lambda b: -b.y1))
        band.clear()

    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if box.x0 < mid - 5 and box.x1 > mid + 5:
            flush()
            ordered.append(box)
        else:
            band.append(box)
    flush()
    return ordered


def _info_title(raw: bytes) -> str:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        info = PDFDocument(PDFParser(io.BytesIO(raw))).info
    except Exception:  # metadata is a bonus: the text was already read
        return ""
    title = info[0].get("Title") if info else None
    if isinstance(title, bytes):
        title = title.decode("utf-16") if title[:2] in (b"\xfe\xff", b"\xff\xfe") else title.decode("latin-1")
    title = str(title or "").strip()
    return "" if not title or _FILENAME_TITLE.search(title) else title


def read_pdf(raw: bytes, name: str) -> Extracted:
    """Text of every page, pages separated by form feeds; FormatError for scans, encrypted or broken files."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages: list[str] = []
    has_images = False
    try:
        for layout in extract_pages(io.BytesIO(raw), laparams=LAParams()):
            boxes = [el for el in layout if isinstance(el, LTTextBox)]
            has_images = has_images or any(isinstance(el, (LTFigure, LTImage)) for el in layout)
            pages.append("\n\n".join(b.get_text().strip() for b in _reading_order(boxes, layout.width)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise FormatError(f"{name}: the PDF is encrypted ({type(exc).__name__}); save a copy without a password "
                          "and ingest that.") from exc
    except Exception as exc:  # pdfminer raises many types on damaged files; all mean the same to a person
        raise FormatError(f"{name}: not a readable PDF ({type(exc).__name__}: {str(exc)[:120]}); the file is "
                          "damaged: download or export it again.") from exc
    if not pages:
        raise FormatError(f"{name}: the PDF has no pages.")
    if not any(p.strip() for p in pages):
        what = "scanned pages (images only)" if has_images else "no text"
        raise FormatError(f"{name}: no text layer ({what}); run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`).")
    pages = strip_repeated_lines(pages)
    meta = {"pages": len(pages)}
    title = _info_title(raw)
    if title:
        meta["title"] = title
    return Extracted(PAGE_BREAK.join(pages), meta)
