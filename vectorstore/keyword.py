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
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np

from core.types import Chunk
from textkit.terms import STOPWORDS, stem, terms, terms_of_words, words

log = logging.getLogger(__name__)

# BM25 as bm25s computes it (its defaults: Lucene's idf, k1 1.5, b 0.75), which the index used to delegate to.
K1 = 1.5
B = 0.75
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


def _fuzzy_word(word: str) -> bool:
    """Whole folded words worth comparing for misspellings (stems are too short, numbers and stopwords useless)."""
    return len(word) >= 4 and not word[0].isdigit() and word not in STOPWORDS


class _Lexicon:
    """Strings numbered in the order first seen. Only ever appended to, so index versions can share one."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.strings: list[str] = []

    def id(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.strings)
            self.strings.append(text)
        return found


class _Segment:
    """The analysed chunks of one update (or of a merge): their terms and fuzzy-matching words. Never changed
    once built; which of its chunks are still live is the index's business."""

    def __init__(self, chunks: list[Chunk], tf, word_ptr: np.ndarray, word_ids: np.ndarray):
        self.chunks = chunks
        self.rows = {c.chunk_id: i for i, c in enumerate(chunks)}
        self.positions = {(c.doc_id, c.index): i for i, c in enumerate(chunks)}
        self.documents: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            self.documents.setdefault(c.doc_id, []).append(i)
        self.terms = tf  # CSR, chunk x term id -> frequency: a chunk's terms (its removal, its coverage)
        self.lengths = np.asarray(tf.sum(axis=1)).ravel().astype(np.int64)  # terms in each chunk, repeats counted
        self.postings = tf.tocsc()  # the same by term: the chunks a query term is in
        self.postings.sort_indices()
        self.word_ptr = word_ptr
        self.word_ids = word_ids
        self.name: str | None = None  # its file, once saved

    @classmethod
    def analyse(cls, chunks: list[Chunk], term_lex: _Lexicon, word_lex: _Lexicon) -> "_Segment":
        """A segment of new chunks: each text analysed once (the costly part), into terms and folded words."""
        import scipy.sparse as sp

        # Typed arrays, not lists: a million chunks make some 60 million numbers, 36 bytes each as Python ints.
        term_ptr = array("q", [0])
        term_cols = array("i")
        word_ptr = array("q", [0])
        word_ids = array("i")
        for chunk in chunks:
            folded = words(chunk.embed_text)
            # A chunk with no term still counts, as one term, in the number and mean length of chunks (as bm25s).
            term_cols.extend([term_lex.id(t) for t in (terms_of_words(folded) or ["_"])])
            term_ptr.append(len(term_cols))
            word_ids.extend([word_lex.id(w) for w in dict.fromkeys(folded) if _fuzzy_word(w)])
            word_ptr.append(len(word_ids))
        cols = np.frombuffer(term_cols, dtype=np.int32) if term_cols else np.zeros(0, dtype=np.int32)
        tf = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, np.frombuffer(term_ptr, dtype=np.int64)),
                           shape=(len(chunks), int(cols.max(initial=-1)) + 1))
        tf.sum_duplicates()  # a term repeated in a chunk becomes one entry holding its frequency
        words_of = np.frombuffer(word_ids, dtype=np.int32) if word_ids else np.zeros(0, dtype=np.int32)
        return cls(chunks, tf, np.frombuffer(word_ptr, dtype=np.int64).copy(), words_of.copy())

    @classmethod
    def merged(cls, parts: list[tuple["_Segment", np.ndarray]]) -> "_Segment":
        """One segment of the live chunks of several (their analysis reused, dead chunks dropped)."""
        import scipy.sparse as sp

        width = max(seg.terms.shape[1] for seg, _ in parts)
        chunks: list[Chunk] = []
        blocks = []
        word_ptr = [np.zeros(1, dtype=np.int64)]
        word_ids = []
        for seg, live in parts:
            rows = np.flatnonzero(live)
            chunks.extend(seg.chunks[r] for r in rows)
            block = seg.terms[rows]
            blocks.append(sp.csr_matrix((block.data, block.indices, block.indptr), shape=(len(rows), width)))
            starts, ends = seg.word_ptr[rows], seg.word_ptr[rows + 1]
            word_ids.extend(seg.word_ids[a:b] for a, b in zip(starts, ends))
            word_ptr.append(word_ptr[-1][-1] + np.cumsum(ends - starts))
        tf = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, width), dtype=np.float32)
        ids = np.concatenate(word_ids) if word_ids else np.zeros(0, dtype=np.int32)
        return cls(chunks, tf, np.concatenate(word_ptr), ids.astype(np.int32))

    def __len__(self) -> int:
        return len(self.chunks)

    def chunk_terms(self, row: int) -> np.ndarray:
        """Term ids of one chunk (each once)."""
        return self.terms.indices[self.terms.indptr[row]:self.terms.indptr[row + 1]]

    def chunk_frequencies(self, row: int) -> np.ndarray:
        return self.terms.data[self.terms.indptr[row]:self.terms.indptr[row + 1]]

    def chunk_words(self, row: int) -> np.ndarray:
        return self.word_ids[self.word_ptr[row]:self.word_ptr[row + 1]]


