"""Concurrency benchmark: simultaneous users on the web app on loopback, bounded, stopping by itself.

Usage:
  python bench/concurrency.py --corpus examples/communiques --questions examples/testset.jsonl --fake --write
  python bench/concurrency.py --data-dir /tmp/sample-copy --questions examples/testset.jsonl --write

Starts `communiques serve` (with the deterministic fakes, or the real models on an existing data dir), then
--users clients (pages already loaded, speaking Gradio's queue protocol as the browser does) each ask --per-user questions at the same
moment. Reports completed, errors, and time to sources / full answer as each user sees it (queueing included).
Reference: one user alone, measured first in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import load_average, p50_p95, write_section  # noqa: E402

SEARCHING = "src-empty'>Recherche"  # the panel's text until the sources arrive


class Page:
    """One user's open page, as a browser holds it: the app's configuration read once, then each question posted to
    Gradio's queue and its updates read from the server-sent events (the protocol the page's own script speaks).

    It does no more per update than a browser asks of the server: gradio_client, used before, rebuilt and copied the
    whole output at every update and polled every 50 ms, and its 30 clients took as much CPU as the server on the same
    2 cores (7 s against 8.5 s for 30 questions): the benchmark measured its own clients. A browser renders on the
    user's machine.
    """

    def __init__(self, url: str, timeout: float = 120.0):
        import httpx

        self.http = httpx.Client(base_url=url, timeout=httpx.Timeout(timeout, connect=10.0))
        config = self.http.get("config").raise_for_status().json()
        self.prefix = config.get("api_prefix", "/gradio_api").strip("/")
        respond = next(d for d in config["dependencies"] if d.get("api_name") == "respond")
        self.fn_index = respond.get("id", config["dependencies"].index(respond))
        self.inputs = len(respond["inputs"])
        self.panel = 1  # the outputs are (chatbot, sources panel, conversation state)

    def events(self, question: str) -> Iterator[dict]:
        """The server's messages about this question, from the queue's answer to "process_completed"."""
        session = uuid.uuid4().hex
        data = [question, []] + [None] * (self.inputs - 2)
        self.http.post(f"{self.prefix}/queue/join", json={
            "data": data, "fn_index": self.fn_index, "session_hash": session, "event_data": None, "trigger_id": None,
        }).raise_for_status()
        with self.http.stream("GET", f"{self.prefix}/queue/data", params={"session_hash": session}) as response:
            for line in response.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    yield message
                    if message.get("msg") in ("process_completed", "close_stream", "unexpected_error"):
                        return

    def panels(self, question: str) -> Iterator[str]:
        """The sources panel's HTML after each update (Gradio streams it whole first, then as replacements)."""
        panel = ""
        for message in self.events(question):
            kind = message.get("msg")
            if kind == "process_completed" and not message.get("success", True):
                raise RuntimeError(str(message.get("output", {}).get("error") or message)[:200])
            if kind == "unexpected_error":
                raise RuntimeError(str(message.get("message"))[:200])
            if kind not in ("process_generating", "process_completed"):
                continue
            value = (message.get("output", {}).get("data") or [None] * 3)[self.panel]
            if isinstance(value, str):
                panel = value
            else:
                for action, path, text in value or []:
                    if not path:
                        panel = text if action == "replace" else panel + text
            yield panel


def connect(url: str) -> Page:
    """A user's open page, loaded before any question is asked."""
    return Page(url)


