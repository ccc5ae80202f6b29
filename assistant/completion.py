"""Parts of a question the model left unanswered, answered with the source's own sentence.

The small model often answers only the first part of "Combien…, et combien… ?" even when the passage that answers
the second part is in its prompt (measured: the key facts of 87 % of the two-part questions of the test set are in
the prompt). Asking it again, one part at a time, was measured worse (it restated the first answer or invented one).
What works without the model: find, in the passages it was given, the sentence that answers the missing part, and
add that sentence, verbatim and cited. Verification then checks it like any other sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.questions import split_question
from assistant.types import Passage
from assistant.verify import expects_date, expects_number, gives_kind, kinds_asked, numbers_supported, spelled_numbers
from ingest.text import find_dates, find_months, split_sentences
from vectorstore.analysis import STOPWORDS, terms

Idf = Callable[[str], float]


def _coverage(wanted: set[str], found: set[str], idf: Idf) -> float:
    """IDF-weighted share of ``wanted`` terms in ``found`` (1 when nothing is wanted)."""
    total = sum(idf(t) for t in wanted)
    return sum(idf(t) for t in wanted & found) / total if total else 1.0


def unanswered_parts(question: str, answer_sentences: list[str], idf: Idf, min_coverage: float = 0.5) -> list[str]:
    """The parts of a question asking for several things that no sentence of the answer is about."""
    parts = split_question(question)
    if len(parts) < 2:
        return []
    said = [set(terms(s)) for s in answer_sentences]
    missing = []
    for part in parts:
        own = set(terms(part)) - STOPWORDS
        if own and not any(_coverage(own, s, idf) >= min_coverage for s in said):
            missing.append(part)
    return missing


def _answers_kind(sentence: str, part: str, question: str, lang: str) -> bool:
    """Whether the sentence gives what the part asks for: a figure of its kind, a date."""
    kinds = kinds_asked(part)
    if kinds and not any(gives_kind(sentence, k, lang, question) for k in kinds):
        return False
    if expects_number(part) and not numbers_supported(spelled_numbers(sentence, lang), spelled_numbers(question, lang)):
        return False
    if expects_date(part) and not (find_dates(sentence) or find_months(sentence) or re.search(r"\b(?:19|20)\d\d\b", sentence)):
        return False
    return True


def source_sentence(part: str, question: str, passages: tuple[Passage, ...], lang: str, idf: Idf,
                    already_said: str = "", min_part: float = 0.5) -> tuple[str, int] | None:
    """The sentence of a same-language passage that best answers ``part``, with its passage number (from 1).

    The sentence must hold most of the part's own terms (its topic), give what the part asks for (a figure, a date)
    and add something to ``already_said``; the rest of the question (its subject) may be in the sentence or in the
    document's title. None when no sentence qualifies.
    """
    own = set(terms(part)) - STOPWORDS
    subject = set(terms(question)) - STOPWORDS - own
    said_numbers = spelled_numbers(already_said, lang)
    best: tuple[float, str, int] | None = None
    for n, passage in enumerate(passages, 1):
        doc_lang = passage.chunk.lang or lang
        if doc_lang != lang:
            continue  # the answer is in the user's language: a sentence in another one cannot be added as it is
        title = set(terms(f"{passage.chunk.title} {passage.chunk.issuer}"))
        for para in passage.full_text.split("\n"):
            for sentence in split_sentences(para, doc_lang):
                found = set(terms(sentence))
                part_score = _coverage(own, found, idf)
                if part_score < min_part or not _answers_kind(sentence, part, question, lang):
                    continue
                figures = spelled_numbers(sentence, lang)
                if figures and not numbers_supported(figures, said_numbers) or sentence.strip() in already_said:
                    continue  # nothing the answer does not already say
                score = part_score + 0.5 * _coverage(subject, found | title, idf)
                if best is None or score > best[0]:
                    best = (score, sentence.strip(), n)
    return (best[1], best[2]) if best else None
