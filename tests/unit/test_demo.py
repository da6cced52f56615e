"""The demo and benchmark history generators (store.demo)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from statistics import fmean
from zoneinfo import ZoneInfo

import pytest

from store.catalog import Catalog, load_catalog
from store.demo import SIT_LIMIT, fill_demo, fill_history
from store.errors import StoreError
from store.plan import week_start
from store.queries import Store
from store.vocab import CheckInStatus

SMALL = Path(__file__).resolve().parent.parent / "data" / "small.toml"
BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday evening; the 12 weeks before it cross the change to summer time (29 March).
NOW = datetime(2026, 4, 15, 18, 30, tzinfo=BERLIN)
TODAY = NOW.date()
FIRST = week_start(TODAY) - timedelta(weeks=11)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(SMALL)


def _store(folder: Path, name: str = "demo.db") -> Store:
    return Store.open(folder / name)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Store:
    store = _store(tmp_path_factory.mktemp("demo"))
    fill_demo(store, catalog, NOW)
    return store


def test_twelve_weeks_of_check_ins(demo: Store) -> None:
    rows = demo.export()["check_in"]
    days = {date.fromisoformat(r["date"]) for r in rows}
    assert min(days) == FIRST
    assert max(days) == TODAY
    assert len({week_start(d) for d in days}) == 12
    statuses = Counter(r["status"] for r in rows)
    assert statuses[CheckInStatus.DONE] > 150
    assert 1 <= statuses[CheckInStatus.SKIPPED] < 20  # a couple of flare days


def test_plan_starts_on_the_first_day_and_grows(demo: Store, catalog: Catalog) -> None:
    periods = demo.export()["plan_period"]
    default = {h.id for h in catalog.habits if h.in_default_plan}
    assert {p["habit_id"] for p in periods if p["entered"] == FIRST.isoformat()} == default
    later = [p for p in periods if p["entered"] != FIRST.isoformat()]
    assert later, "a habit joins the plan a few weeks in"
    assert all(FIRST < date.fromisoformat(p["entered"]) < TODAY for p in later)
    assert all(p["left"] is None for p in periods)


def test_pain_on_most_days_and_drifting_down(demo: Store) -> None:
    stats = demo.stats(TODAY, 12)
    with_pain = [d for d in stats.days if d.pain is not None]
    assert len(with_pain) >= 0.75 * len(stats.days)
    weekly = [w.pain for w in stats.weeks]
    assert sum(p is not None for p in weekly) >= 11
    assert sum(w.adherence is not None for w in stats.weeks) == 12
    early = [p for p in weekly[:4] if p is not None]
    late = [p for p in weekly[-4:] if p is not None]
    assert fmean(late) < fmean(early)
    entries = demo.export()["pain_entry"]
    assert all(0 <= e["score"] <= 10 for e in entries)
    assert any(e["leg_score"] is not None for e in entries)
    assert {e["context"] for e in entries} >= {"morning", "evening", None}


def test_adherence_varies_and_goes_with_less_pain(demo: Store) -> None:
    stats = demo.stats(TODAY, 12)
    rates = [w.adherence for w in stats.weeks[:-1] if w.adherence is not None]
    assert min(rates) < 0.6 < 0.8 < max(rates)
    corr = stats.correlation
    assert corr.daily_spearman is not None and corr.daily_n >= 60
    assert corr.weekly_spearman is not None
    assert corr.daily_spearman < 0  # the association the demo is there to show


def test_spells_only_on_workdays_in_office_hours(demo: Store) -> None:
    spells = demo.spells(FIRST - timedelta(days=7), TODAY, BERLIN)
    assert len(spells) > 300
    for spell in spells:
        start, end = spell.start.astimezone(BERLIN), spell.end.astimezone(BERLIN)
        assert start.weekday() < 5
        assert time(9) <= start.time() and end.time() <= time(17, 30)
        assert timedelta(0) < end - start <= timedelta(minutes=70)
        assert end <= NOW
        if spell.alerts:
            assert spell.first_alert_at == spell.start + SIT_LIMIT
        else:
            assert spell.first_alert_at is None
    ended = Counter(s.ended_by for s in spells)
    assert ended["break"] + ended["idle"] > 0.9 * len(spells)
    alerted = [s for s in spells if s.alerts]
    within = timedelta(minutes=5)
    obeyed = [s for s in alerted if s.first_alert_at and s.end - s.first_alert_at <= within]
    assert 0 < len(obeyed) < len(alerted)
    rows = demo.export()["sitting_spell"]
    assert any(r["snoozes"] for r in rows)
    assert all(r["end"] is not None for r in rows)


def test_today_is_half_done(demo: Store, catalog: Catalog) -> None:
    statuses = Counter(item.status for item in demo.today(TODAY, catalog))
    assert statuses[CheckInStatus.DONE] >= 1
    assert statuses[CheckInStatus.OPEN] >= 1


def test_exercise_sessions_are_rated_mostly_comfortable(demo: Store, catalog: Catalog) -> None:
    posture = {h.id for h in catalog.habits if h.kind == "posture"}
    rows = demo.export()["check_in"]
    rated = [
        r["pain_during"] for r in rows if r["status"] == "done" and r["habit_id"] not in posture
    ]
    assert rated and all(isinstance(p, int) and 0 <= p <= 10 for p in rated)
    assert sum(p <= 2 for p in rated) / len(rated) > 0.8
    assert all(r["pain_during"] is None for r in rows if r["habit_id"] in posture)
    assert all(r["pain_during"] is None for r in rows if r["status"] == "skipped")


def test_same_seed_same_database(tmp_path: Path, catalog: Catalog, demo: Store) -> None:
    again = _store(tmp_path, "again.db")
    fill_demo(again, catalog, NOW)
    assert again.export() == demo.export()
    other = _store(tmp_path, "other.db")
    fill_demo(other, catalog, NOW, seed=8)
    assert other.export()["pain_entry"] != demo.export()["pain_entry"]


def test_times_are_stored_in_utc_and_dates_local(tmp_path: Path, catalog: Catalog) -> None:
    # The same moment given in another zone moves the wall-clock pattern with it.
    store = _store(tmp_path)
    fill_demo(store, catalog, NOW.astimezone(UTC), weeks=2)
    for spell in store.spells(TODAY - timedelta(days=14), TODAY, UTC):
        assert time(9) <= spell.start.time() and spell.end.time() <= time(17, 30)


def test_refuses_a_database_with_data_and_a_naive_now(tmp_path: Path, catalog: Catalog) -> None:
    store = _store(tmp_path)
    store.add_pain(3, NOW, TODAY)
    with pytest.raises(StoreError, match="already has data"):
        fill_demo(store, catalog, NOW)
    assert len(store.export()["pain_entry"]) == 1
    with pytest.raises(ValueError, match="aware"):
        fill_demo(_store(tmp_path, "naive.db"), catalog, NOW.replace(tzinfo=None))


def test_early_morning_leaves_today_open(tmp_path: Path, catalog: Catalog) -> None:
    store = _store(tmp_path)
    early = NOW.replace(hour=6, minute=0)
    fill_demo(store, catalog, early, weeks=1)
    assert {item.status for item in store.today(TODAY, catalog)} == {"open"}
    data = store.export()
    assert all(datetime.fromisoformat(r["at"]) <= early for r in data["pain_entry"])
    assert all(datetime.fromisoformat(r["at"]) <= early for r in data["check_in"])
    assert not [s for s in data["sitting_spell"] if s["start"] >= f"{TODAY}"]


def test_history_one_year(tmp_path: Path, catalog: Catalog) -> None:
    store = _store(tmp_path)
    fill_history(store, catalog, NOW, years=1, habits=5)
    assert store.plan_ids() == catalog.ids
    stats = store.stats(TODAY, 52)
    done, due = sum(w.done for w in stats.weeks), sum(w.due for w in stats.weeks)
    assert 0.6 < done / due < 0.8
    assert sum(d.pain is not None for d in stats.days) > 0.75 * len(stats.days)
    spells = store.spells(TODAY - timedelta(days=366), TODAY, BERLIN)
    assert spells and all(s.start.astimezone(BERLIN).weekday() < 5 for s in spells)
    days = {date.fromisoformat(r["date"]) for r in store.export()["check_in"]}
    assert min(days) <= TODAY - timedelta(days=360)


def test_history_cuts_the_plan_at_the_habit_count(tmp_path: Path, catalog: Catalog) -> None:
    store = _store(tmp_path)
    fill_history(store, catalog, NOW, years=1, habits=2)
    default = [h.id for h in catalog.habits if h.in_default_plan]
    assert store.plan_ids() == set(default[:2])
    assert {r["habit_id"] for r in store.export()["check_in"]} == set(default[:2])
