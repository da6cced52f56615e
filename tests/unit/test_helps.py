"""Does it help? Next-morning pain after done days against not-done days, and its interval.

The bootstrap is held to an exact bootstrap enumerated with itertools on tiny data, and
to a plain `random.choices` bootstrap; the draws to their probabilities; the days to
the definitions in `store.helps`' docstring.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import product
from pathlib import Path

import pytest

from store.habit_fields import DaysSchedule, PerWeekSchedule
from store.helps import (
    MIN_DAYS,
    RESAMPLES,
    Association,
    associations,
    bootstrap_interval,
    bootstrap_sums,
    iid_draws,
    next_mornings,
)
from store.morning import morning_pain
from store.plan import HabitPlan
from store.queries import LevelChange, Store
from tui.views.trends import HelpsRow, helps_sentence, level_history, level_steps, level_text

TODAY = date(2026, 11, 24)  # a Tuesday
START = date(2026, 11, 2)  # a Monday: the first day of a 4-week window
DAILY = HabitPlan("bird-dog", "daily", ((START, None),))


# --- the draws and the bootstrap ----------------------------------------------------


@pytest.mark.parametrize(
    "weights",
    [
        [(0, 1)],
        [(3, 2), (7, 1)],
        [(0, 5), (1, 3), (2, 9), (4, 1), (6, 7), (7, 2), (8, 4), (9, 1), (10, 5)],
        # 300 scores: more than one byte can index
        [(v, 20 + v) for v in range(10)] + [(10, 55)],
    ],
)
def test_draws_take_each_value_with_its_share(weights: list[tuple[int, int]]) -> None:
    total = sum(w for _, w in weights)
    count = 400_000
    drawn = Counter(iid_draws(weights, total, count, random.Random(7)))
    assert set(drawn) <= {v for v, _ in weights}
    for value, weight in weights:
        share = weight / total
        # Within 5 standard errors of a binomial count.
        assert abs(drawn[value] - count * share) <= 5 * math.sqrt(count * share * (1 - share)) + 1


def exact_bootstrap_quantiles(
    first: list[int], second: list[int], confidence: float = 0.95
) -> tuple[float, float]:
    """Every resample of each side enumerated: the exact bootstrap distribution of the
    difference of means, and its 2.5% and 97.5% quantiles."""

    def sums(scores: list[int]) -> Counter[int]:
        return Counter(sum(pick) for pick in product(scores, repeat=len(scores)))

    a, b = sums(first), sums(second)
    n_a, n_b = len(first), len(second)
    weights: Counter[float] = Counter()
    for sa, ca in a.items():
        for sb, cb in b.items():
            weights[sa / n_a - sb / n_b] += ca * cb
    total = sum(weights.values())
    tail = (1 - confidence) / 2 * total
    ordered = sorted(weights.items())
    seen = 0
    low = high = None
    for value, weight in ordered:
        seen += weight
        if low is None and seen > tail:
            low = value
        if high is None and seen >= total - tail:
            high = value
    assert low is not None and high is not None
    return low, high


def choices_bootstrap(first: list[int], second: list[int], seed: int) -> tuple[float, float]:
    rng = random.Random(seed)
    diffs = sorted(
        sum(rng.choices(first, k=len(first))) / len(first)
        - sum(rng.choices(second, k=len(second))) / len(second)
        for _ in range(RESAMPLES)
    )
    return diffs[50], diffs[1949]


TINY = [
    ([1, 2, 2, 4, 5], [3, 4, 4, 6, 7]),
    ([0, 0, 1, 3, 3, 6], [2, 5, 5, 5, 8]),
    ([4, 4, 4, 4, 9], [4, 4, 4, 4, 4]),
]


@pytest.mark.parametrize(("first", "second"), TINY)
def test_interval_matches_the_exact_bootstrap_on_tiny_data(
    first: list[int], second: list[int]
) -> None:
    exact = exact_bootstrap_quantiles(first, second)
    ours = bootstrap_interval(first, second, seed="tiny")
    plain = choices_bootstrap(first, second, seed=1)
    # 2,000 resamples: a quantile lands within a step or two of the exact one
    # (the differences move in steps of 1/n).
    step = 1 / min(len(first), len(second))
    for got in (ours, plain):
        assert abs(got[0] - exact[0]) <= 2 * step + 1e-9
        assert abs(got[1] - exact[1]) <= 2 * step + 1e-9


def test_the_same_data_gives_the_same_interval_in_any_order() -> None:
    rng = random.Random(3)
    first = [rng.randrange(11) for _ in range(40)]
    second = [rng.randrange(11) for _ in range(12)]
    once = bootstrap_interval(first, second)
    assert bootstrap_interval(list(reversed(first)), sorted(second)) == once
    assert bootstrap_interval(first, second, seed=16) != once


@pytest.mark.parametrize("n", [4, 7, 64, 300])
def test_resample_sums_have_the_bootstraps_mean_and_spread(n: int) -> None:
    """A resample's sum is n draws from the scores: mean n * m, variance n * s2 (m and
    s2 the scores' mean and population variance), whether drawn in blocks of 4 or alone."""
    rng = random.Random(n)
    scores = [rng.choice([0, 1, 3, 3, 4, 7, 10]) for _ in range(n)]
    m = sum(scores) / n
    s2 = sum((x - m) ** 2 for x in scores) / n
    sums = bootstrap_sums(scores, random.Random("spread"), 20_000)
    mean = sum(sums) / len(sums)
    variance = sum((x - mean) ** 2 for x in sums) / (len(sums) - 1)
    assert abs(mean - n * m) <= 5 * math.sqrt(n * s2 / len(sums))
    assert variance == pytest.approx(n * s2, rel=0.06)


