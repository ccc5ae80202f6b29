"""Parts of a question the model left unanswered, answered with the source's own sentence.

The small model often answers only the first part of "Combien…, et combien… ?" even when the passage that answers
the second part is in its prompt (measured: the key facts of 87 % of the two-part questions of the test set are in
the prompt). Asking it again, one part at a time, was measured worse (it restated the first answer or invented one).
What works without the model: find, in the passages it was given, the sentence that answers the missing part, and
add that sentence, verbatim and cited. Verification then checks it like any other sentence. Only sentences in the
answer's language, of the date the question names if it names one, and of at most ``max_chars`` are candidates.

:class:`Completion` runs the completions of one answer in order, each with the reason it gives the sentence it adds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.listing import quoted
from assistant.question_kinds import (asks_list, asks_name, asks_overview, asks_place, asks_quantity, counted_noun,
                                      counts, expects_date, falls_short, gives_date, gives_figure, gives_kind,
                                      kinds_asked)
from assistant.questions import split_question, without_context
from assistant.verify import OTHER_DATE, OTHER_YEAR, Verification, dated_passages
from core.types import Passage
from textkit.language import detect_language
from textkit.dates import find_dates, find_months
from textkit.names import new_names, proper_names
from textkit.numbers import numbers_supported, spelled_numbers, units_of
from textkit.sentences import sentences_of
from textkit.terms import STOPWORDS, terms

if TYPE_CHECKING:
    from assistant.model_answer import ModelAnswer

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
    total = sum(idf(t) for t in wanted)
    return sum(idf(t) for t in wanted & found) / total if total else 1.0


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
    does not write)."""
    if asks_place(part) and lang != "ar" and not new_names(sentence, question):
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


def source_sentence(part: str, question: str, passages: tuple[Passage, ...], lang: str, idf: Idf,
                    already_said: str = "", embedder=None, min_score: float = 0.45, max_chars: int = 300,
                    vectors: dict[str, list[float]] | None = None,
                    keep: Callable[[str], bool] | None = None, docs: set[str] | None = None,
                    about: str | None = None, novel_to: tuple[str, ...] = (),
                    novelty: float = 0.7, context_weight: float = 0.5,
                    other_languages: frozenset[str] | set[str] = frozenset()) -> tuple[str, int] | None:
    """The sentence of a same-language passage (or of a passage of a document of ``other_languages``, in any
    language) that best answers ``part``, with its passage number (from 1).

    A candidate gives what the part asks for (a figure of its kind, a date, a place). With an ``embedder`` the
    candidates are ranked by similarity to the part asked within its question (the words of "quel est le chiffre corrigé ?"
    are rarely the source's); without one, by the share of the part's terms they hold. None when the best one does
    not reach ``min_score``. ``vectors`` keeps the sentences' embeddings between calls for one answer; ``keep``, when
    given, is one more condition a candidate must meet; ``docs``, when given, the documents it may come from;
    ``about``, when given, what the candidates are ranked against instead of the part asked (a release's title);
    with an ``embedder``, a candidate at least ``novelty`` similar to a sentence of ``novel_to`` (what the answer
    says already, in other words) is left out. A sentence is scored with the sentence before it in its passage too
    (weight ``context_weight``): alone, "Les contrevenants s'exposent à une amende pouvant atteindre 1 500 euros."
    does not say which ban it is about (0.37 to the question asking the fine for breaking it; 0.54 read after
    the sentence stating the ban).
    """
    candidates, before = _candidates(part, question, passages, lang, already_said, max_chars, keep, docs,
                                     other_languages)
    if not candidates:
        return None
    if embedder is not None:
        scores = _closeness(candidates, before, embedder, about or f"{part} {question}", vectors, novel_to, novelty,
                            context_weight)
    else:  # the part's terms in the sentence, and in the sentence with its document's title
        own = set(terms(about or part)) - STOPWORDS
        titles = [set(terms(f"{passages[n - 1].chunk.title} {passages[n - 1].chunk.issuer}")) for _, n in candidates]
        scores = [(coverage(own, set(terms(c)), idf) + coverage(own, set(terms(c)) | t, idf)) / 2
                  for (c, _), t in zip(candidates, titles)]
    best = max(range(len(candidates)), key=lambda i: scores[i])
    return candidates[best] if scores[best] >= min_score else None


