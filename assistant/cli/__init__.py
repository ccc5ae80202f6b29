"""The command line: ingest, ask, docs, serve, models. Stable: scripts and evaluators build on it.

Each module holds one group of commands; this file assembles them. `communiques --help` lists the commands in
the order they are registered here.
"""

from __future__ import annotations

from assistant.cli.accounts import feedback_export, users_add, users_list, users_remove
from assistant.cli.answers import ask
from assistant.cli.command import app, docs_app, feedback_app, models_app, users_app
from assistant.cli.evaluate import eval_run, rules
from assistant.cli.index import docs, docs_delete, docs_show, ingest, reindex
from assistant.cli.server import doctor, models_fetch, serve

__all__ = ["app"]

app.command()(ingest)
app.command()(reindex)
app.command()(ask)
app.command("eval")(eval_run)
app.command()(serve)
app.command()(doctor)
app.command()(rules)

docs_app.callback()(docs)
docs_app.command("show")(docs_show)
docs_app.command("delete")(docs_delete)
models_app.command("fetch")(models_fetch)
feedback_app.command("export")(feedback_export)
users_app.command("add")(users_add)
users_app.command("list")(users_list)
users_app.command("remove")(users_remove)
