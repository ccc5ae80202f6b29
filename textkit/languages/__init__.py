"""Word lists per language, one module each: months, the function words that tell languages apart, stopwords,
question words."""

import re

from textkit.languages import ar, en, fr

LANGUAGES = {"fr": fr, "en": en, "ar": ar}


def joined(name: str) -> str:
    """One regular expression matching the fragment ``name`` of any of the languages (each module's own)."""
    return "|".join(getattr(module, name) for module in LANGUAGES.values())


def question_words(langs: tuple[str, ...] = ("fr", "en", "ar"), open_only: bool = False) -> str:
    """A regular expression group matching a question word of ``langs``; with ``open_only``, only those that make a
    question ask what, who, when… (not yes or no)."""
    words = [w for lang in langs for w in LANGUAGES[lang].QUESTION_WORDS
             if not (open_only and w in LANGUAGES[lang].NOT_OPEN_QUESTION_WORDS)]
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
