"""Text normalisation, language guess, sentence splitting and date finding for French, English and Arabic."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"', "\u00ad": None,
                         "\u200b": None, "\ufeff": None})
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009\u200a\u3000]+")
# Anchored at the start of a run of letters: unanchored, a long run without a break took quadratic time.
_HYPHEN_BREAK = re.compile(r"(?<!\w)(\w+)-[ \t]*\n[ \t]*(\w+)")
_GLUED = re.compile(r"(?<![a-zà-ÿ])([a-zà-ÿ]{2,}[.!?])([A-ZÀ-Ý][a-zà-ÿ])")
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


_ARABIC = re.compile(r"[\u0600-\u06ff]")
_FR_WORDS = {"le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "au", "aux", "pour", "dans", "sur", "que",
             "qui", "quel", "quelle", "quels", "quelles", "combien", "quand", "il", "elle", "a", "été", "par", "ce", "cette"}
_EN_WORDS = {"the", "of", "and", "is", "a", "an", "to", "in", "for", "on", "what", "which", "who", "when", "how", "was",
             "were", "did", "does", "by", "with", "that", "this", "are", "many", "much"}


def detect_language(text: str) -> str:
    """Guess fr, en or ar: Arabic script first, then French versus English function words."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "fr"
    if sum(1 for c in letters if _ARABIC.match(c)) / len(letters) > 0.3:
        return "ar"
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    fr = sum(1 for w in words if w in _FR_WORDS) + 2 * sum(1 for c in text.lower() if c in "éèêàùçô")
    en = sum(1 for w in words if w in _EN_WORDS)
    return "en" if en > fr else "fr"


@lru_cache(maxsize=4)
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang if lang in {"fr", "en", "ar"} else "fr", clean=False)


_SIMPLE_SPLIT = re.compile(r"(?<=[.!?؟。])\s+(?=[\"'(\[]?[A-ZÀ-Ý0-9\u0600-\u06ff])")


# A full stop glued to the next sentence, as scraped pages often have it ("à compter du 1er mai 2023.En raison…"):
# after a lower-case word or a figure, before a capitalised word. "U.S.", "M.Dupont" and "1.8" do not match.
# (Ingestion's _GLUED already spaces "word.Word"; splitting here also serves text indexed before, and figures.)
# A numbered item glued the same way ("…des risques naturels.4- Le déploiement…") starts a sentence too.
_GLUED_SENTENCE = re.compile(r"(?<=[a-zà-ÿ0-9]{2}[.!?])(?=[A-ZÀ-Ý][a-zà-ÿ])|(?<=[a-zà-ÿ]{2}[.!?])(?=\d{1,2}\s?[-–)]\s)")


def split_sentences(paragraph: str, lang: str = "fr") -> list[str]:
    """Split one paragraph into sentences (pysbd, language-aware, then at full stops glued to the next sentence),
    dropping empty pieces."""
    if len(paragraph) < 40:
        return [paragraph.strip()] if paragraph.strip() else []
    try:
        pieces = _segmenter(lang).segment(paragraph)
    except Exception:  # pysbd fails on rare inputs; a plain rule is better than losing the text
        pieces = _SIMPLE_SPLIT.split(paragraph)
    if "".join("".join(pieces).split()) != "".join(paragraph.split()):
        pieces = _SIMPLE_SPLIT.split(paragraph)  # pysbd dropped characters ("…:.!!" lost its "!!"): none may be lost
    return [q.strip() for p in pieces if p and p.strip() for q in _GLUED_SENTENCE.split(p) if q.strip()]


@lru_cache(maxsize=4096)
def sentences_of(text: str, lang: str = "fr") -> tuple[str, ...]:
    """The sentences of a text whose paragraphs are separated by line breaks. Cached: one passage is read by several
    checks of the same answer (retrieval trimming, verification of each claim, quotes, completion)."""
    return tuple(s for para in text.split("\n") for s in split_sentences(para, lang))


FR_MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
             "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}
EN_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
             "september": 9, "october": 10, "november": 11, "december": 12}
