"""Start-up: launch to first frame and to today's first habit, against bare Textual apps.

    python bench/startup.py [--runs 7]

Each run spawns the program in a pseudo-terminal and waits for its text.
References: a bare Textual app painting one label (first-frame floor), and
one that also imports sqlmodel, plotext and apscheduler (the stack's floor).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from datetime import date

from _common import (
    PYTHON,
    alternate,
    env_for,
    print_table,
    ready_database,
    time_until_output,
    upright,
)

BARE = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("floor-ready")
Bare().run()
"""

STACK = """
import textual, sqlmodel, plotext, apscheduler.schedulers.asyncio
from textual.app import App
from textual.widgets import Label
class Stack(App):
    def compose(self):
        yield Label("floor-ready")
Stack().run()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = env_for(tmp)
        db = os.path.join(tmp, "bench.db")
        ready_database(db, env)
        # The first frame is the header: the app's name and today's date.
        header_date = f"{date.today():%A %-d %B %Y}".encode()
        first_habit = b"Stand up and move"
        results = alternate(
            {
                "bare Textual (one label)": lambda: time_until_output(
                    [PYTHON, "-c", BARE], b"floor-ready", env
                ),
                "stack floor (textual+sqlmodel+plotext+apsch.)": lambda: time_until_output(
                    [PYTHON, "-c", STACK], b"floor-ready", env
                ),
                "upright: first frame (header, date)": lambda: time_until_output(
                    upright(db), header_date, env
                ),
                "upright: first habit on screen": lambda: time_until_output(
                    upright(db), first_habit, env
                ),
            },
            args.runs,
        )
        print_table(
            f"Start-up, median of {args.runs} (ratios against the bare Textual app)",
            results,
            reference="bare Textual (one label)",
        )

        def median(name: str) -> float:
            return statistics.median(results[name])

        frame = median("upright: first frame (header, date)")
        print(
            f"  first frame / bare Textual: {frame / median('bare Textual (one label)'):.2f}x"
            " (goal <= 1.2x)"
        )
        habit = median("upright: first habit on screen")
        stack = median("stack floor (textual+sqlmodel+plotext+apsch.)")
        print(f"  first habit / stack floor: {habit / stack:.2f}x (goal <= 1.2x)")


if __name__ == "__main__":
    main()
