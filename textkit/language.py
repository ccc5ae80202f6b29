"""Which language a text is written in: French, English or Arabic."""

from __future__ import annotations

import re

from textkit.languages import ar, en, fr


# Kept over lingua: as accurate on the development questions and the public corpus (no error either way), 10 to 80
# times faster, with no model to load (bench/language_detection.py, docs/decisions/2026-12-language-detection.md).
def detect_language(text: str) -> str:
    """Guess fr, en or ar: Arabic script first, then French versus English function words."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "fr"
    if sum(1 for c in letters if ar.SCRIPT.match(c)) / len(letters) > 0.3:
        return "ar"
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    french = sum(1 for w in words if w in fr.FUNCTION_WORDS) + 2 * sum(1 for c in text.lower() if c in fr.ACCENTED)
    english = sum(1 for w in words if w in en.FUNCTION_WORDS)
    return "en" if english > french else "fr"
