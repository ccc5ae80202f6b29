"""Language detection measured: textkit's rule against lingua, on the development questions and the public corpus.

Run: .venv/bin/pip install lingua-language-detector==2.1.1 && .venv/bin/python bench/language_detection.py
(lingua is not a dependency; the frozen split is left out, as for every choice.)
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textkit.language import detect_language  # noqa: E402

QUESTIONS = [ROOT / "examples" / "testset.jsonl", ROOT / "bench" / "shared_questions.jsonl"]
CORPUS = ROOT.parent / "shared" / "corpus"


def samples() -> dict[str, list[tuple[str, str]]]:
    """(text, language) pairs: questions, release titles and release texts (first 2,000 characters)."""
    out: dict[str, list[tuple[str, str]]] = {"question": [], "title": [], "text": []}
    for path in QUESTIONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            if q.get("lang"):
                out["question"].append((q["question"], q["lang"]))
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if d.get("lang") and d.get("text"):
                out["text"].append((d["text"][:2000], d["lang"]))
                if d.get("title"):
                    out["title"].append((d["title"], d["lang"]))
    return out


def main() -> None:
    from lingua import Language, LanguageDetectorBuilder

    start = time.perf_counter()
    detector = LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH, Language.ARABIC).build()
    detector.detect_language_of("warm-up")
    load = time.perf_counter() - start
    codes = {Language.FRENCH: "fr", Language.ENGLISH: "en", Language.ARABIC: "ar"}
    methods = {"textkit": detect_language, "lingua": lambda t: codes.get(detector.detect_language_of(t), "fr")}
    print(f"lingua: model load {load:.1f} s")
    for kind, pairs in samples().items():
        print(f"{kind}: {len(pairs)} {dict(Counter(lang for _, lang in pairs))}")
        for name, detect in methods.items():
            start = time.perf_counter()
            wrong = [(text[:70], lang, got) for text, lang in pairs if (got := detect(text)) != lang]
            ms = (time.perf_counter() - start) / max(len(pairs), 1) * 1000
            print(f"  {name}: {len(wrong)} wrong, {ms:.2f} ms each {wrong[:3]}")


if __name__ == "__main__":
    main()
