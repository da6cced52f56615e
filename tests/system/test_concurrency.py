"""Concurrency: the open app and command-line writers share one database.

Hundreds of writes from the app (headless) and from several `upright`
processes at once: none fails with "database is locked", none is lost, and
the open app shows what the command line wrote. Also two Store objects in
threads, and many first opens of a database that does not exist yet.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from store.catalog import load_catalog
from store.queries import Store
from tests.helpers.waiting import settle
from tui.app import UprightApp
from tui.cli import main
from tui.screens.pain_form import PainInput

HERE = Path(__file__).resolve().parent.parent
DRIVER = HERE / "helpers" / "cli_loop.py"
CATALOG = HERE / "data" / "small.toml"


def _spawn(
    db: Path, out: Path, mode: str, prefix: str, start: int, count: int, go_file: Path
) -> subprocess.Popen[bytes]:
    with out.open("wb") as handle:
        return subprocess.Popen(
            [
                sys.executable,
                str(DRIVER),
                "--db",
                str(db),
                "--catalog",
                str(CATALOG),
                "--mode",
                mode,
                "--prefix",
                prefix,
                "--start",
                str(start),
                "--count",
                str(count),
                "--go-file",
                str(go_file),
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
        )


def _pain_notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [note for (note,) in conn.execute("SELECT note FROM pain_entry")]
    finally:
        conn.close()


def _status(app: UprightApp, habit_id: str) -> str:
    assert app.today_view is not None
    return next(item.status for item in app.today_view.items if item.id == habit_id)


async def test_app_and_command_line_write_at_once(tmp_path: Path) -> None:
    db = tmp_path / "shared" / "upright.db"  # nobody has created it yet
    go = tmp_path / "go"
    app = UprightApp(
        db_path=db,
        catalog_path=CATALOG,
        config_path=tmp_path / "config.toml",
        idle_source=None,
        desktop_notifications=False,
    )
    writers = [
        (_spawn(db, tmp_path / f"w{i}.out", "pain", f"cli{i}-", 0, 70, go), tmp_path / f"w{i}.out")
        for i in range(3)
    ]
    writers.append(
        (_spawn(db, tmp_path / "mixed.out", "durable", "mix", 0, 60, go), tmp_path / "mixed.out")
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            go.touch()  # the writers start while the app is still opening the database
            await asyncio.wait_for(app.data_ready.wait(), timeout=20)
            app_notes = []
            for i in range(60):
                note = f"app-{i}"
                app.save_pain(PainInput(score=i % 11, leg_score=None, context=None, note=note))
                app_notes.append(note)
                if i % 10 == 0:
                    app.today_data.poll()
                await asyncio.sleep(0.01)

            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            while any(proc.poll() is None for proc, _ in writers):
                assert loop.time() < deadline, "the command-line writers did not finish"
                await asyncio.sleep(0.05)

            while not app.database.idle:  # the app's own writes, in its write thread
                assert loop.time() < deadline, "the app's writes did not finish"
                await asyncio.sleep(0.05)

            outputs = {out.name: out.read_text() for _, out in writers}
            for (proc, out), text in zip(writers, outputs.values(), strict=True):
                assert "locked" not in text, text
                assert "Traceback" not in text, text
                assert [ln for ln in text.splitlines() if ln.startswith("rc ")] == []
                assert proc.returncode == 0, f"{out.name}: {text[-2000:]}"

            expected = set(app_notes)
            for i in range(3):
                lines = outputs[f"w{i}.out"].splitlines()
                oks = [ln.split(" ")[-1] for ln in lines if ln.startswith("ok pain ")]
                assert len(oks) == 70
                expected.update(oks)
            mixed = outputs["mixed.out"].splitlines()
            assert len([ln for ln in mixed if ln.startswith("ok ")]) == 60
            expected.update(ln.split(" ")[-1] for ln in mixed if ln.startswith("ok pain "))
            notes = _pain_notes(db)
            assert len(notes) == len(expected) == 60 + 3 * 70 + 20
            assert set(notes) == expected

            # The open app sees a check-in made by the command line.
            await pilot.pause()
            app.today_data.poll()
            await settle(pilot)
            assert _status(app, "bird-dog") == "open"
            assert main(["--db", str(db), "--catalog", str(CATALOG), "done", "bird-dog"]) == 0
            app.today_data.poll()
            await settle(pilot)
            assert _status(app, "bird-dog") == "done"
            assert app.today_screen.view is app.today_view
            # ... and the same through the app's own polling, for an undo.
            assert main(["--db", str(db), "--catalog", str(CATALOG), "undo", "bird-dog"]) == 0
            for _ in range(100):
                if _status(app, "bird-dog") == "open":
                    break
                await asyncio.sleep(0.05)
            assert _status(app, "bird-dog") == "open"
    finally:
        for proc, _ in writers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def test_two_stores_in_threads(tmp_path: Path) -> None:
    db = tmp_path / "upright.db"
    catalog = load_catalog(CATALOG)
    first_day = date(2025, 1, 6)
    stores = [Store.open(db), Store.open(db)]
    stores[0].sync_catalog(catalog, first_day)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)
    rounds = 100

    def work(index: int) -> None:
        store = stores[index]
        now = datetime(2025, 3, 1, 12, 0, tzinfo=datetime.now().astimezone().tzinfo)
        try:
            barrier.wait()
            for i in range(rounds):
                day = first_day + timedelta(days=i)
                store.add_pain(i % 11, now, day, note=f"s{index}-{i}")
                # Own key: each thread checks in a different habit.
                store.set_check_in(("bird-dog", "walk")[index], day, "done", now)
                # Shared keys: both threads fight over the same row and setting.
                if (i + index) % 2:
                    store.set_check_in("stand-up", first_day, "done", now)
                else:
                    store.clear_check_in("stand-up", first_day)
                store.set_setting("last-writer", f"{index}-{i}")
                store.sync_catalog(catalog, day)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    conn = sqlite3.connect(db)
    try:
        notes = {note for (note,) in conn.execute("SELECT note FROM pain_entry")}
        assert notes == {f"s{k}-{i}" for k in range(2) for i in range(rounds)}
        for habit in ("bird-dog", "walk"):
            (count,) = conn.execute(
                "SELECT count(*) FROM check_in WHERE habit_id = ? AND status = 'done'", (habit,)
            ).fetchone()
            assert count == rounds
        (stand_up,) = conn.execute(
            "SELECT count(*) FROM check_in WHERE habit_id = 'stand-up'"
        ).fetchone()
        assert stand_up in (0, 1)
        assert conn.execute("SELECT value FROM setting WHERE key = 'last-writer'").fetchone()[
            0
        ] in {f"{k}-{rounds - 1}" for k in range(2)}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.mark.parametrize("attempt", range(8))
def test_many_first_opens_of_a_new_database(tmp_path: Path, attempt: int) -> None:
    """Threads opening (creating folder, file and schema) the same new database at once."""
    db = tmp_path / "new" / "folder" / "upright.db"
    barrier = threading.Barrier(8)
    errors: list[str] = []

    def open_and_write(index: int) -> None:
        try:
            barrier.wait()
            Store.open(db).set_setting(f"opened-by-{index}", "yes")
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=open_and_write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Store.open(db).get_setting("opened-by-7") == "yes"
    assert (db.parent.stat().st_mode & 0o777) == 0o700
    assert (db.stat().st_mode & 0o777) == 0o600
    assert os.path.getsize(db) > 0
