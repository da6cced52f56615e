"""Ordered schema steps; `PRAGMA user_version` records how many have run.

Append new steps at the end, never edit a released one: a user's database
may have stopped at any of them. `store.db` applies the missing steps in one
transaction when it opens a database.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: habits, the plan, check-ins and pain
    (
        """CREATE TABLE habit (
            id VARCHAR NOT NULL PRIMARY KEY,
            name VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            schedule VARCHAR NOT NULL,
            dose VARCHAR NOT NULL DEFAULT '{}',
            archived BOOLEAN NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE plan_period (
            id INTEGER NOT NULL PRIMARY KEY,
            habit_id VARCHAR NOT NULL REFERENCES habit (id),
            entered DATE NOT NULL,
            "left" DATE
        )""",
        "CREATE INDEX ix_plan_period_habit_id ON plan_period (habit_id)",
        """CREATE TABLE check_in (
            id INTEGER NOT NULL PRIMARY KEY,
            habit_id VARCHAR NOT NULL REFERENCES habit (id),
            date DATE NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('done', 'skipped')),
            at DATETIME NOT NULL,
            UNIQUE (habit_id, date)
        )""",
        "CREATE INDEX ix_check_in_date ON check_in (date)",
        """CREATE TABLE pain_entry (
            id INTEGER NOT NULL PRIMARY KEY,
            at DATETIME NOT NULL,
            date DATE NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            leg_score INTEGER CHECK (leg_score BETWEEN 0 AND 10),
            context VARCHAR,
            note VARCHAR
        )""",
        "CREATE INDEX ix_pain_entry_date ON pain_entry (date)",
    ),
    # 2: the stand-up timer's sitting spells, and small app settings
    (
        """CREATE TABLE sitting_spell (
            id INTEGER NOT NULL PRIMARY KEY,
            start DATETIME NOT NULL,
            "end" DATETIME,
            ended_by VARCHAR,
            alerts INTEGER NOT NULL DEFAULT 0,
            snoozes INTEGER NOT NULL DEFAULT 0,
            first_alert_at DATETIME
        )""",
        "CREATE INDEX ix_sitting_spell_start ON sitting_spell (start)",
        """CREATE TABLE setting (
            key VARCHAR NOT NULL PRIMARY KEY,
            value VARCHAR NOT NULL
        )""",
    ),
    # 3: each habit's place in the catalog, so the checklist keeps the catalog's order
    # without reading the catalog
    ("ALTER TABLE habit ADD COLUMN position INTEGER NOT NULL DEFAULT 0",),
    # 4: the coach: each exercise's ladder of levels (JSON, the steps after its dose),
    # the level it is at from a date on, and the pain a session caused
    (
        "ALTER TABLE habit ADD COLUMN levels VARCHAR NOT NULL DEFAULT '[]'",
        """CREATE TABLE habit_level (
            id INTEGER NOT NULL PRIMARY KEY,
            habit_id VARCHAR NOT NULL REFERENCES habit (id),
            level INTEGER NOT NULL CHECK (level >= 1),
            from_date DATE NOT NULL,
            set_at DATETIME NOT NULL,
            UNIQUE (habit_id, from_date)
        )""",
        "ALTER TABLE check_in ADD COLUMN pain_during INTEGER CHECK (pain_during BETWEEN 0 AND 10)",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