def _candidates(part: str, question: str, passages: tuple[Passage, ...], lang: str, already_said: str,
                max_chars: int, keep: Callable[[str], bool] | None, docs: set[str] | None,
                other_languages) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """The sentences of the passages that may answer ``part`` (see :func:`source_sentence`), with their passage
    numbers, and each one's preceding sentence in its passage."""
    candidates: list[tuple[str, int]] = []
    before: dict[str, str] = {}  # each candidate's preceding sentence in its passage
    dated = {i + 1 for i in dated_passages(question, passages)}
    for n, passage in enumerate(passages, 1):
        if (passage.chunk.lang or lang) != lang and passage.chunk.doc_id not in other_languages:
            # Across languages the similarity picked wrong sentences of other releases (measured: 3 of 4 added
            # were): only the releases the caller names (those the answer cites). Their sentences are still split
            # as the question's language splits them: Arabic splitting cut an Arabic sentence at its commas.
            continue
        if (dated and n not in dated) or (docs and passage.chunk.doc_id not in docs):
            continue
        previous = ""
        for sentence in sentences_of(passage.full_text, lang):
            before.setdefault(sentence, previous)
            previous = sentence
            if (len(sentence) <= max_chars and sentence not in already_said
                    # (figures read in the passage's language: "trois cent cinquante millions" for an Arabic question)
                    and _answers_kind(sentence, part, question, passage.chunk.lang or lang)
                    and (keep is None or keep(sentence))):
                candidates.append((sentence, n))
    return candidates, before


