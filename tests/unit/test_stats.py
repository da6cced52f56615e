"""store.stats against hand-worked examples, and hypothesis properties.

The calendar used throughout: 2026-02-16, 2026-02-23 and 2026-03-02 are
Mondays; "today" is Wednesday 2026-03-04 unless a test says otherwise. With
weeks=2 the window is Mon 2026-02-23 .. Wed 2026-03-04 (10 days, 2 weeks).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.habit_fields import WEEKDAYS, DaysSchedule, PerWeekSchedule, Schedule
from store.plan import HabitPlan, week_start
from store.stats import (
    DayStats,
    HabitStats,
    SpellRecord,
    Stats,
    WeekStats,
    compute_stats,
    habit_strength,
    loop_score,
    loop_scores,
    pain_by_adherence,
    pain_change,
    sitting_days,
    spearman,
    window,
)

D = date.fromisoformat
TODAY = D("2026-03-04")  # a Wednesday
MWF = DaysSchedule(days=["mon", "wed", "fri"])


def done(habit: str, *days: str) -> list[tuple[str, date, str]]:
    return [(habit, D(d), "done") for d in days]


def skipped(habit: str, *days: str) -> list[tuple[str, date, str]]:
    return [(habit, D(d), "skipped") for d in days]


def day_of(stats: Stats, day: str) -> DayStats:
    return next(d for d in stats.days if d.date == D(day))


def week_of(stats: Stats, monday: str) -> WeekStats:
    return next(w for w in stats.weeks if w.week_start == D(monday))


def habit_of(stats: Stats, habit_id: str) -> HabitStats:
    return next(h for h in stats.habits if h.id == habit_id)


def dues(stats: Stats) -> list[tuple[str, int, int]]:
    return [(d.date.isoformat(), d.due, d.done) for d in stats.days]


# --- the window -------------------------------------------------------------------


def test_window_is_n_iso_weeks_ending_with_the_current_one() -> None:
    # Wed 2026-03-04: its week starts Mon 03-02; 3 weeks back starts Mon 02-16.
    assert window(TODAY, 1) == (D("2026-03-02"), TODAY)
    assert window(TODAY, 3) == (D("2026-02-16"), TODAY)
    # On a Monday, one week is that day alone.
    assert window(D("2026-03-02"), 1) == (D("2026-03-02"), D("2026-03-02"))
    # On a Sunday the current week is complete.
    assert window(D("2026-03-08"), 2) == (D("2026-02-23"), D("2026-03-08"))
    # Across a year end: Fri 2027-01-01 is in the ISO week of Mon 2026-12-28.
    assert window(D("2027-01-01"), 2) == (D("2026-12-21"), D("2027-01-01"))
    with pytest.raises(ValueError):
        window(TODAY, 0)


def test_compute_stats_covers_the_window_day_by_day() -> None:
    stats = compute_stats([], [], [], TODAY, weeks=3)
    # 02-16 .. 03-04: 14 + 3 days; weeks 02-16, 02-23, 03-02.
    assert len(stats.days) == 17
    assert stats.days[0].date == D("2026-02-16")
    assert stats.days[-1].date == TODAY
    assert [w.week_start for w in stats.weeks] == [
        D("2026-02-16"),
        D("2026-02-23"),
        D("2026-03-02"),
    ]
    assert week_start(TODAY) == D("2026-03-02")


# --- hand-worked examples -----------------------------------------------------------


def test_daily_habit_with_some_days_done() -> None:
    plan = HabitPlan("walk", "daily", ((D("2026-02-23"), None),))
    rows = done(
        "walk",
        "2026-02-23",
        "2026-02-24",
        "2026-02-25",
        "2026-02-26",
        "2026-02-28",
        "2026-03-02",
        "2026-03-03",
    )
    # Missed: 02-27, 03-01. Today 03-04 not done yet.
    stats = compute_stats([plan], rows, [], TODAY, weeks=2)
    assert dues(stats) == [
        ("2026-02-23", 1, 1),
        ("2026-02-24", 1, 1),
        ("2026-02-25", 1, 1),
        ("2026-02-26", 1, 1),
        ("2026-02-27", 1, 0),
        ("2026-02-28", 1, 1),
        ("2026-03-01", 1, 0),
        ("2026-03-02", 1, 1),
        ("2026-03-03", 1, 1),
        ("2026-03-04", 1, 0),
    ]
    assert day_of(stats, "2026-02-27").adherence == 0.0
    assert day_of(stats, "2026-02-23").adherence == 1.0
    # Week 02-23: 7 due, done 23, 24, 25, 26, 28 = 5. Week 03-02: 3 due (02, 03, 04), 2 done.
    w1, w2 = stats.weeks
    assert (w1.due, w1.done, w1.adherence) == (7, 5, 5 / 7)
    assert (w2.due, w2.done, w2.adherence) == (3, 2, 2 / 3)
    habit = habit_of(stats, "walk")
    assert (habit.due, habit.done) == (10, 7)
    # Runs: 23-26 (4), 28 (1), 02-03 (2); today open does not break the last run.
    assert habit.best_streak == 4
    assert habit.current_streak == 2


def test_current_streak_counts_today_when_done_and_breaks_on_a_missed_yesterday() -> None:
    plan = HabitPlan("walk", "daily", ((D("2026-02-23"), None),))
    base = done("walk", "2026-03-01", "2026-03-02", "2026-03-03")
    # Today done: the run 03-01 .. 03-04 is 4 long.
    stats = compute_stats([plan], [*base, *done("walk", "2026-03-04")], [], TODAY, weeks=2)
    assert habit_of(stats, "walk").current_streak == 4
    # Yesterday missed, today open: the latest due occurrence that counts (03-03) was missed.
    stats = compute_stats([plan], done("walk", "2026-03-01", "2026-03-02"), [], TODAY, weeks=2)
    assert habit_of(stats, "walk").current_streak == 0
    assert habit_of(stats, "walk").best_streak == 2


def test_days_schedule_with_an_off_schedule_check_in() -> None:
    plan = HabitPlan("press-up", MWF, ((D("2026-02-23"), None),))
    rows = done("press-up", "2026-02-23", "2026-02-24", "2026-02-27", "2026-02-28", "2026-03-02")
    # Due: Mon 02-23 (done), Wed 02-25 (missed), Fri 02-27 (done), Mon 03-02 (done),
    # Wed 03-04 (today, open). Tue 02-24 and Sat 02-28 are off schedule: they count nowhere.
    stats = compute_stats([plan], rows, [], TODAY, weeks=2)
    assert dues(stats) == [
        ("2026-02-23", 1, 1),
        ("2026-02-24", 0, 0),
        ("2026-02-25", 1, 0),
        ("2026-02-26", 0, 0),
        ("2026-02-27", 1, 1),
        ("2026-02-28", 0, 0),
        ("2026-03-01", 0, 0),
        ("2026-03-02", 1, 1),
        ("2026-03-03", 0, 0),
        ("2026-03-04", 1, 0),
    ]
    assert day_of(stats, "2026-02-24").adherence is None
    assert day_of(stats, "2026-02-28").adherence is None
    w1, w2 = stats.weeks
    assert (w1.due, w1.done) == (3, 2)
    assert (w2.due, w2.done, w2.adherence) == (2, 1, 0.5)
    habit = habit_of(stats, "press-up")
    assert (habit.due, habit.done) == (5, 3)
    # Occurrences: done, missed, done, done, (today pending).
    assert (habit.current_streak, habit.best_streak) == (2, 2)


def test_skips_are_not_due_and_do_not_break_streaks() -> None:
    plan = HabitPlan("bridge", "daily", ((D("2026-02-23"), None),))
    rows = [
        *done(
            "bridge",
            "2026-02-23",
            "2026-02-24",
            "2026-02-26",
            "2026-02-27",
            "2026-02-28",
            "2026-03-01",
            "2026-03-03",
        ),
        *skipped("bridge", "2026-02-25", "2026-03-02"),
    ]
    stats = compute_stats([plan], rows, [], TODAY, weeks=2)
    skip_day = day_of(stats, "2026-02-25")
    assert (skip_day.due, skip_day.done, skip_day.adherence) == (0, 0, None)
    assert day_of(stats, "2026-03-02").due == 0
    w1, w2 = stats.weeks
    # Week 1: 7 days less 1 skip = 6 due, all 6 done. Week 2: 03-03 done, 03-04 open.
    assert (w1.due, w1.done, w1.adherence) == (6, 6, 1.0)
    assert (w2.due, w2.done) == (2, 1)
    habit = habit_of(stats, "bridge")
    assert (habit.due, habit.done) == (8, 7)
    # Seven done occurrences in a row: the two skips neither count nor break the run.
    assert (habit.current_streak, habit.best_streak) == (7, 7)


def test_per_week_habit() -> None:
    # weeks=3: 02-16, 02-23, 03-02.
    # "walk" (3/week) entered Tue 02-17: not in the plan on Monday 02-16, so that week
    # counts nothing even though it was done twice. Week 02-23: done 5 times, capped at 3.
    # Week 03-02 (current): one skip (due 3 - 1 = 2), done once, today still open.
    walk = HabitPlan("walk", PerWeekSchedule(per_week=3), ((D("2026-02-17"), None),))
    # "swim" (3/week) in the plan from Mon 02-16. Week 02-16: done once (1 of 3).
    # Week 02-23: skipped twice, done three times: due 1, done min(3, 1) = 1.
    # Week 03-02: nothing yet: due 3, done 0 (all pending).
    swim = HabitPlan("swim", PerWeekSchedule(per_week=3), ((D("2026-02-16"), None),))
    rows = [
        *done("walk", "2026-02-18", "2026-02-19"),
        *done("walk", "2026-02-23", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27"),
        *skipped("walk", "2026-03-02"),
        *done("walk", "2026-03-03"),
        *done("swim", "2026-02-18"),
        *skipped("swim", "2026-02-24", "2026-02-25"),
        *done("swim", "2026-02-23", "2026-02-26", "2026-02-27"),
    ]
    stats = compute_stats([walk, swim], rows, [], TODAY, weeks=3)
    # Per-week habits never count in the day rows.
    assert all((d.due, d.done, d.adherence) == (0, 0, None) for d in stats.days)
    w0, w1, w2 = stats.weeks
    assert (w0.due, w0.done, w0.adherence) == (0 + 3, 0 + 1, 1 / 3)
    assert (w1.due, w1.done, w1.adherence) == (3 + 1, 3 + 1, 1.0)
    assert (w2.due, w2.done, w2.adherence) == (2 + 3, 1 + 0, 1 / 5)
    walk_row = habit_of(stats, "walk")
    assert (walk_row.due, walk_row.done) == (5, 4)
    # Occurrences: 3 done (week 02-23) + 1 done this week; the open one is pending.
    assert (walk_row.current_streak, walk_row.best_streak) == (4, 4)
    swim_row = habit_of(stats, "swim")
    assert (swim_row.due, swim_row.done) == (7, 2)
    # Occurrences: done, missed, missed (02-16), done (02-23); this week is pending.
    assert (swim_row.current_streak, swim_row.best_streak) == (1, 1)


def test_per_week_skips_can_bring_due_to_zero() -> None:
    habit = HabitPlan("walk", PerWeekSchedule(per_week=2), ((D("2026-02-23"), None),))
    rows = skipped("walk", "2026-02-23", "2026-02-24", "2026-02-25")
    stats = compute_stats([habit], rows, [], D("2026-03-01"), weeks=1)
    (week,) = stats.weeks
    # 2 due less 3 skips: never below zero, and nothing due means adherence None.
    assert (week.due, week.done, week.adherence) == (0, 0, None)


def test_habit_added_mid_window_and_one_removed() -> None:
    # "new" entered Thu 02-26; a done on 02-25 (before it entered) counts nowhere.
    new = HabitPlan("new", "daily", ((D("2026-02-26"), None),))
    # "old" left on Fri 02-27 (first day out): in the plan 02-23 .. 02-26.
    # Its dones on 02-27 and 02-28 count nowhere.
    old = HabitPlan("old", "daily", ((D("2026-02-09"), D("2026-02-27")),))
    # "back" was in, left, and came back: in 02-23 .. 02-24 and from 03-03.
    back = HabitPlan("back", "daily", ((D("2026-02-20"), D("2026-02-25")), (D("2026-03-03"), None)))
    rows = [
        *done(
            "new",
            "2026-02-25",
            "2026-02-26",
            "2026-02-27",
            "2026-02-28",
            "2026-03-01",
            "2026-03-02",
            "2026-03-03",
        ),
        *done(
            "old",
            "2026-02-23",
            "2026-02-24",
            "2026-02-25",
            "2026-02-26",
            "2026-02-27",
            "2026-02-28",
        ),
        *done("back", "2026-02-23", "2026-02-26", "2026-03-03"),
    ]
    stats = compute_stats([new, old, back], rows, [], TODAY, weeks=2)
    assert dues(stats) == [
        ("2026-02-23", 2, 2),  # old, back
        ("2026-02-24", 2, 1),  # old done, back missed
        ("2026-02-25", 1, 1),  # old (new's early done does not count)
        ("2026-02-26", 2, 2),  # new, old (back's done is outside its periods)
        ("2026-02-27", 1, 1),  # new (old's done after leaving does not count)
        ("2026-02-28", 1, 1),
        ("2026-03-01", 1, 1),
        ("2026-03-02", 1, 1),
        ("2026-03-03", 2, 2),  # new, back
        ("2026-03-04", 2, 0),  # today, both open
    ]
    w1, w2 = stats.weeks
    assert (w1.due, w1.done) == (10, 9)
    assert (w2.due, w2.done) == (5, 3)
    new_row, old_row, back_row = (habit_of(stats, h) for h in ("new", "old", "back"))
    assert (new_row.due, new_row.done, new_row.current_streak, new_row.best_streak) == (7, 6, 6, 6)
    # The current streak of a habit that left runs to its latest due occurrence.
    assert (old_row.due, old_row.done, old_row.current_streak, old_row.best_streak) == (4, 4, 4, 4)
    # back: 02-23 done, 02-24 missed, 03-03 done, 03-04 pending.
    assert (back_row.due, back_row.done, back_row.current_streak, back_row.best_streak) == (
        4,
        2,
        1,
        1,
    )


def test_empty_weeks_have_no_adherence() -> None:
    # The habit enters on Mon 03-02: weeks 02-16 and 02-23 have nothing due.
    plan = HabitPlan("walk", "daily", ((D("2026-03-02"), None),))
    stats = compute_stats([plan], done("walk", "2026-03-02"), [], TODAY, weeks=3)
    w0, w1, w2 = stats.weeks
    assert (w0.due, w0.done, w0.adherence, w0.pain) == (0, 0, None, None)
    assert (w1.due, w1.done, w1.adherence, w1.pain) == (0, 0, None, None)
    assert (w2.due, w2.done, w2.adherence) == (3, 1, 1 / 3)
    assert all(d.adherence is None for d in stats.days if d.date < D("2026-03-02"))
    # A habit never in the plan: nothing due anywhere.
    never = compute_stats([HabitPlan("x", "daily", ())], done("x", "2026-03-03"), [], TODAY, 2)
    assert all(w.adherence is None for w in never.weeks)
    assert (never.habits[0].due, never.habits[0].done) == (0, 0)
    assert (never.habits[0].current_streak, never.habits[0].best_streak) == (0, 0)


def test_pain_mean_per_day_and_week_of_daily_means() -> None:
    pain = [
        (D("2026-02-22"), 9),  # before the window: ignored
        (D("2026-02-23"), 2),
        (D("2026-02-23"), 4),  # day mean 3
        (D("2026-02-24"), 5),  # day mean 5
        (D("2026-03-03"), 1),
        (D("2026-03-03"), 2),
        (D("2026-03-03"), 6),  # day mean 3
        (D("2026-03-05"), 10),  # after today: ignored
    ]
    stats = compute_stats([], [], pain, TODAY, weeks=2)
    assert day_of(stats, "2026-02-23").pain == 3.0
    assert day_of(stats, "2026-02-24").pain == 5.0
    assert day_of(stats, "2026-02-25").pain is None
    assert day_of(stats, "2026-03-03").pain == 3.0
    w1, w2 = stats.weeks
    # Mean of daily means (3 + 5) / 2 = 4, not the mean of all scores (2+4+5)/3 = 3.67.
    assert w1.pain == 4.0
    assert w2.pain == 3.0
    # Nothing due: adherence None even with pain.
    assert w1.adherence is None


def test_spearman_with_ties_matches_scipy() -> None:
    # x ranks: 1, 2.5, 2.5, 4, 6, 6, 6, 8; y ranks: 4, 1.5, 5, 1.5, 6, 8, 3, 7.
    # Deviations from 4.5 give sxy = 22.25, sxx = 39.5, syy = 41.5:
    # rho = 22.25 / sqrt(39.5 * 41.5) = 0.5495502618648208 (scipy.stats.spearmanr agrees).
    x = [1, 2, 2, 3, 4, 4, 4, 5]
    y = [3, 1, 4, 1, 5, 9, 2, 6]
    assert spearman(x, y) == pytest.approx(0.5495502618648208, rel=1e-12)
    assert spearman(x, y) == pytest.approx(22.25 / math.sqrt(39.5 * 41.5), rel=1e-12)
    assert spearman(y, x) == pytest.approx(0.5495502618648208, rel=1e-12)
    assert spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert spearman([1], [1]) is None


def _two_daily_habits_with_pain() -> tuple[
    list[HabitPlan], list[tuple[str, date, str]], list[tuple[date, int]]
]:
    plans = [
        HabitPlan("a", "daily", ((D("2026-02-23"), None),)),
        HabitPlan("b", "daily", ((D("2026-02-23"), None),)),
    ]
    # adherence by day 02-23 .. 03-03: 1, .5, 1, 0, .5, 1, 0, .5, 1 (today 03-04: 0, no pain)
    plan_of_days = {
        "2026-02-23": "ab",
        "2026-02-24": "a",
        "2026-02-25": "ab",
        "2026-02-26": "",
        "2026-02-27": "b",
        "2026-02-28": "ab",
        "2026-03-01": "",
        "2026-03-02": "a",
        "2026-03-03": "ab",
    }
    rows = [(h, D(day), "done") for day, hs in plan_of_days.items() for h in hs]
    scores = [2, 4, 2, 6, 3, 4, 5, 4, 1]
    pain = [(D(day), s) for day, s in zip(plan_of_days, scores, strict=True)]
    return plans, rows, pain


def test_daily_correlation_with_ties_equals_scipy() -> None:
    plans, rows, pain = _two_daily_habits_with_pain()
    stats = compute_stats(plans, rows, pain, TODAY, weeks=2)
    # Adherence ranks: 0 -> 1.5, 0.5 -> 4, 1 -> 7.5; pain ranks: 1 -> 1, 2 -> 2.5,
    # 3 -> 4, 4 -> 6, 5 -> 8, 6 -> 9. About the mean 5: sxy = -45.5, sxx = 52.5,
    # syy = 57.5; rho = -45.5 / sqrt(52.5 * 57.5) = -0.8281286744517881 (as scipy's spearmanr).
    corr = stats.correlation
    assert corr.daily_n == 9  # today is not over (nor has it pain): left out
    assert corr.daily_spearman == pytest.approx(-0.8281286744517881, rel=1e-12)
    # One complete week (this one is not over): below 4, no weekly number.
    assert corr.weekly_n == 1
    assert corr.weekly_spearman is None


def test_days_and_weeks_are_complete_once_they_have_ended() -> None:
    # Wednesday: the days before today are complete; today and its week are not.
    stats = compute_stats([], [], [], TODAY, weeks=2)
    assert [d.complete for d in stats.days] == [True] * 9 + [False]
    assert [w.complete for w in stats.weeks] == [True, False]
    # On a Sunday its week is still open until the day ends.
    sunday = compute_stats([], [], [], D("2026-03-08"), weeks=2)
    assert [w.complete for w in sunday.weeks] == [True, False]
    assert sunday.days[-2].complete and not sunday.days[-1].complete
    # On Monday the week before is over.
    monday = compute_stats([], [], [], D("2026-03-09"), weeks=2)
    assert [w.complete for w in monday.weeks] == [True, False]
    assert [d.complete for d in monday.days] == [True] * 7 + [False]


def test_today_is_left_out_of_the_daily_correlation() -> None:
    # The nine days above, and pain 9 logged this morning with both habits still open.
    # Counted, today (adherence 0, pain 9) would read as "less done, more pain": over 10
    # days the ranks give sxy = -66.5, sxx = 73.5, syy = 80, rho = -0.8672, not the
    # complete days' -0.8281286744517881.
    plans, rows, pain = _two_daily_habits_with_pain()
    stats = compute_stats(plans, rows, [*pain, (TODAY, 9)], TODAY, weeks=2)
    assert stats.days[-1].adherence == 0.0 and stats.days[-1].pain == 9.0
    assert stats.correlation.daily_n == 9
    assert stats.correlation.daily_spearman == pytest.approx(-0.8281286744517881, rel=1e-12)
    # Tomorrow today is complete and counts.
    tomorrow = compute_stats(plans, rows, [*pain, (TODAY, 9)], TODAY + timedelta(days=1), 2)
    assert tomorrow.correlation.daily_n == 10
    assert tomorrow.correlation.daily_spearman == pytest.approx(
        -66.5 / math.sqrt(73.5 * 80), rel=1e-12
    )


def test_the_current_week_is_left_out_of_the_weekly_correlation() -> None:
    # Monday 03-09, 9 a.m.: the four complete weeks of the test below, and the new week
    # with 1 due, 0 done (adherence 0) and pain 9 logged: it would make 5 weeks.
    today = D("2026-03-09")
    plan = HabitPlan("a", "daily", ((D("2026-02-09"), None),))
    done_per_week = {"2026-02-09": 7, "2026-02-16": 5, "2026-02-23": 5, "2026-03-02": 2}
    pain_per_week = {
        "2026-02-09": 2,
        "2026-02-16": 4,
        "2026-02-23": 3,
        "2026-03-02": 6,
        "2026-03-09": 9,
    }
    rows = [
        ("a", D(monday) + timedelta(days=i), "done")
        for monday, n in done_per_week.items()
        for i in range(n)
    ]
    pain = [(D(monday), score) for monday, score in pain_per_week.items()]
    stats = compute_stats([plan], rows, pain, today, weeks=5)
    assert (stats.weeks[-1].adherence, stats.weeks[-1].pain) == (0.0, 9.0)
    assert stats.correlation.weekly_n == 4
    assert stats.correlation.weekly_spearman == pytest.approx(-0.9486832980505139, rel=1e-12)


def test_weekly_correlation_with_ties_equals_scipy() -> None:
    today = D("2026-03-09")  # a Monday: weeks 02-09, 02-16, 02-23, 03-02 are complete
    plan = HabitPlan("a", "daily", ((D("2026-02-09"), None),))
    done_per_week = {"2026-02-09": 7, "2026-02-16": 5, "2026-02-23": 5, "2026-03-02": 2}
    pain_per_week = {"2026-02-09": 2, "2026-02-16": 4, "2026-02-23": 3, "2026-03-02": 6}
    rows = [
        ("a", D(monday) + timedelta(days=i), "done")
        for monday, n in done_per_week.items()
        for i in range(n)
    ]
    pain = [(D(monday), score) for monday, score in pain_per_week.items()]
    stats = compute_stats([plan], rows, pain, today, weeks=5)
    # This week: today open (0 of 1), no pain; not complete either way.
    assert [w.adherence for w in stats.weeks] == [1.0, 5 / 7, 5 / 7, 2 / 7, 0.0]
    # Ranks (4, 2.5, 2.5, 1) against (1, 3, 2, 4): sxy = -4.5, sxx = 4.5, syy = 5,
    # rho = -4.5 / sqrt(22.5) = -0.9486832980505139 (scipy agrees).
    assert stats.correlation.weekly_n == 4
    assert stats.correlation.weekly_spearman == pytest.approx(-0.9486832980505139, rel=1e-12)
    # Pain only on 4 days: the daily number needs 7.
    assert stats.correlation.daily_n == 4
    assert stats.correlation.daily_spearman is None


def test_correlation_none_below_seven_days_and_four_weeks() -> None:
    plans, rows, pain = _two_daily_habits_with_pain()
    # Keep the first 6 days with pain: 6 pairs.
    stats = compute_stats(plans, rows, pain[:6], TODAY, weeks=2)
    assert stats.correlation.daily_n == 6
    assert stats.correlation.daily_spearman is None
    # 7 pairs is enough.
    stats = compute_stats(plans, rows, pain[:7], TODAY, weeks=2)
    assert stats.correlation.daily_n == 7
    assert stats.correlation.daily_spearman is not None
    # Three complete weeks with both numbers: no weekly correlation.
    today = D("2026-03-09")
    plan = HabitPlan("a", "daily", ((D("2026-02-16"), None),))
    week_rows = done("a", "2026-02-16", "2026-02-23", "2026-02-24", "2026-03-02")
    week_pain = [(D("2026-02-16"), 3), (D("2026-02-23"), 5), (D("2026-03-02"), 4)]
    stats = compute_stats([plan], week_rows, week_pain, today, weeks=5)
    # Week 02-09 has nothing due; this week (03-09) has begun, without pain.
    assert stats.correlation.weekly_n == 3
    assert stats.correlation.weekly_spearman is None


def test_correlation_none_when_one_side_is_constant() -> None:
    plans, rows, pain = _two_daily_habits_with_pain()
    flat_pain = [(day, 4) for day, _score in pain]
    stats = compute_stats(plans, rows, flat_pain, TODAY, weeks=2)
    assert stats.correlation.daily_n == 9
    assert stats.correlation.daily_spearman is None
    # Every day fully done: adherence does not vary.
    all_done = [(h, D("2026-02-23") + timedelta(days=i), "done") for h in "ab" for i in range(9)]
    stats = compute_stats(plans, all_done, pain, TODAY, weeks=2)
    assert stats.correlation.daily_n == 9
    assert stats.correlation.daily_spearman is None


def test_to_json_shape_iso_dates_full_precision() -> None:
    plan = HabitPlan("walk", "daily", ((D("2026-03-02"), None),))
    stats = compute_stats(
        [plan], done("walk", "2026-03-02"), [(D("2026-03-02"), 3), (D("2026-03-02"), 4)], TODAY, 1
    )
    out = json.loads(json.dumps(stats.to_json()))
    assert set(out) == {"days", "weeks", "habits", "correlation", "pain_change"}
    assert [set(d) for d in out["days"]] == [
        {"date", "due", "done", "adherence", "pain", "complete", "note"}
    ] * 3
    assert [d["note"] for d in out["days"]] == [None] * 3
    assert set(out["weeks"][0]) == {"week_start", "due", "done", "adherence", "pain", "complete"}
    # Today and its week are not over: marked, and counted in no correlation.
    assert [d["complete"] for d in out["days"]] == [True, True, False]
    assert out["weeks"][0]["complete"] is False
    assert set(out["habits"][0]) == {
        "id",
        "done",
        "due",
        "current_streak",
        "best_streak",
        "strength",
    }
    assert set(out["correlation"]) == {"daily_spearman", "daily_n", "weekly_spearman", "weekly_n"}
    # Oldest first, ISO dates.
    assert [d["date"] for d in out["days"]] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert out["weeks"][0]["week_start"] == "2026-03-02"
    # Week: 3 due (02, 03, 04), 1 done: full precision, not rounded.
    assert out["weeks"][0]["adherence"] == 1 / 3
    assert out["weeks"][0]["pain"] == 3.5
    assert out["days"][1]["adherence"] == 0.0
    assert out["days"][1]["pain"] is None
    # Occurrences: 03-02 done, 03-03 missed, today open: current streak 0, best 1.
    # Strength: 03-02 done, 03-03 not, today open (Loop counts it): (1 - m) * m * m.
    assert out["habits"][0] == {
        "id": "walk",
        "done": 1,
        "due": 3,
        "current_streak": 0,
        "best_streak": 1,
        "strength": pytest.approx((1 - M_DAILY) * M_DAILY**2, rel=1e-12),
    }
    assert out["correlation"] == {
        "daily_spearman": None,
        "daily_n": 1,
        "weekly_spearman": None,
        "weekly_n": 0,
    }


# --- numbers the Trends screen puts in words ------------------------------------------


def _day(day: str, adherence: float | None, pain: float | None, complete: bool = True) -> DayStats:
    return DayStats(D(day), due=0, done=0, adherence=adherence, pain=pain, complete=complete)


def test_pain_by_adherence() -> None:
    days = [
        _day("2026-03-01", 1.0, 2.0),
        _day("2026-03-02", 0.8, 4.0),  # at the threshold: counts as high
        _day("2026-03-03", 0.5, 6.0),
        _day("2026-03-04", 0.0, 8.0),
        _day("2026-03-05", None, 5.0),  # nothing due: neither side
        _day("2026-03-06", 1.0, None),  # no pain: neither side
        _day("2026-03-07", 0.0, 10.0, complete=False),  # today, habits still open: neither
    ]
    result = pain_by_adherence(days)
    assert result.threshold == 0.8
    assert (result.high_mean, result.high_days) == (3.0, 2)
    assert (result.low_mean, result.low_days) == (7.0, 2)
    empty = pain_by_adherence(days[4:])
    assert (empty.high_mean, empty.high_days, empty.low_mean, empty.low_days) == (None, 0, None, 0)


def _pain_weeks(previous: list[int], recent: list[int]) -> dict[date, list[int]]:
    """One score a day: `recent` on the days before TODAY (yesterday first), `previous`
    on the 7 days before those (02-24 first). Today and 15 days back are outside both."""
    scores: dict[date, list[int]] = {TODAY: [10], TODAY - timedelta(days=15): [10]}
    for i, score in enumerate(recent):
        scores[TODAY - timedelta(days=1 + i)] = [score]
    for i, score in enumerate(previous):
        scores[TODAY - timedelta(days=8 + i)] = [score]
    return scores


@pytest.mark.parametrize(
    ("previous", "recent", "change", "meaningful", "direction"),
    [
        # The boundary, 9, 9, 8 then 7, 7, 6, twice for the 4-day minimum: means
        # 26/3 and 20/3, exactly 2 points down. In floats 1.9999999999999991: "not".
        ([9, 9, 8, 9, 9, 8], [7, 7, 6, 7, 7, 6], Fraction(-2), True, "better"),
        ([7, 7, 6, 7, 7, 6], [9, 9, 8, 9, 9, 8], Fraction(2), True, "worse"),
        # 10/3 to 13/3: up exactly 30% (1 point). In floats 0.9999999999999996: "not".
        ([4, 4, 3, 3, 3, 3], [5, 5, 4, 4, 4, 4], Fraction(1), True, "worse"),
        # 10/3 to 7/3: down exactly 30%.
        ([4, 4, 3, 3, 3, 3], [3, 3, 2, 2, 2, 2], Fraction(-1), True, "better"),
        # Just short of both: 26/3 to 41/6 is 11/6 points (21%); 10/3 to 5/2 is 25%.
        ([9, 9, 8, 9, 9, 8], [7, 7, 6, 7, 7, 7], Fraction(-11, 6), False, "better"),
        ([4, 4, 3, 3, 3, 3], [3, 3, 3, 2, 2, 2], Fraction(-5, 6), False, "better"),
        # 4 days on each side are enough: 5 to 3.5 is 30%.
        ([5, 5, 5, 5], [4, 3, 4, 3], Fraction(-3, 2), True, "better"),
        # From no pain: 2 points is meaningful; 1 point is not (30% of nothing is not a rule).
        ([0, 0, 0, 0], [2, 2, 2, 2], Fraction(2), True, "worse"),
        ([0, 0, 0, 0], [1, 1, 1, 1], Fraction(1), False, "worse"),
        ([4] * 7, [4] * 7, Fraction(0), False, None),
    ],
)
def test_pain_change_is_exact_at_the_thresholds(
    previous: list[int],
    recent: list[int],
    change: Fraction,
    meaningful: bool,
    direction: str | None,
) -> None:
    result = pain_change(_pain_weeks(previous, recent), TODAY)
    assert result.recent_mean == Fraction(sum(recent), len(recent))
    assert result.previous_mean == Fraction(sum(previous), len(previous))
    assert (result.recent_days, result.previous_days) == (len(recent), len(previous))
    assert result.change == change
    assert result.meaningful is meaningful
    assert result.direction == direction


def test_pain_change_needs_four_days_on_each_side() -> None:
    # 9, 9, 8 then 7, 7, 6 alone: 3 days each, not enough to call anything.
    result = pain_change(_pain_weeks([9, 9, 8], [7, 7, 6]), TODAY)
    assert (result.recent_mean, result.previous_mean) == (None, None)
    assert (result.recent_days, result.previous_days) == (3, 3)
    assert (result.change, result.meaningful, result.direction) == (None, False, None)
    # One side short: its mean is missing, the other is given.
    result = pain_change(_pain_weeks([6, 6, 6, 6], [2, 2, 2]), TODAY)
    assert (result.recent_mean, result.previous_mean) == (None, Fraction(6))
    assert (result.change, result.meaningful) == (None, False)
    assert pain_change({}, TODAY) == pain_change({TODAY: [3]}, TODAY)


def test_pain_change_days_are_means_of_their_scores() -> None:
    scores = _pain_weeks([6, 6, 6, 6], [4, 4, 4])
    # Yesterday's 4 becomes two scores 1 and 6: day mean 7/2, not 4 and not (1+6+...)/n.
    scores[TODAY - timedelta(days=1)] = [1, 6]
    scores[TODAY - timedelta(days=4)] = [5]
    result = pain_change(scores, TODAY)
    assert result.recent_days == 4
    assert result.recent_mean == (Fraction(7, 2) + 4 + 4 + 5) / 4


def test_pain_change_in_compute_stats_and_json() -> None:
    # A one-week window (Mon 03-02 .. Wed 03-04) still reads the 14 days before today.
    previous, recent = [9, 9, 8, 9, 9, 8], [7, 7, 6, 7, 7, 6]
    pain = [
        (day, score) for day, scores in _pain_weeks(previous, recent).items() for score in scores
    ]
    stats = compute_stats([], [], pain, TODAY, weeks=1)
    assert stats.pain_change == pain_change(_pain_weeks(previous, recent), TODAY)
    assert json.loads(json.dumps(stats.to_json()))["pain_change"] == {
        "recent_mean": 20 / 3,
        "previous_mean": 26 / 3,
        "recent_days": 6,
        "previous_days": 6,
        "change": -2.0,
        "meaningful": True,
        "direction": "better",
    }
    short = compute_stats([], [], pain[:5], TODAY, weeks=1).to_json()["pain_change"]
    assert short["recent_mean"] is None and short["change"] is None
    assert short["meaningful"] is False and short["direction"] is None


# --- habit strength: Loop Habit Tracker's score ------------------------------------
#
# Expected values from uhabits-core's tests (iSoron/uhabits, uhabits-core/src/jvmTest/
# java/org/isoron/uhabits/core/models/ScoreTest.kt and ScoreListTest.kt, YesNoScoreListTest),
# compared, as there, to within 1e-6. Their lists run from today backwards.

LOOP_E = 1e-6
M_DAILY = 0.5 ** (1 / 13)  # Loop's multiplier for a habit due every day


def _loop_days(
    n: int, done: Collection[int] = (), skipped: Collection[int] = ()
) -> list[bool | None]:
    """n days, oldest first, with marks given as Loop's tests give them: days before today."""
    return [None if n - 1 - i in skipped else n - 1 - i in done for i in range(n)]


