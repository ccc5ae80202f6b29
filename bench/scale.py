"""Scale benchmark: retrieval latency (no LLM) at 1k, 10k, 100k chunks, embedded Chroma and a Chroma server.

Usage:
  python bench/scale.py --source /tmp/shared --questions bench/shared_questions.jsonl --work /tmp/scale --write

Large collections are built by copying the stored vectors of --source (a data dir) under fresh ids, each copy
nudged by a little noise so that HNSW sees distinct points; nothing is embedded again. Each size is then served
by a fresh process (embedded Chroma in the process, or `chroma run` on loopback) that builds the keyword index
and times the product's HybridRetriever with query embeddings precomputed (time to sources minus the
query encoding, which the query benchmark measures). Reference: the same measure at the smallest size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, p50_p95, rss_mb, write_section  # noqa: E402

COLLECTION = "communiques"


class PrecomputedEmbeddings:
    """Query vectors computed beforehand (the product caches them too); anything else is an error."""

    def __init__(self, vectors: dict[str, list[float]]):
        self.vectors = vectors

    def embed_query(self, text: str) -> list[float]:
        return self.vectors[text]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise RuntimeError("the scale benchmark never embeds documents")


def _client(path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaClientSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaClientSettings(anonymized_telemetry=False))


def read_source(data_dir: Path, work: Path) -> dict:
    """Ids, vectors, texts and metadata of a data dir's collection (read from a copy: Chroma writes on open)."""
    copy = work / "source-chroma"
    if not copy.exists():
        shutil.copytree(data_dir / "chroma", copy)
    got = _client(copy).get_collection(COLLECTION).get(include=["embeddings", "documents", "metadatas"])
    return {"ids": got["ids"], "vectors": np.asarray(got["embeddings"], dtype=np.float32),
            "documents": got["documents"], "metadatas": got["metadatas"]}


def build(source: dict, size: int, path: Path, noise: float = 0.3, seed: int = 0) -> float:
    """A collection of ``size`` chunks copied from ``source`` under fresh ids; returns insert rate (chunks/s)."""
    from tqdm import tqdm

    client = _client(path)
    collection = client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"})
    if collection.count() == size:
        return float("nan")  # built by an earlier run
    client.delete_collection(COLLECTION)
    collection = client.create_collection(COLLECTION, metadata={"hnsw:space": "cosine"})
    rng = np.random.default_rng(seed)
    n_src, dim = source["vectors"].shape
    batch = min(4000, client.get_max_batch_size())
    start = time.perf_counter()
    for lo in tqdm(range(0, size, batch), desc=f"build {size}", unit="batch", file=sys.stderr):
        rows = range(lo, min(size, lo + batch))
        ids, vectors, docs, metas = [], [], [], []
        for i in rows:
            src, copy = i % n_src, i // n_src
            meta = dict(source["metadatas"][src])
            vec = source["vectors"][src]
            if copy:
                # A fresh document id per copy, so that "at most two passages per document" behaves as on real data.
                meta["doc_id"] = f"{meta['doc_id']}~{copy}"
                vec = vec + noise * rng.standard_normal(dim, dtype=np.float32) / np.sqrt(dim)
                vec = vec / np.linalg.norm(vec)
            ids.append(f"{meta['doc_id']}#{meta['index']}")
            vectors.append(vec)
            docs.append(source["documents"][src])
            metas.append(meta)
        collection.add(ids=ids, embeddings=np.asarray(vectors), documents=docs, metadatas=metas)
    return size / (time.perf_counter() - start)


