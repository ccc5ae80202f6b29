"""How well does the best dense similarity separate answerable from unanswerable questions?

Usage: python bench/relevance.py --data-dir DIR --questions FILE.jsonl
Prints, for thresholds on the best passage's cosine similarity, the share of unanswerable questions that
would be refused before asking the model, and the share of answerable ones wrongly refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.container import Container  # noqa: E402
from assistant.evaluation import load_testset  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    args = parser.parse_args()
    container = Container(Settings().model_copy(update={"data_dir": args.data_dir}))
    answerable, unanswerable = [], []
    for q in load_testset(args.questions):
        best = container.retriever.retrieve(q.question).best_dense
        (answerable if q.answerable else unanswerable).append(best)
    print(f"answerable: n={len(answerable)} min={min(answerable):.2f} median={sorted(answerable)[len(answerable)//2]:.2f}")
    print(f"unanswerable: n={len(unanswerable)} values={', '.join(f'{v:.2f}' for v in sorted(unanswerable))}")
    print("| threshold | unanswerable refused | answerable wrongly refused |\n|---|---|---|")
    for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        print(f"| {t:.2f} | {100 * sum(v < t for v in unanswerable) / len(unanswerable):.0f}% | "
              f"{100 * sum(v < t for v in answerable) / len(answerable):.0f}% |")


if __name__ == "__main__":
    main()