def _newest_first(scores: list[float], count: int) -> list[float]:
    return scores[::-1][:count]


def test_loop_score_compute() -> None:
    # ScoreTest.test_compute_withDailyHabit and test_compute_withNonDailyHabit.
    for frequency, expected in (
        (
            1.0,
            {
                (0.0, 1): 0.051922,
                (0.5, 1): 0.525961,
                (0.75, 1): 0.762981,
                (0.0, 0): 0.0,
                (0.5, 0): 0.474039,
                (0.75, 0): 0.711058,
            },
        ),
        (
            1 / 3,
            {
                (0.0, 1): 0.030314,
                (0.5, 1): 0.515157,
                (0.75, 1): 0.757578,
                (0.0, 0): 0.0,
                (0.5, 0): 0.484842,
                (0.75, 0): 0.727263,
            },
        ),
    ):
        for (previous, check), value in expected.items():
            assert loop_score(frequency, previous, check) == pytest.approx(value, abs=LOOP_E)


YES_NO_GET_VALUE = [
    0.655747,
    0.636894,
    0.617008,
    0.596033,
    0.573910,
    0.550574,
    0.525961,
    0.500000,
    0.472617,
    0.443734,
    0.413270,
    0.381137,
    0.347244,
    0.311495,
    0.273788,
    0.234017,
    0.192067,
    0.147820,
    0.101149,
    0.051922,
    0.000000,
    0.000000,
    0.000000,
]
YES_NO_WITH_SKIP = [
    0.596033,
    0.573910,
    0.550574,
    0.525961,
    0.500000,
    0.472617,
    0.472617,
    0.443734,
    0.413270,
    0.381137,
    0.347244,
    0.347244,
    0.347244,
    0.311495,
    0.273788,
    0.234017,
    0.192067,
    0.147820,
    0.101149,
    0.051922,
    0.000000,
    0.000000,
    0.000000,
]


