"""Whether a statement is negated or about what will happen, in French, English and Arabic, and the verbs that carry
tense or mood rather than meaning."""

from __future__ import annotations

import re

from textkit.languages import ar, en, fr
from textkit.terms import terms

_NEGATION = re.compile("|".join(lang.NEGATION for lang in (fr, en, ar)), re.IGNORECASE)
_FUTURE = re.compile("|".join(lang.FUTURE for lang in (fr, en, ar)), re.IGNORECASE)
# (Arabic conjugates by prefixes: its auxiliaries are not separate words to drop.)
AUXILIARIES = frozenset(terms(f"{fr.AUXILIARIES} {en.AUXILIARIES}"))


def is_negated(text: str) -> bool:
    """Whether the text says no: "n'a pas démissionné", "did not resign", "لم يستقل"."""
    return bool(_NEGATION.search(text))


def speaks_of_future(text: str) -> bool:
    """Whether the text tells what will happen: "la cérémonie aura lieu le 26 août", "will start", "سوف"."""
    return bool(_FUTURE.search(text))
