"""The chat handler behind the Gradio page, without a browser."""

from __future__ import annotations

import pytest

from ui.app import ChatHandler

pytestmark = pytest.mark.unit


def test_sources_appear_before_the_answer_and_the_answer_links_its_citations(indexed):
    updates = list(ChatHandler(indexed.chain).respond("Combien de postes de techniciens le plan crée-t-il ?", []))
    panels = [panel for _, panel in updates]
    first_with_sources = next(i for i, p in enumerate(panels) if "Passages consultés" in p)
    streamed = [i for i, (h, _) in enumerate(updates) if h[-1]["content"].endswith("▌")]
    assert streamed and first_with_sources < streamed[0]
    history, panel = updates[-1]
    assert history[0] == {"role": "user", "content": "Combien de postes de techniciens le plan crée-t-il ?"}
    assert "[[1]](#src-1)" in history[-1]["content"]
    assert 'id="src-1"' in panel and "<mark>" in panel and "Lancement du plan" in panel


def test_a_refusal_looks_different(make_container, corpus):
    c = make_container(["NOT_FOUND"])
    c.ingestor.ingest_paths([corpus])
    history, panel = list(ChatHandler(c.chain).respond("Quel âge a la ministre ?", []))[-1]
    assert history[-1]["content"].startswith("⚠️") and "Pas de réponse" in panel


def test_an_empty_question_does_nothing(indexed):
    assert list(ChatHandler(indexed.chain).respond("  ", [])) == [([], "<div class='src-empty'>Recherche dans les communiqués…</div>")]


def test_errors_reach_the_user_as_a_message_not_a_trace(indexed, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(indexed.chain, "stream", boom)
    history, _ = list(ChatHandler(indexed.chain).respond("Question ?", []))[-1]
    assert "Erreur" in history[-1]["content"] and "secret internals" not in history[-1]["content"]