def test_loop_scores_match_loops_score_list() -> None:
    # YesNoScoreListTest.test_getValue: done today and the 19 days before.
    scores = loop_scores(_loop_days(23, done=set(range(20))), 1, 1)
    assert _newest_first(scores, 23) == pytest.approx(YES_NO_GET_VALUE, abs=LOOP_E)
    # test_getValueWithSkip: the same, with days 5, 10 and 11 back skipped.
    scores = loop_scores(
        _loop_days(23, done=set(range(20)) - {5, 10, 11}, skipped={5, 10, 11}), 1, 1
    )
    assert _newest_first(scores, 23) == pytest.approx(YES_NO_WITH_SKIP, abs=LOOP_E)
    # test_getValueWithSkip2: done 5 days back, skipped 4 days back, nothing since:
    # today, not done, lowers the score like any day.
    scores = loop_scores(_loop_days(7, done={5}, skipped={4}), 1, 1)
    assert _newest_first(scores, 7) == pytest.approx(
        [0.041949, 0.044247, 0.046670, 0.049226, 0.051922, 0.051922, 0.0], abs=LOOP_E
    )
    # test_recompute: done today and yesterday; then judged as once in 2 days.
    assert loop_scores(_loop_days(2, done={0, 1}), 1, 1)[-1] == pytest.approx(0.101149, abs=LOOP_E)
    assert loop_scores(_loop_days(2, done={0, 1}), 1, 2)[-1] == pytest.approx(0.054816, abs=LOOP_E)
    # test_addThenRemove: done today only; nothing at all.
    assert loop_scores([True], 1, 1) == pytest.approx([0.051922], abs=LOOP_E)
    assert loop_scores([False], 1, 1) == [0.0]


