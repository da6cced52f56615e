"""Pilot tests of the coach on Today: tick, rate with one key, see the suggestion,
accept it, see the new dose; step a level by hand; a past day keeps its dose.

A real app on a real database file, keys in, rows out (checked through a second
Store, as the command line would see them).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from store.catalog import load_catalog
from store.vocab import CheckInStatus, PainContext
from tests.app.test_today import (
    LONDON,
    SMALL_CATALOG,
    TUESDAY,
    TUESDAY_10AM,
    checklist,
    make_app,
    messages,
    open_store,
    plain,
    running,
    seed,
    table,
)
from tests.app.test_today import (
    clock as clock,
)
from tests.fakes import FakeClock
from tests.helpers.waiting import settle
from tui.app import UprightApp
from tui.screens.habit_info import HabitInfoScreen
from tui.views.reads import read_today
from tui.widgets.checklist import RATING_INVITE
from tui.widgets.habit_detail import HabitDetail

pytestmark = pytest.mark.usefixtures("london")

LEVEL_1 = "3 x 10, hold 5 s, each side"
LEVEL_2 = "3 x 10, hold 10 s, each side"


def comfortable_weeks(db_path: Path) -> None:
    """In the plan for a month, mornings at 3 every day, and bird-dog done the two days
    before today at 1/10: one more comfortable session and the coach says "progress"."""
    seed(db_path, day=TUESDAY - timedelta(days=30))
    with open_store(db_path) as store:
        for back in range(30):  # today too: its morning follows yesterday's session
            day = TUESDAY - timedelta(days=back)
            morning = datetime(day.year, day.month, day.day, 8, 0, tzinfo=LONDON)
            store.add_pain(3, morning, day, context=PainContext.MORNING)
        for back in (2, 1):
            day = TUESDAY - timedelta(days=back)
            store.set_check_in("bird-dog", day, CheckInStatus.DONE, TUESDAY_10AM, pain_during=1)


async def highlight(pilot: Pilot[None], habit_id: str) -> None:
    app = pilot.app
    assert isinstance(app, UprightApp)
    for _ in range(10):
        item = checklist(app).highlighted_item
        if item is not None and item.id == habit_id:
            return
        await pilot.press("down")
    raise AssertionError(f"{habit_id} is not on the checklist")


def row(app: UprightApp, habit_id: str) -> str:
    option = checklist(app).get_option(habit_id)
    return str(option.prompt)


def detail(app: UprightApp) -> str:
    return plain(app.today_screen.query_one(HabitDetail))


def check_in(db_path: Path, habit_id: str, day: date = TUESDAY) -> dict[str, object]:
    return next(
        r
        for r in table(db_path, "check_in")
        if (r["habit_id"], r["date"]) == (habit_id, day.isoformat())
    )


async def test_tick_rate_see_the_suggestion_accept_it_and_see_the_new_dose(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    comfortable_weeks(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app, size=(120, 40)) as pilot:
        await highlight(pilot, "bird-dog")
        assert LEVEL_1 in row(app, "bird-dog")
        assert "Level 1 of 3:" in detail(app)
        assert "Coach: hold — 2 of 3 rated sessions" in detail(app)

        await pilot.press("space")
        assert RATING_INVITE in row(app, "bird-dog")  # the invitation, at once
        await pilot.press("1")
        assert RATING_INVITE not in row(app, "bird-dog")
        assert "felt 1/10" in row(app, "bird-dog")  # shown before it is stored
        await settle(pilot)
        stored = check_in(db_path, "bird-dog")
        assert (stored["status"], stored["pain_during"]) == ("done", 1)

        # The third comfortable session: the marker, the reason and the next level.
        assert "↑" in row(app, "bird-dog")
        shown = detail(app)
        assert "Coach: a step up? — 3 sessions at 1/10 and steady mornings: try" in shown
        assert f"Next level (2): {LEVEL_2}" in shown

        await pilot.press("a")
        assert LEVEL_2 in row(app, "bird-dog")  # at once
        await settle(pilot)
        assert [
            (r["habit_id"], r["level"], r["from_date"]) for r in table(db_path, "habit_level")
        ] == [("bird-dog", 2, TUESDAY.isoformat())]
        assert LEVEL_2 in row(app, "bird-dog") and "↑" not in row(app, "bird-dog")
        assert "Level 2 of 3:" in detail(app)
        assert "bird-dog" not in str(messages(app))
        assert "Bird-dog: level 2 from today." in messages(app)

        # The day before, through the real navigation: the dose it had, and no level
        # change from there (levels change from today).
        await pilot.press("left")
        await settle(pilot)
        await highlight(pilot, "bird-dog")
        assert LEVEL_1 in row(app, "bird-dog") and LEVEL_2 not in row(app, "bird-dog")
        assert "Level 1 of 3:" in detail(app)
        await pilot.press("plus")
        await settle(pilot)
        assert "Levels change from today: home goes back to it." in messages(app)
        assert len(table(db_path, "habit_level")) == 1
        await pilot.press("home")
        await settle(pilot)
        await highlight(pilot, "bird-dog")
        assert LEVEL_2 in row(app, "bird-dog")

    # A past day keeps the dose it had (the view the app reads for a day).
    with open_store(db_path) as store:
        catalog = load_catalog(SMALL_CATALOG)
        monday = read_today(store, catalog, TUESDAY - timedelta(days=1), LONDON)
        tuesday = read_today(store, catalog, TUESDAY, LONDON)
    [before] = [i for i in monday.items if i.id == "bird-dog"]
    [after] = [i for i in tuesday.items if i.id == "bird-dog"]
    assert (before.level, before.dose.as_text()) == (1, LEVEL_1)
    assert (after.level, after.dose.as_text()) == (2, LEVEL_2)


async def test_any_other_key_skips_the_rating_and_does_its_own_job(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await highlight(pilot, "bird-dog")
        await pilot.press("space", "down")
        await settle(pilot)
        assert checklist(app).highlighted_item.id == "walk"  # type: ignore[union-attr]
        assert RATING_INVITE not in row(app, "bird-dog")
        assert check_in(db_path, "bird-dog")["pain_during"] is None
        # A digit now is not a rating: nothing is waiting for one.
        await pilot.press("up", "7")
        await settle(pilot)
        assert check_in(db_path, "bird-dog")["pain_during"] is None
        # Unticking invites nothing; a posture habit is never rated.
        await pilot.press("space")
        assert RATING_INVITE not in row(app, "bird-dog")
        await highlight(pilot, "stand-up")
        await pilot.press("space")
        assert RATING_INVITE not in row(app, "stand-up")
        await pilot.press("5")
        await settle(pilot)
        assert check_in(db_path, "stand-up")["pain_during"] is None


async def test_bang_rates_10_and_a_painful_session_suggests_a_step_down(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    with open_store(db_path) as store:
        store.set_level("bird-dog", 2, TUESDAY, TUESDAY_10AM - timedelta(hours=1))
    app = make_app(tmp_path, db_path, clock)
    async with running(app, size=(120, 40)) as pilot:
        await highlight(pilot, "bird-dog")
        await pilot.press("space", "exclamation_mark")
        await settle(pilot)
        assert check_in(db_path, "bird-dog")["pain_during"] == 10
        assert "↓" in row(app, "bird-dog")
        assert "Coach: a step down? — Tue 24 Nov's session at 10/10 (above 5): try" in detail(app)
        assert f"Level below (1): {LEVEL_1}" in detail(app)
        await pilot.press("a")
        await settle(pilot)
        assert table(db_path, "habit_level") == []  # back to where the day started
        assert LEVEL_1 in row(app, "bird-dog")


async def test_plus_and_minus_step_a_level_by_hand(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app, size=(120, 40)) as pilot:
        await highlight(pilot, "bird-dog")
        await pilot.press("minus")  # level 1 is the first: nothing changes
        await settle(pilot)
        assert table(db_path, "habit_level") == []
        await pilot.press("plus", "plus")
        await settle(pilot)
        assert [r["level"] for r in table(db_path, "habit_level")] == [3]
        assert "3 x 12, hold 10 s, each side" in row(app, "bird-dog")
        # Level 3 is a variant with its own how-to and cautions.
        shown = detail(app)
        assert "Level 3 of 3: 3 x 12, hold 10 s, each side · Bird-dog with a band" in shown
        assert "Loop a light band" in shown and "A light band: the back must not arch." in shown
        # So is the full how-to (`i`), with the level's dose.
        await pilot.press("i")
        assert isinstance(app.screen, HabitInfoScreen)
        info = plain(app.screen.query_one(Static))
        assert "Loop a light band" in info and "3 x 12, hold 10 s, each side" in info
        await pilot.press("escape")
        await pilot.press("plus")  # the top: nothing changes
        await pilot.press("minus")
        await settle(pilot)
        assert [r["level"] for r in table(db_path, "habit_level")] == [2]
        # A posture habit has no levels.
        await highlight(pilot, "stand-up")
        await pilot.press("plus")
        await settle(pilot)
        assert [r["level"] for r in table(db_path, "habit_level")] == [2]
