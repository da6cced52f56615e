"""`upright coach`, `coach accept`, `level` and `done --pain-during`: good input, and bad
input giving one line and exit code 2 with nothing changed (the clock and the small
catalog as in test_cli.py: today is Wednesday 2026-03-04)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from store.catalog import load_catalog
from store.queries import Store
from store.vocab import CheckInStatus, PainContext
from tests.unit.test_cli import NOW, SMALL, Run, export, ok

# test_cli.py's fixtures: the frozen clock, the database path, the command runner.
from tests.unit.test_cli import db as db
from tests.unit.test_cli import frozen as frozen
from tests.unit.test_cli import run as run

TODAY = NOW.date()
LEVEL_2 = "3 x 10, hold 10 s, each side"


def comfortable_history(db: Path) -> None:
    """In the plan since February, mornings at 3 every day, and bird-dog done the last
    three days at 1/10: the coach's "progress"."""
    store = Store.open(db)
    store.sync_catalog(load_catalog(SMALL), date(2026, 2, 1))
    for back in range(29):
        day = TODAY - timedelta(days=back)
        store.add_pain(3, NOW - timedelta(days=back, hours=4), day, context=PainContext.MORNING)
    for back in (3, 2, 1):
        day = TODAY - timedelta(days=back)
        store.set_check_in("bird-dog", day, CheckInStatus.DONE, NOW, pain_during=1)
    store.engine.dispose()


def bad(result: tuple[int, str, str], message: str) -> None:
    code, out, err = result
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("upright: error: ")
    assert message in err
    assert "Traceback" not in err + out


# --- done --pain-during ---------------------------------------------------------------


def test_done_with_pain_during_stores_the_rating(run: Run, db: Path) -> None:
    out = ok(run("done", "bird-dog", "--pain-during", "4"))
    assert out == "bird-dog: done on 2026-03-04 (pain during: 4/10)\n"
    [row] = export(db)["check_in"]
    assert (row["habit_id"], row["status"], row["pain_during"]) == ("bird-dog", "done", 4)
    ok(run("done", "bird-dog", "--pain-during", "10"))
    assert export(db)["check_in"][0]["pain_during"] == 10
    [item] = [i for i in json.loads(ok(run("today", "--json"))) if i["id"] == "bird-dog"]
    assert item["pain_during"] == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("bird-dog", "--pain-during", "11"), "11 is not in the range 0<=x<=10"),
        (("bird-dog", "--pain-during", "-1"), "-1 is not in the range 0<=x<=10"),
        (("bird-dog", "--pain-during", "x"), "'x' is not a valid integer"),
        (("stand-up", "--pain-during", "2"), "'stand-up' is a posture habit"),
        (("nope", "--pain-during", "2"), "unknown habit 'nope'"),
    ],
)
def test_done_with_a_bad_rating_stores_nothing(
    run: Run, db: Path, args: tuple[str, ...], message: str
) -> None:
    ok(run("today"))  # the database exists, synced
    bad(run("done", *args), message)
    assert export(db)["check_in"] == []


# --- coach ------------------------------------------------------------------------------


def test_coach_lists_every_exercise_in_the_plan(run: Run, db: Path) -> None:
    comfortable_history(db)
    rows = json.loads(ok(run("coach", "--json")))
    assert [r["id"] for r in rows] == ["bird-dog", "walk"]
    bird, walk = rows
    assert bird == {
        "id": "bird-dog",
        "name": "Bird-dog",
        "level": 1,
        "levels": 3,
        "dose": {"sets": 3, "reps": 10, "hold_seconds": 5, "per_side": True},
        "dose_text": "3 x 10, hold 5 s, each side",
        "suggestion": "progress",
        "reason": f"3 sessions at 1/10 and steady mornings: try {LEVEL_2}",
        "next_level": 2,
        "next_dose": {"sets": 3, "reps": 10, "hold_seconds": 10, "per_side": True},
        "next_dose_text": LEVEL_2,
    }
    assert (walk["suggestion"], walk["levels"], walk["next_dose"]) == ("hold", 1, None)
    assert walk["reason"] == "no level above this one: keep 30 min"
    text = ok(run("coach"))
    assert text.splitlines()[:2] == [
        "bird-dog                 level 1/3   3 x 10, hold 5 s, each side",
        f"  progress: 3 sessions at 1/10 and steady mornings: try {LEVEL_2}",
    ]


