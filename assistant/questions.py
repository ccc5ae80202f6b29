"""What a question must be before it reaches retrieval and the model: some words, not too long, no control codes."""

from __future__ import annotations

import re
import unicodedata

# Control codes, bidirectional overrides and lone surrogates: invisible to the reader, but they can hide or reorder
# text in a terminal or a page, and a lone surrogate cannot even be encoded.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class InvalidQuestion(ValueError):
    """A question that cannot be answered as given; the message says how to fix it."""


def clean_question(text: str, max_chars: int = 1000) -> str:
    """The question with invisible codes removed and spaces collapsed; InvalidQuestion if nothing can be asked."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub(" ", text or ""))
    text = " ".join(text.split())
    if not any(c.isalnum() for c in text):
        raise InvalidQuestion("The question is empty: type a question about the communiqués.")
    if len(text) > max_chars:
        raise InvalidQuestion(f"The question is {len(text)} characters long; keep it under {max_chars} "
                              "(COMMUNIQUES_MAX_QUESTION_CHARS): ask about one point at a time.")
    return text
