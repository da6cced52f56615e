"""What the Trends screen draws, as plain data: x values, labels and y series.

Pure functions over the `Stats`, `SittingDay` and plan rows that `store.stats`
computes, so a test can hold every chart's series against `upright stats
--json`. No Textual, no database, no clock: "today" comes in as an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from store.helps import MIN_DAYS, RESAMPLES, Association
from store.plan import HabitPlan, window_start
from store.queries import LevelChange, level_on
from store.stats import (
    MIN_DAYS_FOR_CORRELATION,
    MIN_PAIN_DAYS,
    PAIN_CHANGE_DAYS,
    DayStats,
    PainByAdherence,
    PainChange,
    SittingDay,
    Stats,
    WeekStats,
    compute_stats,
    pain_by_adherence,
)
from store.vocab import CheckInStatus, PainDirection
from tui.views.formats import duration_text, percent_text

RANGES = (4, 12, 26, 52)
DEFAULT_WEEKS = 12
DAILY_DAYS = 28
# pain_by_adherence's threshold: the sentence under the scatter names it.
HIGH_ADHERENCE = 0.8
STRENGTH_EXPLAINED = (
    "Strength: Loop Habit Tracker's score since the habit joined your plan, a moving "
    "average of how often you did it. Steady practice builds it; one miss costs little; "
    "skips don't count."
)

# Habit calendar cell states.
CELL_DONE = CheckInStatus.DONE.value
CELL_MISSED = "missed"
CELL_SKIPPED = CheckInStatus.SKIPPED.value
CELL_OPEN = CheckInStatus.OPEN.value  # due today, not done yet
CELL_OFF = "off"  # not due that day (not in the plan, another weekday, per-week habit)
CELL_FUTURE = "future"  # after today: the current week's remaining days


def short_date(day: date) -> str:
    """A readable axis label: "3 Nov"."""
    return f"{day.day} {day:%b}"


def percent(share: float | None) -> float | None:
    """A share as percentage points, for a chart's axis (text: `percent_text`)."""
    return None if share is None else share * 100


# --- bars with a line on a second axis (weekly, daily, sitting) -----------------------


@dataclass(frozen=True)
class BarLineSeries:
    """Bars on the left axis and a line on the right one, at x = 0, 1, 2, ...

    `None` means no value that day or week: no bar, a gap in the line.
    """

    dates: tuple[date, ...]
    labels: tuple[str, ...]
    bars: tuple[float | None, ...]
    line: tuple[float | None, ...]

    @property
    def x(self) -> tuple[int, ...]:
        return tuple(range(len(self.dates)))

    @property
    def has_bars(self) -> bool:
        return any(v is not None for v in self.bars)

    @property
    def has_line(self) -> bool:
        return any(v is not None for v in self.line)


def weekly_series(stats: Stats, weeks: int) -> BarLineSeries:
    """The last `weeks` ISO weeks: adherence % as bars, mean pain (0-10) as the line."""
    rows = stats.weeks[-weeks:]
    return BarLineSeries(
        dates=tuple(w.week_start for w in rows),
        labels=tuple(short_date(w.week_start) for w in rows),
        bars=tuple(percent(w.adherence) for w in rows),
        line=tuple(w.pain for w in rows),
    )


def daily_series(stats: Stats, days: int = DAILY_DAYS) -> BarLineSeries:
    """The last `days` days (today included): adherence % and mean pain."""
    rows = stats.days[-days:]
    return BarLineSeries(
        dates=tuple(d.date for d in rows),
        labels=tuple(short_date(d.date) for d in rows),
        bars=tuple(percent(d.adherence) for d in rows),
        line=tuple(d.pain for d in rows),
    )


def sitting_series(days: Sequence[SittingDay]) -> BarLineSeries:
    """Hours sat per day as bars, breaks taken as the line; days with no sitting are gaps."""
    return BarLineSeries(
        dates=tuple(d.date for d in days),
        labels=tuple(short_date(d.date) for d in days),
        bars=tuple(d.minutes_sat / 60 if d.minutes_sat else None for d in days),
        line=tuple(float(d.breaks) if d.minutes_sat else None for d in days),
    )


# --- pain against adherence --------------------------------------------------------


