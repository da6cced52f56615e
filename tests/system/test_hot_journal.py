"""A process killed in the middle of a write in rollback-journal mode (as when a new
database is switched to WAL) leaves a hot journal beside the file. SQLite rolls it
back on the next read, which a read-only connection may not do: upright's read-only
probe of an existing file must not then refuse the database as "damaged" for good."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from store.queries import Store

KILLED_MID_WRITE = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE setting SET value = 'half-written' WHERE key = 'k'")
conn.execute("CREATE TABLE big (x)")
conn.executemany("INSERT INTO big VALUES (?)", [("x" * 500,) for _ in range(4000)])
os.kill(os.getpid(), signal.SIGKILL)  # before COMMIT: the journal is hot
"""


def test_a_hot_journal_left_by_a_killed_writer_is_rolled_back_on_open(tmp_path: Path) -> None:
    path = tmp_path / "data" / "upright.db"
    store = Store.open(path)
    store.set_setting("k", "stored")
    store.engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    child = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(path)], check=False)
    assert child.returncode == -9
    journal = Path(f"{path}-journal")
    assert journal.exists() and journal.stat().st_size > 0, "no hot journal was left"

    store = Store.open(path)  # was: "is not an upright database or is damaged (read-only …)"
    try:
        assert store.read_only is None
        assert store.get_setting("k") == "stored"  # the killed write was rolled back
        store.set_setting("after", datetime(2026, 12, 2, tzinfo=UTC).isoformat())
    finally:
        store.engine.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "big" not in tables
    assert not os.path.exists(journal) or journal.stat().st_size == 0
