"""The exercise catalog: load exercises.toml, apply the user's overrides, validate.

The shipped catalog sits at the repo root and inside the wheel as
`store/exercises.toml`. A user's own `exercises.toml` in the config dir adds
entries, overrides fields by `id`, or drops an entry with `enabled = false`;
`--catalog PATH` replaces the whole thing. Every error is one line naming the
file, the line, the entry and the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, ValidationInfo, field_validator

from store.catalog_files import catalog_files
from store.errors import CatalogError
from store.habit_fields import (
    MAX_LEVELS,
    Dose,
    Level,
    Schedule,
    StrictModel,
    ladder,
    levels_to_json,
    schedule_text,
    schedule_to_json,
)
from store.toml_file import read_toml
from store.vocab import HabitKind

Evidence = Literal["guideline", "trial", "low", "expert-opinion"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]


class HabitEntry(StrictModel):
    """One `[[habit]]` of exercises.toml."""

    id: Slug
    name: Text
    # strict=False: the TOML's text becomes the enum (strict mode wants the member itself).
    kind: Annotated[HabitKind, Field(strict=False)]
    schedule: Schedule
    in_default_plan: bool = False
    dose: Dose = Dose()
    # The steps after `dose`, which is level 1: `[[habit.levels]]` tables, easiest first.
    levels: Annotated[list[Level], Field(max_length=MAX_LEVELS - 1)] = []
    how: Text
    why: Text
    cautions: Text
    evidence: Evidence
    source: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    # False drops the entry (the user's override file uses this to remove a habit).
    enabled: bool = True

    @field_validator("levels")
    @classmethod
    def _exercises_only(cls, levels: list[Level], info: ValidationInfo) -> list[Level]:
        if levels and info.data.get("kind") == HabitKind.POSTURE:
            raise ValueError("a posture habit has no levels")
        return levels

    @property
    def levels_json(self) -> str:
        return levels_to_json(self.levels)

    @property
    def ladder(self) -> list[Dose]:
        """Every level's dose, level 1 first."""
        return ladder(self.dose, self.levels)

    def level(self, number: int) -> Level | None:
        """Level `number` (1-based) as a variant with its own texts; None for level 1."""
        return self.levels[number - 2] if 2 <= number <= len(self.levels) + 1 else None

    @property
    def schedule_json(self) -> str:
        return schedule_to_json(self.schedule)

    @property
    def dose_json(self) -> str:
        return json.dumps(self.dose.model_dump(exclude_defaults=True), sort_keys=True)

    @property
    def schedule_text(self) -> str:
        return schedule_text(self.schedule)


@dataclass(frozen=True)
class Catalog:
    """The validated catalog, in file order, plus where it came from."""

    habits: tuple[HabitEntry, ...]
    sources: tuple[Path, ...]

    def get(self, habit_id: str) -> HabitEntry | None:
        return next((h for h in self.habits if h.id == habit_id), None)

    @property
    def ids(self) -> set[str]:
        return {h.id for h in self.habits}


class _Located:
    """Finds the line of an entry's field in TOML text, since tomllib gives no positions."""

    _HEADER = re.compile(r"^\s*\[\[\s*habit\s*\]\]")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.entry_starts = [i for i, line in enumerate(self.lines) if self._HEADER.match(line)]

    def line_of(self, entry_index: int, field: str | None) -> int | None:
        if entry_index >= len(self.entry_starts):
            return None
        start = self.entry_starts[entry_index]
        end = (
            self.entry_starts[entry_index + 1]
            if entry_index + 1 < len(self.entry_starts)
            else len(self.lines)
        )
        if field:
            key = re.compile(rf"^\s*{re.escape(field)}\s*=")
            for i in range(start, end):
                if key.match(self.lines[i]):
                    return i + 1
        return start + 1

    def line_of_level(self, entry_index: int, level_index: int) -> int | None:
        """The line of an entry's `level_index`-th `[[habit.levels]]` table (0-based)."""
        line = self.line_of(entry_index, None)
        if line is None:
            return None
        header = re.compile(r"^\s*\[\[\s*habit\s*\.\s*levels\s*\]\]")
        found = -1
        for i in range(line - 1, len(self.lines)):
            if i > line - 1 and self._HEADER.match(self.lines[i]):
                break
            if header.match(self.lines[i]):
                found += 1
                if found == level_index:
                    return i + 1
        return self.line_of(entry_index, "levels")


