"""Check what the model wrote against the passages it was given.

Every sentence must be supported by a passage: its numbers must appear there, and its content must
overlap the passage's words or be close to it in embedding space. Citations that point nowhere are
removed, unsupported citations are moved to the passage that does support the sentence, and
sentences that nothing supports are dropped and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.citations import best_quote, with_citations
from assistant.claims import Claim, focus, not_as_average, other_year, says_question_back
from assistant.verify_reasons import VerifyReason, message
from core.types import NOT_FOUND, Citation, Passage, Sentence
from textkit.dates import find_dates, find_months
from textkit.modality import speaks_of_future
from textkit.names import acronyms, names_absent, respell, source_spellings
from textkit.numbers import numbers_supported, prune_numbers, spelled_numbers, unit_mismatches, units_of
from textkit.sentences import split_sentences
from textkit.terms import STOPWORDS, numbers, terms

_CITE = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_REFUSALS = re.compile(
    r"NOT[_ ]?FOUND|ne (?:contiennent|mentionnent|précisent|permettent|fournissent|donnent|indiquent) pas|"
    r"aucune (?:information|mention|précision)|pas d'information|do(?:es)? not (?:contain|mention|say|specify|provide|include)|"
    r"no information|not (?:mentioned|specified|provided|stated)|لا (?:تتضمن|تذكر|تحتوي|يوجد)|لم (?:يتم|يرد|تذكر)|"
    # Apologies are refusals too ("أعتذر، ولكنني لا أملك المعلومة", "Je suis désolé, je ne dispose pas…").
    r"أعتذر|عذرا[ًا]?،|لا (?:أملك|أستطيع|يمكنني)|je (?:suis désolée?|ne dispose pas|ne peux pas)|"
    r"I(?:'m| am) sorry|I (?:cannot|can't|do not have|don't have)",
    re.IGNORECASE,
)
_CITATION_ONLY = re.compile(r"^\W*(?:sources?|r[ée]f[ée]rences?|passages?|citations?|المصادر|المصدر|المرجع)\W*$",
                            re.IGNORECASE)
_LIST_MARK = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s+")  # a list item's mark: "- ", "• ", "1. ", "2) "


@dataclass(frozen=True)
class Verification:
    """The checked answer: kept sentences with valid citations, and what was dropped."""

    text: str
    sentences: tuple[Sentence, ...]
    citations: tuple[Citation, ...]
    refused_by_model: bool
    dropped: int

    @property
    def supported(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if s.supported)


def is_refusal(text: str) -> bool:
    """Whether the model's text says that the passages do not answer."""
    return bool(_REFUSALS.search(text)) or text.strip().upper().startswith(NOT_FOUND)


_RANGE = re.compile(r"\b(?:entre|between|from|depuis|since|jusqu['’]|until|avant|before|après|after)\b|بين|منذ|حتى|قبل|بعد",
                    re.IGNORECASE)


def dated_passages(question: str, passages: tuple[Passage, ...]) -> set[int]:
    """Indexes of the passages of the one date or month the question names ("l'accord signé en décembre 2024"); empty
    when it names none, several, or a range ("entre novembre et décembre 2024"), or when no passage is of that date."""
    asked = set(find_dates(question)) | set(find_months(question))
    if len(asked) != 1 or _RANGE.search(question):
        return set()
    [when] = asked
    # A release dated by its month only ("2021-11") is of every day of that month.
    return {i for i, p in enumerate(passages)
            if p.chunk.date and (p.chunk.date.startswith(when) or when.startswith(p.chunk.date))}


def flagged(text: str, citations: tuple[int, ...], supported: bool, code: VerifyReason, lang: str,
            detail: str = "") -> Sentence:
    """A sentence with the code of why it was removed or changed, and its message in the answer's language."""
    return Sentence(text, citations, supported, message(code, lang, detail), code.value)


