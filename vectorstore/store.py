"""The chunk store: a Chroma collection (embedded on disk, or on a Chroma server) read and written through
chromadb's public collection API, always with our own vectors so that Chroma never loads a model of its own."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.integrity import damaged, is_damage
from core.types import Chunk

log = logging.getLogger(__name__)

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class StoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached or did not answer in time."""


def _http_timeout(timeout_s: float):
    import httpx

    return httpx.Timeout(timeout_s, connect=min(5.0, timeout_s))


def _check_server(host: str, port: int, timeout_s: float) -> None:
    """Fail fast, with the fix, when the Chroma server is down or hung (chromadb itself would wait forever)."""
    import httpx

    url = f"http://{host}:{port}/api/v2/heartbeat"
    try:
        httpx.get(url, timeout=_http_timeout(timeout_s)).raise_for_status()
    except httpx.HTTPError as exc:
        raise StoreUnavailable(
            f"The Chroma server at {host}:{port} did not answer ({type(exc).__name__}: {exc}). Start it "
            f"(`chroma run --path DIR --port {port}`), check COMMUNIQUES_CHROMA__HOST/PORT, or unset the host "
            "to use the embedded store.") from exc


def _open_collection(client, name: str):
    """The collection, created on first use in cosine space with no embedding function of Chroma's: vectors always
    come from our embedder. (The same call langchain-chroma makes, so indexes it wrote open unchanged.)"""
    return client.get_or_create_collection(name=name, embedding_function=None, metadata={"hnsw:space": "cosine"})


# chromadb has no public API for the two things below; each workaround is kept to one function.

def _bound_http_timeout(client, timeout_s: float) -> None:
    """Bound every request of a Chroma HTTP client: chromadb builds its httpx session with ``timeout=None`` and offers
    no setting for it (chroma-core/chroma#5805), so a hung server would hang every question."""
    client._server._session.timeout = _http_timeout(timeout_s)


