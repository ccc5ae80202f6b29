"""Ingest files into the store: read, chunk, embed, record. Idempotent and incremental."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.types import Communique
from ingest.chunking import chunk_communique
from ingest.dedupe import Prints, find_duplicate, prints_of, same_text
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
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (source, doc_id, id of the original)
    chunks_written: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0  # time spent writing chunks (embedding them, mostly)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "duplicates": [{"source": s, "doc_id": d, "duplicate_of": o} for s, d, o in self.duplicates],
            "chunks_written": self.chunks_written, "seconds": round(self.seconds, 2),
            "embed_seconds": round(self.embed_seconds, 2),
        }


# progress(files done, files in all, source being read, report so far)
Progress = Callable[[int, int, str, "IngestReport"], None]


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

    def ingest_paths(self, paths: list[Path], progress: Progress | None = None, prune: bool = False) -> IngestReport:
        """Ingest every supported file under ``paths``; a bad file is reported and skipped.

        With ``prune``, documents that came from under ``paths`` and are no longer there are removed.
        """
        paths = [Path(p) for p in paths]
        sources = list(iter_sources(paths))
        batches = ((str(path), lambda path=path, root=root: list(load_path(path, root, self.max_bytes)))
                   for path, root in sources)
        return self._run(batches, len(sources), progress, paths if prune else None)

    def ingest_documents(self, docs: list[Communique], progress: Progress | None = None) -> IngestReport:
        """Ingest documents already read (e.g. from a pipeline)."""
        return self.ingest_loaded([Loaded(d.source or d.doc_id, d) for d in docs], progress)

    def ingest_loaded(self, loaded: list[Loaded], progress: Progress | None = None) -> IngestReport:
        """Ingest results of the loaders (documents, or the errors that stopped them)."""
        return self._run(((item.source, lambda item=item: [item]) for item in loaded), len(loaded), progress, None)

    def _run(self, batches: Iterable[tuple[str, Callable[[], list[Loaded]]]], total: int,
             progress: Progress | None, prune_under: list[Path] | None) -> IngestReport:
        report = IngestReport()
        start = time.perf_counter()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock().acquire(timeout=0):
                seen: dict[str, str] = {}
                failed_origins: set[str] = set()
                known = self.manifest.fingerprints()
                for done, (source, load) in enumerate(batches):
                    if progress:
                        progress(done, total, source, report)
                    try:
                        items = load()  # reading happens here, so that progress follows the files
                    except Exception as exc:  # a reader's bug on one odd file must not stop the batch
                        log.exception("ingest read error source=%s", source)
                        items = [Loaded(source, None, f"{source}: could not be read ({type(exc).__name__}: {exc}).",
                                        str(Path(source).absolute()))]
                    for item in items:
                        if item.doc is None:
                            report.failed.append((item.source, item.error))
                            failed_origins.add(item.origin)
                            log.warning("ingest failed source=%s reason=%s", item.source, item.error)
                            continue
                        self._one(item, seen, known, report, failed_origins)
                if progress:
                    progress(total, total, "", report)
                if prune_under is not None:
                    self._prune(prune_under, seen, failed_origins, report)
                if report.added or report.updated or report.removed:
                    self.stamp_path.touch()
        except Timeout as exc:
            raise IngestBusy(
                f"Another ingest is running on {self.data_dir} (lock {self.data_dir / 'ingest.lock'}); wait for it to finish."
            ) from exc
        report.seconds = time.perf_counter() - start
        return report

    def _one(self, item: Loaded, seen: dict[str, str], known: dict[str, Prints], report: IngestReport,
             failed_origins: set[str]) -> None:
        doc = item.doc
        if doc.doc_id in seen:
            # Two files with one id (release.pdf and release.html): a duplicate when the texts agree.
            first = known.get(doc.doc_id)
            if first and same_text(prints_of(doc.text, doc.date), first):
                report.duplicates.append((item.source, doc.doc_id, doc.doc_id))
            else:
                report.failed.append((item.source, f"{item.source}: document id '{doc.doc_id}' already given by "
                                                   f"{seen[doc.doc_id]}; ids must be unique (rename one file)."))
            return
        seen[doc.doc_id] = item.source
        try:
            record = self.manifest.get(doc.doc_id)
            if record and record.hash == doc.hash and record.state == "indexed":
                report.unchanged.append(doc.doc_id)
                missing = doc.doc_id not in known  # indexed before fingerprints existed
                if (item.origin and record.origin != item.origin) or missing:
                    prints = prints_of(doc.text, doc.date) if missing else None
                    self.manifest.set_origin(doc.doc_id, item.origin or None, *(prints[:2] if prints else ()))
                    if prints:
                        known[doc.doc_id] = prints
                return
            prints = prints_of(doc.text, doc.date)  # only for new or changed documents: it costs
            original = find_duplicate(doc.doc_id, prints, known)
            if original:
                report.duplicates.append((item.source, doc.doc_id, original))
                log.info("duplicate doc_id=%s duplicate_of=%s source=%s", doc.doc_id, original, item.source)
                if record:  # its new text is another document's: the old version must not stay searchable
                    self._remove(doc.doc_id)
                    known.pop(doc.doc_id, None)
                    report.removed.append(doc.doc_id)
                return
            self._index(doc, record, report, item.origin or None, prints)
            known[doc.doc_id] = prints
        except Exception as exc:  # one bad document never stops the batch
            log.exception("ingest error doc_id=%s", doc.doc_id)
            report.failed.append((item.source, f"{item.source}: could not be indexed ({exc})."))
            failed_origins.add(item.origin)

    def _index(self, doc: Communique, record, report: IngestReport, origin: str | None, prints: Prints) -> None:
        chunks = chunk_communique(doc, **self.chunk_kwargs)
        self.manifest.begin(doc, origin, prints[0], prints[1])
        old_ids = set(self.store.chunk_ids(doc.doc_id))
        started = time.perf_counter()
        self.store.upsert(chunks)
        report.embed_seconds += time.perf_counter() - started
        stale = sorted(old_ids - {c.chunk_id for c in chunks})
        self.store.delete(stale)
        self.manifest.commit(doc.doc_id, len(chunks))
        report.chunks_written += len(chunks)
        (report.updated if record else report.added).append(doc.doc_id)
        log.info("indexed doc_id=%s chunks=%d replaced=%s", doc.doc_id, len(chunks), bool(record))

    def _prune(self, under: list[Path], seen: dict[str, str], failed_origins: set[str], report: IngestReport) -> None:
        """Remove documents whose file is under ``under`` but gave nothing this run (deleted, or line removed).

        Documents of a file that failed to read are kept: a failure never touches what is indexed.
        """
        roots = [p.absolute() for p in under]
        for record in self.manifest.all():
            if record.doc_id in seen or not record.origin or record.origin in failed_origins:
                continue
            origin = Path(record.origin)
            if any(origin == r or origin.is_relative_to(r) for r in roots):
                self._remove(record.doc_id)
                report.removed.append(record.doc_id)
                log.info("pruned doc_id=%s origin=%s", record.doc_id, record.origin)

    def _remove(self, doc_id: str) -> None:
        # Chunks first: a crash in between leaves a manifest row that the next run removes or re-indexes.
        self.store.delete(self.store.chunk_ids(doc_id))
        self.manifest.remove(doc_id)

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False if it was not indexed."""
        with self._lock().acquire(timeout=10):
            ids = self.store.chunk_ids(doc_id)
            known = self.manifest.get(doc_id) is not None
            self._remove(doc_id)
            self.stamp_path.touch()
        return bool(ids) or known
