"""Made-up history: the `upright demo` database and the 10-year benchmark database.

Both fill an EMPTY database with seeded, deterministic data (same seed and
same "now" give the same rows, ids included) ending at `now`. The catalog and
the plan go in through `Store` (so plan semantics are the store's own); the
bulk rows - check-ins, pain entries, sitting spells - go in with SQLAlchemy
core `insert()` over the model tables in one transaction, which is what makes
ten years of history take seconds rather than minutes. Only the database
behind the given store is ever touched.

The story the demo tells: a default plan from the first day, one or two
habits added a few weeks in, good weeks (~85% done) and lazy weeks (~40%),
a couple of bad weeks with a flare day whose exercises are skipped, pain
that drifts down over the weeks and is a little lower on days with more
done, and sitting spells on workdays with stand-up alerts, some obeyed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlmodel import SQLModel

from store.catalog import Catalog, HabitEntry
from store.errors import StoreError
from store.models import CheckIn, Habit, PainEntry, PlanPeriod, SittingSpell
from store.plan import HabitPlan, week_start, window_start
from store.queries import Store
from store.vocab import CheckInStatus, HabitKind, PainContext, SpellEnding

# The stand-up timer's defaults (tui.config / tui.standup.timer): alert after 30
# minutes, remind every 5, at most 3 snoozes a spell.
SIT_LIMIT = timedelta(minutes=30)
REMIND_EVERY = timedelta(minutes=5)
MAX_SNOOZES = 3
WORK_START = time(9, 0)
WORK_END = time(17, 30)
# Check-ins of today are only made from this local time on (and before now).
DAY_START = time(7, 0)

_EVIDENCE_RANK = {"guideline": 0, "trial": 1, "low": 2, "expert-opinion": 3}
_NOTES = ("slept badly", "long drive", "good walk", "busy day at work", "stiff in the morning")


@dataclass(frozen=True)
class _Profile:
    """How a made-up person behaves; one for the demo, one for the benchmark."""

    good_rate: float  # share of due occurrences done in a good week
    lazy_rate: float  # ... in a lazy week
    lazy_share: float  # share of weeks that are lazy
    bad_share: float  # share of weeks with more pain (each has one flare day)
    pain_start: float  # mean pain on the first day ...
    pain_end: float  # ... and on the last: it drifts linearly in between
    pain_days: float = 0.85  # share of ordinary days with pain logged
    workday_off: float = 0.05  # share of workdays without any sitting recorded


DEMO_PROFILE = _Profile(
    good_rate=0.85,
    lazy_rate=0.40,
    lazy_share=0.3,
    bad_share=0.17,
    pain_start=5.8,
    pain_end=2.8,
)
HISTORY_PROFILE = _Profile(
    good_rate=0.80,
    lazy_rate=0.50,
    lazy_share=0.25,
    bad_share=0.08,
    pain_start=5.0,
    pain_end=3.0,
)


@dataclass(frozen=True)
class _Week:
    rate: float
    bad: bool
    flare: date | None


@dataclass
class _Rows:
    check_ins: list[dict[str, Any]] = field(default_factory=list)
    pain: list[dict[str, Any]] = field(default_factory=list)
    spells: list[dict[str, Any]] = field(default_factory=list)


# --- public entry points --------------------------------------------------------------


def fill_demo(
    store: Store, catalog: Catalog, now: datetime, weeks: int = 12, seed: int = 7
) -> None:
    """Fill an empty database with `weeks` ISO weeks of realistic history ending at `now`.

    The first day is the Monday `weeks - 1` weeks before today's, so the
    Trends screen's `weeks`-week view is full. Today itself is left half done.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    tz = _zone(now)
    _require_empty(store)
    today = now.date()
    first = window_start(today, weeks)
    store.sync_catalog(catalog, first)
    # One or two habits joined the plan a few weeks in (as `upright plan add` does).
    for entry, day in zip(_additions(catalog), _addition_days(first, weeks), strict=False):
        if day < today:
            store.add_to_plan(entry.id, day)
    _generate(store, catalog, random.Random(seed), DEMO_PROFILE, first, now, tz)


