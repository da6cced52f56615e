"""The app's reads, one per view, each in one read transaction. Run in the read thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from tui.views.today import TodayView

if TYPE_CHECKING:
    from store.catalog import Catalog
    from store.queries import Store
    from tui.views.trends import TrendsData


def read_today(
    store: Store,
    catalog: Catalog | None,
    day: date,
    tz: tzinfo | None = None,
    *,
    past: bool = False,
    coach: bool = True,
) -> TodayView:
    """The day's checklist, pain entries, note and adherence (from the shared statistics),
    and, for today, the coach's suggestions (`tz`: the user's zone, for morning pain;
    the computer's when None). `past`: the day is before today (the Today screen says
    so; the coach speaks of today only). `coach=False`: without the coach (start-up's
    first read, which the first habit on screen waits for; the next read adds it).

    Names come from the catalog when given, else from the stored habits. One
    transaction: the counts and the checklist come from the same snapshot.
    """
    from store.vocab import Suggestion

    zone = tz or datetime.now().astimezone().tzinfo
    assert zone is not None
    with store.reading():
        stats = store.stats(day, weeks=1, strength=False)
        items = tuple(store.today(day, catalog))
        pain = tuple(store.pain_on(day))
        note = store.note_on(day)
        rows = tuple(store.coach(day, zone)) if coach and not past else ()
    marked = {row.id: row.advice.suggestion for row in rows}
    items = tuple(
        replace(item, suggestion=marked[item.id])
        if marked.get(item.id, Suggestion.HOLD) != Suggestion.HOLD
        else item
        for item in items
    )
    today_row = stats.days[-1]
    week_row = stats.weeks[-1]
    return TodayView(
        day=day,
        items=items,
        pain=pain,
        day_done=today_row.done,
        day_due=today_row.due,
        week_done=week_row.done,
        week_due=week_row.due,
        note=None if note is None else note.text,
        past=past,
        coach=rows,
    )


def read_trends(store: Store, now: datetime, weeks: int, names: Mapping[str, str]) -> TrendsData:
    """What the Trends screen shows for `weeks`, turned into series."""
    from store.helps import associations
    from store.morning import morning_pain
    from store.plan import window_start
    from store.stats import compute_stats, sitting_days
    from tui.views.trends import DAILY_DAYS, helps_rows, level_history, load_weeks, trends_data

    today = now.date()
    tz = now.tzinfo
    assert tz is not None
    # The 28-day tab needs more than 4 weeks: the wider window is read once and both
    # windows are computed from it.
    wide_weeks = load_weeks(weeks)
    first = min(window_start(today, weeks), today - timedelta(days=DAILY_DAYS - 1))
    with store.reading():
        plans, check_ins, pain = store.stats_rows(window_start(today, wide_weeks), today)
        spells = store.spells(first, today, tz)
        notes = store.notes_between(min(first, window_start(today, wide_weeks)), today)
        exercises = store.exercise_ids()
        changes = store.level_history()
        tops = store.ladder_sizes()
        # The mornings after the range's complete days: its second day through today.
        readings = store.pain_readings(window_start(today, weeks), today)
    ranged = compute_stats(plans, check_ins, pain, today, weeks)
    # The wider window feeds only the weekly and daily charts: no strength scores again.
    wide = (
        ranged
        if wide_weeks == weeks
        else compute_stats(plans, check_ins, pain, today, wide_weeks, strength=False)
    )
    mornings = morning_pain(readings, tz)
    helps = associations(plans, exercises, check_ins, mornings, today, weeks)
    levels = level_history(plans, exercises, changes, tops, window_start(today, weeks), today)
    return trends_data(
        wide,
        ranged,
        sitting_days(spells, first, today, tz),
        plans,
        check_ins,
        names,
        today,
        weeks,
        note_days=frozenset(notes),
        helps=helps_rows(helps, names, levels, tops),
        mornings=sum(1 for day in mornings if day > window_start(today, weeks)),
    )
