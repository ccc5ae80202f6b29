"""What every benchmark script shares: percentiles, process memory, and writing a section of docs/benchmarks.md."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def p50_p95(seconds: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of a list of timings."""
    if not seconds:
        return float("nan"), float("nan")
    ordered = sorted(seconds)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def rss_mb(pid: int | None = None) -> tuple[float, float]:
    """Resident memory of a process now and at its peak, in MB (Linux /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid or os.getpid()}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def reset_peak() -> None:
    """Start the process's peak resident size (VmHWM) again from its current size, so that the next peak read is
    that of what runs in between (Linux: /proc/self/clear_refs; left as is where it cannot be written)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def load_average() -> float:
    """One-minute load average: printed beside the figures, since other jobs share the cores."""
    return os.getloadavg()[0]


def write_section(name: str, text: str, title: str, doc: Path = DOC) -> None:
    """Replace the block between ``<!-- name -->`` markers in the benchmarks page (appended under ``title`` if new)."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    body = doc.read_text() if doc.exists() else "# Benchmarks\n"
    block = f"{start}\n{text.strip()}\n{end}"
    if start in body:
        body = body[: body.index(start)] + block + body[body.index(end) + len(end):]
    else:
        body = body.rstrip() + f"\n\n## {title}\n\n{block}\n"
    doc.write_text(body)


def publish(text: str, result: dict, out: Path | None, section: str | None, title: str, intro: str = "") -> None:
    """Print a benchmark's table; keep its figures as JSON in ``out``; put it in the page's ``section`` if given."""
    import json

    print(text)
    if out:
        Path(out).write_text(json.dumps(result, indent=2))
    if section:
        write_section(section, f"{intro}\n\n{text}" if intro else text, title)
