"""The source's sentence given beside or instead of the model's: another figure, more names, a closer fact, an unsupported answer."""

from __future__ import annotations

import pytest

from assistant.verify_reasons import VerifyReason
from .releases import release, scripted

pytestmark = pytest.mark.unit


def test_a_figure_other_than_the_sources_answer_brings_the_sources_sentence(make_container, corpus):
    # 35 is in the release (35 schools), but the sentence that answers the question gives 42 cases.
    c = make_container(["The Ministry of Health reports 35 confirmed measles cases [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("How many measles cases were confirmed in the northern provinces?")
    assert answer.text == ("The Ministry of Health reports 35 confirmed measles cases [1]. The Ministry of Health "
                           "reports 42 confirmed measles cases in the northern provinces [1].")
    assert answer.sentences[1].code == VerifyReason.OTHER_FIGURE
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
    assert answer.sentences[-1].code == VerifyReason.OTHER_FIGURE


def test_a_part_counting_something_gets_the_sources_figure_of_that_thing(make_container, tmp_path):
    # "combien de titres" is not answered by "1 100 dispositifs": the sentence giving a figure of titles is given too.
    titles = "En 2022, le plan exceptionnel a permis de délivrer 12,1 millions de titres d'identité."
    folder = release(tmp_path, "titres", "En 2022, le plan exceptionnel a réduit les délais de délivrance de 77 à "
                      "50 jours.", titles, "En 2022, 1 100 dispositifs de recueil ont été ajoutés.")
    question = ("De combien le plan exceptionnel a-t-il réduit les délais de délivrance en 2022, et combien de titres "
                "d'identité ont été délivrés en 2022 ?")
    said = ("Le plan exceptionnel a réduit les délais de délivrance à 50 jours en 2022 [1]. En 2022, 1 100 "
            "dispositifs de recueil de titres d'identité ont été délivrés [1].")
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer(question)
    assert answer.text == f"{said} {titles[:-1]} [1]."
    assert answer.sentences[-1].code == VerifyReason.OTHER_FIGURE
    # An answer giving the number of titles gets nothing.
    said = ("Le plan exceptionnel a réduit les délais de délivrance à 50 jours en 2022 [1]. En 2022, 12,1 millions "
            "de titres d'identité ont été délivrés [1].")
    c = make_container([said])
    c.ingestor.ingest_paths([folder])
    c.chain.model_answer.closest_similarity = float("inf")  # (the cited sentence closest to the question: its own test)
    assert c.chain.answer(question).text == said


def test_an_answer_the_release_it_cites_does_not_support_gives_way_to_that_releases_sentence(make_container,
                                                                                               tmp_path):
    # The model found the release and then invented a year: the release's sentence answering the question, with a
    # name the question lacks, is given instead of a refusal.
    nawaf = ("La France souhaite à Son Altesse Cheikh Nawaf Al Ahmad une pleine réussite dans ses nouvelles "
             "fonctions d'émir du Koweït.")
    folder = release(tmp_path, "koweit", "La France a appris avec tristesse le décès de l'émir du Koweït.", nawaf)
    question = "À qui la France souhaite-t-elle une pleine réussite dans ses nouvelles fonctions d'émir du Koweït ?"
    c = make_container(["La France souhaite une pleine réussite au nouvel émir du Koweït depuis 1962 [1]."])
    c.ingestor.ingest_paths([folder])
    answer = c.chain.answer(question)
    assert not answer.abstained and answer.text == f"{nawaf[:-1]} [1]."
    assert answer.sentences[0].code == VerifyReason.FROM_CITED
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
    assert answer.sentences[-1].code == VerifyReason.LISTED
    c.chain.model_answer.closest_similarity = float("inf")  # (the cited sentence closest to the question: its own test)
    assert c.chain.answer("Où les demandes au fonds vert progressent-elles surtout ?").text == said


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
    assert answer.text == f"{said} {source}" and answer.sentences[-1].code == VerifyReason.CLOSEST
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


def test_an_invented_figure_gives_way_to_the_sources_sentence_when_it_answers_closely(make_container, corpus):
    c = make_container(["Le plan prévoit 500 postes de techniciens dans les régions du Sud [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Combien de postes de techniciens le plan prévoit-il dans les régions du Sud ?")
    assert not answer.abstained
    assert answer.text.startswith("Le plan prévoit la rénovation de 1 250 kilomètres de canalisations et la création "
                                  "de 300 postes de techniciens dans les régions du Sud [1].")
    assert [s.supported for s in answer.sentences] == [False, True]
    assert answer.sentences[1].code == VerifyReason.SOURCE_ANSWER


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
    assert answer.sentences[0].code == VerifyReason.OVERRULED
    c.chain.model_answer.source_answer_similarity = float("inf")
    assert c.chain.answer("Quel accord ont signé les syndicats et la direction des chemins de fer après onze "
                          "jours de grève ?").abstained


def test_a_source_sentence_saying_what_the_answer_says_is_not_added():
    from assistant.completion import Asked, Pick, Scoring, source_sentence
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
    pick = lambda novel: source_sentence(Asked("", "Qu'a annoncé le ministre ?", "fr", said, about="bilan du feu"),
                                         passages, Scoring(lambda t: 1.0, Vectors(), context_weight=0),
                                         Pick(0.2, novel_to=novel))[0]
    assert pick(()) == "Le feu est désormais fixé."
    assert pick((said,)) == "Le feu a parcouru 3 150 hectares."


def test_an_unsupported_answer_to_what_was_said_that_day_gives_way_to_that_days_release(make_container, corpus):
    # "Qu'a dit Emmanuel Macron à Nikol Pachinian lors de leur entretien du 12 novembre 2020 ?": no one sentence is
    # close to the question, but the release of that day is what was said.
    invented = "Le ministère a annoncé la fin de la grève des taxis."
    c = scripted(make_container, corpus, [invented] * 3)
    c.chain.model_answer.cited_answer_similarity = float("inf")  # no sentence answers the question closely
    answer = c.chain.answer("Qu'a annoncé le ministère sur l'accord de sortie de grève le 3 décembre 2024 ?")
    assert not answer.abstained and "hausse des salaires de 4,5 %" in answer.text
    assert {c.doc_id for c in answer.citations} == {"greve"} and answer.sentences[0].code == VerifyReason.FROM_CITED
    # Without the day, or without a question asking what was said, it is refused.
    assert c.chain.answer("Qu'a annoncé le ministère sur l'accord de sortie de grève ?").abstained
    assert c.chain.answer("Quel ministère a annoncé l'accord de sortie de grève le 3 décembre 2024 ?").abstained


def test_a_sentence_given_instead_of_an_unsupported_answer_names_what_the_question_asks_for(make_container, corpus):
    # "Quels exercices militaires le Maroc doit-il accueillir… ?": the cited fact sheet's closest sentence ("Blinken se
    # rendra à Rabat…") names no exercise; a refusal says so rather than answering something else.
    invented = "Les syndicats et la direction ont signé un accord en 1998 [1]."
    c = scripted(make_container, corpus, [invented] * 3)
    asked = "les syndicats et la direction des chemins de fer ont-ils signé après onze jours de grève ?"
    answer = c.chain.answer(f"Quel accord {asked}")
    assert not answer.abstained and answer.sentences[-1].code == VerifyReason.FROM_CITED
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
