"""Keyword search (BM25 over folded, stemmed terms) with fuzzy expansion of misspelt names.

The index grows by segments, as Lucene's does: the chunks of one update are analysed into a segment of their own,
and a replaced or removed chunk is only marked dead in its segment. What BM25 needs of the whole index (how many
chunks hold a term, their number and mean length) is kept as running totals, and the per-chunk part of a score
is computed at query time from them. So adding N chunks costs the analysis of N chunks plus a merge of small
segments now and then, not a rebuild, and the scores are those of an index built at once over the same chunks.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np

from core.types import Chunk
from textkit.terms import STOPWORDS, stem, terms, weighted_share, words
from vectorstore.bm25 import best_first, segment_scores
from vectorstore.segments import DocumentFrequencies, Lexicon, Segment

log = logging.getLogger(__name__)

# At most this many segments: past it the smaller ones are merged, so that a query reads few postings lists.
MAX_SEGMENTS = 8
# A segment whose chunks are more than this share dead is rewritten without them (their postings cost reads).
MAX_DEAD_SHARE = 0.5


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
    """BM25 over chunk texts with their title context, queried many times and updated in place of a rebuild.

    An index is never changed: :meth:`updated` returns a new one that shares the unchanged segments, so a search
    running meanwhile sees one whole version.
    """

    def __init__(self, chunks: Iterable[Chunk] = (), aliases: list[set[str]] | None = None,
                 fuzzy_cutoff: float = 75.0):
        self.aliases = aliases or []
        self.fuzzy_cutoff = fuzzy_cutoff
        self._terms = Lexicon()
        self._words = Lexicon()
        self._segments: tuple[Segment, ...] = ()
        self._live: tuple[np.ndarray, ...] = ()
        self._df = np.zeros(0, dtype=np.int64)
        self._word_count = np.zeros(0, dtype=np.int64)
        self._n = 0
        self._total_length = 0
        self._languages: Counter = Counter()
        self._fuzzy_words: list[str] | None = []
        self._live_files: tuple[str | None, ...] = ()  # the saved file of each segment's live flags, if current
        self._absorb([c for c in _last_of_each(chunks)])

    # --- on disk ------------------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Make this version the one on disk: writes the segments and live flags not saved yet (after an update,
        the new segment and the flags of the segments that lost chunks), then commits them at once."""
        from vectorstore import segment_files

        self._live_files = segment_files.save_segments(Path(folder), self._segments, self._live, self._live_files,
                                                       self._terms.strings, self._words.strings)

    @classmethod
    def load(cls, folder: Path, aliases: list[set[str]] | None = None, fuzzy_cutoff: float = 75.0
             ) -> "KeywordIndex | None":
        """The index last saved in ``folder``; None if none was. Raises UnreadableIndex if it cannot be read."""
        from vectorstore import segment_files

        index = cls((), aliases=aliases, fuzzy_cutoff=fuzzy_cutoff)
        saved = segment_files.load_segments(Path(folder), index._terms.id, index._words.id)
        if saved is None:
            return None
        segments, lives, index._live_files = saved
        index._segments, index._live = tuple(segments), tuple(lives)
        index._recount()
        return index

    def _recount(self) -> None:
        """The running totals, counted again over the live chunks (vectorised: no text is analysed)."""
        self._df = np.zeros(len(self._terms.strings), dtype=np.int64)
        self._word_count = np.zeros(len(self._words.strings), dtype=np.int64)
        for seg, live in zip(self._segments, self._live):
            owner = np.repeat(np.arange(len(seg)), np.diff(seg.terms.indptr))
            self._df += np.bincount(seg.terms.indices[live[owner]], minlength=len(self._df))
            owner = np.repeat(np.arange(len(seg)), np.diff(seg.word_ptr))
            self._word_count += np.bincount(seg.word_ids[live[owner]], minlength=len(self._word_count))
            self._n += int(live.sum())
            self._total_length += int(seg.lengths[live].sum())
            self._languages.update(c.lang for c, alive in zip(seg.chunks, live) if alive)
        self._fuzzy_words = None

    def documents(self) -> dict[str, str]:
        """The documents of the live chunks, with the content hash their chunks carry."""
        return {seg.chunks[r].doc_id: seg.chunks[r].doc_hash
                for seg, live in zip(self._segments, self._live) for r in np.flatnonzero(live)}

    # --- updating -------------------------------------------------------------------------------------------

    def updated(self, add: Iterable[Chunk] = (), remove: Iterable[str] = (),
                remove_documents: Iterable[str] = ()) -> "KeywordIndex":
        """A new index with ``add`` indexed (a chunk of an id already indexed replaces it) and the chunks
        ``remove`` (ids) and those of ``remove_documents`` gone. Costs what is added and removed, not the index.

        If it fails (e.g. a chunk that cannot be analysed), this index is unchanged and can still be used.
        """
        new = self._copy()
        added = list(_last_of_each(add))
        gone = set(remove) | {c.chunk_id for c in added}
        docs = set(remove_documents)
        new._remove(gone, docs)
        new._absorb(added)
        new._compact()
        return new

    def _copy(self) -> "KeywordIndex":
        new = object.__new__(KeywordIndex)
        new.__dict__.update(self.__dict__)
        new._df = self._df.copy()
        new._word_count = self._word_count.copy()
        new._languages = Counter(self._languages)
        return new

    def _remove(self, chunk_ids: set[str], doc_ids: set[str]) -> None:
        if not chunk_ids and not doc_ids:
            return
        live = list(self._live)
        files = list(self._live_files)
        for s, seg in enumerate(self._segments):
            rows = {seg.rows[c] for c in chunk_ids if c in seg.rows}
            rows.update(r for d in doc_ids for r in seg.documents.get(d, ()))
            rows = sorted(r for r in rows if live[s][r])
            if not rows:
                continue
            live[s] = live[s].copy()
            files[s] = None
            for r in rows:
                live[s][r] = False
                ids = seg.chunk_terms(r)
                self._df[ids] -= 1
                self._word_count[seg.chunk_words(r)] -= 1
                self._total_length -= int(seg.lengths[r])
                self._n -= 1
                self._languages[seg.chunks[r].lang] -= 1
                if self._fuzzy_words is not None and np.any(self._word_count[seg.chunk_words(r)] == 0):
                    self._fuzzy_words = None  # a word went: the sorted list is made again when next needed
        self._live = tuple(live)
        self._live_files = tuple(files)
        self._languages = +self._languages

    def _absorb(self, chunks: list[Chunk]) -> None:
        if not chunks:
            return
        seg = Segment.analyse(chunks, self._terms, self._words)
        self._df = _grown(self._df, len(self._terms.strings))
        self._word_count = _grown(self._word_count, len(self._words.strings))
        if self._fuzzy_words is not None and np.any(self._word_count[seg.word_ids] == 0):
            self._fuzzy_words = None  # a word came: the sorted list is made again when next needed
        # Each chunk counts once per distinct term: the CSR column indices are exactly that.
        np.add.at(self._df, seg.terms.indices, 1)
        np.add.at(self._word_count, seg.word_ids, 1)
        self._n += len(seg)
        self._total_length += int(seg.lengths.sum())
        self._languages.update(c.lang for c in chunks)
        self._segments += (seg,)
        self._live += (np.ones(len(seg), dtype=bool),)
        self._live_files += (None,)

    def _compact(self) -> None:
        """Merge segments as Lucene's tiered policy does: the smallest together once there are too many, and any
        segment mostly dead rewritten. Each chunk is so merged about log(N) times in its life, not at every
        update."""
        files = dict(zip(map(id, self._segments), self._live_files))
        segs = list(zip(self._segments, self._live))
        segs = [(s, live) for s, live in segs if live.any()]
        fixed = []
        for s, live in segs:
            dead = 1 - live.sum() / len(s)
            fixed.append(self._merge([(s, live)]) if dead > MAX_DEAD_SHARE else (s, live))
        segs = fixed
        while len(segs) > 1:
            # The newest pair, once the newer is at least half the older (a binary counter of sizes), or the two
            # smallest when there are too many.
            a, b = segs[-2], segs[-1]
            if b[1].sum() * 2 >= a[1].sum():
                segs[-2:] = [self._merge([a, b])]
            elif len(segs) > MAX_SEGMENTS:
                i = min(range(len(segs) - 1), key=lambda j: segs[j][1].sum() + segs[j + 1][1].sum())
                segs[i:i + 2] = [self._merge(segs[i:i + 2])]
            else:
                break
        self._segments = tuple(s for s, _ in segs)
        self._live = tuple(live for _, live in segs)
        self._live_files = tuple(files.get(id(s)) for s in self._segments)  # (a merged segment: all live)

    @staticmethod
    def _merge(parts) -> tuple[Segment, np.ndarray]:
        seg = Segment.merged(parts)
        return seg, np.ones(len(seg), dtype=bool)

    # --- what the retriever reads ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    @property
    def segments(self) -> int:
        """How many segments the index is in (merging keeps it at most ``MAX_SEGMENTS`` + 1)."""
        return len(self._segments)

    @property
    def chunks(self) -> list[Chunk]:
        """Every live chunk, in document order (reads the whole index)."""
        return sorted((seg.chunks[r] for seg, live in zip(self._segments, self._live) for r in np.flatnonzero(live)),
                      key=lambda c: (c.doc_id, c.index))

    @property
    def df(self) -> Mapping[str, int]:
        """Number of live chunks holding each term."""
        return DocumentFrequencies(self._terms, self._df)

    @property
    def languages(self) -> set[str]:
        return {lang for lang in self._languages if lang}

    @property
    def vocabulary(self) -> list[str]:
        """The terms of the live chunks, sorted."""
        return sorted(self.df)

    @property
    def words(self) -> list[str]:
        """Whole folded words of the live chunks (not stems) for fuzzy matching, sorted."""
        if self._fuzzy_words is None:
            self._fuzzy_words = sorted(self._words.strings[i] for i in np.flatnonzero(self._word_count > 0))
        return self._fuzzy_words

    def _has_word(self, word: str) -> bool:
        i = self._words.ids.get(word)
        return i is not None and i < len(self._word_count) and self._word_count[i] > 0

    def _locate(self, chunk_id: str) -> tuple[Segment, int] | None:
        for seg, live in zip(self._segments, self._live):
            row = seg.rows.get(chunk_id)
            if row is not None and live[row]:
                return seg, row
        return None

    def neighbour(self, chunk: Chunk, step: int) -> Chunk | None:
        """The chunk ``step`` places after ``chunk`` in its document (before it when negative), if indexed."""
        key = (chunk.doc_id, chunk.index + step)
        for seg, live in zip(self._segments, self._live):
            row = seg.positions.get(key)
            if row is not None and live[row]:
                return seg.chunks[row]
        return None

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
            if self._has_word(word) or len(word) < 5 or word[0].isdigit() or word in STOPWORDS:
                continue
            for match, score, _ in process.extract(word, self.words, scorer=fuzz.ratio, limit=3,
                                                    score_cutoff=self.fuzzy_cutoff):
                expanded.append(stem(match))
        return expanded

    def _count(self, term: str) -> int:
        i = self._terms.ids.get(term)
        return int(self._df[i]) if i is not None and i < len(self._df) else 0

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term over chunks (unknown terms get the highest)."""
        n = max(1, self._n)
        df = self._count(term)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def coverage(self, query: str, chunk: Chunk) -> float:
        """IDF-weighted share of the question's terms that a chunk contains (0..1)."""
        query_terms = set(terms(query))
        if not query_terms:
            return 0.0
        # Terms were computed once when indexed; a chunk not in the index (e.g. from a newer store) is analysed now.
        found = self._locate(chunk.chunk_id)
        if found is not None:
            seg, row = found
            chunk_terms = {self._terms.strings[i] for i in seg.chunk_terms(row)}
        else:
            chunk_terms = set(terms(chunk.embed_text))
        return weighted_share(query_terms, chunk_terms, self.idf, empty=0.0)

    def _segment_scores(self, query: str) -> list[np.ndarray] | None:
        """BM25 score of every chunk of each segment (dead ones 0); None when no query term is indexed."""
        ids = [self._terms.ids[t] for t in self.expand(query) if self._count(t) > 0]
        if not ids:
            return None
        return segment_scores(self._segments, self._live, ids, self._df, self._n, self._total_length)

    def scores(self, query: str) -> dict[str, float]:
        """BM25 score of every chunk the query matches, by chunk id (reads every match: for tests and tools)."""
        parts = self._segment_scores(query) or []
        return {seg.chunks[r].chunk_id: float(s[r]) for seg, s in zip(self._segments, parts)
                for r in np.flatnonzero(s > 0)}

    def search(self, query: str, k: int, allowed=None) -> list[tuple[Chunk, float]]:
        """The ``k`` best chunks with a positive score, optionally only those ``allowed(chunk)`` accepts; equal
        scores in document order (doc_id, then position), so the order does not depend on how the index grew."""
        parts = self._segment_scores(query)
        if not parts:
            return []
        offsets = np.cumsum([0] + [len(s) for s in parts])
        flat = np.concatenate(parts)
        out = []
        for pos, score in best_first(flat, lambda p: self._at(offsets, p)):
            chunk = self._at(offsets, pos)
            if allowed is None or allowed(chunk):
                out.append((chunk, score))
                if len(out) >= k:
                    break
        return out

    def _at(self, offsets: np.ndarray, pos: int) -> Chunk:
        s = int(np.searchsorted(offsets, pos, side="right")) - 1
        return self._segments[s].chunks[pos - offsets[s]]


def _last_of_each(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """The chunks with one of each id (the last given wins, as a store's upsert does)."""
    by_id = {c.chunk_id: c for c in chunks}
    return iter(by_id.values())


def _grown(counts: np.ndarray, size: int) -> np.ndarray:
    if len(counts) >= size:
        return counts
    return np.concatenate([counts, np.zeros(size - len(counts), dtype=counts.dtype)])