@dataclass(frozen=True)
class ScatterSeries:
    """Complete days with both pain logged and a habit due: adherence % (x) against pain (y).

    Today is left out until it has ended: its open habits are not misses yet.
    """

    dates: tuple[date, ...]
    adherence: tuple[float, ...]
    pain: tuple[float, ...]
    # `compute_stats`'s daily Spearman r (None under 7 days or with no spread).
    spearman: float | None
    by_adherence: PainByAdherence

    @property
    def n(self) -> int:
        return len(self.dates)

    @property
    def days_needed(self) -> int:
        """How many more such days before the correlation means anything."""
        return max(0, MIN_DAYS_FOR_CORRELATION - self.n)


def scatter_series(stats: Stats) -> ScatterSeries:
    """Every complete day of the window with both numbers (the days the daily Spearman r
    is computed over), and the statistics stated under the plot."""
    both = [d for d in stats.days if d.complete and d.adherence is not None and d.pain is not None]
    return ScatterSeries(
        dates=tuple(d.date for d in both),
        adherence=tuple(d.adherence * 100 for d in both if d.adherence is not None),
        pain=tuple(d.pain for d in both if d.pain is not None),
        spearman=stats.correlation.daily_spearman,
        by_adherence=pain_by_adherence(stats.days, HIGH_ADHERENCE),
    )


@dataclass(frozen=True)
class AdherenceBand:
    """Days whose adherence fell in [low, high) percent, and their mean pain."""

    label: str
    days: int
    mean_pain: float | None


BANDS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))


def adherence_bands(series: ScatterSeries) -> list[AdherenceBand]:
    """The scatter's numbers as a table: mean pain per fifth of adherence."""
    out = []
    for low, high in BANDS:
        pains = [p for a, p in zip(series.adherence, series.pain, strict=True) if low <= a < high]
        label = f"{low}-{min(high, 100) - (0 if high > 100 else 1)}%"
        out.append(AdherenceBand(label, len(pains), fmean(pains) if pains else None))
    return out


def _one(value: float) -> str:
    return f"{value:.1f}"


def association_sentence(by: PainByAdherence) -> str:
    """The plain sentence under the scatter: mean pain on fuller days against the others."""
    cut = percent_text(by.threshold)
    if by.high_mean is not None and by.low_mean is not None:
        return (
            f"On days with {cut} or more done, mean pain was {_one(by.high_mean)}; "
            f"on other days {_one(by.low_mean)} ({by.high_days} vs {by.low_days} days)."
        )
    if by.high_mean is not None:
        return (
            f"Every one of the {by.high_days} days had {cut} or more done "
            f"(mean pain {_one(by.high_mean)}): nothing to compare them with yet."
        )
    if by.low_mean is not None:
        return (
            f"None of the {by.low_days} days had {cut} or more done "
            f"(mean pain {_one(by.low_mean)}): nothing to compare them with yet."
        )
    return "No day has both pain logged and a habit due yet."


SO_FAR = "so far"


# After a day or week in the Trends tables: the user wrote a note that day (that week).
NOTE_MARK = "✎"


def with_note_mark(label: str, noted: bool) -> str:
    return f"{label} {NOTE_MARK}" if noted else label


def so_far(label: str, complete: bool) -> str:
    """A table's day or week label, marked while that day or week is not over."""
    return label if complete else f"{label} ({SO_FAR})"


def week_so_far_sentence(week: WeekStats) -> str | None:
    """What the current week has so far, and when it starts to count; None once it is over."""
    if week.complete:
        return None
    return (
        f"This week {SO_FAR}: {week.done} of {week.due} done "
        f"({percent_text(week.adherence)}). A week counts in the correlation once its "
        "Sunday has ended."
    )


def day_so_far_sentence(day: DayStats) -> str | None:
    """What today has so far, and when it starts to count; None once it is over."""
    if day.complete:
        return None
    return (
        f"Today {SO_FAR}: {day.done} of {day.due} done. A day counts in the correlation, "
        "the adherence bands and the pain change once it has ended."
    )


def correlation_sentence(rho: float | None, n: int) -> str:
    """Spearman r and n in words, as an association (it cannot show a cause).

    `n` counts complete days only: today joins once it has ended.
    """
    if rho is None:
        if n < MIN_DAYS_FOR_CORRELATION:
            more = MIN_DAYS_FOR_CORRELATION - n
            return (
                f"Not enough days yet: {n} of {MIN_DAYS_FOR_CORRELATION} complete days "
                f"needed; log pain on {more} more day{'s' if more != 1 else ''} with "
                "habits due (today counts once it has ended)."
            )
        return f"Spearman r: none (n = {n}): pain or adherence has not varied yet."
    size = abs(rho)
    if size < 0.1:
        return f"Spearman r = {rho:+.2f} ({n} days): no clear link between adherence and pain."
    strength = "weak" if size < 0.3 else "moderate" if size < 0.5 else "strong"
    direction = "less" if rho < 0 else "more"
    return (
        f"Spearman r = {rho:+.2f} ({n} days): a {strength} link; more done went with "
        f"{direction} pain."
    )


