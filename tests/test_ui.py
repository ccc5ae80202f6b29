"""The web app without a browser: the chat handler, feedback, users and roles, documents, uploads, rendering."""

from __future__ import annotations

import json
import threading
import time

import gradio as gr
import pytest
from typer.testing import CliRunner

from assistant.cli import app as cli
from assistant.feedback import FeedbackStore
from assistant.model_queue import ModelQueue
from assistant.settings import LLMSettings
from assistant.users import Users, UsersFileError
from core.types import answer_json
from ui.app import ChatHandler, Conversation, build_app, queued, turn_of
from ui.render import answer_markdown, answer_plain, conversation_markdown
from ui.texts import pick_language

pytestmark = pytest.mark.unit

QUESTION = "Combien de postes de techniciens le plan crée-t-il ?"


def test_sources_appear_before_the_answer_and_the_answer_links_its_citations(indexed):
    updates = list(ChatHandler(indexed.chain).respond(QUESTION, []))
    panels = [panel for _, panel, _ in updates]
    first_with_sources = next(i for i, p in enumerate(panels) if "Passages consultés" in p)
    streamed = [i for i, (h, _, _) in enumerate(updates) if h[-1]["content"].endswith("▌")]
    assert streamed and first_with_sources < streamed[0]
    history, panel, conv = updates[-1]
    assert history[0] == {"role": "user", "content": QUESTION}
    assert "[1](#cite-0-1)" in history[-1]["content"]
    assert 'id="src-0-1"' in panel and "<mark>" in panel and "Lancement du plan" in panel
    assert len(conv.turns) == 1 and conv.turns[0].answer.citations[0].doc_id == "plan-eau" and conv.id


def test_the_second_answer_links_to_its_own_sources(indexed):
    handler = ChatHandler(indexed.chain)
    history, _, conv = list(handler.respond(QUESTION, []))[-1]
    history, panel, conv = list(handler.respond("How many measles cases were confirmed?", history, conv, lang="en"))[-1]
    assert len(conv.turns) == 2 and turn_of(history, len(history) - 1) == 1 and turn_of(history, 1) == 0
    assert "Cited sources" in panel or "No answer" in panel
    if not conv.turns[1].answer.abstained:
        assert "(#cite-1-1)" in history[-1]["content"] and 'id="src-1-1"' in panel


def test_a_question_waiting_for_the_model_shows_its_sources_and_how_many_are_ahead(make_container, corpus):
    answer = make_container().settings.answer.model_copy(update={"mode": "model"})  # the model writes, word by word
    c = make_container(llm=LLMSettings(backend="fake", fake_delay_s=0.05), answer=answer)
    c.ingestor.ingest_paths([corpus])
    handler = ChatHandler(c.chain, c.model_queue, poll_s=0.05)
    first = handler.respond(QUESTION, [])
    next(first), next(first)  # searching, then its sources: the first question is in line, first
    second = handler.respond(QUESTION, [])
    _, searching, _ = next(second)
    _, panel, _ = next(second)
    assert "Recherche" in searching and "Passages consultés" in panel  # its sources before the model's turn
    history, panel, _ = next(second)
    assert history[-1]["content"] == "En attente du modèle : 1 question(s) avant la vôtre…"
    assert "Passages consultés" in panel and len(c.model_queue) == 2
    times = {}

    def answer_first():  # as the web app does: each question in a thread of its own
        for _ in first:
            times["first answered"] = time.perf_counter()  # the last one is set before the first leaves the line

    writer = threading.Thread(target=answer_first)
    writer.start()
    rest = []
    for update in second:
        rest.append(update)
        if update[0][-1]["content"].endswith("▌"):
            times.setdefault("second's first word", time.perf_counter())
    writer.join(timeout=30)
    assert rest[0][0][-1]["content"] == "…"  # its turn: the waiting line gives way to the answer
    assert "[1](#cite-0-1)" in rest[-1][0][-1]["content"] and len(c.model_queue) == 0
    assert times["first answered"] < times["second's first word"]


