"""Shared helpers for the bench scripts: run in a pseudo-terminal, take medians, print tables."""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable


def upright(db: str | os.PathLike[str], *args: str) -> list[str]:
    """The command line that runs `upright --db DB ARGS...` from this checkout."""
    return [PYTHON, "-m", "tui", "--db", os.fspath(db), *args]


def env_for(tmp: str) -> dict[str, str]:
    """An environment with private config/data folders and a capable terminal."""
    env = dict(os.environ)
    # An installed upright has compiled .pyc files, like sqlmodel: let the checkout's be written.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "TERM": "xterm-256color",
            "COLUMNS": "120",
            "LINES": "40",
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "PYTHONPATH": ROOT + os.pathsep + env.get("PYTHONPATH", ""),
        }
    )
    return env


def ready_database(path: str, env: dict[str, str]) -> str:
    """A database as a returning user has it: catalog synced, safety note already seen.

    Done through the command line and a short child process, so the bench
    process itself never imports the store before it measures.
    """
    subprocess.run(upright(path, "today"), env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [
            PYTHON,
            "-c",
            (
                "from pathlib import Path; from store.queries import Store;"
                " from tui.app import SAFETY_SEEN;"
                f"Store.open(Path({path!r})).set_setting(SAFETY_SEEN, 'bench')"
            ),
        ],
        env=env,
        check=True,
    )
    return path


def time_until_output(
    argv: Sequence[str], needle: bytes, env: dict[str, str], timeout: float = 30.0
) -> float:
    """Seconds from spawning `argv` in a pty until `needle` appears in what it paints."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], list(argv), env)
    seen = b""
    try:
        while True:
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{needle!r} not seen from {argv}")
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    raise RuntimeError(
                        f"{argv} exited before painting {needle!r}: {seen[-300:]!r}"
                    ) from None
                seen += chunk
                # Textual paints with escape codes between words; strip them for matching.
                if needle in _plain(seen):
                    return time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def _plain(data: bytes) -> bytes:
    import re

    return re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", data)


def time_command(argv: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def alternate(measures: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Run each measurement `runs` times, alternating, so machine noise hits all alike."""
    results: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            results[name].append(measure())
    return results


def print_table(
    title: str,
    results: dict[str, list[float]],
    reference: str | None = None,
    unit: str = "ms",
    scale: float = 1000.0,
) -> None:
    print(f"\n{title}")
    ref = statistics.median(results[reference]) if reference else None
    print(f"  {'measure':<44}{'median':>10}{'min':>10}{'ratio':>8}")
    for name, values in results.items():
        median = statistics.median(values)
        ratio = f"{median / ref:.2f}x" if ref else ""
        print(
            f"  {name:<44}{median * scale:>8.1f}{unit:>2}{min(values) * scale:>8.1f}{unit:>2}"
            f"{ratio:>8}"
        )
