"""The checks of a follow-up's rewrite by the model, by name (described in assistant.evidence.rules.REWRITE_CHECKS):
a rewrite failing one is not taken, and the follow-up is asked with the conversation it leans on instead (see
Chain.standalone)."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.evidence.asked import Kind, kinds_of
from assistant.questions import split_question, without_context
from assistant.scripts import script_letters, scripts
from textkit.language import detect_language
from textkit.sentences import split_sentences
from textkit.terms import STOPWORDS, terms


# The share of the follow-up's own terms (those the conversation does not write) a rewrite keeps at least.
_OWN_TERMS_KEPT = 0.5

# The fewest words of a statement before the question: "J.-Y.", "Amb.", "1." split off alone are a name's, a title's,
# a list's.
_STATEMENT_WORDS = 4


def asks(question: str) -> set[Kind]:
    """The kinds of answer each part of ``question`` asks for, together."""
    return set().union(*(kinds_of(part) for part in split_question(without_context(question))))


def _questions(text: str) -> int:
    """How many questions ``text`` asks: its question marks ("??" is one), or its parts (see split_question) when
    more."""
    text = without_context(text)
    return max(len(re.findall(r"[?؟]+", text)), len(split_question(text)))


def _asked(question: str) -> set[Kind]:
    """What ``question`` asks but a figure, a person's name asked as a person (``asks`` less Kind.FIGURE; "Comment
    s'appelle-t-elle ?" and "Qui est la ministre… ?" ask the same)."""
    return {Kind.PERSON if kind is Kind.NAME else kind for kind in asks(question)} - {Kind.FIGURE}


def _not_a_question(question: str, rewritten: str, conversation: str) -> bool:
    """A statement (the model answered instead of rewriting: "La conférence s'est tenue le 27 janvier."), or a
    sentence before the question that asks nothing (the previous answer copied in: "Il a dit que… publique. Et selon
    lui, faut-il le maintenir ?"), of ``_STATEMENT_WORDS`` words at least; sentences as the sources are split ("M.
    Valmont", "art. 18" end none)."""
    text = without_context(rewritten)
    sentences = split_sentences(text, detect_language(text))
    return text.endswith(".") or any(not s.rstrip().endswith(("?", "؟")) and len(s.split()) >= _STATEMENT_WORDS
                                     for s in sentences[:-1])


def _lost_an_ask(question: str, rewritten: str, conversation: str) -> bool:
    """An ask of the follow-up's dropped by the rewrite ("Did they agree to meet again? If so, where and when?"
    rewritten "Did they agree to meet again?"; "Qui l'a signé et quand ?" rewritten "Qui a signé l'accord ?"): a kind
    of answer the follow-up asks (but a figure) that the rewrite no longer asks, when the follow-up asks several
    things (questions, parts or kinds) and the rewrite fewer. A figure is often asked in words the reading of kinds
    misses ("à combien s'élève l'effort ?" rewritten "Quel est l'effort total… ?"), and a single thing asked in other
    words ("Où ?", "À quel endroit… ?") is asked the same."""
    asked, kept = _asked(question), _asked(rewritten)
    several = _questions(rewritten) < _questions(question) or len(asked) >= 2
    return several and bool(asked - kept)


def _foreign_script(question: str, rewritten: str, conversation: str) -> bool:
    """Words in a script neither the follow-up nor the conversation writes ("أсколько ستبلغ…"): two letters or more
    of it, and not the Latin script, which names and acronyms bring into any language ("COP28"), nor signs such as
    "nº", "1ᵉʳ"."""
    known = scripts(f"{question} {conversation}") | {"LATIN"}
    return any(n >= 2 for script, n in script_letters(rewritten).items() if script not in known)


# A capitalised word: a name, whose letters ("Hélène", "Port-Sérac") say nothing of the language it is used in.
_CAPITALISED = re.compile(r"\b[^\W\d_]*[A-ZÀ-ÖØ-Þ][\w'’-]*")


def _language(text: str) -> str:
    """The language ``text`` is written in, read without its names (see ``_CAPITALISED``)."""
    words = _CAPITALISED.sub(" ", text)
    return detect_language(words if re.search(r"[^\W\d_]", words) else text)


def _own_terms(question: str, conversation: str) -> set[str]:
    """The terms of ``question`` its conversation does not write, less a question word joined to "و" or "ف" ("وكم",
    "ومتى": "and how many", "and when"), which asks what a rewrite asks in its own words."""
    own = set(terms(question)) - set(terms(conversation))
    return {t for t in own if not (t[:1] in ("و", "ف") and t[1:] in STOPWORDS)}


def _lost_own_terms(question: str, rewritten: str, conversation: str) -> bool:
    """The rewrite asks fewer questions than the follow-up, or is written in another language, and keeps fewer than
    ``_OWN_TERMS_KEPT`` of the words the follow-up brings of its own (two or more, not written in the conversation):
    what the follow-up asks is in those words, and a rewrite without them dropped a part or translated the follow-up
    into words the sources do not write ("Qui lui avait posé la question ce jour-là, et de quel titre le ministre
    qualifie-t-il la ville ?" rewritten "Who asked the minister about the decision…?"; "Et quel bilan des combats
    donne-t-il ? Pour qui la crise est-elle grave ?" rewritten as its second question). A rewrite asking as much in
    the follow-up's language may say it in other words ("À compter de quelle date prend-elle ses fonctions ?"
    rewritten "Quand est-elle nommée… ?"). (Found on follow-ups whose rewrite kept none of their words, where the
    reading of kinds saw no ask lost.)"""
    own = _own_terms(question, conversation)
    if len(own) < 2 or len(own & set(terms(rewritten))) >= _OWN_TERMS_KEPT * len(own):
        return False
    return _questions(rewritten) < _questions(question) or _language(rewritten) != _language(question)


REWRITE_FAILS: dict[str, Callable[[str, str, str], bool]] = {
    "rewrite-is-a-question": _not_a_question,
    "rewrite-keeps-asks": _lost_an_ask,
    "rewrite-own-script": _foreign_script,
    "rewrite-keeps-own-words": _lost_own_terms,
}
