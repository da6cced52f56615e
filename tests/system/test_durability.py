"""Durability: a command-line writer SIGKILLed at random moments loses no write it reported.

The writer (tests/helpers/cli_loop.py) calls `tui.cli.main` in a loop in one
process and prints "ok <op>" only after `main()` returned 0. Each round is a
new writer process, forked from a server that has done the imports once (so
thirty rounds fit in a few seconds); the test SIGKILLs it at a seeded random
moment (in its first write, which on a fresh database is the migration, or in
the middle of a run of writes), then checks that every write reported as done
is in the database and that SQLite finds no corruption.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent
DRIVER = HERE / "helpers" / "cli_loop.py"
CATALOG = HERE / "data" / "small.toml"
OPS_PER_ROUND = 1000  # more than a round ever gets through before it is killed
ROUNDS = 30


@dataclass
class Round:
    """What the killed writers said they started and finished."""

    started: list[str] = field(default_factory=list)
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    finished: bool = False


class ForkServer:
    """The driver in --fork-server mode: each round is a freshly forked writer process.

    A reader thread collects the shared stdout of the server and its children.
    """

    def __init__(self, db: Path) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(DRIVER),
                "--db",
                str(db),
                "--catalog",
                str(CATALOG),
                "--mode",
                "durable",
                "--count",
                str(OPS_PER_ROUND),
                "--fork-server",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for(lambda: "ready" in self.lines, "the fork server to start")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
        with self._changed:
            if not self._changed.wait_for(condition, timeout=timeout):
                raise AssertionError(f"timed out waiting for {what}; last lines: {self.lines[-5:]}")

    def oks(self) -> int:
        return sum(1 for line in self.lines if line.startswith("ok "))

    def start_round(self, start: int) -> int:
        """Fork a writer for ops start, start+1, ...; returns its pid."""
        seen = len(self.lines)
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"round {start}\n")
        self.proc.stdin.flush()
        pid_lines: list[str] = []

        def forked() -> bool:
            pid_lines[:] = [ln for ln in self.lines[seen:] if ln.startswith("pid ")]
            return bool(pid_lines)

        self.wait_for(forked, "the fork")
        return int(pid_lines[0].split()[1])

    def kill(self, pid: int) -> int:
        os.kill(pid, signal.SIGKILL)
        reaped: list[str] = []

        def gone() -> bool:
            reaped[:] = [ln for ln in self.lines if ln.startswith(f"reaped {pid} ")]
            return bool(reaped)

        self.wait_for(gone, f"writer {pid} to be reaped")
        return int(reaped[0].split()[2])

    def close(self) -> Round:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=10)
        assert self.proc.stderr is not None
        err = self.proc.stderr.read()
        self.proc.stderr.close()
        self.proc.stdout.close()  # type: ignore[union-attr]
        assert "Traceback" not in err, err
        result = Round()
        for line in self.lines:
            if line.startswith("start "):
                result.started.append(line.removeprefix("start "))
            elif line.startswith("ok "):
                result.succeeded.append(line.removeprefix("ok "))
            elif line.startswith("rc "):
                result.failed.append(line)
            elif line == "finished":
                result.finished = True
        return result


def _check_db(db: Path, rounds: list[Round]) -> None:
    started = {op for r in rounds for op in r.started}
    succeeded = [op for r in rounds for op in r.succeeded]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        notes: dict[str, int] = {}
        for (note,) in conn.execute("SELECT note FROM pain_entry"):
            notes[note] = notes.get(note, 0) + 1
        check_ins = {
            (habit, day): status
            for habit, day, status in conn.execute("SELECT habit_id, date, status FROM check_in")
        }
    finally:
        conn.close()

    missing: list[str] = []
    for op in succeeded:
        verb, *rest = op.split(" ")
        if verb == "pain":
            if notes.get(rest[0]) != 1:
                missing.append(f"{op}: {notes.get(rest[0], 0)} rows")
        elif verb in ("done", "skip"):
            habit, day = rest
            if verb == "done" and f"undo {habit} {day}" in started:
                continue  # the undo may have committed before the kill
            expected = "done" if verb == "done" else "skipped"
            if check_ins.get((habit, day)) != expected:
                missing.append(f"{op}: found {check_ins.get((habit, day))!r}")
        elif verb == "undo":
            habit, day = rest
            if (habit, day) in check_ins:
                missing.append(f"{op}: the check-in is still there")
        else:
            raise AssertionError(f"unexpected op {op!r}")
    assert not missing, f"{len(missing)} reported writes lost: {missing[:10]}"
    # Nothing appears that nobody asked for.
    assert set(notes) <= {op.split(" ")[1] for op in started if op.startswith("pain ")}


@pytest.mark.parametrize("seed", [5, 17])
def test_sigkilled_writer_loses_no_reported_write(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = tmp_path / "data" / "upright.db"  # the first writer also creates folder and schema
    server = ForkServer(db)
    try:
        for number in range(ROUNDS):
            before = server.oks()
            pid = server.start_round(number * OPS_PER_ROUND)
            if number == 0 or rng.random() < 0.25:
                # Within the first write or two (on a fresh database: the migration).
                time.sleep(rng.uniform(0.0, 0.03))
            else:

                def wrote_again(before: int = before) -> bool:
                    return server.oks() > before

                server.wait_for(wrote_again, "the writer's first write")
                time.sleep(rng.uniform(0.0, 0.25))
            status = server.kill(pid)
            assert os.WIFSIGNALED(status), "the writer ended before it was killed"
    finally:
        result = server.close()
    assert not result.finished, "a writer finished before it was killed: raise the count"
    assert not result.failed, result.failed[:5]
    assert len(result.succeeded) > 3 * ROUNDS, (
        f"only {len(result.succeeded)} writes got through: the test proves little"
    )
    _check_db(db, [result])

    # The database still works for a fresh process after all those kills.
    final = subprocess.run(
        [
            sys.executable,
            str(DRIVER),
            "--db",
            str(db),
            "--catalog",
            str(CATALOG),
            "--mode",
            "durable",
            "--start",
            str((ROUNDS + 1) * OPS_PER_ROUND),
            "--count",
            "6",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert final.returncode == 0, final.stdout + final.stderr
    last = Round(
        started=[ln[6:] for ln in final.stdout.splitlines() if ln.startswith("start ")],
        succeeded=[ln[3:] for ln in final.stdout.splitlines() if ln.startswith("ok ")],
    )
    assert len(last.succeeded) == 6
    _check_db(db, [result, last])
