"""Questions asking which releases were published ("Quels communiqués ont été publiés sur la grève entre novembre
et décembre 2024 ?"): answered from the index, not by the model.

The answer is the list of the releases retrieval found on the subject, each with its date, issuer and title, cited
to its closest passage, within the period the question names. The model would describe one release and miss the
other (measured: it listed one of two, with a speech of October among them); the index knows every release's
date and issuer.
"""

from __future__ import annotations

import re

from assistant.questions import without_context
from assistant.citations import best_quote
from assistant.verify import Verification
from assistant.verify_reasons import VerifyReason, message
from core.types import Citation, Passage, Sentence
from textkit.dates import MONTHS, MONTH_RE, find_dates, human_date
from vectorstore.filters import Filters

_MONTH_OR_YEAR = re.compile(rf"(?<!\w)({MONTH_RE})(?!\w)|\b((?:19|20)\d\d)\b", re.IGNORECASE)

# The period is that of publication only when the question says so: "Quels communiqués parlent du budget 2026 ?"
# asks about 2026's budget, published in 2025.
_PUBLISHED = re.compile(
    r"\b(?:publiés?|parus?|diffusés?|published|issued|released|put out)\b|\b(?:entre|between)\b|نُ?شرت|صدرت",
    re.IGNORECASE)

_QUOTES = {"fr": "« {} »", "en": "“{}”", "ar": "«{}»"}


def quoted(text: str, lang: str) -> str:
    """``text`` between the quotation marks of ``lang`` (French ones for a language without its own)."""
    return _QUOTES.get(lang, _QUOTES["fr"]).format(text)


def labelled(label: str, text: str, lang: str) -> str:
    """``text`` after ``label`` and a colon as ``lang`` writes it ("Vacances d'automne : …", "31 January 2023: …")."""
    return f"{label}{' :' if lang == 'fr' else ':'} {text}"

HEADER = {
    "fr": "Communiqués trouvés sur ce sujet ({n}) :",
    "en": "Releases found on this subject ({n}):",
    "ar": "البلاغات التي عُثر عليها حول هذا الموضوع ({n}):",
}


def publication_period(question: str) -> Filters | None:
    """The publication period the question names, as a date filter: "publiés entre novembre et décembre 2024" ->
    2024-11-01 to 2024-12-31; "parus en 2025" -> the year; a month takes the next year named. None when the
    question does not speak of publication, or names no period."""
    question = without_context(question)
    if not _PUBLISHED.search(question):
        return None
    pending: list[int] = []
    found: list[str] = []
    for m in _MONTH_OR_YEAR.finditer(question):
        if m.group(1):
            pending.append(MONTHS[m.group(1).lower()])
        else:
            year = int(m.group(2))
            found += [f"{year}-{month:02d}" for month in pending] or [f"{year}-01", f"{year}-12"]
            pending = []
    found += [d[:7] for d in find_dates(question)]
    if not found:
        return None
    return Filters(since=f"{min(found)}-01", until=f"{max(found)}-31")


def release_list(passages: tuple[Passage, ...], question: str, lang: str,
                 max_gap: float = 0.1) -> tuple[str, Verification] | None:
    """The releases of ``passages`` (retrieved within the period the question names), as an answer with one cited
    line each, in date order; or None when there are none. Only those at most ``max_gap`` less similar to the
    question than the closest one: a speech that mentions the strike in passing is not about it."""
    if not passages:
        return None
    best = max(p.dense for p in passages)
    chosen: dict[str, Passage] = {}
    for p in passages:  # the closest one at least
        if p.dense >= best - max_gap and p.chunk.doc_id not in chosen:
            chosen[p.chunk.doc_id] = p
    ordered = sorted(chosen.values(), key=lambda p: (p.chunk.date or "9999", p.chunk.title))
    lines, sentences, citations = [], [], []
    for n, p in enumerate(ordered, 1):
        c = p.chunk
        head = " — ".join(x for x in (human_date(c.date, lang) if c.date else "", c.issuer) if x)
        title = quoted(c.title, lang)
        line = labelled(head, title, lang) if head else title
        lines.append(f"- {line} [{n}]")
        sentences.append(Sentence(line, (n,), True, message(VerifyReason.RELEASE_LISTED, lang),
                                  VerifyReason.RELEASE_LISTED.value))
        citations.append(Citation(n=n, doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title, date=c.date,
                                  issuer=c.issuer, quote=best_quote(question, p.full_text, c.lang or lang),
                                  passage=p.full_text, source=c.source, page=c.page))
    text = HEADER.get(lang, HEADER["fr"]).format(n=len(ordered)) + "\n" + "\n".join(lines)
    return text, Verification(text=text, sentences=tuple(sentences), citations=tuple(citations),
                              refused_by_model=False, dropped=0)
