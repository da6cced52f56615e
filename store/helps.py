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
# The byte a draw landing on a leftover slot reads as, until it is redrawn (see
# slot_draws; the values drawn are 0-10, or 0-40 for sums of four).
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
    """The sums of `resamples` resamples of `scores` (0-10) with replacement.

    Under `BLOCKS_FROM` scores, resample i sums draws i*n to i*n + n - 1 of
    `iid_draws`. From it on, a resample is n // 4 sums of 4 draws and n % 4
    single draws. A sum of 4 draws is itself drawn from its exact distribution:
    the counts of the n**4 ways each total can come about (the fourth power of
    the scores' counting polynomial), so one byte draws 4 scores' worth: a year
    of mornings costs under a third of drawing each score. Blocks first, then
    singles.
    """
    n = len(scores)
    if n == 0:
        raise ValueError("no scores to resample")
    if min(scores) < 0 or max(scores) * BLOCK >= _REJECT:
        raise ValueError(f"scores must be 0-{(_REJECT - 1) // BLOCK}")
    weights = sorted(Counter(scores).items())
    if n < BLOCKS_FROM:
        return _sums(iid_draws(weights, n, resamples * n, rng), n, resamples)
    blocks, singles = divmod(n, BLOCK)
    sums = chunk_sums(_power(weights, BLOCK), n**BLOCK, blocks, resamples, rng)
    if singles:
        extra = _sums(iid_draws(weights, n, resamples * singles, rng), singles, resamples)
        sums = [a + b for a, b in zip(sums, extra, strict=True)]
    return sums


def _sums(draws: bytes, size: int, chunks: int) -> list[int]:
    return [sum(draws[start : start + size]) for start in range(0, size * chunks, size)]


# Scores drawn 4 at a time (4 x 10 is well under the byte 255 that marks a redraw):
# 2,000 resamples of 64 scores take 1.1 ms so against 1.3 ms one at a time, of 300
# 2.1 against 7.0 (measured as in bench/trends.py); below ~56 the blocks' setup costs more.
BLOCKS_FROM = 56
BLOCK = 4


def _power(weights: Sequence[tuple[int, int]], times: int) -> list[tuple[int, int]]:
    """The distribution of the sum of `times` draws: (total, ways), ways summing to
    (sum of weights) ** times; exact integers."""
    out = {0: 1}
    for _ in range(times):
        step: dict[int, int] = {}
        for total, ways in out.items():
            for value, weight in weights:
                step[total + value] = step.get(total + value, 0) + ways * weight
        out = step
    return sorted(out.items())


def chunk_sums(
    weights: Sequence[tuple[int, int]], total: int, size: int, chunks: int, rng: random.Random
) -> list[int]:
    """The sums of `chunks` runs of `size` independent draws (value v with probability
    w / total), as `iid_draws` would give them, without putting the redrawn ones in
    place: a chunk's sum is its slotted draws' plus the next redrawn draws, as many
    as its chunk has leftover slots (`slot_draws`)."""
    picked, leftover, leftover_total = slot_draws(weights, total, size * chunks, rng)
    bounds = range(0, size * chunks, size)
    if not leftover:
        return _sums(picked, size, chunks)
    marker = bytes([_REJECT])
    counts = [picked.count(marker, start, start + size) for start in bounds]
    redrawn = iid_draws(leftover, leftover_total, sum(counts), rng)
    sums = []
    position = 0
    for start, count in zip(bounds, counts, strict=True):
        end = position + count
        sums.append(
            sum(picked[start : start + size]) - _REJECT * count + sum(redrawn[position:end])
        )
        position = end
    return sums


def slot_draws(
    weights: Sequence[tuple[int, int]], total: int, count: int, rng: random.Random
) -> tuple[bytes, list[tuple[int, int]], int]:
    """`count` draws, one byte of `rng.randbytes(count)` each, of values 0-254 with
    probability w / total for each (v, w) in `weights` (w > 0, summing to `total`).

    A byte picks one of 256 slots: v has floor(256 w / total) of them. The slots
    left over stand for what those floors cut off: a draw landing there is the
    byte 255, to be redrawn from the returned leftover weights (v with 256 w mod
    total) and their total.

    Why not `random.choices`: it costs ~75 ns a draw in Python here, and a year
    of mornings is ~700,000 draws an exercise; these steps run in C (randbytes,
    translate, count, slices, sum).
    """
    if any(not 0 <= value < _REJECT or weight <= 0 for value, weight in weights):
        raise ValueError("values must be 0-254 with positive weights")
    if sum(weight for _value, weight in weights) != total:
        raise ValueError("the weights must sum to the total")
    table = b"".join(bytes([value]) * (256 * weight // total) for value, weight in weights)
    picked = rng.randbytes(count).translate(table.ljust(256, bytes([_REJECT])))
    leftover = [(value, 256 * weight % total) for value, weight in weights]
    return picked, [(v, w) for v, w in leftover if w], total * (256 - len(table))


def iid_draws(
    weights: Sequence[tuple[int, int]], total: int, count: int, rng: random.Random
) -> bytes:
    """`count` independent draws (see `slot_draws`), the leftover ones redrawn in
    place, in order (recursively: each round leaves under one slot in 256 per value)."""
    if count == 0:
        return b""
    picked, leftover, leftover_total = slot_draws(weights, total, count, rng)
    if not leftover:
        return picked
    parts = picked.split(bytes([_REJECT]))
    redrawn = iid_draws(leftover, leftover_total, len(parts) - 1, rng)
    out = bytearray(parts[0])
    for index in range(len(redrawn)):
        out.append(redrawn[index])
        out += parts[index + 1]
    return bytes(out)
