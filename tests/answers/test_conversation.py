"""A conversation: streamed events in order, follow-ups made standalone, questions logged only when configured."""

from __future__ import annotations

import pytest

from core.types import AnswerEvent, SourcesEvent, TokenEvent
from .releases import Q

pytestmark = pytest.mark.unit


def standalone(make_container, corpus, history: list[dict], rewrite: str, question: str) -> str:
    """The standalone question the chain asks when the scripted model rewrites ``question`` as ``rewrite``."""
    c = make_container([rewrite, "NOT_FOUND"])
    c.ingestor.ingest_paths([corpus])
    return c.chain.answer(question, history).standalone_question


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
    assert standalone(make_container, corpus, history, "Qu'a salué Paul Ardenne dans le plan ?",
                      "Et Paul Ardenne, qu'a-t-il salué ?") == "Qu'a salué Paul Ardenne dans le plan ?"
    # The names are given as the question writes them.
    history = [{"role": "user", "content": "Quels accords Jean-Yves Le Drian a-t-il signés à Tunis ?"},
               {"role": "assistant", "content": "Un accord-cadre de 350 millions d'euros et une coopération dans le "
                                                 "domaine du traitement des eaux [1]."}]
    assert standalone(make_container, corpus, history, "Quels montants pour le traitement des eaux ?",
                      "Et pour le traitement des eaux, quels montants ?") == \
        "Quels montants pour le traitement des eaux ? (Jean-Yves Le Drian, Tunis)"


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


def test_a_follow_up_the_model_gives_back_unchanged_gets_the_previous_question(make_container, corpus):
    # "Émir depuis quand ?" shares a word with the conversation, but the model wrote nothing: still not standalone.
    history = [{"role": "user", "content": "De quel décès parle le communiqué du 30 septembre ?"},
               {"role": "assistant", "content": "De celui de l'émir de Valmont [1]."}]
    assert standalone(make_container, corpus, history, "Émir depuis quand ?", "Émir depuis quand ?") == \
        "Émir depuis quand ? (De quel décès parle le communiqué du 30 septembre ?)"
    assert standalone(make_container, corpus, history, "émir depuis quand?", "Émir depuis quand ?") == \
        "Émir depuis quand ? (De quel décès parle le communiqué du 30 septembre ?)"  # its words unchanged


def test_a_rewrite_giving_back_the_previous_question_is_not_taken_as_the_follow_up(make_container, corpus):
    # "Et de quoi ont-ils parlé ?" rewritten as the question it follows: the follow-up's own ask would be lost and the
    # previous question answered again.
    history = [{"role": "user", "content": "Quand le plan national pour l'eau potable a-t-il été présenté ?"},
               {"role": "assistant", "content": "Le 3 mars 2025 [1]."}]
    asked = standalone(make_container, corpus, history, "Quand le plan national pour l'eau potable a-t-il été "
                       "présenté ?", "Et combien de postes crée-t-il ?")
    assert asked.startswith("Et combien de postes crée-t-il ? (") and "plan national pour l'eau potable" in asked
    # A rewrite asking the follow-up is taken as it is, even when only its question word tells it from the previous
    # question ("où" for "quand").
    assert standalone(make_container, corpus, history, "Combien de postes le plan national pour l'eau potable "
                      "crée-t-il ?", "Et combien de postes crée-t-il ?") == \
        "Combien de postes le plan national pour l'eau potable crée-t-il ?"
    assert standalone(make_container, corpus, history, "Où le plan national pour l'eau potable a-t-il été présenté ?",
                      "Et où ?") == "Où le plan national pour l'eau potable a-t-il été présenté ?"