def test_each_resample_sums_n_draws() -> None:
    sums = bootstrap_sums([2, 9], random.Random(0), 1000)
    assert len(sums) == 1000
    assert set(sums) <= {4, 11, 18}
    assert 200 < Counter(sums)[11] < 800  # half of them, give or take


# --- which days count ----------------------------------------------------------------


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def test_done_and_not_done_days_and_what_is_neither() -> None:
    mornings = {day(i): i % 11 for i in range(1, 23)}  # every morning to today
    states = {
        day(0): "done",
        day(1): "skipped",  # a flare day: neither
        day(2): "done",
        day(21): "done",  # yesterday: its morning is today's
        day(22): "done",  # today: not over, no next morning yet
    }
    done, not_done = next_mornings(DAILY, states, mornings, START, TODAY)
    assert done == [1, 3, 0]  # mornings of days 1, 3 and 22 (22 % 11)
    # Days 3-20 not done: their next mornings, 4..21 % 11.
    assert not_done == [i % 11 for i in range(4, 22)]


def test_a_day_without_its_next_morning_counts_nowhere() -> None:
    mornings = {day(2): 5}
    done, not_done = next_mornings(DAILY, {day(0): "done", day(1): "done"}, mornings, START, TODAY)
    assert (done, not_done) == ([5], [])


def test_a_weekday_habit_is_not_missed_on_its_days_off() -> None:
    mwf = HabitPlan("superman", DaysSchedule(days=["mon", "wed", "fri"]), ((START, None),))
    mornings = {day(i): 4 for i in range(1, 8)}
    done, not_done = next_mornings(mwf, {day(0): "done"}, mornings, START, day(7))
    # Monday done; Wednesday and Friday missed; the other days were not due.
    assert (len(done), len(not_done)) == (1, 2)


def test_days_out_of_the_plan_count_nowhere() -> None:
    later = HabitPlan("bird-dog", "daily", ((day(3), day(5)),))
    mornings = {day(i): 2 for i in range(1, 10)}
    assert next_mornings(later, {}, mornings, START, day(9)) == ([], [2, 2])


def test_a_per_week_habit_can_be_done_any_day_of_its_week() -> None:
    walk = HabitPlan("walk", PerWeekSchedule(per_week=3), ((START, None),))
    mornings = {day(i): 3 for i in range(1, 8)}
    done, not_done = next_mornings(
        walk, {day(0): "done", day(2): "skipped"}, mornings, START, day(7)
    )
    assert (len(done), len(not_done)) == (1, 5)


# --- at least 5 days on each side ----------------------------------------------------


def history(
    done_days: int, not_done_days: int
) -> tuple[list[tuple[str, date, str]], dict[date, int]]:
    """`done_days` done then `not_done_days` not done, each with a next morning."""
    check_ins = [("bird-dog", day(i), "done") for i in range(done_days)]
    mornings = {day(i + 1): 2 if i < done_days else 5 for i in range(done_days + not_done_days)}
    return check_ins, mornings


@pytest.mark.parametrize(
    ("done", "not_done", "enough"),
    [(4, 5, False), (5, 4, False), (4, 4, False), (5, 5, True), (6, 9, True), (0, 0, False)],
)
def test_nothing_is_stated_below_five_days_on_either_side(
    done: int, not_done: int, enough: bool
) -> None:
    check_ins, mornings = history(done, not_done)
    [row] = associations([DAILY], ["bird-dog"], check_ins, mornings, TODAY, 4)
    assert (row.done_days, row.not_done_days) == (done, not_done)
    assert row.enough is enough
    assert (row.difference is None) is not enough
    if enough:
        assert row.difference == pytest.approx(-3.0)
        assert row.interval == pytest.approx((-3.0, -3.0))
    else:
        assert row.interval is None
    assert MIN_DAYS == 5


def test_no_mornings_at_all() -> None:
    check_ins, _ = history(10, 10)
    [row] = associations([DAILY], ["bird-dog"], check_ins, {}, TODAY, 4)
    assert (row.done_days, row.not_done_days, row.interval) == (0, 0, None)
    assert row.to_json()["enough"] is False
    assert helps_sentence("Bird-dog", row) == (
        "Bird-dog: not enough days yet: 0 and 0 (mornings after days done and after days "
        "due but not done; 5 of each needed)."
    )


