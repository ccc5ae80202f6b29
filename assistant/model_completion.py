"""The completions of the model's answer, in order: the source's own sentences added where the answer falls short
(a part left out, another figure or none, fewer names than its source lists, a fact its cited sentence adds, an
overview), each with the reason it is given (see :mod:`assistant.completion` for how the sentence is found)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.completion import (Asked, Pick, Scoring, adds_facts, adds_figures, contradicts, coverage,
                                  naming_sentence_after, sentence_about, source_sentence, unanswered_parts)
from assistant.listing import quoted
from assistant.question_kinds import (asks_list, asks_name, asks_overview, asks_quantity, counted_noun, counts,
                                      expects_date, falls_short, gives_date, gives_kind)
from assistant.questions import split_question, without_context
from assistant.verify import Verification
from assistant.verify_reasons import VerifyReason
from textkit.language import detect_language
from textkit.names import proper_names
from textkit.numbers import numbers_supported, spelled_numbers
from textkit.terms import STOPWORDS, terms

if TYPE_CHECKING:
    from assistant.model_answer import ModelAnswer


def first_release(passages) -> set[str]:
    """The release of the first passage (none without passages): the one a model citing nothing wrote from."""
    return {p.chunk.doc_id for p in passages[:1]}


def as_given(found: tuple[str, int]) -> tuple[str, int]:
    """A source sentence (with its passage number) as an answer gives it: a clause the splitter cut at its comma
    ends the sentence."""
    return found[0].rstrip(" ,،;:"), found[1]


@dataclass(frozen=True)
class Wanted:
    """What a sentence added to the answer must be (see :class:`assistant.completion.Pick` for how it is found)."""

    accept: Callable[[str], bool] | None = None  # a last check of the sentence found (None: none)
    min_score: float | None = None  # the least closeness to the part (None: the answer's left_out_similarity)
    keep: Callable[[str], bool] | None = None  # which candidate sentences may be chosen (None: any)
    docs: set[str] | None = None  # only from these releases (None: any)
    about: str | None = None  # ranked by closeness to this text rather than to the part
    novel: bool = False  # not a sentence the answer says already
    max_chars: int | None = None  # the longest sentence given (None: the answer's extra_sentence_chars)
    xl: bool = False  # also from the cited releases in another language than the question's


class Completion:
    """One answer being completed: what it says so far, and the source sentences added with the code of why each is.
    The steps run in order; each reads what the steps before it added."""

    def __init__(self, limits: ModelAnswer, verification: Verification, raw_text: str, passages, question: str,
                 lang: str):
        self.limits, self.verification, self.raw_text = limits, verification, raw_text
        self.passages, self.question, self.lang = passages, question, lang
        self.idf = limits.retriever.keyword.idf
        self.said = " ".join(s.text for s in verification.supported)
        self.added: list[tuple[str, VerifyReason]] = []
        self.vectors: dict[str, list[float]] = {}  # each candidate sentence embedded once, however many parts are tried
        self.scoring = Scoring(self.idf, limits.verifier.embedder, self.vectors)
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

    def add(self, part: str, reason: VerifyReason, wanted: Wanted = Wanted()) -> bool:
        """Add the best source sentence for ``part`` that is what ``wanted`` says, with the code of why."""
        limits, passages, lang, question = self.limits, self.passages, self.lang, self.question
        novel_to = tuple(s.text for s in self.verification.supported) + tuple(a for a, _ in self.added) \
            if wanted.novel else ()
        found = source_sentence(Asked(part, question, lang, self.said, wanted.about), passages, self.scoring,
                                Pick(limits.left_out_similarity if wanted.min_score is None else wanted.min_score,
                                     wanted.max_chars or limits.extra_sentence_chars, wanted.keep, wanted.docs,
                                     novel_to, other_languages=self.xl_docs if wanted.xl else ()))
        if not found or (wanted.accept is not None and not wanted.accept(found[0])):
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
            if not any(self.add(part, VerifyReason.LEFT_OUT, Wanted(max_chars=chars, xl=True, keep=self.new_fact,
                                                                    docs=d))
                       for d in ((self.cited_docs, None) if self.cited_docs else (None,))):
                # "Which anniversary exactly?" is too short to be close to any sentence; the sentence the answer
                # cites already answers when it holds half of the part's words that the passages use ("…the two
                # hundredth anniversary of the gift…": "anniversary", not "exactly").
                own = (set(terms(part)) - STOPWORDS) & set().union(*(terms(p.full_text) for p in self.passages))
                self.add(part, VerifyReason.LEFT_OUT, Wanted(
                    accept=lambda x: adds_figures(x, self.said, self.lang), min_score=0.0, max_chars=chars,
                    keep=lambda x: bool(own) and self.cited(x) and coverage(own, set(terms(x)), self.idf) >= 0.5))

    def figure_or_date(self) -> None:
        """The figure asked, when the answer gives another one or none; the date asked, when it gives none; any
        answer very close to the question, when the model gave none."""
        question, lang, limits = self.question, self.lang, self.limits
        asks_figure = asks_quantity(question)
        # A figure the model read in the right sentence but gave for the wrong year, or in a release of another
        # date than the question names: the question is on the topic of these passages.
        misread = [s.text for s in self.verification.sentences
                   if s.code in (VerifyReason.OTHER_YEAR, VerifyReason.OTHER_DATE)]
        # ... and the figure it gave says what kind of figure answers (a percentage for "Quelle revalorisation…").
        misread_kinds = {k for k in ("percent", "money") if any(gives_kind(t, k, lang) for t in misread)}
        gave_figure = bool(numbers_supported(spelled_numbers(self.said, lang), spelled_numbers(question, lang)))
        if not self.missing and asks_figure and gave_figure:
            self.other_figure()
        elif not self.missing and ((asks_figure or misread) and not gave_figure or
                                   (expects_date(question) and not asks_figure and not gives_date(self.said, question))):
            if misread:
                self.add(question, VerifyReason.SOURCE_ANSWER, Wanted(
                    min_score=0.45, max_chars=limits.answer_sentence_chars,
                    keep=lambda x: not misread_kinds or any(gives_kind(x, k, lang) for k in misread_kinds)))
            else:
                self.add(question, VerifyReason.SOURCE_ANSWER, Wanted(
                    min_score=limits.source_answer_similarity, max_chars=limits.answer_sentence_chars, xl=True))
        elif not self.raw_text:
            # The model gave no answer (it said it found nothing, or only copied its passages): a sentence of the
            # passages very close to the question answers it all the same, in another language from the first
            # release only ("L'ambassadeur de France en Turquie a en conséquence été rappelé…" for "ماذا قررت فرنسا
            # بشأن سفيرها لدى تركيا…", 0.67). The bar is above every unanswerable question's best sentence measured.
            self.add(question, VerifyReason.OVERRULED, Wanted(
                min_score=limits.source_answer_similarity, max_chars=limits.answer_sentence_chars, xl=True))

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
            if self.add(part, VerifyReason.OTHER_FIGURE, Wanted(keep=lambda x, n=noun: counts(x, n, lang),
                                                                max_chars=self.limits.answer_sentence_chars)):
                done.add(part)
        if len(parts) > 1:
            # "Quel déficit était prévu…, et quel chiffre le Gouvernement a-t-il finalement annoncé ?": each part
            # asking a figure is checked against the answer's sentence about it ("…sous 3 % en 2028").
            for part in filter(asks_quantity, parts):
                about = sentence_about(part, self.answered, self.idf)
                if about is not None and part not in done:
                    self.add(part, VerifyReason.OTHER_FIGURE, Wanted(
                        accept=lambda x, a=about: contradicts(x, a, question, lang, same_unit=True)))
        elif not done:
            self.add(question, VerifyReason.OTHER_FIGURE,
                     Wanted(accept=lambda x: contradicts(x, self.said, question, lang)))

    def more_of_a_list(self) -> None:
        """"Avec quels homologues… ?", "Dans quels départements… ?": the model names one of those its cited sentence
        lists; that sentence, naming at least two more, is given too."""
        if self.said and asks_list(self.question):
            known = set(terms(f"{self.said} {self.question}"))
            self.add(self.question, VerifyReason.LISTED, Wanted(
                keep=lambda x: self.cited(x) and len(set(terms(" ".join(proper_names(x)))) - known) >= 2,
                min_score=0.2, max_chars=600, novel=True))

    def closest_fact(self) -> None:
        """The sentence the answer cites that is closest to the question often says more than the model took from
        it ("…from March 28 to 30…" for "March 28. March 30."): given too when very close, with a fact the answer
        lacks, and not what the answer says already in other words."""
        if self.said and not self.added and not falls_short(self.said, self.question, self.lang):
            self.add(self.question, VerifyReason.CLOSEST, Wanted(
                accept=lambda x: adds_facts(x, self.said, self.lang), min_score=self.limits.closest_similarity,
                keep=self.cited, novel=True, max_chars=self.limits.answer_sentence_chars))

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
            if not self.add("", VerifyReason.OVERVIEW, Wanted(
                    min_score=self.limits.overview_similarity, docs=self.cited_docs, about=title, novel=True,
                    keep=lambda x: adds_facts(x, self.said, self.lang))):
                break
