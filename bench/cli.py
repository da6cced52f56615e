"""Command line: `upright pain 4` and `upright today --json` against importing sqlmodel.

    python bench/cli.py [--runs 11]

The subcommands must not import Textual; the goal is at most 1.15x the
time Python takes just to import sqlmodel.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

from _common import PYTHON, alternate, env_for, print_table, ready_database, time_command, upright


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(tmp)
        db = os.path.join(tmp, "bench.db")
        ready_database(db, env)
        results = alternate({
            'python -c "import sqlmodel"': lambda: time_command(
                [PYTHON, "-c", "import sqlmodel"], env),
            "upright pain 4": lambda: time_command(upright(db, "pain", "4"), env),
            "upright today --json": lambda: time_command(upright(db, "today", "--json"), env),
        }, args.runs)
        print_table(f"Command line, median of {args.runs} (goal <= 1.15x)", results,
                    reference='python -c "import sqlmodel"')
        floor = statistics.median(results['python -c "import sqlmodel"'])
        for name in ("upright pain 4", "upright today --json"):
            print(f"  {name}: {statistics.median(results[name]) / floor:.2f}x")


if __name__ == "__main__":
    main()
