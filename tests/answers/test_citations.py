"""Citations: kept with their quote, replaced, added or moved to the passage that supports the claim; what is no claim."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.verify import Verifier
from assistant.verify_reasons import VerifyReason
from .releases import Q

pytestmark = pytest.mark.unit


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


def test_an_uncited_supported_sentence_gets_its_citation(make_container, corpus):
    c = make_container(["Les syndicats ont obtenu une hausse des salaires de 4,5 %."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quelle hausse des salaires prévoit l'accord de sortie de grève ?")
    assert not answer.abstained and answer.text.endswith("[1].")
    assert answer.citations[0].doc_id == "greve"


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


def test_a_claim_two_releases_support_cites_the_one_the_answer_already_cites():
    from assistant.verify import _fewer_sources
    from core.types import Chunk, Passage, Sentence

    passages = tuple(Passage(chunk=Chunk(chunk_id=f"{d}#0", doc_id=d, index=0, text="x"), text="x", full_text="x",
                             score=1.0) for d in ("accord", "commission", "autre"))
    first = Sentence("42 navires peuvent pêcher.", (1,), True)
    second = Sentence("Les captures sont plafonnées à 18 000 tonnes.", (2,), True)
    third = Sentence("Une autre chose.", (3,), True)
    supporters = {first.text: [0], second.text: [0, 1], third.text: [2]}
    out = _fewer_sources([first, second, third], supporters, passages, "fr")
    assert out[0] == first and out[1].citations == (1,) and out[1].code == VerifyReason.CITATION_TO_CITED_RELEASE
    assert out[2] == third  # only its own release supports it: it keeps its citation
    assert _fewer_sources([second, first], supporters, passages, "fr")[0] == second  # the first sentence never moves


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


def test_a_full_stop_glued_to_the_next_sentence_still_ends_it():
    from textkit.sentences import split_sentences

    assert split_sentences("Le traitement est porté à 1 750,86 euros au 1er mai 2023.En raison de la hausse, le SMIC "
                           "est relevé de 2,19 %.") == ["Le traitement est porté à 1 750,86 euros au 1er mai 2023.",
                                                        "En raison de la hausse, le SMIC est relevé de 2,19 %."]
    assert split_sentences("Les projets de prévention des risques naturels sont plus longs.4- Le déploiement du "
                           "fonds vert doit se poursuivre.")[1] == "4- Le déploiement du fonds vert doit se poursuivre."
    # An elided word, "A"/"À" and an interview's "Q -" / "R -" start a sentence as a capitalised word does.
    assert split_sentences("Chaque DR délivre le nombre maximal de titres chaque année.L'État a porté la dotation à "
                           "72 millions d'euros.") == ["Chaque DR délivre le nombre maximal de titres chaque année.",
                                                       "L'État a porté la dotation à 72 millions d'euros."]
    assert split_sentences("Ils seront déployés dans des pays partenaires.A l'échelle du continent, il s'agit de "
                           "financer des routes.")[1].startswith("A l'échelle")
    assert split_sentences("En attendant que sur place la situation s'arrange.Q - Est-ce que l'opération est "
                           "terminée ?")[1] == "Q - Est-ce que l'opération est terminée ?"
    # Abbreviations, initials and decimals stay whole.
    assert split_sentences("Le président a reçu M.Dupont et le représentant des U.S.A hier, pour 1.8 milliard.") == [
        "Le président a reçu M.Dupont et le représentant des U.S.A hier, pour 1.8 milliard."]
