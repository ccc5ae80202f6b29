"""Hybrid retrieval: dense similarity fused with BM25, filters, date preference, diversity,
neighbouring chunks merged and passages trimmed to what the question needs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from operator import mul
from pathlib import Path

from core.types import Chunk, Passage
from textkit.language import detect_language
from textkit.terms import STOPWORDS
from vectorstore.filters import Filters
from vectorstore.fusion import Candidates, add_date_bonus, fuse_ranks, fuse_scores, per_document
from vectorstore.keyword import KeywordIndex, load_aliases
from vectorstore.passages import clip_sentence, runs_on, sentence_scores, trim_passage, whole_sentences
from vectorstore.store import ChunkStore

# The passage functions were defined here first: importable from here still.
__all__ = ["HybridRetriever", "Retrieval", "clip_sentence", "runs_on", "sentence_scores", "trim_passage"]

log = logging.getLogger(__name__)


def _cosine(a, b) -> float:
    """The cosine of two unit vectors (summed left to right, like a generator over ``zip``, in a third less time)."""
    return sum(map(mul, a, b))


@dataclass(frozen=True)
class Retrieval:
    """What retrieval found for one question."""

    question: str
    passages: tuple[Passage, ...]
    best_dense: float = 0.0
    candidates: tuple[tuple[str, float], ...] = field(default=())  # (chunk_id, fused score), best first


def is_whole(ordered: list[Chunk], index: KeywordIndex) -> bool:
    """Whether adjacent chunks of one release (in order) are the whole release: none before them, none after."""
    return index.neighbour(ordered[0], -1) is None and index.neighbour(ordered[-1], 1) is None


class HybridRetriever:
    """Dense (Chroma) and keyword (BM25) search fused by reciprocal rank."""

    def __init__(self, store: ChunkStore, fetch_k: int = 30, k: int = 4, rrf_k: int = 60, dense_weight: float = 1.0,
                 keyword_weight: float = 1.0, max_per_doc: int = 2, passage_chars: int = 420,
                 aliases_path: Path | None = None, stamp_path: Path | None = None, mode: str = "hybrid",
                 evidence_first: bool = True, max_dense_gap: float | None = None, fusion: str = "score",
                 keyword_bonus: float = 0.08, date_bonus: float = 0.1, chunk_chars: int = 450,
                 documents: Callable[[], Mapping[str, tuple[str, int]]] | None = None,
                 keyword_path: Path | None = None):
        self.store = store
        # The completely indexed documents (doc_id -> content hash, number of chunks), e.g. the manifest's: with
        # it the keyword index takes in only the documents that changed; without it, it is rebuilt whole.
        self.documents = documents
        # Where the keyword index is saved after each change, so that a restart reads it instead of rebuilding it.
        self.keyword_path = keyword_path
        self._keyword_docs: dict[str, str] = {}
        # "score": cosine similarity plus a keyword bonus (the product; measured above reciprocal rank fusion, which
        # forgets how much closer in meaning the best passage is); "rrf": reciprocal rank fusion.
        self.fusion = fusion
        self.keyword_bonus = keyword_bonus
        self.date_bonus = date_bonus
        self.fetch_k = fetch_k
        self.k = k
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self.max_per_doc = max_per_doc
        self.passage_chars = passage_chars
        self.chunk_chars = chunk_chars  # the chunker's longest piece: a sentence longer than it was cut at a word
        self.aliases_path = aliases_path
        self.stamp_path = stamp_path
        # "hybrid" (the product); "dense" and "bm25" are the plain baselines the benchmark compares against.
        self.mode = mode
        self.evidence_first = evidence_first
        # A keyword vote for a passage more than this below the best dense similarity shrinks, down to a quarter 0.1
        # further (measured on the sample: cross-lingual r@1 42 -> 50 %, no category lower; None turns it off).
        self.keyword_gap: float | None = 0.03
        self.keyword_floor = 0.25
        self.max_dense_gap = max_dense_gap
        self._keyword: KeywordIndex | None = None
        self._keyword_version: tuple = ()
        self._lock = threading.Lock()
        # The searches of one question run side by side: the dense ones mostly wait on the store (a request to the
        # Chroma server, or its index's native code), the keyword one is in-process and needs no vector, so it also
        # runs while the question is encoded: their times overlap instead of adding up. One pool for the retriever,
        # shared by the threads asking questions; its threads start on first use.
        self._searches = ThreadPoolExecutor(max_workers=3, thread_name_prefix="retrieve")

    def _version(self) -> tuple:
        stamp = self.stamp_path.stat().st_mtime_ns if self.stamp_path and self.stamp_path.exists() else 0
        return (self.store.count(), stamp)

    @property
    def keyword(self) -> KeywordIndex:
        """The keyword index, brought up to date when the store changed since it was last read."""
        version = self._version()
        if self._keyword is None or version != self._keyword_version:
            with self._lock:
                if self._keyword is None or version != self._keyword_version:
                    fresh = self._current_keyword()
                    if fresh is not None:  # (None: the update failed; the version stays old, so it is tried again)
                        self._keyword, self._keyword_version = fresh, version
        return self._keyword

    def _current_keyword(self) -> KeywordIndex | None:
        """The keyword index of what the store holds now: the last one updated with the documents that changed,
        or, the first time (or with no list of documents to compare with), one built from every chunk. None if
        the update failed."""
        if self._keyword is None and self.documents is not None:
            self._keyword = self._saved_keyword()  # then brought up to date below, like any older version
            if self._keyword is not None:
                self._keyword_docs = self._keyword.documents()
        if self._keyword is None or self.documents is None:
            docs = self.documents() if self.documents is not None else {}
            started = time.perf_counter()
            chunks = self.store.chunks()
            index = KeywordIndex(chunks, aliases=load_aliases(self.aliases_path))
            self._keyword_docs = {d: h for d, (h, _) in docs.items()}
            log.info("keyword index built chunks=%d seconds=%.2f", len(chunks), time.perf_counter() - started)
            self._save_keyword(index)
            return index
        try:
            started = time.perf_counter()
            docs = self.documents()
            gone = [d for d, h in self._keyword_docs.items() if d not in docs or docs[d][0] != h]
            new = [d for d, (h, _) in docs.items() if self._keyword_docs.get(d) != h]
            # Chunk ids are doc_id#index (core.types.Chunk): read by id, the cost is that of the new chunks only.
            chunks = self.store.chunks_by_id([f"{d}#{i}" for d in new for i in range(docs[d][1])])
            index = self._keyword.updated(add=chunks, remove_documents=gone)
        except Exception:
            # The index is only ever replaced whole: the previous one still answers, and the next question retries.
            log.warning("keyword index update failed; the previous one is kept until the next try", exc_info=True)
            return None
        self._keyword_docs = {d: h for d, (h, _) in docs.items()}
        if new or gone:
            self._save_keyword(index)
        log.info("keyword index updated documents_added=%d documents_removed=%d chunks_added=%d chunks=%d "
                 "segments=%d seconds=%.3f", len(new), len(gone), len(chunks), len(index), index.segments,
                 time.perf_counter() - started)
        return index

    def _saved_keyword(self) -> KeywordIndex | None:
        """The keyword index saved by the last process, or None (with the reason logged) to build it anew."""
        from vectorstore.segment_files import UnreadableIndex

        if self.keyword_path is None:
            return None
        started = time.perf_counter()
        try:
            index = KeywordIndex.load(self.keyword_path, aliases=load_aliases(self.aliases_path))
        except UnreadableIndex as exc:
            log.warning("%s; building it again from the store (once: it is saved again after)", exc)
            return None
        if index is None:
            log.info("no keyword index saved in %s (a new index, or one made by an earlier version): building it "
                     "once from the store", self.keyword_path)
            return None
        log.info("keyword index read chunks=%d segments=%d seconds=%.2f", len(index), index.segments,
                 time.perf_counter() - started)
        return index

    def _save_keyword(self, index: KeywordIndex) -> None:
        if self.keyword_path is None:
            return
        try:
            index.save(self.keyword_path)
        except OSError as exc:  # a full or read-only disk must not stop the answers: the index in memory is whole
            log.warning("keyword index not saved in %s (%s); the next start reads the last saved one and catches up",
                        self.keyword_path, exc)

    def refresh(self) -> None:
        """Forget the keyword index so that the next search rebuilds it."""
        self._keyword = None

    def retrieve(self, question: str, filters: Filters | None = None, k: int | None = None,
                 max_per_doc: int | None = None) -> Retrieval:
        """Find the passages that best answer ``question`` (at most ``max_per_doc`` of one document, default the
        retriever's)."""
        filters = filters or Filters()
        k = k or self.k
        max_per_doc = max_per_doc or self.max_per_doc
        index = self.keyword
        vector, found = self._candidates(question, filters, index)
        fused = self._fused(question, vector, found, index)
        ranked = sorted(fused, key=lambda c: -fused[c])
        selected = per_document(ranked, found.chunks, k, max_per_doc)
        dense_sim, vectors = found.dense_sim, found.vectors
        self._stored_similarity([c for c in selected if vectors.get(c) is None], vector, vectors, dense_sim)
        selected = self._close_in_meaning(selected, dense_sim)
        query_terms = set(index.expand(question)) - STOPWORDS
        passages = self._merge(selected, found.chunks, fused, dense_sim, found.keyword_score, vectors, query_terms,
                               found.lang, index)
        return Retrieval(
            question=question,
            passages=tuple(passages),
            best_dense=max((dense_sim.get(c, 0.0) for c in selected), default=0.0),
            candidates=tuple((c, fused[c]) for c in ranked[: self.fetch_k]),
        )

    def _candidates(self, question: str, filters: Filters, index: KeywordIndex) -> tuple[list[float], Candidates]:
        """The question's vector, and the hits of the dense search, of the dense search in the other languages and of
        the keyword search (run at the same time, the keyword one while the question is encoded; the first failure in
        that order is raised)."""
        extra = 3 if filters.active else 1
        dense = keyword = other = None
        if self.mode != "dense":
            keyword = self._searches.submit(index.search, question, self.fetch_k,
                                            filters.accepts if filters.active else None)
        vector = self.store.embeddings.embed_query(question)
        if self.mode != "bm25":
            dense = self._searches.submit(self._dense, vector, self.fetch_k * extra, filters.where(), filters,
                                          self.fetch_k)
        # The dense model favours passages in the question's language; a second list of passages in the other
        # languages lets a French communiqué answer an Arabic question (and the other way round).
        lang = detect_language(question)
        if self.mode == "hybrid" and len(index.languages - {lang}) > 0 and not filters.lang:
            where = {"lang": {"$ne": lang}}
            base = filters.where()
            other = self._searches.submit(self._dense, vector, self.fetch_k * extra // 2,
                                          {"$and": [base, where]} if base else where, filters, self.fetch_k // 2,
                                          exact=False)
        dense, keyword, other = (f.result() if f is not None else [] for f in (dense, keyword, other))
        return vector, Candidates(lang, dense, other, keyword)

    def _dense(self, vector, n: int, where: dict | None, filters: Filters, keep: int, exact: bool = True) -> list:
        """The first ``keep`` of the ``n`` nearest chunks that pass ``filters``."""
        return [h for h in self.store.dense_search(vector, n, where, exact=exact) if filters.accepts(h.chunk)][:keep]

    def _fused(self, question: str, vector, found: Candidates, index: KeywordIndex) -> dict[str, float]:
        """Each passage's fused score (by score or by rank, as ``fusion`` says), with the date bonus."""
        if self.mode == "hybrid" and self.fusion == "score":
            # A passage found by keywords only gets its similarity from its stored vector.
            self._stored_similarity([c for c in found.chunks if c not in found.dense_sim], vector, found.vectors,
                                    found.dense_sim)
            fused = fuse_scores(question, found, index, self.keyword_bonus)
            date_bonus = self.date_bonus
        else:
            fused = fuse_ranks(question, found, index, mode=self.mode, dense_weight=self.dense_weight,
                               keyword_weight=self.keyword_weight, rrf_k=self.rrf_k, keyword_gap=self.keyword_gap,
                               keyword_floor=self.keyword_floor)
            date_bonus = 1.0 / (self.rrf_k + 1)
        add_date_bonus(question, found.chunks, fused, date_bonus)
        return fused

    def _close_in_meaning(self, selected: list[str], dense_sim: dict[str, float]) -> list[str]:
        """The selected chunk ids without those much less similar to the question than the best (the first two
        always stay)."""
        if self.mode == "hybrid" and self.max_dense_gap is not None and len(selected) > 2:
            # A passage far less similar to the question than the best one is a distractor for a small model
            # (measured: it cuts 39 % of the passages of other documents and 5 % of the gold ones' passages).
            top = max(dense_sim.get(c, 0.0) for c in selected)
            selected = selected[:2] + [c for c in selected[2:] if dense_sim.get(c, 0.0) >= top - self.max_dense_gap]
        return selected

    def part_passages(self, retrieval: Retrieval, parts: list[str]) -> tuple[Passage, ...]:
        """For a question asking several things, the chunk of the retrieved releases closest in meaning to each part,
        when no passage holds it yet: "…quelle frégate, et comment s'appelle l'ambassadrice ?" finds the frigate's
        passage, and the ambassador is named two paragraphs away in the same release."""
        if len(parts) < 2 or not retrieval.passages:
            return ()
        have = {cid for p in retrieval.passages for cid in p.chunk_ids}
        docs = list(dict.fromkeys(p.chunk.doc_id for p in retrieval.passages))
        pool = {c.chunk_id: c for doc in docs for c in self.store.chunks(doc)}
        vectors = self.store.vectors(list(pool))
        found: list[Passage] = []
        for part in parts:
            closest = self._closest(part, pool, vectors, have, 1)
            have.update(p.chunk.chunk_id for p in closest)
            found.extend(closest)
        return tuple(found)

    def release_passages(self, passages: tuple[Passage, ...], text: str, n: int) -> tuple[Passage, ...]:
        """The ``n`` chunks of the first passage's release closest in meaning to ``text`` (by their stored vectors)
        that no passage holds: the rest of the release the search ranked first, read when its passages do not give
        what the question asks for (see the answer rules ``kind-search`` and ``part-search``)."""
        return self.release_reader(passages)(text, n)

    def release_reader(self, passages: tuple[Passage, ...]) -> Callable[[str, int], tuple[Passage, ...]]:
        """``release_passages`` for one question's passages, the release's chunks and vectors read from the store
        once, at the first call: kind-search reads the release for the question, part-search for each of its parts."""
        loaded: list[tuple[dict[str, Chunk], dict]] = []

        def read(text: str, n: int) -> tuple[Passage, ...]:
            if not passages or n < 1:
                return ()
            if not loaded:
                have = {cid for p in passages for cid in p.chunk_ids}
                pool = {c.chunk_id: c for c in self.store.chunks(passages[0].chunk.doc_id) if c.chunk_id not in have}
                loaded.append((pool, self.store.vectors(list(pool)) if pool else {}))
            pool, vectors = loaded[0]
            return self._closest(text, pool, vectors, set(), n) if pool else ()
        return read

    def _closest(self, text: str, pool: dict[str, Chunk], vectors: dict, have: set[str], n: int) -> tuple[Passage, ...]:
        """The ``n`` chunks of ``pool`` closest in meaning to ``text``, as passages (their sentences made whole,
        trimmed to ``text``'s words), but those in ``have``: a chunk of ``have`` among the ``n`` leaves its place
        empty."""
        vector = self.store.embeddings.embed_query(text)
        sims = {cid: _cosine(vectors[cid], vector) for cid in pool if vectors.get(cid) is not None}
        found: list[Passage] = []
        index = self.keyword  # (each read of the property asks the store whether it changed)
        for cid in sorted(sims, key=sims.get, reverse=True)[:n]:
            if cid in have:
                continue
            chunk = pool[cid]
            full = self._whole_sentences([chunk], index)
            trimmed, _ = trim_passage(full, set(index.expand(text)) - STOPWORDS, self.passage_chars,
                                      chunk.lang or "fr", index.idf, self.evidence_first)
            found.append(Passage(chunk=chunk, text=trimmed, full_text=full, score=sims[cid], dense=sims[cid],
                                 chunk_ids=(cid,), vector=vectors[cid], whole=is_whole([chunk], index)))
        return tuple(found)

    def marked_whole(self, passages: tuple[Passage, ...]) -> tuple[Passage, ...]:
        """Passages kept from before ``whole`` was recorded, with it read from the index (for those of one chunk;
        a merged passage keeps its own)."""
        index = self.keyword
        return tuple(replace(p, whole=is_whole([p.chunk], index)) if len(p.chunk_ids) <= 1 else p for p in passages)

    def _whole_sentences(self, ordered: list[Chunk], index: KeywordIndex) -> str:
        """The text of adjacent chunks of one release (in order), with the sentences cut at their ends made whole."""
        return whole_sentences(ordered, index.neighbour, self.chunk_chars)

    def _stored_similarity(self, chunk_ids, vector, vectors, dense_sim) -> None:
        """The cosine of passages found by keywords only, from their stored vectors (one read for all of them)."""
        if not chunk_ids:
            return
        vectors.update(self.store.vectors(chunk_ids))
        for cid in chunk_ids:
            if vectors.get(cid) is not None:
                dense_sim[cid] = _cosine(vectors[cid], vector)

    def _merge(self, selected, chunks, fused, dense_sim, keyword_score, vectors, query_terms,
               question_lang: str, index: KeywordIndex) -> list[Passage]:
        """One passage per selected chunk; adjacent chunks of one document become one passage."""
        groups: list[list[str]] = []
        for cid in selected:
            chunk = chunks[cid]
            for group in groups:
                first = chunks[group[0]]
                if first.doc_id == chunk.doc_id and any(abs(chunks[g].index - chunk.index) == 1 for g in group):
                    group.append(cid)
                    break
            else:
                groups.append([cid])
        passages = []
        for group in groups:
            best = max(group, key=lambda c: fused[c])
            ordered = sorted(group, key=lambda c: chunks[c].index)
            full = self._whole_sentences([chunks[c] for c in ordered], index)
            chunk = chunks[best]
            budget = self.passage_chars * max(1.0, 0.75 * len(group))  # two neighbours: 1.5 passages' worth
            text, relevance = trim_passage(full, query_terms, int(budget), chunk.lang or "fr", index.idf,
                                           self.evidence_first)
            passages.append(
                (relevance, Passage(
                    chunk=chunk,
                    text=text,
                    full_text=full,
                    score=max(fused[c] for c in group),  # a merged neighbour adds text, not rank
                    dense=max(dense_sim.get(c, 0.0) for c in group),
                    keyword=max(keyword_score.get(c, 0.0) for c in group),
                    chunk_ids=tuple(ordered),
                    vector=vectors.get(best),
                    whole=is_whole([chunks[c] for c in ordered], index),
                ))
            )
        if self.evidence_first and len({p.chunk.lang for _, p in passages} | {question_lang}) == 1:
            # The passage whose best sentence answers the question most directly goes first. Only when all are in
            # the question's language: across languages the words cannot match, and the fused rank stands.
            passages.sort(key=lambda rp: (-round(rp[0], 1), -rp[1].score))
        return [p for _, p in passages]
