"""Figures for evaluators: bootstrap confidence intervals and the length of what the user sees."""

from __future__ import annotations

import random
import re

_CITATION = re.compile(r"\s*\[\d+\]")
_WORD = re.compile(r"\d+(?:[.,\s\u00a0\u202f]\d+)*|[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670]")


def words_shown(text: str) -> int:
    """Words of the answer as shown, citation marks left out ("1 747,20" is one word; Arabic vowel marks do not
    split a word)."""
    return len(_WORD.findall(_ARABIC_MARKS.sub("", _CITATION.sub("", text))))


def bootstrap_interval(values: list[float], rounds: int = 1000, level: float = 0.95,
                       seed: int = 0) -> tuple[float | None, float | None]:
    """The percentile bootstrap interval of the mean of ``values`` (resampled ``rounds`` times, seeded: the same
    run gives the same interval). (None, None) without values."""
    if not values:
        return None, None
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    tail = (1 - level) / 2
    return round(means[int(tail * rounds)], 3), round(means[min(rounds - 1, int((1 - tail) * rounds))], 3)
