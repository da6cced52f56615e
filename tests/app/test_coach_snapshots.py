"""SVG snapshot of Today with the coach's suggestion shown: bird-dog's third comfortable
session rated, the row marked, the how-to pane giving the reason and the next level.
Update with `--snapshot-update` and look at the SVG before committing it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.catalog import load_catalog
from store.queries import Store
from store.vocab import CheckInStatus, PainContext
from tests.app.test_today_snapshots import LONDON, NOW, TUESDAY
from tests.fakes import FakeClock
from tui.app import SAFETY_SEEN, UprightApp
from tui.widgets.checklist import Checklist

SMALL_CATALOG = Path(__file__).resolve().parent.parent / "data" / "small.toml"

SnapCompare = Callable[..., bool]

pytestmark = pytest.mark.usefixtures("london")


@pytest.fixture
def app(tmp_path: Path) -> UprightApp:
    """A month in the plan, mornings steady at 3, bird-dog done three days at 1/10."""
    db_path = tmp_path / "upright.db"
    store = Store.open(db_path)
    try:
        store.sync_catalog(load_catalog(SMALL_CATALOG), TUESDAY - timedelta(days=30))
        store.set_setting(SAFETY_SEEN, "2026-11-23T09:00:00+00:00")
        for back in range(30):
            day = TUESDAY - timedelta(days=back)
            morning = datetime(day.year, day.month, day.day, 8, 0, tzinfo=LONDON)
            store.add_pain(3, morning, day, context=PainContext.MORNING)
        for back in (2, 1, 0):
            day = TUESDAY - timedelta(days=back)
            at = min(NOW, datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON))
            store.set_check_in("bird-dog", day, CheckInStatus.DONE, at, pain_during=1)
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


async def bird_dog_highlighted(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, UprightApp)
    await app.data_ready.wait()
    await pilot.pause()
    while app.database.idle is False:
        await pilot.pause(0.02)
    checklist = app.today_screen.query_one(Checklist)
    for _ in range(10):
        item = checklist.highlighted_item
        if item is not None and item.id == "bird-dog":
            break
        await pilot.press("down")
    await pilot.pause()


def test_today_with_a_suggestion_at_120x40(snap_compare: SnapCompare, app: UprightApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=bird_dog_highlighted)