def measure(data_dir: Path, queries: Path, host: str | None, port: int, repeats: int) -> dict:
    """Run in a fresh process: open the store, build the keyword index, time retrieval per question."""
    from assistant.container import Container
    from assistant.settings import ChromaSettings, Settings

    vectors = json.loads(queries.read_text())
    settings = Settings(data_dir=data_dir, chroma=ChromaSettings(host=host, port=port))
    container = Container(settings)
    container.__dict__["embeddings"] = PrecomputedEmbeddings(vectors)  # the cached_property, pre-filled
    rss_start = rss_mb()[0]
    t0 = time.perf_counter()
    count = container.store.count()
    t_open = time.perf_counter() - t0
    retriever = container.retriever
    t0, c0 = time.perf_counter(), time.process_time()
    index = retriever.keyword
    t_keyword, cpu_keyword = time.perf_counter() - t0, time.process_time() - c0
    rss_index = rss_mb()[0]
    questions = list(vectors)
    for q in questions[:2]:
        retriever.retrieve(q)
    total, dense, keyword, cpu = [], [], [], []
    for _ in range(repeats):
        for q in questions:
            t0, c0 = time.perf_counter(), time.process_time()
            retriever.retrieve(q)
            total.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            t0 = time.perf_counter()
            container.store.dense_search(vectors[q], retriever.fetch_k)
            dense.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            index.search(q, retriever.fetch_k)
            keyword.append(time.perf_counter() - t0)
    rss, peak = rss_mb()
    return {"count": count, "open_s": t_open, "keyword_build_s": t_keyword,
            "keyword_build_cpu_s": cpu_keyword, "retrieve": p50_p95(total), "retrieve_cpu": p50_p95(cpu), "dense": p50_p95(dense), "keyword": p50_p95(keyword),
            "rss_start_mb": rss_start, "rss_index_mb": rss_index, "rss_mb": rss, "rss_peak_mb": peak,
            "n": len(total)}


