"""The evidence-first answer: per part of the question, the best sentences of the sources, quoted and cited; or a
refusal decided by the rules of :mod:`.rules` from what those sentences hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.evidence.asked import CHECKABLE, Kind, kinds_of
from assistant.evidence.candidates import Candidate, candidates
from assistant.evidence.rank import Idf, Scored, SentenceVectors, Weights, cosine, rank
from assistant.evidence.rules import KIND_CHECKS, Reason, active_rules, message, not_stated
from assistant.listing import quoted
from assistant.metrics import words_shown
from assistant.questions import conversation_of, split_question, without_context
from core.types import Citation, Passage, Sentence
from assistant.citations import with_citations
from assistant.completion import coverage
from assistant.question_kinds import asks_change, asks_overview, without_circumstances
from textkit.dates import dates_named, months_named
from textkit.names import new_names, respell, sounds_alike, source_spellings
from textkit.terms import STOPWORDS, numbers, terms


@dataclass(frozen=True)
class PartEvidence:
    """One part of the question, what it asks for, and every candidate sentence scored against it."""

    part: str
    kinds: frozenset[Kind]
    ranked: tuple[Scored, ...]
    # The part is the whole question, read as asked: not one part of several, nor a follow-up the model could not
    # rewrite (it leans on the conversation its brackets carry); those are read on other scales of meaning.
    whole: bool = True

    @property
    def best(self) -> Scored | None:
        """The best sentence; for a part asking a figure or a date, the best one giving it (when one does)."""
        return next(iter(self.eligible(first=True)), None)

    def eligible(self, first: bool) -> list[Scored]:
        """The sentences that may answer the part, best first: for a part asking a figure or a date those giving
        one; with none, the best of all for the first part only (the rules decide on it), nothing for a later part
        (it adds nothing rather than a sentence without its figure or date)."""
        if self.kinds & CHECKABLE:
            holding = [s for s in self.ranked if s.holds]
            return holding or (list(self.ranked[:1]) if first else [])
        return list(self.ranked)


@dataclass(frozen=True)
class Decision:
    """What the evidence decided: the answer's sentences and citations, or a refusal with its reason."""

    text: str
    abstained: bool
    reason: Reason | None
    sentences: tuple[Sentence, ...]
    citations: tuple[Citation, ...]
    parts: tuple[PartEvidence, ...]
    given: tuple[Scored, ...] = ()  # the sentences of the answer as scored, in the order of ``sentences``
    added: tuple[Passage, ...] = ()  # passages read beyond those given (kind-search, part-search), numbered after them
    added_by: tuple[Reason, ...] = ()  # the completion that read each of ``added``
    objections: tuple[Reason | None, ...] = ()  # per part, the rule that refused it (None: answered)


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up brings besides its rewrite, for ``gather``: the words the user typed (typed-words) and the
    release the conversation's previous question found first (conversation-release)."""

    typed: str | None = None
    release: str | None = None


