"""A claim of the answer, read against the question and a passage: what it states (terms, figures, dates, names),
whether it only says the question back, whether a passage gives its figures for another year or not as an average,
and how much the passage's words around its facts are about the question."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.question_kinds import asks_what, expects_date
from assistant.questions import question_parts
from core.types import Passage
from textkit.dates import MONTHS, find_dates
from textkit.names import name_runs, names_or_months, proper_names
from textkit.numbers import numbers_supported, spelled_numbers, years_of_figures
from textkit.modality import AUXILIARIES, is_negated
from textkit.sentences import sentences_of
from textkit.terms import STOPWORDS, numbers, terms

# An average is a figure of its own: "salaire moyen" is not supported by a sentence giving a salary threshold.
_STATISTIC = re.compile(r"\b(?:moyens?|moyennes?|médians?|médianes?|average|mean|median)\b|متوسط", re.IGNORECASE)

# The words of a date but its numbers ("5 octobre 2020", "1er mars", "March 31st"; months of one word only: the
# Arabic "كانون الثاني" is also "second"), and a date that names something ("la loi du 29 décembre 1915", "the
# declaration of 5 October") or a question asking a day in other words than "quand": there a date is an answer.
_DATE_TERMS = set(terms(" ".join(m for m in MONTHS if " " not in m))) | {"er", "st", "nd", "rd", "th"}
_DATE_ANSWERS = re.compile(r"\bdates?\b|\b(?:du|of)\s+\d|\bquel(?:le)? (?:jour|mois)\b|"
                           r"\b(?:what|which) (?:day|month)\b|\béchéances?\b|\bdélais?\b|\bdeadlines?\b|تاريخ|"
                           r"\bأي يوم\b", re.IGNORECASE)


def _sentences_with(figures: set[str], passage: Passage, lang: str) -> list[str]:
    """The sentences of the passage that give one of the figures."""
    sentences = sentences_of(passage.full_text, passage.chunk.lang or lang)
    return [x for x in sentences if len(numbers_supported(figures, spelled_numbers(x, passage.chunk.lang or lang))) < len(figures)]


def other_year(mine: dict[str, str], passage: Passage, lang: str) -> set[str]:
    """Figures that a claim gives for a year (``mine``, from :func:`years_of_figures`), while every sentence of the
    passage giving them gives them for another year ("un déficit de 4,3 % en 2026" against "4,3 % en 2025, ramené à
    3,9 % en 2026")."""
    if not mine:
        return set()
    theirs: dict[str, set[str]] = {}
    for sentence in _sentences_with(set(mine), passage, lang):
        for figure, year in years_of_figures(sentence).items():
            theirs.setdefault(figure, set()).add(year)
    return {f for f, year in mine.items() if f in theirs and year not in theirs[f]}


def focus(claim: str, claim_numbers: set[str], question: str, passage: Passage, lang: str,
          idf: Callable[[str], float]) -> float:
    """How much the part of the passage that carries the claim's own facts is about the question (0..1).

    The claim's facts are its numbers (those the question does not already give) and the words it adds to
    the question. The window (a sentence and its neighbours) that holds them, with the document's title,
    must also hold the question's weighty terms: a figure copied from a sentence about something else
    ("2,4" from a budget, for a question about salaries) scores low.
    """
    question_terms = set(terms(question))
    if not question_terms:
        return 1.0
    # A question asking for two things is answered one part at a time: a window about either part counts.
    parts = question_parts(question)
    novel = set(terms(claim)) - question_terms
    facts = claim_numbers - numbers(question)
    sentences = sentences_of(passage.full_text, passage.chunk.lang or lang)
    title_terms = set(terms(f"{passage.chunk.title} {passage.chunk.issuer}"))
    claim_negated = is_negated(claim)
    best = (-1, -1.0, 0.0)
    for i in range(len(sentences)):
        window = " ".join(sentences[max(0, i - 1): i + 2])
        found = len(facts) - len(numbers_supported(facts, numbers(window)))
        window_terms = set(terms(window))
        novelty = len(novel & window_terms) / len(novel) if novel else 1.0
        covered = window_terms | title_terms
        coverage = max(sum(idf(t) for t in part & covered) / (sum(idf(t) for t in part) or 1.0) for part in parts)
        if not novel and not facts:
            # A claim that only restates the question ("Non, X n'a pas démissionné") needs a window that says
            # the same thing, negation included: the sources' silence is not a "no".
            coverage = coverage if coverage >= 0.75 and claim_negated == is_negated(window) else 0.0
        best = max(best, (found, novelty, coverage))
    return best[2]


@dataclass(frozen=True)
class Claim:
    """One sentence of the answer and what it states, read once however many passages it is checked against."""

    text: str
    cited: tuple[int, ...]  # the passages it cites that exist (numbered from 1), once each
    terms: set[str]
    numbers: set[str]
    novel_numbers: set[str]  # its figures the question does not give
    dates: set[str]
    years: dict[str, str]  # its figures and the year each is given for (see years_of_figures)
    names: set[str]  # the terms of its names the question does not write
    # The names of the question it gives, by name ("Emmanuel Macron a dit à Nikol Pashinian…": Macron, Nikol
    # Pashinian), when it gives two or more.
    asked_names: set[str]
    acronyms: set[str]

    @classmethod
    def read(cls, text: str, cited: list[int], question: str, lang: str, n_passages: int) -> Claim:
        """The claim ``text`` of an answer to ``question``, citing ``cited`` among ``n_passages`` passages."""
        question_terms = set(terms(question))
        claim_numbers = spelled_numbers(text, lang)
        asked_runs = [r for r in name_runs(text) if set(terms(r)) & question_terms]
        return cls(text=text, cited=tuple(n for n in dict.fromkeys(cited) if 1 <= n <= n_passages),
                   terms=set(terms(text)), numbers=claim_numbers,
                   novel_numbers=claim_numbers - spelled_numbers(question, lang), dates=set(find_dates(text)),
                   years=years_of_figures(text), names=set(terms(" ".join(proper_names(text)))) - question_terms,
                   asked_names=set(terms(" ".join(asked_runs))) & question_terms if len(asked_runs) >= 2 else set(),
                   acronyms={w.casefold() for w in re.findall(r"\b[A-Z]{3,6}\b", text)})


def says_question_back(claim: Claim, question: str, lang: str) -> bool:
    """Whether the claim only says the question back, for a question asking what, who, when… (not yes or no)."""
    if not asks_what(question):
        return False
    # The question said back ("Cheikh Sabah était-il Emir du Koweït [1]." for "Depuis quelle année… ?"), or, in
    # French or English, with a single word added and no name, figure, date or month ("…demande d'adopter un nouvel
    # objectif climatique pour 2030" for "Quel objectif climatique pour 2030…?"; Arabic writes no capitals to tell a
    # name by). One word only: with two, answers naming their domains ("sécurité et immigration") were refused too.
    added = claim.terms - set(terms(question)) - STOPWORDS - AUXILIARIES
    if not claim.novel_numbers and (not added or len(added) == 1 and lang in ("fr", "en") and not claim.names
                                    and not claim.dates and not names_or_months(claim.text, added)):
        return True
    # ... or with only a date added, for a question not asking one: "Où a été conclu le cessez-le-feu de début
    # octobre 2020… ?" is not answered by "Le cessez-le-feu a été conclu le 5 octobre 2020 au Haut-Karabakh" (the
    # date of the release it then cites): a release's own date is no answer to "où".
    date_parts = {str(int(x)) for d in claim.dates for x in d.split("-")}  # "5", "10", "2020"
    return bool(claim.dates and added <= _DATE_TERMS | date_parts and not expects_date(question)
                and not _DATE_ANSWERS.search(f"{question} {claim.text}"))


def not_as_average(claim: Claim, passage: Passage, question: str, lang: str) -> bool:
    """Whether the claim gives its figures as an average the question asks for, while no sentence of the passage
    giving them says it is one."""
    return bool(claim.novel_numbers and _STATISTIC.search(claim.text) and _STATISTIC.search(question)
                and not any(_STATISTIC.search(x) for x in _sentences_with(claim.novel_numbers, passage, lang)))
