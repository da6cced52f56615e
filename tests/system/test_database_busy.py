"""The real app in a pseudo-terminal while the database is locked by another program or
stops taking writes: the screen never freezes and no change is lost in silence."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers.ptyapp import READY_TEXT, PtyApp

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("ptys and chattr", allow_module_level=True)

LOCK_SECONDS = 20
# The first habit of the small catalog, as its checklist row reads.
FIRST_HABIT = "Stand up"
LOCK_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
print("released", flush=True)
"""


def _row(screen: str) -> str:
    """The checklist row of the first habit as the terminal shows it now."""
    return next((line for line in screen.splitlines() if FIRST_HABIT in line and "[" in line), "")


def _check_ins(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return list(conn.execute("SELECT habit_id, status FROM check_in"))
    finally:
        conn.close()


def _wait_stored(db: Path, timeout: float) -> None:
    """Until the tick of the first habit is in the database."""
    deadline = time.monotonic() + timeout
    while _check_ins(db) != [("stand-up", "done")]:
        assert time.monotonic() < deadline, _check_ins(db)
        time.sleep(0.1)


@contextmanager
def _ready_app(tmp_path: Path) -> Iterator[PtyApp]:
    app = PtyApp(tmp_path)
    try:
        app.wait_for_text(READY_TEXT)
        app.type(b"\x1b")  # close the first-run safety note
        app.wait_for_screen(
            lambda s: "[ ]" in _row(s) and "Before you start" not in s, "the checklist"
        )
        yield app
    finally:
        app.stop()


def test_a_tick_shows_at_once_while_another_program_holds_the_write_lock(tmp_path: Path) -> None:
    with _ready_app(tmp_path) as app:
        holder = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(app.db), str(LOCK_SECONDS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
            locked_at = time.monotonic()
            app.type(b" ")
            took = app.wait_for_screen(lambda s: "[✔]" in _row(s), "the tick", timeout=1)
            assert took < 1
            # The 1-second tick goes on: it notices the write waiting and says so...
            app.wait_for_screen(
                lambda s: "locked by another program" in s, "the waiting notice", timeout=10
            )
            # ...and the timer panel answers keys: `u` starts a break, `b` ends it.
            app.type(b"u")
            app.wait_for_screen(lambda s: "On a break" in s, "the break", timeout=2)
            app.type(b"b")
            app.wait_for_screen(
                lambda s: "Sitting" in s and "On a break" not in s, "sitting again", timeout=2
            )
            assert holder.poll() is None, "the lock was released too early for this test"
            assert _check_ins(app.db) == []  # not stored yet: the lock is still held
            assert time.monotonic() - locked_at < LOCK_SECONDS
            assert holder.wait(timeout=LOCK_SECONDS + 10) == 0
        finally:
            if holder.poll() is None:
                holder.kill()
        # Once the lock is gone the tick is stored, and the row still shows it.
        _wait_stored(app.db, timeout=20)
        assert "[✔]" in _row(app.screen_now())
        assert "Not saved" not in app.screen_now()
        app.type(b"q")
        assert app.proc.wait(timeout=15) == 0


def _chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True, capture_output=True)


def test_a_write_that_fails_for_good_reverts_the_row_and_says_so(tmp_path: Path) -> None:
    """The database file and its WAL made immutable mid-session (root's read-only: chmod
    would not stop root, nor an open file): the tick shows, fails, and is taken back."""
    with _ready_app(tmp_path) as app:
        files = [app.db, Path(f"{app.db}-wal")]
        _chattr("+i", *files)
        try:
            app.type(b" ")
            app.wait_for_screen(lambda s: "Not saved" in s, "the error line", timeout=20)
            app.wait_for_screen(lambda s: "[ ]" in _row(s), "the row taken back", timeout=5)
            screen = app.screen_now()
            error = next(line for line in screen.splitlines() if "Not saved" in line)
            assert "Traceback" not in screen
            assert app.proc.poll() is None  # the app keeps running
        finally:
            _chattr("-i", *files)
        assert _check_ins(app.db) == []
        assert "disk I/O error" in screen or "readonly" in screen or "read-only" in screen, error
        # Writable again: the same key now ticks and stores.
        app.type(b" ")
        app.wait_for_screen(lambda s: "[✔]" in _row(s), "the tick", timeout=5)
        _wait_stored(app.db, timeout=20)
        app.type(b"q")
        assert app.proc.wait(timeout=15) == 0


@contextmanager
def _small_tmpfs(folder: Path, size: str = "2m") -> Iterator[Path]:
    """A real tmpfs of `size` at `folder` (the machines run these tests as root)."""
    folder.mkdir(parents=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        check=True,
        capture_output=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def _fill(folder: Path) -> Path:
    """Write a file until the filesystem has no room left."""
    filler = folder / "filler"
    # Unbuffered: a buffered file would try the last partial chunk again on close and raise.
    with open(filler, "wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_keeps_the_change_on_screen_and_saves_it_when_there_is_room(
    tmp_path: Path,
) -> None:
    with _small_tmpfs(tmp_path / "data") as data, _ready_app(tmp_path) as app:
        filler = _fill(data)
        app.type(b" ")
        app.wait_for_screen(lambda s: "[✔]" in _row(s), "the tick", timeout=2)
        app.wait_for_screen(lambda s: "disk is full" in s, "the full-disk notice", timeout=15)
        # Still shown, not stored, and the app runs on (its timer panel answers keys).
        assert "[✔]" in _row(app.screen_now())
        assert _check_ins(app.db) == []
        app.type(b"u")
        app.wait_for_screen(lambda s: "On a break" in s, "the break", timeout=5)
        assert app.proc.poll() is None
        filler.unlink()
        _wait_stored(app.db, timeout=30)
        assert "[✔]" in _row(app.screen_now())
        app.type(b"q")
        assert app.proc.wait(timeout=15) == 0


def test_the_dashboard_opens_a_read_only_database_and_refuses_changes_in_one_line(
    tmp_path: Path,
) -> None:
    with _ready_app(tmp_path) as first:  # a database as an earlier run left it
        first.type(b"q")
        assert first.proc.wait(timeout=15) == 0
    folder = tmp_path / "data"
    _chattr("+i", folder / "upright.db", folder)
    app = PtyApp(tmp_path)  # the safety note was seen in the first run
    try:
        app.wait_for_screen(lambda s: "[ ]" in _row(s), "the checklist")
        app.wait_for_screen(lambda s: "Read-only" in s, "the read-only notice", timeout=10)
        app.type(b" ")
        app.wait_for_screen(lambda s: "Not saved" in s, "the refusal", timeout=10)
        app.wait_for_screen(lambda s: "[ ]" in _row(s), "the row as stored", timeout=5)
        assert "read-only" in app.screen_now()
        app.type(b"t")  # Trends work
        app.wait_for_screen(lambda s: "Weekly" in s and "Daily" in s, "Trends", timeout=10)
        assert "Traceback" not in app.screen_now()
        app.type(b"\x1b")
        app.wait_for_screen(lambda s: "Progress" in s, "Today again", timeout=10)
        app.type(b"q")
        assert app.proc.wait(timeout=15) == 0
    finally:
        app.stop()
        _chattr("-i", folder / "upright.db", folder)
    assert _check_ins(folder / "upright.db") == []