AR_MONTHS = {"يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4, "ابريل": 4,
             "نيسان": 4, "ماي": 5, "مايو": 5, "أيار": 5, "يونيو": 6, "يونيه": 6, "حزيران": 6, "يوليو": 7, "يوليوز": 7,
             "تموز": 7, "غشت": 8, "أغسطس": 8, "آب": 8, "سبتمبر": 9, "شتنبر": 9, "أيلول": 9, "أكتوبر": 10,
             "تشرين الأول": 10, "نوفمبر": 11, "نونبر": 11, "تشرين الثاني": 11, "ديسمبر": 12, "دجنبر": 12,
             "كانون الأول": 12}
MONTHS = {**FR_MONTHS, **EN_MONTHS, **AR_MONTHS}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# Month names to write dates with: the first spelling of each month in the tables read above (accented French);
# Arabic as written in the Mashreq (the table also reads the Maghreb's "غشت").
_MONTH_NAMES = {
    "fr": tuple(next(m for m, n in FR_MONTHS.items() if n == i) for i in range(1, 13)),
    "en": tuple(m.capitalize() for m in EN_MONTHS),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
}


_YEAR_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def human_date(iso: str, lang: str = "fr") -> str:
    """An ISO date as people write it in that language ("3 décembre 2024", "3 December 2024"; a month alone,
    "2021-11": "novembre 2021"); unparsable as is."""
    month = _YEAR_MONTH.fullmatch(iso or "")
    if month:
        return f"{_MONTH_NAMES.get(lang, _MONTH_NAMES['fr'])[int(month.group(2)) - 1]} {month.group(1)}"
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    return f"{d.day} {_MONTH_NAMES.get(lang, _MONTH_NAMES['fr'])[d.month - 1]} {d.year}"


_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({MONTH_RE})\s+(\d{{4}})", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def find_dates(text: str) -> list[str]:
    """All dates written in the text, as ISO strings, in order of appearance.

    Understands "le 2 octobre 2020", "1er mars 2025", "2 October 2020", "October 2, 2020",
    "٢ أكتوبر ٢٠٢٠", "2020-10-02" and "02/10/2020" (day first).
    """
    text = text.translate(_ARABIC_DIGITS)
    found: list[tuple[int, str]] = []

    def add(pos: int, y: int, m: int, d: int) -> None:
        try:
            found.append((pos, date(y, m, d).isoformat()))
        except ValueError:
            pass

    for m in _DAY_MONTH_YEAR.finditer(text):
        add(m.start(), int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    for m in _MONTH_DAY_YEAR.finditer(text):
        add(m.start(), int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    for m in _ISO.finditer(text):
        add(m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in _NUMERIC.finditer(text):
        add(m.start(), int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return [iso for _, iso in sorted(found)]


_MONTH_YEAR = re.compile(rf"(?<!\d\s)(?<!\d)\b({MONTH_RE})\s+(\d{{4}})\b", re.IGNORECASE)


def find_months(text: str) -> list[str]:
    """Months named without a day ("en décembre 2024", "in October 2025", "في ديسمبر 2024"), as "YYYY-MM"."""
    text = text.translate(_ARABIC_DIGITS)
    found = []
    for m in _MONTH_YEAR.finditer(text):
        if re.search(r"\d\s*(?:er|st|nd|rd|th)?\s*$", text[: m.start()]):
            continue  # "le 9 avril 2025" is a date, found by find_dates
        month = f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}"
        if month not in found:
            found.append(month)
    return found


def parse_date(value: str) -> str:
    """Return the ISO date of a metadata value ("2025-03-12", "12 mars 2025"...), its month when it gives no day
    ("2021-11", "novembre 2021" -> "2021-11"), or "" if none."""
    value = (value or "").strip()
    if not value:
        return ""
    dates = find_dates(value)
    if dates:
        return dates[0]
    if _YEAR_MONTH.fullmatch(value):
        return value
    months = find_months(value)
    return months[0] if months else ""
