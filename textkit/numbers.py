"""Numbers in French, English and Arabic text: written in words or in digits, with their units, compared."""

from __future__ import annotations

import re
from functools import lru_cache

from textkit.dates import AR_MONTHS, EN_MONTHS, FR_MONTHS
from textkit.terms import numbers, terms, words


@lru_cache(maxsize=1)
def _alpha2digit():
    try:
        from text_to_num import alpha2digit
    except ImportError:  # pragma: no cover - optional at run time
        return None
    return alpha2digit


_SCALES = {"100", "1000", "1000000", "1000000000", "1000000000000"}


# "une femme sur huit", "one woman in eight": the "one" of a proportion (an answer writes "1 sur 8", "1/8").
_ONE_IN = re.compile(r"\b(?:une?|one)\s+(?:[^\W\d]+\s+){0,2}?(?:sur|in|out of)\s+(?:\d|deux|trois|quatre|cinq|six|"
                     r"sept|huit|neuf|dix|two|three|four|five|seven|eight|nine|ten)", re.IGNORECASE)


# Round figures written as nouns: "une dizaine de départements", "plus d'une centaine d'États", "des milliers de
# personnes", "a dozen ships", "hundreds of jobs". A count given this way answers "combien" as well as digits do
# ("quarantaine" only before "de": "en quarantaine" is an isolation).
_APPROXIMATE = {"dizaine": "10", "douzaine": "12", "quinzaine": "15", "vingtaine": "20", "trentaine": "30",
                "quarantaine": "40", "cinquantaine": "50", "soixantaine": "60", "centaine": "100", "millier": "1000",
                "dozen": "12", "hundred": "100", "thousand": "1000"}
_APPROXIMATE_RE = re.compile(r"\b(?:(?:une|des|plusieurs|quelques|a|several|many)\s+)?(" + "|".join(_APPROXIMATE) +
                             r")s?\s+(?=(?:de\s|d['’]|of\s)(?!\s*(?:" + "|".join(sorted(FR_MONTHS | EN_MONTHS)) +
                             r")\b))",
                             re.IGNORECASE)


# The same nouns in the indefinite plural say many, not how many ("des milliers d'hommes", "plusieurs centaines de
# logements", "font état de centaines de blessés", "hundreds of jobs"): a count asked is not answered by them
# (question_kinds.counts). (Tens of thousands, "des dizaines de milliers de manifestants", "une dizaine de
# milliers", give an order of size.)
_INDEFINITE_PLURAL = re.compile(r"\b(?:des|(?<!aines\s)(?<!aine\s)de|plusieurs|quelques)\s+"
                                r"(?:milliers|centaines|dizaines|millions)\b|"
                                r"\b(?:thousands|hundreds|dozens|millions)\s+of\b", re.IGNORECASE)


def without_indefinite_plurals(text: str) -> str:
    """The text without its indefinite plurals of round figures (see _INDEFINITE_PLURAL)."""
    return _INDEFINITE_PLURAL.sub(" ", text)


# A figure given as an approximation: "plus de 5 500", "près de 10 000", "environ 300", "une centaine de", "more
# than 40", "about 1,200".
_APPROXIMATION = re.compile(r"\b(?:plus\s+d['’]\s*|plus\s+de\s+|près\s+d['’]\s*|près\s+de\s+|environ\s+|quelque\s+|"
                            r"presque\s+|au\s+moins\s+|approximativement\s+|about\s+|around\s+|nearly\s+|"
                            r"almost\s+|more\s+than\s+|over\s+|some\s+|roughly\s+|approximately\s+|at\s+least\s+)"
                            r"(?:(?:une?|a)\s+)?(?:\d(?:[\s\u00a0\u202f.,]?\d)*|[^\W\d_]+)|"
                            r"\b(?:une?|a)\s+(?:" + "|".join(_APPROXIMATE) + r")s?\b", re.IGNORECASE)


def without_approximations(text: str) -> str:
    """The text without its approximate figures (see _APPROXIMATION): what it states exactly."""
    return _APPROXIMATION.sub(" ", text)


def approximate_numbers(text: str) -> str:
    """The text with its round figures written as nouns in digits ("une dizaine de départements" -> "10 de
    départements"), so that what follows them is read as what they count; their indefinite plurals, which count
    nothing, left out ("des milliers d'hommes" is many men, not 1 000)."""
    return _APPROXIMATE_RE.sub(lambda m: f"{_APPROXIMATE[m.group(1).lower()]} ", without_indefinite_plurals(text))


