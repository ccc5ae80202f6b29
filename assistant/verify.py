"""Check what the model wrote against the passages it was given.

Every sentence must be supported by a passage: its numbers must appear there, and its content must
overlap the passage's words or be close to it in embedding space. Citations that point nowhere are
removed, unsupported citations are moved to the passage that does support the sentence, and
sentences that nothing supports are dropped and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.citations import best_quote, with_citations
from assistant.question_kinds import expects_date
from core.types import NOT_FOUND, Citation, Passage, Sentence
from textkit.dates import MONTHS, find_dates, find_months
from textkit.names import acronyms, name_runs, names_absent, names_or_months, proper_names, respell, source_spellings
from textkit.numbers import (number_variants, numbers_supported, spelled_numbers, unit_mismatches, units_of,
                             years_of_figures)
from textkit.sentences import sentences_of, split_sentences
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
# Where a question asking for several things splits: ";", "?", or a comma / "et" / "and" before a question word.
_QUESTION_WORDS = r"(?:comment|combien|quel(?:le)?s?|quand|où|qui|pourquoi|how|what|when|where|who|which|why|كم|متى|ما|من|أين)"
_PARTS = re.compile(rf"[;?؟]|,\s*(?:(?:et|and|و)\s+)?(?={_QUESTION_WORDS}\b)|\s(?:et|and)\s+(?={_QUESTION_WORDS}\b)",
                    re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:ne|n'|n’)\s*\w*\s*(?:pas|jamais|plus|aucun)|\bnot\b|n't\b|\bnever\b|\bno longer\b|"
                       r"(?:^|\s)(?:لم|لن|ليس|لا)\s", re.IGNORECASE)
# A claim about what will happen ("la cérémonie aura lieu le 26 août") is not supported by the day the release was
# published; a claim about what happened that day may be ("le ministre a présenté ce mercredi").
_FUTURE = re.compile(r"\b(?:aura|auront|sera|seront|fera|feront|ira|iront|\w{3,}(?:era|eront|ira|iront|dra|dront)|will|"
                     r"shall)\b|سوف|سيتم|ستقام",
                     re.IGNORECASE)
# An average is a figure of its own: "salaire moyen" is not supported by a sentence giving a salary threshold.
_STATISTIC = re.compile(r"\b(?:moyens?|moyennes?|médians?|médianes?|average|mean|median)\b|متوسط", re.IGNORECASE)



# The words of a date but its numbers ("5 octobre 2020", "1er mars", "March 31st"; months of one word only: the
# Arabic "كانون الثاني" is also "second"), and a date that names something ("la loi du 29 décembre 1915", "the
# declaration of 5 October") or a question asking a day in other words than "quand": there a date is an answer.
_DATE_TERMS = set(terms(" ".join(m for m in MONTHS if " " not in m))) | {"er", "st", "nd", "rd", "th"}
_DATE_ANSWERS = re.compile(r"\bdates?\b|\b(?:du|of)\s+\d|\bquel(?:le)? (?:jour|mois)\b|"
                           r"\b(?:what|which) (?:day|month)\b|\béchéances?\b|\bdélais?\b|\bdeadlines?\b|تاريخ|"
                           r"\bأي يوم\b", re.IGNORECASE)


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


def question_parts(question: str) -> list[set[str]]:
    """The question's terms, and those of each of its parts when it asks for several things."""
    whole = set(terms(question))
    parts = [set(terms(part)) for part in _PARTS.split(question)]
    return [whole] + [p for p in parts if len(p) >= 2 and p != whole]


def prune_numbers(sentence: str, missing: set[str], lang: str) -> tuple[str, str] | None:
    """The sentence without its comma-, dash- or parenthesis-delimited parts that hold the ``missing`` numbers.

    Returns (what is left, what was removed), or None when nothing sensible is left.
    """
    pool = set().union(*(number_variants(n) for n in missing))

    def holds(piece: str) -> bool:
        return any(number_variants(n) & pool for n in spelled_numbers(piece, lang))

    pieces = re.split(r"(,\s*|\s+[-–—]\s+|\s*\([^)]*\))", sentence.rstrip(" .!?؟"))
    keep, removed = [], []
    for i, piece in enumerate(pieces):
        is_group = i % 2 == 1 and piece.strip().startswith("(")
        if i % 2 == 1 and not is_group:
            continue  # a separator goes with the segment after it
        separator = pieces[i - 1] if i % 2 == 0 and i and not pieces[i - 1].strip().startswith("(") else ""
        bucket = removed if holds(piece) else keep
        bucket.append(piece if is_group else separator + piece)
    if not removed or not keep:
        return None
    text = "".join(keep).lstrip(" ,").strip()
    if len(terms(text)) < 3:
        return None
    return text + ".", " ".join(r.strip(" ,()") for r in removed)