def test_loop_scores_for_habits_due_some_days_a_week() -> None:
    # test_imperfectNonDaily: 3 times a week wanted, done on 2 days of every 7 (today and
    # yesterday, then 5 days not), for 100 weeks: the score converges to 2/3; judged as
    # 4 a week, to 1/2.
    pattern = {7 * k + i for k in range(100) for i in (0, 1)}
    assert loop_scores(_loop_days(700, done=pattern), 3, 7)[-1] == pytest.approx(2 / 3, abs=LOOP_E)
    assert loop_scores(_loop_days(700, done=pattern), 4, 7)[-1] == pytest.approx(0.5, abs=LOOP_E)
    # test_irregularNonDaily: once a week, on different weekdays (day 0, then day 13 of
    # each fortnight): still converges to 1.
    irregular = {14 * k + i for k in range(100) for i in (0, 13)}
    assert loop_scores(_loop_days(1400, done=irregular), 1, 7)[-1] == pytest.approx(1.0, abs=1e-3)
    # shouldAchieveHighScoreInReasonableTime: daily, 90 days -> over 0.99; weekly,
    # 39 weeks -> over 0.99.
    assert loop_scores(_loop_days(90, done=set(range(90))), 1, 1)[-1] > 0.99
    weekly = {7 * i for i in range(39)}
    assert loop_scores(_loop_days(7 * 38 + 1, done=weekly), 1, 7)[-1] > 0.99
    # N times in N days is Loop's daily (its Frequency(7, 7) is 1/1).
    daily = _loop_days(30, done=set(range(0, 30, 2)))
    assert loop_scores(daily, 7, 7) == loop_scores(daily, 1, 1)


