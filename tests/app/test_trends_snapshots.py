"""SVG snapshots of each Trends tab: demo data, a fixed clock, 120x40.

Update with `pytest tests/test_trends_snapshots.py --snapshot-update` and look
at the SVGs under `tests/__snapshots__/test_trends_snapshots/` before committing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from store.catalog import load_catalog
from store.demo import fill_demo
from store.queries import Store
from tests.fakes import FakeClock
from tui.app import SAFETY_SEEN, UprightApp
from tui.screens.trends import TrendsScreen

SMALL_CATALOG = Path(__file__).resolve().parent.parent / "data" / "small.toml"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))
SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("london")


def demo_app(tmp_path: Path, level_up: bool = False) -> UprightApp:
    """The demo; `level_up`: bird-dog stepped up to level 2 on 10 November."""
    db_path = tmp_path / "demo.db"
    store = Store.open(db_path)
    fill_demo(store, load_catalog(SMALL_CATALOG), NOW)
    if level_up:
        store.set_level("bird-dog", 2, date(2026, 11, 10), NOW)
    store.set_setting(SAFETY_SEEN, NOW.isoformat())
    store.engine.dispose()
    return UprightApp(
        db_path=db_path,
        catalog_path=SMALL_CATALOG,
        config_path=tmp_path / "none.toml",
        clock=FakeClock(NOW),
        idle_source=None,
        desktop_notifications=False,
    )


def open_tab(tab: str, keys: tuple[str, ...] = ()) -> Any:
    """A run_before: wait for the data, open Trends, press `keys`, show `tab`."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, UprightApp)
        while not app.data_ready.is_set():
            await pilot.pause(0.02)
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        for key in keys:
            await pilot.press(key)
        weeks = screen.weeks
        while screen.data is None or screen.data.weeks != weeks:
            await pilot.pause(0.02)
        screen.query_one(TabbedContent).active = tab
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("tab", ["weekly", "daily", "pain", "sitting", "habits", "helps"])
def test_trends_tab(tab: str, tmp_path: Path, snap_compare: Any) -> None:
    app = demo_app(tmp_path, level_up=tab == "helps")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_tab(tab))


def test_trends_weekly_four_weeks(tmp_path: Path, snap_compare: Any) -> None:
    assert snap_compare(
        demo_app(tmp_path), terminal_size=SIZE, run_before=open_tab("weekly", ("1",))
    )


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_does_it_help_at_small_and_large_sizes(
    size: tuple[int, int], tmp_path: Path, snap_compare: Any
) -> None:
    app = demo_app(tmp_path, level_up=True)
    assert snap_compare(app, terminal_size=size, run_before=open_tab("helps"))
