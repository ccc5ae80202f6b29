"""The web page in a real browser (Debian's Chromium driven by Playwright), app started on loopback."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.servers import free_port, running

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """`communiques serve` with the deterministic fakes, over the small test corpus."""
    from tests.conftest import GREVE, PLAN_EAU, RELEASES

    root = tmp_path_factory.mktemp("web")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "plan-eau.md").write_text(PLAN_EAU)
    (corpus / "greve.txt").write_text(GREVE)
    (corpus / "releases.jsonl").write_text(RELEASES)
    env = dict(os.environ, COMMUNIQUES_DATA_DIR=str(root / "data"), COMMUNIQUES_MODELS__EMBEDDER="hash",
               COMMUNIQUES_LLM__BACKEND="fake", COMMUNIQUES_RETRIEVAL__MIN_DENSE="0")
    cli = str(Path(sys.executable).parent / "communiques")
    import subprocess

    subprocess.run([cli, "ingest", str(corpus)], env=env, check=True, capture_output=True)
    port = free_port()
    with running([cli, "serve", "--port", str(port)], f"http://127.0.0.1:{port}/", root / "app.log", timeout=90, env=env):
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make browser-deps` installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def ask(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()


def test_ask_see_sources_and_a_cited_answer(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(app_url)
    ask(page, "Combien de postes de techniciens le plan pour l'eau crée-t-il ?")
    page.locator("#sources .src-card").first.wait_for(timeout=30_000)
    page.wait_for_function("() => document.querySelector('#chat') && document.querySelector('#chat').innerText.includes('[1]')",
                           timeout=30_000)
    assert "300 postes" in page.locator("#chat").inner_text()
    card = page.locator("#sources #src-1")
    assert "Lancement du plan national" in card.inner_text()
    assert "300 postes" in card.locator("mark").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "answer-fake-model.png"))
    page.close()


def test_a_date_filter_that_excludes_everything_gives_a_refusal(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(app_url)
    page.get_by_text("Filtres").click()
    page.locator("#since textarea, #since input").first.fill("2027-01-01")
    ask(page, "Combien de postes de techniciens le plan pour l'eau crée-t-il ?")
    page.locator("#sources .src-abstain").wait_for(timeout=30_000)
    assert "ne permettent pas" in page.locator("#chat").inner_text()
    assert "vérifiez les filtres" in page.locator("#sources").inner_text()
    page.screenshot(path=str(SHOTS / "refusal-filter.png"), full_page=True)
    page.close()
