"""tui.database.Database with a real SQLite store: threads, order, waiting, locks, failures.

No Textual: `deliver` (the app's "run this on the event loop") only records
the callbacks; the test runs them itself, from its own thread, once the
Future the call returned is done.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.errors import StoreError
from store.queries import Store
from tests.conftest import SYNC_DAY
from tui.database import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Seconds a single attempt waits on another connection's lock before it fails.
SHORT_BUSY = 0.1


class Delivered:
    """The `deliver` the app gives Database: here it keeps the callbacks for the test."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self.done: list[object] = []
        self.failed: list[str] = []

    def __call__(self, callback: Callable[[], None]) -> None:
        with self._lock:
            self._callbacks.append(callback)

    def run(self, future: Future[None], timeout: float = 10) -> None:
        """Wait for `future`, then run what was delivered so far, here."""
        future.result(timeout)
        with self._lock:
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def on_done(self, result: object) -> None:
        self.done.append(result)

    def on_failed(self, message: str) -> None:
        self.failed.append(message)


@pytest.fixture
def delivered() -> Delivered:
    return Delivered()


@pytest.fixture
def database(delivered: Delivered, store: Store) -> Iterator[Database]:
    database = Database(delivered)
    database.opened(store)
    yield database
    database.close()


@pytest.fixture
def short_busy_store(store: Store) -> Iterator[Store]:
    """A second Store on the same (synced) file whose writes give up on a lock quickly."""
    quick = Store.open(store.path, busy_timeout=SHORT_BUSY)
    yield quick
    quick.engine.dispose()


@pytest.fixture
def holder(store: Store) -> Iterator[sqlite3.Connection]:
    """Another program's connection, ready to take the write lock."""
    connection = sqlite3.connect(store.path, isolation_level=None, timeout=5)
    yield connection
    if connection.in_transaction:
        connection.execute("ROLLBACK")
    connection.close()


def pain_scores(path: Path) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT score FROM pain_entry ORDER BY id")]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_reads_and_writes_run_off_the_calling_thread_and_writes_in_order(
    database: Database, delivered: Delivered, store: Store
) -> None:
    caller = threading.get_ident()
    write_threads: list[int] = []
    written: list[int] = []

    def add(score: int) -> Callable[[Store], int]:
        def call(s: Store) -> int:
            write_threads.append(threading.get_ident())
            s.add_pain(score, NOW, SYNC_DAY)
            written.append(score)
            return score

        return call

    futures = [
        database.write(add(score), delivered.on_done, delivered.on_failed) for score in range(8)
    ]
    read_threads: list[int] = []
    read = database.read(
        lambda s: read_threads.append(threading.get_ident()),
        lambda _none: None,
        delivered.on_failed,
    )
    for future in futures:
        delivered.run(future)
    assert delivered.done == list(range(8))  # done callbacks in submission order too
    assert written == pain_scores(store.path) == list(range(8))
    assert caller not in write_threads
    assert len(set(write_threads)) == 1  # one write thread: nothing overtakes

    delivered.run(read)
    [read_thread] = read_threads
    assert read_thread != caller
    assert read_thread not in write_threads  # a read never waits behind a write
    assert delivered.failed == []
    assert database.idle


def test_callbacks_are_handed_to_deliver_not_run_in_the_worker(
    database: Database, delivered: Delivered
) -> None:
    future = database.read(lambda s: s.get_setting("nothing"), delivered.on_done)
    future.result(10)
    assert delivered.done == []  # not yet: the app runs it on its event loop
    delivered.run(future)
    assert delivered.done == [None]


def test_a_call_made_before_the_store_opens_waits_for_it(
    delivered: Delivered, store: Store
) -> None:
    database = Database(delivered)
    try:
        write = database.write(
            lambda s: s.add_pain(3, NOW, SYNC_DAY).score, delivered.on_done, delivered.on_failed
        )
        counted: list[int] = []
        read = database.read(lambda s: len(s.pain_on(SYNC_DAY)), counted.append)
        time.sleep(0.2)
        assert not write.done() and not read.done()
        assert database.pending_writes == 1
        assert not database.idle

        database.opened(store)
        delivered.run(write)
        delivered.run(read)
        assert delivered.done == [3]
        assert counted in ([0], [1])  # the read may run before or after the write
        assert pain_scores(store.path) == [3]
        assert delivered.failed == []
        assert database.idle
    finally:
        database.close()


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            StoreError("database /x/upright.db: database or disk is full\nmore detail"),
            "database /x/upright.db: database or disk is full",
        ),
        (ValueError("bad value"), "ValueError: bad value"),
    ],
)
def test_a_write_failing_for_another_reason_than_a_lock_fails_at_once_in_one_line(
    delivered: Delivered, store: Store, error: Exception, message: str
) -> None:
    database = Database(delivered, write_patience=30)
    database.opened(store)
    calls = 0

    def broken(_store: Store) -> None:
        nonlocal calls
        calls += 1
        raise error

    try:
        started = time.monotonic()
        delivered.run(database.write(broken, delivered.on_done, delivered.on_failed))
        assert time.monotonic() - started < 5
        assert calls == 1  # not retried
        assert delivered.failed == [message]
        assert delivered.done == []
        assert database.idle
        assert database.write_waiting_for() == 0
    finally:
        database.close()