def _history(habit: str, first: date, marks: list[bool | None]) -> list[tuple[str, date, str]]:
    return [
        (habit, first + timedelta(days=i), "done" if mark else "skipped")
        for i, mark in enumerate(marks)
        if mark is not False
    ]


def test_strength_of_a_three_times_a_week_habit_is_loops() -> None:
    # The case: "3 times a week", done 2 days in every 7, for 100 weeks: Loop's
    # test expects 2/3 (ISO-week counting gave 0.311). Today is the second of the 2.
    today = TODAY
    first = today - timedelta(days=699)
    plan = HabitPlan("walk", PerWeekSchedule(per_week=3), ((first, None),))
    marks = _loop_days(700, done={7 * k + i for k in range(100) for i in (0, 1)})
    stats = compute_stats([plan], _history("walk", first, marks), [], today, weeks=4)
    assert stats.habits[0].strength == pytest.approx(2 / 3, abs=LOOP_E)
    assert stats.habits[0].strength == loop_scores(marks, 3, 7)[-1]


def test_strength_covers_the_whole_history_whatever_the_range() -> None:
    # Done every day for 90 days, today included: over 0.99 (Loop's own test), and the
    # same at 4 weeks as at 13 (it read 0.78 at 4 weeks when computed over the range).
    first = TODAY - timedelta(days=89)
    plan = HabitPlan("walk", "daily", ((first, None),))
    rows = [("walk", first + timedelta(days=i), "done") for i in range(90)]
    strengths = {
        weeks: compute_stats([plan], rows, [], TODAY, weeks).habits[0].strength
        for weeks in (1, 4, 13, 26)
    }
    assert len(set(strengths.values())) == 1
    assert strengths[4] == pytest.approx(1 - M_DAILY**90, rel=1e-12)
    assert strengths[4] is not None and strengths[4] > 0.99
    # Not asked for: None, and no history needed.
    assert compute_stats([plan], rows, [], TODAY, 4, strength=False).habits[0].strength is None


