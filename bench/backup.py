"""The day's backup: the cost of the day's first write with it, against a write without it.

    PYTHONPATH=. python bench/backup.py [--years 10] [--habits 15] [--runs 11]

Builds the demo's long history (store.demo.fill_history, the shipped catalog,
ending today) in a temporary folder, then times, alternating, in process:

- a write with no backup step at all (the reference: the day's copy already
  remembered in this process, as for every write after the first);
- the day's first write of a fresh store when today's copy exists already
  (another process made it: one look at the folder);
- the day's first write that makes the copy (the backups folder emptied first);

and the same through the command line: `upright pain 4` with and without making
the copy. Each store is opened and has read once before the timed write, so
connecting is not counted. It prints numbers; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import alternate, env_for, print_table, time_command, upright

from store.backup import backup_folder
from store.catalog import load_catalog
from store.demo import fill_history
from store.queries import Store, local_now


def _first_write(db: Path, *, copy_exists: bool, remembered: bool = False) -> Callable[[], float]:
    def measure() -> float:
        if not copy_exists:
            shutil.rmtree(backup_folder(db), ignore_errors=True)
        store = Store.open(db)
        try:
            store.get_setting("bench")  # connect before the clock starts
            if remembered:
                store.backups.before_write(db)  # as after the day's first write
            now = local_now()
            start = time.perf_counter()
            store.add_pain(4, now, now.date(), note="bench")
            return time.perf_counter() - start
        finally:
            store.engine.dispose()

    return measure


def _command(db: Path, env: dict[str, str], *, copy_exists: bool) -> Callable[[], float]:
    def measure() -> float:
        if not copy_exists:
            shutil.rmtree(backup_folder(db), ignore_errors=True)
        return time_command(upright(db, "pain", "4"), env)

    return measure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--habits", type=int, default=15)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history" / "upright.db"
        store = Store.open(db)
        store.backups.before_write(db)  # no copy of the empty database in the numbers
        fill_history(store, load_catalog(), local_now(), years=args.years, habits=args.habits)
        store.engine.dispose()
        print(f"database: {args.years} years x {args.habits} habits, {os.path.getsize(db)} bytes")
        reference = "write, no backup step"
        results = alternate(
            {
                reference: _first_write(db, copy_exists=True, remembered=True),
                "first write, today's copy exists": _first_write(db, copy_exists=True),
                "first write, making the copy": _first_write(db, copy_exists=False),
            },
            args.runs,
        )
        print_table(f"In process, median of {args.runs}", results, reference=reference)
        env = env_for(tmp)
        plain = "upright pain 4, today's copy exists"
        results = alternate(
            {
                plain: _command(db, env, copy_exists=True),
                "upright pain 4, making the copy": _command(db, env, copy_exists=False),
            },
            args.runs,
        )
        print_table(f"Command line, median of {args.runs}", results, reference=plain)
        sizes = [p.stat().st_size for p in backup_folder(db).iterdir()]
        print(f"a copy: {max(sizes)} bytes")


if __name__ == "__main__":
    main()
