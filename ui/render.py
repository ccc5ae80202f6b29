"""HTML for the sources panel and the answer: pure functions of the chain's events."""

from __future__ import annotations

import html
import re

from assistant.types import Answer, Passage

LABELS = {
    "searching": "Recherche dans les communiqués…",
    "sources": "Passages consultés",
    "cited": "Sources citées",
    "unverified": "Phrases retirées (non confirmées par les sources)",
    "abstained": "Pas de réponse dans les communiqués",
    "nothing": "Aucun communiqué ne correspond à la recherche (vérifiez les filtres).",
}


def _rtl(text: str) -> str:
    return ' dir="rtl"' if re.search(r"[\u0600-\u06ff]", text[:200]) else ""


def _card(n: int | str, title: str, issuer: str, date: str, doc_id: str, body: str, anchor: str = "") -> str:
    meta = " · ".join(html.escape(x) for x in (issuer, date or "non daté", doc_id) if x)
    return (f'<div class="src-card" id="{anchor}"><div class="src-head"><span class="src-n">[{n}]</span> '
            f'<b>{html.escape(title)}</b></div><div class="src-meta">{meta}</div>'
            f'<div class="src-body"{_rtl(body)}>{body}</div></div>')


def sources_html(passages: tuple[Passage, ...]) -> str:
    """The passages found, shown while the answer is being written."""
    if not passages:
        return f"<div class='src-empty'>{LABELS['searching']}</div>"
    cards = [_card(i, p.chunk.title, p.chunk.issuer, p.chunk.date, p.chunk.doc_id, html.escape(p.text))
             for i, p in enumerate(passages, 1)]
    return f"<div class='src-panel'><h4>{LABELS['sources']}</h4>{''.join(cards)}</div>"


def highlight(passage: str, quote: str) -> str:
    """The passage, escaped, with the quoted sentence(s) marked."""
    escaped = html.escape(passage)
    for sentence in sorted({s.strip() for s in re.split(r"(?<=[.!?؟])\s+", quote) if len(s.strip()) > 8}, key=len,
                           reverse=True):
        escaped = escaped.replace(html.escape(sentence), f"<mark>{html.escape(sentence)}</mark>", 1)
    return escaped.replace("\n", "<br>")


def answer_sources_html(answer: Answer) -> str:
    """The checked citations, each with its quote highlighted in the passage."""
    if answer.abstained or not answer.citations:
        body = sources_html(answer.passages) if answer.passages else f"<div class='src-empty'>{LABELS['nothing']}</div>"
        return f"<div class='src-abstain'>{LABELS['abstained']}</div>{body}"
    cards = [_card(c.n, c.title, c.issuer, c.date, c.doc_id, highlight(c.passage, c.quote), anchor=f"src-{c.n}")
             for c in answer.citations]
    flagged = [s for s in answer.sentences if not s.supported]
    extra = ""
    if flagged:
        items = "".join(f"<li>{html.escape(s.text)} <i>({html.escape(s.reason)})</i></li>" for s in flagged)
        extra = f"<div class='src-flagged'><h4>{LABELS['unverified']}</h4><ul>{items}</ul></div>"
    return f"<div class='src-panel'><h4>{LABELS['cited']}</h4>{''.join(cards)}{extra}</div>"


def answer_markdown(answer: Answer) -> str:
    """The answer for the chat, with [n] linking to its source card."""
    if answer.abstained:
        return f"⚠️ {answer.text}"
    return re.sub(r"\[(\d+)\]", r"[[\1]](#src-\1)", answer.text)


CSS = """
.src-card {border: 1px solid #ddd; border-radius: 8px; padding: 8px 10px; margin: 8px 0; background: #fafafa;}
.src-head {font-size: 0.95em;} .src-n {color: #1a5fb4; font-weight: bold;}
.src-meta {color: #666; font-size: 0.8em; margin: 2px 0 6px;}
.src-body {font-size: 0.88em; line-height: 1.4;} .src-body mark {background: #fff3a3; padding: 0 2px;}
.src-abstain {color: #a51d2d; font-weight: bold; margin: 6px 0;}
.src-flagged {color: #8a4b00; font-size: 0.85em;}
"""
