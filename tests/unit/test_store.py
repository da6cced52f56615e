"""store.queries.Store on real SQLite files: privacy, pragmas, plan, check-ins, pain,
sitting spells, export, refusing what it must not touch, and concurrent writers."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from store.catalog import Catalog
from store.errors import StoreError
from store.migrations import SCHEMA_VERSION
from store.queries import Store
from tests.helpers.tables import TABLES

D = date.fromisoformat
MON, TUE, WED, THU, FRI, SAT = (D(f"2026-03-0{i}") for i in range(2, 8))
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
DEFAULT_PLAN = {"stand-up", "firm-chair", "bird-dog", "walk"}


def periods(store: Store, habit_id: str) -> tuple[tuple[date, date | None], ...]:
    return next(p.periods for p in store.habit_plans() if p.id == habit_id)


def check_ins(store: Store) -> list[tuple[str, str, str]]:
    return sorted((r["habit_id"], r["date"], r["status"]) for r in store.export()["check_in"])


class WriteSpy:
    """Records every INSERT, UPDATE or DELETE the engine sends."""

    def __init__(self, store: Store) -> None:
        self.writes: list[str] = []
        event.listen(store.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            self.writes.append(statement)


# --- the file ---------------------------------------------------------------------------


def test_new_database_is_0600_in_a_new_0700_folder(tmp_db_path: Path) -> None:
    assert not tmp_db_path.parent.exists()
    Store.open(tmp_db_path)
    assert stat.S_IMODE(tmp_db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_db_path.parent.stat().st_mode) == 0o700


def test_default_path_follows_upright_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere" / "mine.db"
    monkeypatch.setenv("UPRIGHT_DB", str(target))
    store = Store.open()
    assert store.path == target
    assert target.is_file()


def test_pragmas_on_every_connection(store: Store) -> None:
    for _ in range(2):  # each use gets a new connection: both must be set up
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
            assert conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(StoreError):
        store.set_check_in("no-such-habit", MON, "done", NOW)
    with store.engine.connect() as conn, pytest.raises(Exception, match="FOREIGN KEY"):
        conn.exec_driver_sql(
            "INSERT INTO check_in (habit_id, date, status, at) "
            "VALUES ('no-such-habit', '2026-03-02', 'done', '2026-03-02 10:00:00')"
        )
    assert store.export()["check_in"] == []


# --- catalog sync and the plan ------------------------------------------------------------


def test_first_sync_adds_habits_and_the_default_plan(
    tmp_db_path: Path, small_catalog: Catalog
) -> None:
    store = Store.open(tmp_db_path)
    report = store.sync_catalog(small_catalog, MON)
    assert report.added == ("stand-up", "firm-chair", "bird-dog", "walk", "superman")
    assert report.archived == ()
    assert report.changed is True
    assert store.plan_ids() == DEFAULT_PLAN
    assert periods(store, "bird-dog") == ((MON, None),)
    assert periods(store, "superman") == ()
    rows = {r["id"]: r for r in store.export()["habit"]}
    assert rows["walk"]["schedule"] == '{"per_week": 3}'
    assert rows["walk"]["archived"] is False
    assert [(r.entry.id, r.in_plan) for r in store.plan(small_catalog)] == [
        ("stand-up", True),
        ("firm-chair", True),
        ("bird-dog", True),
        ("walk", True),
        ("superman", False),
    ]


def test_sync_writes_nothing_when_nothing_changed(store: Store, small_catalog: Catalog) -> None:
    before = store.export()
    spy = WriteSpy(store)
    report = store.sync_catalog(small_catalog, WED)
    assert (report.added, report.archived, report.changed) == ((), (), False)
    assert spy.writes == []
    assert store.export() == before
    # Entered on the first sync's day, not moved by later syncs.
    assert periods(store, "bird-dog") == ((MON, None),)


def test_sync_updates_a_changed_habit(store: Store, small_catalog: Catalog) -> None:
    renamed = Catalog(
        habits=tuple(
            h.model_copy(update={"name": "Bird dog"}) if h.id == "bird-dog" else h
            for h in small_catalog.habits
        ),
        sources=small_catalog.sources,
    )
    assert store.sync_catalog(renamed, TUE).changed is True
    rows = {r["id"]: r for r in store.export()["habit"]}
    assert rows["bird-dog"]["name"] == "Bird dog"
    assert periods(store, "bird-dog") == ((MON, None),)


def test_sync_archives_a_habit_that_left_the_catalog(store: Store, small_catalog: Catalog) -> None:
    store.set_check_in("bird-dog", MON, "done", NOW)
    store.set_check_in("bird-dog", TUE, "done", NOW)
    smaller = Catalog(
        habits=tuple(h for h in small_catalog.habits if h.id != "bird-dog"),
        sources=small_catalog.sources,
    )
    report = store.sync_catalog(smaller, THU)
    assert report.archived == ("bird-dog",)
    assert report.changed is True
    rows = {r["id"]: r for r in store.export()["habit"]}
    assert rows["bird-dog"]["archived"] is True  # kept, never deleted
    assert check_ins(store) == [
        ("bird-dog", "2026-03-02", "done"),
        ("bird-dog", "2026-03-03", "done"),
    ]
    # In the plan Mon..Wed: its period is closed on the day it left.
    assert periods(store, "bird-dog") == ((MON, THU),)
    assert "bird-dog" not in store.plan_ids()
    assert "bird-dog" not in {i.id for i in store.today(THU, smaller)}
    assert "bird-dog" not in {p.id for p in store.habit_plans(include_archived=False)}
    # Its history still counts: due Mon, Tue, Wed (3), done 2.
    habit = next(h for h in store.stats(WED, weeks=1).habits if h.id == "bird-dog")
    assert (habit.due, habit.done) == (3, 2)
    with pytest.raises(StoreError):
        store.add_to_plan("bird-dog", THU)
    # A second sync has nothing more to do.
    assert store.sync_catalog(smaller, FRI).changed is False


def test_add_and_remove_plan_periods(store: Store) -> None:
    assert store.add_to_plan("superman", TUE) is True
    assert store.add_to_plan("superman", WED) is False  # already in
    assert "superman" in store.plan_ids()
    assert store.remove_from_plan("superman", THU) is True
    assert store.remove_from_plan("superman", FRI) is False  # already out
    assert periods(store, "superman") == ((TUE, THU),)
    # Added and removed the same day: it never really was in the plan.
    assert store.add_to_plan("superman", SAT) is True
    assert store.remove_from_plan("superman", SAT) is True
    assert periods(store, "superman") == ((TUE, THU),)
    assert "superman" not in store.plan_ids()
    with pytest.raises(StoreError, match="unknown habit"):
        store.add_to_plan("nope", TUE)
    with pytest.raises(StoreError, match="unknown habit"):
        store.remove_from_plan("nope", TUE)


# --- check-ins ------------------------------------------------------------------------------


def test_one_check_in_per_habit_and_date(store: Store) -> None:
    store.set_check_in("bird-dog", TUE, "done", NOW)
    store.set_check_in("bird-dog", TUE, "skipped", NOW)
    store.set_check_in("bird-dog", TUE, "skipped", NOW)
    store.set_check_in("bird-dog", WED, "done", NOW)
    assert check_ins(store) == [
        ("bird-dog", "2026-03-03", "skipped"),
        ("bird-dog", "2026-03-04", "done"),
    ]
    assert store.clear_check_in("bird-dog", TUE) is True
    assert store.clear_check_in("bird-dog", TUE) is False
    assert check_ins(store) == [("bird-dog", "2026-03-04", "done")]
    with pytest.raises(StoreError):
        store.set_check_in("bird-dog", TUE, "maybe", NOW)
    with pytest.raises(StoreError, match="unknown habit"):
        store.set_check_in("nope", TUE, "done", NOW)
    with pytest.raises(StoreError, match="unknown habit"):
        store.clear_check_in("nope", TUE)
    # The database itself refuses a second row for the same habit and date.
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO check_in (habit_id, date, status, at) "
            "VALUES ('bird-dog', '2026-03-04', 'skipped', '2026-03-04 10:00:00.000000')"
        )
    conn.close()


def test_skip_exercises_skips_only_open_non_posture_habits(
    store: Store, small_catalog: Catalog
) -> None:
    store.add_to_plan("superman", MON)
    store.set_check_in("bird-dog", WED, "done", NOW)
    # Due Wednesday: stand-up, firm-chair (posture), bird-dog (done), walk, superman.
    assert store.skip_exercises(WED, NOW) == 2
    status = {i.id: i.status for i in store.today(WED, small_catalog)}
    assert status == {
        "stand-up": "open",
        "firm-chair": "open",
        "bird-dog": "done",
        "walk": "skipped",
        "superman": "skipped",
    }
    assert store.skip_exercises(WED, NOW) == 0
    # Tuesday: superman is not scheduled, so only bird-dog and walk.
    assert store.skip_exercises(TUE, NOW) == 2
    assert ("superman", "2026-03-03", "skipped") not in check_ins(store)


def test_today_order_and_per_week_progress(store: Store, small_catalog: Catalog) -> None:
    store.add_to_plan("superman", MON)
    store.set_check_in("walk", MON, "done", NOW)
    store.set_check_in("walk", TUE, "done", NOW)
    store.set_check_in("stand-up", WED, "done", NOW)
    items = store.today(WED, small_catalog)
    # Posture first, then exercises, each in catalog order.
    assert [i.id for i in items] == ["stand-up", "firm-chair", "bird-dog", "walk", "superman"]
    by_id = {i.id: i for i in items}
    assert by_id["stand-up"].status == "done"
    assert (by_id["walk"].status, by_id["walk"].week_done, by_id["walk"].week_target) == (
        "open",
        2,
        3,
    )
    assert by_id["bird-dog"].week_target is None
    assert by_id["bird-dog"].dose.as_text() == "3 x 10, hold 5 s, each side"
    walk_json = by_id["walk"].to_json()
    assert {"id", "name", "kind", "dose", "status"} <= set(walk_json)
    assert (walk_json["dose"], walk_json["week_done"], walk_json["week_target"]) == (
        {"minutes": 30},
        2,
        3,
    )
    assert "week_target" not in by_id["bird-dog"].to_json()
    # A skip this week lowers the week's target.
    store.set_check_in("walk", WED, "skipped", NOW)
    walk = next(i for i in store.today(WED, small_catalog) if i.id == "walk")
    assert (walk.status, walk.week_done, walk.week_target) == ("skipped", 2, 2)
    # Without the catalog: the same order, which the store kept at the last sync.
    assert [i.name for i in store.today(WED)] == [i.name for i in store.today(WED, small_catalog)]
    assert [i.id for i in store.today(WED)] == [
        "stand-up",
        "firm-chair",
        "bird-dog",
        "walk",
        "superman",
    ]
    # Thursday: superman (Mon/Wed/Fri) is not on the list.
    assert [i.id for i in store.today(THU, small_catalog)] == [
        "stand-up",
        "firm-chair",
        "bird-dog",
        "walk",
    ]
    # Before the first sync's day nothing was in the plan.
    assert store.today(MON - timedelta(days=1), small_catalog) == []


# --- pain ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"score": 11},
        {"score": -1},
        {"score": 4, "leg_score": 11},
        {"score": 4, "leg_score": -1},
        {"score": 4, "context": "lunch"},
        {"score": 4, "note": "x" * 2001},  # store.limits.MAX_NOTE_CHARS
    ],
)
def test_add_pain_refuses_bad_values_and_writes_nothing(
    store: Store, kwargs: dict[str, Any]
) -> None:
    before = store.export()
    with pytest.raises(StoreError):
        store.add_pain(now=NOW, day=WED, **kwargs)
    assert store.export() == before


def test_a_note_of_the_longest_length_is_stored_as_typed(store: Store) -> None:
    note = "\x1b]0;x\x07[b]" + "y" * (2000 - 9)
    assert len(note) == 2000
    store.add_pain(3, NOW, WED, note=note)
    assert [entry.note for entry in store.pain_on(WED)] == [note]


def test_add_pain_stores_utc_and_every_field(store: Store) -> None:
    local = datetime(2026, 3, 4, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    store.add_pain(4, local, WED, leg_score=2, context="during-exercise", note="stiff")
    store.add_pain(0, local + timedelta(hours=1), WED, context="evening", note="")
    first, second = store.pain_on(WED)
    assert (first.score, first.leg_score, first.context, first.note) == (
        4,
        2,
        "during-exercise",
        "stiff",
    )
    assert first.at == datetime(2026, 3, 4, 6, 0, tzinfo=UTC)
    assert first.at.utcoffset() == timedelta(0)
    assert (second.score, second.leg_score, second.note) == (0, None, None)
    assert store.pain_on(TUE) == []


# --- sitting spells ----------------------------------------------------------------------


def test_sitting_spells(store: Store) -> None:
    t0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    first = store.add_spell(
        t0,
        t0 + timedelta(minutes=35),
        "break",
        alerts=2,
        snoozes=1,
        first_alert_at=t0 + timedelta(minutes=30),
    )
    second = store.add_spell(t0 + timedelta(hours=2), t0 + timedelta(hours=3), "quit")
    assert first != second
    records = store.spells(WED, WED, UTC)
    assert [(r.start, r.end, r.ended_by, r.alerts, r.first_alert_at) for r in records] == [
        (t0, t0 + timedelta(minutes=35), "break", 2, t0 + timedelta(minutes=30)),
        (t0 + timedelta(hours=2), t0 + timedelta(hours=3), "quit", 0, None),
    ]
    rows = {r["id"]: r for r in store.export()["sitting_spell"]}
    assert rows[first]["snoozes"] == 1
    # Local days: at UTC-10, 09:00 UTC on 03-04 is 23:00 on 03-03; 11:00 UTC is 01:00 on 03-04.
    minus_ten = timezone(timedelta(hours=-10))
    assert [r.start for r in store.spells(TUE, TUE, minus_ten)] == [t0]
    assert [r.start for r in store.spells(WED, WED, minus_ten)] == [t0 + timedelta(hours=2)]
    with pytest.raises(StoreError):
        store.add_spell(t0, t0, "coffee")


def test_spell_never_ends_before_it_started(store: Store) -> None:
    t0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    store.add_spell(t0, t0 - timedelta(minutes=10), "break")
    (record,) = store.spells(WED, WED, UTC)
    assert record.end == record.start == t0


def test_open_spell_is_stored_as_it_goes_and_closed_in_the_same_row(store: Store) -> None:
    t0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    spell = store.save_spell(None, t0, t0 + timedelta(minutes=1), None)
    assert store.spells(WED, WED, UTC) == []  # open: not a spell for the statistics yet
    first_alert = t0 + timedelta(minutes=30)
    again = store.save_spell(spell, t0, t0 + timedelta(minutes=31), None, 1, 1, first_alert)
    assert again == spell
    [row] = store.export()["sitting_spell"]
    assert (row["end"], row["ended_by"], row["alerts"], row["snoozes"]) == (
        "2026-03-04T09:31:00Z",
        None,
        1,
        1,
    )
    assert store.save_spell(spell, t0, t0 + timedelta(minutes=33), "break", 1, 1, first_alert)
    [record] = store.spells(WED, WED, UTC)
    assert (record.end, record.ended_by, record.alerts, record.first_alert_at) == (
        t0 + timedelta(minutes=33),
        "break",
        1,
        first_alert,
    )
    assert len(store.export()["sitting_spell"]) == 1
    # A row gone meanwhile (or never stored) is written anew.
    assert store.save_spell(spell + 100, t0 + timedelta(hours=1), t0 + timedelta(hours=2), "quit")
    assert len(store.spells(WED, WED, UTC)) == 2
    with pytest.raises(StoreError):
        store.save_spell(spell, t0, t0, "coffee")


def test_open_spell_that_came_to_nothing_is_dropped(store: Store) -> None:
    t0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    spell = store.save_spell(None, t0, t0 + timedelta(minutes=1), None)
    store.drop_open_spell(spell)
    store.drop_open_spell(spell)  # twice: nothing left to drop
    assert store.export()["sitting_spell"] == []


def test_open_spells_left_by_a_crash_close_as_interrupted_at_their_last_known_time(
    store: Store,
) -> None:
    from store.stats import sitting_days

    t0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    crashed = store.save_spell(None, t0, t0 + timedelta(minutes=20), None, 1, 0, t0)
    live = store.save_spell(None, t0 + timedelta(minutes=30), t0 + timedelta(minutes=44), None)
    closed = store.add_spell(t0 - timedelta(hours=1), t0 - timedelta(minutes=50), "break")
    # Another dashboard stored its open spell a minute ago: it is alive, leave it open.
    assert store.close_interrupted_spells(t0 + timedelta(minutes=42)) == 1
    rows = {row["id"]: row for row in store.export()["sitting_spell"]}
    assert rows[crashed]["ended_by"] == "interrupted"
    assert rows[crashed]["end"] == "2026-03-04T09:20:00Z"
    assert rows[live]["ended_by"] is None
    assert rows[closed]["ended_by"] == "break"
    assert store.close_interrupted_spells(t0 + timedelta(minutes=42)) == 0
    records = store.spells(WED, WED, UTC)
    assert [r.ended_by for r in records] == ["break", "interrupted"]
    # Sitting time up to the last known time; not a break, so not an alert obeyed.
    [day] = sitting_days(records, WED, WED, UTC)
    assert (day.minutes_sat, day.breaks, day.alerts, day.alerts_obeyed) == (30, 1, 1, 0)
    # The live dashboard still has the last word on its own spell, and on one closed
    # as interrupted while it was stopped (Ctrl-Z) for longer than the cut-off.
    store.save_spell(crashed, t0, t0 + timedelta(minutes=25), "suspend")
    assert [r.ended_by for r in store.spells(WED, WED, UTC)] == ["break", "suspend"]


# --- export -------------------------------------------------------------------------------


def test_export_has_every_table_and_row(store: Store) -> None:
    store.set_check_in("bird-dog", MON, "done", NOW)
    store.set_level("bird-dog", 2, WED, NOW)
    store.add_pain(3, NOW, WED)
    store.add_spell(NOW, NOW + timedelta(minutes=20), "idle")
    store.set_setting("safety_note_seen", "1")
    store.set_setting("safety_note_seen", "2")
    store.set_note(TUE, "flared after gardening", NOW)
    assert store.get_setting("safety_note_seen") == "2"
    assert store.get_setting("missing") is None
    tables = store.export()
    assert set(tables) == TABLES
    counts = {name: len(rows) for name, rows in tables.items()}
    assert counts == {
        "habit": 5,
        "plan_period": 4,
        "check_in": 1,
        "pain_entry": 1,
        "sitting_spell": 1,
        "setting": 1,
        "day_note": 1,
        "habit_level": 1,
    }
    assert tables["day_note"] == [
        {
            "date": "2026-03-03",
            "text": "flared after gardening",
            "updated_at": "2026-03-04T12:00:00Z",
        }
    ]
    assert tables["setting"] == [{"key": "safety_note_seen", "value": "2"}]
    assert tables["check_in"][0]["date"] == "2026-03-02"


# --- what the store must refuse ------------------------------------------------------------


def test_newer_schema_is_refused_and_left_untouched(store: Store) -> None:
    store.add_pain(3, NOW, WED)
    path = store.path
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer") as info:
        Store.open(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "upright.db"
    path.write_bytes(b"these are my notes, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=str(path)):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    with pytest.raises(StoreError):
        Store.open(blocker / "sub" / "upright.db")


def test_a_folder_where_the_file_should_be(tmp_path: Path) -> None:
    (tmp_path / "upright.db").mkdir()
    with pytest.raises(StoreError):
        Store.open(tmp_path / "upright.db")


# --- two writers --------------------------------------------------------------------------


def test_two_stores_writing_at_once_lose_nothing(tmp_db_path: Path, small_catalog: Catalog) -> None:
    first = Store.open(tmp_db_path)
    first.sync_catalog(small_catalog, MON)
    second = Store.open(tmp_db_path)
    writes = 200
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def log_pain() -> None:
        start.wait()
        try:
            for i in range(writes):
                first.add_pain(i % 11, NOW, WED, note=f"p{i}")
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)

    def check_in() -> None:
        start.wait()
        try:
            # set_check_in reads before it writes: the case that "database is locked" hits.
            for i in range(writes):
                second.set_check_in("bird-dog", MON - timedelta(days=i), "done", NOW)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=log_pain), threading.Thread(target=check_in)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    tables = Store.open(tmp_db_path).export()
    assert sorted(r["note"] for r in tables["pain_entry"]) == sorted(f"p{i}" for i in range(writes))
    assert len(tables["check_in"]) == writes
    assert first.integrity_ok()


# --- fixing the record: pain edits, deletes, notes, undo's exact restores -----------------


def test_edit_and_delete_pain_and_put_it_back_exactly(store: Store) -> None:
    first = store.add_pain(4, NOW, TUE, leg_score=2, context="morning", note="stiff")
    second = store.add_pain(6, NOW + timedelta(hours=1), WED)
    assert first.id is not None and second.id is not None
    before, after = store.edit_pain(first.id, score=3, note=None)
    assert (before.score, before.note) == (4, "stiff")
    assert (after.score, after.leg_score, after.context, after.note) == (3, 2, "morning", None)
    assert [e.score for e in store.pain_between(TUE, WED)] == [3, 6]
    store.put_pain(before)
    assert store.pain_on(TUE)[0].model_dump() == before.model_dump()
    gone = store.delete_pain(first.id)
    assert store.pain_on(TUE) == []
    store.put_pain(gone)
    [back] = store.pain_on(TUE)
    assert back.model_dump() == gone.model_dump() == before.model_dump()


@pytest.mark.parametrize(
    ("entry_id", "changes", "words"),
    [
        (999, {"score": 3}, "no pain entry 999"),
        (None, {"score": 11}, "pain score"),
        (None, {"leg_score": -1}, "leg pain score"),
        (None, {"context": "lunch"}, "context"),
        (None, {}, "nothing to change"),
        (None, {"note": "x" * 2001}, "2000"),
    ],
)
def test_a_bad_edit_changes_nothing(
    store: Store, entry_id: int | None, changes: dict[str, object], words: str
) -> None:
    entry = store.add_pain(4, NOW, WED, note="kept")
    assert entry.id is not None
    exported = store.export()
    with pytest.raises(StoreError, match=words):
        store.edit_pain(entry_id or entry.id, **changes)
    assert store.export() == exported


def test_day_notes_set_replace_clear_and_put_back(store: Store) -> None:
    assert store.set_note(TUE, "flared after gardening", NOW) is None
    first = store.note_on(TUE)
    assert first is not None and first.text == "flared after gardening"
    replaced = store.set_note(TUE, "better by evening", NOW + timedelta(hours=2))
    assert replaced is not None and replaced.model_dump() == first.model_dump()
    store.set_note(WED, "walked 3 km", NOW)
    assert store.notes_between(MON, WED) == {TUE: "better by evening", WED: "walked 3 km"}
    assert store.set_note(WED, "  ", NOW) is not None
    assert store.note_on(WED) is None
    store.put_note(TUE, first)
    back = store.note_on(TUE)
    assert back is not None and back.model_dump() == first.model_dump()
    store.put_note(TUE, None)
    assert store.notes_between(MON, SAT) == {}
    with pytest.raises(StoreError, match="2000"):
        store.set_note(TUE, "x" * 2001, NOW)


def test_a_check_in_is_put_back_exactly(store: Store) -> None:
    store.set_check_in("bird-dog", TUE, "skipped", NOW - timedelta(days=1))
    before = store.check_in_on("bird-dog", TUE)
    store.set_check_in("bird-dog", TUE, "done", NOW)
    assert store.check_in_on("bird-dog", TUE).status == "done"  # type: ignore[union-attr]
    store.put_check_in("bird-dog", TUE, before)
    after = store.check_in_on("bird-dog", TUE)
    assert before is not None and after is not None
    assert after.model_dump() == before.model_dump()
    store.put_check_in("bird-dog", TUE, None)
    assert store.check_in_on("bird-dog", TUE) is None
