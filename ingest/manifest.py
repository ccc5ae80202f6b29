"""The manifest: a SQLite record of what is indexed, with content hashes and states."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from core.integrity import damaged, is_damage
from core.types import Communique

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    state TEXT NOT NULL,          -- 'indexing' while chunks are written, 'indexed' once complete
    title TEXT, date TEXT, issuer TEXT, lang TEXT, doc_type TEXT, source TEXT, reference TEXT,
    extra TEXT,
    n_chunks INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL,
    origin TEXT,                  -- the file the document came from, for --prune
    fingerprint TEXT,             -- hash of the folded text: the same text under another id is a duplicate
    simhash INTEGER               -- 64-bit SimHash of the text's word shingles: a near-identical text too
);
CREATE TABLE IF NOT EXISTS index_info (
    key TEXT PRIMARY KEY,         -- e.g. 'embedder': which model and backend made the vectors
    value TEXT NOT NULL           -- JSON
);
"""
# Columns added after the first release; older manifests get them on open.
_ADDED_COLUMNS = {"origin": "TEXT", "fingerprint": "TEXT", "simhash": "INTEGER"}


@dataclass(frozen=True)
class DocumentRecord:
    """One row of the manifest."""

    doc_id: str
    hash: str
    state: str
    title: str
    date: str
    issuer: str
    lang: str
    doc_type: str
    source: str
    reference: str
    n_chunks: int
    updated_at: float
    origin: str | None = None


class Manifest:
    """What is indexed. Every write is its own transaction, so a crash leaves a readable file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with closing(self._connect()) as db, db:
                db.executescript(_SCHEMA)
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check == "ok":
                    present = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
                    for column, kind in _ADDED_COLUMNS.items():
                        if column not in present:
                            db.execute(f"ALTER TABLE documents ADD COLUMN {column} {kind}")
        except sqlite3.DatabaseError as exc:
            if is_damage(exc):
                raise damaged(f"the manifest {self.path.name} cannot be read", self.path.parent, exc) from exc
            raise
        if check != "ok":
            raise damaged(f"the manifest {self.path.name} failed its integrity check", self.path.parent, check)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def get(self, doc_id: str) -> DocumentRecord | None:
        """The record of one document, or None."""
        with closing(self._connect()) as db:
            row = db.execute(f"SELECT {self._cols} FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return DocumentRecord(*row) if row else None

    _cols = "doc_id, hash, state, title, date, issuer, lang, doc_type, source, reference, n_chunks, updated_at, origin"

    def all(self) -> list[DocumentRecord]:
        """Every record, newest documents first."""
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT {self._cols} FROM documents ORDER BY date DESC, doc_id").fetchall()
        return [DocumentRecord(*r) for r in rows]

    def begin(self, doc: Communique, origin: str | None = None, fingerprint: str = "", simhash: int = 0,
              content_hash: str | None = None) -> None:
        """Mark ``doc`` as being (re)indexed with its new hash (``content_hash``, default the document's)."""
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO documents (doc_id, hash, state, title, date, issuer, lang, doc_type, source, reference,"
                " extra, n_chunks, updated_at, origin, fingerprint, simhash) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?)"
                " ON CONFLICT(doc_id) DO UPDATE SET"
                " hash=excluded.hash, state=excluded.state, title=excluded.title, date=excluded.date,"
                " issuer=excluded.issuer, lang=excluded.lang, doc_type=excluded.doc_type, source=excluded.source,"
                " reference=excluded.reference, extra=excluded.extra, updated_at=excluded.updated_at,"
                " origin=excluded.origin, fingerprint=excluded.fingerprint, simhash=excluded.simhash",
                (doc.doc_id, content_hash or doc.hash, "indexing", doc.title, doc.date, doc.issuer, doc.lang, doc.doc_type,
                 doc.source, doc.reference, json.dumps(doc.extra, ensure_ascii=False), time.time(), origin,
                 fingerprint, _signed(simhash)),
            )

    def set_origin(self, doc_id: str, origin: str | None, fingerprint: str | None = None, simhash: int = 0) -> None:
        """Record where an unchanged document now comes from (it may have moved, or predate --prune), and
        its fingerprints when it was indexed before they existed."""
        with closing(self._connect()) as db, db:
            db.execute("UPDATE documents SET origin=COALESCE(?, origin) WHERE doc_id=?", (origin, doc_id))
            if fingerprint:
                db.execute("UPDATE documents SET fingerprint=?, simhash=? WHERE doc_id=?",
                           (fingerprint, _signed(simhash), doc_id))

    def fingerprints(self) -> dict[str, tuple[str, int, str]]:
        """(fingerprint, simhash, date) of every indexed document, for duplicate detection."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT doc_id, fingerprint, simhash, date FROM documents WHERE state='indexed'"
                              " AND fingerprint IS NOT NULL").fetchall()
        return {doc_id: (fp, (sim or 0) & _MASK, date or "") for doc_id, fp, sim, date in rows}

    def commit(self, doc_id: str, n_chunks: int) -> None:
        """Mark a document as completely indexed."""
        with closing(self._connect()) as db, db:
            db.execute("UPDATE documents SET state='indexed', n_chunks=?, updated_at=? WHERE doc_id=?",
                       (n_chunks, time.time(), doc_id))

    def mark(self, doc_id: str, state: str) -> None:
        """Set a document's state (e.g. 'deleting' before its chunks are removed)."""
        with closing(self._connect()) as db, db:
            db.execute("UPDATE documents SET state=?, updated_at=? WHERE doc_id=?", (state, time.time(), doc_id))

    def unfinished(self) -> list[str]:
        """Documents whose chunks are being written or removed: questions must not see them."""
        with closing(self._connect()) as db:
            return [r[0] for r in db.execute("SELECT doc_id FROM documents WHERE state != 'indexed'")]

    def indexed_documents(self) -> dict[str, tuple[str, int]]:
        """The completely indexed documents: doc_id -> (content hash, number of chunks). What a reader's keyword
        index compares itself with to take in only what changed."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT doc_id, hash, n_chunks FROM documents WHERE state='indexed'").fetchall()
        return {doc_id: (hash_, n) for doc_id, hash_, n in rows}

    def indexed_chunks(self) -> int:
        """Passages of the completely indexed documents, as recorded."""
        with closing(self._connect()) as db:
            return db.execute("SELECT COALESCE(SUM(n_chunks), 0) FROM documents WHERE state='indexed'").fetchone()[0]

    def embedder(self) -> dict | None:
        """The embedder recorded as having made this index's vectors (``model``, ``backend``), or None."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT value FROM index_info WHERE key='embedder'").fetchone()
        return json.loads(row[0]) if row else None

    def record_embedder(self, embedder: dict) -> None:
        """Record which embedder makes this index's vectors."""
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO index_info (key, value) VALUES ('embedder', ?)"
                       " ON CONFLICT(key) DO UPDATE SET value=excluded.value", (json.dumps(embedder, sort_keys=True),))

    def is_empty(self) -> bool:
        """Whether no document is recorded at all (in any state)."""
        with closing(self._connect()) as db:
            return db.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None

    def remove(self, doc_id: str) -> None:
        """Forget a document."""
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))


_MASK = (1 << 64) - 1


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value
