"""Pilot tests of the Today screen: keys in, database rows out.

Each test drives a real UprightApp headless with a fake clock; the database is
checked through a second Store, as `upright` on the command line would see it.
Time moves only when a test advances the fake clock and calls `app.tick()`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual import events
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from textual.widgets._header import HeaderTitle

from store.catalog import load_catalog
from store.catalog_files import fingerprint
from store.errors import StoreError
from store.queries import Store
from store.vocab import CheckInStatus
from tests.fakes import FakeClock
from tests.helpers.waiting import settle, wait_for
from tui.app import SAFETY_SEEN, SLOW_WRITE_SECONDS, UprightApp
from tui.config import Reminder
from tui.screens.catalog import CatalogScreen
from tui.screens.help import HelpScreen
from tui.screens.pain_form import PainForm
from tui.screens.safety import SafetyScreen
from tui.screens.today import TodayScreen
from tui.screens.too_small import TooSmallScreen
from tui.standup.timer import Phase
from tui.views.reads import read_today
from tui.views.timer import TimerView
from tui.widgets.checklist import Checklist
from tui.widgets.day_summary import DaySummary
from tui.widgets.habit_detail import HabitDetail
from tui.widgets.key_bar import KeyBar
from tui.widgets.pain_list import PainList
from tui.widgets.standup import StandupPanel, timer_markup

SMALL_CATALOG = Path(__file__).resolve().parent.parent / "data" / "small.toml"
LONDON = ZoneInfo("Europe/London")
TUESDAY = date(2026, 11, 24)
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
ALERT = "Time to stand up"


pytestmark = pytest.mark.usefixtures("london")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TUESDAY_10AM)


@contextmanager
def open_store(db_path: Path) -> Iterator[Store]:
    """A second connection to the app's database, like the command line's."""
    store = Store.open(db_path)
    try:
        yield store
    finally:
        store.engine.dispose()


def seed(
    db_path: Path, day: date = TUESDAY, safety_seen: bool = True, plan_add: tuple[str, ...] = ()
) -> None:
    """A database as an earlier run left it: catalog synced, safety note maybe dismissed."""
    with open_store(db_path) as store:
        store.sync_catalog(load_catalog(SMALL_CATALOG), day)
        for habit_id in plan_add:
            store.add_to_plan(habit_id, day)
        if safety_seen:
            store.set_setting(SAFETY_SEEN, "2026-01-01T00:00:00+00:00")


def statuses(db_path: Path, day: date = TUESDAY) -> dict[str, str]:
    with open_store(db_path) as store:
        return {item.id: item.status for item in store.today(day)}


def table(db_path: Path, name: str) -> list[dict[str, Any]]:
    with open_store(db_path) as store:
        return store.export()[name]


def make_app(tmp_path: Path, db_path: Path, clock: FakeClock, **kwargs: Any) -> UprightApp:
    options: dict[str, Any] = {
        "db_path": db_path,
        "catalog_path": SMALL_CATALOG,
        "config_path": tmp_path / "config.toml",
        "clock": clock,
        "idle_source": None,
        "desktop_notifications": False,
    }
    options.update(kwargs)
    return UprightApp(**options)


async def wait_ready(pilot: Pilot[None]) -> None:
    """Until the start-up worker has loaded everything (fails if the app exited instead)."""
    app = pilot.app
    assert isinstance(app, UprightApp)
    while not app.data_ready.is_set():
        assert app.return_code is None, app._exit_renderables
        await pilot.pause()
    await settle(pilot)  # and the reads start-up asked for


@asynccontextmanager
async def running(app: UprightApp, size: tuple[int, int] = (100, 32)) -> AsyncIterator[Pilot[None]]:
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        yield pilot
        # End as a real run ends: App.exit stops the timers. (run_test alone tears the
        # screens down while the 1-second tick may still fire.)
        app.exit()


def plain(widget: Static) -> str:
    return str(widget.render())


def pain_text(app: UprightApp) -> str:
    """The pain list's rows, one a line."""
    rows = app.today_screen.query_one(PainList)
    return "\n".join(str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count))


