"""A habit's dose and schedule: the parts of a catalog entry the database stores (as JSON).

Kept apart from the catalog loader (store/catalog.py): reading today's
checklist or the statistics needs these few models, not the TOML reader and
the full entry's validation, and the app's first habit waits on that read.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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
