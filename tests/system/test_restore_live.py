"""`upright restore` while the real dashboard runs on the same database (in a pty), and
while another program holds the write lock: neither corrupts the other, and the
dashboard keeps working on the restored data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.ptyapp import CATALOG, READY_TEXT, PtyApp

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("ptys", allow_module_level=True)

FIRST, SECOND = "Stand up every 30", "Sit on a firm chair"
LOCK_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO setting (key, value) VALUES ('holder', 'was here')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _upright(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), "--catalog", str(CATALOG), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _row(screen: str, name: str) -> str:
    return next((line for line in screen.splitlines() if name in line and "[" in line), "")


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def _wait_rows(db: Path, sql: str, want: list[tuple[object, ...]], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while (got := _rows(db, sql)) != want:
        assert time.monotonic() < deadline, got
        time.sleep(0.1)


CHECK_INS = "SELECT habit_id, status FROM check_in ORDER BY habit_id"
PAIN = "SELECT score, note FROM pain_entry ORDER BY id"


def test_restore_while_the_dashboard_runs(tmp_path: Path) -> None:
    app = PtyApp(tmp_path)
    snapshot = tmp_path / "snapshot.db"
    try:
        app.wait_for_text(READY_TEXT)
        app.type(b"\x1b")  # the first-run safety note
        app.wait_for_screen(lambda s: "[ ]" in _row(s, FIRST), "the checklist")
        app.type(b" ")  # tick the first habit
        _wait_rows(app.db, CHECK_INS, [("stand-up", "done")])
        assert _upright(app.db, "pain", "3", "--note", "in the backup").returncode == 0
        made = _upright(app.db, "backup", str(snapshot))
        assert made.returncode == 0, made.stderr

        # After the backup: the tick undone and another pain entry, from the shell.
        assert _upright(app.db, "undo", "stand-up").returncode == 0
        assert _upright(app.db, "pain", "8", "--note", "after the backup").returncode == 0
        app.wait_for_screen(lambda s: "[ ]" in _row(s, FIRST), "the shell's undo")

        restored = _upright(app.db, "restore", str(snapshot))
        assert restored.returncode == 0, restored.stderr
        # The dashboard re-reads: the tick of the backup is back on screen.
        app.wait_for_screen(lambda s: "[✔]" in _row(s, FIRST), "the restored tick")

        # And it keeps writing: a tick of the second habit after the restore is stored.
        app.type(b"\x1b[B")  # down
        app.type(b" ")
        app.wait_for_screen(lambda s: "[✔]" in _row(s, SECOND), "the new tick")
        _wait_rows(app.db, CHECK_INS, [("firm-chair", "done"), ("stand-up", "done")])
        app.type(b"q")
        app.proc.wait(timeout=20)
    finally:
        app.stop()
    assert _rows(app.db, "PRAGMA integrity_check") == [("ok",)]
    # The restored data plus that later tick, nothing of what came after the backup.
    assert _rows(app.db, PAIN) == [(3, "in the backup")]
    assert _rows(app.db, CHECK_INS) == [("firm-chair", "done"), ("stand-up", "done")]
    # Every spell the dashboard kept (it saves the open one as it goes) is whole.
    assert all(start and end for start, end, _ in app.spells())


def test_restore_waits_for_another_programs_write_lock(tmp_path: Path) -> None:
    db = tmp_path / "data" / "upright.db"
    assert _upright(db, "pain", "2", "--note", "old").returncode == 0
    snapshot = tmp_path / "snapshot.db"
    assert _upright(db, "backup", str(snapshot)).returncode == 0
    assert _upright(db, "pain", "9", "--note", "new").returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db), "2"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        restored = _upright(db, "restore", str(snapshot))
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert restored.returncode == 0, restored.stderr
    assert waited > 1.0  # it waited for the lock instead of failing or writing through it
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    # The holder committed first; the restore then put back the backup's data whole.
    assert _rows(db, PAIN) == [(2, "old")]
    assert _rows(db, "SELECT value FROM setting WHERE key = 'holder'") == []
