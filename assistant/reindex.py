"""Rebuild the index and the manifest from the original files, beside the old ones, then swap them in."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.settings import Settings
from ingest.datadir import index_stamp, recorded_sources
from ingest.pipeline import IngestBusy
from ingest.report import IngestReport
from vectorstore.sentence_store import FILES as SENTENCE_FILES

log = logging.getLogger(__name__)

_INDEX_FILES = ("chroma", "manifest.sqlite", "manifest.sqlite-wal", "manifest.sqlite-shm", "sources.json", "keyword",
                *SENTENCE_FILES)


@dataclass
class ReindexReport:
    """What a rebuild read, wrote and could not find."""

    ingest: IngestReport
    sources: list[str]
    missing_sources: list[str] = field(default_factory=list)  # recorded files or folders that no longer exist
    lost: list[str] = field(default_factory=list)  # documents of the old manifest that were not rebuilt
    kept_aside: str = ""


def _old_documents(data_dir: Path) -> list[str] | None:
    """Document ids of the old manifest, or None when it cannot be read."""
    path = data_dir / "manifest.sqlite"
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return [r[0] for r in db.execute("SELECT doc_id FROM documents")]
    except sqlite3.Error:
        return None


def reindex(settings: Settings, paths: list[Path] | None = None) -> ReindexReport:
    """Rebuild from ``paths`` (default: every file and folder ever ingested here); the old index is kept aside."""
    from assistant.container import Container

    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    sources = [Path(p).resolve() for p in paths] if paths else recorded_sources(data_dir)
    if not sources:
        raise ValueError(f"No ingested files are recorded in {data_dir / 'sources.json'}; give the folders or files "
                         "to rebuild from: communiques reindex FOLDER...")
    present = [p for p in sources if p.exists()]
    missing = [str(p) for p in sources if not p.exists()]
    if not present:
        raise ValueError(f"None of the recorded sources exists any more ({', '.join(missing)}); give the folders "
                         "to rebuild from: communiques reindex FOLDER...")
    try:
        lock = FileLock(str(data_dir / "ingest.lock")).acquire(timeout=0)
    except Timeout as exc:
        raise IngestBusy(f"An ingest is running on {data_dir}; wait for it to finish, then reindex.") from exc
    with lock:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        work = data_dir / f".reindex-{stamp}"
        shutil.rmtree(work, ignore_errors=True)
        update: dict = {"data_dir": work}
        collection = settings.chroma.collection
        if settings.chroma.host:  # a server: build a second collection, then let it take the old one's name
            update["chroma"] = settings.chroma.model_copy(update={"collection": f"{collection}-reindex-{stamp}"})
        built = Container(settings.model_copy(update=update))
        # One batch per recorded source, as they were ingested: a file given alone after its folder keeps its id.
        report = IngestReport()
        for source in present:
            part = built.ingestor.ingest_paths([source])
            for name in ("added", "updated", "unchanged", "failed", "planted"):
                getattr(report, name).extend(getattr(part, name))
            report.chunks_written += part.chunks_written
        old_docs = _old_documents(data_dir)
        aside = data_dir / f"damaged-{stamp}"
        aside.mkdir()
        for name in _INDEX_FILES:
            if (data_dir / name).exists():
                os.replace(data_dir / name, aside / name)
        for name in _INDEX_FILES:
            if (work / name).exists():
                os.replace(work / name, data_dir / name)
        if settings.chroma.host:
            client = built.store.client
            try:
                client.delete_collection(collection)
            except Exception:  # absent: nothing to replace
                pass
            client.get_collection(f"{collection}-reindex-{stamp}").modify(name=collection)
        index_stamp(data_dir).write_text(str(os.getpid()))  # a running app opens the new store
        shutil.rmtree(work, ignore_errors=True)
    rebuilt = set(report.added) | set(report.updated) | set(report.unchanged)
    lost = sorted(set(old_docs or []) - rebuilt)
    if lost:
        log.warning("documents not rebuilt count=%d first=%s", len(lost), lost[0])
    return ReindexReport(ingest=report, sources=[str(p) for p in present], missing_sources=missing, lost=lost,
                         kept_aside=str(aside))
