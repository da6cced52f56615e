"""What the physio report says, as plain data: one read of the store, no HTML, no charts.

Every number comes from `store.stats` (`compute_stats` over the same rows `upright
stats` reads) and the Trends view models, so the report, the dashboard and `upright
stats --json` cannot disagree. Time comes in as an argument.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import TYPE_CHECKING

from store.stats import (
    PAIN_CHANGE_DAYS,
    PainChange,
    SittingDay,
    Stats,
    WeekStats,
    compute_stats,
    pain_change_between,
    sitting_days,
)
from tui.views.trends import BarLineSeries, sitting_series, weekly_series

if TYPE_CHECKING:
    from store.catalog import Catalog
    from store.queries import Store

# "Adherence over the last 4 weeks": the current week and the three before it.
RECENT_WEEKS = 4


@dataclass(frozen=True)
class Adherence:
    """Done of due over some weeks: the sums of `Stats.weeks`' counts."""

    done: int
    due: int

    @property
    def share(self) -> float | None:
        return self.done / self.due if self.due else None


def adherence_over(weeks: Sequence[WeekStats]) -> Adherence:
    return Adherence(sum(w.done for w in weeks), sum(w.due for w in weeks))


@dataclass(frozen=True)
class PlanHabit:
    """A habit in the plan now, with its numbers over the period."""

    id: str
    name: str
    kind: str
    schedule: str
    dose: str
    done: int
    due: int
    current_streak: int
    best_streak: int
    strength: float | None
    # The level today, for a habit with a ladder (None: none, shown "-"), and the mean
    # of its session pain ratings over the period (None: none rated). Each column is
    # left out while no row has a value.
    level: int | None = None
    pain_during: float | None = None


@dataclass(frozen=True)
class PainNote:
    """A pain entry that carries a note; `note` is exactly as typed (escape it to show)."""

    at: datetime
    date: date
    score: int
    leg_score: int | None
    context: str | None
    note: str


@dataclass(frozen=True)
class DayNote:
    """A day's own note (the `day_note` table, issue 14), exactly as typed."""

    date: date
    note: str


@dataclass(frozen=True)
class DailyPain:
    """Per day of the period: the mean back and leg scores logged (None: none logged)."""

    dates: tuple[date, ...]
    back: tuple[float | None, ...]
    leg: tuple[float | None, ...]


@dataclass(frozen=True)
class ReportData:
    made: datetime
    weeks: int
    first: date
    last: date
    plan: tuple[PlanHabit, ...]
    stats: Stats
    period: Adherence
    recent: Adherence
    # How many weeks `recent` covers: 4, or the whole period when it is shorter.
    recent_weeks: int
    # The first 7 days of the period against its last 7 complete ones (same rule as
    # `stats.pain_change`, which is the last 7 against the 7 before).
    period_pain: PainChange
    # False when the period is too short for its first 7 days to be apart from its last 7:
    # then `period_pain` is the last 7 against the 7 before (see period_pain_change).
    pain_from_first_week: bool
    days_with_pain: int
    days_with_leg_pain: int
    weekly: BarLineSeries
    daily_pain: DailyPain
    sitting: BarLineSeries
    sitting_workdays: tuple[SittingDay, ...]
    pain_notes: tuple[PainNote, ...]
    day_notes: tuple[DayNote, ...]

    @property
    def has_levels(self) -> bool:
        return any(h.level is not None for h in self.plan)

    @property
    def has_pain_during(self) -> bool:
        return any(h.pain_during is not None for h in self.plan)


def _stretch_ends(first: date, today: date) -> tuple[date, date]:
    later_last = today - timedelta(days=1)
    earlier_last = min(
        first + timedelta(days=PAIN_CHANGE_DAYS - 1),
        later_last - timedelta(days=PAIN_CHANGE_DAYS),
    )
    return earlier_last, later_last


def first_week_apart(first: date, today: date) -> bool:
    """Whether the period's first 7 days end before its last 7 complete days begin."""
    earlier_last, _later_last = _stretch_ends(first, today)
    return earlier_last == first + timedelta(days=PAIN_CHANGE_DAYS - 1)


