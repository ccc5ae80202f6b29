"""The hits of one question's dense and keyword searches fused into one ranking: by score (cosine similarity plus
a keyword bonus) or by reciprocal rank; then a bonus for the dates the question names, and a few per document."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.types import Chunk
from textkit.dates import dates_named, months_named
from vectorstore.keyword import KeywordIndex


@dataclass
class Candidates:
    """The hits of one question's searches and, by chunk id, each passage they found: its chunk, its similarity and
    stored vector (dense hits), its BM25 score (keyword hits)."""

    lang: str  # the question's
    dense: list
    other: list  # the dense hits in the other languages
    keyword: list[tuple[Chunk, float]]
    chunks: dict[str, Chunk] = field(init=False, default_factory=dict)
    dense_sim: dict[str, float] = field(init=False, default_factory=dict)
    vectors: dict[str, tuple[float, ...] | None] = field(init=False, default_factory=dict)
    keyword_score: dict[str, float] = field(init=False, default_factory=dict)

    def __post_init__(self):
        for hit in (*self.dense, *self.other):
            cid = hit.chunk.chunk_id
            self.chunks[cid], self.dense_sim[cid], self.vectors[cid] = hit.chunk, hit.similarity, hit.vector
        for chunk, score in self.keyword:
            self.chunks.setdefault(chunk.chunk_id, chunk)
            self.keyword_score[chunk.chunk_id] = score


def fuse_scores(question: str, found: Candidates, index: KeywordIndex, keyword_bonus: float) -> dict[str, float]:
    """Cosine similarity to the question, plus up to ``keyword_bonus`` for keyword evidence.

    The keyword part is the BM25 score relative to the best one, times how much of the question the passage
    contains (squared, so that a few generic words shared with an Arabic question count little).
    """
    chunks, dense_sim, keyword_score = found.chunks, found.dense_sim, found.keyword_score
    top = max(keyword_score.values(), default=0.0) or 1.0
    fused = {cid: dense_sim.get(cid, 0.0) for cid in chunks}
    for cid, score in keyword_score.items():  # the coverage only of keyword hits: the others get no bonus anyway
        fused[cid] += keyword_bonus * score / top * min(1.0, index.coverage(question, chunks[cid]) / 0.5) ** 2
    return fused


def fuse_ranks(question: str, found: Candidates, index: KeywordIndex, *, mode: str, dense_weight: float,
               keyword_weight: float, rrf_k: int, keyword_gap: float | None, keyword_floor: float) -> dict[str, float]:
    """Reciprocal rank fusion of the dense, other-language and keyword lists (or one list, for the baselines)."""
    dense, other, keyword, dense_sim = found.dense, found.other, found.keyword, found.dense_sim
    fused: dict[str, float] = {}
    for rank, hit in enumerate(dense):
        cid = hit.chunk.chunk_id
        fused[cid] = fused.get(cid, 0.0) + dense_weight / (rrf_k + rank + 1)
    for rank, hit in enumerate(other):
        # The better of its two dense ranks, never both: a passage is not counted twice.
        cid = hit.chunk.chunk_id
        main_rank = next((r for r, h in enumerate(dense) if h.chunk.chunk_id == cid), None)
        best = dense_weight / (rrf_k + rank + 1)
        if main_rank is not None:
            fused[cid] += max(0.0, best - dense_weight / (rrf_k + main_rank + 1))
        else:
            fused[cid] = best
    # Keyword hits count in proportion to how much of the question they contain: an Arabic question matching
    # Arabic passages on generic words ("Valmont", "accord") must not outvote the dense ranking.
    dense_docs = {h.chunk.doc_id for h in dense[:10]} | {h.chunk.doc_id for h in other[:5]}
    best_sim = max(dense_sim.values(), default=0.0)
    for rank, (chunk, _) in enumerate(keyword):
        cid = chunk.chunk_id
        weight = keyword_weight
        if mode == "hybrid":
            weight *= min(1.0, index.coverage(question, chunk) / 0.5) ** 2
            weight *= 1.0 if chunk.doc_id in dense_docs else 0.5  # unconfirmed by meaning: half a vote
            if keyword_gap is not None and cid in dense_sim:
                # Words shared with a passage that means clearly less than the best one (an English question
                # and an English release on the topic, the French one answering it) must not outvote meaning.
                behind = best_sim - dense_sim[cid] - keyword_gap
                weight *= max(keyword_floor, 1.0 - max(0.0, behind) / 0.1)
        fused[cid] = fused.get(cid, 0.0) + weight / (rrf_k + rank + 1)
    return fused


def add_date_bonus(question: str, chunks: dict[str, Chunk], fused: dict[str, float], bonus: float) -> None:
    """Add ``bonus`` to the ``fused`` score of the passages of a date (or a month) the question names."""
    asked_dates = set(dates_named(question))  # "les 21 et 28 octobre 2020": both days
    asked_months = set(months_named(question))  # "l'accord signé en décembre 2024"
    if asked_dates or asked_months:
        for cid, chunk in chunks.items():
            if chunk.date in asked_dates or chunk.date[:7] in asked_months:
                fused[cid] += bonus


def per_document(ranked: list[str], chunks: dict[str, Chunk], k: int, max_per_doc: int) -> list[str]:
    """The first ``k`` of the ``ranked`` chunk ids, at most ``max_per_doc`` of one document."""
    selected: list[str] = []
    per_doc: dict[str, int] = {}
    for cid in ranked:
        doc = chunks[cid].doc_id
        if per_doc.get(doc, 0) >= max_per_doc:
            continue
        per_doc[doc] = per_doc.get(doc, 0) + 1
        selected.append(cid)
        if len(selected) >= k:
            break
    return selected
