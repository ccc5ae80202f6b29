"""The retrieval-augmented chain: rewrite, retrieve, generate (LCEL), verify. A generator of events,
so that sources reach the user before the first token and the checked answer after the last."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import replace

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from assistant.evidence.compose import decide as decide_from_evidence
from assistant.evidence.condense import CondenseCheck, condensed, wording
from assistant.evidence.rank import SentenceVectors
from assistant.evidence.rules import message
from assistant.judge import Judge
from assistant.listing import publication_period, release_list
from assistant.llm import count_tokens
from assistant.model_answer import ModelAnswer, doc_texts
from assistant.prompts import (EXAMPLE_ANSWER, EXAMPLE_USER, NOTHING_INDEXED, REWRITE_SYSTEM, SYSTEM_PROMPT,
                               refusal_text, rewrite_message, spelling_note, user_message)
from assistant.question_kinds import asks_for_releases, asks_overview
from assistant.questions import antecedent, clean_question, leans_on_conversation, split_question, without_context
from assistant.rewrites import REWRITE_FAILS
from assistant.settings import AnswerSettings
from assistant.verify import Verifier
from assistant.verify_reasons import VerifyReason, logged
from core.types import Answer, AnswerEvent, Event, SourcesEvent, TokenEvent
from textkit.dates import find_dates, find_months
from textkit.language import detect_language
from textkit.names import full_names, name_runs, name_variants, new_names
from textkit.terms import STOPWORDS, terms
from vectorstore.filters import Filters
from vectorstore.retriever import HybridRetriever, Retrieval

log = logging.getLogger(__name__)

# The names of the prompt's worked example: an answer naming them (and the passages not) copied the example.
EXAMPLE_NAMES = set(terms("Lormes Anne Roche"))

class AnswerChain:
    """Answers questions from the indexed communiqués, with checked citations."""

    def __init__(self, retriever: HybridRetriever, llm: BaseChatModel, verifier: Verifier, min_dense: float = 0.3,
                 max_question_chars: int = 1000, log_questions: bool = False, rewriter: BaseChatModel | None = None,
                 answer_settings: AnswerSettings | None = None, embedder=None, sentence_store=None):
        self.retriever = retriever
        self.answer_settings = answer_settings or AnswerSettings()
        # The evidence-first answer ranks sentences with the index's own embedder (a fake one in unit tests).
        self.embedder = embedder if embedder is not None else verifier.embedder
        self.sentence_vectors = SentenceVectors(self.embedder, store=sentence_store) \
            if self.embedder is not None else None
        self.judge = Judge(llm)  # the model's closed question for the rules that read it (see assistant.judge)
        self.llm = llm
        # The model that rewrites follow-up questions: another in-process instance keeps its own prompt cache, so the
        # answer's fixed prefix stays evaluated in the main one (measured in bench/query.py --follow-ups).
        self.rewriter = rewriter or llm
        self.verifier = verifier
        # The model's answer checked, completed from the sources or refused (its thresholds are its own).
        self.model_answer = ModelAnswer(verifier, retriever)
        self.min_dense = min_dense
        self.max_question_chars = max_question_chars
        self.log_questions = log_questions  # staff's questions are theirs: logged only when configured
        self._prefix_tokens: int | None = None  # tokens of the fixed prompt prefix, counted once
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
        # The small model copies the previous answer's citation marks: marks are no words.
        rewritten = re.sub(r"\s*\[\d+\]", "", rewritten)
        off = self.answer_settings.disabled_rules
        rewritten = "" if rewritten and any(name not in off and failed(question, rewritten, history_text)
                                            for name, failed in REWRITE_FAILS.items()) else rewritten
        last_user = next((t["content"] for t in reversed(history) if t.get("role") == "user"), "")
        # A rewrite that lost every entity of the history, the follow-up given back as it was ("Émir depuis
        # quand ?": nothing was rewritten) or the previous question given back, word for word, when the follow-up
        # wrote words of its own (its ask lost: "Et de quoi ont-ils parlé ?" rewritten "Quand le ministre a-t-il
        # appelé son homologue ?"; "Et où ?" rewritten "Où… ?" asks its own) falls back to history + question.
        words = lambda text: set(re.findall(r"\w+", text.lower()))  # noqa: E731 (question words count here)
        gives_back = words(rewritten) == words(last_user) and bool(words(question) - words(last_user))
        if not rewritten or terms(rewritten) == terms(question) or gives_back or \
                (history_terms and not (set(terms(rewritten)) & history_terms)):
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
        if leans_on_conversation(question):
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
        retrieval, listing = self._retrieve(standalone, filters)
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
            if empty:
                yield finish(NOTHING_INDEXED[lang], True, logged(VerifyReason.NOTHING_INDEXED))
            else:
                yield finish(refusal_text(lang, passages), True, logged(VerifyReason.NOTHING_RETRIEVED))
            return
        if "low-relevance" not in self.answer_settings.disabled_rules and not self._relevant(retrieval, standalone):
            yield finish(refusal_text(lang, passages), True,
                         logged(VerifyReason.LOW_RELEVANCE, f"{retrieval.best_dense:.2f}"))
            return

        listed = release_list(passages, standalone, lang) if listing else None
        if listed:  # the index's own facts (dates, issuers, titles): no model call
            timings["first_token_s"] = time.perf_counter() - t0
            yield TokenEvent(listed[0])
            yield finish(listed[0], False, "", listed[1])
            return

        if self.answer_settings.mode == "evidence" and self.embedder is not None:
            release = None if "conversation-release" in self.answer_settings.disabled_rules else \
                self.conversation_release(question, standalone, history, filters)
            yield from self._from_evidence(standalone, question, passages, retrieval, lang, t0, timings, release)
            return

        raw_text = yield from self._generated(standalone, passages, lang, t0, timings)
        if self.part_passages:  # after the model answered: the prompt and the first token do not wait for them
            passages += self.retriever.part_passages(retrieval, split_question(without_context(standalone)))
        text, abstained, reason, verification = self.model_answer.decide(raw_text, passages, standalone, lang)
        yield finish(text, abstained, reason, verification, raw_text)

    def _retrieve(self, standalone: str, filters: Filters | None) -> tuple[Retrieval, bool]:
        """The passages retrieved for the question, and whether it asks which releases there are."""
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
        return retrieval, listing

    def _generated(self, standalone: str, passages, lang: str, t0: float, timings: dict) -> Generator[Event, None, str]:
        """Yield the model's answer as it is written, one TokenEvent a piece; return its whole text."""
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
        return raw_text

    def conversation_release(self, question: str, standalone: str, history: list[dict] | None,
                             filters: Filters | None = None) -> str | None:
        """For a follow-up the chain rewrote (``standalone``, from ``question`` and its ``history``), the release the
        conversation's previous question finds first, searched again as the user typed it (its first
        ``max_question_chars``) within the user's filters, for the evidence-first answer's conversation-release. None
        for a question read as typed (no conversation, or a new topic: nothing of the conversation is asked), without
        a previous question, or when nothing found is relevant to it (as ``_relevant`` reads it for any question)."""
        if standalone == question:
            return None
        last = next((str(t.get("content", "")) for t in reversed(history or []) if t.get("role") == "user"), "")
        last = last.strip()[: self.max_question_chars]
        if not last:
            return None
        found = self.retriever.retrieve(last, filters)
        return found.passages[0].chunk.doc_id if self._relevant(found, last) else None

    def _from_evidence(self, standalone: str, question: str, passages, retrieval: Retrieval, lang: str, t0: float,
                       timings: dict, release: str | None = None) -> Iterator[Event]:
        """The evidence-first answer (see :mod:`assistant.evidence`): the sources' best sentences per part of the
        question, quoted and cited, or a refusal naming the rule that made it."""
        # Each part of a question asking several things is looked for in its own closest passage as well.
        passages = tuple(passages) + tuple(self.retriever.part_passages(retrieval, split_question(without_context(standalone))))
        further = self.retriever.release_reader(passages)
        decision = decide_from_evidence(standalone, passages, lang, self.sentence_vectors,
                                        self.retriever.keyword.idf, self.answer_settings, self.judge, further,
                                        typed=question if standalone != question else None, release=release)
        passages += decision.added
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
        raw = ""
        if self.answer_settings.condense:
            decision, raw = yield from self._condensed(standalone, decision, lang, t0, timings)
        names = name_runs(standalone) + [n for s in decision.sentences for n in name_runs(s.text)]
        note = spelling_note(name_variants(names, doc_texts(passages)), lang)
        shown = decision.text + ("\n\n" + note if note else "")
        if decision.sentences and decision.sentences[0].code == CondenseCheck.CONDENSED.value:
            if note:
                yield TokenEvent(shown[len(decision.text):])  # the wording was streamed as the model wrote it
        else:  # one event a sentence ("… [1]. …"), as the page renders them
            for piece in (p for p in re.split(r"(?<=\])(?=\S?\s)", shown) if p):
                yield TokenEvent(piece)
        timings["total_s"] = time.perf_counter() - t0
        yield AnswerEvent(Answer(
            question=question, text=shown, abstained=False, citations=decision.citations, passages=passages,
            sentences=decision.sentences, standalone_question=standalone, lang=lang, raw_text=raw,
            abstain_reason="", timings=timings))

    def _condensed(self, standalone: str, decision, lang: str, t0: float, timings: dict) -> Generator[Event, None, tuple]:
        """The model's short wording of the chosen sentences, shown as it is written and kept when it passes the
        checks of :mod:`assistant.evidence.condense`; the quoted sentences otherwise (the final answer replaces what
        was streamed)."""
        pieces = []
        for piece in wording(self.llm, standalone, decision, lang):
            if not pieces:
                timings["first_token_s"] = time.perf_counter() - t0
            pieces.append(piece)
            yield TokenEvent(piece)
        raw = "".join(pieces)
        result = condensed(decision, standalone, lang, raw, tuple(self.answer_settings.disabled_rules))
        if pieces and result.code is not CondenseCheck.CONDENSED:
            yield TokenEvent("\n\n")  # what follows replaces the wording on the page
        return result.decision, raw

    def answer(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Answer:
        """The final answer, without streaming."""
        final = None
        for event in self.stream(question, history, filters):
            if isinstance(event, AnswerEvent):
                final = event.answer
        assert final is not None
        return final
