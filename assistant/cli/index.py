"""Commands that fill and inspect the index: ingest (once or watching), reindex, docs."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.command import DataDir, Verbose, container, setup_logging
from assistant.cli.progress import IngestProgress

log = logging.getLogger(__name__)


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
    setup_logging(verbose)
    from ingest.pipeline import IngestBusy

    c = container(data_dir)
    if watch:
        _watch(c, paths, prune, interval, as_json)
        return
    with IngestProgress(enabled=sys.stderr.isatty() and not as_json) as progress:
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
    setup_logging(verbose)
    from assistant.reindex import reindex as rebuild

    c = container(data_dir)
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



def docs(ctx: typer.Context, data_dir: DataDir = None,
         as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False) -> None:
    """List indexed communiqués (newest first)."""
    ctx.obj = data_dir
    if ctx.invoked_subcommand:
        return
    for r in container(data_dir).manifest.all():
        if as_json:
            typer.echo(json.dumps(r.__dict__, ensure_ascii=False))
        else:
            state = "" if r.state == "indexed" else f" [{r.state}]"
            typer.echo(f"{r.doc_id}\t{r.date or '----------'}\t{r.lang}\t{r.n_chunks} chunks\t{r.issuer[:30]}\t{r.title[:60]}{state}")


def docs_show(ctx: typer.Context, doc_id: str) -> None:
    """Show one communiqué's metadata and chunks."""
    c = container(ctx.obj)
    record = c.manifest.get(doc_id)
    if record is None:
        typer.echo(f"No document '{doc_id}' is indexed; `communiques docs` lists them.", err=True)
        raise typer.Exit(1)
    for k, v in record.__dict__.items():
        typer.echo(f"{k}: {v}")
    for chunk in c.store.chunks(doc_id):
        page = f" (p. {chunk.page})" if chunk.page else ""
        typer.echo(f"\n--- {chunk.chunk_id}{page}\n{chunk.text}")


def docs_delete(ctx: typer.Context, doc_id: str) -> None:
    """Remove a communiqué and its chunks from the index."""
    if not container(ctx.obj).ingestor.delete(doc_id):
        typer.echo(f"No document '{doc_id}' is indexed.", err=True)
        raise typer.Exit(1)
    typer.echo(f"deleted {doc_id}")

