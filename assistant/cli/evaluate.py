"""Commands about the quality of answers: eval (run a test set, compare two runs) and rules (the answer rules)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.command import DataDir, container, setup_logging
from assistant.settings import Settings


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
    setup_logging(False)
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
    c = container(data_dir)
    c.warm_up()  # the first question's timings are those of a running server, not of loading the models
    summary = run_eval(c.chain, questions, out, settings_snapshot(c.settings), progress=sys.stderr.isatty(),
                       blind=blind)
    _print_summary(summary)
    typer.echo(f"report: {out / 'report.html'}")


def _print_summary(summary: dict) -> None:
    """One line per overall figure, with its 95 % interval and, except for timings, the no-model baseline's."""
    base = summary.get("baseline") or {}
    for key, value in summary["overall"].items():
        if key.endswith("_ci"):
            continue
        ci = summary["overall"].get(f"{key}_ci")
        interval = f"  [{ci[0]}–{ci[1]}]" if ci and ci[0] is not None else ""
        timing = key.endswith(("_s_p50", "_s_p95")) or key.startswith(("prompt_tokens", "answer_tokens"))
        baseline = f"  (baseline {base[key]})" if base.get(key) is not None and not timing else ""
        typer.echo(f"{key:22} {value}{interval}{baseline}")


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
