"""What one ingest run did, as it goes (for the progress display) and at the end (for the user)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    removed: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (source, doc_id, id of the original)
    pending: list[str] = field(default_factory=list)  # left half-written by a crash and not given again
    planted: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, sentence left out: addressed to an AI)
    chunks_written: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0  # time spent embedding chunks

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "pending": self.pending, "planted": [{"doc_id": d, "sentence": t} for d, t in self.planted],
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "duplicates": [{"source": s, "doc_id": d, "duplicate_of": o} for s, d, o in self.duplicates],
            "chunks_written": self.chunks_written, "seconds": round(self.seconds, 2),
            "embed_seconds": round(self.embed_seconds, 2),
        }


# progress(files done, files in all, source being read, report so far)
Progress = Callable[[int, int, str, IngestReport], None]
