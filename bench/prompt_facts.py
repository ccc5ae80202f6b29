"""What the model is given: the share of test questions whose key facts are all in the prompt, per setting.

Usage:
  python bench/prompt_facts.py --data-dir DIR --questions examples/testset.jsonl [--write]
  python bench/prompt_facts.py --data-dir DIR --variant '{"k": 4, "passage_chars": 420}' --variant '{}'

No model is asked: this is the ceiling of the key-fact score for a retrieval setting (a perfect reader could not
do better), and the prompt length it costs (first-token time grows with it). Each variant overrides retriever
attributes (k, passage_chars, max_dense_gap, max_per_doc...) on the same index, in the same run. The chunk size
is a property of the index: compare it by running on two data dirs ingested with different COMMUNIQUES_CHUNKING__*.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.container import Container  # noqa: E402
from assistant.evaluation import fact_found, load_testset  # noqa: E402
from assistant.prompts import user_message  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from bench.timing import publish  # noqa: E402
from textkit.language import detect_language  # noqa: E402


def measure(container: Container, questions, overrides: dict) -> dict:
    """Per category: questions with every key fact in the prompt, and the mean prompt length (characters)."""
    retriever = container.retriever
    saved = {k: getattr(retriever, k) for k in overrides}
    for key, value in overrides.items():
        setattr(retriever, key, value)
    try:
        by_category: dict[str, list[tuple[bool, int]]] = {}
        for q in questions:
            # Follow-ups: the question with its history's last user turn, as the chain's fallback rewrite does.
            last = next((t["content"] for t in reversed(q.history) if t.get("role") == "user"), "")
            asked = f"{q.question} ({last})" if last else q.question
            passages = retriever.retrieve(asked).passages
            prompt = user_message(asked, passages, detect_language(q.question))
            ok = all(fact_found(f, prompt) for f in q.must_include)
            by_category.setdefault(q.category, []).append((ok, len(prompt)))
    finally:
        for key, value in saved.items():
            setattr(retriever, key, value)
    rows = {c: {"n": len(v), "all_facts": 100 * sum(ok for ok, _ in v) / len(v),
                "prompt_chars": sum(n for _, n in v) / len(v)} for c, v in by_category.items()}
    every = [x for v in by_category.values() for x in v]
    rows["all"] = {"n": len(every), "all_facts": 100 * sum(ok for ok, _ in every) / len(every),
                   "prompt_chars": sum(n for _, n in every) / len(every)}
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="An index built with the real embedder.")
    parser.add_argument("--questions", type=Path, default=Path("examples/testset.jsonl"))
    parser.add_argument("--variant", action="append", default=[],
                        help="JSON object of retriever overrides; repeatable ('{}' = the settings as they are).")
    parser.add_argument("--out", type=Path, help="Write the figures as JSON here.")
    parser.add_argument("--write", action="store_true", help="Put the table in docs/benchmarks.md.")
    args = parser.parse_args()

    container = Container(Settings(data_dir=args.data_dir))
    questions = [q for q in load_testset(args.questions) if q.answerable]
    variants = args.variant or ["{}"]
    results = {v: measure(container, questions, json.loads(v)) for v in variants}
    categories = list(next(iter(results.values())))
    lines = ["| variant | " + " | ".join(categories) + " | prompt chars |", "|---" * (len(categories) + 2) + "|"]
    for variant, rows in results.items():
        cells = " | ".join(f"{rows[c]['all_facts']:.0f}" for c in categories)
        lines.append(f"| `{variant}` | {cells} | {rows['all']['prompt_chars']:.0f} |")
    chunks = container.store.chunks()
    mean = sum(len(c.text) for c in chunks) / max(1, len(chunks))
    intro = (f"`python bench/prompt_facts.py --data-dir DIR` on {args.questions.name}, an index of {len(chunks)} chunks "
             f"(mean {mean:.0f} characters): % of answerable questions whose key facts "
             "are all in the prompt (the ceiling of the key-fact score), per category, and the mean prompt length.")
    publish("\n".join(lines), results, args.out, f"prompt-facts:{args.data_dir.name}" if args.write else None,
            "What the model is given", intro)


if __name__ == "__main__":
    main()
