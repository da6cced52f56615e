"""SQLModel tables: the only shape stored data has.

Times are stored in UTC (SQLModel's datetime type converts on the way in and
hands them back aware, in UTC); dates are
the user's local calendar date at the moment of the event. The schema itself
is created by the ordered steps in `store.migrations`, not by
`SQLModel.metadata.create_all`, so that every database goes through the same
history; a test checks the two agree.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint


class Habit(SQLModel, table=True):
    """A habit as the store remembers it, even after it leaves the catalog."""

    __tablename__ = "habit"

    id: str = Field(primary_key=True)
    name: str
    kind: str  # a HabitKind
    # JSON: "daily", {"days": ["mon", ...]} or {"per_week": 3}
    schedule: str
    # JSON object: any of sets, reps, hold_seconds, minutes, per_side
    dose: str = "{}"
    archived: bool = False
    # Index in the catalog at the last sync: the checklist's order.
    position: int = 0
    # JSON list: the exercise's steps after `dose` (level 1), each a dose plus an
    # optional name (store.habit_fields.Level); "[]" for a habit with one level.
    levels: str = "[]"


class PlanPeriod(SQLModel, table=True):
    """A stretch of days during which a habit was in the user's plan.

    `entered` is the first day in the plan; `left` the first day no longer in
    it (None while still in the plan). Keeping the periods, rather than a flag,
    is what makes "due" right for every past date.
    """

    __tablename__ = "plan_period"

    id: int | None = Field(default=None, primary_key=True)
    habit_id: str = Field(foreign_key="habit.id", index=True)
    entered: dt.date
    left: dt.date | None = None


class CheckIn(SQLModel, table=True):
    """A habit marked done (or skipped, a flare day) on a date."""

    __tablename__ = "check_in"
    __table_args__ = (UniqueConstraint("habit_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    habit_id: str = Field(foreign_key="habit.id")
    date: dt.date = Field(index=True)
    # CheckInStatus.DONE or .SKIPPED (a StrEnum: the column holds its text)
    status: str
    at: dt.datetime  # UTC
    # How much the session hurt, 0-10, if the user said (the coach reads it).
    pain_during: int | None = None


class HabitLevel(SQLModel, table=True):
    """An exercise's level (1-based) from a date on, until its next row.

    A change takes effect from the day it is made and keeps its date, so past
    days keep the dose they had. No row: level 1, the catalog's `dose`.
    """

    __tablename__ = "habit_level"
    __table_args__ = (UniqueConstraint("habit_id", "from_date"),)

    id: int | None = Field(default=None, primary_key=True)
    habit_id: str = Field(foreign_key="habit.id")
    level: int
    from_date: dt.date
    set_at: dt.datetime  # UTC


class PainEntry(SQLModel, table=True):
    """One 0-10 pain rating."""

    __tablename__ = "pain_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime  # UTC
    date: dt.date = Field(index=True)
    score: int
    leg_score: int | None = None
    context: str | None = None  # a PainContext
    note: str | None = None


class SittingSpell(SQLModel, table=True):
    """One stretch of sitting, from sitting down to a break (or idle, suspend, quit)."""

    __tablename__ = "sitting_spell"

    id: int | None = Field(default=None, primary_key=True)
    start: dt.datetime = Field(index=True)  # UTC
    end: dt.datetime | None = None  # UTC; None while the spell is open
    ended_by: str | None = None  # a SpellEnding
    alerts: int = 0
    snoozes: int = 0
    # When the first stand-up alert fired (UTC): lets the trends tell whether
    # the user got up within five minutes of being told to.
    first_alert_at: dt.datetime | None = None


class Setting(SQLModel, table=True):
    """Small pieces of app state that belong with the data (e.g. safety note seen)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str
