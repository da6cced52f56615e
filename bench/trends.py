"""Trends on years of history: loading the data and building each chart, headless.

    python bench/trends.py [--years 10] [--db PATH]

Builds (or reuses) a database of --years of daily use with 15 habits, then:
- read_trends() for 12 and 52 weeks (the screen's worker: stats, spells, check-ins);
- each tab's chart built fresh at 120x40 with the 52-week range (cache dropped
  before each build), and a cached repaint for comparison;
- the app's start on that database against an empty one (time until the
  first habit is on screen, in a pseudo-terminal).
Goal: each under 100 ms; opening on history within 10% of an empty database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _common import (
    alternate,
    env_for,
    print_table,
    ready_database,
    time_until_output,
    upright,
)

from store.catalog import load_catalog
from store.demo import fill_history
from store.helps import RESAMPLES, Association, associations, bootstrap_interval
from store.morning import morning_pain
from store.plan import window_start
from store.queries import Store
from tui.app import SAFETY_SEEN, UprightApp
from tui.screens.trends import TrendsScreen
from tui.views.reads import read_trends
from tui.widgets.charts import CachedPlot


class StillClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return time.monotonic()


def median_ms(run: object, times: int = 7) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


async def chart_builds(db: Path, now: datetime, tmp: str) -> None:
    app = UprightApp(
        db_path=db,
        config_path=Path(tmp) / "none.toml",
        clock=StillClock(now),
        idle_source=None,
        desktop_notifications=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        await pilot.press("4")  # 52 weeks
        while screen.data is None or screen.data.weeks != 52:
            await pilot.pause(0.02)
        print("\nChart builds at 120x40, 52 weeks (median of 7 fresh builds)")
        for tab in ("weekly", "daily", "pain", "sitting"):
            screen.query_one("TabbedContent").active = tab  # type: ignore[attr-defined]
            await pilot.pause(0.2)
            chart = screen.query_one(f"#{tab}-chart", CachedPlot)

            def build(chart: CachedPlot = chart) -> None:
                chart._key = None  # drop the cache: time a real build at the same size
                chart.render()

            fresh = median_ms(build)
            cached = median_ms(chart.render)
            print(
                f"  {tab:<10} {chart.size.width}x{chart.size.height}: build {fresh:6.1f} ms,"
                f" cached repaint {cached:.3f} ms"
            )
        app.exit()


def helps_alone(store: Store, now: datetime) -> None:
    """The "Does it help?" association's share of read_trends: its pure part (days,
    means, bootstraps) on rows read once, and Store.helps (its own reads included)."""
    assert now.tzinfo is not None
    today = now.date()
    first = window_start(today, 52)
    plans, check_ins, _pain = store.stats_rows(first, today)
    exercises = store.exercise_ids()
    mornings = morning_pain(store.pain_readings(first, today), now.tzinfo)
    print("\nDoes it help? (part of read_trends above), median of 7")
    for weeks in (12, 52):
        rows = associations(plans, exercises, check_ins, mornings, today, weeks)
        draws = RESAMPLES * sum(r.done_days + r.not_done_days for r in rows if r.enough)
        pure = median_ms(
            lambda w=weeks: associations(plans, exercises, check_ins, mornings, today, w)
        )
        whole = median_ms(lambda w=weeks: store.helps(now, w))
        plain = median_ms(lambda rows=rows: choices_bootstraps(rows), times=3)
        print(
            f"  {weeks:>2} weeks: {len(rows)} exercises, {draws:,} bootstrap draws: "
            f"{pure:5.1f} ms computed, {whole:5.1f} ms with its reads (Store.helps); "
            f"the same bootstraps with random.choices {plain:5.1f} ms ({plain / pure:.1f}x)"
        )
    every_morning()


def every_morning(exercises: int = 12) -> None:
    """The most a 52-week range can hold: every morning logged, each exercise done on
    300 of its 363 complete days."""
    rng = random.Random(1)
    rows = [
        Association(
            f"x{i}",
            tuple(rng.randrange(11) for _ in range(300)),
            tuple(rng.randrange(11) for _ in range(63)),
            None,
        )
        for i in range(exercises)
    ]
    draws = RESAMPLES * 363 * exercises
    ours = median_ms(
        lambda: [bootstrap_interval(r.after_done, r.after_not_done, seed=r.id) for r in rows]
    )
    plain = median_ms(lambda: choices_bootstraps(rows, every=True), times=3)
    print(
        f"  every morning of 52 weeks logged, {exercises} exercises, {draws:,} draws: "
        f"{ours:5.1f} ms; with random.choices {plain:5.1f} ms ({plain / ours:.1f}x)"
    )


def choices_bootstraps(rows: list[Association], every: bool = False) -> None:
    """The reference: each enough exercise's 2,000 resamples drawn with random.choices."""
    rng = random.Random(0)
    for row in rows:
        if row.enough or every:
            for side in (row.after_done, row.after_not_done):
                for _ in range(RESAMPLES):
                    sum(rng.choices(side, k=len(side)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "history.db"
        if not db.exists():
            store = Store.open(db)
            started = time.perf_counter()
            fill_history(store, load_catalog(), now, years=args.years)
            print(f"built {args.years} years x 15 habits in {time.perf_counter() - started:.1f} s")
        store = Store.open(db)
        store.set_setting(SAFETY_SEEN, "bench")
        names = {entry.id: entry.name for entry in load_catalog().habits}
        print("\nread_trends (stats + spells + check-ins), median of 7")
        for weeks in (12, 52):
            took = median_ms(lambda w=weeks: read_trends(store, now, w, names))
            print(f"  {weeks:>2} weeks: {took:6.1f} ms")
        helps_alone(store, now)
        asyncio.run(chart_builds(db, now, tmp))

        env = env_for(tmp)
        empty = ready_database(str(Path(tmp) / "empty.db"), env)
        needle = b"Stand up and move"
        results = alternate(
            {
                "open on an empty database": lambda: time_until_output(upright(empty), needle, env),
                f"open on {args.years} years of history": lambda: time_until_output(
                    upright(db), needle, env
                ),
            },
            args.runs,
        )
        print_table(
            f"Start-up to the first habit, median of {args.runs} (goal within 1.10x)",
            results,
            reference="open on an empty database",
        )


if __name__ == "__main__":
    main()
