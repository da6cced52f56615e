"""Command line: `upright pain 4` and `upright today --json` against importing sqlmodel.

    python bench/cli.py [--runs 11]

The subcommands must not import Textual; the goal is at most 1.15x the
time Python takes just to import sqlmodel.

upright hides its objects from the collection Python runs at shutdown
(tui/gc_pause.py `before_exit`), which a plain `import sqlmodel` does not, so
a second reference does the same after the import: the like-for-like cost of
our own work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

from _common import PYTHON, alternate, env_for, print_table, ready_database, time_command, upright

# The references: Python importing sqlmodel, then the same frozen at exit as upright is.
IMPORT = "import sqlmodel"
FROZEN_IMPORT = "import sqlmodel, gc; gc.freeze()"
FLOOR, FROZEN_FLOOR = (f'python -c "{code}"' for code in (IMPORT, FROZEN_IMPORT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(tmp)
        db = os.path.join(tmp, "bench.db")
        ready_database(db, env)
        results = alternate(
            {
                FLOOR: lambda: time_command([PYTHON, "-c", IMPORT], env),
                FROZEN_FLOOR: lambda: time_command([PYTHON, "-c", FROZEN_IMPORT], env),
                "upright pain 4": lambda: time_command(upright(db, "pain", "4"), env),
                "upright today --json": lambda: time_command(upright(db, "today", "--json"), env),
            },
            args.runs,
        )
        print_table(
            f"Command line, median of {args.runs} (goal <= 1.15x)", results, reference=FLOOR
        )
        floor = statistics.median(results[FLOOR])
        frozen_floor = statistics.median(results[FROZEN_FLOOR])
        for name in ("upright pain 4", "upright today --json"):
            median = statistics.median(results[name])
            print(
                f"  {name}: {median / floor:.2f}x the import,"
                f" {median / frozen_floor:.2f}x the import frozen at exit"
            )


if __name__ == "__main__":
    main()
