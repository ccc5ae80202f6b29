"""Answers you can verify: citations checked, invented facts removed, honest refusals, follow-ups."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.settings import RetrievalSettings
from assistant.verify import DATED_BY_RELEASE, Verifier
from core.types import AnswerEvent, SourcesEvent, TokenEvent
from textkit.numbers import spelled_numbers

pytestmark = pytest.mark.unit

Q = "Combien de postes de techniciens le plan pour l'eau crée-t-il ?"


def test_a_correct_citation_is_kept_with_its_quote(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert not answer.abstained
    assert answer.text == "Le plan crée 300 postes de techniciens [1]."
    [cit] = answer.citations
    assert cit.doc_id == "plan-eau" and cit.chunk_id.startswith("plan-eau#")
    assert "300 postes" in cit.quote and cit.title.startswith("Lancement du plan")


def test_a_citation_to_a_passage_not_given_is_replaced(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [9]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert "[9]" not in answer.text and "[1]" in answer.text
    assert answer.citations[0].doc_id == "plan-eau"


def test_an_invented_number_is_removed_and_reported(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]. Il coûte 10 milliards d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert "10 milliards" not in answer.text and "300 postes" in answer.text
    flagged = [s for s in answer.sentences if not s.supported]
    assert len(flagged) == 1 and "10" in flagged[0].reason
    assert "retirée" in answer.text


def test_only_invented_facts_means_a_refusal(make_container, corpus):
    c = make_container(["Le budget du ministère est de 10 milliards d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quel est le budget du ministère de la Transition hydrique ?")
    assert answer.abstained and answer.citations == ()
    assert "ne permettent pas" in answer.text and "Lancement du plan" in answer.text


def test_an_uncited_supported_sentence_gets_its_citation(make_container, corpus):
    c = make_container(["Les syndicats ont obtenu une hausse des salaires de 4,5 %."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord de sortie de grève ?")
    assert not answer.abstained and answer.text.endswith("[1].")
    assert answer.citations[0].doc_id == "greve"


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


def test_a_figure_question_answered_without_figure_is_refused(make_container, corpus):
    c = make_container(["Le plan national pour l'eau potable a été présenté par la ministre [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quel est le montant du plan pour l'eau potable ?")
    assert answer.abstained and "figure" in answer.abstain_reason


def test_low_relevance_refuses_without_asking_the_model(make_container, corpus):
    from assistant.settings import RetrievalSettings

    c = make_container(["Une invention [1]."], retrieval=RetrievalSettings(min_dense=0.99))
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle est la recette de la tarte aux pommes ?")
    assert answer.abstained and "low relevance" in answer.abstain_reason
    assert c.llm.calls == 0


def test_nothing_indexed_says_how_to_add_documents(make_container):
    answer = make_container(["x"]).chain.answer("Quel est le plan ?")
    assert answer.abstained and "communiques ingest" in answer.text


def test_sources_come_before_the_first_token_and_the_answer_last(indexed):
    events = list(indexed.chain.stream(Q))
    assert isinstance(events[0], SourcesEvent) and events[0].passages
    assert all(isinstance(e, TokenEvent) for e in events[1:-1]) and len(events) >= 3
    assert isinstance(events[-1], AnswerEvent)


def test_follow_up_is_rewritten_with_the_entities_of_the_history(make_container, corpus):
    # The scripted model's rewrite drops the entities; the chain must not lose them.
    c = make_container(["Et quand ?", "Les rénovations commencent le 1er juin 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    history = [{"role": "user", "content": "Que prévoit le plan national pour l'eau potable ?"},
               {"role": "assistant", "content": "Il prévoit 2,4 milliards d'euros [1]."}]
    answer = c.chain.answer("Et quand commencent les travaux ?", history)
    assert "plan national pour l'eau potable" in answer.standalone_question
    assert answer.citations[0].doc_id == "plan-eau" and "1er juin 2025" in answer.text


def test_a_rewrite_that_drops_the_names_of_the_last_question_gets_them_back(make_container, corpus):
    # The rewrite keeps the conversation's words ("plan") but not whom it asked about.
    history = [{"role": "user", "content": "Qu'a présenté Mme Hélène Marchetti-Brissac à Valcourt ?"},
               {"role": "assistant", "content": "Le plan national pour l'eau potable [1]."}]
    c = make_container(["Quand commencent les rénovations du plan ?", "Le 1er juin 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Et quand commencent les rénovations ?", history)
    assert answer.standalone_question == "Quand commencent les rénovations du plan ? (Hélène Marchetti-Brissac, Valcourt)"
    # A rewrite keeping one of them is left as it is.
    c = make_container(["Quand commencent les rénovations du plan à Valcourt ?", "Le 1er juin 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Et quand commencent les rénovations ?", history)
    assert answer.standalone_question == "Quand commencent les rénovations du plan à Valcourt ?"
    # Not when the follow-up names someone new.
    c = make_container(["Qu'a salué Paul Ardenne dans le plan ?", "NOT_FOUND"])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Et Paul Ardenne, qu'a-t-il salué ?", history)
    assert answer.standalone_question == "Qu'a salué Paul Ardenne dans le plan ?"
    # The names are given as the question writes them.
    history = [{"role": "user", "content": "Quels accords Jean-Yves Le Drian a-t-il signés à Tunis ?"},
               {"role": "assistant", "content": "Un accord-cadre de 350 millions d'euros et une coopération dans le "
                                                 "domaine du traitement des eaux [1]."}]
    c = make_container(["Quels montants pour le traitement des eaux ?", "NOT_FOUND"])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Et pour le traitement des eaux, quels montants ?", history)
    assert answer.standalone_question == "Quels montants pour le traitement des eaux ? (Jean-Yves Le Drian, Tunis)"


def test_a_follow_ups_pronoun_is_given_what_it_stands_for_when_the_rewrite_fails(make_container, corpus):
    # The rewrite returns the question as asked; "il" is the bill of the previous question, not the question
    # itself ("Qui a présenté… ?", which the model then answered).
    from assistant.questions import antecedent

    c = make_container(["Et combien de postes prévoit-il ?", "Le plan prévoit 1 250 postes [1]."])
    c.ingestor.ingest_paths([corpus])
    history = [{"role": "user", "content": "Qui a présenté le plan national pour l'eau potable ?"},
               {"role": "assistant", "content": "La ministre de la Transition hydrique [1]."}]
    answer = c.chain.answer("Et combien de postes prévoit-il ?", history)
    assert answer.standalone_question == "Et combien de postes prévoit-il ? (le plan national pour l'eau potable)"
    assert "Qui a présenté" not in answer.standalone_question
    assert antecedent("Et quand entre-t-il en vigueur ?", "Quand l'accord de pêche a-t-il été signé ?") == \
        "l'accord de pêche"
    # A question naming its own subject, or with no pronoun, has none.
    assert antecedent("Et comment les abonnés seront-ils indemnisés ?", "Que prévoit l'accord ?") == ""
    assert antecedent("Et quand se termine l'année scolaire ?", "Quelles sont les dates des vacances ?") == ""


def test_numbers_written_in_words_count_as_numbers():
    assert "300" in spelled_numbers("trois cents postes", "fr")
    assert "42" in spelled_numbers("forty-two cases", "en")
    # A proportion written in words holds its "one": "1/8" or "1 sur 8" is "une femme sur huit".
    assert {"1", "8"} <= spelled_numbers("Une femme sur huit sera amenée à développer ce cancer.", "fr")
    assert "1" in spelled_numbers("One woman in eight will develop it.", "en")
    assert "1" not in spelled_numbers("Une réunion sur place, puis une autre.", "fr")


def test_verifier_accepts_other_number_formats(indexed):
    retrieval = indexed.retriever.retrieve("canalisations rénovées")
    result = Verifier().verify("Le plan rénove 1250 km de canalisations [1].", retrieval.passages, "fr")
    assert result.supported and result.citations[0].doc_id == "plan-eau"


def test_a_figure_taken_from_a_sentence_about_something_else_is_not_accepted(make_container, corpus):
    # 2,4 is in the water-plan release (its budget), not in anything about salaries.
    c = make_container(["Les salaires augmenteront de 2,4 % [2]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord de sortie de grève ?")
    flagged = answer.sentences[0]
    assert not flagged.supported and flagged.reason
    # "Quelle hausse…" asks for a figure: the source's sentence that answers it closely takes the place of the
    # rejected one, cited, and the invented 2,4 % is nowhere.
    assert "4,5 %" in answer.text and "2,4" not in answer.text and answer.citations[0].doc_id == "greve"


def test_the_same_figure_in_the_right_context_is_accepted(make_container, corpus):
    c = make_container(["Les salaires augmenteront de 4,5 % [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord de sortie de grève ?")
    assert not answer.abstained and answer.citations[0].doc_id == "greve"


def test_an_invented_detail_is_cut_and_the_supported_rest_kept(make_container, corpus):
    # "le 17 mars" is invented; the rest of the sentence is what the release says.
    c = make_container(["La ministre a présenté le plan national pour l'eau potable, doté de 2,4 milliards d'euros, "
                        "le 17 mars [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quel est le budget du plan national pour l'eau potable ?")
    assert not answer.abstained and "2,4 milliards" in answer.text and "17 mars" not in answer.text
    [removed] = [s for s in answer.sentences if not s.supported]
    assert removed.text == "le 17 mars" and "17" in removed.reason


def test_a_no_that_the_sources_do_not_state_is_not_an_answer(make_container, corpus):
    c = make_container(["Non, le ministre Paul Ardenne n'a pas démissionné [2]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Le ministre Paul Ardenne a-t-il démissionné ?")
    assert answer.abstained


def test_each_part_of_a_two_part_question_can_be_answered_from_its_own_passage(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]. La grève a duré onze jours [2]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Combien de postes de techniciens le plan pour l'eau crée-t-il, et combien de jours "
                            "a duré la grève dans le rail ?")
    assert not answer.abstained
    assert "300 postes" in answer.text and "onze jours" in answer.text


def test_a_new_question_in_a_conversation_is_not_mixed_with_the_previous_topic(make_container, corpus):
    c = make_container(["The Ministry of Health reports 42 confirmed measles cases [1]."])
    c.ingestor.ingest_paths([corpus])
    history = [{"role": "user", "content": "Que prévoit le plan national pour l'eau potable ?"},
               {"role": "assistant", "content": "Il prévoit 2,4 milliards d'euros [1]."}]
    answer = c.chain.answer("How many measles cases were confirmed in the northern provinces?", history)
    assert answer.standalone_question == "How many measles cases were confirmed in the northern provinces?"
    assert answer.citations[0].doc_id == "en-health-2026-02-17" and "42" in answer.text
    assert c.llm.calls == 1  # the answer only: a question on a new subject is not sent to be rewritten
    # A name the conversation never used is a new subject too, however short the question.
    history = [{"role": "user", "content": "Quels communiqués ont été publiés sur la grève ?"},
               {"role": "assistant", "content": "Deux communiqués [1] [2]."}]
    assert c.chain.answer("Who is Marchetti-Brissac?", history).standalone_question == \
        "Who is Marchetti-Brissac?"
    assert c.llm.calls == 2


def test_a_figure_with_another_unit_is_not_the_same_fact(make_container, corpus):
    # 4,5 is in the strike release as a percentage, not as an amount of money.
    c = make_container(["L'accord prévoit une hausse des salaires de 4,5 millions d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord de sortie de grève ?")
    flagged = answer.sentences[0]
    assert not flagged.supported and "4.5" in flagged.reason
    assert "millions" not in answer.text and "hausse des salaires de 4,5 %" in answer.text  # the source's own words


def test_units_written_differently_still_match():
    from textkit.numbers import unit_mismatches, units_of

    assert unit_mismatches("The cap is 18,000 tonnes.", units_of("plafonné à 18 000 tonnes par an")) == set()
    assert unit_mismatches("Un budget de 2,4 milliards d'euros.", units_of("doté de 2,4 milliards d'euros")) == set()
    assert unit_mismatches("Une hausse de 4,5 pour cent.", units_of("une hausse de 4,5 %")) == set()
    assert unit_mismatches("Il crée 300 postes.", units_of("la création de 300 postes")) == set()
    assert unit_mismatches("Il a fallu 14 jours.", units_of("un coût de 14 millions d'euros")) == {"14"}
    assert unit_mismatches("La grève a duré 21 jours.", units_of("après 21 jours de grève")) == set()
    assert unit_mismatches("Un budget de 12 millions d'euros.", units_of("L'objectif de 12 % en 2030.")) == {"12"}


def test_a_question_splits_only_where_it_asks_another_thing():
    from assistant.questions import split_question

    assert split_question("Combien de jours a duré la grève, et à quelle date l'accord a-t-il été signé ?") == [
        "Combien de jours a duré la grève ?", "à quelle date l'accord a-t-il été signé ?"]
    assert split_question("متى أطلقت الوزيرة الخطة، وما هي ميزانيتها؟") == ["متى أطلقت الوزيرة الخطة؟", "ما هي ميزانيتها؟"]
    assert split_question("How many jobs, and what budget?") == ["How many jobs?", "what budget?"]
    # One thing asked: a relative clause, or "where and when" of one event.
    for one in ("Le ministre, qui a annoncé le plan, a-t-il démissionné ?", "Where and when will the summit take place?",
                "Quel est le budget du plan ?"):
        assert split_question(one) == [one]


def test_a_figure_of_another_kind_than_asked_is_refused(make_container, corpus):
    # The release gives the rise as a percentage: it does not give an amount of money.
    c = make_container(["La hausse des salaires prévue par l'accord de sortie de grève est de 4,5 % [1]."])
    c.ingestor.ingest_paths([corpus])
    assert c.chain.answer("Quel est le salaire moyen des cheminots après l'accord de sortie de grève ?").abstained
    assert not c.chain.answer("Quelle hausse des salaires prévoit l'accord de sortie de grève ?").abstained


def test_kinds_of_figures():
    from assistant.question_kinds import gives_kind, kinds_asked

    assert kinds_asked("Combien de doses ont été administrées ?") == {"count"}
    assert kinds_asked("Quel est le montant de l'aide ?") == {"money"}
    assert kinds_asked("Quelle part de la compensation va au port ?") == {"percent"}
    # Arabic writes the feminine ending ة as ت before a suffix: "ميزانيتها" is "its budget".
    assert kinds_asked("متى أطلقت الخطة، وما هي ميزانيتها؟") == kinds_asked("ما هي الميزانية؟") == {"money"}
    assert kinds_asked("ما المهمة التي كلفت بها اللجنة؟") == set()  # "كلفت": tasked, not a cost
    assert kinds_asked("Combien de temps a duré la grève ?") == set()
    assert gives_kind("La couverture atteint 84 %.", "count", "fr") is False
    assert gives_kind("Le plan crée 1 250 postes.", "count", "fr") is True
    assert gives_kind("Il sera signé le 12 mars 2025.", "count", "fr") is False  # a date is not a count
    assert gives_kind("Il coûtera 14 millions d'euros.", "money", "fr") is True
    assert gives_kind("Les crédits augmentent de 6 %.", "money", "fr") is False
    assert gives_kind("En 2025, le plan.", "count", "fr", question="Combien de postes en 2025 ?") is False


def test_an_average_or_a_future_date_needs_the_source_to_say_so(make_container, corpus):
    # The strike release gives a 4,5 % rise, never an average; the plan release was published on 12 March 2025,
    # which does not date a future event.
    c = make_container(["La hausse moyenne des salaires est de 4,5 % [1].",
                        "Les rénovations de Lormes commenceront le 12 mars 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle est la hausse moyenne des salaires prévue par l'accord de sortie de grève ?")
    assert answer.abstained and "average" in answer.sentences[0].reason
    # The model's date goes; the release's sentence dating them is given instead (a part asking a date).
    answer = c.chain.answer("Quand commenceront les rénovations des canalisations du plan pour l'eau ?")
    assert "releases it cited" in answer.sentences[0].reason and "12 mars" not in answer.text
    assert answer.text.startswith("Les premières rénovations commenceront le 1er juin 2025")
    c = make_container(["Le plan a été présenté le 12 mars 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    assert not c.chain.answer("Quand le plan national pour l'eau potable a-t-il été présenté ?").abstained


def test_a_part_the_model_left_out_is_answered_with_the_sources_sentence(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Combien de postes de techniciens le plan pour l'eau crée-t-il, et quelle hausse des "
                            "salaires prévoit l'accord de sortie de grève ?")
    assert not answer.abstained
    assert answer.text.startswith("Le plan crée 300 postes de techniciens [1]. Après onze jours de grève, les "
                                  "syndicats et la direction des chemins de fer ont signé un accord prévoyant une "
                                  "hausse des salaires de 4,5 % [2].")
    assert [cit.doc_id for cit in answer.citations] == ["plan-eau", "greve"]
    assert "left this part" in answer.sentences[1].reason
    # A part the passages do not answer gets nothing added.
    answer = c.chain.answer("Combien de postes de techniciens le plan pour l'eau crée-t-il, et quel est le salaire "
                            "moyen de ces techniciens ?")
    assert answer.text == "Le plan crée 300 postes de techniciens [1]."


def test_a_part_whose_passage_retrieval_left_out_is_answered_from_the_same_release(make_container, corpus):
    # One passage per question: the one about the renovations. The jobs are two paragraphs away in the same release.
    c = make_container(["Les premières rénovations commenceront le 1er juin 2025 à Valcourt [1]."] * 2,
                       retrieval=RetrievalSettings(min_dense=0.0, k=1, max_per_doc=1))
    c.ingestor.ingest_paths([corpus])
    question = ("Quand commenceront les premières rénovations à Valcourt, et combien de postes de techniciens le plan "
                "crée-t-il ?")
    answer = c.chain.answer(question)
    assert len(answer.passages) == 2 and "300 postes" in answer.passages[1].full_text
    assert answer.text.startswith("Les premières rénovations commenceront le 1er juin 2025 à Valcourt [1]. Le plan "
                                  "prévoit la rénovation de 1 250 kilomètres de canalisations et la création de 300 "
                                  "postes de techniciens dans les régions du Sud [2].")
    assert [cit.doc_id for cit in answer.citations] == ["plan-eau", "plan-eau"]
    c.chain.part_passages = False  # without it, the part stays unanswered
    answer = c.chain.answer(question)
    assert len(answer.passages) == 1 and "300 postes" not in answer.text
    # A refusal lists what was searched, not the parts' passages.
    c = make_container(["NOT_FOUND"], retrieval=RetrievalSettings(min_dense=0.0, k=1, max_per_doc=1))
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quand commenceront les premières rénovations à Valcourt, et quel salaire le plan "
                            "prévoit-il pour les postes de techniciens ?")
    assert answer.abstained and len(answer.passages) == 1


def test_a_part_left_out_is_answered_by_a_quoted_sentence_of_the_cited_release_in_its_own_language(make_container,
                                                                                                       corpus):
    from assistant.completion import source_sentence

    c = make_container(["The plan will create 300 technician posts [1]."] * 2)
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("How many technician posts will the water plan create, and when will the renovations "
                            "start in Valcourt?")
    assert answer.lang == "en" and answer.passages[0].chunk.lang == "fr"
    # The French sentence, quoted as the source writes it, cited like the model's own.
    assert answer.text == ("The plan will create 300 technician posts [1]. “Les premières rénovations commenceront le "
                           "1er juin 2025 à Valcourt” [1].")
    assert "left this part" in answer.sentences[1].reason
    # A release the answer does not cite gives nothing across languages: the rail strike's French sentence stays out.
    question = "How many technician posts will the water plan create, and what wage rise did the rail strike agreement give?"
    answer = c.chain.answer(question)
    assert answer.text == "The plan will create 300 technician posts [1]." and {p.chunk.doc_id for p in answer.passages} >= {"greve"}
    part, idf, embedder = "what wage rise did the rail strike agreement give?", c.retriever.keyword.idf, c.chain.verifier.embedder
    assert source_sentence(part, question, answer.passages, "en", idf, "", embedder, 0.0, docs={"greve"}) is None
    found = source_sentence(part, question, answer.passages, "en", idf, "", embedder, 0.0, docs={"greve"},
                            other_languages={"greve"})
    assert found and found[0].startswith("Après onze jours de grève")


def test_a_name_the_source_does_not_write_is_removed(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]. Le plan national pour l'eau potable a été "
                        "présenté par la ministre Anne Roche [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert answer.text.startswith("Le plan crée 300 postes de techniciens [1].") and "Roche" not in answer.text
    [flagged] = [s for s in answer.sentences if not s.supported]
    assert flagged.reason == "names not in the source: anne, roche"
    # The source's own name, spelt as the source does, stays.
    c = make_container(["Le plan a été présenté par la ministre Hélène Marchetti-Brissac [1]."])
    c.ingestor.ingest_paths([corpus])
    assert not c.chain.answer("Qui a présenté le plan national pour l'eau potable ?").abstained


def test_an_acronym_of_the_sources_words_is_not_a_name_it_lacks(make_container, corpus):
    # "PNEP" is what the release spells out as "plan national pour l'eau potable"; "PNRH" is in no release.
    question = "Quel est le budget du plan lancé par la ministre de la Transition hydrique ?"
    spelt_out = "Le plan national pour l'eau potable (PNEP) est doté de 2,4 milliards d'euros [1]."
    c = make_container([spelt_out])
    c.ingestor.ingest_paths([corpus])
    assert c.chain.answer(question).text == spelt_out
    c = make_container(["Le plan national pour l'eau potable (PNRH) est doté de 2,4 milliards d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(question)
    assert answer.abstained and answer.sentences[0].reason == "names not in the source: pnrh"


def test_a_figure_other_than_the_sources_answer_brings_the_sources_sentence(make_container, corpus):
    # 35 is in the release (35 schools), but the sentence that answers the question gives 42 cases.
    c = make_container(["The Ministry of Health reports 35 confirmed measles cases [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("How many measles cases were confirmed in the northern provinces?")
    assert answer.text == ("The Ministry of Health reports 35 confirmed measles cases [1]. The Ministry of Health "
                           "reports 42 confirmed measles cases in the northern provinces [1].")
    assert "not in the source's sentence" in answer.sentences[1].reason
    # An answer that agrees with that sentence is left as it is.
    c = make_container(["The Ministry of Health reports 42 confirmed measles cases [1]."])
    c.ingestor.ingest_paths([corpus])
    assert c.chain.answer("How many measles cases were confirmed in the northern provinces?").text == (
        "The Ministry of Health reports 42 confirmed measles cases [1].")


def test_each_part_asking_a_figure_is_checked_against_the_sources_sentence_for_it(make_container, tmp_path):
    # The second part's answer holds a figure of the release ("3 % en 2028"), but not the one of the sentence
    # answering that part: that sentence is given too. The first part, answered right, gets nothing.
    folder = tmp_path / "budget"
    folder.mkdir()
    (folder / "deficit.md").write_text(
        "---\ntitle: Compte rendu du Conseil des ministres\nissuer: Gouvernement\ndate: 2026-01-14\nlang: fr\n---\n"
        "Le projet de loi de finances prévoyait un déficit public de 4,3 % pour 2025.\n\n"
        "Le Gouvernement annonce finalement un déficit public de 4,1 % pour 2025.\n\n"
        "Le déficit public sera ramené sous 3 % en 2028.\n", encoding="utf-8")
    question = ("Quel déficit public le projet de loi de finances prévoyait-il pour 2025, et quel chiffre le "
                "Gouvernement annonce-t-il finalement ?")
    c = make_container(["Le projet de loi de finances prévoyait un déficit public de 4,3 % pour 2025 [1]. "
                        "Le chiffre du Gouvernement annoncé finalement : le déficit public sera ramené sous 3 % en 2028 [1]."])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer(question)
    assert answer.text.endswith("Le Gouvernement annonce finalement un déficit public de 4,1 % pour 2025 [1].")
    assert answer.text.count("4,3 %") == 1
    assert "not in the source's sentence" in answer.sentences[-1].reason


def _release(tmp_path, name: str, *paragraphs: str):
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.md").write_text(
        "---\ntitle: Compte rendu du Conseil des ministres\nissuer: Gouvernement\ndate: 2023-03-15\nlang: fr\n---\n"
        + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def test_a_part_counting_something_gets_the_sources_figure_of_that_thing(make_container, tmp_path):
    # "combien de titres" is not answered by "1 100 dispositifs": the sentence giving a figure of titles is given too.
    titles = "En 2022, le plan exceptionnel a permis de délivrer 12,1 millions de titres d'identité."
    folder = _release(tmp_path, "titres", "En 2022, le plan exceptionnel a réduit les délais de délivrance de 77 à "
                      "50 jours.", titles, "En 2022, 1 100 dispositifs de recueil ont été ajoutés.")
    question = ("De combien le plan exceptionnel a-t-il réduit les délais de délivrance en 2022, et combien de titres "
                "d'identité ont été délivrés en 2022 ?")
    said = ("Le plan exceptionnel a réduit les délais de délivrance à 50 jours en 2022 [1]. En 2022, 1 100 "
            "dispositifs de recueil de titres d'identité ont été délivrés [1].")
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer(question)
    assert answer.text == f"{said} {titles[:-1]} [1]."
    assert "not in the source's sentence" in answer.sentences[-1].reason
    # An answer giving the number of titles gets nothing.
    said = ("Le plan exceptionnel a réduit les délais de délivrance à 50 jours en 2022 [1]. En 2022, 12,1 millions "
            "de titres d'identité ont été délivrés [1].")
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    c.chain.model_answer.closest_similarity = float("inf")  # (the cited sentence closest to the question: its own test)
    assert c.chain.answer(question).text == said


def test_what_a_question_counts():
    from assistant.question_kinds import counted_noun, counts
    assert counted_noun("combien de titres ont été délivrés ?") == counted_noun("How many titres?") == "titre"
    assert counts("Il connait un franc succès avec cent vingt-neuf OFS agréés.", counted_noun("combien d'OFS ?"), "fr")
    noun = counted_noun("Combien de titres ont été délivrés ?")
    assert counts("tout en délivrant 12,1 millions de titres", noun, "fr")
    assert not counts("4 millions de rendez-vous pour les titres", noun, "fr")
    assert counts("42 Valmontese vessels", counted_noun("How many Valmontese vessels may fish?"), "en")
    assert counts("2,000 additional appointments", counted_noun("how many additional appointments?"), "en")
    assert counted_noun("Combien de temps a-t-il fallu ?") is None and counted_noun("Quel budget ?") is None


def test_a_part_left_out_gets_the_sentence_with_a_figure_the_answer_lacks(make_container, tmp_path):
    # The sentence closest to the part left out repeats what the answer says; the next one holds the figure.
    count = "Les organismes de foncier solidaire agréés sont aujourd'hui cent vingt-neuf."
    folder = _release(tmp_path, "brs", "Les organismes de foncier solidaire agréés proposent par le bail réel "
                      "solidaire des prix inférieurs de 30 à 50 % aux prix du marché.", count)
    said = "Le bail réel solidaire propose des prix inférieurs de 30 à 50 % aux prix du marché [1]."
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("De combien les prix du bail réel solidaire sont-ils inférieurs aux prix du marché, et "
                            "combien d'organismes de foncier sont agréés ?")
    assert answer.text == f"{said} {count[:-1]} [1]."
    assert "left this part" in answer.sentences[-1].reason


def test_an_answer_the_release_it_cites_does_not_support_gives_way_to_that_releases_sentence(make_container,
                                                                                               tmp_path):
    # The model found the release and then invented a year: the release's sentence answering the question, with a
    # name the question lacks, is given instead of a refusal.
    nawaf = ("La France souhaite à Son Altesse Cheikh Nawaf Al Ahmad une pleine réussite dans ses nouvelles "
             "fonctions d'émir du Koweït.")
    folder = _release(tmp_path, "koweit", "La France a appris avec tristesse le décès de l'émir du Koweït.", nawaf)
    question = "À qui la France souhaite-t-elle une pleine réussite dans ses nouvelles fonctions d'émir du Koweït ?"
    c = make_container(["La France souhaite une pleine réussite au nouvel émir du Koweït depuis 1962 [1]."])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer(question)
    assert not answer.abstained and answer.text == f"{nawaf[:-1]} [1]."
    assert "releases it cited" in answer.sentences[0].reason
    # An answer citing nothing gets the sentence of the first release found: the model wrote from it.
    c = make_container(["La France souhaite une pleine réussite au nouvel émir du Koweït depuis 1962."])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer(question)
    assert not answer.abstained and answer.text == f"{nawaf[:-1]} [1]."
    # An answer whose release holds no sentence close enough is refused, citing it or not.
    for cites in (" [1]", ""):
        c = make_container([f"La France souhaite une pleine réussite au nouvel émir du Koweït depuis 1962{cites}."])
        c.ingestor.ingest_paths([folder])
        c.chain.model_answer.cited_answer_similarity = float("inf")
        assert c.chain.answer(question).abstained


def test_a_question_asking_for_several_gets_the_cited_sentence_that_names_them(make_container, tmp_path):
    # The model names one department of the four its cited sentence lists: that sentence is given too, for a
    # question asking which ones; a question asking where gets the model's answer alone.
    folder = tmp_path / "fonds"
    folder.mkdir()
    listing = ("Les demandes au fonds vert progressent surtout en Gironde, en Dordogne, dans le Pas-de-Calais "
               "et en Moselle.")
    (folder / "fonds.md").write_text(
        "---\ntitle: Bilan du fonds vert\nissuer: Ministère de la Transition\ndate: 2025-06-02\nlang: fr\n---\n"
        f"Le fonds vert a reçu 10 000 dossiers en 2024.\n\n{listing}\n", encoding="utf-8")
    said = "Les demandes au fonds vert progressent surtout dans le Pas-de-Calais [1]."
    c = make_container([said, said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("Dans quels départements les demandes au fonds vert progressent-elles surtout ?")
    assert answer.text == f"{said} {listing[:-1]} [1]."
    assert "names more of them" in answer.sentences[-1].reason
    c.chain.model_answer.closest_similarity = float("inf")  # (the cited sentence closest to the question: its own test)
    assert c.chain.answer("Où les demandes au fonds vert progressent-elles surtout ?").text == said


def test_a_part_left_unanswered_is_answered_by_the_sentence_the_answer_cites(make_container, tmp_path):
    # "quel anniversaire exactement ?" is too short to be close to any sentence; the sentence the answer cites
    # holds its word and answers it.
    folder = tmp_path / "tanger"
    folder.mkdir()
    source = ("Cette année marque le deux centième anniversaire du don du bâtiment de Tanger au peuple ami par le "
              "sultan Moulay Slimane.")
    (folder / "tanger.md").write_text(
        "---\ntitle: Entretien téléphonique\nissuer: Ministère des Affaires étrangères\ndate: 2021-04-30\nlang: fr\n"
        f"---\nLes deux ministres ont évoqué la coopération régionale.\n\n{source}\n", encoding="utf-8")
    said = "Le don du bâtiment de Tanger au peuple ami a été fait par le sultan Moulay Slimane [1]."
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("Qui a fait le don du bâtiment de Tanger, et quel anniversaire exactement ?")
    assert answer.text == f"{said} {source[:-1]} [1]."
    assert "left this part of the question unanswered" in answer.sentences[-1].reason


def test_the_cited_sentence_closest_to_the_question_is_given_when_it_says_more(make_container, corpus):
    # The model took one fact of the sentence it cites; that sentence, very close to the question, holds another.
    said = "Le plan crée 300 postes de techniciens [1]."
    question = ("Combien de postes de techniciens le plan crée-t-il dans les régions du Sud avec la rénovation des "
                "canalisations ?")
    c = make_container([said] * 3)
    c.ingestor.ingest_paths([corpus])
    source = ("Le plan prévoit la rénovation de 1 250 kilomètres de canalisations et la création de 300 postes de "
              "techniciens dans les régions du Sud [1].")
    answer = c.chain.answer(question)
    assert answer.text == f"{said} {source}" and "closest to the question" in answer.sentences[-1].reason
    # Not when it is less close than the threshold.
    c.chain.model_answer.closest_similarity = 0.99
    assert c.chain.answer(question).text == said


def test_a_figure_contradicts_only_a_figure_in_the_same_unit():
    from assistant.completion import contradicts
    from assistant.question_kinds import asks_quantity

    assert asks_quantity("quel chiffre le Gouvernement a-t-il annoncé ?") and asks_quantity("What was its budget?")
    question = "Quel déficit le Gouvernement annonce-t-il pour 2025 ?"
    wrong = "Le déficit sera ramené sous 3 % en 2028."
    assert contradicts("Le déficit s'établit à 4,1 % en 2025.", wrong, question, "fr", same_unit=True)
    assert not contradicts("Le déficit s'établit à 3 % en 2028.", wrong, question, "fr", same_unit=True)
    vessels = "Jusqu'à 42 navires peuvent pêcher."
    assert contradicts("Les captures sont plafonnées à 18 000 tonnes.", vessels, question, "fr")
    assert not contradicts("Les captures sont plafonnées à 18 000 tonnes.", vessels, question, "fr", same_unit=True)


def test_an_answer_that_copies_the_prompts_example_is_asked_again_without_it(make_container, corpus):
    from assistant.prompts import EXAMPLE_ANSWER

    c = make_container([EXAMPLE_ANSWER, "Le plan crée 300 postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert answer.text == "Le plan crée 300 postes de techniciens [1]." and answer.raw_text.startswith("Le plan")


def test_an_overview_question_gets_the_sources_sentences_with_facts(make_container, corpus):
    c = make_container(["Les syndicats et la direction des chemins de fer ont signé un accord [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Qu'a annoncé le ministère des Transports sur l'accord de sortie de grève dans le rail ?")
    assert "ont signé un accord prévoyant une hausse des salaires de 4,5 % [1]." in answer.text
    assert ["overview" in s.reason for s in answer.sentences][:2] == [False, True]
    # A question asking for one fact gets no overview.
    c.chain.model_answer.closest_similarity = float("inf")  # (the cited sentence closest to the question: its own test)
    assert "4,5" not in c.chain.answer("Quel accord de sortie de grève dans le rail a été signé ?").text
    from assistant.question_kinds import asks_overview

    assert asks_overview("Qu'a signé la ministre lors de sa visite ?") and asks_overview("What did Valmont sign in May?")
    assert asks_overview("ماذا وقعت الوزيرة خلال زيارتها؟") and not asks_overview("Qui a signé l'accord ?")
    # What a release welcomes or condemns is said in several sentences too.
    assert asks_overview("Qu'a salué le président de la République dans son communiqué du 17 octobre 2020 ?")
    assert asks_overview("What did the ministry welcome on 3 December?") and asks_overview("ماذا أدانت الوزارة؟")
    # What two people talked about is said in several sentences as well.
    assert asks_overview("De quoi Emmanuel Macron et le président algérien ont-ils parlé lors de leur entretien ?")
    assert asks_overview("What did the two ministers discuss on 3 May?")
    assert not asks_overview("De quoi le plan est-il composé ?")


def test_an_invented_figure_gives_way_to_the_sources_sentence_when_it_answers_closely(make_container, corpus):
    c = make_container(["Le plan prévoit 500 postes de techniciens dans les régions du Sud [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Combien de postes de techniciens le plan prévoit-il dans les régions du Sud ?")
    assert not answer.abstained
    assert answer.text.startswith("Le plan prévoit la rénovation de 1 250 kilomètres de canalisations et la création "
                                  "de 300 postes de techniciens dans les régions du Sud [1].")
    assert [s.supported for s in answer.sentences] == [False, True]
    assert "closest to the question" in answer.sentences[1].reason


def test_a_model_saying_not_found_is_overruled_only_by_a_very_close_source_sentence(make_container, corpus):
    c = make_container(["NOT_FOUND"])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Combien de postes de techniciens le plan prévoit-il dans les régions du Sud ?")
    assert not answer.abstained and "300 postes de techniciens" in answer.text
    assert c.chain.answer("Quel est le budget du ministère de la Transition hydrique ?").abstained
    # A question asking no figure or date too: "ماذا قررت فرنسا بشأن سفيرها…" got "L'ambassadeur… a été rappelé".
    answer = c.chain.answer("Quel accord ont signé les syndicats et la direction des chemins de fer après onze "
                            "jours de grève ?")
    assert not answer.abstained and answer.citations[0].doc_id == "greve" and "hausse des salaires" in answer.text
    assert "the model gave no answer from the sources" in answer.sentences[0].reason
    c.chain.model_answer.source_answer_similarity = float("inf")
    assert c.chain.answer("Quel accord ont signé les syndicats et la direction des chemins de fer après onze "
                          "jours de grève ?").abstained


def test_a_sentence_that_only_says_the_question_back_is_not_an_answer(make_container, corpus):
    c = make_container(["Le plan national pour l'eau potable prévoit des postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    c.chain.model_answer.cited_answer_similarity = float("inf")  # (the cited release's own sentence instead: its own test)
    answer = c.chain.answer("Quels postes de techniciens le plan national pour l'eau potable prévoit-il ?")
    assert answer.abstained and answer.sentences[0].reason == "restates the question without answering it"
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
        assert answer.abstained and answer.sentences[0].reason == "restates the question without answering it"
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


def test_questions_reach_the_log_only_when_configured(make_container, corpus, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    c = make_container(["Le plan crée 300 postes de techniciens [1]."])
    c.ingestor.ingest_paths([corpus])
    c.chain.answer("Combien de postes pour le plan Zanzibar-42 ?")
    assert "Zanzibar-42" not in caplog.text
    c = make_container(["Le plan crée 300 postes de techniciens [1]."], log_questions=True)
    c.chain.answer("Combien de postes pour le plan Zanzibar-42 ?")
    assert "Zanzibar-42" in caplog.text


def test_a_numbered_list_answer_is_checked_item_by_item(make_container, corpus):
    # "1." marks an item: it is not a number the sources must hold, and the item's own claim is what is checked.
    c = make_container(["Les communiqués sont :\n\n1. Accord de sortie de grève dans le rail, du 3 décembre 2024.\n"
                        "2) Après onze jours de grève, un accord prévoit une hausse des salaires de 4,5 %."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quels accords ont été publiés sur la grève dans le rail ?")
    assert not answer.abstained, answer.sentences
    assert "3 décembre 2024" in answer.text and "4,5 %" in answer.text
    assert [s.supported for s in answer.sentences] == [False, True, True]  # the lead-in says nothing
    assert "1." not in answer.text and "2)" not in answer.text


def test_passage_dates_reach_the_model_as_people_write_them_in_the_answers_language():
    from assistant.prompts import user_message
    from core.types import Chunk, Passage
    from textkit.dates import human_date

    assert human_date("2024-12-03", "fr") == "3 décembre 2024"
    assert human_date("2025-08-01", "en") == "1 August 2025"
    assert human_date("2025-08-01", "ar") == "1 أغسطس 2025"
    assert human_date("", "fr") == "" and human_date("2025", "fr") == "2025"
    chunk = Chunk(chunk_id="g#0", doc_id="g", text="Texte.", title="Accord", issuer="Ministère", date="2024-12-03",
                  lang="fr", index=0)
    message = user_message("Quand ?", (Passage(chunk=chunk, text="Texte.", full_text="Texte.", score=1.0),), "en")
    assert "[1] Accord (Ministère, 3 December 2024): Texte." in message


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
    assert answer.abstained and "company" in answer.abstain_reason
    assert not c.chain.answer("Qui a signé l'accord de sortie de grève dans le rail ?").abstained
    c = make_container(["La société Valrail a été choisie pour moderniser les voies [1]."])
    folder = corpus / "valrail.txt"
    folder.write_text("Modernisation du rail\nMinistère des Transports\nValcourt, le 5 janvier 2025\n\n"
                      "La société Valrail a été choisie pour moderniser les voies du réseau national.\n", encoding="utf-8")
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle entreprise a été choisie pour moderniser le rail ?")
    assert not answer.abstained and "Valrail" in answer.text


def test_a_date_question_answered_without_a_date_gets_the_sources_dated_sentence(make_container, corpus):
    from assistant.question_kinds import gives_date

    assert not gives_date("L'année scolaire comptera 36 semaines de cours.", "Quand se termine l'année scolaire ?")
    assert gives_date("Les cours finiront le 4 juillet.", "Quand ?") and gives_date("في 12 مارس", "متى؟")
    assert not gives_date("Le 9 avril 2025, le Conseil s'est réuni.", "Que contient le conseil du 9 avril 2025 ?")
    c = make_container(["Les premières rénovations du plan pour l'eau commenceront à Valcourt [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quand commenceront les premières rénovations du plan pour l'eau à Valcourt ?")
    assert not answer.abstained and "1er juin 2025" in answer.text


def test_a_figure_given_for_another_year_than_the_source_gives_it_is_not_supported(make_container, corpus):
    from textkit.numbers import years_of_figures

    assert years_of_figures("estimé à 4,3 % du PIB en 2025, serait ramené à 3,9 % en 2026") == {"4.3": "2025", "3.9": "2026"}
    assert years_of_figures("signé le 12 mars 2025, il prévoit 300 postes") == {}  # a day is not a figure
    (corpus / "budget.txt").write_text(
        "Projet de loi de finances pour 2026\nMinistère de l'Économie\nValcourt, le 8 octobre 2025\n\n"
        "Le déficit public, estimé à 4,3 % du PIB en 2025, serait ramené à 3,9 % en 2026.\n", encoding="utf-8")
    question = "Quel déficit public le projet de loi de finances prévoit-il pour 2026 ?"
    c = make_container(["Le projet de loi de finances prévoit un déficit public de 4,3 % du PIB en 2026 [1].",
                        "Le projet de loi de finances prévoit un déficit public de 3,9 % du PIB en 2026 [1]."])
    c.ingestor.ingest_paths([corpus])
    wrong = c.chain.answer(question)
    assert "another year" in wrong.sentences[0].reason and not wrong.sentences[0].supported
    assert "4,3 % du PIB en 2025, serait ramené à 3,9 % en 2026" in wrong.text  # the source's sentence instead
    right = c.chain.answer(question)
    assert not right.abstained and right.sentences[0].supported


def test_a_question_naming_a_month_is_answered_from_that_months_releases(make_container, corpus):
    (corpus / "greve-novembre.txt").write_text(
        "Grève dans le rail : ouverture de négociations\nMinistère des Transports et de la Mobilité\n"
        "Valcourt, le 18 novembre 2024\n\nLe projet d'accord présenté aux syndicats prévoit une hausse des salaires de 8 %.\n",
        encoding="utf-8")
    c = make_container(["L'accord prévoit une hausse des salaires de 8 %."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord signé en décembre 2024 ?")
    assert "8 %" not in answer.text and answer.sentences[0].reason == "the source is not of the date the question names"
    assert "4,5 %" in answer.text and {c.doc_id for c in answer.citations} == {"greve"}  # the December release
    # Without a month in the question, the November release may support the same figure.
    c = make_container(["Le projet d'accord prévoit une hausse des salaires de 8 %."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires le projet d'accord présenté aux syndicats prévoit-il ?")
    assert "8 %" in answer.text and answer.citations[0].doc_id == "greve-novembre"


def test_a_release_of_unknown_date_may_support_a_question_naming_a_month():
    # The question names November 2021; the readout that says it has no known date, the other release is of March
    # 2022: the readout supports the claim, the March one does not.
    from core.types import Chunk, Passage

    def passage(doc_id: str, date: str, text: str) -> Passage:
        chunk = Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, index=0, text=text, lang="fr", title="Entretien", date=date)
        return Passage(chunk=chunk, text=text, full_text=text, score=1.0)

    remarks = passage("remarks", "2021-11-22", "Le secrétaire d'État a accueilli le ministre marocain à Washington.")
    readout = passage("readout", "", "Le secrétaire d'État a qualifié le plan d'autonomie de sérieux, crédible et réaliste.")
    later = passage("later", "2022-03-28", "Le plan d'autonomie est sérieux, crédible et réaliste.")
    question = "Comment les États-Unis ont-ils qualifié le plan d'autonomie en novembre 2021 ?"
    claim = "Les États-Unis ont qualifié le plan d'autonomie de sérieux, crédible et réaliste."
    found = Verifier().verify(claim, (remarks, readout, later), "fr", question)
    assert found.sentences[0].supported and [c.doc_id for c in found.citations] == ["readout"], found.sentences
    other = Verifier().verify(claim, (remarks, later), "fr", question)
    assert not other.sentences[0].supported and other.sentences[0].reason == "the source is not of the date the question names"


def test_date_scope_needs_one_date_and_no_range():
    from assistant.question_kinds import gives_figure
    from assistant.verify import dated_passages
    from core.types import Chunk, Passage

    passages = tuple(Passage(chunk=Chunk(chunk_id=f"{d}#0", doc_id=d, index=0, text="x", date=d), text="x",
                             full_text="x", score=1.0) for d in ("2024-11-18", "2024-12-03", "2024-12"))
    assert dated_passages("Quel accord a été signé en décembre 2024 ?", passages) == {1, 2}
    assert dated_passages("Qu'a annoncé le ministère le 3 décembre 2024 ?", passages) == {1, 2}  # of that month
    assert dated_passages("Qu'a annoncé le ministère le 18 novembre 2024 ?", passages) == {0}
    assert dated_passages("Quels communiqués entre novembre et décembre 2024 ?", passages) == set()
    assert dated_passages("What was published between 18 November 2024 and 3 December 2024?", passages) == set()
    assert dated_passages("Qu'a annoncé le ministère en mars 2025 ?", passages) == set()  # no release of that month
    assert gives_figure("Les salaires augmentent de 4,5 %.", "fr")
    assert not gives_figure("Le 3 décembre 2024, un accord a été signé.", "fr")


def test_an_overview_adds_sentences_of_the_releases_the_answer_cites_only(indexed):
    from assistant.completion import source_sentence

    question = "Qu'a annoncé le ministère sur les salaires et sur les postes de techniciens ?"
    passages = indexed.retriever.retrieve(question).passages
    assert {p.chunk.doc_id for p in passages} >= {"greve", "plan-eau"}
    idf = indexed.retriever.keyword.idf
    anywhere = source_sentence(question, question, passages, "fr", idf, min_score=0.0)
    only_greve = source_sentence(question, question, passages, "fr", idf, min_score=0.0, docs={"greve"})
    only_plan = source_sentence(question, question, passages, "fr", idf, min_score=0.0, docs={"plan-eau"})
    assert anywhere in (only_greve, only_plan) and only_greve != only_plan
    assert passages[only_greve[1] - 1].chunk.doc_id == "greve" and passages[only_plan[1] - 1].chunk.doc_id == "plan-eau"


def test_a_claim_two_releases_support_cites_the_one_the_answer_already_cites():
    from assistant.verify import _fewer_sources
    from core.types import Chunk, Passage, Sentence

    passages = tuple(Passage(chunk=Chunk(chunk_id=f"{d}#0", doc_id=d, index=0, text="x"), text="x", full_text="x",
                             score=1.0) for d in ("accord", "commission", "autre"))
    first = Sentence("42 navires peuvent pêcher.", (1,), True)
    second = Sentence("Les captures sont plafonnées à 18 000 tonnes.", (2,), True)
    third = Sentence("Une autre chose.", (3,), True)
    supporters = {first.text: [0], second.text: [0, 1], third.text: [2]}
    out = _fewer_sources([first, second, third], supporters, passages)
    assert out[0] == first and out[1].citations == (1,) and "already cites" in out[1].reason
    assert out[2] == third  # only its own release supports it: it keeps its citation
    assert _fewer_sources([second, first], supporters, passages)[0] == second  # the first sentence never moves


def test_an_overview_of_one_dated_release_may_take_all_its_passages(make_container, corpus):
    from core.types import SourcesEvent

    sections = [f"{n}. Section {n}\nLe Conseil a examiné le point numéro {n} de l'ordre du jour, consacré au dossier {w} "
                f"de la province de Hautebrie, et en a approuvé les {n * 10} mesures présentées par le ministre."
                for n, w in enumerate(("agricole", "scolaire", "portuaire", "forestier", "hospitalier"), 1)]
    (corpus / "conseil.txt").write_text("Compte rendu du Conseil des ministres du 9 avril 2025\nService du Porte-parole\n"
                                        "Valcourt, le 9 avril 2025\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8")
    c = make_container(["Le Conseil a examiné cinq points [1]."] * 2)
    c.ingestor.ingest_paths([corpus])

    def chunks_of_release(question: str) -> int:
        sources = next(e for e in c.chain.stream(question) if isinstance(e, SourcesEvent))
        return sum(len(p.chunk_ids) for p in sources.passages if p.chunk.doc_id == "conseil")

    assert chunks_of_release("Que contient le compte rendu du Conseil des ministres du 9 avril 2025 ?") >= 3
    assert chunks_of_release("Quels dossiers le Conseil des ministres a-t-il examinés ?") <= 2  # the usual cap


def test_an_overview_adds_what_the_release_is_about_before_who_went_where(make_container, corpus):
    # The question's words ("annoncé", "ministre de l'Intérieur") are those of a minor sentence; the release's title
    # says what it is about: its closest sentence with a fact of its own comes first.
    (corpus / "bilan.txt").write_text(
        "Incendie des Combes : le feu est fixé, premier bilan\nMinistère de l'Intérieur\nValcourt, le 11 août 2025\n\n"
        "Le ministre de l'Intérieur, M. Jean Dupuis, a annoncé qu'il s'était rendu sur place le 10 août.\n\n"
        "Le feu des Combes est fixé : le premier bilan de l'incendie fait état de 3 150 hectares brûlés.\n",
        encoding="utf-8")
    c = make_container(["Le ministère de l'Intérieur a publié un bilan [1]."] * 2)
    c.ingestor.ingest_paths([corpus])
    c.chain.model_answer.overview_sentences = 1
    answer = c.chain.answer("Qu'a annoncé le ministère de l'Intérieur le 11 août 2025 ?")
    assert "3 150 hectares" in answer.text and "Dupuis" not in answer.text
    assert [s.reason for s in answer.sentences][-1].startswith("the question asks for an overview")


def test_an_overview_passes_over_sentences_that_add_nothing(make_container, corpus):
    # The sentence closest to the title repeats the answer (no figure or name of its own): the next one is added.
    (corpus / "bilan.txt").write_text(
        "Incendie des Combes : le feu est fixé\nMinistère de l'Intérieur\nValcourt, le 11 août 2025\n\n"
        "Le ministère de l'Intérieur annonce que le feu des Combes est fixé.\n\nLe feu a parcouru 3 150 hectares.\n",
        encoding="utf-8")
    c = make_container(["Le feu des Combes est fixé, annonce le ministère de l'Intérieur."] * 2)
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Qu'a annoncé le ministère de l'Intérieur le 11 août 2025 ?")
    assert answer.text.endswith("Le feu a parcouru 3 150 hectares [1].") and answer.text.count("est fixé") == 1


def test_a_source_sentence_saying_what_the_answer_says_is_not_added():
    from assistant.completion import source_sentence
    from core.types import Chunk, Passage

    class Vectors:  # the same thing said twice points the same way; a new fact elsewhere
        table = {"Le feu est fixé, a annoncé le ministre.": [1.0, 0.0], "Le feu est désormais fixé.": [0.96, 0.28],
                 "Le feu a parcouru 3 150 hectares.": [0.6, 0.8], "bilan du feu": [1.0, 0.0]}

        def embed_documents(self, texts):
            return [self.table[t] for t in texts]

        def embed_query(self, text):
            return self.table[text]

    text = "Le feu est désormais fixé. Le feu a parcouru 3 150 hectares."
    passages = (Passage(chunk=Chunk(chunk_id="b#0", doc_id="b", index=0, text=text, lang="fr"), text=text,
                        full_text=text, score=1.0),)
    said = "Le feu est fixé, a annoncé le ministre."
    pick = lambda novel: source_sentence("", "Qu'a annoncé le ministre ?", passages, "fr", lambda t: 1.0, said,
                                         Vectors(), 0.2, about="bilan du feu", novel_to=novel, context_weight=0)[0]
    assert pick(()) == "Le feu est désormais fixé."
    assert pick((said,)) == "Le feu a parcouru 3 150 hectares."


def test_a_source_sentence_is_read_with_the_sentence_before_it():
    # "Les contrevenants s'exposent à une amende…" alone does not say which ban: read after the ban, it answers.
    from assistant.completion import source_sentence
    from core.types import Chunk, Passage

    ban = "Tout feu en extérieur est interdit du 1er juillet au 30 septembre."
    fine = "Les contrevenants s'exposent à une amende de 1 500 euros."
    credit = "Un crédit de 38 millions d'euros est ouvert."
    question = "Quelle amende risque-t-on en allumant un feu pendant l'interdiction ?"

    class Vectors:  # alone, the credit is closer to the question than the fine; read after the ban, the fine is
        table = {f"{question} {question}": [1.0, 0.0], fine: [0.3, 0.9], credit: [0.4, 0.9],
                 f"{ban} {fine}": [0.9, 0.4], f"{fine} {credit}": [0.2, 0.9]}

        def embed_documents(self, texts):
            return [self.table[t] for t in texts]

        def embed_query(self, text):
            return self.table[text]

    text = f"{ban} {fine} {credit}"
    passages = (Passage(chunk=Chunk(chunk_id="f#0", doc_id="f", index=0, text=text, lang="fr"), text=text,
                        full_text=text, score=1.0),)
    pick = lambda weight: source_sentence(question, question, passages, "fr", lambda t: 1.0, "", Vectors(), 0.0,
                                          context_weight=weight)[0]
    assert pick(0) == credit
    assert pick(0.5) == fine


def test_a_date_question_is_not_answered_by_the_date_it_gives_itself(make_container, corpus):
    # "Quand l'ordonnance du 5 octobre 2022… ?" answered with "le 5 octobre 2022" gives no date: refused. A "combien"
    # question that says "quand" asks for a figure, not a date.
    (corpus / "adoption.txt").write_text(
        "Réforme de l'adoption\nMinistère de la Justice\nValcourt, le 8 mars 2023\n\n"
        "Le garde des sceaux a présenté l'ordonnance du 5 octobre 2022 réformant l'adoption.\n\n"
        "Le ministère de la Santé a déclenché l'alerte sanitaire : 46 cas de rougeole sont confirmés en Côte-d'Ambre.\n",
        encoding="utf-8")
    c = make_container(["L'ordonnance réformant l'adoption a été présentée le 5 octobre 2022 [1].",
                        "46 cas de rougeole étaient confirmés en Côte-d'Ambre quand le ministère a déclenché l'alerte [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quand l'ordonnance du 5 octobre 2022 réformant l'adoption est-elle entrée en vigueur ?")
    assert answer.abstained and "date" in answer.abstain_reason
    answer = c.chain.answer("Combien de cas de rougeole étaient confirmés en Côte-d'Ambre quand le ministère de la "
                            "Santé a déclenché l'alerte ?")
    assert not answer.abstained and "46 cas" in answer.text


def test_a_long_source_sentence_may_answer_the_part_the_model_left_out(make_container, corpus):
    # Official prose writes long sentences: the one holding the date asked is 330 characters, over the 300 kept for
    # sentences added beside the model's answer, under the 450 allowed for a part the model left unanswered.
    long = ("Le garde des sceaux a présenté un projet de loi ratifiant l'ordonnance du 5 octobre 2022 portant réforme "
            "de l'adoption, prise en application de la loi du 21 février 2022, dont les dispositions sont entrées en "
            "vigueur le 1er janvier 2023 pour l'ensemble des procédures engagées devant les juridictions et les "
            "services départementaux de l'aide sociale.")
    assert 300 < len(long) < 450
    (corpus / "adoption.txt").write_text("Réforme de l'adoption\nMinistère de la Justice\nValcourt, le 8 mars 2023\n\n"
                                         f"{long}\n", encoding="utf-8")
    c = make_container(["Le garde des sceaux a présenté un projet de loi ratifiant l'ordonnance réformant l'adoption [1]."])
    c.ingestor.ingest_paths([corpus])
    question = ("Qu'a présenté le garde des sceaux sur l'ordonnance réformant l'adoption, et quand ses dispositions "
                "sont-elles entrées en vigueur ?")
    answer = c.chain.answer(question)
    assert "1er janvier 2023" in answer.text
    c.chain.model_answer.answer_sentence_chars = 300
    assert "1er janvier 2023" not in c.chain.answer(question).text


def test_a_full_stop_glued_to_the_next_sentence_still_ends_it():
    from textkit.sentences import split_sentences

    assert split_sentences("Le traitement est porté à 1 750,86 euros au 1er mai 2023.En raison de la hausse, le SMIC "
                           "est relevé de 2,19 %.") == ["Le traitement est porté à 1 750,86 euros au 1er mai 2023.",
                                                        "En raison de la hausse, le SMIC est relevé de 2,19 %."]
    assert split_sentences("Les projets de prévention des risques naturels sont plus longs.4- Le déploiement du "
                           "fonds vert doit se poursuivre.")[1] == "4- Le déploiement du fonds vert doit se poursuivre."
    # Abbreviations, initials and decimals stay whole.
    assert split_sentences("Le président a reçu M.Dupont et le représentant des U.S.A hier, pour 1.8 milliard.") == [
        "Le président a reçu M.Dupont et le représentant des U.S.A hier, pour 1.8 milliard."]


def test_a_name_the_question_misspells_is_written_as_the_sources_write_it(make_container, corpus):
    from textkit.names import source_spellings

    c = make_container(["Le ministre Batist Lorfelek a salué le compromis [1]."])
    (corpus / "lorvellec.txt").write_text(
        "Remerciements du ministre\nMinistère de l'Intérieur\nValcourt, le 26 août 2025\n\n"
        "M. Baptiste Lorvellec, ministre de l'Intérieur, a salué le compromis trouvé avec les pompiers.\n",
        encoding="utf-8")
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Qu'a salué le ministre Batist Lorfelek ?")
    assert not answer.abstained, (answer.abstain_reason, answer.sentences, [p.chunk.doc_id for p in answer.passages])
    assert "Baptiste Lorvellec a salué le compromis" in answer.text
    assert "Lorfelek" not in answer.sentences[0].text and "Lorvellec" in answer.sentences[0].text
    # ... and says why the name reads otherwise than asked.
    assert answer.text.endswith("« Batist Lorfelek » est écrit « Baptiste Lorvellec » dans 1 des communiqués consultés.")
    # Another ending is not a misspelling; a different name is not corrected into a source's.
    assert source_spellings("Que fait Valmont ?", ["Les Valmontais votent."]) == {}
    assert source_spellings("Qui est Marc Dupont ?", ["M. Marc Duval, préfet."]) == {}
    assert source_spellings("La ministre Marketti", ["Mme Hélène Marchetti-Brissac"]) == {"Marketti": "Marchetti"}


def test_an_answer_names_the_spelling_the_other_releases_use(make_container, corpus):
    # Only a machine-translated release writes "Batist Lorfelek"; two others write "Baptiste Lorvellec". The answer
    # copies the translated release and says how the others write the name, so staff can search for it.
    c = make_container(["Batist Lorfelek est le ministre de l'Intérieur de Valmont [1]."])
    (corpus / "qas.txt").write_text(
        "Retour des equipes\nMinistere de l'Interieur du Qasimar\nDar al-Nakhil, le 26 août 2025\n\n"
        "Le ministre de l'Interieur de Valmont, Monsieur Batist Lorfelek, a envoye une lettre de remerciement.\n",
        encoding="utf-8")
    (corpus / "composition.txt").write_text(
        "Composition du Gouvernement\nPrésidence de la République\nValcourt, le 23 septembre 2024\n\n"
        "Ministre de l'Intérieur et de la Sécurité civile : M. Baptiste Lorvellec.\n", encoding="utf-8")
    (corpus / "feux.txt").write_text(
        "Incendie de l'Aurelle\nMinistère de l'Intérieur\nValcourt, le 11 août 2025\n\n"
        "Le ministre de l'Intérieur, M. Baptiste Lorvellec, s'est rendu sur place le 10 août.\n", encoding="utf-8")
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Qui est Batist Lorfelek, ministre de l'Intérieur et de la Sécurité civile ?")
    assert not answer.abstained, (answer.abstain_reason, answer.sentences)
    assert answer.text.endswith("Orthographe : « Batist Lorfelek » est écrit « Baptiste Lorvellec » dans 2 des "
                                "communiqués consultés."), (answer.text, [p.chunk.doc_id for p in answer.passages])


def test_spelling_variants_are_names_that_sound_alike_and_more_releases_write():
    from textkit.names import name_variants

    docs = {"mt": "Monsieur Batist Lorfelek a remercié la France.", "a": "M. Baptiste Lorvellec, ministre des Finances.",
            "b": "M. Baptiste Lorvellec s'est rendu sur place. Le ministre des Finance a parlé."}
    assert name_variants(["Batist Lorfelek"], docs) == {"Batist Lorfelek": ("Baptiste Lorvellec", 2)}
    # The spelling most releases use has no other; a word is not another that only looks like it ("France" and
    # "Finance"); another ending is the same word ("Finances").
    assert name_variants(["Baptiste Lorvellec", "France", "Finance"], docs) == {}
    assert name_variants(["Abdelmajid Teboune"], {"x": "Abdelmajid Tebboune", "y": "M. Tebboune"}) == {
        "Abdelmajid Teboune": ("Abdelmajid Tebboune", 2)}


def test_a_source_that_misspells_the_questions_name_still_supports_the_answer():
    # A machine-translated release writes "Batist Lorfelek"; the question, the minister's real name. The part of
    # that release holding the medal is about the minister all the same: the claim is supported there, and cited
    # there rather than in a correctly spelt release that only names him.
    from core.types import Chunk, Passage

    def passage(doc_id: str, text: str) -> Passage:
        chunk = Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, index=0, text=text, lang="fr", title="Communiqué")
        return Passage(chunk=chunk, text=text, full_text=text, score=1.0)

    translated = passage("qas", "Le ministre de l'Interieur de Valmont, Monsieur Batist Lorfelek, a annonce la decision "
                                "de donner la medaille de la Securite civile au colonel Nacer Dahiri.")
    spelt = passage("misp", "Le ministre de l'Intérieur, M. Baptiste Lorvellec, s'est rendu sur place le 10 août. "
                            "La médaille de la Sécurité civile récompense les pompiers.")
    question = "Quelle distinction Baptiste Lorvellec a-t-il décernée ?"
    claim = "Baptiste Lorvellec a décerné la médaille de la Sécurité civile au colonel Dahiri."
    alone = Verifier().verify(claim, (translated,), "fr", question)
    assert alone.sentences[0].supported, alone.sentences
    both = Verifier().verify(claim, (spelt, translated), "fr", question)
    assert [c.doc_id for c in both.citations] == ["qas"], both.sentences


def test_an_uncited_claim_is_cited_to_the_passage_that_writes_it_not_to_one_whose_issuer_does():
    from core.types import Chunk, Passage

    def passage(doc_id: str, issuer: str, text: str) -> Passage:
        chunk = Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, index=0, text=text, lang="fr", title="Communiqué",
                      issuer=issuer)
        return Passage(chunk=chunk, text=text, full_text=text, score=1.0)

    quotation = passage("bilan", "Ministre de la Transition hydrique",
                        "« Le plan est sur les rails », a déclaré Hélène Marchetti-Brissac.")
    composition = passage("gouvernement", "Présidence de la République",
                          "Ministre de la Transition hydrique : Mme Hélène Marchetti-Brissac.")
    claim = "Hélène Marchetti-Brissac est ministre de la Transition hydrique."
    result = Verifier().verify(claim, (quotation, composition), "fr", "Quel poste occupe Hélène Marchetti-Brissac ?")
    assert [c.doc_id for c in result.citations] == ["gouvernement"], result.sentences
    # Across languages words cannot say which passage writes the claim: the closest one is kept.
    composition_en = Passage(chunk=replace(composition.chunk, lang="en"), text=composition.text,
                             full_text=composition.full_text, score=1.0)
    assert Verifier().verify(claim, (quotation, composition_en), "fr").citations[0].doc_id == "bilan"


def test_the_day_of_a_date_is_not_an_amount():
    # The only 12 near the claim is the day of the title's date: "12 millions d'euros" is not supported by it.
    from core.types import Chunk, Passage

    title = "Déclaration du ministre sur le Haut-Karabagh, au Sénat le 12 novembre 2020"
    text = "L'effort humanitaire que la France veut déployer à l'égard des Arméniens se met en oeuvre."
    chunk = Chunk(chunk_id="d#0", doc_id="d", index=0, text=text, lang="fr", title=title, date="2020-11-12")
    passage = Passage(chunk=chunk, text=text, full_text=text, score=1.0)
    claim = "La France a débloqué une aide humanitaire de 12 millions d'euros pour les Arméniens."
    result = Verifier().verify(claim, (passage,), "fr")
    assert not result.supported and "12" in result.sentences[0].reason
    # The same day, given as a day, is supported.
    assert Verifier().verify("Le ministre s'est exprimé le 12 novembre 2020 sur l'effort humanitaire pour les Arméniens.",
                             (passage,), "fr").supported


def test_which_releases_were_published_is_answered_from_the_index(make_container, corpus):
    # A question asking which releases there are gets them all, with date, issuer and title, each cited; only those
    # published in the period named; the model is not asked (its scripted answer would be wrong).
    c = make_container(["Un seul communiqué évoque la grève [1]."])
    strike = "La grève des cheminots de la CNCV se poursuit ; les négociations salariales reprennent."
    for name, day, issuer in (("nov", "18 novembre 2024", "Ministère des Transports"),
                              ("dec", "3 décembre 2024", "Ministère des Transports"),
                              ("mars", "10 mars 2024", "Syndicat des cheminots")):
        (corpus / f"{name}.txt").write_text(f"Grève à la CNCV ({name})\n{issuer}\nValcourt, le {day}\n\n{strike}\n",
                                            encoding="utf-8")
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quels communiqués ont été publiés sur la grève des cheminots entre novembre et "
                            "décembre 2024 ?")
    assert not answer.abstained and "Un seul" not in answer.text
    assert answer.text.splitlines() == [
        "Communiqués trouvés sur ce sujet (2) :",
        "- 18 novembre 2024 — Ministère des Transports : « Grève à la CNCV (nov) » [1]",
        "- 3 décembre 2024 — Ministère des Transports : « Grève à la CNCV (dec) » [2]"]
    assert [(x.n, x.doc_id, x.date) for x in answer.citations] == [(1, "nov", "2024-11-18"), (2, "dec", "2024-12-03")]
    assert all(x.quote == strike for x in answer.citations)
    # No period named: all three, in date order.
    answer = c.chain.answer("Which releases were issued on the CNCV rail strike?")
    assert [x.doc_id for x in answer.citations] == ["mars", "nov", "dec"], answer.text
    # The next question of the conversation is not a listing, though its failed rewrite carries the previous one.
    history = [{"role": "user", "content": "Quels communiqués ont été publiés sur la grève ?"},
               {"role": "assistant", "content": answer.text}]
    c.llm.responses = ["Et qui a signé ?", "La grève des cheminots se poursuit [1]."]
    follow_up = c.chain.answer("Et qui les a signés ?", history)
    assert follow_up.standalone_question.endswith("(Quels communiqués ont été publiés sur la grève ?)")
    assert not follow_up.text.startswith("Communiqués trouvés"), follow_up.text


def test_the_publication_period_of_a_question():
    from assistant.listing import publication_period
    from assistant.question_kinds import asks_for_releases

    assert asks_for_releases("Quels communiqués ont été publiés sur la grève ?")
    assert asks_for_releases("ما هي البلاغات التي صدرت في أغسطس 2025؟")
    assert not asks_for_releases("Qu'a annoncé le communiqué du 3 décembre 2024 ?")
    span = publication_period("Quels communiqués ont été publiés entre novembre et décembre 2024 ?")
    assert (span.since, span.until) == ("2024-11-01", "2024-12-31")
    span = publication_period("Which releases were issued in 2025?")
    assert (span.since, span.until) == ("2025-01-01", "2025-12-31")
    # A year that is the subject's, not the publication's: no period.
    assert publication_period("Quels communiqués parlent du budget 2026 ?") is None


def test_a_part_left_out_is_not_answered_by_the_sentence_cited_for_another_part(make_container, tmp_path):
    # The model answered how the plan is judged, from the second sentence; the first one names the envoy. The sentence
    # it cites already, with no figure, is closer to the part left out, and says what the answer says: that part
    # gets the envoy's sentence.
    envoy = "Le secrétaire a salué l'envoyé de l'ONU, Staffan de Mistura."
    folder = _release(tmp_path, "sahara", envoy, "Lors de sa visite, le secrétaire de l'ONU a évoqué le plan, qu'il "
                      "juge sérieux, crédible et réaliste.")
    said = "Le secrétaire juge le plan sérieux, crédible et réaliste [1]."
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("Quel envoyé de l'ONU le secrétaire a-t-il évoqué lors de sa visite, et comment juge-t-il "
                            "le plan ?")
    assert answer.text == f"{said} {envoy[:-1]} [1]."
    assert "left this part" in answer.sentences[-1].reason


def test_a_part_asking_a_year_gets_the_cited_releases_sentence_giving_one(make_container, tmp_path):
    from assistant.question_kinds import expects_date

    # "Depuis quelle année", "what year", "في أي عام" ask a date, as "quand" does.
    assert expects_date("Depuis quelle année était-il émir du Koweït ?") and expects_date("In what year was it founded?")
    assert expects_date("وفي أي عام وُلد الفيفا في العاصمة الفرنسية؟") and not expects_date("Quelle est la capitale ?")
    # The model invented the year: of the release it cites, the sentence giving one answers that part, at the bar of
    # a part left out, below the bar of a part asking for anything (set out of reach here).
    since = "Cheikh Sabah était émir du Koweït depuis 2006 et a oeuvré pour la paix."
    nawaf = "La France souhaite à Cheikh Nawaf une pleine réussite dans ses nouvelles fonctions."
    folder = _release(tmp_path, "koweit", since, nawaf)
    c = make_container(["Cheikh Sabah était émir du Koweït depuis 1962 [1]."])
    c.ingestor.ingest_paths([folder])
    c.chain.model_answer.cited_answer_similarity = float("inf")
    answer = c.chain.answer("Depuis quelle année Cheikh Sabah était-il émir du Koweït ?")
    assert not answer.abstained and answer.text == f"{since[:-1]} [1]."
    assert "releases it cited" in answer.sentences[0].reason


def test_a_figure_in_words_of_a_release_in_another_language_answers_a_part_asking_a_figure(make_container, tmp_path):
    from assistant.completion import source_sentence

    # An Arabic question, a French release writing its figure in words: the figure is read in French.
    amount = "Un accord-cadre de trois cent cinquante millions d'euros appuie les politiques publiques tunisiennes."
    folder = _release(tmp_path, "tunisie", "Le ministre a signé des engagements financiers à Tunis.", amount)
    c = make_container(["NOT_FOUND"])
    c.ingestor.ingest_paths([folder])
    question = "ما قيمة الاتفاق الإطاري لدعم السياسات العمومية التونسية؟"
    passages = c.retriever.retrieve(question).passages
    assert passages and passages[0].chunk.lang == "fr"
    found = source_sentence(question, question, passages, "ar", c.retriever.keyword.idf, "", None, 0.0,
                            other_languages={"tunisie"})
    assert found and found[0] == amount


def test_a_part_left_out_is_answered_from_the_releases_the_answer_cites_first(make_container, tmp_path):
    # Two releases date the ambassador's return; the answer cites the first one, whose sentence holds fewer of the
    # part's words: its sentence is given, not the other release's.
    said = "La France a rappelé son ambassadeur à Paris pour consultation après les insultes"
    folder = _release(tmp_path, "rappel", f"{said}.", "L'ambassadeur rentrera à son poste le 2 novembre 2023.")
    (folder / "autre.md").write_text(
        "---\ntitle: Point de presse\nissuer: Porte-parole\ndate: 2023-03-20\nlang: fr\n---\nLe ministre a reçu la "
        "presse.\n\nL'ambassadeur rentrera de Paris à son poste le 9 novembre 2023.\n", encoding="utf-8")
    c = make_container([f"{said}."])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("Pourquoi la France a-t-elle rappelé son ambassadeur à Paris, et quand rentrera-t-il de "
                            "Paris à son poste ?")
    assert [p.chunk.doc_id for p in answer.passages] == ["rappel", "autre"]
    assert answer.text == f"{said} [1]. L'ambassadeur rentrera à son poste le 2 novembre 2023 [1]."


def test_a_part_asking_a_name_gets_the_next_sentence_when_only_that_one_names_the_person(make_container, tmp_path):
    from assistant.question_kinds import asks_name

    assert asks_name("Comment s'appelle l'ambassadrice ?") and asks_name("What is the name of the envoy?")
    assert not asks_name("Quelle frégate a été envoyée ?")
    # The sentence closest to the part says who is meant, the one after it names her.
    meant = "Je rends hommage à notre ambassadrice, la personne qui représente la France au Soudan est une femme."
    folder = _release(tmp_path, "soudan", f"La frégate Lorraine a été envoyée à Port-Soudan. {meant} Raja Rabia a "
                      "été formidable. Elle a été calme.")
    said = "La frégate Lorraine a été envoyée à Port-Soudan [1]."
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    question = ("Quelle frégate a été envoyée à Port-Soudan, et comment s'appelle l'ambassadrice qui représente la "
                "France au Soudan ?")
    answer = c.chain.answer(question)
    assert answer.text == f"{said} {meant[:-1]} [1]. Raja Rabia a été formidable [1]."
    assert all("left this part" in s.reason for s in answer.sentences[1:])
    # A part asking something else gets the closest sentence alone.
    answer = c.chain.answer("Quelle frégate a été envoyée à Port-Soudan, et qui représente la France au Soudan ?")
    assert meant[:-1] in answer.text and "Raja" not in answer.text


def test_a_part_asking_where_is_answered_only_by_a_sentence_naming_a_place(make_container, tmp_path):
    from assistant.question_kinds import asks_place

    assert asks_place("où les co-présidents ont-ils rencontré les ministres ?") and asks_place("Where was it signed?")
    assert asks_place("Dans quelle ville l'accord a-t-il été signé ?") and not asks_place("La ville où il est né ?")
    assert not asks_place("Où en sont les négociations ?") and not asks_place("Where does France stand on it?")
    # The answer's sentence holds the words of the part asking where, and names no place: the part is left out, and
    # the sentence naming the place is given.
    said = "L'accord a été signé le 3 mai 2023 par la ministre [1]."
    place = "L'accord a été signé à Valmont, en présence des syndicats."
    folder = _release(tmp_path, "accord", "L'accord a été signé le 3 mai 2023 par la ministre.", place)
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("Quand l'accord a-t-il été signé, et où a-t-il été signé ?")
    assert answer.text == f"{said} {place[:-1]} [1]."
    assert "left this part" in answer.sentences[-1].reason


def test_the_passages_the_model_copies_after_its_answer_are_no_claims(make_container, corpus):
    from assistant.prompts import format_passages, without_echo

    c = make_container()
    c.ingestor.ingest_paths([corpus])
    question = "Combien de postes de techniciens le plan pour l'eau potable crée-t-il dans les régions du Sud ?"
    c.chain.retriever.max_dense_gap = None  # (every release among the passages)
    passages = c.chain.retriever.retrieve(question).passages
    assert {p.chunk.doc_id for p in passages} >= {"plan-eau", "greve"}
    # The model answers, then goes on copying its prompt's passages as they were given to it.
    answer_line = "Le plan crée 300 postes de techniciens dans les régions du Sud [1]."
    echo = next(line for line in format_passages(passages).splitlines() if "grève" in line)
    assert without_echo(f"{answer_line}\n{echo}", passages) == answer_line
    c = make_container([f"{answer_line}\n{echo}"])
    c.ingestor.ingest_paths([corpus])
    c.chain.retriever.max_dense_gap = None
    answer = c.chain.answer(question)
    assert not answer.abstained and {x.doc_id for x in answer.citations} == {"plan-eau"}
    assert "grève" not in answer.text and not any("grève" in x.text for x in answer.sentences)
    # A line starting with a citation and the answer's own words stays, even when they begin as a title does.
    for line in ("[1] Les premières rénovations commenceront le 1er juin 2025.",
                 "[1] Lancement du plan national pour l'eau potable : 300 postes de techniciens."):
        assert without_echo(f"{answer_line}\n{line}", passages) == f"{answer_line}\n{line}"


def _scripted(make_container, folder, responses: list[str]):
    """A container whose model answers ``responses`` in turn, with ``folder`` ingested."""
    c = make_container(responses)
    c.ingestor.ingest_paths([folder])
    return c


def test_a_claim_about_the_questions_people_needs_a_passage_naming_one_of_them(make_container, corpus):
    # The plan release gives the figure, but names neither Paul Ardenne nor Lormes, both of the question.
    said = "Le ministre Paul Ardenne a présenté à Lormes le plan national pour l'eau potable, doté de 2,4 milliards"
    c = _scripted(make_container, corpus, [f"{said} d'euros.", f"{said.replace(' à Lormes', '')} d'euros."])
    c.chain.model_answer.cited_answer_similarity = float("inf")  # (the cited release's own sentence instead: its own test)
    answer = c.chain.answer("Qu'a présenté le ministre Paul Ardenne à Lormes ?")
    assert answer.abstained and answer.sentences[0].reason == "names not in the source: ardenn, lorme, paul"
    # One name alone may be a person the release calls by the office ("le ministre"): not checked.
    assert not c.chain.answer("Qu'a présenté le ministre Paul Ardenne ?").abstained
    # The release naming one of them supports the same claim.
    c = _scripted(make_container, corpus, ["Hélène Marchetti-Brissac a présenté à Lormes le plan national pour l'eau "
                                           "potable, doté de 2,4 milliards d'euros [1]."])
    assert not c.chain.answer("Qu'a présenté la ministre Hélène Marchetti-Brissac à Lormes ?").abstained


def test_a_name_a_release_writes_otherwise_is_still_the_questions_person(make_container, tmp_path):
    # One release writes "Baptiste Lorvellec", the machine-translated one "Batist Lorfelek": the medal is in the
    # latter only, and a claim about "Baptiste Lorvellec" is supported by it.
    folder = _release(tmp_path, "feux", "Le ministre de l'Intérieur, M. Baptiste Lorvellec, s'est rendu sur place.")
    (folder / "merci.md").write_text(
        "---\ntitle: Retour des equipes\nissuer: Ministere de l'Interieur\ndate: 2025-08-26\nlang: fr\n---\n"
        "Le ministre Batist Lorfelek a annonce la medaille de la Securite civile pour l'equipe venue combattre "
        "l'incendie.\n", encoding="utf-8")
    c = _scripted(make_container, folder, ["Le ministre Baptiste Lorvellec a annoncé la médaille de la Sécurité "
                                           "civile pour l'équipe venue combattre l'incendie."])
    answer = c.chain.answer("Quelle distinction le ministre Baptiste Lorvellec a-t-il annoncée pour l'équipe venue "
                            "combattre l'incendie ?")
    assert not answer.abstained and answer.citations[0].title == "Retour des equipes"


def test_a_date_only_the_releases_title_or_day_gives_needs_a_claim_close_to_the_release(make_container, corpus):
    # The plan release was published on 12 March 2025; its text never writes the date.
    c = _scripted(make_container, corpus, ["Le plan a été présenté le 12 mars 2025 [1]."] * 2 +
                  ["Les premières rénovations commenceront le 1er juin 2025 [1]."])
    question = "Quand le plan national pour l'eau potable a-t-il été présenté ?"
    c.chain.verifier.embedder = c.embeddings  # (similarities are measured with an embedder only)
    c.chain.verifier.min_similarity_dated_by_release = 0.0
    assert not c.chain.answer(question).abstained
    c.chain.verifier.min_similarity_dated_by_release = float("inf")  # no claim is close enough
    c.chain.model_answer.cited_answer_similarity = c.chain.model_answer.left_out_similarity = float("inf")
    answer = c.chain.answer(question)
    assert answer.abstained and answer.sentences[0].reason.startswith(DATED_BY_RELEASE)
    # A date the passage's own text writes needs no such closeness.
    assert not c.chain.answer("Quand commenceront les premières rénovations du plan ?").abstained


def test_a_sentence_adding_only_a_date_does_not_answer_where_or_what(make_container, corpus):
    said = "La ministre a présenté le plan national pour l'eau potable le 12 mars 2025 [1]."
    c = _scripted(make_container, corpus, [said] * 3)
    c.chain.model_answer.cited_answer_similarity = float("inf")  # (the cited release's own sentence instead: its own test)
    answer = c.chain.answer("Où la ministre a-t-elle présenté le plan national pour l'eau potable ?")
    assert answer.abstained and answer.sentences[0].reason == "restates the question without answering it"
    # A question asking when is answered by it.
    assert c.chain.answer("Quand la ministre a-t-elle présenté le plan national pour l'eau potable ?").text == said
    # ... and so are one asking the day in other words, and one asking which plan, when the date names it.
    assert c.chain.answer("Quel jour la ministre a-t-elle présenté le plan national pour l'eau potable ?").text == said
    c = _scripted(make_container, corpus, ["La ministre a présenté le plan du 12 mars 2025 [1]."])
    c.chain.model_answer.cited_answer_similarity = float("inf")
    assert c.chain.answer("Quel plan la ministre a-t-elle présenté ?").text.startswith(
        "La ministre a présenté le plan du 12 mars 2025 [1].")
    # A figure beside the date is an answer.
    c = _scripted(make_container, corpus, ["Les 300 postes de techniciens seront créés à partir du 1er juin 2025 [1]."])
    c.chain.model_answer.cited_answer_similarity = float("inf")
    assert c.chain.answer("Combien de postes de techniciens le plan crée-t-il ?").sentences[0].reason != \
        "restates the question without answering it"


def test_an_unsupported_answer_to_what_was_said_that_day_gives_way_to_that_days_release(make_container, corpus):
    # "Qu'a dit Emmanuel Macron à Nikol Pachinian lors de leur entretien du 12 novembre 2020 ?": no one sentence is
    # close to the question, but the release of that day is what was said.
    invented = "Le ministère a annoncé la fin de la grève des taxis."
    c = _scripted(make_container, corpus, [invented] * 3)
    c.chain.model_answer.cited_answer_similarity = float("inf")  # no sentence answers the question closely
    answer = c.chain.answer("Qu'a annoncé le ministère sur l'accord de sortie de grève le 3 décembre 2024 ?")
    assert not answer.abstained and "hausse des salaires de 4,5 %" in answer.text
    assert {c.doc_id for c in answer.citations} == {"greve"} and "releases it cited" in answer.sentences[0].reason
    # Without the day, or without a question asking what was said, it is refused.
    assert c.chain.answer("Qu'a annoncé le ministère sur l'accord de sortie de grève ?").abstained
    assert c.chain.answer("Quel ministère a annoncé l'accord de sortie de grève le 3 décembre 2024 ?").abstained


def test_a_sentence_given_instead_of_an_unsupported_answer_names_what_the_question_asks_for(make_container, corpus):
    # "Quels exercices militaires le Maroc doit-il accueillir… ?": the cited fact sheet's closest sentence ("Blinken se
    # rendra à Rabat…") names no exercise; a refusal says so rather than answering something else.
    invented = "Les syndicats et la direction ont signé un accord en 1998 [1]."
    c = _scripted(make_container, corpus, [invented] * 3)
    asked = "les syndicats et la direction des chemins de fer ont-ils signé après onze jours de grève ?"
    answer = c.chain.answer(f"Quel accord {asked}")
    assert not answer.abstained and "releases it cited" in answer.sentences[-1].reason
    assert answer.text.startswith("Après onze jours de grève, les syndicats et la direction des chemins de fer ont "
                                  "signé un accord")
    assert c.chain.answer(f"Quels exercices {asked}").abstained
    # A noun naming a kind of answer ("quelle année", "quel montant") need not be written.
    from assistant.question_kinds import names_the_asked

    assert names_the_asked("Emir du Koweït à partir de 2006.", "Depuis quelle année Cheikh Sabah était-il émir ?")
    assert names_the_asked("Jean-Yves Le Drian s'est rendu à Rabat.", "Quel ministre s'est rendu à Rabat ?")
    assert not names_the_asked("Blinken se rendra à Rabat du 28 au 30 mars.", "Which exercises will Morocco host?")
    # The noun after an adjective; no noun in "quelles furent…", "what happened…" or a relative "which".
    assert names_the_asked("Le pays a signé trois accords.", "Quels nouveaux accords le pays a-t-il signés ?")
    assert not names_the_asked("Le pays a signé trois traités.", "Quels nouveaux accords le pays a-t-il signés ?")
    for part in ("Quelles furent les mesures ?", "What happened after the strike?",
                 "When was the plan, which targets emissions, signed?"):
        assert names_the_asked("Elles portent sur le rail.", part)


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
