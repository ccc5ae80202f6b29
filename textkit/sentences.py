"""Sentence splitting for French, English and Arabic."""

from __future__ import annotations

import re
from functools import lru_cache

from textkit.dates import date_spans
from textkit.normalize import GLUED_START


@lru_cache(maxsize=4)
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang if lang in {"fr", "en", "ar"} else "fr", clean=False)


_SIMPLE_SPLIT = re.compile(r"(?<=[.!?؟。])\s+(?=[\"'(\[]?[A-ZÀ-Ý0-9\u0600-\u06ff])")


# A full stop glued to the next sentence, as scraped pages often have it ("à compter du 1er mai 2023.En raison…"):
# after a lower-case word or a figure, before what starts a sentence (see textkit.normalize.GLUED_START: a capitalised
# or elided word, "A", an interview's "Q -"). "U.S.", "M.Dupont" and "1.8" do not match.
# (Ingestion's _GLUED already spaces "word.Word"; splitting here also serves text indexed before, and figures.)
# A numbered item glued the same way ("…des risques naturels.4- Le déploiement…") starts a sentence too.
_GLUED_SENTENCE = re.compile(rf"(?<=[a-zà-ÿ0-9]{{2}}[.!?])(?={GLUED_START})|"
                             r"(?<=[a-zà-ÿ]{2}[.!?])(?=\d{1,2}\s?[-–)]\s)")


# The version of a language's sentence rules, where they changed after documents were first indexed: a document's
# index records its language's (ingest.chunking.rules_applied), so the next ingest cuts its documents again.
SENTENCE_RULES = {"ar": "2"}  # 2: clauses joined again (below)

# pysbd's Arabic rules end a sentence at the Arabic comma "،" and at a colon, as at a full stop: one sentence of a
# release became four clauses, and a clause of purpose ("للمشاركة في إخماد حريق الغابات…", "to help put out the
# fire…") was quoted alone as an answer. Its French and English rules end none there; the Arabic pieces are joined
# again.
_CLAUSE_ENDS = ("،", ":")


def _clauses_joined(pieces: list[str]) -> list[str]:
    """pysbd's Arabic pieces, each ending in a clause's comma or a colon joined to the piece after it (pieces keep
    their spaces: joining loses no character)."""
    out: list[str] = []
    for piece in pieces:
        if out and out[-1].rstrip().endswith(_CLAUSE_ENDS):
            out[-1] += piece
        else:
            out.append(piece)
    return out


# A title abbreviated before a name ("MM. Peter Altmaier et Bruno Le Maire", "le Pr. Valmont"), or a reference
# before its number ("l'art. 3"): pysbd ends a French sentence there, and the names after it were quoted apart from
# their roles. ("…les métiers d'art. La ministre…" ends one: "art." joins only a figure or a lower-case word.)
ABBREVIATIONS_JOINED = "1"  # (the version of the rule below, recorded in the index: see ingest.chunking.rules_applied)
_TITLES, _REFERENCES = r"(?:^|[\s'’])(?:MM|Pr|Dr|Mgr|Me)\.", r"(?:^|[\s'’])(?:art|cf)\."
_TITLE_END = re.compile(rf"{_TITLES}\s*$")
_REFERENCE_END = re.compile(rf"{_REFERENCES}\s*$")
_ABBREVIATION = re.compile(rf"{_TITLES}\s+[A-ZÀ-Ý]|{_REFERENCES}\s+[\da-zà-ÿ]")


def abbreviation_before_name(text: str) -> bool:
    """Whether the text writes an abbreviation the sentence splitter joins to what follows ("MM. Valmont")."""
    return bool(_ABBREVIATION.search(text))


def _abbreviations_joined(pieces: list[str]) -> list[str]:
    """Pieces ending with a title abbreviated ("…et français, MM.") joined to the piece after it, or with a
    reference ("l'art.") to a piece opening with a figure or a lower-case word."""
    out: list[str] = []
    for piece in pieces:
        if out and (_TITLE_END.search(out[-1]) or _REFERENCE_END.search(out[-1]) and re.match(r"\s*[\da-zà-ÿ]", piece)):
            out[-1] += piece if piece[:1].isspace() or out[-1][-1:].isspace() else f" {piece}"
        else:
            out.append(piece)
    return out


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
    elif lang == "ar":
        pieces = _clauses_joined(pieces)
    if lang == "fr":  # (pysbd's English rules end no sentence at "Mr.", "Dr.")
        pieces = _abbreviations_joined(pieces)
    return [q.strip() for p in pieces if p and p.strip() for q in _GLUED_SENTENCE.split(p) if q.strip()]


@lru_cache(maxsize=4096)
def sentences_of(text: str, lang: str = "fr") -> tuple[str, ...]:
    """The sentences of a text whose paragraphs are separated by line breaks. Cached: one passage is read by several
    checks of the same answer (retrieval trimming, verification of each claim, quotes, completion)."""
    return tuple(s for para in text.split("\n") for s in split_sentences(para, lang))


# A list the sentence splitter kept as one sentence ("- 3 600 postes… ; - 520 millions… ; - les crédits…"): each
# item states its own fact, and a 400-character run of items is no answer to one question.
_LIST_ITEM = re.compile(r"(?:^|(?<=[;:]))\s*[-•–]\s+")


def items(sentence: str) -> list[str]:
    """The items of a list written as one sentence, or ``[sentence]``."""
    if not _LIST_ITEM.search(sentence):
        return [sentence]
    return [p.strip(" ;") for p in _LIST_ITEM.split(sentence) if len(p.strip(" ;").split()) >= 2]