def gather(question: str, passages: tuple[Passage, ...], lang: str, vectors: SentenceVectors, idf: Idf,
           config, typed: str | None = None, release: str | None = None) -> list[PartEvidence]:
    """The evidence for each part of the question (one part for a question asking one thing). A name the question
    spells otherwise than the passages, sounding alike, and the index never saw ("Jeyhoun Baïramov" for "Jeyhun
    Bayramov") is read as they spell it: misspelt, the rarest terms of the question would be missing from every
    sentence. (A word the index knows is another word; one sounding otherwise is another language's: "Council" is no
    "Conseil".) ``typed``: the follow-up as the user typed it when ``question`` is its rewrite (``typed_weight``, see
    rank.rank): each part read beside the typed follow-up's part asking the same, else beside its whole.
    ``release``: for a follow-up, the release the conversation's previous question found first (conversation-release:
    ``conversation_weight`` added to its sentences)."""
    asked, conversation = without_context(question), conversation_of(question)
    # (A follow-up the rewrite left as typed, or given back with its conversation in brackets, is no rewrite.)
    typed = typed if typed and typed.strip() != asked.strip() else None
    unseen = idf("\u2400")  # the weight of a term no text writes
    fixes = source_spellings(asked, [f"{p.chunk.title} {p.full_text}" for p in passages])
    fixes = {wrong: right for wrong, right in fixes.items()
             if sounds_alike(wrong, right) and all(idf(t) >= unseen for t in terms(wrong))}
    asked = respell(asked, fixes)
    typed = respell(typed, fixes) if typed else None
    pool = candidates(passages, lang, set(terms(asked)), max_chars=config.max_sentence_chars,
                      titles="salutation-title" not in config.disabled_rules)
    split = split_question(asked)
    # The release the search ranked first on the whole question breaks near ties, for a question asking one thing: a
    # question asking several may need several releases, and its other parts' answers are not of the first.
    first = 0.0 if "first-release" in config.disabled_rules or len(split) > 1 else config.first_release_weight
    weights = Weights(kind=config.kind_weight, terms=config.terms_weight, context=config.context_weight,
                      date=0.0 if "release-date" in config.disabled_rules else config.date_weight, first=first,
                      typed=0.0 if "typed-words" in config.disabled_rules else config.typed_weight,
                      core=0.0 if "circumstances-out" in config.disabled_rules else config.circumstances_weight,
                      conversation=0.0 if "conversation-release" in config.disabled_rules
                      else config.conversation_weight)
    # Each part against the typed follow-up's part asking the same (the same kinds, or none said), else the whole.
    asked_kinds = [kinds_of(part) for part in split]
    typed_parts = split_question(typed) if typed else []
    aligned = len(typed_parts) == len(split) and all(not typed_kinds or typed_kinds == k for typed_kinds, k
                                                     in zip(map(kinds_of, typed_parts), asked_kinds))
    typed_parts = typed_parts if aligned else [typed] * len(split)
    first_doc = passages[0].chunk.doc_id if passages else None
    off = frozenset(config.disabled_rules)
    stored = {n: p.vector for n, p in enumerate(passages, 1) if p.vector is not None} \
        if config.context_from == "passage" else None
    out = []
    for part, typed_part, kinds in zip(split, typed_parts, asked_kinds):
        kinds = kinds - {kind for check, (kind, _) in KIND_CHECKS.items() if check in config.disabled_rules}
        # A part is read within its question: "et quand ?" alone says nothing of what. A part naming its own subject
        # (``part_alone_terms`` terms or more) is read alone: within the question, the other part's subject draws its
        # sentences to the other part's release ("Quel budget le ministre de Valcourt a-t-il annoncé le 3 mai, et
        # combien de postes la préfète de Port-Sérac prévoit-elle ?": the minister's budget first for the second part).
        own = len(set(terms(part)) - STOPWORDS)
        text = part if part == asked or own >= config.part_alone_terms else f"{part} {asked}"
        # So is a follow-up the model could not rewrite, within the conversation its brackets carry ("Présenté par
        # qui ? (Quand l'ordonnance réformant l'adoption est-elle entrée en vigueur ?)"): alone it names nothing.
        if conversation and own < config.part_alone_terms:
            text = f"{text} ({conversation})"
        out.append(PartEvidence(part, frozenset(kinds),
                                tuple(rank(text, kinds, pool, vectors, idf, lang, weights, stored, own=part, off=off,
                                           first_doc=first_doc, typed=typed_part, conversation_doc=release,
                                           core=_core(part, text))),
                                whole=part == asked and not conversation))
    return out


def _core(part: str, text: str) -> str | None:
    """The part without the circumstances it opens with, for circumstances-out (see rank.rank's ``core``), when it
    is read alone and what is left names a term at least ("Lors de sa visite à Valcourt, et alors ?" leaves none).
    (Requiring the part's own subject, ``part_alone_terms`` terms or two, lost development answers: "avec qui
    s'est-il entretenu ?" after "Et dans le communiqué du mois suivant," is what is asked.)"""
    if text != part:
        return None
    core = without_circumstances(part)
    return core if core != part and set(terms(core)) - STOPWORDS else None


