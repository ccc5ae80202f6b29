"""Levers benchmark: which settings make answers faster on this machine, each against the default in the same run.

Usage:
  python bench/levers.py --data-dir DIR --questions examples/testset.jsonl --write

Measures llama.cpp thread and batch settings (time to first token of the product's real prompt, generation
rate), the system prompt kept as a reusable llama.cpp prefix, the trimmed passage size, the query-embedding
cache, and whether sentence-transformers' ONNX backend is usable offline. DIR must hold an index (it is only read).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, publish  # noqa: E402

DEFAULT = (2, 512)
CONFIGS = [(1, 512), DEFAULT]  # 2 cores; n_batch matters little for prompts under 512 tokens


def stream_timed(llm, messages) -> dict:
    """Seconds to the first token and generated tokens per second for one streamed answer."""
    t0 = time.perf_counter()
    first, pieces = None, 0
    for _ in llm.stream(messages):
        pieces += 1
        if first is None:
            first = time.perf_counter() - t0
    total = time.perf_counter() - t0
    return {"first_s": first or total, "gen_tok_s": (pieces - 1) / (total - first) if first and pieces > 1 else 0.0}


def prompt_messages(container, question: str):
    """The product's chat messages for ``question`` (same template, same trimmed passages)."""
    from assistant.prompts import user_message
    from textkit.language import detect_language

    retrieval = container.retriever.retrieve(question)
    template = container.chain.generate.first
    return template.invoke({"message": user_message(question, retrieval.passages, detect_language(question))})


def n_tokens(llm, messages) -> int:
    text = "\n".join(str(m.content) for m in messages.to_messages())
    return len(llm.client.tokenize(text.encode("utf-8")))


def llama_levers(data_dir: Path, questions: list[str], max_tokens: int, quick: bool = False) -> dict:
    from assistant.container import Container
    from assistant.llm import build_chat_model
    from assistant.settings import Settings

    container = Container(Settings(data_dir=data_dir))
    container.retriever.keyword  # noqa: B018 - built outside the timings
    qa, qb = questions[:2]
    msgs_a, msgs_b = prompt_messages(container, qa), prompt_messages(container, qb)
    out = {"configs": []}
    for threads, batch in [DEFAULT] if quick else CONFIGS:
        settings = container.settings.model_copy(deep=True)
        settings.llm.n_threads, settings.llm.n_batch, settings.llm.max_tokens = threads, batch, max_tokens
        t0 = time.perf_counter()
        llm = build_chat_model(settings)
        llm.client.reset()
        load = time.perf_counter() - t0
        cold = stream_timed(llm, msgs_a)
        reused = stream_timed(llm, msgs_b)  # the system prompt and example are still in llama.cpp's cache
        row = {"threads": threads, "batch": batch, "load_s": load, "first_cold_s": cold["first_s"],
               "first_prefix_s": reused["first_s"], "gen_tok_s": statistics.mean([cold["gen_tok_s"], reused["gen_tok_s"]]),
               "prompt_tokens": [n_tokens(llm, msgs_a), n_tokens(llm, msgs_b)]}
        if (threads, batch) == DEFAULT:
            llm.client.reset()
            row["first_cold_b_s"] = stream_timed(llm, msgs_b)["first_s"]
            out["passages"] = [] if quick else passage_sizes(container, llm, qa)
        print(f"llama threads={threads} batch={batch}: {row}", file=sys.stderr)
        out["configs"].append(row)
        del llm
    return out


def passage_sizes(container, llm, question: str) -> list[dict]:
    """Prompt tokens and first-token time (shared system prefix cached) for several trimmed passage sizes."""
    rows = []
    default = container.retriever.passage_chars
    for chars in (300, default, 600):
        container.retriever.passage_chars = chars
        msgs = prompt_messages(container, question)
        timed = stream_timed(llm, msgs)
        rows.append({"passage_chars": chars, "prompt_tokens": n_tokens(llm, msgs), "first_s": timed["first_s"]})
        print(f"passage_chars={chars}: {rows[-1]}", file=sys.stderr)
    container.retriever.passage_chars = default
    return rows


