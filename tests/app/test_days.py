"""Pilot tests of issue 14 on the Today screen: any day, pain entries to fix, the day's
note, and undo. After each step the store (read through a second connection, as the
command line would) holds exactly what the screen shows.

The clock is fixed at Tuesday 24 November 2026, 10:00 London; the plan started a week
earlier, so Sunday the 22nd (two days back) has habits due.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets._header import HeaderTitle

from store.catalog import load_catalog
from tests.app.test_today import (
    LONDON,
    SMALL_CATALOG,
    TUESDAY,
    TUESDAY_10AM,
    checklist,
    let_time_pass,
    make_app,
    messages,
    open_store,
    pain_text,
    running,
)
from tests.fakes import FakeClock
from tests.helpers.waiting import settle
from tui.app import SAFETY_SEEN, UprightApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.note_form import NoteForm
from tui.screens.pain_form import PainForm
from tui.screens.today import TodayScreen
from tui.widgets.day_summary import DaySummary
from tui.widgets.pain_list import PainList

SUNDAY = date(2026, 11, 22)
PLAN_START = date(2026, 11, 16)

pytestmark = pytest.mark.usefixtures("london")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TUESDAY_10AM)


def seed(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.sync_catalog(load_catalog(SMALL_CATALOG), PLAN_START)
        store.set_setting(SAFETY_SEEN, "2026-11-16T09:00:00+00:00")


def header(app: UprightApp) -> str:
    return str(app.today_screen.query_one(HeaderTitle).render())


def summary(app: UprightApp) -> str:
    return str(app.today_screen.query_one(DaySummary).render())


def assert_store_is_screen(app: UprightApp, db_path: Path) -> None:
    """The day shown, as the screen shows it, is the day as stored: checklist, pain, note."""
    view = app.today_screen.view
    assert view is not None
    day = view.day
    with open_store(db_path) as store:
        stored_status = {item.id: str(item.status) for item in store.today(day)}
        stored_pain = [
            (e.id, e.at, e.score, e.leg_score, e.context, e.note) for e in store.pain_on(day)
        ]
        note = store.note_on(day)
    assert {item.id: str(item.status) for item in checklist(app).items} == stored_status
    assert [(e.id, e.at, e.score, e.leg_score, e.context, e.note) for e in view.pain] == (
        stored_pain
    )
    rows = app.today_screen.query_one(PainList)
    if stored_pain:
        assert rows.option_count == len(stored_pain)
        for index, (_id, at, score, *_rest) in enumerate(stored_pain):
            shown = str(rows.get_option_at_index(index).prompt)
            assert shown.startswith(f"{at.astimezone(LONDON):%H:%M}  {score}/10"), shown
    else:
        assert "none logged" in pain_text(app)
    assert view.note == (note.text if note else None)
    if note is not None:
        assert note.text in summary(app)
    else:
        assert "Note none" in summary(app)


async def undo(pilot: Pilot[None]) -> str:
    """ctrl+z; the toast it gave."""
    app = pilot.app
    assert isinstance(app, UprightApp)
    before = len(app._notifications)
    await pilot.press("ctrl+z")
    await settle(pilot)
    [told] = [str(n.message) for n in list(app._notifications)[before:]]
    return told


async def test_back_two_days_fix_the_record_there_then_undo_each_step(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("left", "left_square_bracket")
        await settle(pilot)
        assert "Sunday 22 November 2026 · a past day" in header(app)
        assert str(checklist(app).border_title).startswith("Sunday 22 November · a past day")
        assert app.today_screen.view is not None and app.today_screen.view.day == SUNDAY
        assert "Sun 22 Nov" in summary(app) and "That week" in summary(app)
        # The stand-up timer keeps showing now: it is not a day's data.
        assert app.standup is not None
        assert_store_is_screen(app, db_path)

        # Tick the first habit and skip the second, on Sunday.
        first, second = [item.id for item in checklist(app).items[:2]]
        checklist(app).focus()
        checklist(app).highlighted = checklist(app).get_option_index(first)
        await pilot.press("space")
        checklist(app).highlighted = checklist(app).get_option_index(second)
        await pilot.press("s")
        await settle(pilot)
        with open_store(db_path) as store:
            assert store.check_in_on(first, SUNDAY).status == "done"  # type: ignore[union-attr]
            assert store.check_in_on(second, SUNDAY).status == "skipped"  # type: ignore[union-attr]
            assert store.today(TUESDAY)[0].status == "open"  # today untouched
        assert_store_is_screen(app, db_path)

        # Pain logged on Sunday: its date is Sunday, its time Sunday noon.
        await pilot.press("p", "6", "enter")
        await settle(pilot)
        with open_store(db_path) as store:
            [entry] = store.pain_on(SUNDAY)
        assert entry.score == 6
        assert entry.at == datetime.combine(SUNDAY, time(12), LONDON).astimezone(UTC)
        assert_store_is_screen(app, db_path)

        # Edit it: the form opens filled in; 6 becomes 3, a note is added.
        rows = app.today_screen.query_one(PainList)
        rows.focus()
        rows.highlighted = 0
        await pilot.press("e")
        assert isinstance(app.screen, PainForm)
        assert app.screen.query_one("#score", Input).value == "6"
        app.screen.query_one("#score", Input).value = "3"
        app.screen.query_one("#note", Input).value = "typed 6 by mistake"
        await pilot.press("enter")
        await settle(pilot)
        with open_store(db_path) as store:
            [edited] = store.pain_on(SUNDAY)
        assert (edited.id, edited.score, edited.note, edited.at) == (
            entry.id,
            3,
            "typed 6 by mistake",
            entry.at,
        )
        assert_store_is_screen(app, db_path)

        # Delete it, after a confirm ("n" first: nothing happens).
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        with open_store(db_path) as store:
            assert len(store.pain_on(SUNDAY)) == 1
        await pilot.press("d")
        await pilot.press("y")
        await settle(pilot)
        with open_store(db_path) as store:
            assert store.pain_on(SUNDAY) == []
        assert_store_is_screen(app, db_path)

        # A note for Sunday.
        await pilot.press("n")
        assert isinstance(app.screen, NoteForm)
        await pilot.press(*"flared after gardening", "enter")
        await settle(pilot)
        with open_store(db_path) as store:
            note = store.note_on(SUNDAY)
        assert note is not None and note.text == "flared after gardening"
        assert_store_is_screen(app, db_path)

        # Undo, newest first, each one back to exactly what was stored before it.
        assert await undo(pilot) == "Undid: note set on 22 Nov"
        with open_store(db_path) as store:
            assert store.note_on(SUNDAY) is None
        assert_store_is_screen(app, db_path)

        assert await undo(pilot) == "Undid: pain 3/10 deleted on 22 Nov"
        with open_store(db_path) as store:
            [back] = store.pain_on(SUNDAY)
        assert back.model_dump() == edited.model_dump()
        assert_store_is_screen(app, db_path)

        assert await undo(pilot) == "Undid: pain entry edited on 22 Nov"
        with open_store(db_path) as store:
            [back] = store.pain_on(SUNDAY)
        assert back.model_dump() == entry.model_dump()
        assert_store_is_screen(app, db_path)

        assert await undo(pilot) == "Undid: pain 6/10 added on 22 Nov"
        with open_store(db_path) as store:
            assert store.pain_on(SUNDAY) == []
        assert_store_is_screen(app, db_path)

        told = await undo(pilot)
        assert told.startswith("Undid: ") and told.endswith(" skipped on 22 Nov")
        with open_store(db_path) as store:
            assert store.check_in_on(second, SUNDAY) is None
            assert store.check_in_on(first, SUNDAY) is not None
        assert_store_is_screen(app, db_path)

        told = await undo(pilot)
        assert told.startswith("Undid: ") and told.endswith(" ticked on 22 Nov")
        with open_store(db_path) as store:
            assert store.check_in_on(first, SUNDAY) is None
            assert store.export()["check_in"] == []
            assert store.export()["pain_entry"] == []
            assert store.export()["day_note"] == []
        assert_store_is_screen(app, db_path)

        assert await undo(pilot) == "Nothing to undo."


async def test_undo_puts_back_a_tick_that_replaced_a_skip_exactly(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    earlier = datetime(2026, 11, 23, 20, 0, tzinfo=LONDON)
    with open_store(db_path) as store:
        store.set_check_in("bird-dog", TUESDAY, "skipped", earlier)
        before = store.export()["check_in"]
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        checklist(app).highlighted = checklist(app).get_option_index("bird-dog")
        await pilot.press("space")
        await settle(pilot)
        with open_store(db_path) as store:
            assert store.check_in_on("bird-dog", TUESDAY).status == "done"  # type: ignore[union-attr]
        await undo(pilot)
        with open_store(db_path) as store:
            assert store.export()["check_in"] == before
        assert_store_is_screen(app, db_path)


async def test_forward_past_today_is_refused_and_home_comes_back(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("right")
        await settle(pilot)
        assert app.shown.shown == TUESDAY
        assert "That is today: there are no later days." in messages(app)
        assert "past day" not in header(app)
        await pilot.press("left", "left", "left", "right")
        await settle(pilot)
        assert app.today_screen.view is not None
        assert app.today_screen.view.day == date(2026, 11, 22)
        await pilot.press("home")
        await settle(pilot)
        assert app.today_screen.view.day == TUESDAY
        assert "Tuesday 24 November 2026" in header(app) and "past day" not in header(app)
        assert str(checklist(app).border_title).startswith("Today · Tuesday 24 November")
        await pilot.press("right_square_bracket")
        assert app.shown.shown == TUESDAY


async def test_a_past_day_stays_at_midnight_today_moves_on(tmp_path: Path, db_path: Path) -> None:
    seed(db_path)
    clock = FakeClock(datetime(2026, 11, 24, 23, 59, 50, tzinfo=LONDON))
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("left")
        await settle(pilot)
        await let_time_pass(pilot, clock, timedelta(seconds=15), step=timedelta(seconds=5))
        await settle(pilot)
        assert app.today == date(2026, 11, 25)
        assert app.today_screen.view is not None
        assert app.today_screen.view.day == date(2026, 11, 23)
        assert "Monday 23 November 2026 · a past day" in header(app)
        # Tuesday, today until a moment ago, is now a past day too: one step on.
        await pilot.press("right")
        await settle(pilot)
        assert app.today_screen.view.day == TUESDAY and app.today_screen.view.past
        await pilot.press("right")
        await settle(pilot)
        assert app.today_screen.view.day == date(2026, 11, 25)
        assert not app.today_screen.view.past


async def test_a_note_with_markup_is_shown_as_typed_and_cleared_with_an_empty_form(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("n", *"[b]not bold[/b]", "enter")
        await settle(pilot)
        assert "[b]not bold[/b]" in summary(app)
        assert_store_is_screen(app, db_path)
        await pilot.press("n")
        assert isinstance(app.screen, NoteForm)
        assert app.screen.query_one(Input).value == "[b]not bold[/b]"
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        with open_store(db_path) as store:
            assert store.note_on(TUESDAY) is None
        assert_store_is_screen(app, db_path)
        assert await undo(pilot) == "Undid: note cleared on 24 Nov"
        assert_store_is_screen(app, db_path)
        assert "[b]not bold[/b]" in summary(app)


async def test_a_day_before_the_plan_began_says_nothing_was_due_on_it(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press(*["left"] * ((TUESDAY - PLAN_START).days + 1))
        await settle(pilot)
        assert app.today_screen.view is not None
        assert app.today_screen.view.day == PLAN_START - timedelta(days=1)
        only = checklist(app).get_option_at_index(0).prompt
        assert str(only) == "Nothing due on Sun 15 Nov. Press c to add habits."
