"""Restrictions on what retrieval may return: dates, issuer, language, document type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.types import Chunk, date_int
from textkit.terms import fold


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some documents. Empty fields do not filter."""

    since: str = ""  # ISO date, inclusive
    until: str = ""  # ISO date, inclusive
    issuer: str = ""  # case- and accent-insensitive substring of the issuer
    lang: str = ""
    doc_type: str = ""

    def where(self) -> dict[str, Any] | None:
        """The part of the filter that Chroma evaluates."""
        clauses: list[dict[str, Any]] = []
        if self.since:
            clauses.append({"date_int": {"$gte": date_int(self.since)}})
        if self.until:
            clauses.append({"date_int": {"$lte": date_int(self.until)}})
        if self.lang:
            clauses.append({"lang": self.lang})
        if self.doc_type:
            clauses.append({"doc_type": self.doc_type})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, chunk: Chunk) -> bool:
        """Whether a chunk passes every filter."""
        date = date_int(chunk.date)
        if self.since and (not date or date < date_int(self.since)):
            return False
        if self.until and (not date or date > date_int(self.until)):
            return False
        if self.lang and chunk.lang != self.lang:
            return False
        if self.doc_type and chunk.doc_type != self.doc_type:
            return False
        if self.issuer and fold(self.issuer.strip()) not in fold(chunk.issuer):
            return False
        return True

    @property
    def active(self) -> bool:
        return any((self.since, self.until, self.issuer, self.lang, self.doc_type))
