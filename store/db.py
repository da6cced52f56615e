"""Where the database lives, how it is opened, and how its schema is brought up to date.

Every connection gets the same pragmas (WAL, foreign keys, a busy timeout).
A write transaction starts with BEGIN IMMEDIATE, so the app and a command-line
call can write at the same moment without "database is locked"; a read starts
with a plain (deferred) BEGIN on the engine `reader(engine)` returns, and in WAL
mode it never waits on a writer.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from store.errors import StoreError
from store.migrations import MIGRATIONS, SCHEMA_VERSION

APP_NAME = "upright"
DB_ENV_VAR = "UPRIGHT_DB"
# How long a write waits for another process's write to finish before giving up.
BUSY_TIMEOUT_S = 15.0
# The execution option that picks a transaction's BEGIN (see `_begin`).
_BEGIN_OPTION = "upright_begin"


def default_db_path() -> Path:
    """The database path: `$UPRIGHT_DB` if set, else upright.db in the user data dir."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME) / "upright.db"


def _ensure_private_file(path: Path) -> None:
    """Create the folder (0700) and the file (0600) before SQLite touches them.

    SQLite creates its -wal and -shm files with the database file's mode, so
    getting this one file right keeps all of them private.
    """
    folder = path.parent
    if not folder.exists():
        try:
            # exist_ok: another process (or thread) may create it at the same moment.
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data folder {folder}: {exc.strerror}") from exc
    if path.exists():
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file")
        _tighten(path)
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process created it a moment ago
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {exc.strerror}") from exc
    os.close(fd)


def _tighten(path: Path) -> None:
    """Take group and other permissions off an existing database and its -wal/-shm files.

    A file copied in or made by an older tool may be readable by others. When it is
    not ours to change (another owner, a read-only disk), it is used as it is.
    """
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = file.stat().st_mode
            if mode & 0o077:
                file.chmod(mode & 0o700)
        except OSError:
            continue


def _configurer(busy_timeout: float) -> Callable[[Any, Any], None]:
    def configure_connection(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: we issue BEGIN ourselves (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit that returned survives a crash of the process or the machine.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    return configure_connection


def _begin(connection: Any) -> None:
    # IMMEDIATE (the default) takes the write lock up front, so a read-then-write
    # transaction waits on busy_timeout instead of failing with "database is locked".
    # A reader's plain BEGIN takes no lock until it reads, and then only a WAL
    # snapshot: it never waits on a writer.
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
    connection.exec_driver_sql("BEGIN" if mode == "DEFERRED" else "BEGIN IMMEDIATE")


def make_engine(path: Path, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:
    """An engine for `path` with upright's pragmas on every connection.

    Its transactions begin IMMEDIATE (for writes); `reader(engine)` is the same
    pool with deferred transactions. `busy_timeout`: seconds a write waits for
    another process's write lock.
    """
    engine = create_engine(
        f"sqlite:///{path}",
        # Pooled connections keep their pragmas: a keypress's write and re-read
        # then cost about a millisecond each instead of a fresh connect apiece.
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        connect_args={"check_same_thread": False, "timeout": busy_timeout},
    )
    event.listen(engine, "connect", _configurer(busy_timeout))
    event.listen(engine, "begin", _begin)
    return engine


def reader(engine: Engine) -> Engine:
    """`engine` (same pool, pragmas and events) with deferred transactions: for reads."""
    return engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})


def _set_wal(conn: sqlite3.Connection, busy_timeout: float) -> None:
    """Switch a database to WAL. Two processes opening a new file at once can both
    try; SQLite then answers SQLITE_BUSY at once instead of waiting, so retry."""
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _migrate(path: Path, busy_timeout: float) -> None:
    """Bring the schema at `path` to SCHEMA_VERSION in one transaction."""
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    try:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not an upright database ({exc})") from exc
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer upright (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade upright, the file was left untouched"
            )
        if version == SCHEMA_VERSION:
            return
        try:
            _set_wal(conn, busy_timeout)
            conn.execute("BEGIN IMMEDIATE")
            # Re-read under the lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in MIGRATIONS[version:]:
                for statement in step:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot prepare database {path}: {exc}") from exc
    finally:
        conn.close()


def open_engine(path: Path | None = None, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:
    """Open (creating if needed) the database and return an engine ready to use.

    Raises StoreError with a one-line message for anything a user can cause:
    a folder that cannot be created, a file that is not SQLite, a database
    from a newer upright, a read-only file that needs migrating.
    """
    path = (path or default_db_path()).expanduser()
    _ensure_private_file(path)
    _migrate(path, busy_timeout)
    return make_engine(path, busy_timeout)


class ChangeCounter:
    """A number that changes whenever another connection commits to the database.

    `PRAGMA data_version` on a connection of its own that never writes: SQLite
    bumps it for a connection when any *other* connection (another process, or
    the store's own pool) commits. Cheaper than stat()ing the file and its -wal,
    and blind to a checkpoint or a rollback. One caller at a time; close it when done.
    """

    def __init__(self, path: Path) -> None:
        try:
            # check_same_thread=False: the app polls it from a worker thread.
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        self._path = path

    def current(self) -> int:
        """The counter now: compare it with an earlier value, never with a number."""
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise StoreError(f"database {self._path}: {exc}") from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ChangeCounter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
