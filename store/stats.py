"""Adherence, pain, streaks, habit strength, correlation: pure functions.

The one implementation of every number upright shows: `upright stats` and
the Trends charts both call `compute_stats`, so they cannot disagree. Nothing
here reads the clock or the database; "today" and the rows come in as
arguments.

Definitions (from the foundation issue):
- A fixed-schedule habit (daily, or given weekdays) is due on a date when it
  is in the plan that day, the schedule includes the weekday, and it has no
  `skipped` check-in that date.
- A `per_week = N` habit is due N times in each ISO week whose Monday it is in
  the plan, less its skips that week; done counts min(done check-ins, due).
- Day numbers cover fixed habits only; week and habit numbers add the
  per-week habits, so the habits' numbers add up to the weeks'.
- A habit's strength is Loop Habit Tracker's score over its whole time since
  it first entered the plan, whatever the window: see `habit_strength`.
- A day is complete once it has ended (before today); a week once its Sunday
  has ended. Incomplete ones are reported ("so far") but left out of the
  correlations and of the comparisons the Trends screen states: at 9 a.m.
  today's open habits would read as misses.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import compress, groupby
from statistics import fmean
from typing import Any

from store.plan import HabitPlan, window_start
from store.vocab import CheckInStatus, PainDirection, SpellEnding

MIN_DAYS_FOR_CORRELATION = 7
MIN_WEEKS_FOR_CORRELATION = 4
# The pain change compares the mean of the last 7 complete days with the 7 before,
# each with pain logged on at least 4 of its days.
PAIN_CHANGE_DAYS = 7
MIN_PAIN_DAYS = 4
# A change a person feels (Farrar et al. 2001, 0-10 scale): 2 points or 30% of the
# earlier mean. Exact fractions: 26/3 - 20/3 is 2, not 1.9999999999999991.
MEANINGFUL_POINTS = 2
MEANINGFUL_SHARE = Fraction(3, 10)
# Bound once: looking a member up on its enum class costs more than the comparisons
# in the tallies' comprehensions (ten years of days).
_DONE = CheckInStatus.DONE
_SKIPPED = CheckInStatus.SKIPPED


@dataclass(frozen=True)
class DayStats:
    date: date
    due: int
    done: int
    adherence: float | None
    pain: float | None
    # Whether the day has ended: today's numbers are "so far".
    complete: bool


@dataclass(frozen=True)
class WeekStats:
    week_start: date
    due: int
    done: int
    adherence: float | None
    pain: float | None
    # Whether the week's Sunday has ended: the current week's numbers are "so far".
    complete: bool


@dataclass(frozen=True)
class HabitStats:
    id: str
    done: int
    due: int
    current_streak: int
    best_streak: int
    # Loop Habit Tracker's score today, in [0, 1], over the habit's whole history (see
    # habit_strength); None when the caller did not ask for it (and so read no history).
    strength: float | None

    @property
    def completion(self) -> float | None:
        return self.done / self.due if self.due else None


@dataclass(frozen=True)
class Correlation:
    daily_spearman: float | None
    daily_n: int
    weekly_spearman: float | None
    weekly_n: int


@dataclass(frozen=True)
class PainChange:
    """Mean pain over the last 7 complete days (to yesterday) against the 7 days before.

    A day's pain is the mean of its scores; a stretch's mean is the mean of its
    days' (as `DayStats.pain`), kept as exact fractions. A mean is None when
    fewer than `MIN_PAIN_DAYS` of its days have pain logged.
    """

    recent_mean: Fraction | None
    previous_mean: Fraction | None
    recent_days: int
    previous_days: int
    # True when it moved by at least 2 points or 30% of the earlier mean, either way.
    meaningful: bool
    # None when a mean is missing or the two are equal.
    direction: PainDirection | None

    @property
    def change(self) -> Fraction | None:
        """Recent minus previous: negative is less pain."""
        if self.recent_mean is None or self.previous_mean is None:
            return None
        return self.recent_mean - self.previous_mean

    def to_json(self) -> dict[str, Any]:
        change = self.change
        return {
            "recent_mean": _float(self.recent_mean),
            "previous_mean": _float(self.previous_mean),
            "recent_days": self.recent_days,
            "previous_days": self.previous_days,
            "change": _float(change),
            "meaningful": self.meaningful,
            "direction": self.direction,
        }


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Stats:
    """Everything `upright stats --json` prints, oldest first."""

    days: list[DayStats]
    weeks: list[WeekStats]
    habits: list[HabitStats]
    correlation: Correlation
    pain_change: PainChange

    def to_json(self) -> dict[str, Any]:
        return {
            "days": [_json_row(d) for d in self.days],
            "weeks": [_json_row(w) for w in self.weeks],
            "habits": [_json_row(h) for h in self.habits],
            "correlation": _json_row(self.correlation),
            "pain_change": self.pain_change.to_json(),
        }


def _json_row(row: Any) -> dict[str, Any]:
    """A flat stats row as JSON values, dates as ISO strings.

    A shallow copy of its fields: `dataclasses.asdict` deep-copies every value
    and took ~90 ms for ten years of days.
    """
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in vars(row).items()
    }


def window(today: date, weeks: int) -> tuple[date, date]:
    """The N ISO weeks ending with the current one: first Monday through today."""
    return window_start(today, weeks), today


def _dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass
class _HabitTally:
    """One habit's due occurrences in the window, in date order."""

    # True done, False missed; today's open occurrences are in neither.
    occurrences: list[bool] = field(default_factory=list)
    # Occurrences still open today (not yet done, not yet missed).
    pending: int = 0

    @property
    def done(self) -> int:
        return self.occurrences.count(True)

    @property
    def due(self) -> int:
        return len(self.occurrences) + self.pending


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rho as the Pearson correlation of average ranks (like scipy's spearmanr).

    None when there are fewer than two pairs or either side does not vary.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    if len(xs) < 2:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = fmean(rx), fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    before = 0
    for _value, tied in groupby(order, key=values.__getitem__):
        members = list(tied)
        # Ranks are 1-based; ties share their mean rank.
        average = before + (len(members) + 1) / 2
        for index in members:
            ranks[index] = average
        before += len(members)
    return ranks


def _streaks(occurrences: list[bool]) -> tuple[int, int]:
    """The current and the longest run of done occurrences."""
    # As bytes (done = 1) the runs are what lies between the misses: split in C, not a loop.
    runs = bytes(occurrences).split(b"\x00")
    return len(runs[-1]), max(map(len, runs))


def loop_score(frequency: float, previous: float, completion: float) -> float:
    """One day of Loop Habit Tracker's score (uhabits-core `Score.compute`).

    An exponential moving average, S = m*S' + (1-m)*c with m = 0.5 ** (sqrt(f) / 13),
    f the habit's repetitions per day and c the day's completion in [0, 1]: the
    score halves its distance to c in 13 days for a daily habit, slower for rarer ones.
    """
    multiplier = math.pow(0.5, math.sqrt(frequency) / 13)
    return previous * multiplier + completion * (1 - multiplier)


def loop_scores(marks: Sequence[bool | None], times: int, days: int) -> list[float]:
    """Loop Habit Tracker's score after each day, oldest first (uhabits-core `ScoreList`,
    yes/no habits), for a habit due `times` in every `days` days.

    `marks[i]` is True when done that day, False when not, None when skipped
    (the score stays as it was). Each other day's completion is the number done
    in the `days` days ending with it, over `times`, at most 1. As in Loop, a
    frequency below once a day has both numbers doubled (3 in 7 is judged as 6
    in 14) to smooth out irregular days, and N in N days is once a day.
    """
    if times == days:
        times = days = 1
    frequency = times / days
    if frequency < 1:
        times, days = 2 * times, 2 * days
    # loop_score inlined: ten years of fifteen habits is ~55,000 days.
    multiplier = math.pow(0.5, math.sqrt(frequency) / 13)
    gain = 1 - multiplier
    scores: list[float] = []
    append = scores.append
    score = 0.0
    done_in_window = 0
    for index, mark in enumerate(marks):
        if mark:
            done_in_window += 1
        if index >= days and marks[index - days]:
            done_in_window -= 1
        if mark is not None:
            completion = done_in_window / times if done_in_window < times else 1.0
            score = score * multiplier + completion * gain
        append(score)
    return scores


def habit_strength(plan: HabitPlan, states: Mapping[date, str], today: date) -> float:
    """Loop Habit Tracker's score for the habit today, in [0, 1].

    Every day from the habit's first day in the plan through today counts, as
    in Loop (whose score is 0 before its first check-in, as ours is with
    nothing done): today too, done or not, so an open day lowers it a little
    (for a daily habit) until it is ticked. `states` maps a date to its stored
    check-in status. A skip leaves the score as it was, and so does a day out
    of the plan. `per_week = N` is Loop's N times in 7 days. Fixed weekdays
    (Loop has none) are scored as Loop scores "k times a week", k the days
    scheduled, counting only check-ins on those days: any 14 days hold 2 of
    each weekday, so doing every scheduled day keeps the completion at 1, and
    each missed one costs 1/(2k) of it for 14 days. Daily is 7 in 7: Loop's daily.
    """
    return _strength(plan, {(day - today).days: state for day, state in states.items()}, today, 0)


def _strength(plan: HabitPlan, states: Mapping[int, str], origin: date, today: int) -> float:
    """`habit_strength` with `states` and today as day numbers from `origin` (negative
    before it), as compute_stats has them: no date arithmetic per check-in."""
    first_day = plan.first_day
    if first_day is None:
        return 0.0
    start = (first_day - origin).days
    if start > today:
        return 0.0
    n_days = today - start + 1
    marks: list[bool | None] = [None] * n_days
    for entered, left in plan.periods:
        lo = (entered - first_day).days
        hi = n_days if left is None else min(n_days, (left - first_day).days)
        if lo < hi:
            marks[lo:hi] = [False] * (hi - lo)
    times, days = plan.frequency
    weekdays = plan.scheduled_weekdays() if plan.per_week is None else frozenset(range(7))
    offset = first_day.weekday()
    for day, state in states.items():
        index = day - start
        if 0 <= index < n_days and marks[index] is False and (offset + index) % 7 in weekdays:
            if state == _DONE:
                marks[index] = True
            elif state == _SKIPPED:
                marks[index] = None
    return loop_scores(marks, times, days)[-1]


def compute_stats(
    habits: Sequence[HabitPlan],
    check_ins: Iterable[tuple[str, date, str]],
    pain: Iterable[tuple[date, int]],
    today: date,
    weeks: int = 12,
    *,
    strength: bool = True,
) -> Stats:
    """Days, weeks, habits and correlation for the `weeks` ISO weeks ending with today's.

    With `strength`, each habit's strength is computed from the check-ins given
    over its whole time in the plan: pass them all (from its first day in the
    plan), not just the window's. Without it, strength is None.

    `check_ins` are (habit id, date, a stored CheckInStatus); `pain` is (date, score).
    Rows outside the window are ignored, so callers may pass more than needed,
    but for the pain change: it reads the 14 days before today, whatever the window.
    One pass over the rows, then one over each habit's days in the plan. Days
    are handled as indices from the window's first Monday, so index % 7 is
    the weekday and index // 7 the week (10 years of history stays quick).
    """
    first, last = window(today, weeks)
    n_days = (last - first).days + 1
    n_weeks = weeks
    today_index = n_days - 1
    day_dates = [first + timedelta(days=index) for index in range(n_days)]

    # Each habit's check-ins by day index; before the window too when strength needs them
    # (the tallies only look up the window's indices).
    status: dict[str, dict[int, str]] = defaultdict(dict)
    lowest = -sys.maxsize if strength else 0
    for habit_id, day, state in check_ins:
        index = (day - first).days
        if lowest <= index < n_days:
            status[habit_id][index] = state
    pain_scores: dict[int, list[int]] = defaultdict(list)
    # The pain change's two weeks may begin before a short window.
    pain_from = min(0, today_index - 2 * PAIN_CHANGE_DAYS)
    for day, score in pain:
        index = (day - first).days
        if pain_from <= index < n_days:
            pain_scores[index].append(score)
    day_pain = {index: fmean(scores) for index, scores in pain_scores.items() if index >= 0}

    day_due = [0] * n_days
    day_done = [0] * n_days
    week_due = [0] * n_weeks
    week_done = [0] * n_weeks
    habit_rows: list[HabitStats] = []

    for plan in habits:
        in_plan = plan.plan_indices(first, n_days)
        states = status.get(plan.id, {})
        if plan.per_week is None:
            tally = _tally_fixed_days(plan, in_plan, states, today_index, day_due, day_done)
        else:
            tally = _tally_per_week(plan, in_plan, states, n_days, week_due, week_done)
        current_streak, best_streak = _streaks(tally.occurrences)
        habit_rows.append(
            HabitStats(
                id=plan.id,
                done=tally.done,
                due=tally.due,
                current_streak=current_streak,
                best_streak=best_streak,
                strength=_strength(plan, states, first, today_index) if strength else None,
            )
        )
    # Fixed-day habits counted by day above; their weeks are the sums of their days.
    for week in range(n_weeks):
        week_due[week] += sum(day_due[week * 7 : week * 7 + 7])
        week_done[week] += sum(day_done[week * 7 : week * 7 + 7])

    day_rows = [
        DayStats(
            date=day_dates[index],
            due=day_due[index],
            done=day_done[index],
            adherence=day_done[index] / day_due[index] if day_due[index] else None,
            pain=day_pain.get(index),
            complete=index < today_index,
        )
        for index in range(n_days)
    ]
    week_rows = []
    for week in range(n_weeks):
        means = [day_pain[i] for i in range(week * 7, min(week * 7 + 7, n_days)) if i in day_pain]
        week_rows.append(
            WeekStats(
                week_start=first + timedelta(weeks=week),
                due=week_due[week],
                done=week_done[week],
                adherence=week_done[week] / week_due[week] if week_due[week] else None,
                pain=fmean(means) if means else None,
                complete=week * 7 + 6 < today_index,
            )
        )
    return Stats(
        days=day_rows,
        weeks=week_rows,
        habits=habit_rows,
        correlation=_correlation(day_rows, week_rows),
        pain_change=pain_change(
            {first + timedelta(days=index): scores for index, scores in pain_scores.items()}, today
        ),
    )


def _tally_fixed_days(
    plan: HabitPlan,
    in_plan: list[int],
    states: dict[int, str],
    today_index: int,
    day_due: list[int],
    day_done: list[int],
) -> _HabitTally:
    """A habit due on fixed weekdays: its occurrences, and its counts added to the days'.

    Comprehensions over day indices rather than one loop with branches: ten
    years of fifteen habits is ~50,000 habit-days, and the loop took ~40 ms.
    """
    weekdays = plan.scheduled_weekdays()
    scheduled = in_plan if len(weekdays) == 7 else [i for i in in_plan if i % 7 in weekdays]
    skipped = {index for index, state in states.items() if state == _SKIPPED}
    due = [index for index in scheduled if index not in skipped] if skipped else scheduled
    done_days = {index for index, state in states.items() if state == _DONE}
    done = [index in done_days for index in due]
    for index in due:
        day_due[index] += 1
    for index in compress(due, done):
        day_done[index] += 1
    if due and due[-1] == today_index and not done[-1]:
        # Not done yet today: neither a miss nor a streak break.
        return _HabitTally(occurrences=done[:-1], pending=1)
    return _HabitTally(occurrences=done)


def _tally_per_week(
    plan: HabitPlan,
    in_plan: list[int],
    states: dict[int, str],
    n_days: int,
    week_due: list[int],
    week_done: list[int],
) -> _HabitTally:
    """A habit due N times a week: its occurrences, and its counts added to the weeks'."""
    assert plan.per_week is not None
    tally = _HabitTally()
    in_plan_set = set(in_plan)
    current_week = (n_days - 1) // 7
    for week in range(current_week + 1):
        monday = week * 7
        if monday not in in_plan_set:
            continue
        week_states = [states.get(index) for index in range(monday, min(monday + 7, n_days))]
        skips = week_states.count(_SKIPPED)
        due = max(0, plan.per_week - skips)
        done = min(week_states.count(_DONE), due)
        week_due[week] += due
        week_done[week] += done
        tally.occurrences.extend([True] * done)
        if week == current_week:
            tally.pending += due - done
        else:
            tally.occurrences.extend([False] * (due - done))
    return tally


def _correlation(days: list[DayStats], weeks: list[WeekStats]) -> Correlation:
    """Spearman's rho of adherence against pain over the complete days, and weeks, with both."""
    daily = [
        (d.adherence, d.pain)
        for d in days
        if d.complete and d.adherence is not None and d.pain is not None
    ]
    weekly = [
        (w.adherence, w.pain)
        for w in weeks
        if w.complete and w.adherence is not None and w.pain is not None
    ]
    daily_rho = (
        spearman([a for a, _ in daily], [p for _, p in daily])
        if len(daily) >= MIN_DAYS_FOR_CORRELATION
        else None
    )
    weekly_rho = (
        spearman([a for a, _ in weekly], [p for _, p in weekly])
        if len(weekly) >= MIN_WEEKS_FOR_CORRELATION
        else None
    )
    return Correlation(daily_rho, len(daily), weekly_rho, len(weekly))


# --- numbers the Trends screen states in words ----------------------------------


@dataclass(frozen=True)
class PainByAdherence:
    """Mean pain on complete days with adherence at or above a threshold, and on the others."""

    threshold: float
    high_mean: float | None
    high_days: int
    low_mean: float | None
    low_days: int


def pain_by_adherence(days: Sequence[DayStats], threshold: float = 0.8) -> PainByAdherence:
    both = [
        (d.adherence, d.pain)
        for d in days
        if d.complete and d.adherence is not None and d.pain is not None
    ]
    high = [pain for adherence, pain in both if adherence >= threshold]
    low = [pain for adherence, pain in both if adherence < threshold]
    return PainByAdherence(
        threshold=threshold,
        high_mean=fmean(high) if high else None,
        high_days=len(high),
        low_mean=fmean(low) if low else None,
        low_days=len(low),
    )


def pain_change(scores: Mapping[date, Sequence[int]], today: date) -> PainChange:
    """The last 7 complete days' mean pain (today is not over) against the 7 days before.

    `scores` are the pain scores logged on each date (other dates are ignored).
    """
    yesterday = today - timedelta(days=1)
    return pain_change_between(scores, yesterday - timedelta(days=PAIN_CHANGE_DAYS), yesterday)


def pain_change_between(
    scores: Mapping[date, Sequence[int]], earlier_last: date, later_last: date
) -> PainChange:
    """`pain_change`'s rule for any two 7-day stretches, given the last day of each: the
    physio report compares the first 7 days of its period with the last 7 complete ones."""
    recent, recent_days = _mean_pain(scores, later_last)
    previous, previous_days = _mean_pain(scores, earlier_last)
    meaningful = False
    direction = None
    if recent is not None and previous is not None:
        moved = abs(recent - previous)
        meaningful = moved >= MEANINGFUL_POINTS or (
            previous > 0 and moved >= MEANINGFUL_SHARE * previous
        )
        if recent != previous:
            direction = PainDirection.BETTER if recent < previous else PainDirection.WORSE
    return PainChange(recent, previous, recent_days, previous_days, meaningful, direction)


def _mean_pain(scores: Mapping[date, Sequence[int]], last: date) -> tuple[Fraction | None, int]:
    """The mean of the daily mean pain over the 7 days ending `last`, and how many had pain."""
    days = [last - timedelta(days=i) for i in range(PAIN_CHANGE_DAYS)]
    means = [Fraction(sum(scores[d]), len(scores[d])) for d in days if scores.get(d)]
    if len(means) < MIN_PAIN_DAYS:
        return None, len(means)
    return sum(means, Fraction(0)) / len(means), len(means)


# --- sitting ----------------------------------------------------------------------


@dataclass(frozen=True)
class SpellRecord:
    """A stored sitting spell, as stats needs it (times in UTC, aware)."""

    start: datetime
    end: datetime
    ended_by: str
    alerts: int
    first_alert_at: datetime | None


@dataclass(frozen=True)
class SittingDay:
    date: date
    minutes_sat: float
    breaks: int
    longest_minutes: float
    alerts: int
    # alerts followed by getting up within five minutes
    alerts_obeyed: int


OBEY_WITHIN = timedelta(minutes=5)
# Endings that mean the user got up (a suspend or quit need not).
_BREAKS = (SpellEnding.BREAK, SpellEnding.IDLE)


def sitting_days(
    spells: Iterable[SpellRecord], first: date, last: date, tz: tzinfo
) -> list[SittingDay]:
    """Per local day from `first` to `last`: minutes sat, breaks, longest spell, alerts obeyed.

    A spell counts on the local day it started.
    """
    minutes: dict[date, float] = defaultdict(float)
    breaks: dict[date, int] = defaultdict(int)
    longest: dict[date, float] = defaultdict(float)
    alerts: dict[date, int] = defaultdict(int)
    obeyed: dict[date, int] = defaultdict(int)
    for spell in spells:
        day = spell.start.astimezone(tz).date()
        if not first <= day <= last:
            continue
        length = max(0.0, (spell.end - spell.start).total_seconds() / 60)
        minutes[day] += length
        longest[day] = max(longest[day], length)
        if spell.ended_by in _BREAKS:
            breaks[day] += 1
        if spell.alerts and spell.first_alert_at is not None:
            alerts[day] += 1
            if spell.ended_by in _BREAKS and spell.end - spell.first_alert_at <= OBEY_WITHIN:
                obeyed[day] += 1
    return [
        SittingDay(day, minutes[day], breaks[day], longest[day], alerts[day], obeyed[day])
        for day in _dates(first, last)
    ]