def _forget_cached_client(path: Path) -> None:
    """Drop chromadb's process-wide cached system of one on-disk store, so that the next client opened on ``path``
    reads what another process wrote. The only public way, ``clear_system_cache``, stops every client of the process
    and is documented for tests (chroma-core/chroma#2536)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)


@dataclass(frozen=True)
class DenseHit:
    """One result of a dense search."""

    chunk: Chunk
    similarity: float  # cosine similarity, -1..1
    vector: tuple[float, ...] | None


class ChunkStore:
    """Chunks and their vectors in a Chroma collection (cosine space).

    ``hidden_docs`` names the documents being written or removed; searches and listings leave them out, so that a
    question never sees half a document (during an ingest, or after one that crashed). ``stamp_path`` is the file
    an ingest touches: when another process wrote (e.g. `communiques ingest` while `serve` runs), the embedded
    store is opened again, since its in-memory vector index does not see another process's writes.
    """

    def __init__(self, embeddings: Embeddings, collection: str = "communiques", path: Path | None = None,
                 host: str | None = None, port: int = 8000, hidden_docs: Callable[[], Iterable[str]] | None = None,
                 timeout_s: float = 30.0, stamp_path: Path | None = None, count_ttl_s: float = 1.0,
                 stamped_count_ttl_s: float = 60.0):
        import chromadb
        from chromadb.config import Settings as ChromaClientSettings

        self._open_args = (embeddings, collection, path, host, port, timeout_s)
        self.stamp_path = stamp_path
        self._stamp_seen = self._stamp()
        self._reopen_lock = threading.Lock()
        client_settings = ChromaClientSettings(anonymized_telemetry=False)
        try:
            if host:
                _check_server(host, port, timeout_s)
                client = chromadb.HttpClient(host=host, port=port, settings=client_settings)
                _bound_http_timeout(client, timeout_s)
            else:
                if path is None:
                    raise ValueError("An embedded store needs a path (the data dir).")
                Path(path).mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=client_settings)
            self.collection = _open_collection(client, collection)
        except Exception as exc:
            if path is not None and not host and is_damage(exc):
                raise damaged(f"the vector store {Path(path).name}/ cannot be read", Path(path).parent, exc) from exc
            raise
        self.embeddings = embeddings
        self.hidden_docs = hidden_docs
        self.client = client
        # Chroma counts by scanning (6 ms at 10k chunks, 110 ms at 1M over HTTP) and one question asks several times.
        # With an ingest stamp, which every write of an ingest touches, the count is read again when the stamp moves
        # (and, for a writer that does not touch it, after ``stamped_count_ttl_s``); without one, every
        # ``count_ttl_s``.
        self.count_ttl_s = count_ttl_s
        self.stamped_count_ttl_s = stamped_count_ttl_s
        self._count: int | None = None
        self._count_at = 0.0
        self._count_stamp: tuple | None = None

    def _stamp(self) -> tuple:
        """(mtime, writer pid) of the ingest stamp; a change by another process means the index moved under us."""
        try:
            return self.stamp_path.stat().st_mtime_ns, self.stamp_path.read_text().strip()
        except (AttributeError, OSError):
            return (0, "")

    def _reopen_if_written_elsewhere(self, failed: bool = False) -> bool:
        """Open the embedded store again if another process wrote to it (or a read just failed); True if reopened."""
        embeddings, collection, path, host, port, timeout_s = self._open_args
        if host:
            return False
        stamp = self._stamp()
        if not failed and (stamp == self._stamp_seen or stamp[1] in ("", str(os.getpid()))):
            return False
        with self._reopen_lock:
            import chromadb
            from chromadb.config import Settings as ChromaClientSettings

            _forget_cached_client(path)
            self.client = chromadb.PersistentClient(path=str(path), settings=ChromaClientSettings(anonymized_telemetry=False))
            self.collection = _open_collection(self.client, collection)
            self._stamp_seen = stamp
        log.info("store reopened path=%s reason=%s", path, "read failed" if failed else "written by another process")
        return True

    def _read(self, operation):
        """Run a read, first catching up with another process's writes; a read failing meanwhile is retried, reopened."""
        self._reopen_if_written_elsewhere()
        # Another process may write again between the reopening and the retry, and a busy machine delays it: up to
        # five attempts, 0.75 s of waiting in all (three attempts and 0.15 s failed once, under a load of 3 on 2 cores).
        attempts = 5
        for attempt in range(attempts):
            try:
                return operation()
            except Exception as exc:
                if type(exc).__name__ != "InternalError" or attempt == attempts - 1 or \
                        not self._reopen_if_written_elsewhere(failed=True):
                    raise
                time.sleep(0.05 * 2 ** attempt)

    def count(self) -> int:
        """Number of chunks stored: this process's writes show at once, another process's as soon as it touches the
        ingest stamp (or within the time to live, see ``__init__``)."""
        now = time.monotonic()
        stamp = self._stamp() if self.stamp_path is not None else None
        ttl = self.count_ttl_s if stamp is None else self.stamped_count_ttl_s
        if self._count is None or stamp != self._count_stamp or now - self._count_at > ttl:
            self._count, self._count_at, self._count_stamp = self._read(lambda: self.collection.count()), now, stamp
        return self._count

    def upsert(self, chunks: list[Chunk], vectors: list[list[float]] | None = None) -> None:
        """Add or replace chunks (embedding them unless ``vectors`` are given)."""
        if not chunks:
            return
        texts = [c.embed_text for c in chunks]
        if vectors is None:
            vectors = self.embeddings.embed_documents(texts)
        self.collection.upsert(ids=[c.chunk_id for c in chunks], embeddings=vectors, documents=texts,
                               metadatas=[c.metadata() for c in chunks])
        self._count = None  # after the write: a count taken meanwhile must not be kept

    def delete(self, chunk_ids: list[str]) -> None:
        """Remove chunks by id (unknown ids are ignored)."""
        if chunk_ids:
            self.collection.delete(ids=list(chunk_ids))
            self._count = None

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        """Ids of the stored chunks, of one document or of all."""
        where = {"doc_id": doc_id} if doc_id else None
        return self._read(lambda: list(self.collection.get(where=where, include=[])["ids"]))

    def _visible(self, where: dict[str, Any] | None) -> dict[str, Any] | None:
        """``where`` restricted to the documents that are completely indexed."""
        hidden = sorted(self.hidden_docs()) if self.hidden_docs else []
        if not hidden:
            return where or None
        clause = {"doc_id": {"$nin": hidden}}
        return {"$and": [where, clause]} if where else clause

    def chunks(self, doc_id: str | None = None, batch: int = 2000) -> list[Chunk]:
        """Stored chunks of completely indexed documents (of one document, or all), read in pages."""
        where = self._visible({"doc_id": doc_id} if doc_id else None)
        out: list[Chunk] = []
        offset = 0
        while True:
            page = self._read(lambda: self.collection.get(where=where, include=["metadatas"], limit=batch, offset=offset))
            out.extend(Chunk.from_metadata(i, m) for i, m in zip(page["ids"], page["metadatas"]))
            if len(page["ids"]) < batch:
                break
            offset += batch
        return sorted(out, key=lambda c: (c.doc_id, c.index))

    def chunks_by_id(self, chunk_ids: list[str], batch: int = 2000) -> list[Chunk]:
        """The stored chunks of the given ids (unknown ids left out), read by id: the cost follows how many are
        asked for, not the size of the collection (a ``where`` on metadata scans every chunk)."""
        out: list[Chunk] = []
        for lo in range(0, len(chunk_ids), batch):
            ids = list(chunk_ids[lo:lo + batch])
            page = self._read(lambda: self.collection.get(ids=ids, include=["metadatas"]))
            out.extend(Chunk.from_metadata(i, m) for i, m in zip(page["ids"], page["metadatas"]))
        return out

    def vectors(self, chunk_ids: list[str]) -> dict[str, tuple[float, ...]]:
        """Stored vectors of the given chunks."""
        if not chunk_ids:
            return {}
        got = self._read(lambda: self.collection.get(ids=list(chunk_ids), include=["embeddings"]))
        return {i: _as_tuple(v) for i, v in zip(got["ids"], got["embeddings"])}

    def dense_search(self, vector: list[float], k: int, where: dict[str, Any] | None = None,
                     exact: bool = True) -> list[DenseHit]:
        """The ``k`` chunks nearest to ``vector`` (cosine), optionally filtered by metadata.

        With a filter, the nearest chunks are first fetched unfiltered and filtered here; Chroma's own filtered
        search (a scan of every chunk's metadata: 0.5-2 s at 100k chunks) runs only when fewer than ``k`` pass,
        and not at all when ``exact`` is False (then the passing ones are returned, possibly fewer than ``k``).
        """
        n = self.count()
        if n == 0:
            return []
        where = self._visible(where)  # documents being written are never seen
        if where:
            # If k of the nearest chunks pass the filter, they are the k nearest passing chunks: same result.
            wide = self._query(vector, min(max(10 * k, 150), n), None, with_vectors=False)
            passing = [h for h in wide if matches(where, h[1])][:k]
            if len(passing) >= min(k, n) or not exact:
                stored = self.vectors([cid for cid, _, _ in passing])
                return [DenseHit(Chunk.from_metadata(cid, meta), sim, stored.get(cid)) for cid, meta, sim in passing]
        return [DenseHit(Chunk.from_metadata(cid, meta), sim, vec)
                for cid, meta, sim, vec in self._query(vector, min(k, n), where, with_vectors=True)]

    def _query(self, vector, k: int, where, with_vectors: bool) -> list[tuple]:
        """(id, metadata, cosine similarity[, vector]) of Chroma's ``k`` nearest, best first."""
        include = ["metadatas", "distances"] + (["embeddings"] if with_vectors else [])
        result = self._read(lambda: self.collection.query(query_embeddings=[vector], n_results=k, where=where or None,
                                                           include=include))
        # A chunk removed while the search ran (an ingest replacing a release) comes back without its metadata: it is
        # no longer there, and is left out.
        rows = [(j, cid, meta, dist) for j, (cid, meta, dist)
                in enumerate(zip(result["ids"][0], result["metadatas"][0], result["distances"][0])) if meta is not None]
        if not with_vectors:
            return [(cid, meta, 1.0 - float(dist)) for _, cid, meta, dist in rows]
        vecs = result.get("embeddings")
        return [(cid, meta, 1.0 - float(dist), _as_tuple(vecs[0][j]) if vecs is not None else None)
                for j, cid, meta, dist in rows]


def _as_tuple(vector) -> tuple[float, ...]:
    return tuple(vector.tolist() if hasattr(vector, "tolist") else (float(x) for x in vector))


_COMPARE = {"$eq": lambda a, b: a == b, "$ne": lambda a, b: a != b, "$gt": lambda a, b: a > b,
            "$gte": lambda a, b: a >= b, "$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b,
            "$in": lambda a, b: a in b, "$nin": lambda a, b: a not in b}


def matches(where: dict[str, Any], meta: dict[str, Any]) -> bool:
    """Whether metadata satisfies a Chroma ``where`` filter ($and, $or and the comparison operators)."""
    for key, cond in where.items():
        if key == "$and":
            if not all(matches(c, meta) for c in cond):
                return False
        elif key == "$or":
            if not any(matches(c, meta) for c in cond):
                return False
        else:
            ops = cond if isinstance(cond, dict) else {"$eq": cond}
            if key not in meta:  # Chroma: a missing field matches no comparison
                return False
            if not all(_COMPARE[op](meta[key], value) for op, value in ops.items()):
                return False
    return True
