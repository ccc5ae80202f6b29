"""Turn text into search terms: accent and case folding, Arabic normalisation, light stemming, numbers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from textkit.languages import ar, en, fr

_ARABIC_DIACRITICS = re.compile(r"[\u064b-\u0652\u0670\u0640]")
_ARABIC_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_ARABIC_DIGITS = ar.DIGITS
_HAS_ARABIC_DIGIT = re.compile("[٠-٩۰-۹]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
# Digit groups split by a (thin) space: "1 250 000" -> "1250000".
_GROUPED = re.compile(r"(?<!\d)(\d{1,3})((?:[ \u00a0\u202f\u2009]\d{3})+)(?!\d)")
_ARABIC_PREFIXES = ar.PREFIXES

STOPWORDS = fr.STOPWORDS | en.STOPWORDS | ar.STOPWORDS


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case, strip accents and Arabic diacritics, unify Arabic letter variants."""
    word = word.lower().translate(_ARABIC_DIGITS)
    if any("\u0600" <= c <= "\u06ff" for c in word):
        return _ARABIC_DIACRITICS.sub("", word).translate(_ARABIC_MAP)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def normalize_number(token: str) -> str:
    """Canonical form of a numeric token: "2,4" and "2.4" -> "2.4"; "1.250.000" -> "1250000"."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token) and not re.fullmatch(r"\d{1,3}[.,]\d{3}", token):
        return re.sub(r"[.,]", "", token)
    return token.replace(",", ".")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, language-agnostic stem: Arabic article prefixes off, Latin words cut to six letters."""
    if word[0].isdigit():
        return word
    if "\u0600" <= word[0] <= "\u06ff":
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return word[len(prefix):]
        return word
    word = word.rstrip("s") if len(word) > 4 else word
    return word[:6]


def join_digit_groups(text: str) -> str:
    """Write "1 250 000" as "1250000" so numbers are single terms."""
    return _GROUPED.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)


def words(text: str) -> list[str]:
    """Folded words and normalised numbers of a text, in order (stopwords kept)."""
    text = join_digit_groups(text)
    if _HAS_ARABIC_DIGIT.search(text):  # str.translate walks every character: only when needed
        text = text.translate(_ARABIC_DIGITS)
    return [normalize_number(t) if t[0].isdigit() else fold(t) for t in _TOKEN.findall(text)]


def terms_of_words(folded: list[str]) -> list[str]:
    """Search terms of already folded words (see :func:`words`)."""
    return [stem(w) for w in folded if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def terms(text: str) -> list[str]:
    """Search terms: folded, stemmed words without stopwords, plus numbers."""
    return terms_of_words(words(text))


def numbers(text: str) -> set[str]:
    """The numbers written in digits in a text, normalised (years, amounts, percentages...)."""
    return {w for w in words(text) if w[0].isdigit()}


def weighted_share(wanted: set[str], found: set[str], weight, empty: float = 1.0) -> float:
    """The ``weight``-weighted (e.g. IDF) share of ``wanted`` terms that are in ``found``; ``empty`` when the wanted
    terms weigh nothing. Summed in a fixed order: a set's order follows the process's hash seed and a float sum its
    order, so the same terms would score differently in the last digit from one run to the next (and swap ties)."""
    total = sum(weight(t) for t in sorted(wanted))
    return sum(weight(t) for t in sorted(wanted & found)) / total if total else empty