def test_a_rewrite_that_answers_or_copies_citation_marks_is_not_taken_as_the_question(make_container, corpus):
    # The small model sometimes answers the follow-up (with a date of its own) instead of rewriting it, or copies the
    # previous answer's citation marks into its question.
    history = [{"role": "user", "content": "Qui a présenté le plan national pour l'eau potable ?"},
               {"role": "assistant", "content": "La ministre de la Transition hydrique [1]."}]
    asked = standalone(make_container, corpus, history, "Les travaux du plan commencent le 3 mars 2026.",
                       "Et les travaux, ils commencent quand ?")
    assert asked.startswith("Et les travaux, ils commencent quand ? (") and "plan national" in asked
    assert "3 mars" not in asked
    assert standalone(make_container, corpus, history, "Quand commencent les travaux du plan national [1] ?",
                      "Et les travaux, ils commencent quand ?") == "Quand commencent les travaux du plan national ?"


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


def test_a_rewrite_dropping_what_the_follow_up_asks_is_not_taken(make_container, corpus):
    # "If so, where and when?" dropped by the rewrite: the place and the date asked would never be looked for.
    history = [{"role": "user", "content": "Qui la ministre Hélène Marchetti-Brissac a-t-elle reçu à Valcourt ?"},
               {"role": "assistant", "content": "Les maires de la vallée [1]."}]
    asked = standalone(make_container, corpus, history, "La ministre reverra-t-elle les maires de la vallée ?",
                       "Se reverront-ils ? Si oui, où et quand ?")
    assert asked.startswith("Se reverront-ils ? Si oui, où et quand ? (")
    # A rewrite asking the same in other words is taken ("à combien s'élève" asks a figure, "quel montant" too).
    assert standalone(make_container, corpus, history, "Quel montant la ministre a-t-elle promis aux maires de la "
                      "vallée ?", "Et à combien s'élève l'aide promise ?").startswith(
        "Quel montant la ministre a-t-elle promis aux maires de la vallée ? (")  # (the names asked about after it)


def test_a_rewrite_copying_the_previous_answer_before_its_question_is_not_taken(make_container, corpus):
    history = [{"role": "user", "content": "Qu'a dit Hélène Marchetti-Brissac de la dette des communes ?"},
               {"role": "assistant", "content": "Elle a obtenu un moratoire sur leurs remboursements [1]."}]
    asked = standalone(make_container, corpus, history, "Elle a obtenu un moratoire sur les remboursements des "
                       "communes. Faut-il le prolonger selon Hélène Marchetti-Brissac ?", "Faut-il le prolonger ?")
    assert asked.startswith("Faut-il le prolonger ? (") and "moratoire" not in asked
    # A title's full stop ("M. Valmont") is no statement.
    assert standalone(make_container, corpus, history, "Faut-il prolonger le moratoire de M. Valmont ?",
                      "Faut-il le prolonger ?") == "Faut-il prolonger le moratoire de M. Valmont ?"


def test_what_the_review_found_the_rewrite_checks_took_or_missed():
    from assistant.rewrites import REWRITE_FAILS

    def failed(question: str, rewritten: str) -> list[str]:
        return [name for name, fails in REWRITE_FAILS.items() if fails(question, rewritten, "la loi n° 3 de Valcourt")]

    # A single question in other words, a name asked as a name, abbreviations, a sign, an acronym: taken.
    for question, rewritten in (("Comment s'appelle-t-elle ?", "Quel est le nom de la ministre de Valcourt ?"),
                                ("Où ?", "À quel endroit le sommet de Valcourt aura-t-il lieu ?"),
                                ("Et l'article ?", "Que prévoit l'art. 18 de la loi de Valcourt ?"),
                                ("Et le troisième texte ?", "Que dit le texte nº 3 du 1ᵉʳ mars de Valcourt ?"),
                                ("Et J.-Y. Le Drian ?", "J.-Y. Le Drian a-t-il signé à Valcourt ?"),
                                ("Pourquoi ??", "Pourquoi le ministre a-t-il démissionné à Valcourt ?")):
        assert failed(question, rewritten) == [], rewritten
    # An acronym in the Latin script in an Arabic conversation is no drift; Cyrillic is.
    assert not REWRITE_FAILS["rewrite-own-script"]("وكم ستبلغ كلفته؟", "كم ستبلغ كلفة مؤتمر COP28 في فالكور؟",
                                                   "ما هو المؤتمر؟ مؤتمر فالكور")
    assert REWRITE_FAILS["rewrite-own-script"]("وكم ستبلغ كلفته؟", "أсколько ستبلغ كلفة مؤتمر فالكور؟",
                                               "ما هو المؤتمر؟ مؤتمر فالكور")
    # An ask dropped inside one question (the second review): "…et quand ?" rewritten without its date.
    for question, rewritten in (("Qui l'a signé et quand ?", "Qui a signé l'accord de Valcourt ?"),
                                ("من وقعه ومتى؟", "من وقع اتفاق فالكور؟")):
        assert failed(question, rewritten) == ["rewrite-keeps-asks"], rewritten
    assert failed("Comment s'appelle-t-elle ?", "Qui est la ministre de Valcourt ?") == []  # (a name is a person's)
    # A copied answer ending with a date is a statement; a second question dropped with its year is lost.
    assert failed("Et où ?", "Il a été signé le 27 janvier 2021. Et où a-t-il été signé ?") == ["rewrite-is-a-question"]
    assert failed("Et quel traité ont-ils signé ensuite, et en quelle année ?",
                  "Quel traité Valmont et Valcourt ont-ils signé ensuite ?") == ["rewrite-keeps-asks"]


