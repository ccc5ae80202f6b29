"""What a question must be before it reaches retrieval and the model: some words, not too long, no control codes."""

from __future__ import annotations

import re
import unicodedata

from textkit.dates import MONTH_RE, MONTHS, date_spans
from textkit.languages import fr, question_words
from textkit.terms import terms

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


# A second question joined to the first: "…, et combien…", "… and what…", "…، وما…", or separated by ";" or "?"; an
# aside may stand between "et" and the question word ("…, et, au-delà du droit, pour quelle raison…": the second
# question keeps it). The question word may follow a preposition of time or of a set too ("…, et pendant quelle
# période…", "…, et avant quelle date…").
_PREPOSITION = (r"(?:(?:(?:à|a|de|en|pour|par|dans|sur|avec|depuis|contre|chez|selon|vers|sous|entre|pendant|durant|"
                r"après|avant|parmi|"
                r"lors\s+de|à\s+partir\s+de|au\s+cours\s+de|auprès\s+de|jusqu['’]à|"
                r"in|at|on|for|by|from|to|since|with|about|under|against|during|after|before|of)\s+|d['’])"
                # (after a preposition "que" joins a clause: "et avant que la loi…", "et pour que…")
                r"(?!qu(?:e\b|['’])))?")
# Arabic "which" (أي, أيّ, أية, اي), after a preposition written on it or before it as the English one is ("وبأي
# أداة…", with which instrument; "وفي أي مدينة…"): its own word, not the start of another ("أيضا", also).
_AR_BEFORE = r"(?:في|على|إلى|من|عن|مع)"  # (the prepositions written before the word; "ب", "ل" are written on it)
_AR_WHICH = rf"(?:[بل]|{_AR_BEFORE}\s+)?[أا]ي[\u064b-\u0652]*ة?(?=\s)"
# Another Arabic question word after its preposition, written on it or before it ("وبماذا وصف…", and how did he
# describe…; "ولمن…", to whom; "وفي كم من الوقت…", in how long; "ومنذ متى…", since when): not "ما" alone, which
# after a preposition joins a clause as often ("وبما أن…", and since…), nor "كم" written on one ("ولكم جزيل الشكر",
# and to you many thanks), "بمن فيهم" (including) or "حتى" but before "متى" ("وحتى من آسيا", and even from Asia).
_AR_ASKED_AFTER = (rf"(?:[بل](?:ماذا|من(?!\s+في[هك])|أين)|(?:{_AR_BEFORE}|منذ)\s+(?:ماذا|من|متى|كم|أين)|"
                   r"حتى\s+متى)(?!\w)")
# ("quoi" that asks nothing: "quoi qu'il arrive", "de quoi" before a verb: "un logement et de quoi vivre")
_UNLESS_QUOI_ASKS_NOTHING = (fr.QUOI_ASKS_NOTHING_AFTER +
                             r"(?!(?<=de\squoi)\s+(?:s['’]|se\s+)?[^\W\d_]+(?:er|ir|re)\b(?![-’']))")


def _fr_en_asked(open_only: bool = False) -> str:
    """A French or English question word (see textkit.languages.question_words), read whole: not "quel" of
    "quelques", "qui" of "quinze", "quoi" of "quoique"; "qu'" ends on its apostrophe; "whom" and "whose" are "who"."""
    return question_words(("fr", "en"), open_only) + r"(?:(?<=['’])|(?<=who)(?=m\b|se\b)|(?!\w))" + \
        _UNLESS_QUOI_ASKS_NOTHING


