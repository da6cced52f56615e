"""The tables an upright database holds, written out for the tests (not read from the
code under test, so a table added or lost there is caught)."""

from __future__ import annotations

TABLES = frozenset(
    {
        "habit",
        "plan_period",
        "check_in",
        "pain_entry",
        "sitting_spell",
        "setting",
        "day_note",
        "habit_level",
    }
)
