"""The files ingest keeps in the data dir beside the store and the manifest: the index stamp and the sources."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


def index_stamp(data_dir: Path) -> Path:
    """The file every change to the index touches, holding the pid of the process that wrote last."""
    return Path(data_dir) / "index.stamp"


def touch_stamp(data_dir: Path) -> None:
    """Mark the index as changed by this process, so that readers know to refresh their keyword index."""
    stamp = index_stamp(data_dir)
    # Readers compare mtimes: two changes within the file system's clock tick must still differ.
    now = time.time_ns()
    try:
        now = max(now, stamp.stat().st_mtime_ns + 1)
    except FileNotFoundError:
        pass
    # The writer's pid: a process that reads the store (the web app) knows when another one wrote.
    stamp.write_text(str(os.getpid()))
    os.utime(stamp, ns=(now, now))


def sources_file(data_dir: Path) -> Path:
    """The files and folders given to ingest, kept so that `communiques reindex` can rebuild from them."""
    return Path(data_dir) / "sources.json"


def recorded_sources(data_dir: Path) -> list[Path]:
    """The files and folders given to ingest in ``data_dir`` (``sources.json``), readable even if the index is not."""
    path = sources_file(data_dir)
    try:
        return [Path(p) for p in json.loads(path.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        return []
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path} is damaged ({exc}); give the folders to `communiques reindex FOLDER...`.") from exc


def record_sources(data_dir: Path, paths: list[Path]) -> None:
    """Add the existing ``paths`` (absolute) to the recorded sources, keeping the order they were first given in."""
    known = [str(p) for p in recorded_sources(data_dir)]
    new = [str(Path(p).resolve()) for p in paths if Path(p).exists()]
    merged = known + [p for p in dict.fromkeys(new) if p not in known]
    if merged != known:
        # Written beside and renamed: a crash leaves the old list or the new one, never half of one.
        path = sources_file(data_dir)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=0), encoding="utf-8")
        os.replace(tmp, path)
