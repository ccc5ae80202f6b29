"""The ingest progress shown on a terminal: a bar while files are read, a table of the report at the end."""

from __future__ import annotations

import logging
import sys
from pathlib import Path


class IngestProgress:
    """A rich progress bar on a terminal (files and chunks, rate, time left); silent in a pipe."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __enter__(self) -> "IngestProgress":
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

