"""The model condenses the chosen source sentences into a short answer in the user's language; the code checks the
wording against those sentences only, and when a check fails the quoted sentences stay the answer.

The model never decides whether to answer (the rules of :mod:`.rules` do) nor which sentences to use (the ranking
does): it only rewords what was chosen, so its mistakes can be caught by comparing its words with its input. Each
check is named, with a code, and `answer.disabled_rules` can switch one off by its name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

from assistant.citations import with_citations
from assistant.metrics import words_shown
from assistant.prompts import LANGUAGE_NAMES
from assistant.scripts import scripts
from assistant.verify import is_refusal
from assistant.evidence.compose import Decision
from assistant.evidence.rules import Reason
from core.types import Sentence
from textkit.names import name_runs
from textkit.numbers import in_digits, numbers_supported
from textkit.terms import numbers, terms

log = logging.getLogger(__name__)

# A fixed prefix (system prompt and one worked example): llama.cpp keeps it evaluated between questions, so a
# question costs only its own sentences.
SYSTEM = ("You write short answers from official press releases. You get a question and numbered sentences quoted "
          "from the releases. Answer the question in one short sentence, in the language asked, using only what the "
          "sentences say. Copy figures, dates and names exactly as the sentences write them. Put the number of the "
          "sentence you used in brackets at the end, like [1]. Add nothing the sentences do not say.")
EXAMPLE_USER = ("Question: Combien de postes le plan va-t-il créer ?\n\nSentences:\n"
                "[1] Présenté ce mercredi en Conseil des ministres, le plan de relance des territoires ruraux créera "
                "1 200 postes d'ici 2027, principalement dans les maisons de santé et les écoles.\n"
                "[2] Le ministre a remercié les élus locaux pour leur engagement.\n\nAnswer in French:")
EXAMPLE_ANSWER = "Le plan créera 1 200 postes d'ici 2027, principalement dans les maisons de santé et les écoles [1]."

MAX_TOKENS = 90
_CITATION = re.compile(r"\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]")


class CondenseCheck(StrEnum):
    """Why the model's wording was not shown (the quoted sentences were): codes, never read as prose."""

    CONDENSED = "EV110"  # shown: the wording passed every check
    NO_WORDING = "EV120"
    FOREIGN_SCRIPT = "EV121"
    FIGURE_NOT_IN_SENTENCES = "EV122"
    NAME_NOT_IN_SENTENCES = "EV123"
    ANSWER_DROPPED = "EV124"
    NOT_SHORTER = "EV125"


CONDENSED_MESSAGE = {"fr": "les phrases des sources, reformulées en bref par le modèle et vérifiées contre elles",
                     "en": "the sources' sentences, put briefly by the model and checked against them",
                     "ar": "جمل المصادر، أعاد النموذج صياغتها باختصار وتحققنا منها"}


@dataclass(frozen=True)
class Wording:
    """What a check reads: the model's wording (citation marks left out), the sentences it was given, the
    question, the user's language, and the figures each sentence was chosen for."""

    text: str
    sentences: tuple[tuple[str, str], ...]  # (text, its language)
    question: str
    lang: str
    figures: tuple[frozenset[str], ...]  # the numbers of each sentence


def _no_wording(w: Wording) -> bool:
    """Nothing written, or the model's own "not stated" instead of an answer (the rules decide refusals, not the
    model's wording)."""
    return len(w.text.split()) < 3 or is_refusal(w.text)


def _foreign_script(w: Wording) -> bool:
    """Letters of a script neither the question nor the sentences use (a small model drifts into Chinese)."""
    return bool(scripts(w.text) - scripts(w.question + " " + " ".join(t for t, _ in w.sentences)))


def _figure_not_in_sentences(w: Wording) -> bool:
    """A figure the sentences do not give (nor the question): a condensed answer adds no number."""
    given = numbers(in_digits(w.question, w.lang)).union(*(numbers(in_digits(t, lang)) for t, lang in w.sentences))
    return bool(numbers_supported(numbers(in_digits(w.text, w.lang)), given))


def _name_not_in_sentences(w: Wording) -> bool:
    """A name the sentences and the question do not write (word by word, folded): an invented or a translated
    name is not shown ("Maroc" for "Morocco" falls back to the quote, which is safe)."""
    known = set(terms(" ".join(t for t, _ in w.sentences) + " " + w.question))
    return any(not set(terms(name)) <= known for name in name_runs(w.text))


