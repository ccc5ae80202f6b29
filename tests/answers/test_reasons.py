"""Why a sentence was removed or given, in the model's mode: a code for programs, a message in the user's language."""

from __future__ import annotations

import pytest

from assistant.verify_reasons import MESSAGES, VerifyReason, message
from .releases import Q

pytestmark = pytest.mark.unit


def test_every_reason_has_a_message_in_each_language():
    for code in VerifyReason:
        assert all(MESSAGES[code].get(lang) for lang in ("fr", "en", "ar")), code
    # A language without a table reads French; the names or figures concerned follow the fixed words.
    assert message(VerifyReason.NUMBERS_ABSENT, "de") == message(VerifyReason.NUMBERS_ABSENT, "fr")
    assert message(VerifyReason.NUMBERS_ABSENT, "en", "10") == "numbers not in the source: 10"


def test_a_french_question_gets_the_reason_of_a_removed_sentence_in_french(make_container, corpus):
    from ui.render import answer_markdown

    c = make_container(["Le plan crée 300 postes de techniciens [1]. Il coûte 10 milliards d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(Q)
    [removed] = [s for s in answer.sentences if not s.supported]
    assert removed.code == VerifyReason.NUMBERS_ABSENT
    assert removed.reason == message(VerifyReason.NUMBERS_ABSENT, "fr", "10") == "nombres absents de la source : 10"
    # The page shows the French reason, not the English one.
    page = answer_markdown(answer, lang="fr")
    assert "nombres absents de la source" in page and "not in the source" not in page


def test_a_refusal_records_its_code_and_an_evaluation_run_counts_it(make_container, corpus, tmp_path):
    import json

    from assistant.evidence.catalogue import fired_in_run
    from core.types import answer_json

    c = make_container(["Le plan national pour l'eau potable a été présenté par la ministre [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer("Quel est le montant du plan pour l'eau potable ?")
    assert answer.abstained and answer.abstain_reason.split()[0] == VerifyReason.NO_FIGURE
    run = tmp_path / "run"
    run.mkdir()
    (run / "results.jsonl").write_text(json.dumps(answer_json(answer)) + "\n", encoding="utf-8")
    assert fired_in_run(run)[VerifyReason.NO_FIGURE] == 1


def test_every_code_has_a_unique_name_and_says_what_it_catches():
    from assistant.verify_reasons import ABOUT

    assert set(ABOUT) == set(VerifyReason)
    names = [name for name, _ in ABOUT.values()]
    assert len(set(names)) == len(names) and all(n == n.lower() and " " not in n for n in names)
    assert all(catches.endswith(".") and len(catches) > 20 for _, catches in ABOUT.values())


def test_the_rules_command_and_the_documentation_list_the_model_modes_codes():
    from typer.testing import CliRunner

    from assistant.cli import app
    from assistant.settings import AnswerSettings
    from assistant.evidence.catalogue import markdown

    out = CliRunner().invoke(app, ["rules"]).stdout
    docs = markdown(AnswerSettings())
    for code, name in ((VerifyReason.NUMBERS_ABSENT, "numbers-absent"), (VerifyReason.LEFT_OUT, "left-out"),
                       (VerifyReason.NO_FIGURE, "no-figure"), (VerifyReason.LOW_RELEVANCE, "low-relevance")):
        line = next(x for x in out.splitlines() if x.startswith(code.value))
        assert name in line and "[fr,en,ar]" in line
        assert f"| {code.value} | `{name}` |" in docs


def test_an_evaluation_run_counts_the_chains_refusals_and_the_sentences_codes(make_container, corpus, tmp_path):
    import json

    from assistant.evidence.catalogue import fired_in_run
    from assistant.settings import RetrievalSettings
    from core.types import answer_json

    c = make_container(["Le plan crée 300 postes de techniciens [1]. Il coûte 10 milliards d'euros [1]."])
    c.ingestor.ingest_paths([corpus])
    answered = c.chain.answer(Q)
    c = make_container(["x"], retrieval=RetrievalSettings(min_dense=0.99))
    c.ingestor.ingest_paths([corpus])
    refused = c.chain.answer("Quelle est la recette de la tarte aux pommes ?")
    run = tmp_path / "run"
    run.mkdir()
    (run / "results.jsonl").write_text("".join(json.dumps(answer_json(a)) + "\n" for a in (answered, refused)),
                                       encoding="utf-8")
    fired = fired_in_run(run)
    assert fired[VerifyReason.LOW_RELEVANCE] == 1 and fired[VerifyReason.NUMBERS_ABSENT] == 1
