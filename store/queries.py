"""Reads and writes the app and the command line share.

`Store` is the one door to the database: every write is committed before the
method returns, and callers pass in "now" and "today" (time is injected).
Writes take the write lock up front (BEGIN IMMEDIATE); reads run in a plain
deferred transaction, which in WAL mode never waits on another process's
write. `with store.reading():` makes several reads one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Engine, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlmodel import Session, col, select

from store.backup import DailyBackups
from store.db import (
    BUSY_TIMEOUT_S,
    ChangeCounter,
    open_database,
    read_only_uri,
    reader,
    sqlite_cause,
)
from store.errors import StoreError
from store.limits import note_too_long
from store.models import (
    CheckIn,
    DayNote,
    Habit,
    HabitLevel,
    PainEntry,
    PlanPeriod,
    Setting,
    SittingSpell,
)
from store.vocab import (
    STORED_STATUSES,
    CheckInStatus,
    HabitKind,
    PainContext,
    SpellEnding,
    Suggestion,
)

if TYPE_CHECKING:
    # The catalog (pydantic models) and the statistics load only when a call needs
    # them: `upright pain 4` uses neither and starts ~20 ms sooner.
    from store.catalog import Catalog, HabitEntry
    from store.coach import Advice
    from store.habit_fields import Dose, Schedule
    from store.helps import Association
    from store.plan import HabitPlan
    from store.stats import SpellRecord, Stats

# Setting: the catalog files' fingerprint when the habits were last synced with them.
CATALOG_SYNCED_FROM = "catalog_synced_from"
TABLES: tuple[type[Any], ...] = (
    Habit,
    PlanPeriod,
    CheckIn,
    PainEntry,
    SittingSpell,
    Setting,
    DayNote,
    HabitLevel,
)


def columns(table: type[Any]) -> list[str]:
    """A table's columns in the order its model declares them (the schema's order too)."""
    return list(table.model_fields)


def _utc(moment: datetime) -> datetime:
    """The store keeps times in UTC (SQLModel returns them aware, in UTC)."""
    if moment.utcoffset() is None:
        raise ValueError("datetimes passed to the store must be timezone-aware")
    return moment.astimezone(UTC)


class PainReading(NamedTuple):
    """A pain entry as `store.morning.morning_pain` reads it."""

    at: datetime  # aware, UTC
    date: date
    score: int
    context: str | None


@dataclass(frozen=True)
class TodayItem:
    """A habit on a day's checklist, with its status that day."""

    id: str
    name: str
    kind: str  # a HabitKind
    schedule: Schedule
    dose: Dose
    status: CheckInStatus
    # per-week habits: done this ISO week, and how many the week asks for
    week_done: int | None = None
    week_target: int | None = None
    # False for a per-week habit added after this week's Monday: like the
    # statistics, its weekly target starts next week.
    counts_this_week: bool = True
    # The exercise's level that day (1-based; `dose` is that level's) and how many
    # levels its ladder has; a posture habit has one.
    level: int = 1
    levels: int = 1
    # The pain the day's session caused (0-10), if rated.
    pain_during: int | None = None
    # What the coach suggests (the app's read fills it in from Store.coach; the
    # checklist marks the row); None: nothing.
    suggestion: Suggestion | None = None

    @property
    def is_posture(self) -> bool:
        return self.kind == HabitKind.POSTURE

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "dose": self.dose.model_dump(exclude_defaults=True),
            "dose_text": self.dose.as_text(),
            "status": self.status,
        }
        if not self.is_posture:
            out["level"] = self.level
            out["levels"] = self.levels
            out["pain_during"] = self.pain_during
        if self.week_target is not None:
            out["week_done"] = self.week_done
            out["week_target"] = self.week_target if self.counts_this_week else 0
        return out


class LevelChange(NamedTuple):
    """An exercise's level from a date on (Store.level_history)."""

    habit_id: str
    level: int  # 1-based
    from_date: date


def level_on(changes: list[LevelChange], day: date, levels: int | None = None) -> int:
    """The level on `day` from one habit's changes (sorted by date): 1 before the first,
    never above the ladder's top (`levels`, in case the catalog's ladder got shorter)."""
    level = 1
    for change in changes:
        if change.from_date > day:
            break
        level = change.level
    return max(1, level if levels is None else min(level, levels))


@dataclass(frozen=True)
class CoachRow:
    """An exercise in the plan, its level and what the coach suggests (`upright coach`)."""

    id: str
    name: str
    ladder: tuple[Dose, ...]  # every level's dose, level 1 first
    advice: Advice

    @property
    def level(self) -> int:
        return self.advice.level

    @property
    def dose(self) -> Dose:
        return self.ladder[self.level - 1]

    @property
    def next_dose(self) -> Dose | None:
        """The dose the suggestion leads to; None when it keeps the level."""
        moved = self.advice.next_level != self.level
        return self.ladder[self.advice.next_level - 1] if moved else None

    def to_json(self) -> dict[str, Any]:
        nxt = self.next_dose
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level,
            "levels": len(self.ladder),
            "dose": self.dose.model_dump(exclude_defaults=True),
            "dose_text": self.dose.as_text(),
            "suggestion": self.advice.suggestion,
            "reason": self.advice.reason,
            "next_level": self.advice.next_level if nxt else None,
            "next_dose": nxt.model_dump(exclude_defaults=True) if nxt else None,
            "next_dose_text": nxt.as_text() if nxt else None,
        }


