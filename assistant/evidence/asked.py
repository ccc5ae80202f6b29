"""What a question asks for, and whether a sentence holds it: one answer-type check for French, English and Arabic.

A question asks for a figure (of a kind: an amount of money, a share, a count), a date, a person, a place or an
organisation, or for none of these (an overview, a reason, a description: any sentence may answer). A sentence holds
the kind when it gives one the question does not already give: "le 3 décembre 2025" does not answer "Qu'a annoncé
le ministre le 3 décembre 2025 ?" by its date.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from assistant.question_kinds import (asked_role, asks_age, asks_amount, asks_duration, asks_exact, asks_hour,
                                      asks_organisation, asks_person, asks_person_name, asks_place, asks_quantity,
                                      asks_reason,
                                      counted_acronyms, counted_across, counted_noun, counts, dated_today,
                                      expects_date, gives_age, gives_date, gives_day, gives_duration, gives_figure,
                                      gives_hour, gives_kind, gives_place, gives_reason,
                                      is_person_noun, is_role, kinds_asked, role_in, main_clause,
                                      names_the_holder, names_the_thing, of_another_year, opposed_qualifier,
                                      other_casualties)
from textkit.languages import ar
from textkit.names import names_a_person, new_names
from textkit.numbers import without_approximations


class Kind(StrEnum):
    """What a question asks for."""

    FIGURE = "figure"
    DURATION = "duration"  # a figure of time: "combien de temps", "how long"
    AGE = "age"  # "quel âge", "how old": a figure of years
    HOUR = "hour"  # "à quelle heure", "at what time": a time of day
    REASON = "reason"  # "pourquoi", "why", "لماذا": a cause or a purpose
    DATE = "date"
    NAME = "name"  # a person's name asked in so many words: "comment s'appelle l'ambassadeur…", "who is the head of…"
    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"


# The kinds a sentence can be checked for (see rules.AnswerTypeMissing): figures and dates in French, English and
# Arabic alike; a person's name asked in so many words and a place, in French and English (an Arabic sentence is not
# checked: no capitals tell a name).
CHECKABLE = frozenset({Kind.FIGURE, Kind.DURATION, Kind.AGE, Kind.HOUR, Kind.DATE, Kind.NAME, Kind.PLACE,
                       Kind.REASON, Kind.ORGANISATION})
# Those read in a sentence of any of the three languages (the others, in French and English only).
IN_EVERY_SCRIPT = frozenset({Kind.FIGURE, Kind.DURATION, Kind.AGE, Kind.HOUR, Kind.DATE, Kind.REASON})


def kinds_of(question: str) -> set[Kind]:
    """The kinds of answer the question (one part of it) asks for; empty for an open question. A clause a joining
    "when" opens tells the circumstances, not what is asked (see ``main_clause``)."""
    question = main_clause(question)
    kinds: set[Kind] = set()
    if asks_duration(question):
        kinds.add(Kind.DURATION)
    elif asks_age(question):
        kinds.add(Kind.AGE)
    elif asks_quantity(question) or asks_amount(question):
        kinds.add(Kind.FIGURE)
    elif expects_date(question):  # ("quand et à quelle heure": a date, which the hour often goes without)
        kinds.add(Kind.DATE)
    elif asks_hour(question):
        kinds.add(Kind.HOUR)
    if asks_person(question):
        kinds.add(Kind.PERSON)
    if asks_person_name(question):
        kinds.add(Kind.NAME)
    if asks_place(question):
        kinds.add(Kind.PLACE)
    if asks_organisation(question):
        kinds.add(Kind.ORGANISATION)
    if not kinds and asks_reason(question):  # (a "why" asking who or what is answered by who or what)
        kinds.add(Kind.REASON)
    return kinds


def _in_its_script(question: str) -> str:
    """The question, when it is written in the Latin script of the French and English sentences (names are spelled
    alike there: "Global Gateway", "Costa Rica" in an English question and a French sentence), else ""."""
    return "" if ar.SCRIPT.search(question) else question


# A list's number opening a sentence ("1- Le fonds se concentre…", "3) Les collectivités…"): no figure of its own.
_LIST_NUMBER = re.compile(r"^\s*\d{1,2}[-–.)]\s+(?=\D)")  # (not "30 - c'est le nombre de jours accordés")
# A list's numbers within a sentence ("en 1/ supprimant la publication… ; 2/ allégeant le contrôle…"): none either.
_LIST_MARKS = re.compile(r"(?<![\w/.,])\d{1,2}/(?=\s)")
# A name's number ("Covid-19", "SARS-CoV-2"): it names, it counts nothing (its word is kept). Not a year ("mi-2025",
# "end-2025": a date).
_NAME_NUMBER = re.compile(r"\b([^\W\d_]{2,})-(?!(?:1[89]|20)\d\d\b)\d+\b")
# A text's number ("la loi n° 2022-217", "l'ordonnance n° 2022-1292", "la résolution 2231", "l'article 18"): its name,
# neither a figure nor a year. (Not a number to call, "le numéro 3919", nor "numéro 1 mondial"; not "arrêté", also
# the verb: "la police a arrêté 45 personnes".)
_IDENTIFIER = re.compile(r"\b(?:(?:lois?|ordonnances?|décrets?|directives?|règlements?|articles?|art\.|"
                         r"résolutions?|resolutions?|acts?|laws?)\s+(?:n[°º]\s*)?\d[\d/]*(?:-\d+)?|"
                         r"n[°º]\s*(?:19|20)\d\d-\d+)", re.IGNORECASE)


def _acronyms(text: str) -> set[str]:
    """The words written in capitals ("SNCF", "UE"), first word included (proper names leave the first word out)."""
    return set(re.findall(r"\b[A-Z]{2,}\b", text))


@lru_cache(maxsize=4096)  # (a sentence is checked for every kind each part of the question asks)
def _counting_numbers_only(sentence: str) -> str:
    """The sentence without the numbers that order or name rather than count: a list's, a text's, a name's."""
    sentence = _IDENTIFIER.sub("", _LIST_NUMBER.sub("", sentence, count=1))
    return _NAME_NUMBER.sub(r"\1", _LIST_MARKS.sub("", sentence))


