"""The coach: progress, hold or reduce an exercise from the user's own pain.

A cautious reading of the pain-monitoring model (Thomeé 1997; Silbernagel et
al. 2007): some pain during exercise is acceptable if it settles by the next
morning and does not build week on week. Pure functions: the caller passes in
today, the sessions and the pain readings; every threshold is in `Rules`.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from store.vocab import Suggestion


@dataclass(frozen=True)
class Rules:
    """Every number the coach decides by, in one place (the README cites each)."""

    window_days: int = 14  # sessions at the current level from the last 14 days count
    baseline_days: int = 14  # baseline: median morning pain of the 14 days before those
    sessions: int = 3  # the rules look at the last 3 sessions
    comfortable_max: int = 2  # progress: each of them rated 0-2
    steady_rise_max: int = 1  # progress: each morning after at most baseline + 1
    painful_above: int = 5  # reduce: a session rated above 5
    morning_rise: int = 2  # reduce: a morning after 2+ above baseline (meaningful change)
    leg_rise: float = 2.0  # reduce: mean leg pain of the last 7 days 2+ above the 7 before
    leg_rising: float = 1.0  # never progress while it is 1+ above (and say "clinician")
    flare_days: int = 3  # never progress with a flare day in the last 3 days


RULES = Rules()


@dataclass(frozen=True)
class Session:
    """An exercise done on a day, with the pain it caused if the user rated it."""

    day: date
    pain_during: int | None = None


@dataclass(frozen=True)
class PainHistory:
    """The user's pain around `today`, shared by every exercise."""

    today: date
    mornings: Mapping[date, int]  # store.morning.morning_pain
    leg: Sequence[tuple[date, int]]  # every leg-pain score, with its day
    flare_days: frozenset[date]  # days with a skipped ("flare day") check-in


@dataclass(frozen=True)
class Advice:
    suggestion: Suggestion
    reason: str  # a suggestion with its reason, in the user's words
    level: int  # 1-based, now
    next_level: int  # the level the suggestion leads to (`level` for hold and rest)


def baseline(history: PainHistory, rules: Rules = RULES) -> float | None:
    """Median morning pain of the `baseline_days` before the sessions' window."""
    last = history.today - timedelta(days=rules.window_days)
    first = last - timedelta(days=rules.baseline_days - 1)
    scores = [score for day, score in history.mornings.items() if first <= day <= last]
    return statistics.median(scores) if scores else None


def leg_change(history: PainHistory) -> float | None:
    """Mean leg pain of the last 7 days (today included) minus that of the 7 before;
    None unless both weeks have a leg score."""
    this_week = history.today - timedelta(days=6)
    last_week = this_week - timedelta(days=7)
    recent = [s for d, s in history.leg if this_week <= d <= history.today]
    before = [s for d, s in history.leg if last_week <= d < this_week]
    if not recent or not before:
        return None
    return statistics.fmean(recent) - statistics.fmean(before)


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _ratings_text(ratings: Sequence[int]) -> str:
    lo, hi = min(ratings), max(ratings)
    return f"{lo}/10" if lo == hi else f"{lo}-{hi}/10"


def advise(
    level: int,
    doses: Sequence[str],
    sessions: Sequence[Session],
    history: PainHistory,
    rules: Rules = RULES,
) -> Advice:
    """The suggestion for one exercise at `level` (1-based) of the ladder whose doses,
    as text, are `doses`; `sessions` are its sessions at this level (any order; those
    outside the window are ignored)."""
    today = history.today
    first = today - timedelta(days=rules.window_days - 1)
    recent = sorted((s for s in sessions if first <= s.day <= today), key=lambda s: s.day)
    last = recent[-rules.sessions :]
    usual = baseline(history, rules)
    leg = leg_change(history)
    leg_rising = leg is not None and leg >= rules.leg_rising

    def hold(why: str) -> Advice:
        return Advice(Suggestion.HOLD, f"{why}: keep {doses[level - 1]}", level, level)

    # Reduce: a painful session, a bad morning after one, or leg pain building.
    worse: list[str] = []
    for session in last:
        if session.pain_during is not None and session.pain_during > rules.painful_above:
            worse.append(
                f"{day_text(session.day)}'s session at {session.pain_during}/10"
                f" (above {rules.painful_above})"
            )
    if usual is not None:
        for session in last:
            morning = history.mornings.get(session.day + timedelta(days=1))
            if morning is not None and morning - usual >= rules.morning_rise:
                worse.append(
                    f"morning pain {morning}/10 after {day_text(session.day)}'s session,"
                    f" {_number(morning - usual)} above your usual {_number(usual)}"
                )
    if leg is not None and leg >= rules.leg_rise:
        worse.append(f"leg pain up {_number(leg)} on the week before")
    if worse:
        reason = "; ".join(worse)
        if level > 1:
            return Advice(Suggestion.REDUCE, f"{reason}: try {doses[level - 2]}", level, level - 1)
        rest = f"{reason}: take a rest day"
        if leg_rising:
            rest += ", and talk to a clinician about the leg pain"
        return Advice(Suggestion.REST, rest, level, level)

    # Progress only with every sign steady.
    if level >= len(doses):
        return hold("no level above this one")
    rated = [s.pain_during for s in last if s.pain_during is not None]
    if len(rated) < rules.sessions:
        return hold(f"{len(rated)} of {rules.sessions} rated sessions at this level")
    if max(rated) > rules.comfortable_max:
        return hold(
            f"sessions at {_ratings_text(rated)}; {rules.sessions} at"
            f" 0-{rules.comfortable_max}/10 come before a step up"
        )
    if usual is None:
        return hold("no morning pain logged in the 2 weeks before to compare with")
    for session in last:
        after = session.day + timedelta(days=1)
        if after > today:
            continue  # today's session: its morning has not come yet
        morning = history.mornings.get(after)
        if morning is None:
            return hold(f"no morning pain logged on {day_text(after)}")
        if morning - usual > rules.steady_rise_max:
            return hold(
                f"morning pain {morning}/10 on {day_text(after)}, above your usual {_number(usual)}"
            )
    flares = sorted(
        d for d in history.flare_days if today - timedelta(days=rules.flare_days - 1) <= d <= today
    )
    if flares:
        return hold(f"a flare day on {day_text(flares[-1])}")
    if leg_rising and leg is not None:
        return hold(f"leg pain up {_number(leg)} on the week before")
    return Advice(
        Suggestion.PROGRESS,
        f"{rules.sessions} sessions at {_ratings_text(rated)} and steady mornings:"
        f" try {doses[level]}",
        level,
        level + 1,
    )