def test_a_rewrite_that_lost_the_follow_ups_own_words_and_an_ask_or_its_language_is_not_taken():
    from assistant.rewrites import REWRITE_FAILS

    check = REWRITE_FAILS["rewrite-keeps-own-words"]
    conversation = "Quel taux d'incidence le préfet de Valcourt annonce-t-il le 3 mars ? 72 cas pour 100 000 [1]."
    follow_up = "Et comment qualifie-t-il la situation générale ? Autour de qui la réunion s'est-elle tenue ?"
    # The previous question given back in other words, one question for two: its words are not the follow-up's.
    assert check(follow_up, "Quel est le taux d'incidence à Valcourt le 3 mars ?", conversation)
    # One question for two, in the follow-up's words for one of them only.
    assert check("Et quel bilan des combats donne-t-il ? Pour qui la crise est-elle grave ?",
                 "Pour qui la crise est-elle grave à Valcourt ?", conversation)
    # Translated: no word of the follow-up's is left, whatever it asks.
    assert check("Qui lui a posé la question ce jour-là ?", "Who asked the prefect of Valcourt on 3 March?",
                 conversation)
    # Both asks kept, with the follow-up's words: taken.
    assert not check(follow_up, "Comment le préfet de Valcourt qualifie-t-il la situation générale ? Autour de qui la "
                                "réunion du 3 mars s'est-elle tenue ?", conversation)
    # One question for one, in its language, in other words ("quelle date" asked "quand"): taken.
    assert not check("À compter de quelle date prend-il ses fonctions ?",
                     "Quand le préfet de Valcourt est-il nommé ?", conversation)
    # A follow-up bringing fewer than two words of its own is read by the other checks.
    assert not check("Et le 4 mars ?", "What was the incidence rate in Valcourt on 4 March?", conversation)
    # Names' accents are no language (the review): an English rewrite of an English follow-up in other words.
    assert not check("From which date will Hélène Vérac start her duties?",
                     "When does Hélène Vérac take office as prefect of Port-Sérac?", conversation)
    # "وكم" ("and how many") is a question word, asked by the rewrite in its own words: two asks kept in one.
    assert not check("وكم عدد الموظفين؟ وكم تبلغ الكلفة؟", "ما عدد الموظفين المعنيين بخطة فالكور وكلفتها؟",
                     "ما خطة فالكور؟")


def test_a_rewrite_in_a_script_nobody_wrote_is_not_taken(make_container, corpus):
    # The small model drifted into Russian in an Arabic rewrite ("أсколько…").
    history = [{"role": "user", "content": "كم عدد الموظفين المعنيين بالإجراء في فالكور؟"},
               {"role": "assistant", "content": "1 200 موظف [1]."}]
    asked = standalone(make_container, corpus, history, "أсколько ستبلغ كلفة هذا الإجراء في فالكور؟",
                       "وكم ستبلغ كلفة هذا الإجراء؟")
    assert asked.startswith("وكم ستبلغ كلفة هذا الإجراء؟ (") and "сколько" not in asked


