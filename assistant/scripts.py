"""Writing systems: an answer must be written in the question's or the sources' scripts, never another."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_SENTENCE = re.compile(r"(?<=[.!?؟。])\s+|\n+")


def script_of(char: str) -> str | None:
    """The script of a letter ("LATIN", "ARABIC", "CJK", "CYRILLIC"…), None for anything else (digits, marks)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else None


def scripts(text: str) -> set[str]:
    """The scripts of the letters of ``text``."""
    return {s for s in map(script_of, text) if s}


# Letters that are signs, not a script's: "nº", "1ᵉʳ", "ʼ", "µg" (their names open with these words).
SIGNS = frozenset({"MASCULINE", "FEMININE", "MODIFIER", "SUPERSCRIPT", "SUBSCRIPT", "MICRO"})


def script_letters(text: str) -> Counter:
    """How many letters of each script ``text`` writes, signs left out (see SIGNS)."""
    return Counter(s for s in map(script_of, text) if s and s not in SIGNS)


def without_foreign_script(text: str, allowed: str) -> tuple[str, list[str]]:
    """``text`` without its sentences holding letters of a script that ``allowed`` (the question and the passages)
    does not use, and those sentences: a small model sometimes drifts into another script mid-answer ("المغرب
    و以色列"), which no check of words or figures catches."""
    known = scripts(allowed)
    kept, removed = [], []
    for sentence in _SENTENCE.split(text):
        (removed if scripts(sentence) - known else kept).append(sentence)
    return " ".join(s for s in kept if s), [s for s in removed if s.strip()]