def test_strength_counts_today_as_loop_does() -> None:
    # Done the 20 days before today, today still open: Loop scores today as not done, so
    # the 20 days' 0.655747 (Loop's vector) decays once: 0.655747 * m.
    first = TODAY - timedelta(days=20)
    plan = HabitPlan("walk", "daily", ((first, None),))
    rows = [("walk", first + timedelta(days=i), "done") for i in range(20)]
    open_today = compute_stats([plan], rows, [], TODAY, weeks=2).habits[0].strength
    assert open_today == pytest.approx(0.655747 * M_DAILY, abs=LOOP_E)
    # Ticked: 21 days done, 1 - m^21.
    ticked = compute_stats([plan], [*rows, ("walk", TODAY, "done")], [], TODAY, 2)
    assert ticked.habits[0].strength == pytest.approx(1 - M_DAILY**21, rel=1e-12)
    # Skipped today: it stays at the 20 days' score.
    skip = compute_stats([plan], [*rows, ("walk", TODAY, "skipped")], [], TODAY, 2)
    assert skip.habits[0].strength == pytest.approx(0.655747, abs=LOOP_E)


def test_strength_freezes_out_of_the_plan() -> None:
    # In the plan 02-27 .. 02-28 (done both), out 03-01 .. 03-03, back today (done):
    # three days done and scored, the days out leave it alone: 1 - m^3.
    plan = HabitPlan("walk", "daily", ((D("2026-02-27"), D("2026-03-01")), (TODAY, None)))
    rows = done("walk", "2026-02-27", "2026-02-28", "2026-03-02", "2026-03-04")
    stats = compute_stats([plan], rows, [], TODAY, weeks=1)
    assert stats.habits[0].strength == pytest.approx(1 - M_DAILY**3, rel=1e-12)
    # Never in the plan, or entering after today: 0.
    assert habit_strength(HabitPlan("x", "daily", ()), {TODAY: "done"}, TODAY) == 0.0
    later = HabitPlan("x", "daily", ((TODAY + timedelta(days=1), None),))
    assert habit_strength(later, {TODAY: "done"}, TODAY) == 0.0


