"""The manifest: a SQLite record of what is indexed, with content hashes and states."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from assistant.types import Communique
from ingest.integrity import damaged, is_damage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    state TEXT NOT NULL,          -- 'indexing' while chunks are written, 'indexed' once complete
    title TEXT, date TEXT, issuer TEXT, lang TEXT, doc_type TEXT, source TEXT, reference TEXT,
    extra TEXT,
    n_chunks INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL
);
"""


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


class Manifest:
    """What is indexed. Every write is its own transaction, so a crash leaves a readable file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with closing(self._connect()) as db, db:
                db.executescript(_SCHEMA)
                check = db.execute("PRAGMA quick_check").fetchone()[0]
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

    _cols = "doc_id, hash, state, title, date, issuer, lang, doc_type, source, reference, n_chunks, updated_at"

    def all(self) -> list[DocumentRecord]:
        """Every record, newest documents first."""
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT {self._cols} FROM documents ORDER BY date DESC, doc_id").fetchall()
        return [DocumentRecord(*r) for r in rows]

    def begin(self, doc: Communique) -> None:
        """Mark ``doc`` as being (re)indexed with its new hash."""
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO documents (doc_id, hash, state, title, date, issuer, lang, doc_type, source, reference,"
                " extra, n_chunks, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?) ON CONFLICT(doc_id) DO UPDATE SET"
                " hash=excluded.hash, state=excluded.state, title=excluded.title, date=excluded.date,"
                " issuer=excluded.issuer, lang=excluded.lang, doc_type=excluded.doc_type, source=excluded.source,"
                " reference=excluded.reference, extra=excluded.extra, updated_at=excluded.updated_at",
                (doc.doc_id, doc.hash, "indexing", doc.title, doc.date, doc.issuer, doc.lang, doc.doc_type,
                 doc.source, doc.reference, json.dumps(doc.extra, ensure_ascii=False), time.time()),
            )

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

    def indexed_chunks(self) -> int:
        """Passages of the completely indexed documents, as recorded."""
        with closing(self._connect()) as db:
            return db.execute("SELECT COALESCE(SUM(n_chunks), 0) FROM documents WHERE state='indexed'").fetchone()[0]

    def remove(self, doc_id: str) -> None:
        """Forget a document."""
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
