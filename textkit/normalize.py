"""Text normalisation: what PDF and HTML extraction breaks, repaired without changing meaning."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"', "\u00ad": None,
                         "\u200b": None, "\ufeff": None})
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009\u200a\u3000]+")
# Anchored at the start of a run of letters: unanchored, a long run without a break took quadratic time.
_HYPHEN_BREAK = re.compile(r"(?<!\w)(\w+)-[ \t]*\n[ \t]*(\w+)")
# The start of a sentence run into the full stop before it: a capitalised word ("remercie.Il"), an elided one
# ("année.L'État", "répondre.D'abord"), "À" or "A" ("partenaires.A l'échelle"), or an interview's "Q -" / "R -"
# ("s'arrange.Q - Est-ce…").
GLUED_START = r"[A-ZÀ-Ý](?:[a-zà-ÿ]|['’][^\W\d_]|(?<=[AÀ])\s|(?<=[QR])\s[-–]\s)"
_GLUED = re.compile(rf"(?<![a-zà-ÿ])([a-zà-ÿ]{{2,}}[.!?])({GLUED_START})")
# A sentence run into the figure that starts the next one ("la francophonie.321 millions de locuteurs", "…quinze
# jours.1. Le programme"): a word of four letters or more before the stop, so "1.8" and "art.5" stay as they are.
_GLUED_FIGURE = re.compile(r"(?<![\w.])([A-Za-zÀ-ÿ][a-zà-ÿ]{3,}[.!?])(\d)")
# "leLa", "ministreThe": a lower-case word run into a capitalised one by extraction. Tokens with another
# capital ("iPhone", "McDonald", "YouTube") or a one-letter head do not match.
_GLUED_WORDS = re.compile(r"(?<![\w-])([a-zà-ÿ]{2,})([A-ZÀ-Ý][a-zà-ÿ]+)(?![\w-])")
_NUM_SPACE = re.compile(r"(?<=\d)[\u00a0\u202f\u2009 ](?=\d{3}\b)")
# Ligatures (ﬁ) and Arabic presentation forms (ﻻ, ﺍ...) come out of PDFs; their compatibility forms are the
# letters people type, so only these ranges get NFKC (NFKC elsewhere would change meaning, e.g. "²").
_COMPAT = re.compile(r"[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefc]+")
PAGE_BREAK = "\f"


def _join_hyphenated(text: str) -> str:
    """Join words cut at a line end, keeping the hyphen of real compounds.

    The hyphen stays when the second part is capitalised ("Marchetti-\\nBrissac") or when the
    hyphenated form is written elsewhere in the text ("porte-parole").
    """
    def repl(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        compound = f"{left}-{right}"
        if right[0].isupper() or right[0].isdigit() or compound.lower() in lowered:
            return compound
        return left + right

    if "-" not in text or "\n" not in text:
        return text
    lowered = text.lower()
    return _HYPHEN_BREAK.sub(repl, text)


def normalize_text(text: str) -> str:
    """Normalise what breaks search without changing meaning.

    NFC, typographic apostrophes and quotes, ligatures and Arabic presentation forms, non-breaking
    spaces, line-end hyphenation, words and sentences glued by extraction ("leLa", "remercie.Il"), runs
    of blank lines. Paragraphs stay separated by one blank line; a page break (form feed) becomes a
    paragraph of its own, ``PAGE_BREAK``.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = text.translate(_QUOTES)
    text = _join_hyphenated(text)
    text = _SPACES.sub(" ", text)
    text = _GLUED.sub(r"\1 \2", text)
    text = _GLUED_FIGURE.sub(r"\1 \2", text)
    text = _GLUED_WORDS.sub(r"\1 \2", text)
    pages = []
    for page in text.split(PAGE_BREAK):
        blocks = re.split(r"\n\s*\n", page)
        paragraphs = [" ".join(line.strip() for line in block.split("\n") if line.strip()) for block in blocks]
        pages.append("\n\n".join(p for p in paragraphs if p))
    return f"\n\n{PAGE_BREAK}\n\n".join(pages).strip(" \n") if len(pages) > 1 else pages[0]


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs of a normalised text, without page breaks."""
    return [p for p in text.split("\n\n") if p and p != PAGE_BREAK]


_PAGE_NUMBER = re.compile(r"^\W*(?:page|p\.|صفحة)?\s*\d{1,4}\s*(?:/|sur|of|من)?\s*\d{0,4}\W*$", re.IGNORECASE)


def _line_key(line: str) -> str:
    """A line with its digits blanked, so that "Page 2 / 5" and "Page 3 / 5" repeat."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def strip_repeated_lines(pages: list[str], edge: int = 2) -> list[str]:
    """Remove running headers and footers: lines among the first or last ``edge`` of a page that
    recur on at least half of the pages (three or more), and bare page numbers."""
    split = [[ln for ln in page.split("\n")] for page in pages]
    counts: dict[str, int] = {}
    for lines in split:
        content = [i for i, ln in enumerate(lines) if ln.strip()]
        keys = {_line_key(lines[i]) for i in content[:edge] + content[-edge:]}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    threshold = max(3, (len(pages) + 1) // 2)
    repeated = {k for k, n in counts.items() if n >= threshold and k}
    out = []
    for lines in split:
        content = [i for i, ln in enumerate(lines) if ln.strip()]
        edges = set(content[:edge] + content[-edge:])
        drop = {i for i in edges if _line_key(lines[i]) in repeated or _PAGE_NUMBER.match(lines[i].strip())}
        out.append("\n".join(ln for i, ln in enumerate(lines) if i not in drop))
    return out
