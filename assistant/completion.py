"""Parts of a question the model left unanswered, answered with the source's own sentence.

The small model often answers only the first part of "Combien…, et combien… ?" even when the passage that answers
the second part is in its prompt (measured: the key facts of 87 % of the two-part questions of the test set are in
the prompt). Asking it again, one part at a time, was measured worse (it restated the first answer or invented one).
What works without the model: find, in the passages it was given, the sentence that answers the missing part, and
add that sentence, verbatim and cited. Verification then checks it like any other sentence. Only sentences in the
answer's language, of the date the question names if it names one, and of at most ``max_chars`` are candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.question_kinds import (asks_place, asks_quantity, expects_date, gives_figure, gives_kind, gives_place,
                                      kinds_asked)
from assistant.questions import split_question, without_context
from assistant.verify import dated_passages
from core.types import Passage
from textkit.dates import find_dates, find_months
from textkit.names import new_names
from textkit.numbers import numbers_supported, spelled_numbers, units_of
from textkit.sentences import sentences_of
from textkit.terms import STOPWORDS, terms, weighted_share

Idf = Callable[[str], float]


def naming_sentence_after(sentence: str, passage: Passage, lang: str, known: str) -> str | None:
    """The sentence right after ``sentence`` in its passage when it names someone ``known`` does not and ``sentence``
    names no one new: a speaker says who she means one sentence later ("…la personne qui représente la France au
    Soudan est une femme. Raja Rabia a été formidable.")."""
    sentences = sentences_of(passage.full_text, lang)
    if sentence not in sentences or new_names(sentence, known):
        return None
    i = sentences.index(sentence) + 1
    return sentences[i] if i < len(sentences) and new_names(sentences[i], known) else None


def coverage(wanted: set[str], found: set[str], idf: Idf) -> float:
    """IDF-weighted share of ``wanted`` terms in ``found`` (1 when nothing is wanted)."""
    return weighted_share(wanted, found, idf)


def unanswered_parts(question: str, answer_sentences: list[str], idf: Idf, min_coverage: float = 0.5,
                     lang: str = "") -> list[str]:
    """The parts of a question asking for several things that no sentence of the answer is about (and, with
    ``lang``, gives what the part asks for: a figure, a date, a place)."""
    # A follow-up carries its conversation in brackets ("Et combien… ? (Quel budget… ?)"): not a part to answer.
    parts = split_question(without_context(question))
    if len(parts) < 2:
        return []
    said = [set(terms(s)) for s in answer_sentences]
    missing = []
    for part in parts:
        own = set(terms(part)) - STOPWORDS
        if own and not any(coverage(own, t, idf) >= min_coverage
                           and (not lang or _answers_kind(s, part, question, lang))
                           for s, t in zip(answer_sentences, said)):
            missing.append(part)
    return missing


def sentence_about(part: str, sentences: list[str], idf: Idf) -> str | None:
    """The sentence most about a part of the question (the largest share of its terms), None when none holds half
    of them."""
    own = set(terms(part)) - STOPWORDS
    scored = [(coverage(own, set(terms(s)), idf), s) for s in sentences] if own else []
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= 0.5 else None


def _answers_kind(sentence: str, part: str, question: str, lang: str) -> bool:
    """Whether the sentence gives what the part asks for: a figure of its kind, a date, a place (a name the question
    does not write, after a word that places it: see :func:`assistant.question_kinds.gives_place`)."""
    if asks_place(part) and lang != "ar" and not gives_place(sentence, question):
        return False
    kinds = kinds_asked(part)
    if kinds and not any(gives_kind(sentence, k, lang, question) for k in kinds):
        return False
    if asks_quantity(part) and not gives_figure(sentence, lang, question):
        return False
    if expects_date(part) and not (find_dates(sentence) or find_months(sentence)
                                   or re.search(r"\b(?:19|20)\d\d\b", sentence)):
        return False
    return True


@dataclass(frozen=True)
class Asked:
    """What a source sentence is looked for: ``part`` of ``question``, in the answer's language ``lang``.

    ``already_said``: the answer so far (a sentence in it is not given again); ``about``, when given, what the
    candidates are ranked against instead of the part asked (a release's title)."""

    part: str
    question: str
    lang: str
    already_said: str = ""
    about: str | None = None


@dataclass(frozen=True)
class Scoring:
    """How candidates are scored: with an ``embedder``, by meaning (``vectors`` keeps the sentences' embeddings
    between calls for one answer); without one, by the IDF-weighted share of the part's terms they hold.

    A sentence is scored with the sentence before it in its passage too (weight ``context_weight``): alone, "Les
    contrevenants s'exposent à une amende pouvant atteindre 1 500 euros." does not say which ban it is about (0.37 to
    the question asking the fine for breaking it; 0.54 read after the sentence stating the ban)."""

    idf: Idf
    embedder: Any = None
    vectors: dict[str, list[float]] | None = None
    context_weight: float = 0.5


@dataclass(frozen=True)
class Pick:
    """Which candidates may be given: the best one if it reaches ``min_score``, of at most ``max_chars``.

    ``keep``, when given, is one more condition a candidate must meet; ``docs``, when given, the documents it may come
    from; ``other_languages``, documents whose passages may give a sentence in another language than the answer's;
    with an embedder, a candidate at least ``novelty`` similar to a sentence of ``novel_to`` (what the answer says
    already, in other words) is left out."""

    min_score: float = 0.45
    max_chars: int = 300
    keep: Callable[[str], bool] | None = None
    docs: set[str] | None = None
    novel_to: tuple[str, ...] = ()
    novelty: float = 0.7
    other_languages: frozenset[str] | set[str] = frozenset()


def source_sentence(asked: Asked, passages: tuple[Passage, ...], scoring: Scoring,
                    pick: Pick = Pick()) -> tuple[str, int] | None:
    """The sentence of a same-language passage (or of a passage of a document of ``pick.other_languages``, in any
    language) that best answers ``asked.part``, with its passage number (from 1); None when the best one does not
    reach ``pick.min_score``.

    A candidate gives what the part asks for (a figure of its kind, a date, a place). With an embedder the
    candidates are ranked by similarity to the part asked within its question (the words of "quel est le chiffre
    corrigé ?" are rarely the source's); without one, by the share of the part's terms they hold.
    """
    candidates, before = _candidates(asked, passages, pick)
    if not candidates:
        return None
    if scoring.embedder is not None:
        scores = _closeness(candidates, before, scoring, asked.about or f"{asked.part} {asked.question}", pick)
    else:  # the part's terms in the sentence, and in the sentence with its document's title
        own = set(terms(asked.about or asked.part)) - STOPWORDS
        titles = [set(terms(f"{passages[n - 1].chunk.title} {passages[n - 1].chunk.issuer}")) for _, n in candidates]
        scores = [(coverage(own, set(terms(c)), scoring.idf) + coverage(own, set(terms(c)) | t, scoring.idf)) / 2
                  for (c, _), t in zip(candidates, titles)]
    best = max(range(len(candidates)), key=lambda i: scores[i])
    return candidates[best] if scores[best] >= pick.min_score else None


def _candidates(asked: Asked, passages: tuple[Passage, ...],
                pick: Pick) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """The sentences of the passages that may answer ``asked.part`` (see :func:`source_sentence`), with their passage
    numbers, and each one's preceding sentence in its passage."""
    part, question, lang = asked.part, asked.question, asked.lang
    candidates: list[tuple[str, int]] = []
    before: dict[str, str] = {}  # each candidate's preceding sentence in its passage
    dated = {i + 1 for i in dated_passages(question, passages)}
    for n, passage in enumerate(passages, 1):
        if (passage.chunk.lang or lang) != lang and passage.chunk.doc_id not in pick.other_languages:
            # Across languages the similarity picked wrong sentences of other releases (measured: 3 of 4 added
            # were): only the releases the caller names (those the answer cites). Their sentences are still split
            # as the question's language splits them: Arabic splitting cut an Arabic sentence at its commas.
            continue
        if (dated and n not in dated) or (pick.docs and passage.chunk.doc_id not in pick.docs):
            continue
        previous = ""
        for sentence in sentences_of(passage.full_text, lang):
            before.setdefault(sentence, previous)
            previous = sentence
            if (len(sentence) <= pick.max_chars and sentence not in asked.already_said
                    # (figures read in the passage's language: "trois cent cinquante millions" for an Arabic question)
                    and _answers_kind(sentence, part, question, passage.chunk.lang or lang)
                    and (pick.keep is None or pick.keep(sentence))):
                candidates.append((sentence, n))
    return candidates, before


def _closeness(candidates: list[tuple[str, int]], before: dict[str, str], scoring: Scoring, asked_text: str,
               pick: Pick) -> list[float]:
    """Each candidate's similarity to ``asked_text``, read also after the sentence before it; -inf for one too close
    to a sentence of ``pick.novel_to``."""
    embedder, novel_to, context_weight = scoring.embedder, pick.novel_to, scoring.context_weight
    vectors = {} if scoring.vectors is None else scoring.vectors
    new = [c for c, _ in candidates if c not in vectors]
    vectors.update(zip(new, embedder.embed_documents(new) if new else []))
    asked = embedder.embed_query(asked_text)
    scores = [sum(a * b for a, b in zip(asked, vectors[c])) for c, _ in candidates]
    if context_weight:  # the sentence read after the one before it: "Les contrevenants s'exposent à une amende…"
        windows = [f"{before[c]} {c}".strip() for c, _ in candidates]
        new = [w for w in windows if w not in vectors]
        vectors.update(zip(new, embedder.embed_documents(new) if new else []))
        scores = [(1 - context_weight) * score + context_weight * sum(a * b for a, b in zip(asked, vectors[w]))
                  for score, w in zip(scores, windows)]
    if novel_to:
        new = [t for t in novel_to if t not in vectors]
        vectors.update(zip(new, embedder.embed_documents(new) if new else []))
        scores = [score if max(sum(a * b for a, b in zip(vectors[c], vectors[t])) for t in novel_to) < pick.novelty
                  else float("-inf") for score, (c, _) in zip(scores, candidates)]
    return scores


def adds_facts(sentence: str, said: str, lang: str) -> bool:
    """Whether the sentence gives a figure or a name that the answer does not."""
    return bool(new_names(sentence, said)) or bool(numbers_supported(spelled_numbers(sentence, lang), spelled_numbers(said, lang)))


def adds_figures(sentence: str, said: str, lang: str) -> bool:
    """Whether the sentence gives a figure the answer does not (or, without figures, is not in the answer)."""
    figures = spelled_numbers(sentence, lang)
    return bool(numbers_supported(figures, spelled_numbers(said, lang))) if figures else sentence not in said


def contradicts(sentence: str, said: str, question: str, lang: str, same_unit: bool = False) -> bool:
    """Whether the answer gives figures (beyond the question's) and none of them is in the sentence; with
    ``same_unit``, the sentence also gives a figure in a unit the answer gives one in ("4,1 %" against "3 %", not
    "18 000 tonnes" against "42 navires")."""
    given = numbers_supported(spelled_numbers(said, lang), spelled_numbers(question, lang))
    if not given or numbers_supported(given, spelled_numbers(sentence, lang)) != given:
        return False
    if not same_unit:
        return True
    said_units = units_of(said)
    kinds = set().union(*(said_units.get(n, set()) for n in given)) - {"day"}
    return bool(kinds & set().union(*units_of(sentence).values()))
