"""Keypress to repaint, in-process with Pilot: tick a habit, open the pain form.

    python bench/keypress.py [--presses 60]

Each sample is the time from the key arriving, as the terminal driver hands
it over (`driver.send_message`), until the first frame that shows its
effect (the tick committed and its row repainted; the pain form, or Today
again, on screen): `App._display` is wrapped to note when each frame is
handed to the terminal and what it shows. Pilot only settles the app between samples (its per-widget
waits are not counted), and the app's interval timers are paused so no
unrelated repaint is mistaken for the key's. Goals: median under 16 ms, p95
under 33 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from textual import events

from tui import gc_pause
from tui.app import UprightApp
from tui.screens.pain_form import PainForm
from tui.widgets.checklist import Checklist


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(presses: int) -> dict[str, list[float]]:
    # As `upright` runs it: the collector paused while starting, then frozen (tui/gc_pause.py).
    gc_pause.pause()
    with tempfile.TemporaryDirectory() as tmp:
        app = UprightApp(
            db_path=Path(tmp) / "bench.db",
            config_path=Path(tmp) / "none.toml",
            idle_source=None,
            desktop_notifications=False,
        )
        results: dict[str, list[float]] = {
            "tick a habit (space)": [],
            "open pain form (p)": [],
            "close pain form (escape)": [],
        }
        # The time of the first frame in which the key's effect is shown, once known.
        shown_at: list[float] = []
        shown = asyncio.Event()
        effect_visible: Callable[[], bool] = lambda: False  # noqa: E731
        display = app._display

        def noting_display(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            # A frame the key caused but that does not show its effect yet (the footer,
            # the timer panel noting activity) does not count.
            if renderable is not None and not shown.is_set() and effect_visible():
                shown_at.append(time.perf_counter())
                shown.set()

        app._display = noting_display  # type: ignore[method-assign]

        async def key_to_frame(
            key: str, character: str | None, visible: Callable[[], bool]
        ) -> float:
            nonlocal effect_visible
            effect_visible = visible
            shown.clear()
            key_event = events.Key(key, character)
            key_event.set_sender(app)
            start = time.perf_counter()
            assert app._driver is not None
            app._driver.send_message(key_event)
            try:
                await asyncio.wait_for(shown.wait(), timeout=5)
            except TimeoutError:
                raise RuntimeError(f"no frame showed the effect of {key!r}") from None
            elapsed = shown_at[-1] - start
            # Settle before the next key (not counted): the write and re-read that follow a
            # tick's first frame, the repaint after a screen closes. 50 ms: no one types faster.
            await pilot.pause(0.05)
            while not app.database.idle:
                await pilot.pause()
            return elapsed

        def ticked(before: str) -> Callable[[], bool]:
            def visible() -> bool:
                item = app.today_screen.query_one(Checklist).highlighted_item
                return item is not None and item.status != before

            return visible

        async with app.run_test(size=(120, 40)) as pilot:
            await app.data_ready.wait()
            await pilot.press("escape")  # the first-run safety note
            await pilot.pause()
            for timer in list(app._timers):
                timer.pause()
            checklist = app.today_screen.query_one(Checklist)
            for _ in range(presses):
                assert checklist.highlighted_item is not None
                results["tick a habit (space)"].append(
                    await key_to_frame("space", " ", ticked(checklist.highlighted_item.status))
                )
                results["open pain form (p)"].append(
                    await key_to_frame("p", "p", lambda: isinstance(app.screen, PainForm))
                )
                results["close pain form (escape)"].append(
                    await key_to_frame("escape", "\x1b", lambda: app.screen is app.today_screen)
                )
            for timer in list(app._timers):
                timer.resume()
        return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args()
    results = asyncio.run(measure(args.presses))
    print(f"\nKeypress to repaint, {args.presses} presses each (goal: median < 16 ms, p95 < 33 ms)")
    print(f"  {'action':<28}{'median':>10}{'p95':>10}{'max':>10}")
    for name, values in results.items():
        print(
            f"  {name:<28}{statistics.median(values) * 1000:>8.1f}ms"
            f"{percentile(values, 0.95) * 1000:>8.1f}ms{max(values) * 1000:>8.1f}ms"
        )


if __name__ == "__main__":
    main()
