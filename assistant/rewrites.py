"""The checks of a follow-up's rewrite by the model, by name (described in assistant.evidence.rules.REWRITE_CHECKS):
a rewrite failing one is not taken, and the follow-up is asked with the conversation it leans on instead (see
Chain.standalone)."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.evidence.asked import Kind, kinds_of
from assistant.questions import split_question, without_context
from assistant.scripts import scripts

# A statement ended before the question goes on: "Il a dit que… publique. Et selon lui… ?" (a full stop or an
# exclamation mark, then a word; not "M. Valmont", "U.S.", "2,5." in a figure).
_STATEMENT_BEFORE = re.compile(r"(?<![A-Z.\d])[a-zà-ÿ\u0600-\u06ff)»”\"]{2,}[.!]\s+\S")


def asks(question: str) -> set[Kind]:
    """The kinds of answer each part of ``question`` asks for, together."""
    return set().union(*(kinds_of(part) for part in split_question(without_context(question))))


def _not_a_question(question: str, rewritten: str, conversation: str) -> bool:
    """A statement (the model answered instead of rewriting: "La conférence s'est tenue le 27 janvier."), or a
    statement before the question (the previous answer copied in)."""
    return rewritten.endswith(".") or bool(_STATEMENT_BEFORE.search(without_context(rewritten)))


def _lost_an_ask(question: str, rewritten: str, conversation: str) -> bool:
    """A date, a place, a person, a name, an organisation or a reason the follow-up asks for that the rewrite no longer
    asks ("If so, where and when?" dropped, "…and in what year?" dropped). Not a figure: a rewrite often asks it in
    words the reading of kinds does not take for one ("à combien s'élève l'effort ?" rewritten "Quel est l'effort
    total… ?"), and such rewrites were good."""
    return bool(asks(question) - asks(rewritten) - {Kind.FIGURE})


def _foreign_script(question: str, rewritten: str, conversation: str) -> bool:
    """Letters of a script neither the follow-up nor the conversation writes ("أсколько ستبلغ…")."""
    return bool(scripts(rewritten) - scripts(f"{question} {conversation}"))


REWRITE_FAILS: dict[str, Callable[[str, str, str], bool]] = {
    "rewrite-is-a-question": _not_a_question,
    "rewrite-keeps-asks": _lost_an_ask,
    "rewrite-own-script": _foreign_script,
}