def query_cache(data_dir: Path, questions: list[str]) -> dict:
    """Query embedding: encoded, versus found in the cache."""
    from assistant.container import Container
    from assistant.settings import Settings

    emb = Container(Settings(data_dir=data_dir)).embeddings
    emb.embed_query("warm-up")
    cold, warm = [], []
    for q in questions:
        emb._cache.clear()
        t0 = time.perf_counter()
        emb.embed_query(q)
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        emb.embed_query(q)
        warm.append(time.perf_counter() - t0)
    return {"cold_s": statistics.median(cold), "cached_s": statistics.median(warm), "n": len(questions)}


def onnx_backend() -> str:
    """Whether sentence-transformers' ONNX backend can run here without downloading anything."""
    try:
        import optimum.onnxruntime  # noqa: F401
    except ImportError:
        return ("not measured: sentence-transformers' ONNX backend needs `optimum[onnxruntime]`, which is not "
                "installed (onnxruntime alone is, for chromadb), and an export of EmbeddingGemma from the local "
                "weights; left for later")
    return "optimum is installed: measure it"


def table(r: dict) -> str:
    configs = r["llama"]["configs"]
    base = next(c for c in configs if (c["threads"], c["batch"]) == DEFAULT)
    lines = ["| llama.cpp setting | first token, empty cache | × default | first token, system prompt cached | "
             "generation | × default |", "|---|---|---|---|---|---|"]
    for c in configs:
        lines.append(f"| n_threads={c['threads']}, n_batch={c['batch']}{' (default)' if c is base else ''} | "
                     f"{c['first_cold_s']:.2f} s | {c['first_cold_s'] / base['first_cold_s']:.2f}× | "
                     f"{c['first_prefix_s']:.2f} s | {c['gen_tok_s']:.1f} tok/s | "
                     f"{c['gen_tok_s'] / base['gen_tok_s']:.2f}× |")
    lines += ["", f"Prompts of {base['prompt_tokens'][0]} and {base['prompt_tokens'][1]} tokens (the product's "
              "template and trimmed passages for two sample questions). **Reusable prefix**: the same question with "
              f"the system prompt and worked example still in llama.cpp's cache: {base['first_prefix_s']:.2f} s "
              f"against {base['first_cold_b_s']:.2f} s after a cache reset "
              f"({base['first_prefix_s'] / base['first_cold_b_s']:.2f}×)."]
    rows = r["llama"]["passages"]
    if rows:  # not measured with --quick
        ref = next((p for p in rows if p["passage_chars"] == 420), rows[0])
        lines += ["", "| passage size (`RETRIEVAL__PASSAGE_CHARS`) | prompt tokens | first token (prefix cached) | "
                  "× default |", "|---|---|---|---|"]
        for p in rows:
            lines.append(f"| {p['passage_chars']} | {p['prompt_tokens']} | {p['first_s']:.2f} s | "
                         f"{p['first_s'] / ref['first_s']:.2f}× |")
    q = r["query_cache"]
    lines += ["", f"**Query-embedding cache**: encoding a question {1000 * q['cold_s']:.0f} ms (p50 of {q['n']}), "
              f"found in the cache {1000 * q['cached_s']:.3f} ms: it saves the whole encoding on a repeated "
              "question (retrying, the evaluation, several users asking the same thing), nothing on a new one.", "",
              f"**ONNX backend**: {r['onnx']}.", "",
              f"Load average {r['load_average'][0]:.1f} → {r['load_average'][1]:.1f} (2 cores shared with other jobs)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--max-tokens", type=int, default=24, help="answer length per timed generation")
    parser.add_argument("--quick", action="store_true", help="only the default threads and passage size (busy machine)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    from assistant.evaluation import load_testset

    questions = [q.question for q in load_testset(args.questions) if q.answerable and not q.history]
    start = load_average()
    result = {"query_cache": query_cache(args.data_dir, questions[:10]),
              "llama": llama_levers(args.data_dir, questions, args.max_tokens, args.quick), "onnx": onnx_backend()}
    result["load_average"] = (start, load_average())
    publish(table(result), result, args.out, "levers" if args.write else None, "Levers",
            "`make bench` (`python bench/levers.py`), sample index:")


if __name__ == "__main__":
    main()