def pain_change_sentence(change: PainChange) -> str | None:
    """The meaningful-change note (the 7-day mean moved 2 points or 30%), either way.

    Over complete days (to yesterday). None without pain in either of the two
    7-day stretches; "not enough days yet" when one has fewer than 4 days logged.
    """
    if change.recent_days == 0 and change.previous_days == 0:
        return None
    if change.recent_mean is None or change.previous_mean is None:
        return (
            f"7-day mean pain: not enough days yet ({change.recent_days} of the last "
            f"{PAIN_CHANGE_DAYS} full days logged, {change.previous_days} of the "
            f"{PAIN_CHANGE_DAYS} before; {MIN_PAIN_DAYS} of each needed)."
        )
    recent, previous = _one(float(change.recent_mean)), _one(float(change.previous_mean))
    if change.meaningful:
        way = "down" if change.direction == PainDirection.BETTER else "up"
        return (
            f"Pain is meaningfully {way}: 7-day mean {recent} to yesterday, against "
            f"{previous} the 7 days before."
        )
    return (
        f"7-day mean pain {recent} to yesterday ({previous} the 7 days before): "
        "not a meaningful change."
    )


# --- sitting ------------------------------------------------------------------------


@dataclass(frozen=True)
class SittingSummary:
    """Totals over the days given, counting only days with sitting recorded."""

    days_sat: int
    mean_minutes: float | None
    breaks: int
    longest_minutes: float
    alerts: int
    alerts_obeyed: int


def sitting_summary(days: Iterable[SittingDay]) -> SittingSummary:
    sat = [d for d in days if d.minutes_sat > 0]
    return SittingSummary(
        days_sat=len(sat),
        mean_minutes=fmean(d.minutes_sat for d in sat) if sat else None,
        breaks=sum(d.breaks for d in sat),
        longest_minutes=max((d.longest_minutes for d in sat), default=0.0),
        alerts=sum(d.alerts for d in sat),
        alerts_obeyed=sum(d.alerts_obeyed for d in sat),
    )


def sitting_sentence(summary: SittingSummary, weeks: int) -> str:
    if summary.mean_minutes is None:
        return "No sitting recorded in this range."
    obeyed = (
        f"{summary.alerts_obeyed} of {summary.alerts} stand-up alerts obeyed within 5 minutes"
        if summary.alerts
        else "no stand-up alerts"
    )
    return (
        f"Last {weeks} weeks: {summary.days_sat} days with sitting, "
        f"{duration_text(summary.mean_minutes)} a day on average, {summary.breaks} breaks, "
        f"longest spell {duration_text(summary.longest_minutes)}, {obeyed}."
    )


# --- habits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCell:
    week_start: date
    done: int
    due: int

    @property
    def completion(self) -> float | None:
        return self.done / self.due if self.due else None


@dataclass(frozen=True)
class HabitRow:
    """One habit's numbers over the range (from `Stats.habits`) and its calendar cells."""

    id: str
    name: str
    done: int
    due: int
    current_streak: int
    best_streak: int
    # Loop Habit Tracker's score over the habit's whole history (None: not computed).
    strength: float | None
    weeks: tuple[WeekCell, ...]
    # Per day of the range, Monday first: one of the CELL_* states.
    days: tuple[tuple[date, str], ...]

    @property
    def completion(self) -> float | None:
        return self.done / self.due if self.due else None


def _day_state(plan: HabitPlan, day: date, status: str | None, today: date) -> str:
    if day > today:
        return CELL_FUTURE
    if status == CheckInStatus.DONE:
        return CELL_DONE
    if status == CheckInStatus.SKIPPED:
        return CELL_SKIPPED
    if plan.per_week is not None or not (plan.in_plan(day) and plan.scheduled_on(day)):
        return CELL_OFF
    return CELL_OPEN if day == today else CELL_MISSED


