"""The model's condensed wording of the chosen sentences: each check alone on hand-built passages (asserting codes),
and the answer a user gets with a scripted model (the wording when it holds, the quotes when it does not)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evidence.compose import decide
from assistant.evidence.condense import (CHECKS, CondenseCheck, Wording, condensed, failed_check, inputs,
                                         messages_for)
from assistant.evidence.rank import SentenceVectors
from assistant.evidence.rules import WORDING_CHECKS, active_rules
from assistant.settings import Settings
from core.types import AnswerEvent, Chunk, Passage, TokenEvent
from vectorstore.embeddings import HashEmbeddings

pytestmark = pytest.mark.unit

PLAN = ("La ministre a présenté le plan national pour l'eau potable. Le plan national pour l'eau potable est doté de "
        "2,4 milliards d'euros sur cinq ans, financés par l'État et les agences de l'eau, pour rénover les "
        "canalisations les plus anciennes des communes rurales. Les travaux commenceront le 1er juin 2025 à Valcourt.")
QUESTION = "Quel est le budget du plan national pour l'eau potable ?"


def passage(text: str, doc_id: str = "plan-eau", lang: str = "fr") -> Passage:
    chunk = Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, index=0, text=text, title="Plan eau", lang=lang)
    return Passage(chunk=chunk, text=text, full_text=text, score=1.0)


def decision(question: str = QUESTION, text: str | Passage = PLAN, lang: str = "fr"):
    config = Settings.for_tests(Path(".")).answer
    source = text if isinstance(text, Passage) else passage(text)
    d = decide(question, (source,), lang, SentenceVectors(HashEmbeddings()), lambda t: 1.0, config)
    assert not d.abstained
    return d


def test_a_short_faithful_wording_is_the_answer_with_the_quotes_citations():
    d = decision()
    assert "2,4 milliards" in d.text and len(d.text.split()) > 25  # the quote is long
    out = condensed(d, QUESTION, "fr", "Le plan est doté de 2,4 milliards d'euros sur cinq ans [1].")
    assert out.code is CondenseCheck.CONDENSED
    assert out.decision.text == "Le plan est doté de 2,4 milliards d'euros sur cinq ans [1]."
    assert out.decision.citations == d.citations and out.decision.citations[0].quote.startswith("Le plan national")
    (sentence,) = out.decision.sentences
    assert sentence.code == CondenseCheck.CONDENSED.value and sentence.citations == (1,)


def test_a_part_the_releases_do_not_answer_is_still_said_after_the_wording():
    question = "Quand commenceront les travaux du plan pour l'eau potable, et combien d'ouvriers y travailleront ?"
    d = decision(question)
    assert d.text.endswith("« combien d'ouvriers y travailleront ».")
    out = condensed(d, question, "fr", "Les travaux commencent le 1er juin 2025 [1].")
    assert out.code is CondenseCheck.CONDENSED
    assert out.decision.text == ("Les travaux commencent le 1er juin 2025 [1]. Les communiqués ne précisent pas : "
                                 "« combien d'ouvriers y travailleront ».")
    assert [s.code for s in out.decision.sentences] == [CondenseCheck.CONDENSED.value, "EV105"]


@pytest.mark.parametrize("reply, code", [
    ("Le plan est doté de 3 milliards d'euros sur cinq ans [1].", CondenseCheck.FIGURE_NOT_IN_SENTENCES),
    ("Le plan est doté de 2,4 milliards d'euros 以色列 [1].", CondenseCheck.FOREIGN_SCRIPT),
    ("Selon Jean Dupont, le plan est doté de 2,4 milliards d'euros [1].", CondenseCheck.NAME_NOT_IN_SENTENCES),
    ("Le plan rénove les canalisations des communes rurales [1].", CondenseCheck.ANSWER_DROPPED),
    ("NOT_FOUND", CondenseCheck.NO_WORDING),
    ("Les sources ne précisent pas le budget du plan.", CondenseCheck.NO_WORDING),
])
def test_a_wording_failing_a_check_leaves_the_quotes(reply, code):
    d = decision()
    out = condensed(d, QUESTION, "fr", reply)
    assert out.code is code and out.decision is d


def test_a_wording_no_shorter_than_the_quotes_leaves_the_quotes():
    short = "Le plan pour l'eau est doté de 2,4 milliards d'euros."
    d = decision(text=short)
    out = condensed(d, QUESTION, "fr", "Le plan pour l'eau potable est doté de 2,4 milliards d'euros au total [1].")
    assert out.code is CondenseCheck.NOT_SHORTER and out.decision is d


def test_a_wording_in_the_users_language_of_a_sentence_in_another_is_checked_on_its_figures():
    text = "The national drinking water plan has a budget of 2.4 billion euros over five years, funded by the State " \
           "and the water agencies, to renew the oldest pipes of rural municipalities across the country."
    question = "Quel est le budget du plan national pour l'eau potable (budget, plan, water) ?"
    d = decision(question, passage(text, "plan-en", "en"))
    assert d.citations[0].doc_id == "plan-en" and d.text.startswith("« The")  # quoted as it is
    ok = condensed(d, question, "fr", "Le plan est doté de 2,4 milliards d'euros sur cinq ans [1].")
    assert ok.code is CondenseCheck.CONDENSED  # "2.4" and "2,4" are the same figure
    assert condensed(d, question, "fr", "Le plan coûte 2,5 milliards [1].").code is \
        CondenseCheck.FIGURE_NOT_IN_SENTENCES


def test_every_figure_of_the_sentences_must_be_kept():
    """Which figure answers cannot be told from the wording: dropping any one shows the quote."""
    d = decision()
    numbered, figures = inputs(d)
    assert numbered[0][0] == 1 and "2,4 milliards" in numbered[0][1] and numbered[0][2] == "fr"
    assert figures[0] & {"2,4", "2.4"}  # figures as the number reader writes them
    plan = "Le plan crée 3 600 postes, dont 2 100 dans l'Éducation nationale et 900 à l'Intérieur."
    question = "Combien de postes le plan crée-t-il dans l'Éducation nationale ?"
    d = decision(question, plan)
    assert condensed(d, question, "fr", "Le plan crée 3 600 postes dans l'Éducation nationale [1].").code is \
        CondenseCheck.ANSWER_DROPPED


def test_each_check_is_switched_off_by_its_name_and_the_names_are_the_registrys():
    assert tuple(name for name, _, _ in CHECKS) == WORDING_CHECKS
    w = Wording("Le plan coûte 3 milliards d'euros.", (("Le plan coûte 2,4 milliards d'euros.", "fr"),), QUESTION, "fr",
                (frozenset({"2.4"}),))
    assert failed_check(w) is CondenseCheck.FIGURE_NOT_IN_SENTENCES
    assert failed_check(w, ("condensed-figure-not-in-sentences",)) is CondenseCheck.ANSWER_DROPPED
    config = Settings.for_tests(Path(".")).answer.model_copy(update={"disabled_rules": ["condensed-answer-dropped"]})
    assert active_rules(config)  # a wording check's name is a known name, not an error


def test_the_prompt_keeps_a_fixed_prefix_and_names_the_users_language():
    a = messages_for("Q1 ?", [(1, "Une phrase.", "fr")], "fr")
    b = messages_for("Q2 ?", [(2, "Another sentence.", "en")], "ar")
    assert a[:3] == b[:3]  # llama.cpp keeps the prefix evaluated between questions
    assert a[-1][1].endswith("Answer in French:") and b[-1][1].endswith("Answer in Arabic:")
    assert "[2] Another sentence." in b[-1][1]


def _chain(make_container, corpus, responses: list[str]):
    from assistant.settings import LLMSettings

    c = make_container(llm=LLMSettings(backend="fake", fake_responses=responses))
    c = type(c)(c.settings.model_copy(update={"answer": c.settings.answer.model_copy(update={"condense": True})}))
    assert c.ingestor.ingest_paths([corpus]).ok
    return c.chain


QUESTION_CORPUS = "Quel est le budget du plan national pour l'eau potable ?"


def test_the_chain_streams_the_wording_and_keeps_it_when_it_holds(make_container, corpus):
    chain = _chain(make_container, corpus, ["Le plan est doté de 2,4 milliards d'euros sur cinq ans [1]."])
    events = list(chain.stream(QUESTION_CORPUS))
    answer = events[-1].answer
    assert isinstance(events[-1], AnswerEvent) and not answer.abstained
    assert answer.text.startswith("Le plan est doté de 2,4 milliards d'euros sur cinq ans [1].")
    assert "".join(e.text for e in events if isinstance(e, TokenEvent)).startswith(answer.text[:40])
    assert answer.raw_text.startswith("Le plan est doté") and answer.citations[0].doc_id == "plan-eau"
    assert answer.sentences[0].code == CondenseCheck.CONDENSED.value


def test_the_chain_shows_the_quotes_when_the_wording_invents_a_figure(make_container, corpus):
    chain = _chain(make_container, corpus, ["Le plan est doté de 9 milliards d'euros [1]."])
    answer = chain.answer(QUESTION_CORPUS)
    assert not answer.abstained and "9 milliards" not in answer.text and "2,4 milliards d'euros" in answer.text
    assert answer.raw_text.startswith("Le plan est doté de 9") and answer.sentences[0].code != "EV110"


def test_the_model_is_given_a_section_s_first_sentence_with_its_heading():
    """The heading says what the section's first sentence is about, to the model as to the reader."""
    calendar = passage("Vacances d'automne\nDu samedi 18 octobre 2025 au lundi 3 novembre 2025 au matin pour tous "
                       "les élèves des écoles de Valmont.", doc_id="calendrier")
    d = decision("Quelles sont les dates des vacances d'automne ?", calendar)
    assert d.text.startswith("Vacances d'automne : Du samedi 18 octobre")
    numbered, _ = inputs(d)
    assert numbered[0][1].startswith("Vacances d'automne : Du samedi 18 octobre")