def in_digits(text: str, lang: str) -> str:
    """The text with its numbers written in words in digits ("cent vingt-neuf OFS" -> "129 OFS", "une dizaine de
    départements" -> "10 de départements"), in French and English; the text as it is otherwise."""
    if lang not in {"fr", "en"}:
        return text
    text = approximate_numbers(text)
    convert = _alpha2digit()
    if convert:
        try:
            return convert(text, lang)
        except Exception:  # text2num rejects rare inputs; the digits of the text still count
            pass
    return text


# One of a scale is a number ("un million d'euros", "a billion dollars"), where a scale alone is not (see below).
_ONE_SCALE = re.compile(r"\b(?:un|one|a)\s+(million|milliard|billion)\b", re.IGNORECASE)
_ONE_SCALE_VALUE = {"million": "1000000", "milliard": "1000000000", "billion": "1000000000"}


def spelled_numbers(text: str, lang: str) -> set[str]:
    """Numbers of a text, including those written in words ("trois cents" -> 300, "une centaine de" -> 100) in
    French and English; an indefinite plural of a round figure is none ("des milliers de", "hundreds of")."""
    found = numbers(text)
    if _ONE_IN.search(text):
        found.add("1")
    if lang in {"fr", "en"}:  # round figures and one of a scale, written in words
        found |= {_APPROXIMATE[m.group(1).lower()] for m in _APPROXIMATE_RE.finditer(without_indefinite_plurals(text))}
        found |= {_ONE_SCALE_VALUE[m.group(1).lower()] for m in _ONE_SCALE.finditer(text)}
    # A scale word alone ("millions" in "12,5 millions") becomes 1000000: not a number of its own.
    return found | (numbers(in_digits(text, lang)) - _SCALES)


def number_variants(number: str) -> set[str]:
    """Ways one number may be written: "1.250" may be 1.25 or 1250; leading zeros do not count."""
    n = number.lstrip("0") or "0"
    out = {n}
    if re.fullmatch(r"\d{1,3}\.\d{3}", n):
        out.add(n.replace(".", ""))
    if "." in n:
        out.add(n.rstrip("0").rstrip("."))
    return out


def numbers_supported(claim_numbers: set[str], passage_numbers: set[str]) -> set[str]:
    """The numbers of a claim that the passage does not contain."""
    pool = set().union(*(number_variants(p) for p in passage_numbers)) if passage_numbers else set()
    return {n for n in claim_numbers if not (number_variants(n) & pool)}


# What a figure counts: "12 %" and "12 millions d'euros" are not the same fact. Units in French and English.
_UNITS = {
    "percent": r"%|pour\s?cent|per\s?cent|percent",
    "money": r"(?:millions?|milliards?|billions?|M|Md)?\s*(?:d'|of\s)?(?:euros?|€|dollars?|\$)|€",
    "scale": r"millions?|milliards?|billions?",
    "area": r"hectares?|ha|km²|km2",
    "length": r"kilom[eè]tres?|kilomet(?:re|er)s?|km|m[eè]tres?|met(?:re|er)s?",
    "mass": r"tonnes?|tons?",
    "time": r"jours?|days?|semaines?|weeks?|mois|months?|heures?|hours?|ans|années?|years?",
    # A day of a written date ("le 12 novembre 2020" in a title): not the "12 millions d'euros" of a claim.
    "day": r"(?:er\s+)?(?:" + "|".join(sorted(set(FR_MONTHS) | set(EN_MONTHS), key=len, reverse=True)) + ")",
}
PERCENT = re.compile(_UNITS["percent"] + r"|٪|في المائة|بالمائة", re.IGNORECASE)
# A share written as a proportion or a fraction ("une femme sur 8", "3 sur 4", "one in five", "la moitié", "les deux
# tiers", "un quart"): an answer to "quelle part", "what share" as much as a percentage ("pays tiers" is no share).
SHARE = re.compile(
    # "une femme sur 8", "3 sur 4", "one in five": not "un plan sur 5 ans" nor "one project in 2025"
    r"\b(?:\d+|une?|one)\s+(?:[^\W\d]+\s+){0,2}?(?:sur|in|out of)\s+\d{1,3}\b"
    r"(?![.,]?\d|\s*(?:ans?|années?|mois|jours?|heures?|years?|months?|days?|hours?)\b)|"
    r"\b(?:la|une|de)\s+moitié\b|"
    # A rate: "72 cas pour 100 000 personnes", "5 per 1,000 births"
    # (not money: "10 millions pour 1 000 projets"; "pour cent" is a percentage, read elsewhere)
    r"\b\d[\d\s\u00a0\u202f.,]*\s+(?:(?!euros?\b|dollars?\b|millions?\b|milliards?\b)[^\W\d]+\s+){0,2}?"
    r"(?:pour|per)\s+(?:1[\s\u00a0\u202f.,]?0{3}|10[\s\u00a0\u202f.,]?0{3}|100[\s\u00a0\u202f.,]?0{3}|mille)\b"
    r"(?![.,]?\d)|"
    # "un tiers des paiements", "les trois quarts du budget": not "le tiers payant", "un quart d'heure"
    r"\b(?:un|le|les|deux|trois|\d)\s+(?:tiers|quarts?)\s+(?:des?|du|d['’](?!heure))|"
    r"\b(?:one|a)\s+half\b|(?<!first )(?<!second )(?<!the )\bhalf\s+of\b|"
    r"\b(?:a|one|two)\s+(?:thirds?|quarters?)\s+of\b|"
    r"(?<!\w)(?:ال)?(?:نصف|ثلث|ربع)(?!\w)", re.IGNORECASE)
