"""The physio report: building a 52-week report from 10 years of history, side by side with
`upright stats --weeks 52 --json` on the same database, and the report's size.

    python bench/report.py [--db PATH] [--runs 7]

Builds a 10-year, 15-habit history (bench/make_history.py) in a temporary folder, or
reuses the one given with --db. Both commands run as a user runs them (`python -m tui`,
alternating, medians); the report's own cost is its time over the stats command's, which
reads the same rows: matplotlib and Jinja2 loading, three charts, the page. The report
from the first run is kept and its size printed. This prints numbers; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from _common import ROOT, alternate, env_for, print_table, time_command, upright

WEEKS = "52"
STATS = f"upright stats --weeks {WEEKS} --json"
REPORT = f"upright report --weeks {WEEKS}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None, help="a history database to reuse")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(tmp)
        db = args.db or os.path.join(tmp, "history.db")
        if args.db is None:
            subprocess.run(
                [sys.executable, os.path.join(ROOT, "bench", "make_history.py"), db],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        page = os.path.join(tmp, "report.html")
        # A first run warms the disk cache and matplotlib's font cache (built once per user).
        time_command(upright(db, "report", "--weeks", WEEKS, "-o", page, "--force"), env)
        results = alternate(
            {
                STATS: lambda: time_command(upright(db, "stats", "--weeks", WEEKS, "--json"), env),
                REPORT: lambda: time_command(
                    upright(db, "report", "--weeks", WEEKS, "-o", page, "--force"), env
                ),
            },
            args.runs,
        )
        print_table(
            f"52-week report from 10 years of history, median of {args.runs}",
            results,
            reference=STATS,
        )
        over = statistics.median(results[REPORT]) - statistics.median(results[STATS])
        print(f"  report over stats: {over * 1000:.0f} ms")
        print(f"  report size: {os.path.getsize(page) / 1024:.0f} KiB ({page})")


if __name__ == "__main__":
    main()