_FR_EN_ASKED = _fr_en_asked()
# (after an aside, a question word that asks what, who, when…: "que" there opens a clause as often)
_FR_EN_OPEN = _fr_en_asked(open_only=True)
_JOIN = re.compile(
    rf"\s*[;؛]\s*|[?؟]\s+(?=\S)|"
    rf",?\s+(?:et|and)(?:\s+(?={_PREPOSITION}{_FR_EN_ASKED})|(?=\s*,[^,?;]{{1,40}},\s*{_PREPOSITION}{_FR_EN_OPEN}))|"
    # (An English question asking yes or no after "and" opens with "does", "did" or "do" and its subject: "…since
    # when has the agency worked in Turkey, and does France pay grants to the Turkish state?"; not "…and do the
    # utmost")
    r",?\s+and\s+(?=(?:does|did)\s+(?:the\s+|it\b|they\b|he\b|she\b|(?-i:[A-Z]))|do\s+(?:they|you|we)\b)|"
    rf"\s*[،,]\s*و(?={question_words(('ar',))}|{_AR_WHICH}|{_AR_ASKED_AFTER})", re.IGNORECASE)


# One clause asking the same of two things, each named: "le montant de X et celui de Y", "les effectifs de X, et
# ceux mobilisés pour Y" (the second thing after a pronoun standing for the first's head), "pour X et pour Y" (the
# preposition written twice; not "à X et à Y", which joins the complements of one thing as often: "la délégation à
# l'information et à la communication"),
# "respectivement X et Y", "Entre X et Y, lequel…". Each thing is a part of its own, as a second question joined by
# "et" is: it is retrieved, ranked and answered for itself, so its sentence may be of another release than the first's
# (two releases are the commonest reason a question names two things in one clause).
# The head "celui de", "celle de" stand for: the noun with the complements of its own it writes without an article
# and in lower case ("la date d'entrée en vigueur du code et celle de l'ordonnance": the date of entry into force, not
# any date), up to the complement naming the first thing (an article or a name: "le budget de Valmont d'ici 2030 et
# celui de Valcourt" is the budget). Group 2: the noun alone, for a second thing itself written without an article
# ("le nombre de demandes d'asile et celui de titres de séjour": the number of permits, see two_subjects).
_DETERMINERS = r"la|le|les|l['’]|leur|leurs|son|sa|ses|ce|cet|cette|ces|notre|nos|votre|vos"
_HEAD = re.compile(r"\b(((?:le|la|les)\s+[^\W\d_]+|l['’]\s*[^\W\d_]+)"
                   rf"(?:\s+(?:de\s+|d['’]\s*)(?!(?:{_DETERMINERS}|ici|plus|moins)\b)"
                   r"(?-i:(?![A-ZÀ-ÖØ-Þ]))[^\W\d_]+(?:\s+en\s+[^\W\d_]+)?)*|the\s+[^\W\d_]+)"
                   r"\s+(?:de|du|des|d['’]|of)\b", re.IGNORECASE)
# A second thing written without an article, in lower case: "celui de titres de séjour", "celui de blessés".
_BARE = re.compile(rf"^(?:de\s+|d['’]\s*)(?!(?:{_DETERMINERS})\b)(?-i:[a-zà-öø-ÿ])", re.IGNORECASE)
_ASKING = re.compile(r"\b(?:quel(?:le)?s?|combien|comparez|what|which|how|compare)\b", re.IGNORECASE)
# The "et" between the two things, not one within a name ("le ministère de l'Europe et des Affaires étrangères").
_AND_THE = r",?\s+(?:et|and)\s+(?!(?:des|du|de|d['’]|of)\b)"
_SAME_OF = re.compile(r"^(?P<first>.+?),?\s+(?:et|and)\s+(?:celui|celle|ceux|celles|that|those)\s+(?P<second>"
                      r"(?:de|du|des|d['’]|of|pour|for|[^\W\d_]{3,}(?:és?|ées?|is|ies?|us?|ues?|ed))\b.+)$",
                      re.IGNORECASE)
_TWICE = re.compile(r"^(?P<lead>.+\s)(?P<prep>pour|for)\s+(?P<first>.+?),?\s+(?:et|and)\s+"
                    r"(?P=prep)\s+(?P<second>.+)$", re.IGNORECASE)