def habit_rows(
    stats: Stats,
    plans: Sequence[HabitPlan],
    check_ins: Sequence[tuple[str, date, str]],
    names: Mapping[str, str],
    today: date,
    weeks: int,
) -> list[HabitRow]:
    """Habits due at least once in the window, by name.

    The totals are `stats.habits` as they are; each habit's week cells come
    from `compute_stats` run on that habit alone, so they add up to them.
    """
    by_id = {p.id: p for p in plans}
    per_habit: dict[str, list[tuple[str, date, str]]] = {}
    for row in check_ins:
        per_habit.setdefault(row[0], []).append(row)
    first = window_start(today, weeks)
    calendar = [first + timedelta(days=i) for i in range(7 * weeks)]
    out: list[HabitRow] = []
    for habit in stats.habits:
        plan = by_id.get(habit.id)
        if plan is None or habit.due == 0:
            continue
        rows = per_habit.get(habit.id, [])
        alone = compute_stats([plan], rows, (), today, weeks, strength=False)
        status = {day: state for _id, day, state in rows}
        out.append(
            HabitRow(
                id=habit.id,
                name=names.get(habit.id, habit.id),
                done=habit.done,
                due=habit.due,
                current_streak=habit.current_streak,
                best_streak=habit.best_streak,
                strength=habit.strength,
                weeks=tuple(WeekCell(w.week_start, w.done, w.due) for w in alone.weeks),
                days=tuple((d, _day_state(plan, d, status.get(d), today)) for d in calendar),
            )
        )
    out.sort(key=lambda h: h.name.lower())
    return out


# --- does it help? ----------------------------------------------------------------------

ASSOCIATION_NOT_CAUSE = "this shows an association, not a cause"
HELPS_EXPLAINED = (
    "Next-morning pain (a pain entry marked morning, else the day's first entry before "
    "11:00) after complete days each exercise was done, against days it was due and not "
    f"done; skipped (flare) days are neither. 95% bootstrap interval, {RESAMPLES:,} "
    f"resamples, seeded. At least {MIN_DAYS} days on each side. An association: a day "
    "you skip may differ in other ways too."
)


@dataclass(frozen=True)
class LevelStep:
    """An exercise's level (1-based) from a date on, as the range shows it."""

    level: int
    from_date: date


@dataclass(frozen=True)
class HelpsRow:
    """One exercise's next-morning association, with its name and the sentence stating it,
    and its levels over the range."""

    id: str
    name: str
    association: Association
    sentence: str
    levels: tuple[LevelStep, ...] = ()
    # How many levels its ladder has (1: none).
    top: int = 1

    @property
    def level(self) -> int:
        """Its level today."""
        return self.levels[-1].level if self.levels else 1

    @property
    def level_sentence(self) -> str | None:
        """Its levels over the range in words; None for an exercise without a ladder."""
        if self.top <= 1 or not self.levels:
            return None
        return f"{self.name}'s level (of {self.top}): {level_text(self.levels)}."


def level_steps(
    changes: Sequence[LevelChange], first: date, today: date, top: int
) -> tuple[LevelStep, ...]:
    """One exercise's levels from `first` to `today`: the level it had on `first`, then
    each change after it (`changes` are its `Store.level_history`, by date)."""
    steps = [LevelStep(level_on(list(changes), first, top), first)]
    for change in changes:
        level = max(1, min(change.level, top))
        if first < change.from_date <= today and level != steps[-1].level:
            steps.append(LevelStep(level, change.from_date))
    return tuple(steps)


def level_history(
    plans: Sequence[HabitPlan],
    exercise_ids: Sequence[str],
    changes: Sequence[LevelChange],
    tops: Mapping[str, int],
    first: date,
    today: date,
) -> dict[str, tuple[LevelStep, ...]]:
    """Each exercise's `level_steps` over the range, from the range's first day or the
    day it first entered the plan, whichever is later."""
    by_habit: dict[str, list[LevelChange]] = {}
    for change in changes:
        by_habit.setdefault(change.habit_id, []).append(change)
    entered = {plan.id: plan.first_day for plan in plans}
    out = {}
    for habit_id in exercise_ids:
        start = max(first, entered.get(habit_id) or first)
        out[habit_id] = level_steps(by_habit.get(habit_id, []), start, today, tops.get(habit_id, 1))
    return out


def level_text(steps: Sequence[LevelStep]) -> str:
    """ "1 from 2 Nov, 2 from 17 Nov"."""
    return ", ".join(f"{step.level} from {short_date(step.from_date)}" for step in steps)