def fill_history(
    store: Store, catalog: Catalog, now: datetime, years: int = 10, habits: int = 15, seed: int = 11
) -> None:
    """Fill an empty database with `years` of daily history for up to `habits` habits.

    The plan, from the first day, is the catalog's default plan followed by
    the other catalog habits in file order, cut at `habits`. About 70% of the
    due occurrences are done, pain is logged most days, sitting on workdays.
    """
    if years < 1:
        raise ValueError("years must be at least 1")
    if habits < 1:
        raise ValueError("habits must be at least 1")
    tz = _zone(now)
    _require_empty(store)
    today = now.date()
    first = today - timedelta(days=round(365.25 * years) - 1)
    store.sync_catalog(catalog, first)
    ordered = [h for h in catalog.habits if h.in_default_plan]
    ordered += [h for h in catalog.habits if not h.in_default_plan]
    chosen = ordered[:habits]
    for entry in ordered[habits:]:
        if entry.in_default_plan:
            store.remove_from_plan(entry.id, first)  # entered today: the period goes away
    for entry in chosen:
        if not entry.in_default_plan:
            store.add_to_plan(entry.id, first)
    _generate(store, catalog, random.Random(seed), HISTORY_PROFILE, first, now, tz)


# --- the generator ----------------------------------------------------------------------


def _zone(now: datetime) -> tzinfo:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.tzinfo


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def _require_empty(store: Store) -> None:
    with store.engine.connect() as conn:
        for model in (Habit, PlanPeriod, CheckIn, PainEntry, SittingSpell):
            if conn.execute(select(func.count()).select_from(_table(model))).scalar_one():
                raise StoreError(
                    f"database {store.path} already has data: made-up history goes only "
                    "into an empty database"
                )


def _additions(catalog: Catalog) -> list[HabitEntry]:
    """Habits a user would add after a few weeks: the best-evidenced exercises not in the plan."""
    candidates = [h for h in catalog.habits if not h.in_default_plan]
    order = {h.id: i for i, h in enumerate(catalog.habits)}
    candidates.sort(
        key=lambda h: (h.kind == HabitKind.POSTURE, _EVIDENCE_RANK[h.evidence], order[h.id])
    )
    return candidates[:2]


