"""Core types shared by every step: they depend on nothing else in the project."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def content_hash(text: str) -> str:
    """Stable short hash of a text, used to tell whether a document changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Communique:
    """One official release, as read from a file or an export line."""

    doc_id: str
    title: str
    text: str
    date: str = ""  # ISO 8601 (YYYY-MM-DD) or "" when unknown
    issuer: str = ""
    lang: str = ""
    doc_type: str = ""
    source: str = ""  # path or URL it came from
    reference: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def hash(self) -> str:
        """Hash of everything that, when changed, must replace the indexed chunks."""
        meta = "|".join([self.title, self.date, self.issuer, self.lang, self.doc_type, self.reference])
        return content_hash(meta + "\n" + self.text)


@dataclass(frozen=True)
class Chunk:
    """A passage of a communiqué: the unit that is embedded, indexed and cited."""

    chunk_id: str  # f"{doc_id}#{index}"
    doc_id: str
    index: int
    text: str  # the passage itself, as cited
    title: str = ""
    date: str = ""
    issuer: str = ""
    lang: str = ""
    doc_type: str = ""
    source: str = ""
    doc_hash: str = ""
    page: int | None = None

    @property
    def embed_text(self) -> str:
        """What the embedder and the keyword index see: the passage with its document context."""
        head = " — ".join(p for p in (self.title, self.issuer, self.date) if p)
        return f"{head}\n{self.text}" if head else self.text

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for the vector store (scalars only)."""
        meta: dict[str, Any] = {
            "doc_id": self.doc_id,
            "index": self.index,
            "title": self.title,
            "date": self.date,
            "date_int": date_int(self.date),
            "issuer": self.issuer,
            "lang": self.lang,
            "doc_type": self.doc_type,
            "source": self.source,
            "doc_hash": self.doc_hash,
            "text": self.text,
        }
        if self.page is not None:
            meta["page"] = self.page
        return meta

    @classmethod
    def from_metadata(cls, chunk_id: str, meta: dict[str, Any]) -> "Chunk":
        """Rebuild a chunk from the metadata written by :meth:`metadata`."""
        return cls(
            chunk_id=chunk_id,
            doc_id=meta.get("doc_id", ""),
            index=int(meta.get("index", 0)),
            text=meta.get("text", ""),
            title=meta.get("title", ""),
            date=meta.get("date", ""),
            issuer=meta.get("issuer", ""),
            lang=meta.get("lang", ""),
            doc_type=meta.get("doc_type", ""),
            source=meta.get("source", ""),
            doc_hash=meta.get("doc_hash", ""),
            page=meta.get("page"),
        )


def date_int(iso: str) -> int:
    """The date as a number for range filters (20241203); a release dated by its month only counts as of its first
    day (2021-11 -> 20211101); 0 when there is no date."""
    digits = iso.replace("-", "")
    if len(digits) == 6:
        digits += "01"
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


@dataclass(frozen=True)
class Passage:
    """A retrieved piece of evidence: one chunk or neighbouring chunks merged, trimmed for the prompt."""

    chunk: Chunk  # the best chunk of the passage (citations report its id)
    text: str  # what the model reads (trimmed)
    full_text: str  # the untrimmed passage (merged neighbours), used for checking support
    score: float  # fused relevance, higher is better
    dense: float = 0.0  # cosine similarity of the query and the best chunk
    keyword: float = 0.0  # BM25 score of the best chunk
    chunk_ids: tuple[str, ...] = ()
    vector: tuple[float, ...] | None = None  # the chunk's stored embedding, when the store returned it
    whole: bool = False  # the passage is its release's whole text (no chunk before or after it)


@dataclass(frozen=True)
class Citation:
    """A checked link from an answer to the passage that supports it."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    date: str
    issuer: str
    quote: str  # the sentence(s) of the passage that support the claim
    passage: str = ""
    source: str = ""
    page: int | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence of the answer after verification."""

    text: str
    citations: tuple[int, ...]
    supported: bool
    reason: str = ""  # why it was flagged, for people
    code: str = ""  # the rule that gave or removed it (assistant.evidence.rules.Reason), for programs


# What a generator replies when the passages do not hold the answer: the prompt asks for it and the checks read it.
NOT_FOUND = "NOT_FOUND"


@dataclass(frozen=True)
class Answer:
    """The verified answer to one question."""

    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...] = ()
    standalone_question: str = ""
    lang: str = ""
    raw_text: str = ""  # what the model wrote, before verification
    abstain_reason: str = ""
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SourcesEvent:
    """Retrieval finished: the passages that the answer may cite (sent before the first token)."""

    passages: tuple[Passage, ...]
    standalone_question: str


@dataclass(frozen=True)
class TokenEvent:
    """A piece of the model's streamed text (unverified)."""

    text: str


@dataclass(frozen=True)
class AnswerEvent:
    """Verification finished: the final answer."""

    answer: Answer


Event = SourcesEvent | TokenEvent | AnswerEvent


def answer_json(answer: Answer, qid=None, latency: float | None = None) -> dict:
    """The stable JSON shape of an answer."""
    return {
        "id": qid,
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "abstain_reason": answer.abstain_reason,
        "lang": answer.lang,
        "citations": [{"n": c.n, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "title": c.title, "date": c.date,
                       "issuer": c.issuer, "quote": c.quote, "page": c.page} for c in answer.citations],
        "sentences": [{"text": s.text, "citations": list(s.citations), "supported": s.supported, "reason": s.reason,
                       "code": s.code}
                      for s in answer.sentences],
        "retrieved": [{"doc_id": p.chunk.doc_id, "chunk_id": p.chunk.chunk_id, "score": round(p.score, 5),
                       "similarity": round(p.dense, 4)} for p in answer.passages],
        "raw_answer": answer.raw_text,
        "timings": {k: round(v, 3) for k, v in answer.timings.items()},
        "latency_s": round(latency if latency is not None else answer.timings.get("total_s", 0.0), 3),
    }
