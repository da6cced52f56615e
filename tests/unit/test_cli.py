"""The `upright` command line: every command with good input, bad input giving one line
and exit code 2 with nothing changed, and no Textual import for subcommands.

The clock is frozen at Wednesday 2026-03-04 12:00 UTC (TZ=UTC): "today" is 2026-03-04,
and the first command run syncs the small catalog, so its default plan starts today.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from store.queries import Store
from tests.helpers.tables import TABLES
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
SMALL = ROOT / "tests" / "data" / "small.toml"
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)

Run = Callable[..., tuple[int, str, str]]
# What Store.export() returns: rows by table.
Export = dict[str, list[dict[str, Any]]]


@pytest.fixture
def frozen() -> Iterator[None]:
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        with time_machine.travel(NOW, tick=False):
            yield
    finally:
        if old_tz is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old_tz
        time.tzset()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "upright.db"


@pytest.fixture
def run(frozen: None, db: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `upright --db DB --catalog small.toml ARGS...`; returns (exit code, stdout, stderr)."""

    def _run(*args: str, catalog: Path | None = SMALL) -> tuple[int, str, str]:
        capsys.readouterr()
        argv = ["--db", str(db)]
        if catalog is not None:
            argv += ["--catalog", str(catalog)]
        code = main([*argv, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def export(db: Path) -> Export:
    return Store.open(db).export()


def ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert (code, err) == (0, ""), err
    return out


# --- good input ------------------------------------------------------------------------------


def test_done_undo_skip(run: Run, db: Path) -> None:
    assert ok(run("done", "bird-dog")) == "bird-dog: done on 2026-03-04\n"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert ok(run("done", "walk", "--date", "2026-03-02")) == "walk: done on 2026-03-02\n"
    assert ok(run("skip", "stand-up")) == "stand-up: skipped on 2026-03-04\n"
    rows = sorted((r["habit_id"], r["date"], r["status"]) for r in export(db)["check_in"])
    assert rows == [
        ("bird-dog", "2026-03-04", "done"),
        ("stand-up", "2026-03-04", "skipped"),
        ("walk", "2026-03-02", "done"),
    ]
    # skip replaces done on the same day
    ok(run("skip", "bird-dog"))
    assert ("bird-dog", "2026-03-04", "skipped") in {
        (r["habit_id"], r["date"], r["status"]) for r in export(db)["check_in"]
    }
    assert ok(run("undo", "bird-dog")) == "bird-dog: cleared on 2026-03-04\n"
    assert ok(run("undo", "bird-dog")) == "bird-dog: nothing to undo on 2026-03-04\n"
    assert ok(run("undo", "walk", "--date", "2026-03-02")) == "walk: cleared on 2026-03-02\n"
    rows = [(r["habit_id"], r["date"], r["status"]) for r in export(db)["check_in"]]
    assert rows == [("stand-up", "2026-03-04", "skipped")]


def test_pain_with_every_option(run: Run, db: Path) -> None:
    out = ok(
        run(
            "pain",
            "4",
            "--leg",
            "2",
            "--context",
            "evening",
            "--note",
            "after a walk",
            "--date",
            "2026-03-03",
        )
    )
    assert out == "pain 4/10 logged for 2026-03-03\n"
    ok(run("pain", "0"))
    first, second = export(db)["pain_entry"]
    assert {k: first[k] for k in ("score", "leg_score", "context", "note", "date")} == {
        "score": 4,
        "leg_score": 2,
        "context": "evening",
        "note": "after a walk",
        "date": "2026-03-03",
    }
    assert first["at"].startswith("2026-03-04T12:00:00")  # logged now, in UTC
    assert (second["score"], second["leg_score"], second["context"], second["date"]) == (
        0,
        None,
        None,
        "2026-03-04",
    )
    for context in ("morning", "during-exercise"):
        ok(run("pain", "2", "--context", context))
    assert [r["context"] for r in export(db)["pain_entry"]][2:] == ["morning", "during-exercise"]


def test_upright_db_environment_variable(
    frozen: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "env" / "mine.db"
    monkeypatch.setenv("UPRIGHT_DB", str(target))
    assert main(["pain", "3"]) == 0
    assert [r["score"] for r in export(target)["pain_entry"]] == [3]


def test_plan_add_remove(run: Run, db: Path) -> None:
    lines = ok(run("plan")).splitlines()
    marks = {line[4:].split()[0]: line[:3] for line in lines}
    assert marks == {
        "stand-up": "[x]",
        "firm-chair": "[x]",
        "bird-dog": "[x]",
        "walk": "[x]",
        "superman": "[ ]",
    }
    assert [line[4:].split()[0] for line in lines] == [
        "stand-up",
        "firm-chair",
        "bird-dog",
        "walk",
        "superman",
    ]
    assert "3 x 10, hold 5 s, each side" in lines[2]
    assert "Mon Wed Fri" in lines[4]
    assert ok(run("plan", "add", "superman")) == "superman: added to the plan\n"
    assert ok(run("plan", "add", "superman")) == "superman: already in the plan\n"
    assert ok(run("plan", "remove", "bird-dog")) == "bird-dog: removed from the plan\n"
    assert ok(run("plan", "remove", "bird-dog")) == "bird-dog: was not in the plan\n"
    marks = {line[4:].split()[0]: line[:3] for line in ok(run("plan")).splitlines()}
    assert (marks["superman"], marks["bird-dog"]) == ("[x]", "[ ]")
    periods = {(r["habit_id"], r["entered"], r["left"]) for r in export(db)["plan_period"]}
    # bird-dog entered and left on the same day: no period left for it.
    assert periods == {
        ("stand-up", "2026-03-04", None),
        ("firm-chair", "2026-03-04", None),
        ("walk", "2026-03-04", None),
        ("superman", "2026-03-04", None),
    }


def test_an_unchanged_catalog_is_not_read_again(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    first = ok(run("today", catalog=catalog))

    def must_not_load(*_args: object) -> None:
        raise AssertionError("the unchanged catalog was read again")

    monkeypatch.setattr("store.catalog.load_catalog", must_not_load)
    assert ok(run("today", catalog=catalog)) == first
    ok(run("done", "bird-dog", catalog=catalog))
    # An edited catalog is read again and its changes show at once.
    monkeypatch.undo()
    text = catalog.read_text(encoding="utf-8").replace('name = "Bird-dog"', 'name = "Bird dog"')
    assert "Bird dog" in text
    catalog.write_text(text, encoding="utf-8")
    assert "[x] Bird dog" in ok(run("today", catalog=catalog))


def test_today_text_and_json(run: Run) -> None:
    ok(run("done", "bird-dog"))
    ok(run("done", "walk"))
    lines = ok(run("today")).splitlines()
    assert len(lines) == 4  # superman is not in the plan
    assert lines[0].startswith("[ ] Stand up every 30 minutes")
    assert lines[2].startswith("[x] Bird-dog")
    assert lines[2].rstrip().endswith("3 x 10, hold 5 s, each side")
    assert lines[3].startswith("[x] Brisk walk")
    # 2026-03-04 is a Wednesday: the walk entered the plan mid-week, so (as in the
    # statistics) its weekly target starts next Monday.
    assert lines[3].rstrip().endswith("(weekly target starts next week)")
    items = json.loads(ok(run("today", "--json")))
    assert [i["id"] for i in items] == ["stand-up", "firm-chair", "bird-dog", "walk"]
    for item in items:
        assert {"id", "name", "kind", "dose", "status"} <= set(item)
    bird_dog = items[2]
    assert (bird_dog["name"], bird_dog["kind"], bird_dog["status"]) == (
        "Bird-dog",
        "strength",
        "done",
    )
    assert bird_dog["dose"] == {"sets": 3, "reps": 10, "hold_seconds": 5, "per_side": True}
    assert items[0]["status"] == "open"
    assert items[0]["dose"] == {}


def test_json_is_indented_at_a_terminal_and_compact_in_a_pipe(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = ok(run("stats", "--json"))
    assert piped.count("\n") == 1  # one line: the quick encoder, easy for `jq` and scripts
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    at_terminal = ok(run("stats", "--json"))
    assert at_terminal.startswith('{\n  "days": [')
    assert json.loads(at_terminal) == json.loads(piped)
    assert ok(run("today", "--json")).startswith('[\n  {\n    "id": ')


def test_stats_text_and_json(run: Run) -> None:
    ok(run("done", "bird-dog"))
    ok(run("pain", "3"))
    ok(run("pain", "4"))
    out = json.loads(ok(run("stats", "--json")))
    assert set(out) == {
        "days",
        "weeks",
        "habits",
        "correlation",
        "pain_change",
        "helps_weeks",
        "helps",
    }
    # Pain only today: no complete day to compare.
    assert out["pain_change"] == {
        "recent_mean": None,
        "previous_mean": None,
        "recent_days": 0,
        "previous_days": 0,
        "change": None,
        "meaningful": False,
        "direction": None,
    }
    # 12 ISO weeks ending with today's: Mon 2025-12-15 .. Wed 2026-03-04 = 80 days.
    assert len(out["days"]) == 80
    assert len(out["weeks"]) == 12
    assert out["days"][0]["date"] == "2025-12-15"
    assert out["weeks"][0]["week_start"] == "2025-12-15"
    # Today: stand-up, firm-chair and bird-dog due (the plan started today), bird-dog done.
    assert out["days"][-1] == {
        "date": "2026-03-04",
        "due": 3,
        "done": 1,
        "adherence": 1 / 3,
        "pain": 3.5,
        "complete": False,
        "note": None,
    }
    # This week: the same 3 (walk, 3 a week, entered on Wednesday, so not in the plan on
    # this week's Monday: nothing due this week); full precision.
    assert out["weeks"][-1] == {
        "week_start": "2026-03-02",
        "due": 3,
        "done": 1,
        "adherence": 1 / 3,
        "pain": 3.5,
        "complete": False,
    }
    assert out["weeks"][0]["adherence"] is None
    habits = {h["id"]: h for h in out["habits"]}
    assert set(habits) == {"stand-up", "firm-chair", "bird-dog", "walk", "superman"}
    # Strength: Loop's score after one day done, 1 - 0.5 ** (1/13).
    assert habits["bird-dog"] == {
        "id": "bird-dog",
        "done": 1,
        "due": 1,
        "current_streak": 1,
        "best_streak": 1,
        "strength": 1 - 0.5 ** (1 / 13),
    }
    assert habits["superman"]["due"] == 0
    # Today and this week are not over: they count in no correlation yet.
    assert out["correlation"] == {
        "daily_spearman": None,
        "daily_n": 0,
        "weekly_spearman": None,
        "weekly_n": 0,
    }
    text = ok(run("stats"))
    assert "2026-03-02" in text
    week_line = next(line for line in text.splitlines() if line.startswith("2026-03-02"))
    assert week_line.split() == ["2026-03-02", "1/3", "33%", "3.5", "so", "far"]
    before = next(line for line in text.splitlines() if line.startswith("2026-02-23"))
    assert "so far" not in before
    one = json.loads(ok(run("stats", "--weeks", "1", "--json")))
    assert [d["date"] for d in one["days"]] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert [w["week_start"] for w in one["weeks"]] == ["2026-03-02"]


def test_export_json_csv_and_file(run: Run, db: Path, tmp_path: Path) -> None:
    ok(run("done", "bird-dog"))
    ok(run("pain", "5", "--note", "a, comma"))
    tables = json.loads(ok(run("export")))
    assert set(tables) == TABLES
    assert tables == export(db)
    assert json.loads(ok(run("export", "--format", "json"))) == tables

    text = ok(run("export", "--format", "csv"))
    # "# table" starts each section, then CSV with a header row (none for an empty table).
    parts = re.split(r"^# (\w+)\n", text, flags=re.MULTILINE)
    assert parts[0] == ""
    sections = {
        f"# {name}": list(csv.DictReader(io.StringIO(body)))
        for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }
    assert set(sections) == {f"# {name}" for name in TABLES}
    assert [(r["habit_id"], r["date"], r["status"]) for r in sections["# check_in"]] == [
        ("bird-dog", "2026-03-04", "done")
    ]
    assert sections["# pain_entry"][0]["note"] == "a, comma"
    assert len(sections["# habit"]) == 5

    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    code, out, err = run("export", "-o", str(target))
    assert (code, out) == (0, "")
    assert str(target) in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text()) == tables
    csv_target = tmp_path / "out" / "export.csv"
    assert run("export", "--format", "csv", "-o", str(csv_target))[0] == 0
    assert stat.S_IMODE(csv_target.stat().st_mode) == 0o600
    assert csv_target.read_text().startswith("# habit\n")


def test_export_over_an_existing_file_makes_it_private(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_text("old, world-readable")
    target.chmod(0o644)
    ok(run("pain", "2"))
    code, _out, _err = run("export", "-o", str(target))
    assert code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["pain_entry"][0]["score"] == 2


def _filled(db: Path) -> None:
    """A database with rows in every table, some inserted out of primary-key order."""
    from datetime import date, timedelta

    from store.catalog import load_catalog
    from store.vocab import CheckInStatus, PainContext, SpellEnding

    store = Store.open(db)
    day = date(2026, 3, 2)
    store.sync_catalog(load_catalog(SMALL), day)
    store.set_check_in("walk", day, CheckInStatus.DONE, NOW, pain_during=3)
    store.set_check_in("bird-dog", day, CheckInStatus.SKIPPED, NOW)
    store.set_level("bird-dog", 2, day, NOW)
    store.add_pain(4, NOW, day, leg_score=2, context=PainContext.MORNING, note='a "quote", comma')
    store.add_pain(3, NOW, day)
    store.add_spell(
        NOW - timedelta(minutes=40),
        NOW,
        SpellEnding.BREAK,
        alerts=1,
        first_alert_at=NOW - timedelta(minutes=10),
    )
    store.remove_from_plan("walk", day + timedelta(days=1))
    store.set_setting("zeta", "last")
    store.set_setting("alpha", "first")
    store.set_note(day + timedelta(days=1), "later day, written first", NOW)
    store.set_note(day, 'a "quote", comma', NOW)
    store.engine.dispose()


def _export_in_a_new_process(db: Path, fmt: str, hash_seed: int) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": str(hash_seed)}
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), "export", "--format", fmt],
        env=env,
        capture_output=True,
        check=True,
    )
    return result.stdout


def test_export_is_the_same_bytes_every_run_in_declared_column_order(tmp_path: Path) -> None:
    """Two processes with different hash seeds print the same bytes; columns in the
    table's declared order (the schema's too), rows by primary key. Row keys used to
    follow the order the ORM filled the attributes in, which changes with the seed."""
    from store.queries import TABLES as MODELS
    from store.queries import columns

    db = tmp_path / "data" / "upright.db"
    _filled(db)
    declared = {model.__tablename__: columns(model) for model in MODELS}
    with sqlite3.connect(db) as conn:
        for name, names in declared.items():
            assert [row[1] for row in conn.execute(f"PRAGMA table_info({name})")] == names

    as_json = _export_in_a_new_process(db, "json", 1)
    assert _export_in_a_new_process(db, "json", 2) == as_json
    tables = json.loads(as_json)
    assert set(tables) == TABLES
    for name, rows in tables.items():
        assert rows, f"no {name} rows: the test should fill every table"
        assert all(list(row) == declared[name] for row in rows), name
    assert [row["key"] for row in tables["setting"]] == ["alpha", "zeta"]
    assert [row["date"] for row in tables["day_note"]] == ["2026-03-02", "2026-03-03"]
    ids = [row["id"] for row in tables["habit"]]
    assert ids == sorted(ids)
    assert ids != [h["id"] for h in sorted(tables["habit"], key=lambda h: h["position"])]

    as_csv = _export_in_a_new_process(db, "csv", 1)
    assert _export_in_a_new_process(db, "csv", 2) == as_csv
    sections = re.split(r"^# (\w+)\n", as_csv.decode(), flags=re.MULTILINE)
    for name, body in zip(sections[1::2], sections[2::2], strict=True):
        header = next(csv.reader(io.StringIO(body)))
        assert header == declared[name], name


def test_catalog_check(run: Run) -> None:
    out = ok(run("catalog", "check", str(SMALL), catalog=None))
    assert out.splitlines() == [
        f"ok: 5 habits from {SMALL}",
        "  1 cardio, 2 posture, 2 strength",
        "  4 in the default plan",
    ]
    # Without a path: the catalog in use (here --catalog).
    assert ok(run("catalog", "check")).startswith(f"ok: 5 habits from {SMALL}")
    # Without either: the shipped catalog.
    assert ok(run("catalog", "check", catalog=None)).startswith("ok: ")


def test_version(run: Run) -> None:
    code, out, _err = run("--version", catalog=None)
    assert code == 0
    assert out.startswith("upright, version ")


def test_help_lists_every_command(run: Run) -> None:
    out = ok(run("--help", catalog=None))
    for command in ("done", "undo", "skip", "pain", "plan", "today", "stats", "export", "catalog"):
        assert f"  {command} " in out


# --- bad input -------------------------------------------------------------------------------


def assert_one_line_error(code: int, out: str, err: str) -> str:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("upright: error: ")
    return lines[0]


@pytest.fixture
def used_db(run: Run, db: Path) -> Export:
    """A database with some history; returns its export."""
    ok(run("done", "bird-dog"))
    ok(run("skip", "walk", "--date", "2026-03-03"))
    ok(run("pain", "3", "--leg", "1"))
    ok(run("plan", "add", "superman"))
    return export(db)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("done", "nope"), "nope"),
        (("undo", "nope"), "nope"),
        (("skip", "nope"), "nope"),
        (("plan", "add", "nope"), "nope"),
        (("plan", "remove", "nope"), "nope"),
        (("pain", "11"), "11"),
        (("pain", "-1"), "-1"),
        (("pain", "three"), "three"),
        (("pain", "3", "--leg", "11"), "11"),
        (("pain", "3", "--context", "lunch"), "lunch"),
        (("done", "bird-dog", "--date", "2026-13-01"), "2026-13-01"),
        (("pain", "3", "--date", "yesterday"), "yesterday"),
        (("done", "bird-dog", "--date", "2026-03-05"), "future"),
        (("pain", "3", "--date", "2026-03-05"), "future"),
        (("stats", "--weeks", "0"), "0"),
        (("stats", "--weeks", "-3"), "-3"),
        (("frobnicate",), "frobnicate"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    run: Run, db: Path, used_db: Export, args: tuple[str, ...], words: str
) -> None:
    line = assert_one_line_error(*run(*args))
    assert words in line
    assert export(db) == used_db


def test_an_unknown_habit_with_a_new_catalog_syncs_nothing(
    run: Run, db: Path, used_db: Export, tmp_path: Path
) -> None:
    # The shipped catalog differs from the small one: a sync would add its habits and
    # archive the small one's. A refused command must not do that either.
    line = assert_one_line_error(*run("done", "nope", catalog=None))
    assert "nope" in line
    assert export(db) == used_db


def test_bad_input_on_a_fresh_machine_creates_no_database(
    run: Run, db: Path, tmp_path: Path
) -> None:
    assert_one_line_error(*run("pain", "11"))
    assert_one_line_error(*run("done", "bird-dog", "--date", "2026-13-01"))
    # The catalog is checked before the database is opened.
    assert_one_line_error(*run("done", "bird-dog", catalog=broken_catalog(tmp_path)[0]))
    assert not db.exists()


def broken_catalog(tmp_path: Path) -> tuple[Path, int]:
    text = SMALL.read_text(encoding="utf-8").replace('kind = "cardio"', 'kind = "yoga"')
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row == 'kind = "yoga"')
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path, line


