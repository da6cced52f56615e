"""Where the database lives, how it is opened, and how its schema is brought up to date.

Every connection gets the same pragmas (WAL, foreign keys, a busy timeout),
and every write transaction starts with BEGIN IMMEDIATE, so the app and a
command-line call can write at the same moment without "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from store.errors import StoreError
from store.migrations import MIGRATIONS, SCHEMA_VERSION

APP_NAME = "upright"
DB_ENV_VAR = "UPRIGHT_DB"
BUSY_TIMEOUT_MS = 15_000


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


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level: we issue BEGIN ourselves (see _begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit that returned survives a crash of the process or the machine.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, so a read-then-write transaction
    # waits on busy_timeout instead of failing with "database is locked".
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    """An engine for `path` with upright's pragmas on every connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        # Pooled connections keep their pragmas: a keypress's write and re-read
        # then cost about a millisecond each instead of a fresh connect apiece.
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch a database to WAL. Two processes opening a new file at once can both
    try; SQLite then answers SQLITE_BUSY at once instead of waiting, so retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _migrate(path: Path) -> None:
    """Bring the schema at `path` to SCHEMA_VERSION in one transaction."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
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
            _set_wal(conn)
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


def open_engine(path: Path | None = None) -> Engine:
    """Open (creating if needed) the database and return an engine ready to use.

    Raises StoreError with a one-line message for anything a user can cause:
    a folder that cannot be created, a file that is not SQLite, a database
    from a newer upright, a read-only file that needs migrating.
    """
    path = (path or default_db_path()).expanduser()
    _ensure_private_file(path)
    _migrate(path)
    return make_engine(path)
