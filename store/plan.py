"""When a habit is due: its schedule, its plan periods and the ISO week.

Kept apart from the statistics so that reading today's checklist (the app's
first screen, `upright today`) does not load them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from store.habit_fields import WEEKDAYS, DaysSchedule, PerWeekSchedule, Schedule


@dataclass(frozen=True)
class HabitPlan:
    """What stats need to know about a habit: its schedule and its plan periods."""

    id: str
    schedule: Schedule
    # (entered, left): first day in the plan, first day out of it (None: still in)
    periods: tuple[tuple[date, date | None], ...] = ()

    def in_plan(self, day: date) -> bool:
        return any(
            entered <= day and (left is None or day < left) for entered, left in self.periods
        )

    def plan_indices(self, first: date, n_days: int) -> list[int]:
        """Indices (days after `first`, below `n_days`) of the days the habit is in the plan."""
        indices: set[int] = set()
        for entered, left in self.periods:
            lo = max(0, (entered - first).days)
            hi = n_days if left is None else min(n_days, (left - first).days)
            indices.update(range(lo, hi))
        return sorted(indices)

    def scheduled_weekdays(self) -> frozenset[int]:
        """Weekday numbers (Monday 0) a fixed schedule includes."""
        if isinstance(self.schedule, DaysSchedule):
            return frozenset(WEEKDAYS.index(day) for day in self.schedule.days)
        return frozenset(range(7))

    @property
    def per_week(self) -> int | None:
        return self.schedule.per_week if isinstance(self.schedule, PerWeekSchedule) else None

    def scheduled_on(self, day: date) -> bool:
        """Whether a fixed schedule includes this weekday (per-week habits: any day)."""
        if isinstance(self.schedule, DaysSchedule):
            return WEEKDAYS[day.weekday()] in self.schedule.days
        return True

    @property
    def frequency(self) -> tuple[int, int]:
        """(times, days): how often the habit is due, as Loop Habit Tracker's Frequency.

        N times a week is (N, 7); fixed weekdays are (their count, 7), so daily is (7, 7).
        """
        if isinstance(self.schedule, PerWeekSchedule):
            return self.schedule.per_week, 7
        return len(self.scheduled_weekdays()), 7

    @property
    def first_day(self) -> date | None:
        """The first day the habit was ever in the plan (None: never)."""
        return min((entered for entered, _left in self.periods), default=None)


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def window_start(today: date, weeks: int) -> date:
    """The first day of the `weeks` ISO weeks ending with today's: a Monday."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    return week_start(today) - timedelta(weeks=weeks - 1)