@dataclass(frozen=True)
class PlanRow:
    """A catalog habit and whether it is in the plan now."""

    entry: HabitEntry
    in_plan: bool


@dataclass(frozen=True)
class SyncReport:
    added: tuple[str, ...]
    archived: tuple[str, ...]
    changed: bool


class Store:
    """upright's database. Open with `Store.open(path)`."""

    def __init__(
        self, engine: Engine, read_only: str | None = None, warnings: tuple[str, ...] = ()
    ) -> None:
        self.engine = engine  # writes: BEGIN IMMEDIATE
        # None, or why nothing can be written (a read-only file, a damaged database).
        self.read_only = read_only
        # One line each, for the user (a folder writable by others, a damaged database).
        self.warnings = warnings
        self._reader = reader(engine)  # reads: the same pool, a plain (deferred) BEGIN
        # The session `reading()` holds open, per thread: a session is one connection,
        # and a connection stays in the thread that opened the transaction.
        self._shared = threading.local()
        # The day's backup before its first write (store/backup.py); tests set its clock.
        self.backups = DailyBackups(lambda: local_now().date())

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        busy_timeout: float = BUSY_TIMEOUT_S,
        *,
        check: bool = False,
        create: bool = True,
    ) -> Store:
        """`busy_timeout`: seconds a write waits for another process's write lock.

        `check`: run PRAGMA quick_check first; a damaged database opens read-only
        (`read_only` says why, `warnings` has a line to show). A read-only file or
        folder opens read-only too. `create=False`: a missing database is an error.
        See `store.db.open_database` for what is refused.
        """
        opened = open_database(path, busy_timeout, check=check, create=create)
        return cls(opened.engine, opened.read_only, opened.warnings)

    @property
    def path(self) -> Path:
        return Path(str(self.engine.url.database))

    def change_counter(self) -> ChangeCounter:
        """A cheap way to tell that something (`upright done` in another process, or this
        store) committed since the last look: `counter.current()` changes. Close it."""
        return ChangeCounter(self.path, read_only_uri(self.engine))

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors become StoreError, one line naming the file."""
        try:
            yield
        except StoreError:
            raise
        except DBAPIError as exc:
            if isinstance(exc.orig, sqlite3.Error):
                cause = sqlite_cause(exc.orig, self.path)
                raise StoreError(f"database {self.path}: {cause}") from exc
            raise StoreError(f"database {self.path}: {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"database {self.path}: {exc}") from exc

    @contextmanager
    def _transaction(self, engine: Engine) -> Iterator[Session]:
        """A session whose transaction commits on success."""
        with (
            self._errors(),
            Session(engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def _shared_session(self) -> Session | None:
        session: Session | None = getattr(self._shared, "session", None)
        return session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read: inside `reading()` its transaction, else a deferred one of its own."""
        shared = self._shared_session()
        if shared is None:
            with self._transaction(self._reader) as session:
                yield session
        else:
            with self._errors():
                yield shared

    def refuse_writes_if_read_only(self) -> None:
        """StoreError, one line saying why, when nothing can be written."""
        if self.read_only is not None:
            raise StoreError(
                f"database {self.path} is read-only: {self.read_only}; nothing was written"
            )

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A write, in a BEGIN IMMEDIATE transaction of its own."""
        self.refuse_writes_if_read_only()
        if self._shared_session() is not None:
            # Committed apart, the write would be invisible to the reads after it in the
            # block (they see the block's snapshot): refuse it rather than surprise.
            raise RuntimeError("Store: a write inside `with store.reading()`; write outside it")
        self.backups.before_write(self.path)
        with self._transaction(self.engine) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every read method called in this thread inside the block shares one deferred
        transaction on one connection: one snapshot of the database, one BEGIN.

        Writes are refused inside it (RuntimeError): they would commit on another
        connection and the block's later reads would not see them. Nested blocks join
        the outer one. Another thread's calls are not affected.
        """
        if self._shared_session() is not None:
            yield
            return
        with self._transaction(self._reader) as session:
            self._shared.session = session
            try:
                yield
            finally:
                self._shared.session = None

    # --- catalog and plan ---------------------------------------------------------

    def sync_catalog(self, catalog: Catalog, today: date, files: str | None = None) -> SyncReport:
        """Make the habit table match the catalog.

        New habits are stored (and enter the plan today if the catalog puts them
        in the default plan); habits gone from the catalog are archived with
        their history and leave the plan. Writes nothing when nothing changed,
        so a command-line call on an up-to-date database stays read-only.
        `files`, the catalog files' fingerprint, is remembered with the sync
        (see `is_synced_with`).
        """
        with self._write() as session:
            stored = {h.id: h for h in session.exec(select(Habit))}
            added: list[str] = []
            archived: list[str] = []
            changed = False
            for position, entry in enumerate(catalog.habits):
                row = stored.get(entry.id)
                values: dict[str, Any] = {
                    "position": position,
                    "name": entry.name,
                    "kind": entry.kind,
                    "schedule": entry.schedule_json,
                    "dose": entry.dose_json,
                    "levels": entry.levels_json,
                    "archived": False,
                }
                if row is None:
                    session.add(Habit(id=entry.id, **values))
                    session.flush()
                    if entry.in_default_plan:
                        session.add(PlanPeriod(habit_id=entry.id, entered=today))
                    added.append(entry.id)
                    changed = True
                elif any(getattr(row, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(row, key, value)
                    session.add(row)
                    changed = True
            for habit_id, row in stored.items():
                if habit_id not in catalog.ids and not row.archived:
                    row.archived = True
                    session.add(row)
                    self._close_period(session, habit_id, today)
                    archived.append(habit_id)
                    changed = True
            if files is not None:
                self._put_setting(session, CATALOG_SYNCED_FROM, files)
        return SyncReport(tuple(added), tuple(archived), changed)

    def _open_period(self, session: Session, habit_id: str) -> PlanPeriod | None:
        return session.exec(
            select(PlanPeriod).where(
                PlanPeriod.habit_id == habit_id, col(PlanPeriod.left).is_(None)
            )
        ).first()

    def _close_period(self, session: Session, habit_id: str, today: date) -> bool:
        period = self._open_period(session, habit_id)
        if period is None:
            return False
        if period.entered >= today:
            # Added and removed the same day: it never really was in the plan.
            session.delete(period)
        else:
            period.left = today
            session.add(period)
        return True

    def _require_habit(self, session: Session, habit_id: str) -> Habit:
        habit = session.get(Habit, habit_id)
        if habit is None:
            raise StoreError(f"unknown habit {habit_id!r} (see `upright plan` for the ids)")
        return habit

    def has_habit(self, habit_id: str) -> bool:
        """Whether the store knows this habit (in the catalog now or archived)."""
        with self._read() as session:
            return session.get(Habit, habit_id) is not None

    def add_to_plan(self, habit_id: str, today: date) -> bool:
        """Put a habit in the plan from today. False if it already was."""
        with self._write() as session:
            habit = self._require_habit(session, habit_id)
            if habit.archived:
                raise StoreError(f"habit {habit_id!r} is no longer in the catalog")
            if self._open_period(session, habit_id) is not None:
                return False
            session.add(PlanPeriod(habit_id=habit_id, entered=today))
            return True

    def remove_from_plan(self, habit_id: str, today: date) -> bool:
        """Take a habit out of the plan from today (its history stays). False if it was not in."""
        with self._write() as session:
            self._require_habit(session, habit_id)
            return self._close_period(session, habit_id, today)

    def plan_ids(self) -> set[str]:
        """Ids of the habits in the plan now."""
        with self._read() as session:
            return set(
                session.exec(select(PlanPeriod.habit_id).where(col(PlanPeriod.left).is_(None)))
            )

    def plan(self, catalog: Catalog) -> list[PlanRow]:
        in_plan = self.plan_ids()
        return [PlanRow(entry, entry.id in in_plan) for entry in catalog.habits]

    def habit_plans(self, include_archived: bool = True) -> list[HabitPlan]:
        """Every habit's schedule and plan periods, as the statistics want them."""
        from store.habit_fields import schedule_from_json
        from store.plan import HabitPlan

        with self._read() as session:
            habits = list(session.exec(select(Habit).order_by(col(Habit.id))))
            periods: dict[str, list[tuple[date, date | None]]] = {}
            for period in session.exec(select(PlanPeriod).order_by(col(PlanPeriod.entered))):
                periods.setdefault(period.habit_id, []).append((period.entered, period.left))
        return [
            HabitPlan(h.id, schedule_from_json(h.schedule), tuple(periods.get(h.id, ())))
            for h in habits
            if include_archived or not h.archived
        ]

    # --- check-ins ----------------------------------------------------------------

    def set_check_in(
        self,
        habit_id: str,
        day: date,
        status: str,
        now: datetime,
        pain_during: int | None = None,
    ) -> None:
        """Mark a habit done or skipped on a day (replacing what was there).

        `pain_during`: how much a session hurt (0-10), for a done exercise only; None
        keeps the rating a done check-in already had. Bad values: nothing written.
        """
        if status not in STORED_STATUSES:
            raise StoreError(f"status must be done or skipped, not {status!r}")
        if pain_during is not None:
            _check_pain_during(pain_during)
            if status != CheckInStatus.DONE:
                raise StoreError("only a session that was done has a pain rating")
        with self._write() as session:
            habit = self._require_habit(session, habit_id)
            if pain_during is not None and habit.kind == HabitKind.POSTURE:
                raise StoreError(f"{habit_id!r} is a posture habit: it has no pain rating")
            existing = session.exec(
                select(CheckIn).where(CheckIn.habit_id == habit_id, CheckIn.date == day)
            ).first()
            if existing is None:
                session.add(
                    CheckIn(
                        habit_id=habit_id,
                        date=day,
                        status=status,
                        at=_utc(now),
                        pain_during=pain_during,
                    )
                )
                return
            if existing.status != status:
                existing.status = status
                existing.at = _utc(now)
                existing.pain_during = None
            if pain_during is not None:
                existing.pain_during = pain_during
            session.add(existing)

    def rate_session(self, habit_id: str, day: date, pain_during: int | None) -> None:
        """Store how much a done session hurt (0-10; None: forget the rating)."""
        if pain_during is not None:
            _check_pain_during(pain_during)
        with self._write() as session:
            self._require_habit(session, habit_id)
            existing = session.exec(
                select(CheckIn).where(CheckIn.habit_id == habit_id, CheckIn.date == day)
            ).first()
            if existing is None or existing.status != CheckInStatus.DONE:
                raise StoreError(f"{habit_id!r} is not done on {day.isoformat()}: nothing to rate")
            existing.pain_during = pain_during
            session.add(existing)

    # --- levels -------------------------------------------------------------------

    def level_history(self, habit_id: str | None = None) -> list[LevelChange]:
        """Every level change (of one habit, or all), by habit then date. A habit with
        none is at level 1; a change holds from its `from_date` until the next."""
        query = select(HabitLevel).order_by(col(HabitLevel.habit_id), col(HabitLevel.from_date))
        if habit_id is not None:
            query = query.where(HabitLevel.habit_id == habit_id)
        with self._read() as session:
            return [LevelChange(r.habit_id, r.level, r.from_date) for r in session.exec(query)]

    def ladder(self, habit_id: str) -> list[Dose]:
        """A habit's levels' doses, level 1 first (one for a habit without a ladder)."""
        from store.habit_fields import Dose, ladder, levels_from_json

        with self._read() as session:
            habit = self._require_habit(session, habit_id)
            return ladder(
                Dose.model_validate(json.loads(habit.dose)), levels_from_json(habit.levels)
            )

    def ladder_sizes(self) -> dict[str, int]:
        """How many levels each habit's ladder has (1: no ladder), every habit at once."""
        from store.habit_fields import levels_from_json

        with self._read() as session:
            rows = session.exec(select(col(Habit.id), col(Habit.levels))).all()
        return {habit_id: len(levels_from_json(levels)) + 1 for habit_id, levels in rows}

    def session_ratings(self, first: date, last: date) -> dict[str, list[int]]:
        """Each exercise's session pain ratings (pain_during) from `first` to `last`,
        oldest first; habits with none are left out."""
        with self._read() as session:
            rows = session.exec(
                select(col(CheckIn.habit_id), col(CheckIn.pain_during))
                .where(
                    CheckIn.date >= first,
                    CheckIn.date <= last,
                    col(CheckIn.pain_during).is_not(None),
                )
                .order_by(col(CheckIn.date))
            ).all()
        ratings: dict[str, list[int]] = {}
        for habit_id, rating in rows:
            if rating is not None:  # always, by the query: for the type checker
                ratings.setdefault(habit_id, []).append(rating)
        return ratings

    def level_on(self, habit_id: str, day: date) -> int:
        """A habit's level (1-based) on a day."""
        return level_on(self.level_history(habit_id), day, len(self.ladder(habit_id)))

    def coach(self, today: date, tz: tzinfo) -> list[CoachRow]:
        """The coach's suggestion for each exercise in the plan on `today`, in the
        checklist's order. One read transaction."""
        from store.coach import RULES, PainHistory, Session, advise
        from store.habit_fields import Dose, ladder, levels_from_json
        from store.morning import morning_pain

        first = today - timedelta(days=RULES.window_days + RULES.baseline_days)
        with self.reading(), self._read() as session:
            in_plan = self.plan_ids()
            habits = [
                h
                for h in session.exec(select(Habit).order_by(col(Habit.position)))
                if h.id in in_plan and h.kind != HabitKind.POSTURE and not h.archived
            ]
            changes: dict[str, list[HabitLevel]] = {}
            for row in session.exec(select(HabitLevel).order_by(col(HabitLevel.from_date))):
                changes.setdefault(row.habit_id, []).append(row)
            check_ins = session.exec(
                select(CheckIn).where(CheckIn.date >= first, CheckIn.date <= today)
            ).all()
            pain = session.exec(
                select(PainEntry).where(PainEntry.date >= first, PainEntry.date <= today)
            ).all()
        history = PainHistory(
            today=today,
            mornings=morning_pain(pain, tz),
            leg=[(p.date, p.leg_score) for p in pain if p.leg_score is not None],
            flare_days=frozenset(c.date for c in check_ins if c.status == CheckInStatus.SKIPPED),
        )
        rows: list[CoachRow] = []
        for habit in habits:
            doses = ladder(
                Dose.model_validate(json.loads(habit.dose)), levels_from_json(habit.levels)
            )
            mine = [r for r in changes.get(habit.id, []) if r.from_date <= today]
            level = level_on([LevelChange(r.habit_id, r.level, r.from_date) for r in mine], today)
            level = min(level, len(doses))
            # Sessions at this level: from its day on, and on that day only those ticked
            # after the change (a session just done at the old level is not the new one's).
            since = mine[-1] if mine else None
            sessions = [
                Session(c.date, c.pain_during)
                for c in check_ins
                if c.habit_id == habit.id
                and c.status == CheckInStatus.DONE
                and (
                    since is None
                    or c.date > since.from_date
                    or (c.date == since.from_date and c.at > since.set_at)
                )
            ]
            advice = advise(level, [d.as_text() for d in doses], sessions, history)
            rows.append(CoachRow(habit.id, habit.name, tuple(doses), advice))
        return rows

    def set_level(self, habit_id: str, level: int, day: date, now: datetime) -> bool:
        """Put an exercise at `level` (1-based) from `day` on; earlier days keep theirs.
        False if it already was. Refused (StoreError, nothing written): an unknown
        habit, a posture habit, a level below 1 or past the ladder's last."""
        from store.habit_fields import levels_from_json

        with self._write() as session:
            habit = self._require_habit(session, habit_id)
            if habit.kind == HabitKind.POSTURE:
                raise StoreError(f"{habit_id!r} is a posture habit: it has no levels")
            top = len(levels_from_json(habit.levels)) + 1
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= top:
                raise StoreError(f"{habit_id!r} has levels 1 to {top}, not {level!r}")
            rows = list(
                session.exec(
                    select(HabitLevel)
                    .where(HabitLevel.habit_id == habit_id)
                    .order_by(col(HabitLevel.from_date))
                )
            )
            before = level_on(
                [LevelChange(r.habit_id, r.level, r.from_date) for r in rows if r.from_date < day],
                day,
                top,
            )
            same_day = next((r for r in rows if r.from_date == day), None)
            if same_day is None:
                if level == before:
                    return False
                session.add(
                    HabitLevel(habit_id=habit_id, level=level, from_date=day, set_at=_utc(now))
                )
                return True
            if same_day.level == level:
                return False
            if level == before:
                session.delete(same_day)  # back where the day started: no change to keep
            else:
                same_day.level = level
                same_day.set_at = _utc(now)
                session.add(same_day)
            return True

    def check_in_on(self, habit_id: str, day: date) -> CheckIn | None:
        """The habit's check-in row on a day, if any."""
        with self._read() as session:
            return session.exec(
                select(CheckIn).where(CheckIn.habit_id == habit_id, CheckIn.date == day)
            ).first()

    def put_check_in(self, habit_id: str, day: date, row: CheckIn | None) -> None:
        """Make the habit's check-in on `day` exactly `row` (None: none). An undo."""
        with self._write() as session:
            existing = session.exec(
                select(CheckIn).where(CheckIn.habit_id == habit_id, CheckIn.date == day)
            ).first()
            if row is None:
                if existing is not None:
                    session.delete(existing)
                return
            existing = existing or CheckIn(
                habit_id=habit_id, date=day, status=row.status, at=row.at
            )
            existing.status, existing.at = row.status, row.at
            existing.pain_during = row.pain_during
            session.add(existing)

    def clear_check_in(self, habit_id: str, day: date) -> bool:
        """Remove a habit's check-in on a day. False if there was none."""
        with self._write() as session:
            self._require_habit(session, habit_id)
            existing = session.exec(
                select(CheckIn).where(CheckIn.habit_id == habit_id, CheckIn.date == day)
            ).first()
            if existing is None:
                return False
            session.delete(existing)
            return True

    def skip_exercises(self, day: date, now: datetime) -> int:
        """A flare day: mark every open non-posture habit due on `day` skipped. Returns how many."""
        items = [i for i in self.today(day) if not i.is_posture and i.status == CheckInStatus.OPEN]
        with self._write() as session:
            for item in items:
                session.add(
                    CheckIn(habit_id=item.id, date=day, status=CheckInStatus.SKIPPED, at=_utc(now))
                )
        return len(items)

    def today(self, day: date, catalog: Catalog | None = None) -> list[TodayItem]:
        """The checklist for `day`: posture habits first, then exercises.

        Names come from the catalog when given (it may have been edited since
        the last sync), else from the stored habit.
        """
        from store.habit_fields import Dose, ladder, levels_from_json, schedule_from_json
        from store.plan import HabitPlan, week_start

        monday = week_start(day)
        changes: dict[str, list[LevelChange]] = {}
        with self._read() as session:
            for row in session.exec(select(HabitLevel).order_by(col(HabitLevel.from_date))):
                changes.setdefault(row.habit_id, []).append(
                    LevelChange(row.habit_id, row.level, row.from_date)
                )
            habits = {
                h.id: h for h in session.exec(select(Habit).where(col(Habit.archived).is_(False)))
            }
            periods: dict[str, list[tuple[date, date | None]]] = {}
            for period in session.exec(select(PlanPeriod)):
                periods.setdefault(period.habit_id, []).append((period.entered, period.left))
            week_rows = session.exec(
                select(col(CheckIn.habit_id), col(CheckIn.date), col(CheckIn.status)).where(
                    CheckIn.date >= monday, CheckIn.date <= monday + timedelta(days=6)
                )
            ).all()
            ratings = dict(
                session.exec(
                    select(col(CheckIn.habit_id), col(CheckIn.pain_during)).where(
                        CheckIn.date == day
                    )
                ).all()
            )
        statuses = {(h, d): s for h, d, s in week_rows}
        items: list[TodayItem] = []
        for habit in habits.values():
            plan = HabitPlan(
                habit.id, schedule_from_json(habit.schedule), tuple(periods.get(habit.id, ()))
            )
            if not plan.in_plan(day) or not plan.scheduled_on(day):
                continue
            entry = catalog.get(habit.id) if catalog else None
            week_done = week_target = None
            counts_this_week = True
            if plan.per_week is not None:
                counts_this_week = plan.in_plan(monday)
                mine = [s for (h, _d), s in statuses.items() if h == habit.id]
                week_done = mine.count(CheckInStatus.DONE)
                skips = mine.count(CheckInStatus.SKIPPED)
                week_target = max(0, plan.per_week - skips)
            doses = ladder(
                Dose.model_validate(json.loads(habit.dose)), levels_from_json(habit.levels)
            )
            level = level_on(changes.get(habit.id, []), day, len(doses))
            items.append(
                TodayItem(
                    id=habit.id,
                    name=entry.name if entry else habit.name,
                    kind=habit.kind,
                    schedule=plan.schedule,
                    dose=doses[level - 1],
                    level=level,
                    levels=len(doses),
                    pain_during=ratings.get(habit.id),
                    status=CheckInStatus(statuses.get((habit.id, day), CheckInStatus.OPEN)),
                    week_done=week_done,
                    week_target=week_target,
                    counts_this_week=counts_this_week,
                )
            )
        items.sort(key=lambda i: (not i.is_posture, habits[i.id].position, i.name))
        return items

    # --- pain ---------------------------------------------------------------------

    def add_pain(
        self,
        score: int,
        now: datetime,
        day: date,
        leg_score: int | None = None,
        context: str | None = None,
        note: str | None = None,
    ) -> PainEntry:
        """Log a 0-10 pain score. Out-of-range values are refused, nothing written."""
        _check_pain(score, leg_score, context, note)
        entry = PainEntry(
            at=_utc(now),
            date=day,
            score=score,
            leg_score=leg_score,
            context=context,
            note=(note or None),
        )
        with self._write() as session:
            session.add(entry)
        return entry

    def pain_on(self, day: date) -> list[PainEntry]:
        return self.pain_between(day, day)

    def pain_readings(self, first: date, last: date) -> list[PainReading]:
        """Every pain entry's time, date, score and context from `first` to `last`
        (what `store.morning.morning_pain` reads), oldest first."""
        with self._read() as session:
            rows = session.exec(
                select(
                    col(PainEntry.at),
                    col(PainEntry.date),
                    col(PainEntry.score),
                    col(PainEntry.context),
                )
                .where(PainEntry.date >= first, PainEntry.date <= last)
                .order_by(col(PainEntry.at))
            ).all()
        return [PainReading(at, day, score, context) for at, day, score, context in rows]

    def exercise_ids(self) -> list[str]:
        """The exercises (habits of any kind but posture) in the plan now, in the
        checklist's order."""
        with self._read() as session:
            in_plan = select(PlanPeriod.habit_id).where(col(PlanPeriod.left).is_(None))
            return list(
                session.exec(
                    select(Habit.id)
                    .where(
                        col(Habit.id).in_(in_plan),
                        Habit.kind != HabitKind.POSTURE,
                        col(Habit.archived).is_(False),
                    )
                    .order_by(col(Habit.position), col(Habit.id))
                )
            )

    def pain_between(self, first: date, last: date) -> list[PainEntry]:
        """Pain entries on days `first`..`last`, by day, then time logged."""
        with self._read() as session:
            return list(
                session.exec(
                    select(PainEntry)
                    .where(PainEntry.date >= first, PainEntry.date <= last)
                    .order_by(col(PainEntry.date), col(PainEntry.at), col(PainEntry.id))
                )
            )

    def _require_pain(self, session: Session, entry_id: int) -> PainEntry:
        entry = session.get(PainEntry, entry_id)
        if entry is None:
            raise StoreError(f"no pain entry {entry_id} (see `upright pain list` for the ids)")
        return entry

    def edit_pain(self, entry_id: int, **changes: Any) -> tuple[PainEntry, PainEntry]:
        """Change some of an entry's score, leg_score, context and note (None clears the
        optional ones). Returns the entry (before, after); nothing to change is refused."""
        unknown = set(changes) - set(PAIN_FIELDS)
        if unknown:
            raise TypeError(f"edit_pain: no field {', '.join(sorted(unknown))}")
        if not changes:
            raise StoreError("nothing to change: give a score, --leg, --context or --note")
        with self._write() as session:
            entry = self._require_pain(session, entry_id)
            before = entry.model_copy()
            values = {name: getattr(entry, name) for name in PAIN_FIELDS} | changes
            if values.get("note") == "":
                values["note"] = None
            _check_pain(values["score"], values["leg_score"], values["context"], values["note"])
            for name, value in values.items():
                setattr(entry, name, value)
            session.add(entry)
            return before, entry.model_copy()

    def delete_pain(self, entry_id: int) -> PainEntry:
        """Delete a pain entry; returns it as it was (`put_pain` brings it back)."""
        with self._write() as session:
            entry = self._require_pain(session, entry_id)
            gone = entry.model_copy()
            session.delete(entry)
            return gone

    def put_pain(self, entry: PainEntry) -> None:
        """Store `entry` exactly as given, under its id (an undo: the row as it was)."""
        assert entry.id is not None
        with self._write() as session:
            row = session.get(PainEntry, entry.id)
            if row is None:
                row = PainEntry(id=entry.id, at=entry.at, date=entry.date, score=entry.score)
            for name in ("at", "date", *PAIN_FIELDS):
                setattr(row, name, getattr(entry, name))
            session.add(row)

    # --- day notes ----------------------------------------------------------------

    def note_on(self, day: date) -> DayNote | None:
        with self._read() as session:
            return session.get(DayNote, day)

    def notes_between(self, first: date, last: date) -> dict[date, str]:
        """Each day's note text, for days `first`..`last` that have one."""
        with self._read() as session:
            rows = session.exec(select(DayNote).where(DayNote.date >= first, DayNote.date <= last))
            return {row.date: row.text for row in rows}

    def set_note(self, day: date, text: str, now: datetime) -> DayNote | None:
        """Set the day's note (empty text clears it). Returns the note it replaced."""
        if (too_long := note_too_long(text)) is not None:
            raise StoreError(too_long)
        with self._write() as session:
            row = session.get(DayNote, day)
            before = None if row is None else row.model_copy()
            if not text.strip():
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(DayNote(date=day, text=text, updated_at=_utc(now)))
            elif row.text != text:
                row.text, row.updated_at = text, _utc(now)
                session.add(row)
            return before

    def put_note(self, day: date, note: DayNote | None) -> None:
        """Make the day's note exactly `note` (None: no note). An undo."""
        with self._write() as session:
            row = session.get(DayNote, day)
            if note is None:
                if row is not None:
                    session.delete(row)
                return
            row = row or DayNote(date=day, text=note.text, updated_at=note.updated_at)
            row.text, row.updated_at = note.text, note.updated_at
            session.add(row)

    # --- sitting spells -----------------------------------------------------------

    def add_spell(
        self,
        start: datetime,
        end: datetime,
        ended_by: str,
        alerts: int = 0,
        snoozes: int = 0,
        first_alert_at: datetime | None = None,
    ) -> int:
        """Store a finished sitting spell; returns its id."""
        return self.save_spell(None, start, end, ended_by, alerts, snoozes, first_alert_at)

    # The open spell is stored as it goes (the dashboard calls `save_spell` about once
    # a minute): a row with `ended_by` NULL is open, and its `end` is the last time the
    # spell was known to be going on. The dashboard that opened it closes it (the same
    # row gets its end and ended_by); one that crashed leaves it open until the next
    # dashboard starts, which closes it as INTERRUPTED at that last known time. Reads
    # (`spells`, the statistics) skip open rows.

    def save_spell(
        self,
        spell_id: int | None,
        start: datetime,
        end: datetime,
        ended_by: str | None,
        alerts: int = 0,
        snoozes: int = 0,
        first_alert_at: datetime | None = None,
    ) -> int:
        """Store a spell as it is now, open (`ended_by` None: `end` is its last known
        time) or closed: the row `spell_id` is updated (whoever closed it meanwhile:
        its writer knows best), or a new row inserted if there is none. Returns its id."""
        if ended_by is not None and ended_by not in tuple(SpellEnding):
            raise StoreError(f"ended_by must be one of {', '.join(SpellEnding)}, not {ended_by!r}")
        values = SittingSpell(
            start=_utc(start),
            end=max(_utc(end), _utc(start)),
            ended_by=ended_by,
            alerts=alerts,
            snoozes=snoozes,
            first_alert_at=_utc(first_alert_at) if first_alert_at else None,
        )
        with self._write() as session:
            row = None if spell_id is None else session.get(SittingSpell, spell_id)
            # A finished spell of another start under that id is not this one (`upright
            # restore` put back other data): a new row. (An open row is this one, whose
            # start moves when the wall clock is set.)
            if row is None or (row.ended_by is not None and _utc(row.start) != values.start):
                row = values
            else:
                for name in ("start", "end", "ended_by", "alerts", "snoozes", "first_alert_at"):
                    setattr(row, name, getattr(values, name))
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def drop_open_spell(self, spell_id: int) -> None:
        """Forget a spell stored as open that came to nothing (it ended where it started)."""
        with self._write() as session:
            row = session.get(SittingSpell, spell_id)
            if row is not None:
                session.delete(row)

    def close_interrupted_spells(self, last_known_before: datetime) -> int:
        """Close as INTERRUPTED, at their last known time, the open spells last stored
        before `last_known_before` (left by a dashboard that crashed; a live one stores
        its open spell every minute). Returns how many."""
        cutoff = _utc(last_known_before)
        with self._write() as session:
            rows = session.exec(
                select(SittingSpell).where(
                    col(SittingSpell.ended_by).is_(None),
                    # An open row always has its last known time; one without is not ours.
                    col(SittingSpell.end).is_not(None),
                    col(SittingSpell.end) < cutoff,
                )
            ).all()
            for row in rows:
                row.ended_by = SpellEnding.INTERRUPTED
                session.add(row)
            return len(rows)

    def spells(self, first: date, last: date, tz: tzinfo) -> list[SpellRecord]:
        """Closed spells that started on local days `first`..`last` (open ones are skipped;
        INTERRUPTED ones end at their last known time)."""
        from store.stats import SpellRecord

        # A day or so of slack either side covers every time zone; the exact
        # local-day filter runs below.
        lo = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)
        hi = datetime.combine(last + timedelta(days=2), datetime.min.time(), UTC)
        with self._read() as session:
            # Columns, not SittingSpell objects: a year of spells loads in half the time.
            # (SQLAlchemy's select: SQLModel's takes at most four columns.)
            rows = session.execute(
                sa_select(
                    col(SittingSpell.start),
                    col(SittingSpell.end),
                    col(SittingSpell.ended_by),
                    col(SittingSpell.alerts),
                    col(SittingSpell.first_alert_at),
                )
                .where(
                    col(SittingSpell.start) >= lo,
                    col(SittingSpell.start) < hi,
                    col(SittingSpell.end).is_not(None),
                    # Still open (being written by a dashboard, or left by a crash).
                    col(SittingSpell.ended_by).is_not(None),
                )
                .order_by(col(SittingSpell.start))
            ).all()
        return [
            SpellRecord(
                start=start,
                end=end,
                ended_by=ended_by or SpellEnding.QUIT,
                alerts=alerts,
                first_alert_at=first_alert_at,
            )
            for start, end, ended_by, alerts, first_alert_at in rows
            if first <= start.astimezone(tz).date() <= last
        ]

    # --- statistics -----------------------------------------------------------------

    def stats(self, today: date, weeks: int = 12, *, strength: bool = True) -> Stats:
        """The numbers behind `upright stats` and every chart.

        `strength=False` (today's progress) skips the habits' strength scores and
        so reads only the window's check-ins, not every habit's whole history.
        """
        from store.plan import window_start
        from store.stats import compute_stats

        first = window_start(today, weeks)
        with self.reading():
            rows = self.stats_rows(first, today, history=strength)
            notes = self.notes_between(first, today)
        return replace(compute_stats(*rows, today, weeks, strength=strength), notes=notes)

    def helps(self, now: datetime, weeks: int) -> list[Association]:
        """Each exercise's next-morning association over the `weeks` ISO weeks ending
        with `now`'s day (`store.helps`), mornings read in `now`'s zone. One transaction."""
        from store.helps import associations
        from store.morning import morning_pain
        from store.plan import window_start

        today = now.date()
        tz = now.tzinfo
        assert tz is not None
        first = window_start(today, weeks)
        with self.reading():
            plans = self.habit_plans()
            check_ins = self.check_ins(first, today)
            exercises = self.exercise_ids()
            readings = self.pain_readings(first, today)
        return associations(plans, exercises, check_ins, morning_pain(readings, tz), today, weeks)

    def stats_rows(
        self, first: date, last: date, *, history: bool = True
    ) -> tuple[list[HabitPlan], list[tuple[str, date, str]], list[tuple[date, int]]]:
        """What `compute_stats` reads for `first`..`last`: plans, check-ins, pain scores.

        Check-ins from the first day any habit entered the plan (`history`: the
        strength scores need them all), pain from at least 14 days before `last`
        (the pain change's two weeks). One query per table, in one transaction.
        A caller computing several windows (the Trends screen) reads the widest
        once and computes each from it.
        """
        from store.stats import PAIN_CHANGE_DAYS

        pain_from = min(first, last - timedelta(days=2 * PAIN_CHANGE_DAYS))
        bounds = (pain_from.isoformat(), last.isoformat())
        with self.reading():
            plans = self.habit_plans()
            with self._read() as session:
                # The sqlite3 cursor itself: ten years of check-ins as ORM rows cost ~100 ms.
                cursor = session.connection().connection.cursor()
                pain = [
                    (date.fromisoformat(day), score)
                    for day, score in cursor.execute(
                        "SELECT date, score FROM pain_entry WHERE date BETWEEN ? AND ?", bounds
                    ).fetchall()
                ]
                cursor.close()
            since = min((d for p in plans if (d := p.first_day) is not None), default=first)
            return plans, self.check_ins(min(first, since) if history else first, last), pain

    def check_ins(self, first: date, last: date) -> list[tuple[str, date, str]]:
        """(habit id, date, status) for every check-in from `first` to `last`."""
        with self._read() as session:
            cursor = session.connection().connection.cursor()
            rows = cursor.execute(
                "SELECT habit_id, date, status FROM check_in WHERE date BETWEEN ? AND ?",
                (first.isoformat(), last.isoformat()),
            ).fetchall()
            cursor.close()
        return [(habit_id, date.fromisoformat(day), status) for habit_id, day, status in rows]

    # --- settings and export ------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        with self._read() as session:
            row = session.get(Setting, key)
            return row.value if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as session:
            self._put_setting(session, key, value)

    def _put_setting(self, session: Session, key: str, value: str) -> None:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        elif row.value != value:
            row.value = value
            session.add(row)

    def is_synced_with(self, files: str) -> bool:
        """Whether the habits were last synced from catalog files with this fingerprint."""
        return self.get_setting(CATALOG_SYNCED_FROM) == files

    def export(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, one key per table: the same data gives the same
        output, every run. Rows by primary key; each row's keys in the table's declared
        column order (a row read through the ORM fills its attributes, and so
        `model_dump`'s keys, in an order that changes with the hash seed)."""
        out: dict[str, list[dict[str, Any]]] = {}
        with self._read() as session:
            for table in TABLES:
                names = columns(table)
                key = table.__table__.primary_key.columns
                rows = session.exec(select(table).order_by(*key))
                out[table.__tablename__] = [
                    {name: dumped[name] for name in names}
                    for dumped in (row.model_dump(mode="json") for row in rows)
                ]
        return out

    def integrity_ok(self) -> bool:
        with self._read() as session:
            return bool(session.exec(text("PRAGMA integrity_check")).one()[0] == "ok")  # type: ignore[call-overload]


def _check_pain_during(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise StoreError(f"pain during must be a whole number from 0 to 10, not {value!r}")


# The fields of a pain entry a user can edit.
PAIN_FIELDS = ("score", "leg_score", "context", "note")


def _check_pain(score: int, leg_score: int | None, context: str | None, note: str | None) -> None:
    """StoreError, one line, for a value a pain entry cannot hold."""
    for label, value in (("pain score", score), ("leg pain score", leg_score)):
        if value is not None and not (isinstance(value, int) and 0 <= value <= 10):
            raise StoreError(f"{label} must be a whole number from 0 to 10, not {value!r}")
    if context is not None and context not in tuple(PainContext):
        raise StoreError(f"context must be one of {', '.join(PainContext)}, not {context!r}")
    if (too_long := note_too_long(note)) is not None:
        raise StoreError(too_long)


def local_now() -> datetime:
    """The current time, aware, in the local zone. Only the edges (CLI, app) call this."""
    return datetime.now().astimezone()