def is_negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


# Verbs that carry tense or mood, not an answer: "doivent être accueillis" says back "doit-il accueillir".
_AUXILIARIES = frozenset(terms(
    "être été est sont sera seront était étaient avoir a ont avait avaient aura auront doit doivent devra devront devait "
    "peut peuvent pourra pourront pouvait va vont is are was were be been being has have had will would shall should "
    "must can could may might did does do"))


def _sentences_with(figures: set[str], passage: Passage, lang: str) -> list[str]:
    """The sentences of the passage that give one of the figures."""
    sentences = sentences_of(passage.full_text, passage.chunk.lang or lang)
    return [x for x in sentences if len(numbers_supported(figures, spelled_numbers(x, passage.chunk.lang or lang))) < len(figures)]


OTHER_YEAR = "the source gives this figure for another year"
OTHER_DATE = "the source is not of the date the question names"
DATED_BY_RELEASE = "only the release's title or date gives these numbers, and the sentence is not close to it"


def other_year(mine: dict[str, str], passage: Passage, lang: str) -> set[str]:
    """Figures that a claim gives for a year (``mine``, from :func:`years_of_figures`), while every sentence of the
    passage giving them gives them for another year ("un déficit de 4,3 % en 2026" against "4,3 % en 2025, ramené à
    3,9 % en 2026")."""
    if not mine:
        return set()
    theirs: dict[str, set[str]] = {}
    for sentence in _sentences_with(set(mine), passage, lang):
        for figure, year in years_of_figures(sentence).items():
            theirs.setdefault(figure, set()).add(year)
    return {f for f, year in mine.items() if f in theirs and year not in theirs[f]}


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


def _fewer_sources(sentences: list[Sentence], supporters: dict[str, list[int]], passages) -> list[Sentence]:
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
                s = Sentence(s.text, (moved[0] + 1,), True, "citation moved to a release the answer already cites")
            earlier |= {passages[n - 1].chunk.doc_id for n in s.citations}
        out.append(s)
    return out


_LIST_MARK = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s+")  # a list item's mark: "- ", "• ", "1. ", "2) "


