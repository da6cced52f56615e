"""SVG snapshots of the Today screen at the smallest supported size and a roomy one.

The clock, the local time zone and the data are fixed, so the pictures only
change when the layout does. Update with `--snapshot-update` and look at the
SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from store.catalog import load_catalog
from store.queries import Store
from tests.fakes import FakeClock
from tests.helpers.waiting import wait_for
from tui.app import SAFETY_SEEN, UprightApp
from tui.widgets.pain_list import PainList

SMALL_CATALOG = Path(__file__).resolve().parent.parent / "data" / "small.toml"
LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
# How long the user has been sitting when the picture is taken.
SITTING = timedelta(minutes=12, seconds=34)

SnapCompare = Callable[..., bool]


pytestmark = pytest.mark.usefixtures("london")


@pytest.fixture
def app(tmp_path: Path) -> UprightApp:
    """Yesterday's plan, ticks and note, today two ticks, a skip and two pain entries."""
    db_path = tmp_path / "upright.db"
    store = Store.open(db_path)
    try:
        store.sync_catalog(load_catalog(SMALL_CATALOG), MONDAY)
        store.set_setting(SAFETY_SEEN, "2026-11-23T09:00:00+00:00")
        monday_evening = datetime(2026, 11, 23, 18, 0, tzinfo=LONDON)
        store.set_check_in("walk", MONDAY, "done", monday_evening)
        store.set_check_in("bird-dog", MONDAY, "done", monday_evening)
        store.set_note(MONDAY, "Flared after gardening; [b]not bold[/b]", monday_evening)
        store.set_check_in("stand-up", TUESDAY, "done", NOW - timedelta(hours=1))
        store.set_check_in("bird-dog", TUESDAY, "done", NOW - timedelta(minutes=30))
        store.set_check_in("walk", TUESDAY, "skipped", NOW - timedelta(minutes=20))
        store.add_pain(3, datetime(2026, 11, 24, 8, 15, tzinfo=LONDON), TUESDAY, context="morning")
        store.add_pain(
            5,
            datetime(2026, 11, 24, 9, 40, tzinfo=LONDON),
            TUESDAY,
            leg_score=2,
            note="after the commute",
        )
    finally:
        store.engine.dispose()
    return UprightApp(
        db_path=db_path,
        catalog_path=SMALL_CATALOG,
        config_path=tmp_path / "config.toml",
        clock=FakeClock(NOW),
        idle_source=None,
        desktop_notifications=False,
    )


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the data, then let the fake clock run to a fixed sitting time."""
    app = pilot.app
    assert isinstance(app, UprightApp)
    await app.data_ready.wait()
    await pilot.pause()
    assert isinstance(app.clock, FakeClock)
    # In steps, as the 1-second tick would: one big jump would look like a suspend.
    left = SITTING
    while left:
        step = min(left, timedelta(seconds=30))
        app.clock.advance(step)
        app.tick()
        left -= step
    await pilot.pause()


def test_today_at_80x24(snap_compare: SnapCompare, app: UprightApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_today_at_120x40(snap_compare: SnapCompare, app: UprightApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


async def past_day(pilot: Pilot[None]) -> None:
    """Back one day (Monday: two ticks, a note), after the usual settling."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, UprightApp)
    await pilot.press("left")
    await wait_for(pilot, lambda: app.database.idle, "Monday's read")
    await pilot.pause()


async def pain_list(pilot: Pilot[None]) -> None:
    """Today, with the pain list focused on its second entry."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, UprightApp)
    await pilot.press("tab")
    rows = app.today_screen.query_one(PainList)
    rows.focus()
    rows.highlighted = 1
    await pilot.pause()


def test_a_past_day_at_100x30(snap_compare: SnapCompare, app: UprightApp) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=past_day)


def test_the_pain_list_at_100x30(snap_compare: SnapCompare, app: UprightApp) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=pain_list)
