"""The dashboard's first write of the day makes the day's backup in the write thread;
when the backup cannot be made the write is still stored and the user is told."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from store.backup import backup_folder, backups
from tests.app.test_today import (
    TUESDAY,
    TUESDAY_10AM,
    make_app,
    messages,
    open_store,
    prompt,
    running,
    seed,
    statuses,
)
from tests.fakes import FakeClock
from tests.helpers.waiting import settle

pytestmark = pytest.mark.usefixtures("london")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TUESDAY_10AM)


def seed_with_a_record(db_path: Path) -> None:
    """Seeded, and holding a pain entry: a database with something to lose."""
    seed(db_path)
    with open_store(db_path) as store:
        store.add_pain(5, TUESDAY_10AM - timedelta(days=1), TUESDAY - timedelta(days=1))


async def test_a_tick_makes_the_days_backup(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed_with_a_record(db_path)
    assert backups(db_path) == []  # the seeding wrote before there was a record
    today = clock.now().date()  # the app's clock dates the backup, not the wall clock
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        # A new store in this process: its first write makes the day's copy.
        await pilot.press("space")
        await settle(pilot)
        assert statuses(db_path)["stand-up"] == "done"
        assert [b.name for b in backups(db_path)] == [
            f"upright-{today}.daily.db",
            f"upright-{today}.weekly.db",
        ]
        assert not any("backup" in m for m in messages(app))


async def test_a_backup_that_fails_does_not_lose_the_tick_and_is_shown(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed_with_a_record(db_path)
    backup_folder(db_path).write_text("in the way")  # the folder cannot be made
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("space")
        await settle(pilot)
        assert "[✔]" in prompt(app, "stand-up")
        assert statuses(db_path)["stand-up"] == "done"
        told = [m for m in messages(app) if "backup" in m]
        assert len(told) == 1 and "was not made" in told[0], messages(app)
        # Once a day: the next write says nothing more.
        await pilot.press("down", "space")
        await settle(pilot)
        assert len([m for m in messages(app) if "backup" in m]) == 1
