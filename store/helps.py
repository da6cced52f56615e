"""Does an exercise help? Next-morning pain after days it was done against days it was not.

Pure functions, like `store.stats`: the rows, the mornings and "today" come in
as arguments. For each exercise (a habit of any kind but posture) in the plan,
over the Trends window:

- a *done day* is a complete day (before today) with a `done` check-in;
- a *not-done day* is a complete day it was due (`store.stats`' meaning: in
  the plan, scheduled that weekday) with no check-in. A per-week habit may be
  done on any day of its week, so each of its days in the plan without a
  check-in is a not-done day;
- a skipped day (a flare day) is neither: the pain that stopped the exercise
  would read as the exercise's absence doing harm;
- either counts only when the next day has a morning pain reading
  (`store.morning.morning_pain`, the one definition).

The difference is the mean next-morning pain after done days minus that after
not-done days (negative: lower pain after done days), with a 95% percentile
bootstrap interval: each side resampled with replacement on its own, 2,000
times, from a generator seeded from `SEED`, so the same data gives the same
interval every time. Nothing is stated below `MIN_DAYS` on either side. It is
an association: days an exercise was skipped may differ in other ways (a busy
day, a bad night) that also move the next morning's pain.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from store.plan import HabitPlan, window_start
from store.vocab import CheckInStatus

MIN_DAYS = 5
RESAMPLES = 2000
CONFIDENCE = 0.95
SEED = 15
# The longest range asked for (the Trends' longest): the bootstrap's cost grows with it.
MAX_WEEKS = 52
_DONE = CheckInStatus.DONE
_SKIPPED = CheckInStatus.SKIPPED
# A byte that marks a rejected draw (a pain score is 0-10).
_REJECT = 0xFF


@dataclass(frozen=True)
class Association:
    """Next-morning pain after an exercise's done days against its not-done days."""

    id: str
    # The next mornings' scores, in date order.
    after_done: tuple[int, ...]
    after_not_done: tuple[int, ...]
    # The 95% bootstrap interval of the difference; None below MIN_DAYS on a side.
    interval: tuple[float, float] | None

    @property
    def done_days(self) -> int:
        return len(self.after_done)

    @property
    def not_done_days(self) -> int:
        return len(self.after_not_done)

    @property
    def enough(self) -> bool:
        return self.interval is not None

    @property
    def done_mean(self) -> float | None:
        return fmean(self.after_done) if self.after_done else None

    @property
    def not_done_mean(self) -> float | None:
        return fmean(self.after_not_done) if self.after_not_done else None

    @property
    def difference(self) -> float | None:
        """Mean pain after done days minus after not-done days (negative: less pain);
        None below MIN_DAYS on either side."""
        if not self.enough:
            return None
        return fmean(self.after_done) - fmean(self.after_not_done)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "done_days": self.done_days,
            "not_done_days": self.not_done_days,
            "done_mean": self.done_mean,
            "not_done_mean": self.not_done_mean,
            "difference": self.difference,
            "interval_low": None if self.interval is None else self.interval[0],
            "interval_high": None if self.interval is None else self.interval[1],
            "enough": self.enough,
        }


def next_mornings(
    plan: HabitPlan,
    states: Mapping[date, str],
    mornings: Mapping[date, int],
    first: date,
    today: date,
) -> tuple[list[int], list[int]]:
    """The next mornings' pain after the done days and after the not-done days,
    for the complete days `first`..yesterday."""
    after_done: list[int] = []
    after_not_done: list[int] = []
    for offset in range((today - first).days):
        day = first + timedelta(days=offset)
        morning = mornings.get(day + timedelta(days=1))
        if morning is None:
            continue
        state = states.get(day)
        if state == _DONE:
            after_done.append(morning)
        elif state is None and plan.in_plan(day) and plan.scheduled_on(day):
            after_not_done.append(morning)
    return after_done, after_not_done


