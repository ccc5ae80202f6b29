"""Scores every candidate sentence against one part of the question: by meaning, answer type and terms."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from assistant.evidence.asked import CHECKABLE, Kind, holds
from assistant.completion import coverage
from assistant.evidence.candidates import Candidate
from textkit.dates import dates_named, months_named
from textkit.terms import STOPWORDS, terms

Idf = Callable[[str], float]


@dataclass(frozen=True)
class Weights:
    """How the three signals add up (see ``AnswerSettings`` for what each was measured at)."""

    kind: float = 0.15  # added when the sentence holds what the part asks for
    terms: float = 0.15  # times the IDF-weighted share of the part's terms in the sentence, its context and title
    context: float = 0.3  # the weight of the sentence read after the one before it, in its meaning
    date: float = 0.0  # added when the sentence's release is of the day or month the part names
    first: float = 0.0  # added when the sentence is of the release of the first passage retrieved
    typed: float = 0.0  # the share of a follow-up's ordering read against the words the user typed (see ``rank``)
    core: float = 0.0  # the share of the ordering read against the part without its opening circumstances
    conversation: float = 0.0  # added when the sentence is of the release the conversation's last question found


@dataclass(frozen=True)
class Scored:
    """A candidate sentence with its scores for one part of a question."""

    candidate: Candidate
    meaning: float  # cosine similarity to the part (with its context, see ``Weights.context``)
    holds: bool  # gives every checkable kind of answer the part asks for (a figure, a date…; True when it asks none)
    terms: float  # IDF-weighted share of the part's terms found
    score: float


def cosine(a, b) -> float:
    """Cosine similarity (the embedders return unit vectors, but a user's may not)."""
    dot = sum(x * y for x, y in zip(a, b))
    na = sum(x * x for x in a) ** 0.5
    nb = sum(y * y for y in b) ** 0.5
    return dot / (na * nb) if na and nb else 0.0


class SentenceVectors:
    """Embeds questions and sentences once each, with the embedder's query and document prompts; kept for the next
    questions (the same releases come back), up to ``max_items`` texts, then started afresh. A sentence the ingest
    embedded (``store``) is read, not embedded again."""

    def __init__(self, embedder, max_items: int = 20_000, store=None):
        self.embedder = embedder
        self.max_items = max_items
        self.store = store  # the sentences embedded at ingest (vectorstore.sentence_store), looked up first
        self._docs: dict[str, list[float]] = {}
        self._queries: dict[str, list[float]] = {}
        self._lock = threading.Lock()  # the web app answers several users from threads

    def documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._documents(texts)

    def _documents(self, texts: list[str]) -> list[list[float]]:
        new = list(dict.fromkeys(t for t in texts if t not in self._docs))
        if len(self._docs) + len(new) > self.max_items:
            self._docs.clear()
            new = list(dict.fromkeys(texts))
        if new and self.store is not None:
            self._docs.update(self.store.get(new))
            new = [t for t in new if t not in self._docs]
        if new:
            self._docs.update(zip(new, self.embedder.embed_documents(new)))
        return [self._docs[t] for t in texts]

    def query(self, text: str) -> list[float]:
        with self._lock:
            if len(self._queries) > self.max_items:
                self._queries.clear()
            if text not in self._queries:
                self._queries[text] = self.embedder.embed_query(text)
            return self._queries[text]


def rank(part: str, kinds: set[Kind], pool: list[Candidate], vectors: SentenceVectors, idf: Idf, lang: str,
         weights: Weights = Weights(), passage_vectors: dict[int, list[float]] | None = None,
         own: str | None = None, first_doc: str | None = None, off: frozenset[str] = frozenset(),
         typed: str | None = None, core: str | None = None, conversation_doc: str | None = None) -> list[Scored]:
    """The candidates scored against ``part`` (in the user's language ``lang``), best first. A sentence's context is
    its passage's stored vector when ``passage_vectors`` has it (no embedding to compute), else the sentence read
    after the one before it. Whether a sentence holds what is asked is read against ``own`` when given (a part of
    a question alone, while ``part`` is that part read within its question): the other part's counted noun or kind
    of figure is not this part's. ``first_doc``: the release of the first passage retrieved (``weights.first``);
    ``off``: the checks of what a sentence holds switched off by name (see rules.HOLD_CHECKS). ``typed``: a
    follow-up as the user typed it, when ``part`` is its rewrite: ``weights.typed`` of the meaning that orders the
    sentences is read against it (the rewrite brings what the follow-up leans on, which finds the release; the user's
    own words say what is asked now, which the sentence that answers is closest to); ``Scored.meaning`` stays the
    rewrite's. ``core``: the part without the circumstances it opens with (``weights.core`` of the ordering, before
    ``weights.typed``'s; see question_kinds.without_circumstances). ``conversation_doc``: for a follow-up, the release
    its conversation's previous question found first (``weights.conversation``)."""
    if not pool:
        return []
    asked = vectors.query(part)
    typed_vector = vectors.query(typed) if typed and weights.typed else None
    core_vector = vectors.query(core) if core and core != part and weights.core else None
    sentence_vectors = vectors.documents([c.text for c in pool])
    window_vectors = None
    if weights.context:
        known = passage_vectors or {}
        missing = [c for c in pool if c.n not in known]
        windows = dict(zip((c.text for c in missing),
                           vectors.documents([f"{c.before} {c.text}".strip() for c in missing])))
        window_vectors = [known[c.n] if c.n in known else windows[c.text] for c in pool]
    wanted = set(terms(part)) - STOPWORDS
    days, months = (set(dates_named(part)), set(months_named(part))) if weights.date else (set(), set())

    def closeness(query, i: int) -> float:
        near = cosine(query, sentence_vectors[i])
        if window_vectors is None:
            return near
        return (1 - weights.context) * near + weights.context * cosine(query, window_vectors[i])

    out = []
    for i, c in enumerate(pool):
        meaning = closeness(asked, i)
        # (The part without its circumstances and the typed words only order the sentences: the floors the rules read
        # were measured on the part's meaning, and a short follow-up, "Et quand ?", is about as far from every
        # sentence.)
        ordering = meaning if core_vector is None else \
            (1 - weights.core) * meaning + weights.core * closeness(core_vector, i)
        ordering = ordering if typed_vector is None else \
            (1 - weights.typed) * ordering + weights.typed * closeness(typed_vector, i)
        # A name is often given in the sentence before ("M. X, ministre de Y, a présenté… Il a ajouté…").
        held = {k for k in kinds if holds(k, f"{c.before} {c.text}" if k is Kind.NAME else c.text, own or part,
                                          c.lang, same_language=c.lang == lang, published=c.date or "",
                                          title=c.title, before=c.before, off=off)}
        found = coverage(wanted, c.context_terms, idf)
        # A sentence in another language shares no word with the question: its terms are not counted against it
        # (half the weight, neutral), or every sentence in the question's language would outrank it.
        score = ordering + weights.kind * (held == kinds) + weights.terms * (found if c.lang == lang else 0.5)
        # A question naming a day or a month asks about what was published then ("au Conseil des ministres du
        # 7 octobre 2020"): every such meeting's release says much the same, and only its date tells them apart.
        # (The retriever gives the same bonus to passages; here it decides between the sentences.)
        if c.date and (c.date in days or c.date[:7] in months):
            score += weights.date
        # The search ranked the releases on the whole question: between sentences alike in meaning, the first
        # release's is more often the one that answers.
        if weights.first and c.doc_id == first_doc:
            score += weights.first
        # A follow-up is most often about the release the conversation was about: between sentences alike, the one of
        # the release its previous question found first (a rewrite may drop the day or the speaker that told it).
        if weights.conversation and c.doc_id == conversation_doc:
            score += weights.conversation
        # (Only figures, durations, ages and dates decide: a person or a place only ranks, see rules.AnswerTypeMissing.)
        out.append(Scored(c, meaning, (kinds & CHECKABLE) <= held, found, score))
    return sorted(out, key=lambda s: -s.score)
