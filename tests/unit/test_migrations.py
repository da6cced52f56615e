"""Schema migrations: an old database is brought up to date with its rows kept, the
migrated schema matches the SQLModel tables, and a failing step changes nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import store.db
import store.models  # registers the tables on SQLModel.metadata
from store.errors import StoreError
from store.migrations import MIGRATIONS, SCHEMA_VERSION
from store.queries import Store
from tests.helpers.tables import TABLES

V1_ROWS = [
    "INSERT INTO habit (id, name, kind, schedule, dose, archived) VALUES "
    "('bird-dog', 'Bird-dog', 'strength', '\"daily\"', '{\"reps\": 10}', 0)",
    "INSERT INTO plan_period (habit_id, entered, \"left\") VALUES ('bird-dog', '2026-01-05', NULL)",
    "INSERT INTO check_in (habit_id, date, status, at) VALUES "
    "('bird-dog', '2026-01-06', 'done', '2026-01-06 08:00:00.000000')",
    "INSERT INTO pain_entry (at, date, score, leg_score, context, note) VALUES "
    "('2026-01-06 09:00:00.000000', '2026-01-06', 4, 1, 'morning', 'old row')",
]


def make_v1_database(path: Path) -> None:
    """A database as the first release left it: only MIGRATIONS[0], user_version 1."""
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    for statement in V1_ROWS:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def tables_of(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    finally:
        conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def dump_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            for table in ("habit", "plan_period", "check_in", "pain_entry")
        }
    finally:
        conn.close()


def test_there_is_more_than_one_step() -> None:
    # The test below migrates from version 1: it only means something with a later step.
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 2


def test_version_1_database_is_migrated_with_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_database(path)
    assert "sitting_spell" not in tables_of(path)
    store = Store.open(path)
    assert user_version(path) == SCHEMA_VERSION
    assert {"sitting_spell", "setting"} <= tables_of(path)
    tables = store.export()
    assert [r["id"] for r in tables["habit"]] == ["bird-dog"]
    assert tables["habit"][0]["dose"] == '{"reps": 10}'
    assert [(r["habit_id"], r["entered"], r["left"]) for r in tables["plan_period"]] == [
        ("bird-dog", "2026-01-05", None)
    ]
    assert [(r["date"], r["status"]) for r in tables["check_in"]] == [("2026-01-06", "done")]
    (pain,) = tables["pain_entry"]
    assert (pain["score"], pain["leg_score"], pain["context"], pain["note"]) == (
        4,
        1,
        "morning",
        "old row",
    )
    # The new table works, and the old rows feed the statistics.
    sat_down = datetime(2026, 1, 7, 9, 0, tzinfo=UTC)
    store.add_spell(sat_down, sat_down + timedelta(minutes=40), "break")
    assert len(store.export()["sitting_spell"]) == 1
    habit = store.stats(date(2026, 1, 6), weeks=1).habits[0]
    assert (habit.id, habit.due, habit.done) == ("bird-dog", 2, 1)
    # Opening again is a no-op.
    Store.open(path)
    assert user_version(path) == SCHEMA_VERSION


def test_fresh_database_runs_every_step(tmp_db_path: Path) -> None:
    Store.open(tmp_db_path)
    assert user_version(tmp_db_path) == SCHEMA_VERSION
    assert tables_of(tmp_db_path) >= set(SQLModel.metadata.tables)


def _columns(conn: sqlite3.Connection, table: str) -> set[tuple[str, str, bool, bool]]:
    # PRAGMA table_info rows: cid, name, type, notnull, dflt_value, pk. A set, not a list:
    # a column added by a later step comes last whatever the model's order.
    return {
        (name, type_.upper(), bool(notnull), bool(pk))
        for _cid, name, type_, notnull, _default, pk in conn.execute(
            f'PRAGMA table_info("{table}")'
        )
    }


def _indexed_columns(conn: sqlite3.Connection, table: str) -> set[tuple[bool, tuple[str, ...]]]:
    out = set()
    for _seq, name, unique, *_rest in conn.execute(f'PRAGMA index_list("{table}")'):
        columns = tuple(row[2] for row in conn.execute(f'PRAGMA index_info("{name}")'))
        out.add((bool(unique), columns))
    return out


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.db"
    make_v1_database(migrated)
    Store.open(migrated)
    modelled = tmp_path / "modelled.db"
    engine = create_engine(f"sqlite:///{modelled}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()

    a, b = sqlite3.connect(migrated), sqlite3.connect(modelled)
    try:
        model_tables = set(SQLModel.metadata.tables)
        assert model_tables == TABLES
        assert tables_of(migrated) == model_tables
        for table in sorted(model_tables):
            assert _columns(a, table) == _columns(b, table), table
            assert _indexed_columns(a, table) == _indexed_columns(b, table), table
    finally:
        a.close()
        b.close()


def test_failing_step_leaves_version_and_data_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    make_v1_database(path)
    before = dump_rows(path)
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL"))
    monkeypatch.setattr(store.db, "MIGRATIONS", broken)
    monkeypatch.setattr(store.db, "SCHEMA_VERSION", len(broken))
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert "\n" not in str(info.value)
    # One transaction: step 2 (which worked) was rolled back with the broken step 3.
    assert user_version(path) == 1
    assert tables_of(path) == {"habit", "plan_period", "check_in", "pain_entry"}
    assert dump_rows(path) == before


def test_failing_step_on_a_current_database(
    tmp_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(tmp_db_path).add_pain(5, datetime(2026, 3, 4, 9, 0, tzinfo=UTC), date(2026, 3, 4))
    broken = (
        *MIGRATIONS,
        (
            "ALTER TABLE pain_entry ADD COLUMN mood INTEGER",
            "ALTER TABLE nowhere ADD COLUMN x INTEGER",
        ),
    )
    monkeypatch.setattr(store.db, "MIGRATIONS", broken)
    monkeypatch.setattr(store.db, "SCHEMA_VERSION", len(broken))
    with pytest.raises(StoreError):
        Store.open(tmp_db_path)
    assert user_version(tmp_db_path) == SCHEMA_VERSION
    conn = sqlite3.connect(tmp_db_path)
    try:
        assert "mood" not in {row[1] for row in conn.execute("PRAGMA table_info(pain_entry)")}
        assert conn.execute("SELECT score FROM pain_entry").fetchall() == [(5,)]
    finally:
        conn.close()