def test_the_model_queue_lets_its_width_through_in_arrival_order(make_container):
    queue = ModelQueue(2)
    a, b, c = queue.join(), queue.join(), queue.join()
    assert [p.ahead() for p in (a, b, c)] == [0, 1, 2] and len(queue) == 3
    assert a.wait(0) and b.wait(0) and not c.wait(0)
    waiting = threading.Thread(target=c.wait)
    waiting.start()
    b.leave()
    waiting.join(timeout=5)
    assert not waiting.is_alive() and c.ahead() == 1 and c.wait(0) and len(queue) == 2
    with pytest.raises(ValueError):
        ModelQueue(0)
    assert make_container().model_queue.width == 1
    assert make_container(llm=LLMSettings(backend="fake", slots=3)).model_queue.width == 3


def test_a_refusal_looks_different(make_container, corpus):
    c = make_container(["NOT_FOUND"])
    c.ingestor.ingest_paths([corpus])
    history, panel, _ = list(ChatHandler(c.chain).respond("Quel âge a la ministre ?", []))[-1]
    assert '<div class="refusal"' in history[-1]["content"] and "Pas de réponse" in panel


def test_removed_sentences_are_marked_in_the_answer(make_container, corpus):
    c = make_container(["Le plan crée 300 postes de techniciens [1]. Le plan coûte 9 milliards [1]."])
    c.ingestor.ingest_paths([corpus])
    answer = c.chain.answer(QUESTION)
    shown = answer_markdown(answer, 0, "fr")
    assert not answer.abstained and '<details class="flagged">' in shown and "<del>Le plan coûte 9 milliards" in shown
    assert "9 milliards" not in answer.text


def test_an_empty_question_does_nothing(indexed):
    updates = list(ChatHandler(indexed.chain).respond("  ", []))
    assert len(updates) == 1 and updates[0][0] == [] and updates[0][2].turns == []


def test_errors_reach_the_user_as_a_message_not_a_trace(indexed, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(indexed.chain, "stream", boom)
    history, _, conv = list(ChatHandler(indexed.chain).respond("Question ?", []))[-1]
    assert "Erreur" in history[-1]["content"] and "secret internals" not in history[-1]["content"]
    assert conv.turns[0].answer is None


def test_copy_and_export_carry_the_sources_and_quotes(indexed):
    _, _, conv = list(ChatHandler(indexed.chain).respond(QUESTION, []))[-1]
    answer = conv.turns[0].answer
    plain = answer_plain(answer, "fr")
    assert plain.startswith(answer.text) and "[1] Lancement du plan national" in plain and "300 postes" in plain
    md = conversation_markdown([(x.question, x.answer, x.shown) for x in conv.turns], "fr")
    assert f"## {QUESTION}" in md and "**[1]** Lancement du plan national" in md and "`plan-eau`" in md


def test_a_release_naming_no_issuer_is_listed_without_a_placeholder(indexed):
    from dataclasses import replace

    answer = indexed.chain.answer(QUESTION)
    anonymous = replace(answer, citations=tuple(replace(c, issuer="") for c in answer.citations))
    first = anonymous.citations[0]
    for shown in (answer_markdown(anonymous, lang="en"), answer_plain(anonymous, "en"),
                  conversation_markdown([(QUESTION, anonymous, "")], "en")):
        assert f"{first.title} — {first.date}" in shown and "?," not in shown
    assert f"{answer.citations[0].title} — {answer.citations[0].issuer}, " in answer_plain(answer, "en")


def test_feedback_is_stored_updated_and_exported_as_jsonl(indexed, tmp_path, monkeypatch):
    answer = indexed.chain.answer(QUESTION)
    store = indexed.feedback
    fid = store.rate(answer_json(answer), -1, user="bob", session="s1", turn=0)
    assert store.rate(answer_json(answer), 1, session="s1", turn=0) == fid  # changed mind: one row
    assert store.comment(fid, "  Il manque la date.  ") and not store.comment(fid + 99, "x")
    store.rate(answer_json(answer), -1, session="s2", turn=3)
    with pytest.raises(ValueError):
        store.rate(answer_json(answer), 0)
    monkeypatch.setenv("COMMUNIQUES_DATA_DIR", str(indexed.settings.data_dir))
    out = tmp_path / "fb.jsonl"
    result = CliRunner().invoke(cli, ["feedback", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["rating"] for r in rows] == ["up", "down"] and rows[0]["comment"] == "Il manque la date."
    assert rows[0]["question"] == QUESTION and rows[0]["citations"][0]["doc_id"] == "plan-eau"
    assert "300 postes" in rows[0]["answer"] and rows[0]["settings"]["llm"]["backend"] == "fake"
    assert "api_key" not in rows[0]["settings"]["llm"] and rows[0]["settings"]["prompt_sha256"]


def test_users_are_added_with_a_hashed_password_from_the_command_line(tmp_path, monkeypatch):
    path = tmp_path / "users.txt"
    monkeypatch.setenv("COMMUNIQUES_UI__USERS_FILE", str(path))
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "alice", "--role", "admin"], input="s3cret-pass\ns3cret-pass\n")
    assert added.exit_code == 0, added.output
    assert runner.invoke(cli, ["users", "add", "bob"], input="other-pass\nother-pass\n").exit_code == 0
    short = runner.invoke(cli, ["users", "add", "eve"], input="short\nshort\n")
    assert short.exit_code == 2 and "at least 8" in short.output
    assert "s3cret-pass" not in path.read_text() and "$argon2id$" in path.read_text()
    users = Users(path)
    assert users.check("alice", "s3cret-pass") and not users.check("alice", "other-pass")
    assert not users.check("nobody", "s3cret-pass") and users.role("alice") == "admin" and users.role("bob") == "staff"
    assert runner.invoke(cli, ["users", "list"]).output.splitlines() == ["alice\tadmin", "bob\tstaff"]
    assert runner.invoke(cli, ["users", "remove", "bob"]).exit_code == 0 and Users(path).role("bob") is None