@pytest.mark.parametrize(
    "args",
    [("done", "bird-dog"), ("today",), ("plan",), ("plan", "add", "superman"), ("stats", "--json")],
)
def test_broken_catalog_option(
    run: Run, db: Path, used_db: Export, tmp_path: Path, args: tuple[str, ...]
) -> None:
    path, line = broken_catalog(tmp_path)
    message = assert_one_line_error(*run(*args, catalog=path))
    assert f"{path}:{line}:" in message
    assert "'walk'" in message
    assert "'kind'" in message
    assert export(db) == used_db


def test_catalog_check_on_a_broken_file(run: Run, tmp_path: Path) -> None:
    path, line = broken_catalog(tmp_path)
    message = assert_one_line_error(*run("catalog", "check", str(path), catalog=None))
    assert f"{path}:{line}:" in message
    invalid = tmp_path / "invalid.toml"
    invalid.write_text('[[habit]]\nid = "x"\nname = \n', encoding="utf-8")
    message = assert_one_line_error(*run("catalog", "check", str(invalid), catalog=None))
    assert str(invalid) in message
    assert "line 3" in message
    missing = tmp_path / "missing.toml"
    assert str(missing) in assert_one_line_error(*run("catalog", "check", str(missing)))


def test_database_from_a_newer_upright(run: Run, db: Path, used_db: Export) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    assert "newer" in assert_one_line_error(*run("today"))
    assert "newer" in assert_one_line_error(*run("pain", "3"))
    assert db.read_bytes() == before


