"""Hostile and unlucky database paths: upright changes no file it did not create, refuses
files others planted, reads a read-only database, notices a damaged one, and a user
error creates nothing.

Every command runs as a subprocess (`python -m tui`), as a user would run it. The
tests run as root on Linux (chattr, chown): elsewhere they are skipped.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SMALL = ROOT / "tests" / "data" / "small.toml"

as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("chattr") is None,
    reason="needs root and chattr",
)


def upright(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("UPRIGHT_DB", None)
    if home is not None:
        env["HOME"] = str(home)
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env.pop(var, None)
    return subprocess.run(
        [sys.executable, "-m", "tui", "--catalog", str(SMALL), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("upright: error: ")
    assert fragment in lines[0], lines[0]


def snapshot(*paths: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Mode, owner and bytes (regular files) of each path that exists."""
    seen = {}
    for path in paths:
        if os.path.lexists(path):
            info = os.lstat(path)
            data = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
            seen[str(path)] = (info.st_mode, info.st_uid, data)
    return seen


@pytest.fixture
def db_with_data(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "upright.db"
    for args in (["pain", "4", "--note", "stiff"], ["done", "bird-dog"]):
        result = upright("--db", str(db), *args)
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths to `chattr +i` (after the test body adds them); cleared again at the end."""
    paths: list[Path] = []
    yield paths
    for path in reversed(paths):
        subprocess.run(["chattr", "-i", str(path)], check=False)


def chattr_immutable(paths: list[Path], *targets: Path) -> None:
    for target in targets:
        subprocess.run(["chattr", "+i", str(target)], check=True)
        paths.append(target)


# --- files it did not create ------------------------------------------------------------


@as_root
def test_dev_null_as_database_or_export_keeps_its_mode() -> None:
    null = Path("/dev/null")
    before = snapshot(null)
    one_line_error(upright("--db", str(null), "today"), "not a regular file")
    assert snapshot(null) == before
    result = upright("export", "-o", str(null))
    one_line_error(result, "not a regular file")
    assert snapshot(null) == before


def test_a_file_that_is_not_a_database_keeps_mode_and_bytes(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database\n" * 50)
    notes.chmod(0o644)
    before = snapshot(notes)
    one_line_error(upright("--db", str(notes), "today"), "not an upright database")
    one_line_error(upright("--db", str(notes), "done", "bird-dog"), "not an upright database")
    assert snapshot(notes) == before
    assert not Path(f"{notes}-wal").exists() and not Path(f"{notes}-shm").exists()


def test_export_over_a_fifo_or_a_folder_is_refused(tmp_path: Path, db_with_data: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    before = snapshot(fifo)
    one_line_error(upright("--db", str(db_with_data), "export", "-o", str(fifo)), "regular file")
    assert snapshot(fifo) == before


def test_export_creates_0600_and_overwrites_only_the_users_own_file(
    tmp_path: Path, db_with_data: Path
) -> None:
    old = os.umask(0)
    try:
        new = tmp_path / "new.json"
        assert upright("--db", str(db_with_data), "export", "-o", str(new)).returncode == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o600
        assert '"stiff"' in new.read_text()
        mine = tmp_path / "mine.json"
        mine.write_text("old export " * 1000)
        mine.chmod(0o644)
        assert upright("--db", str(db_with_data), "export", "-o", str(mine)).returncode == 0
        assert stat.S_IMODE(mine.stat().st_mode) == 0o600
        assert mine.read_text().startswith("{") and "old export" not in mine.read_text()
        shared = tmp_path / "shared.json"
        shared.write_text("someone's file")
        shared.chmod(0o666)
        before = snapshot(shared)
        one_line_error(
            upright("--db", str(db_with_data), "export", "-o", str(shared)), "writable by other"
        )
        assert snapshot(shared) == before
    finally:
        os.umask(old)


def test_a_newer_schema_keeps_mode_bytes_and_wal(tmp_path: Path, db_with_data: Path) -> None:
    # A newer upright's database, left with its write-ahead log as a crash leaves it.
    db = tmp_path / "newer.db"
    shutil.copy(db_with_data, db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("PRAGMA user_version = 99")
    conn.execute("INSERT INTO setting (key, value) VALUES ('from', 'the future')")
    saved = {p: Path(f"{db}{p}").read_bytes() for p in ("", "-wal")}
    conn.close()  # (this checkpoints: put the uncheckpointed files back)
    for suffix, data in saved.items():
        Path(f"{db}{suffix}").write_bytes(data)
    db.chmod(0o640)
    Path(f"{db}-wal").chmod(0o640)
    before = snapshot(db, Path(f"{db}-wal"))
    for args in (["today"], ["done", "bird-dog"], ["stats"], ["export"]):
        one_line_error(upright("--db", str(db), *args), "newer upright")
    assert snapshot(db, Path(f"{db}-wal")) == before


# --- planted files ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_a_planted_world_writable_file_is_refused(tmp_path: Path, suffix: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o700)
    db = shared / "x.db"
    planted = Path(f"{db}{suffix}")
    if suffix:
        assert upright("--db", str(db), "pain", "3").returncode == 0
        planted.write_bytes(b"")
    else:
        planted.write_bytes(b"")
    planted.chmod(0o666)
    before = snapshot(db, Path(f"{db}-wal"), Path(f"{db}-shm"))
    one_line_error(upright("--db", str(db), "pain", "5"), "writable by other users")
    one_line_error(upright("--db", str(db), "today"), "writable by other users")
    assert snapshot(db, Path(f"{db}-wal"), Path(f"{db}-shm")) == before


@as_root
def test_a_database_owned_by_another_user_is_refused(db_with_data: Path) -> None:
    os.chown(db_with_data, 65534, 65534)
    before = snapshot(db_with_data)
    one_line_error(upright("--db", str(db_with_data), "today"), "belongs to another user")
    one_line_error(upright("--db", str(db_with_data), "pain", "2"), "belongs to another user")
    assert snapshot(db_with_data) == before


def test_a_folder_writable_by_others_is_warned_about(tmp_path: Path) -> None:
    shared = tmp_path / "tmp-like"
    shared.mkdir()
    shared.chmod(0o1777)
    result = upright("--db", str(shared / "x.db"), "pain", "3")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1 and "writable by other users" in result.stderr


# --- read-only ----------------------------------------------------------------------------


@as_root
@pytest.mark.parametrize("what", ["file", "file and folder"])
def test_a_read_only_database_is_read_and_writes_refused(
    db_with_data: Path, immutable: list[Path], what: str
) -> None:
    targets = [db_with_data] if what == "file" else [db_with_data, db_with_data.parent]
    chattr_immutable(immutable, *targets)
    for args in (["today"], ["stats"], ["export"], ["export", "--format", "csv"]):
        result = upright("--db", str(db_with_data), *args)
        assert result.returncode == 0, (args, result.stderr)
    assert "stiff" in upright("--db", str(db_with_data), "export").stdout
    assert "[x]" in upright("--db", str(db_with_data), "today").stdout
    one_line_error(upright("--db", str(db_with_data), "pain", "6"), "read-only")
    one_line_error(upright("--db", str(db_with_data), "undo", "bird-dog"), "read-only")


# --- corruption ---------------------------------------------------------------------------


def _damage(db: Path) -> None:
    """Flip bytes in the middle of every page after the first (the schema stays readable)."""
    conn = sqlite3.connect(db)
    for _ in range(200):
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (hex(randomblob(8)), ?)", ("x" * 300,)
        )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(page * 2, len(data), page):
        for i in range(start + 8, start + 200):
            data[i] ^= 0xFF
    db.write_bytes(bytes(data))


def test_a_damaged_database_is_never_written_and_check_reports_it(db_with_data: Path) -> None:
    healthy = upright("--db", str(db_with_data), "check")
    assert healthy.returncode == 0, healthy.stderr
    assert "no damage found" in healthy.stdout
    _damage(db_with_data)
    before = snapshot(db_with_data)
    for args in (["done", "walk"], ["pain", "3"], ["undo", "bird-dog"]):
        result = upright("--db", str(db_with_data), *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "damaged" in result.stderr and "read-only" in result.stderr
        assert "internal error" not in result.stderr
    assert snapshot(db_with_data) == before
    report = upright("--db", str(db_with_data), "check")
    assert report.returncode == 2, report.stderr
    lines = report.stdout.splitlines()
    assert len(lines) >= 2 and all(line.startswith("damaged: ") for line in lines[:-1])
    assert "backup" in lines[-1]
    assert snapshot(db_with_data) == before
    # Reads say what is wrong in one line (or read what they can), never "internal error".
    for args in (["stats"], ["today"], ["export"]):
        result = upright("--db", str(db_with_data), *args)
        assert result.returncode in (0, 2) and "internal error" not in result.stderr, args
    assert snapshot(db_with_data) == before


# --- a user error changes nothing ---------------------------------------------------------


def test_an_unknown_habit_on_a_fresh_machine_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for args in (["done", "no-such-habit"], ["undo", "no-such-habit"], ["plan", "add", "nope"]):
        one_line_error(upright(*args, home=home), "unknown habit")
    assert list(home.iterdir()) == []
