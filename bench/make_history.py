"""Build a long-history database for the benchmarks: years x habits of made-up daily use.

    PYTHONPATH=. python bench/make_history.py /tmp/history.db [--years 10] [--habits 15]

Uses the shipped catalog (plus the user's overrides, as the command line
does), ends today, and prints the rows per table and the seconds it took.
PATH must not exist yet: the history goes only into a new database.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from store.catalog import load_catalog
from store.demo import fill_history
from store.queries import TABLES, Store, local_now


def build(path: Path, years: int, habits: int) -> tuple[dict[str, int], float]:
    """Create and fill the database at `path`; returns rows per table and seconds taken."""
    started = time.perf_counter()
    store = Store.open(path)
    fill_history(store, load_catalog(), local_now(), years=years, habits=habits)
    seconds = time.perf_counter() - started
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        for model in TABLES:
            table = model.__table__
            counts[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
    return counts, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the database to create (must not exist)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--habits", type=int, default=15)
    args = parser.parse_args(argv)
    if args.path.exists():
        print(f"make_history: {args.path} exists; give a new path", file=sys.stderr)
        return 2
    counts, seconds = build(args.path, args.years, args.habits)
    print(f"{args.path}: {args.years} years x up to {args.habits} habits")
    for name, n in counts.items():
        print(f"  {name:<15}{n:>9,}")
    print(f"  {'total':<15}{sum(counts.values()):>9,}")
    print(f"built in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
