"""Filters as people type them, in the web app's form or on the command line, turned into retrieval filters."""

from __future__ import annotations

from textkit.dates import parse_date
from vectorstore.filters import Filters

__all__ = ["Filters", "parse_filters", "unreadable_dates"]


def parse_filters(since: str = "", until: str = "", issuer: str = "", lang: str = "", doc_type: str = "") -> Filters:
    """Filters from typed text: dates in any written form ("12 mars 2025", "2025-03"); an unreadable date does not
    filter (see :func:`unreadable_dates`)."""
    return Filters(since=parse_date(since or ""), until=parse_date(until or ""), issuer=issuer or "",
                   lang=lang or "", doc_type=doc_type or "")


def unreadable_dates(**dates: str) -> list[tuple[str, str]]:
    """The (name, value) pairs among ``dates`` that are given but are not dates."""
    return [(name, value) for name, value in dates.items() if value and not parse_date(value)]
