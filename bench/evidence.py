"""Tune and measure the evidence-first answer without the model: retrieval once, then any number of settings.

Usage:
  python bench/evidence.py --data-dir data-shared --questions bench/shared_questions.jsonl \\
      --config '{}' --config '{"min_meaning": 0.5}' [--grid min_meaning=0.4,0.45,0.5]
  python bench/evidence.py ... --leave-one-out      # each rule switched off by name, one at a time

The first run retrieves every question as the chain does (follow-ups rewritten by the real model) and keeps the
passages in ``--cache``; later runs read them, so a setting costs seconds. Each row: key facts, cited right (of
answerable questions), refusals, false refusals, answer words p50, with 95 % bootstrap intervals. The column
``baseline`` is the two sentences closest to the question, quoted, no rule (the figure to beat).
Use the development sets only: a frozen split is measured by `communiques eval`, once per version.
"""

from __future__ import annotations

import argparse
import functools
import json
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.container import Container  # noqa: E402
from assistant.evaluation import fact_found, load_testset  # noqa: E402
from assistant.evidence.compose import PartEvidence, compose, decide, gather  # noqa: E402
from assistant.evidence.rank import SentenceVectors  # noqa: E402
from assistant.evidence.rules import (CANDIDATE_RULES, COMPLETIONS, HOLD_CHECKS, KIND_CHECKS, RULES,  # noqa: E402
                                      Reason)
from assistant.metrics import bootstrap_interval, words_shown  # noqa: E402
from assistant.questions import split_question, without_context  # noqa: E402
from assistant.settings import AnswerSettings, Settings  # noqa: E402
from textkit.language import detect_language  # noqa: E402