def other_release(parts: list[PartEvidence], chosen: list[tuple[Scored, Reason]], margin: float) -> Scored | None:
    """For a question asking how something changed, when every chosen sentence is of one release: the sentence of
    another release holding what is asked that comes closest to its part's best (within ``margin``), or None."""
    docs = {s.candidate.doc_id for s, _ in chosen}
    if len(docs) != 1:
        return None
    found = [(s.score - part.ranked[0].score, s) for part in parts for s in part.ranked
             if s.candidate.doc_id not in docs and s.holds]
    gap, best = max(found, key=lambda f: f[0], default=(None, None))
    return best if best is not None and gap >= -margin else None


def adds_fact(sentence: str, given: str) -> bool:
    """Whether ``sentence`` gives a figure or a name that ``given`` does not: a second sentence restating the first's
    subject in other words adds length, not a fact (measured: the same key facts on every set, 4 words fewer p50 on
    the second development set, 1 on the frozen split)."""
    return bool(numbers(sentence) - numbers(given)) or bool(new_names(sentence, given))


def restates(sentence: Candidate, best: Candidate) -> bool:
    """Whether ``sentence``, of another release than ``best``, gives figures or names, all of which ``best`` gives:
    one statement published twice ("Ce texte a été voté début mars au Sénat." in a speech, "…voté au début du mois de
    mars dernier au Sénat." in a later one). A sentence naming nothing ("Les délais sont très contraints.") restates
    nothing it can be checked against."""
    own = numbers(sentence.text) | new_names(sentence.text, "")
    return sentence.doc_id != best.doc_id and bool(own) and not adds_fact(sentence.text, best.text)


def assign(parts: list[PartEvidence], width: int = 6, most: int = 5000,
           together: tuple[float, ...] = (), shared: float | None = None) -> list[Scored | None]:
    """One sentence a part, no sentence twice, the total score the highest among each part's ``width`` best (fewer
    for a question of many parts, so that at most ``most`` combinations are tried), ``together[i]`` added when part
    ``i``'s sentence is of a release an earlier part's sentence is of (same-release: one statement is often published
    twice, in the speech asked about and in a later one; between sentences alike, the release answering the part
    before is the one asked about). With ``shared`` (shared-sentence), a later part whose ``width`` best sentences not
    yet given are all of releases no earlier part's sentence is of may take a sentence already given, scored for it
    less ``shared``, when the picks as a whole then score higher: None for that part, as for a part left nothing (the
    sentence is given once); an earlier part's best then keeps its sentence unless its alternative is within
    ``shared`` of it. A question of more than four parts takes each part's best in turn, without either.

    Why: parts are read within their question, so two parts often have the same best sentence; giving it to the
    first and the next best to the second loses when that sentence answers the second part better and the first has
    another nearly as good (a named envoy for "which envoy", the plan's qualifiers for "how is the plan described")."""
    if len(parts) == 1:
        return [parts[0].best]
    if len(parts) > 4:  # (rare) too many parts to search: each in turn, as written
        taken: set[str] = set()
        picks = []
        for i, part in enumerate(parts):
            pick = next((s for s in part.eligible(first=i == 0) if s.candidate.text not in taken), None)
            picks.append(pick)
            taken |= {pick.candidate.text} if pick else set()
        return picks
    while width > 1 and width ** len(parts) > most:
        width -= 1
    options = [part.eligible(first=i == 0)[:width] for i, part in enumerate(parts)]
    best_total, best_pick = float("-inf"), [None] * len(parts)

    def walk(i: int, taken: set[str], total: float, pick: list) -> None:
        nonlocal best_total, best_pick
        if i == len(parts):
            docs = [s.candidate.doc_id if s is not None else None for s in pick]
            total += sum(w for i, (w, doc) in enumerate(zip(together, docs)) if doc is not None and doc in docs[:i])
            if total > best_total:
                best_total, best_pick = total, list(pick)
            return
        free = [s for s in options[i] if s.candidate.text not in taken]
        for s in free or [None]:
            walk(i + 1, taken | ({s.candidate.text} if s else set()), total + (s.score if s else 0.0), pick + [s])
        # (shared-sentence: not for a part left nothing free, which gives nothing either way; counted, its sentence
        # would draw the earlier parts' picks to its own, undoing the choice above)
        if shared is not None and free and not {s.candidate.doc_id for s in free} & \
                {p.candidate.doc_id for p in pick if p is not None}:
            for s in options[i]:
                if s.candidate.text in taken:
                    walk(i + 1, taken, total + s.score - shared, pick + [None])

    walk(0, set(), 0.0, [])
    return best_pick


