"""The keyword index on disk, as Lucene keeps one: a file per segment, written once; a file of live flags per
segment that lost chunks; and a commit file naming them, replaced atomically. Saving after an update writes the
new segment and the changed flags, never the whole index, and a crash at any point leaves the last commit whole.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path

import numpy as np

from core.types import Chunk

log = logging.getLogger(__name__)

COMMIT = "segments.json"
FORMAT = 1


class UnreadableIndex(RuntimeError):
    """The keyword index on disk cannot be read (damaged, or written by another version)."""


def _write_atomically(path: Path, write) -> None:
    """``write(file)`` beside, flushed to disk, then renamed: a reader sees the old file or the new one, never half
    of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _strings(items: list[str]) -> np.ndarray:
    return np.frombuffer("\x00".join(items).encode("utf-8"), dtype=np.uint8)


def _unstrings(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\x00") if text else []


def write_segment(folder: Path, segment, term_strings: list[str], word_strings: list[str]) -> str:
    """Save a segment under a new name (two processes may save at once: names never collide) and return it.

    Term and word ids are the index's own numbering: the file keeps the strings, so it reads into any index."""
    terms_used, local_terms = np.unique(segment.terms.indices, return_inverse=True)
    words_used, local_words = np.unique(segment.word_ids, return_inverse=True)
    chunks = json.dumps([[c.chunk_id, c.metadata()] for c in segment.chunks], ensure_ascii=False)
    arrays = {"terms": _strings([term_strings[i] for i in terms_used]),
              "words": _strings([word_strings[i] for i in words_used]), "tf": segment.terms.data,
              "tf_terms": local_terms.astype(np.int32), "tf_ptr": segment.terms.indptr,
              "word_ptr": segment.word_ptr, "word_ids": local_words.astype(np.int32),
              "chunks": np.frombuffer(chunks.encode("utf-8"), dtype=np.uint8)}
    name = f"seg-{uuid.uuid4().hex[:16]}.npz"
    _write_atomically(folder / name, lambda f: np.savez(f, **arrays))
    return name


def read_segment(folder: Path, name: str, term_id, word_id):
    """The parts of a saved segment, its strings numbered by ``term_id`` and ``word_id`` (an index's lexicons)."""
    import scipy.sparse as sp

    with np.load(folder / name) as f:
        terms = np.asarray([term_id(t) for t in _unstrings(f["terms"])], dtype=np.int32)
        words = np.asarray([word_id(w) for w in _unstrings(f["words"])], dtype=np.int32)
        chunks = [Chunk.from_metadata(cid, meta) for cid, meta in json.loads(f["chunks"].tobytes().decode("utf-8"))]
        indices = terms[f["tf_terms"]] if len(terms) else f["tf_terms"]
        tf = sp.csr_matrix((f["tf"], indices, f["tf_ptr"]),
                           shape=(len(chunks), int(terms.max(initial=-1)) + 1))
        tf.sort_indices()
        word_ids = words[f["word_ids"]] if len(words) else f["word_ids"]
        return chunks, tf, f["word_ptr"], word_ids


def write_live(folder: Path, segment_name: str, live: np.ndarray) -> str:
    """Save which chunks of a segment are live, under a new name."""
    name = f"{segment_name.removesuffix('.npz')}.live-{uuid.uuid4().hex[:8]}.npy"
    _write_atomically(folder / name, lambda f: np.save(f, np.packbits(live)))
    return name


def read_live(folder: Path, name: str | None, size: int) -> np.ndarray:
    if name is None:
        return np.ones(size, dtype=bool)
    return np.unpackbits(np.load(folder / name)).astype(bool)[:size]


def write_commit(folder: Path, entries: list[dict]) -> None:
    """Make the saved segments (``name``, ``live``, ``size`` each) the index, at once; then remove the files no
    commit names (left by merges, or by a save that crashed before its commit)."""
    commit = json.dumps({"format": FORMAT, "segments": entries}).encode("utf-8")
    _write_atomically(folder / COMMIT, lambda f: f.write(commit))
    keep = {COMMIT} | {e["name"] for e in entries} | {e["live"] for e in entries if e["live"]}
    for path in folder.iterdir():
        if path.name not in keep and (path.suffix in (".npz", ".npy") or path.name.endswith(".tmp")):
            try:
                path.unlink()
            except FileNotFoundError:  # (another process removed it first)
                pass


def read_commit(folder: Path) -> list[dict] | None:
    """The segments of the last commit; None when there is none (no index saved yet)."""
    path = folder / COMMIT
    if not path.exists():
        return None
    try:
        commit = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnreadableIndex(f"{path} cannot be read ({exc})") from exc
    if not isinstance(commit, dict) or commit.get("format") != FORMAT:
        raise UnreadableIndex(f"{path} is in another format ({commit.get('format') if isinstance(commit, dict) else '?'}"
                              f", this version reads {FORMAT})")
    return commit["segments"]
