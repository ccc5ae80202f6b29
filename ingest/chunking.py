"""Cut a communiqué into passages on paragraph and sentence boundaries."""

from __future__ import annotations

from core.types import Chunk, Communique
from textkit.normalize import PAGE_BREAK
from textkit.sentences import (ABBREVIATIONS_JOINED, SENTENCE_RULES, abbreviation_before_name, is_heading,
                               split_sentences)


def _cut_long(sentence: str, max_chars: int) -> list[str]:
    """Cut a sentence longer than ``max_chars`` at word boundaries."""
    pieces, current = [], ""
    # A "word" longer than a passage (a pasted blob, a run without spaces) is cut where it must be.
    words = [w[i:i + max_chars] for w in sentence.split(" ") for i in range(0, max(len(w), 1), max_chars)]
    for word in words:
        if current and len(current) + 1 + len(word) > max_chars:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces


# The version of the rule keeping a section's heading with its section (in chunk_communique), recorded in the index
# of a document with headings only (see rules_applied): the next ingest cuts those again, and no other. Change it
# with textkit.sentences.is_heading or with the rule itself.
HEADINGS_KEPT = "1"


def rules_applied(doc: Communique) -> str:
    """The versions of the cutting rules that changed after documents were first indexed and apply to ``doc``
    (its language's sentence rules, the headings kept with their sections, the abbreviations joined to the name
    after them), for its index's content hash: when one
    changes, the next ingest cuts the documents it applies to again and embeds nothing else."""
    marks = []
    if SENTENCE_RULES.get(doc.lang or ""):
        marks.append(f"{doc.lang}{SENTENCE_RULES[doc.lang]}")
    if any(is_heading(paragraph) for paragraph in doc.text.split("\n\n")):
        marks.append(f"headings{HEADINGS_KEPT}")
    if doc.lang == "fr" and abbreviation_before_name(doc.text):  # ("MM. Valmont": one sentence since version 1)
        marks.append(f"abbreviations{ABBREVIATIONS_JOINED}")
    return ":".join(marks)


def chunk_communique(doc: Communique, target_chars: int = 600, max_chars: int = 900, overlap_sentences: int = 1) -> list[Chunk]:
    """Split ``doc`` into chunks of about ``target_chars``.

    Paragraphs are kept whole when they fit; short paragraphs are joined; a long paragraph is cut
    between sentences, repeating ``overlap_sentences`` at the start of the next piece. Every chunk
    carries the document's title, issuer and date, and, for paged sources (PDF), the page it starts on.
    """
    units: list[tuple[str, bool, int]] = []  # (sentence, starts a paragraph, page)
    page = 1
    for paragraph in doc.text.split("\n\n"):
        if paragraph == PAGE_BREAK:
            page += 1
            continue
        sentences = [s for sent in split_sentences(paragraph, doc.lang or "fr") for s in _cut_long(sent, max_chars)]
        units.extend((s, i == 0, page) for i, s in enumerate(sentences))

    texts: list[str] = []
    pages: list[int] = []
    current: list[str] = []
    current_page = 1
    size = 0
    heading = False  # whether the last unit of ``current`` is a paragraph of its own that heads a section
    last_page = 1  # the page of the last unit of ``current``
    for sentence, new_paragraph, page in units:
        length = len(sentence) + 1
        at_paragraph_break = new_paragraph and size >= target_chars * 0.5
        if current and (size + length > max_chars or size >= target_chars or at_paragraph_break):
            # A section's heading goes with the section it heads, not at the end of the chunk before: cut from it,
            # the section's chunk does not say what it is about, to the search or to the reader.
            moves = heading and new_paragraph and len(current) > 1 and len(current[-1]) + length <= max_chars
            carry = [current.pop().lstrip("\n")] if moves else []
            texts.append(_join(current))
            pages.append(current_page)
            if not moves and not new_paragraph and overlap_sentences > 0:
                carry = current[-overlap_sentences:]
                # An overlap that would make the next chunk too long is dropped.
                if sum(len(s) + 1 for s in carry) + length > max_chars:
                    carry = []
            current, size = list(carry), sum(len(s) + 1 for s in carry)
            # A chunk starting with a unit carried from the one before (a heading, the overlap) starts on its page.
            current_page = last_page if carry else page
        if not current:
            current_page = page
        current.append(sentence if not (new_paragraph and current) else "\n" + sentence)
        size += length
        heading, last_page = new_paragraph and is_heading(sentence), page
    if current:
        texts.append(_join(current))
        pages.append(current_page)
    paged = bool(doc.extra.get("pages"))

    return [
        Chunk(
            chunk_id=f"{doc.doc_id}#{i}",
            doc_id=doc.doc_id,
            index=i,
            text=text,
            title=doc.title,
            date=doc.date,
            issuer=doc.issuer,
            lang=doc.lang,
            doc_type=doc.doc_type,
            source=doc.source,
            doc_hash=doc.hash,
            page=pages[i] if paged else None,
        )
        for i, text in enumerate(texts)
    ]


def _join(sentences: list[str]) -> str:
    return " ".join(sentences).replace(" \n", "\n").strip()