def second_release(asked: set[str], parts: list[PartEvidence], chosen: list[tuple[Scored, Reason]], idf,
                   margin: float, least_gain: float) -> Scored | None:
    """The sentence of another release that brings the most of the question's terms the answer's sentences leave out
    (IDF-weighted share of ``asked``, at least ``least_gain``), among those holding what is asked and within
    ``margin`` of the best score; None when none brings enough."""
    covered = set().union(*(s.candidate.context_terms for s, _ in chosen))
    docs = {s.candidate.doc_id for s, _ in chosen}
    top = max(part.ranked[0].score for part in parts if part.ranked)
    before = coverage(asked, covered, idf)
    options = [(coverage(asked, covered | s.candidate.context_terms, idf) - before, s)
               for part in parts for s in part.ranked
               if s.candidate.doc_id not in docs and s.holds and s.score >= top - margin]
    gain, pick = max(options, key=lambda o: o[0], default=(0.0, None))
    return pick if gain >= least_gain else None


def dated_releases(parts: list[PartEvidence], chosen: list[tuple[Scored, Reason]], margin: float) -> list[Scored]:
    """For a question whose parts answered name two dates or more (days, or months: "les 21 et 28 octobre 2020",
    "le 14 septembre et le 7 octobre"), each named date whose release the chosen sentences leave out: the best
    sentence of a retrieved release of that date among the parts naming it, holding what is asked and within
    ``margin`` of its part's best score; in date order. (A part the rules refused names nothing here.)"""
    named = [set(dates_named(part.part)) | set(months_named(part.part)) for part in parts]
    every = set().union(*named)
    if len(every) < 2:
        return []

    def of(date: str, when: str) -> bool:
        return bool(date) and (date == when or (len(when) == 7 and date[:7] == when))

    given = {s.candidate.text for s, _ in chosen}
    out: list[Scored] = []
    for when in sorted(every):
        if any(of(s.candidate.date, when) for s in [*(s for s, _ in chosen), *out]):
            continue
        found = [s for part, dates in zip(parts, named) if when in dates for s in part.ranked
                 if of(s.candidate.date, when) and s.holds and s.candidate.text not in given
                 and s.score >= part.ranked[0].score - margin]
        if found:
            out.append(max(found, key=lambda s: s.score))
    return out


def runner_up(part: PartEvidence, best: Scored, seen: set[str], given: str, config) -> Scored | None:
    """The part's second sentence, or None: a sentence holding what is asked and not yet given that the ranking
    cannot tell from the best (within ``runner_up_tie`` of its score), of any release and whatever it adds, since which
    of the two answers is not known, unless it restates the best (see ``restates``: the same statement published
    twice, in a speech and a later one); else the first such sentence of the best's release when it is nearly as good
    (``runner_up_margin``) and adds a figure or a name ``given`` does not (two sentences of a release often say the
    fact and what it is about; one restating the other's subject adds only words). Both within
    ``runner_up_max_words`` with the best."""
    def short(s: Scored) -> bool:
        return words_shown(f"{best.candidate.text} {s.candidate.text}") <= config.runner_up_max_words

    free = [s for s in part.ranked if s.candidate.text not in seen and s.holds]
    if config.runner_up_tie > 0:
        tied = next((s for s in free if s.score >= best.score - config.runner_up_tie and short(s)
                     and not restates(s.candidate, best.candidate)), None)
        if tied is not None:
            return tied
    runner = next((s for s in free if not config.runner_up_same_release
                   or s.candidate.doc_id == best.candidate.doc_id), None)
    if runner is not None and adds_fact(runner.candidate.text, given) and \
            runner.score >= best.score - config.runner_up_margin and short(runner):
        return runner
    return None


