"""Chunk sizes measured on a corpus: passage counts and lengths (characters and embedder tokens), and
keyword (BM25) retrieval of the right document for each size. No dense embedding: it runs in seconds.

Usage:
  python bench/chunking.py --corpus ../shared/corpus --questions bench/shared_questions.jsonl
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.container import Container  # noqa: E402
from assistant.evaluation import load_testset  # noqa: E402
from assistant.settings import ChunkSettings, Settings  # noqa: E402
from bench.retrieval import measure  # noqa: E402
from ingest.chunking import chunk_communique  # noqa: E402
from ingest.loaders import iter_sources, load_path  # noqa: E402

SIZES = [(300, 450), (450, 700), (600, 900), (900, 1300), (1200, 1800)]


def _tokenizer():
    """EmbeddingGemma's tokenizer from the model cache, or None when the model is not fetched."""
    try:
        from transformers import AutoTokenizer

        from assistant.models import EMBEDDINGGEMMA, resolve_model

        m = Settings().models
        return AutoTokenizer.from_pretrained(str(resolve_model(m.embedder_path, EMBEDDINGGEMMA, m.cache_dir)))
    except Exception as exc:  # the figures in characters still stand
        print(f"no tokenizer ({exc}); token columns left empty", file=sys.stderr)
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, nargs="+")
    parser.add_argument("--questions", type=Path, required=True)
    args = parser.parse_args()
    docs = [r.doc for path, root in iter_sources(args.corpus) for r in load_path(path, root, 10**9) if r.doc]
    questions = load_testset(args.questions)
    tokenizer = _tokenizer()
    print(f"{len(docs)} documents, {sum(len(d.text) for d in docs):,} characters", file=sys.stderr)
    print("| target / max chars | chunks | chars p50 / p95 | tokens p50 / p95 / max | chunks < 150 chars "
          "| BM25 r@1 | BM25 r@5 | BM25 MRR |")
    print("|---|---|---|---|---|---|---|---|")
    for target, most in SIZES:
        chunks = [c for d in docs for c in chunk_communique(d, target_chars=target, max_chars=most)]
        chars = sorted(len(c.text) for c in chunks)
        tokens = "–"
        if tokenizer is not None:
            counts = sorted(len(tokenizer(c.embed_text)["input_ids"]) for c in chunks)
            tokens = f"{counts[len(counts) // 2]} / {counts[int(len(counts) * 0.95)]} / {counts[-1]}"
        short = 100 * sum(1 for n in chars if n < 150) / len(chars)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings.for_tests(Path(tmp)).model_copy(
                update={"chunking": ChunkSettings(target_chars=target, max_chars=most)})
            container = Container(settings)
            container.ingestor.ingest_documents(docs)
            bm25 = measure(container, questions, "bm25")["all"]
        print(f"| {target} / {most} | {len(chunks)} | {chars[len(chars) // 2]} / {chars[int(len(chars) * 0.95)]} "
              f"| {tokens} | {short:.0f} % | {bm25['r@1']:.0f} | {bm25['r@5']:.0f} | {bm25['mrr']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