def _read_toml(path: Path) -> tuple[dict[str, Any], _Located]:
    try:
        data, text = read_toml(path, CatalogError)
    except FileNotFoundError:
        raise CatalogError(f"{path}: file not found") from None
    return data, _Located(text)


def _entries(path: Path, data: dict[str, Any], where: _Located) -> list[dict[str, Any]]:
    unknown = set(data) - {"habit"}
    if unknown:
        raise CatalogError(
            f"{path}: unknown top-level key {sorted(unknown)[0]!r} (expected [[habit]] tables)"
        )
    entries = data.get("habit", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CatalogError(f"{path}: 'habit' must be an array of tables ([[habit]])")
    return entries


def _error(
    path: Path, where: _Located, index: int, entry: dict[str, Any], exc: ValidationError
) -> CatalogError:
    first = exc.errors()[0]
    loc = [str(part) for part in first["loc"]]
    # For a union (schedule) pydantic names the variant it tried; keep the user's field.
    top = loc[0] if loc else None
    field = top
    if top == "dose" and len(loc) > 1:
        field = f"dose.{loc[1]}"
    line = where.line_of(index, top)
    step: int | None = None
    if top == "levels" and len(loc) > 1 and loc[1].isdigit():
        # loc: levels, its index, maybe a field; the user counts levels from the dose (1)
        step = int(loc[1])
        line = where.line_of_level(index, step)
    habit_id = entry.get("id") if isinstance(entry.get("id"), str) else f"#{index + 1}"
    message = first["msg"]
    if first["type"] == "missing":
        message = "is required"
    elif first["type"] == "extra_forbidden":
        message = "is not a known field"
    elif top == "levels" and first["type"] == "value_error" and "ctx" in first:
        message = str(first["ctx"]["error"])
    elif top == "schedule":
        message = 'must be "daily", { days = ["mon", ...] } or { per_week = N } with N from 1 to 7'
    if step is not None:
        inner = f" {loc[2]}" if len(loc) > 2 and not loc[2].isdigit() else ""
        message = f"level {step + 2}{inner}: {message}"
    return CatalogError(f"{path}:{line}: habit {habit_id!r}: field {field!r}: {message}")


def _validate(path: Path, where: _Located, index: int, raw: dict[str, Any]) -> HabitEntry:
    try:
        return HabitEntry.model_validate(raw)
    except ValidationError as exc:
        raise _error(path, where, index, raw, exc) from None


def load_catalog(path: Path | None = None, overrides: Path | None = None) -> Catalog:
    """Load and validate the catalog.

    `path` replaces the shipped catalog (and then no user overrides apply);
    otherwise the shipped file is read and `overrides` (default: the user's
    config-dir exercises.toml, if it exists) is layered on top.
    """
    base_path, *rest = catalog_files(path, overrides)
    override_path = rest[0] if rest else None

    data, where = _read_toml(base_path)
    merged: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate(_entries(base_path, data, where)):
        entry = _validate(base_path, where, index, raw)
        if entry.id in merged:
            line = where.line_of(index, "id")
            raise CatalogError(f"{base_path}:{line}: habit {entry.id!r}: field 'id': duplicate id")
        merged[entry.id] = dict(raw)

    sources = [base_path]
    if override_path is not None:
        sources.append(override_path)
        data, where = _read_toml(override_path)
        for index, raw in enumerate(_entries(override_path, data, where)):
            habit_id = raw.get("id")
            if not isinstance(habit_id, str):
                line = where.line_of(index, "id")
                raise CatalogError(
                    f"{override_path}:{line}: habit #{index + 1}: field 'id': is required"
                )
            if habit_id not in merged and raw.get("enabled") is False:
                continue  # dropping a habit the catalog does not have: nothing to do
            combined = {**merged.get(habit_id, {}), **raw}
            _validate(override_path, where, index, combined)
            merged[habit_id] = combined

    entries = (HabitEntry.model_validate(raw) for raw in merged.values())
    habits = tuple(entry for entry in entries if entry.enabled)
    return Catalog(habits=habits, sources=tuple(sources))
