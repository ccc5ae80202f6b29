"""Ingest benchmark: documents/s and chunks/s against the raw encoder on the same texts, and unchanged re-ingest.

Usage:
  python bench/ingest.py --corpus ../shared/corpus --docs 10 --write

The subset is fixed: the first --docs documents of the corpus in file order. The raw encoder (the same
sentence-transformers model, `encode` of the very chunk texts the ingest embeds, same batch size) is timed
before and after the ingest and averaged, so that load drift on the shared cores hits both sides alike.
With --indexed DIR (a data dir already holding the whole corpus), it also times an unchanged re-ingest of
the whole corpus on a copy of DIR.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, publish  # noqa: E402


def subset(corpus: list[Path], n: int):
    """The first ``n`` documents read from the corpus (file order, then line order)."""
    from ingest.loaders import iter_sources, load_path

    out = []
    for path, root in iter_sources(corpus):
        for item in load_path(path, root, 10**8):
            if item.doc is not None:
                out.append(item)
            if len(out) == n:
                return out
    return out


def cpu_and_wall(fn, *args):
    """(result, CPU seconds of this process, wall seconds): CPU time hardly moves when other jobs load the cores."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.process_time() - c0, time.perf_counter() - t0


def raw_encode(container, texts: list[str]) -> float:
    """Seconds the bare model takes to embed ``texts`` as the ingest would (document prompt, same batch)."""
    emb = container.embeddings
    t0 = time.perf_counter()
    if hasattr(emb, "_encode"):  # the model's own batch encoding, without the embedder's interface around it
        emb._encode(texts, emb.document_prompt)
    else:  # the tests' hash embedder has no model behind it
        emb.embed_documents(texts)
    return time.perf_counter() - t0


def run(corpus: list[Path], n_docs: int, indexed: Path | None, embedder: str) -> dict:
    from assistant.container import Container
    from assistant.settings import ModelSettings, Settings
    from ingest.chunking import chunk_communique

    loaded = subset(corpus, n_docs)
    with tempfile.TemporaryDirectory(prefix="communiques-ingest-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", models=ModelSettings(embedder=embedder))
        container = Container(settings)
        ch = settings.chunking
        texts = [c.embed_text for item in loaded for c in chunk_communique(
            item.doc, target_chars=ch.target_chars, max_chars=ch.max_chars, overlap_sentences=ch.overlap_sentences)]
        # With `answer.sentence_vectors = ingest` the ingest embeds the releases' sentences too: the reference
        # encodes them as well, so that the overhead compares the same work.
        sentences = list(dict.fromkeys(t for item in loaded for t in container.ingestor.sentence_texts(item.doc))) \
            if container.sentence_store is not None else []
        chunk_texts = len(texts)
        texts += sentences
        raw_encode(container, texts[:8])  # load and warm the model outside the timings
        raw_before, raw_cpu_before, _ = cpu_and_wall(raw_encode, container, texts)
        report, ingest_cpu, _ = cpu_and_wall(container.ingestor.ingest_loaded, loaded)
        first = report.seconds
        raw_after, raw_cpu_after, _ = cpu_and_wall(raw_encode, container, texts)
        again = container.ingestor.ingest_loaded(loaded)
        assert not again.added and not again.updated, "the subset was re-embedded on an unchanged re-ingest"
        result = {"docs": len(loaded), "chunks": report.chunks_written, "texts": len(texts),
                  "chunk_texts": chunk_texts, "sentence_texts": len(sentences),
                  "ingest_s": first, "raw_encode_s": (raw_before + raw_after) / 2,
                  "raw_encode_runs_s": [raw_before, raw_after], "reingest_s": again.seconds,
                  "ingest_cpu_s": ingest_cpu, "raw_encode_cpu_s": (raw_cpu_before + raw_cpu_after) / 2,
                  "load_average": load_average()}
    if indexed:
        with tempfile.TemporaryDirectory(prefix="communiques-reingest-") as tmp:
            copy = Path(tmp) / "data"
            shutil.copytree(indexed, copy, ignore=shutil.ignore_patterns("*.lock"))
            container = Container(Settings(data_dir=copy))
            report = container.ingestor.ingest_paths(corpus)
            result["whole_reingest_s"] = report.seconds
            result["whole_reingest_docs"] = len(report.unchanged)
            result["whole_reingest_changed"] = len(report.added) + len(report.updated)
    return result


def table(r: dict) -> str:
    overhead = r["ingest_s"] / r["raw_encode_s"] - 1
    lines = [
        f"Subset: the first {r['docs']} documents of the corpus, {r['chunks']} chunks.", "",
        "| measure | time | rate | against the reference |", "|---|---|---|---|",
        f"| raw `model.encode` of the same {r['texts']} texts ({r.get('chunk_texts', r['texts'])} chunks, "
        f"{r.get('sentence_texts', 0)} sentences; reference, mean of a run before and after) | "
        f"{r['raw_encode_s']:.1f} s | {r['texts'] / r['raw_encode_s']:.2f} chunks/s | 1.00× |",
        f"| first ingest (read, chunk, embed, store, manifest) | {r['ingest_s']:.1f} s | "
        f"{r['docs'] / r['ingest_s']:.2f} docs/s, {r['chunks'] / r['ingest_s']:.2f} chunks/s | "
        f"{r['ingest_s'] / r['raw_encode_s']:.2f}× (overhead {100 * overhead:+.0f} %, target ≤ 15 %) |",
        f"| the same in CPU time of the process (raw encode → first ingest) | {r['raw_encode_cpu_s']:.1f} s → "
        f"{r['ingest_cpu_s']:.1f} s | | {r['ingest_cpu_s'] / r['raw_encode_cpu_s']:.2f}× "
        f"(overhead {100 * (r['ingest_cpu_s'] / r['raw_encode_cpu_s'] - 1):+.0f} %) |",
        f"| unchanged re-ingest of the subset | {r['reingest_s']:.2f} s | | "
        f"{r['reingest_s'] / r['ingest_s']:.3f}× the first ingest |",
    ]
    if "whole_reingest_s" in r:
        lines.append(f"| unchanged re-ingest of the whole corpus ({r['whole_reingest_docs']} documents, "
                     f"{r['whole_reingest_changed']} re-embedded) | {r['whole_reingest_s']:.2f} s | | target ≤ 5 s |")
    lines += ["", f"Raw encode runs (wall): {', '.join(f'{s:.1f} s' for s in r['raw_encode_runs_s'])}; "
              f"load average {r['load_average']:.1f} on 2 cores. When the two runs differ much, other jobs changed "
              "the machine's load during the run: trust the CPU-time line."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, nargs="+", required=True)
    parser.add_argument("--docs", type=int, default=10, help="size of the fixed subset")
    parser.add_argument("--indexed", type=Path, default=None, help="data dir holding the whole corpus already")
    parser.add_argument("--embedder", default="sentence-transformers", choices=["sentence-transformers", "hash"])
    parser.add_argument("--out", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    result = run(args.corpus, args.docs, args.indexed, args.embedder)
    publish(table(result), result, args.out, "ingest" if args.write else None, "Ingest",
            "`make bench` (`python bench/ingest.py`):")


if __name__ == "__main__":
    main()
