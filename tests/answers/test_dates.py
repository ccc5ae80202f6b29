"""Dates: a question naming a date is answered from the releases of that date, and a date is no answer to where or what."""

from __future__ import annotations

import pytest

from assistant.verify import Verifier
from assistant.verify_reasons import VerifyReason
from .releases import scripted

pytestmark = pytest.mark.unit


def test_a_question_naming_a_month_is_answered_from_that_months_releases(make_container, corpus):
    (corpus / "greve-novembre.txt").write_text(
        "Grève dans le rail : ouverture de négociations\nMinistère des Transports et de la Mobilité\n"
        "Valcourt, le 18 novembre 2024\n\nLe projet d'accord présenté aux syndicats prévoit une hausse des salaires de 8 %.\n",
        encoding="utf-8")
    c = make_container(["L'accord prévoit une hausse des salaires de 8 %."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord signé en décembre 2024 ?")
    assert "8 %" not in answer.text and answer.sentences[0].code == VerifyReason.OTHER_DATE
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
    assert not other.sentences[0].supported and other.sentences[0].code == VerifyReason.OTHER_DATE


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


def test_a_date_question_answered_without_a_date_gets_the_sources_dated_sentence(make_container, corpus):
    from assistant.question_kinds import gives_date

    assert not gives_date("L'année scolaire comptera 36 semaines de cours.", "Quand se termine l'année scolaire ?")
    assert gives_date("Les cours finiront le 4 juillet.", "Quand ?") and gives_date("في 12 مارس", "متى؟")
    assert not gives_date("Le 9 avril 2025, le Conseil s'est réuni.", "Que contient le conseil du 9 avril 2025 ?")
    # A year of an earlier century, placed in time by its preposition; not a count of four digits.
    assert gives_date("La caisse de Valcourt est née en 1816.", "De quand date-t-elle ?")
    assert not gives_date("1500 jeunes ont été formés.", "Quand ?")
    # A month without its year answers "quand", not "à quelle date", which asks a day.
    assert gives_date("La conférence de suivi se tiendra en octobre prochain à Valcourt.", "Quand se tiendra-t-elle ?")
    assert not gives_date("La visite est prévue en mai.", "À quelle date la visite est-elle prévue ?")
    assert not gives_date("Le conseil d'octobre a adopté le plan.", "Quand le plan a-t-il été adopté ?")
    # A part of a month is a month placed in time.
    for when in ("à la fin du mois de juillet", "au début du mois d'août", "dans le courant du mois de mars",
                 "au cours du mois de mai", "pendant le mois de juin"):
        assert gives_date(f"Le président l'avait reçu à Valcourt {when}.", "Quand l'avait-il reçu ?"), when
    assert gives_date("Au cours du mois de juillet, il l'a reçu à Valcourt.", "Quand l'a-t-il reçu ?")
    assert not gives_date("La visite est prévue en mai.", "Quelle est la date de la visite ?")
    # "في أي يوم" (on which day) asks a day, as "quel jour" and "which day" do; "متى" (when) does not.
    assert not gives_date("La visite à Valcourt est prévue en mai.", "في أي يوم ستتم الزيارة إلى فالكور؟")
    assert gives_date("La visite à Valcourt est prévue en mai.", "متى ستتم الزيارة إلى فالكور؟")
    # So do "quelles dates", "quelles date" (plural, or misspelt): "en novembre prochain" answers none.
    for asked in ("À quelles dates se tiendra le forum de Valcourt ?", "À quelles date se tiendra le forum ?"):
        assert not gives_date("Le forum de Valcourt se tiendra en novembre prochain.", asked), asked
        assert gives_date("Le forum de Valcourt se tiendra les 11 et 12 novembre.", asked), asked
    assert gives_date("Elle se tiendra au mois de septembre.", "Quand se tiendra-t-elle ?")
    assert gives_date("It opens in October.", "When does it open?")
    assert not gives_date("Applicants in may apply online.", "When will applications open?")
    assert not gives_date("La sonde arrivera en Mars après sept mois.", "Quand la sonde arrivera-t-elle ?")
    assert not gives_date("Le livre a été tiré en 1500 exemplaires.", "Quand le livre a-t-il paru ?")
    # A day of the week placed in time answers "quand", not "à quelle date"; nor does a meeting named by its day.
    assert gives_date("Le cessez-le-feu a été conclu dans la nuit de samedi à dimanche à Valcourt.",
                      "Quand le cessez-le-feu a-t-il été conclu ?")
    assert gives_date("Le président a appelé dès dimanche le maire de Port-Sérac.", "Quand l'a-t-il appelé ?")
    assert gives_date("The ministers met last Friday in Valcourt.", "When did the ministers meet?")
    assert not gives_date("Dès lundi, les écoles de Valcourt rouvriront.", "À quelle date les écoles rouvriront-elles ?")
    assert not gives_date("Le conseil de mercredi a adopté le plan.", "Quand le plan a-t-il été adopté ?")
    assert not gives_date("Le président a appelé dès dimanche le maire.", "Quand, dès dimanche, l'a-t-il appelé ?")
    # A day or a month the question writes in another language is the question's, not a date given: "le 12 septembre
    # 2020" answers nothing of "What did the statement of 12 September 2020 say…?" nor of "…بيان 12 سبتمبر 2020".
    named = "Le ministre de Valcourt a condamné l'attaque le 12 septembre 2020."
    for asked in ("When was the attack, according to the statement of 12 September 2020?",
                  "When was the attack, according to the statement of September 12, 2020?",
                  "متى وقع الهجوم بحسب بيان 12 سبتمبر 2020؟", "متى وقع الهجوم بحسب بيان ١٢ أيلول ٢٠٢٠؟"):
        assert not gives_date(named, asked), asked
    assert gives_date(named, "When was the attack, according to the statement of 13 September 2020?")
    assert not gives_date("Le sommet de Valcourt se tiendra en septembre.", "Will the summit be held in September?")
    assert gives_date("Le sommet de Valcourt se tiendra en septembre.", "Will the summit be held in October?")
    assert not gives_date("Le ministre a parlé le 12 janvier 2020.", "ماذا قال الوزير في بيان 12 كانون الثاني 2020؟")
    # A month the question writes only within a day, or a word that is also a month, is no month it names.
    assert gives_date("La conférence de Valcourt se tiendra en octobre prochain.",
                      "Quand se tiendra la conférence annoncée le 14 octobre 2020 ?")
    assert gives_date("Les travaux de Valcourt commencent en mai.", "When may the works in Valcourt start?")
    assert gives_date("La sonde partira en mars.", "Quand la sonde vers Mars partira-t-elle ?")
    c = make_container(["Les premières rénovations du plan pour l'eau commenceront à Valcourt [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quand commenceront les premières rénovations du plan pour l'eau à Valcourt ?")
    assert not answer.abstained and "1er juin 2025" in answer.text


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
    assert answer.abstained and answer.abstain_reason.split()[0] == VerifyReason.NO_DATE
    answer = c.chain.answer("Combien de cas de rougeole étaient confirmés en Côte-d'Ambre quand le ministère de la "
                            "Santé a déclenché l'alerte ?")
    assert not answer.abstained and "46 cas" in answer.text


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


def test_a_sentence_adding_only_a_date_does_not_answer_where_or_what(make_container, corpus):
    said = "La ministre a présenté le plan national pour l'eau potable le 12 mars 2025 [1]."
    c = scripted(make_container, corpus, [said] * 3)
    c.chain.model_answer.cited_answer_similarity = float("inf")  # (the cited release's own sentence instead: its own test)
    answer = c.chain.answer("Où la ministre a-t-elle présenté le plan national pour l'eau potable ?")
    assert answer.abstained and answer.sentences[0].code == VerifyReason.RESTATES_QUESTION
    # A question asking when is answered by it.
    assert c.chain.answer("Quand la ministre a-t-elle présenté le plan national pour l'eau potable ?").text == said
    # ... and so are one asking the day in other words, and one asking which plan, when the date names it.
    assert c.chain.answer("Quel jour la ministre a-t-elle présenté le plan national pour l'eau potable ?").text == said
    c = scripted(make_container, corpus, ["La ministre a présenté le plan du 12 mars 2025 [1]."])
    c.chain.model_answer.cited_answer_similarity = float("inf")
    assert c.chain.answer("Quel plan la ministre a-t-elle présenté ?").text.startswith(
        "La ministre a présenté le plan du 12 mars 2025 [1].")
    # A figure beside the date is an answer.
    c = scripted(make_container, corpus, ["Les 300 postes de techniciens seront créés à partir du 1er juin 2025 [1]."])
    c.chain.model_answer.cited_answer_similarity = float("inf")
    assert c.chain.answer("Combien de postes de techniciens le plan crée-t-il ?").sentences[0].code != \
        VerifyReason.RESTATES_QUESTION