def test_export_to_an_unwritable_place(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "export.json"
    message = assert_one_line_error(*run("export", "-o", str(target)))
    assert str(target) in message


# --- start-up ----------------------------------------------------------------------------


def test_subcommands_do_not_import_textual(tmp_path: Path) -> None:
    db = tmp_path / "sub.db"
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "db, catalog = sys.argv[1], sys.argv[2]\n"
        "codes = [main(['--db', db, 'pain', '3']),\n"
        "         main(['--db', db, '--catalog', catalog, 'today', '--json']),\n"
        "         main(['--db', db, '--catalog', catalog, 'stats']),\n"
        "         main(['--db', db, '--catalog', catalog, 'plan'])]\n"
        "print('RESULT', codes, 'textual' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(db), str(SMALL)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "RESULT [0, 0, 0, 0] False"


def test_a_command_skips_the_shutdown_collection_with_its_write_kept(tmp_path: Path) -> None:
    """The entry point hides everything from Python's exit-time collection (tui/gc_pause.py),
    and only after the command's output is written and the database is closed."""
    db = tmp_path / "exit.db"
    code = (
        "import atexit, gc, sys\n"
        "from tui.__main__ import main\n"
        "atexit.register(lambda: print('FROZEN AT EXIT', gc.get_freeze_count() > 0))\n"
        "sys.argv = ['upright', '--db', sys.argv[1], 'pain', '6']\n"
        "sys.exit(main())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(db)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pain 6/10 logged")
    assert lines[-1] == "FROZEN AT EXIT True"
    # Closed before exit: no write-ahead log left beside the database, the score in it.
    assert not Path(f"{db}-wal").exists()
    assert [row["score"] for row in export(db)["pain_entry"]] == [6]