def _answer_dropped(w: Wording) -> bool:
    """A figure of the sentences that the wording leaves out. Which of a sentence's figures answers cannot be told
    from the wording ("3 600 postes, dont 2 100 dans l'Éducation nationale" put as "3 600 postes dans l'Éducation
    nationale"; a zone's dates given for another's), so all of them are kept or the quote is shown. (Measured on the
    sample set: requiring only one figure of each sentence chosen for a figure let 10 of 80 wordings lose the fact.)"""
    mine = numbers(in_digits(w.text, w.lang))
    return any(numbers_supported(given, mine) for given in w.figures)


CHECKS: tuple[tuple[str, CondenseCheck, Callable[[Wording], bool]], ...] = (
    ("condensed-no-wording", CondenseCheck.NO_WORDING, _no_wording),
    ("condensed-foreign-script", CondenseCheck.FOREIGN_SCRIPT, _foreign_script),
    ("condensed-figure-not-in-sentences", CondenseCheck.FIGURE_NOT_IN_SENTENCES, _figure_not_in_sentences),
    ("condensed-name-not-in-sentences", CondenseCheck.NAME_NOT_IN_SENTENCES, _name_not_in_sentences),
    ("condensed-answer-dropped", CondenseCheck.ANSWER_DROPPED, _answer_dropped),
)
CHECK_NAMES = {name for name, _, _ in CHECKS}


def failed_check(w: Wording, disabled: list[str] | tuple[str, ...] = ()) -> CondenseCheck | None:
    """The first check the wording fails (in order), or None."""
    for name, code, fails in CHECKS:
        if name not in disabled and fails(w):
            return code
    return None


def messages_for(question: str, numbered: list[tuple[int, str, str]], lang: str) -> list[tuple[str, str]]:
    """The chat messages: the fixed prefix, then the question and the numbered sentences."""
    listed = "\n".join(f"[{n}] {text}" for n, text, _ in numbered)
    user = f"Question: {question}\n\nSentences:\n{listed}\n\nAnswer in {LANGUAGE_NAMES.get(lang, 'French')}:"
    return [("system", SYSTEM), ("human", EXAMPLE_USER), ("ai", EXAMPLE_ANSWER), ("human", user)]


@dataclass(frozen=True)
class Condensed:
    """The decision to show, and the code of what happened (EV110 when the model's wording is shown)."""

    decision: Decision
    code: CondenseCheck


def inputs(decision: Decision) -> tuple[list[tuple[int, str, str]], tuple[frozenset[str], ...]]:
    """The numbered sentences to give the model (number as the answer cites them, text in its own language, that
    language) and the figures of each."""
    numbered = [(sentence.citations[0], s.candidate.headed(s.candidate.text), s.candidate.lang)
                for s, sentence in zip(decision.given, decision.sentences)]
    return numbered, tuple(frozenset(numbers(in_digits(text, lang))) for _, text, lang in numbered)


def condensed(decision: Decision, question: str, lang: str, reply: str, disabled: tuple[str, ...] = ()) -> Condensed:
    """The decision with the model's ``reply`` as its answer when it passes the checks and is shorter than the
    quotes; else the decision as it was, with the code of the check that failed."""
    numbered, figures = inputs(decision)
    text = _CITATION.sub("", reply).strip()
    # The parts the releases do not answer (compose.decide) are said after the wording as after the quotes.
    notes = tuple(s for s in decision.sentences if s.code == Reason.PARTIAL.value)
    quotes = decision.text.removesuffix(" ".join(n.text for n in notes)).strip()
    code = failed_check(Wording(text, tuple((t, own) for _, t, own in numbered), question, lang, figures), disabled)
    if code is None and words_shown(text) >= words_shown(quotes):
        code = CondenseCheck.NOT_SHORTER
    if code is not None:
        log.info("condensed wording not shown code=%s", code.value)
        return Condensed(decision, code)
    cited = sorted({n for n, _, _ in numbered})
    shown = with_citations(text, cited)
    sentence = Sentence(shown, tuple(cited), True, CONDENSED_MESSAGE.get(lang, CONDENSED_MESSAGE["fr"]),
                        CondenseCheck.CONDENSED.value)
    return Condensed(replace(decision, text=" ".join([shown, *(n.text for n in notes)]), sentences=(sentence, *notes)),
                     CondenseCheck.CONDENSED)


def wording(llm, question: str, decision: Decision, lang: str) -> Iterator[str]:
    """The model's condensed answer, piece by piece (``llm``: a LangChain chat model)."""
    numbered, _ = inputs(decision)
    # One short sentence is asked: the first line is all that is read, and a runaway reply is cut.
    for chunk in llm.bind(stop=["\n"], max_tokens=MAX_TOKENS).stream(messages_for(question, numbered, lang)):
        yield chunk.content if hasattr(chunk, "content") else str(chunk)
