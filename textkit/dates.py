"""Dates and months written in French, English or Arabic text, read as ISO strings and written back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from textkit.languages import ar, en, fr
from textkit.terms import numbers

FR_MONTHS = fr.MONTHS
EN_MONTHS = en.MONTHS
AR_MONTHS = ar.MONTHS
MONTHS = {**FR_MONTHS, **EN_MONTHS, **AR_MONTHS}
_ARABIC_DIGITS = ar.DIGITS
MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
AR_MONTH_RE = "|".join(sorted((re.escape(m) for m in AR_MONTHS), key=len, reverse=True))
_MONTH_NAMES = {"fr": fr.MONTH_NAMES, "en": en.MONTH_NAMES, "ar": ar.MONTH_NAMES}


_YEAR_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def human_date(iso: str, lang: str = "fr") -> str:
    """An ISO date as people write it in that language ("3 décembre 2024", "3 December 2024"; a month alone,
    "2021-11": "novembre 2021"); unparsable as is."""
    month = _YEAR_MONTH.fullmatch(iso or "")
    if month:
        return f"{_MONTH_NAMES.get(lang, _MONTH_NAMES['fr'])[int(month.group(2)) - 1]} {month.group(1)}"
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    return f"{d.day} {_MONTH_NAMES.get(lang, _MONTH_NAMES['fr'])[d.month - 1]} {d.year}"


_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({MONTH_RE})\s+(\d{{4}})", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def find_dates(text: str) -> list[str]:
    """All dates written in the text, as ISO strings, in order of appearance.

    Understands "le 2 octobre 2020", "1er mars 2025", "2 October 2020", "October 2, 2020",
    "٢ أكتوبر ٢٠٢٠", "2020-10-02" and "02/10/2020" (day first).
    """
    return [iso for _, _, iso in date_spans(text)]


def date_spans(text: str) -> list[tuple[int, int, str]]:
    """The dates written in the text (see :func:`find_dates`) with where each starts and ends: (start, end, ISO)."""
    text = text.translate(_ARABIC_DIGITS)  # (one character for one: the places are the text's)
    found: list[tuple[int, int, str]] = []

    def add(m: re.Match, y: str, mo: int | str, d: str) -> None:
        if iso := _checked(int(y), int(mo), d):
            found.append((m.start(), m.end(), iso))

    for m in _DAY_MONTH_YEAR.finditer(text):
        add(m, m.group(3), MONTHS[m.group(2).lower()], m.group(1))
    for m in _MONTH_DAY_YEAR.finditer(text):
        add(m, m.group(3), MONTHS[m.group(1).lower()], m.group(2))
    for m in _ISO.finditer(text):
        add(m, m.group(1), m.group(2), m.group(3))
    for m in _NUMERIC.finditer(text):
        add(m, m.group(3), m.group(2), m.group(1))
    return sorted(found)


_MONTH_YEAR = re.compile(rf"(?<!\d\s)(?<!\d)\b({MONTH_RE})\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_NAME = re.compile(MONTH_RE, re.IGNORECASE)  # (the longest name first: "كانون الثاني", not "كانون")


def month_number(text: str) -> int | None:
    """The number of the first month the text names in French, English or Arabic ("12 septembre": 9), else None."""
    found = _MONTH_NAME.search(text)
    return MONTHS[found.group(0).lower()] if found else None


def find_months(text: str) -> list[str]:
    """Months named without a day ("en décembre 2024", "in October 2025", "في ديسمبر 2024"), as "YYYY-MM"."""
    spans = _month_spans(text.translate(_ARABIC_DIGITS))
    return list(dict.fromkeys(f"{year:04d}-{month:02d}" for _, year, month in spans))


def _month_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """Each month written with its year and no day: where it starts, its year and its number."""
    for m in _MONTH_YEAR.finditer(text):
        if not re.search(r"\d\s*(?:er|st|nd|rd|th)?\s*$", text[: m.start()]):  # "le 9 avril 2025": a date
            yield m.start(), int(m.group(2)), MONTHS[m.group(1).lower()]


# A date or a month a list writes once for several ("les 21 et 28 octobre 2020", "le 28 septembre puis le 7 octobre
# 2020", "en septembre et en octobre 2020", "September 28 and October 7, 2020", "21 و28 أكتوبر 2020"): the words
# that join them, an article between, and at most a few words before the written date ("entre le communiqué du 14
# septembre et celui du 7 octobre 2020"). Not a range ("du 5 au 12 mars", "from March to June"): its two ends are no
# two occasions, and the days between are not read either. A day is a number of its own, not the end of "Covid-19",
# "n° 2020-12", "2020-09-28" or "18 h 30".
_JOIN = r"(?:&|\b(?:et|ou|puis|and|or|then|ثم)\b|و)"
_THEN = r"(?:\b(?:le|les|du|en|the|on|in)\s+)?"
_GAP = r"(?:[^\W\d_]+(?:['’]\s*|\s+)){0,6}"  # (whole words: a word split anywhere would backtrack for seconds)
_DAY = r"(?<![\w./\-–:])(?<!\bh\s)(?P<day>\d{1,2})(?:er|st|nd|rd|th)?"
_ELIDED_DAY = re.compile(rf"{_DAY}\s*{_JOIN}\s*{_THEN}$")
_LISTED_DAY = re.compile(rf"{_DAY}\s*,\s*$")  # "5, " of "les 5, 6 et 7 mai", after the "et"
_ELIDED_DAY_MONTH = re.compile(rf"{_DAY}\s+(?P<month>{MONTH_RE})\s*{_JOIN}\s*{_THEN}{_GAP}$", re.IGNORECASE)
_ELIDED_MONTH_DAY = re.compile(rf"\b(?P<month>{MONTH_RE})\s+{_DAY}\s*{_JOIN}\s*{_THEN}{_GAP}$", re.IGNORECASE)
_ELIDED_MONTH = re.compile(rf"\b({MONTH_RE})\s*(?:,|{_JOIN})\s*{_THEN}$", re.IGNORECASE)
_REACH = 160  # characters before a written date where the dates it completes are looked for


def _year_before(month: int, then_year: int, then_month: int) -> int:
    """The year of a month written without one before a date or month of ``then``: the same, or the one before when
    the month comes later in the year ("le 28 décembre et le 4 janvier 2021")."""
    return then_year if month <= then_month else then_year - 1


def _own_words(text: str) -> str:
    """The text with Arabic digits as digits and "و" (and) glued to a number or a month set apart: "و28", "ويونيو"."""
    return re.sub(rf"(?<=و)(?=\d|{AR_MONTH_RE})", " ", text.translate(_ARABIC_DIGITS))


def dates_named(text: str) -> list[str]:
    """The dates of :func:`find_dates` and those a list writes once for several (see ``_JOIN``): "les 21 et 28
    octobre 2020" names the 21st and the 28th of October 2020. For what a question asks about, not for reading a
    release's own date."""
    text = _own_words(text)
    found = []
    for start, _, iso in date_spans(text):
        then, before, elided = date.fromisoformat(iso), text[max(0, start - _REACH):start], []
        m = _ELIDED_DAY_MONTH.search(before) or _ELIDED_MONTH_DAY.search(before)
        if m:  # "le 28 septembre puis le 7 octobre 2020", "September 28 and October 7, 2020"
            month = MONTHS[m.group("month").lower()]
            elided.append(_checked(_year_before(month, then.year, then.month), month, m.group("day")))
        else:
            join = _ELIDED_DAY  # the days of a list sharing the month ("les 5, 6 et 7 mai"), joined by "et" last
            while m := join.search(before):
                elided.append(_checked(then.year, then.month, m.group("day")))
                before, join = before[:m.start()], _LISTED_DAY
        found += [*reversed(elided), iso]
    return list(dict.fromkeys(d for d in found if d))


