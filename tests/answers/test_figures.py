"""Figures: a claim's numbers, units, kinds, years and averages must be the source's."""

from __future__ import annotations

import pytest

from assistant.verify import Verifier
from assistant.verify_reasons import VerifyReason
from textkit.numbers import spelled_numbers
from .releases import Q, scripted

pytestmark = pytest.mark.unit


def test_an_invented_number_is_removed_and_reported(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]. Il coûte 10 milliards d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert "10 milliards" not in answer.text and "300 postes" in answer.text
    flagged = [s for s in answer.sentences if not s.supported]
    assert len(flagged) == 1 and flagged[0].code == VerifyReason.NUMBERS_ABSENT and "10" in flagged[0].reason
    assert "retirée" in answer.text


def test_a_figure_question_answered_without_figure_is_refused(make_container, corpus):
    c = make_container(["Le plan national pour l'eau potable a été présenté par la ministre [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quel est le montant du plan pour l'eau potable ?")
    assert answer.abstained and answer.abstain_reason.split()[0] == VerifyReason.NO_FIGURE


def test_numbers_written_in_words_count_as_numbers():
    assert "300" in spelled_numbers("trois cents postes", "fr")
    assert "42" in spelled_numbers("forty-two cases", "en")
    # A proportion written in words holds its "one": "1/8" or "1 sur 8" is "une femme sur huit".
    assert {"1", "8"} <= spelled_numbers("Une femme sur huit sera amenée à développer ce cancer.", "fr")
    assert "1" in spelled_numbers("One woman in eight will develop it.", "en")
    assert "1" not in spelled_numbers("Une réunion sur place, puis une autre.", "fr")
    # One of a scale is a figure ("à hauteur d'un million d'euros"); a scale alone is not ("12,5 millions" is 12.5).
    assert "1000000" in spelled_numbers("nous avons participé à hauteur d'un million d'euros", "fr")
    assert "1000000000" in spelled_numbers("a billion dollars", "en")
    assert spelled_numbers("12,5 millions de titres", "fr") == {"12.5"}
    # A round figure counts ("une centaine de"), its indefinite plural says many, not how many.
    assert "100" in spelled_numbers("une centaine de gendarmes", "fr")
    assert spelled_numbers("des milliers d'hommes et plusieurs centaines de véhicules", "fr") == set()
    assert spelled_numbers("hundreds of jobs", "en") == set()


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
    assert not flagged.supported and flagged.code
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
    assert removed.text == "le 17 mars" and removed.code == VerifyReason.NUMBERS_ABSENT and "17" in removed.reason


def test_a_figure_with_another_unit_is_not_the_same_fact(make_container, corpus):
    # 4,5 is in the strike release as a percentage, not as an amount of money.
    c = make_container(["L'accord prévoit une hausse des salaires de 4,5 millions d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord de sortie de grève ?")
    flagged = answer.sentences[0]
    assert not flagged.supported and flagged.code == VerifyReason.NUMBERS_ABSENT and "4.5" in flagged.reason
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


def test_a_day_of_a_month_or_a_year_placed_in_time_is_no_figure():
    # "Combien de points de passage ?" is not answered by "l'ouverture au 10 novembre des points de passage".
    from assistant.question_kinds import gives_figure, gives_kind
    from textkit.dates import time_numbers

    for sentence in ("Les points de passage ouvriront au 10 novembre.", "They hailed the anniversary on December 22.",
                     "La réunion aura lieu en 2026 à Valcourt.", "Le plan court sur la période 2024-2028.",
                     "Les 16 et 23 septembre, le conseil s'est réuni.", "Le conseil s'est réuni en novembre 2025."):
        assert not gives_figure(sentence, "fr", "Combien de pays ?"), sentence
        assert not gives_kind(sentence, "count", "fr"), sentence
    # A count written beside a date is still a count, and the month's number of a written date is no number of it.
    assert gives_figure("Le 3 décembre 2025, 12 pays ont signé.", "fr")
    assert gives_figure("December 22, 5,000 troops were deployed.", "en")
    assert gives_figure("2000 soldats seront déployés en 2026.", "fr") and gives_figure("mai 15 000 personnes", "fr")
    assert time_numbers("le 3 décembre 2025") == {"3", "2025"} and time_numbers("le 02/10/2025") == {"02", "10", "2025"}


def test_an_average_or_a_future_date_needs_the_source_to_say_so(make_container, corpus):
    # The strike release gives a 4,5 % rise, never an average; the plan release was published on 12 March 2025,
    # which does not date a future event.
    c = make_container(["La hausse moyenne des salaires est de 4,5 % [1].",
                        "Les rénovations de Lormes commenceront le 12 mars 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle est la hausse moyenne des salaires prévue par l'accord de sortie de grève ?")
    assert answer.abstained and answer.sentences[0].code == VerifyReason.NOT_AS_AVERAGE
    # The model's date goes; the release's sentence dating them is given instead (a part asking a date).
    answer = c.chain.answer("Quand commenceront les rénovations des canalisations du plan pour l'eau ?")
    assert answer.sentences[0].code == VerifyReason.FROM_CITED and "12 mars" not in answer.text
    assert answer.text.startswith("Les premières rénovations commenceront le 1er juin 2025")
    c = make_container(["Le plan a été présenté le 12 mars 2025 [1]."])
    c.ingestor.ingest_paths([corpus])
    assert not c.chain.answer("Quand le plan national pour l'eau potable a-t-il été présenté ?").abstained


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
    assert wrong.sentences[0].code == VerifyReason.OTHER_YEAR and not wrong.sentences[0].supported
    assert "4,3 % du PIB en 2025, serait ramené à 3,9 % en 2026" in wrong.text  # the source's sentence instead
    right = c.chain.answer(question)
    assert not right.abstained and right.sentences[0].supported


def test_the_day_of_a_date_is_not_an_amount():
    # The only 12 near the claim is the day of the title's date: "12 millions d'euros" is not supported by it.
    from core.types import Chunk, Passage

    title = "Déclaration du ministre sur le Haut-Karabagh, au Sénat le 12 novembre 2020"
    text = "L'effort humanitaire que la France veut déployer à l'égard des Arméniens se met en oeuvre."
    chunk = Chunk(chunk_id="d#0", doc_id="d", index=0, text=text, lang="fr", title=title, date="2020-11-12")
    passage = Passage(chunk=chunk, text=text, full_text=text, score=1.0)
    claim = "La France a débloqué une aide humanitaire de 12 millions d'euros pour les Arméniens."
    result = Verifier().verify(claim, (passage,), "fr")
    assert not result.supported and result.sentences[0].code == VerifyReason.NUMBERS_ABSENT \
        and "12" in result.sentences[0].reason
    # The same day, given as a day, is supported.
    assert Verifier().verify("Le ministre s'est exprimé le 12 novembre 2020 sur l'effort humanitaire pour les Arméniens.",
                             (passage,), "fr").supported


def test_a_date_only_the_releases_title_or_day_gives_needs_a_claim_close_to_the_release(make_container, corpus):
    # The plan release was published on 12 March 2025; its text never writes the date.
    c = scripted(make_container, corpus, ["Le plan a été présenté le 12 mars 2025 [1]."] * 2 +
                  ["Les premières rénovations commenceront le 1er juin 2025 [1]."])
    question = "Quand le plan national pour l'eau potable a-t-il été présenté ?"
    c.chain.verifier.embedder = c.embeddings  # (similarities are measured with an embedder only)
    c.chain.verifier.min_similarity_dated_by_release = 0.0
    assert not c.chain.answer(question).abstained
    c.chain.verifier.min_similarity_dated_by_release = float("inf")  # no claim is close enough
    c.chain.model_answer.cited_answer_similarity = c.chain.model_answer.left_out_similarity = float("inf")
    answer = c.chain.answer(question)
    assert answer.abstained and answer.sentences[0].code == VerifyReason.DATED_BY_RELEASE
    # A date the passage's own text writes needs no such closeness.
    assert not c.chain.answer("Quand commenceront les premières rénovations du plan ?").abstained


def test_a_figure_further_on_in_the_release_found_first_answers_when_its_passage_gives_none(make_container, tmp_path):
    """kind-search through the chain: the search gives one passage, about the missile's choice; the count is four
    paragraphs on, read from the rest of that release and cited to its own passage (the gap is the hash embedder's
    scale, see Settings.for_tests)."""
    from dataclasses import replace

    from .releases import release

    filler = ("Les ateliers emploient des techniciens formés sur place, et leurs savoir-faire ont été salués par les "
              "élus de la région lors de la visite du site industriel ce matin. ")
    folder = release(tmp_path, "valtor",
                     "La ministre des armées a retenu le missile Valtor de la société Brévanne pour les fantassins.",
                     *(filler * 2 for _ in range(3)),
                     "La commande de la société Brévanne portera sur 500 premiers missiles Valtor pour les fantassins.")
    c = make_container()
    c.ingestor.ingest_paths([folder])
    search = c.retriever.retrieve
    # (the search finds the choice only, with no figure)
    c.retriever.retrieve = lambda *a, **k: replace(r := search(*a, **k),
                                                   passages=tuple(p for p in r.passages if p.chunk.index == 0))
    question = "Combien de missiles Valtor la société Brévanne fournira-t-elle aux fantassins ?"
    assert len(c.retriever.retrieve(question).passages) == 1
    c.chain.answer_settings = c.chain.answer_settings.model_copy(update={"kind_search_gap": 0.5})
    answer = c.chain.answer(question)
    assert not answer.abstained and "500 premiers missiles" in answer.text
    assert len(answer.passages) == 2 and answer.citations[0].chunk_id == answer.passages[1].chunk.chunk_id
    assert answer.sentences[0].code == "EV109"
    c.chain.answer_settings = c.chain.answer_settings.model_copy(update={"disabled_rules": ["kind-search"]})
    refused = c.chain.answer(question)
    assert refused.abstained and refused.abstain_reason.startswith("EV002")
