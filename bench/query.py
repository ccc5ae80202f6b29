"""Query benchmark: time to sources, first token and full answer, product versus a stock LangChain pipeline.

Usage:
  python bench/query.py --corpus examples/communiques --questions examples/testset.jsonl --data-dir DIR -n 20 --write

Both run in the same process on the same models and the same store data (the stock pipeline is the one of
bench/plain_chain.py: RecursiveCharacterTextSplitter 1000/200, Chroma k=4, a "stuff" prompt). The query
embedding cache is emptied before every question so that both pay the encoding. The product's questions run as
one block, then the stock pipeline's: interleaving them would evict the product's system prompt from llama.cpp's
prefix cache, which a real server process never does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, p50_p95, write_section  # noqa: E402

STAGES = ("sources_s", "first_token_s", "total_s")
LABELS = {"sources_s": "time to sources", "first_token_s": "time to first token", "total_s": "time to full answer"}


def pick(questions, n: int):
    """``n`` answerable single-turn questions, taken in turn from each category (a fixed, varied subset)."""
    by_cat: dict[str, list] = {}
    for q in questions:
        if q.answerable and not q.history:
            by_cat.setdefault(q.category, []).append(q)
    out = []
    while len(out) < n and any(by_cat.values()):
        for cat in list(by_cat):
            if by_cat[cat] and len(out) < n:
                out.append(by_cat[cat].pop(0))
    return out


def _forget_queries(embeddings) -> None:
    cache = getattr(embeddings, "_cache", None)
    if cache is not None:
        cache.clear()


def time_product(container, questions) -> list[dict]:
    """Stage timings of the product's chain, one dict per question."""
    out = []
    for q in questions:
        _forget_queries(container.embeddings)
        out.append({"id": q.id, **time_chain(container.chain, q.question)})
        print(f"product {q.id}: {out[-1]['total_s']:.1f} s", file=sys.stderr)
    return out


def time_chain(chain, question, history=None) -> dict:
    """Stage timings of one question through ``chain``."""
    from core.types import AnswerEvent, SourcesEvent, TokenEvent

    t0 = time.perf_counter()
    row: dict = {}
    for event in chain.stream(question, history):
        now = time.perf_counter() - t0
        if isinstance(event, SourcesEvent):
            row["sources_s"] = now
        elif isinstance(event, TokenEvent) and "first_token_s" not in row:
            row["first_token_s"] = now
        elif isinstance(event, AnswerEvent):
            row["total_s"] = now
            row["abstained"] = event.answer.abstained
    return row


def time_follow_ups(container, questions) -> tuple[list[dict], list[dict]]:
    """The follow-up questions (with a conversation), rewritten by a second in-process model instance (the
    product) and by the answering instance itself, in alternating order. Before each, the answering instance's
    fixed prompt prefix is evaluated again, as after any earlier answer."""
    from assistant.chain import AnswerChain

    shared = AnswerChain(container.retriever, container.llm, container.verifier,
                         min_dense=container.settings.retrieval.min_dense)
    own, one = [], []
    for i, q in enumerate(questions):
        for name in (("own", "one") if i % 2 == 0 else ("one", "own")):
            chain = container.chain if name == "own" else shared
            container.chain.warm_up()
            _forget_queries(container.embeddings)
            row = {"id": q.id, **time_chain(chain, q.question, q.history)}
            (own if name == "own" else one).append(row)
            print(f"{name} {q.id}: first token {row.get('first_token_s', float('nan')):.1f} s", file=sys.stderr)
    return own, one


def follow_up_table(own: list[dict], one: list[dict]) -> str:
    a, b = summary(own), summary(one)
    lines = ["| stage | rewritten by the answering instance p50 | p95 | by a second instance p50 | p95 | "
             "second / one (p50) |", "|---|---|---|---|---|---|"]
    for s in STAGES:
        lines.append(f"| {LABELS[s]} | {b[s][0]:.2f} s | {b[s][1]:.2f} s | {a[s][0]:.2f} s | {a[s][1]:.2f} s | "
                     f"{a[s][0] / b[s][0]:.2f}× |")
    return "\n".join(lines)


def time_plain(container, retriever, questions) -> list[dict]:
    """Stage timings of the stock pipeline, one dict per question."""
    from bench.plain_chain import STUFF

    out = []
    for q in questions:
        _forget_queries(container.embeddings)
        t0 = time.perf_counter()
        docs = retriever.invoke(q.question)
        row = {"id": q.id, "sources_s": time.perf_counter() - t0}
        prompt = STUFF.format(context="\n\n".join(d.page_content for d in docs), question=q.question)
        for _ in container.llm.stream(prompt):
            row.setdefault("first_token_s", time.perf_counter() - t0)
        row["total_s"] = time.perf_counter() - t0
        out.append(row)
        print(f"plain {q.id}: {row['total_s']:.1f} s", file=sys.stderr)
    return out


def time_sources(container, retriever, questions) -> tuple[list[dict], list[dict]]:
    """Only the first stage, both pipelines (no model call): query encoding and retrieval."""
    product, plain = [], []
    for q in questions:
        _forget_queries(container.embeddings)
        t0 = time.perf_counter()
        container.chain.retriever.retrieve(q.question)
        product.append({"id": q.id, "sources_s": time.perf_counter() - t0})
        _forget_queries(container.embeddings)
        t0 = time.perf_counter()
        retriever.invoke(q.question)
        plain.append({"id": q.id, "sources_s": time.perf_counter() - t0})
    return product, plain


def summary(rows: list[dict]) -> dict:
    """p50/p95 per stage; first token and full answer only over the questions that reached the model."""
    answered = [r for r in rows if "first_token_s" in r]
    return {s: p50_p95([r[s] for r in (rows if s == "sources_s" else answered)]) for s in STAGES}


