"""Copies of the database in `backups/` beside it, and putting one back.

Every copy is made with SQLite's online backup API: a consistent snapshot even
while the dashboard or a command writes. A copy is written to a hidden temporary
file and then hard-linked to its name, so a name is never a half-written copy and
never replaces a file (a link to an existing name fails, like O_EXCL). Files are
0600 in a 0700 folder. Names sort by time and say their kind:

    upright-2026-12-01.daily.db            the day's copy, made before its first write
    upright-2026-11-30.weekly.db           the first copy of an ISO week, kept as the weekly
    upright-2026-12-01T153012.manual.db    `upright backup`
    upright-2026-12-01T153012.before-restore.db   what `upright restore` replaced

Rotation keeps the newest 7 daily and 8 weekly copies; manual and before-restore
copies are the user's own and are never removed. Time is passed in (`today`,
`now`): tests drive many days without waiting. No Textual.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from store.errors import StoreError
from store.vocab import BackupKind

BACKUP_FOLDER = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 8


_NAME = re.compile(
    r"^upright-(?P<day>\d{4}-\d{2}-\d{2})(?:T\d{6}(?:-\d+)?)?\.(?P<kind>"
    + "|".join(re.escape(k) for k in BackupKind)
    + r")\.db$"
)
_SQLITE_MAGIC = b"SQLite format 3\x00"
# The tables every upright schema has had since its first step.
_UPRIGHT_TABLES = frozenset({"habit", "plan_period", "check_in", "pain_entry"})
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class Backup:
    """One file in the backups folder."""

    path: Path
    day: date
    kind: BackupKind
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "date": self.day.isoformat(),
            "kind": self.kind,
            "size": self.size,
        }


def backup_folder(db_path: Path) -> Path:
    """Where the copies of the database at `db_path` go: `backups/` beside it."""
    return db_path.parent / BACKUP_FOLDER


def _folder(db_path: Path) -> Path:
    """The backups folder, created 0700 if missing; refused if it is not our own folder."""
    folder = backup_folder(db_path)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise StoreError(f"cannot create backup folder {folder}: {exc.strerror}") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{folder} is not a folder; no backup was made")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise StoreError(f"{folder} belongs to another user; no backup was made")
    if info.st_mode & 0o077:
        with contextlib.suppress(OSError):
            folder.chmod(0o700)
    return folder


def backups(db_path: Path) -> list[Backup]:
    """The backups of the database at `db_path`, oldest first (other files are ignored)."""
    folder = backup_folder(db_path)
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(f"cannot read backup folder {folder}: {exc.strerror}") from exc
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        found.append(
            Backup(
                Path(entry.path),
                date.fromisoformat(match["day"]),
                BackupKind(match["kind"]),
                entry.stat(follow_symlinks=False).st_size,
            )
        )
    return sorted(found, key=lambda b: b.name)


def _ro_uri(path: Path) -> str:
    return f"file:{urllib.parse.quote(str(path.absolute()))}?mode=ro"


def copy_database(source: Path, target: Path, busy_timeout: float = 5.0) -> None:
    """Copy the database at `source` to the new file `target` (0600), refusing to replace
    anything at `target`. The copy is a single file (rollback journal, not WAL)."""
    folder = target.parent
    temp = folder / f".{target.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot write {temp}: {exc.strerror}") from exc
    os.close(fd)
    try:
        _backup(source, temp, busy_timeout)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(temp, target)
        except FileExistsError:
            raise StoreError(f"{target} exists already; nothing was written there") from None
        except OSError as exc:
            raise StoreError(f"cannot write {target}: {exc.strerror}") from exc
        _sync_folder(folder)
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _backup(source: Path, target: Path, busy_timeout: float) -> None:
    try:
        src = sqlite3.connect(_ro_uri(source), uri=True, timeout=busy_timeout)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {source}: {exc}") from exc
    try:
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dst, progress=_patience(busy_timeout))
            # A copy of a WAL database would be WAL too, and grow -wal/-shm files
            # beside it when opened: make it one self-contained file.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot copy {source}: {exc}") from exc
    finally:
        src.close()


class _GaveUp(sqlite3.OperationalError):
    sqlite_errorcode = sqlite3.SQLITE_BUSY


def _patience(busy_timeout: float) -> Callable[[int, int, int], None]:
    """A `Connection.backup` progress callback that gives up after `busy_timeout` seconds
    of "busy": Python's backup loop would otherwise wait for a lock forever."""
    deadline = time.monotonic() + busy_timeout

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _GaveUp(f"database is locked (waited {busy_timeout:g} s)")

    return progress


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _name(day: date, kind: BackupKind, now: datetime | None = None, n: int = 1) -> str:
    moment = "" if now is None else now.strftime("T%H%M%S") + (f"-{n}" if n > 1 else "")
    return f"upright-{day.isoformat()}{moment}.{kind}.db"


