"""What a question asks for, and whether a sentence holds it: one answer-type check for French, English and Arabic.

A question asks for a figure (of a kind: an amount of money, a share, a count), a date, a person, a place or an
organisation, or for none of these (an overview, a reason, a description: any sentence may answer). A sentence holds
the kind when it gives one the question does not already give: "le 3 décembre 2025" does not answer "Qu'a annoncé
le ministre le 3 décembre 2025 ?" by its date.
"""

from __future__ import annotations

import re
from enum import StrEnum

from assistant.question_kinds import (asks_organisation, asks_place, asks_quantity, counted_noun, counts,
                                      expects_date, gives_date, gives_figure, gives_kind, kinds_asked,
                                      names_organisation)
from textkit.dates import find_dates
from textkit.names import new_names
from textkit.numbers import in_digits


class Kind(StrEnum):
    """What a question asks for."""

    FIGURE = "figure"
    DURATION = "duration"  # a figure of time: "combien de temps", "how long"
    AGE = "age"  # "quel âge", "how old": a figure of years
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"


# The kinds a sentence can be checked for in French, English and Arabic alike (see rules.AnswerTypeMissing).
CHECKABLE = frozenset({Kind.FIGURE, Kind.DURATION, Kind.AGE, Kind.DATE})

_DURATION = re.compile(r"\bcombien de temps\b|\bpendant combien\b|\bquelle (?:est la )?durée\b|\bhow long\b|"
                       r"\bfor how many (?:days|weeks|months|years)\b|\bما (?:هي )?مدة\b|\bكم (?:من الوقت|يوما|شهرا|سنة)",
                       re.IGNORECASE)
# A figure of time: "21 jours", "trois ans", "six months", "30 يوماً" (figures in words are read as digits first).
_TIME_UNIT = re.compile(r"(?:\d[\d\s.,]*|\b(?:une?|deux|trois|one|two|three|an?)\s)\s*(?:jours?|semaines?|mois|ans|"
                        r"années?|heures?|minutes?|days?|weeks?|months?|years?|hours?|minutes?|يوم|يوما|يوماً|أيام|"
                        r"أسبوع|أسابيع|شهر|أشهر|شهرا|شهراً|سنة|سنوات|عام|عاما|عاماً|أعوام|ساعة|ساعات)(?!\w)|"
                        r"(?<!\w)(?:عامين|سنتين|شهرين|يومين|أسبوعين|ساعتين)(?!\w)", re.IGNORECASE)
# "Quel âge…", "How old…": an age is a figure of years ("58 ans", "aged 58", "âgé de 58 ans", "58 عاما").
_AGE = re.compile(r"\bquel âge\b|\bhow old\b|\bâgée? de combien\b|\bكم عمر", re.IGNORECASE)
_AGE_GIVEN = re.compile(r"\d+\s*(?:ans\b|années\b|years?\s+old|-year-old|عاما|عامًا|سنة)|\b(?:âgée?s?|aged)\s+(?:de\s+)?\d+",
                        re.IGNORECASE)

# "Qui a présenté…", "Who signed…", "من وقع…", "Quel ministre…", "Which official…", "Comment s'appelle…".
_PERSON = re.compile(
    r"^\s*(?:et\s+|and\s+)?(?:qui|who(?:m|se)?)\b|^\s*من\s|\bà qui\b|\bpar qui\b|\bto whom\b|\bby whom\b|"
    r"\b(?:quel(?:le)?s?|which|what)\s+(?:est\s+le\s+nom\s+d[eu]\s+)?(?:ministres?|président(?:e|s)?|"
    r"secrétaires?|ambassadeurs?|envoyés?|personnalités?|responsables?|dirigeants?|ministers?|presidents?|"
    r"secretar(?:y|ies)|ambassadors?|envoys?|officials?|leaders?|persons?|people)\b|"
    r"\bcomment s['’]appelle\b|\bwhat is the name\b|ما اسم|أي وزير", re.IGNORECASE)


# Amounts that "quel est le… / what is the…" asks without a word of number: a salary, a pension, a fee.
_AMOUNT = re.compile(r"\b(?:quel(?:le)?s?|what|which)\b.{0,30}\b(?:salaires?|rémunérations?|pensions?|tarifs?|"
                     r"frais|loyers?|primes?|salar(?:y|ies)|wages?|fees?|rents?|pay)\b|"
                     r"(?<!\w)[وبل]?(?:ال)?(?:أجر|أجرة|أجور|راتب|رواتب)(?!\w)", re.IGNORECASE)


def kinds_of(question: str) -> set[Kind]:
    """The kinds of answer the question (one part of it) asks for; empty for an open question."""
    kinds: set[Kind] = set()
    if _DURATION.search(question):
        kinds.add(Kind.DURATION)
    elif _AGE.search(question):
        kinds.add(Kind.AGE)
    elif asks_quantity(question) or _AMOUNT.search(question):
        kinds.add(Kind.FIGURE)
    elif expects_date(question):
        kinds.add(Kind.DATE)
    if _PERSON.search(question):
        kinds.add(Kind.PERSON)
    if asks_place(question):
        kinds.add(Kind.PLACE)
    if asks_organisation(question):
        kinds.add(Kind.ORGANISATION)
    return kinds


def holds(kind: Kind, sentence: str, question: str, lang: str, same_language: bool = True) -> bool:
    """Whether the sentence (in ``lang``, its own language) gives an answer of that kind the question does not.
    Across languages the counted noun is not looked for ("appointments" is "rendez-vous")."""
    if kind is Kind.FIGURE:
        asked = kinds_asked(question)
        if asked and not any(gives_kind(sentence, k, lang, question) for k in asked):
            return False
        noun = counted_noun(question) if same_language else None
        if noun and not counts(sentence, noun, lang):
            return False
        return gives_figure(sentence, lang, question)
    if kind is Kind.AGE:
        return bool(_AGE_GIVEN.search(in_digits(sentence, lang)))
    if kind is Kind.DURATION:
        return bool(_TIME_UNIT.search(in_digits(sentence, lang))) or len(find_dates(sentence)) >= 2
    if kind is Kind.DATE:
        return gives_date(sentence, question)
    if lang == "ar":  # no capitals tell a name in Arabic script: meaning alone decides
        return True
    if kind is Kind.ORGANISATION:
        return names_organisation([sentence]) or bool(re.search(r"\b[A-Z]{2,}\b", sentence))
    return bool(new_names(sentence, question))  # a person or a place: a name the question does not write
