"""Parts of a question the model left unanswered, answered with the source's own sentence."""

from __future__ import annotations

import pytest

from assistant.settings import RetrievalSettings
from assistant.verify_reasons import VerifyReason
from .releases import release

pytestmark = pytest.mark.unit


def test_each_part_of_a_two_part_question_can_be_answered_from_its_own_passage(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]. La grève a duré onze jours [2]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Combien de postes de techniciens le plan pour l'eau crée-t-il, et combien de jours "
                            "a duré la grève dans le rail ?")
    assert not answer.abstained
    assert "300 postes" in answer.text and "onze jours" in answer.text


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
    assert answer.sentences[1].code == VerifyReason.LEFT_OUT
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
    from assistant.completion import Asked, Pick, Scoring, source_sentence

    c = make_container(["The plan will create 300 technician posts [1]."] * 2)
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("How many technician posts will the water plan create, and when will the renovations "
                            "start in Valcourt?")
    assert answer.lang == "en" and answer.passages[0].chunk.lang == "fr"
    # The French sentence, quoted as the source writes it, cited like the model's own.
    assert answer.text == ("The plan will create 300 technician posts [1]. “Les premières rénovations commenceront le "
                           "1er juin 2025 à Valcourt” [1].")
    assert answer.sentences[1].code == VerifyReason.LEFT_OUT
    # A release the answer does not cite gives nothing across languages: the rail strike's French sentence stays out.
    question = "How many technician posts will the water plan create, and what wage rise did the rail strike agreement give?"
    answer = c.chain.answer(question)
    assert answer.text == "The plan will create 300 technician posts [1]." and {p.chunk.doc_id for p in answer.passages} >= {"greve"}
    part, idf, embedder = "what wage rise did the rail strike agreement give?", c.retriever.keyword.idf, c.chain.verifier.embedder
    asked, scoring = Asked(part, question, "en"), Scoring(idf, embedder)
    assert source_sentence(asked, answer.passages, scoring, Pick(0.0, docs={"greve"})) is None
    found = source_sentence(asked, answer.passages, scoring, Pick(0.0, docs={"greve"}, other_languages={"greve"}))
    assert found and found[0].startswith("Après onze jours de grève")


def test_a_part_left_out_gets_the_sentence_with_a_figure_the_answer_lacks(make_container, tmp_path):
    # The sentence closest to the part left out repeats what the answer says; the next one holds the figure.
    count = "Les organismes de foncier solidaire agréés sont aujourd'hui cent vingt-neuf."
    folder = release(tmp_path, "brs", "Les organismes de foncier solidaire agréés proposent par le bail réel "
                      "solidaire des prix inférieurs de 30 à 50 % aux prix du marché.", count)
    said = "Le bail réel solidaire propose des prix inférieurs de 30 à 50 % aux prix du marché [1]."
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("De combien les prix du bail réel solidaire sont-ils inférieurs aux prix du marché, et "
                            "combien d'organismes de foncier sont agréés ?")
    assert answer.text == f"{said} {count[:-1]} [1]."
    assert answer.sentences[-1].code == VerifyReason.LEFT_OUT


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
    assert answer.sentences[-1].code == VerifyReason.LEFT_OUT


def test_a_source_sentence_is_read_with_the_sentence_before_it():
    # "Les contrevenants s'exposent à une amende…" alone does not say which ban: read after the ban, it answers.
    from assistant.completion import Asked, Pick, Scoring, source_sentence
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
    pick = lambda weight: source_sentence(Asked(question, question, "fr"), passages,
                                          Scoring(lambda t: 1.0, Vectors(), context_weight=weight), Pick(0.0))[0]
    assert pick(0) == credit
    assert pick(0.5) == fine


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


def test_a_part_left_out_is_not_answered_by_the_sentence_cited_for_another_part(make_container, tmp_path):
    # The model answered how the plan is judged, from the second sentence; the first one names the envoy. The sentence
    # it cites already, with no figure, is closer to the part left out, and says what the answer says: that part
    # gets the envoy's sentence.
    envoy = "Le secrétaire a salué l'envoyé de l'ONU, Staffan de Mistura."
    folder = release(tmp_path, "sahara", envoy, "Lors de sa visite, le secrétaire de l'ONU a évoqué le plan, qu'il "
                      "juge sérieux, crédible et réaliste.")
    said = "Le secrétaire juge le plan sérieux, crédible et réaliste [1]."
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("Quel envoyé de l'ONU le secrétaire a-t-il évoqué lors de sa visite, et comment juge-t-il "
                            "le plan ?")
    assert answer.text == f"{said} {envoy[:-1]} [1]."
    assert answer.sentences[-1].code == VerifyReason.LEFT_OUT


def test_a_part_asking_a_year_gets_the_cited_releases_sentence_giving_one(make_container, tmp_path):
    from assistant.question_kinds import expects_date

    # "Depuis quelle année", "what year", "في أي عام" ask a date, as "quand" does.
    assert expects_date("Depuis quelle année était-il émir du Koweït ?") and expects_date("In what year was it founded?")
    assert expects_date("وفي أي عام وُلد الفيفا في العاصمة الفرنسية؟") and not expects_date("Quelle est la capitale ?")
    # The model invented the year: of the release it cites, the sentence giving one answers that part, at the bar of
    # a part left out, below the bar of a part asking for anything (set out of reach here).
    since = "Cheikh Sabah était émir du Koweït depuis 2006 et a oeuvré pour la paix."
    nawaf = "La France souhaite à Cheikh Nawaf une pleine réussite dans ses nouvelles fonctions."
    folder = release(tmp_path, "koweit", since, nawaf)
    c = make_container(["Cheikh Sabah était émir du Koweït depuis 1962 [1]."])
    c.ingestor.ingest_paths([folder])
    c.chain.model_answer.cited_answer_similarity = float("inf")
    answer = c.chain.answer("Depuis quelle année Cheikh Sabah était-il émir du Koweït ?")
    assert not answer.abstained and answer.text == f"{since[:-1]} [1]."
    assert answer.sentences[0].code == VerifyReason.FROM_CITED


