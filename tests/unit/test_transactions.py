"""Reads in deferred transactions, writes in IMMEDIATE ones, `Store.reading()` as one
snapshot, and the change counter: on real SQLite files, with a second connection
(or a second process) holding the write lock or committing in between."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from store.catalog import Catalog
from store.errors import StoreError
from store.queries import Store
from store.vocab import CheckInStatus

MON = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
# Small, so that a write refused for the lock fails the test quickly rather than in 15 s.
SHORT_BUSY_TIMEOUT = 0.2

# Holds the write lock, with a row written and not committed, until told to let go.
HOLD_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO pain_entry (at, date, score) "
             "VALUES ('2026-03-02 13:00:00', '2026-03-02', 9)")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
print("released", flush=True)
"""


@pytest.fixture
def quick_store(tmp_db_path: Path, small_catalog: Catalog) -> Iterator[Store]:
    """A synced store with a check-in and a pain score, whose writes wait 0.2 s for a lock."""
    opened = Store.open(tmp_db_path, busy_timeout=SHORT_BUSY_TIMEOUT)
    opened.sync_catalog(small_catalog, MON)
    opened.set_check_in("bird-dog", MON, CheckInStatus.DONE, NOW)
    opened.add_pain(3, NOW, MON)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def other_process_holds_the_write_lock(quick_store: Store) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(quick_store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)


def test_reads_go_on_while_another_process_holds_the_write_lock(
    quick_store: Store, other_process_holds_the_write_lock: subprocess.Popen[str]
) -> None:
    """The `upright done` of another process must not stall the app's reads (nor the
    reverse): in WAL mode a deferred read sees the last commit and waits for nothing.
    With every transaction BEGIN IMMEDIATE, each of these reads raised "database is
    locked" once the busy timeout ran out."""
    holder = other_process_holds_the_write_lock
    items = quick_store.today(MON)
    assert {item.id: item.status for item in items}["bird-dog"] == CheckInStatus.DONE
    stats = quick_store.stats(MON, weeks=1)
    assert stats.days[-1].pain == 3  # the uncommitted 9 is not seen
    exported = quick_store.export()
    assert [row["score"] for row in exported["pain_entry"]] == [3]
    with quick_store.reading():
        assert [entry.score for entry in quick_store.pain_on(MON)] == [3]
    # Still locked: the reads finished while the other process held the lock.
    assert holder.poll() is None
    # A write waits the busy timeout for the lock, then gives up with a one-line error.
    with pytest.raises(StoreError, match="database is locked"):
        quick_store.set_check_in("walk", MON, CheckInStatus.DONE, NOW)
    assert holder.poll() is None


def test_reading_is_one_snapshot(store: Store) -> None:
    """A commit by another connection between two reads in one `reading()` block is not
    seen by the second: the block is one transaction."""
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        with store.reading():
            assert store.pain_on(MON) == []
            assert store.export()["pain_entry"] == []
            other.execute(
                "INSERT INTO pain_entry (at, date, score) "
                "VALUES ('2026-03-02 13:00:00.000000', '2026-03-02', 6)"
            )
            assert store.pain_on(MON) == []
            assert store.stats(MON, weeks=1).days[-1].pain is None
            assert store.export()["pain_entry"] == []
        assert [entry.score for entry in store.pain_on(MON)] == [6]
    finally:
        other.close()


def test_reading_blocks_nest_and_stay_in_their_thread(store: Store) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    seen_elsewhere: list[int] = []
    try:
        with store.reading():
            assert store.pain_on(MON) == []
            with store.reading():
                other.execute(
                    "INSERT INTO pain_entry (at, date, score) "
                    "VALUES ('2026-03-02 13:00:00.000000', '2026-03-02', 6)"
                )
                assert store.pain_on(MON) == []
            assert store.pain_on(MON) == []  # the inner block did not end the transaction
            # Another thread's read is a transaction of its own: it sees the commit.
            worker = threading.Thread(
                target=lambda: seen_elsewhere.extend(e.score for e in store.pain_on(MON))
            )
            worker.start()
            worker.join()
        assert seen_elsewhere == [6]
    finally:
        other.close()


def test_a_write_inside_reading_is_refused_and_writes_nothing(store: Store) -> None:
    with store.reading(), pytest.raises(RuntimeError, match="reading"):
        store.set_check_in("bird-dog", MON, CheckInStatus.DONE, NOW)
    assert store.export()["check_in"] == []
    store.set_check_in("bird-dog", MON, CheckInStatus.DONE, NOW)  # outside it: fine
    assert len(store.export()["check_in"]) == 1


def test_reads_begin_deferred_and_writes_immediate(store: Store) -> None:
    begins: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.upper().startswith("BEGIN"):
            begins.append(statement.upper())

    event.listen(store.engine, "before_cursor_execute", seen)
    store.today(MON)
    assert begins == ["BEGIN"]
    begins.clear()
    with store.reading():
        store.today(MON)
        store.pain_on(MON)
        store.stats(MON, weeks=1)
    assert begins == ["BEGIN"]
    begins.clear()
    store.add_pain(2, NOW, MON)
    assert begins == ["BEGIN IMMEDIATE"]


# --- the change counter -------------------------------------------------------------------


def test_the_change_counter_moves_on_every_commit_and_only_then(store: Store) -> None:
    with store.change_counter() as counter:
        first = counter.current()
        assert counter.current() == first
        store.today(MON)
        store.export()
        assert counter.current() == first  # reads are not changes
        store.add_pain(4, NOW, MON)  # this store's own write
        second = counter.current()
        assert second != first
        other = sqlite3.connect(store.path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')")
            assert counter.current() == second  # not committed yet
            other.execute("COMMIT")
        finally:
            other.close()
        assert counter.current() != second  # another connection's (process's) commit