def _closeness(candidates: list[tuple[str, int]], before: dict[str, str], embedder, asked_text: str,
               vectors: dict[str, list[float]] | None, novel_to: tuple[str, ...], novelty: float,
               context_weight: float) -> list[float]:
    """Each candidate's similarity to ``asked_text``, read also after the sentence before it; -inf for one too close
    to a sentence of ``novel_to``."""
    vectors = {} if vectors is None else vectors
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
        scores = [score if max(sum(a * b for a, b in zip(vectors[c], vectors[t])) for t in novel_to) < novelty
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


# Why a sentence of the answer is the source's own.
LEFT_OUT = "the model left this part of the question unanswered: the source's sentence is given as it is"
OVERVIEW = "the question asks for an overview: the source's most relevant sentence with facts of its own is given too"
SOURCE_ANSWER = ("the answer gave no figure or date from the sources: the source's sentence closest to the question is "
                 "given instead")
OVERRULED = ("the model gave no answer from the sources, but the source's sentence closest to the question is very "
             "close: it is given as it is")
LISTED = ("the question asks for several; the cited source's sentence names more of them than the answer: it is "
          "given too")
OTHER_FIGURE = ("the answer's figure is not in the source's sentence that answers the question most directly: that "
                "sentence is given too")
CLOSEST = "the cited source's sentence closest to the question holds a fact the answer lacks: it is given too"


def first_release(passages) -> set[str]:
    """The release of the first passage (none without passages): the one a model citing nothing wrote from."""
    return {p.chunk.doc_id for p in passages[:1]}


def as_given(found: tuple[str, int]) -> tuple[str, int]:
    """A source sentence (with its passage number) as an answer gives it: a clause the splitter cut at its comma
    ends the sentence."""
    return found[0].rstrip(" ,،;:"), found[1]


class Completion:
    """One answer being completed: what it says so far, and the source sentences added with the reason of each.
    The steps run in order; each reads what the steps before it added."""

    def __init__(self, limits: ModelAnswer, verification: Verification, raw_text: str, passages, question: str,
                 lang: str):
        self.limits, self.verification, self.raw_text = limits, verification, raw_text
        self.passages, self.question, self.lang = passages, question, lang
        self.idf = limits.retriever.keyword.idf
        self.said = " ".join(s.text for s in verification.supported)
        self.added: list[tuple[str, str]] = []
        self.vectors: dict[str, list[float]] = {}  # each candidate sentence embedded once, however many parts are tried
        # A part left out, or a figure or date the answer does not give, may be answered by a sentence in another
        # language than the question's (quoted as it is) of the releases the answer cites, or of the first release
        # found when it cites none: an Arabic question over a French release. Only from those releases: from any
        # release, answers got another release's sentence and an unanswerable question was answered.
        # (Similarities across languages run lower than within one: the thresholds measured within one are stricter
        # there.)
        self.cited_docs = {c.doc_id for c in verification.citations}
        self.xl_docs = self.cited_docs or first_release(passages)
        self.answered = [s.text for s in verification.supported]
        # Only an answer that says something may be completed part by part.
        self.missing = unanswered_parts(question, self.answered, self.idf, lang=lang) if self.said else []
        self.quotes = [c.quote for c in verification.citations]

    def add(self, part: str, accept, reason: str, min_score: float | None = None, keep=None, docs=None, about=None,
            novel=False, max_chars=None, xl=False) -> bool:
        """Add the best source sentence for ``part`` (``accept``: a last check of it, None for none)."""
        limits, passages, lang, question = self.limits, self.passages, self.lang, self.question
        novel_to = tuple(s.text for s in self.verification.supported) + tuple(a for a, _ in self.added) if novel else ()
        found = source_sentence(part, question, passages, lang, self.idf, self.said, limits.verifier.embedder,
                                limits.left_out_similarity if min_score is None else min_score,
                                max_chars=max_chars or limits.extra_sentence_chars, vectors=self.vectors, keep=keep,
                                docs=docs, about=about, novel_to=novel_to, other_languages=self.xl_docs if xl else ())
        if not found or (accept is not None and not accept(found[0])):
            return False
        sentence, n = as_given(found)
        same_language = (passages[n - 1].chunk.lang or lang) == lang
        if not same_language:
            sentence = quoted(sentence.rstrip(" ."), lang)
        # (For a part asking a name, the sentence after it when only that one names the person meant.)
        after = naming_sentence_after(found[0], passages[n - 1], lang, f"{question} {self.said}") if (
            asks_name(part) and same_language) else None
        for sentence in filter(None, (sentence, after)):
            self.added.append((sentence, reason))
            self.said += " " + sentence
            self.raw_text += f"\n{sentence} [{n}]"
        return True

    def cited(self, x: str) -> bool:
        """Whether the sentence is (or begins) a quote of the answer's citations (quotes are cut short)."""
        return any(x in q or q[:150] in x for q in self.quotes)

    def new_fact(self, x: str) -> bool:
        """A sentence that adds a figure: the closest one may only repeat the answer. Without a figure, not one the
        answer cites already, which it says in other words or another language ("…serious, credible, and
        realistic" for "quel envoyé de l'ONU…", when the sentence before it names him). Figures are read in the
        sentence's own language."""
        own = detect_language(x)
        return adds_figures(x, self.said, own) if spelled_numbers(x, own) else x not in self.said and not self.cited(x)

    def left_out_parts(self) -> None:
        """A part left out is looked for in the releases the answer cites first, then in all: the answer's release
        also says what followed ("l'OIAC a confirmé…", not another release's "nos trois pays continuent…")."""
        chars = self.limits.answer_sentence_chars
        for part in self.missing:
            if not any(self.add(part, None, LEFT_OUT, max_chars=chars, xl=True, keep=self.new_fact, docs=d)
                       for d in ((self.cited_docs, None) if self.cited_docs else (None,))):
                # "Which anniversary exactly?" is too short to be close to any sentence; the sentence the answer
                # cites already answers when it holds half of the part's words that the passages use ("…the two
                # hundredth anniversary of the gift…": "anniversary", not "exactly").
                own = (set(terms(part)) - STOPWORDS) & set().union(*(terms(p.full_text) for p in self.passages))
                self.add(part, lambda x: adds_figures(x, self.said, self.lang), LEFT_OUT, min_score=0.0,
                         keep=lambda x: bool(own) and self.cited(x) and coverage(own, set(terms(x)), self.idf) >= 0.5,
                         max_chars=chars)

    def figure_or_date(self) -> None:
        """The figure asked, when the answer gives another one or none; the date asked, when it gives none; any
        answer very close to the question, when the model gave none."""
        question, lang, limits = self.question, self.lang, self.limits
        asks_figure = asks_quantity(question)
        # A figure the model read in the right sentence but gave for the wrong year, or in a release of another
        # date than the question names: the question is on the topic of these passages.
        misread = [s.text for s in self.verification.sentences if s.reason in (OTHER_YEAR, OTHER_DATE)]
        # ... and the figure it gave says what kind of figure answers (a percentage for "Quelle revalorisation…").
        misread_kinds = {k for k in ("percent", "money") if any(gives_kind(t, k, lang) for t in misread)}
        gave_figure = bool(numbers_supported(spelled_numbers(self.said, lang), spelled_numbers(question, lang)))
        if not self.missing and asks_figure and gave_figure:
            self.other_figure()
        elif not self.missing and ((asks_figure or misread) and not gave_figure or
                                   (expects_date(question) and not asks_figure and not gives_date(self.said, question))):
            if misread:
                self.add(question, None, SOURCE_ANSWER, 0.45, max_chars=limits.answer_sentence_chars,
                         keep=lambda x: not misread_kinds or any(gives_kind(x, k, lang) for k in misread_kinds))
            else:
                self.add(question, None, SOURCE_ANSWER, limits.source_answer_similarity,
                         max_chars=limits.answer_sentence_chars, xl=True)
        elif not self.raw_text:
            # The model gave no answer (it said it found nothing, or only copied its passages): a sentence of the
            # passages very close to the question answers it all the same, in another language from the first
            # release only ("L'ambassadeur de France en Turquie a en conséquence été rappelé…" for "ماذا قررت فرنسا
            # بشأن سفيرها لدى تركيا…", 0.67). The bar is above every unanswerable question's best sentence measured.
            self.add(question, None, OVERRULED, limits.source_answer_similarity, max_chars=limits.answer_sentence_chars,
                     xl=True)

    def other_figure(self) -> None:
        """The source's sentence giving a figure of what the question (or a part of it) counts, or the figure of the
        sentence answering it most directly, when the answer's figure is another."""
        question, lang = self.question, self.lang
        parts = split_question(without_context(question))
        done = set()  # the parts answered by a sentence giving a figure of what they count
        for part in parts:
            # "combien de titres ont été délivrés ?" is not answered by "4 millions de rendez-vous": the source's
            # sentence giving a figure of what the part counts ("12,1 millions de titres") is given too.
            noun = counted_noun(part)
            if not noun or counts(self.said, noun, lang):
                continue
            if self.add(part, None, OTHER_FIGURE, keep=lambda x, n=noun: counts(x, n, lang),
                        max_chars=self.limits.answer_sentence_chars):
                done.add(part)
        if len(parts) > 1:
            # "Quel déficit était prévu…, et quel chiffre le Gouvernement a-t-il finalement annoncé ?": each part
            # asking a figure is checked against the answer's sentence about it ("…sous 3 % en 2028").
            for part in filter(asks_quantity, parts):
                about = sentence_about(part, self.answered, self.idf)
                if about is not None and part not in done:
                    self.add(part, lambda x, a=about: contradicts(x, a, question, lang, same_unit=True), OTHER_FIGURE)
        elif not done:
            self.add(question, lambda x: contradicts(x, self.said, question, lang), OTHER_FIGURE)

    def more_of_a_list(self) -> None:
        """"Avec quels homologues… ?", "Dans quels départements… ?": the model names one of those its cited sentence
        lists; that sentence, naming at least two more, is given too."""
        if self.said and asks_list(self.question):
            known = set(terms(f"{self.said} {self.question}"))
            self.add(self.question, None, LISTED, keep=lambda x: self.cited(x) and
                     len(set(terms(" ".join(proper_names(x)))) - known) >= 2, min_score=0.2, max_chars=600, novel=True)

    def closest_fact(self) -> None:
        """The sentence the answer cites that is closest to the question often says more than the model took from
        it ("…from March 28 to 30…" for "March 28. March 30."): given too when very close, with a fact the answer
        lacks, and not what the answer says already in other words."""
        if self.said and not self.added and not falls_short(self.said, self.question, self.lang):
            self.add(self.question, lambda x: adds_facts(x, self.said, self.lang), CLOSEST,
                     self.limits.closest_similarity, keep=self.cited, novel=True,
                     max_chars=self.limits.answer_sentence_chars)

    def overview(self) -> None:
        """More of what the answer is about, for an overview question: the releases it cites (not another one on the
        same topic)."""
        if not (self.said and not self.missing and asks_overview(self.question)):
            return
        # Ranked by closeness to the title of the release the answer cites first: a release's title says what it is
        # about ("le feu est fixé, premier bilan"); the question's words ("Qu'a annoncé le ministère…") picked who
        # went where instead of the figures. Each with a figure or a name the answer lacks, and not what it says
        # already in other words; no kind of answer is asked ("Qu'a annoncé… le 9 août" is no date question). Three
        # sentences: an overview is a release's several facts (measurements in CHANGELOG.md).
        title = self.verification.citations[0].title if self.verification.citations else None
        for _ in range(self.limits.overview_sentences):
            if not self.add("", None, OVERVIEW, self.limits.overview_similarity, docs=self.cited_docs, about=title,
                            novel=True, keep=lambda x: adds_facts(x, self.said, self.lang)):
                break
