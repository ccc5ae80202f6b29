"""The in-memory parts of the keyword index: the lexicons that number its strings, the segments of analysed chunks,
and the read-only view of its document frequencies. (On disk, the same segments: ``segment_files``.)"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping

import numpy as np

from core.types import Chunk
from textkit.terms import STOPWORDS, terms_of_words, words


def fuzzy_word(word: str) -> bool:
    """Whole folded words worth comparing for misspellings (stems are too short, numbers and stopwords useless)."""
    return len(word) >= 4 and not word[0].isdigit() and word not in STOPWORDS


class Lexicon:
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


class Segment:
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
    def analyse(cls, chunks: list[Chunk], term_lex: Lexicon, word_lex: Lexicon) -> "Segment":
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
            word_ids.extend([word_lex.id(w) for w in dict.fromkeys(folded) if fuzzy_word(w)])
            word_ptr.append(len(word_ids))
        cols = np.frombuffer(term_cols, dtype=np.int32) if term_cols else np.zeros(0, dtype=np.int32)
        tf = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, np.frombuffer(term_ptr, dtype=np.int64)),
                           shape=(len(chunks), int(cols.max(initial=-1)) + 1))
        tf.sum_duplicates()  # a term repeated in a chunk becomes one entry holding its frequency
        words_of = np.frombuffer(word_ids, dtype=np.int32) if word_ids else np.zeros(0, dtype=np.int32)
        return cls(chunks, tf, np.frombuffer(word_ptr, dtype=np.int64).copy(), words_of.copy())

    @classmethod
    def merged(cls, parts: list[tuple["Segment", np.ndarray]]) -> "Segment":
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

    def __init__(self, lexicon: Lexicon, counts: np.ndarray):
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