def choose(parts: list[PartEvidence], config, overview: bool = False, change: bool = False,
           asked_parts: int | None = None, asked: set[str] | None = None, idf=None) -> list[tuple[Scored, Reason]]:
    """The sentences to give, in order: each part's own (see ``assign``; a part answered by another part's sentence
    has none of its own), each followed, for a question asking one
    or two things (``runner_up_parts``), by its part's runner-up (see ``runner_up``); then, for a
    question naming two dates or more, a sentence of each named date's release left out (see ``dated_releases``);
    last, for any question, the sentence of another release that brings the question's terms the others leave out (see
    ``second_release``; ``asked``: the question's terms, None when that completion is off; ``idf`` their weights).
    ``asked_parts``: how many parts the question asked, when ``parts`` holds only those answered."""
    together = () if "same-release" in config.disabled_rules else (config.same_release_weight,) * len(parts)
    shared = None if "shared-sentence" in config.disabled_rules else config.shared_sentence_penalty
    picked = [(part, best) for part, best in zip(parts, assign(parts, together=together, shared=shared))
              if best is not None]
    chosen: list[tuple[Scored, Reason]] = [(best, Reason.BEST_SENTENCE) for _, best in picked]
    seen = {best.candidate.text for best, _ in chosen}
    if change and chosen and "change" not in config.disabled_rules:
        # A change is told by two releases, the earlier and the later: one sentence of each, in that order.
        other = other_release(parts, chosen, config.change_margin)
        if other is not None:
            chosen.append((other, Reason.CHANGE))
            return sorted(chosen, key=lambda c: c[0].candidate.date or "")
    one_thing = (asked_parts or len(parts)) == 1  # (the parts answered may be fewer than the parts asked)
    if one_thing and chosen and overview and "overview" not in config.disabled_rules:
        # An overview ("Qu'a annoncé…", "Que contient…") is the release's several facts: its next best sentences.
        best = chosen[0][0]
        more = [s for s in parts[0].ranked if s.candidate.doc_id == best.candidate.doc_id
                and s.candidate.text not in seen and s.score >= best.score - config.overview_margin]
        chosen += [(s, Reason.OVERVIEW) for s in more[: config.overview_sentences - 1]]
    elif chosen and "runner-up" not in config.disabled_rules and (asked_parts or len(parts)) <= config.runner_up_parts:
        given = [best.candidate.text for _, best in picked]
        chosen = []
        for part, best in picked:
            chosen.append((best, Reason.BEST_SENTENCE))
            runner = runner_up(part, best, seen, " ".join(given), config)
            if runner is not None:
                chosen.append((runner, Reason.RUNNER_UP))
                seen.add(runner.candidate.text)
                given.append(runner.candidate.text)
    if chosen and "dated-releases" not in config.disabled_rules:
        chosen += [(s, Reason.DATED_RELEASE) for s in dated_releases(parts, chosen, config.dated_release_margin)]
    if chosen and asked and idf is not None:
        other = second_release(asked, parts, chosen, idf, config.second_release_margin, config.second_release_gain)
        if other is not None:
            chosen.append((other, Reason.SECOND_RELEASE))
    return chosen


def as_written(sentence: str, passage: str) -> str:
    """The sentence as the passage writes it, line breaks and spacing included (the splitter joins a list's lines),
    so that the page can find and highlight it; the sentence itself when the passage does not hold its words."""
    if sentence in passage:
        return sentence
    words = sentence.split()
    if not words:
        return sentence
    found = re.search(r"[\s\-•–;]*".join(re.escape(w) for w in words), passage)
    return found.group(0) if found else sentence


def _span(quotes: list[str], passage: str, longest: int = 700) -> str:
    """One quote for several sentences of a passage: the passage from the first to the last, as written (the page
    highlights it whole); the first sentence alone when that run is longer than ``longest`` or one is not found."""
    places = [(passage.find(q), q) for q in quotes]
    if len(quotes) == 1 or any(at < 0 for at, _ in places):
        return quotes[0]
    start = min(at for at, _ in places)
    end = max(at + len(q) for at, q in places)
    return passage[start:end] if end - start <= longest else quotes[0]


