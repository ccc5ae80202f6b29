"""Retrieval benchmark: hybrid versus dense-only and BM25-only, per question category.

Usage:
  python bench/retrieval.py --corpus examples/communiques --questions examples/testset.jsonl
  python bench/retrieval.py --corpus ../shared/corpus --questions bench/shared_questions.jsonl --data-dir data-shared

Ingests the corpus into --data-dir if needed (idempotent), then runs every answerable question
through three retrievers built on the same store, and prints recall@1/5/10 and MRR per category.
With --write, the table goes into docs/benchmarks.md (between markers for that question set).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.container import Container  # noqa: E402
from assistant.evaluation import load_testset  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from bench.timing import write_section  # noqa: E402

# "hybrid" is the product (score fusion); "rrf" the same searches fused by reciprocal rank; then the two baselines.
MODES = ("hybrid", "rrf", "dense", "bm25")


def ranked_docs(retriever, question: str, k: int = 10) -> list[str]:
    """Distinct documents in fused-rank order (the retriever's own candidates, before trimming)."""
    retrieval = retriever.retrieve(question, k=k)
    docs = []
    for cid, _ in retrieval.candidates:
        doc = cid.split("#", 1)[0]
        if doc not in docs:
            docs.append(doc)
    return docs


def measure(container: Container, questions, mode: str) -> dict[str, dict]:
    retriever = container.retriever
    retriever.mode, retriever.fusion = ("hybrid", "rrf") if mode == "rrf" else (mode, "score")
    per_cat: dict[str, list[tuple[float, float, float, float]]] = {}
    per_question: dict[str, float] = {}
    times = []
    for q in questions:
        if not q.answerable:
            continue
        text = q.question
        if q.history:
            text = " ".join(t["content"] for t in q.history if t.get("role") == "user") + " " + q.question
        t0 = time.perf_counter()
        docs = ranked_docs(retriever, text)
        times.append(time.perf_counter() - t0)
        gold = set(q.gold_doc_ids)
        hits = [d in gold for d in docs]
        rr = next((1 / (i + 1) for i, h in enumerate(hits) if h), 0.0)
        row = (float(any(hits[:1])), float(any(hits[:5])), float(any(hits[:10])), rr)
        per_question[q.id] = rr
        per_cat.setdefault(q.category, []).append(row)
        per_cat.setdefault("all", []).append(row)
    out = {cat: {"n": len(rows), "r@1": 100 * statistics.mean(r[0] for r in rows),
                 "r@5": 100 * statistics.mean(r[1] for r in rows), "r@10": 100 * statistics.mean(r[2] for r in rows),
                 "mrr": statistics.mean(r[3] for r in rows)} for cat, rows in per_cat.items()}
    out["all"]["p50_ms"] = 1000 * statistics.median(times)
    out["per_question"] = per_question
    return out


def table(results: dict[str, dict]) -> str:
    cats = [c for c in results["hybrid"] if c not in ("all", "per_question")] + ["all"]
    lines = ["| category | n | " + " | ".join(f"{m} r@1 | {m} r@5 | {m} MRR" for m in MODES) + " |",
             "|---|---|" + "---|" * (3 * len(MODES))]
    for c in cats:
        cells = [f"{results[m][c]['r@1']:.0f} | {results[m][c]['r@5']:.0f} | {results[m][c]['mrr']:.2f}" for m in MODES]
        lines.append(f"| {c} | {results['hybrid'][c]['n']} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Retrieval latency p50 (query embedding cached; searches, fusion, trimming): " +
                 ", ".join(f"{m} {results[m]['all']['p50_ms']:.0f} ms" for m in MODES))
    hyb = results["hybrid"]["per_question"]
    for other in ("dense", "rrf"):
        base = results[other]["per_question"]
        won = [q for q in hyb if hyb[q] == 1.0 and base[q] < 1.0]
        lost = [q for q in hyb if hyb[q] < 1.0 and base[q] == 1.0]
        lines.append(f"\nRanked first by hybrid but not by {other}: {', '.join(won) or 'none'}; "
                     f"the reverse: {', '.join(lost) or 'none'}.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, nargs="+")
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=Path("data-bench"))
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--no-ingest", action="store_true",
                        help="measure the index in --data-dir as it is (e.g. one cut with other chunk settings)")
    args = parser.parse_args()
    container = Container(Settings().model_copy(update={"data_dir": args.data_dir}))
    if args.no_ingest:
        print(f"measuring the index in {args.data_dir} as it is ({container.store.count()} chunks)", file=sys.stderr)
    else:
        report = container.ingestor.ingest_paths(args.corpus)
        print(f"ingest: {len(report.added)} added, {len(report.unchanged)} unchanged, {len(report.failed)} failed "
              f"in {report.seconds:.0f}s", file=sys.stderr)
    questions = load_testset(args.questions)
    container.embeddings.embed_documents(["warm-up"])
    for q in questions:  # query embeddings are cached: every mode then pays the same, search only
        container.embeddings.embed_query(q.question)
    results = {mode: measure(container, questions, mode) for mode in MODES}
    container.retriever.mode, container.retriever.fusion = "hybrid", "score"
    text = table(results)
    print(text)
    (args.data_dir / "retrieval.json").write_text(json.dumps(results, indent=2))
    if args.write:
        write_section(f"retrieval:{args.questions.name}", text, f"Retrieval: {args.questions}")


if __name__ == "__main__":
    main()
