"""Tell when a release arrives twice under two ids (the PDF and the web page of one communiqué).

Two fingerprints of the text, title and layout aside: an exact one (hash of the folded words) and a
64-bit SimHash of word 3-shingles, which moves by a few bits when a header, a footer or a line break
differs. Texts whose SimHashes differ by at most ``MAX_BITS`` bits are the same release, unless the
two documents carry different dates: weekly items repeat one text ("Le conseil des ministres a adopté les
mesures individuelles suivantes :") and each is its own release.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from core.types import content_hash

# Bits that differ for a cosine similarity s of the shingle sets: 64 * arccos(s) / pi; 6 bits is s ~ 0.95.
MAX_BITS = 6
MIN_WORDS = 12  # shorter texts share too many shingles by chance; only the exact fingerprint applies to them
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


def fingerprint(text: str) -> str:
    """Hash of the text's words, case, accents, punctuation and layout aside."""
    return content_hash(" ".join(_words(text)))


def simhash(text: str) -> int:
    """64-bit SimHash of the word 3-shingles of ``text`` (0 for texts under ``MIN_WORDS`` words)."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return 0
    weights = [0] * 64
    for i in range(len(words) - 2):
        h = int.from_bytes(hashlib.blake2b(" ".join(words[i:i + 3]).encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


Prints = tuple[str, int, str]  # (fingerprint, simhash, ISO date or "")


def prints_of(text: str, date: str) -> Prints:
    """What duplicate detection compares."""
    return fingerprint(text), simhash(text), date


def same_text(a: Prints, b: Prints) -> bool:
    """Whether two documents are the same release: same or near-same text, and no conflicting dates."""
    if a[2] and b[2] and a[2] != b[2]:
        return False
    return a[0] == b[0] or bool(a[1] and b[1] and (a[1] ^ b[1]).bit_count() <= MAX_BITS)


def find_duplicate(doc_id: str, prints: Prints, known: dict[str, Prints]) -> str | None:
    """The id of an indexed document with the same text as ``doc_id``'s, if any (never ``doc_id`` itself)."""
    return next((other for other, theirs in known.items() if other != doc_id and same_text(prints, theirs)), None)