def shown_once(chosen: list[tuple[Scored, Reason]]) -> list[tuple[Scored, Reason]]:
    """The chosen sentences but those an earlier one shows already: a list's item, shown with the sentence announcing
    the list (``Candidate.listed``), is not given again after it."""
    kept: list[tuple[Scored, Reason]] = []
    shown = ""
    for scored, reason in chosen:
        c = scored.candidate
        if " ".join(c.text.split()) in shown:
            continue
        kept.append((scored, reason))
        shown += " " + " ".join((c.text + c.listed).split())
    return kept


def compose(chosen: list[tuple[Scored, Reason]], passages: tuple[Passage, ...], lang: str, dated: bool = False
            ) -> tuple[str, tuple[Sentence, ...], tuple[Citation, ...]]:
    """The answer text, its sentences and its citations, numbered [1], [2]… in order of first use. A sentence in
    another language than the user's is given between quotation marks, as it is; when a date is asked (``dated``),
    a sentence dating what it reports by its release's day ("today", an act done in a meeting's record) is shown
    after that date."""
    numbers: dict[int, int] = {}
    lines, sentences = [], []
    shown = {s.candidate.text for s, _ in chosen}
    for scored, reason in chosen:
        c: Candidate = scored.candidate
        n = numbers.setdefault(c.n, len(numbers) + 1)
        text = c.text + c.listed  # (a list announced, with its items)
        text = text if c.lang == lang else quoted(text.rstrip(" ."), lang)
        if c.heading not in shown:  # a section's first sentence says what it is about by its heading
            # (outside the quotation marks: the heading and the sentence are not one sentence of the release)
            text = c.headed(text)
        if dated:
            text = c.on_its_day(text, lang)
        lines.append(with_citations(text, [n]))
        sentences.append(Sentence(text, (n,), True, message(reason, lang), reason.value))
    citations = []
    for old, new in numbers.items():
        p = passages[old - 1]
        ch = p.chunk
        quote = _span([as_written((s.candidate.quote or s.candidate.text) + s.candidate.listed, p.full_text)
                       for s, _ in chosen if s.candidate.n == old], p.full_text)
        citations.append(Citation(n=new, doc_id=ch.doc_id, chunk_id=ch.chunk_id, title=ch.title, date=ch.date,
                                  issuer=ch.issuer, quote=quote, passage=p.full_text, source=ch.source, page=ch.page))
    return " ".join(lines), tuple(sentences), tuple(citations)


def decide(question: str, passages: tuple[Passage, ...], lang: str, vectors: SentenceVectors, idf: Idf,
           config, judge=None, further: Callable[[str, int], tuple[Passage, ...]] | None = None,
           typed: str | None = None, release: str | None = None) -> Decision:
    """Answer from the evidence, or refuse with the first rule that objects (``judge``: the model's closed
    question, see :mod:`assistant.judge`; the rules reading it are skipped without one). ``further(text, n)`` gives
    the ``n`` chunks of the first release closest to ``text`` that no passage holds (the completions ``kind-search``
    and ``part-search``; without it, only ``passages`` are read). ``typed``: the follow-up as the user typed it, when
    ``question`` is its rewrite; ``release``: the release the conversation's previous question found first (see
    ``gather``)."""
    follow = FollowUp(typed, release)
    decision = _decided(question, passages, lang, vectors, idf, config, judge, follow)
    if further is None:
        return decision
    decision = _kind_searched(question, passages, decision, lang, vectors, idf, config, judge, further, follow)
    # (A question asking one thing reads further only to better an answer: refused, what is read would answer a near
    # miss as often as it finds what the passages missed.)
    if "part-search" in config.disabled_rules or (len(decision.parts) < 2 and decision.abstained):
        return decision
    return _part_searched(question, passages, decision, lang, vectors, idf, config, judge, further, follow)


def _kind_searched(question: str, passages: tuple[Passage, ...], decision: Decision, lang: str,
                   vectors: SentenceVectors, idf: Idf, config, judge, further, follow: FollowUp) -> Decision:
    """kind-search (see ``searched_further``): the decision again with the passages found added, when they answer."""
    missing = [n for n, objection in enumerate(decision.objections) if objection is Reason.ANSWER_TYPE_MISSING]
    if not missing or "kind-search" in config.disabled_rules:
        return decision
    found = searched_further(question, decision.parts, missing, passages,
                             further(without_context(question), config.kind_search_chunks), lang, vectors, idf,
                             config, follow)
    return _with_found(question, passages, decision, found, Reason.KIND_SEARCH, lang, vectors, idf, config, judge,
                       follow)


