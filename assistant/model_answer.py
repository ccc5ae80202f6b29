"""The answer of the model's mode: what the model wrote, checked against the passages (see :mod:`assistant.verify`),
completed with the sources' own sentences where it falls short (see :mod:`assistant.model_completion`), or a refusal."""

from __future__ import annotations

import logging
from dataclasses import replace

from assistant.completion import Asked, Pick, Scoring, adds_facts, source_sentence
from assistant.model_completion import Completion, as_given, first_release
from assistant.prompts import DROPPED, refusal_text, spelling_note, without_echo
from assistant.question_kinds import (asks_organisation, asks_overview, expects_date, falls_short, names_organisation,
                                      names_the_asked)
from assistant.questions import split_question, without_context
from assistant.scripts import without_foreign_script
from assistant.verify import Verifier, dated_passages, is_refusal
from assistant.verify_reasons import VerifyReason, logged, message
from textkit.dates import find_dates
from textkit.names import name_runs, name_variants, respell, source_spellings

log = logging.getLogger(__name__)



def doc_texts(passages) -> dict[str, str]:
    """The passages' text (with titles) by document."""
    texts: dict[str, str] = {}
    for p in passages:
        texts[p.chunk.doc_id] = f"{texts.get(p.chunk.doc_id, p.chunk.title)} {p.full_text}"
    return texts