class DocumentFrequencies(Mapping):
    """How many live chunks hold each term (terms held by none are absent), read-only."""

    def __init__(self, lexicon: _Lexicon, counts: np.ndarray):
        self._lexicon = lexicon
        self._counts = counts

    def __getitem__(self, term: str) -> int:
        i = self._lexicon.ids.get(term)
        if i is None or i >= len(self._counts) or self._counts[i] <= 0:
            raise KeyError(term)
        return int(self._counts[i])

    def __iter__(self) -> Iterator[str]:
        return (self._lexicon.strings[i] for i in np.flatnonzero(self._counts > 0))

    def __len__(self) -> int:
        return int(np.count_nonzero(self._counts > 0))


class KeywordIndex:
    """BM25 over chunk texts with their title context, queried many times and updated in place of a rebuild.

    An index is never changed: :meth:`updated` returns a new one that shares the unchanged segments, so a search
    running meanwhile sees one whole version.
    """

    def __init__(self, chunks: Iterable[Chunk] = (), aliases: list[set[str]] | None = None,
                 fuzzy_cutoff: float = 75.0):
        self.aliases = aliases or []
        self.fuzzy_cutoff = fuzzy_cutoff
        self._terms = _Lexicon()
        self._words = _Lexicon()
        self._segments: tuple[_Segment, ...] = ()
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
        from filelock import FileLock

        from vectorstore import segment_files

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        files = list(self._live_files)
        with FileLock(str(folder / "write.lock")):  # one writer at a time: each removes what its commit leaves out
            entries = []
            for s, (seg, live) in enumerate(zip(self._segments, self._live)):
                if seg.name is None or not (folder / seg.name).exists():  # (new, or removed by another process)
                    seg.name = segment_files.write_segment(folder, seg, self._terms.strings, self._words.strings)
                    files[s] = None
                if live.all():
                    files[s] = None
                elif files[s] is None or not (folder / files[s]).exists():
                    files[s] = segment_files.write_live(folder, seg.name, live)
                entries.append({"name": seg.name, "live": files[s], "size": len(seg)})
            segment_files.write_commit(folder, entries)
        self._live_files = tuple(files)

    @classmethod
    def load(cls, folder: Path, aliases: list[set[str]] | None = None, fuzzy_cutoff: float = 75.0
             ) -> "KeywordIndex | None":
        """The index last saved in ``folder``; None if none was. Raises UnreadableIndex if it cannot be read."""
        import zipfile

        from vectorstore import segment_files

        folder = Path(folder)
        entries = segment_files.read_commit(folder)
        if entries is None:
            return None
        index = cls((), aliases=aliases, fuzzy_cutoff=fuzzy_cutoff)
        segments, lives = [], []
        try:
            for entry in entries:
                chunks, tf, word_ptr, word_ids = segment_files.read_segment(folder, entry["name"], index._terms.id,
                                                                           index._words.id)
                if len(chunks) != entry["size"]:
                    raise ValueError(f"{entry['name']} holds {len(chunks)} chunks, the commit says {entry['size']}")
                seg = _Segment(chunks, tf, word_ptr, word_ids)
                seg.name = entry["name"]
                segments.append(seg)
                lives.append(segment_files.read_live(folder, entry["live"], len(seg)))
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            raise segment_files.UnreadableIndex(f"the keyword index in {folder} cannot be read ({exc})") from exc
        index._segments, index._live = tuple(segments), tuple(lives)
        index._live_files = tuple(e["live"] for e in entries)
        # The running totals, counted again over the live chunks (vectorised: no text is analysed).
        index._df = np.zeros(len(index._terms.strings), dtype=np.int64)
        index._word_count = np.zeros(len(index._words.strings), dtype=np.int64)
        for seg, live in zip(segments, lives):
            owner = np.repeat(np.arange(len(seg)), np.diff(seg.terms.indptr))
            index._df += np.bincount(seg.terms.indices[live[owner]], minlength=len(index._df))
            owner = np.repeat(np.arange(len(seg)), np.diff(seg.word_ptr))
            index._word_count += np.bincount(seg.word_ids[live[owner]], minlength=len(index._word_count))
            index._n += int(live.sum())
            index._total_length += int(seg.lengths[live].sum())
            index._languages.update(c.lang for c, alive in zip(seg.chunks, live) if alive)
        index._fuzzy_words = None
        return index

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
        seg = _Segment.analyse(chunks, self._terms, self._words)
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
    def _merge(parts) -> tuple[_Segment, np.ndarray]:
        seg = _Segment.merged(parts)
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

    def _locate(self, chunk_id: str) -> tuple[_Segment, int] | None:
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
        total = sum(self.idf(t) for t in query_terms)
        return sum(self.idf(t) for t in query_terms & chunk_terms) / total if total else 0.0

    def _segment_scores(self, query: str) -> list[np.ndarray] | None:
        """BM25 score of every chunk of each segment (dead ones 0); None when no query term is indexed.

        A term the query names twice (an alias and the name itself) counts twice, as it did with bm25s."""
        ids = [self._terms.ids[t] for t in self.expand(query) if self._count(t) > 0]
        if not ids:
            return None
        # The arithmetic of bm25s step by step, float32 where it rounds to float32 (the idf, each term's part, the
        # sum), so that the scores are those the index gave before, bit for bit.
        avgdl = self._total_length / self._n
        idf = {i: np.float64(np.float32(math.log(1 + (self._n - int(self._df[i]) + 0.5) / (int(self._df[i]) + 0.5))))
               for i in set(ids)}
        out = []
        for seg, live in zip(self._segments, self._live):
            scores = np.zeros(len(seg), dtype=np.float32)
            post = seg.postings
            for i in ids:
                if i >= post.shape[1]:
                    continue
                a, b = post.indptr[i], post.indptr[i + 1]
                if a == b:
                    continue
                rows, tf = post.indices[a:b], post.data[a:b]
                part = idf[i] * (tf / (K1 * ((1 - B) + B * seg.lengths[rows] / avgdl) + tf))
                scores[rows] += part.astype(np.float32)
            scores[~live] = 0.0
            out.append(scores)
        return out

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
        for pos, score in _best_first(flat, lambda p: self._at(offsets, p)):
            chunk = self._at(offsets, pos)
            if allowed is None or allowed(chunk):
                out.append((chunk, score))
                if len(out) >= k:
                    break
        return out

    def _at(self, offsets: np.ndarray, pos: int) -> Chunk:
        s = int(np.searchsorted(offsets, pos, side="right")) - 1
        return self._segments[s].chunks[pos - offsets[s]]


def _best_first(scores: np.ndarray, chunk_at) -> Iterator[tuple[int, float]]:
    """Positions of the positive ``scores``, best first, ties in document order: by blocks found by partition,
    so that taking the first few costs little even when most chunks match."""
    pos = np.flatnonzero(scores > 0)
    vals = scores[pos]
    size = 64
    while pos.size:
        if pos.size > size:
            cut = np.partition(vals, -size)[-size]
            take = vals >= cut  # every chunk tied with the last of the block comes in the block
        else:
            take = np.ones(pos.size, dtype=bool)
        block = sorted(zip(pos[take].tolist(), vals[take].tolist()),
                       key=lambda pv: (-pv[1], chunk_at(pv[0]).doc_id, chunk_at(pv[0]).index))
        yield from block
        pos, vals = pos[~take], vals[~take]
        size *= 4


def _last_of_each(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """The chunks with one of each id (the last given wins, as a store's upsert does)."""
    by_id = {c.chunk_id: c for c in chunks}
    return iter(by_id.values())


def _grown(counts: np.ndarray, size: int) -> np.ndarray:
    if len(counts) >= size:
        return counts
    return np.concatenate([counts, np.zeros(size - len(counts), dtype=counts.dtype)])
