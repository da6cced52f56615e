"""store/backup.py and `upright backup` / `upright restore`: the day's backup before its
first write, rotation, and restore with its refusals. Real SQLite files in tmp_path;
days are injected (the store's backup clock, or a frozen clock for the command line)."""

from __future__ import annotations

import itertools
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from store.backup import KEEP_DAILY, KEEP_WEEKLY, backup_folder, backups, restore
from store.errors import StoreError
from store.migrations import MIGRATIONS, SCHEMA_VERSION
from store.queries import Store
from store.vocab import BackupKind
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
SMALL = ROOT / "tests" / "data" / "small.toml"
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
MONDAY = date(2026, 3, 2)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "upright.db"


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), "--catalog", str(SMALL), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _names(db: Path) -> list[str]:
    return [b.name for b in backups(db)]


def _store(db: Path, day: date) -> Store:
    store = Store.open(db)
    store.backups.today = lambda: day
    return store


def _with_a_record(db: Path) -> Path:
    """A database that holds one pain entry (a new one, with nothing to lose, gets no copy)."""
    Store.open(db).engine.dispose()
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO pain_entry (at, date, score) VALUES ('2026-02-01 09:00:00', '2026-02-01', 5)"
    )
    conn.commit()
    conn.close()
    return db


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


# --- the day's backup ---------------------------------------------------------------