def _addition_days(first: date, weeks: int) -> list[date]:
    # A Wednesday about a quarter in, a Monday about half way.
    return [
        first + timedelta(weeks=max(1, weeks // 4), days=2),
        first + timedelta(weeks=max(2, weeks // 2)),
    ]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _at(day: date, hour: float, tz: tzinfo) -> datetime:
    """`day` at a local hour (fractional), aware in `tz`."""
    return datetime.combine(day, time(0), tzinfo=tz) + timedelta(hours=hour)


def _plan_weeks(
    rng: random.Random, mondays: Sequence[date], profile: _Profile, first: date, today: date
) -> dict[date, _Week]:
    """Each ISO week's mood: its completion rate, whether pain is bad, its flare day."""
    n = len(mondays)
    lazy = set(rng.sample(range(n), round(n * profile.lazy_share)))
    # Bad weeks: never the first or the current one, so the drift down stays visible.
    middle = list(range(1, n - 1))
    bad = set(rng.sample(middle, min(len(middle), round(n * profile.bad_share))))
    out: dict[date, _Week] = {}
    for i, monday in enumerate(mondays):
        rate = profile.lazy_rate if i in lazy else profile.good_rate
        if i == 0:
            rate = (profile.good_rate + profile.lazy_rate) / 2  # finding one's feet
        if i in bad:
            rate *= 0.8
        rate = _clamp(rate + rng.gauss(0, 0.04), 0.05, 0.97)
        flare = None
        if i in bad:
            days = [d for d in _days(monday, monday + timedelta(days=6)) if first <= d < today]
            flare = rng.choice(days) if days else None
        out[monday] = _Week(rate, i in bad, flare)
    return out


def _generate(
    store: Store,
    catalog: Catalog,
    rng: random.Random,
    profile: _Profile,
    first: date,
    now: datetime,
    tz: tzinfo,
) -> None:
    """Draw every day from `first` to today for the habits now in the plan, then insert."""
    today = now.date()
    order = {h.id: i for i, h in enumerate(catalog.habits)}
    kinds: dict[str, str] = {h.id: h.kind for h in catalog.habits}
    plans = sorted(
        (p for p in store.habit_plans(include_archived=False) if p.periods),
        key=lambda p: order.get(p.id, len(order)),
    )
    fixed = [p for p in plans if p.per_week is None]
    weekly = [p for p in plans if p.per_week is not None]
    days = _days(first, today)
    mondays = sorted({week_start(d) for d in days})
    moods = _plan_weeks(rng, mondays, profile, first, today)
    rows = _Rows()

    # Per-week habits: which days of each week they get done (drawn up front).
    weekly_done: set[tuple[str, date]] = set()
    for monday in mondays:
        mood = moods[monday]
        for plan in weekly:
            assert plan.per_week is not None
            candidates = [
                d
                for d in _days(monday, monday + timedelta(days=6))
                if first <= d <= today and d != mood.flare and plan.in_plan(d)
            ]
            k = sum(rng.random() < mood.rate for _ in range(plan.per_week))
            if k == plan.per_week and rng.random() < 0.1:
                k += 1  # an extra walk now and then
            chosen = rng.sample(candidates, min(k, len(candidates)))
            weekly_done.update((plan.id, d) for d in chosen)

    n_days = len(days)
    for index, day in enumerate(days):
        mood = moods[week_start(day)]
        if day == today:
            adherence = _today(rng, fixed, weekly, now, tz, rows)
        else:
            adherence = _past_day(rng, day, mood, fixed, weekly, weekly_done, kinds, tz, rows)
        progress = index / max(1, n_days - 1)
        _pain(rng, profile, day, mood, adherence, progress, now, tz, rows)
        if day.weekday() < 5:
            _sitting(rng, profile, day, mood, now, tz, rows)

    rows.check_ins.sort(key=lambda r: (r["date"], order.get(r["habit_id"], 0), r["habit_id"]))
    # How each exercise session felt (the coach reads it), mostly comfortable: its own
    # random stream, so the rest of the made-up history is what it was without it.
    felt = random.Random(len(rows.check_ins))
    for row in rows.check_ins:
        rated = row["status"] == CheckInStatus.DONE and kinds.get(row["habit_id"]) != "posture"
        row["pain_during"] = round(_clamp(felt.gauss(1.0, 1.0), 0, 10)) if rated else None
    rows.pain.sort(key=lambda r: r["at"])
    with store.engine.begin() as conn:
        for model, batch in (
            (CheckIn, rows.check_ins),
            (PainEntry, rows.pain),
            (SittingSpell, rows.spells),
        ):
            if batch:
                conn.execute(insert(_table(model)), batch)


def _check_in(rows: _Rows, habit_id: str, day: date, status: str, at: datetime) -> None:
    rows.check_ins.append(
        {"habit_id": habit_id, "date": day, "status": status, "at": at.astimezone(UTC)}
    )


def _past_day(
    rng: random.Random,
    day: date,
    mood: _Week,
    fixed: Sequence[HabitPlan],
    weekly: Sequence[HabitPlan],
    weekly_done: set[tuple[str, date]],
    kinds: dict[str, str],
    tz: tzinfo,
    rows: _Rows,
) -> float:
    """Check-ins of a past day; returns that day's completion of its fixed habits."""
    rate = _clamp(mood.rate + rng.gauss(0, 0.15), 0.02, 0.98)
    due = done = 0
    for plan in fixed:
        if not (plan.in_plan(day) and plan.scheduled_on(day)):
            continue
        posture = kinds.get(plan.id) == HabitKind.POSTURE
        if day == mood.flare and not posture:
            # A flare day: the exercises were skipped (as `s` on Today does).
            _check_in(rows, plan.id, day, CheckInStatus.SKIPPED, _at(day, rng.uniform(8, 11), tz))
            continue
        due += 1
        if rng.random() < (_clamp(rate + 0.05, 0, 0.98) if posture else rate):
            done += 1
            hour = rng.uniform(16, 22) if posture else rng.uniform(7, 21.5)
            _check_in(rows, plan.id, day, CheckInStatus.DONE, _at(day, hour, tz))
    for plan in weekly:
        if day == mood.flare and plan.in_plan(day) and kinds.get(plan.id) != HabitKind.POSTURE:
            _check_in(rows, plan.id, day, CheckInStatus.SKIPPED, _at(day, rng.uniform(8, 11), tz))
        elif (plan.id, day) in weekly_done:
            _check_in(rows, plan.id, day, CheckInStatus.DONE, _at(day, rng.uniform(7, 20), tz))
    return done / due if due else rate


def _today(
    rng: random.Random,
    fixed: Sequence[HabitPlan],
    weekly: Sequence[HabitPlan],
    now: datetime,
    tz: tzinfo,
    rows: _Rows,
) -> float:
    """Today: about half of what is due is done so far, the rest left open.

    Its choices replace the per-week days drawn for the week.
    """
    day = now.date()
    due = [p for p in fixed if p.in_plan(day) and p.scheduled_on(day)]
    due += [p for p in weekly if p.in_plan(day)]
    picked = list(due)
    rng.shuffle(picked)
    n_done = min(len(due) - 1, max(1, round(len(due) * 0.55))) if due else 0
    start = datetime.combine(day, DAY_START, tzinfo=tz)
    if now <= start + timedelta(minutes=1):
        n_done = 0  # too early: nothing ticked yet
    done_ids = {p.id for p in picked[:n_done]}
    done_fixed = 0
    for plan in due:
        if plan.id in done_ids:
            _check_in(rows, plan.id, day, CheckInStatus.DONE, start + (now - start) * rng.random())
            done_fixed += plan.per_week is None
    n_fixed = sum(1 for p in due if p.per_week is None)
    return done_fixed / n_fixed if n_fixed else 0.5


def _pain(
    rng: random.Random,
    profile: _Profile,
    day: date,
    mood: _Week,
    adherence: float,
    progress: float,
    now: datetime,
    tz: tzinfo,
    rows: _Rows,
) -> None:
    flare = day == mood.flare
    if not flare and rng.random() >= profile.pain_days:
        return
    level = profile.pain_start + (profile.pain_end - profile.pain_start) * progress
    level += 1.6 if mood.bad else 0.0
    level += 2.5 if flare else 0.0
    # A little lower on days with more done (an association, plus noise).
    level -= 2.0 * (adherence - 0.6)
    score = round(_clamp(level + rng.gauss(0, 0.9), 0, 10))
    leg_chance = 0.6 if mood.bad else 0.15

    def entry(at: datetime, value: int, context: str | None, note: str | None = None) -> None:
        if at >= now:
            return
        leg = None
        if rng.random() < leg_chance:
            leg = max(0, value - rng.randint(0, 3))
        rows.pain.append(
            {
                "at": at.astimezone(UTC),
                "date": day,
                "score": value,
                "leg_score": leg,
                "context": context,
                "note": note,
            }
        )

    note = "flare day" if flare else (rng.choice(_NOTES) if rng.random() < 0.03 else None)
    if rng.random() < 0.2:
        morning = min(10, score + rng.choice((0, 1, 1)))
        entry(_at(day, rng.uniform(7, 9), tz), morning, PainContext.MORNING)
        entry(_at(day, rng.uniform(19, 22.5), tz), score, PainContext.EVENING, note)
    else:
        context = PainContext.EVENING if rng.random() < 0.3 else None
        entry(_at(day, rng.uniform(18, 22.5), tz), score, context, note)
    if adherence > 0.5 and rng.random() < 0.05:
        entry(_at(day, rng.uniform(7, 9), tz), max(0, score - 1), PainContext.DURING_EXERCISE)


def _sitting(
    rng: random.Random,
    profile: _Profile,
    day: date,
    mood: _Week,
    now: datetime,
    tz: tzinfo,
    rows: _Rows,
) -> None:
    """Spells of 15-70 minutes from 09:00 to 17:30 local, separated by breaks."""
    if day == mood.flare or (day != now.date() and rng.random() < profile.workday_off):
        return
    obey = 0.55 if mood.rate >= 0.6 else 0.35
    close = datetime.combine(day, WORK_END, tzinfo=tz)
    start = datetime.combine(day, WORK_START, tzinfo=tz) + timedelta(minutes=rng.uniform(0, 20))
    lunch = False
    while close - start >= timedelta(minutes=15):
        length = min(timedelta(minutes=rng.triangular(15, 70, 32)), close - start)
        alerts = snoozes = 0
        first_alert = None
        if length >= SIT_LIMIT:
            first_alert = start + SIT_LIMIT
            if rng.random() < obey:
                # got up when told (the end of the working day still ends the spell)
                length = min(SIT_LIMIT + timedelta(minutes=rng.uniform(0.5, 4.8)), close - start)
                alerts = 1
            else:
                over = (length - SIT_LIMIT) // REMIND_EVERY
                snoozes = min(MAX_SNOOZES, rng.randint(0, over)) if over else 0
                alerts = max(1, 1 + over - snoozes)
        end = start + length
        if end > now:
            return  # no spell reaches past now (nor stays open)
        roll = rng.random()
        ended_by = (
            SpellEnding.BREAK
            if roll < 0.72
            else SpellEnding.IDLE
            if roll < 0.95
            else SpellEnding.PAUSE
        )
        rows.spells.append(
            {
                "start": start.astimezone(UTC),
                "end": end.astimezone(UTC),
                "ended_by": ended_by,
                "alerts": alerts,
                "snoozes": snoozes,
                "first_alert_at": first_alert.astimezone(UTC) if first_alert else None,
            }
        )
        if not lunch and end.time() >= time(12, 0):
            lunch = True
            gap = rng.uniform(30, 55)
        else:
            gap = rng.uniform(3, 12)
        start = end + timedelta(minutes=gap)
