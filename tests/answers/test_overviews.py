"""Overview questions: the sentences with facts of the releases the answer cites."""

from __future__ import annotations

import pytest

from assistant.verify_reasons import VerifyReason

pytestmark = pytest.mark.unit


def test_an_overview_question_gets_the_sources_sentences_with_facts(make_container, corpus):
    c = make_container(["Les syndicats et la direction des chemins de fer ont signé un accord [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Qu'a annoncé le ministère des Transports sur l'accord de sortie de grève dans le rail ?")
    assert "ont signé un accord prévoyant une hausse des salaires de 4,5 % [1]." in answer.text
    assert [s.code == VerifyReason.OVERVIEW for s in answer.sentences][:2] == [False, True]
    # A question asking for one fact gets no overview.
    c.chain.model_answer.closest_similarity = float("inf")  # (the cited sentence closest to the question: its own test)
    assert "4,5" not in c.chain.answer("Quel accord de sortie de grève dans le rail a été signé ?").text
    from assistant.question_kinds import asks_overview

    assert asks_overview("Qu'a signé la ministre lors de sa visite ?") and asks_overview("What did Valmont sign in May?")
    assert asks_overview("ماذا وقعت الوزيرة خلال زيارتها؟") and not asks_overview("Qui a signé l'accord ?")
    assert asks_overview("Qu'ont demandé les trois ministres dans leur déclaration ?")  # the plural too
    # What a release welcomes or condemns is said in several sentences too.
    assert asks_overview("Qu'a salué le président de la République dans son communiqué du 17 octobre 2020 ?")
    assert asks_overview("What did the ministry welcome on 3 December?") and asks_overview("ماذا أدانت الوزارة؟")
    # What two people talked about is said in several sentences as well.
    assert asks_overview("De quoi Emmanuel Macron et le président algérien ont-ils parlé lors de leur entretien ?")
    assert asks_overview("What did the two ministers discuss on 3 May?")
    assert not asks_overview("De quoi le plan est-il composé ?")


def test_an_overview_adds_sentences_of_the_releases_the_answer_cites_only(indexed):
    from assistant.completion import Asked, Pick, Scoring, source_sentence

    question = "Qu'a annoncé le ministère sur les salaires et sur les postes de techniciens ?"
    passages = indexed.retriever.retrieve(question).passages
    assert {p.chunk.doc_id for p in passages} >= {"greve", "plan-eau"}
    idf = indexed.retriever.keyword.idf
    asked, scoring = Asked(question, question, "fr"), Scoring(idf)
    anywhere = source_sentence(asked, passages, scoring, Pick(min_score=0.0))
    only_greve = source_sentence(asked, passages, scoring, Pick(min_score=0.0, docs={"greve"}))
    only_plan = source_sentence(asked, passages, scoring, Pick(min_score=0.0, docs={"plan-eau"}))
    assert anywhere in (only_greve, only_plan) and only_greve != only_plan
    assert passages[only_greve[1] - 1].chunk.doc_id == "greve" and passages[only_plan[1] - 1].chunk.doc_id == "plan-eau"


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
    assert [s.code for s in answer.sentences][-1] == VerifyReason.OVERVIEW


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
