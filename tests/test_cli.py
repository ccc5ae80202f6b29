"""The command line that ingest scripts and evaluators build on: summaries, exit codes, JSON shapes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import HASH_ENV

pytestmark = pytest.mark.unit


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNIQUES_DATA_DIR", str(tmp_path / "data"))
    for key, value in HASH_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("COMMUNIQUES_LLM__BACKEND", "fake")
    monkeypatch.setenv("COMMUNIQUES_RETRIEVAL__MIN_DENSE", "0")
    return tmp_path


def run(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_ingest_prints_a_summary_and_is_idempotent(env, corpus):
    first = run("ingest", str(corpus))
    assert first.exit_code == 0 and first.stdout.startswith("added 3, updated 0, unchanged 0, failed 0")
    second = run("ingest", str(corpus), "--json")
    summary = json.loads(second.stdout)
    assert summary["unchanged"] == sorted(summary["unchanged"]) or summary["unchanged"]
    assert len(summary["unchanged"]) == 3 and summary["added"] == [] and summary["chunks_written"] == 0


def test_ingest_failure_sets_the_exit_code_and_names_the_file(env, corpus):
    (corpus / "vide.md").write_text("   ")
    result = run("ingest", str(corpus))
    assert result.exit_code == 1
    assert "vide.md" in result.stderr and "empty" in result.stderr
    assert "added 3" in result.stdout


def test_ask_json_has_the_documented_shape(env, corpus):
    run("ingest", str(corpus))
    result = run("ask", "Combien de postes de techniciens le plan pour l'eau crée-t-il ?", "--json")
    payload = json.loads(result.stdout)
    assert {"id", "question", "answer", "abstained", "citations", "retrieved", "latency_s",
            "standalone_question"} <= set(payload)
    assert payload["abstained"] is False
    cit = payload["citations"][0]
    assert set(cit) >= {"n", "doc_id", "chunk_id", "title", "date", "quote"} and cit["n"] == 1
    assert payload["retrieved"][0]["doc_id"] and "score" in payload["retrieved"][0]


def test_ask_in_a_terminal_shows_the_answer_once_and_piped_gives_it_whole(env, corpus, monkeypatch):
    import assistant.cli.answers as answers

    run("ingest", str(corpus))
    question = "Combien de postes de techniciens le plan pour l'eau crée-t-il ?"
    piped = run("ask", question)
    text = piped.stdout.split("\n\n")[0].strip()
    assert text and "[1]" in text and text in " ".join(piped.stderr.split())  # streamed, then given whole on stdout
    monkeypatch.setattr(answers, "_interactive", lambda: True)
    seen = run("ask", question)
    assert text not in seen.stdout and seen.stdout.lstrip().startswith("[1] ")  # only its sources after the draft
    assert text in " ".join(seen.stderr.split())
    # A source line names its issuer when the release gives one, and no placeholder when it does not.
    from assistant.cli.answers import _render
    cited = {"n": 1, "title": "Plan eau", "issuer": None, "date": "2026-03-30", "doc_id": "plan-eau", "quote": "q"}
    assert _render({"answer": "a [1]", "citations": [cited], "sentences": []}).splitlines()[2] == \
        "[1] Plan eau — 2026-03-30 (plan-eau)"


def test_a_long_quote_is_printed_whole():
    # Its end is often the fact it is cited for ("…s'est tenue à Naples en décembre 2019").
    from assistant.cli.answers import _render
    quote = "La 21e Conférence des Parties " + "s'est réunie " * 30 + "à Port-Sérac en décembre 2019."
    cited = {"n": 1, "title": "Sommet", "issuer": None, "date": "2020-09-10", "doc_id": "sommet", "quote": quote}
    assert _render({"answer": "a [1]", "citations": [cited], "sentences": []}).splitlines()[3] == f"    « {quote} »"


def test_the_releases_searched_are_named_once_each():
    from types import SimpleNamespace as NS
    from assistant.cli.answers import _searching
    chunk = lambda doc, title: NS(chunk=NS(doc_id=doc, title=title, date="2025-08-11"))  # noqa: E731
    assert _searching([chunk("a", "Incendie"), chunk("a", "Incendie"), chunk("b", "Bilan"), chunk("c", "Bilan")]) == \
        "Searching: Incendie (2025-08-11); Bilan (2025-08-11); Bilan (2025-08-11)"  # (two releases of one title)


def test_ask_batch_answers_in_order_with_history(env, corpus, tmp_path):
    run("ingest", str(corpus))
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "a", "question": "Quelle hausse des salaires dans le rail ?"},
        {"id": "b", "question": "Et quand ?", "history": [{"role": "user", "content": "Parle-moi du plan pour l'eau potable"}]},
    ]))
    lines = [json.loads(x) for x in run("ask", "--batch", str(batch), "--json").stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert "eau potable" in lines[1]["standalone_question"]


def test_ask_filters_are_validated(env, corpus):
    run("ingest", str(corpus))
    bad = CliRunner().invoke(app, ["ask", "x", "--since", "hier"])
    assert bad.exit_code != 0 and "--since" in bad.output
    result = run("ask", "grève salaires", "--issuer", "santé", "--json")
    assert json.loads(result.stdout)["abstained"] is True


def test_docs_lists_and_deletes(env, corpus):
    run("ingest", str(corpus))
    listing = run("docs").stdout
    assert "plan-eau" in listing and "2025-03-12" in listing
    assert "Paul Ardenne" in run("docs", "show", "greve").stdout
    assert run("docs", "delete", "greve").exit_code == 0
    assert "greve" not in run("docs").stdout
    assert CliRunner().invoke(app, ["docs", "delete", "greve"]).exit_code == 1


def test_eval_writes_results_summary_and_report(env, corpus, tmp_path):
    run("ingest", str(corpus))
    testset = tmp_path / "t.jsonl"
    testset.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "1", "question": "Combien de postes de techniciens le plan pour l'eau crée-t-il ?", "category": "factual",
         "gold_doc_ids": ["plan-eau"], "must_include": ["300"]},
        {"id": "2", "question": "Quelle est la recette de la tarte ?", "category": "unanswerable",
         "gold_doc_ids": [], "must_include": []},
    ]))
    out = tmp_path / "run"
    result = run("eval", str(testset), "--out", str(out))
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["overall"]["questions"] == 2 and summary["overall"]["recall@5"] == 100.0
    assert summary["overall"]["key_facts_in_passages"] == 100.0  # the plan's 300 posts were in its passages
    assert "Key facts in the passages (ceiling)" in (out / "report.html").read_text()
    assert (out / "report.html").read_text().count("<img") == 2
    assert len((out / "results.jsonl").read_text().splitlines()) == 2
    compare = run("eval", "compare", str(out), str(out), "--metric", "key_facts")
    assert compare.exit_code == 0 and "key_facts" in compare.stdout


def test_eval_compare_fails_when_a_metric_drops(env, corpus, tmp_path, monkeypatch):
    run("ingest", str(corpus))
    testset = tmp_path / "t.jsonl"
    testset.write_text(json.dumps({"id": "1", "question": "Combien de postes de techniciens le plan pour l'eau crée-t-il ?",
                                   "category": "factual", "gold_doc_ids": ["plan-eau"], "must_include": ["300"]}))
    run("eval", str(testset), "--out", str(tmp_path / "good"))
    # A worse run: the model writing, and saying it found nothing.
    monkeypatch.setenv("COMMUNIQUES_ANSWER__MODE", "model")
    monkeypatch.setenv("COMMUNIQUES_LLM__FAKE_RESPONSES", '["NOT_FOUND"]')
    run("eval", str(testset), "--out", str(tmp_path / "bad"))
    result = CliRunner().invoke(app, ["eval", "compare", str(tmp_path / "good"), str(tmp_path / "bad"),
                                      "--metric", "key_facts", "--max-drop", "5"])
    assert result.exit_code == 1
    assert "key_facts" in result.stdout and "100.0 ->      0.0" in result.stdout


def test_ask_json_cites_the_page_of_a_pdf_source(env, tmp_path):
    from tests.test_formats import make_pdf

    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "accord.pdf").write_bytes(make_pdf())
    assert run("ingest", str(folder)).exit_code == 0
    result = run("ask", "Qui effectuera les contrôles en mer selon l'accord de pêche ?", "--json")
    payload = json.loads(result.stdout)
    assert payload["citations"], payload
    cited = payload["citations"][0]
    assert cited["doc_id"] == "accord" and "garde-côtes" in cited["quote"] and cited["page"] == 2


def test_ingest_prune_and_duplicates_in_the_json_report(env, corpus):
    run("ingest", str(corpus))
    (corpus / "greve.txt").unlink()
    (corpus / "copie.md").write_text((corpus / "plan-eau.md").read_text().replace("reference: MTH/2025/041\n", ""))
    summary = json.loads(run("ingest", str(corpus), "--prune", "--json").stdout)
    assert summary["removed"] == ["greve"]
    assert summary["duplicates"] == [{"source": str(corpus / "copie.md"), "doc_id": "copie", "duplicate_of": "plan-eau"}]


def test_ingest_watch_follows_new_changed_and_deleted_files(tmp_path, corpus):
    """A real `communiques ingest --watch --prune` process: each change of the folder reaches the index."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "COMMUNIQUES_DATA_DIR": str(tmp_path / "data"),
           **HASH_ENV}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--watch", "--prune",
                             "--interval", "0.3", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=root)

    def listed() -> set[str]:
        out = subprocess.run([sys.executable, "-m", "assistant.cli", "docs", "--json"], env=env, cwd=root,
                             capture_output=True, text=True)
        return {json.loads(line)["doc_id"] for line in out.stdout.splitlines() if line.strip()} if out.returncode == 0 else set()

    def wait_for(condition) -> bool:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.3)
        return False

    try:
        assert wait_for(lambda: {"plan-eau", "greve"} <= listed())
        (corpus / "nouveau.md").write_text("---\ntitle: Nouveau communiqué\ndate: 2025-05-05\n---\nLe port rouvre "
                                           "le 6 mai 2025.\n", encoding="utf-8")
        assert wait_for(lambda: "nouveau" in listed())
        (corpus / "greve.txt").unlink()
        assert wait_for(lambda: "greve" not in listed())
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]
    passes = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert "nouveau" in {d for p in passes for d in p["added"]}
    assert "greve" in {d for p in passes for d in p["removed"]}
