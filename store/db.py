"""Where the database lives, how it is opened, and how its schema is brought up to date.

Every connection gets the same pragmas (WAL, foreign keys, a busy timeout).
A write transaction starts with BEGIN IMMEDIATE, so the app and a command-line
call can write at the same moment without "database is locked"; a read starts
with a plain (deferred) BEGIN on the engine `reader(engine)` returns, and in WAL
mode it never waits on a writer.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
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
# The execution option that marks a read-only engine (its URI).
_RO_OPTION = "upright_read_only"


def default_db_path() -> Path:
    """The database path: `$UPRIGHT_DB` if set, else upright.db in the user data dir."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME) / "upright.db"


# The tables every upright schema has had since its first step.
_UPRIGHT_TABLES = frozenset({"habit", "plan_period", "check_in", "pain_entry"})
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Opened:
    """An engine on a database that was checked before anything was written to it.

    `read_only`: None when writes are allowed, else why not (one phrase, e.g. "the
    file is read-only", "it is damaged ..."). `warnings`: one line each, to show.
    """

    engine: Engine
    read_only: str | None = None
    warnings: tuple[str, ...] = ()


def _refuse_foreign(file: Path, info: os.stat_result) -> None:
    """Refuse a file someone else could have planted or could change under us."""
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            f"{file} is not a regular file; upright opens only a database file"
        ) from None
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise StoreError(
            f"{file} belongs to another user (uid {info.st_uid}); upright opens only your own "
            "database, nothing was changed"
        )
    if info.st_mode & 0o022:
        raise StoreError(
            f"{file} is writable by other users (mode {stat.S_IMODE(info.st_mode):04o}); "
            "anyone could read or change your data through it, nothing was changed"
        )


def _companions(path: Path) -> list[tuple[Path, os.stat_result]]:
    """The -wal and -shm files that exist, each checked like the database itself."""
    found = []
    for file in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            info = os.lstat(file)  # a -wal or -shm is never a link: do not follow one
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(f"cannot open {file}: {exc.strerror}") from exc
        _refuse_foreign(file, info)
        found.append((file, info))
    return found


def _folder_warnings(folder: Path) -> tuple[str, ...]:
    try:
        mode = folder.stat().st_mode
    except OSError:
        return ()
    if mode & 0o002:
        return (
            f"warning: {folder} is writable by other users; keep your database in a private "
            "folder (upright refuses files others planted there, but cannot stop every trick)",
        )
    return ()


def _create_new(path: Path) -> bool:
    """Create the folder (0700) and an empty database file (0600), exclusively.

    SQLite creates its -wal and -shm files with the database file's mode, so getting
    this one file right keeps all of them private. False: it exists already.
    """
    folder = path.parent
    if not folder.exists():
        try:
            # exist_ok: another process (or thread) may create it at the same moment.
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data folder {folder}: {exc.strerror}") from exc
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _O_NOFOLLOW, 0o600)
    except FileExistsError:
        return False  # another process created it a moment ago (or a link is in the way)
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {_cause_of(exc)}") from exc
    os.close(fd)
    return True


_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _cause_of(exc: OSError) -> str:
    if exc.errno == errno.EROFS:
        return "read-only filesystem"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "disk full"
    return exc.strerror or str(exc)