def test_the_first_store_write_of_a_day_makes_one_backup_the_second_none(db: Path) -> None:
    store = _store(_with_a_record(db), MONDAY)
    store.add_pain(4, _at(MONDAY), MONDAY)
    assert _names(db) == ["upright-2026-03-02.daily.db", "upright-2026-03-02.weekly.db"]
    daily = backups(db)[0].path
    before = daily.stat()
    store.add_pain(5, _at(MONDAY), MONDAY)
    assert _names(db) == ["upright-2026-03-02.daily.db", "upright-2026-03-02.weekly.db"]
    assert daily.stat().st_mtime_ns == before.st_mtime_ns
    # The copy is of the data before the day's first write: no pain entry yet.
    conn = sqlite3.connect(daily)
    try:
        assert conn.execute("SELECT score FROM pain_entry").fetchall() == [(5,)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()
    # Another process (a new store) that same day finds it made, and makes none.
    _store(db, MONDAY).add_pain(6, _at(MONDAY), MONDAY)
    assert len(backups(db)) == 2
    # The next day: one more daily, and the week already has its weekly.
    store.backups.today = lambda: MONDAY + timedelta(days=1)
    store.add_pain(3, _at(MONDAY), MONDAY)
    assert _names(db) == [
        "upright-2026-03-02.daily.db",
        "upright-2026-03-02.weekly.db",
        "upright-2026-03-03.daily.db",
    ]
    assert sorted(b.kind for b in backups(db)) == ["daily", "daily", "weekly"]
    # A database opened read-only is not written, and so gets no copy.
    store.backups.today = lambda: MONDAY + timedelta(days=2)
    store.read_only = "the file is read-only"
    with pytest.raises(StoreError, match="read-only"):
        store.add_pain(4, _at(MONDAY), MONDAY)
    assert len(backups(db)) == 3
    store.engine.dispose()


def test_a_new_database_with_nothing_to_lose_gets_no_copy(
    frozen: None, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first write syncs the catalog into a new database: no record yet, no copy,
    # no folder; the pain entry after it is that day's first record.
    assert _run(capsys, db, "pain", "4")[0] == 0
    assert sorted(os.listdir(db.parent)) == ["upright.db"]
    # The next day it has a record, and the day's first write copies it.
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert _run(capsys, db, "pain", "3")[0] == 0
    assert _names(db) == ["upright-2026-03-05.daily.db", "upright-2026-03-05.weekly.db"]


def test_backup_files_are_private(db: Path) -> None:
    _store(_with_a_record(db), MONDAY).add_pain(4, _at(MONDAY), MONDAY)
    folder = backup_folder(db)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for item in backups(db):
        assert stat.S_IMODE(item.path.stat().st_mode) == 0o600
    # No temporary file or journal left behind.
    assert sorted(os.listdir(folder)) == _names(db)


def test_a_command_line_write_makes_the_days_backup_once(
    frozen: None, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_a_record(db)
    assert _run(capsys, db, "pain", "4")[0] == 0
    assert _names(db) == ["upright-2026-03-04.daily.db", "upright-2026-03-04.weekly.db"]
    inode = backups(db)[0].path.stat().st_ino
    assert _run(capsys, db, "done", "stand-up")[:3:2] == (0, "")
    assert _names(db) == ["upright-2026-03-04.daily.db", "upright-2026-03-04.weekly.db"]
    assert backups(db)[0].path.stat().st_ino == inode
    # Reads write nothing, and so copy nothing.
    for item in backups(db):
        item.path.unlink()
    assert [_run(capsys, db, *argv)[0] for argv in (["export"], ["today"], ["stats"])] == [0] * 3
    assert backups(db) == []


def test_a_failed_backup_does_not_stop_the_write_and_is_told(
    frozen: None, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_a_record(db)
    backup_folder(db).write_text("not a folder")  # the folder cannot be made
    code, out, err = _run(capsys, db, "pain", "4")
    assert code == 0 and "logged" in out
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("upright: warning: today's backup")
    assert [e["score"] for e in Store.open(db).export()["pain_entry"]] == [5, 4]
    # Told once a day, not at every write.
    store = _store(db, date(2026, 3, 4))
    store.add_pain(5, NOW, NOW.date())
    assert len(store.backups.take_problems()) == 1
    store.add_pain(6, NOW, NOW.date())
    assert store.backups.take_problems() == []


def test_rotation_keeps_seven_daily_and_eight_weekly_over_120_days(db: Path) -> None:
    first = date(2026, 1, 1)  # a Thursday
    store = _store(_with_a_record(db), first)
    days = [first + timedelta(days=n) for n in range(120)]
    for day in days:
        store.backups.today = lambda day=day: day  # type: ignore[misc]
        store.add_pain(day.day % 11, _at(day), day)
    found = backups(db)
    daily = [b.day for b in found if b.kind == BackupKind.DAILY]
    weekly = [b.day for b in found if b.kind == BackupKind.WEEKLY]
    assert (len(daily), len(weekly)) == (KEEP_DAILY, KEEP_WEEKLY) == (7, 8)
    assert daily == days[-7:]
    # Each weekly copy is the first of its ISO week: its Monday, here (a write every day).
    assert all(d.isoweekday() == 1 for d in weekly)
    assert weekly[-1] == max(d for d in days if d.isoweekday() == 1)
    assert [b - a for a, b in itertools.pairwise(weekly)] == [timedelta(weeks=1)] * 7
    store.engine.dispose()


# --- upright backup -----------------------------------------------------------------


def test_backup_now_and_list(frozen: None, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_a_record(db)
    _run(capsys, db, "pain", "4")
    code, out, err = _run(capsys, db, "backup")
    assert (code, err) == (0, "")
    made = backup_folder(db) / "upright-2026-03-04T120000.manual.db"
    assert str(made) in out and stat.S_IMODE(made.stat().st_mode) == 0o600
    # Twice in one second: a second name, not over the first.
    _run(capsys, db, "backup")
    code, out, _ = _run(capsys, db, "backup", "--list")
    assert code == 0
    assert [line.split()[:3] for line in out.splitlines()[1:]] == [
        ["upright-2026-03-04.daily.db", "2026-03-04", "daily"],
        ["upright-2026-03-04.weekly.db", "2026-03-04", "weekly"],
        ["upright-2026-03-04T120000-2.manual.db", "2026-03-04", "manual"],
        ["upright-2026-03-04T120000.manual.db", "2026-03-04", "manual"],
    ]
    import json

    code, out, _ = _run(capsys, db, "backup", "--list", "--json")
    listed = json.loads(out)
    assert listed[0] == {
        "name": "upright-2026-03-04.daily.db",
        "date": "2026-03-04",
        "kind": "daily",
        "size": backups(db)[0].size,
    }


def test_backup_to_a_new_file(
    frozen: None, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, db, "pain", "4")
    target = tmp_path / "copy.db"
    assert _run(capsys, db, "backup", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert Store.open(target).export()["pain_entry"] == Store.open(db).export()["pain_entry"]


@pytest.mark.parametrize("kind", ["file", "folder", "device", "no folder", "no database"])
def test_backup_refuses_a_path_it_would_not_create(
    frozen: None, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind != "no database":
        _run(capsys, db, "pain", "4")
    target = {
        "file": tmp_path / "taken.txt",
        "folder": tmp_path,
        "device": Path("/dev/null"),
        "no folder": tmp_path / "missing" / "copy.db",
        "no database": tmp_path / "copy.db",
    }[kind]
    if kind == "file":
        target.write_text("mine")
    before = sorted(os.listdir(tmp_path))
    code, out, err = _run(capsys, db, "backup", str(target))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("upright: error: ")
    # It names what is wrong: the path, or the database that is not there.
    named = (
        str(db) if kind == "no database" else str(target.parent if kind == "no folder" else target)
    )
    assert named in err and ("nothing was written" in err or "no database" in err), err
    assert sorted(os.listdir(tmp_path)) == before
    if kind == "file":
        assert target.read_text() == "mine"


# --- upright restore ----------------------------------------------------------------


def _export(db: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = _run(capsys, db, "export")
    assert code == 0
    return out


def test_restore_round_trip_gives_back_the_same_export(
    frozen: None, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, db, "pain", "4", "--note", "before")
    _run(capsys, db, "done", "stand-up")
    snapshot = tmp_path / "snapshot.db"
    _run(capsys, db, "backup", str(snapshot))
    exported = _export(db, capsys)
    _run(capsys, db, "pain", "9", "--note", "after")
    _run(capsys, db, "undo", "stand-up")
    assert _export(db, capsys) != exported
    code, out, err = _run(capsys, db, "restore", str(snapshot))
    assert (code, err) == (0, ""), err
    assert _export(db, capsys) == exported
    # What was there before is kept as a before-restore copy, and it holds "after".
    saved = [b for b in backups(db) if b.kind == BackupKind.BEFORE_RESTORE]
    assert len(saved) == 1 and str(saved[0].path) in out
    notes = [e["note"] for e in Store.open(saved[0].path).export()["pain_entry"]]
    assert notes == ["before", "after"]
    assert stat.S_IMODE(saved[0].path.stat().st_mode) == 0o600


def _old_schema_file(path: Path, steps: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:steps]:
        for statement in step:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO pain_entry (at, date, score) VALUES ('2026-03-01 09:00:00', '2026-03-01', 6)"
    )
    conn.execute(f"PRAGMA user_version = {steps}")
    conn.close()


def test_restore_brings_an_older_schema_up_to_date(
    frozen: None, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, db, "pain", "4")
    old = tmp_path / "old.db"
    _old_schema_file(old, 1)
    assert _run(capsys, db, "restore", str(old))[0] == 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("SELECT score FROM pain_entry").fetchall() == [(6,)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()
    assert old.read_bytes()[:16] == b"SQLite format 3\x00"  # the backup itself is not changed
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone() == (1,)


def test_restore_a_file_of_another_page_size(
    frozen: None, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, db, "pain", "4")
    other = tmp_path / "small-pages.db"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA page_size = 1024")
    conn.close()
    _old_schema_file(other, SCHEMA_VERSION)
    code, _, err = _run(capsys, db, "restore", str(other))
    assert (code, err) == (0, "")
    assert [e["score"] for e in Store.open(db).export()["pain_entry"]] == [6]


def _corrupt(path: Path) -> None:
    """A real upright database with a page of its pain entries overwritten."""
    store = Store.open(path)
    for n in range(400):
        store.add_pain(n % 11, NOW, NOW.date(), note="x" * 200)
    store.engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'pain_entry'").fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root[0] - 1) * page_size)
        handle.write(b"\xff" * 64)


@pytest.mark.parametrize(
    "case", ["corrupt", "not sqlite", "newer", "missing", "folder", "other program", "itself"]
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    frozen: None, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    _run(capsys, db, "pain", "4", "--note", "live")
    bad = tmp_path / "bad.db"
    if case == "corrupt":
        _corrupt(bad)
    elif case == "not sqlite":
        bad.write_text("pain,4\n")
    elif case == "newer":
        _old_schema_file(bad, SCHEMA_VERSION)
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
    elif case == "folder":
        bad.mkdir()
    elif case == "other program":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE note (text)")
        conn.execute("PRAGMA user_version = 1")
        conn.close()
    elif case == "itself":
        bad = db
    exported, listed = _export(db, capsys), _names(db)
    before = sorted(os.listdir(db.parent))
    code, out, err = _run(capsys, db, "restore", str(bad))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("upright: error: "), err
    assert "nothing was" in err
    assert _export(db, capsys) == exported
    assert _names(db) == listed  # not even a before-restore copy
    assert sorted(os.listdir(db.parent)) == before
    folder = backup_folder(db)
    assert (sorted(os.listdir(folder)) if folder.exists() else []) == listed  # no temp file


def test_restore_gives_up_on_a_lock_held_past_its_patience(
    frozen: None, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, db, "pain", "4", "--note", "live")
    snapshot = tmp_path / "snapshot.db"
    _old_schema_file(snapshot, SCHEMA_VERSION)
    listed = _names(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as caught:
            restore(snapshot, db, NOW, busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in str(caught.value) and "nothing was changed" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert [e["note"] for e in Store.open(db).export()["pain_entry"]] == ["live"]
    assert _names(db) == listed


def test_save_spell_does_not_overwrite_another_spell_under_its_id(db: Path) -> None:
    store = _store(db, MONDAY)
    start = _at(MONDAY)
    # The dashboard holds spell 1 open; a restore put back data whose spell 1 is another.
    restored = store.add_spell(
        start - timedelta(days=3), start - timedelta(days=3, minutes=-20), "break"
    )
    new_id = store.save_spell(restored, start, start + timedelta(minutes=5), None)
    assert new_id != restored
    spells = store.export()["sitting_spell"]
    assert [(s["id"], s["ended_by"]) for s in spells] == [(restored, "break"), (new_id, None)]
    # Its own row is still updated in place.
    assert store.save_spell(new_id, start, start + timedelta(minutes=9), None) == new_id
    store.engine.dispose()