def _with_found(question: str, passages: tuple[Passage, ...], decision: Decision, found: tuple[Passage, ...],
                reason: Reason, lang: str, vectors: SentenceVectors, idf: Idf, config, judge,
                follow: FollowUp) -> Decision:
    """The decision on ``passages``, the passages ``decision`` read already and ``found`` (numbered after them in that
    order), the sentences of each passage read marked with the completion that read it (``reason`` for ``found``);
    the decision as it was when nothing was found, or when what was found leaves a part it answered unanswered (a
    rule refuses it, or every part: the refusal stays the passages' own): a passage read for one part is a candidate
    for every part, and may outrank another part's answer with a sentence that does not give what it asks."""
    if not found:
        return decision
    added, added_by = decision.added + found, decision.added_by + (reason,) * len(found)
    again = _decided(question, passages + added, lang, vectors, idf, config, judge, follow)
    if again.abstained or any(before is None and now is not None
                              for before, now in zip(decision.objections, again.objections)):
        return decision
    def marked(s: Sentence, n: int) -> Sentence:  # (``n``: the sentence's passage; those read, after ``passages``)
        if n <= len(passages):
            return s
        by = added_by[n - len(passages) - 1]
        return replace(s, reason=message(by, lang), code=by.value)

    given = tuple(marked(s, g.candidate.n) for s, g in zip(again.sentences, again.given))
    return replace(again, sentences=given + again.sentences[len(again.given):], added=added, added_by=added_by)


def _part_searched(question: str, passages: tuple[Passage, ...], decision: Decision, lang: str,
                   vectors: SentenceVectors, idf: Idf, config, judge, further, follow: FollowUp) -> Decision:
    """part-search: the ``part_search_chunks`` chunks of the first release closest to each part of the question (not
    only to the whole question; a question asking one thing is its only part, read within itself) are read, and one
    holding a sentence closer in meaning to its part than the part's best sentence by ``part_search_margin`` is added.
    The passages are the chunks closest to the whole question, at most two of a release: a second thing asked is often
    answered in a paragraph of its own further on, and the fact a question asks in a third chunk of the release."""
    have = passages + decision.added
    held = {cid for p in have for cid in p.chunk_ids}
    extra: list[Passage] = []
    asked = without_context(question)
    for part in decision.parts:
        # (the part within its question, even one naming its own subject: alone, "quelle approche veut-il rendre plus
        # systématique ?" is close to every chunk alike)
        for p in further(f"{part.part} {asked}", config.part_search_chunks):
            if not held & set(p.chunk_ids):
                extra.append(p)
                held.update(p.chunk_ids)
    if not extra:
        return decision
    wider = gather(question, have + tuple(extra), lang, vectors, idf, config, follow.typed, follow.release)
    found: list[Passage] = []
    for before, after in zip(decision.parts, wider):
        best, now = after.best, before.best
        if best is None or best.candidate.n <= len(have):
            continue
        if now is None or best.meaning >= now.meaning + config.part_search_margin:
            chosen = extra[best.candidate.n - len(have) - 1]
            found += [chosen] if chosen not in found else []
    return _with_found(question, passages, decision, tuple(found), Reason.PART_SEARCH, lang, vectors, idf, config,
                       judge, follow)


def searched_further(question: str, parts: tuple[PartEvidence, ...], missing: list[int],
                     passages: tuple[Passage, ...], extra: tuple[Passage, ...], lang: str, vectors: SentenceVectors,
                     idf: Idf, config, follow: FollowUp = FollowUp()) -> tuple[Passage, ...]:
    """kind-search: for each part answer-type-missing refused (``missing``, their places in ``parts``), the passage of
    ``extra`` whose sentence best gives what the part asks, when that sentence is close enough to the part
    (``kind_floor``) and within ``kind_search_gap`` in meaning of the part's best-ranked sentence in ``passages`` (a
    sentence much further from the question gives another thing's figure)."""
    if not extra:
        return ()
    found: list[Passage] = []
    wider = gather(question, passages + extra, lang, vectors, idf, config, follow.typed, follow.release)
    for n in missing:
        before, after = parts[n], wider[n]
        best = next((s for s in after.ranked if s.holds and s.candidate.n > len(passages)
                     and s.meaning >= config.kind_floor), None)
        if best is not None and before.ranked and best.meaning >= before.ranked[0].meaning - config.kind_search_gap:
            chosen = extra[best.candidate.n - len(passages) - 1]
            found += [chosen] if chosen not in found else []
    return tuple(found)