def holds(kind: Kind, sentence: str, question: str, lang: str, same_language: bool = True, published: str = "",
          title: str = "", before: str = "", off: frozenset[str] = frozenset()) -> bool:
    """Whether the sentence (in ``lang``, its own language; of a release ``published`` on that ISO date, titled
    ``title``; after the sentence ``before``) gives an answer of that kind the question does not. Across French and
    English the counted noun is looked for only when it is known in both ("women" is "femmes"; "appointments" may be
    "rendez-vous"); in an Arabic sentence, never. ``off``: the checks switched off by name (rules.HOLD_CHECKS). A
    leading "when" clause is read (the figure or the date it writes is the question's, not an answer)."""
    question = main_clause(question, leading=False)
    sentence = _counting_numbers_only(sentence)
    if kind in (Kind.FIGURE, Kind.DATE) and asks_exact(question):
        # An exact figure or date asked is not answered by an approximation ("près de 10 000") nor by a date without
        # its day (a month; a year, unless a year is asked).
        if kind is Kind.DATE:
            return gives_day(sentence, question) or dated_today(sentence, question, published, title)
        sentence = without_approximations(sentence)
    if kind is Kind.FIGURE:
        asked = kinds_asked(question)
        if asked and not any(gives_kind(sentence, k, lang, question) for k in asked):
            return False
        noun = counted_noun(question)
        noun = noun if same_language or (noun and counted_across(noun) and lang != "ar") else None
        if noun and not counts(sentence, noun, lang, counted_acronyms(question), across=not same_language):
            return False
        if opposed_qualifier(sentence, question, lang):  # a gross amount does not answer for a net one
            return False
        if "casualties" not in off and other_casualties(sentence, question):  # nor the dead for the injured
            return False
        unnamed = None if "year-of-release" in off else f"{before} {title}"
        if of_another_year(sentence, question, published, unnamed):  # nor a figure of 2020 for one of 2019
            return False
        return gives_figure(sentence, lang, question)
    if kind is Kind.AGE:
        return gives_age(sentence, lang)
    if kind is Kind.DURATION:
        return gives_duration(sentence, lang)
    if kind is Kind.HOUR:
        return gives_hour(sentence, lang, question)
    if kind is Kind.REASON:
        return gives_reason(sentence, lang)
    if kind is Kind.DATE:  # (a readout's "spoke today": its release's day, shown with it, see compose)
        return gives_date(sentence, question) or dated_today(sentence, question, published, title)
    if lang == "ar" and kind not in IN_EVERY_SCRIPT:  # no capitals tell a name in Arabic script: meaning decides
        return True
    if kind is Kind.NAME:  # someone named, not a role: "Hervé Berville", "M. Erdogan", not "le délégué national"
        role = asked_role(question)
        if role and is_person_noun(role):  # "le nom de l'assaillant": someone named, by no office
            return names_a_person(sentence, _in_its_script(question))
        if role is not None and not is_role(role):  # "comment s'appelle le corridor…": the thing's name beside it
            return names_the_thing(sentence, role, question) if same_language else bool(new_names(sentence, question))
        # (across languages, the role as the sentence's language writes it, any of the roles its word may be;
        # someone named anywhere when unknown or role-across is off)
        roles: tuple[str, ...] = ()
        if role and same_language:
            roles = (role,)
        elif role and "role-across" not in off:
            roles = role_in(role, lang, question)
        return names_a_person(sentence, _in_its_script(question)) and \
            (not roles or any(names_the_holder(sentence, r) for r in roles))
    if kind is Kind.ORGANISATION:  # one named, not the word: "Naval Group", "la SNCF", not "des entreprises"
        return bool(new_names(sentence, question)) or bool(_acronyms(sentence) - _acronyms(question))
    if kind is Kind.PLACE:
        return gives_place(sentence, question, same_language or bool(_in_its_script(question)))
    return bool(new_names(sentence, question))  # a person: a name the question does not write
