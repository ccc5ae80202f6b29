"""Adding a few releases to a large index: what a user waits for when `communiques ingest` runs on 10 new files.

Usage:
  python bench/add_releases.py --index /tmp/communiques-scale/n1000000 --work /tmp/communiques-add \\
      --corpus examples/communiques --docs 10 [--backends embedded server] [--write]

--index is a data dir (bench/scale.py's copies are one); it is never changed: it is copied to --work once, and each
run first removes, through the product's own delete, what an earlier run added to the copy. Per backend, in a fresh
process (behind a real `chroma run` for `server`): the product's ingest of the first --docs releases of --corpus (which
the index must not hold; read, chunk, embed with the packaged encoder, write to Chroma, manifest), timed whole and
for its embedding; then the first retrieval after it, which brings the keyword index up to date (what the next
question pays), against a retrieval before it. Reference in the same run: the same ingest into an empty data dir.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, write_section  # noqa: E402

QUESTION = "Quelles mesures le Gouvernement a-t-il annoncées ?"


def releases(corpus: Path, n: int) -> list[Path]:
    """The first ``n`` release files of ``corpus``, sorted by path (a folder's README is not a release)."""
    from ingest.loaders import iter_sources

    files = sorted(p for p, _ in iter_sources([corpus]) if not p.name.upper().startswith("README"))
    if len(files) < n:
        raise SystemExit(f"{corpus}: {len(files)} release files; {n} are needed (--docs).")
    return files[:n]


def measure(data_dir: Path, corpus: Path, n: int, host: str | None, port: int, settings=None) -> dict:
    """In a fresh process: undo an earlier run's additions, ingest ``n`` releases, time the next retrievals
    (``settings``: the product's defaults, or the tests' profile)."""
    from assistant.container import Container
    from assistant.settings import ChromaSettings, Settings

    chroma = ChromaSettings(host=host, port=port)
    settings = settings.model_copy(update={"data_dir": data_dir, "chroma": chroma}) if settings is not None \
        else Settings(data_dir=data_dir, chroma=chroma)
    container = Container(settings)
    ingestor, retriever = container.ingestor, container.retriever
    added = data_dir / "added-by-bench.json"
    t0 = time.perf_counter()
    for doc_id in json.loads(added.read_text()) if added.exists() else []:
        ingestor.delete(doc_id)
    undo_s = time.perf_counter() - t0
    container.embeddings.embed_query(QUESTION)  # the model loaded before the clock starts, as in a running app
    retriever.retrieve(QUESTION)  # the keyword index read, as in a running app
    t0 = time.perf_counter()
    retriever.retrieve(QUESTION)
    before_s = time.perf_counter() - t0
    count = container.store.count()
    files = releases(corpus, n)
    t0 = time.perf_counter()
    report = ingestor.ingest_paths(files)
    ingest_s = time.perf_counter() - t0
    added.write_text(json.dumps(report.added))
    t0 = time.perf_counter()
    after = retriever.retrieve(QUESTION)
    first_after_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    retriever.retrieve(QUESTION)
    second_after_s = time.perf_counter() - t0
    if report.failed or len(report.added) != n:
        raise SystemExit(f"ingest did not add {n} releases (the index may hold them already: give --corpus releases "
                         f"it does not hold): {report.as_dict()}")
    return {"chunks_before": count, "docs": len(report.added), "chunks": report.chunks_written,
            "ingest_s": ingest_s, "embed_s": report.embed_seconds, "undo_s": undo_s,
            "retrieve_before_s": before_s, "first_retrieve_after_s": first_after_s,
            "second_retrieve_after_s": second_after_s, "passages_after": len(after.passages)}


def measure_in_subprocess(data_dir: Path, corpus: Path, n: int, backend: str) -> dict:
    cmd = [sys.executable, __file__, "--measure", str(data_dir), "--corpus", str(corpus), "--docs", str(n)]
    if backend == "embedded":
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    from tests.servers import chroma_cmd, free_port, running

    port = free_port()
    with running(chroma_cmd(data_dir / "chroma", port), f"http://127.0.0.1:{port}/api/v2/heartbeat",
                 data_dir / "chroma-server.log", timeout=600):
        out = subprocess.run(cmd + ["--host", "127.0.0.1", "--port", str(port)], capture_output=True, text=True,
                             check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(runs: list[dict]) -> str:
    rows = ["| index | backend | releases (chunks) | ingest | of which embedding | first retrieval after "
            "(keyword index caught up) | retrieval before | load average |", "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        rows.append(f"| {r['chunks_before']:,} chunks | {r['backend']} | {r['docs']} ({r['chunks']}) | "
                    f"**{r['ingest_s']:.1f} s** | {r['embed_s']:.1f} s | {1000 * r['first_retrieve_after_s']:.0f} ms "
                    f"| {1000 * r['retrieve_before_s']:.0f} ms | {r['load_average'][0]:.1f}–{r['load_average'][1]:.1f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="the data dir to add to (copied to --work, never changed)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/communiques-add"))
    parser.add_argument("--corpus", type=Path, required=True, help="folder of releases to add from")
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--backends", nargs="+", default=["embedded", "server"], choices=["embedded", "server"])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md (section Adding releases)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--host", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=8000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the child process
        print(json.dumps(measure(args.measure, args.corpus, args.docs, args.host, args.port)))
        return
    if args.index is None:
        parser.error("--index is required")
    copy = args.work / "index"
    stamp = args.work / "source.txt"
    if not stamp.exists() or stamp.read_text() != str(args.index.resolve()):
        shutil.rmtree(args.work, ignore_errors=True)
        args.work.mkdir(parents=True)
        t0 = time.perf_counter()
        shutil.copytree(args.index, copy, ignore=shutil.ignore_patterns("chroma-server.log"))
        stamp.write_text(str(args.index.resolve()))
        print(f"copied {args.index} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    runs = []
    reference = args.work / "empty"
    shutil.rmtree(reference, ignore_errors=True)
    for backend, data_dir in [("embedded", reference)] + [(b, copy) for b in args.backends]:
        load_before = load_average()
        run = measure_in_subprocess(data_dir, args.corpus.resolve(), args.docs, backend)
        run.update(backend=backend, load_average=(load_before, load_average()))
        runs.append(run)
        print(f"{run['chunks_before']} chunks, {backend}: {run['docs']} releases in {run['ingest_s']:.1f} s",
              file=sys.stderr)
    (args.work / "runs.json").write_text(json.dumps(runs, indent=2))
    text = table(runs)
    print(text)
    if args.write:
        write_section("add-releases", f"`python bench/add_releases.py --index INDEX --corpus CORPUS --docs "
                      f"{args.docs}`: {' '.join(__doc__.split(chr(10) + chr(10))[2].split())}\n\n{text}\n", "Adding releases")


if __name__ == "__main__":
    main()
