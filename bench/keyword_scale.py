"""Keyword index growth: the cost of adding, correcting and removing 10 releases in an index of 100k or 1M chunks,
against rebuilding it whole, in the same run; keyword search p50 and memory.

Usage:
  python bench/keyword_scale.py --corpus ../shared/corpus --sizes 100000 1000000 --write

The chunks are those of the corpus's releases (chunked as the product does), copied under fresh document ids up to
each size: the keyword side needs no model. Each size runs in a fresh process (clean memory figures): it builds the
index at once (the full build), adds 10 more releases to it (timed), builds at once an index of the same final
chunks (the full rebuild the previous code did after every ingest, timed), checks that the two give the same
scores, then corrects and removes 10 releases (timed) and times keyword searches. The catch-up of a running
server also reads the manifest's list of documents: timed beside, on a manifest of as many documents.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, p50_p95, reset_peak, rss_mb, write_section  # noqa: E402


def source_releases(corpus: Path) -> list[list]:
    """The corpus's releases, each as its list of chunks (chunked with the product's default settings)."""
    from assistant.settings import ChunkSettings
    from ingest.chunking import chunk_communique
    from ingest.loaders import iter_sources, load_path

    settings = ChunkSettings()
    releases = []
    for path, root in iter_sources([corpus]):
        for item in load_path(path, root, 50_000_000):
            if item.doc is not None:
                chunks = chunk_communique(item.doc, target_chars=settings.target_chars, max_chars=settings.max_chars,
                                          overlap_sentences=settings.overlap_sentences)
                if chunks:
                    releases.append(chunks)
    return releases


def save_releases(releases: list[list], path: Path) -> None:
    """Chunked once by the parent (sentence splitting costs more than indexing), read by each measuring process."""
    path.write_text(json.dumps([[dataclasses.asdict(c) for c in r] for r in releases]))


def load_releases(path: Path) -> list[list]:
    from core.types import Chunk

    return [[Chunk(**c) for c in r] for r in json.loads(path.read_text())]


def typical(releases: list[list], n: int) -> list[list]:
    """``n`` releases of about the corpus's mean length (25 chunks on the public corpus: 10 make ~250 chunks)."""
    mean = sum(map(len, releases)) / len(releases)
    return sorted(releases, key=lambda r: abs(len(r) - mean))[:n]


def copies(releases: list[list], first_copy: int, min_chunks: int = 0, n_releases: int = 0) -> list:
    """Chunks of the releases copied under fresh ids (``doc_id~copy``) until ``min_chunks`` chunks or
    ``n_releases`` releases; the texts are shared with the source (as copies of one text would be analysed)."""
    out, made, copy = [], 0, first_copy
    while (min_chunks and len(out) < min_chunks) or (n_releases and made < n_releases):
        for release in releases:
            doc = f"{release[0].doc_id}~{copy}"
            out.extend(dataclasses.replace(c, doc_id=doc, chunk_id=f"{doc}#{c.index}") for c in release)
            made += 1
            if (min_chunks and len(out) >= min_chunks) or (n_releases and made >= n_releases):
                return out[:min_chunks] if min_chunks else out
        copy += 1
    return out


def timed(action):
    """(result, wall seconds, CPU seconds of the process)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - t0, time.process_time() - c0


def manifest_listing(n_docs: int) -> float:
    """Seconds to read a manifest of ``n_docs`` indexed documents' hashes (what a server compares with)."""
    from ingest.manifest import Manifest

    with tempfile.TemporaryDirectory() as tmp:
        manifest = Manifest(Path(tmp) / "manifest.sqlite")
        with sqlite3.connect(manifest.path) as db:
            db.executemany("INSERT INTO documents (doc_id, hash, state, n_chunks, updated_at) VALUES (?, ?, ?, ?, 0)",
                           ((f"doc-{i}", f"{i:016x}", "indexed", 25) for i in range(n_docs)))
        runs = []
        for _ in range(5):
            runs.append(timed(manifest.indexed_documents)[1])
        return p50_p95(runs)[0]


