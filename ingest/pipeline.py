"""Ingest files into the store: read, chunk, embed, record. Idempotent and incremental."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.types import Communique
from ingest.chunking import chunk_communique
from ingest.loaders import Loaded, iter_sources, load_path
from ingest.manifest import Manifest
from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)


class IngestBusy(RuntimeError):
    """Another ingest holds the lock on the data dir."""


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    removed: list[str] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "chunks_written": self.chunks_written, "seconds": round(self.seconds, 2),
        }


class Ingestor:
    """Adds communiqués to the store and the manifest."""

    def __init__(self, store: ChunkStore, manifest: Manifest, data_dir: Path, chunk_kwargs: dict | None = None,
                 max_bytes: int = 50_000_000):
        self.store = store
        self.manifest = manifest
        self.data_dir = Path(data_dir)
        self.chunk_kwargs = chunk_kwargs or {}
        self.max_bytes = max_bytes

    @property
    def stamp_path(self) -> Path:
        """Touched after every change, so that readers know to refresh their keyword index."""
        return self.data_dir / "index.stamp"

    def _lock(self) -> FileLock:
        return FileLock(str(self.data_dir / "ingest.lock"))

    def ingest_paths(self, paths: list[Path], progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        """Ingest every supported file under ``paths``; a bad file is reported and skipped."""
        loaded: list[Loaded] = []
        for path, root in iter_sources([Path(p) for p in paths]):
            loaded.extend(load_path(path, root, self.max_bytes))
        return self.ingest_loaded(loaded, progress)

    def ingest_documents(self, docs: list[Communique], progress=None) -> IngestReport:
        """Ingest documents already read (e.g. from a pipeline)."""
        return self.ingest_loaded([Loaded(d.source or d.doc_id, d) for d in docs], progress)

    def ingest_loaded(self, loaded: list[Loaded], progress=None) -> IngestReport:
        report = IngestReport()
        start = time.perf_counter()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock().acquire(timeout=0):
                seen: dict[str, str] = {}
                for i, item in enumerate(loaded):
                    if progress:
                        progress(i, len(loaded), item.source)
                    if item.doc is None:
                        report.failed.append((item.source, item.error))
                        log.warning("ingest failed source=%s reason=%s", item.source, item.error)
                        continue
                    doc = item.doc
                    if doc.doc_id in seen:
                        reason = f"{item.source}: document id '{doc.doc_id}' already given by {seen[doc.doc_id]}; ids must be unique."
                        report.failed.append((item.source, reason))
                        continue
                    seen[doc.doc_id] = item.source
                    try:
                        self._index(doc, report)
                    except Exception as exc:  # one bad document never stops the batch
                        log.exception("ingest error doc_id=%s", doc.doc_id)
                        report.failed.append((item.source, f"{item.source}: could not be indexed ({exc})."))
                if progress:
                    progress(len(loaded), len(loaded), "")
                if report.added or report.updated:
                    self.stamp_path.touch()
        except Timeout as exc:
            raise IngestBusy(
                f"Another ingest is running on {self.data_dir} (lock {self.data_dir / 'ingest.lock'}); wait for it to finish."
            ) from exc
        report.seconds = time.perf_counter() - start
        return report

    def _index(self, doc: Communique, report: IngestReport) -> None:
        record = self.manifest.get(doc.doc_id)
        if record and record.hash == doc.hash and record.state == "indexed":
            report.unchanged.append(doc.doc_id)
            return
        chunks = chunk_communique(doc, **self.chunk_kwargs)
        self.manifest.begin(doc)
        old_ids = set(self.store.chunk_ids(doc.doc_id))
        self.store.upsert(chunks)
        stale = sorted(old_ids - {c.chunk_id for c in chunks})
        self.store.delete(stale)
        self.manifest.commit(doc.doc_id, len(chunks))
        report.chunks_written += len(chunks)
        (report.updated if record else report.added).append(doc.doc_id)
        log.info("indexed doc_id=%s chunks=%d replaced=%s", doc.doc_id, len(chunks), bool(record))

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False if it was not indexed."""
        with self._lock().acquire(timeout=10):
            ids = self.store.chunk_ids(doc_id)
            known = self.manifest.get(doc_id) is not None
            self.store.delete(ids)
            self.manifest.remove(doc_id)
            self.stamp_path.touch()
        return bool(ids) or known