def _passage_context(p: Passage) -> str:
    c = p.chunk
    return f"{c.title} {c.issuer} {c.date}\n{p.full_text}"


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

    def focus(self, claim: str, claim_numbers: set[str], question: str, passage: Passage, lang: str,
              idf: Callable[[str], float]) -> float:
        """How much the part of the passage that carries the claim's own facts is about the question (0..1).

        The claim's facts are its numbers (those the question does not already give) and the words it adds to
        the question. The window (a sentence and its neighbours) that holds them, with the document's title,
        must also hold the question's weighty terms: a figure copied from a sentence about something else
        ("2,4" from a budget, for a question about salaries) scores low.
        """
        question_terms = set(terms(question))
        if not question_terms:
            return 1.0
        # A question asking for two things is answered one part at a time: a window about either part counts.
        parts = question_parts(question)
        novel = set(terms(claim)) - question_terms
        facts = claim_numbers - numbers(question)
        sentences = sentences_of(passage.full_text, passage.chunk.lang or lang)
        title_terms = set(terms(f"{passage.chunk.title} {passage.chunk.issuer}"))
        claim_negated = is_negated(claim)
        best = (-1, -1.0, 0.0)
        for i in range(len(sentences)):
            window = " ".join(sentences[max(0, i - 1): i + 2])
            found = len(facts) - len(numbers_supported(facts, numbers(window)))
            window_terms = set(terms(window))
            novelty = len(novel & window_terms) / len(novel) if novel else 1.0
            covered = window_terms | title_terms
            coverage = max(sum(idf(t) for t in part & covered) / (sum(idf(t) for t in part) or 1.0) for part in parts)
            if not novel and not facts:
                # A claim that only restates the question ("Non, X n'a pas démissionné") needs a window that says
                # the same thing, negation included: the sources' silence is not a "no".
                coverage = coverage if coverage >= 0.75 and claim_negated == is_negated(window) else 0.0
            best = max(best, (found, novelty, coverage))
        return best[2]

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
        question (see :meth:`focus`); ``idf`` weighs the question's terms (uniform without it).
        """
        idf = idf or (lambda term: 1.0)
        refused = is_refusal(raw)
        pieces = []
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
        # A refusal phrase with nothing checkable beside it is a refusal.
        contexts = [_passage_context(p) for p in passages]
        ctx_terms = [set(terms(c)) for c in contexts]
        # Spelled out once per passage, for the claims writing acronyms.
        ctx_acronyms = lru_cache(maxsize=None)(lambda i: acronyms(contexts[i]))
        # The publication date is metadata, not text: its day and month ("2025-03-12") support a claim only when
        # the claim gives that date; otherwise "12 millions" would find its 12 there.
        ctx_numbers = [spelled_numbers(f"{p.chunk.title} {p.chunk.issuer} {p.full_text} {p.chunk.date[:4]}",
                                       p.chunk.lang or lang) for p in passages]
        text_numbers = lru_cache(maxsize=None)(lambda i: spelled_numbers(passages[i].full_text,
                                                                         passages[i].chunk.lang or lang))
        ctx_units = [units_of(f"{p.chunk.title}\n{p.full_text}") for p in passages]
        sims = self._similarities([c for c, _ in pieces], passages)
        measured = self._measures(passages)  # (else the similarities are all 0)
        question_terms = set(terms(question))
        # A question naming a date or a month ("l'accord signé en décembre 2024") is answered from the releases of
        # that date when some are among the passages: the November release's demands are not the December accord.
        dated = dated_passages(question, passages)
        # A question asking what, who, when… (not yes or no) is not answered by a sentence with nothing new in it.
        asks_what = bool(re.search(rf"(?:^|[\s'’,(]){_QUESTION_WORDS}(?:$|[\s'’,?])", question, re.IGNORECASE))

        def check(text: str, cited: list[int], sim_row: list[float]) -> tuple[Sentence, set[str]]:
            """The sentence with the citations that support it, and the numbers no passage holds."""
            claim_terms = set(terms(text))
            claim_numbers = spelled_numbers(text, lang)
            novel_numbers = claim_numbers - spelled_numbers(question, lang)
            claim_dates = set(find_dates(text))
            claim_years = years_of_figures(text)  # once per claim, not once per passage
            claim_names = set(terms(" ".join(proper_names(text)))) - question_terms
            # The names of the question the claim gives, by name ("Emmanuel Macron a dit à Nikol Pashinian…": Macron,
            # Nikol Pashinian), when it gives two or more.
            asked_runs = [r for r in name_runs(text) if set(terms(r)) & question_terms]
            asked_names = set(terms(" ".join(asked_runs))) & question_terms if len(asked_runs) >= 2 else set()
            claim_acronyms = {w.casefold() for w in re.findall(r"\b[A-Z]{3,6}\b", text)}
            valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(passages)]
            # The question said back ("Cheikh Sabah était-il Emir du Koweït [1]." for "Depuis quelle année… ?"), or,
            # in French or English, with a single word added and no name, figure, date or month ("…demande
            # d'adopter un nouvel objectif climatique pour 2030" for "Quel objectif climatique pour 2030…?"; Arabic
            # writes no capitals to tell a name by). One word only: with two, answers naming their domains
            # ("sécurité et immigration") were refused too.
            added = claim_terms - question_terms - STOPWORDS - _AUXILIARIES
            if asks_what and not novel_numbers and (not added or len(added) == 1 and lang in ("fr", "en")
                                                    and not claim_names and not claim_dates
                                                    and not names_or_months(text, added)):
                return Sentence(text, tuple(valid), False, "restates the question without answering it"), set()
            # ... or with only a date added, for a question not asking one: "Où a été conclu le cessez-le-feu de
            # début octobre 2020… ?" is not answered by "Le cessez-le-feu a été conclu le 5 octobre 2020 au
            # Haut-Karabakh" (the date of the release it then cites): a release's own date is no answer to "où".
            date_parts = {str(int(x)) for d in claim_dates for x in d.split("-")}  # "5", "10", "2020"
            if (asks_what and claim_dates and added <= _DATE_TERMS | date_parts
                    and not expects_date(question) and not _DATE_ANSWERS.search(f"{question} {text}")):
                return Sentence(text, tuple(valid), False, "restates the question without answering it"), set()

            def support(i: int) -> tuple[bool, float, str, set[str]]:
                pool = ctx_numbers[i]
                if passages[i].chunk.date in claim_dates and not _FUTURE.search(text):
                    pool = pool | numbers(passages[i].chunk.date.replace("-", " "))
                missing = numbers_supported(claim_numbers, pool)
                if claim_numbers and not missing:
                    # Only for same-language passages: unit words are matched in French and English only.
                    if (passages[i].chunk.lang or lang) == lang and lang in {"fr", "en"}:
                        missing = unit_mismatches(text, ctx_units[i])
                overlap = len(claim_terms & ctx_terms[i]) / max(1, len(claim_terms))
                same_language = (passages[i].chunk.lang or lang) == lang
                floor = self.min_similarity if same_language else self.min_similarity_crosslingual
                dated_by_release = False
                if novel_numbers and not missing and measured and sim_row[i] < self.min_similarity_dated_by_release:
                    # Figures only the release's title or date gives ("Cette politique a été mise en place le 29
                    # octobre 2020" from a speech of that day, by two shared words at 0.36) support only a claim
                    # close to the passage: left out, they are reported and the rest of the claim is checked.
                    # (Unless similarities were not measured: then words alone decide.)
                    missing = numbers_supported(novel_numbers, text_numbers(i))
                    dated_by_release = bool(missing)
                if not same_language and novel_numbers and not missing:
                    # Across languages words do not match, but the figures the claim adds do: a weaker
                    # similarity suffices when they are all in the passage.
                    floor -= 0.1
                ok = not missing and (overlap >= self.min_overlap or sim_row[i] >= floor)
                absent = names_absent(claim_names, ctx_terms[i], 5 if same_language else 4)
                if absent & claim_acronyms and same_language:
                    absent -= claim_acronyms & ctx_acronyms(i)
                if ok and not absent and asked_names and same_language:
                    # A claim about the question's people or places that a passage naming none of them supports is
                    # about others: "Emmanuel Macron a dit à Nikol Pashinian… « c'est la dixième fois que je
                    # m'entretiens avec lui »" is the foreign minister on his Armenian counterpart. (Within a language:
                    # across scripts names are written otherwise; measured, two right answers of the sample lost.)
                    unnamed = names_absent(asked_names - respelled_in(i), ctx_terms[i], 5) - ctx_acronyms(i)
                    absent = asked_names if unnamed == asked_names else set()
                if ok and absent:
                    # A name the passage never writes ("dirigée par Mme Anne Roche") is not from it.
                    return False, overlap + sim_row[i], f"names not in the source: {', '.join(sorted(absent))}", set()
                if ok and novel_numbers and _STATISTIC.search(text) and _STATISTIC.search(question):
                    # The sentences that give the claim's figures must say it is an average too.
                    ok = any(_STATISTIC.search(x) for x in _sentences_with(novel_numbers, passages[i], lang))
                    if not ok:
                        return False, overlap + sim_row[i], "the source gives this figure, but not as an average", set()
                if ok and novel_numbers and other_year(claim_years, passages[i], lang):
                    return False, overlap + sim_row[i], OTHER_YEAR, set()
                why = (f"{DATED_BY_RELEASE}: {', '.join(sorted(missing))}" if dated_by_release
                       else f"numbers not in the source: {', '.join(sorted(missing))}" if missing
                       else "" if ok else "not supported by the sources")
                if ok and question and same_language:
                    if self.focus(text, claim_numbers, asked_in(i), passages[i], lang, idf) < self.min_focus:
                        ok, why = False, "the source says this about something else than the question"
                return ok, overlap + sim_row[i], why, missing

            def own_words(i: int) -> float:
                """The share of what the claim adds to the question (idf-weighed words) that the passage's own
                text writes: its title and issuer support a claim too, but the passage to open is the one that
                says it ("Ministre de la Transition hydrique : Mme Hélène Marchetti-Brissac", not a quotation of
                hers in a release of her ministry)."""
                added = claim_terms - question_terms - STOPWORDS
                return sum(idf(t) for t in added & passage_words(i)) / sum(idf(t) for t in added) if added else 0.0

            results = [support(i) for i in range(len(passages))]
            if dated:
                # A passage of another date does not support it; one whose release has no known date may.
                other = {i for i, p in enumerate(passages) if i not in dated and p.chunk.date}
                elsewhere = any(ok for i, (ok, *_) in enumerate(results) if i in other)
                results = [(False, r[1], OTHER_DATE, set()) if i in other else r for i, r in enumerate(results)]
                if elsewhere and not any(ok for ok, *_ in results):
                    return Sentence(text, tuple(valid), False, OTHER_DATE), set()
            supporters[text] = [i for i, (ok, *_) in enumerate(results) if ok]
            good_cited = [n for n in valid if results[n - 1][0]]
            if good_cited:
                return Sentence(text, tuple(good_cited), True), set()
            candidates = [i for i in range(len(passages)) if results[i][0]]
            if candidates:
                # Words match within a language only: among passages of several languages, the closest one.
                same_language = all((passages[i].chunk.lang or lang) == lang for i in candidates)
                best = max(candidates, key=lambda i: results[i][1] + (own_words(i) if same_language else 0.0))
                return Sentence(text, (best + 1,), True, "citation moved to the supporting passage"
                                if valid else "citation added"), set()
            # The reason given is the one of the passage that came closest to supporting the sentence.
            closest = valid[0] - 1 if valid else max(range(len(passages)), key=lambda i: results[i][1])
            _, _, reason, missing = results[closest]
            return Sentence(text, tuple(valid), False, reason), missing

        passage_words = lru_cache(maxsize=None)(lambda i: set(terms(passages[i].full_text)))
        # The question with its names as each passage writes them ("Batist Lorfelek" in a machine translation, for
        # the question's "Baptiste Lorvellec"): that passage is about the name all the same. Once per passage.
        asked_in = lru_cache(maxsize=None)(lambda i: respell(question, source_spellings(
            question, [f"{passages[i].chunk.title} {passages[i].full_text}"])))
        # The question's names that passage writes otherwise.
        respelled_in = lru_cache(maxsize=None)(lambda i: question_terms - set(terms(asked_in(i))))
        supporters: dict[str, list[int]] = {}  # every passage that supports a sentence, not only the cited one
        sentences: list[Sentence] = []
        for (text, cited), sim_row in zip(pieces, sims):
            sentence, missing = check(text, cited, sim_row)
            if not sentence.supported and missing:
                # A sentence right but for one invented detail ("..., le 1er décembre 2026") keeps its supported
                # part; the detail is reported as removed.
                pruned = prune_numbers(text, missing, lang)
                if pruned:
                    kept_part, removed = pruned
                    retry, _ = check(kept_part, cited, sim_row)
                    if retry.supported:
                        sentences.append(retry)
                        sentences.append(Sentence(removed, (), False, sentence.reason))
                        continue
            sentences.append(sentence)
        sentences = _fewer_sources(sentences, supporters, passages)

        kept = [s for s in sentences if s.supported]
        used: dict[int, int] = {}
        for s in kept:
            for n in s.citations:
                used.setdefault(n, len(used) + 1)
        # Citations are renumbered in order of first use, so the answer reads [1], [2]...
        text = " ".join(with_citations(s.text, [used[n] for n in s.citations]) for s in kept).strip()
        citations = []
        for old, new in sorted(used.items(), key=lambda kv: kv[1]):
            p = passages[old - 1]
            claims = " ".join(s.text for s in kept if old in s.citations)
            c = p.chunk
            citations.append(Citation(n=new, doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title, date=c.date,
                                      issuer=c.issuer, quote=best_quote(claims, p.full_text, c.lang or lang, question=question),
                                      passage=p.full_text, source=c.source, page=c.page))
        renumbered = tuple(Sentence(s.text, tuple(used.get(n, n) for n in s.citations) if s.supported else s.citations,
                                    s.supported, s.reason) for s in sentences)
        return Verification(text=text, sentences=renumbered, citations=tuple(citations),
                            refused_by_model=refused and not kept, dropped=len(sentences) - len(kept))
