"""The retrieval-augmented chain: rewrite, retrieve, generate (LCEL), verify. A generator of events,
so that sources reach the user before the first token and the checked answer after the last."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from assistant.completion import (adds_facts, adds_figures, contradicts, coverage, naming_sentence_after,
                                  sentence_about, source_sentence, unanswered_parts)
from assistant.listing import asks_for_releases, publication_period, quoted, release_list
from assistant.llm import count_tokens
from assistant.prompts import (DROPPED, EXAMPLE_ANSWER, EXAMPLE_USER, NOTHING_INDEXED, REWRITE_SYSTEM, SYSTEM_PROMPT,
                               refusal_text, rewrite_message, spelling_note, user_message, without_echo)
from assistant.questions import antecedent, clean_question, split_question, without_context
from assistant.evidence.compose import decide as decide_from_evidence
from assistant.evidence.rank import SentenceVectors
from assistant.evidence.rules import message
from assistant.judge import Judge
from assistant.scripts import without_foreign_script
from assistant.settings import AnswerSettings
from core.types import Answer, AnswerEvent, Event, SourcesEvent, TokenEvent
from assistant.question_kinds import (asks_list, asks_name, asks_organisation, asks_overview, asks_quantity,
                                      counted_noun, counts, expects_date, expects_number, gives_date, gives_kind,
                                      kinds_asked, names_organisation)
from assistant.verify import OTHER_DATE, OTHER_YEAR, Verifier, dated_passages, is_refusal
from textkit.language import detect_language
from textkit.names import full_names, name_runs, name_variants, new_names, proper_names, respell, source_spellings
from textkit.numbers import numbers_supported, spelled_numbers
from textkit.dates import find_dates, find_months
from textkit.terms import STOPWORDS, terms
from vectorstore.filters import Filters
from vectorstore.retriever import HybridRetriever, Retrieval

log = logging.getLogger(__name__)

# The names of the prompt's worked example: an answer naming them (and the passages not) copied the example.
EXAMPLE_NAMES = set(terms("Lormes Anne Roche"))

# Why a sentence of the answer is the source's own.
LEFT_OUT = "the model left this part of the question unanswered: the source's sentence is given as it is"
OVERVIEW = "the question asks for an overview: the source's most relevant sentence with facts of its own is given too"
SOURCE_ANSWER = ("the answer gave no figure or date from the sources: the source's sentence closest to the question is "
                 "given instead")
OVERRULED = ("the model gave no answer from the sources, but the source's sentence closest to the question is very "
             "close: it is given as it is")
LISTED = ("the question asks for several; the cited source's sentence names more of them than the answer: it is "
          "given too")
CLOSEST = "the cited source's sentence closest to the question holds a fact the answer lacks: it is given too"
FROM_CITED = ("no sentence of the model's was supported by the releases it cited: their sentence closest to the "
              "question is given instead")
OTHER_FIGURE = ("the answer's figure is not in the source's sentence that answers the question most directly: that "
                "sentence is given too")

# Words that lean on the conversation: "Et quand… ?", "prévoit-il", "ce chiffre", "And what…", "its", Arabic "و…".
_FOLLOW_UP = re.compile(
    r"^\s*(?:et|and|mais|but|also|aussi)\b|^\s*و|-t-(?:il|elle|ils|elles|on)\b|-(?:il|elle|ils|elles)\b|"
    r"\b(?:il|elle|ils|elles|lui|leur|ce|cet|cette|ces|celui|celle|it|its|they|them|their|this|that|these|those|"
    r"he|she|his|her|him)\b", re.IGNORECASE)


def _falls_short(text: str, question: str, lang: str) -> str | None:
    """Why the text does not answer the question as asked (a figure, a figure of its kind, a date), None if it does."""
    if expects_number(question) and not spelled_numbers(text, lang):
        return "asked for a figure; none found in the sources"
    asked = kinds_asked(question)
    if asked and not any(gives_kind(text, kind, lang, question) for kind in asked):
        return f"asked for a figure of another kind ({', '.join(sorted(asked))})"
    if expects_date(question) and not asks_quantity(question) and not gives_date(text, question):
        return "asked for a date; none found in the sources"
    return None


def _first_release(passages) -> set[str]:
    """The release of the first passage (none without passages): the one a model citing nothing wrote from."""
    return {p.chunk.doc_id for p in passages[:1]}


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


def _names_the_asked(sentence: str, part: str) -> bool:
    """Whether the sentence writes (by its stem) the noun the part asks for ("exercices" for "Quels exercices
    militaires…"); true when the part asks for none, or for a kind of answer (see ``_ANSWER_KINDS``)."""
    m = _ASKED_NOUN.search(part)
    noun = set(terms(m.group(1))) - _ANSWER_KINDS if m else set()
    return not noun or bool(noun & set(terms(sentence)))


def _as_given(found: tuple[str, int]) -> tuple[str, int]:
    """A source sentence (with its passage number) as an answer gives it: a clause the splitter cut at its comma
    ends the sentence."""
    return found[0].rstrip(" ,،;:"), found[1]


class AnswerChain:
    """Answers questions from the indexed communiqués, with checked citations."""

    def __init__(self, retriever: HybridRetriever, llm: BaseChatModel, verifier: Verifier, min_dense: float = 0.3,
                 max_question_chars: int = 1000, log_questions: bool = False, rewriter: BaseChatModel | None = None,
                 answer_settings: AnswerSettings | None = None, embedder=None):
        self.retriever = retriever
        self.answer_settings = answer_settings or AnswerSettings()
        # The evidence-first answer ranks sentences with the index's own embedder (a fake one in unit tests).
        self.embedder = embedder if embedder is not None else verifier.embedder
        self.sentence_vectors = SentenceVectors(self.embedder) if self.embedder is not None else None
        self.judge = Judge(llm)  # the model's closed question for the rules that read it (see assistant.judge)
        self.llm = llm
        # The model that rewrites follow-up questions: another in-process instance keeps its own prompt cache, so the
        # answer's fixed prefix stays evaluated in the main one (measured in bench/query.py --follow-ups).
        self.rewriter = rewriter or llm
        self.verifier = verifier
        self.min_dense = min_dense
        self.max_question_chars = max_question_chars
        self.log_questions = log_questions  # staff's questions are theirs: logged only when configured
        self._prefix_tokens: int | None = None  # tokens of the fixed prompt prefix, counted once
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
        # A question asking several things is checked and completed also against the passage of the retrieved
        # releases closest to each part (see HybridRetriever.part_passages): a part's fact is often in another
        # passage of the same releases. They are not given to the model: a longer prompt made the small model answer
        # worse and later (measurements in CHANGELOG.md).
        self.part_passages = True
        # A question with no word leaning on the conversation and this many indexed terms the conversation never
        # used is about a new subject.
        self.new_topic_terms = 3
        self.listed_releases = 8  # releases retrieved (one passage each) for "Quels communiqués…" questions
        prompt = ChatPromptTemplate.from_messages([("system", SYSTEM_PROMPT), ("human", EXAMPLE_USER.replace("{", "{{").replace("}", "}}")),
                                                   ("ai", EXAMPLE_ANSWER), ("human", "{message}")])
        self.generate = prompt | llm | StrOutputParser()
        plain = ChatPromptTemplate.from_messages([("system", SYSTEM_PROMPT), ("human", "{message}")])
        self.generate_plain = plain | llm | StrOutputParser()
        rewrite = ChatPromptTemplate.from_messages([("system", REWRITE_SYSTEM), ("human", "{message}")])
        # One line is all that is read of the rewrite: the model stops there.
        self.rewrite_chain = rewrite | self.rewriter.bind(stop=["\n"]) | StrOutputParser()

    def warm_up(self) -> None:
        """Load the model and evaluate the fixed prompt prefix once, so the first question does not pay for it. With
        evidence-first answers the model only rewrites follow-ups: only the rewriter is loaded."""
        evidence = self.answer_settings.mode == "evidence" and self.embedder is not None
        try:
            if not evidence:
                self.generate.invoke({"message": "Passages:\n\nQuestion: ?\nAnswer in French, citing [n]."})
            if evidence or self.rewriter is not self.llm:
                self.rewrite_chain.invoke({"message": rewrite_message([{"role": "user", "content": "?"}], "?")})
        except Exception as exc:  # a server that is not up yet is reported at the first question
            log.warning("warm-up failed error=%s", exc)

    def standalone(self, question: str, history: list[dict] | None) -> str:
        """The question made understandable without the conversation (unchanged when there is none)."""
        if not history:
            return question
        history_text = " ".join(str(t.get("content", "")) for t in history)
        history_terms = set(terms(history_text))
        if self._new_topic(question, history_terms):
            return question  # a question about something else needs nothing from the conversation
        try:
            rewritten = self.rewrite_chain.invoke({"message": rewrite_message(history, question)}).strip()
        except Exception as exc:  # a failed rewrite must not lose the question
            log.warning("rewrite failed error=%s", exc)
            rewritten = ""
        rewritten = rewritten.splitlines()[0].strip().strip('"') if rewritten else ""
        last_user = next((t["content"] for t in reversed(history) if t.get("role") == "user"), "")
        # A rewrite that lost every entity of the history falls back to history + question.
        if not rewritten or (history_terms and not (set(terms(rewritten)) & history_terms)):
            # What its pronoun stands for, when that can be read ("(le projet de loi de finances pour 2026)"): the
            # whole previous question got answered instead ("Qui a présenté… ?").
            context = antecedent(question, last_user) or last_user
            rewritten = f"{question} ({context})" if context else question
        else:
            # A rewrite keeping the conversation's words but none of the names the last question asked about
            # ("Quels montants… pour le traitement des eaux ?" after "…Jean-Yves Le Drian… à Tunis…") finds another
            # release: the names are given with it.
            # (Not when the follow-up or its rewrite names someone new: "Et Emmanuel Macron, qu'a-t-il dit ?".)
            names = full_names(last_user)
            someone_new = new_names(question, history_text) or new_names(rewritten, history_text)
            if names and not someone_new and not set(terms(" ".join(names))) & set(terms(rewritten)):
                rewritten = f"{rewritten} ({', '.join(names)})"
        return rewritten

    def _new_topic(self, question: str, history_terms: set[str]) -> bool:
        """Whether the question names its own subject, with words the conversation never used: several indexed
        terms, or a name ("Who is Batist Lorfelek?")."""
        if _FOLLOW_UP.search(question):
            return False
        known = self.retriever.keyword.df
        own = {t for t in set(terms(question)) - history_terms if t in known}
        named = any((name_terms := set(terms(name))) and not name_terms & history_terms for name in name_runs(question))
        return len(own) >= self.new_topic_terms or (named and bool(own))

    def _copies_example(self, raw_text: str, question: str, passages) -> bool:
        """Whether the answer names what only the prompt's worked example names."""
        named = set(terms(raw_text)) & EXAMPLE_NAMES
        if not named:  # nearly always: the passages are not read
            return False
        return bool(named - set(terms(question)).union(*(terms(f"{p.chunk.title} {p.full_text}") for p in passages)))

    def _relevant(self, retrieval: Retrieval, question: str) -> bool:
        """Whether retrieval found anything worth showing the model."""
        if not retrieval.passages:
            return False
        if retrieval.best_dense >= self.min_dense:
            return True
        # Weak dense similarity: accept only strong keyword evidence (rare terms of the question found).
        q_terms = set(terms(question)) - STOPWORDS
        best = retrieval.passages[0]
        found = q_terms & set(terms(best.chunk.embed_text))
        return len(q_terms) > 0 and len(found) / len(q_terms) >= 0.6

    def stream(self, question: str, history: list[dict] | None = None, filters: Filters | None = None,
               lang: str | None = None) -> Iterator[Event]:
        """Yield SourcesEvent, then TokenEvents, then one AnswerEvent."""
        t0 = time.perf_counter()
        question = clean_question(question, self.max_question_chars)  # InvalidQuestion says what to fix
        lang = lang or detect_language(question)
        standalone = self.standalone(question, history)
        if self.log_questions:
            log.info("question lang=%s text=%r standalone=%r", lang, question, standalone)
        # "Que contient le compte rendu du 9 avril 2025 ?" is about one release: all the passages may come from it.
        whole = asks_overview(standalone) and bool(find_dates(standalone) or find_months(standalone))
        # "Quels communiqués ont été publiés sur la grève entre novembre et décembre 2024 ?" lists releases: one
        # passage of each of more of them, published in the period named (unless the user's filter sets dates).
        listing = asks_for_releases(standalone)
        if listing and not (filters and (filters.since or filters.until)):
            span = publication_period(standalone)
            if span:
                filters = replace(filters or Filters(), since=span.since, until=span.until)
        retrieval = self.retriever.retrieve(standalone, filters, k=self.listed_releases if listing else None,
                                            max_per_doc=1 if listing else self.retriever.k if whole else None)
        passages = retrieval.passages
        timings = {"sources_s": time.perf_counter() - t0}
        yield SourcesEvent(passages=passages, standalone_question=standalone)

        def finish(text, abstained, reason="", verification=None, raw=""):
            timings["total_s"] = time.perf_counter() - t0
            return AnswerEvent(Answer(
                question=question, text=text, abstained=abstained,
                citations=verification.citations if verification and not abstained else (),
                # A refusal shows what was searched; an answer, also the passages of the parts that it may cite.
                passages=retrieval.passages if abstained else passages,
                sentences=verification.sentences if verification else (),
                standalone_question=standalone, lang=lang, raw_text=raw, abstain_reason=reason, timings=timings))

        if not passages:
            empty = self.retriever.store.count() == 0
            yield finish(NOTHING_INDEXED[lang] if empty else refusal_text(lang, passages), True, "nothing retrieved")
            return
        if not self._relevant(retrieval, standalone):
            yield finish(refusal_text(lang, passages), True, f"low relevance (best similarity {retrieval.best_dense:.2f})")
            return

        listed = release_list(passages, standalone, lang) if listing else None
        if listed:  # the index's own facts (dates, issuers, titles): no model call
            timings["first_token_s"] = time.perf_counter() - t0
            yield TokenEvent(listed[0])
            yield finish(listed[0], False, "", listed[1])
            return

        if self.answer_settings.mode == "evidence" and self.embedder is not None:
            yield from self._from_evidence(standalone, question, passages, retrieval, lang, t0, timings)
            return

        message = user_message(standalone, passages, lang)
        raw = []
        for piece in self.generate.stream({"message": message}):
            if not raw:
                timings["first_token_s"] = time.perf_counter() - t0
            raw.append(piece)
            yield TokenEvent(piece)
        raw_text = "".join(raw).strip()
        if self._copies_example(raw_text, standalone, passages):
            # The small model sometimes answers with the prompt's worked example ("…Mme Anne Roche [2]"): asked
            # again without it (measured: 3 of 90 test questions).
            log.info("answer copied the prompt's example; asking again without it")
            raw_text = self.generate_plain.invoke({"message": message}).strip()

        if self._prefix_tokens is None:
            self._prefix_tokens = count_tokens(self.llm, SYSTEM_PROMPT + EXAMPLE_USER + EXAMPLE_ANSWER)
        timings["prompt_tokens"] = self._prefix_tokens + count_tokens(self.llm, message)
        timings["answer_tokens"] = count_tokens(self.llm, raw_text)
        if self.part_passages:  # after the model answered: the prompt and the first token do not wait for them
            passages += self.retriever.part_passages(retrieval, split_question(without_context(standalone)))
        text, abstained, reason, verification = self.decide(raw_text, passages, standalone, lang)
        yield finish(text, abstained, reason, verification, raw_text)

    def _from_evidence(self, standalone: str, question: str, passages, retrieval: Retrieval, lang: str, t0: float,
                       timings: dict) -> Iterator[Event]:
        """The evidence-first answer (see :mod:`assistant.evidence`): the sources' best sentences per part of the
        question, quoted and cited, or a refusal naming the rule that made it."""
        # Each part of a question asking several things is looked for in its own closest passage as well.
        passages = tuple(passages) + tuple(self.retriever.part_passages(retrieval, split_question(without_context(standalone))))
        decision = decide_from_evidence(standalone, passages, lang, self.sentence_vectors,
                                        self.retriever.keyword.idf, self.answer_settings, self.judge)
        timings["first_token_s"] = time.perf_counter() - t0
        if decision.abstained:
            text = refusal_text(lang, retrieval.passages)
            yield TokenEvent(text)
            timings["total_s"] = time.perf_counter() - t0
            yield AnswerEvent(Answer(
                question=question, text=text, abstained=True, citations=(), passages=retrieval.passages,
                standalone_question=standalone, lang=lang, raw_text="",
                abstain_reason=f"{decision.reason.value} {message(decision.reason, 'en')}", timings=timings))
            return
        names = name_runs(standalone) + [n for s in decision.sentences for n in name_runs(s.text)]
        note = spelling_note(name_variants(names, self._doc_texts(passages)), lang)
        # One event a sentence ("… [1]. …"), as the page renders them.
        pieces = [p for p in re.split(r"(?<=\])(?=\S?\s)", decision.text) if p] + (["\n\n" + note] if note else [])
        for piece in pieces:
            yield TokenEvent(piece)
        text = "".join(pieces)
        timings["total_s"] = time.perf_counter() - t0
        yield AnswerEvent(Answer(
            question=question, text=text, abstained=False, citations=decision.citations, passages=passages,
            sentences=decision.sentences, standalone_question=standalone, lang=lang, raw_text="",
            abstain_reason="", timings=timings))

    def decide(self, raw_text: str, passages, question: str, lang: str):
        """Verify the model's text and decide between the checked answer and a refusal.

        Returns (text shown, abstained, reason for refusing, verification).
        """
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
        as_asked = question
        fixes = source_spellings(question, [f"{p.chunk.title} {p.full_text}" for p in passages
                                            if (p.chunk.lang or lang) == lang])  # "Iraq" is not misspelt "Irak"
        if fixes:
            question, raw_text = respell(question, fixes), respell(raw_text, fixes)
        verification = self.verifier.verify(raw_text, passages, lang, question, self.retriever.keyword.idf)
        refusal = refusal_text(lang, passages)
        first = raw_text.split("\n", 1)[0][:200]
        if not raw_text or is_refusal(first) or verification.refused_by_model:
            # The small model also says "not found" when the answer is there: the question still gets the source's
            # sentence when one is very close to it (see _complete).
            verification = self._complete(self.verifier.verify("", passages, lang), "", passages, question, lang)
            if not verification.supported:
                return refusal, True, "the model found no answer", verification
        else:
            completed = self._complete(verification, raw_text, passages, question, lang)
            if not completed.supported:
                instead = self._from_cited(verification, passages, question, lang)
                completed = instead if instead.supported else completed  # (the model's sentences say why refused)
            verification = completed
        kept = verification.supported
        if not kept:
            return refusal, True, "no sentence supported by the sources", verification
        short = _falls_short(" ".join(s.text for s in kept), question, lang)
        if short:
            return refusal, True, short, verification
        if asks_organisation(question) and not names_organisation([c.quote for c in verification.citations]):
            return refusal, True, "asked which company or group; the sources call none so", verification
        text = verification.text
        names = name_runs(as_asked) + [n for s in verification.supported for n in name_runs(s.text)]
        note = spelling_note(name_variants(names, self._doc_texts(passages)), lang)
        if note:
            text += "\n\n" + note
        if verification.dropped:
            text += "\n\n" + DROPPED.get(lang, DROPPED["fr"]).format(n=verification.dropped)
        return text, False, "", verification

    def _from_cited(self, rejected, passages, question: str, lang: str):
        """When none of the model's sentences is supported, the sentences of the releases it cited that answer each
        part of the question most closely (at least ``cited_answer_similarity``, each with a name or a figure the
        question lacks, and writing the noun the part asks for unless it is a kind of answer, see
        :func:`_names_the_asked`): the model found the release and then wrote something it does not say ("une grande
        échéance climatique en 2030"). None close enough, to a question asking what was said or done on the day of
        that release: its sentences with facts closest to its title. The verification of those sentences."""
        idf = self.retriever.keyword.idf
        # (A sentence verification did not support keeps the passage numbers the model wrote.)
        docs = {passages[n - 1].chunk.doc_id for s in rejected.sentences for n in s.citations if 0 < n <= len(passages)}
        if not docs and rejected.sentences:
            # Citing no passage given, the model wrote from the first one most often: the release closest to the
            # question is where its unsupported claim came from, and where the supported sentence is.
            docs = _first_release(passages)
        text, vectors = "", {}
        for part in split_question(without_context(question)) if docs else ():
            # A part asking a date has few candidates, those giving one: the bar of a part left out. (Not a part asking
            # a figure: "la hausse moyenne" would get the release's "hausse de 4,5 %", which is no average.)
            bar = self.cited_answer_similarity
            if expects_date(part):
                bar = min(bar, self.left_out_similarity)
            found = source_sentence(part, question, passages, lang, idf, text, self.verifier.embedder,
                                    bar, max_chars=self.answer_sentence_chars, docs=docs,
                                    vectors=vectors,
                                    # (and naming what the part asks for: a sentence of the right release that
                                    # names no exercise does not answer "Quels exercices militaires… ?")
                                    keep=lambda x: adds_facts(x, question, lang) and _names_the_asked(x, part))
            if found:
                sentence, n = _as_given(found)
                text += f"{sentence} [{n}]\n"
        # (A question naming a day, not only a month.)
        if (not text and docs and asks_overview(question) and find_dates(question)
                and docs <= {passages[i].chunk.doc_id for i in dated_passages(question, passages)}):
            # "Qu'a dit Emmanuel Macron au Premier ministre arménien lors de leur entretien du 12 novembre 2020 ?": no
            # one sentence is that close to the question, but the release of that day is what was said; its
            # sentences with facts, as for an overview the model answered (see _complete).
            title = next(p.chunk.title for p in passages if p.chunk.doc_id in docs)
            for _ in range(self.overview_sentences):
                found = source_sentence("", question, passages, lang, idf, text, self.verifier.embedder,
                                        self.overview_similarity, max_chars=self.extra_sentence_chars, docs=docs,
                                        about=title, vectors=vectors, novel_to=tuple(text.splitlines()),
                                        keep=lambda x: adds_facts(x, f"{question} {text}", lang))
                if not found:
                    break
                sentence, n = _as_given(found)
                text += f"{sentence} [{n}]\n"
        redone = self.verifier.verify(text, passages, lang, question, idf)
        return replace(redone, sentences=tuple(replace(s, reason=FROM_CITED) if s.supported else s
                                               for s in redone.sentences))

    @staticmethod
    def _doc_texts(passages) -> dict[str, str]:
        """The passages' text (with titles) by document."""
        texts: dict[str, str] = {}
        for p in passages:
            texts[p.chunk.doc_id] = f"{texts.get(p.chunk.doc_id, p.chunk.title)} {p.full_text}"
        return texts

    def _complete(self, verification, raw_text: str, passages, question: str, lang: str):
        """The verification, redone with sentences of the sources added where the model's answer falls short (each
        verbatim, cited and checked like the model's; see :mod:`assistant.completion`): a part of the question it
        left out; no figure of what the question (or a part of it) counts ("combien de titres"); a figure other than
        the one of the sentence answering the question (or each part of it asking a figure) most directly; no figure
        or date from the sources at all, when a sentence is very close to the question; fewer names than its cited
        sentence lists, for a question asking for several; a fact of the cited sentence closest to the question that
        the answer lacks; an overview question; no answer at all from the model, when a sentence is very close to the
        question."""
        idf = self.retriever.keyword.idf
        said = " ".join(s.text for s in verification.supported)
        added: list[tuple[str, str]] = []
        vectors: dict[str, list[float]] = {}  # each candidate sentence embedded once, however many parts are tried
        # A part left out, or a figure or date the answer does not give, may be answered by a sentence in another
        # language than the question's (quoted as it is) of the releases the answer cites, or of the first release
        # found when it cites none: an Arabic question over a French release. Only from those releases: from any
        # release, answers got another release's sentence and an unanswerable question was answered.
        # (Similarities across languages run lower than within one: the thresholds measured within one are stricter
        # there.)
        cited_docs = {c.doc_id for c in verification.citations}
        xl_docs = cited_docs or _first_release(passages)

        def add(part: str, accept, reason: str, min_score: float | None = None, keep=None, docs=None, about=None,
                novel=False, max_chars=None, xl=False) -> bool:
            """Add the best source sentence for ``part`` (``accept``: a last check of it, None for none)."""
            nonlocal said, raw_text
            novel_to = tuple(s.text for s in verification.supported) + tuple(a for a, _ in added) if novel else ()
            found = source_sentence(part, question, passages, lang, idf, said, self.verifier.embedder,
                                    self.left_out_similarity if min_score is None else min_score,
                                    max_chars=max_chars or self.extra_sentence_chars, vectors=vectors, keep=keep,
                                    docs=docs, about=about, novel_to=novel_to, other_languages=xl_docs if xl else ())
            if not found or (accept is not None and not accept(found[0])):
                return False
            sentence, n = _as_given(found)
            same_language = (passages[n - 1].chunk.lang or lang) == lang
            if not same_language:
                sentence = quoted(sentence.rstrip(" ."), lang)
            # (For a part asking a name, the sentence after it when only that one names the person meant.)
            after = naming_sentence_after(found[0], passages[n - 1], lang, f"{question} {said}") if (
                asks_name(part) and same_language) else None
            for sentence in filter(None, (sentence, after)):
                added.append((sentence, reason))
                said += " " + sentence
                raw_text += f"\n{sentence} [{n}]"
            return True

        # Only an answer that says something may be completed part by part.
        answered = [s.text for s in verification.supported]
        missing = unanswered_parts(question, answered, idf, lang=lang) if said else []
        quotes = [c.quote for c in verification.citations]

        def cited(x: str) -> bool:
            """Whether the sentence is (or begins) a quote of the answer's citations (quotes are cut short)."""
            return any(x in q or q[:150] in x for q in quotes)

        def new_fact(x: str) -> bool:
            """A sentence that adds a figure: the closest one may only repeat the answer. Without a figure, not one the
            answer cites already, which it says in other words or another language ("…serious, credible, and
            realistic" for "quel envoyé de l'ONU…", when the sentence before it names him). Figures are read in the
            sentence's own language."""
            own = detect_language(x)
            return adds_figures(x, said, own) if spelled_numbers(x, own) else x not in said and not cited(x)

        # A part left out is looked for in the releases the answer cites first, then in all: the answer's release
        # also says what followed ("l'OIAC a confirmé…", not another release's "nos trois pays continuent…").
        for part in missing:
            if not any(add(part, None, LEFT_OUT, max_chars=self.answer_sentence_chars, xl=True, keep=new_fact, docs=d)
                       for d in ((cited_docs, None) if cited_docs else (None,))):
                # "Which anniversary exactly?" is too short to be close to any sentence; the sentence the answer
                # cites already answers when it holds half of the part's words that the passages use ("…the two
                # hundredth anniversary of the gift…": "anniversary", not "exactly").
                own = (set(terms(part)) - STOPWORDS) & set().union(*(terms(p.full_text) for p in passages))
                add(part, lambda x: adds_figures(x, said, lang), LEFT_OUT, min_score=0.0,
                    keep=lambda x: bool(own) and cited(x) and coverage(own, set(terms(x)), idf) >= 0.5,
                    max_chars=self.answer_sentence_chars)
        asks_figure = asks_quantity(question)
        # A figure the model read in the right sentence but gave for the wrong year, or in a release of another
        # date than the question names: the question is on the topic of these passages.
        misread = [s.text for s in verification.sentences if s.reason in (OTHER_YEAR, OTHER_DATE)]
        # ... and the figure it gave says what kind of figure answers (a percentage for "Quelle revalorisation…").
        misread_kinds = {k for k in ("percent", "money") if any(gives_kind(t, k, lang) for t in misread)}
        gave_figure = bool(numbers_supported(spelled_numbers(said, lang), spelled_numbers(question, lang)))
        if not missing and asks_figure and gave_figure:
            parts = split_question(without_context(question))
            done = set()  # the parts answered by a sentence giving a figure of what they count
            for part in parts:
                # "combien de titres ont été délivrés ?" is not answered by "4 millions de rendez-vous": the source's
                # sentence giving a figure of what the part counts ("12,1 millions de titres") is given too.
                noun = counted_noun(part)
                if not noun or counts(said, noun, lang):
                    continue
                if add(part, None, OTHER_FIGURE, keep=lambda x, n=noun: counts(x, n, lang),
                       max_chars=self.answer_sentence_chars):
                    done.add(part)
            if len(parts) > 1:
                # "Quel déficit était prévu…, et quel chiffre le Gouvernement a-t-il finalement annoncé ?": each part
                # asking a figure is checked against the answer's sentence about it ("…sous 3 % en 2028").
                for part in filter(asks_quantity, parts):
                    about = sentence_about(part, answered, idf)
                    if about is not None and part not in done:
                        add(part, lambda x, a=about: contradicts(x, a, question, lang, same_unit=True), OTHER_FIGURE)
            elif not done:
                add(question, lambda x: contradicts(x, said, question, lang), OTHER_FIGURE)
        elif not missing and ((asks_figure or misread) and not gave_figure or
                              (expects_date(question) and not asks_figure and not gives_date(said, question))):
            if misread:
                add(question, None, SOURCE_ANSWER, 0.45, max_chars=self.answer_sentence_chars,
                    keep=lambda x: not misread_kinds or any(gives_kind(x, k, lang) for k in misread_kinds))
            else:
                add(question, None, SOURCE_ANSWER, self.source_answer_similarity, max_chars=self.answer_sentence_chars,
                    xl=True)
        elif not raw_text:
            # The model gave no answer (it said it found nothing, or only copied its passages): a sentence of the
            # passages very close to the question answers it all the same, in another language from the first
            # release only ("L'ambassadeur de France en Turquie a en conséquence été rappelé…" for "ماذا قررت فرنسا
            # بشأن سفيرها لدى تركيا…", 0.67). The bar is above every unanswerable question's best sentence measured.
            add(question, None, OVERRULED, self.source_answer_similarity, max_chars=self.answer_sentence_chars,
                xl=True)
        if said and asks_list(question):
            # "Avec quels homologues… ?", "Dans quels départements… ?": the model names one of those its cited
            # sentence lists; that sentence, naming at least two more, is given too.
            known = set(terms(f"{said} {question}"))
            add(question, None, LISTED, keep=lambda x: cited(x) and
                len(set(terms(" ".join(proper_names(x)))) - known) >= 2, min_score=0.2, max_chars=600, novel=True)
        if said and not added and not _falls_short(said, question, lang):
            # The sentence the answer cites that is closest to the question often says more than the model took
            # from it ("…from March 28 to 30…" for "March 28. March 30."): given too when very close, with a fact
            # the answer lacks, and not what the answer says already in other words.
            add(question, lambda x: adds_facts(x, said, lang), CLOSEST, self.closest_similarity, keep=cited,
                novel=True, max_chars=self.answer_sentence_chars)
        if said and not missing and asks_overview(question):
            # More of what the answer is about: the releases it cites (not another one on the same topic).
            # Ranked by closeness to the title of the release the answer cites first: a release's title says what
            # it is about ("le feu est fixé, premier bilan"); the question's words ("Qu'a annoncé le ministère…")
            # picked who went where instead of the figures. Each with a figure or a name the answer lacks, and not
            # what it says already in other words; no kind of answer is asked ("Qu'a annoncé… le 9 août" is no
            # date question). Three sentences: an overview is a release's several facts (measurements in
            # CHANGELOG.md).
            title = verification.citations[0].title if verification.citations else None
            for _ in range(self.overview_sentences):
                if not add("", None, OVERVIEW, self.overview_similarity, docs=cited_docs, about=title,
                           novel=True, keep=lambda x: adds_facts(x, said, lang)):
                    break
        if not added:
            return verification
        redone = self.verifier.verify(raw_text, passages, lang, question, idf)
        why = dict(added)
        sentences = tuple(replace(s, reason=why[s.text]) if s.supported and s.text in why else s for s in redone.sentences)
        return replace(redone, sentences=sentences)

    def answer(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Answer:
        """The final answer, without streaming."""
        final = None
        for event in self.stream(question, history, filters):
            if isinstance(event, AnswerEvent):
                final = event.answer
        assert final is not None
        return final