def _fewer_sources(sentences: list[Sentence], supporters: dict[str, list[int]], passages,
                   lang: str) -> list[Sentence]:
    """A sentence citing a release no earlier sentence cites moves to a release an earlier sentence cites, when one
    of its passages supports it too: fewer sources to check, and the answer's main release rather than another one
    repeating the figure ("18 000 tonnes par an" is in the fisheries accord and in the commission's later release)."""
    out: list[Sentence] = []
    earlier: set[str] = set()
    for s in sentences:
        if s.supported and s.citations:
            own = {passages[n - 1].chunk.doc_id for n in s.citations}
            moved = [i for i in supporters.get(s.text, []) if passages[i].chunk.doc_id in earlier]
            if earlier and not own & earlier and moved:
                s = flagged(s.text, (moved[0] + 1,), True, VerifyReason.CITATION_TO_CITED_RELEASE, lang)
            earlier |= {passages[n - 1].chunk.doc_id for n in s.citations}
        out.append(s)
    return out


class _Sources:
    """The passages an answer is checked against, and what every claim reads of them, computed once per answer."""

    def __init__(self, passages: tuple[Passage, ...], lang: str, question: str, idf: Callable[[str], float],
                 measured: bool):
        self.passages, self.lang, self.question, self.idf = passages, lang, question, idf
        self.measured = measured  # whether claims were compared with the passages in embedding space
        self.question_terms = set(terms(question))
        contexts = [f"{p.chunk.title} {p.chunk.issuer} {p.chunk.date}\n{p.full_text}" for p in passages]
        self.terms = [set(terms(c)) for c in contexts]
        # Spelled out once per passage, for the claims writing acronyms.
        self.acronyms = lru_cache(maxsize=None)(lambda i: acronyms(contexts[i]))
        # The publication date is metadata, not text: its day and month ("2025-03-12") support a claim only when
        # the claim gives that date; otherwise "12 millions" would find its 12 there.
        self.numbers = [spelled_numbers(f"{p.chunk.title} {p.chunk.issuer} {p.full_text} {p.chunk.date[:4]}",
                                        p.chunk.lang or lang) for p in passages]
        self.text_numbers = lru_cache(maxsize=None)(lambda i: spelled_numbers(passages[i].full_text,
                                                                              passages[i].chunk.lang or lang))
        self.units = [units_of(f"{p.chunk.title}\n{p.full_text}") for p in passages]
        # A question naming a date or a month ("l'accord signé en décembre 2024") is answered from the releases of
        # that date when some are among the passages: the November release's demands are not the December accord.
        self.dated = dated_passages(question, passages)
        self.words = lru_cache(maxsize=None)(lambda i: set(terms(passages[i].full_text)))
        # The question with its names as each passage writes them ("Batist Lorfelek" in a machine translation, for
        # the question's "Baptiste Lorvellec"): that passage is about the name all the same. Once per passage.
        self.asked_in = lru_cache(maxsize=None)(lambda i: respell(question, source_spellings(
            question, [f"{passages[i].chunk.title} {passages[i].full_text}"])))
        # The question's names that passage writes otherwise.
        self.respelled_in = lru_cache(maxsize=None)(lambda i: self.question_terms - set(terms(self.asked_in(i))))

    def names_absent(self, claim: Claim, i: int) -> set[str]:
        """The claim's names that passage ``i`` never writes."""
        same_language = (self.passages[i].chunk.lang or self.lang) == self.lang
        absent = names_absent(claim.names, self.terms[i], 5 if same_language else 4)
        if absent & claim.acronyms and same_language:
            absent -= claim.acronyms & self.acronyms(i)
        if not absent and claim.asked_names and same_language:
            # A claim about the question's people or places that a passage naming none of them supports is about
            # others: "Emmanuel Macron a dit à Nikol Pashinian… « c'est la dixième fois que je m'entretiens avec
            # lui »" is the foreign minister on his Armenian counterpart. (Within a language: across scripts names
            # are written otherwise; measured, two right answers of the sample lost.)
            unnamed = names_absent(claim.asked_names - self.respelled_in(i), self.terms[i], 5) - self.acronyms(i)
            absent = claim.asked_names if unnamed == claim.asked_names else set()
        return absent

    def own_words(self, claim: Claim, i: int) -> float:
        """The share of what the claim adds to the question (idf-weighed words) that passage ``i``'s own text
        writes: its title and issuer support a claim too, but the passage to open is the one that says it
        ("Ministre de la Transition hydrique : Mme Hélène Marchetti-Brissac", not a quotation of hers in a release
        of her ministry)."""
        added = claim.terms - self.question_terms - STOPWORDS
        idf = self.idf
        return sum(idf(t) for t in added & self.words(i)) / sum(idf(t) for t in added) if added else 0.0


