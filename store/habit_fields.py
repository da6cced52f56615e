"""A habit's dose and schedule: the parts of a catalog entry the database stores (as JSON).

Kept apart from the catalog loader (store/catalog.py): reading today's
checklist or the statistics needs these few models, not the TOML reader and
the full entry's validation, and the app's first habit waits on that read.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class StrictModel(BaseModel):
    """Unknown fields refused, no type coercion ("3" is not 3), immutable once built."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Dose(StrictModel):
    """How much of an exercise: any of sets, reps, hold_seconds, minutes, per_side."""

    sets: Annotated[int, Field(gt=0, le=100)] | None = None
    reps: Annotated[int, Field(gt=0, le=1000)] | None = None
    hold_seconds: Annotated[int, Field(gt=0, le=3600)] | None = None
    minutes: Annotated[int, Field(gt=0, le=600)] | None = None
    per_side: bool = False

    def as_text(self) -> str:
        """The dose as a person says it, e.g. "3 x 10, hold 5 s, each side"."""
        parts: list[str] = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} x {self.reps}")
        elif self.reps:
            parts.append(f"{self.reps} reps")
        elif self.sets:
            parts.append(f"{self.sets} sets")
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} s")
        if self.minutes:
            parts.append(f"{self.minutes} min")
        if self.per_side:
            parts.append("each side")
        return ", ".join(parts)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MAX_LEVELS = 20
"""The most levels an exercise's ladder may have, its `dose` (level 1) included."""


class Level(Dose):
    """One step of an exercise's ladder after its `dose`: a dose, and optionally a
    variant's own name, how-to and cautions (a bridge with march, a single-leg bridge)."""

    name: Text | None = None
    how: Text | None = None
    cautions: Text | None = None

    @model_validator(mode="after")
    def _has_an_amount(self) -> Level:
        if not (self.sets or self.reps or self.hold_seconds or self.minutes):
            raise ValueError("a level needs sets, reps, hold_seconds or minutes")
        return self

    @property
    def dose(self) -> Dose:
        return Dose.model_validate(self.model_dump(include=set(Dose.model_fields)))

    def stored(self) -> dict[str, object]:
        """What the database keeps of a level: its dose and name (the texts stay in
        the catalog, read when shown)."""
        return self.model_dump(exclude={"how", "cautions"}, exclude_defaults=True)


def ladder(dose: Dose, levels: list[Level] | tuple[Level, ...]) -> list[Dose]:
    """Every level's dose, level 1 (the catalog's `dose`) first."""
    return [dose, *(level.dose for level in levels)]


def levels_to_json(levels: list[Level] | tuple[Level, ...]) -> str:
    return json.dumps([level.stored() for level in levels], sort_keys=True)


def levels_from_json(text: str) -> list[Level]:
    return [Level.model_validate(raw) for raw in json.loads(text)]


class DaysSchedule(StrictModel):
    days: Annotated[list[Weekday], Field(min_length=1, max_length=7)]


class PerWeekSchedule(StrictModel):
    per_week: Annotated[int, Field(ge=1, le=7)]


Schedule = Literal["daily"] | DaysSchedule | PerWeekSchedule


def schedule_to_json(schedule: Schedule) -> str:
    if isinstance(schedule, str):
        return json.dumps(schedule)
    return json.dumps(schedule.model_dump(), sort_keys=True)


def schedule_from_json(text: str) -> Schedule:
    raw = json.loads(text)
    if raw == "daily":
        return "daily"
    if "per_week" in raw:
        return PerWeekSchedule(per_week=raw["per_week"])
    return DaysSchedule(days=raw["days"])


def schedule_text(schedule: Schedule) -> str:
    if isinstance(schedule, PerWeekSchedule):
        return f"{schedule.per_week}x a week"
    if isinstance(schedule, DaysSchedule):
        return " ".join(day.capitalize() for day in schedule.days)
    return "daily"
