"""Candidate answer sentences: the retrieved passages split into sentences, each knowing its passage and neighbours."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from assistant.listing import labelled
from assistant.question_kinds import reports_its_day
from core.types import Passage
from textkit.dates import find_dates, human_date
from textkit.names import name_acronyms
from textkit.sentences import (FULL_STOP, MIN_QUOTE_WORDS, announced_length, is_heading, quotable,
                               quotable_sentences)
from textkit.terms import terms
from vectorstore.retriever import clip_sentence


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage."""

    text: str
    n: int  # the number (from 1) of its passage in the retrieval
    doc_id: str
    lang: str
    title: str
    before: str = ""  # the sentence before it in its passage ("" at the start)
    quote: str = ""  # the sentence as its passage writes it (``text`` may be cut short): what a citation quotes
    date: str = ""  # its release's date (ISO, or "YYYY-MM" when the release gives no day; "" when unknown)
    heading: str = ""  # the heading of its section when it is the section's first sentence (see ``heading_of``)
    announces: str = ""  # for a sentence ending with a colon, what it announces (see ``announced``), shown after it

    @cached_property
    def context_terms(self) -> frozenset[str]:
        """The terms the sentence brings, read with the sentence before it and its release's title (computed once:
        every part of a question reads them), and the acronyms of the names they write ("UE" for "l'Union
        européenne")."""
        context = f"{self.title} {self.before} {self.text}"
        return frozenset(terms(context)) | name_acronyms(context)

    @property
    def listed(self) -> str:
        """What the sentence announces, when it is shown whole ending with its colon ("" otherwise)."""
        return self.announces if self.text.endswith(":") else ""

    def on_its_day(self, text: str, lang: str) -> str:
        """``text`` after its release's date (in ``lang``) when the sentence dates what it reports by that day alone
        ("Secretary Valmont spoke today with…": quoted alone, "today" says no day; "le ministre a présenté…" in the
        Conseil des ministres du 7 octobre, see ``reports_its_day``), else ``text``."""
        if not reports_its_day(self.text, self.date, self.title) or find_dates(self.text):
            return text
        return labelled(human_date(self.date, lang), text, lang)

    def headed(self, text: str) -> str:
        """``text`` (the sentence, or its quotation) after its section's heading when it has one (see
        ``heading_of``), written as the release's language writes a colon."""
        return labelled(self.heading, text, self.lang) if self.heading else text


# A release whose whole text (``Passage.whole``) is fewer words than this, ending without a full stop, is a salutation
# ("Mesdames et Messieurs,"), not a statement ("Le ministre a présenté un décret…"); a long release whose first
# passage is its salutation alone (the next sentence too long to join it) says what it is in its sentences.
_STUB_WORDS = 15


def candidates(passages: tuple[Passage, ...], lang: str, query_terms: set[str], max_chars: int = 400,
               min_words: int = MIN_QUOTE_WORDS, titles: bool = True) -> list[Candidate]:
    """The distinct sentences of the passages, in passage order. A sentence longer than ``max_chars`` is cut to the
    run of its words holding most of ``query_terms`` (official prose runs to 600 characters); one of fewer than
    ``min_words`` words (a heading, "Merci.", a page's "Source https://…, le 2 octobre 2020") is left out. With
    ``titles``, the title of a release whose whole text is its salutation (see ``_STUB_WORDS``) is one more."""
    seen: set[str] = set()
    out: list[Candidate] = []
    for n, passage in enumerate(passages, 1):
        own = passage.chunk.lang or lang
        before = heading = ""
        lines = passage.full_text.split("\n")
        split = [quotable_sentences(line, own) for line in lines]
        following = [s for sentences in split for s in sentences]
        k = 0  # the place in ``following`` of the sentence after the current one
        for line, sentences in zip(lines, split):
            opens = True
            for sentence in sentences:
                k += 1
                key = " ".join(sentence.lower().split())
                if key in seen or not quotable(sentence, min_words):
                    before, opens = sentence or before, False
                    continue
                seen.add(key)
                text = clip_sentence(sentence, query_terms, max_chars) if len(sentence) > max_chars else sentence
                out.append(Candidate(text=text, n=n, doc_id=passage.chunk.doc_id, lang=own, title=passage.chunk.title,
                                     before=before, quote=sentence, date=passage.chunk.date or "",
                                     heading=heading_of(heading, sentence) if opens else "",
                                     announces=announced(following[k:], own) if sentence.endswith(":") else ""))
                before, opens = sentence, False
            heading = line.strip() if is_heading(line) else ""
        title = _salutation_title(passage) if titles else ""
        key = " ".join(title.lower().split())
        if title and key not in seen:
            seen.add(key)
            out.append(Candidate(text=title, n=n, doc_id=passage.chunk.doc_id, lang=own, title=title, quote=title,
                                 date=passage.chunk.date or ""))
    return out


def _salutation_title(passage: Passage) -> str:
    """The title of a release whose whole text is its salutation (see ``_STUB_WORDS``), "" for any other passage."""
    text = passage.full_text.rstrip()
    if not passage.whole or len(text.split()) >= _STUB_WORDS or text.endswith((*FULL_STOP, ":")):
        return ""
    return passage.chunk.title.strip()


# A sentence announcing what follows ("…autour de quatre piliers :", "…a fait la déclaration suivante :") says
# nothing alone: given as an answer, it is shown with what it announces, up to the first sentence ending with a full
# stop (a list's last item; a numbered list's last numbered item), at most ``_ANNOUNCED_ITEMS`` of them. It is
# ranked as it is, and its items are candidates of their own: a question about one item is answered by that item, not
# by the whole list.
_ANNOUNCED_ITEMS = 8


_OPENING = {"«": "»", "“": "”", '"': '"'}


def announced(following: list[str], lang: str) -> str:
    """What a sentence ending with a colon announces, from the sentences after it: " item; item; last item."; a
    declaration's opening quotation mark is left out when its first sentence does not close it."""
    taken = [sentence.rstrip(" ;,") for sentence in following[:announced_length(following, _ANNOUNCED_ITEMS)]]
    between = " ; " if lang == "fr" else "; "  # (items ending with a full stop are joined as sentences)
    text = "".join(item if not n else (" " if taken[n - 1].endswith(FULL_STOP) else between) + item
                   for n, item in enumerate(taken))
    mark = text[:1]
    if mark in _OPENING and _OPENING[mark] not in text[1:]:
        text = text[1:].lstrip()
    return " " + text if text else ""


def heading_of(heading: str, sentence: str) -> str:
    """The heading a section's first sentence is shown with, unless the sentence writes its terms already: a
    section's first sentence often leaves its subject to the heading ("Du samedi 18 octobre au lundi 3 novembre."
    under "Vacances d'automne"), and quoted alone it does not say what it is about; "La rentrée aura lieu le 1er
    septembre." under "Rentrée scolaire" says it itself."""
    own = terms(heading)
    return heading if own and not set(own) <= set(terms(sentence)) else ""
