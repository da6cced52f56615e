"""Idle cost: CPU and memory of the open app with the stand-up timer running.

    python bench/idle.py [--seconds 300] [--day-hours 8]

1. The real app in a pseudo-terminal for --seconds: CPU time used (from
   /proc/PID/stat) as a share of one core, and its resident memory at the end.
   Goal: under 0.5% of a core, RSS under 90 MB. Three apps run side by side:
   the reference with no desktop bus (in-app keys only), one whose idle source
   is GNOME Mutter's watches on a private D-Bus (signals, never polled), and one
   polling the freedesktop ScreenSaver every 5 s (KDE Plasma's way).
2. A simulated working day in-process: a fake clock ticks the timer once a
   second for --day-hours (28,800 ticks for 8 hours) with the database
   writing spells, sampling RSS along the way. Goal: RSS not growing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pty
import resource
import select
import signal
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _common import PYTHON, env_for, ready_database, upright

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND  # utime + stime


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20


def drain(fds: list[int], seconds: float) -> None:
    """Read the apps' output so none blocks on a full terminal."""
    end = time.monotonic() + seconds
    open_fds = list(fds)
    while open_fds and (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select(open_fds, [], [], min(left, 0.5))
        for fd in ready:
            try:
                os.read(fd, 65536)
            except OSError:
                open_fds.remove(fd)


def real_apps(seconds: float) -> None:
    from tests.helpers.fakebus import FakeMutter, FakeScreenSaver, private_bus

    with (
        tempfile.TemporaryDirectory(prefix="ub", dir="/tmp") as tmp,
        contextlib.ExitStack() as stack,
    ):
        folder = Path(tmp)
        mutter_bus = stack.enter_context(private_bus(folder / "mutter", "session"))
        saver_bus = stack.enter_context(private_bus(folder / "saver", "session"))
        mutter = FakeMutter(mutter_bus, idle_ms=100)
        saver = FakeScreenSaver(saver_bus, idle_ms=100)
        stack.callback(mutter.close)
        stack.callback(saver.close)
        nowhere = f"unix:path={tmp}/no-bus"
        runs = {
            "no bus (reference)": nowhere,
            "Mutter watches": mutter_bus,
            "ScreenSaver polled": saver_bus,
        }
        apps: dict[str, tuple[int, int]] = {}
        for label, address in runs.items():
            home = folder / label.split()[0]
            env = env_for(str(home))
            env.update(
                DBUS_SESSION_BUS_ADDRESS=address,
                DBUS_SYSTEM_BUS_ADDRESS=nowhere,
                XDG_RUNTIME_DIR=str(home),
                DISPLAY="",
            )
            db = ready_database(str(home / "idle.db"), env)
            pid, fd = pty.fork()
            if pid == 0:
                os.execvpe(PYTHON, upright(db), env)
            apps[label] = (pid, fd)
        fds = [fd for _, fd in apps.values()]
        try:
            drain(fds, 8)  # start-up and the first-minute settling are not idle
            before = {label: cpu_seconds(pid) for label, (pid, _) in apps.items()}
            wall_before = time.monotonic()
            drain(fds, seconds)
            wall = time.monotonic() - wall_before
            print(f"\nReal apps open {wall:.0f} s side by side, the timer running:")
            reference = None
            for label, (pid, _) in apps.items():
                cpu = cpu_seconds(pid) - before[label]
                reference = reference or cpu
                print(
                    f"  {label:20} CPU {cpu:.2f} s = {100 * cpu / wall:.2f}% of one core "
                    f"(goal < 0.5%), {cpu / reference:.2f}x the reference; "
                    f"RSS {rss_mb(pid):.1f} MB (goal < 90 MB)"
                )
            print(
                f"  Mutter asked {len(mutter.called('GetIdletime'))} time(s); "
                f"ScreenSaver {len(saver.called('GetSessionIdleTime'))} time(s)"
            )
        finally:
            for pid, _ in apps.values():
                os.kill(pid, signal.SIGTERM)
            drain(fds, 2)
            for pid, fd in apps.values():
                os.waitpid(pid, 0)
                os.close(fd)


class FastClock:
    """Wall and monotonic clocks that advance only when told."""

    def __init__(self) -> None:
        self.wall = datetime(2026, 11, 24, 9, 0).astimezone()
        self.mono = 1000.0

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


async def simulated_day(hours: float) -> None:
    from tui import gc_pause
    from tui.app import UprightApp

    # As `upright` runs it: the collector paused while starting, then tuned for a long run.
    gc_pause.pause()
    with tempfile.TemporaryDirectory() as tmp:
        clock = FastClock()
        app = UprightApp(
            db_path=Path(tmp) / "day.db",
            config_path=Path(tmp) / "none.toml",
            clock=clock,
            idle_source=None,
            desktop_notifications=False,
        )
        samples: list[tuple[float, float]] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await app.data_ready.wait()
            await pilot.press("escape")
            for timer in list(app._timers):
                timer.pause()  # the fake clock drives the ticks below
            ticks = int(hours * 3600)
            for second in range(ticks):
                clock.advance(1)
                app.tick()
                if second % 2400 == 0:  # stand up now and then: spells get written
                    app.action_stand_up()
                    clock.advance(240)
                    app.action_back_from_break()
                if second % 600 == 0:
                    await pilot.pause()
                    samples.append((second / 3600, rss_mb(os.getpid())))
            await pilot.pause()
            samples.append((hours, rss_mb(os.getpid())))
            for timer in list(app._timers):
                timer.resume()
        print(f"\nSimulated {hours:g} h day ({ticks} ticks), RSS of the process (MB):")
        first_hour = [mb for h, mb in samples if h <= 1]
        print("  " + "  ".join(f"{h:.0f}h:{mb:.1f}" for h, mb in samples[::6]))
        print(
            f"  after hour 1: {max(first_hour):.1f} MB; at the end: {samples[-1][1]:.1f} MB; "
            f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--day-hours", type=float, default=8)
    args = parser.parse_args()
    real_apps(args.seconds)
    asyncio.run(simulated_day(args.day_hours))


if __name__ == "__main__":
    main()
