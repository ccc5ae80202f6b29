"""Our date reader (textkit.dates) against dateparser, on releases whose metadata gives their date.

Usage (dateparser is not a dependency: install it aside, e.g. ``pip install --target /tmp/dp dateparser``):
  python bench/date_parsers.py --corpus ../shared/corpus --dateparser-path /tmp/dp

Two measures, per parser: (1) the loader's task when a release has no date in its metadata — the first date of its
opening paragraphs, else of its closing ones, else of its title — equals the metadata date; (2) the metadata date is
among the dates found in the title and the first 6,000 characters. Also the distinct dates found and the seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textkit.dates import find_dates  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of JSONL files with id, title, date, lang, text")
    parser.add_argument("--dateparser-path", type=Path, required=True, help="where dateparser is installed")
    args = parser.parse_args()
    sys.path.insert(0, str(args.dateparser_path))
    from dateparser.search import search_dates

    def theirs(text: str, lang: str) -> list[str]:
        found = search_dates(text, languages=[lang], settings={"REQUIRE_PARTS": ["day", "month", "year"]}) or []
        return [d.date().isoformat() for _, d in found]

    readers = {"textkit.dates": lambda text, lang: find_dates(text), "dateparser": theirs}
    releases = [r for f in sorted(args.corpus.glob("*.jsonl")) for line in f.open(encoding="utf-8")
                if (r := json.loads(line)).get("date")]
    for name, read in readers.items():
        first = among = found = 0
        t0 = time.perf_counter()
        for r in releases:
            paragraphs = r["text"].split("\n\n")
            for region in ("\n".join(paragraphs[:3]), "\n".join(paragraphs[-2:]), r["title"]):
                dates = read(region[:3000], r["lang"])
                if dates:
                    first += dates[0] == r["date"]
                    break
            everywhere = set(read(r["title"] + "\n" + r["text"][:6000], r["lang"]))
            among += r["date"] in everywhere
            found += len(everywhere)
        print(f"{name:14s} releases {len(releases)}  first date = release date {first}  release date found {among}  "
              f"distinct dates {found}  {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
