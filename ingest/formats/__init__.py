"""Readers for each file format: bytes in, text and metadata out. ``sniff`` tells the format by content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Suffix -> format. Content is sniffed too: a binary format named wrongly is read by what it is.
SUFFIX_FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".jsonl": "jsonl", ".html": "html",
                  ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx", ".eml": "eml"}
_OLD_FORMATS = {".doc": "old Word .doc; save it as .docx", ".rtf": "RTF; save it as .docx or .pdf",
                ".odt": "OpenDocument; save it as .docx or .pdf", ".msg": "Outlook .msg; save the message as .eml"}


class FormatError(ValueError):
    """A file whose content cannot be read as a document; the message says why and what to do."""


@dataclass(frozen=True)
class Extracted:
    """What a reader found: the text (pages separated by form feeds) and metadata fields."""

    text: str
    meta: dict = field(default_factory=dict)
    attachments: tuple[tuple[str, bytes], ...] = ()  # (file name, content), e-mail only


_HTML = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HEADER = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):", re.M)
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"received", b"return-path"}


def sniff(raw: bytes) -> str:
    """The format of ``raw`` by its content: pdf, docx, zip, image, html, eml, binary or text."""
    import filetype

    kind = filetype.guess(raw[:8192])
    if raw.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if kind is not None:
        if kind.extension == "docx":
            return "docx"
        if kind.extension in {"zip", "xlsx", "pptx", "odt", "epub"}:
            return "zip"
        if kind.mime.startswith("image/"):
            return "image"
        if kind.extension == "pdf":
            return "pdf"
        return "binary"
    head = raw[:4096]
    if b"\x00" in head:
        return "binary"
    if _HTML.match(head):
        return "html"
    header_block = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    names = {m.group(1).lower() for m in _HEADER.finditer(header_block)}
    if b"from" in names and len(names & _MAIL_HEADERS) >= 3:
        return "eml"
    return "text"


def format_for(suffix: str, raw: bytes, name: str) -> str:
    """The format to read a file with, from its suffix and its content; FormatError when they cannot agree."""
    suffix = suffix.lower()
    if suffix in _OLD_FORMATS:
        raise FormatError(f"{name}: {_OLD_FORMATS[suffix]}.")
    sniffed = sniff(raw)
    declared = SUFFIX_FORMATS.get(suffix)
    if sniffed == "image":
        raise FormatError(f"{name}: an image, not a document; run OCR on it (e.g. ocrmypdf) and ingest the PDF.")
    if sniffed in {"pdf", "docx"}:
        return sniffed  # content decides: a PDF named .txt is still a PDF
    if declared in {"pdf", "docx"}:
        what = "a PDF" if declared == "pdf" else "a Word .docx document"
        found = {"zip": "a zip archive", "binary": "unknown binary data", "html": "HTML", "eml": "an e-mail"}.get(
            sniffed, "plain text")
        raise FormatError(f"{name}: named {suffix} but not {what} (its content is {found}); the file is damaged or "
                          "misnamed: fix the name or export it again.")
    if sniffed in {"zip", "binary"}:
        raise FormatError(f"{name}: binary content that is not a supported document (pdf, docx); remove it or "
                          "give it the right extension.")
    if declared is None:
        return {"html": "html", "eml": "eml"}.get(sniffed, "text")
    return declared