def sqlite_cause(exc: sqlite3.Error, path: Path) -> str:
    """What a SQLite error means for the user, in a few words: read-only, permission
    denied, disk full, locked, damaged; else SQLite's own message."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_READONLY:
        return f"read-only ({exc})"
    if code == sqlite3.SQLITE_FULL:
        return f"disk full ({exc})"
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return f"locked by another program ({exc})"
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return f"damaged ({exc}); run `upright check`"
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        if not os.access(path, os.R_OK) or not os.access(path.parent, os.X_OK):
            return "permission denied"
        return f"cannot open it ({exc})"
    return str(exc)


def _read_only_reason(path: Path) -> str | None:
    """Why this process cannot write the database and its -wal/-shm, or None."""
    try:
        fs = os.statvfs(path)
        if fs.f_flag & os.ST_RDONLY:
            return "it is on a read-only filesystem"
        # Root may still write into the blocks kept back for it.
        if fs.f_bavail == 0 and (os.geteuid() != 0 or fs.f_bfree == 0):
            return "the disk is full"
    except (OSError, AttributeError):
        pass
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"its folder {path.parent} is read-only"
    return None


def _uri(path: Path, *, immutable: bool = False, mode: str = "ro") -> str:
    query = f"mode={mode}&immutable=1" if immutable else f"mode={mode}"
    return f"file:{urllib.parse.quote(str(path.absolute()))}?{query}"


def _needs_recovery(exc: sqlite3.Error) -> bool:
    """SQLITE_READONLY on a read: the -wal's index (-shm) must be rebuilt, which a
    read-only connection may not do (seen after a writer was killed mid-write)."""
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_READONLY


def _recover_index(path: Path, conn: sqlite3.Connection) -> None:
    """Let a read-write connection rebuild the -shm index, then start `conn`'s read.

    `conn` begins its read before the other connection closes, so that closing one
    cannot checkpoint: the file and its -wal stay exactly as they were.
    """
    rw = sqlite3.connect(_uri(path, mode="rw"), uri=True, isolation_level=None)
    try:
        rw.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # runs the recovery
        conn.execute("BEGIN")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    finally:
        rw.close()


def _probe(path: Path, ro_uri: str, check: bool, writable: bool) -> tuple[int, list[str]]:
    """user_version and quick_check's findings (empty: fine, or not asked), read-only.

    A read-only connection never checkpoints the -wal nor changes the file: SQLite
    may only build its -shm index. When it may not even do that (`_needs_recovery`)
    and the file is `writable`, a read-write connection rebuilds the index first.
    """
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header:
        return 0, []  # an empty file: one we just created (or a crash right after)
    if not header.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path} is not an upright database (not an SQLite file); left untouched")
    try:
        conn = sqlite3.connect(ro_uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {sqlite_cause(exc, path)}") from exc
    try:
        try:
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            except sqlite3.OperationalError as exc:
                if not (writable and _needs_recovery(exc)):
                    raise
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                _recover_index(path, conn)
            # One snapshot for both: another process may commit its first migration
            # (tables and version together) between two separate reads.
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{path} is not an upright database or is damaged ({sqlite_cause(exc, path)}); "
                "left untouched"
            ) from exc
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer upright (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade upright, the file was left untouched"
            )
        if (version == 0 and tables) or (version > 0 and not tables >= _UPRIGHT_TABLES):
            raise StoreError(
                f"{path} is an SQLite database of another program, not upright's; left untouched"
            )
        findings: list[str] = []
        if check and version > 0:
            try:
                findings = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
            except sqlite3.DatabaseError as exc:
                findings = [str(exc)]
            if findings == ["ok"]:
                findings = []
        return version, findings
    finally:
        conn.close()


def _tighten(files: list[tuple[Path, os.stat_result]]) -> None:
    """Take group and other read permission off our own, checked database files.

    A file copied in or made by an older tool may be readable by others.
    """
    for file, info in files:
        if info.st_mode & 0o077:
            try:
                file.chmod(stat.S_IMODE(info.st_mode) & 0o700)
            except OSError:
                continue


def open_database(
    path: Path | None = None,
    busy_timeout: float = BUSY_TIMEOUT_S,
    *,
    check: bool = False,
    create: bool = True,
) -> Opened:
    """Open (creating if needed and `create`) the database, checked before anything is written.

    A path that exists must be a regular file of this user's, not writable by others,
    and so must its -wal and -shm; it must be an upright database of a schema this
    build knows. Only then are its permissions tightened and its schema migrated.
    A file or folder this process cannot write is opened read-only, and so is a
    damaged one when `check` (PRAGMA quick_check) finds it so. Raises StoreError
    with a one-line message for anything a user can cause.
    """
    path = (path or default_db_path()).expanduser()
    warnings = _folder_warnings(path.parent) if path.parent.exists() else ()
    created = False
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if not create:
            raise StoreError(f"no database at {path}") from None
        created = _create_new(path)
        try:
            info = os.stat(path)
        except OSError as exc:  # O_EXCL found a link to nothing in the way
            raise StoreError(f"cannot open database {path}: {_cause_of(exc)}") from exc
    except OSError as exc:
        raise StoreError(f"cannot open database {path}: {_cause_of(exc)}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is a folder, not a database file")
    _refuse_foreign(path, info)
    companions = _companions(path)
    read_only = _read_only_reason(path)
    has_wal = any(f.name.endswith("-wal") and i.st_size for f, i in companions)
    # No -wal to read and no way to make a -shm (a read-only folder, a full disk;
    # one a full disk cut short is no use either): SQLite can read the file alone only
    # as immutable, and with an empty -wal the file alone holds everything.
    immutable = (
        read_only is not None
        and not has_wal
        and (not os.access(path.parent, os.W_OK) or read_only == "the disk is full")
    )
    ro_uri = _uri(path, immutable=immutable)
    version, findings = (0, []) if created else _probe(path, ro_uri, check, read_only is None)
    if findings:
        read_only = (
            f"it is damaged ({findings[0]}); run `upright check`, and restore your latest backup"
        )
        warnings += (f"warning: {path} is damaged: opened read-only, nothing will be written",)
    if read_only is not None:
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"{path} needs upgrading to schema {SCHEMA_VERSION} but {read_only}; "
                "nothing was changed"
            )
        return Opened(make_engine(path, busy_timeout, ro_uri=ro_uri), read_only, warnings)
    _tighten([(path, info), *companions])
    if version < SCHEMA_VERSION:
        _migrate(path, busy_timeout)
    return Opened(make_engine(path, busy_timeout), None, warnings)


def integrity_check(path: Path | None = None) -> list[str]:
    """PRAGMA integrity_check's findings for the database at `path` (empty: no damage).

    Read-only, after the same checks as `open_database`: the file is never written.
    """
    path = (path or default_db_path()).expanduser()
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise StoreError(f"no database at {path}") from None
    except OSError as exc:
        raise StoreError(f"cannot open database {path}: {_cause_of(exc)}") from exc
    _refuse_foreign(path, info)
    companions = _companions(path)
    with open(path, "rb") as handle:
        if not handle.read(16).startswith(_SQLITE_MAGIC) and info.st_size:
            raise StoreError(f"{path} is not an upright database (not an SQLite file)")
    immutable = not os.access(path.parent, os.W_OK) and not companions
    try:
        conn = sqlite3.connect(_uri(path, immutable=immutable), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {sqlite_cause(exc, path)}") from exc
    try:
        findings = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        findings = [str(exc)]
    finally:
        conn.close()
    return [] if findings == ["ok"] else findings


def _configurer(busy_timeout: float, read_only: bool) -> Callable[[Any, Any], None]:
    def configure_connection(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: we issue BEGIN ourselves (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
            cursor.close()
            return
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


def make_engine(
    path: Path, busy_timeout: float = BUSY_TIMEOUT_S, ro_uri: str | None = None
) -> Engine:
    """An engine for `path` with upright's pragmas on every connection.

    Its transactions begin IMMEDIATE (for writes); `reader(engine)` is the same
    pool with deferred transactions. `busy_timeout`: seconds a write waits for
    another process's write lock. `ro_uri`: connect read-only through this URI
    (the URL keeps the path, for `Store.path`).
    """
    extra: dict[str, Any] = {}
    if ro_uri is not None:

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(ro_uri, uri=True, check_same_thread=False, timeout=busy_timeout)

        extra["creator"] = connect
    engine = create_engine(
        f"sqlite:///{path}",
        **extra,
        # Pooled connections keep their pragmas: a keypress's write and re-read
        # then cost about a millisecond each instead of a fresh connect apiece.
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        connect_args={"check_same_thread": False, "timeout": busy_timeout},
    )
    event.listen(engine, "connect", _configurer(busy_timeout, ro_uri is not None))
    event.listen(engine, "begin", _begin)
    if ro_uri is not None:
        engine = engine.execution_options(**{_BEGIN_OPTION: "DEFERRED", _RO_OPTION: ro_uri})
    return engine


def read_only_uri(engine: Engine) -> str | None:
    """The read-only URI an engine from `make_engine` connects through, or None."""
    uri = engine.get_execution_options().get(_RO_OPTION)
    return uri if isinstance(uri, str) else None


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
    """`open_database(path, busy_timeout).engine` (read-only when it must be)."""
    return open_database(path, busy_timeout).engine


class ChangeCounter:
    """A number that changes whenever another connection commits to the database.

    `PRAGMA data_version` on a connection of its own that never writes: SQLite
    bumps it for a connection when any *other* connection (another process, or
    the store's own pool) commits. Cheaper than stat()ing the file and its -wal,
    and blind to a checkpoint or a rollback. One caller at a time; close it when done.
    """

    def __init__(self, path: Path, ro_uri: str | None = None) -> None:
        try:
            # check_same_thread=False: the app polls it from a worker thread.
            self._conn = sqlite3.connect(
                ro_uri or path,
                uri=ro_uri is not None,
                isolation_level=None,
                check_same_thread=False,
            )
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