# A numbered list's item: "1/ …", "2) …", "(3) …", "a) …". Its items may each end with a full stop.
_ENUMERATED = re.compile(r"\(?(?:\d{1,2}|[a-h])\s?[/)°]\s")


def enumerated(sentence: str) -> bool:
    """Whether the sentence is an item of a numbered list ("1/ La mise en commun…", "b) la baisse de la TVA.")."""
    return _ENUMERATED.match(sentence) is not None


FULL_STOP = tuple(".!?؟…")


def announced_length(following: list[str] | tuple[str, ...], most: int) -> int:
    """How many of the sentences ``following`` one that ends with a colon it announces: up to the first ending with a
    full stop (a list's last item, a declaration's first sentence), a numbered list's items, which may each end so, to
    its last numbered item; at most ``most``, and all of them when none ends so."""
    for n, sentence in enumerate(following[:most]):
        numbered_on = enumerated(sentence) and n + 1 < len(following) and enumerated(following[n + 1])
        if sentence.rstrip().endswith(FULL_STOP) and not numbered_on:
            return n + 1
    return min(len(following), most)


# A shorter "sentence" is a heading or "Merci.": never an answer's candidate, so never embedded for one either.
MIN_QUOTE_WORDS = 4

# A word that is a web address (with its scheme, "www." or a known ending) or an e-mail address, once the
# punctuation around it is stripped. Matched word by word, whole: a regular expression searched through a sentence
# would try every start in a 300,000-character word (a hostile file), and take minutes.
_ADDRESS = re.compile(r"(?:https?://|www\.)\S*|[^@\s]+@[^@\s]+\.\w+|"
                      r"[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|net|eu|int|gov|ma|dz|tn|uk|de|be|ch)(?:[/?#]\S*)?",
                      re.IGNORECASE)
_AROUND = "()[]<>«»\"'“”‘’.,;:!?…*–—،؛؟"


def _is_address(word: str) -> bool:
    if "." not in word:  # (most words: every sentence of every answer's passages is read)
        return False
    word = word.strip(_AROUND).split("’")[-1].split("'")[-1]  # "l'interieur.gouv.fr"
    return "." in word and _ADDRESS.fullmatch(word) is not None


def writes_address(text: str) -> bool:
    """Whether the text writes a web or e-mail address ("https://www.valmont.gouv.fr", "presse@valmont.gouv.fr")."""
    return any(_is_address(word) for word in text.split())


def quotable(sentence: str, min_words: int = MIN_QUOTE_WORDS) -> bool:
    """Whether an answer may quote the sentence: ``min_words`` words or more. In a sentence writing a web or e-mail
    address, the address and the dates count for no word: a scraped page's provenance line ("Source
    https://www.valmont.gouv.fr, le 2 octobre 2020", "Contact : presse@valmont.gouv.fr, le 2 octobre 2020") is an
    address and its release's date, no statement, yet it gives a date to every question asking when and was quoted as
    the answer. ("Le taux est de 5 % (www.valmont.fr)." keeps its five words, the figure one of them.)"""
    words = sentence.split()
    kept = [w for w in words if not _is_address(w)]
    if len(kept) == len(words):
        return len(words) >= min_words
    rest = " ".join(kept)
    for start, end, _ in reversed(date_spans(rest)):
        rest = f"{rest[:start]} {rest[end:]}"
    return sum(any(ch.isalnum() for ch in word) for word in rest.split()) >= min_words


def quotable_sentences(text: str, lang: str = "fr") -> list[str]:
    """The sentences of a text as an answer may quote them: a list written as one sentence split into its items,
    each stripped (see assistant.evidence.candidates, which also leaves out the short ones)."""
    return [item.strip() for s in sentences_of(text, lang) for item in items(s.strip())]


# A line ending as a sentence, a clause or a greeting does ("Madame la Députée,") is no heading; nor one holding the
# end of a sentence ("Merci. Merci beaucoup") or a comma (a name and its office, "Valcourt, mai 2025"), nor a
# speech's greeting written without its comma ("Monsieur le ministre et cher Joël"), nor a list's item or an
# interview's turn: a line starting with a figure, a bullet or a dash, or "Q -" / "R :".
_ENDS_STATEMENT = tuple(".!?;:…»\"”)'’؟")  # (a comma anywhere is checked apart)
_SENTENCE_END_WITHIN = re.compile(r"(?<=\w{3})[.!?؟]\s+\S")  # (not after "M." or "Dr.")
_GREETING = re.compile(r"(?i:monsieur|madame|mesdames|messieurs|mesdemoiselles|chers?|chères?|dear|ladies|"
                       r"excellen|أيها|أيتها|السيدات|السادة)\b")
_ITEM = re.compile(r"[\d٠-٩\-–—•*·▪>]|(?i:q|r|question|réponse|answer|س|ج)\s*[-–—:.]")


def is_heading(line: str, most_words: int = 8) -> bool:
    """Whether a line of a release is a section's heading ("Vacances d'automne"): a line of its own of at most
    ``most_words`` words that does not end as a statement, a clause or a greeting does, holds no sentence's end nor
    comma, is no list's item nor interview's turn, greets no one, and gives no date ("Valcourt, le 22 mai 2025"
    heads the release, not a section)."""
    line = line.strip()
    return (bool(line) and len(line.split()) <= most_words and not line.endswith(_ENDS_STATEMENT)
            and "," not in line and "،" not in line and not _ITEM.match(line)
            and not _SENTENCE_END_WITHIN.search(line) and not _GREETING.match(line) and not date_spans(line))