_UNIT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[\s\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*(" + "|".join(f"(?P<{k}>{v})" for k, v in _UNITS.items()) + r")(?![\w])",
                   re.IGNORECASE)


def units_of(text: str) -> dict[str, set[str]]:
    """For each number of the text followed by a unit, the kinds of unit it is written with."""
    out: dict[str, set[str]] = {}
    for m in _UNIT.finditer(text):
        found = numbers(m.group(1))
        if not found:
            continue
        kind = next(k for k in _UNITS if m.group(k))
        for n in found:
            for v in number_variants(n):
                out.setdefault(v, set()).add(kind)
    return out


def unit_mismatches(claim: str, passage_units: dict[str, set[str]]) -> set[str]:
    """Numbers the claim gives with a unit that the passage (its ``units_of``) never gives them with ("12 millions"
    for "12 %")."""
    claim_units = units_of(claim)
    bad = set()
    for n, kinds in claim_units.items():
        seen = passage_units.get(n)
        # A number the passage writes bare, or not at all, is left to the other checks.
        if seen and not (kinds & seen) and not ({"money", "scale"} & kinds and {"money", "scale"} & seen):
            bad.add(n)
    return bad


_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH_WORDS = {fold_word for m in (*FR_MONTHS, *EN_MONTHS, *AR_MONTHS) for fold_word in words(m)}


def years_of_figures(text: str) -> dict[str, str]:
    """Figures of the text and the year that follows each within a few words ("4,3 % du PIB en 2025" -> 4.3: 2025).

    Days of dates ("12 mars 2025") are not figures here.
    """
    tokens = words(text)
    out: dict[str, str] = {}
    for i, token in enumerate(tokens):
        if not token[0].isdigit() or _YEAR.fullmatch(token) or (i + 1 < len(tokens) and tokens[i + 1] in _MONTH_WORDS):
            continue
        for nxt in tokens[i + 1: i + 9]:
            if nxt[0].isdigit():
                if _YEAR.fullmatch(nxt):
                    out.setdefault(token, nxt)
                break
    return out


def prune_numbers(sentence: str, missing: set[str], lang: str) -> tuple[str, str] | None:
    """The sentence without its comma-, dash- or parenthesis-delimited parts that hold the ``missing`` numbers.

    Returns (what is left, what was removed), or None when nothing sensible is left.
    """
    pool = set().union(*(number_variants(n) for n in missing))

    def holds(piece: str) -> bool:
        return any(number_variants(n) & pool for n in spelled_numbers(piece, lang))

    pieces = re.split(r"(,\s*|\s+[-–—]\s+|\s*\([^)]*\))", sentence.rstrip(" .!?؟"))
    keep, removed = [], []
    for i, piece in enumerate(pieces):
        is_group = i % 2 == 1 and piece.strip().startswith("(")
        if i % 2 == 1 and not is_group:
            continue  # a separator goes with the segment after it
        separator = pieces[i - 1] if i % 2 == 0 and i and not pieces[i - 1].strip().startswith("(") else ""
        bucket = removed if holds(piece) else keep
        bucket.append(piece if is_group else separator + piece)
    if not removed or not keep:
        return None
    text = "".join(keep).lstrip(" ,").strip()
    if len(terms(text)) < 3:
        return None
    return text + ".", " ".join(r.strip(" ,()") for r in removed)