def period_pain_change(
    scores: Mapping[date, Sequence[int]], first: date, today: date
) -> PainChange:
    """The period's first 7 days against its last 7 complete days (to yesterday).

    A period shorter than two full weeks compares the last 7 days with the 7 before,
    exactly `stats.pain_change`: the two stretches never overlap.
    """
    return pain_change_between(scores, *_stretch_ends(first, today))


def _daily_pain(
    entries: Sequence[tuple[date, int, int | None]], first: date, last: date
) -> DailyPain:
    back: dict[date, list[int]] = defaultdict(list)
    leg: dict[date, list[int]] = defaultdict(list)
    for day, score, leg_score in entries:
        back[day].append(score)
        if leg_score is not None:
            leg[day].append(leg_score)
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    return DailyPain(
        dates=days,
        back=tuple(fmean(back[d]) if back.get(d) else None for d in days),
        leg=tuple(fmean(leg[d]) if leg.get(d) else None for d in days),
    )


def gather(store: Store, catalog: Catalog, now: datetime, weeks: int) -> ReportData:
    """Everything the report shows, for the `weeks` ISO weeks ending with today's."""
    from store.habit_fields import schedule_text
    from store.plan import window_start

    tz = now.tzinfo
    if tz is None:
        raise ValueError("now must be timezone-aware")
    today = now.date()
    first = window_start(today, weeks)
    with store.reading():
        rows = store.stats_rows(first, today)
        entries = store.pain_between(first, today)
        spells = store.spells(first, today, tz)
        notes = store.notes_between(first, today)
        ratings = store.session_ratings(first, today)
        in_plan = [row.entry for row in store.plan(catalog) if row.in_plan]
        ladders = {entry.id: store.ladder(entry.id) for entry in in_plan}
        levels = {entry.id: store.level_on(entry.id, today) for entry in in_plan}
    stats = compute_stats(*rows, today, weeks)
    scores: dict[date, list[int]] = defaultdict(list)
    for day, score in rows[2]:
        scores[day].append(score)
    by_id = {h.id: h for h in stats.habits}
    plan = tuple(
        PlanHabit(
            id=entry.id,
            name=entry.name,
            kind=entry.kind,
            schedule=schedule_text(entry.schedule),
            dose=ladders[entry.id][levels[entry.id] - 1].as_text(),
            done=by_id[entry.id].done if entry.id in by_id else 0,
            due=by_id[entry.id].due if entry.id in by_id else 0,
            current_streak=by_id[entry.id].current_streak if entry.id in by_id else 0,
            best_streak=by_id[entry.id].best_streak if entry.id in by_id else 0,
            strength=by_id[entry.id].strength if entry.id in by_id else None,
            level=levels[entry.id] if len(ladders[entry.id]) > 1 else None,
            pain_during=fmean(ratings[entry.id]) if entry.id in ratings else None,
        )
        for entry in in_plan
    )
    sitting = sitting_days(spells, first, today, tz)
    workdays = tuple(d for d in sitting if d.date.weekday() < 5)
    return ReportData(
        made=now,
        weeks=weeks,
        first=first,
        last=today,
        plan=plan,
        stats=stats,
        period=adherence_over(stats.weeks),
        recent=adherence_over(stats.weeks[-RECENT_WEEKS:]),
        recent_weeks=len(stats.weeks[-RECENT_WEEKS:]),
        period_pain=period_pain_change(scores, first, today),
        pain_from_first_week=first_week_apart(first, today),
        days_with_pain=len({e.date for e in entries}),
        days_with_leg_pain=len({e.date for e in entries if e.leg_score}),
        weekly=weekly_series(stats, weeks),
        daily_pain=_daily_pain([(e.date, e.score, e.leg_score) for e in entries], first, today),
        sitting=sitting_series(workdays),
        sitting_workdays=workdays,
        pain_notes=tuple(
            PainNote(e.at, e.date, e.score, e.leg_score, e.context, e.note)
            for e in entries
            if e.note
        ),
        # The template shows the days' notes above the pain entries' when there are any.
        day_notes=tuple(DayNote(day, text) for day, text in sorted(notes.items())),
    )
