"""The ask command: one question streamed to the terminal, or a batch file answered line by line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.command import DataDir, Verbose, container, setup_logging
from core.types import answer_json


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
    setup_logging(verbose)
    if (question is None) == (batch is None):
        raise typer.BadParameter("Give either a QUESTION or --batch FILE.")
    filters = _filters(since, until, issuer, lang, doc_type)
    c = container(data_dir)
    if batch is not None:
        _ask_batch(c, batch, filters, as_json)
    else:
        _ask_one(c, question, filters, as_json)


def _ask_batch(c, batch: Path, filters, as_json: bool) -> None:
    """Answer each line of ``batch`` in turn, printing each answer as soon as it is ready."""
    from assistant.questions import InvalidQuestion, clean_question

    for item in _read_batch(batch):
        start = time.perf_counter()
        try:
            asked = clean_question(str(item["question"]), c.settings.max_question_chars)
        except InvalidQuestion as exc:  # one bad line is reported in its place; the batch goes on
            typer.echo(json.dumps({"id": item.get("id"), "question": item["question"], "error": str(exc)},
                                  ensure_ascii=False) if as_json else f"Error: {exc}")
            continue
        answer = c.chain.answer(asked, item.get("history"), filters)
        payload = answer_json(answer, item.get("id"), time.perf_counter() - start)
        typer.echo(json.dumps(payload, ensure_ascii=False) if as_json else _render(payload))
        sys.stdout.flush()


def _ask_one(c, question: str, filters, as_json: bool) -> None:
    """Answer one question: as one JSON object, or streamed (sources and draft on stderr, the answer on stdout)."""
    from core.types import AnswerEvent, SourcesEvent, TokenEvent

    from assistant.questions import InvalidQuestion, clean_question

    try:
        question = clean_question(question, c.settings.max_question_chars)
    except InvalidQuestion as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    if as_json:
        start = time.perf_counter()
        answer = c.chain.answer(question, None, filters)
        typer.echo(json.dumps(answer_json(answer, None, time.perf_counter() - start), ensure_ascii=False))
        return
    draft = ""
    for event in c.chain.stream(question, None, filters):
        if isinstance(event, SourcesEvent):
            typer.secho(_searching(event.passages), dim=True, err=True)
        elif isinstance(event, TokenEvent):
            draft += event.text
            typer.secho(event.text, nl=False, dim=True, err=True)
        elif isinstance(event, AnswerEvent):
            typer.echo("", err=True)
            # In a terminal, the draft streamed above is on the screen already: an answer that kept it as it was
            # is not printed twice, only its sources (piped, stdout always gets the whole answer).
            seen = _interactive() and " ".join(draft.split()) == " ".join(event.answer.text.split())
            typer.echo(_render(answer_json(event.answer), with_answer=not seen))


def _searching(passages) -> str:
    """The releases the answer is read from, each once (a release gives several passages), in the search's order."""
    releases: dict[str, tuple[str, str]] = {}
    for p in passages:
        releases.setdefault(p.chunk.doc_id, (p.chunk.title, p.chunk.date))
    return "Searching: " + "; ".join(f"{title[:50]} ({date})" for title, date in releases.values())


def _interactive() -> bool:
    """Whether the answer and the draft both go to a terminal."""
    return sys.stdout.isatty() and sys.stderr.isatty()


def _render(payload: dict, with_answer: bool = True) -> str:
    lines = [payload["answer"], ""] if with_answer else []
    for c in payload["citations"]:
        page = f", p. {c['page']}" if c.get("page") else ""
        who = f"{c['issuer']}, " if c.get("issuer") else ""  # (a release that names no issuer shows none)
        lines.append(f"[{c['n']}] {c['title']} — {who}{c['date'] or 'undated'} ({c['doc_id']}{page})")
        # The whole quote: a quote cut at a width ended mid-word and could drop the fact it is cited for ("…qui
        # s'est tenue à Naples en »" for "…à Naples en décembre 2019").
        lines.append(f"    « {c['quote']} »")
    flagged = [s for s in payload["sentences"] if not s["supported"]]
    for s in flagged:
        lines.append(f"  removed (unverified: {s['reason']}): {s['text']}")
    return "\n".join(lines)

