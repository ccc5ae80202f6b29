"""Names: a claim's names must be written by its source; a misspelt name is read as the sources write it."""

from __future__ import annotations

import pytest

from assistant.verify import Verifier
from assistant.verify_reasons import VerifyReason
from .releases import Q, release, scripted

pytestmark = pytest.mark.unit


def test_a_name_the_source_does_not_write_is_removed(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]. Le plan national pour l'eau potable a été "
                        "présenté par la ministre Anne Roche [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    assert answer.text.startswith("Le plan crée 300 postes de techniciens [1].") and "Roche" not in answer.text
    [flagged] = [s for s in answer.sentences if not s.supported]
    assert flagged.code == VerifyReason.NAMES_ABSENT and flagged.reason.endswith("anne, roche")
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
    flagged = answer.sentences[0]
    assert answer.abstained and flagged.code == VerifyReason.NAMES_ABSENT and flagged.reason.endswith("pnrh")


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


def test_a_claim_about_the_questions_people_needs_a_passage_naming_one_of_them(make_container, corpus):
    # The plan release gives the figure, but names neither Paul Ardenne nor Lormes, both of the question.
    said = "Le ministre Paul Ardenne a présenté à Lormes le plan national pour l'eau potable, doté de 2,4 milliards"
    c = scripted(make_container, corpus, [f"{said} d'euros.", f"{said.replace(' à Lormes', '')} d'euros."])
    c.chain.model_answer.cited_answer_similarity = float("inf")  # (the cited release's own sentence instead: its own test)
    answer = c.chain.answer("Qu'a présenté le ministre Paul Ardenne à Lormes ?")
    assert answer.abstained and answer.sentences[0].code == VerifyReason.NAMES_ABSENT \
        and answer.sentences[0].reason.endswith("ardenn, lorme, paul")
    # One name alone may be a person the release calls by the office ("le ministre"): not checked.
    assert not c.chain.answer("Qu'a présenté le ministre Paul Ardenne ?").abstained
    # The release naming one of them supports the same claim.
    c = scripted(make_container, corpus, ["Hélène Marchetti-Brissac a présenté à Lormes le plan national pour l'eau "
                                           "potable, doté de 2,4 milliards d'euros [1]."])
    assert not c.chain.answer("Qu'a présenté la ministre Hélène Marchetti-Brissac à Lormes ?").abstained


def test_a_name_a_release_writes_otherwise_is_still_the_questions_person(make_container, tmp_path):
    # One release writes "Baptiste Lorvellec", the machine-translated one "Batist Lorfelek": the medal is in the
    # latter only, and a claim about "Baptiste Lorvellec" is supported by it.
    folder = release(tmp_path, "feux", "Le ministre de l'Intérieur, M. Baptiste Lorvellec, s'est rendu sur place.")
    (folder / "merci.md").write_text(
        "---\ntitle: Retour des equipes\nissuer: Ministere de l'Interieur\ndate: 2025-08-26\nlang: fr\n---\n"
        "Le ministre Batist Lorfelek a annonce la medaille de la Securite civile pour l'equipe venue combattre "
        "l'incendie.\n", encoding="utf-8")
    c = scripted(make_container, folder, ["Le ministre Baptiste Lorvellec a annoncé la médaille de la Sécurité "
                                           "civile pour l'équipe venue combattre l'incendie."])
    answer = c.chain.answer("Quelle distinction le ministre Baptiste Lorvellec a-t-il annoncée pour l'équipe venue "
                            "combattre l'incendie ?")
    assert not answer.abstained and answer.citations[0].title == "Retour des equipes"