def test_strength_of_fixed_weekdays() -> None:
    # Upright's rule (Loop has no fixed weekdays): Mon/Wed/Fri is Loop's "3 times a week"
    # counting only check-ins on those days. One day, Monday 03-02, done: 1 done in the
    # 14-day window of 6 wanted, f = 3/7: S = (1/6) * (1 - 0.5 ** (sqrt(3/7) / 13)).
    monday = D("2026-03-02")
    plan = HabitPlan("press-up", MWF, ((monday, None),))
    m3 = 0.5 ** (math.sqrt(3 / 7) / 13)
    assert habit_strength(plan, {monday: "done"}, monday) == pytest.approx((1 - m3) / 6, rel=1e-12)
    # Tuesday, nothing done (not a scheduled day): the window still holds Monday's,
    # S = m3 * S + (1 - m3) / 6.
    s1 = (1 - m3) / 6
    assert habit_strength(plan, {monday: "done"}, monday + timedelta(days=1)) == pytest.approx(
        m3 * s1 + (1 - m3) / 6, rel=1e-12
    )
    # A Tuesday check-in is off schedule: it counts for nothing.
    assert habit_strength(
        plan, {monday: "done", D("2026-03-03"): "done"}, D("2026-03-03")
    ) == habit_strength(plan, {monday: "done"}, D("2026-03-03"))
    # Every Mon/Wed/Fri done for 40 weeks: every 14 days hold all 6, the score nears 1.
    start = monday - timedelta(weeks=40)
    long_plan = HabitPlan("press-up", MWF, ((start, None),))
    every = {start + timedelta(days=i): "done" for i in range(280) if i % 7 in (0, 2, 4)}
    assert habit_strength(long_plan, every, monday - timedelta(days=1)) > 0.99
    # Every Friday missed: 4 of 6 in every 14 days, so it converges to 2/3, as Loop's
    # 3-a-week habit done twice a week does; Tuesday check-ins do not change it.
    no_friday = {day: s for day, s in every.items() if day.weekday() != 4}
    sunday = monday - timedelta(days=1)
    assert habit_strength(long_plan, no_friday, sunday) == pytest.approx(2 / 3, abs=1e-3)
    tuesdays = {**no_friday, **{start + timedelta(days=i): "done" for i in range(1, 280, 7)}}
    assert habit_strength(long_plan, tuesdays, sunday) == habit_strength(
        long_plan, no_friday, sunday
    )
    # Every weekday scheduled is daily: the same numbers as "daily".
    all_days = HabitPlan("w", DaysSchedule(days=list(WEEKDAYS)), ((start, None),))
    daily = HabitPlan("w", "daily", ((start, None),))
    assert habit_strength(all_days, no_friday, sunday) == habit_strength(daily, no_friday, sunday)