def helps_sentence(name: str, row: Association) -> str:
    """The association in words, always as an association; plain text (`name` unescaped)."""
    if row.interval is None:
        return (
            f"{name}: not enough days yet: {row.done_days} and {row.not_done_days} "
            f"(mornings after days done and after days due but not done; {MIN_DAYS} of each "
            "needed)."
        )
    difference = row.difference
    assert difference is not None
    low, high = row.interval
    counts = f"95% interval {low:.1f} to {high:.1f}; {row.done_days} vs {row.not_done_days} days"
    if round(difference, 1) == 0:
        moved = "averaged the same as after days it was not done"
    else:
        moved = f"averaged {abs(difference):.1f} {'lower' if difference < 0 else 'higher'}"
    return f"Mornings after {name} days {moved} ({counts}); {ASSOCIATION_NOT_CAUSE}."


def helps_rows(
    rows: Sequence[Association],
    names: Mapping[str, str],
    levels: Mapping[str, tuple[LevelStep, ...]] | None = None,
    tops: Mapping[str, int] | None = None,
) -> list[HelpsRow]:
    """The exercises in the plan, in the checklist's order, with their sentences and
    their levels over the range (`level_steps`) and ladders' sizes."""
    out = []
    for row in rows:
        name = names.get(row.id, row.id)
        out.append(
            HelpsRow(
                row.id,
                name,
                row,
                helps_sentence(name, row),
                (levels or {}).get(row.id, ()),
                (tops or {}).get(row.id, 1),
            )
        )
    return out


# --- everything the screen shows, in one value -------------------------------------


@dataclass(frozen=True)
class TrendsData:
    """What one load of the Trends screen produced, for one range of weeks."""

    today: date
    weeks: int
    weekly: BarLineSeries
    daily: BarLineSeries
    # The rows behind those two, oldest first (the tables show done/due too).
    week_rows: tuple[WeekStats, ...]
    day_rows: tuple[DayStats, ...]
    scatter: ScatterSeries
    pain_change: str | None
    sitting: BarLineSeries
    sitting_days: tuple[SittingDay, ...]
    sitting_summary: SittingSummary
    habits: tuple[HabitRow, ...]
    # Whether any pain was logged in the loaded weeks.
    any_pain: bool
    # The days with a note (the tables mark them).
    note_days: frozenset[date] = frozenset()
    # Each exercise in the plan: next-morning pain after days done against not done.
    helps: tuple[HelpsRow, ...] = ()
    # Mornings with pain logged in the range (the days after its complete days).
    mornings: int = 0


def trends_data(
    wide: Stats,
    ranged: Stats,
    sitting: Sequence[SittingDay],
    plans: Sequence[HabitPlan],
    check_ins: Sequence[tuple[str, date, str]],
    names: Mapping[str, str],
    today: date,
    weeks: int,
    note_days: frozenset[date] = frozenset(),
    helps: Sequence[HelpsRow] = (),
    mornings: int = 0,
) -> TrendsData:
    """Every tab's series.

    `ranged` is `store.stats(today, weeks)` (habits and correlation are over
    the range, as `upright stats --weeks N` prints them); `wide` covers at
    least the range and the last 28 days (it may be `ranged` itself).
    `sitting` is `sitting_days` from the range's first day (or 28 days back,
    whichever is earlier) through today.
    """
    return TrendsData(
        today=today,
        weeks=weeks,
        weekly=weekly_series(wide, weeks),
        daily=daily_series(wide),
        week_rows=tuple(wide.weeks[-weeks:]),
        day_rows=tuple(wide.days[-DAILY_DAYS:]),
        scatter=scatter_series(ranged),
        pain_change=pain_change_sentence(ranged.pain_change),
        sitting=sitting_series(sitting[-DAILY_DAYS:]),
        sitting_days=tuple(sitting[-DAILY_DAYS:]),
        sitting_summary=sitting_summary(d for d in sitting if d.date >= window_start(today, weeks)),
        habits=tuple(habit_rows(ranged, plans, check_ins, names, today, weeks)),
        any_pain=any(d.pain is not None for d in wide.days),
        note_days=note_days,
        helps=tuple(helps),
        mornings=mornings,
    )


def load_weeks(weeks: int) -> int:
    """Weeks of stats the screen loads for a range: at least enough for the 28-day tab."""
    return max(weeks, DAILY_DAYS // 7 + 1)