def measure_in_subprocess(data_dir: Path, queries: Path, backend: str, repeats: int) -> dict:
    """The measure in a fresh process (clean memory figures); for 'server', behind a real `chroma run`."""
    cmd = [sys.executable, __file__, "--measure", str(data_dir), "--queries", str(queries), "--repeats", str(repeats)]
    if backend == "embedded":
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    from tests.servers import chroma_cmd, free_port, running

    port = free_port()
    log = data_dir / "chroma-server.log"
    t0 = time.perf_counter()
    with running(chroma_cmd(data_dir / "chroma", port), f"http://127.0.0.1:{port}/api/v2/heartbeat", log,
                 timeout=300) as server:
        started = time.perf_counter() - t0
        out = subprocess.run(cmd + ["--host", "127.0.0.1", "--port", str(port)], capture_output=True, text=True,
                             check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["server_rss_mb"], result["server_rss_peak_mb"] = rss_mb(server.pid)
        result["server_start_s"] = started
    return result


def embed_questions(questions: Path, n: int, source_dir: Path, out: Path, embedder: str) -> None:
    """Query vectors of the first ``n`` questions, with the model that made the source's vectors."""
    from assistant.container import Container
    from assistant.evaluation import load_testset
    from assistant.settings import ModelSettings, Settings

    texts = [q.question for q in load_testset(questions)][:n]
    container = Container(Settings(data_dir=source_dir, models=ModelSettings(embedder=embedder)))
    out.write_text(json.dumps({t: container.embeddings.embed_query(t) for t in texts}))


def table(results: dict) -> str:
    sizes = sorted({r["size"] for r in results["runs"]})
    ref = {r["backend"]: r for r in results["runs"] if r["size"] == sizes[0]}
    lines = ["| chunks | store | retrieve p50 | p95 | × smallest | CPU per retrieve p50 | dense search p50 | "
             "keyword search p50 | keyword index at start (CPU) | memory (RSS) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(results["runs"], key=lambda r: (r["size"], r["backend"])):
        mem = f"{r['rss_mb']:.0f} MB"
        if r["backend"] == "server":
            mem = f"app {r['rss_mb']:.0f} MB + server {r['server_rss_mb']:.0f} MB"
        ratio = r["retrieve"][0] / ref[r["backend"]]["retrieve"][0]
        lines.append(f"| {r['size']:,} | {r['backend']} | {1000 * r['retrieve'][0]:.0f} ms | "
                     f"{1000 * r['retrieve'][1]:.0f} ms | {ratio:.1f}× | {1000 * r['retrieve_cpu'][0]:.0f} ms | "
                     f"{1000 * r['dense'][0]:.0f} ms | {1000 * r['keyword'][0]:.0f} ms | {r['keyword_build_s']:.1f} s "
                     f"({r['keyword_build_cpu_s']:.1f} s) | {mem} |")
    return "\n".join(lines)


def notes(results: dict, text: str) -> str:
    """The section of docs/benchmarks.md: how it was measured, the table, the chart."""
    n = results["runs"][0]["n"]
    return (f"`make bench` (`python bench/scale.py`): collections built by copying the {results['source_chunks']:,} "
            "stored vectors of the source index under fresh ids (each copy a fresh document id, its vector nudged by "
            "noise, cosine ≈ 0.96 to the original), served by a fresh process; the product's HybridRetriever "
            f"(dense + cross-language dense + BM25, fusion, trimming), {n} questions, query vectors precomputed "
            "(encoding a question is in the query benchmark). **Retrieve** is wall time; **CPU per retrieve** is the "
            "app process's CPU time for the same call (with the server, Chroma's own work is in the other "
            "process). **Keyword index at start**: built from the store and saved the first time a data dir is "
            "served, read from its saved segments after (section Keyword index growth). Memory is the resident size "
            "after the keyword index is ready and the questions ran.\n\n"
            f"{text}\n\n![Retrieval latency against collection size](scale.png)\n\n"
            f"Load average during the run: {results['load_average']:.1f} at the start, "
            f"{results['load_average_end']:.1f} at the end, on 2 cores: the wall times include waiting for a core.")


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4))
    for backend, colour in (("embedded", "tab:blue"), ("server", "tab:orange")):
        runs = sorted((r for r in results["runs"] if r["backend"] == backend), key=lambda r: r["size"])
        if not runs:
            continue
        sizes = [r["size"] for r in runs]
        ax.plot(sizes, [1000 * r["retrieve"][0] for r in runs], "o-", color=colour, label=f"{backend}: retrieve p50")
        ax.plot(sizes, [1000 * r["retrieve"][1] for r in runs], "o:", color=colour, alpha=0.6, label=f"{backend}: p95")
        ax.plot(sizes, [1000 * r["retrieve_cpu"][0] for r in runs], "s--", color=colour, alpha=0.8,
                label=f"{backend}: CPU of the app per retrieve, p50")
    ax.axhline(100, color="grey", lw=0.8)
    ax.text(sizes[0], 104, "target p50 100 ms", color="grey", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("chunks in the collection")
    ax.set_ylabel("ms (2 cores shared with other jobs)")
    ax.set_title("Hybrid retrieval latency without the LLM")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=Path("/tmp/shared"), help="data dir whose vectors are copied")
    parser.add_argument("--questions", type=Path, default=ROOT / "bench" / "shared_questions.jsonl")
    parser.add_argument("--n-questions", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--backends", nargs="+", default=["embedded", "server"], choices=["embedded", "server"])
    parser.add_argument("--repeats", type=int, default=2, help="passes over the questions per measure")
    parser.add_argument("--work", type=Path, default=Path("/tmp/communiques-scale"), help="where the copies live")
    parser.add_argument("--embedder", default="sentence-transformers", choices=["sentence-transformers", "hash"],
                        help="the model that made the source's vectors (hash: the tests' fake)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md and docs/scale.png")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--host", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=8000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the child process
        print(json.dumps(measure(args.measure, args.queries, args.host, args.port, args.repeats)))
        return

    stamp = args.work / "source.txt"
    if stamp.exists() and stamp.read_text() != f"{args.source.resolve()} {args.questions.resolve()}":
        shutil.rmtree(args.work)  # copies of another index: start again
    args.work.mkdir(parents=True, exist_ok=True)
    stamp.write_text(f"{args.source.resolve()} {args.questions.resolve()}")
    queries = args.work / "queries.json"
    if not queries.exists():
        embed_questions(args.questions, args.n_questions, args.source, queries, args.embedder)
    source = read_source(args.source, args.work)
    print(f"source: {len(source['ids'])} chunks; load average {load_average():.1f}", file=sys.stderr)
    results = {"source_chunks": len(source["ids"]), "load_average": load_average(), "runs": []}
    for size in args.sizes:
        rate = build(source, size, args.work / f"n{size}" / "chroma")
        for backend in args.backends:
            run = measure_in_subprocess(args.work / f"n{size}", queries, backend, args.repeats)
            run.update(size=size, backend=backend, insert_per_s=rate)
            results["runs"].append(run)
            print(f"{size} {backend}: retrieve p50 {1000 * run['retrieve'][0]:.0f} ms, keyword build "
                  f"{run['keyword_build_s']:.1f} s", file=sys.stderr)
    results["load_average_end"] = load_average()
    (args.work / "scale.json").write_text(json.dumps(results, indent=2))
    text = table(results)
    print(text)
    if args.write:
        plot(results, ROOT / "docs" / "scale.png")
        write_section("scale", notes(results, text), "Scale")


if __name__ == "__main__":
    main()