class Verifier:
    """Checks answers against passages with lexical evidence and, when an embedder is given, similarity."""

    def __init__(self, embedder=None, min_similarity: float = 0.55, min_overlap: float = 0.5, min_focus: float = 0.3,
                 min_similarity_crosslingual: float = 0.45, min_similarity_dated_by_release: float = 0.38):
        self.embedder = embedder
        self.min_similarity = min_similarity
        # A claim and a passage in different languages embed less close: measured 0.45-0.6 when supported.
        self.min_similarity_crosslingual = min_similarity_crosslingual
        self.min_overlap = min_overlap
        self.min_focus = min_focus
        # Figures only a release's title or publication date gives support a claim at least this close to the passage:
        # a date copied from a release's title into a claim about something else is far from that release (such
        # invented claims measured 0.32-0.36, supported ones 0.40-0.85); the bar is between.
        self.min_similarity_dated_by_release = min_similarity_dated_by_release

    def _measures(self, passages: tuple[Passage, ...]) -> bool:
        """Whether claims can be compared with the passages in embedding space (keyword-only hits carry no vector)."""
        return self.embedder is not None and all(p.vector is not None for p in passages)

    def _similarities(self, sentences: list[str], passages: tuple[Passage, ...]) -> list[list[float]]:
        if not sentences or not self._measures(passages):
            return [[0.0] * len(passages) for _ in sentences]
        embed = getattr(self.embedder, "embed_queries", None) or (lambda xs: [self.embedder.embed_query(x) for x in xs])
        vectors = embed(sentences)
        return [[sum(a * b for a, b in zip(v, p.vector)) for p in passages] for v in vectors]

    def verify(self, raw: str, passages: tuple[Passage, ...], lang: str, question: str = "",
               idf: Callable[[str], float] | None = None) -> Verification:
        """Check ``raw`` (the model's answer to ``question``) against ``passages`` (numbered from 1).

        With ``question``, a claim must also come from a part of a same-language passage that is about the
        question (see :func:`assistant.claims.focus`); ``idf`` weighs the question's terms (uniform without it).
        """
        pieces = claims_of(raw, lang)
        sims = self._similarities([c for c, _ in pieces], passages)
        sources = _Sources(passages, lang, question, idf or (lambda term: 1.0), self._measures(passages))
        supporters: dict[str, list[int]] = {}  # every passage that supports a sentence, not only the cited one
        sentences: list[Sentence] = []
        for (text, cited), sim_row in zip(pieces, sims):
            sentences += self._checked(text, cited, sim_row, sources, supporters)
        return _renumbered(_fewer_sources(sentences, supporters, passages, lang), passages, lang, question,
                           refused=is_refusal(raw))

    def _checked(self, text: str, cited: list[int], sim_row: list[float], sources: _Sources,
                 supporters: dict[str, list[int]]) -> list[Sentence]:
        """The sentence checked; a sentence right but for one invented detail ("..., le 1er décembre 2026") keeps
        its supported part, and the detail is reported as removed."""
        sentence, missing = self._check(text, cited, sim_row, sources, supporters)
        if not sentence.supported and missing:
            pruned = prune_numbers(text, missing, sources.lang)
            if pruned:
                kept_part, removed = pruned
                retry, _ = self._check(kept_part, cited, sim_row, sources, supporters)
                if retry.supported:
                    return [retry, replace(sentence, text=removed, citations=())]
        return [sentence]

    def _check(self, text: str, cited: list[int], sim_row: list[float], sources: _Sources,
               supporters: dict[str, list[int]]) -> tuple[Sentence, set[str]]:
        """The sentence with the citations that support it, and the numbers no passage holds."""
        passages, lang = sources.passages, sources.lang
        claim = Claim.read(text, cited, sources.question, lang, len(passages))
        if says_question_back(claim, sources.question, lang):
            return flagged(text, claim.cited, False, VerifyReason.RESTATES_QUESTION, lang), set()
        results = [self._support(claim, i, sim_row[i], sources) for i in range(len(passages))]
        if sources.dated:
            # A passage of another date does not support it; one whose release has no known date may.
            other = {i for i, p in enumerate(passages) if i not in sources.dated and p.chunk.date}
            elsewhere = any(ok for i, (ok, *_) in enumerate(results) if i in other)
            results = [(False, r[1], (VerifyReason.OTHER_DATE, ""), set()) if i in other else r
                       for i, r in enumerate(results)]
            if elsewhere and not any(ok for ok, *_ in results):
                return flagged(text, claim.cited, False, VerifyReason.OTHER_DATE, lang), set()
        supporters[text] = [i for i, (ok, *_) in enumerate(results) if ok]
        good_cited = [n for n in claim.cited if results[n - 1][0]]
        if good_cited:
            return Sentence(text, tuple(good_cited), True), set()
        candidates = [i for i in range(len(passages)) if results[i][0]]
        if candidates:
            # Words match within a language only: among passages of several languages, the closest one.
            same_language = all((passages[i].chunk.lang or lang) == lang for i in candidates)
            best = max(candidates, key=lambda i: results[i][1] + (sources.own_words(claim, i) if same_language else 0.0))
            return flagged(text, (best + 1,), True, VerifyReason.CITATION_MOVED if claim.cited
                           else VerifyReason.CITATION_ADDED, lang), set()
        # The reason given is the one of the passage that came closest to supporting the sentence.
        closest = claim.cited[0] - 1 if claim.cited else max(range(len(passages)), key=lambda i: results[i][1])
        _, _, (code, detail), missing = results[closest]
        return flagged(text, claim.cited, False, code, lang, detail), missing

    def _support(self, claim: Claim, i: int, sim: float,
                 sources: _Sources) -> tuple[bool, float, tuple[VerifyReason, str], set[str]]:
        """Whether passage ``i`` (``sim`` close to the claim) supports the claim, how well (word overlap plus
        similarity), why not (a code and the names or figures concerned; unread when it does), and the claim's numbers
        it does not hold."""
        passage, lang = sources.passages[i], sources.lang
        same_language = (passage.chunk.lang or lang) == lang
        missing, dated_by_release = self._missing_numbers(claim, i, sim, sources)
        overlap = len(claim.terms & sources.terms[i]) / max(1, len(claim.terms))
        floor = self.min_similarity if same_language else self.min_similarity_crosslingual
        if not same_language and claim.novel_numbers and not missing:
            # Across languages words do not match, but the figures the claim adds do: a weaker similarity suffices
            # when they are all in the passage.
            floor -= 0.1
        ok = not missing and (overlap >= self.min_overlap or sim >= floor)
        absent = sources.names_absent(claim, i) if ok else set()
        if absent:
            # A name the passage never writes ("dirigée par Mme Anne Roche") is not from it.
            return False, overlap + sim, (VerifyReason.NAMES_ABSENT, ", ".join(sorted(absent))), set()
        if ok and not_as_average(claim, passage, sources.question, lang):
            return False, overlap + sim, (VerifyReason.NOT_AS_AVERAGE, ""), set()
        if ok and claim.novel_numbers and other_year(claim.years, passage, lang):
            return False, overlap + sim, (VerifyReason.OTHER_YEAR, ""), set()
        why = ((VerifyReason.DATED_BY_RELEASE, ", ".join(sorted(missing))) if dated_by_release
               else (VerifyReason.NUMBERS_ABSENT, ", ".join(sorted(missing))) if missing
               else (VerifyReason.UNSUPPORTED, ""))
        if ok and sources.question and same_language:
            if focus(claim.text, claim.numbers, sources.asked_in(i), passage, lang, sources.idf) < self.min_focus:
                ok, why = False, (VerifyReason.ABOUT_SOMETHING_ELSE, "")
        return ok, overlap + sim, why, missing

    def _missing_numbers(self, claim: Claim, i: int, sim: float, sources: _Sources) -> tuple[set[str], bool]:
        """The claim's numbers (or units) passage ``i`` does not give, and whether the rest are given only by the
        release's title or date while the claim is not close to the passage."""
        passage, lang = sources.passages[i], sources.lang
        pool = sources.numbers[i]
        # A claim about what will happen ("la cérémonie aura lieu le 26 août") is not supported by the day the
        # release was published; a claim about what happened that day may be ("le ministre a présenté ce mercredi").
        if passage.chunk.date in claim.dates and not speaks_of_future(claim.text):
            pool = pool | numbers(passage.chunk.date.replace("-", " "))
        missing = numbers_supported(claim.numbers, pool)
        if claim.numbers and not missing:
            # Only for same-language passages: unit words are matched in French and English only.
            if (passage.chunk.lang or lang) == lang and lang in {"fr", "en"}:
                missing = unit_mismatches(claim.text, sources.units[i])
        if (claim.novel_numbers and not missing and sources.measured
                and sim < self.min_similarity_dated_by_release):
            # Figures only the release's title or date gives ("Cette politique a été mise en place le 29 octobre
            # 2020" from a speech of that day, by two shared words at 0.36) support only a claim close to the
            # passage: left out, they are reported and the rest of the claim is checked. (Unless similarities were
            # not measured: then words alone decide.)
            missing = numbers_supported(claim.novel_numbers, sources.text_numbers(i))
            return missing, bool(missing)
        return missing, False