def checklist(app: UprightApp) -> Checklist:
    return app.today_screen.query_one(Checklist)


def timer_text(app: UprightApp) -> str:
    return plain(app.today_screen.query_one(StandupPanel))


def titles(app: UprightApp) -> list[str]:
    return [str(n.title) for n in app._notifications]


def messages(app: UprightApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def let_time_pass(
    pilot: Pilot[None], clock: FakeClock, total: timedelta, step: timedelta = timedelta(seconds=30)
) -> None:
    """Move both clocks forward by `total`, ticking the app as the 1-second timer would."""
    app = pilot.app
    assert isinstance(app, UprightApp)
    left = total
    while left > timedelta(0):
        delta = min(step, left)
        clock.advance(delta)
        app.tick()
        left -= delta
    await pilot.pause()


# --- the checklist ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["space", "enter"])
async def test_tick_and_untick_write_the_database(
    tmp_path: Path, db_path: Path, clock: FakeClock, key: str
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        rows = checklist(app)
        assert rows.highlighted_item is not None
        assert rows.highlighted_item.id == "stand-up"
        await settle(pilot)
        assert statuses(db_path)["stand-up"] == "open"

        await pilot.press(key)
        await settle(pilot)
        assert statuses(db_path)["stand-up"] == "done"
        await settle(pilot)
        [row] = table(db_path, "check_in")
        assert (row["habit_id"], row["date"], row["status"]) == ("stand-up", "2026-11-24", "done")
        assert "[✔]" in str(rows.get_option("stand-up").prompt)
        assert rows.highlighted_item.id == "stand-up"  # the cursor stays put

        await pilot.press(key)
        await settle(pilot)
        assert statuses(db_path)["stand-up"] == "open"
        await settle(pilot)
        assert table(db_path, "check_in") == []
        assert "[ ]" in str(rows.get_option("stand-up").prompt)


async def test_a_tick_shows_in_the_next_frame_is_written_then_progress_follows(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        rows = checklist(app)
        assert "Today 0/" in plain(app.today_screen.query_one(DaySummary))
        frames: list[tuple[str, bool]] = []
        display = app._display

        def noting(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                frames.append(
                    (
                        str(rows.get_option("stand-up").prompt),
                        statuses(db_path)["stand-up"] == "done",
                    )
                )

        app._display = noting  # type: ignore[method-assign]
        await pilot.press("space")
        await pilot.pause()
        # The next frame already shows the tick (the write goes on in the background)...
        assert any("[✔]" in prompt for prompt, _committed in frames)
        await settle(pilot)
        # ...then it is stored, and the re-read after that brings the day's progress.
        await settle(pilot)
        assert statuses(db_path)["stand-up"] == "done"
        assert "Today 1/" in plain(app.today_screen.query_one(DaySummary))
        assert app.today_screen.view is app.today_view


async def test_s_marks_the_highlighted_habit_skipped(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("j", "j")  # firm-chair, then over the "Exercises" heading
        assert checklist(app).highlighted_item.id == "bird-dog"  # type: ignore[union-attr]
        await pilot.press("s")
        await settle(pilot)
        assert statuses(db_path) == {
            "stand-up": "open",
            "firm-chair": "open",
            "bird-dog": "skipped",
            "walk": "open",
        }
        assert "[\u2013]" in str(checklist(app).get_option("bird-dog").prompt)  # the skip mark


async def test_capital_s_skips_every_open_exercise_but_no_posture_habit(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("j", "j", "space")  # bird-dog done first: it must stay done
        await pilot.press("S")
        await pilot.pause()
        await settle(pilot)
        assert statuses(db_path) == {
            "stand-up": "open",
            "firm-chair": "open",
            "bird-dog": "done",
            "walk": "skipped",
        }
        assert any("1 exercise(s) skipped" in m for m in messages(app))


async def test_j_k_and_arrows_move_and_the_detail_follows(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        detail = app.today_screen.query_one(HabitDetail)
        expected = [
            (None, "stand-up", "1. Stand."),
            ("j", "firm-chair", "1. Sit upright."),
            ("j", "bird-dog", "Kneel on all fours"),
            ("down", "walk", "Walk briskly"),
            ("k", "bird-dog", "Kneel on all fours"),
            ("up", "firm-chair", "1. Sit upright."),
            ("k", "stand-up", "1. Stand."),
        ]
        for key, habit_id, how in expected:
            if key is not None:
                await pilot.press(key)
            item = checklist(app).highlighted_item
            assert item is not None and item.id == habit_id, key
            assert how in plain(detail), (key, plain(detail))


async def test_a_returning_user_sees_the_checklist_before_the_catalog_is_read(
    tmp_path: Path, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(db_path)
    async with running(make_app(tmp_path, db_path, clock)):
        pass
    # That run synced with the catalog and remembered its files' fingerprint.
    with open_store(db_path) as store:
        assert store.is_synced_with(fingerprint(SMALL_CATALOG))

    app = make_app(tmp_path, db_path, clock)
    shown_when_read: list[bool] = []

    def load_catalog_later(*args: Any) -> Any:
        shown_when_read.append(app.today_data.stored is not None)
        return load_catalog(*args)

    monkeypatch.setattr("store.catalog.load_catalog", load_catalog_later)
    async with running(app):
        # The unchanged catalog was read once, after the stored checklist was shown...
        assert shown_when_read == [True]
        assert [item.id for item in checklist(app).items] == [
            "stand-up",
            "firm-chair",
            "bird-dog",
            "walk",
        ]
        # ...and the how-to of the highlighted habit follows it.
        assert "1. Stand." in plain(app.today_screen.query_one(HabitDetail))


async def test_i_opens_the_full_how_to_and_escape_closes_it(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    from tui.screens.habit_info import HabitInfoScreen

    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("j", "j", "i")
        assert isinstance(app.screen, HabitInfoScreen)
        assert app.screen.entry.id == "bird-dog"
        text = str(app.screen.query_one(Static).render())
        assert "Kneel on all fours" in text and "Stop if leg pain spreads" in text
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


async def test_keys_typed_at_once_after_c_go_to_the_catalog(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        type_at_once(app, "c", "down", "space")
        await wait_for(
            pilot,
            lambda: "firm-chair" not in [p["habit_id"] for p in table(db_path, "plan_period")],
            "the plan change",
        )
        # The catalog's second row left the plan, and nothing was ticked on Today.
        assert isinstance(app.screen, CatalogScreen)
        await settle(pilot)
        assert [p["habit_id"] for p in table(db_path, "plan_period")] == [
            "stand-up",
            "bird-dog",
            "walk",
        ]
        await settle(pilot)
        assert table(db_path, "check_in") == []


async def test_the_command_palette_logs_pain(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Log pain", "Trends", "Catalog", "I'm up", "Snooze"} <= set(commands)
        await pilot.press("ctrl+p", *"log pain")
        await wait_for(
            pilot,
            lambda: app.screen.query(CommandList).first().option_count,
            "the palette's search (a worker)",
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainForm), "the pain form")


# --- pain ------------------------------------------------------------------------------


async def test_pain_form_digits_and_enter_save_the_score(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, PainForm)
        assert "0 no pain" in plain(app.screen.query_one(".anchors", Static))
        assert "10 worst imaginable" in plain(app.screen.query_one(".anchors", Static))
        await pilot.press("4", "enter")
        assert isinstance(app.screen, TodayScreen)
        await settle(pilot)
        [entry] = table(db_path, "pain_entry")
        assert (entry["score"], entry["leg_score"], entry["context"], entry["note"]) == (
            4,
            None,
            None,
            None,
        )
        assert entry["date"] == "2026-11-24"
        assert "10:00  4/10" in pain_text(app)


def type_at_once(app: UprightApp, *keys: str) -> None:
    """Queue keys as a fast typist (or a paste) delivers them: all before any is handled."""
    for key in keys:
        character = key if len(key) == 1 else {"enter": "\r", "tab": "\t"}.get(key)
        app.post_message(events.Key(key, character))


async def test_keys_typed_at_once_after_p_go_into_the_pain_form(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        # First open (the form is built now), then a reopen, then tab to the leg field.
        bursts = (("p", "5", "enter"), ("p", "7", "enter"), ("p", "3", "tab", "2", "enter"))
        for logged, keys in enumerate(bursts, start=1):
            type_at_once(app, *keys)

            def form_closed_and_logged(logged: int = logged) -> bool:
                return (
                    isinstance(app.screen, TodayScreen)
                    and len(table(db_path, "pain_entry")) == logged
                )

            await wait_for(pilot, form_closed_and_logged, f"{keys} to log")
        # Before, the digits and enter reached the checklist: enter ticked a habit instead.
        await settle(pilot)
        assert table(db_path, "check_in") == []
        await settle(pilot)
        assert [(p["score"], p["leg_score"]) for p in table(db_path, "pain_entry")] == [
            (5, None),
            (7, None),
            (3, 2),
        ]


async def test_pain_logged_before_the_data_is_open_is_stored_once_it_opens(
    tmp_path: Path, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.synced

    seed(db_path)
    release = threading.Event()
    open_synced = store.synced.open_synced

    def held_open(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return open_synced(*args, **kwargs)

    monkeypatch.setattr("store.synced.open_synced", held_open)
    app = make_app(tmp_path, db_path, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("p", "6", "enter")
        # The write waits in the write thread for the database to open; nothing is lost.
        assert not isinstance(app.screen, PainForm)
        assert app.database.pending_writes == 1
        release.set()
        await wait_ready(pilot)
        await settle(pilot)
        assert [row["score"] for row in table(db_path, "pain_entry")] == [6]
        assert "Pain 6/10 logged." in messages(app)
        app.exit()


async def test_pain_form_escape_cancels_and_writes_nothing(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("p", "7", "escape")
        assert isinstance(app.screen, TodayScreen)
        await settle(pilot)
        assert table(db_path, "pain_entry") == []
        assert "none logged" in pain_text(app)


async def test_pain_form_refuses_eleven(tmp_path: Path, db_path: Path, clock: FakeClock) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("p", "1", "1", "enter")
        assert isinstance(app.screen, PainForm)
        error = plain(app.screen.query_one("#pain-error", Static))
        assert "Back pain must be a whole number from 0 to 10" in error
        await settle(pilot)
        assert table(db_path, "pain_entry") == []
        await pilot.press("escape")
        await settle(pilot)
        assert table(db_path, "pain_entry") == []


async def test_pain_form_saves_leg_pain_context_and_note(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("p", "6", "tab", "3", "tab")  # score, leg pain, then the contexts
        await pilot.press("down", "enter")  # "During exercise"
        await pilot.press("tab", *"lifting", "enter")
        assert isinstance(app.screen, TodayScreen)
        await settle(pilot)
        [entry] = table(db_path, "pain_entry")
        assert (entry["score"], entry["leg_score"], entry["context"], entry["note"]) == (
            6,
            3,
            "during-exercise",
            "lifting",
        )
        assert "6/10 leg 3 during-exercise lifting" in pain_text(app)


# --- the stand-up timer ----------------------------------------------------------------


async def test_timer_alerts_once_the_clock_passes_the_limit(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        assert "Sitting 0 min of 30 min" in timer_text(app)
        await let_time_pass(pilot, clock, timedelta(minutes=29, seconds=30))
        assert "Time to stand up" not in timer_text(app)
        assert ALERT not in titles(app)

        await let_time_pass(pilot, clock, timedelta(minutes=1, seconds=30))
        assert "Sitting 31 min of 30 min" in timer_text(app)
        assert "Time to stand up!" in timer_text(app)
        assert titles(app).count(ALERT) == 1


async def test_sit_limit_of_one_minute_alerts_after_a_minute(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock, sit_limit_minutes=1)
    async with running(app) as pilot:
        assert "of 1 min" in timer_text(app)
        await let_time_pass(pilot, clock, timedelta(seconds=59), step=timedelta(seconds=1))
        assert ALERT not in titles(app)
        await let_time_pass(pilot, clock, timedelta(seconds=2), step=timedelta(seconds=1))
        assert "Time to stand up!" in timer_text(app)
        assert titles(app).count(ALERT) == 1


async def test_snooze_postpones_the_alert(tmp_path: Path, db_path: Path, clock: FakeClock) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await let_time_pass(pilot, clock, timedelta(minutes=28))
        await pilot.press("z")
        assert "snooze (2 left)" in timer_text(app)
        # Without the snooze the alert would come at 30:00; now at 28 + 5 = 33:00.
        await let_time_pass(pilot, clock, timedelta(minutes=4, seconds=30))
        assert ALERT not in titles(app)
        await let_time_pass(pilot, clock, timedelta(seconds=30))
        assert titles(app).count(ALERT) == 1
    [spell] = table(db_path, "sitting_spell")
    assert (spell["ended_by"], spell["alerts"], spell["snoozes"]) == ("quit", 1, 1)


async def test_a_break_and_quitting_store_sitting_spells(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await let_time_pass(pilot, clock, timedelta(minutes=20))
        await pilot.press("u")
        assert "On a break" in timer_text(app)
        await let_time_pass(
            pilot, clock, timedelta(minutes=3, seconds=10), step=timedelta(seconds=10)
        )
        await pilot.press("b")
        assert "Sitting 0 min" in timer_text(app)
        await settle(pilot)
        [spell] = table(db_path, "sitting_spell")
        assert spell["ended_by"] == "break"
        assert spell["start"].startswith("2026-11-24T10:00:00")
        assert spell["end"].startswith("2026-11-24T10:20:00")

        await let_time_pass(pilot, clock, timedelta(minutes=7))
        await pilot.press("q")
    assert app.return_code == 0
    # On the way out the write-ahead log went into the database file itself.
    assert not Path(f"{db_path}-wal").exists()
    first, second = table(db_path, "sitting_spell")
    assert first["ended_by"] == "break"
    assert second["ended_by"] == "quit"
    assert second["start"].startswith("2026-11-24T10:23:10")
    assert second["end"].startswith("2026-11-24T10:30:10")


async def test_a_reminder_shows_only_while_something_is_open(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        app.remind(Reminder(at=time(18, 0), text="Evening exercises"))
        await pilot.pause()
        assert "Evening exercises (4 open)." in messages(app)
        assert titles(app).count("Reminder") == 1

        with open_store(db_path) as store:
            for habit_id in ("stand-up", "firm-chair", "bird-dog", "walk"):
                store.set_check_in(habit_id, TUESDAY, "done", clock.now())
        app.remind(Reminder(at=time(18, 0), text="Evening exercises"))
        await pilot.pause()
        assert titles(app).count("Reminder") == 1


# --- the day and the shared database ---------------------------------------------------


@pytest.mark.parametrize(
    ("evening", "morning_title", "due_before", "due_after"),
    [
        (date(2026, 11, 24), "Wednesday 25 November 2026", False, True),  # Tue -> Wed
        (date(2026, 11, 25), "Thursday 26 November 2026", True, False),  # Wed -> Thu
    ],
)
async def test_midnight_switches_the_checklist_to_the_new_day(
    tmp_path: Path,
    db_path: Path,
    evening: date,
    morning_title: str,
    due_before: bool,
    due_after: bool,
) -> None:
    seed(db_path, day=evening, plan_add=("superman",))
    clock = FakeClock(datetime.combine(evening, time(23, 59, 50), LONDON))
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        header = app.today_screen.query_one(HeaderTitle)
        assert f"{evening:%A %-d %B %Y}" in str(header.render())
        ids = [item.id for item in checklist(app).items]
        assert ("superman" in ids) is due_before
        assert checklist(app).get_option_index("walk") >= 0

        await let_time_pass(pilot, clock, timedelta(seconds=15), step=timedelta(seconds=5))
        assert app.today == evening + timedelta(days=1)
        await pilot.pause()
        assert morning_title in str(header.render())
        assert str(checklist(app).border_title).startswith(f"Today · {morning_title[:-5]}")
        ids = [item.id for item in checklist(app).items]
        assert ("superman" in ids) is due_after
        # The new day starts with nothing done.
        assert {item.status for item in checklist(app).items} == {"open"}


async def test_changes_from_the_command_line_show_up(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        with open_store(db_path) as other:  # `upright done bird-dog`
            other.set_check_in("bird-dog", TUESDAY, "done", clock.now())
            other.add_pain(5, clock.now(), TUESDAY)
        app.today_data.poll()
        await settle(pilot)
        status = {item.id: item.status for item in checklist(app).items}
        assert status["bird-dog"] == "done"
        assert "[✔]" in str(checklist(app).get_option("bird-dog").prompt)
        assert "5/10" in pain_text(app)


async def test_catalog_screen_adds_and_removes_plan_habits(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CatalogScreen)
        grid = app.screen.query_one(DataTable)
        names = [str(grid.get_row_at(i)[1]) for i in range(grid.row_count)]
        assert names == [
            "Stand up every 30 minutes",
            "Sit on a firm chair",
            "Bird-dog",
            "Brisk walk",
            "Small swallow fly",
        ]
        assert [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)] == [
            "✔",
            "✔",
            "✔",
            "✔",
            "",
        ]

        await pilot.press("down", "down", "down", "down")
        assert "Lie prone" in plain(app.screen.query_one(HabitDetail))
        await pilot.press("a")
        await pilot.pause()
        await settle(pilot)
        superman = [p for p in table(db_path, "plan_period") if p["habit_id"] == "superman"]
        assert [(p["entered"], p["left"]) for p in superman] == [("2026-11-24", None)]
        assert str(grid.get_row_at(4)[0]) == "✔"

        await pilot.press("a")
        await pilot.pause()
        await settle(pilot)
        assert [p for p in table(db_path, "plan_period") if p["habit_id"] == "superman"] == []
        assert str(grid.get_row_at(4)[0]) == ""

        await pilot.press("up", "up", "up", "up", "a")  # stand-up out: gone from today's list
        await pilot.pause()
        await settle(pilot)
        assert [p["habit_id"] for p in table(db_path, "plan_period")] == [
            "firm-chair",
            "bird-dog",
            "walk",
        ]
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
        assert "stand-up" not in [item.id for item in checklist(app).items]


async def test_help_opens_and_s_there_opens_the_safety_note(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "upright keys" in plain(app.screen.query_one(Static))
        await pilot.press("s")
        assert isinstance(app.screen, SafetyScreen)
        assert "numbness around the genitals" in plain(app.screen.query_one(Static))
        await pilot.press("escape")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


async def test_safety_note_shows_on_the_first_run_only(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    first = make_app(tmp_path, db_path, clock)
    async with running(first) as pilot:
        assert isinstance(first.screen, SafetyScreen)
        assert "not medical advice" in plain(first.screen.query_one(Static))
        await pilot.press("escape")
        assert isinstance(first.screen, TodayScreen)
    with open_store(db_path) as store:
        assert store.get_setting(SAFETY_SEEN) is not None

    second = make_app(tmp_path, db_path, clock)
    async with running(second):
        assert isinstance(second.screen, TodayScreen)
        assert not any(isinstance(s, SafetyScreen) for s in second.screen_stack)


async def test_first_run_space_ticks_right_after_the_safety_note_closes(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    # A new user's first keys: escape the note, then tick the first habit, then log pain
    # typed straight after p.
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await pilot.press("escape", "space", "p", "5", "enter")
        assert isinstance(app.screen, TodayScreen)
    assert statuses(db_path)["stand-up"] == "done"
    assert [row["score"] for row in table(db_path, "pain_entry")] == [5]


async def test_a_small_terminal_says_it_needs_more_room(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    app = make_app(tmp_path, db_path, clock)  # first run: the safety note wants to show too
    async with running(app, size=(60, 20)) as pilot:
        assert isinstance(app.screen, TooSmallScreen)
        assert "needs at least 80x24" in plain(app.screen.query_one(Static))
        await pilot.press("question_mark")
        assert isinstance(app.screen, TooSmallScreen)

        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
        await pilot.press("escape", "escape")  # the help, then the safety note
        assert isinstance(app.screen, TodayScreen)

        await pilot.resize_terminal(79, 30)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


# --- broken files ----------------------------------------------------------------------


async def run_until_exit(app: UprightApp) -> str:
    """Run until the app gives up (or, wrongly, finishes loading); returns its exit message."""
    async with app.run_test() as pilot:
        while app.return_code is None and not app.data_ready.is_set():
            await pilot.pause()
        return " ".join(str(r) for r in app._exit_renderables)


async def test_a_broken_catalog_exits_with_code_2_and_stores_nothing(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(SMALL_CATALOG.read_text().replace('kind = "cardio"', 'kind = "dance"'))
    app = make_app(tmp_path, db_path, clock, catalog_path=broken)
    message = await run_until_exit(app)
    assert app.return_code == 2
    assert not app.data_ready.is_set()
    assert not db_path.exists()
    assert message.startswith("upright: error: ")
    assert "broken.toml" in message


async def test_a_broken_config_exits_with_code_2_and_stores_nothing(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    (tmp_path / "config.toml").write_text("sit_limit_minutes = 10\n")
    app = make_app(tmp_path, db_path, clock)
    message = await run_until_exit(app)
    assert app.return_code == 2
    assert not app.data_ready.is_set()
    assert not db_path.exists()
    assert "config.toml" in message and "'sit_limit_minutes'" in message


def test_with_status_changes_one_row_and_keeps_the_counts(db_path: Path) -> None:
    seed(db_path)
    with open_store(db_path) as store:
        view = read_today(store, load_catalog(SMALL_CATALOG), TUESDAY)
    changed = view.with_status("stand-up", CheckInStatus.DONE)
    assert [i.status for i in changed.items if i.id == "stand-up"] == ["done"]
    assert view.items[0].status == "open"  # the original is untouched
    assert [i for i in changed.items if i.id != "stand-up"] == [
        i for i in view.items if i.id != "stand-up"
    ]
    assert (changed.day_done, changed.week_done) == (view.day_done, view.week_done)


def test_the_timer_panel_changes_once_a_minute() -> None:
    def markup(seconds: int) -> str:
        return timer_markup(
            TimerView(
                phase=Phase.SITTING,
                sitting_seconds=seconds,
                limit_seconds=30 * 60,
                snoozes_left=3,
                idle_source="x",
            )
        )

    assert markup(61) == markup(119)  # the same text: the once-a-second tick repaints nothing
    assert markup(119) != markup(120)
    assert "[b $success]2 min[/] of 30 min" in markup(120)
    assert "1 h 05 min" in markup(65 * 60)


async def test_the_key_bar_lists_the_keys_and_a_click_presses_one(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        bar = app.today_screen.query_one(KeyBar)
        text = str(bar.render())
        hints = ("space Tick", "s Skip", "p Pain", "q Quit", "t Trends", "? Help", "^p palette")
        for hint in hints:
            assert hint in text, hint
        await pilot.click(KeyBar, offset=(text.index("? Help") + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


# --- writes that fail or wait ------------------------------------------------------------

LOCKED_NOTICE = "locked by another program"


def errors(app: UprightApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


def prompt(app: UprightApp, habit_id: str) -> str:
    return str(checklist(app).get_option(habit_id).prompt)


def failing(release: threading.Event, calls: list[object], message: str) -> Any:
    """A Store method that waits for `release`, then fails for good (not a lock)."""

    def fail(_self: Store, *args: object, **_kwargs: object) -> None:
        calls.append(args)
        release.wait(10)
        raise StoreError(message)

    return fail


async def test_a_tick_that_cannot_be_saved_is_taken_back_and_reported(
    tmp_path: Path, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await settle(pilot)
        release, calls = threading.Event(), list[object]()
        with monkeypatch.context() as patch:
            patch.setattr(Store, "set_check_in", failing(release, calls, "database is full"))
            await pilot.press("space")
            await pilot.pause()
            # Shown at once, while the write is still under way...
            assert "[✔]" in prompt(app, "stand-up")
            assert app.database.pending_writes == 1
            release.set()
            await settle(pilot)
            # ...and taken back once it has failed: the screen shows what is stored.
            assert "[ ]" in prompt(app, "stand-up")
            assert len(calls) == 1  # a failure that is not a lock is not tried again
        assert statuses(db_path)["stand-up"] == "open"
        assert table(db_path, "check_in") == []
        [error] = errors(app)
        assert "Not saved" in error
        assert "database is full" in error
        assert "\n" not in error
        assert app.is_running
        assert app.return_code is None

        # The app goes on: the same key now ticks and stores.
        await pilot.press("space")
        await settle(pilot)
        assert "[✔]" in prompt(app, "stand-up")
        assert statuses(db_path)["stand-up"] == "done"
        assert len(errors(app)) == 1


async def test_a_pain_entry_that_cannot_be_saved_is_taken_back_and_reported(
    tmp_path: Path, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(db_path)
    app = make_app(tmp_path, db_path, clock)
    async with running(app) as pilot:
        await settle(pilot)
        release, calls = threading.Event(), list[object]()
        with monkeypatch.context() as patch:
            patch.setattr(Store, "add_pain", failing(release, calls, "database is full"))
            await pilot.press("p", "5", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            assert "10:00  5/10" in pain_text(app)
            release.set()
            await settle(pilot)
            assert "5/10" not in pain_text(app)
            assert "none logged" in pain_text(app)
            assert len(calls) == 1
        assert table(db_path, "pain_entry") == []
        [error] = errors(app)
        assert "Not saved (pain 5/10)" in error
        assert "database is full" in error
        assert "\n" not in error
        assert "Pain 5/10 logged." not in messages(app)

        await pilot.press("p", "4", "enter")
        await settle(pilot)
        assert [row["score"] for row in table(db_path, "pain_entry")] == [4]
        assert "10:00  4/10" in pain_text(app)


async def test_a_tick_waiting_on_another_programs_lock_shows_at_once_and_is_stored_later(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    seed(db_path)
    # One attempt gives up on the lock after 0.1 s; the app tries again for 30 s.
    app = make_app(tmp_path, db_path, clock, write_patience=30, busy_timeout=0.1)
    async with running(app) as pilot:
        await settle(pilot)
        holder = sqlite3.connect(db_path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            await pilot.press("space")
            await pilot.pause()
            assert "[✔]" in prompt(app, "stand-up")
            await wait_for(
                pilot, lambda: app.database.write_waiting_for() > 0, "the write to wait on the lock"
            )
            assert app.database.pending_writes == 1
            app.tick()
            await pilot.pause()
            assert not any(LOCKED_NOTICE in m for m in messages(app))  # not yet: too soon

            # The notice counts real seconds spent waiting (the database's own clock).
            await wait_for(
                pilot,
                lambda: app.database.write_waiting_for() >= SLOW_WRITE_SECONDS,
                "the write to wait long enough to be announced",
            )
            clock.advance(timedelta(seconds=4))
            app.tick()
            await pilot.pause()
            assert sum(LOCKED_NOTICE in m for m in messages(app)) == 1
            clock.advance(timedelta(seconds=1))
            app.tick()  # told once, not on every tick
            await pilot.pause()
            assert sum(LOCKED_NOTICE in m for m in messages(app)) == 1
            assert app.database.pending_writes == 1
            assert "[✔]" in prompt(app, "stand-up")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await settle(pilot)
        assert statuses(db_path)["stand-up"] == "done"
        assert "[✔]" in prompt(app, "stand-up")
        assert errors(app) == []
        assert app.database.write_waiting_for() == 0
