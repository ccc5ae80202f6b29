"""Feedback on answers: thumbs up or down with an optional comment, kept in SQLite for evaluators."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    session TEXT NOT NULL DEFAULT '',
    turn INTEGER NOT NULL DEFAULT 0,   -- which answer of the conversation (0 = first)
    rating INTEGER NOT NULL,           -- +1 thumbs up, -1 thumbs down
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,              -- the answer's stable JSON shape (core.types.answer_json)
    settings TEXT NOT NULL,            -- what produced it: models, retrieval, prompt hash, commit
    UNIQUE (session, turn)
);
"""


class FeedbackStore:
    """One row per rated answer; rating again or adding a comment updates that row."""

    def __init__(self, path: Path, settings: Callable[[], dict] | dict | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._settings = settings
        self._settings_json: str | None = None
        with closing(self._connect()) as db, db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def _settings_text(self) -> str:
        # Computed once, on the first rating: the snapshot runs git and hashes the prompt.
        if self._settings_json is None:
            snap = self._settings() if callable(self._settings) else (self._settings or {})
            self._settings_json = json.dumps(snap, ensure_ascii=False, default=str)
        return self._settings_json

    def rate(self, answer: dict, rating: int, comment: str = "", user: str = "", session: str = "",
             turn: int = 0) -> int:
        """Store (or update) the rating of one answer; returns the feedback id."""
        if rating not in (1, -1):
            raise ValueError("rating must be +1 (thumbs up) or -1 (thumbs down)")
        now = time.time()
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO feedback (created_at, updated_at, user, session, turn, rating, comment, question, answer,"
                " settings) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(session, turn) DO UPDATE SET"
                " updated_at=excluded.updated_at, rating=excluded.rating, user=excluded.user,"
                " comment=CASE WHEN excluded.comment != '' THEN excluded.comment ELSE feedback.comment END",
                (now, now, user, session, turn, rating, comment.strip(), str(answer.get("question", "")),
                 json.dumps(answer, ensure_ascii=False), self._settings_text()),
            )
            row = db.execute("SELECT id FROM feedback WHERE session=? AND turn=?", (session, turn)).fetchone()
        return int(row[0])

    def comment(self, feedback_id: int, comment: str) -> bool:
        """Attach a comment to a stored rating; False if there is no such rating."""
        with closing(self._connect()) as db, db:
            cur = db.execute("UPDATE feedback SET comment=?, updated_at=? WHERE id=?",
                             (comment.strip(), time.time(), feedback_id))
        return cur.rowcount > 0

    def records(self) -> Iterator[dict]:
        """Every rating, oldest first, as the JSON objects that `communiques feedback export` writes."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, created_at, updated_at, user, session, turn, rating, comment, question,"
                              " answer, settings FROM feedback ORDER BY id").fetchall()
        for (fid, created, updated, user, session, turn, rating, comment, question, answer, settings) in rows:
            answer_obj = json.loads(answer)
            yield {
                "id": fid,
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created)),
                "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(updated)),
                "user": user, "session": session, "turn": turn,
                "rating": "up" if rating > 0 else "down",
                "comment": comment,
                "question": question,
                "answer": answer_obj.get("answer", ""),
                "abstained": answer_obj.get("abstained", False),
                "citations": answer_obj.get("citations", []),
                "details": answer_obj,
                "settings": json.loads(settings),
            }