def test_a_broken_users_file_is_reported_with_its_line(tmp_path):
    path = tmp_path / "users.txt"
    path.write_text("# users\nalice:boss:$argon2id$x\n")
    with pytest.raises(UsersFileError, match=r"users.txt:2: .*staff or admin"):
        Users(path)


def test_serve_refuses_an_open_address_without_login(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNIQUES_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "without login" in result.output
    monkeypatch.setenv("COMMUNIQUES_UI__USERS_FILE", str(tmp_path / "users.txt"))
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2 and "users add" in result.output


def _fn(demo, name):
    return next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == name)


def test_only_admins_may_upload_or_delete_even_through_the_api(make_container, corpus, tmp_path):
    users_file = tmp_path / "users.txt"
    users = Users(users_file)
    users.add("alice", "admin-pass", "admin")
    users.add("bob", "staff-pass", "staff")
    settings_ui = {"ui": make_container().settings.ui.model_copy(update={"users_file": users_file})}
    c = make_container(**settings_ui)
    c.ingestor.ingest_paths([corpus])
    demo, _ = build_app(c)
    staff = gr.Request(username="bob", headers={"accept-language": "en"})
    with pytest.raises(gr.Error, match="Administrators only"):
        _fn(demo, "on_upload")([str(corpus / "greve.txt")], staff)
    with pytest.raises(gr.Error, match="Administrators only"):
        _fn(demo, "on_delete")("plan-eau", "", staff)
    with pytest.raises(gr.Error):
        _fn(demo, "on_delete")("plan-eau", "", gr.Request(username=None))
    assert c.manifest.get("plan-eau") is not None
    admin = gr.Request(username="alice", headers={"accept-language": "fr-FR,fr;q=0.9"})
    status = _fn(demo, "on_delete")("plan-eau", "", admin)[1]
    assert "supprimé" in status and c.manifest.get("plan-eau") is None and c.store.chunk_ids("plan-eau") == []


def test_the_app_searches_as_many_questions_at_once_as_the_setting_says(make_container):
    assert make_container().settings.ui.questions_at_once == 32  # measured: docs/benchmarks.md, Concurrency
    c = make_container(ui=make_container().settings.ui.model_copy(update={"questions_at_once": 3}))
    demo, _ = build_app(c)
    queue = queued(demo, c.settings)._queue
    chat = [d for d in demo.fns.values() if d.concurrency_id == "chat"]
    assert chat and queue.default_concurrency_limit == 3
    assert all(d.concurrency_limit == "default" for d in chat)  # the chat follows the queue's default