# --- sitting ------------------------------------------------------------------------


def test_sitting_days() -> None:
    tz = timezone(timedelta(hours=2))

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)

    spells = [
        # 22:30 UTC on 03-03 is 00:30 on 03-04 local: counts on 03-04. 30 min, a break
        # 3 minutes after the first alert: obeyed.
        SpellRecord(
            at("2026-03-03 22:30"), at("2026-03-03 23:00"), "break", 1, at("2026-03-03 22:57")
        ),
        # 45 min, idle counts as a break; alert 15 minutes before: not obeyed.
        SpellRecord(
            at("2026-03-04 08:00"), at("2026-03-04 08:45"), "idle", 2, at("2026-03-04 08:30")
        ),
        # 20 min, quit: no break, no alert.
        SpellRecord(at("2026-03-04 10:00"), at("2026-03-04 10:20"), "quit", 0, None),
        # Starts 23:30 local on 03-04, ends after midnight: all 60 min on 03-04.
        # Alerted, ended by suspend: not a break, not obeyed.
        SpellRecord(
            at("2026-03-04 21:30"), at("2026-03-04 22:30"), "suspend", 1, at("2026-03-04 22:00")
        ),
        # 03-05 local: end before start (clock set back) counts 0 minutes; a break.
        SpellRecord(at("2026-03-05 12:00"), at("2026-03-05 11:50"), "break", 0, None),
        # 23:00 local on 03-02: before the range.
        SpellRecord(at("2026-03-02 21:00"), at("2026-03-02 21:30"), "break", 0, None),
    ]
    rows = sitting_days(spells, D("2026-03-03"), D("2026-03-05"), tz)
    assert [r.date for r in rows] == [D("2026-03-03"), D("2026-03-04"), D("2026-03-05")]
    first, second, third = rows
    assert (
        first.minutes_sat,
        first.breaks,
        first.longest_minutes,
        first.alerts,
        first.alerts_obeyed,
    ) == (0, 0, 0, 0, 0)
    assert second.minutes_sat == pytest.approx(30 + 45 + 20 + 60)
    assert second.longest_minutes == pytest.approx(60)
    assert (second.breaks, second.alerts, second.alerts_obeyed) == (2, 3, 1)
    assert (third.minutes_sat, third.breaks, third.longest_minutes) == (0, 1, 0)


# --- properties -----------------------------------------------------------------------

BASE = date(2026, 1, 5)  # a Monday
OFFSETS = st.integers(min_value=0, max_value=70)

schedules: st.SearchStrategy[Schedule] = st.one_of(
    st.just("daily"),
    st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True).map(
        lambda days: DaysSchedule(days=days)
    ),
    st.integers(min_value=1, max_value=7).map(lambda n: PerWeekSchedule(per_week=n)),
)


@st.composite
def habit_plans(draw: st.DrawFn, habit_id: str) -> HabitPlan:
    cuts = sorted(draw(st.sets(OFFSETS, max_size=5)))
    days = [BASE + timedelta(days=c) for c in cuts]
    periods: list[tuple[date, date | None]] = [
        (days[i], days[i + 1] if i + 1 < len(days) else None) for i in range(0, len(days), 2)
    ]
    return HabitPlan(habit_id, draw(schedules), tuple(periods))


# compute_stats' arguments: plans, check-ins, pain, today, weeks.
Scenario = tuple[list[HabitPlan], list[tuple[str, date, str]], list[tuple[date, int]], date, int]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n = draw(st.integers(min_value=0, max_value=4))
    plans = [draw(habit_plans(f"h{i}")) for i in range(n)]
    check_ins = draw(
        st.dictionaries(
            st.tuples(st.integers(min_value=0, max_value=4), OFFSETS),
            st.sampled_from(["done", "skipped"]),
            max_size=80,
        )
    )
    rows = [(f"h{i}", BASE + timedelta(days=o), s) for (i, o), s in check_ins.items()]
    pain = draw(
        st.lists(
            st.tuples(
                OFFSETS.map(lambda o: BASE + timedelta(days=o)),
                st.integers(min_value=0, max_value=10),
            ),
            max_size=40,
        )
    )
    today = BASE + timedelta(days=draw(OFFSETS))
    weeks = draw(st.integers(min_value=1, max_value=8))
    return plans, rows, pain, today, weeks


# The autouse private_dirs fixture only sets environment variables: harmless to share.
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(scenarios())
def test_adherence_is_a_fraction_or_none(scenario: Scenario) -> None:
    stats = compute_stats(*scenario)
    rows: list[DayStats | WeekStats] = [*stats.days, *stats.weeks]
    for row in rows:
        assert 0 <= row.done <= row.due
        if row.due == 0:
            assert row.adherence is None
        else:
            assert row.adherence is not None
            assert 0.0 <= row.adherence <= 1.0
            assert row.adherence == row.done / row.due
    for habit in stats.habits:
        assert 0 <= habit.done <= habit.due
        assert 0 <= habit.current_streak <= habit.best_streak <= habit.done
        assert habit.strength is not None and 0.0 <= habit.strength <= 1.0
    for rho in (stats.correlation.daily_spearman, stats.correlation.weekly_spearman):
        assert rho is None or -1.0 - 1e-9 <= rho <= 1.0 + 1e-9


@PROPERTY_SETTINGS
@given(scenarios())
def test_habits_add_up_to_weeks_and_days(scenario: Scenario) -> None:
    plans, _rows, _pain, _today, _weeks = scenario
    stats = compute_stats(*scenario)
    week_due = sum(w.due for w in stats.weeks)
    week_done = sum(w.done for w in stats.weeks)
    assert sum(h.due for h in stats.habits) == week_due
    assert sum(h.done for h in stats.habits) == week_done
    per_week_ids = {p.id for p in plans if p.per_week is not None}
    per_week = [h for h in stats.habits if h.id in per_week_ids]
    assert sum(d.due for d in stats.days) + sum(h.due for h in per_week) == week_due
    assert sum(d.done for d in stats.days) + sum(h.done for h in per_week) == week_done
    # Each week is the sum of its days plus its per-week habits: at least its days.
    for week in stats.weeks:
        days = [d for d in stats.days if week_start(d.date) == week.week_start]
        assert sum(d.due for d in days) <= week.due
    # Pain per week is the mean of its days' means.
    for week in stats.weeks:
        means = [
            d.pain
            for d in stats.days
            if week_start(d.date) == week.week_start and d.pain is not None
        ]
        if means:
            assert week.pain == pytest.approx(sum(means) / len(means))
        else:
            assert week.pain is None
