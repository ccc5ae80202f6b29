"""Shared fixtures: a small corpus written by the tests, and containers with deterministic fakes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
# The test profile (Settings.for_tests) as environment variables, for the command line run in tests: the hash
# embedder, the scripted model, and the answer bars of the hash embedder's scale.
HASH_ENV = {
    "COMMUNIQUES_MODELS__EMBEDDER": "hash",
    "COMMUNIQUES_LLM__BACKEND": "fake",
    "COMMUNIQUES_RETRIEVAL__MIN_DENSE": "0",
    "COMMUNIQUES_ANSWER__MIN_MEANING": "0.15",
    "COMMUNIQUES_ANSWER__KIND_FLOOR": "0.1",
}
SAMPLE = ROOT / "examples" / "communiques"
TESTSET = ROOT / "examples" / "testset.jsonl"

PLAN_EAU = """---
title: Lancement du plan national pour l'eau potable
issuer: Ministère de la Transition hydrique
date: 2025-03-12
lang: fr
type: communiqué
reference: MTH/2025/041
---
La ministre Hélène Marchetti-Brissac a présenté ce mercredi le plan national pour l'eau potable, doté de 2,4 milliards d'euros sur cinq ans.

Le plan prévoit la rénovation de 1 250 kilomètres de canalisations et la création de 300 postes de techniciens dans les régions du Sud.

Les premières rénovations commenceront le 1er juin 2025 à Valcourt.
"""

GREVE = """Accord de sortie de grève dans le rail
Ministère des Transports et de la Mobilité
Valcourt, le 3 décembre 2024

Après onze jours de grève, les syndicats et la direction des chemins de fer ont signé un accord prévoyant une hausse des salaires de 4,5 %.

Le ministre Paul Ardenne salue un compromis responsable.
"""

RELEASES = (
    '{"id": "en-health-2026-02-17", "title": "Measles alert in the northern provinces", "date": "2026-02-17", '
    '"lang": "en", "type": "press release", "issuer": "Ministry of Health", '
    '"text": "The Ministry of Health reports 42 confirmed measles cases in the northern provinces.\\n\\n'
    'A vaccination campaign starts on 20 February 2026 in 35 schools."}\n'
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with three communiqués in three formats."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "plan-eau.md").write_text(PLAN_EAU, encoding="utf-8")
    (folder / "greve.txt").write_text(GREVE, encoding="utf-8")
    (folder / "releases.jsonl").write_text(RELEASES, encoding="utf-8")
    return folder


@pytest.fixture
def make_container(tmp_path: Path):
    """Build containers on the test profile (hash embedder, scripted or extractive fake model)."""
    from assistant.container import Container
    from assistant.settings import LLMSettings, Settings

    def make(responses: list[str] | None = None, **overrides) -> Container:
        settings = Settings.for_tests(tmp_path / "data", **overrides)
        if responses is not None:
            # Scripted model answers test the mode where the model writes and verification checks.
            settings = settings.model_copy(update={"llm": LLMSettings(backend="fake", fake_responses=responses),
                                                   "answer": settings.answer.model_copy(update={"mode": "model"})})
        return Container(settings)

    return make


@pytest.fixture
def indexed(make_container, corpus):
    """A fake-model container with the small corpus ingested."""
    container = make_container()
    report = container.ingestor.ingest_paths([corpus])
    assert report.ok, report.failed
    return container
