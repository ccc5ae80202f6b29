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
from contextlib import closing
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, p50_p95, reset_peak, rss_mb, write_section  # noqa: E402

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


def _copy_rows(source: dict, lo: int, hi: int, noise: float, seed: int) -> tuple[list, np.ndarray, list, list]:
    """Rows ``lo``..``hi`` of the copied collection: (ids, vectors, documents, metadatas). Row i is chunk
    ``i % n`` of the source in copy ``i // n``; the noise of each block of 1,000 rows has its own random stream,
    so a build stopped anywhere resumes to the rows a build made at once has."""
    n_src, dim = source["vectors"].shape
    rows = np.arange(lo, hi)
    src, copy = rows % n_src, rows // n_src
    block = 1000
    first = lo // block
    drawn = np.concatenate([np.random.default_rng((seed, b)).standard_normal((block, dim), dtype=np.float32)
                            for b in range(first, (hi - 1) // block + 1)]) if hi > lo else np.zeros((0, dim), np.float32)
    vectors = source["vectors"][src] + noise * drawn[lo - first * block:hi - first * block] / np.sqrt(dim)
    vectors[copy == 0] = source["vectors"][src[copy == 0]]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids, metas = [], []
    for s, c in zip(src.tolist(), copy.tolist()):
        meta = dict(source["metadatas"][s])
        if c:
            # A fresh document id per copy, so that "at most two passages per document" behaves as on real data.
            meta["doc_id"] = f"{meta['doc_id']}~{c}"
        ids.append(f"{meta['doc_id']}#{meta['index']}")
        metas.append(meta)
    return ids, vectors, [source["documents"][s] for s in src.tolist()], metas


def build(source: dict, size: int, path: Path, noise: float = 0.3, seed: int = 0, batch: int = 5000) -> float:
    """A collection of ``size`` chunks copied from ``source`` under fresh ids; returns the insert rate (chunks/s)
    of this call (NaN if it was already built). A smaller collection left by an interrupted build is completed."""
    from tqdm import tqdm

    client = _client(path)
    collection = client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"})
    have = collection.count()
    if have == size:
        return float("nan")  # built by an earlier run
    if have > size:
        client.delete_collection(COLLECTION)
        collection = client.create_collection(COLLECTION, metadata={"hnsw:space": "cosine"})
        have = 0
    batch = min(batch, client.get_max_batch_size())
    start = time.perf_counter()
    progress = tqdm(total=size, initial=have, desc=f"build {size}", unit="chunk", file=sys.stderr, mininterval=30)
    for lo in range(have, size, batch):
        ids, vectors, docs, metas = _copy_rows(source, lo, min(size, lo + batch), noise, seed)
        collection.add(ids=ids, embeddings=vectors, documents=docs, metadatas=metas)
        progress.update(len(ids))
    progress.close()
    return (size - have) / (time.perf_counter() - start)


def source_embedder(data_dir: Path) -> str | None:
    """The embedder recorded in a data dir's manifest (JSON), read without writing to it."""
    import sqlite3

    # immutable: a read-only connection to a database in WAL mode still creates its -wal and -shm files beside it.
    with closing(sqlite3.connect(f"file:{data_dir / 'manifest.sqlite'}?mode=ro&immutable=1", uri=True)) as db:
        row = db.execute("SELECT value FROM index_info WHERE key='embedder'").fetchone()
    return row[0] if row else None


def index_copies(source: dict, size: int, data_dir: Path, embedder: str | None, noise: float = 0.3,
                 seed: int = 0) -> dict:
    """What an ingest keeps beside the vectors, for the copied collection: the manifest of its documents (with
    the source's embedder) and the saved keyword index (the product's own KeywordIndex over the same chunks).
    Returns build times."""
    import sqlite3

    from core.types import Chunk
    from ingest.manifest import Manifest
    from vectorstore.keyword import KeywordIndex, load_aliases

    if embedder:
        Manifest(data_dir / "manifest.sqlite").record_embedder(json.loads(embedder))
    keyword_dir = data_dir / "keyword"
    if (keyword_dir / "segments.json").exists() and (data_dir / "manifest.sqlite").exists():
        return {}
    docs: dict[str, list] = {}
    chunks = []
    for lo in range(0, size, 20000):
        ids, _, _, metas = _copy_rows(source, lo, min(size, lo + 20000), noise, seed)
        for cid, meta in zip(ids, metas):
            entry = docs.setdefault(meta["doc_id"], [meta["doc_hash"], 0])
            entry[1] += 1
            chunks.append(Chunk.from_metadata(cid, meta))
    manifest = Manifest(data_dir / "manifest.sqlite")
    with sqlite3.connect(manifest.path) as db:
        db.executemany("INSERT OR REPLACE INTO documents (doc_id, hash, state, n_chunks, updated_at) "
                       "VALUES (?, ?, 'indexed', ?, 0)", ((d, h, n) for d, (h, n) in docs.items()))
    reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    index = KeywordIndex(chunks, aliases=load_aliases(data_dir / "aliases.txt"))
    built = (time.perf_counter() - t0, time.process_time() - c0)
    build_rss = rss_mb()
    del chunks
    rss_before_save = rss_mb()[0]
    reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    index.save(keyword_dir)
    # (wall, CPU) seconds; memory in MB: resident after the build and its peak during it, before the save and its
    # peak during it (the chunks' list of the build is freed before the save, as the product's own build does).
    return {"keyword_index_build_s": built, "keyword_index_save_s": (time.perf_counter() - t0, time.process_time() - c0),
            "keyword_index_build_rss_mb": build_rss, "keyword_index_save_rss_mb": (rss_before_save, rss_mb()[1])}


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


def warm_up(port: int, vectors: dict[str, list[float]]) -> float:
    """Seconds of a freshly started server's first query: it reads the collection's vector index from disk then,
    which at large sizes may take longer than a question's timeout, so it is timed apart, before the measure."""
    import chromadb
    import httpx

    client = chromadb.HttpClient(host="127.0.0.1", port=port)
    client._server._session.timeout = httpx.Timeout(1800.0)
    t0 = time.perf_counter()
    client.get_collection(COLLECTION).query(query_embeddings=[next(iter(vectors.values()))], n_results=1)
    return time.perf_counter() - t0


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
        first_query = warm_up(port, json.loads(queries.read_text()))
        out = subprocess.run(cmd + ["--host", "127.0.0.1", "--port", str(port)], capture_output=True, text=True,
                             check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["server_rss_mb"], result["server_rss_peak_mb"] = rss_mb(server.pid)
        result["server_start_s"], result["server_first_query_s"] = started, first_query
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
    runs = sorted(results["runs"], key=lambda r: (r["size"], r["backend"]))
    n = runs[0]["n"]
    passes = (f"{results['questions']} questions, {results['repeats']} passes" if "repeats" in results
              else "the questions, repeated")
    return (f"`make bench` (`python bench/scale.py`): collections built by copying the {results['source_chunks']:,} "
            "stored vectors of the source index under fresh ids (each copy a fresh document id, its vector nudged by "
            "noise, cosine ≈ 0.96 to the original), served by a fresh process; the product's HybridRetriever "
            f"(dense + cross-language dense + BM25, fusion, trimming), {n} retrievals per size ({passes}), query vectors "
            "precomputed "
            "(encoding a question is in the query benchmark). **Retrieve** is wall time; **CPU per retrieve** is the "
            "app process's CPU time for the same call (with the server, Chroma's own work is in the other "
            "process). Beside each copied collection the benchmark writes what an ingest leaves in a data dir: the "
            "manifest of the copied documents and their keyword index, built once by the product's KeywordIndex and "
            "saved, so **keyword index at start** is the app reading it (section Keyword index growth). Memory is "
            "the resident size after the keyword index is ready and the questions ran.\n\n"
            f"{text}\n\n![Retrieval latency against collection size](scale.png)\n\n"
            + "".join(f"{r['size']:,} chunks, {r['backend']}: load average {r['load_average'][0]:.1f} before the "
                      f"measure, {r['load_average'][1]:.1f} after"
                      + (f"; server ready in {r['server_start_s']:.0f} s, its first query {r['server_first_query_s']:.1f} s"
                         f" (reading the vector index), server peak RSS {r['server_rss_peak_mb']:.0f} MB"
                         if "server_first_query_s" in r else "") + ". " for r in runs if "load_average" in r)
            + "The machine has 2 cores, shared with other jobs: wall times include waiting for a core.")


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
    parser.add_argument("--append", action="store_true", help="keep the earlier call's runs at other sizes")
    parser.add_argument("--keyword-only", action="store_true", help="with --build-only: the manifest and keyword "
                        "index of the copies only, not the Chroma collection")
    parser.add_argument("--build-only", action="store_true", help="build the copied collections, measure nothing")
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
    results = {"source_chunks": len(source["ids"]), "load_average": load_average(), "runs": [],
               "questions": len(json.loads(queries.read_text())), "repeats": args.repeats}
    if args.append and (args.work / "scale.json").exists():  # runs of an earlier call at other sizes, kept
        results["runs"] = [r for r in json.loads((args.work / "scale.json").read_text())["runs"]
                           if (r["size"], r["backend"]) not in {(z, b) for z in args.sizes for b in args.backends}]
    builds = {}
    for size in args.sizes:
        t0 = time.perf_counter()
        rate = float("nan") if args.keyword_only else build(source, size, args.work / f"n{size}" / "chroma")
        built = index_copies(source, size, args.work / f"n{size}", source_embedder(args.source))
        print(f"{size}: built in {time.perf_counter() - t0:.0f} s ({rate:.0f} chunks/s into Chroma; {built}); load "
              f"average {load_average():.1f}", file=sys.stderr)
        builds[size] = {"insert_per_s": rate, **built}
        if args.build_only:
            continue
        for backend in args.backends:
            load_before = load_average()
            run = measure_in_subprocess(args.work / f"n{size}", queries, backend, args.repeats)
            run.update(size=size, backend=backend, insert_per_s=rate, load_average=(load_before, load_average()),
                       **built)
            results["runs"].append(run)
            print(f"{size} {backend}: retrieve p50 {1000 * run['retrieve'][0]:.0f} ms, keyword build "
                  f"{run['keyword_build_s']:.1f} s", file=sys.stderr)
    if args.build_only:
        (args.work / "built.json").write_text(json.dumps(builds, indent=2))
        return
    results["load_average_end"] = load_average()
    (args.work / "scale.json").write_text(json.dumps(results, indent=2))
    text = table(results)
    print(text)
    if args.write:
        plot(results, ROOT / "docs" / "scale.png")
        write_section("scale", notes(results, text), "Scale")


if __name__ == "__main__":
    main()
