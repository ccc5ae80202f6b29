"""Ingest files into the store: read, chunk, embed, record. Idempotent and incremental."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.types import Communique
from ingest.chunking import chunk_communique
from ingest.integrity import StorageFull, damaged, storage_problem
from ingest.loaders import Loaded, iter_sources, load_path
from ingest.manifest import Manifest
from ingest.screening import planted_instruction, without_planted
from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)


def index_stamp(data_dir: Path) -> Path:
    """The file every change to the index touches, holding the pid of the process that wrote last."""
    return Path(data_dir) / "index.stamp"


def recorded_sources(data_dir: Path) -> list[Path]:
    """The files and folders given to ingest in ``data_dir`` (``sources.json``), readable even if the index is not."""
    path = Path(data_dir) / "sources.json"
    try:
        return [Path(p) for p in json.loads(path.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        return []
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path} is damaged ({exc}); give the folders to `communiques reindex FOLDER...`.") from exc


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
    pending: list[str] = field(default_factory=list)  # left half-written by a crash and not given again
    planted: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, sentence left out: addressed to an AI)
    chunks_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "pending": self.pending, "planted": [{"doc_id": d, "sentence": t} for d, t in self.planted],
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "chunks_written": self.chunks_written, "seconds": round(self.seconds, 2),
        }


class Ingestor:
    """Adds communiqués to the store and the manifest."""

    def __init__(self, store: ChunkStore, manifest: Manifest, data_dir: Path, chunk_kwargs: dict | None = None,
                 max_bytes: int = 50_000_000, strip_planted: bool = True):
        self.strip_planted = strip_planted
        self.store = store
        self.manifest = manifest
        self.data_dir = Path(data_dir)
        self.chunk_kwargs = chunk_kwargs or {}
        self.max_bytes = max_bytes

    @property
    def stamp_path(self) -> Path:
        """Touched after every change, so that readers know to refresh their keyword index."""
        return index_stamp(self.data_dir)

    @property
    def sources_path(self) -> Path:
        """The files and folders given to ingest, kept so that `communiques reindex` can rebuild from them."""
        return self.data_dir / "sources.json"

    def _touch_stamp(self) -> None:
        # Readers compare mtimes: two changes within the file system's clock tick must still differ.
        now = time.time_ns()
        try:
            now = max(now, self.stamp_path.stat().st_mtime_ns + 1)
        except FileNotFoundError:
            pass
        # The writer's pid: a process that reads the store (the web app) knows when another one wrote.
        self.stamp_path.write_text(str(os.getpid()))
        os.utime(self.stamp_path, ns=(now, now))

    def _lock(self) -> FileLock:
        return FileLock(str(self.data_dir / "ingest.lock"))

    def recorded_sources(self) -> list[Path]:
        """Every file or folder ever given to ingest in this data dir (absolute paths)."""
        return recorded_sources(self.data_dir)

    def _record_sources(self, paths: list[Path]) -> None:
        known = [str(p) for p in self.recorded_sources()]
        new = [str(Path(p).resolve()) for p in paths if Path(p).exists()]
        merged = known + [p for p in dict.fromkeys(new) if p not in known]
        if merged != known:
            # Written beside and renamed: a crash leaves the old list or the new one, never half of one.
            tmp = self.sources_path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=0), encoding="utf-8")
            os.replace(tmp, self.sources_path)

    def ingest_paths(self, paths: list[Path], progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        """Ingest every supported file under ``paths``; a bad file is reported and skipped."""
        loaded: list[Loaded] = []
        for path, root in iter_sources([Path(p) for p in paths]):
            try:
                loaded.extend(load_path(path, root, self.max_bytes))
            except Exception as exc:  # a hostile file (or a loader's bug) is reported; the batch goes on
                log.exception("loader failed source=%s", path)
                loaded.append(Loaded(str(path), None, f"{path}: cannot be read ({type(exc).__name__}: "
                                                      f"{str(exc)[:200]}); check the file's content."))
        return self.ingest_loaded(loaded, progress, sources=[Path(p) for p in paths])

    def ingest_documents(self, docs: list[Communique], progress=None) -> IngestReport:
        """Ingest documents already read (e.g. from a pipeline)."""
        return self.ingest_loaded([Loaded(d.source or d.doc_id, d) for d in docs], progress)

    def ingest_loaded(self, loaded: list[Loaded], progress=None, sources: list[Path] | None = None) -> IngestReport:
        """Index documents already read; ``sources`` (the paths given) are recorded for `communiques reindex`."""
        report = IngestReport()
        start = time.perf_counter()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock().acquire(timeout=0):
                unfinished = self.recover()
                if sources:
                    self._record_sources(sources)
                # Documents a crash left hidden come back first, so that they are hidden for as short a time as possible.
                pending = set(unfinished)
                loaded = sorted(loaded, key=lambda item: not (item.doc is not None and item.doc.doc_id in pending))
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
                    if self.strip_planted:
                        doc = self._strip_planted(doc, item.source, report)
                        if doc is None:
                            continue
                    try:
                        self._index(doc, report)
                    except Exception as exc:  # one bad document never stops the batch; a full disk does
                        problem = storage_problem(self.data_dir)
                        if problem:
                            raise StorageFull(
                                f"Ingest stopped at {item.source}: {problem}. What was indexed before is intact; "
                                f"{len(report.added) + len(report.updated)} document(s) were indexed in this run, and "
                                "the one being written stays hidden until it is ingested again.") from exc
                        log.exception("ingest error doc_id=%s", doc.doc_id)
                        report.failed.append((item.source, f"{item.source}: could not be indexed ({exc})."))
                if progress:
                    progress(len(loaded), len(loaded), "")
                report.pending = sorted(set(unfinished) - set(seen))
                for doc_id in report.pending:
                    log.warning("half-written document doc_id=%s hidden from questions; ingest its file again "
                                "or run `communiques reindex`", doc_id)
        except Timeout as exc:
            raise IngestBusy(
                f"Another ingest is running on {self.data_dir} (lock {self.data_dir / 'ingest.lock'}); wait for it to finish."
            ) from exc
        report.seconds = time.perf_counter() - start
        return report

    def _strip_planted(self, doc: Communique, source: str, report: IngestReport) -> Communique | None:
        """``doc`` without its sentences addressed to an AI assistant (None, and a failure, if nothing else is left)."""
        if planted_instruction(doc.title):
            report.failed.append((source, f"{source}: refused, its title speaks to an AI assistant "
                                          f"(\"{planted_instruction(doc.title)[:80]}\"); check where it comes from."))
            return None
        text, removed = without_planted(doc.text, doc.lang or "fr")
        if not removed:
            return doc
        for sentence in removed:
            report.planted.append((doc.doc_id, sentence))
            log.warning("left out a sentence addressed to an AI assistant doc_id=%s sentence=%.80s", doc.doc_id, sentence)
        if not text.strip():
            report.failed.append((source, f"{source}: refused, it holds nothing but text addressed to an AI assistant."))
            return None
        return dataclasses.replace(doc, text=text)

    def _index(self, doc: Communique, report: IngestReport) -> None:
        record = self.manifest.get(doc.doc_id)
        if record and record.hash == doc.hash and record.state == "indexed":
            report.unchanged.append(doc.doc_id)
            return
        chunks = chunk_communique(doc, **self.chunk_kwargs)
        # The row says 'indexing' before the first chunk is written and 'indexed' after the last stale one is
        # gone: in between (or after a crash) the store hides the document from questions.
        self.manifest.begin(doc)
        self._touch_stamp()
        old_ids = set(self.store.chunk_ids(doc.doc_id))
        self.store.upsert(chunks)
        stale = sorted(old_ids - {c.chunk_id for c in chunks})
        self.store.delete(stale)
        self.manifest.commit(doc.doc_id, len(chunks))
        self._touch_stamp()
        report.chunks_written += len(chunks)
        (report.updated if record else report.added).append(doc.doc_id)
        log.info("indexed doc_id=%s chunks=%d replaced=%s", doc.doc_id, len(chunks), bool(record))

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False if it was not indexed."""
        with self._lock().acquire(timeout=10):
            ids = self.store.chunk_ids(doc_id)
            known = self.manifest.get(doc_id) is not None
            self.manifest.mark(doc_id, "deleting")  # hidden first: a crash must not leave half of it visible
            self._touch_stamp()
            self.store.delete(ids)
            self.manifest.remove(doc_id)
            self._touch_stamp()
        return bool(ids) or known

    def recover(self) -> list[str]:
        """Finish what a crashed run left (interrupted deletions); IndexDamaged if the store holds unknown documents.

        Returns the documents still half-written (hidden until their file is ingested again). Call under the lock.
        """
        rows = {r.doc_id: r for r in self.manifest.all()}
        for doc_id, row in rows.items():
            if row.state == "deleting":
                self.store.delete(self.store.chunk_ids(doc_id))
                self.manifest.remove(doc_id)
                log.warning("finished an interrupted deletion doc_id=%s", doc_id)
        stored: dict[str, int] = {}
        orphans = []
        for cid in self.store.chunk_ids():
            doc_id = cid.rsplit("#", 1)[0]
            stored[doc_id] = stored.get(doc_id, 0) + 1
            if doc_id not in rows:
                orphans.append(cid)
        if orphans:
            # Never left by a crash (a document's row is written before its first passage and removed after its
            # last): the manifest was lost or replaced. Deleting them would lose documents; rebuilding keeps them.
            unknown = sorted({cid.rsplit("#", 1)[0] for cid in orphans})
            raise damaged("the manifest does not know documents of the store", self.data_dir,
                          f"{len(unknown)} document(s), e.g. {unknown[0]}")
        # Passages lost from the store (a replaced or damaged store): the document is written again when given.
        lost = [d for d, r in rows.items() if r.state == "indexed" and stored.get(d, 0) != r.n_chunks]
        for doc_id in lost:
            self.manifest.mark(doc_id, "indexing")
        if lost:
            log.warning("passages missing from the store documents=%d first=%s; each is indexed again when its file "
                        "is given (`communiques reindex` gives them all)", len(lost), lost[0])
        if lost or any(r.state == "deleting" for r in rows.values()):
            self._touch_stamp()
        return [d for d, r in rows.items() if r.state == "indexing"] + lost
