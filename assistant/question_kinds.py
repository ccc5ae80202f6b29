"""What a question asks for, and whether a text gives it, in French, English and Arabic.

A question may ask for a figure (of a kind: an amount of money, a share, a count, a population), a date, an
organisation, a place, a name, a list, an overview, or which releases were published. A text gives what is asked when
it holds it other than in the question's own words: "en 2025" does not answer "Combien… en 2025 ?".
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.questions import without_context
from assistant.verify_reasons import VerifyReason
from textkit.dates import AR_MONTHS, EN_MONTHS, FR_MONTHS, find_dates, find_months, month_number, time_numbers
from textkit.languages import LANGUAGES, ar, en, fr, joined, question_words
from textkit.names import names_a_person, new_names
from textkit.numbers import (PERCENT, SHARE, in_digits, numbers_supported, spelled_numbers, units_of)
from textkit.terms import STOPWORDS, fold, numbers, stem, terms

_NUMBER_QUESTION = re.compile(
    r"\bcombien\b|\bquel(?:le)?s? (?:est|sont|était) (?:le|la|les) (?:montant|nombre|budget|co[uû]t|taux|pourcentage|somme|chiffre)|"
    r"\bmontant\b|\bbudget\b|\bhow (?:many|much)\b|\bwhat (?:is|was) the (?:amount|number|budget|cost|rate|share)|"
    # Arabic "كم" as a word ("وكم", "بكم", "كَمْ"), not inside one (vowel marks are of the word): "المحكمة" (the court),
    # "حُكم" (sentenced), "كما" (as), "لكم" (to you).
    r"(?<![\w\u064b-\u0652])[وفب]?[\u064b-\u0652]*ك[\u064b-\u0652]*م[\u064b-\u0652]*(?![\w\u064b-\u0652])|"
    r"(?<!\w)[وف]?(?:ال)?كمي(?:ة|ات)(?!\w)",
    re.IGNORECASE,
)
# A day, a month or a year asked: "quand", "à quelle date", "quelle est la date de…", "quel jour", "when", "on what
# day", "what is the date of…", "متى", "ما تاريخ…", "في أي يوم".
_DATE_QUESTION = re.compile(r"\bquand\b|\bà quelles? dates?\b|\bquelle (?:est |était |sera )?(?:la )?"
                            r"(?:(?:nouvelle|prochaine)\s+)?date\b|"
                            r"\bquelles (?:sont |étaient |seront )?(?:les )?dates\b|"
                            r"\bquels? jours?\b|\bwhen\b|\b(?:what|which) (?:is |was |will be )?(?:the )?"
                            r"(?:(?:exact|precise|new|planned|scheduled|expected|effective|start) )?(?:date|day)\b|"
                            # (plural after a preposition or opening the question: "which dates back to" asks none)
                            r"(?:^\W*|\b(?:on|for|at|in|between) )(?:what|which) (?:dates|days)\b|"
                            r"\b(?:what|which) year\b|\bquelle année\b|متى|\bأي (?:عام|سنة|يوم|تاريخ)\b|"
                            r"ما (?:هو )?تاريخ", re.IGNORECASE)


def expects_number(question: str) -> bool:
    return bool(_NUMBER_QUESTION.search(question))


# "when" / "quand" in a clause opened by another question word joins two clauses: "In which city was the minister
# when he spoke…?", "Qu'a dit la ministre quand elle s'est rendue à Valcourt ?" ask a place and a statement, not a
# date. ("Who signed it and when?", "Depuis quand… ?", "Est-ce que la ministre a dit quand… ?" ask one.)
# (The languages' question words but "when" itself; "qu'" written with either apostrophe, not "qu'est-ce que".)
_OTHER_QUESTION_WORDS = "|".join(re.escape(w) for w in (*fr.QUESTION_WORDS, *en.QUESTION_WORDS, "whom", "whose",
                                                         "lequel", "laquelle") if w not in ("quand", "when", "qu'"))
_OPENED_BY_QUESTION_WORD = re.compile(
    r"^\s*(?:(?:and|et|or|ou|but|mais)\s+)?(?:(?:in|at|on|for|from|with|by|to|dans|à|au|aux|en|de|du|des|pour|par|"
    rf"avec|sur|chez)\s+)?(?:(?:{_OTHER_QUESTION_WORDS}){fr.QUOI_ASKS_NOTHING_AFTER}(?!\w)|qu['’](?!est-ce))",
    re.IGNORECASE)
_JOINED = re.compile(r"(?:\b(?:and|or|et|ou|since|until|depuis|jusqu['’]à|partir de)|,)\s*$", re.IGNORECASE)


# A "when" / "quand" opening the question, its clause ended by a comma and a question word: "When Blinken welcomed
# the minister, what did he say about…?", "Quand la ministre est intervenue…, quelle partie… ?" ask what the question
# word asks; the clause says when it was said. (Not ", et à quel…", a second question after a date asked.)
_OPENING_WHEN = re.compile(r"^\s*(?:(?:and|et)\s+)?$", re.IGNORECASE)
_CLAUSE_ENDED = re.compile(r",\s*(?=\S)")
_AND = re.compile(r"(?:and|et|or|ou|but|mais)\b", re.IGNORECASE)
# The question word itself, asking the date: "When did…", "When exactly is…", "When's…", "Quand a eu lieu…", "Quand
# aura lieu…", "Quand est-ce que…", and a subject after its verb ("Quand le sommet aura-t-il lieu…").
_ASKING_WHEN = re.compile(rf"\s*(?:\w+ly\s+)?(?:{'|'.join(en.AUXILIARIES.split())})\b|['’]s\b|"
                          rf"\s*(?:{'|'.join(fr.AUXILIARIES.split())}|est-ce)(?!\w)", re.IGNORECASE)
# A sentence's end, not a title's nor a decimal point's ("M. Macron", "Mr. Blinken", "1.5 billion").
_SENTENCE_END = re.compile(r"[?!;؟]|(?<!\bM)(?<!\bMM)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMme)(?<!\bMrs)\.(?!\d)")
_INVERTED = re.compile(r"\w-(?:t-)?(?:il|elle|ils|elles|on)\b", re.IGNORECASE)


def _leading_clause_end(question: str, m: re.Match) -> int | None:
    """Where the question's own clause starts when the match of _DATE_QUESTION opens a leading "when" clause (see
    _OPENING_WHEN), else None."""
    if m.group(0).lower() not in ("when", "quand") or not _OPENING_WHEN.match(question[:m.start()]):
        return None
    clause = _SENTENCE_END.split(question[m.end():])[0]
    if _ASKING_WHEN.match(clause):
        return None
    end = _last_clause_comma(clause)
    return None if end is None else m.end() + end


def _last_clause_comma(clause: str) -> int | None:
    """Where the question's own clause starts after what opens ``clause`` (a "when" clause, circumstances): after
    the last comma followed by a question word, not by "and" (a relative clause within the opening starts with a
    question word too: "When the minister, who arrived on Monday, met the mayor, what did they sign?"); None when no
    such comma follows, or when what comes before it is a clause of its own (an inverted verb: "a-t-il")."""
    ends = [e.end() for e in _CLAUSE_ENDED.finditer(clause)
            if _OPENED_BY_QUESTION_WORD.match(clause[e.end():]) and not _AND.match(clause[e.end():])]
    return None if not ends or _INVERTED.search(clause[:ends[-1]]) else ends[-1]


def _joins_clauses(question: str, m: re.Match) -> bool:
    """Whether the match of _DATE_QUESTION is a "when" / "quand" joining two clauses (see _OPENED_BY_QUESTION_WORD,
    _OPENING_WHEN)."""
    before = question[:m.start()]
    return m.group(0).lower() in ("when", "quand") and (
        _leading_clause_end(question, m) is not None or not _JOINED.search(before)
        and bool(_OPENED_BY_QUESTION_WORD.match(re.split(r"[.?!;؟]", before)[-1])))


def expects_date(question: str) -> bool:
    """Whether the question asks when (see _DATE_QUESTION), "when" / "quand" not joining two clauses."""
    return any(not _joins_clauses(question, m) for m in _DATE_QUESTION.finditer(question))


@lru_cache(maxsize=4096)  # read for every candidate sentence of a part
def main_clause(question: str, leading: bool = True) -> str:
    """The question without the clause a joining "when" / "quand" opens: "What recession did the minister forecast
    when presenting the budget bill?" asks a recession, not the budget's amount; the circumstances say when the
    thing asked was said, not what it is. A leading one is left out the same way (see _OPENING_WHEN), unless
    ``leading`` is False (whole, it still gives the figures and dates the question writes)."""
    m = next((m for m in _DATE_QUESTION.finditer(question) if _joins_clauses(question, m)), None)
    if m is None:
        return question
    start = _leading_clause_end(question, m)
    if start is not None:
        return question[start:] if leading else question
    ending = question.rstrip()[-1] if question.rstrip().endswith(("?", "؟")) else ""
    return question[:m.start()].rstrip(" ,") + ending


# Whose words a source credits ("Selon X,", "D'après X,", "According to X,"): it tells which of several speakers
# answers, not circumstances.
_CREDITED = re.compile(r"^\s*(?:(?:et|and)\s+)?(?:selon|d['’]après|according\s+to|as\s+\w+\s+(?:said|put\s+it))\b",
                       re.IGNORECASE)
# A question opening with its verb ("Did the minister say, at the Senate, which…", "Est-ce que le ministre a dit, …"):
# what comes before the comma is its own clause.
_OPENED_BY_VERB = re.compile(rf"^\s*(?:(?:and|et)\s+)?(?:(?:{'|'.join(en.AUXILIARIES.split())})\b|est-ce\b)",
                             re.IGNORECASE)


def without_circumstances(question: str) -> str:
    """The question without what it opens with before the comma that precedes its question word: circumstances ("Lors
    de l'examen des crédits à l'Assemblée le 27 octobre 2020, de combien…", "At the Senate on 4 November, which
    policies…", "Avec l'ouverture des nouveaux points de passage, combien…"), what is set aside ("Besides the new
    prize, how…"), the release pointed to ("Et dans le communiqué du mois suivant, avec qui…"). They tell which
    release is asked about (the search reads them), not which of its sentences answers: the sentence giving the figure
    seldom says where or when it was said. The last such comma ("Lors de la visite du ministre, qui est arrivé lundi,
    quelles mesures…": a relative clause within them opens with a question word too), in the question's first
    sentence. The question itself when it opens with its question word, with a clause of its own (its verb, an
    inverted verb: "Did the minister say, …", "Le ministre a-t-il dit, …"), or with whose words a source credits
    (see _CREDITED). A subject taken up after the comma ("M. Valmont, ministre de Valcourt, quel budget a-t-il
    annoncé ?") is left out too, a known risk: reading only circumstances opened by a preposition or a date, as a
    review asked, lost four development key facts and kept none of the gains."""
    if _OPENED_BY_QUESTION_WORD.match(question) or _CREDITED.match(question) or _OPENED_BY_VERB.match(question):
        return question
    end = _last_clause_comma(_SENTENCE_END.split(question)[0])
    return question if end is None else question[end:]


# Nouns whose answer is a figure ("Quelle revalorisation salariale…", "Quel niveau de déficit…", "What fine…"): the
# answer completion (assistant.completion) treats these questions as figure questions, and the answer-type rules
# refuse them when no sentence gives a figure (see assistant.evidence.asked.kinds_of).
_QUANTITY_QUESTION = re.compile(
    # (an adjective may come before the noun: "le nouveau taux", "the total amount", "the overall cost")
    r"\bquel(?:le)?s?\s+(?:est\s+|était\s+|sera\s+|a\s+été\s+|ont\s+été\s+|serait\s+)?(?:le\s+|la\s+|l['’]\s*)?"
    r"(?:(?:nouveau|nouvelle|nouvel|futur|future)\s+)?(?:niveau|taux|surface|superficie|amende|hausse|"
    r"baisse|augmentation|revalorisation|réduction|diminution|part|nombre|prix|durée|déficit|dette|effectif|capacité|"
    r"enveloppe|dotation|somme|croissance|inflation|bilan chiffré|compensation|indemnité|prime|allocation|"
    r"contribution|subvention|aide financière|population|chiffre d['’]affaires|chiffre|montant|coût|budget|"
    r"proportion|bonus|encours|seuil|plafond|vitesse|distance|longueur|température)\b|"
    r"\bwhat\s+(?:is\s+|was\s+|will be\s+)?(?:the\s+)?(?:(?:total|overall|annual|new|estimated|exact|average|"
    r"maximum|minimum|expected|final|global|combined|current|latest)\s+)?(?:value|"
    r"level|rate|area|fine|increase|decrease|rise|pay rise|cut|turnover|proportion|"
    r"reduction|share|number|price|duration|deficit|debt|capacity|allocation|sum|growth|inflation|compensation|"
    r"grant|subsidy|population|figure|amount|cost|budget|threshold|ceiling|speed|distance|length|temperature)\b|"
    # Up to two words before a noun of a figure, none a verb, an article or a preposition, the noun followed by the
    # question's verb or its end ("What GDP growth figure does…", "What electricity generating capacity will…"; not
    # "What plan to cut…", "What countries share a border…", "What new measures cut emissions…").
    r"\bwhat\s+(?:(?!(?:is|was|are|were|do|does|did|will|would|can|could|should|shall|may|might|must|has|have|had|"
    r"the|a|an|of|for|to|on|in|at|by|with|from|against|about|kinds?|sorts?|types?)\b)[\w-]+\s+){1,2}"
    r"(?:level|rate|increase|rise|turnover|share|number|capacity|growth|figure|amount|cost|budget)"
    r"(?=\s+(?:is|was|are|were|do|does|did|will|would|has|have|had|of|for|in)\b|\s*\?)|"
    # (with or without the article: "ما هي القيمة…", "ما هو الحد الأقصى…", the maximum)
    r"(?<!\w)[وف]?(?:ما|كم)\s+(?:هي\s+|هو\s+)?(?:ال)?(?:قيمة|نسبة|حجم|مقدار|عدد|زيادة|مبلغ|حد\s+(?:ال)?(?:أقصى|أدنى))",
    re.IGNORECASE)


def asks_quantity(question: str) -> bool:
    """Whether the question asks for a figure, with or without "combien" (see _QUANTITY_QUESTION)."""
    return bool(_NUMBER_QUESTION.search(question) or _QUANTITY_QUESTION.search(question) or kinds_asked(question))


_DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{'|'.join(FR_MONTHS | EN_MONTHS | AR_MONTHS)})\b|"
                        rf"\b(?:{'|'.join(EN_MONTHS)})\s+\d{{1,2}}\b|\b(?:19|20)\d\d\b|"
                        # a year of an earlier century, after the word placing it in time ("née en 1816")
                        r"(?:(?<=\ben )|(?<=\bin )|(?<=\bdès )|(?<=\bdepuis )|(?<=\bsince ))1[5-8]\d\d\b"
                        r"(?!\s+[^\W\d_]+[sx]\b)",  # ("en 1500 exemplaires" counts)
                        re.IGNORECASE)


# A time said relative to the speech or by its season: "au printemps prochain", "l'an prochain", "dès demain", "next
# year", "this autumn". Speeches date things so as often as by the calendar ("aujourd'hui" is left out: a speech says
# it of everything).
_RELATIVE_TIME = re.compile(
    r"\b(?:cet|ce)\s+(?:printemps|été|automne|hiver)\b|"
    r"\b(?:au|à l['’]|en|d['’]ici (?:au|à l['’]))\s*(?:printemps|été|automne|hiver)\s+(?:prochain|dernier|\d{4})\b|"
    r"\b(?:l['’]an|l['’]année|le mois|la semaine|le trimestre|l['’]été|l['’]automne|l['’]hiver|le printemps)\s+"
    r"(?:prochain|prochaine|dernier|dernière)\b|\b(?:dès|à partir de|d['’]ici)\s+demain\b|\bdemain\s+(?:matin|soir)\b|"
    r"\b(?:next|last|this)\s+(?:year|month|week|spring|summer|autumn|fall|winter)\b|"
    r"\b(?:from|by|until)\s+tomorrow\b|\btomorrow\s+(?:morning|evening)\b",
    re.IGNORECASE)
# (a part of a month: "à la fin du mois de juillet", "au début du mois d'août", "au cours du mois de mars")
_IN_MONTH = r"(?i:(?:(?:au\s+)?(?:début|milieu|fin|courant)|au\s+cours)\s+du\s+mois|(?:durant|pendant)\s+le\s+mois)"
# A month without its year, placed in time ("en octobre prochain", "dès la mi-mai", "in October"): it answers "quand",
# not "à quelle date" or "quel jour", which ask a day.
# (French months in lower case, English ones capitalised, as each language writes them: "en Mars" is the planet, "in
# may" a verb.)
_MONTH_ALONE = re.compile(rf"(?:\b(?:en|au mois de|dès|début|fin|{_IN_MONTH}\s+de)\s+|"
                          rf"\b(?:au mois|{_IN_MONTH})\s+d['’]\s*)"
                          rf"(?:{'|'.join(sorted(FR_MONTHS))})\b|"
                          rf"\bmi-(?:{'|'.join(sorted(FR_MONTHS))})\b|"
                          r"\b(?:(?:in|by|early|late)\s+|mid-)"
                          rf"(?:{'|'.join(sorted(m.capitalize() for m in EN_MONTHS))})\b")
# A day of the week placed in time ("dans la nuit de samedi à dimanche", "mardi dernier", "dès lundi", "on Monday",
# "last Friday"): it answers "quand", not "à quelle date", which asks the day of the month. (Not "ce mercredi 4
# novembre", whose date says it, nor the weekday alone, which names a meeting as often: "le conseil de mercredi".)
_WEEKDAYS_FR = rf"(?:{'|'.join(fr.WEEKDAYS)})"
_WEEKDAYS_EN = rf"(?:{'|'.join(d.capitalize() for d in en.WEEKDAYS)})"
_WEEKDAY = re.compile(rf"(?i:\bnuit\s+d[eu]\s+{_WEEKDAYS_FR}|\b{_WEEKDAYS_FR}\s+(?:dernier|prochain|soir|matin)\b|"
                      rf"\b(?:dès|depuis|avant|jusqu['’]à)\s+{_WEEKDAYS_FR}\b)|"
                      rf"\b(?i:on|last|next|since|by|until)\s+{_WEEKDAYS_EN}\b(?!\s*,?\s*(?:\d|{'|'.join(EN_MONTHS)}))|"
                      rf"\b{_WEEKDAYS_EN}\s+(?i:night|morning|evening)\b")
# A day asked ("à quelle date", "à quelles dates", "which day", "ما تاريخ", "في أي يوم"): a month or a day of the week
# does not answer it.
_DAY_ASKED = re.compile(r"\bquelles?\s+dates?\b|\bquels?\s+jours?\b|\bla\s+date\b|\bwhat\s+date\b|\bwhich\s+day\b|"
                        r"\b(?:what|which)\s+(?:dates|days)\b|\bwhat\s+day\b|\bthe\s+date\b|تاريخ|"
                        r"(?<!\w)[أا]يّ?\s+يوم(?!\w)", re.IGNORECASE)


# A question asking an exact figure or date: "combien exactement", "à quelle date exacte", "précisément", "exactly".
# (not the verb: "le ministère précise-t-il…")
_EXACT = re.compile(r"\b(?:exactement|précisément|exactly|precisely)\b|"
                    r"\b(?:date|jour|moment|nombre|montant|chiffre|heure|année|lieu|day|number|figure|amount|time|"
                    r"year)s?"
                    r"\s+(?:exacte?s?|précise?s?|precise)\b|\bexact\s+(?:date|day|number|figure|amount|time|year)s?\b",
                    re.IGNORECASE)
# A year asked: "en quelle année", "which year".
_YEAR_ASKED = re.compile(r"\bquelle\s+année\b|\b(?:which|what)\s+year\b|\bأي\s+عام|\bفي\s+أي\s+سنة", re.IGNORECASE)
# A day and its month: "12 mars", "March 12".
_A_DAY = re.compile(r"\d{1,2}\D+\w|\w+\s+\d{1,2}$")


@lru_cache(maxsize=4096)  # read for every candidate sentence of a part asking a figure or a date
def asks_exact(question: str) -> bool:
    """Whether the question asks an exact figure or date ("combien exactement", "à quelle date exacte")."""
    return bool(_EXACT.search(question))


def gives_day(text: str, question: str = "") -> bool:
    """Whether the text gives a day (a full date, or a day of a month) that the question does not; for a year
    asked ("en quelle année exactement"), a year."""
    if _YEAR_ASKED.search(question):
        return gives_date(text, question)
    days = {m.lower() for m in _DAY_MONTH.findall(text) if _A_DAY.search(m)}
    return bool(set(find_dates(text)) - set(find_dates(question))) or any(d not in question.lower() for d in days)


# A readout's "spoke today", a communiqué's "ce jour": what the sentence reports happened on the day its release was
# published. Not when the word means something else: "aujourd'hui" and a sentence's opening "Today," are often
# "nowadays" in a speech; "à ce jour" is "so far", "depuis ce jour" "since that day", "ce jour-là" "that day"; "اليوم
# العالمي" an international day, "اليوم التالي" the next day.
_TODAY = re.compile(r"(?<=\w )(?<!to )(?<!until )(?<!of )today\b(?!['’]s)|"
                    r"(?<!à )(?<!depuis )(?<!de )\bce jour\b(?!-là)|"
                    r"(?<![\w\u064b-\u0652])[وف]?اليوم(?![\w\u064b-\u0652])"
                    r"(?!\s+(?:العالمي|الدولي|الوطني|التالي|السابق|الأول|نفسه)(?!\w))", re.IGNORECASE)


# A meeting's record dated by its title ("Conseil des ministres du 7 octobre 2020", "Compte rendu du conseil de
# défense du…"): what it reports done ("le ministre a présenté…", "les mesures ont été adoptées", "Mme Valmont est
# nommée…") was done at the meeting, on that day. ("Réunion" is left out: "La Réunion" is an island.)
_MEETING = re.compile(r"\b(?:conseil des ministres|conseil de défense|compte[- ]rendu|relevé de décisions|readout|"
                      r"meeting)\b", re.IGNORECASE)
# An act done: the French passé composé ("a présenté", "ont été adoptés", "a pris", "est nommée"), the English
# perfect or passive ("has adopted", "was presented"). A French participle of the first group, or one of the
# commonest others ("a summit", "a lieu", "a plus" are none).
_PARTICIPLE = (r"(?:\w+(?:é|ée|és|ées)|(?:pris|mis|fait|dit|conclu|reçu|tenu|ouvert|promis|remis|soumis|transmis|"
               r"rendu|obtenu|convenu|inscrit|décrit)e?s?)\b")
_DONE = re.compile(rf"\b(?:a|ont)\s+(?:(?:également|aussi|ensuite)\s+)?(?:été\s+)?{_PARTICIPLE}|"
                   r"\b(?:est|sont)\s+nommée?s?\b|\b(?:has|have|was|were)\s+(?:also\s+)?\w+ed\b", re.IGNORECASE)
# A question asking when something was done ("quand a-t-il présenté…", "when was… adopted"), not when it will be
# ("quand le projet de loi présenté entrera-t-il en vigueur ?").
_DONE_ASKED = re.compile(rf"\b(?:a|ont)-t-(?:il|elle|on)\b|\bont-(?:ils|elles)\b|"
                         rf"\b(?:a|ont|avait)\s+(?:été\s+)?{_PARTICIPLE}|\b(?:did|was|were|has|have)\b",
                         re.IGNORECASE)
_FUTURE_ASKED = re.compile(r"\b\w+(?:ra|ront)-t-(?:il|elle|ils|elles|on)\b|\b(?:sera|seront|va|vont|will)\b",
                           re.IGNORECASE)
# An act in a relative clause is not the one asked: "Quand la loi qui a été présentée a-t-elle été promulguée ?"
_RELATIVE_ACT = re.compile(r"\b(?:qui|que|qu['’]|dont|that|which|who)\s+(?:a|ont|avait|has|have|had|was|were)\s+"
                           r"(?:été\s+|been\s+)?\w+", re.IGNORECASE)
# A year the sentence gives to what it reports ("le fonds, créé en 1995, a été…"): not the meeting's day.
_OWN_YEAR = re.compile(r"\b(?:en|in|depuis|since|dès)\s+(?:19|20)\d\d\b", re.IGNORECASE)


def reports_its_day(text: str, published: str, title: str = "") -> bool:
    """Whether the text reports what happened on its release's day (``published``, ISO): a readout's "spoke today",
    a communiqué's "ce jour", or an act done reported, with no year of its own, in the record of a meeting its title
    dates by that day."""
    if len(published) != 10:
        return False
    return bool(_TODAY.search(text)) or \
        (bool(_MEETING.search(title)) and published in find_dates(title) and bool(_DONE.search(text))
         and not _OWN_YEAR.search(text))


def _verb_root(word: str) -> str:
    """A past participle without its endings, alike in French and English: "présentée", "presented" -> "present"."""
    return re.sub(r"(?:ees|es|ee|ed|e|s)$", "", fold(word.lower()))


def dated_today(text: str, question: str, published: str, title: str = "") -> bool:
    """Whether the text dates what it reports by its release's day (see ``reports_its_day``: "Secretary Valmont
    spoke today with…"; "le ministre a présenté…" in the Conseil des ministres du 7 octobre), the release
    (``published``, ISO) having a day the question does not name. An act done answers a question asking when that
    act was done only (not when something will be, nor when another act was: the Conseil des ministres presenting a
    bill to approve an agreement does not date its signing)."""
    if not reports_its_day(text, published, title) or _TODAY.search(question) or published in find_dates(question):
        return False
    if _TODAY.search(text):
        return True
    if not _DONE_ASKED.search(question) or _FUTURE_ASKED.search(question):
        return False
    done = {_verb_root(m.group(0).split()[-1]) for m in _DONE.finditer(text)}
    return bool(done & {_verb_root(w) for w in re.findall(r"\w+", _RELATIVE_ACT.sub(" ", question))})


def _days(text: str) -> set[str]:
    """The days of months and the years the text writes (see _DAY_MONTH), a day as its number and its month's in any
    language ("12 septembre", "September 12", "12 سبتمبر": "12-9"), a year as written (in Western digits); a day whose
    month is not read, as written."""
    days = set()
    for found in _DAY_MONTH.finditer(text.translate(ar.DIGITS)):
        written = found.group(0).lower()
        month, day = month_number(written), re.search(r"\d+", written)
        days.add(f"{int(day.group(0))}-{month}" if month and day else written)
    return days


def _months_placed(text: str) -> set[int]:
    """The numbers of the months the text places something in without a day (see _MONTH_ALONE: "en septembre", "in
    September": 9); not the month of a day ("le 14 octobre"), nor a word that is also a month ("When may…", "vers
    Mars")."""
    return {m for m in (month_number(found.group(0)) for found in _MONTH_ALONE.finditer(text)) if m}


def _months_alone(text: str) -> set[int]:
    """The months of :func:`_months_placed` and those the text writes with their year ("في سبتمبر 2020": 9)."""
    return _months_placed(text) | {int(month[5:]) for month in find_months(text)}


def gives_date(text: str, question: str = "") -> bool:
    """Whether the text gives a date, a day of a month, a year, a time relative to the speech ("au printemps
    prochain") or, unless a day is asked, a month ("en octobre prochain") that the question does not ("36 semaines"
    is no answer to "quand se termine l'année scolaire ?", "le 4 juillet" is). Days and months are compared by their
    numbers, so that one the question writes in another language is the question's ("le 12 septembre" for "on 12
    September", "12 سبتمبر"; "en septembre" for "in September 2020")."""
    asked, months, alone, day_asked = _dates_asked(question)
    return bool(set(find_dates(text)) - asked) or bool(_days(text) - asked) or \
        any(m not in months for m in find_months(text)) or \
        any(m.group(0).lower() not in question.lower() for m in _RELATIVE_TIME.finditer(text)) or \
        (not day_asked and
         (bool(_months_placed(text) - alone) or
          any(m.group(0).lower() not in question.lower() for m in _WEEKDAY.finditer(text))))


@lru_cache(maxsize=1024)  # (a question's dates are read once, not again for each of its candidate sentences)
def _dates_asked(question: str) -> tuple[frozenset[str], frozenset[str], frozenset[int], bool]:
    """What of dates the question writes, as gives_date compares it: its days and years with its full dates, its
    months with their year, its months alone (see _months_alone), and whether it asks a day (_DAY_ASKED)."""
    return (frozenset(_days(question) | set(find_dates(question))), frozenset(find_months(question)),
            frozenset(_months_alone(question)), bool(_DAY_ASKED.search(question)))


# What kind of figure a question asks for. A count ("combien de doses") is any figure but a percentage; an amount of
# money must come with a currency or a scale word; a share must be a percentage or a proportion ("un tiers", "une
# femme sur huit", see textkit.numbers.SHARE).
# Money counted by its mass noun: "combien d'investissements la stratégie veut-elle mobiliser ?" asks an amount.
_MONEY_NOUNS = r"(?:investissements?|économies)"  # (subsidies, credits, expenses can be counted one by one)
# A scale counts nothing by itself: "combien de milliers de postes" counts posts, "combien de millions" an amount.
_SCALE = r"(?:millions?|milliards?|milliers?|centaines?|dizaines?|thousands?|hundreds?|billions?)"
_KIND_ASKED = {
    # "combien de millions (supplémentaires) ?" asks an amount; "combien de millions de personnes ?" a count (below).
    "money": re.compile(rf"\bcombien (?:de\s+|d['’]\s*){_MONEY_NOUNS}\b|"
                        r"\bcombien d['’]\s*argent\b|"
                        r"\bcombien de (?:millions?|milliards?)\b(?!\s+(?:de\s+|d['’]\s*)"
                        r"(?!euros?\b|dollars?\b))|"
                        r"\b(?:montant|budget|co[uû]t(?:e|é|ent|er|era|eront|ait)?|co[uû]ts|"
                        r"salaire (?:moyen|mensuel|annuel|minimum)|"
                        r"rançon|amendes?|cost(?:s|ed)?|(?:average|monthly|annual) salary|ransom|how much money|"
                        r"(?:what|which) fine)\b|تكلفة|كلفة|ميزاني[ةت]|مبلغ|غرام[ةت]|(?:ال)?قيمة\s+(?:ال)?مالية",
                        re.IGNORECASE),
    "percent": re.compile(r"\b(?:pourcentage|quelle part|quel taux|percentage|what share|what rate|what proportion)\b|"
                          r"\bquel(?:le)?\s+(?:est|était|a\s+été|sera)\s+(?:le\s+taux|la\s+part|la\s+proportion)\b|"
                          # "بالنسبة ل" is "as for", not a rate: "ما هي أولوية الوزيرة بالنسبة للعاملين؟" asks no share.
                          r"(?<!بال)نسبة",
                          re.IGNORECASE),
    "count": re.compile(r"\bcombien (?:de\s+|d'\s*|d’\s*)(?!temps\b|euros?\b|dollars?\b|argent\b|"
                        rf"{_MONEY_NOUNS}\b|"
                        rf"{_SCALE}\b(?!\s+(?:de\s+|d['’]\s*)(?!euros?\b|dollars?\b)))|\bhow many\b|"
                        r"(?<!\w)[وفب]?كم عدد",
                        re.IGNORECASE),
    # A population is a count of inhabitants: "1 100 marins" is a figure, not the population asked for.
    "population": re.compile(r"\bpopulation\b|\bcombien d['’]\s*habitants\b|\bhow many (?:inhabitants|residents|people live)\b|"
                             r"عدد (?:ال)?سكان|تعداد", re.IGNORECASE),
}
# (Whole words: "européen" is no euro, "Conseil européen des Vingt-Sept" no amount.)
_MONEY_WORDS = re.compile(r"\b(?:euros?|dollars?|dirhams?|livres?|millions?|milliards?|billions?)\b|€|\$|£|"
                          r"يورو|دولار|درهم|مليون|مليار", re.IGNORECASE)


# A figure followed by what counts people: "420 000 habitants", "1.2 million inhabitants", "مليون نسمة".
_POPULATION_COUNT = re.compile(r"\d(?:[\d\s.,]*\d)?\s*(?:(?:millions?|milliards?|billions?|thousand|mille|مليون|ألف)\s*)?"
                               r"(?:d['’]\s*|of\s+)?(?:habitants?|inhabitants?|residents?|people|personnes|âmes|نسمة|ساكن)",
                               re.IGNORECASE)

# Questions that ask which company, group or organisation did something: the answer must be one that the sources
# call so ("Quelle entreprise construira le câble ?" is not answered by "Valmont", a country the release names).
_ORGANISATION_ASKED = re.compile(
    r"\b(?:quel(?:le)?s?|which|what)\s+(?:entreprises?|soci[ée]t[ée]s?|groupes?|compagnies?|firmes?|op[ée]rateurs?|"
    r"constructeurs?|prestataires?|consortiums?|organismes?|compan(?:y|ies)|firms?|groups?|operators?|"
    # (not another sense of the word: "quel parti a-t-il pris", "which bank holidays", "which foundations of the
    # agreement", "which university courses", "quelles associations d'idées")
    r"contractors?|manufacturers?|organi[sz]ations?|banques?|banks?(?!\s+(?:holidays?|accounts?|notes?)\b)|"
    r"associations?(?!\s+d['’]idées)|ONG|NGOs?|partis|parti\s+politique|part(?:y|ies)|syndicats?|trade\s+unions?|"
    r"(?:fondations?|foundations?)(?!\s+(?:of|for|de|du|des|d['’]))|"
    r"(?:universités?|universit(?:y|ies))(?!\s+(?:courses?|degrees?|students?|places?))|laboratoires?|"
    r"laborator(?:y|ies))\b|"
    r"(?:أي|أية|ما)\s+(?:ال)?(?:شركة|مجموعة|جماعة|منظمة)", re.IGNORECASE)
_ORGANISATION_WORDS = re.compile(
    r"\b(?:entreprises?|soci[ée]t[ée]s?|groupes?|groupement|compagnies?|firmes?|op[ée]rateurs?|constructeurs?|"
    r"prestataires?|consortiums?|filiales?|compan(?:y|ies)|firms?|groups?|operators?|contractors?|manufacturers?|"
    r"subsidiar(?:y|ies)|SA|SAS|SARL|Ltd|Inc|GmbH|plc|AG|NV|BV)\b|شركة|مجموعة|جماعة", re.IGNORECASE)


def asks_organisation(question: str) -> bool:
    """Whether the question asks which company, group or organisation ("Quelle entreprise…", "Which group…")."""
    return bool(_ORGANISATION_ASKED.search(question))


def names_organisation(quotes: list[str]) -> bool:
    """Whether the source sentences an answer rests on call something a company, group or organisation (the
    answer's own words do not count: the model says "l'entreprise choisie est Valmont" after the question)."""
    return any(_ORGANISATION_WORDS.search(text) for text in quotes)


def kinds_asked(question: str) -> set[str]:
    """The kinds of figure the question asks for ("money", "percent", "count", "population"); empty when none."""
    return {kind for kind, pattern in _KIND_ASKED.items() if pattern.search(question)}


# A length of time, an age, a person or a pay asked, and a length of time or an age given: each language's words are
# in its module of textkit.languages.
_DURATION_ASKED = re.compile(joined("DURATION_ASKED"), re.IGNORECASE)
_TIME_GIVEN = re.compile(joined("TIME_GIVEN"), re.IGNORECASE)
_AGE_ASKED = re.compile(joined("AGE_ASKED"), re.IGNORECASE)
_HOUR_ASKED = re.compile(joined("HOUR_ASKED"), re.IGNORECASE)
_REASON_ASKED = re.compile(joined("REASON_ASKED"), re.IGNORECASE)
# (each language's own: the French "car" is an English noun)
_REASON_GIVEN = {lang: re.compile(module.REASON_GIVEN, re.IGNORECASE) for lang, module in LANGUAGES.items()}
_HOUR_GIVEN = re.compile(joined("HOUR_GIVEN"), re.IGNORECASE)
_AGE_GIVEN = re.compile(joined("AGE_GIVEN"), re.IGNORECASE)
_PERSON_ASKED = re.compile(joined("PERSON_ASKED"), re.IGNORECASE)
_AMOUNT_ASKED = re.compile(joined("AMOUNT_ASKED"), re.IGNORECASE)
_CHANGE_ASKED = re.compile(joined("CHANGE_ASKED"), re.IGNORECASE)


_INJURED = re.compile(joined("INJURED"), re.IGNORECASE)
_KILLED = re.compile(joined("KILLED"), re.IGNORECASE)


# What a question counts: the eight words after its word of quantity ("combien de personnes blessées", "how many people
# were injured", "كم عدد الجرحى"), not a circumstance further on ("combien de policiers… après la mort de Nahel").
_COUNTED_WORDS = re.compile(r"(?:\bcombien\b|\bhow\s+many\b|\bnumber\s+of\b|\bnombre\s+(?:total\s+)?d|"
                            r"(?<!\w)[وف]?(?:كم|ما\s+عدد|ما\s+هو\s+عدد)(?!\w))((?:\W+\w+){1,8})", re.IGNORECASE)
# (the circumstances after it: "…after the death of…", "…après la mort de…", "…بعد مقتل…")
_CIRCUMSTANCE = re.compile(r"\b(?:after|following|since|during|après|suite|lors|depuis|pendant)\b|(?<!\w)(?:بعد|إثر)"
                           r"(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=4096)  # read for every candidate sentence of a part
def _casualties_counted(question: str) -> tuple[re.Pattern, re.Pattern] | None:
    """The casualties the question counts and the others ((_INJURED, _KILLED) or (_KILLED, _INJURED)), or None when
    it counts neither, or both."""
    counted = " ".join(_CIRCUMSTANCE.split(m.group(1))[0] for m in _COUNTED_WORDS.finditer(question))
    return next(((asked, other) for asked, other in ((_INJURED, _KILLED), (_KILLED, _INJURED))
                 if asked.search(counted) and not other.search(counted)), None)


def other_casualties(text: str, question: str) -> bool:
    """Whether the text counts the other casualties than those the question counts: the dead when the injured are
    counted ("How many people were injured?" is not answered by "trois de nos compatriotes sont tombés"), the injured
    when the dead are; a text naming neither, or both, may count either."""
    counted = _casualties_counted(question)
    return counted is not None and bool(counted[1].search(text)) and not counted[0].search(text)


def asks_duration(question: str) -> bool:
    """Whether the question asks how long: "combien de temps", "how long", "ما مدة"."""
    return bool(_DURATION_ASKED.search(question))


def asks_reason(question: str) -> bool:
    """Whether the question asks why ("pourquoi", "for what reason", "لماذا")."""
    return bool(_REASON_ASKED.search(question))


def gives_reason(text: str, lang: str) -> bool:
    """Whether the text (in ``lang``) gives a cause or a purpose ("parce que", "en raison de", "afin de", "because",
    "بسبب"); a text of another language is read by the three languages' words."""
    patterns = [_REASON_GIVEN[lang]] if lang in _REASON_GIVEN else list(_REASON_GIVEN.values())
    return any(p.search(text) for p in patterns)


def asks_hour(question: str) -> bool:
    """Whether the question asks a time of day: "à quelle heure", "at what time", "في أي ساعة"."""
    return bool(_HOUR_ASKED.search(question))


# A time as a question writes it, whatever word places it ("le couvre-feu de 21 heures, à quelle heure finit-il ?").
_A_TIME = re.compile(r"\b\d{1,2}(?:\s?(?:h|heures?)(?:\s?\d{2})?|[:.]\d{2})(?!\w)|\b(?:midi|minuit|noon|midnight)\b",
                     re.IGNORECASE)


def _times(pattern: re.Pattern, text: str) -> set[str]:
    """The times of day the pattern finds in the text, each as its figures, or its word ("à minuit" -> "minuit"):
    "1 heure" is not "21 heures"."""
    return {re.sub(r"\D", "", m.group(0)) or m.group(0).split()[-1].lower() for m in pattern.finditer(text)}


def gives_hour(text: str, lang: str, question: str = "") -> bool:
    """Whether the text (in ``lang``) gives a time of day the question does not: "à 21 heures", "8 p.m.", "minuit"."""
    return bool(_times(_HOUR_GIVEN, in_digits(text, lang)) - _times(_A_TIME, question))


def asks_age(question: str) -> bool:
    """Whether the question asks an age: "quel âge", "how old", "كم عمر"."""
    return bool(_AGE_ASKED.search(question))


def asks_person(question: str) -> bool:
    """Whether the question asks who: "qui a présenté…", "which official…", "من وقع…", "comment s'appelle…"."""
    return bool(_PERSON_ASKED.search(question))


def asks_amount(question: str) -> bool:
    """Whether the question asks, without a word of number, an amount paid: a salary, a pension, a fee."""
    return bool(_AMOUNT_ASKED.search(question))


def gives_duration(text: str, lang: str) -> bool:
    """Whether the text (in ``lang``) gives a length of time: a figure of a unit of time ("21 jours", "trois ans",
    "عامين"), or two dates (a span)."""
    return bool(_TIME_GIVEN.search(in_digits(text, lang))) or len(find_dates(text)) >= 2


# How long something lasted is not an age: "ministre pendant plus de quarante ans", "for 40 years".
_FOR_YEARS = re.compile(r"\b(?:pendant|depuis|durant|during|for)\s+(?:(?:plus|près|moins)\s+de\s+|"
                        r"(?:more|less)\s+than\s+|nearly\s+|almost\s+)?\d+\s*(?:ans|années|years)\b", re.IGNORECASE)


def gives_age(text: str, lang: str) -> bool:
    """Whether the text (in ``lang``) gives an age: "58 ans", "aged 58", "âgé de 58 ans", "58 عاما"; not a length
    of time ("pendant quarante ans")."""
    return bool(_AGE_GIVEN.search(_FOR_YEARS.sub(" ", in_digits(text, lang))))


def gives_kind(text: str, kind: str, lang: str, question: str = "") -> bool:
    """Whether the text gives a figure of that kind, other than the figures of the question ("en 2025")."""
    if kind == "percent" and SHARE.search(in_digits(text, lang)):  # "un tiers", "une femme sur 8": no figure needed
        return True
    figures = numbers_supported(spelled_numbers(text, lang), spelled_numbers(question, lang))
    if not figures:
        return False
    if kind == "percent":
        return bool(PERCENT.search(text))
    if kind == "money":
        return bool(_MONEY_WORDS.search(text))
    if kind == "population":
        return bool(_POPULATION_COUNT.search(text))
    # A count is a figure that is neither a share, nor an amount of money, nor part of a date.
    units = units_of(text)
    other = {n for n, kinds in units.items() if kinds & {"percent", "money"}}
    other |= numbers(" ".join(re.findall(r"(\d[\d.,]*)\s*٪", text)))
    return bool(numbers_supported(figures, other | time_numbers(text)))


# Qualifiers of a figure that exclude each other: a net amount is not a gross one, an amount before tax is not one
# with tax, a monthly figure is not a yearly one. A sentence giving the other one (and not the one asked) gives the
# figure of another thing.
_OPPOSED_QUALIFIERS = tuple((re.compile(a, re.IGNORECASE), re.compile(b, re.IGNORECASE)) for a, b in (
    # ("une nette hausse" is a clear rise, not a net amount)
    (r"(?<!un )(?<!une )\bnet(?:te)?s?\b|(?<!\w)(?:ال)?صافي(?:ة)?(?!\w)",
     r"\bbrut(?:e)?s?\b|\bgross\b|(?<!\w)(?:ال)?إجمالي(?:ة)?(?!\w)"),
    (r"\bhors taxes?\b|\bHT\b|\b(?:excluding|before) tax(?:es)?\b", r"\bTTC\b|\btoutes taxes comprises\b|"
                                                                   r"\b(?:including|after) tax(?:es)?\b"),
    (r"\bmensuel(?:le)?s?\b|\bpar mois\b|\bmonthly\b|\bper month\b|(?<!\w)(?:ال)?شهري(?:ة|ا)?(?!\w)",
     r"\bannuel(?:le)?s?\b|\bpar an\b|\bannual(?:ly)?\b|\bper year\b|\byearly\b|(?<!\w)(?:ال)?سنوي(?:ة|ا)?(?!\w)"),
))


# A total asked is not what was added ("Combien de notaires exercent au total ?" is not answered by "2 100 nouveaux
# notaires nommés"): a sentence each of whose figures counts what was added ("300 nouveaux", "300 postes
# supplémentaires", "300 additional") and none a total. One way only: what was added may be asked and answered by a
# total of it. (French and English sentences: an Arabic one is not read so.)
_TOTAL = re.compile(r"\bau total\b|\ben tout\b|\btotal(?:e|es|s)?\b|\bin total\b|\baltogether\b|"
                    r"(?<!\w)[بو]?(?:ال)?إجمالي(?:ة)?(?!\w)|(?<!\w)(?:ال)?مجموع(?!\w)", re.IGNORECASE)
_ADDED_WORD = r"(?:nouveaux|nouvelles|supplémentaires|additional|(?-i:new)|extra|more)"  # (not "3 New York firms")
# A figure in digits, spaces and separators within it ("2 100", "7,2", "1.725").
_FIGURE = re.compile(r"\d(?:[\d\s\u00a0\u202f.,]*\d)?")
_FIGURE_ADDED = re.compile(rf"{_FIGURE.pattern}\s+(?:(?:millions?|milliards?|mille|thousand)\s+)?"
                          rf"(?:(?:de\s+|d['’]\s*)?{_ADDED_WORD}\b|[^\W\d_]+\s+{_ADDED_WORD}\b)", re.IGNORECASE)


def _counts_only_what_was_added(text: str, lang: str) -> bool:
    """Whether each figure of the text (but a year) counts what was added: "2 100 nouveaux notaires", "300 postes
    supplémentaires"; not "1 600 notaires, dont 300 nouveaux"."""
    digits = in_digits(text, lang)
    figures = [m for m in _FIGURE.finditer(digits) if not _YEAR.fullmatch(m.group(0))]
    added = {m.start() for m in _FIGURE_ADDED.finditer(digits)}
    return bool(figures) and all(m.start() in added for m in figures)


def opposed_qualifier(text: str, question: str, lang: str = "fr") -> bool:
    """Whether the text (in ``lang``) qualifies its figure by the opposite of what the question asks ("le salaire
    net" asked, "euros bruts" given) without the one asked, or counts only what was added when a total is asked."""
    for a, b in _OPPOSED_QUALIFIERS:
        for asked, other in ((a, b), (b, a)):
            if asked.search(question) and not other.search(question) and other.search(text) and \
                    not asked.search(text):
                return True
    return bool(_TOTAL.search(question)) and lang != "ar" and not _TOTAL.search(text) and \
        _counts_only_what_was_added(text, lang)


_YEAR = re.compile(r"(?<![\d.,-])(?<!\d[\s\u00a0\u202f])(?:19|20)\d{2}(?![\d-])")


# A year the question names without asking a figure of it: a name's ("France 2030", "Paris 2024"), a start or an end
# ("depuis 2017", "d'ici 2030", "by 2030").
_YEAR_NOT_ASKED = re.compile(r"\b(?:depuis|since|dès|from|d['’]ici|by|until|jusqu['’](?:en|à)|horizon)\s+"
                             r"((?:19|20)\d{2})\b", re.IGNORECASE)
_NAMED_YEAR = re.compile(r"(?<=\s)([A-ZÀ-Ý][\w-]*)\s+((?:19|20)\d{2})\b")  # (not the question's first word)


def _years_not_asked(question: str) -> set[str]:
    """The years of the question that ask no figure: a start or an end, a name's ("le plan France 2030"; not "En
    2022", "in June 2022", "le PLF 2022": a word of no name, a month, an acronym before it)."""
    return set(_YEAR_NOT_ASKED.findall(question)) | \
        {year for word, year in _NAMED_YEAR.findall(question)
         if fold(word) not in STOPWORDS and word.lower() not in FR_MONTHS | EN_MONTHS and not word.isupper()}


def of_another_year(text: str, question: str, published: str = "", unnamed: str | None = None) -> bool:
    """Whether the text gives its figures for other years than the one the question names: "Combien… en 2019 ?" is
    not answered by "1 200 jeunes en 2021 – 200 de plus qu'en 2020" (the commonest near miss of a figure: the same
    thing, another year). False when the question names no year, or the year of its release (``published``, ISO):
    "l'inflation atteindrait 4,9 %, après 5,2 % en 2022", published in 2023, speaks of 2023. (Months too were
    measured and not kept: "l'accord signé en décembre" gives figures for January and July.)
    A text naming no year speaks of its release's time, this year or the next (a budget is voted the year before),
    or the year before when published in January or February (a review): with ``unnamed`` (what else names the
    text's year: the sentence before it, its release's title), True when none of the years the question asks a
    figure of is one of those ("le budget de la justice pour 2022", asked of a release of 2020 that gives "un budget
    de 8,2 milliards"; not the year of a name, "France 2030", nor a start or an end, "depuis 2017", "d'ici 2030");
    without, False for a text naming no year."""
    question, text = question.translate(ar.DIGITS), text.translate(ar.DIGITS)
    asked = set(_YEAR.findall(question))
    given = set(_YEAR.findall(text))
    if not asked:
        return False
    if given:
        return not asked & given and published[:4] not in asked
    asked -= _years_not_asked(question)
    if not asked or unnamed is None or not published[:4].isdigit() or asked & set(_YEAR.findall(unnamed)):
        return False
    # (a review of the year just ended is published in its first two months)
    near = (-1, 0, 1) if published[5:7] in ("01", "02") else (0, 1)
    return all(int(year) - int(published[:4]) not in near for year in asked)


def gives_figure(text: str, lang: str, question: str = "") -> bool:
    """Whether the text gives a figure that is neither the question's nor a time (see textkit.dates.time_numbers)."""
    figures = numbers_supported(spelled_numbers(text, lang), spelled_numbers(question, lang))
    return bool(numbers_supported(figures, time_numbers(text))) or bool(SHARE.search(in_digits(text, lang)))


# A question asking for an overview ("Que contient le compte rendu du 9 avril ?", "What did X announce?", "Qu'a salué
# le président… ?"): a one-line answer leaves out most of it, so the source's most relevant sentences with facts of
# their own are added.
_OVERVIEW = re.compile(
    r"\bque contient\b|\bqu['’](?:a(?:-t-(?:il|elle))?|ont(?:-(?:ils|elles))?) (?:annoncé|présenté|déclaré|décidé|dit|"
    r"signé|adopté|conclu|proposé|salué|condamné|demandé|réaffirmé|souligné)\b|"
    r"\bquel(?:le)?s (?:nominations|décisions|mesures|annonces)\b|\bquelle (?:était|est) la situation\b|"
    r"\bque s['’]est-il passé\b|\bde quoi\b[^,;?]*\b(?:parlé|discuté|entretenus?|échangé)\b|\bwhat happened\b|"
    r"\bwhat did\b.*\b(?:announce|say|present|decide|sign|adopt|propose|discuss|talk about)\b|"
    r"\bwhat (?:was|were) (?:announced|decided|signed|adopted)\b|\bwhat did\b.*\b(?:welcome|condemn|call for)\b|"
    r"ماذا (?:أعلن|أعلنت|قال|قالت|تضمن|حدث|وقع|وقعت|رحب|رحبت|أدان|أدانت)",
    re.IGNORECASE)


def asks_change(question: str) -> bool:
    """Whether the question asks how something changed from one release to a later one: "a-t-il évolué depuis son
    lancement", "le chiffre annoncé au départ et le chiffre corrigé", "compared with", "مقارنة"."""
    return bool(_CHANGE_ASKED.search(question))


def asks_overview(question: str) -> bool:
    return bool(_OVERVIEW.search(question))


# A question asking for several things by name: "Avec quels homologues…", "Dans quelles régions…", "Which countries…".
_LIST_QUESTION = re.compile(r"\bquel(?:le)?s\s+\w+|\bwhich\s+\w+s\b|\bwho (?:were|are)\b|\bما هي\b", re.IGNORECASE)


def asks_list(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question))


# A question asking for someone's name: "Comment s'appelle l'ambassadrice…", "What is the name of…".
# (Not Arabic: a name is told by its capitals, which Arabic does not write.)
_NAME_QUESTION = re.compile(rf"{fr.CALLED}\b|\bquel est (?:le|son) nom\b|"
                            r"\bwhat(?: is|['’]s) (?:the|his|her) name\b", re.IGNORECASE)


# A person's name asked in so many words: "comment s'appelle l'ambassadeur…", "quel est le nom du ministre…", "qui
# est le président de…", "what is the name of the minister…", "who is the president of…", "ما اسم السفير…". ("Qui a
# présenté…" or "quel ministre…" is answered by a role as well: "le ministre de l'intérieur".)
_ROLES = f"(?:{joined('ROLES')})"  # each language's in its module of textkit.languages
_PARLIAMENT = r"sénat(?:eur|rice)s?|député(?:e)?s?|parlementaires?|senators?|MPs?"  # members of parliament
# Words between the article and what a name is asked of, naming nothing: "comment s'appellent les deux nouveaux ?"
_FILLERS = (r"deux|trois|quatre|cinq|nouvea(?:u|ux)|nouvelles?|autres?|premi(?:er|ère)s?|"
            r"new|first|other|two|three|latest")
# A word between the article and the role, not a preposition: "le nouveau président", not "le plan du ministre".
_GAP = r"(?:(?!(?:d[eu]|des|of|the|la|le|les)\b)\w+\s+)"
_PERSON_NAME_ASKED = re.compile(
    rf"{fr.CALLED}\s+(?:le|la|les|l['’])\s*{_GAP}{{0,2}}?{_ROLES}\b|"
    rf"\bquel(?:le)?s?\s+(?:est|sont|était)\s+(?:le|les)\s+noms?\s+d(?:u|e\s+la|e\s+l['’]|es)\s*"
    rf"{_GAP}{{0,2}}?{_ROLES}\b|"
    rf"^\s*qui\s+(?:est|était|sont|étaient)\s+(?:le|la|les|l['’])\s*{_GAP}{{0,2}}?{_ROLES}\b|"
    rf"\bwhat\s+(?:is|was|are)\s+the\s+names?\s+of\s+the\s+{_GAP}{{0,3}}?{_ROLES}\b|"
    rf"^\s*who\s+(?:is|was|are|were)\s+the\s+{_GAP}{{0,3}}?{_ROLES}\b|ما اسم\s+(?:ال)?{_ROLES}|"
    rf"^\s*[وف]?من\s+(?:هو|هي|هم|كان|كانت)\s+(?:ال)?(?:{_ROLES})(?:ة|ون|ين)?(?!\w)|"  # "من هو منسق…"
    # A member of parliament is a person, never a role's holder described ("quel ministre…" is answered by "le
    # ministre de l'intérieur"; "quel sénateur…" by a name).
    rf"\b(?:quel(?:le)?s?|which)\s+(?:{_PARLIAMENT})\b|"
    # The name of anyone or anything named in so many words: "comment s'appelle le corridor…", "…la ressortissante…",
    # "quel est le nom de l'auteur…", "what is the name of the operation…"
    rf"{fr.CALLED}\s+(?:le|la|les|l['’])\s*(?:(?:{_FILLERS})\b\s*)*(?:[^\W\d_]+)?|"
    rf"\bquel(?:le)?s?\s+(?:est|sont|étaient|était)\s+(?:le|les)\s+noms?\s+(?:et\s+(?:la|le|l['’])\s*\w+\s+)?"
    rf"d(?:u|e\s+la|e\s+l['’]|es)\s*(?:(?:{_FILLERS})\b\s*)*(?:[^\W\d_]+)?|"
    rf"\bwhat\s+(?:is|are|was|were)\s+the\s+names?\s+(?:and\s+\w+\s+)?of\s+the\s+(?:(?:{_FILLERS})\b\s*)*"
    rf"(?:[^\W\d_]+)?",
    re.IGNORECASE)


# Who heads something: "Qui dirige l'agence ?", "Who commands the frigate?", "Qui est à la tête de…", "Qui
# présidera…" ask the name of its head as "Qui est le directeur de l'agence ?" does; the role is the verb's, so any
# person named answers (not "pilotera", "will lead": an agency or a country leads as often).
_HEAD_ASKED = re.compile(
    r"^\s*(?:et\s+)?qui\s+(?:dirige|préside|commande|pilote|dirigeait|présidait|commandait|pilotait|dirigera|"
    r"présidera|commandera)\b|"
    r"^\s*(?:et\s+)?qui\s+(?:est|était|sera)\s+à\s+la\s+tête\b|"
    r"^\s*(?:and\s+)?who\s+(?:heads|leads|commands|chairs|runs|headed|led|commanded|chaired|ran|"
    r"will\s+(?:head|command|chair))\b|"
    r"^\s*(?:and\s+)?who\s+(?:is|was|will\s+be)\s+(?:at\s+the\s+head|in\s+charge)\b", re.IGNORECASE)


# Who was appointed: "Quel haut-fonctionnaire a été nommé pour piloter…", "Which officials were named in the
# sanctions?": an appointment is of someone, so any person named answers, as for who heads something. The question
# opens with what it asks and names a person by an office or a word for people (not "En quelle année a été nommé…",
# "Quelle date a été désignée…", "Which city was named…", "named after", a thing's name).
_APPOINTED_ASKED = re.compile(
    r"^\s*(?:et\s+|and\s+)?(?:quel(?:le)?s?|which)\s+((?:[\w-]+\s+){1,3}?)(?:a|ont|avait|avaient|was|were|has|"
    r"have|had)\s+(?:été\s+|been\s+)?(?:nommée?s?|désignée?s?|appointed|named(?!\s+after))\b", re.IGNORECASE)
_APPOINTEE = re.compile(rf"\b(?:{_ROLES}|{_PARLIAMENT}|(?:haut-|hauts-)?fonctionnaires?|officiers?|généra(?:l|ux)|"
                        r"amira(?:l|ux)|responsables?|personnalités?|personnes?|magistrate?s?|diplomates?|"
                        r"conseill(?:er|ère)s?|officials?|officers?|persons?|people|diplomats?|advis[eo]rs?|"
                        r"generals?|admirals?)\b", re.IGNORECASE)


# Who was appointed, asked by "qui" / "who" itself: "Qui a été désigné pour présider…", "Who was appointed director
# of…", "Qui a été choisi pour diriger…" ("chosen" only to head something: a town or a company is chosen to host a
# summit or to build a bridge).
_WHO_APPOINTED = re.compile(
    r"^\s*(?:et\s+)?qui\s+(?:a|avait|aura)\s+été\s+(?:nommée?|désignée?|(?:choisie?|retenue?)(?=\s+pour\s+"
    r"(?:diriger|présider|commander)\b))\b|"
    r"^\s*(?:et\s+)?qui\s+(?:sera|est|était)\s+(?:nommée?|désignée?)\b|"
    r"^\s*(?:and\s+)?who\s+(?:was|has\s+been|had\s+been|will\s+be)\s+(?:appointed|named|designated|"
    r"(?:chosen|selected)(?=\s+to\s+(?:head|chair|command)\b))\b(?!\s+after)", re.IGNORECASE)


def _asks_appointee(question: str) -> bool:
    """Whether the question asks who was appointed: by "qui" / "who" itself, or naming a person by an office or a
    word for people."""
    if _WHO_APPOINTED.search(question):
        return True
    found = _APPOINTED_ASKED.search(question)
    return bool(found and _APPOINTEE.search(found.group(1)))


def asks_person_name(question: str) -> bool:
    """Whether the question asks, in so many words, the name of someone it names by a role (see _PERSON_NAME_ASKED),
    the name of the head of something (see _HEAD_ASKED) or of someone appointed (see _WHO_APPOINTED and
    _APPOINTED_ASKED)."""
    return bool(_PERSON_NAME_ASKED.search(question) or _HEAD_ASKED.search(question) or _asks_appointee(question))


@lru_cache(maxsize=4096)  # read for every candidate sentence of a part asking a name
def asked_role(question: str) -> str | None:
    """What the question asks the name of: a role ("ambassadeur" in "Comment s'appelle l'ambassadeur d'Algérie ?"),
    a thing ("corridor" in "Comment s'appelle le corridor… ?"), "" when it does not say ("comment s'appellent les
    deux nouveaux ?"); None when it asks no name."""
    found = _PERSON_NAME_ASKED.search(question)
    if not found:
        return None
    roles = re.findall(_ROLES, found.group(0), re.IGNORECASE)
    if roles:
        return roles[-1]
    last = re.split(r"[\s'’]", found.group(0).strip())[-1]
    return "" if fold(last) in STOPWORDS or re.fullmatch(_FILLERS, last, re.IGNORECASE) else last


_ROLE_WORD = re.compile(f"{_ROLES}|{_PARLIAMENT}", re.IGNORECASE)


def is_role(word: str) -> bool:
    """Whether the word is a role someone holds ("ambassadrice", "sénateur"), not a thing ("corridor")."""
    return bool(_ROLE_WORD.fullmatch(word))


# Someone named by what they did or what befell them, not by an office: the name asked is a person's, not a thing's
# ("the name of the attacker" is not answered by "la basilique Notre-Dame de Valcourt").
# (Not "lauréat", "auteur", "winner": communes and companies win prizes and write reports.)
_PERSON_NOUN = re.compile(r"(?:attackers?|assailants?|gunm[ae]n|perpetrators?|suspects?|victims?|killers?|hostages?|"
                          r"assaillante?s?|agresseurs?|suspecte?s?|victimes?|meurtri(?:er|ère)s?|tueu(?:r|se)s?|"
                          r"otages?)", re.IGNORECASE)


def is_person_noun(word: str) -> bool:
    """Whether the word names someone by what they did or underwent ("l'assaillant", "the victim"), not by a role."""
    return bool(_PERSON_NOUN.fullmatch(word))


def names_the_holder(text: str, role: str, before: int = 3, after: int = 6) -> bool:
    """Whether the text names someone beside the role, up to ``before`` words before it or ``after`` words after
    ("l'ambassadeur d'Algérie, M. Antar Daoud", "Anne Grillo, ambassadrice"), or set off by a comma after the role's
    complement ("le représentant personnel de la présidence de l'OSCE en exercice, Andrzej Kasprzyk,", see
    _apposed_holder): a sentence naming the role and
    someone else ("le Président Tebboune a annoncé le retour de l'ambassadeur") names the wrong person; one naming
    only roles ("Monsieur le directeur général, Monsieur le préfet") names nobody. The role is a word of its own,
    not one beginning as it does ("ministère" for "ministre", "gouvernement" for "gouverneur")."""
    return any(names_a_person(window) for window in _beside(text, role, before, after, roles_only=True)) or \
        any(_apposed_holder(run) for run in _beside(text, role, 0, 60, roles_only=True))


def _apposed_holder(run: str) -> bool:
    """Whether a run of words opened by a role sets off a name by commas after the role's complement ("représentant
    personnel de la présidence de l'OSCE en exercice, Andrzej Kasprzyk, a…"): the complement twelve words at most and
    naming no other role but its own ("du secrétaire général"), the name closed by a comma or the end, or opened by a
    civility ("M. Peter Altmaier ont participé"); not "du Mali à Bamako, Jean-Yves Le Drian a annoncé", the
    sentence's subject, nor "l'ambassadeur du Japon, M. Koji Yamada", another role's holder."""
    role, _, rest = run.partition(" ")
    complement, comma, after = rest.partition(",")
    words = complement.split()
    # (a role of the complement, "du secrétaire général", is the role's; "l'ambassadeur du Japon" another's)
    other = any(is_role(re.sub(r"^\w['’]|[^\w-]+$", "", w)) and not re.match(r"d['’]", w) and
                (i == 0 or words[i - 1].lower() not in {"du", "de", "des", "of"}) for i, w in enumerate(words))
    if not comma or len(words) > 12 or other:
        return False
    apposed = re.split(r"[,;:()]", after)[0]
    closed = len(apposed) < len(after) or after.rstrip().endswith((".", "!", "?"))
    if _CIVILITY_FIRST.match(apposed):  # ("…de l'énergie, M. Peter Altmaier ont participé": a civility opens a name)
        apposed, closed = " ".join(apposed.split()[:3]), True
    # (the role first: a name is not read in a text's first word, see textkit.names.name_runs)
    return closed and 0 < len(apposed.split()) <= 4 and names_a_person(f"{role} {apposed}")


_CIVILITY_FIRST = re.compile(r"\s*(?:M\.|MM\.|Mme|Mmes|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s")


# A name given before what it names, set off by a comma: "« Les Galons de la BD », le prix…" (groups: the word
# before the name, the name, the noun after the article; again for an elided article, "…, l'opération").
_APPOSITION = re.compile(r"(?:^|(\b\w+)\s+)((?:«\s*|[\"“])[^,;.»\"”]{2,60}(?:\s*»|[\"”])|"
                         r"[A-ZÀ-Ý][\w'’-]*(?:\s+(?:de\s+la\s+|de\s+|du\s+|des\s+)?[A-ZÀ-Ý0-9][\w'’-]*)*),\s+"
                         r"(?:les|la|le|the)\s+(\w+)|(?:^|(\b\w+)\s+)((?:«\s*|[\"“])[^,;.»\"”]{2,60}(?:\s*»|[\"”])|"
                         r"[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý0-9][\w'’-]*)*),\s+l['’](\w+)")
# Words before a name that make it no apposition: "Selon Jean Dupont, le prix…", "À Valcourt, le prix…".
_NOT_APPOSED = {"selon", "à", "a", "par", "pour", "avec", "dans", "chez", "après", "avant", "lors", "en", "according",
                "to", "in", "at", "by", "with", "from"}


def names_the_thing(text: str, thing: str, question: str, after: int = 6) -> bool:
    """Whether the text writes a name the question does not in the ``after`` words after the thing whose name is
    asked ("le corridor de Latchine", "le plan Écophyto"), or set off by a comma before it ("« Les Galons de la BD »,
    le prix…"; a person named further before is someone else); anywhere when the question does not say what
    ("comment s'appellent les deux nouveaux ?")."""
    if not thing:
        return bool(new_names(text, question))
    return any(_apposed(m, thing, question) for m in _APPOSITION.finditer(text)) or \
        any(new_names(window, question) for window in _beside(text, thing, 0, after))


def _apposed(m: re.Match, thing: str, question: str) -> bool:
    """Whether an _APPOSITION match names ``thing`` with a name the question does not write."""
    before, name, noun = m.group(1, 2, 3) if m.group(2) else m.group(4, 5, 6)
    first, _, rest = name.partition(" ")
    if first.lower() in _NOT_APPOSED:  # "Selon Jean Dupont, le prix…": the run opened the sentence
        before, name = first, rest
    # (the name read after a word: a name opening a text is not told by its capital)
    return _same_word(noun, thing) and (before or "").lower() not in _NOT_APPOSED and \
        bool(new_names(f"et {name}", question))


# The same role in French, English and Arabic: a name asked of "سفير فرنسا" or "France's ambassador" is read in a
# French sentence beside "ambassadeur" (see names_the_holder), as within one language. A word of several roles is
# each ("رئيس" is a president or a head; "محافظ" a governor or a prefect); "رئيس الوزراء" is a prime minister,
# "رئيس البلدية" a mayor (see role_in). English "head", "chief" are left out: "who is the first woman to head…"
# asks no role.
_ROLE_ACROSS = (
    (("ambassadeur",), ("ambassador",), ("سفير",)), (("ministre",), ("minister",), ("وزير",)),
    (("président",), ("president", "chairman"), ("رئيس",)),
    (("chef",), (), ("رئيس", "قائد")), (("maire",), ("mayor",), ("عمدة",)),
    (("envoyé",), ("envoy",), ("مبعوث",)), (("représentant",), ("representative",), ("ممثل",)),
    (("directeur",), ("director",), ("مدير",)), (("porte-parole",), ("spokesman", "spokesperson"), ("متحدث",)),
    (("gouverneur",), ("governor",), ("محافظ", "حاكم")), (("préfet",), ("prefect",), ("محافظ",)),
    (("commandant", "chef"), ("commander",), ("قائد",)),
    (("coordinateur", "coordonnateur"), ("coordinator",), ("منسق",)),
    (("procureur",), ("prosecutor",), ("مدعي",)), (("commissaire",), ("commissioner",), ("مفوض",)))
_LANGS = ("fr", "en", "ar")


_HEAD_OF = re.compile(r"رئيس[ةه]?\s+(?:(?:مجلس\s+)?(?:ال)?وزراء|(?:ال)?حكومة)|(رئيس[ةه]?\s+(?:ال)?بلدية)")


def role_in(role: str, lang: str, question: str = "") -> tuple[str, ...]:
    """The role asked (a word of ``asked_role``, in any of the three languages) as ``lang`` writes it, every role
    the word may be ("رئيس" -> "président", "chef"; "رئيس الوزراء" in the ``question``, "ministre"), or () when
    unknown ("spokesman" -> "porte-parole")."""
    if lang not in _LANGS:
        return ()
    head = _HEAD_OF.search(question) if fold(role) == fold("رئيس") else None
    if head:
        role = "mayor" if head.group(1) else "minister"
    found = [w for words in _ROLE_ACROSS if any(_same_word(role, x) for x in sum(words, ()))
             for w in words[_LANGS.index(lang)]]
    return tuple(dict.fromkeys(found))


def _same_word(written: str, word: str) -> bool:
    """Whether a word of a text is ``word`` (its last word, for a phrase) by their first five letters, accents and
    case aside ("ambassadrice" for "ambassadeur")."""
    return fold(written)[:5] == fold(word.split()[-1])[:5]


def _beside(text: str, word: str, before: int, after: int, roles_only: bool = False) -> list[str]:
    """The runs of words around each place the text writes ``word`` (see _same_word; elision and punctuation
    aside: "l'ambassadrice," for "ambassadeur"; a role only when ``roles_only``)."""
    words = text.split()
    bare = [re.sub(r"^\w['’]|[^\w-]+$", "", w) for w in words]
    return [" ".join(words[max(0, i - before):i + after + 1]) for i, w in enumerate(bare)
            if _same_word(w, word) and (not roles_only or is_role(w))]


def asks_name(question: str) -> bool:
    return bool(_NAME_QUESTION.search(question))


# What a question counts: "combien de titres", "combien d'organismes", "how many (Valmontese / additional) vessels".
# (French puts "nouveaux", "autres" before the noun: "combien de nouveaux notaires" counts notaries.)
_COUNTED = re.compile(r"\bcombien\s+(?:de\s+|d['’]\s*)(?:(?:nouveaux|nouvelles|autres|premiers|premières)\s+"
                      r"(?!(?:ont|sont|a|est|seront|vont|y|en|se|s['’])\b))?"  # ("combien de nouvelles ont été…")
                      r"([^\W\d_]+)|\bhow many\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)", re.IGNORECASE)
_QUALIFIERS = {"additional", "more", "new", "extra", "other"}
# A figure and, at most one word further, the word after it: "12,1 millions de titres", "1 100 nouveaux dispositifs".
_FIGURE_THEN_WORD = re.compile(
    rf"{_FIGURE.pattern}\s+(?:(?:millions?|milliards?|mille|thousand|billions?)\s+)?"
    r"(?:de\s+|d['’]\s*|of\s+)?(?:([^\W\d_]+)\s+)?([^\W\d_]+)", re.IGNORECASE)


def counted_noun(question: str) -> str | None:
    """The stem of what a question counts ("combien de titres" -> "titre", "how many Valmontese vessels" ->
    "vessel"), None when it counts nothing or time, money ("combien de temps")."""
    m = _COUNTED.search(question)
    if not m:
        return None
    found = (m.group(1) or m.group(2)).split()
    # English puts qualifiers and demonyms before the noun: "how many additional appointments", "Valmontese vessels".
    while len(found) > 1 and (found[0].casefold() in _QUALIFIERS or found[0][0].isupper() and found[1].islower()):
        found.pop(0)
    word = found[0].casefold()
    if re.fullmatch(_SCALE, word):  # "combien de milliers de postes": the noun after the scale, or none (an amount)
        after = re.search(rf"\b{re.escape(found[0])}\s+(?:de\s+|d['’]\s*|of\s+)([^\W\d_]+)", question[m.start():],
                          re.IGNORECASE)
        if after is None:
            return None
        word = after.group(1).casefold()
    if word in STOPWORDS or word in {"temps", "euros", "dollars", "argent", "fois", "time", "money"} or \
            re.fullmatch(_MONEY_NOUNS, word):
        return None
    return stem(fold(word))


def counted_acronyms(question: str) -> set[str]:
    """The acronyms a source may write for what a question counts: "combien d'organismes de foncier solidaire" ->
    {"OFS"} (the initials of its first words of content, three or more)."""
    m = _COUNTED.search(question)
    if not m:
        return set()
    following = re.findall(r"[^\W\d_]+", question[m.start(1) if m.group(1) else m.start(2):])
    initials = []
    for word in following[:6]:
        if word.casefold() in {"de", "d", "du", "des", "la", "le", "l", "of", "the"}:
            continue
        if fold(word) in STOPWORDS:
            break
        initials.append(word[0].upper())
    return {"".join(initials[:n]) for n in range(3, len(initials) + 1)}  # (two letters match too much)


# People counted in general are answered by a count of any kind of people: "Combien de personnes ont été tuées ?" by
# "trois de nos compatriotes", "How many people were evacuated?" by "1,200 nationals".
_PEOPLE_ASKED = {stem(fold(w)) for w in ("personnes", "people", "persons", "gens", "individus")}
_PEOPLE = _PEOPLE_ASKED | {stem(fold(w)) for w in (
    "victimes morts blessés compatriotes ressortissants habitants citoyens femmes hommes enfants jeunes élèves "
    "étudiants agents fonctionnaires militaires soldats gendarmes policiers salariés travailleurs bénévoles otages "
    "réfugiés migrants patients malades victims dead injured wounded nationals citizens residents women men children "
    "students staff employees soldiers troops officers workers volunteers hostages refugees détenus prisonniers "
    "prisoners detainees inmates électeurs voters").split()}


# People of no kind but their place, counted by the word for anyone (see counts).
_ANYONE = {stem(fold(w)) for w in "citoyens citizens habitants inhabitants residents ressortissants nationals "
           "compatriotes".split()}


# A figure given as what a number becomes: "portant ainsi à 7 le nombre de points de passage", "to 7 the number of".
_FIGURE_THE_NUMBER_OF = re.compile(r"\b(?:à|to)\s+\d[\d\s\u00a0\u202f.,]*\s+(?:le\s+nombre|the\s+number)\s+"
                                   r"(?:de\s+|d['’]\s*|des\s+|of\s+)([^\W\d_]+)", re.IGNORECASE)


def _counts_the_same(words: tuple[str | None, ...], lang: str, same: set[str]) -> bool:
    """Whether the noun a figure counts, of the words after it, is one of ``same``: the first word in French ("300
    militaires français"), the last written in lower case in English ("300 French troops"; "3 United Nations
    agencies" counts agencies)."""
    written = [w for w in words if w]
    word = written[0] if lang != "en" else next((w for w in reversed(written) if w.islower()), "")
    return bool(word) and stem(fold(word)) in same


# Nouns that count the same things in official prose: "300 militaires" answers "combien de soldats", "plus d'une
# centaine d'États" "combien de pays".
_SAME_COUNT = [{stem(fold(w)) for w in group.split()} for group in (
    "soldats militaires troupes soldiers troops servicemen",
    "pays états nations countries states",
    "entreprises sociétés companies firms businesses")]
# The same noun in French and English, read only across the two languages (a question in one over a release in the
# other): within one language "postes" are also border posts, "bâtiments" buildings.
_TRANSLATED = [{stem(fold(w)) for w in group.split()} for group in (
    "femmes women", "enfants children", "hélicoptères helicopters", "navires ships vessels",
    "emplois postes jobs posts positions", "écoles schools", "hôpitaux hospitals", "logements homes dwellings housing",
    "jours days", "semaines weeks", "mois months", "heures hours")]


_ANY_COUNT = _SAME_COUNT + _TRANSLATED


def counted_across(noun: str) -> bool:
    """Whether a noun counted (a stem of ``counted_noun``) is known in French and English alike (people, or a noun of
    a group of _SAME_COUNT or _TRANSLATED), so that a sentence in the other language can be read for its count."""
    return noun in _PEOPLE_ASKED or any(noun in group for group in _ANY_COUNT)


# A count after the verb: not a year, not an amount ("passera de 12 à 15 millions d'euros").
_COUNT_NOT_YEAR = (r"(?!(?:19|20)\d\d\b)(?>\d(?:[\s\u00a0\u202f.,]?\d)*)"  # (whole: "12" is not "1" then "2 millions")
                   r"(?!\s*(?:%|€|\$|(?:d['’]\s*|de\s+)?(?:euros?|dollars?)|"
                   r"(?:millions?|milliards?)\s+(?:d['’]\s*|de\s+)(?:euros?|dollars?)|M€|Md€))")
# What the number of a noun reaches or becomes, the noun first: "le nombre de projets recensés a atteint le nombre
# record de 1 725", "les délégués du procureur, qui passeront de 913 à près de 2 000".
_THE_NUMBER_BECOMES = re.compile(
    r"\b(?:le\s+nombre|the\s+number)\s+(?:de\s+|d['’]\s*|des\s+|of\s+)([^\W\d_]+)[^.;:]{0,80}?\b"
    r"(?:a\s+atteint|atteint|atteindra|atteindre|s['’]élève|s['’]élèvera|est\s+passé|passera|reach(?:es|ed)?|rose\s+to|"
    r"stands\s+at)\b"
    r"[^.;:\d]{0,30}" + _COUNT_NOT_YEAR + r"|"
    r"\b(?:les|des|ses|leurs|nos|vos|the)\s+([^\W\d_]+)(?:\s+[^\W\d_]+){0,3},\s+qui\s+pass(?:ent|eront|era|ait|aient)"
    r"(?>\s+de\s+\d(?:[\s\u00a0\u202f.,]?\d)*(?:\s+à\s+(?:près\s+de\s+|plus\s+de\s+)?\d(?:[\s\u00a0\u202f.,]?\d)*)?)"
    r"(?!\s*(?:%|€|\$|(?:d['’]\s*|de\s+)?(?:euros?|dollars?)|millions?|milliards?|M€|Md€))", re.IGNORECASE)


def counts(text: str, noun: str, lang: str, acronyms: set[str] = frozenset(), across: bool = False) -> bool:
    """Whether the text gives a figure of that noun (a stem of ``counted_noun``, or of a noun counting the same
    things, see _SAME_COUNT; ``across`` languages, also its translation, see _TRANSLATED) or of one of its
    ``acronyms`` ("129 OFS" for "combien d'organismes de foncier solidaire"), in digits or in words, or as what
    the number becomes ("portant à 7 le nombre de points"), or what the number of the noun reaches ("le nombre de
    projets a atteint 1 725", "les délégués, qui passeront de 913 à 2 000"). (The noun anywhere before a figure was
    measured and not kept: it answered near misses on two sets.)"""
    digits = in_digits(text, lang)
    # People asked are counted by any noun of people ("combien de personnes" by "62 842 détenus"), and citizens or
    # inhabitants by the word for anyone ("combien de citoyens tirés au sort" by "150 personnes tirées au sort"); not
    # the dead, the injured, children…, whom only what befell them tells apart ("12 personnes blessées" are no dead).
    nouns = {noun} | (_PEOPLE if noun in _PEOPLE_ASKED else _PEOPLE_ASKED if noun in _ANYONE else set())
    # A noun counting the same things, as the noun counted (first in French, last in English), not as a qualifier:
    # "300 véhicules militaires" counts no soldiers, "3 United Nations agencies" no countries.
    same = next((g for g in (_ANY_COUNT if across else _SAME_COUNT) if noun in g), set())
    return any(nouns & {stem(fold(w)) for w in m.groups() if w} or acronyms & {w for w in m.groups() if w} or
               bool(same) and _counts_the_same(m.groups(), lang, same)
               for m in _FIGURE_THEN_WORD.finditer(digits)) or \
        any(stem(fold(m.group(1))) in nouns for m in _FIGURE_THE_NUMBER_OF.finditer(digits)) or \
        any(stem(fold(m.group(1) or m.group(2))) in nouns for m in _THE_NUMBER_BECOMES.finditer(digits))


# A question asking where: "Où a été conclu…", "Dans quelle ville…", "Where…", "أين…", "في أي مدينة…" (a relative "où"
# is no question, nor "Où en sont les négociations ?"). An Arabic question is checked against French and English
# sentences only: a place is told by its capitals, which Arabic does not write (see assistant.evidence.asked.holds).
# Nor a rank: "Where does France rank among donors?", "Où se classe la France ?" ask a position in a list.
_PLACE_QUESTION = re.compile(r"^\s*où\b(?!\s+en\s+(?:est|sont|était|étaient)\b)(?!.*\bse\s+class)|"
                             r"^\s*where\b(?!.*\bstand\b)(?!.*\brank(?:s|ed|ing)?\b(?!-))|"
                             r"\bquand et où\b|\boù et quand\b|\bwhen and where\b|\bwhere and when\b|"
                             r"\bquel(?:le)?s?\s+(?:ville|commune|village|port|quartier|arrondissement|département|"
                             r"lieu|région|province|île|adresse|capitale|site|hôpita(?:l|ux)|prisons?)s?\b|"
                             # (one locality or territory; "quels territoires" asks a list, named without a placing
                             # word, or a kind of area: "quels territoires ruraux"; "quel territoire national", "quel
                             # territoire de santé" ask the country's or a service's area, not a place)
                             r"\bquel(?:le)?\s+(?:localité|territoire)\b(?!\s+(?:national|de\s+santé))|"
                             r"\b(?:dans|en) quel(?:le)? pays\b|"
                             # (not "which countries": a list of countries is named without a placing word, "le
                             # Yémen, voire le Liban", and any name the question does not write holds a country)
                             r"\b(?:in )?which (?:\w+ )?(?:cit(?:y|ies)|towns?|villages?|ports?|country|islands?|"
                             r"regions?|provinces?)\b"
                             r"(?!\s+authorit)|"
                             # (a hospital, a prison after a preposition: "which hospital staff" is no place asked)
                             r"\b(?:in|at|to|from) which (?:\w+ )?(?:hospital|prison)\b|"
                             # Arabic: a word of its own, "and" glued before it (وأين), vowel marks on أيّ.
                             r"(?<!\w)[وف]?أين(?!\w)|(?<!\w)[وف]?في\s+أي\u0651?[\u064b-\u0652]*ة?\s+"
                             r"(?:مدينة|بلد|دولة|مكان|ميناء|عاصمة)(?!\w)|"
                             r"(?<!\w)[وف]?(?:ما|أي)\s+(?:هي\s+)?(?:ال)?مدن(?!\w)",  # ("which cities")
                             re.IGNORECASE)


def asks_place(question: str) -> bool:
    return bool(_PLACE_QUESTION.search(question))


# A place given: a capitalised name after a word that places it, in French or English (Arabic writes no capitals),
# unless it names who acts or a month ("par le Gouvernement", "in March").
_NOT_PLACE = "|".join([fr.NOT_PLACE, en.NOT_PLACE, *(rf"{m.capitalize()}\b" for m in (*FR_MONTHS, *EN_MONTHS))])
# (A lookahead, so that a lowercase word after "dans la" does not hide "ville de Valmont" after it.)
_PLACE_GIVEN = re.compile(rf"(?=(?i:{fr.PLACE_BEFORE}|{en.PLACE_BEFORE})(?!{_NOT_PLACE})([^\W\d_][\w'’-]+))")


def gives_place(text: str, question: str, same_language: bool = True) -> bool:
    """Whether the text names a place: a name after a word that places it ("à Valcourt", "au large de Port-Sérac",
    "in Valmont"), one the question does not write when the two share a language. A name elsewhere in the sentence is
    a body, a person or a thing as often ("l'Agence valmontaise", "le Gouvernement de la République")."""
    places = " ".join(m.group(1) for m in _PLACE_GIVEN.finditer(text) if m.group(1)[0].isupper())
    return bool(set(terms(places)) - set(terms(question))) if same_language else bool(places)


# What a question asks for by name ("Quels exercices militaires…", "Which agreements…", "Quels nouveaux accords…": the
# noun after an adjective; "which" first or after a preposition, not the relative pronoun; not "what", which
# begins "what happened" as often), unless the noun is a kind of answer a sentence gives without naming it ("Depuis
# quelle année…" is answered by "…à partir de 2006", "Quel ministre…" by "Jean-Yves Le Drian…", "Quel taux…" by
# "7,1 %").
_ASKED_NOUN = re.compile(
    r"(?:\bquel(?:le)?s?|(?:^|\b(?:in|on|at|with|for|from|to|by|of|under)\s+)which)\s+"
    r"(?!(?:est|sont|était|étaient|sera|seront|serait|seraient|a|ont|fut|furent|avait|avaient|peut|peuvent|doit|"
    r"doivent|is|are|was|were|did|does|do|will|would|could|should|can|has|have|had|of)\b)"
    r"(?:(?:nouveaux|nouvelles?|nouveau|autres?|principa(?:l|le|les|ux)|grand(?:e|s|es)?|premi(?:er|ère|ers|ères)|"
    r"new|other|main|major|key|first)\s+)?([^\W\d_]{4,})", re.IGNORECASE)
_ANSWER_KINDS = set(terms(
    "année années date dates jour jours journée mois heure moment période durée âge ville villes pays lieu lieux région "
    "province département commune montant montants somme nombre chiffre taux pourcentage part budget coût prix "
    "personne personnes ministre ministres président présidente responsable dirigeant personnalité organisation "
    "organisme institution entreprise société groupe agence year years day days month time period duration city "
    "cities country countries place places region province state amount number figure rate percentage share budget "
    "cost price person people minister president official leader organisation organization body institution "
    "company firm group agency"))


def names_the_asked(sentence: str, part: str) -> bool:
    """Whether the sentence writes (by its stem) the noun the part asks for ("exercices" for "Quels exercices
    militaires…"); true when the part asks for none, or for a kind of answer (see ``_ANSWER_KINDS``)."""
    m = _ASKED_NOUN.search(part)
    noun = set(terms(m.group(1))) - _ANSWER_KINDS if m else set()
    return not noun or bool(noun & set(terms(sentence)))


def falls_short(text: str, question: str, lang: str) -> tuple[VerifyReason, str] | None:
    """Why the text does not answer the question as asked (a figure, a figure of its kind, a date: a code and the
    kinds asked), None if it does."""
    if expects_number(question) and not spelled_numbers(text, lang):
        return VerifyReason.NO_FIGURE, ""
    asked = kinds_asked(question)
    if asked and not any(gives_kind(text, kind, lang, question) for kind in asked):
        return VerifyReason.FIGURE_OF_ANOTHER_KIND, ", ".join(sorted(asked))
    if expects_date(question) and not asks_quantity(question) and not gives_date(text, question):
        return VerifyReason.NO_DATE, ""
    return None


# A question word between spaces, quotes, commas or brackets: "Où…", "(qui…", "…, quand ?".
_OPEN_QUESTION = re.compile(rf"(?:^|[\s'’,(]){question_words(open_only=True)}(?:$|[\s'’,?])", re.IGNORECASE)


# "quoi" that asks nothing: "n'importe quoi", "faute de quoi", "sans quoi", "après quoi", "quoi qu'il arrive", and
# "de quoi" before a verb within the sentence ("a-t-il reçu de quoi reconstruire ses quais ?"; not "De quoi parle-t-il
# ?", nor after a comma or "et", where it opens a question).
_NOT_ASKING_QUOI = re.compile(
    r"(?:\bn['’]importe|\bfaute\s+de|\bsans|\baprès|\bmoyennant)\s+quoi\b|\bquoi(?=\s*qu['’e])|"
    r"(?<!^)(?<![,;:?(]\s)(?<!\bet\s)\bde\s+quoi\s+(?=(?:s['’]|se\s+|l['’]|les?\s+|la\s+|en\s+|y\s+)?"
    r"[^\W\d_]+(?:er|ir|re)\b(?!-))", re.IGNORECASE)


def asks_what(question: str) -> bool:
    """Whether the question asks what, who, when… (not yes or no): then a sentence with nothing new does not answer."""
    return bool(_OPEN_QUESTION.search(_NOT_ASKING_QUOI.sub(" ", question)))


# A question asking which releases were published, not what they say (see assistant.listing).
_RELEASES = re.compile(
    r"\bquel(?:le)?s (?:sont les )?(?:communiqués|déclarations|comptes rendus|textes)\b|"
    r"\bliste(?:z)? (?:des|les) communiqués\b|"
    r"\b(?:which|what) (?:press releases|releases|statements|communiqués)\b|"
    r"\blist (?:the |all )?(?:press )?releases\b|"
    r"ما (?:هي )?(?:البلاغات|البيانات)",
    re.IGNORECASE)


def asks_for_releases(question: str) -> bool:
    """Whether the question asks which releases there are, not what they say (the conversation a follow-up carries
    in brackets does not count: it was the previous question)."""
    return bool(_RELEASES.search(without_context(question)))