def backup_now(db_path: Path, now: datetime, kind: BackupKind = BackupKind.MANUAL) -> Path:
    """A copy of the database now, named by `now`; returns its path."""
    folder = _folder(db_path)
    for n in range(1, 100):  # two in one second: the second gets "-2"
        target = folder / _name(now.date(), kind, now, n)
        try:
            copy_database(db_path, target)
        except StoreError:
            if target.exists():
                continue
            raise
        return target
    raise StoreError(f"too many backups named {_name(now.date(), kind, now)}; none was made")


def daily_backup(db_path: Path, today: date) -> Path | None:
    """The day's backup, unless it exists; also the ISO week's weekly one if the week
    has none yet; then rotation. Returns the new daily copy, or None if there was one
    or the database holds no record yet (only the catalog's habits and settings).

    Two processes at once: the second finds the name taken and leaves it.
    """
    daily = backup_folder(db_path) / _name(today, BackupKind.DAILY)
    if daily.exists() or not _has_data(db_path):
        return None  # made already; or nothing to lose (a new database): no folder either
    folder = _folder(db_path)
    try:
        copy_database(db_path, daily)
    except StoreError:
        if daily.exists():
            return None  # another process made it a moment ago
        raise
    week = today.isocalendar()[:2]
    if not any(
        b.kind == BackupKind.WEEKLY and b.day.isocalendar()[:2] == week for b in backups(db_path)
    ):
        # The day's copy is the week's first: keep it as the weekly one too.
        weekly = folder / _name(today, BackupKind.WEEKLY)
        with contextlib.suppress(FileExistsError):
            os.link(daily, weekly)
    rotate(db_path)
    return daily


# What the catalog and the app put in every database: no one's record.
_NOT_RECORDS = frozenset({"habit", "plan_period", "setting"})


