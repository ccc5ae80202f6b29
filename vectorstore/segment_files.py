"""The keyword index on disk, as Lucene keeps one: a file per segment, written once; a file of live flags per
segment that lost chunks; and a commit file naming them, replaced atomically. Saving after an update writes the
new segment and the changed flags, never the whole index, and a crash at any point leaves the last commit whole.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.types import Chunk
from vectorstore.segments import Segment

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


def _local_ids(ids: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct ids in ``ids``, sorted; each id's position among them, int32): what ``np.unique`` with
    ``return_inverse`` gives, counted over the lexicon instead of sorting a copy of every posting."""
    used = np.flatnonzero(np.bincount(ids, minlength=size)) if len(ids) else np.zeros(0, dtype=np.int64)
    position = np.zeros(max(size, 1), dtype=np.int32)
    position[used] = np.arange(len(used), dtype=np.int32)
    return used, position[ids]


def _chunks_json(chunks: Sequence[Chunk], block: int = 2000) -> list[bytes]:
    """``json.dumps([[chunk_id, metadata], ...], ensure_ascii=False)`` in UTF-8, as consecutive pieces: encoding
    every chunk in one call holds several times the text's size in small string objects at once."""
    pieces = [b"["]
    for lo in range(0, len(chunks), block):
        text = json.dumps([[c.chunk_id, c.metadata()] for c in chunks[lo:lo + block]], ensure_ascii=False)
        pieces += [b", "] if lo else []
        pieces.append(text[1:-1].encode("utf-8"))
    pieces.append(b"]")
    return pieces


def _write_npz(f, arrays: dict[str, np.ndarray], name: str, pieces: list[bytes]) -> None:
    """What ``np.savez(f, **arrays, name=...)`` writes (an uncompressed zip of .npy files), the last array, of
    bytes, written from its ``pieces`` rather than joined into one buffer first."""
    from numpy.lib import format as npy

    with zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for key, array in arrays.items():
            with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                npy.write_array(member, np.asanyarray(array))
        with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
            npy.write_array_header_1_0(member, {"descr": npy.dtype_to_descr(np.dtype(np.uint8)),
                                                "fortran_order": False, "shape": (sum(map(len, pieces)),)})
            for piece in pieces:
                member.write(piece)


def write_segment(folder: Path, segment, term_strings: list[str], word_strings: list[str]) -> str:
    """Save a segment under a new name (two processes may save at once: names never collide) and return it.

    Term and word ids are the index's own numbering: the file keeps the strings, so it reads into any index."""
    terms_used, local_terms = _local_ids(segment.terms.indices, len(term_strings))
    words_used, local_words = _local_ids(segment.word_ids, len(word_strings))
    arrays = {"terms": _strings([term_strings[i] for i in terms_used]),
              "words": _strings([word_strings[i] for i in words_used]), "tf": segment.terms.data,
              "tf_terms": local_terms, "tf_ptr": segment.terms.indptr,
              "word_ptr": segment.word_ptr, "word_ids": local_words}
    pieces = _chunks_json(segment.chunks)
    name = f"seg-{uuid.uuid4().hex[:16]}.npz"
    _write_atomically(folder / name, lambda f: _write_npz(f, arrays, "chunks", pieces))
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


def save_segments(folder: Path, segments: Sequence[Segment], lives: Sequence[np.ndarray],
                  live_files: Sequence[str | None], term_strings: list[str], word_strings: list[str]
                  ) -> tuple[str | None, ...]:
    """Make ``segments`` with their ``lives`` flags the index in ``folder``: writes the segments not saved yet (each
    then named) and the flags whose file (in ``live_files``) is not current, then commits them at once. Returns the
    file of each segment's flags (None: all live)."""
    from filelock import FileLock

    folder.mkdir(parents=True, exist_ok=True)
    files = list(live_files)
    with FileLock(str(folder / "write.lock")):  # one writer at a time: each removes what its commit leaves out
        entries = []
        for s, (seg, live) in enumerate(zip(segments, lives)):
            if seg.name is None or not (folder / seg.name).exists():  # (new, or removed by another process)
                seg.name = write_segment(folder, seg, term_strings, word_strings)
                files[s] = None
            if live.all():
                files[s] = None
            elif files[s] is None or not (folder / files[s]).exists():
                files[s] = write_live(folder, seg.name, live)
            entries.append({"name": seg.name, "live": files[s], "size": len(seg)})
        write_commit(folder, entries)
    return tuple(files)


def load_segments(folder: Path, term_id, word_id
                  ) -> tuple[list[Segment], list[np.ndarray], tuple[str | None, ...]] | None:
    """The segments of the last commit in ``folder`` (strings numbered by ``term_id`` and ``word_id``), their live
    flags and the files of those; None when no index was saved. Raises UnreadableIndex if it cannot be read."""
    entries = read_commit(folder)
    if entries is None:
        return None
    segments, lives = [], []
    try:
        for entry in entries:
            chunks, tf, word_ptr, word_ids = read_segment(folder, entry["name"], term_id, word_id)
            if len(chunks) != entry["size"]:
                raise ValueError(f"{entry['name']} holds {len(chunks)} chunks, the commit says {entry['size']}")
            seg = Segment(chunks, tf, word_ptr, word_ids)
            seg.name = entry["name"]
            segments.append(seg)
            lives.append(read_live(folder, entry["live"], len(seg)))
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise UnreadableIndex(f"the keyword index in {folder} cannot be read ({exc})") from exc
    return segments, lives, tuple(e["live"] for e in entries)