def test_a_figure_in_words_of_a_release_in_another_language_answers_a_part_asking_a_figure(make_container, tmp_path):
    from assistant.completion import Asked, Pick, Scoring, source_sentence

    # An Arabic question, a French release writing its figure in words: the figure is read in French.
    amount = "Un accord-cadre de trois cent cinquante millions d'euros appuie les politiques publiques tunisiennes."
    folder = release(tmp_path, "tunisie", "Le ministre a signé des engagements financiers à Tunis.", amount)
    c = make_container(["NOT_FOUND"])
    c.ingestor.ingest_paths([folder])
    question = "ما قيمة الاتفاق الإطاري لدعم السياسات العمومية التونسية؟"
    passages = c.retriever.retrieve(question).passages
    assert passages and passages[0].chunk.lang == "fr"
    found = source_sentence(Asked(question, question, "ar"), passages, Scoring(c.retriever.keyword.idf),
                            Pick(0.0, other_languages={"tunisie"}))
    assert found and found[0] == amount


def test_a_part_left_out_is_answered_from_the_releases_the_answer_cites_first(make_container, tmp_path):
    # Two releases date the ambassador's return; the answer cites the first one, whose sentence holds fewer of the
    # part's words: its sentence is given, not the other release's.
    said = "La France a rappelé son ambassadeur à Paris pour consultation après les insultes"
    folder = release(tmp_path, "rappel", f"{said}.", "L'ambassadeur rentrera à son poste le 2 novembre 2023.")
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
    folder = release(tmp_path, "soudan", f"La frégate Lorraine a été envoyée à Port-Soudan. {meant} Raja Rabia a "
                      "été formidable. Elle a été calme.")
    said = "La frégate Lorraine a été envoyée à Port-Soudan [1]."
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    question = ("Quelle frégate a été envoyée à Port-Soudan, et comment s'appelle l'ambassadrice qui représente la "
                "France au Soudan ?")
    answer = c.chain.answer(question)
    assert answer.text == f"{said} {meant[:-1]} [1]. Raja Rabia a été formidable [1]."
    assert all(s.code == VerifyReason.LEFT_OUT for s in answer.sentences[1:])
    # A part asking something else gets the closest sentence alone.
    answer = c.chain.answer("Quelle frégate a été envoyée à Port-Soudan, et qui représente la France au Soudan ?")
    assert meant[:-1] in answer.text and "Raja" not in answer.text


def test_a_part_asking_where_is_answered_only_by_a_sentence_naming_a_place(make_container, tmp_path):
    from assistant.question_kinds import asks_place

    assert asks_place("où les co-présidents ont-ils rencontré les ministres ?") and asks_place("Where was it signed?")
    assert asks_place("Dans quelle ville l'accord a-t-il été signé ?") and not asks_place("La ville où il est né ?")
    assert not asks_place("Où en sont les négociations ?") and not asks_place("Where does France stand on it?")
    # A rank is a position in a list, not a place.
    assert not asks_place("Where does France rank among international donors for water?")
    assert not asks_place("Où se classe la France parmi les bailleurs ?")
    assert asks_place("Où se situe le port de Valcourt ?")
    assert asks_place("Où se sont réunis les responsables de haut rang ?")  # (the review: "rang" elsewhere)
    assert not asks_place("Où la France se classe-t-elle ?") and not asks_place("Where is France ranked?")
    assert asks_place("Where did the rank-and-file members meet?")
    # The answer's sentence holds the words of the part asking where, and names no place: the part is left out, and
    # the sentence naming the place is given.
    said = "L'accord a été signé le 3 mai 2023 par la ministre [1]."
    place = "L'accord a été signé à Valmont, en présence des syndicats."
    folder = release(tmp_path, "accord", "L'accord a été signé le 3 mai 2023 par la ministre.", place)
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer("Quand l'accord a-t-il été signé, et où a-t-il été signé ?")
    assert answer.text == f"{said} {place[:-1]} [1]."
    assert answer.sentences[-1].code == VerifyReason.LEFT_OUT


def test_a_part_asking_where_is_not_answered_by_who_acts():
    # The model's answer names who signed ("par le Gouvernement de Norvand"): a body, not where it was signed, so the
    # part asking where is still to answer; a name after a word that places it answers it.
    from assistant.completion import unanswered_parts

    question = "Quand l'accord a-t-il été signé, et où a-t-il été signé ?"
    by_whom = "L'accord a été signé le 3 mai 2023 par le Gouvernement de Norvand."
    assert unanswered_parts(question, [by_whom], lambda term: 1.0, lang="fr") == ["où a-t-il été signé ?"]
    assert unanswered_parts(question, [by_whom.replace("par le", "à Valmont par le")], lambda term: 1.0,
                            lang="fr") == []