class ModelAnswer:
    """Decides between the model's checked answer, completed from the sources, and a refusal."""

    def __init__(self, verifier: Verifier, retriever):
        self.verifier = verifier
        self.retriever = retriever  # its keyword index weighs the question's terms (idf)
        self.overview_sentences = 3  # source sentences added to the answer of an overview question, at most
        self.overview_similarity = 0.2  # ... each at least this close to the title of the release the answer cites
        # A sentence answering what the model did not may be long (official prose puts the fact asked at the end of a
        # sentence of several hundred characters); one added beside the model's answer is kept short (long ones were
        # run-on lists).
        self.answer_sentence_chars = 600  # the longest source sentence given for a part the model left unanswered
        self.extra_sentence_chars = 300  # ... and for an overview or a figure beside the model's
        # A question asking a figure or a date that the answer does not give from the sources, or any question the
        # model gave no answer to, is answered with the source's sentence only when it is this similar to the
        # question (measured on figure and date questions of the development sets: right answers 0.62-0.89,
        # unanswerable questions' best sentences at most 0.53).
        self.source_answer_similarity = 0.6
        # ... and a sentence the answer cites is added beside it when this similar to the question (measured: 0.5
        # also answered an unanswerable question of the sample, before answers falling short were left out).
        self.closest_similarity = 0.6
        # An answer with no supported sentence is replaced by the sentences of the releases it cites at least this
        # close to a part of the question (see _from_cited). Measured on the development corpus: 0.5 and 0.6 give
        # the same answers.
        self.cited_answer_similarity = 0.6
        self.left_out_similarity = 0.45  # the closeness of a source sentence to a part of the question left out

    def decide(self, raw_text: str, passages, question: str, lang: str):
        """Verify the model's text and decide between the checked answer and a refusal.

        Returns (text shown, abstained, reason for refusing, verification).
        """
        as_asked = question
        question, raw_text = self._cleaned(raw_text, passages, question, lang)
        verification = self.verifier.verify(raw_text, passages, lang, question, self.retriever.keyword.idf)
        refusal = refusal_text(lang, passages)
        first = raw_text.split("\n", 1)[0][:200]
        if not raw_text or is_refusal(first) or verification.refused_by_model:
            # The small model also says "not found" when the answer is there: the question still gets the source's
            # sentence when one is very close to it (see _complete).
            verification = self._complete(self.verifier.verify("", passages, lang), "", passages, question, lang)
            if not verification.supported:
                return refusal, True, logged(VerifyReason.MODEL_FOUND_NONE), verification
        else:
            completed = self._complete(verification, raw_text, passages, question, lang)
            if not completed.supported:
                instead = self._from_cited(verification, passages, question, lang)
                completed = instead if instead.supported else completed  # (the model's sentences say why refused)
            verification = completed
        kept = verification.supported
        if not kept:
            return refusal, True, logged(VerifyReason.NONE_SUPPORTED), verification
        short = falls_short(" ".join(s.text for s in kept), question, lang)
        if short:
            return refusal, True, logged(*short), verification
        if asks_organisation(question) and not names_organisation([c.quote for c in verification.citations]):
            return refusal, True, logged(VerifyReason.NO_ORGANISATION), verification
        text = verification.text
        names = name_runs(as_asked) + [n for s in verification.supported for n in name_runs(s.text)]
        note = spelling_note(name_variants(names, doc_texts(passages)), lang)
        if note:
            text += "\n\n" + note
        if verification.dropped:
            text += "\n\n" + DROPPED.get(lang, DROPPED["fr"]).format(n=verification.dropped)
        return text, False, "", verification

    @staticmethod
    def _cleaned(raw_text: str, passages, question: str, lang: str) -> tuple[str, str]:
        """The question and the model's text with what is no claim of the answer removed, and the question's names
        spelled as the sources write them."""
        # After its answer the model may go on copying the prompt's passages ("[2] Déclaration de M. Emmanuel
        # Macron… (30 mars 2023): …"): their titles and text are no claims, and cite releases the answer is not from.
        raw_text = without_echo(raw_text, passages)
        # An answer in a script neither the question's nor the sources' is never shown (see assistant.scripts).
        raw_text, foreign = without_foreign_script(raw_text, question + " " + " ".join(
            f"{p.chunk.title} {p.full_text}" for p in passages))
        if foreign:
            log.info("answer sentences in a foreign script removed count=%d", len(foreign))
        # "Qu'a salué le ministre Batist Lorfelek ?": retrieval found "Baptiste Lorvellec" by spelling; the answer
        # and its checks use the name as the sources write it (the model copies the question's).
        fixes = source_spellings(question, [f"{p.chunk.title} {p.full_text}" for p in passages
                                            if (p.chunk.lang or lang) == lang])  # "Iraq" is not misspelt "Irak"
        if fixes:
            question, raw_text = respell(question, fixes), respell(raw_text, fixes)
        return question, raw_text

    def _from_cited(self, rejected, passages, question: str, lang: str):
        """When none of the model's sentences is supported, the sentences of the releases it cited that answer each
        part of the question most closely (at least ``cited_answer_similarity``, each with a name or a figure the
        question lacks, and writing the noun the part asks for unless it is a kind of answer, see
        :func:`assistant.question_kinds.names_the_asked`): the model found the release and then wrote something it
        does not say ("une grande échéance climatique en 2030"). None close enough, to a question asking what was
        said or done on the day of that release: its sentences with facts closest to its title. The verification
        of those sentences."""
        idf = self.retriever.keyword.idf
        # (A sentence verification did not support keeps the passage numbers the model wrote.)
        docs = {passages[n - 1].chunk.doc_id for s in rejected.sentences for n in s.citations if 0 < n <= len(passages)}
        if not docs and rejected.sentences:
            # Citing no passage given, the model wrote from the first one most often: the release closest to the
            # question is where its unsupported claim came from, and where the supported sentence is.
            docs = first_release(passages)
        text, vectors = "", {}
        for part in split_question(without_context(question)) if docs else ():
            # A part asking a date has few candidates, those giving one: the bar of a part left out. (Not a part asking
            # a figure: "la hausse moyenne" would get the release's "hausse de 4,5 %", which is no average.)
            bar = self.cited_answer_similarity
            if expects_date(part):
                bar = min(bar, self.left_out_similarity)
            found = source_sentence(Asked(part, question, lang, text), passages,
                                    Scoring(idf, self.verifier.embedder, vectors),
                                    Pick(bar, self.answer_sentence_chars, docs=docs,
                                         # (and naming what the part asks for: a sentence of the right release that
                                         # names no exercise does not answer "Quels exercices militaires… ?")
                                         keep=lambda x: adds_facts(x, question, lang) and names_the_asked(x, part)))
            if found:
                sentence, n = as_given(found)
                text += f"{sentence} [{n}]\n"
        # (A question naming a day, not only a month.)
        if (not text and docs and asks_overview(question) and find_dates(question)
                and docs <= {passages[i].chunk.doc_id for i in dated_passages(question, passages)}):
            text = self._day_overview(passages, question, lang, docs, vectors)
        redone = self.verifier.verify(text, passages, lang, question, idf)
        given = VerifyReason.FROM_CITED
        return replace(redone, sentences=tuple(replace(s, reason=message(given, lang), code=given.value)
                                               if s.supported else s for s in redone.sentences))

    def _day_overview(self, passages, question: str, lang: str, docs: set[str], vectors: dict) -> str:
        """The sentences with facts of the release of the day the question names, closest to its title (each cited)."""
        # "Qu'a dit Emmanuel Macron au Premier ministre arménien lors de leur entretien du 12 novembre 2020 ?": no one
        # sentence is that close to the question, but the release of that day is what was said; its sentences with
        # facts, as for an overview the model answered (see _complete).
        idf = self.retriever.keyword.idf
        title = next(p.chunk.title for p in passages if p.chunk.doc_id in docs)
        text = ""
        for _ in range(self.overview_sentences):
            found = source_sentence(Asked("", question, lang, text, about=title), passages,
                                    Scoring(idf, self.verifier.embedder, vectors),
                                    Pick(self.overview_similarity, self.extra_sentence_chars, docs=docs,
                                         novel_to=tuple(text.splitlines()),
                                         keep=lambda x: adds_facts(x, f"{question} {text}", lang)))
            if not found:
                break
            sentence, n = as_given(found)
            text += f"{sentence} [{n}]\n"
        return text

    def _complete(self, verification, raw_text: str, passages, question: str, lang: str):
        """The verification, redone with sentences of the sources added where the model's answer falls short (each
        verbatim, cited and checked like the model's; see :mod:`assistant.model_completion`): a part of the question it
        left out; no figure of what the question (or a part of it) counts ("combien de titres"); a figure other than
        the one of the sentence answering the question (or each part of it asking a figure) most directly; no figure
        or date from the sources at all, when a sentence is very close to the question; fewer names than its cited
        sentence lists, for a question asking for several; a fact of the cited sentence closest to the question that
        the answer lacks; an overview question; no answer at all from the model, when a sentence is very close to the
        question."""
        completion = Completion(self, verification, raw_text, passages, question, lang)
        completion.left_out_parts()
        completion.figure_or_date()
        completion.more_of_a_list()
        completion.closest_fact()
        completion.overview()
        if not completion.added:
            return verification
        redone = self.verifier.verify(completion.raw_text, passages, lang, question, self.retriever.keyword.idf)
        why = dict(completion.added)
        sentences = tuple(replace(s, reason=message(why[s.text], lang), code=why[s.text].value)
                          if s.supported and s.text in why else s for s in redone.sentences)
        return replace(redone, sentences=sentences)
