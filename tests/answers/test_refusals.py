"""Refusals: honest, in the user's language, and never an answer the sources do not give."""

from __future__ import annotations

import pytest

from assistant.verify_reasons import VerifyReason
from .releases import Q

pytestmark = pytest.mark.unit


def test_only_invented_facts_means_a_refusal(make_container, corpus):
    c = make_container(["Le budget du ministère est de 10 milliards d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quel est le budget du ministère de la Transition hydrique ?")
    assert answer.abstained and answer.citations == ()
    assert "ne permettent pas" in answer.text and "Lancement du plan" in answer.text


def test_the_model_saying_not_found_is_a_refusal_in_the_users_language(make_container, corpus):
    c = make_container(["NOT_FOUND"])
    c.ingestor.ingest_paths([corpus])
    assert c.chain.answer("Quel est l'âge de la ministre ?").text.startswith("Les communiqués indexés")
    assert c.chain.answer("How old is the minister Marchetti-Brissac?").text.startswith("The indexed communiqués")
    assert c.chain.answer("كم عمر الوزيرة؟").text.startswith("لا تتضمن")
    # An apology is the model saying it found nothing, in every language.
    from assistant.verify import is_refusal

    assert is_refusal("أعتذر، ولكنني لا أملك المعلومة التي تطلبها.") and is_refusal("I'm sorry, I cannot find it.")
    assert is_refusal("Je suis désolé, je ne dispose pas de cette information.")
    assert not is_refusal("La ministre a présenté ses excuses aux usagers [1].")


def test_low_relevance_refuses_without_asking_the_model(make_container, corpus):
    from assistant.settings import RetrievalSettings

    c = make_container(["Une invention [1]."], retrieval=RetrievalSettings(min_dense=0.99))
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle est la recette de la tarte aux pommes ?")
    assert answer.abstained and answer.abstain_reason.split()[0] == VerifyReason.LOW_RELEVANCE
    assert c.llm.calls == 0


def test_nothing_indexed_says_how_to_add_documents(make_container):
    answer = make_container(["x"]).chain.answer("Quel est le plan ?")
    assert answer.abstained and "communiques ingest" in answer.text
    assert answer.abstain_reason.split()[0] == VerifyReason.NOTHING_INDEXED


def test_filters_that_leave_no_passage_are_a_refusal_with_its_code(make_container, corpus):
    from vectorstore.filters import Filters

    for mode in ("model", "evidence"):
        c = make_container(["x"]) if mode == "model" else make_container()
        c.ingestor.ingest_paths([corpus])
        answer = c.chain.answer(Q, filters=Filters(issuer="Nobody at all"))
        assert answer.abstained and answer.abstain_reason.split()[0] == VerifyReason.NOTHING_RETRIEVED, mode


@pytest.mark.parametrize("lang, refusal", [
    ("fr", "Les communiqués indexés ne permettent pas de répondre à cette question. Documents les plus proches "
           "consultés : « "),
    ("en", "The indexed communiqués do not answer this question. Closest documents searched: « ")])
def test_a_refusal_shows_the_same_words_in_each_language_whatever_its_code(make_container, corpus, lang, refusal):
    from assistant.settings import RetrievalSettings
    from ui.render import answer_markdown

    c = make_container(["x"], retrieval=RetrievalSettings(min_dense=0.99))
    c.ingestor.ingest_paths([corpus])
    question = {"fr": "Quelle est la recette de la tarte aux pommes ?", "en": "What is the recipe of the apple pie?"}
    answer = c.chain.answer(question[lang])
    assert answer.lang == lang and answer.abstain_reason.split()[0] == VerifyReason.LOW_RELEVANCE
    assert answer_markdown(answer, lang=lang).startswith(f'<div class="refusal">⚠️ {refusal}')


def test_a_no_that_the_sources_do_not_state_is_not_an_answer(make_container, corpus):
    c = make_container(["Non, le ministre Paul Ardenne n'a pas démissionné [2]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Le ministre Paul Ardenne a-t-il démissionné ?")
    assert answer.abstained


def test_a_sentence_that_only_says_the_question_back_is_not_an_answer(make_container, corpus):
    c = make_container(["Le plan national pour l'eau potable prévoit des postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    c.chain.model_answer.cited_answer_similarity = float("inf")  # (the cited release's own sentence instead: its own test)
    answer = c.chain.answer("Quels postes de techniciens le plan national pour l'eau potable prévoit-il ?")
    assert answer.abstained and answer.sentences[0].code == VerifyReason.RESTATES_QUESTION
    # The release it cites answers: its sentence is given instead.
    c.chain.model_answer.cited_answer_similarity = 0.6
    answer = c.chain.answer("Quels postes de techniciens le plan national pour l'eau potable prévoit-il ?")
    assert answer.text.startswith("Le plan prévoit la rénovation de 1 250 kilomètres de canalisations et la création "
                                  "de 300 postes de techniciens")
    # One word added, with no name, figure or date, says nothing more; a name is an answer.
    # Auxiliaries ("seront", "doivent être") are no words of an answer.
    c = make_container(["Le plan national pour l'eau potable prévoit de nouveaux postes de techniciens [1].",
                        "Des postes de techniciens seront prévus par le plan national pour l'eau potable [1].",
                        "Le plan national pour l'eau potable prévoit des postes de techniciens à Valcourt [1]."])
    c.ingestor.ingest_paths([corpus])
    c.chain.model_answer.cited_answer_similarity = float("inf")
    for _ in range(2):
        answer = c.chain.answer("Quels postes de techniciens le plan national pour l'eau potable prévoit-il ?")
        assert answer.abstained and answer.sentences[0].code == VerifyReason.RESTATES_QUESTION
    assert not c.chain.answer("Quels postes de techniciens le plan national pour l'eau potable prévoit-il ?").abstained
    # A name first in the sentence, or a month, is an answer too.
    c = make_container(["Valcourt accueillera les premières rénovations du plan [1].",
                        "Les premières rénovations du plan commenceront en juin 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    assert not c.chain.answer("Quelle ville accueillera les premières rénovations du plan ?").abstained
    assert not c.chain.answer("Quand en 2025 les premières rénovations du plan commenceront-elles ?").abstained
    # A yes-or-no question may be answered by the statement it asks about.
    c = make_container(["Le plan national pour l'eau potable prévoit des postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    assert not c.chain.answer("Le plan national pour l'eau potable prévoit-il des postes de techniciens ?").abstained


def test_the_answer_must_be_of_the_type_asked(make_container, corpus):
    from assistant.question_kinds import asks_organisation, gives_kind, kinds_asked, names_organisation

    assert asks_organisation("Quelle entreprise a été choisie pour construire le câble ?")
    assert asks_organisation("Which group claimed the attack?") and asks_organisation("أي شركة ستبني الكابل؟")
    assert not asks_organisation("Quelle hausse des salaires prévoit l'accord ?")
    assert names_organisation(["La société Nordlys Kabel construira le câble."])
    assert names_organisation(["Le câble sera posé par Kabelwerk GmbH."])
    assert not names_organisation(["Le câble relie Valmont et Norvand."])
    assert kinds_asked("What is the population of the Republic of Valmont?") == {"population"}
    assert gives_kind("Valcourt compte 420 000 habitants.", "population", "fr")
    assert gives_kind("Valmont has 1.2 million inhabitants.", "population", "en")
    assert not gives_kind("The population of Valmont is approximately 1,100 marines.", "population", "en")
    # The strike release says who signed, never that a company did: the same answer is right to "who" only.
    said = "L'accord a été signé par les syndicats et la direction des chemins de fer [1]."
    c = make_container([said, said])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle entreprise a signé l'accord de sortie de grève dans le rail ?")
    assert answer.abstained and answer.abstain_reason.split()[0] == VerifyReason.NO_ORGANISATION
    assert not c.chain.answer("Qui a signé l'accord de sortie de grève dans le rail ?").abstained
    c = make_container(["La société Valrail a été choisie pour moderniser les voies [1]."])
    folder = corpus / "valrail.txt"
    folder.write_text("Modernisation du rail\nMinistère des Transports\nValcourt, le 5 janvier 2025\n\n"
                      "La société Valrail a été choisie pour moderniser les voies du réseau national.\n", encoding="utf-8")
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle entreprise a été choisie pour moderniser le rail ?")
    assert not answer.abstained and "Valrail" in answer.text


def test_an_answer_drifting_into_another_script_is_never_shown(make_container, corpus):
    """A small model once wrote "المغرب و以色列" in an Arabic answer over French releases: a sentence in a script
    that neither the question nor the sources use is removed before anything is checked."""
    c = make_container(["Le plan crée 300 postes 以色列 de techniciens [1]. Le plan crée 300 postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Combien de postes de techniciens le plan pour l'eau potable crée-t-il ?")
    assert "以色列" not in answer.text and not any("以色列" in s.text for s in answer.sentences)
    assert "300 postes" in answer.text


def test_scripts_of_the_question_and_sources_are_allowed():
    from assistant.scripts import without_foreign_script

    kept, removed = without_foreign_script("Le ministre a signé. وقع الوزير. Подписал.", "Question ? السؤال")
    assert kept == "Le ministre a signé. وقع الوزير." and removed == ["Подписал."]


def test_an_answer_that_copies_the_prompts_example_is_asked_again_without_it(make_container, corpus):
    from assistant.prompts import EXAMPLE_ANSWER

    c = make_container([EXAMPLE_ANSWER, "Le plan crée 300 postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert answer.text == "Le plan crée 300 postes de techniciens [1]." and answer.raw_text.startswith("Le plan")