def _decided(question: str, passages: tuple[Passage, ...], lang: str, vectors: SentenceVectors, idf: Idf,
             config, judge=None, follow: FollowUp = FollowUp()) -> Decision:
    """The decision on ``passages`` alone.

    The rules judge each part of the question alone. A question asking several things is refused only when every
    part is (with the first part's reason); otherwise the parts with evidence are answered and each of the others is
    named in the answer as something the releases do not say, with the message of the rule that objected. A user asking
    two things of which the releases state one is better served by that one and an honest gap than by a refusal
    (the completion ``partial``; switched off by name, any part's objection refuses the question)."""
    if not passages:
        return Decision("", True, Reason.NOTHING_RETRIEVED, (), (), ())
    parts = gather(question, passages, lang, vectors, idf, config, follow.typed, follow.release)
    rules = active_rules(config, judge)
    objections = [next((r for r in (rule.check([part], lang, config) for rule in rules) if r is not None), None)
                  for part in parts]
    if all(objections) or ("partial" in config.disabled_rules and any(objections)):
        return Decision("", True, next(o for o in objections if o is not None), (), (), tuple(parts),
                        objections=tuple(objections))
    answered = [part for part, objection in zip(parts, objections) if objection is None]
    asked = set(terms(without_context(question))) - STOPWORDS if "second-release" not in config.disabled_rules else None
    chosen = shown_once(choose(answered, config, asks_overview(question), asks_change(question),
                               asked_parts=len(parts), asked=asked, idf=idf))
    text, sentences, citations = compose(chosen, passages, lang, dated=any(Kind.DATE in p.kinds for p in answered))
    notes = [Sentence(not_stated(_unstated(n, parts), lang), (), True, message(objection, lang), Reason.PARTIAL.value)
             for n, objection in enumerate(objections) if objection is not None]
    text = " ".join([text, *(n.text for n in notes)])
    return Decision(text, False, None, sentences + tuple(notes), citations, tuple(parts),
                    tuple(s for s, _ in chosen), objections=tuple(objections))


def _unstated(n: int, parts: list[PartEvidence]) -> str:
    """What the note on part ``n``, which the releases do not answer, quotes: the part, or, for the first part when
    no other part opens with circumstances of its own, the part without those it opens with ("Les communiqués ne
    précisent pas : « combien de postes la préfète annonce-t-elle »", not "« Lors de sa visite à Port-Sérac le 3 mai,
    combien… »"): they open the whole question, and the answer to the other parts is of that occasion. A part's own
    circumstances set it apart ("En 2023, combien… ? Et en 2024, combien… ?"): kept."""
    part = parts[n].part
    if n == 0 and all(without_circumstances(p.part) == p.part for p in parts[1:]):
        return without_circumstances(part)
    return part


def baseline_answer(question: str, passages: tuple[Passage, ...], lang: str, vectors: SentenceVectors
                    ) -> tuple[str, tuple[Citation, ...]]:
    """The figure to beat: the two sentences closest in meaning to the question, quoted and cited, no rule (no title
    either: the passages' own sentences)."""
    pool = candidates(passages, lang, set(terms(question)), titles=False)
    if not pool:
        return "", ()
    asked = vectors.query(question)
    closest = sorted(zip(pool, vectors.documents([c.text for c in pool])), key=lambda cv: -cosine(asked, cv[1]))[:2]
    chosen = [(Scored(c, 0.0, True, 0.0, 0.0), Reason.BEST_SENTENCE) for c, _ in closest]
    text, _, citations = compose(chosen, passages, lang)
    return text, citations