def _has_data(db_path: Path) -> bool:
    """Whether any table besides the habits, the plan and the settings has a row."""
    try:
        conn = sqlite3.connect(_ro_uri(db_path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {db_path}: {exc}") from exc
    try:
        conn.execute("BEGIN")
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in _NOT_RECORDS and not name.startswith("sqlite_")
        ]
        return any(
            conn.execute('SELECT 1 FROM "{}" LIMIT 1'.format(name.replace('"', '""'))).fetchone()
            is not None
            for name in tables
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {db_path}: {exc}") from exc
    finally:
        conn.close()


def rotate(db_path: Path) -> list[Path]:
    """Remove all but the newest KEEP_DAILY daily and KEEP_WEEKLY weekly copies."""
    removed = []
    every = backups(db_path)
    for kind, keep in ((BackupKind.DAILY, KEEP_DAILY), (BackupKind.WEEKLY, KEEP_WEEKLY)):
        of_kind = [b for b in every if b.kind == kind]
        for old in of_kind[: max(0, len(of_kind) - keep)]:
            with contextlib.suppress(FileNotFoundError):
                old.path.unlink()
                removed.append(old.path)
    return removed


class DailyBackups:
    """A store's "before the day's first write" backup: `before_write` is called at the
    start of every write, and does the work once a day per process (the day it saw is
    kept in memory; the folder is looked at once). A failure (a full disk, a folder
    that cannot be made) never stops the write: it is kept, one line, in `problems`
    until the caller takes it to show."""

    def __init__(self, today: Callable[[], date]) -> None:
        self.today = today  # injected: tests drive the days
        self._done: date | None = None
        self._lock = threading.Lock()
        self._problems: list[str] = []

    def before_write(self, db_path: Path) -> None:
        day = self.today()
        if self._done == day:
            return
        with self._lock:
            if self._done == day:
                return
            self._done = day  # tried once a day: a full disk is not retried at each write
            try:
                daily_backup(db_path, day)
            except (StoreError, OSError, sqlite3.Error) as exc:
                self._problems.append(f"today's backup of {db_path} was not made: {exc}")

    def take_problems(self) -> list[str]:
        """The problems not yet shown (each is handed out once)."""
        with self._lock:
            problems, self._problems = self._problems, []
        return problems


# --- restore ----------------------------------------------------------------------


def check_backup(file: Path) -> int:
    """Check that `file` is an upright database this build can read whole; returns its
    schema version. StoreError (one line) if not: missing, not a regular file, not
    SQLite, damaged (integrity_check), of a newer upright, or not upright's."""
    from store.migrations import SCHEMA_VERSION

    try:
        info = os.stat(file)
    except (FileNotFoundError, NotADirectoryError):
        raise StoreError(f"no file at {file}; nothing was restored") from None
    except OSError as exc:
        raise StoreError(f"cannot read {file}: {exc.strerror}; nothing was restored") from exc
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{file} is not a regular file; nothing was restored")
    try:
        with open(file, "rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"cannot read {file}: {exc.strerror}; nothing was restored") from exc
    if header != _SQLITE_MAGIC:
        raise StoreError(f"{file} is not an SQLite database; nothing was restored")
    try:
        conn = sqlite3.connect(_ro_uri(file), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {file}: {exc}; nothing was restored") from exc
    try:
        findings = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{file} is damaged ({exc}); nothing was restored") from exc
    finally:
        conn.close()
    if findings != ["ok"]:
        raise StoreError(f"{file} is damaged ({findings[0]}); nothing was restored")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{file} was written by a newer upright (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); nothing was restored"
        )
    if version < 1 or not tables >= _UPRIGHT_TABLES:
        raise StoreError(f"{file} is not an upright database; nothing was restored")
    return version


def restore(file: Path, db_path: Path, now: datetime, busy_timeout: float) -> Path:
    """Replace the data in the database at `db_path` with the backup `file`; returns the
    copy of what was there before (made first).

    The live file is never renamed or replaced: programs that have it open (the
    dashboard) keep their connections. The backup is checked and copied to a private
    temporary file, brought to this schema, and then copied INTO the live database
    with the backup API, as one write transaction that waits for other writers up to
    `busy_timeout`. Connections that have the database open see the change as any
    other commit (PRAGMA data_version changes). Any failure leaves it as it was.
    """
    from store.db import open_database

    check_backup(file)
    opened = open_database(db_path, busy_timeout)  # the same checks as every open
    opened.engine.dispose()
    if opened.read_only is not None:
        raise StoreError(f"cannot restore into {db_path}: {opened.read_only}; nothing was changed")
    with contextlib.suppress(OSError):
        if os.path.samefile(file, db_path):
            raise StoreError(f"{file} is the database itself; nothing was restored")
    folder = _folder(db_path)
    temp = folder / f".restore-{os.getpid()}.db"
    try:
        copy_database(file, temp, busy_timeout)
        # Brought to this schema by the same migration steps as every database.
        open_database(temp, busy_timeout).engine.dispose()
        saved = backup_now(db_path, now, BackupKind.BEFORE_RESTORE)
        try:
            _copy_into(temp, db_path, busy_timeout)
        except StoreError:
            saved.unlink()  # nothing changed: the copy of it is not needed
            raise
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm"), Path(f"{temp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return saved


def _copy_into(source: Path, db_path: Path, busy_timeout: float) -> None:
    from store.db import sqlite_cause

    try:
        live = sqlite3.connect(db_path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {db_path}: {exc}; nothing was restored") from exc
    try:
        src = sqlite3.connect(source, isolation_level=None)
        try:
            # A WAL database cannot change its page size: give the copy the live one's.
            page_size = live.execute("PRAGMA page_size").fetchone()[0]
            if src.execute("PRAGMA page_size").fetchone()[0] != page_size:
                src.execute("PRAGMA journal_mode = DELETE")
                src.execute(f"PRAGMA page_size = {int(page_size)}")
                src.execute("VACUUM")
            src.backup(live, progress=_patience(busy_timeout))
        finally:
            src.close()
    except sqlite3.Error as exc:
        cause = sqlite_cause(exc, db_path)
        raise StoreError(f"cannot restore into {db_path}: {cause}; nothing was changed") from exc
    finally:
        live.close()