def test_uploads_report_each_file_and_are_searchable_at_once(indexed, tmp_path):
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "peche.md").write_text("---\ntitle: Accord de pêche avec Qasimar\ndate: 2025-07-03\n---\n"
                                     "L'accord accorde 14 licences de pêche pour trois ans.\n")
    (folder / "vide.md").write_text("")
    (folder / "image.png").write_bytes(b"\x89PNG")
    steps = []
    results = indexed.library.add_files([folder / "peche.md", folder / "vide.md", folder / "image.png"],
                                        lambda i, n, name: steps.append((i, n)))
    assert [(r.name, r.status) for r in results] == [("peche.md", "added"), ("vide.md", "failed"),
                                                     ("image.png", "failed")]
    assert "empty" in results[1].reason and str(folder) not in results[1].reason and ".png" in results[2].reason
    assert steps[0] == (0, 3) and steps[-1] == (3, 3)
    assert indexed.library.add_files([folder / "peche.md"])[0].status == "unchanged"
    assert [r.doc_id for r in indexed.library.search("qasimar pêche")] == ["peche"]
    answer = indexed.chain.answer("Combien de licences de pêche l'accord accorde-t-il ?")
    assert not answer.abstained and answer.citations[0].doc_id == "peche"
    record, chunks = indexed.library.document("peche")
    assert record.title == "Accord de pêche avec Qasimar" and "14 licences" in chunks[0].text


def test_labels_follow_the_setting_or_the_browser():
    assert pick_language("en-GB,en;q=0.9,fr;q=0.8") == "en" and pick_language("fr-CA,en;q=0.5") == "fr"
    assert pick_language(None) == "fr" and pick_language("en-US", setting="fr") == "fr"
    assert pick_language("de-DE,en;q=0.7") == "en"


def test_arabic_answers_and_passages_read_right_to_left(make_container, tmp_path):
    c = make_container(["أعلنت الوزارة عن 12 مدرسة جديدة [1]."])
    folder = tmp_path / "ar"
    folder.mkdir()
    (folder / "ecoles.md").write_text("---\ntitle: افتتاح مدارس جديدة\ndate: 2025-09-01\nlang: ar\n---\n"
                                      "أعلنت الوزارة عن افتتاح 12 مدرسة جديدة في الجنوب.\n", encoding="utf-8")
    c.ingestor.ingest_paths([folder])
    history, panel, conv = list(ChatHandler(c.chain).respond("كم مدرسة جديدة أعلنت الوزارة؟", []))[-1]
    assert 'dir="rtl"' in history[-1]["content"] and 'class="src-body" dir="rtl"' in panel


def test_a_name_is_locked_after_too_many_wrong_passwords(tmp_path):
    path = tmp_path / "users.txt"
    Users(path).add("alice", "s3cret-pass")
    now = [0.0]
    users = Users(path, max_failures=3, lockout_s=60, clock=lambda: now[0])
    assert [users.check("alice", "guess") for _ in range(3)] == [False] * 3
    assert not users.check("alice", "s3cret-pass")  # locked: the right password is refused too
    assert users.locked("alice") and not users.locked("bob")
    now[0] = 61.0  # the failures are older than the lockout
    assert users.check("alice", "s3cret-pass") and not users.locked("alice")
    # A success clears the count: two failures more do not lock.
    assert not users.check("alice", "guess") and not users.check("alice", "guess") and not users.locked("alice")


def test_sessions_end_by_themselves():
    from assistant.users import ExpiringSessions

    now = [0.0]
    sessions = ExpiringSessions(ttl_s=60, clock=lambda: now[0])
    sessions["tok"] = "alice"
    assert sessions.get("tok") == "alice" and "tok" in sessions
    now[0] = 59.0
    assert "tok" in sessions
    now[0] = 60.0
    assert sessions.get("tok") is None and "tok" not in sessions and len(sessions) == 0
    sessions["new"] = "bob"
    del sessions["new"]  # logging out still works
    assert "new" not in sessions


def test_hostile_uploads_are_refused_with_their_reason(make_container, tmp_path):
    c = make_container(max_file_mb=0.001)  # 1 kB
    folder = tmp_path / "up"
    folder.mkdir()
    (folder / "big.md").write_text("Un texte. " * 200)
    (folder / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # an image named .pdf
    (folder / "..secret.md").write_text("---\ntitle: Note\ndate: 2025-01-01\n---\nUn court texte de note.\n")
    results = c.library.add_files([folder / "big.md", folder / "image.pdf", folder / "..secret.md"])
    by_name = {r.name: r for r in results}
    assert by_name["big.md"].status == "failed" and "over the limit" in by_name["big.md"].reason
    assert by_name["image.pdf"].status == "failed" and str(folder) not in by_name["image.pdf"].reason
    # A name that looks like a way up stays a plain name: the document id has no path in it.
    assert by_name["..secret.md"].status == "added" and all("/" not in d for d in by_name["..secret.md"].doc_ids)
