"""Commands about the people who use the web app: their accounts (users) and the ratings they gave (feedback)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.command import DataDir, container
from assistant.settings import Settings


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


def users_list(users_file: UsersFile = None) -> None:
    """List users and their roles."""
    users = _users_file(users_file)
    for name in users.names():
        typer.echo(f"{name}\t{users.get(name).role}")


def users_remove(name: str, users_file: UsersFile = None) -> None:
    """Remove a user."""
    users = _users_file(users_file)
    if not users.remove(name):
        typer.echo(f"No user '{name}' in {users.path}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed {name}")



def feedback_export(
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of the standard output.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Write every rating as one JSON object per line: question, answer, citations, rating, comment, settings.

    Example: communiques feedback export --out feedback.jsonl
    """
    records = container(data_dir).feedback.records()
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

