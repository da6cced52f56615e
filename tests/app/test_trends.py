"""The Trends screen: its series against `upright stats --json`, the sentences it states,
and Pilot tests of every tab with data and with none.

The clock is fixed at Tuesday 24 November 2026, 10:00 in London; the demo data
(`store.demo.fill_demo`, small catalog) ends there.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TabbedContent

from store.catalog import load_catalog
from store.demo import fill_demo
from store.queries import Store
from store.stats import DayStats, PainByAdherence, PainChange, WeekStats, pain_change
from tests.fakes import FakeClock
from tests.helpers.waiting import wait_for
from tui.app import SAFETY_SEEN, UprightApp
from tui.cli import main
from tui.screens.today import TodayScreen
from tui.screens.trends import (
    NO_HABITS,
    NO_PAIN,
    NO_SITTING,
    NOTHING_YET,
    TAB_IDS,
    TrendsScreen,
)
from tui.views.reads import read_trends
from tui.views.trends import (
    NOTE_MARK,
    BarLineSeries,
    association_sentence,
    correlation_sentence,
    day_so_far_sentence,
    pain_change_sentence,
    short_date,
    so_far,
    week_so_far_sentence,
)
from tui.widgets.charts import BarLineChart, CachedPlot, ScatterChart, x_tick_positions
from tui.widgets.habit_calendar import HabitCalendar

SMALL_CATALOG = Path(__file__).resolve().parent.parent / "data" / "small.toml"
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


pytestmark = pytest.mark.usefixtures("london")


def open_store(db_path: Path) -> Store:
    return Store.open(db_path)


def make_demo(db_path: Path) -> None:
    """Twelve weeks of demo history ending at NOW; the safety note already seen."""
    store = open_store(db_path)
    fill_demo(store, load_catalog(SMALL_CATALOG), NOW)
    store.set_setting(SAFETY_SEEN, NOW.isoformat())
    store.engine.dispose()


def make_empty(db_path: Path, plan: bool = True) -> None:
    """A first run: the catalog synced today, nothing logged (and maybe no plan at all)."""
    store = open_store(db_path)
    store.sync_catalog(load_catalog(SMALL_CATALOG), TODAY)
    if not plan:
        for habit_id in store.plan_ids():
            store.remove_from_plan(habit_id, TODAY)
    store.set_setting(SAFETY_SEEN, NOW.isoformat())
    store.engine.dispose()


# --- the charts and `upright stats` never disagree ----------------------------------


def stats_json(db_path: Path, weeks: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    with time_machine.travel(NOW, tick=False):
        code = main(
            [
                "--db",
                str(db_path),
                "--catalog",
                str(SMALL_CATALOG),
                "stats",
                "--weeks",
                str(weeks),
                "--json",
            ]
        )
    assert code == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


@pytest.mark.parametrize("weeks", [4, 12, 26])
def test_chart_series_equal_upright_stats_json(
    db_path: Path, capsys: pytest.CaptureFixture[str], weeks: int
) -> None:
    make_demo(db_path)
    printed = stats_json(db_path, weeks, capsys)
    data = read_trends(open_store(db_path), NOW, weeks, {})

    json_weeks = printed["weeks"]
    assert len(data.weekly.dates) == weeks == len(json_weeks)
    assert [d.isoformat() for d in data.weekly.dates] == [w["week_start"] for w in json_weeks]
    assert list(data.weekly.bars) == [
        None if w["adherence"] is None else w["adherence"] * 100 for w in json_weeks
    ]
    assert list(data.weekly.line) == [w["pain"] for w in json_weeks]
    assert list(data.weekly.labels) == [
        short_date(date.fromisoformat(w["week_start"])) for w in json_weeks
    ]

    # JSON days cover the window; the daily chart is its last 28 days (4 weeks: what exists).
    json_days = printed["days"][-28:]
    chart_days = data.day_rows[-len(json_days) :]
    assert [d.date.isoformat() for d in chart_days] == [d["date"] for d in json_days]
    assert list(data.daily.bars[-len(json_days) :]) == [
        None if d["adherence"] is None else d["adherence"] * 100 for d in json_days
    ]
    assert list(data.daily.line[-len(json_days) :]) == [d["pain"] for d in json_days]

    correlation = printed["correlation"]
    assert data.scatter.n == correlation["daily_n"]
    assert data.scatter.spearman == correlation["daily_spearman"]
    # The scatter is the daily correlation's days: complete ones (today is not) with both.
    both = [
        d
        for d in printed["days"]
        if d["complete"] and d["adherence"] is not None and d["pain"] is not None
    ]
    assert not printed["days"][-1]["complete"] and not printed["weeks"][-1]["complete"]
    assert all(d["complete"] for d in printed["days"][:-1])
    assert all(w["complete"] for w in printed["weeks"][:-1])
    assert list(data.scatter.adherence) == [d["adherence"] * 100 for d in both]
    assert list(data.scatter.pain) == [d["pain"] for d in both]

    json_habits = {h["id"]: h for h in printed["habits"] if h["due"]}
    assert {h.id for h in data.habits} == set(json_habits)
    for habit in data.habits:
        row = json_habits[habit.id]
        assert (habit.done, habit.due, habit.current_streak, habit.best_streak) == (
            row["done"],
            row["due"],
            row["current_streak"],
            row["best_streak"],
        )
        assert habit.strength == row["strength"]
        # The heat map's week cells add up to the habit's totals.
        assert sum(w.done for w in habit.weeks) == habit.done
        assert sum(w.due for w in habit.weeks) == habit.due


def test_week_labels_are_dates_and_fit_the_width() -> None:
    mondays = tuple(date(2026, 9, 7) + timedelta(weeks=i) for i in range(52))
    weekly = BarLineSeries(
        mondays, tuple(short_date(d) for d in mondays), (None,) * 52, (None,) * 52
    )
    shown = x_tick_positions(weekly, 60)
    assert shown[-1] == 51  # the current week always has its label
    assert len(shown) <= 60 // 8
    assert weekly.labels[0] == "7 Sep"

    days = tuple(date(2026, 10, 28) + timedelta(days=i) for i in range(28))
    daily = BarLineSeries(days, tuple(short_date(d) for d in days), (None,) * 28, (None,) * 28)
    assert all(days[i].weekday() == 0 for i in x_tick_positions(daily, 60))


def test_sentences_state_associations_in_plain_words() -> None:
    by = PainByAdherence(threshold=0.8, high_mean=2.94, high_days=21, low_mean=4.1, low_days=35)
    assert association_sentence(by) == (
        "On days with 80% or more done, mean pain was 2.9; on other days 4.1 (21 vs 35 days)."
    )
    assert "more to go" not in correlation_sentence(-0.45, 69)
    assert correlation_sentence(-0.45, 69) == (
        "Spearman r = -0.45 (69 days): a moderate link; more done went with less pain."
    )
    assert "4 more days" in correlation_sentence(None, 3)
    for text in (association_sentence(by), correlation_sentence(-0.45, 69)):
        assert "because" not in text and "causes" not in text


def test_today_and_this_week_are_so_far() -> None:
    week = WeekStats(date(2026, 11, 23), due=10, done=3, adherence=0.3, pain=None, complete=False)
    assert week_so_far_sentence(week) == (
        "This week so far: 3 of 10 done (30%). A week counts in the correlation once its "
        "Sunday has ended."
    )
    assert week_so_far_sentence(replace(week, complete=True)) is None
    day = DayStats(TODAY, due=5, done=1, adherence=0.2, pain=4.0, complete=False)
    sentence = day_so_far_sentence(day)
    assert sentence is not None and sentence.startswith("Today so far: 1 of 5 done.")
    assert day_so_far_sentence(replace(day, complete=True)) is None
    assert so_far("24 Nov", False) == "24 Nov (so far)" and so_far("17 Nov", True) == "17 Nov"
    assert correlation_sentence(None, 3).startswith(
        "Not enough days yet: 3 of 7 complete days needed"
    )


def _weeks(previous: Sequence[int], recent: Sequence[int]) -> PainChange:
    """The pain change with `recent` on the days to yesterday, `previous` the days before."""
    scores = {TODAY - timedelta(days=1 + i): [p] for i, p in enumerate(recent)}
    scores.update({TODAY - timedelta(days=8 + i): [p] for i, p in enumerate(previous)})
    return pain_change(scores, TODAY)


def test_pain_change_is_called_meaningful_either_way() -> None:
    down = pain_change_sentence(_weeks([6] * 7, [3] * 7))
    assert down == (
        "Pain is meaningfully down: 7-day mean 3.0 to yesterday, against 6.0 the 7 days before."
    )
    up = pain_change_sentence(_weeks([3] * 7, [4] * 7))
    assert up is not None and up.startswith("Pain is meaningfully up")  # 33%: meaningful
    # The exact 2 points (26/3 to 20/3) is meaningful, not 1.9999999999999991.
    exact = pain_change_sentence(_weeks([9, 9, 8] * 2, [7, 7, 6] * 2))
    assert exact is not None and exact.startswith("Pain is meaningfully down: 7-day mean 6.7")
    same = pain_change_sentence(_weeks([4] * 7, [4, 3] * 3 + [4]))
    assert same is not None and "not a meaningful change" in same


def test_pain_change_says_when_there_are_not_enough_days() -> None:
    assert pain_change_sentence(_weeks([], [])) is None
    few = pain_change_sentence(_weeks([9, 9, 8], [7, 7, 6]))
    assert few == (
        "7-day mean pain: not enough days yet (3 of the last 7 full days logged, "
        "3 of the 7 before; 4 of each needed)."
    )
    assert "meaningful" not in (pain_change_sentence(_weeks([6] * 7, [1, 1, 1])) or "")


# --- Pilot ----------------------------------------------------------------------------


def make_app(tmp_path: Path, db_path: Path, clock: FakeClock | None = None) -> UprightApp:
    return UprightApp(
        db_path=db_path,
        catalog_path=SMALL_CATALOG,
        config_path=tmp_path / "none.toml",
        clock=clock or FakeClock(NOW),
        idle_source=None,
        desktop_notifications=False,
    )


@asynccontextmanager
async def trends(
    app: UprightApp, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[Pilot[None], TrendsScreen]]:
    """The app with its data loaded, `t` pressed and the Trends data shown."""
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, app.data_ready.is_set, "the app's data")
        await pilot.pause()
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen), "the Trends screen")
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        await wait_for(pilot, lambda: screen.data is not None, "the Trends data")
        await pilot.pause()
        yield pilot, screen


async def show_tab(pilot: Pilot[None], screen: TrendsScreen, tab: str) -> None:
    screen.query_one(TabbedContent).active = tab
    await pilot.pause()
    await pilot.pause()


def text_of(screen: TrendsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def is_empty(screen: TrendsScreen, tab: str) -> bool:
    return screen.query_one(f"#{tab}").has_class("-empty")


async def test_t_opens_trends_and_escape_or_t_go_back(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        assert (screen.sub_title or "").startswith("Trends · last 12 weeks")
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen), "Trends again")
        await pilot.press("t")
        assert isinstance(app.screen, TodayScreen)


async def test_every_tab_draws_its_data_and_numbers(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        data = screen.data
        assert data is not None
        for tab in TAB_IDS:
            await show_tab(pilot, screen, tab)
            assert not is_empty(screen, tab), tab
        weekly = screen.query_one("#weekly-chart", BarLineChart)
        assert weekly.series == data.weekly and len(weekly.series.dates) == 12
        assert weekly.builds >= 1 and "%" in weekly._text.plain
        assert str(weekly._text.plain).count("Nov") >= 2  # dates on the x axis, not indices
        assert len(screen.query_one("#daily-chart", BarLineChart).series.dates) == 28  # type: ignore[union-attr]
        assert screen.query_one("#pain-chart", ScatterChart).series == data.scatter
        assert screen.query_one("#weekly-table", DataTable).row_count == 12
        assert screen.query_one("#daily-table", DataTable).row_count == 28
        assert screen.query_one("#pain-table", DataTable).row_count == 5
        assert screen.query_one("#sitting-table", DataTable).row_count == 28
        assert screen.query_one("#habits-table", DataTable).row_count == len(data.habits) > 0
        pain_note = text_of(screen, "#pain-note")
        assert f"({data.scatter.n} days)" in pain_note
        assert "On days with 80% or more done, mean pain was" in pain_note
        assert "association" in pain_note
        assert "stand-up alerts obeyed within 5 minutes" in text_of(screen, "#sitting-note")
        calendar = screen.query_one(HabitCalendar)
        assert calendar.habit == data.habits[0]
        table = screen.query_one("#habits-table", DataTable)
        table.focus()
        await pilot.press("down")
        assert calendar.habit == data.habits[1]
        assert "7-day mean pain" in text_of(screen, "#pain-change") or "meaningfully" in text_of(
            screen, "#pain-change"
        )
        # Today (Tuesday) and this week are drawn, and marked as not over.
        assert "This week so far:" in text_of(screen, "#weekly-note")
        assert "Today so far:" in text_of(screen, "#daily-note")
        weekly_table = screen.query_one("#weekly-table", DataTable)
        assert str(weekly_table.get_row_at(0)[0]) == "23 Nov (so far)"
        assert "so far" not in str(weekly_table.get_row_at(1)[0])
        assert (
            str(screen.query_one("#daily-table", DataTable).get_row_at(0)[0])
            == "Tue 24 Nov (so far)"
        )


async def test_range_keys_change_what_is_drawn(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        chart = screen.query_one("#weekly-chart", BarLineChart)
        assert chart.series is not None and len(chart.series.dates) == 12
        built = chart.builds
        for key, weeks in (("1", 4), ("4", 52), ("3", 26), ("2", 12)):
            await pilot.press(key)

            def weeks_loaded(w: int = weeks) -> bool:
                return screen.data is not None and screen.data.weeks == w

            await wait_for(pilot, weeks_loaded, f"{weeks} weeks")
            await pilot.pause()
            assert len(chart.series.dates) == weeks
            assert screen.query_one("#weekly-table", DataTable).row_count == weeks
            assert (screen.sub_title or "").startswith(f"Trends · last {weeks} weeks")
        assert chart.builds > built
        # Footer shows the keys.
        keys = {key for key, b in screen.active_bindings.items() if b.binding.show}
        assert {"1", "2", "3", "4"} <= keys


async def test_charts_rebuild_only_when_data_or_size_change(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    clock = FakeClock(NOW)
    app = make_app(tmp_path, db_path, clock)
    async with trends(app) as (pilot, screen):
        chart = screen.query_one("#weekly-chart", BarLineChart)
        built = chart.builds
        assert built >= 1
        for _ in range(5):
            clock.advance(timedelta(seconds=1))
            app.tick()  # the stand-up timer's 1-second tick
            chart.refresh()  # and any other repaint
            screen.refresh()
            await pilot.pause()
        assert chart.builds == built
        await pilot.resize_terminal(140, 44)
        await pilot.pause()
        await pilot.pause()
        assert chart.builds == built + 1
        # Hidden tabs have not built at all yet: only what is shown costs a build.
        assert screen.query_one("#daily-chart", CachedPlot).builds == 0


async def test_data_loads_in_a_worker_thread(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_demo(db_path)
    threads: list[str] = []
    original = Store.stats_rows

    def spy(self: Store, first: date, last: date) -> Any:
        threads.append(threading.current_thread().name)
        return original(self, first, last)

    app = make_app(tmp_path, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, app.data_ready.is_set, "the app's data")
        await pilot.pause()
        monkeypatch.setattr(Store, "stats_rows", spy)  # from here on: the Trends screen's calls
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        await wait_for(pilot, lambda: screen.data is not None, "the Trends data")
    assert threads and threading.main_thread().name not in threads


async def test_empty_database_shows_what_to_do_instead_of_empty_charts(
    tmp_path: Path, db_path: Path
) -> None:
    make_empty(db_path)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        for tab, message in (
            ("weekly", NOTHING_YET),
            ("daily", NOTHING_YET),
            ("pain", NO_PAIN),
            ("sitting", NO_SITTING),
        ):
            await show_tab(pilot, screen, tab)
            assert is_empty(screen, tab), tab
            assert text_of(screen, f"#{tab}-empty") == message
            assert not screen.query_one(f"#{tab} .body").display
        assert not screen.query_one("#pain-change").display
        # The plan's habits are listed, nothing done yet.
        await show_tab(pilot, screen, "habits")
        assert not is_empty(screen, "habits")
        assert all(h.done == 0 for h in screen.data.habits)  # type: ignore[union-attr]


async def test_no_plan_says_how_to_get_one(tmp_path: Path, db_path: Path) -> None:
    make_empty(db_path, plan=False)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        await show_tab(pilot, screen, "habits")
        assert is_empty(screen, "habits")
        assert text_of(screen, "#habits-empty") == NO_HABITS


async def test_too_few_days_says_how_many_more_it_needs(tmp_path: Path, db_path: Path) -> None:
    make_empty(db_path)
    store = open_store(db_path)
    # Plan entered three days ago; pain and a done habit on those days.
    store.engine.dispose()
    store = open_store(db_path)
    for habit_id in store.plan_ids():
        store.remove_from_plan(habit_id, TODAY)
    start = TODAY - timedelta(days=3)
    store.add_to_plan("bird-dog", start)
    for offset in range(3):
        day = start + timedelta(days=offset)
        at = datetime.combine(day, datetime.min.time(), LONDON) + timedelta(hours=20)
        store.set_check_in("bird-dog", day, "done", at)
        store.add_pain(4, at, day)
    store.engine.dispose()
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        await show_tab(pilot, screen, "pain")
        assert is_empty(screen, "pain")
        message = text_of(screen, "#pain-empty")
        assert message.startswith("Not enough days yet: 3 of 7 complete days")
        assert "4 more to go" in message
        # Weekly and daily draw what there is.
        assert not is_empty(screen, "weekly") and not is_empty(screen, "daily")


async def test_a_meaningful_pain_change_is_stated(tmp_path: Path, db_path: Path) -> None:
    make_empty(db_path)
    store = open_store(db_path)
    # Today's 9 is not in either week: the day is not over.
    for offset in range(15):
        day = TODAY - timedelta(days=offset)
        at = datetime.combine(day, datetime.min.time(), LONDON) + timedelta(hours=8)
        store.add_pain(9 if offset == 0 else 3 if offset <= 7 else 6, at, day)
    store.engine.dispose()
    app = make_app(tmp_path, db_path)
    async with trends(app) as (_pilot, screen):
        note = screen.query_one("#pain-change", Static)
        assert note.display and note.has_class("-meaningful")
        assert text_of(screen, "#pain-change").startswith(
            "Pain is meaningfully down: 7-day mean 3.0 to yesterday, against 6.0"
        )


async def test_tabs_fit_at_80x24(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    app = make_app(tmp_path, db_path)
    async with trends(app, size=(80, 24)) as (pilot, screen):
        assert screen.has_class("-narrow")
        for tab in TAB_IDS:
            await show_tab(pilot, screen, tab)
            for chart in screen.query(f"#{tab} CachedPlot").results(CachedPlot):
                assert chart.size.width >= 70 or tab == "pain"
                assert chart.size.height >= 12
                # The legend sits on one line above the plot; nothing wraps.
                assert all(len(line) <= chart.size.width for line in chart._text.plain.split("\n"))


async def test_charts_follow_the_theme(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        chart = screen.query_one("#weekly-chart", BarLineChart)
        built, before = chart.builds, chart._text.spans
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await pilot.pause()
        assert chart.builds == built + 1
        assert chart._text.spans != before  # the bars took the new theme's colours


async def test_closing_trends_before_its_data_arrives(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    app = make_app(tmp_path, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, app.data_ready.is_set, "the app's data")
        await pilot.press("t", "escape", "t", "escape")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TodayScreen)


async def test_days_and_weeks_with_a_note_are_marked(tmp_path: Path, db_path: Path) -> None:
    make_demo(db_path)
    store = open_store(db_path)
    store.set_note(TODAY - timedelta(days=2), "flared after gardening", NOW)
    store.engine.dispose()
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        await show_tab(pilot, screen, "daily")
        daily = screen.query_one("#daily-table", DataTable)
        labels = [str(daily.get_row_at(i)[0]) for i in range(daily.row_count)]
        assert [label for label in labels if NOTE_MARK in label] == [f"Sun 22 Nov {NOTE_MARK}"]
        assert f"{NOTE_MARK}: you wrote a note that day" in text_of(screen, "#daily-note")
        await show_tab(pilot, screen, "weekly")
        weekly = screen.query_one("#weekly-table", DataTable)
        labels = [str(weekly.get_row_at(i)[0]) for i in range(weekly.row_count)]
        # Sunday 22 November is in the week of Monday 16 November.
        assert [label for label in labels if NOTE_MARK in label] == [f"16 Nov {NOTE_MARK}"]