def test_the_rewrite_checks_are_switched_off_by_name(make_container, corpus):
    history = [{"role": "user", "content": "Qui la ministre Hélène Marchetti-Brissac a-t-elle reçu à Valcourt ?"},
               {"role": "assistant", "content": "Les maires de la vallée [1]."}]
    from assistant.evidence.catalogue import catalogue

    base = make_container()
    off = base.settings.answer.model_copy(update={"disabled_rules": ["rewrite-keeps-asks"]})
    c = make_container(["La ministre reverra-t-elle les maires de la vallée ?", "NOT_FOUND"], answer=off)
    c.ingestor.ingest_paths([corpus])
    assert c.chain.answer("Se reverront-ils ? Si oui, où et quand ?", history).standalone_question.startswith(
        "La ministre reverra-t-elle les maires de la vallée ? (")
    entries = {e["name"]: e for e in catalogue(off)}
    assert entries["rewrite-keeps-asks"]["enabled"] is False and entries["rewrite-own-script"]["enabled"] is True


def test_a_day_is_not_what_a_follow_ups_pronoun_stands_for():
    from assistant.questions import antecedent

    assert antecedent("Et quelles priorités a-t-il rappelées ?",
                      "Pourquoi Paul Ardenne s'est-il rendu à Valcourt le 13 octobre 2025 ?") == ""
    # (the review: "le Premier ministre", "the 27 member states" are no days)
    assert antecedent("Qu'a-t-il annoncé d'autre ?", "Quand le Premier ministre a-t-il présenté le plan ?") == \
        "le Premier ministre"
    assert antecedent("Et qu'a-t-il dit ?",
                      "Pourquoi Paul Ardenne s'est-il rendu à Valcourt le lundi 13 octobre ?") == ""
    assert antecedent("Et quand entre-t-il en vigueur ?", "Quand l'accord de pêche a-t-il été signé le 1er mars ?") == \
        "l'accord de pêche"


def test_a_follow_up_knows_the_release_its_conversation_was_about(make_container, corpus, monkeypatch):
    """conversation-release: the release the conversation's previous question finds first, searched again as the
    user typed it, reaches the evidence-first answer for a follow-up the chain rewrote; not for a question without a
    conversation, one the conversation is not about (a new topic, read as typed), nor when switched off by name."""
    import assistant.chain as chain_module

    c = make_container()
    c.ingestor.ingest_paths([corpus])
    history = [{"role": "user", "content": "Que prévoit le plan national pour l'eau potable ?"},
               {"role": "assistant", "content": "Il prévoit 2,4 milliards d'euros [1]."}]
    follow_up = "Et quand commencent les travaux ?"
    rewritten = c.chain.standalone(follow_up, history)
    assert c.chain.conversation_release(follow_up, rewritten, history) == "plan-eau"
    assert c.chain.conversation_release(follow_up, follow_up, None) is None
    assert c.chain.conversation_release(follow_up, rewritten, []) is None

    seen = []
    decide = chain_module.decide_from_evidence
    monkeypatch.setattr(chain_module, "decide_from_evidence",
                        lambda *a, **k: seen.append(k.get("release")) or decide(*a, **k))
    c.chain.answer(follow_up, history)
    assert rewritten != follow_up and seen == ["plan-eau"]
    c.chain.answer("Combien de cas de rougeole ont été signalés à Valmont en 2024 ?", history)  # a new topic
    c.chain.answer(follow_up)
    assert seen[1:] == [None, None]
    c.chain.answer_settings = c.chain.answer_settings.model_copy(update={"disabled_rules": ["conversation-release"]})
    c.chain.answer(follow_up, history)
    assert seen[3:] == [None]
