"""The llama.cpp build's speed on this machine: prompt and generation tokens per second of the packaged Qwen 1.5B,
and the instruction sets the build uses against the CPU's.

Usage:
  python bench/llama_build.py [--runs 3] [--write]

Run it on the machine the answers are served from. The portable build (AVX2, no AVX-512, no AMX: see the Makefile)
is what `make install` installs; to compare with another build, install that one in another venv and run this
script there, in the same hour (the machine's load moves both).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.doctor import cpu_flags, llama_features, llama_system_info, unsafe_features  # noqa: E402
from assistant.models import QWEN_1_5B, ensure_packaged  # noqa: E402
from assistant.settings import ModelSettings  # noqa: E402

PROMPT = ("Voici un communiqué du ministère. " * 40) + "Résume-le en une phrase."


def measure(runs: int) -> dict:
    from llama_cpp import Llama

    llm = Llama(model_path=str(ensure_packaged(QWEN_1_5B, ModelSettings().cache_dir)), n_ctx=1024, n_threads=2,
                verbose=False)
    tokens = llm.tokenize(PROMPT.encode())
    prompt_rates, gen_rates = [], []
    for _ in range(runs):
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(tokens)
        prompt_rates.append(len(tokens) / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        out = llm.create_completion(PROMPT, max_tokens=64, temperature=0)  # the prompt is cached: generation only
        gen_rates.append(out["usage"]["completion_tokens"] / (time.perf_counter() - t0))
    used = llama_features(llama_system_info())
    forbidden, missing = unsafe_features(used, cpu_flags())
    return {"prompt_tokens": len(tokens), "prompt_tok_s": round(statistics.median(prompt_rates), 1),
            "generation_tok_s": round(statistics.median(gen_rates), 1), "runs": runs,
            "build": sorted(used), "unsafe_on_this_cpu": sorted(forbidden | missing),
            "cpu_has": sorted(cpu_flags() & {"avx2", "avx512f", "avx512_vnni", "amx_int8", "amx_tile"})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="Write docs/llama_build.json.")
    args = parser.parse_args()
    result = measure(args.runs)
    print(json.dumps(result, indent=1))
    if args.write:
        Path(__file__).resolve().parent.parent.joinpath("docs", "llama_build.json").write_text(
            json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
