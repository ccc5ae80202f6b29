"""Ask the running app one question in headless Debian Chromium: time to sources, to first token, to the full
answer as the page shows them, and a screenshot.

Usage: python bench/screenshot.py http://127.0.0.1:7860/ "Question ?" docs/screenshot.png
"""

from __future__ import annotations

import sys
import time

from playwright.sync_api import sync_playwright


def main(url: str, question: str, out: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 820})
        page.goto(url)
        page.locator("#question textarea").fill(question)
        start = time.perf_counter()
        page.locator("#send").click()
        page.locator("#sources .src-card").first.wait_for(timeout=120_000)
        sources = time.perf_counter() - start
        # The draft ends with a cursor while tokens stream; a refusal decided before generation has none.
        page.wait_for_function("() => document.querySelector('#chat').innerText.includes('▌') || "
                               "document.querySelector('#chat .answer, #chat .refusal')", timeout=120_000)
        first = time.perf_counter() - start
        page.wait_for_function("() => document.querySelector('#chat .answer, #chat .refusal')", timeout=180_000)
        total = time.perf_counter() - start
        page.screenshot(path=out)
        print(f"sources {sources:.1f}s, first token {first:.1f}s, full answer {total:.1f}s -> {out}")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
