"""Whether an index can be trusted: damage is detected at start and named with the command that repairs it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

_SQLITE_DAMAGE = ("file is not a database", "malformed", "corrupt", "disk image", "unsupported file format")


class IndexDamaged(RuntimeError):
    """The index cannot be read or disagrees with itself; the message says how to rebuild it."""


def rebuild_hint(data_dir: Path) -> str:
    return (f"Rebuild it from the original files: communiques reindex --data-dir {data_dir} "
            "(the damaged files are kept aside).")


def is_damage(exc: BaseException) -> bool:
    """Whether an error from SQLite or Chroma says that a file is damaged (not busy, full or read-only)."""
    text = str(exc).lower()
    return any(s in text for s in _SQLITE_DAMAGE)


def damaged(what: str, data_dir: Path, exc: BaseException | str) -> IndexDamaged:
    """The error to raise for a damaged part of the index."""
    return IndexDamaged(f"The index in {data_dir} is damaged: {what} ({exc}). {rebuild_hint(data_dir)}")


def check_counts(indexed_chunks: int, stored_chunks: int, data_dir: Path) -> None:
    """Fail when the store holds fewer passages than the manifest says are indexed (a lost or replaced store)."""
    if stored_chunks < indexed_chunks:
        raise damaged("the vector store lost passages",
                      data_dir, f"the manifest lists {indexed_chunks} passages, the store holds {stored_chunks}")


class IndexMismatch(RuntimeError):
    """The index was built by another embedder (model or backend) than the one configured: its vectors differ."""


# An index written before the backend was recorded was made by PyTorch.
_LEGACY_BACKEND = "torch"


def check_embedder(recorded: dict | None, current: dict, data_dir: Path) -> None:
    """Fail when the vectors in ``data_dir`` were made by another model or backend than ``current``.

    ``recorded`` is what the manifest says made them (None: an index older than the record, made by PyTorch).
    """
    recorded = dict(recorded or {})
    recorded.setdefault("backend", _LEGACY_BACKEND)
    for key in ("model", "backend"):
        if key in recorded and recorded[key] != current.get(key):
            raise IndexMismatch(
                f"The index in {data_dir} was built with embedder {key} {recorded[key]!r}, but {current.get(key)!r} "
                f"is configured: its vectors would not match the questions' vectors. Either set "
                f"COMMUNIQUES_MODELS__EMBEDDER_BACKEND={recorded['backend']}"
                + (" (and the model it was built with)" if key == "model" else "")
                + f", or rebuild the index with the configured embedder: communiques reindex --data-dir {data_dir}")


class StorageFull(OSError):
    """The data dir cannot be written (no space left, or read-only); what was indexed before is intact."""


def storage_problem(path: Path, min_free: int = 2_000_000) -> str | None:
    """Why ``path`` cannot take writes (read-only, or almost no space left), or None when it can."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY or not os.access(path, os.W_OK):
            return f"{path} is read-only; make it writable, or point COMMUNIQUES_DATA_DIR to a writable folder"
        free = shutil.disk_usage(path).free
    except OSError:
        return None
    if free < min_free:
        return (f"the disk holding {path} is full ({free // 1024} kB free); free some space and run the command "
                "again")
    return None
