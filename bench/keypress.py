"""Keypress to repaint, in-process with Pilot: tick a habit, open the pain form.

    python bench/keypress.py [--presses 60]

Each sample is the time from posting the key until the first frame rendered
after it (the app has handled the key, committed any write and composed the
repaint): `App._display` is wrapped to note when each frame is handed to the
terminal. Pilot's own settling sleeps are not counted, and the app's
interval timers are paused so no unrelated repaint is mistaken for the
key's. Goals: median under 16 ms, p95 under 33 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tui.app import UprightApp
from tui.screens.pain_form import PainForm


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(presses: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        app = UprightApp(db_path=Path(tmp) / "bench.db", config_path=Path(tmp) / "none.toml",
                         idle_source=None, desktop_notifications=False)
        results: dict[str, list[float]] = {"tick a habit (space)": [], "open pain form (p)": [],
                                           "close pain form (escape)": []}
        frames: list[float] = []
        display = app._display

        def noting_display(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                frames.append(time.perf_counter())

        app._display = noting_display  # type: ignore[method-assign]

        async def key_to_frame(key: str) -> float:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            after = [t for t in frames if t > start]
            if not after:
                raise RuntimeError(f"no frame after {key!r}")
            return after[0] - start

        async with app.run_test(size=(120, 40)) as pilot:
            await app.data_ready.wait()
            await pilot.press("escape")  # the first-run safety note
            await pilot.pause()
            for timer in list(app._timers):
                timer.pause()
            for _ in range(presses):
                results["tick a habit (space)"].append(await key_to_frame("space"))
                results["open pain form (p)"].append(await key_to_frame("p"))
                assert isinstance(app.screen, PainForm)
                results["close pain form (escape)"].append(await key_to_frame("escape"))
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
        print(f"  {name:<28}{statistics.median(values) * 1000:>8.1f}ms"
              f"{percentile(values, 0.95) * 1000:>8.1f}ms{max(values) * 1000:>8.1f}ms")


if __name__ == "__main__":
    main()