def table(result: dict) -> str:
    prod, plain = result["product"], result["plain"]
    lines = ["| stage | stock LangChain p50 | p95 | Communiqués p50 | p95 | product / stock (p50) | target |",
             "|---|---|---|---|---|---|---|"]
    targets = {"sources_s": "≤ 1 s", "first_token_s": "≤ 2 s", "total_s": ""}
    for s in STAGES:
        if plain[s][0] != plain[s][0]:  # NaN: stage not measured (--sources-only)
            continue
        lines.append(f"| {LABELS[s]} | {plain[s][0]:.2f} s | {plain[s][1]:.2f} s | {prod[s][0]:.2f} s | "
                     f"{prod[s][1]:.2f} s | {prod[s][0] / plain[s][0]:.2f}× | {targets[s]} |")
    answered = sum(1 for r in result["product_rows"] if "first_token_s" in r)
    reached = (f"the product reached the model on {answered} of them (it refuses the others after retrieval; first "
               "token and full answer are over the questions that reached it)" if answered else
               "only the retrieval stage was timed, query encoding included (no model call)")
    lines += ["", f"{result['n']} answerable questions ({result['questions']}); {reached}. "
              f"Load average {result['load_average'][0]:.1f} at the start, {result['load_average'][1]:.1f} at the "
              "end, on 2 cores shared with other jobs: the seconds are noisy, the ratios less so."]
    return "\n".join(lines)


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    width = 0.38
    xs = range(len(STAGES))
    for offset, (name, key, colour) in enumerate((("stock LangChain", "plain", "tab:grey"),
                                                   ("Communiqués", "product", "tab:blue"))):
        p50 = [result[key][s][0] for s in STAGES]
        p95 = [result[key][s][1] for s in STAGES]
        bars = ax.bar([x + (offset - 0.5) * width for x in xs], p50, width, color=colour, label=f"{name} p50")
        ax.errorbar([b.get_x() + b.get_width() / 2 for b in bars], p50,
                    yerr=[[0] * len(p50), [b - a for a, b in zip(p50, p95)]], fmt="none", ecolor="black",
                    capsize=3, lw=0.8)
    ax.set_xticks(list(xs), [LABELS[s] for s in STAGES])
    ax.set_ylabel("seconds (whisker: p95)")
    ax.set_title(f"Answer latency, {result['n']} questions, same models, same run")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, nargs="+", required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=Path("data-bench"))
    parser.add_argument("-n", type=int, default=20, help="number of questions")
    parser.add_argument("--fake", action="store_true", help="hash embedder and fake model (smoke test)")
    parser.add_argument("--sources-only", action="store_true", help="time only the retrieval stage (no model call)")
    parser.add_argument("--plain-first", action="store_true", help="run the stock pipeline's block first")
    parser.add_argument("--out", type=Path, default=None, help="also write the timings as JSON here")
    parser.add_argument("--follow-ups", action="store_true",
                        help="time the follow-up questions: rewritten by a second model instance or by the first")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md and docs/latency.png")
    args = parser.parse_args()

    from assistant.container import Container
    from assistant.evaluation import load_testset
    from assistant.settings import Settings
    from bench.plain_chain import build_plain

    settings = Settings.for_tests(args.data_dir) if args.fake else Settings(data_dir=args.data_dir)
    container = Container(settings)
    container.ingestor.ingest_paths(args.corpus)
    questions = pick(load_testset(args.questions), args.n)
    retriever = build_plain(container, args.corpus, args.data_dir)
    container.retriever.keyword  # noqa: B018 - built before the clock starts, as `serve` does
    container.embeddings.embed_query("warm-up")
    start_load = load_average()
    if args.follow_ups:
        follow_ups = [q for q in load_testset(args.questions) if q.history][: args.n]
        own, one = time_follow_ups(container, follow_ups)
        text = (f"{len(follow_ups)} follow-up questions ({args.questions.name}), each rewritten then "
                f"answered; load average {start_load:.1f} at the start, {load_average():.1f} at the end.\n\n"
                + follow_up_table(own, one))
        print(text)
        if args.out:
            args.out.write_text(json.dumps({"second_instance": own, "one_instance": one}, indent=2))
        if args.write:
            write_section("follow-ups", f"`python bench/query.py --follow-ups`, sample corpus:\n\n{text}",
                          "Follow-up questions: rewriting in a second model instance")
        return
    if args.sources_only:
        product_rows, plain_rows = time_sources(container, retriever, questions)
    else:
        container.chain.warm_up()
        if args.plain_first:  # the other order, to see how much the machine's load drift weighs
            plain_rows = time_plain(container, retriever, questions)
            container.chain.warm_up()
            product_rows = time_product(container, questions)
        else:
            product_rows = time_product(container, questions)
            plain_rows = time_plain(container, retriever, questions)
    result = {"n": len(questions), "questions": args.questions.name, "product": summary(product_rows),
              "plain": summary(plain_rows), "product_rows": product_rows, "plain_rows": plain_rows,
              "load_average": (start_load, load_average())}
    text = table(result)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    if args.write and args.sources_only:
        write_section("query", f"`python bench/query.py --sources-only`, sample corpus:\n\n{text}", "Query latency")
    elif args.write:
        plot(result, ROOT / "docs" / "latency.png")
        write_section("query", f"`make bench` (`python bench/query.py`), sample corpus:\n\n{text}\n\n"
                      "![Answer latency, product versus stock pipeline](latency.png)", "Query latency")


if __name__ == "__main__":
    main()
