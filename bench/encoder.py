"""Encoder backends compared in one run: PyTorch fp32, ONNX fp32 and ONNX int8 on the same chunks.

Usage:
  python bench/encoder.py --write
  python bench/encoder.py --corpus examples/communiques --questions examples/testset.jsonl --backends torch onnx-int8

Each backend ingests the corpus into its own fresh index (--data-dir/BACKEND): chunks per second is the time spent
in the encoder over the chunks written (the model loaded, and the ONNX export built, before the clock starts), as
a ratio to PyTorch measured in the same run. Every chunk's vector is compared with PyTorch's (cosine), and the
retrieval recall@1/@5 of the question set is measured on each index with bench/retrieval.py's code (hybrid, as
shipped, and dense only, where the encoder alone decides). Writes docs/encoder.json, docs/encoder.png and, with
--write, a section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.container import Container  # noqa: E402
from assistant.evaluation import load_testset  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from bench.ingest import subset  # noqa: E402
from bench.retrieval import measure  # noqa: E402
from bench.timing import load_average, publish  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"
BACKENDS = ("torch", "onnx", "onnx-int8")


def run_backend(backend: str, corpus: list[Path], questions, data_dir: Path, cut: list | None = None
                ) -> tuple[dict, Container]:
    """Ingest ``corpus`` (and the loaded documents ``cut``) into a fresh index with ``backend``; speed and recall."""
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = Settings()
    settings = settings.model_copy(update={
        "data_dir": data_dir, "models": settings.models.model_copy(update={"embedder_backend": backend})})
    container = Container(settings)
    started = time.perf_counter()
    container.embeddings.embed_documents(["warm-up"])  # loads the model (and builds or checks the ONNX export)
    load_s = time.perf_counter() - started
    load_before = load_average()
    report = container.ingestor.ingest_paths(corpus)
    if cut:
        more = container.ingestor.ingest_loaded(cut)
        report.chunks_written += more.chunks_written
        report.embed_seconds += more.embed_seconds
        report.failed += more.failed
    if not report.ok:
        raise SystemExit(f"{backend}: ingest failed: {report.failed[:3]}")
    for q in questions:  # the question vectors, timed apart from the searches
        container.embeddings.embed_query(q.question)
    recall = {mode: measure(container, questions, mode)["all"] for mode in ("hybrid", "dense")}
    return {"backend": backend, "chunks": report.chunks_written, "embed_s": round(report.embed_seconds, 2),
            "chunks_per_s": report.chunks_written / report.embed_seconds, "load_s": round(load_s, 1),
            "load_average": round((load_before + load_average()) / 2, 2),
            "recall": {mode: {k: r[k] for k in ("n", "r@1", "r@5", "mrr")} for mode, r in recall.items()}}, container


def cosines(reference: Container, other: Container) -> dict:
    """Mean and minimum cosine between the two indexes' vectors of the same chunks."""
    ids = reference.store.chunk_ids()
    ref, got = reference.store.vectors(ids), other.store.vectors(ids)
    values = [sum(a * b for a, b in zip(ref[i], got[i])) for i in ids if i in ref and i in got]
    return {"mean": statistics.mean(values), "min": min(values), "n": len(values)}


def table(rows: list[dict]) -> str:
    base = rows[0]["chunks_per_s"]
    lines = ["| backend | chunks/s | × torch | cosine to torch (mean / min) | hybrid r@1 | hybrid r@5 | dense r@1 | "
             "dense r@5 | load average |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        cos = r.get("cosine_to_torch")
        lines.append(f"| {r['backend']} | {r['chunks_per_s']:.2f} | {r['chunks_per_s'] / base:.2f}× | "
                     + (f"{cos['mean']:.4f} / {cos['min']:.4f}" if cos else "—") + " | "
                     + " | ".join(f"{r['recall'][m][k]:.1f}" for m in ("hybrid", "dense") for k in ("r@1", "r@5"))
                     + f" | {r['load_average']:.1f} |")
    return "\n".join(lines)


def plot(rows: list[dict], out: Path) -> None:
    """Chunks/s and recall@5 of each backend, side by side."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency; the figures stay in the JSON
        print("matplotlib is not installed: no plot", file=sys.stderr)
        return
    names = [r["backend"] for r in rows]
    fig, (speed, recall) = plt.subplots(1, 2, figsize=(9, 3.4))
    bars = speed.bar(names, [r["chunks_per_s"] for r in rows], color="#4c72b0")
    speed.bar_label(bars, [f"{r['chunks_per_s']:.2f}\n{r['chunks_per_s'] / rows[0]['chunks_per_s']:.2f}×"
                           for r in rows])
    speed.set_ylabel("chunks / s (same chunks, same run)")
    speed.set_ylim(0, 1.3 * max(r["chunks_per_s"] for r in rows))
    bars = [(mode, k) for mode in ("hybrid", "dense") for k in ("r@1", "r@5")]
    width = 0.8 / len(bars)
    for j, (mode, k) in enumerate(bars):
        recall.bar([i + (j - (len(bars) - 1) / 2) * width for i in range(len(rows))],
                   [r["recall"][mode][k] for r in rows], width, label=f"{mode} {k}")
    recall.set_xticks(range(len(rows)), names)
    recall.set_ylabel("recall, % of answerable questions")
    recall.set_ylim(0, 130)
    recall.legend(loc="upper center", ncol=2, fontsize="small")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, nargs="+", default=[Path("examples/communiques")])
    parser.add_argument("--questions", type=Path, default=Path("examples/testset.jsonl"))
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS),
                        help="the first is the reference of the ratios and cosines (torch by default)")
    parser.add_argument("--cut", type=Path, nargs="*", default=[],
                        help="a development corpus: its first --cut-docs documents are encoded too (speed only)")
    parser.add_argument("--cut-docs", type=int, default=10)
    parser.add_argument("--data-dir", type=Path, default=Path("data-bench-encoder"))
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--plot-only", action="store_true", help="draw docs/encoder.png again from docs/encoder.json")
    args = parser.parse_args()
    if args.plot_only:
        plot(json.loads((DOCS / "encoder.json").read_text())["rows"], DOCS / "encoder.png")
        return
    questions = load_testset(args.questions)
    cut = subset(args.cut, args.cut_docs) if args.cut else None
    rows, containers = [], []
    for backend in args.backends:
        row, container = run_backend(backend, args.corpus, questions, args.data_dir / backend, cut)
        if containers:
            row["cosine_to_torch"] = cosines(containers[0], container)
        print(f"{backend}: {row['chunks_per_s']:.2f} chunks/s", file=sys.stderr)
        rows.append(row)
        containers.append(container)
    text = table(rows)
    sources = ", ".join(map(str, args.corpus)) + (
        f" and the first {len(cut)} releases of {', '.join(map(str, args.cut))}" if cut else "")
    intro = (f"{rows[0]['chunks']} chunks of {sources}, each backend ingesting them into "
             f"its own index in one run (`make bench-encoder`); recall on the answerable questions of "
             f"{args.questions}. 2 cores shared with other work: the load average is printed beside each row.")
    publish(text, {"rows": rows}, DOCS / "encoder.json", "encoder" if args.write else None,
            "Encoder backends (PyTorch, ONNX, ONNX int8)", intro)
    plot(rows, DOCS / "encoder.png")


if __name__ == "__main__":
    main()