_RESPECTIVELY = re.compile(rf"^(?P<lead>.+?)\s+(?:respectivement|respectively)\s+(?P<first>.+?){_AND_THE}"
                           r"(?P<second>.+)$", re.IGNORECASE)
# Only a choice between the two ("lequel", "which"): "Entre 2020 et 2023, combien…" asks of one span.
_BETWEEN = re.compile(rf"^\s*(?:entre|between)\s+(?P<first>.+?){_AND_THE}(?P<second>.+?),\s*"
                      r"(?P<tail>(?:lequel|laquelle|lesquel(?:le)?s|which)\b.+)$", re.IGNORECASE)


# A comparison of two things: "Comparez X et Y", "Quelle est la différence entre X et Y", "Compare X and Y".
_COMPARE = re.compile(rf"^(?P<lead>.*?\b(?:compar(?:ez|er|e)|(?:différence|écart|difference|gap)\s+entre|"
                      rf"(?:difference|gap)\s+between)\s+)(?P<first>.+?){_AND_THE}(?P<second>.+)$", re.IGNORECASE)


# Two days named for one question: "aux conseils des ministres du 22 mars et du 26 avril 2023", "des 16 et 23
# septembre 2020". Each day is most often a release of its own (one meeting, one statement): each is asked for itself.
_DAY = r"\d{1,2}(?:er)?"
_TWO_DAYS = re.compile(
    rf"^(?P<lead>.*?)(?P<art>\b(?:du|des|le|les|au|aux|on)\s+)(?P<day1>{_DAY})(?:\s+(?P<month1>{MONTH_RE})"
    rf"(?:\s+(?P<year1>\d{{4}}))?)?\s+(?:et|and)\s+(?:(?:du|le|au|on)\s+)?(?P<day2>{_DAY})\s+(?P<month2>{MONTH_RE})"
    rf"(?:\s+(?P<year2>\d{{4}}))?(?P<tail>.*)$", re.IGNORECASE)


def _two_days(question: str) -> list[str] | None:
    """The two questions of a question naming two days (see _TWO_DAYS), each with its day written in full (the
    second's month and year lent to the first: "des 16 et 23 septembre 2020"); None when it names fewer."""
    found = _TWO_DAYS.match(question)
    if not found:
        return None
    if re.search(r"\b(?:entre|between|from)\s*$", found["lead"], re.IGNORECASE):  # a span: "entre le 1er et le 15 mars"
        return None
    month1, year = found["month1"] or found["month2"], found["year2"] or found["year1"]
    year1 = found["year1"] or year
    if year1 and not found["year1"] and MONTHS[month1.lower()] > MONTHS[found["month2"].lower()]:
        year1 = str(int(year1) - 1)  # "du 22 décembre et du 5 janvier 2024": December of 2023
    art = {"des": "du", "les": "le", "aux": "au"}.get(found["art"].strip().lower(), found["art"].strip())
    days = [f"{found['day1']} {month1}" + (f" {year1}" if year1 else ""),
            f"{found['day2']} {found['month2']}" + (f" {year}" if year else "")]
    return [f"{found['lead']}{art} {day}{found['tail']}" for day in days]


# Two occasions, each named by its day: "les deux déclarations, celle de X le 29 octobre 2020 et celle de Y le 30
# octobre 2020", "comment… a-t-il évolué entre le communiqué du 14 septembre 2020 et celui du 7 octobre 2020". Each
# day is most often a release of its own: each part keeps its own day (and the release dated that day ranks first for
# it), the other's left out. Not a span ("entre le 1er et le 15 mars", see _TWO_DAYS).
_ARTICLE_BEFORE = re.compile(r"\b(?:du|le|les|au|on|of)\s+$", re.IGNORECASE)