def months_named(text: str) -> list[str]:
    """The months of :func:`find_months` and those a list writes once for several ("en septembre et en octobre
    2020" names September and October 2020). English "may" counts only written as a month, "May"."""
    text = _own_words(text)
    found = []
    for start, year, month in _month_spans(text):
        before, elided = text[max(0, start - _REACH):start], []
        while (e := _ELIDED_MONTH.search(before)) and e.group(1) != "may":
            other = MONTHS[e.group(1).lower()]
            elided.append(f"{_year_before(other, year, month):04d}-{other:02d}")
            before = before[: e.start()]
        found += [*reversed(elided), f"{year:04d}-{month:02d}"]
    return list(dict.fromkeys(found))


def _checked(year: int, month: int, day: str) -> str:
    """The ISO date, or "" when there is no such day."""
    try:
        return date(year, month, int(day)).isoformat()
    except ValueError:
        return ""


def parse_date(value: str) -> str:
    """Return the ISO date of a metadata value ("2025-03-12", "12 mars 2025"...), its month when it gives no day
    ("2021-11", "novembre 2021" -> "2021-11"), or "" if none."""
    value = (value or "").strip()
    if not value:
        return ""
    dates = find_dates(value)
    if dates:
        return dates[0]
    if _YEAR_MONTH.fullmatch(value):
        return value
    months = find_months(value)
    return months[0] if months else ""


# The numbers of a text that tell a time: the day and year of a date, a day of a month without its year ("le 10
# novembre", "du 10 au 12 mars", "December 22") and a year placed in time ("en 2021", "d'ici 2030", "since 2015",
# "novembre 2020", "2023-2027"). Not the month's number of a written date: "le 3 décembre 2025, 12 pays" counts 12.
_YEAR_RE = r"(?:19|20)\d\d"
_TIME_NUMBERS = re.compile(
    rf"\b(\d{{1,2}})(?:er)?\s+(?:au|et|-|–|and|to)\s+(?=\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{MONTH_RE})\b)|"
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:{MONTH_RE})\b(?:,?\s+({_YEAR_RE})\b)?|"
    rf"\b(?:{MONTH_RE})\s+(\d{{1,2}})(?:,\s+({_YEAR_RE})\b|\b(?![\d.,]*\d)(?!\s\d{{3}}\b))|"
    rf"\b({_YEAR_RE})\s*[-–/]\s*({_YEAR_RE})\b|"
    rf"\b(?:en|in|depuis|since|d['’]ici|by|dès|jusqu['’]en|until|avant|après|before|after|année|year|fin|début|"
    rf"mi|early|late|{MONTH_RE})[\s-]+({_YEAR_RE})\b",
    re.IGNORECASE)


def time_numbers(text: str) -> set[str]:
    """The numbers of ``text`` that tell a time, not an amount or a count (see _TIME_NUMBERS): "2021" of "en 2021",
    not of "2021 postes"; 3 and 2025 of "le 3 décembre 2025", and the numbers of a date written in figures."""
    text = text.translate(_ARABIC_DIGITS)
    found = [g for pattern in (_TIME_NUMBERS, _ISO, _NUMERIC) for m in pattern.finditer(text) for g in m.groups() if g]
    return numbers(" ".join(found))