def test_a_store_refusal_is_reported_and_not_retried(
    database: Database, delivered: Delivered, store: Store
) -> None:
    calls = 0

    def unknown_habit(s: Store) -> None:
        nonlocal calls
        calls += 1
        s.set_check_in("no-such-habit", SYNC_DAY, "done", NOW)

    delivered.run(database.write(unknown_habit, delivered.on_done, delivered.on_failed))
    assert calls == 1
    [message] = delivered.failed
    assert "unknown habit 'no-such-habit'" in message
    assert "\n" not in message


def test_a_locked_write_is_retried_until_the_lock_is_released(
    delivered: Delivered, short_busy_store: Store, holder: sqlite3.Connection
) -> None:
    database = Database(delivered, write_patience=30)
    database.opened(short_busy_store)
    attempts = 0

    def add(s: Store) -> int:
        nonlocal attempts
        attempts += 1
        return s.add_pain(5, NOW, SYNC_DAY).score

    try:
        holder.execute("BEGIN IMMEDIATE")
        future = database.write(add, delivered.on_done, delivered.on_failed)
        wait_until(lambda: attempts >= 3, "the write to try again")
        assert database.write_waiting_for() > 0
        assert database.pending_writes == 1
        assert not database.idle
        assert not future.done()

        holder.execute("ROLLBACK")
        delivered.run(future)
        assert delivered.done == [5]
        assert delivered.failed == []
        assert pain_scores(short_busy_store.path) == [5]
        assert database.write_waiting_for() == 0
        assert database.pending_writes == 0
        assert database.idle
    finally:
        database.close()


def test_a_lock_held_longer_than_the_patience_fails_the_write(
    delivered: Delivered, short_busy_store: Store, holder: sqlite3.Connection
) -> None:
    patience = 0.5
    database = Database(delivered, write_patience=patience)
    database.opened(short_busy_store)
    attempts = 0

    def add(s: Store) -> None:
        nonlocal attempts
        attempts += 1
        s.add_pain(5, NOW, SYNC_DAY)

    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        future = database.write(add, delivered.on_done, delivered.on_failed)
        wait_until(lambda: database.write_waiting_for() > 0, "the write to start")
        assert database.pending_writes == 1
        delivered.run(future)
        assert time.monotonic() - started >= patience
        assert attempts > 1
        [message] = delivered.failed
        assert "locked" in message
        assert "\n" not in message
        assert delivered.done == []
        assert database.idle
        assert database.write_waiting_for() == 0
    finally:
        holder.execute("ROLLBACK")
        database.close()
    assert pain_scores(short_busy_store.path) == []


def test_idle_is_false_while_anything_is_waiting_or_running(
    database: Database, delivered: Delivered
) -> None:
    assert database.idle
    release = threading.Event()
    write = database.write(lambda s: release.wait(10), delivered.on_done)
    read = database.read(lambda s: s.get_setting("x"), delivered.on_done)
    delivered.run(read)
    assert not database.idle  # the write still runs
    assert database.pending_writes == 1
    release.set()
    delivered.run(write)
    assert database.idle
    assert database.pending_writes == 0


def test_close_lets_a_pending_write_finish(delivered: Delivered, store: Store) -> None:
    database = Database(delivered)
    database.opened(store)
    started = threading.Event()

    def slow_add(s: Store) -> int:
        started.set()
        time.sleep(0.3)
        return s.add_pain(7, NOW, SYNC_DAY).score

    first = database.write(slow_add, delivered.on_done, delivered.on_failed)
    queued = database.write(
        lambda s: s.add_pain(8, NOW, SYNC_DAY).score, delivered.on_done, delivered.on_failed
    )
    assert started.wait(10)
    database.close()
    # Both finished before close() returned: the running one and the one queued behind it.
    assert first.done() and queued.done()
    assert pain_scores(store.path) == [7, 8]
    delivered.run(queued)
    assert delivered.done == [7, 8]
    assert database.idle


def _disk_full() -> StoreError:
    cause = sqlite3.OperationalError("database or disk is full")
    cause.sqlite_errorcode = sqlite3.SQLITE_FULL
    try:
        raise cause
    except sqlite3.OperationalError as exc:
        try:
            raise StoreError("database x.db: database or disk is full") from exc
        except StoreError as error:
            return error


def test_a_write_on_a_full_disk_waits_for_room_then_is_stored(
    delivered: Delivered, store: Store
) -> None:
    database = Database(delivered, full_disk_retry=0.01)
    database.opened(store)
    attempts: list[int] = []

    def write(store: Store) -> str:
        attempts.append(1)
        if len(attempts) < 4:  # the disk is full three times, then there is room
            raise _disk_full()
        return "stored"

    future = database.write(write, delivered.on_done, delivered.on_failed)
    delivered.run(future)
    assert (len(attempts), delivered.done, delivered.failed) == (4, ["stored"], [])
    assert database.lost == []
    database.close()


def test_closing_gives_up_a_write_still_waiting_for_room_and_lists_it(
    delivered: Delivered, store: Store
) -> None:
    database = Database(delivered, full_disk_retry=0.01)
    database.opened(store)
    started = threading.Event()

    def write(store: Store) -> None:
        started.set()
        raise _disk_full()

    future = database.write(write, delivered.on_done, delivered.on_failed)
    assert started.wait(5)
    deadline = time.monotonic() + 5
    while database.waiting_because != "full":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    database.close()  # returns: quitting never hangs on a full disk
    delivered.run(future)
    assert delivered.failed == ["database x.db: database or disk is full"]
    assert database.lost == ["database x.db: database or disk is full"]
