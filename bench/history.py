"""Benchmark 5, History: statistics over years of daily use.

    PYTHONPATH=. python bench/history.py [--years 10] [--habits 15] [--db PATH] [--runs 5]
        [--against OTHER_CHECKOUT]

Builds a database with `years` of made-up history (store.demo.fill_history,
the shipped catalog, ending today) in a temporary folder, or reuses the one
given with --db, then times each measurement in `measurements()`: all of
them once to warm up, then `--runs` rounds, alternating between them (the
order reversed every other round), and prints the medians. A measurement
with a reference also gets its ratio to the reference and its time over it.
Goal (issue 5): `upright stats --weeks 520 --json` and each Trends tab under
100 ms on top of the floor. The command is also compared with the import
frozen at exit, as upright's command line is (see bench/cli.py): its own
work, like for like. This prints numbers; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from store.catalog import load_catalog
from store.demo import fill_history
from store.queries import Store, local_now

ROOT = Path(__file__).resolve().parent.parent
WEEKS = 520


@dataclass(frozen=True)
class Measurement:
    """One thing to time: `run` does it once."""

    name: str
    run: Callable[[], object]
    # The names of the measurements this one is compared with (ratio, time over it).
    references: tuple[str, ...] = ()


def _command(*args: str, root: Path = ROOT) -> Callable[[], object]:
    """Run a Python command from a checkout's root (this one's unless told), output
    discarded; fails loudly if it fails."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p
        ),
    }

    def run() -> object:
        done = subprocess.run(
            [sys.executable, *args],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
        return done

    return run


def measurements(
    db: Path, today: date, against: Path | None = None, folder: Path | None = None
) -> list[Measurement]:
    """What this benchmark times, in table order. Append new measurements here
    (the Trends tabs, rendered headless, belong at the end of this list).

    `against`: another checkout (a worktree of main, say) whose `upright stats` is
    timed on a copy of `db` made in `folder` before this checkout opens it (this one
    may migrate it past what the other knows)."""
    stats_args = ("stats", "--weeks", str(WEEKS), "--json")
    others: list[Measurement] = []
    if against is not None:
        assert folder is not None
        copy = folder / "against.db"
        shutil.copyfile(db, copy)
        others.append(
            Measurement(
                f"upright stats --weeks {WEEKS} --json ({against.name})",
                _command("-m", "tui", "--db", str(copy), *stats_args, root=against),
            )
        )
    store = Store.open(db)
    imports = ("import sqlmodel", "import sqlmodel, gc; gc.freeze()")
    floor, frozen_floor = (f'python -c "{code}"' for code in imports)
    return [
        *(Measurement(f'python -c "{code}"', _command("-c", code)) for code in imports),
        *others,
        Measurement(
            f"upright stats --weeks {WEEKS} --json",
            _command("-m", "tui", "--db", str(db), *stats_args),
            references=(floor, frozen_floor, *(m.name for m in others)),
        ),
        Measurement(
            f"Store.stats(today, weeks={WEEKS}) in-process", lambda: store.stats(today, WEEKS)
        ),
    ]


def time_all(items: list[Measurement], runs: int) -> dict[str, list[float]]:
    """Seconds per run of each measurement: one warm-up each, then alternating rounds."""
    for item in items:
        item.run()
    times: dict[str, list[float]] = {item.name: [] for item in items}
    for round_ in range(runs):
        for item in items if round_ % 2 == 0 else reversed(items):
            started = time.perf_counter()
            item.run()
            times[item.name].append(time.perf_counter() - started)
    return times


def report(items: list[Measurement], times: dict[str, list[float]]) -> str:
    width = max(len(item.name) for item in items) + 2
    lines = [f"{'measurement':<{width}}{'median ms':>10}{'min ms':>9}{'ratio':>8}{'over ms':>9}"]
    medians = {name: statistics.median(values) for name, values in times.items()}
    for item in items:
        median = medians[item.name]
        fastest = min(times[item.name])
        lines.append(f"{item.name:<{width}}{median * 1000:>10.1f}{fastest * 1000:>9.1f}")
        for reference in item.references:
            ratio = f"{median / medians[reference]:.2f}x"
            over = f"{(median - medians[reference]) * 1000:.0f}"
            lines.append(f"{'  against ' + reference:<{width + 19}}{ratio:>8}{over:>9}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--habits", type=int, default=15)
    parser.add_argument(
        "--db", type=Path, default=None, help="reuse this history database instead of building one"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--against",
        type=Path,
        default=None,
        help="another checkout (e.g. a worktree of main): time its upright stats too",
    )
    args = parser.parse_args(argv)
    today = local_now().date()
    with tempfile.TemporaryDirectory(prefix="upright-bench-") as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "history.db"
            started = time.perf_counter()
            fill_history(
                Store.open(db), load_catalog(), local_now(), years=args.years, habits=args.habits
            )
            print(
                f"built {args.years} years x {args.habits} habits in "
                f"{time.perf_counter() - started:.2f} s"
            )
        elif not db.exists():
            print(
                f"history: {db} does not exist (bench/make_history.py builds one)", file=sys.stderr
            )
            return 2
        items = measurements(db, today, args.against, Path(folder))
        times = time_all(items, args.runs)
        print(f"{db}: median of {args.runs} runs, alternating")
        print(report(items, times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
