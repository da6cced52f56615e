"""The app's door to the store: every call runs in a worker thread, results come back as data.

Nothing here blocks the event loop. Reads and writes each have one thread of
their own, so a write stuck behind another program's lock never holds up a
read, and writes are applied in the order they were made. A write that finds
the database locked is tried again until `WRITE_PATIENCE` has passed; any
other failure (a full disk, a read-only file) is final at once. Either way the
caller's `failed` callback gets a one-line message, on the event loop.

No Textual import: the app passes in a function that runs a callback on its loop.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from store.errors import StoreError

if TYPE_CHECKING:
    from store.queries import Store

T = TypeVar("T")
# How long a write keeps trying while another program holds the write lock.
WRITE_PATIENCE = 60.0
# How often a write that found the disk full is tried again (until there is room).
FULL_DISK_RETRY = 5.0

Deliver = Callable[[Callable[[], None]], None]
Failed = Callable[[str], None]


def _sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code behind `error`, if SQLite raised it."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, sqlite3.Error):
            return int(getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF
        cause = cause.__cause__ or cause.__context__
    return None


def is_locked(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is SQLite's "database is locked" or "busy"."""
    return _sqlite_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def is_full(error: BaseException) -> bool:
    """Whether `error` is SQLite's "database or disk is full"."""
    return _sqlite_code(error) == sqlite3.SQLITE_FULL


def _message(error: BaseException) -> str:
    """One line for the user: a StoreError's own words, else the error's class and text."""
    text = str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
    return text.splitlines()[0] if text else type(error).__name__


class Database:
    """Runs store calls off the event loop. Calls made before the store is open wait for it."""

    def __init__(
        self,
        deliver: Deliver,
        *,
        write_patience: float = WRITE_PATIENCE,
        full_disk_retry: float = FULL_DISK_RETRY,
        warn: Failed | None = None,
    ) -> None:
        self._deliver = deliver
        # Told (on the event loop) what went wrong beside a write that was stored:
        # the day's backup that could not be made.
        self._warn = warn
        self._store: Store | None = None
        self._opened = threading.Event()
        self._reads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upright-read")
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upright-write")
        self._write_patience = write_patience
        self._pending_writes = 0
        self._pending_reads = 0
        self._lock = threading.Lock()
        self._full_disk_retry = full_disk_retry
        # When the write now running started (monotonic), None between writes.
        self._write_started: float | None = None
        # Why the write now running is waiting: "locked" or "full"; None when it is not.
        self.waiting_because: str | None = None
        self._closing = threading.Event()
        # Changes given up when the app closed while the disk was still full.
        self.lost: list[str] = []

    def opened(self, store: Store) -> None:
        """The start-up worker opened the store: calls waiting for it go ahead."""
        self._store = store
        self._opened.set()

    @property
    def pending_writes(self) -> int:
        """Writes submitted and not yet finished (stored or failed)."""
        return self._pending_writes

    @property
    def idle(self) -> bool:
        """No read or write is waiting or running (their results have been handed back)."""
        return self._pending_reads == 0 and self._pending_writes == 0

    def write_waiting_for(self) -> float:
        """Seconds the write now running has waited so far (0 when none is running)."""
        started = self._write_started
        return 0.0 if started is None else max(0.0, time.monotonic() - started)

    def _wait_for_store(self) -> Store:
        self._opened.wait()
        assert self._store is not None
        return self._store

    def read(
        self, call: Callable[[Store], T], done: Callable[[T], None], failed: Failed | None = None
    ) -> Future[None]:
        """Run `call(store)` in the read thread; `done(result)` then runs on the event loop."""
        with self._lock:
            self._pending_reads += 1
        return self._reads.submit(self._run, call, done, failed, False)

    def write(
        self,
        call: Callable[[Store], T],
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
    ) -> Future[None]:
        """Run `call(store)` in the write thread, in order; `done` or `failed` on the loop."""
        with self._lock:
            self._pending_writes += 1
        return self._writes.submit(self._run, call, done, failed, True)

    def _run(
        self,
        call: Callable[[Store], T],
        done: Callable[[T], None] | None,
        failed: Failed | None,
        is_write: bool,
    ) -> None:
        try:
            result = self._attempt(call, is_write)
        except Exception as exc:  # every failure reaches the user as one line
            if failed is not None:
                message = _message(exc)
                self._deliver(lambda: failed(message))
        else:
            if done is not None:
                self._deliver(lambda: done(result))
        finally:
            with self._lock:
                if is_write:
                    self._pending_writes -= 1
                else:
                    self._pending_reads -= 1

    def _attempt(self, call: Callable[[Store], T], is_write: bool) -> T:
        store = self._wait_for_store()
        if not is_write:
            return call(store)
        started = self._write_started = time.monotonic()
        try:
            while True:
                try:
                    result = call(store)
                except StoreError as exc:
                    # A full disk keeps the change waiting until there is room (or the app
                    # closes); a lock, until WRITE_PATIENCE; anything else fails at once.
                    if is_full(exc) and not self._closing.is_set():
                        self.waiting_because = "full"
                        self._closing.wait(self._full_disk_retry)
                        continue
                    if is_full(exc):
                        self.lost.append(_message(exc))
                        raise
                    if not is_locked(exc) or time.monotonic() - started >= self._write_patience:
                        raise
                    self.waiting_because = "locked"
                    time.sleep(0.05)
                else:
                    self._tell_backup_problems(store)
                    return result
        finally:
            self._write_started = None
            self.waiting_because = None

    def _tell_backup_problems(self, store: Store) -> None:
        warn = self._warn
        if warn is not None:
            for problem in store.backups.take_problems():
                self._deliver(functools.partial(warn, problem))

    def close(self) -> None:
        """Finish the writes already made (each within its patience), then stop the threads.

        A write waiting for room on a full disk is tried once more and then given up
        (and listed in `lost`): quitting must not hang.
        """
        self._closing.set()
        self._opened.set()  # a call still waiting for a store that never opened ends now
        self._writes.shutdown(wait=True)
        self._reads.shutdown(wait=False, cancel_futures=True)