def measure(chunked: Path, size: int, questions: list[str], previous: bool) -> dict:
    """In a fresh process: full build at ``size``, 10 releases added, corrected, removed; search; memory."""
    from vectorstore.keyword import KeywordIndex

    releases = load_releases(chunked)
    base = copies(releases, first_copy=0, min_chunks=size)
    added = copies(typical(releases, 10), first_copy=10_000_000, n_releases=10)
    rss_start = rss_mb()[0]
    folder = Path(tempfile.mkdtemp(prefix="keyword-scale-"))
    # The peak of each phase apart: the product's own (build, first save, read at start) and the benchmark's
    # comparisons, which hold two indexes at once.
    peaks = {}
    reset_peak()
    index, build_s, build_cpu = timed(lambda: KeywordIndex(base))
    rss_built, peaks["build"] = rss_mb()
    reset_peak()
    _, first_save_s, first_save_cpu = timed(lambda: index.save(folder))
    peaks["first_save"] = rss_mb()[1]
    grown, add_s, add_cpu = timed(lambda: index.updated(add=added))
    _, save_s, save_cpu = timed(lambda: grown.save(folder))
    del index
    reset_peak()
    full, rebuild_s, rebuild_cpu = timed(lambda: KeywordIndex(base + added))
    worst = max_difference(grown, full, questions)
    del full
    peaks["rebuild_compared"] = rss_mb()[1]
    reset_peak()
    loaded, load_s, load_cpu = timed(lambda: KeywordIndex.load(folder))
    peaks["load"] = rss_mb()[1]
    worst = max(worst, max_difference(grown, loaded, questions))
    del loaded
    peaks["load_compared"] = rss_mb()[1]
    disk_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    shutil.rmtree(folder)
    # A corrected version of 10 releases (the text of other releases under the same ids), then 10 removed.
    docs = list(dict.fromkeys(c.doc_id for c in added))
    others = copies(typical(releases, 20)[10:], first_copy=20_000_000, n_releases=10)
    corrected = []
    for doc, other in zip(docs, dict.fromkeys(c.doc_id for c in others)):
        corrected.extend(dataclasses.replace(c, doc_id=doc, chunk_id=f"{doc}#{c.index}")
                         for c in others if c.doc_id == other)
    grown, replace_s, replace_cpu = timed(lambda: grown.updated(add=corrected, remove_documents=docs))
    grown, remove_s, remove_cpu = timed(lambda: grown.updated(remove_documents=docs))
    for q in questions[:2]:
        grown.search(q, 30)
    search = []
    for _ in range(3):
        for q in questions:
            search.append(timed(lambda: grown.search(q, 30))[1])
    result = {
        "size": size, "chunks": len(base), "added_chunks": len(added), "added_releases": 10,
        "build_s": build_s, "build_cpu_s": build_cpu, "add_s": add_s, "add_cpu_s": add_cpu,
        "rebuild_s": rebuild_s, "rebuild_cpu_s": rebuild_cpu, "replace_s": replace_s, "replace_cpu_s": replace_cpu,
        "remove_s": remove_s, "remove_cpu_s": remove_cpu, "max_score_difference": worst,
        "first_save_s": first_save_s, "first_save_cpu_s": first_save_cpu, "save_s": save_s, "save_cpu_s": save_cpu,
        "load_s": load_s, "load_cpu_s": load_cpu, "disk_mb": disk_mb,
        "search": p50_p95(search), "segments": grown.segments, "rss_start_mb": rss_start,
        "rss_built_mb": rss_built, "rss_mb": rss_mb()[0], "rss_peak_mb": max(peaks.values()), "peaks_mb": peaks,
        "manifest_listing_s": manifest_listing(size // 25), "vocabulary": len(grown.df),
    }
    if previous:
        result["previous_rebuild_s"], result["previous_rebuild_cpu_s"] = previous_rebuild(base + added)
    return result


def max_difference(a, b, questions: list[str]) -> float:
    """Largest difference between two indexes' scores for the questions (they must match the same chunks)."""
    worst = 0.0
    for q in questions:
        sa, sb = a.scores(q), b.scores(q)
        if sa.keys() != sb.keys():
            raise AssertionError(f"the two indexes match different chunks for {q!r}")
        worst = max([worst] + [abs(sa[c] - sb[c]) for c in sa])
    return worst


def previous_rebuild(chunks: list) -> tuple[float, float]:
    """The rebuild the previous code ran after every ingest: each text analysed, then bm25s's index built."""
    import bm25s

    from textkit.terms import terms_of_words, words

    def build():
        corpus = [terms_of_words(words(c.embed_text)) or ["_"] for c in chunks]
        bm25s.BM25().index(corpus, show_progress=False)

    _, wall, cpu = timed(build)
    return wall, cpu


def memory(run: dict) -> str:
    """Resident size at the end, and the peaks: the product's (build, first save, read) apart from the benchmark's
    comparisons of two indexes held at once."""
    peaks = run.get("peaks_mb")
    if not peaks:
        return f"{run['rss_mb']:.0f} MB (peak {run['rss_peak_mb']:.0f})"
    return (f"{run['rss_mb']:.0f} MB; peaks: build {peaks['build']:.0f}, first save {peaks['first_save']:.0f}, read "
            f"{peaks['load']:.0f}; two indexes compared {max(peaks['rebuild_compared'], peaks['load_compared']):.0f}")


def table(results: dict) -> str:
    lines = ["| chunks | add 10 releases (chunks) + save | full rebuild | rebuild ÷ add | correct 10 | remove 10 | "
             "keyword search p50 / p95 | memory (RSS) | read at start | first save (disk) | manifest listing |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results["runs"]:
        lines.append(
            f"| {r['chunks']:,} | {r['add_cpu_s']:.2f} s + {r['save_cpu_s']:.2f} s CPU ({r['added_chunks']}; wall "
            f"{r['add_s']:.2f} + {r['save_s']:.2f} s) | CPU {r['rebuild_cpu_s']:.1f} s (wall {r['rebuild_s']:.1f} s) | "
            f"**{r['rebuild_cpu_s'] / (r['add_cpu_s'] + r['save_cpu_s']):.0f}×** | {r['replace_cpu_s']:.2f} s | "
            f"{r['remove_cpu_s']:.2f} s | {1000 * r['search'][0]:.0f} / {1000 * r['search'][1]:.0f} ms | "
            f"{memory(r)} | CPU {r['load_cpu_s']:.1f} s | "
            f"CPU {r['first_save_cpu_s']:.1f} s ({r['disk_mb']:.0f} MB) | {1000 * r['manifest_listing_s']:.0f} ms |")
    return "\n".join(lines)


def notes(results: dict, text: str, command: str) -> str:
    runs = results["runs"]
    previous = [r for r in runs if "previous_rebuild_s" in r]
    prev = "".join(f" The previous code's rebuild (analysis + bm25s) of the same {r['chunks'] + r['added_chunks']:,} "
                   f"chunks in the same run: {r['previous_rebuild_s']:.1f} s, CPU {r['previous_rebuild_cpu_s']:.1f} s."
                   for r in previous)
    worst = max(r["max_score_difference"] for r in runs)
    return (f"`{command}` (`make bench-keyword`): releases of `{results['corpus']}` ({results['source_chunks']:,} "
            "chunks) copied under fresh ids up to each size, one fresh process per size, keyword side only (no "
            "model). **Add**: `KeywordIndex.updated` with 10 new releases (a new segment; the chunks' analysis is "
            "the cost), then `save` (the new segment's file and the commit); **full rebuild**: the index built at "
            "once over the same final chunks, as the previous code did after every ingest; **correct 10**: 10 releases replaced by other texts; **remove 10**: the same "
            f"removed (CPU times); **read at start**: `KeywordIndex.load` of the saved index (what a restarted server "
            "does instead of rebuilding); **first save**: writing the whole index once. Grown, rebuilt and read-back "
            f"indexes gave the same scores (largest difference {worst:g}) for the "
            f"{results['questions']} questions, which are also those timed for the search (`search(q, 30)`, 3 "
            "passes). **Manifest listing**: what a running server reads, beside the new chunks, to find what "
            "changed (a manifest of chunks ÷ 25 documents). **Memory**: resident size at the end, one index; then the "
            "peak of each phase, measured apart (the peak count restarted before each): the product's own (building "
            "the index, its first save, reading it at start) and the benchmark's comparisons, which hold two indexes "
            "at once (the grown and the rebuilt one, the grown and the read one). The copied chunks (the input of "
            f"the build) are held throughout.{prev}\n\n{text}\n\n"
            "![Adding 10 releases against rebuilding](keyword_scale.png)\n\n"
            f"Load average: {results['load_average']:.1f} at the start, {results['load_average_end']:.1f} at the end "
            "(2 cores shared with other jobs; CPU times are the process's own).")


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = results["runs"]
    sizes = [r["chunks"] for r in runs]
    series = (("rebuild_cpu_s", "o-", "full rebuild"), ("add_cpu_s", "s-", "add 10 releases (incremental)"),
              ("replace_cpu_s", "^:", "correct 10 releases"), ("remove_cpu_s", "v:", "remove 10 releases"))
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for key, style, label in series:
        ax.plot(sizes, [max(r[key], 1e-3) for r in runs], style, label=label)
    ax.set(xscale="log", yscale="log", xlabel="chunks in the index", ylabel="seconds of CPU (log)",
           title="Keyword index: 10 releases added vs a full rebuild")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "examples" / "communiques",
                        help="releases to copy (the public corpus ../shared/corpus gives a richer vocabulary)")
    parser.add_argument("--questions", type=Path, default=ROOT / "examples" / "testset.jsonl")
    parser.add_argument("--n-questions", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--previous-up-to", type=int, default=100_000,
                        help="also time the previous code's rebuild at sizes up to this")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md and docs/keyword_scale.*")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--chunked", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines()
                 if line.strip()][: args.n_questions]
    if args.measure:  # the child process
        print(json.dumps(measure(args.chunked, args.measure, questions, args.measure <= args.previous_up_to)))
        return
    releases = source_releases(args.corpus)
    results = {"corpus": str(args.corpus), "source_chunks": sum(map(len, releases)),
               "questions": len(questions), "load_average": load_average(), "runs": []}
    chunked = Path(tempfile.mkdtemp()) / "releases.json"
    save_releases(releases, chunked)
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--measure", str(size), "--chunked", str(chunked),
               "--questions", str(args.questions), "--n-questions", str(args.n_questions),
               "--previous-up-to", str(args.previous_up_to)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        results["runs"].append(run)
        print(f"{size}: add {run['add_cpu_s']:.2f} s CPU, rebuild {run['rebuild_cpu_s']:.1f} s CPU, "
              f"search p50 {1000 * run['search'][0]:.0f} ms, RSS {run['rss_mb']:.0f} MB", file=sys.stderr)
    results["load_average_end"] = load_average()
    text = table(results)
    print(text)
    if args.write:
        (ROOT / "docs" / "keyword_scale.json").write_text(json.dumps(results, indent=2))
        plot(results, ROOT / "docs" / "keyword_scale.png")
        command = (f"python bench/keyword_scale.py --corpus {args.corpus} --sizes "
                   f"{' '.join(map(str, args.sizes))} --write")
        write_section("keyword-scale", notes(results, text, command), "Keyword index growth")


if __name__ == "__main__":
    main()
