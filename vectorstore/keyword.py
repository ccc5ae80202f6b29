"""Keyword search (BM25 over folded, stemmed terms) with fuzzy expansion of misspelt names."""

from __future__ import annotations

import logging
from collections.abc import Iterable
import math
from collections import Counter
from pathlib import Path

import numpy as np

from core.types import Chunk
from textkit.terms import STOPWORDS, stem, terms, terms_of_words, words

log = logging.getLogger(__name__)


def load_aliases(path: Path | None) -> list[set[str]]:
    """Read an alias file: one line per entity, variants separated by ``=`` (``#`` starts a comment)."""
    if path is None or not Path(path).exists():
        return []
    groups = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        variants = {" ".join(words(v)) for v in line.split("=") if v.strip()}
        if len(variants) > 1:
            groups.append(variants)
    return groups


class KeywordIndex:
    """BM25 over chunk texts with their title context, built once and queried many times."""

    def __init__(self, chunks: Iterable[Chunk], aliases: list[set[str]] | None = None, fuzzy_cutoff: float = 75.0):
        import bm25s

        self.chunks: list[Chunk] = list(chunks)
        self._by_position = {(c.doc_id, c.index): c for c in self.chunks}
        self.aliases = aliases or []
        self.fuzzy_cutoff = fuzzy_cutoff
        # Each text is analysed once (the costly part of the build): terms for BM25, words for fuzzy matching.
        folded = [words(c.embed_text) for c in self.chunks]
        corpus = [terms_of_words(w) or ["_"] for w in folded]
        self._chunk_terms = {c.chunk_id: set(doc) for c, doc in zip(self.chunks, corpus)}
        self.df = Counter(t for doc in self._chunk_terms.values() for t in doc)
        self.languages = {c.lang for c in self.chunks if c.lang}
        self._vocab_set = set(self.df)
        self.vocabulary: list[str] = sorted(self._vocab_set)
        # Whole folded words (not stems) for fuzzy matching: stems are too short to compare.
        distinct = {w for ws in folded for w in ws}
        self.words: list[str] = sorted(w for w in distinct if len(w) >= 4 and not w[0].isdigit() and w not in STOPWORDS)
        self._word_set = set(self.words)
        self._bm25 = None
        if self.chunks:
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)

    def __len__(self) -> int:
        return len(self.chunks)

    def neighbour(self, chunk: Chunk, step: int) -> Chunk | None:
        """The chunk ``step`` places after ``chunk`` in its document (before it when negative), if indexed."""
        return self._by_position.get((chunk.doc_id, chunk.index + step))

    def expand(self, query: str) -> list[str]:
        """Query terms, plus alias variants and close spellings found in the vocabulary."""
        from rapidfuzz import fuzz, process

        query_terms = terms(query)
        folded = " ".join(words(query))
        for group in self.aliases:
            if any(f" {v} " in f" {folded} " for v in group):
                for variant in group:
                    query_terms.extend(terms(variant))
        expanded = list(query_terms)
        for word in words(query):
            if word in self._word_set or len(word) < 5 or word[0].isdigit() or word in STOPWORDS:
                continue
            for match, score, _ in process.extract(word, self.words, scorer=fuzz.ratio, limit=3,
                                                    score_cutoff=self.fuzzy_cutoff):
                expanded.append(stem(match))
        return expanded

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term over chunks (unknown terms get the highest)."""
        n = max(1, len(self.chunks))
        return math.log(1 + (n - self.df.get(term, 0) + 0.5) / (self.df.get(term, 0) + 0.5))

    def coverage(self, query: str, chunk: Chunk) -> float:
        """IDF-weighted share of the question's terms that a chunk contains (0..1)."""
        query_terms = set(terms(query))
        if not query_terms:
            return 0.0
        # Terms were computed once at build; a chunk not in the index (e.g. from a newer store) is analysed now.
        chunk_terms = self._chunk_terms.get(chunk.chunk_id) or set(terms(chunk.embed_text))
        total = sum(self.idf(t) for t in query_terms)
        return sum(self.idf(t) for t in query_terms & chunk_terms) / total if total else 0.0

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for the query (zeros when nothing matches)."""
        if self._bm25 is None:
            return np.zeros(0)
        query_terms = [t for t in self.expand(query) if t in self._vocab_set]
        if not query_terms:
            return np.zeros(len(self.chunks))
        return np.asarray(self._bm25.get_scores(query_terms), dtype=float)

    def search(self, query: str, k: int, allowed=None) -> list[tuple[Chunk, float]]:
        """The ``k`` best chunks with a positive score, optionally only those ``allowed(chunk)`` accepts."""
        scores = self.scores(query)
        order = np.argsort(-scores)
        out = []
        for i in order:
            if scores[i] <= 0:
                break
            chunk = self.chunks[i]
            if allowed is None or allowed(chunk):
                out.append((chunk, float(scores[i])))
                if len(out) >= k:
                    break
        return out
