"""The collection of indexed communiqués as staff see it: search, open, delete, add files."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.types import Chunk
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.manifest import DocumentRecord, Manifest
from ingest.pipeline import IngestBusy, Ingestor
from textkit.terms import words

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileResult:
    """What adding one file did: added, updated, unchanged or failed (with the reason), and its documents."""

    name: str
    status: str
    doc_ids: tuple[str, ...] = ()
    reason: str = ""


class Library:
    """What is indexed, over the manifest, the store and the ingestor."""

    suffixes = tuple(sorted(SUPPORTED_SUFFIXES))

    def __init__(self, manifest: Manifest, store, ingestor: Ingestor):
        self.manifest = manifest
        self.store = store
        self.ingestor = ingestor

    def search(self, query: str = "") -> list[DocumentRecord]:
        """Indexed documents, newest first, whose title, issuer, id, reference or type hold every word of ``query``."""
        wanted = set(words(query))
        records = self.manifest.all()
        if not wanted:
            return records
        return [r for r in records
                if wanted <= set(words(" ".join((r.title, r.issuer, r.doc_id, r.reference, r.doc_type, r.date))))]

    def document(self, doc_id: str) -> tuple[DocumentRecord, list[Chunk]] | None:
        """One document's record and its passages in order, or None if it is not indexed."""
        record = self.manifest.get(doc_id)
        if record is None:
            return None
        return record, self.store.chunks(doc_id)

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its passages; False if it was not indexed."""
        return self.ingestor.delete(doc_id)

    def add_files(self, files: list[Path], progress: Callable[[int, int, str], None] | None = None) -> list[FileResult]:
        """Ingest each file on its own, so that each gets its own result; one bad file never stops the others."""
        results = []
        for i, path in enumerate(files):
            path = Path(path)
            if progress:
                progress(i, len(files), path.name)
            try:
                report = self.ingestor.ingest_paths([path])
            except IngestBusy as exc:
                results.append(FileResult(path.name, "failed", reason=str(exc)))
                continue
            # Uploaded files live in a temporary folder: people know them by their name only.
            reasons = [reason.replace(str(path), path.name) for _, reason in report.failed]
            ids = tuple(report.added + report.updated + report.unchanged)
            if report.failed and not ids:
                status = "failed"
            elif report.added:
                status = "added"
            elif report.updated:
                status = "updated"
            else:
                status = "unchanged"
            results.append(FileResult(path.name, status, ids, " ".join(reasons)))
            log.info("upload file=%s status=%s docs=%d failed=%d", path.name, status, len(ids), len(reasons))
        if progress:
            progress(len(files), len(files), "")
        return results