def associations(
    plans: Sequence[HabitPlan],
    exercise_ids: Iterable[str],
    check_ins: Iterable[tuple[str, date, str]],
    mornings: Mapping[date, int],
    today: date,
    weeks: int,
    *,
    seed: int = SEED,
    resamples: int = RESAMPLES,
) -> list[Association]:
    """Each exercise's association over the `weeks` ISO weeks ending with today's, in
    the order of `exercise_ids` (plans not among them are left out)."""
    first = window_start(today, weeks)
    by_id = {plan.id: plan for plan in plans}
    states: dict[str, dict[date, str]] = {}
    for habit_id, day, state in check_ins:
        if first <= day < today:
            states.setdefault(habit_id, {})[day] = state
    out = []
    for habit_id in exercise_ids:
        plan = by_id.get(habit_id)
        if plan is None:
            continue
        done, not_done = next_mornings(plan, states.get(habit_id, {}), mornings, first, today)
        interval = (
            bootstrap_interval(done, not_done, seed=_seed(seed, habit_id), resamples=resamples)
            if len(done) >= MIN_DAYS and len(not_done) >= MIN_DAYS
            else None
        )
        out.append(Association(habit_id, tuple(done), tuple(not_done), interval))
    return out


def _seed(seed: int, habit_id: str) -> str:
    """One generator per exercise, so adding an exercise changes no other's interval.
    (A str seed is hashed with SHA-512, the same in every run.)"""
    return f"{seed}:{habit_id}"


def bootstrap_interval(
    first: Sequence[int],
    second: Sequence[int],
    *,
    seed: int | str = SEED,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """The percentile bootstrap interval of mean(first) - mean(second), scores 0-10.

    Each side is resampled on its own, `resamples` times: `bootstrap_sums`
    with `random.Random(f"{seed}:first")` and `...:second`. The interval is
    the differences' order statistics at k and resamples - 1 - k (0-based,
    sorted), k = int(resamples * (1 - confidence) / 2): with 2,000, the 51st
    and the 1,950th.
    """
    if not first or not second:
        raise ValueError("both sides need at least one score")
    sums_first = bootstrap_sums(first, random.Random(f"{seed}:first"), resamples)
    sums_second = bootstrap_sums(second, random.Random(f"{seed}:second"), resamples)
    n_first, n_second = len(first), len(second)
    differences = sorted(
        a / n_first - b / n_second for a, b in zip(sums_first, sums_second, strict=True)
    )
    k = int(resamples * (1 - confidence) / 2)
    return differences[k], differences[resamples - 1 - k]


def bootstrap_sums(scores: Sequence[int], rng: random.Random, resamples: int) -> list[int]:
    """The sums of `resamples` resamples of `scores` (0-254) with replacement.

    Resample i sums draws i*n to i*n + n - 1 of `iid_draws(Counter(scores), ...)`.
    """
    n = len(scores)
    if n == 0:
        raise ValueError("no scores to resample")
    draws = iid_draws(sorted(Counter(scores).items()), n, resamples * n, rng)
    return [sum(draws[start : start + n]) for start in range(0, resamples * n, n)]


def iid_draws(
    weights: Sequence[tuple[int, int]], total: int, count: int, rng: random.Random
) -> bytes:
    """`count` independent draws of values 0-254, value v with probability w / total
    for each (v, w) in `weights` (w > 0, summing to `total`), one byte each.

    One byte of `rng.randbytes(count)` per draw picks one of 256 slots: v has
    floor(256 w / total) of them. The slots left over (at most one per value)
    stand for what those floors cut off, value v with weight 256 w mod total:
    each draw that lands there is replaced, in order, by a draw of the same kind
    from those weights (recursively; about 1 draw in 25 with 11 values).

    Why not `random.choices`: it costs ~50 ns a draw in Python, and a year of
    mornings is ~700,000 draws an exercise. Here the work per draw is done in C
    (randbytes, translate, split, join): ~5 ns.
    """
    if count == 0:
        return b""
    if any(not 0 <= value < _REJECT or weight <= 0 for value, weight in weights):
        raise ValueError("values must be 0-254 with positive weights")
    table = b"".join(bytes([value]) * (256 * weight // total) for value, weight in weights)
    picked = rng.randbytes(count).translate(table.ljust(256, bytes([_REJECT])))
    leftover = [(value, 256 * weight % total) for value, weight in weights]
    leftover = [(value, weight) for value, weight in leftover if weight]
    if not leftover:
        return picked
    parts = picked.split(bytes([_REJECT]))
    redrawn = iid_draws(leftover, total * (256 - len(table)), len(parts) - 1, rng)
    out = bytearray(parts[0])
    for index in range(len(redrawn)):
        out.append(redrawn[index])
        out += parts[index + 1]
    return bytes(out)
