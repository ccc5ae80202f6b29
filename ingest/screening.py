"""Text planted for the assistant: an official communiqué never addresses the AI that reads it."""

from __future__ import annotations

import re

from textkit.sentences import split_sentences

# Phrasings of prompt injection in French, English and Arabic, and chat-template markers. The sentence holding one is
# left out of the passages: once retrieved, a model may repeat the planted claim, and the passage would "support" it.
_PLANTED = re.compile("|".join([
    r"\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding|former)\s+"
    r"(instructions?|prompts?|directions|rules|messages)",
    r"\b(ignore[rz]?|oublie[rz]?)\s+(toutes\s+)?(les\s+|vos\s+|tes\s+)?(instructions|consignes|règles)"
    r"(\s+(précédentes|ci-dessus|antérieures))?",
    r"\b(system|developer)\s+prompt\b",
    r"\byou\s+are\s+(now\s+)?(an?\s+)?(ai|assistant|language model|chatbot)\b",
    r"\b(en\s+tant\s+qu['e]\s*|tu\s+es\s+(désormais\s+)?un\s+)(ia|assistant|modèle de langage)\b",
    r"تجاهل\s+(جميع\s+|كل\s+)?(التعليمات|الأوامر)",
    r"<\|?\s*/?\s*(im_start|im_end|system|assistant)\s*\|?>",
]), re.IGNORECASE)


def planted_instruction(text: str) -> str:
    """The first phrase of ``text`` addressed to an AI assistant, or "" when there is none."""
    match = _PLANTED.search(text)
    return match.group(0) if match else ""


def without_planted(text: str, lang: str = "fr") -> tuple[str, list[str]]:
    """``text`` without its sentences addressed to an AI assistant, and those sentences."""
    if not _PLANTED.search(text):
        return text, []
    kept_paragraphs, removed = [], []
    for paragraph in text.split("\n\n"):
        kept = []
        for sentence in split_sentences(paragraph, lang):
            (removed if _PLANTED.search(sentence) else kept).append(sentence)
        if kept:
            kept_paragraphs.append(" ".join(kept))
    return "\n\n".join(kept_paragraphs), removed
