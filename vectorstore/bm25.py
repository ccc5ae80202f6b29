"""BM25 scores of the keyword index's segments, as bm25s computes them, and the matches best first."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np

from vectorstore.segments import Segment

# BM25 as bm25s computes it (its defaults: Lucene's idf, k1 1.5, b 0.75), which the index used to delegate to.
K1 = 1.5
B = 0.75


def segment_scores(segments: Sequence[Segment], lives: Sequence[np.ndarray], ids: list[int], df: np.ndarray,
                   n: int, total_length: int) -> list[np.ndarray]:
    """BM25 score of every chunk of each segment for the query's term ``ids`` (dead chunks 0), given how many live
    chunks hold each term (``df``), their number and their total length in terms.

    A term the query names twice (an alias and the name itself) counts twice, as it did with bm25s."""
    # The arithmetic of bm25s step by step, float32 where it rounds to float32 (the idf, each term's part, the
    # sum), so that the scores are those the index gave before, bit for bit.
    avgdl = total_length / n
    idf = {i: np.float64(np.float32(math.log(1 + (n - int(df[i]) + 0.5) / (int(df[i]) + 0.5))))
           for i in set(ids)}
    out = []
    for seg, live in zip(segments, lives):
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


def best_first(scores: np.ndarray, chunk_at) -> Iterator[tuple[int, float]]:
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

