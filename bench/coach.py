"""What the coach adds to Today's read: `read_today` (checklist, pain, progress and the
coach's rows, one transaction) against the same read without the coach, side by side.

    PYTHONPATH=. python bench/coach.py [--years 10] [--runs 30]

Builds a made-up history (bench/make_history.py) in a temporary folder, then
alternates the two reads in the same process and prints their medians.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.make_history import build
from store.queries import Store, local_now
from tui.views.reads import read_today


def without_coach(store: Store, day: date) -> None:
    """read_today's reads before the coach: the same transaction, minus Store.coach."""
    with store.reading():
        store.stats(day, weeks=1, strength=False)
        store.today(day)
        store.pain_on(day)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.db"
        counts, _seconds = build(path, args.years, 15)
        store = Store.open(path)
        now = local_now()
        day, tz = now.date(), now.tzinfo
        coach_ms: list[float] = []
        plain_ms: list[float] = []
        coach_only: list[float] = []
        read_today(store, None, day, tz)  # warm: mappers, imports
        for _ in range(args.runs):
            started = time.perf_counter()
            without_coach(store, day)
            plain_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            read_today(store, None, day, tz)
            coach_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            store.coach(day, tz)
            coach_only.append((time.perf_counter() - started) * 1000)
        store.engine.dispose()
    plain, full, alone = (statistics.median(x) for x in (plain_ms, coach_ms, coach_only))
    rows = f"{counts['check_in']} check-ins, {counts['pain_entry']} pain entries"
    print(f"history: {args.years} years, {rows}")
    print(f"{'read':<34}{'median ms':>10}")
    print(f"{'Today without the coach':<34}{plain:>10.1f}")
    print(f"{'Today with the coach (read_today)':<34}{full:>10.1f}   {full / plain:.2f}x")
    print(f"{'Store.coach alone':<34}{alone:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