def ask(page: Page, question: str, timeout: float) -> dict:
    """One chat turn through the app's queue: seconds to sources and to the final answer, or the error.

    The clock starts when the question is sent, as a user presses Send on a page already loaded: loading the page
    (the app's configuration) is not part of the wait for an answer.
    """
    row: dict = {"question": question}
    t0 = time.perf_counter()
    try:
        for panel in page.panels(question):
            if "sources_s" not in row and panel and SEARCHING not in panel:
                row["sources_s"] = time.perf_counter() - t0
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"no answer within {timeout:.0f} s")
        row["total_s"] = time.perf_counter() - t0
    except Exception as exc:  # counted, reported, never fatal to the benchmark
        row["error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
    return row


def crowd(url: str, questions: list[str], users: int, per_user: int, timeout: float) -> list[dict]:
    """``users`` threads released together, each asking ``per_user`` questions in turn."""
    rows: list[dict] = []
    lock = threading.Lock()
    barrier = threading.Barrier(users)

    def user(u: int) -> None:
        try:
            client = connect(url)
        except Exception as exc:  # counted, reported, never fatal to the benchmark
            client = exc
        barrier.wait()
        for j in range(per_user):
            if isinstance(client, Exception):
                row = {"question": "", "error": f"connect: {type(client).__name__}: {str(client)[:120]}"}
            else:
                row = ask(client, questions[(u * per_user + j) % len(questions)], timeout)
            row["user"] = u
            with lock:
                rows.append(row)

    threads = [threading.Thread(target=user, args=(u,), daemon=True) for u in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout * per_user + 30)
    return rows


def summary(rows: list[dict]) -> dict:
    ok = [r for r in rows if "error" not in r]
    return {"asked": len(rows), "completed": len(ok), "errors": len(rows) - len(ok),
            "sources": p50_p95([r["sources_s"] for r in ok if "sources_s" in r]),
            "total": p50_p95([r["total_s"] for r in ok]),
            "error_samples": sorted({r["error"] for r in rows if "error" in r})[:3]}


def serve(data_dir: Path, fake: bool, corpus: list[Path] | None, log: Path):
    """`communiques serve` on a free loopback port (ingesting --corpus first); a context manager."""
    from tests.servers import free_port, running

    env = dict(os.environ, COMMUNIQUES_DATA_DIR=str(data_dir))
    if fake:
        env.update(COMMUNIQUES_MODELS__EMBEDDER="hash", COMMUNIQUES_LLM__BACKEND="fake",
                   COMMUNIQUES_RETRIEVAL__MIN_DENSE="0")
    cli = str(Path(sys.executable).parent / "communiques")
    if corpus:
        subprocess.run([cli, "ingest", *map(str, corpus)], env=env, check=True, capture_output=True)
    port = free_port()
    return running([cli, "serve", "--port", str(port)], f"http://127.0.0.1:{port}/", log, timeout=300, env=env), port


def table(result: dict) -> str:
    lines = ["| models | users × questions | completed | errors | time to sources p50 | p95 | full answer p50 | p95 | "
             "sources p50 against one user alone |", "|---|---|---|---|---|---|---|---|---|"]
    for run in result["runs"]:
        alone, crowd_ = run["alone"], run["crowd"]
        ratio = crowd_["sources"][0] / alone["sources"][0] if alone["sources"][0] else float("nan")
        lines.append(f"| {run['models']} (1 alone) | 1 × {alone['asked']} | {alone['completed']} | {alone['errors']} | "
                     f"{alone['sources'][0]:.2f} s | {alone['sources'][1]:.2f} s | {alone['total'][0]:.2f} s | "
                     f"{alone['total'][1]:.2f} s | 1.0× |")
        lines.append(f"| {run['models']} | {run['users']} × {run['per_user']} | {crowd_['completed']} | "
                     f"{crowd_['errors']} | {crowd_['sources'][0]:.2f} s | {crowd_['sources'][1]:.2f} s | "
                     f"{crowd_['total'][0]:.2f} s | {crowd_['total'][1]:.2f} s | {ratio:.1f}× |")
        lines.append(f"| | | | | | | | | load average {run['load_average']:.1f} (2 cores) |")
        if crowd_["error_samples"]:
            lines.append(f"\nErrors ({run['models']}): {'; '.join(crowd_['error_samples'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, nargs="*", default=None, help="ingested first (fakes: into a temp dir)")
    parser.add_argument("--data-dir", type=Path, default=None, help="an indexed data dir (real models)")
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--fake", action="store_true", help="hash embedder and fake chat model")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--per-user", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one user waits for one answer")
    parser.add_argument("--out", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()

    from assistant.evaluation import load_testset

    questions = [q.question for q in load_testset(args.questions) if not q.history]
    models = "fakes" if args.fake else "real"
    with tempfile.TemporaryDirectory(prefix="communiques-crowd-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        server, port = serve(data_dir, args.fake, args.corpus, Path(tmp) / "app.log")
        with server:
            url = f"http://127.0.0.1:{port}/"
            ask(connect(url), questions[-1], args.timeout)  # first request pays gradio's lazy set-up
            alone = summary(crowd(url, questions, 1, args.per_user, args.timeout))
            rows = crowd(url, questions, args.users, args.per_user, args.timeout)
    run = {"models": models, "users": args.users, "per_user": args.per_user, "alone": alone,
           "crowd": summary(rows), "load_average": load_average()}
    result = {"runs": [run]}
    doc_json = ROOT / "docs" / "concurrency.json"
    if args.write and doc_json.exists():
        # One section holds the fake and the real run: keep the other one's figures.
        result["runs"] = [r for r in json.loads(doc_json.read_text())["runs"] if r["models"] != models] + [run]
        result["runs"].sort(key=lambda r: r["models"])
    text = table(result)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    if args.write:
        doc_json.write_text(json.dumps(result, indent=2))
        write_section("concurrency", "`make bench` (`python bench/concurrency.py`), the web app on loopback, "
                      "clients through Gradio's queue as a browser uses it:\n\n" + text, "Concurrency")


if __name__ == "__main__":
    main()