def test_coach_accept_moves_the_level_from_today(run: Run, db: Path) -> None:
    comfortable_history(db)
    out = ok(run("coach", "accept", "bird-dog"))
    assert out == f"bird-dog: level 2 of 3 from today: {LEVEL_2}\n"
    assert [(r["habit_id"], r["level"], r["from_date"]) for r in export(db)["habit_level"]] == [
        ("bird-dog", 2, "2026-03-04")
    ]
    [item] = [i for i in json.loads(ok(run("today", "--json"))) if i["id"] == "bird-dog"]
    assert (item["level"], item["levels"], item["dose_text"]) == (2, 3, LEVEL_2)
    # Sessions at the new level start afresh: nothing more to accept yet.
    [bird] = [r for r in json.loads(ok(run("coach", "--json"))) if r["id"] == "bird-dog"]
    assert (bird["level"], bird["suggestion"]) == (2, "hold")
    bad(run("coach", "accept", "bird-dog"), "bird-dog: the suggestion is to hold")
    assert len(export(db)["habit_level"]) == 1


@pytest.mark.parametrize(
    ("habit", "message"),
    [
        ("walk", "walk: the suggestion is to hold; there is no level to change"),
        ("stand-up", "'stand-up' is not an exercise in your plan"),
        ("superman", "'superman' is not an exercise in your plan"),
        ("nope", "unknown habit 'nope'"),
    ],
)
def test_coach_accept_with_nothing_to_accept_changes_nothing(
    run: Run, db: Path, habit: str, message: str
) -> None:
    comfortable_history(db)
    bad(run("coach", "accept", habit), message)
    assert export(db)["habit_level"] == []


# --- level ------------------------------------------------------------------------------


def test_level_sets_and_resets_a_level(run: Run, db: Path) -> None:
    out = ok(run("level", "bird-dog", "3"))
    assert out == "bird-dog: level 3 of 3 from today: 3 x 12, hold 10 s, each side\n"
    [item] = [i for i in json.loads(ok(run("today", "--json"))) if i["id"] == "bird-dog"]
    assert item["level"] == 3
    assert ok(run("level", "bird-dog", "3")) == "bird-dog: already at level 3\n"
    ok(run("level", "bird-dog", "1"))
    assert export(db)["habit_level"] == []  # back to the day's start: nothing to keep


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("bird-dog", "0"), "'bird-dog' has levels 1 to 3, not 0"),
        (("bird-dog", "4"), "'bird-dog' has levels 1 to 3, not 4"),
        (("bird-dog", "-1"), "'bird-dog' has levels 1 to 3, not -1"),
        (("bird-dog", "two"), "'two' is not a whole number"),
        (("nope", "1"), "unknown habit 'nope'"),
        (("stand-up", "1"), "'stand-up' is a posture habit: it has no levels"),
    ],
)
def test_a_bad_level_changes_nothing(
    run: Run, db: Path, args: tuple[str, ...], message: str
) -> None:
    ok(run("today"))
    bad(run("level", *args), message)
    assert export(db)["habit_level"] == []


def test_today_json_shows_each_exercises_level_and_dose(run: Run) -> None:
    items = {i["id"]: i for i in json.loads(ok(run("today", "--json")))}
    assert (items["bird-dog"]["level"], items["bird-dog"]["levels"]) == (1, 3)
    assert items["bird-dog"]["dose_text"] == "3 x 10, hold 5 s, each side"
    assert "level" not in items["stand-up"]  # a posture habit has none


def test_a_session_done_before_the_change_is_not_one_at_the_new_level(run: Run, db: Path) -> None:
    comfortable_history(db)
    ok(run("done", "bird-dog", "--pain-during", "1"))
    ok(run("coach", "accept", "bird-dog"))
    [bird] = [r for r in json.loads(ok(run("coach", "--json"))) if r["id"] == "bird-dog"]
    assert bird["level"] == 2
    assert bird["reason"] == f"0 of 3 rated sessions at this level: keep {LEVEL_2}"