def claims_of(raw: str, lang: str) -> list[tuple[str, list[int]]]:
    """The model's sentences with the passage numbers each cites, without citation-only lines, list marks or a
    sentence said twice."""
    pieces: list[tuple[str, list[int]]] = []
    for para in raw.strip().split("\n"):
        for s in split_sentences(para.strip(), lang):
            cited = []
            for group in _CITE.findall(s):
                cited.extend(int(x) for x in re.split(r"[,;]", group))
            clean = _CITE.sub("", s).strip()
            clean = _LIST_MARK.sub("", clean)
            if _CITATION_ONLY.match(clean):
                continue  # "Sources : [2]" lines carry no claim of their own
            if clean and clean.upper() != NOT_FOUND and len(terms(clean)) >= 1:
                if any(clean.casefold() == seen.casefold() for seen, _ in pieces):
                    continue  # said twice (two parts of a question answered alike): kept once
                pieces.append((clean, cited))
    return pieces


def _renumbered(sentences: list[Sentence], passages, lang: str, question: str, refused: bool) -> Verification:
    """The verification of the checked sentences, citations renumbered in order of first use ([1], [2]...)."""
    kept = [s for s in sentences if s.supported]
    used: dict[int, int] = {}
    for s in kept:
        for n in s.citations:
            used.setdefault(n, len(used) + 1)
    text = " ".join(with_citations(s.text, [used[n] for n in s.citations]) for s in kept).strip()
    citations = []
    for old, new in sorted(used.items(), key=lambda kv: kv[1]):
        p = passages[old - 1]
        claims = " ".join(s.text for s in kept if old in s.citations)
        c = p.chunk
        citations.append(Citation(n=new, doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title, date=c.date,
                                  issuer=c.issuer, quote=best_quote(claims, p.full_text, c.lang or lang, question=question),
                                  passage=p.full_text, source=c.source, page=c.page))
    renumbered = tuple(replace(s, citations=tuple(used.get(n, n) for n in s.citations) if s.supported else s.citations)
                       for s in sentences)
    return Verification(text=text, sentences=renumbered, citations=tuple(citations),
                        refused_by_model=refused and not kept, dropped=len(sentences) - len(kept))
