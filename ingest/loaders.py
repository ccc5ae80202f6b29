"""Read communiqués from files: text, Markdown (with front matter), JSONL, HTML, PDF, DOCX and e-mail.

The format is told by the suffix and by the content (``ingest.formats.format_for``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from core.types import Communique
from ingest.formats import SUFFIX_FORMATS, Extracted, FormatError, format_for
from textkit.dates import find_dates, parse_date
from textkit.language import detect_language
from textkit.normalize import PAGE_BREAK, normalize_text, paragraphs_of
from textkit.sentences import writes_address

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = set(SUFFIX_FORMATS)
# An e-mail body shorter than this, sent with attachments, is a cover note ("please find attached"): the
# attachments are the releases, and the note is not indexed.
COVER_NOTE_CHARS = 300
_TYPES = ("communiqué de presse", "communiqué", "compte rendu", "déclaration", "discours", "press release",
          "statement", "readout", "remarks", "fact sheet", "بيان", "بلاغ")


class LoadError(ValueError):
    """A document that cannot be read; the message names the input and the fix."""


@dataclass(frozen=True)
class Loaded:
    """One document read from a source, or the error that stopped it (``doc`` is then None)."""

    source: str
    doc: Communique | None
    error: str = ""
    origin: str = ""  # the file it came from (absolute path), so that --prune can tell what disappeared


def _decode(path: Path, raw: bytes | None = None) -> str:
    raw = path.read_bytes() if raw is None else raw
    if not raw.strip():
        raise LoadError(f"{path}: the file is empty; remove it or give it text.")
    if b"\x00" in raw[:4096]:
        raise LoadError(f"{path}: binary content in a text file; give the right extension or remove it.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError(f"{path}: the text is neither UTF-8 nor Windows-1252; re-save it as UTF-8.")


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            meta[key.strip().lower()] = value.strip().strip('"').strip("'")
    return meta, text[match.end():]


def guess_type(title: str, text: str) -> str:
    """The document type named at the start of the title or text, if any."""
    head = f"{title}\n{text[:300]}".lower()
    for t in _TYPES:
        if t in head:
            return "communiqué" if t == "communiqué de presse" else t
    return ""


def _strip_markdown(text: str) -> str:
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)


# A dateline: a place, a comma, its date, alone on its line ("Valcourt, le 8 mai 2025", "Washington, May 8, 2025").
_DATELINE = re.compile(r"^[^\W\d_][^,\n]{0,40},[^\n]{4,30}$")


def build_communique(doc_id: str, text: str, meta: dict, source: str) -> Communique:
    """Assemble a Communique from raw text and metadata, filling gaps from the text itself."""
    body = normalize_text(text)
    if not body.replace(PAGE_BREAK, "").strip():  # page breaks (form feeds) alone are no text either
        raise LoadError(f"{source}: no text after cleaning; the document is empty.")
    paragraphs = body.split("\n\n")
    title = normalize_text(str(meta.get("title") or "")).replace("\n", " ")
    issuer = _issuer(meta)
    if title and len(paragraphs) > 1 and paragraphs[0].casefold() == title.casefold():
        # A web page or a Word file repeats its title as the first heading: once is enough.
        body, paragraphs = "\n\n".join(paragraphs[1:]), paragraphs[1:]
    if not title:
        first = paragraphs_of(body)[0]
        sentence = first.rstrip().endswith((".", "!", "?")) and len(first.split()) >= 8
        if (len(first) <= 160 and not sentence) or len(paragraphs) == 1:
            title = first[:200]
        else:
            # An opening sentence or long paragraph is text, not a title: it stays in the body and names the document.
            title = first[:100].rsplit(" ", 1)[0] + "…"
        if len(paragraphs) > 1 and paragraphs[0] == title:
            body = "\n\n".join(paragraphs[1:])
            paragraphs = paragraphs[1:]
    heads = paragraphs_of(body)
    if not issuer and len(heads) > 1 and names_an_issuer(heads[0]):
        issuer = heads[0].strip()
    iso = parse_date(str(meta.get("date") or ""))
    if not iso:
        # Undated: a dateline opening the text ("Valcourt, le 8 mai 2025") is the release's date; else a date the
        # title given with it names ("Conseil des ministres du 22 mars 2023", "…, à Paris le 30 mars 2023"): the text's
        # first dates are often of what it reports ("le plan annoncé le 20 mars 2018"). On the public corpus's dated
        # releases, read as if undated: 193 of 200 right this way, 85 from the text first (the 7 others give no date
        # anywhere). A title taken from the text's first paragraph is read as the text is; a page's provenance line
        # ("Source https://www.elysee.fr, le 27 octobre 2020"), dated by its download, is no dateline.
        dateline = next((find_dates(p)[0] for p in paragraphs[:2]
                         if _DATELINE.match(p) and find_dates(p) and not writes_address(p)), "")
        titled = find_dates(title) if meta.get("title") else []
        head_dates = find_dates("\n".join(paragraphs[:3]))
        tail_dates = find_dates("\n".join(paragraphs[-2:]))
        iso = dateline or (titled or head_dates or tail_dates or [""])[0]
    if not body.replace(PAGE_BREAK, "").strip():  # a title (or page breaks) alone is no document
        raise LoadError(f"{source}: no text besides its title; the document is empty.")
    lang = str(meta.get("lang") or "") or detect_language(body[:2000])
    known = {"id", "title", "date", "text", "lang", "type", "issuer", "reference", "source", "url"}
    extra = {k: v for k, v in meta.items() if k not in known and isinstance(v, (str, int, float, bool, list))}
    return Communique(
        doc_id=doc_id,
        title=title,
        text=body,
        date=iso,
        issuer=issuer,
        lang=lang,
        doc_type=str(meta.get("type") or "") or guess_type(title, body),
        source=str(meta.get("url") or meta.get("source") or source),
        reference=str(meta.get("reference") or ""),
        extra=extra,
    )


# Who issued a release, by the names metadata gives it: a release's issuer or organisation, a speech's speakers, a
# document's author ("speakers": "Éric Dupond-Moretti" in a corpus of speeches).
_ISSUER_FIELDS = ("issuer", "source_org", "speakers", "speaker", "author", "authors")


def _issuer(meta: dict) -> str:
    """The first issuer the metadata names (see _ISSUER_FIELDS); a list of names is joined."""
    for field in _ISSUER_FIELDS:
        value = meta.get(field)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v).strip() for v in value if str(v).strip())
        if value and str(value).strip():
            return str(value).strip()
    return ""


def names_an_issuer(line: str) -> bool:
    """Whether an opening line can be the name of who issued the release ("Ministère de l'Intérieur", "U.S. Department
    of State"): short, no date, and not a sentence. A speech or a transcript opens with words said ("M. le président.
    La parole est à M. le ministre de l'intérieur."), which end like a sentence, or with an address ending in a comma
    ("Mesdames, Messieurs,", "Monsieur le Président,"): 77 of the public corpus's 235 releases, which then showed the
    greeting as who issued them."""
    line = line.strip()
    if not line or len(line) >= 120 or find_dates(line) or line.endswith(","):
        return False
    return not (line.endswith((".", "!", "?", ":", "…")) and len(line.split()) >= 4)


def _header_lines(text: str, meta: dict) -> tuple[dict, str]:
    """A release's opening lines (title, issuer, place and date), when they come before the first blank line."""
    lines = text.strip().splitlines()
    header = []
    for line in lines:
        if not line.strip():
            break
        header.append(line.strip())
    if len(header) < 2 or len(header) > 5 or any(len(h) > 160 for h in header):
        return meta, text
    meta = dict(meta, title=header[0])
    for line in header[1:]:
        if find_dates(line):
            meta["date"] = meta.get("date") or find_dates(line)[0]
        elif not meta.get("issuer") and names_an_issuer(line):
            meta["issuer"] = line
    return meta, "\n".join(lines[len(header):])


def load_text_file(path: Path, doc_id: str, raw: bytes | None = None, markdown: bool | None = None) -> Communique:
    """Read a .txt or .md communiqué (Markdown may start with a ``---`` front-matter block)."""
    meta, body = _front_matter(_decode(path, raw))
    if markdown or (markdown is None and path.suffix.lower() in {".md", ".markdown"}):
        body = _strip_markdown(body)
    if not meta.get("title"):
        meta, body = _header_lines(body, meta)
    return build_communique(meta.get("id") or doc_id, body, meta, str(path))


def load_jsonl(path: Path, raw: bytes | None = None) -> Iterator[Loaded]:
    """Yield one result per line of a JSONL export (``id``, ``title``, ``text`` required; ``date`` may be empty)."""
    text = _decode(path, raw)
    if not text.strip():
        yield Loaded(str(path), None, f"{path}: no records, every line is blank; a JSONL export has one JSON object "
                                      "per line.")
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Loaded(where, None, f"{where}: not valid JSON ({exc.msg}); fix or remove the line.")
            continue
        if not isinstance(record, dict):
            yield Loaded(where, None, f"{where}: a line must be a JSON object.")
            continue
        missing = [f for f in ("id", "title", "text") if not str(record.get(f) or "").strip()]
        if missing or "date" not in record:
            missing += [] if "date" in record else ["date"]
            yield Loaded(where, None, f"{where}: missing field(s) {', '.join(missing)}; each line needs id, title, date, text.")
            continue
        try:
            yield Loaded(where, build_communique(str(record["id"]), str(record["text"]), record, where))
        except LoadError as exc:
            yield Loaded(where, None, str(exc))


def _doc_id_for(path: Path, root: Path | None) -> str:
    rel = path.relative_to(root) if root is not None else Path(path.name)
    return rel.with_suffix("").as_posix()


def iter_sources(paths: list[Path]) -> Iterator[tuple[Path, Path | None]]:
    """Yield (file, root folder or None) for every supported file under the given files and folders."""
    for given in paths:
        if given.is_dir():
            root = given.resolve()
            for path in sorted(given.rglob("*")):
                if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith("."):
                    if path.name.lower() in {"readme.md", "license.md"}:
                        continue
                    yield path, given
        else:
            yield given, None
    return


def from_extracted(extracted: Extracted, doc_id: str, source: str, fallback: dict | None = None) -> Communique:
    """A Communique from a reader's output; ``fallback`` fills the issuer and date the document itself lacks."""
    meta, text = dict(extracted.meta), extracted.text
    if not meta.get("title"):
        meta, text = _header_lines(text, meta)
    doc = build_communique(doc_id, text, meta, source)
    fill = {k: (fallback or {}).get(k, "") for k in ("issuer", "date") if not getattr(doc, k)}
    return replace(doc, **{k: v for k, v in fill.items() if v})


def _read(fmt: str, raw: bytes, name: str) -> Extracted:
    from ingest.formats.docx import read_docx
    from ingest.formats.html import read_html
    from ingest.formats.mail import read_eml
    from ingest.formats.pdf import read_pdf

    return {"html": read_html, "pdf": read_pdf, "docx": read_docx, "eml": read_eml}[fmt](raw, name)


def _load_eml(raw: bytes, path: Path, doc_id: str, origin: str) -> Iterator[Loaded]:
    """The message body as one document, each attachment in a supported format as its own (``ID/NAME``)."""
    mail = _read("eml", raw, str(path))
    inherited = {k: v for k, v in mail.meta.items() if k in {"issuer", "date"}}
    readable = []
    for filename, content in mail.attachments:
        suffix = Path(filename).suffix.lower()
        if suffix not in SUFFIX_FORMATS or suffix in {".eml", ".jsonl"}:
            log.info("attachment skipped source=%s attachment=%s reason=unsupported-type", path, filename)
            continue
        readable.append((filename, content))
    body = normalize_text(mail.text)
    if body and not (readable and len(body) < COVER_NOTE_CHARS):
        try:
            yield Loaded(str(path), from_extracted(Extracted(mail.text, mail.meta), doc_id, str(path)), origin=origin)
        except LoadError as exc:
            yield Loaded(str(path), None, str(exc), origin=origin)
    elif not readable:
        yield Loaded(str(path), None, f"{path}: the e-mail has no text and no attachment to read.", origin=origin)
    for filename, content in readable:
        where = f"{path}/{filename}"
        try:
            fmt = format_for(Path(filename).suffix, content, where)
            if fmt in {"text", "markdown"}:
                doc = load_text_file(Path(where), f"{doc_id}/{Path(filename).stem}", content, fmt == "markdown")
            else:
                doc = from_extracted(_read(fmt, content, where), f"{doc_id}/{Path(filename).stem}", where, inherited)
            yield Loaded(where, doc, origin=origin)
        except (LoadError, FormatError) as exc:
            yield Loaded(where, None, str(exc), origin=origin)


def load_path(path: Path, root: Path | None, max_bytes: int) -> Iterator[Loaded]:
    """Read every communiqué of one file; errors are returned, never raised."""
    source = str(path)
    origin = str(path.absolute())
    try:
        if not path.exists():
            raise LoadError(f"{path}: no such file or folder; check the path.")
        if root is not None and not path.resolve().is_relative_to(root.resolve()):
            raise LoadError(f"{path}: a link that leaves the input folder {root}; copy the file in instead.")
        suffix = path.suffix.lower()
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(f"{path}: {size / 1e6:.1f} MB is over the limit of {max_bytes / 1e6:.0f} MB (COMMUNIQUES_MAX_FILE_MB).")
        raw = path.read_bytes()
        if not raw.strip():
            raise LoadError(f"{path}: the file is empty; remove it or give it text.")
        fmt = format_for(suffix, raw, source)
        if suffix not in SUPPORTED_SUFFIXES and fmt == "text":
            raise LoadError(f"{path}: unsupported type '{suffix}'; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}.")
        doc_id = _doc_id_for(path, root)
        if fmt == "jsonl":
            for item in load_jsonl(path, raw):
                yield Loaded(item.source, item.doc, item.error, origin)
        elif fmt in {"text", "markdown"}:
            yield Loaded(source, load_text_file(path, doc_id, raw, fmt == "markdown"), origin=origin)
        elif fmt == "eml":
            yield from _load_eml(raw, path, doc_id, origin)
        else:
            yield Loaded(source, from_extracted(_read(fmt, raw, source), doc_id, source), origin=origin)
    except (LoadError, FormatError) as exc:
        yield Loaded(source, None, str(exc), origin)
    except OSError as exc:
        yield Loaded(source, None, f"{path}: cannot be read ({exc.strerror}); check permissions.", origin)
