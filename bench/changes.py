"""Noticing another process's writes: stat() of the files against PRAGMA data_version.

    python bench/changes.py [--runs 41] [--batch 2000]

The app polls every few seconds for writes made by `upright done` while it is
open. Two ways, each timed per poll (the median of --runs samples of --batch
polls, alternating so noise hits all alike), on a database as the app has it
open (WAL file present, a pooled connection held):
- the stat() signature: size and mtime of upright.db and upright.db-wal
  (what tui/app.py compares today);
- `Store.change_counter().current()`: PRAGMA data_version on a connection of
  its own.
The reference is one os.stat() of the database file: a single system call, the
least any poll that asks the operating system can cost.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _common import alternate, print_table

from store.catalog import load_catalog
from store.queries import Store

REFERENCE = "os.stat() of the database file (reference)"


def stat_signature(path: Path) -> tuple[int, ...]:
    """The app's signature: size and mtime of the database and its WAL."""
    parts: list[int] = []
    for suffix in ("", "-wal"):
        try:
            stat = os.stat(f"{path}{suffix}")
        except OSError:
            parts.extend((0, 0))
        else:
            parts.extend((stat.st_mtime_ns, stat.st_size))
    return tuple(parts)


def per_call(run: Callable[[], object], batch: int) -> Callable[[], float]:
    """A measurement: seconds per call, over `batch` calls."""

    def measure() -> float:
        start = time.perf_counter()
        for _ in range(batch):
            run()
        return (time.perf_counter() - start) / batch

    return measure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "upright.db"
        store = Store.open(db)
        store.sync_catalog(load_catalog(), now.date())
        store.add_pain(3, now, now.date())
        with store.reading():  # hold a pooled connection open, as the running app does
            store.today(now.date())
            counter = store.change_counter()
            assert os.path.exists(f"{db}-wal")
            results = alternate(
                {
                    REFERENCE: per_call(lambda: os.stat(db), args.batch),
                    "stat() signature (db + wal, size and mtime)": per_call(
                        lambda: stat_signature(db), args.batch
                    ),
                    "change_counter().current() (data_version)": per_call(
                        counter.current, args.batch
                    ),
                },
                args.runs,
            )
            counter.close()
        store.engine.dispose()
    print_table(
        f"One poll for outside writes, median of {args.runs} x {args.batch}",
        results,
        reference=REFERENCE,
        unit="us",
        scale=1e6,
    )


if __name__ == "__main__":
    main()