def _two_dates(question: str) -> list[str] | None:
    """The two questions of a question naming two occasions by two different days joined by "et"/"and", each without
    the other's day (and its article); None otherwise."""
    found = date_spans(question)
    if len(found) != 2 or found[0][2] == found[1][2]:
        return None
    spans = [(article.start() if (article := _ARTICLE_BEFORE.search(question[:start])) else start, end)
             for start, end, _ in found]
    between = question[spans[0][1]:spans[1][0]]
    if not re.search(r"\b(?:et|and)\b", between, re.IGNORECASE) or re.fullmatch(r"\s*(?:et|and)\s*", between):
        return None

    def without(start: int, end: int) -> str:
        return re.sub(r"\s{2,}", " ", question[:start] + question[end:]).replace(" ,", ",")

    return [without(*spans[1]), without(*spans[0])]


def _named(*things: str) -> bool:
    """Whether each thing names something of its own (two terms or more): not a bare year, month or name."""
    return all(len(set(terms(t))) >= 2 for t in things)


def two_subjects(question: str) -> list[str]:
    """The two questions a clause asking the same of two things makes (see _SAME_OF and the others); ``[question]``
    when it names one. The second keeps what the question asks ("Quel est le nombre des blessés ?", not "le nombre
    des blessés"), so that it asks for the same kind of answer."""
    q = question.strip().rstrip(" ?؟.")
    if (found := _BETWEEN.match(q)) and _named(found["first"], found["second"]):
        return [f"{found['first']}, {found['tail']}", f"{found['second']}, {found['tail']}"]
    if (found := _RESPECTIVELY.match(q)) and _named(found["first"], found["second"]):
        return [f"{found['lead']} {found['first']}", f"{found['lead']} {found['second']}"]
    if days := _two_days(q):
        return days
    if (found := _COMPARE.match(q)) and not _SAME_OF.match(q) and _named(found["first"], found["second"]):
        return [f"{found['lead']}{found['first']}", f"{found['lead']}{found['second']}"]
    if found := _SAME_OF.match(q):
        first = found["first"]
        asking = _ASKING.search(first)
        head = _HEAD.search(first, asking.start() if asking else 0)
        if head:
            noun = head.group(2) if head.group(2) and _BARE.match(found["second"]) else head.group(1)
            return [first, f"{first[:head.start()]}{noun} {found['second']}"]
    if found := _TWICE.match(q):
        return [f"{found['lead']}{found['prep']} {found['first']}", f"{found['lead']}{found['prep']} {found['second']}"]
    if dated := _two_dates(q):
        return dated
    return [question]


def split_question(question: str, max_parts: int = 3) -> list[str]:
    """The questions asked by a question that asks for several things, each ending with its question mark.

    "Combien de temps a duré la grève, et comment l'accord se compare-t-il… ?" gives two questions; a question
    asking one thing gives ``[question]``. A relative clause (", qui a…") does not split: only "et"/"and"/"و"
    or ";"/"?" join two questions, or one clause asking the same of two things ("le montant de X et celui de Y",
    see :func:`two_subjects`).
    """
    parts = [p.strip(" ,;?؟") for p in _JOIN.split(question)]
    parts = [p for p in parts if p]
    if len(parts) == 1:
        parts = [p.strip(" ,;?؟") for p in two_subjects(question)]
    # "Where and when…?" is one question about one thing: every part must name something of its own.
    if len(parts) < 2 or any(not terms(p) for p in parts):
        return [question]
    parts = parts[: max_parts - 1] + [" ; ".join(parts[max_parts - 1:])] if len(parts) > max_parts else parts
    mark = "؟" if re.search(r"[\u0600-\u06ff]", question) else " ?" if re.search(r"\s\?$", question) else "?"
    return [p + mark for p in parts]


def question_parts(question: str) -> list[set[str]]:
    """The question's terms, and those of each of its parts (see :func:`split_question`) when it asks for several
    things."""
    whole = set(terms(question))
    parts = [set(terms(part)) for part in split_question(question)]
    return [whole] + [p for p in parts if len(p) >= 2 and p != whole]


