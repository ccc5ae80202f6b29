"""The vectors of the indexed releases' sentences, embedded once at ingest so that a question embeds only itself.

An evidence-first answer ranks the sentences of its passages by meaning; embedding them at question time was two
thirds of a question's time (measured in docs/benchmarks.md, section Concurrency). The ingest embeds each release's
sentences beside its chunks and keeps them here, keyed by the sentence's text; a question looks its candidates up
and embeds only those missing (a sentence cut short for a question, or one joined across two chunks). A cache of
the index, not part of what it answers from: anything missing is computed, nothing here decides an answer.

SQLite in the data dir, one connection per call: `communiques reindex` replaces the file under a running app, which
then reads the new one.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

FILE = "sentences.sqlite"
FILES = (FILE, f"{FILE}-wal", f"{FILE}-shm")


def _key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class SentenceStore:
    """Sentence text -> its vector (float32, as the encoders give them), with the release it came from."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / FILE

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one call, committed and closed after it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        db = sqlite3.connect(self.path, timeout=30)
        try:
            if new:  # (WAL and the schema stay in the file: a question's lookup does not set them again)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS sentences (key BLOB PRIMARY KEY, doc_id TEXT NOT NULL, "
                           "vector BLOB NOT NULL)")
                db.execute("CREATE INDEX IF NOT EXISTS sentences_doc ON sentences (doc_id)")
            yield db
            db.commit()
        finally:
            db.close()

    def _rows(self, texts: Iterable[str], column: str) -> Iterator[tuple[str, bytes]]:
        """(text, ``column``) of those of ``texts`` that are stored."""
        by_key = {_key(t): t for t in texts}
        if not by_key or not self.path.exists():
            return
        keys = list(by_key)
        with self._connect() as db:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                query = f"SELECT key, {column} FROM sentences WHERE key IN ({','.join('?' * len(chunk))})"
                for key, value in db.execute(query, chunk):
                    yield by_key[key], value

    def get(self, texts: Iterable[str]) -> dict[str, list[float]]:
        """The stored vectors of those of ``texts`` that are stored."""
        return {t: np.frombuffer(blob, dtype=np.float32).tolist() for t, blob in self._rows(texts, "vector")}

    def missing(self, texts: Iterable[str]) -> list[str]:
        """Those of ``texts`` not stored, each once, in order (their vectors are not read)."""
        texts = list(dict.fromkeys(texts))
        have = {t for t, _ in self._rows(texts, "doc_id")}
        return [t for t in texts if t not in have]

    def put(self, doc_id: str, texts: list[str], vectors: list[list[float]]) -> None:
        """Store the vectors of ``texts``, sentences of ``doc_id``."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(vectors)} vectors for {len(texts)} sentences")
        rows = [(_key(t), doc_id, np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO sentences (key, doc_id, vector) VALUES (?, ?, ?)", rows)

    def remove(self, doc_id: str) -> None:
        """Forget the sentences stored for ``doc_id``."""
        if self.path.exists():
            with self._connect() as db:
                db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))

    def count(self) -> int:
        if not self.path.exists():
            return 0
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
