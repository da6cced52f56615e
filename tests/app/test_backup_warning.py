"""The dashboard's first write of the day makes the day's backup in the write thread;
when the backup cannot be made the write is still stored and the user is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.backup import backup_folder, backups
from store.queries import local_now
from tests.app.test_today import (
    TUESDAY_10AM,
    make_app,
    messages,
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


async def test_a_tick_makes_the_days_backup(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    today = local_now().date()  # the store's backups go by the real day
    before = [b.name for b in backups(db_path)]  # seeding wrote: today's copy exists
    assert before == [f"upright-{today}.daily.db", f"upright-{today}.weekly.db"]
    for item in backups(db_path):
        item.path.unlink()
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        # Started fresh in this process: its first write makes the day's copy again.
        await pilot.press("space")
        await settle(pilot)
        assert statuses(db_path)["stand-up"] == "done"
        assert [b.name for b in backups(db_path)] == before
        assert not any("backup" in m for m in messages(app))


async def test_a_backup_that_fails_does_not_lose_the_tick_and_is_shown(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    folder = backup_folder(db_path)
    for item in backups(db_path):
        item.path.unlink()
    folder.rmdir()
    folder.write_text("in the way")  # the folder cannot be made
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