def retrieve_all(container: Container, questions) -> list[dict]:
    """Per question: the standalone question, its language, the passages the chain would use (None: refused before
    any sentence is read, for low relevance)."""
    chain = container.chain
    out = []
    for i, q in enumerate(questions, 1):
        standalone = chain.standalone(q.question, list(q.history) or None)
        lang = detect_language(q.question)
        retrieval = container.retriever.retrieve(standalone)
        passages = None
        if retrieval.passages and chain._relevant(retrieval, standalone):
            parts = split_question(without_context(standalone))
            passages = tuple(retrieval.passages) + tuple(container.retriever.part_passages(retrieval, parts))
        out.append({"id": q.id, "standalone": standalone, "lang": lang, "passages": passages,
                    # (whatever the settings switch off: the answer step reads the rule's name)
                    "conversation": chain.conversation_release(q.question, standalone, list(q.history))})
        print(f"\rretrieved {i}/{len(questions)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def baseline(parts: list[PartEvidence], passages, lang):
    """The two sentences closest in meaning to the question, no rule: the no-model baseline."""
    ranked = sorted(parts[0].ranked, key=lambda s: -s.meaning)[:2]
    return compose([(s, Reason.BEST_SENTENCE) for s in ranked], passages, lang)


class CachedJudge:
    """The model's closed question, asked once per (part, sentence) and kept on disk: a grid over ``judge_floor``
    then costs nothing."""

    def __init__(self, judge, path: Path):
        self.judge, self.path = judge, path
        self.seen = pickle.loads(path.read_bytes()) if path.exists() else {}

    def yes(self, question: str, sentence: str) -> float | None:
        key = (question, sentence)
        if key not in self.seen:
            self.seen[key] = self.judge.yes(question, sentence)
            self.path.write_bytes(pickle.dumps(self.seen))
        return self.seen[key]


class CachedWording:
    """The model's condensed wording of the chosen sentences, asked once per prompt and kept on disk: a rerun of the
    checks costs nothing."""

    def __init__(self, llm, path: Path):
        self.llm, self.path = llm, path
        self.seen = pickle.loads(path.read_bytes()) if path.exists() else {}
        self.codes: list[str] = []

    def __call__(self, question: str, decision, lang: str) -> str:
        from assistant.evidence.condense import inputs, messages_for, wording

        key = repr(messages_for(question, inputs(decision)[0], lang))
        if key not in self.seen:
            t0 = time.perf_counter()
            self.seen[key] = "".join(wording(self.llm, question, decision, lang))
            print(f"  condensed in {time.perf_counter() - t0:.1f} s: {self.seen[key][:80]!r}", file=sys.stderr)
            self.path.write_bytes(pickle.dumps(self.seen))
        return self.seen[key]


def typed_of(q) -> str | None:
    """A follow-up as the user typed it (the answer ranks its rewrite's sentences by these words too), else None."""
    return q.question if q.history else None


def measure(questions, retrieved, vectors, idf, config: AnswerSettings | None, rounds: int = 1000,
            judge=None, condense=None, retriever=None) -> dict:
    """Figures of one setting (None: the baseline) over the questions (``retriever``: where kind-search reads more
    of a release, as the chain does; without it, only the passages are read)."""
    rows = []
    for q, r in zip(questions, retrieved):
        if r["passages"] is None:
            abstained, text, cited = True, "", []
        elif config is None:
            plain = AnswerSettings()
            plain = plain.model_copy(update={"disabled_rules": [*plain.disabled_rules, "salutation-title"]})
            parts = gather(r["standalone"], r["passages"], r["lang"], vectors, idf, plain)
            text, _, citations = baseline(parts, r["passages"], r["lang"])
            abstained, cited = False, [c.doc_id for c in citations]
        else:
            further = None if retriever is None else \
                retriever.release_reader(r["passages"])
            d = decide(r["standalone"], r["passages"], r["lang"], vectors, idf, config, judge, further,
                       typed=typed_of(q), release=r["conversation"])
            if condense is not None and not d.abstained:
                from assistant.evidence.condense import condensed

                c = condensed(d, r["standalone"], r["lang"], condense(r["standalone"], d, r["lang"]),
                              tuple(config.disabled_rules))
                d = c.decision
                condense.codes.append(c.code.value)
            abstained, text, cited = d.abstained, d.text, [c.doc_id for c in d.citations]
        answerable = bool(q.gold_doc_ids)
        facts = answerable and not abstained and all(fact_found(f, text) for f in q.must_include)
        right = answerable and not abstained and bool(cited) and set(cited) <= set(q.gold_doc_ids)
        any_gold = answerable and not abstained and bool(set(cited) & set(q.gold_doc_ids))
        rows.append({"id": q.id, "category": q.category, "answerable": answerable, "abstained": abstained,
                     "key_facts": facts, "cited_right": right, "cites_gold": any_gold,
                     "words": words_shown(text) if not abstained else None})
    ans = [r for r in rows if r["answerable"]]
    un = [r for r in rows if not r["answerable"]]
    words = sorted(r["words"] for r in rows if r["words"] is not None)

    def figure(values):
        lo, hi = bootstrap_interval(values, rounds=rounds)
        return {"value": round(sum(values) / len(values), 3) if values else None, "ci": [lo, hi]}

    return {"key_facts": figure([r["key_facts"] for r in ans]), "cited_right": figure([r["cited_right"] for r in ans]),
            "cites_gold": figure([r["cites_gold"] for r in ans]),
            "refused": figure([r["abstained"] for r in un]), "false_refusals": figure([r["abstained"] for r in ans]),
            "words_p50": words[len(words) // 2] if words else None,
            "by_category": {c: round(sum(r["key_facts"] for r in ans if r["category"] == c) /
                                     max(1, sum(1 for r in ans if r["category"] == c)), 2)
                            for c in sorted({r["category"] for r in ans})},
            "rows": rows}


def ceiling(questions, retrieved, vectors, idf, closest: tuple[int, ...] = (1, 2, 6, 10), release_text=None) -> dict:
    """What any answer built from these passages can reach: the share of answerable questions whose key facts are
    all in the passages given to the answer step, and all in its N sentences closest to the question (ranked as the
    answer ranks them: a follow-up by its rewrite and the words the user typed), overall and per category. With
    ``release_text`` (a release's id -> its whole indexed text), also all in the releases those passages are of: a
    fact there but not in the passages is in another part of a release that was found (chunk retrieval's loss, not
    the release search's)."""
    rows = []
    for q, r in zip(questions, retrieved):
        if not q.gold_doc_ids:
            continue
        passages = r["passages"] or ()
        text = " ".join(p.full_text for p in passages)
        row = {"category": q.category, "passages": all(fact_found(f, text) for f in q.must_include)}
        if release_text is not None:
            whole = " ".join(release_text(doc) for doc in dict.fromkeys(p.chunk.doc_id for p in passages))
            row["releases"] = all(fact_found(f, whole) for f in q.must_include)
        ranked = gather(r["standalone"], passages, r["lang"], vectors, idf, AnswerSettings(),
                        typed=typed_of(q))[0].ranked if passages else ()
        for n in closest:
            top = " ".join(s.candidate.text for s in ranked[:n])
            row[f"closest {n}"] = all(fact_found(f, top) for f in q.must_include)
        rows.append(row)
    keys = [*(["releases"] if release_text is not None else []), "passages", *(f"closest {n}" for n in closest)]
    share = lambda rs, k: round(sum(r[k] for r in rs) / len(rs), 2) if rs else None  # noqa: E731
    return {k: {"all": share(rows, k), **{c: share([r for r in rows if r["category"] == c], k)
                                          for c in sorted({r["category"] for r in rows})}} for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="Where the retrieved passages are kept (default: beside the data).")
    parser.add_argument("--config", action="append", default=[], help="AnswerSettings overrides as JSON.")
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2,...: one row per value.")
    parser.add_argument("--leave-one-out", action="store_true", help="One row per rule switched off.")
    parser.add_argument("--judge", action="store_true", help="Let the rules that ask the model run (the packaged "
                        "model; its answers are kept beside the cache).")
    parser.add_argument("--condense", action="store_true", help="Let the packaged model condense the chosen "
                        "sentences (checked; its wordings are kept beside the cache).")
    parser.add_argument("--ceiling", action="store_true", help="Also print the share of answerable questions whose "
                        "key facts are all in the passages, and in the N closest sentences (what any answer can "
                        "reach).")
    parser.add_argument("--out", type=Path, help="Write the figures (JSON) here.")
    args = parser.parse_args()
    questions = load_testset(args.questions)
    container = Container(Settings(data_dir=args.data_dir))
    cache = args.cache or args.data_dir / f"evidence-{args.questions.stem}.pkl"
    if cache.exists():
        retrieved = pickle.loads(cache.read_bytes())
        if any("conversation" not in r for r in retrieved):  # (kept before the conversation's release was recorded)
            if [q.id for q in questions] != [r["id"] for r in retrieved]:
                sys.exit(f"{cache} holds other questions than {args.questions}: remove it to retrieve again")
            release = container.chain.conversation_release
            retrieved = [r if "conversation" in r else
                         {**r, "conversation": release(q.question, r["standalone"], list(q.history))}
                         for q, r in zip(questions, retrieved)]
            cache.write_bytes(pickle.dumps(retrieved))
        # (passages kept before Passage.whole was recorded: read it from the index)
        marked = container.retriever.marked_whole
        retrieved = [{**r, "passages": None if r["passages"] is None else marked(r["passages"])} for r in retrieved]
    else:
        retrieved = retrieve_all(container, questions)
        cache.write_bytes(pickle.dumps(retrieved))
    vectors_path = cache.with_suffix(".vectors.pkl")
    vectors = SentenceVectors(container.embeddings, max_items=10 ** 9)
    if vectors_path.exists():
        vectors._docs, vectors._queries = pickle.loads(vectors_path.read_bytes())
        vectors.max_items = 10 ** 9
    idf = container.retriever.keyword.idf
    judge = None
    if args.judge:
        from assistant.judge import Judge

        judge = CachedJudge(Judge(container.llm), cache.with_suffix(".judge.pkl"))
    condense = CachedWording(container.llm, cache.with_suffix(".wording.pkl")) if args.condense else None
    configs: list[tuple[str, AnswerSettings | None]] = [("baseline", None)]
    configs += [(c, AnswerSettings(**json.loads(c))) for c in args.config or ["{}"]]
    # Grid rows and leave-one-out rows change one thing of the first --config (the defaults without one).
    base = configs[1][1]
    for spec in args.grid:
        name, values = spec.split("=")
        configs += [(f"{name}={v}", base.model_copy(update={name: type(getattr(base, name))(float(v))}))
                    for v in values.split(",")]
    if args.leave_one_out:
        names = [r.name for r in RULES if r.name not in base.disabled_rules] + \
            [n for n in [*KIND_CHECKS, *HOLD_CHECKS, *COMPLETIONS, *CANDIDATE_RULES] if n not in base.disabled_rules]
        configs += [(f"without {n}", base.model_copy(update={"disabled_rules": [*base.disabled_rules, n]}))
                    for n in names]
    results = {}
    for label, config in configs:
        m = measure(questions, retrieved, vectors, idf, config, judge=judge, condense=condense,
                    retriever=container.retriever)
        results[label] = m
        f = lambda k: f"{m[k]['value']:.2f} [{m[k]['ci'][0]:.2f}-{m[k]['ci'][1]:.2f}]"  # noqa: E731
        print(f"{label:40s} facts {f('key_facts')}  cited {f('cited_right')} (any {f('cites_gold')})  "
              f"refused {f('refused')}  false {f('false_refusals')}  words {m['words_p50']}  {m['by_category']}")
        if condense is not None and condense.codes:
            print(f"{'':40s} wording: {dict(Counter(condense.codes))}")
            condense.codes.clear()
    if args.ceiling:
        store = container.retriever.store
        # (each release read from the store once: the questions of a set come back to the same releases)
        whole = functools.lru_cache(maxsize=None)(lambda doc: " ".join(c.text for c in store.chunks(doc)))
        results["ceiling"] = ceiling(questions, retrieved, vectors, idf, release_text=whole)
        for k, v in results["ceiling"].items():
            label = "key facts in the " + ("retrieved " if k == "releases" else "") + k
            print(f"{label:40s} {v['all']:.2f}  {({c: x for c, x in v.items() if c != 'all'})}")
    vectors_path.write_bytes(pickle.dumps((vectors._docs, vectors._queries)))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