def test_all_mornings_equal() -> None:
    check_ins = [("bird-dog", day(i), "done") for i in range(0, 20, 2)]
    mornings = {day(i): 4 for i in range(1, 22)}
    [row] = associations([DAILY], ["bird-dog"], check_ins, mornings, TODAY, 4)
    assert row.difference == 0 and row.interval == (0.0, 0.0)
    assert "averaged the same as after days it was not done" in helps_sentence("Bird-dog", row)


def test_only_the_exercises_asked_for_in_their_order() -> None:
    other = HabitPlan("superman", "daily", ((START, None),))
    rows = associations([DAILY, other], ["superman", "gone", "bird-dog"], [], {}, TODAY, 4)
    assert [r.id for r in rows] == ["superman", "bird-dog"]


def test_days_before_the_window_are_left_out() -> None:
    early = HabitPlan("bird-dog", "daily", ((START - timedelta(days=30), None),))
    check_ins = [("bird-dog", START - timedelta(days=i), "done") for i in range(1, 30)]
    mornings = {START - timedelta(days=i): 1 for i in range(0, 30)}
    [row] = associations([early], ["bird-dog"], check_ins, mornings, TODAY, 4)
    assert (row.done_days, row.not_done_days) == (0, 0)


# --- the wording ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after_done", "after_not", "words"),
    [
        ((2,) * 5, (3,) * 5, "averaged 1.0 lower (95% interval -1.0 to -1.0; 5 vs 5 days)"),
        ((6,) * 7, (3,) * 5, "averaged 3.0 higher (95% interval 3.0 to 3.0; 7 vs 5 days)"),
    ],
)
def test_the_sentence_states_an_association(
    after_done: tuple[int, ...], after_not: tuple[int, ...], words: str
) -> None:
    row = Association("bird-dog", after_done, after_not, bootstrap_interval(after_done, after_not))
    sentence = helps_sentence("bird-dog", row)
    assert (
        sentence == f"Mornings after bird-dog days {words}; this shows an association, not a cause."
    )


# --- the store's readings ------------------------------------------------------------


def test_store_readings_give_the_mornings(store: Store, tmp_db_path: Path) -> None:
    monday = date(2026, 3, 2)
    at = datetime(2026, 3, 3, 7, 30, tzinfo=UTC)
    store.add_pain(6, at, monday + timedelta(days=1))
    store.add_pain(3, at + timedelta(hours=1), monday + timedelta(days=1), context="morning")
    store.add_pain(5, at + timedelta(days=1, hours=6), monday + timedelta(days=2))  # 13:30
    readings = store.pain_readings(monday, monday + timedelta(days=2))
    assert [r.score for r in readings] == [6, 3, 5]
    assert readings[0].at == at
    assert morning_pain(readings, UTC) == {monday + timedelta(days=1): 3}
    assert store.pain_readings(monday, monday) == []


def test_exercises_are_the_plans_habits_but_posture(store: Store) -> None:
    ids = store.exercise_ids()
    assert "bird-dog" in ids and "walk" in ids
    assert "stand-up" not in ids and "firm-chair" not in ids
    store.remove_from_plan("walk", date(2026, 3, 9))
    assert "walk" not in store.exercise_ids()


# --- the level history ---------------------------------------------------------------


def change(level: int, offset: int) -> LevelChange:
    return LevelChange("bird-dog", level, day(offset))


@pytest.mark.parametrize(
    ("changes", "top", "steps"),
    [
        ([], 4, [(1, 0)]),
        ([change(2, -10)], 4, [(2, 0)]),  # set before the range: held on its first day
        ([change(2, -10), change(3, 5)], 4, [(2, 0), (3, 5)]),
        ([change(2, 0), change(2, 3), change(1, 9)], 4, [(2, 0), (1, 9)]),  # same level kept
        ([change(3, 30)], 4, [(1, 0)]),  # after today
        ([change(5, 2)], 3, [(1, 0), (3, 2)]),  # the ladder got shorter since
    ],
)
def test_level_steps_over_the_range(
    changes: list[LevelChange], top: int, steps: list[tuple[int, int]]
) -> None:
    got = level_steps(changes, START, TODAY, top)
    assert [(s.level, (s.from_date - START).days) for s in got] == steps


def test_level_history_starts_when_the_exercise_joined_the_plan() -> None:
    joined = HabitPlan("bird-dog", "daily", ((day(4), None),))
    history = level_history([joined], ["bird-dog"], [change(2, 8)], {"bird-dog": 3}, START, TODAY)
    assert level_text(history["bird-dog"]) == "1 from 6 Nov, 2 from 10 Nov"
    row = HelpsRow(
        "bird-dog", "Bird-dog", Association("bird-dog", (), (), None), "", history["bird-dog"], 3
    )
    assert row.level == 2
    assert row.level_sentence == "Bird-dog's level (of 3): 1 from 6 Nov, 2 from 10 Nov."
    assert replace(row, top=1).level_sentence is None