def without_context(question: str) -> str:
    """A standalone question without the conversation a failed rewrite put in brackets at its end ("Who is Batist
    Lorfelek? (Quels communiqués ont été publiés… ?)"): what the user asks, not what was asked before."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", question)


def conversation_of(question: str) -> str:
    """What a failed rewrite put in brackets at a standalone question's end (see :func:`without_context`), or ""."""
    found = re.search(r"\(([^()]*)\)\s*$", question)
    return found.group(1).strip() if found else ""


# A follow-up leaning on the conversation through a subject pronoun ("Et quand entre-t-il en vigueur ?", "When does
# it start?"), with no noun of its own before it ("les abonnés seront-ils…" names its subject).
_PRONOUN = re.compile(r"\w-(?:t-)?(?:il|elle|ils|elles)\b|\b(?:il|elle|ils|elles)\s+\w|\b(?:it|they)\b", re.IGNORECASE)
_OWN_SUBJECT = re.compile(r"(?:\b(?:le|la|les|ce|cette|ces|the|this|these)\s+|\bl['’])(?:[\w'’]+\s+){1,5}?"
                          r"\w+-(?:t-)?(?:il|elle|ils|elles)\b", re.IGNORECASE)
# What a question is about: its first noun phrase, from a determiner to the verb or the question mark ("le projet de
# loi de finances pour 2026" in "Qui a présenté le projet de loi de finances pour 2026 ?").
_SUBJECT = re.compile(
    r"(?:\b(?:le|la|les|du|des|the)\s+|\bl['’])[^?؟]+?"
    r"(?=\s+\w+-(?:t-)?(?:il|elle|ils|elles)\b|\s+(?:a|ont|est|sont|was|were|is|are|did|does|do)\b|\s*[?؟]|$)",
    re.IGNORECASE)

# A day ("le 13 octobre", "le lundi 13 octobre", "le 13/10/2025", "le 1ᵉʳ mars", "the 3rd of May"); "le Premier
# ministre", "the 27 member states" are none.
_A_DAY = re.compile(rf"(?:le|the)\s+(?:(?:{'|'.join(fr.WEEKDAYS)})\s+)?"
                    rf"(?:(?:{_DAY}|\d{{1,2}}ᵉʳ|\d{{1,2}}(?:st|nd|rd|th))\s+(?:of\s+)?(?:{MONTH_RE})\b|"
                    rf"\d{{1,2}}/\d{{1,2}}\b)", re.IGNORECASE)


def antecedent(question: str, previous: str) -> str:
    """What the follow-up's subject pronoun stands for: the first noun phrase of the previous question ("le projet de
    loi de finances pour 2026"), or "" when the follow-up has no such pronoun or the previous question no such
    phrase."""
    if not _PRONOUN.search(question) or _OWN_SUBJECT.search(question):
        return ""
    # (a day is no subject: "…s'est-il rendu au Luxembourg le 13 octobre 2020 ?" is about who went)
    found = next((m for m in _SUBJECT.finditer(previous) if not _A_DAY.match(m.group(0))), None)
    return found.group(0).strip() if found else ""


# Words that lean on the conversation: "Et quand… ?", "prévoit-il", "ce chiffre", "And what…", "its", Arabic "و…".
_FOLLOW_UP = re.compile(
    r"^\s*(?:et|and|mais|but|also|aussi)\b|^\s*و|-t-(?:il|elle|ils|elles|on)\b|-(?:il|elle|ils|elles)\b|"
    r"\b(?:il|elle|ils|elles|lui|leur|ce|cet|cette|ces|celui|celle|it|its|they|them|their|this|that|these|those|"
    r"he|she|his|her|him)\b", re.IGNORECASE)


def leans_on_conversation(question: str) -> bool:
    """Whether the question leans on the conversation before it (a follow-up: "Et quand… ?", "prévoit-il")."""
    return bool(_FOLLOW_UP.search(question))
