"""The coach's rules (store/coach.py): each threshold at, below and above its boundary,
then whole simulated histories and the suggestions they must produce."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise

import pytest

from store.coach import RULES, Advice, PainHistory, Session, advise, baseline, leg_change
from store.vocab import Suggestion

TODAY = date(2026, 3, 31)  # a Tuesday
DOSES = ["2 x 8", "2 x 10", "3 x 10", "3 x 12"]
P, H, R, REST = Suggestion.PROGRESS, Suggestion.HOLD, Suggestion.REDUCE, Suggestion.REST


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@dataclass
class Case:
    """Three sessions rated 1 on the last three days before today, mornings of 3 every
    day for four weeks (so the baseline is 3), no leg pain, no flare: `progress`.
    Each test changes one thing."""

    level: int = 2
    ratings: tuple[int | None, ...] = (1, 1, 1)
    session_days: tuple[int, ...] = (3, 2, 1)  # days ago
    mornings: dict[date, int] = field(default_factory=lambda: {ago(d): 3 for d in range(28)})
    leg: list[tuple[date, int]] = field(default_factory=list)
    flares: frozenset[date] = frozenset()

    def advice(self) -> Advice:
        sessions = [
            Session(ago(d), r) for d, r in zip(self.session_days, self.ratings, strict=False)
        ]
        history = PainHistory(TODAY, self.mornings, self.leg, self.flares)
        return advise(self.level, DOSES, sessions, history)


def morning_after(days_ago: int, score: int) -> Callable[[Case], object]:
    def change(case: Case) -> None:
        case.mornings[ago(days_ago - 1)] = score

    return change


def leg_up(rise: float) -> Callable[[Case], object]:
    """Leg pain 0 every day of the week before, and a mean of `rise` this week (ten
    entries, so tenths are exact)."""

    def change(case: Case) -> None:
        whole, tenths = divmod(round(rise * 10), 10)
        case.leg = [(ago(7 + i), 0) for i in range(7)]
        case.leg += [(ago(i % 7), whole + (1 if i < tenths else 0)) for i in range(10)]

    return change


def ratings(*values: int | None) -> Callable[[Case], object]:
    def change(case: Case) -> None:
        case.ratings = values

    return change


def flare(days_ago: int) -> Callable[[Case], object]:
    def change(case: Case) -> None:
        case.flares = frozenset({ago(days_ago)})

    return change


def at_level(level: int) -> Callable[[Case], object]:
    def change(case: Case) -> None:
        case.level = level

    return change


def half_baseline(case: Case) -> None:
    """A baseline of 2.5: a week of 2s and a week of 3s before the window."""
    for d in range(14, 21):
        case.mornings[ago(d)] = 2


# (what changes, the suggestion, a piece of the reason)
THRESHOLDS: list[tuple[str, list[Callable[[Case], object]], Suggestion, str]] = [
    ("all steady", [], P, "3 sessions at 1/10 and steady mornings: try 3 x 10"),
    # comfortable_max = 2: progress takes sessions rated 0-2
    ("ratings below", [ratings(0, 1, 1)], P, "at 0-1/10"),
    ("ratings at 2", [ratings(2, 2, 2)], P, "3 sessions at 2/10"),
    ("a rating of 3", [ratings(1, 3, 1)], H, "sessions at 1-3/10; 3 at 0-2/10 come before"),
    # painful_above = 5: a session above 5 reduces
    ("a rating of 4", [ratings(1, 4, 1)], H, "keep 2 x 10"),
    ("a rating of 5", [ratings(1, 1, 5)], H, "sessions at 1-5/10"),
    ("a rating of 6", [ratings(1, 1, 6)], R, "Mon 30 Mar's session at 6/10 (above 5): try 2 x 8"),
    # steady_rise_max = 1 and morning_rise = 2, baseline 3
    ("a morning at +1", [morning_after(2, 4)], P, "steady mornings"),
    ("a morning at +2", [morning_after(2, 5)], R, "morning pain 5/10 after Sun 29 Mar's session"),
    ("a morning at +3", [morning_after(3, 6)], R, "3 above your usual 3: try 2 x 8"),
    ("a morning at +1.5", [half_baseline, morning_after(3, 4)], H, "above your usual 2.5"),
    ("a morning at -1", [morning_after(2, 2)], P, ""),
    # leg_rising = 1 (no progress) and leg_rise = 2 (reduce)
    ("leg up 0.9", [leg_up(0.9)], P, ""),
    ("leg up 1", [leg_up(1.0)], H, "leg pain up 1 on the week before: keep 2 x 10"),
    ("leg up 1.9", [leg_up(1.9)], H, "leg pain up 1.9"),
    ("leg up 2", [leg_up(2.0)], R, "leg pain up 2 on the week before: try 2 x 8"),
    ("leg up 2.5", [leg_up(2.5)], R, "leg pain up 2.5"),
    # flare_days = 3: no progress with a flare day in the last 3 days
    ("a flare today", [flare(0)], H, "a flare day on Tue 31 Mar"),
    ("a flare 2 days ago", [flare(2)], H, "a flare day on Sun 29 Mar"),
    ("a flare 3 days ago", [flare(3)], P, ""),
    # sessions = 3 rated ones at this level in the window
    ("2 rated", [ratings(None, 1, 1)], H, "2 of 3 rated sessions at this level: keep 2 x 10"),
    ("no sessions", [ratings()], H, "0 of 3 rated sessions"),
    # the top and the bottom of the ladder
    ("at the top", [at_level(4)], H, "no level above this one: keep 3 x 12"),
    ("level 1 progresses", [at_level(1)], P, "try 2 x 10"),
    ("level 1 painful", [at_level(1), ratings(1, 1, 7)], REST, "take a rest day"),
    (
        "level 1 leg rising",
        [at_level(1), leg_up(2.0)],
        REST,
        "leg pain up 2 on the week before: take a rest day, and talk to a clinician",
    ),
    # baseline: mornings of the 14 days before the window
    ("no baseline", [lambda c: [c.mornings.pop(ago(d)) for d in range(14, 28)]], H, "no morning"),
    ("an unlogged morning", [lambda c: c.mornings.pop(ago(1))], H, "no morning pain logged on"),
]


@pytest.mark.parametrize(
    ("changes", "suggestion", "reason"),
    [case[1:] for case in THRESHOLDS],
    ids=[case[0] for case in THRESHOLDS],
)
def test_each_threshold(
    changes: list[Callable[[Case], object]], suggestion: Suggestion, reason: str
) -> None:
    case = Case()
    for change in changes:
        change(case)
    advice = case.advice()
    assert advice.suggestion == suggestion, advice.reason
    assert reason in advice.reason
    moves = {P: 1, R: -1, H: 0, REST: 0}[suggestion]
    assert advice.next_level == case.level + moves


def test_todays_session_needs_no_morning_yet() -> None:
    case = Case(session_days=(2, 1, 0))
    assert case.advice().suggestion == P


def test_sessions_outside_the_window_do_not_count() -> None:
    case = Case(session_days=(RULES.window_days, 2, 1))
    assert case.advice().reason.startswith("2 of 3 rated sessions")
    case = Case(session_days=(RULES.window_days - 1, 2, 1))
    assert case.advice().suggestion == P


def test_only_the_last_three_sessions_count() -> None:
    case = Case(ratings=(8, 1, 1, 1), session_days=(4, 3, 2, 1))
    assert case.advice().suggestion == P


def test_baseline_is_the_median_of_the_two_weeks_before_the_window() -> None:
    mornings = {ago(d): 9 for d in range(14)} | {ago(14 + d): 1 + d % 2 for d in range(14)}
    history = PainHistory(TODAY, mornings, [], frozenset())
    assert baseline(history) == 1.5
    history = PainHistory(TODAY, {ago(28): 5, ago(13): 5}, [], frozenset())
    assert baseline(history) is None


def test_leg_change_is_mean_of_last_7_days_minus_the_7_before() -> None:
    leg = [(ago(0), 4), (ago(6), 2), (ago(7), 1), (ago(13), 1), (ago(14), 9)]
    assert leg_change(PainHistory(TODAY, {}, leg, frozenset())) == 2.0
    assert leg_change(PainHistory(TODAY, {}, leg[:2], frozenset())) is None


# --- simulated histories ----------------------------------------------------------------


@dataclass
class Run:
    """Days of a person doing one exercise every day and taking every suggestion."""

    levels: list[int] = field(default_factory=list)  # the level each day
    suggestions: list[Suggestion] = field(default_factory=list)
    leg_changes: list[float | None] = field(default_factory=list)


def simulate(
    days: int,
    rating: Callable[[int, int], int],
    morning: Callable[[int], int],
    leg: Callable[[int], int] = lambda day: 0,
    flare_days: frozenset[int] = frozenset(),
) -> Run:
    """Day 0 is four weeks after the mornings start; `rating(day, level)`."""
    start = date(2026, 1, 5)
    mornings = {start - timedelta(days=28 - d): morning(d - 28) for d in range(28)}
    legs = [(start - timedelta(days=28 - d), leg(d - 28)) for d in range(28)]
    sessions: list[Session] = []
    level, run = 1, Run()
    for n in range(days):
        day = start + timedelta(days=n)
        mornings[day] = morning(n)
        legs.append((day, leg(n)))
        flares = frozenset(start + timedelta(days=f) for f in flare_days if f <= n)
        if n not in flare_days:
            sessions.append(Session(day, rating(n, level)))
        history = PainHistory(day, mornings, legs, flares)
        advice = advise(level, DOSES, sessions, history)
        run.levels.append(level)
        run.suggestions.append(advice.suggestion)
        run.leg_changes.append(leg_change(history))
        if advice.next_level != level:
            level = advice.next_level
            sessions = []  # sessions at the new level start afresh
    return run


def test_steady_improvement_climbs_the_ladder_one_step_at_a_time() -> None:
    run = simulate(40, rating=lambda day, level: 1, morning=lambda day: 3)
    assert run.levels[-1] == len(DOSES)
    steps = [b - a for a, b in pairwise(run.levels) if b != a]
    assert steps == [1, 1, 1]
    # Each step waits for three sessions at the new level.
    changes = [i for i in range(1, 40) if run.levels[i] != run.levels[i - 1]]
    assert all(b - a >= RULES.sessions for a, b in pairwise(changes))
    assert R not in run.suggestions and REST not in run.suggestions


def test_a_flare_reduces_then_holds_until_calm_again() -> None:
    def morning(day: int) -> int:
        return 7 if 20 <= day <= 22 else 3

    run = simulate(40, rating=lambda day, level: 1, morning=morning, flare_days=frozenset({21}))
    before = run.levels[19]
    assert before >= 2
    # The bad morning after day 19's session: a step down on day 20.
    assert run.suggestions[20] == R and run.levels[21] == before - 1
    # No step up with the flare day in the last three days.
    assert all(s != P for s in run.suggestions[21:24])
    assert run.levels[-1] > run.levels[21]  # and climbing again once calm


def test_noisy_pain_never_progresses_past_a_rating_above_2() -> None:
    rng = random.Random(15)
    ratings = [rng.randint(0, 6) for _ in range(60)]
    run = simulate(60, rating=lambda day, level: ratings[day], morning=lambda day: 3)
    for day, suggestion in enumerate(run.suggestions):
        if suggestion == P:
            assert max(ratings[day - 2 : day + 1]) <= 2
        if ratings[day] > 5:
            assert suggestion in (R, REST)


def test_rising_leg_pain_never_progresses_and_ends_in_rest_and_a_clinician() -> None:
    run = simulate(
        34,
        rating=lambda day, level: 1,
        morning=lambda day: 3,
        leg=lambda day: 0 if day < 14 else (day - 14) // 2,  # up to 9/10 on day 33
    )
    rising = [day for day, up in enumerate(run.leg_changes) if up is not None and up >= 1]
    assert rising, "the simulation should make leg pain rise"
    assert all(run.suggestions[day] != P for day in rising)
    assert R in run.suggestions[14:] and run.suggestions[-1] == REST
    assert run.levels[14] > 1 and run.levels[-1] == 1
    case = Case(level=1)
    leg_up(3.0)(case)
    assert "talk to a clinician" in case.advice().reason


def test_the_thresholds_live_in_one_place() -> None:
    # Loosening one rule through `Rules` changes the outcome: nothing is hard-coded.
    case = Case()
    ratings(1, 3, 1)(case)
    sessions = [Session(ago(d), r) for d, r in zip(case.session_days, case.ratings, strict=True)]
    history = PainHistory(TODAY, case.mornings, [], frozenset())
    assert advise(2, DOSES, sessions, history).suggestion == H
    loose = replace(RULES, comfortable_max=3)
    assert advise(2, DOSES, sessions, history, loose).suggestion == P
