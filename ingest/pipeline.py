"""Ingest files into the store: read, chunk, embed, record. Idempotent and incremental."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from core.integrity import StorageFull, storage_problem
from core.types import Chunk, Communique
from ingest.chunking import chunk_communique, rules_applied
from ingest.datadir import index_stamp, record_sources, recorded_sources, sources_file, touch_stamp
from ingest.dedupe import Prints, find_duplicate, prints_of, same_text
from ingest.loaders import Loaded, iter_sources, load_path
from ingest.manifest import Manifest
from ingest.recovery import recover
from ingest.report import IngestReport, Progress
from ingest.screening import planted_instruction, without_planted
from ingest.writer import ChunkWriter, SentenceCache
from textkit.sentences import quotable, quotable_sentences

log = logging.getLogger(__name__)

# Chunks embedded per encode call, across documents. One call per document left the model's batches short and
# padded to their longest text (2.1x the CPU of one call, docs/benchmarks.md); at 64, sentence-transformers groups
# texts of similar length, while the progress bar still moves every few seconds and a crash wastes little embedding.
EMBED_BATCH = 64


class IngestBusy(RuntimeError):
    """Another ingest holds the lock on the data dir."""


@dataclass
class _Queued:
    """A new or changed document, chunked, waiting for its vectors: nothing of it is written yet."""

    item: Loaded
    doc: Communique
    record: object  # its manifest row before this run (None if new)
    prints: Prints
    before: Prints | None  # what ``known`` held for it before it was queued, put back if it fails
    content_hash: str
    chunks: list[Chunk]


class Ingestor:
    """Adds communiqués to the store and the manifest."""

    def __init__(self, store: ChunkWriter, manifest: Manifest, data_dir: Path, chunk_kwargs: dict | None = None,
                 max_bytes: int = 50_000_000, strip_planted: bool = True, embed_batch: int = EMBED_BATCH,
                 sentences: SentenceCache | None = None, sentence_max_chars: int = 400):
        self.strip_planted = strip_planted
        # The releases' sentences, embedded once here for the answers' ranking (None: embedded at question time).
        self.sentences = sentences
        self.sentence_max_chars = sentence_max_chars
        self.embed_batch = embed_batch
        self.store = store
        self.manifest = manifest
        self.data_dir = Path(data_dir)
        self.chunk_kwargs = chunk_kwargs or {}
        self.max_bytes = max_bytes
        # Chunking settings are part of what a document's index holds: changing them re-chunks every document.
        self._chunking = hashlib.sha1(json.dumps(self.chunk_kwargs, sort_keys=True).encode()).hexdigest()[:8]

    @property
    def stamp_path(self) -> Path:
        """Touched after every change, so that readers know to refresh their keyword index."""
        return index_stamp(self.data_dir)

    @property
    def sources_path(self) -> Path:
        """The files and folders given to ingest, kept so that `communiques reindex` can rebuild from them."""
        return sources_file(self.data_dir)

    def _lock(self) -> FileLock:
        return FileLock(str(self.data_dir / "ingest.lock"))

    def recorded_sources(self) -> list[Path]:
        """Every file or folder ever given to ingest in this data dir (absolute paths)."""
        return recorded_sources(self.data_dir)

    def ingest_paths(self, paths: list[Path], progress: Progress | None = None, prune: bool = False) -> IngestReport:
        """Ingest every supported file under ``paths``; a bad file is reported and skipped.

        With ``prune``, documents that came from under ``paths`` and are no longer there are removed.
        """
        paths = [Path(p) for p in paths]
        sources = list(iter_sources(paths))
        batches = ((str(path), lambda path=path, root=root: list(load_path(path, root, self.max_bytes)))
                   for path, root in sources)
        return self._run(batches, len(sources), progress, paths if prune else None, paths)

    def ingest_documents(self, docs: list[Communique], progress: Progress | None = None) -> IngestReport:
        """Ingest documents already read (e.g. from a pipeline)."""
        return self.ingest_loaded([Loaded(d.source or d.doc_id, d) for d in docs], progress)

    def ingest_loaded(self, loaded: list[Loaded], progress: Progress | None = None,
                      sources: list[Path] | None = None) -> IngestReport:
        """Ingest results of the loaders; ``sources`` (the paths given) are recorded for `communiques reindex`."""
        return self._run(((item.source, lambda item=item: [item]) for item in loaded), len(loaded), progress, None,
                         sources)

    def _run(self, batches: Iterable[tuple[str, Callable[[], list[Loaded]]]], total: int,
             progress: Progress | None, prune_under: list[Path] | None,
             sources: list[Path] | None = None) -> IngestReport:
        report = IngestReport()
        start = time.perf_counter()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock().acquire(timeout=0):
                unfinished = self.recover()
                if unfinished:
                    # Files holding documents a crash left hidden come first, so that those are hidden for as short
                    # a time as possible (as before the lazy reading; a60afa7's ordering was lost in a merge).
                    hidden = {r.origin for r in map(self.manifest.get, unfinished) if r and r.origin}
                    batches = sorted(batches, key=lambda batch: str(Path(batch[0]).absolute()) not in hidden)
                if sources:
                    record_sources(self.data_dir, sources)
                seen: dict[str, str] = {}
                failed_origins: set[str] = set()
                known = self.manifest.fingerprints()
                queue: list[_Queued] = []
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
                        self._one(item, seen, known, report, failed_origins, queue)
                        # Inside the loop: a JSONL export of hundreds of releases is written as it is embedded,
                        # not all at the end (a crash or Ctrl-C used to lose the whole file's embedding).
                        if sum(len(q.chunks) for q in queue) >= self.embed_batch:
                            self._flush(queue, known, report, failed_origins)
                self._flush(queue, known, report, failed_origins)
                if progress:
                    progress(total, total, "", report)
                if prune_under is not None:
                    self._prune(prune_under, seen, failed_origins, report)
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

    def _one(self, item: Loaded, seen: dict[str, str], known: dict[str, Prints], report: IngestReport,
             failed_origins: set[str], queue: list[_Queued]) -> None:
        """Sort out one document: unchanged, duplicate, refused, or queued in ``queue`` to be embedded and written."""
        doc = item.doc
        if doc.doc_id in seen:
            if any(q.doc.doc_id == doc.doc_id for q in queue):
                self._flush(queue, known, report, failed_origins)  # the comparison needs the first one's outcome
            # Two files with one id (release.pdf and release.html): a duplicate when the texts agree.
            first = known.get(doc.doc_id)
            if first and same_text(prints_of(doc.text, doc.date), first):
                report.duplicates.append((item.source, doc.doc_id, doc.doc_id))
            else:
                report.failed.append((item.source, f"{item.source}: document id '{doc.doc_id}' already given by "
                                                   f"{seen[doc.doc_id]}; ids must be unique (rename one file)."))
            return
        seen[doc.doc_id] = item.source
        if self.strip_planted:
            doc = self._strip_planted(doc, item.source, report)
            if doc is None:
                return
        try:
            record = self.manifest.get(doc.doc_id)
            content_hash = self._content_hash(doc)  # (it reads every paragraph: once a document)
            if record and record.hash == content_hash and record.state == "indexed":
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
            if original and any(q.doc.doc_id == original for q in queue):
                # A copy of a document not written yet: it is one only if that document does get written.
                self._flush(queue, known, report, failed_origins)
                original = find_duplicate(doc.doc_id, prints, known)
            if original:
                report.duplicates.append((item.source, doc.doc_id, original))
                log.info("duplicate doc_id=%s duplicate_of=%s source=%s", doc.doc_id, original, item.source)
                if record:  # its new text is another document's: the old version must not stay searchable
                    self._remove(doc.doc_id)
                    known.pop(doc.doc_id, None)
                    report.removed.append(doc.doc_id)
                return
            chunks = [dataclasses.replace(c, doc_hash=content_hash)
                      for c in chunk_communique(doc, **self.chunk_kwargs)]
            # Known at once, so that a later copy of it in this run is found (see _flush for when it fails).
            queue.append(_Queued(item, doc, record, prints, known.get(doc.doc_id), content_hash, chunks))
            known[doc.doc_id] = prints
        except StorageFull:  # raised while writing the queue, and naming the document being written
            raise
        except Exception as exc:  # one bad document never stops the batch; a full disk does
            self._failed(item, doc.doc_id, exc, report, failed_origins)

    def _failed(self, item: Loaded, doc_id: str, exc: Exception, report: IngestReport,
                failed_origins: set[str]) -> None:
        """Report a document that could not be indexed, or raise StorageFull if the disk is the cause."""
        problem = storage_problem(self.data_dir)
        if problem:
            raise StorageFull(
                f"Ingest stopped at {item.source}: {problem}. What was indexed before is intact; "
                f"{len(report.added) + len(report.updated)} document(s) were indexed in this run, and "
                "the one being written stays hidden until it is ingested again.") from exc
        log.error("ingest error doc_id=%s", doc_id, exc_info=exc)
        report.failed.append((item.source, f"{item.source}: could not be indexed ({exc})."))
        failed_origins.add(item.origin)

    def _flush(self, queue: list[_Queued], known: dict[str, Prints], report: IngestReport,
               failed_origins: set[str]) -> None:
        """Embed the queued documents' chunks in one call, then write each document with its vectors."""
        jobs = queue[:]
        queue.clear()
        if not jobs:
            return
        try:
            vectors = self._embed([c.embed_text for q in jobs for c in q.chunks], report)
        except Exception:
            # A text the embedder refuses must fail its own document only: each is embedded alone below.
            log.warning("batch embedding failed documents=%d; embedding them one by one", len(jobs), exc_info=True)
            vectors = None
        if self.sentences is not None:
            self._embed_sentences(jobs, report)
        offset = 0
        for q in jobs:
            try:
                mine = (vectors[offset:offset + len(q.chunks)] if vectors is not None
                        else self._embed([c.embed_text for c in q.chunks], report))
                self._write(q, mine, report)
            except Exception as exc:
                # Not indexed: a later copy of it in this run must not be taken for a duplicate.
                if q.before is None:
                    known.pop(q.doc.doc_id, None)
                else:
                    known[q.doc.doc_id] = q.before
                self._failed(q.item, q.doc.doc_id, exc, report, failed_origins)
            offset += len(q.chunks)

    def sentence_texts(self, doc: Communique) -> list[str]:
        """The sentences of ``doc`` an answer may quote whole (``textkit.sentences.quotable``, at most
        ``sentence_max_chars``: a longer one is cut for each question), as the answers' candidates read them."""
        return [t for t in quotable_sentences(doc.text, doc.lang or "fr")
                if quotable(t) and len(t) <= self.sentence_max_chars]

    def _embed_sentences(self, jobs: list[_Queued], report: IngestReport) -> None:
        """Embed the queued releases' quotable sentences not stored yet, and store them. A failure costs the answers'
        speed only (they embed what is missing), never a document: it is logged, not raised."""
        try:
            wanted = {q.doc.doc_id: self.sentence_texts(q.doc) for q in jobs}
            new = self.sentences.missing(t for texts in wanted.values() for t in texts)
            vectors = dict(zip(new, self._embed(new, report))) if new else {}
            for doc_id, texts in wanted.items():
                mine = [t for t in dict.fromkeys(texts) if t in vectors]
                if mine:
                    self.sentences.put(doc_id, mine, [vectors[t] for t in mine])
        except Exception:
            log.warning("sentence vectors not stored documents=%d; answers will embed them", len(jobs), exc_info=True)

    def _embed(self, texts: list[str], report: IngestReport) -> list[list[float]]:
        """Vectors of ``texts`` in one call of the embedder, timed into ``report.embed_seconds``."""
        started = time.perf_counter()
        try:
            vectors = self.store.embeddings.embed_documents(texts)
        finally:
            report.embed_seconds += time.perf_counter() - started
        if len(vectors) != len(texts):
            raise ValueError(f"the embedder returned {len(vectors)} vectors for {len(texts)} texts")
        return vectors

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

    def _content_hash(self, doc: Communique) -> str:
        """The document's text and metadata hash, with the chunking settings it was cut with and the versions of
        the cutting rules changed since the first index that apply to it (ingest.chunking.rules_applied)."""
        rules = rules_applied(doc)
        return f"{doc.hash}:{self._chunking}" + (f":{rules}" if rules else "")

    def _write(self, q: _Queued, vectors: list[list[float]], report: IngestReport) -> None:
        """Write one document's chunks with their vectors, then delete its stale chunks and mark it indexed."""
        doc, record, chunks = q.doc, q.record, q.chunks
        # Embedded before this point, so a crash while embedding leaves nothing written. The row says 'indexing'
        # before the first chunk is written and 'indexed' after the last stale one is gone: in between (or after a
        # crash) the store hides the document from questions.
        self.manifest.begin(doc, q.item.origin or None, q.prints[0], q.prints[1], content_hash=q.content_hash)
        touch_stamp(self.data_dir)
        old_ids = set(self.store.chunk_ids(doc.doc_id))
        self.store.upsert(chunks, vectors)
        stale = sorted(old_ids - {c.chunk_id for c in chunks})
        self.store.delete(stale)
        self.manifest.commit(doc.doc_id, len(chunks))
        touch_stamp(self.data_dir)
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
        self.manifest.mark(doc_id, "deleting")  # hidden first: a crash must not leave half of it visible
        touch_stamp(self.data_dir)
        if self.sentences is not None:
            self.sentences.remove(doc_id)
        self.store.delete(self.store.chunk_ids(doc_id))
        self.manifest.remove(doc_id)
        touch_stamp(self.data_dir)

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False if it was not indexed."""
        with self._lock().acquire(timeout=10):
            ids = self.store.chunk_ids(doc_id)
            known = self.manifest.get(doc_id) is not None
            self._remove(doc_id)
        return bool(ids) or known

    def recover(self) -> list[str]:
        """Finish what a crashed run left (interrupted deletions); IndexDamaged if the store holds unknown documents.

        Returns the documents still half-written (hidden until their file is ingested again). Call under the lock.
        """
        return recover(self.store, self.manifest, self.data_dir)
