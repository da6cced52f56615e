"""The command line for fixing the record (issue 14): `pain list/edit/delete`, `note`,
`today --date`. Good input, and bad input giving one line, exit code 2 and the database
unchanged. The clock is frozen as in test_cli (Wednesday 2026-03-04 12:00 UTC)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit import test_cli
from tests.unit.test_cli import Export, Run, assert_one_line_error, export, ok

# test_cli's fixtures, by the names pytest looks them up by.
db, frozen, run = test_cli.db, test_cli.frozen, test_cli.run


@pytest.fixture
def logged(run: Run, db: Path) -> Export:
    """Two pain entries (ids 1 and 2, on Tuesday and Wednesday), a note; the export."""
    ok(
        run(
            "pain",
            "8",
            "--leg",
            "2",
            "--context",
            "morning",
            "--note",
            "typo",
            "--date",
            "2026-03-03",
        )
    )
    ok(run("pain", "5"))
    ok(run("note", "flared after gardening", "--date", "2026-03-03"))
    return export(db)


def test_pain_4_still_logs_as_before(run: Run, db: Path) -> None:
    assert ok(run("pain", "4", "--leg", "1", "--note", "n")) == "pain 4/10 logged for 2026-03-04\n"
    [row] = export(db)["pain_entry"]
    assert (row["score"], row["leg_score"], row["note"], row["date"]) == (4, 1, "n", "2026-03-04")


def test_pain_list_by_day_and_days_with_ids(run: Run, logged: Export) -> None:
    today = ok(run("pain", "list")).splitlines()
    assert len(today) == 2 and today[1].split()[:4] == ["2", "2026-03-04", "12:00", "5/10"]
    tuesday = ok(run("pain", "list", "--date", "2026-03-03")).splitlines()
    assert tuesday[1].split() == ["1", "2026-03-03", "12:00", "8/10", "leg", "2", "morning", "typo"]
    both = json.loads(ok(run("pain", "list", "--days", "2", "--json")))
    assert [
        (e["id"], e["date"], e["score"], e["leg_score"], e["context"], e["note"]) for e in both
    ] == [
        (1, "2026-03-03", 8, 2, "morning", "typo"),
        (2, "2026-03-04", 5, None, None, None),
    ]
    assert ok(run("pain", "list", "--date", "2026-03-01")) == "no pain logged on 2026-03-01\n"


def test_pain_list_shows_a_note_safely(run: Run) -> None:
    ok(run("pain", "3", "--note", "a\x1b[31mred"))
    out = ok(run("pain", "list"))
    assert "\x1b" not in out and "red" in out


def test_pain_edit_changes_only_what_is_given(run: Run, db: Path, logged: Export) -> None:
    out = ok(run("pain", "edit", "1", "--score", "3"))
    assert out.startswith("pain entry 1 changed:") and "3/10" in out
    row = export(db)["pain_entry"][0]
    assert (row["score"], row["leg_score"], row["context"], row["note"]) == (
        3,
        2,
        "morning",
        "typo",
    )
    ok(run("pain", "edit", "1", "--leg", "none", "--context", "none", "--note", ""))
    row = export(db)["pain_entry"][0]
    assert (row["score"], row["leg_score"], row["context"], row["note"]) == (3, None, None, None)
    ok(run("pain", "edit", "1", "--leg", "4", "--context", "evening", "--note", "fixed"))
    after = export(db)
    row = after["pain_entry"][0]
    assert (row["leg_score"], row["context"], row["note"]) == (4, "evening", "fixed")
    # Its day and time are its own: an edit changes neither.
    assert (row["date"], row["at"]) == (
        logged["pain_entry"][0]["date"],
        logged["pain_entry"][0]["at"],
    )
    assert after["pain_entry"][1] == logged["pain_entry"][1]


def test_pain_delete(run: Run, db: Path, logged: Export) -> None:
    assert ok(run("pain", "delete", "1")).startswith("pain entry 1 deleted:")
    assert export(db)["pain_entry"] == logged["pain_entry"][1:]


def test_notes_set_print_replace_clear(run: Run, db: Path, logged: Export) -> None:
    assert ok(run("note", "--date", "2026-03-03")) == "flared after gardening\n"
    assert ok(run("note")) == "no note on 2026-03-04\n"
    assert ok(run("note", "walked 3 km")) == "note saved for 2026-03-04\n"
    assert ok(run("note", "walked 4 km")) == "note saved for 2026-03-04\n"
    assert ok(run("note")) == "walked 4 km\n"
    assert [n["text"] for n in export(db)["day_note"]] == ["flared after gardening", "walked 4 km"]
    assert ok(run("note", "--clear")) == "note on 2026-03-04 cleared\n"
    assert ok(run("note", "--clear")) == "note on 2026-03-04 was already empty\n"
    assert export(db)["day_note"] == logged["day_note"]
    stats = json.loads(ok(run("stats", "--json", "--weeks", "1")))
    assert {d["date"]: d["note"] for d in stats["days"]} == {
        "2026-03-02": None,
        "2026-03-03": "flared after gardening",
        "2026-03-04": None,
    }


def test_a_printed_note_is_made_safe(run: Run) -> None:
    ok(run("note", "bad\x1b]0;title\x07 day"))
    out = ok(run("note"))
    assert "\x1b" not in out and "\x07" not in out and "day" in out


def test_today_for_a_past_day(run: Run) -> None:
    ok(run("done", "bird-dog", "--date", "2026-03-04"))
    ok(run("plan", "add", "superman"))
    today = json.loads(ok(run("today", "--json")))
    assert {i["id"]: i["status"] for i in today}["bird-dog"] == "done"
    # The small catalog's plan started today: on an earlier day nothing was due.
    assert json.loads(ok(run("today", "--date", "2026-03-03", "--json"))) == []
    assert ok(run("today", "--date", "2026-03-04")) == ok(run("today"))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("pain", "edit", "99", "--score", "2"), "no pain entry 99"),
        (("pain", "edit", "1", "--score", "11"), "11"),
        (("pain", "edit", "1", "--leg", "11"), "11"),
        (("pain", "edit", "1", "--context", "lunch"), "lunch"),
        (("pain", "edit", "1", "--note", "x" * 2001), "2000"),
        (("pain", "edit", "1"), "nothing to change"),
        (("pain", "edit", "one", "--score", "2"), "one"),
        (("pain", "delete", "99"), "no pain entry 99"),
        (("pain", "delete"), "ID"),
        (("pain", "list", "--date", "2026-03-05"), "future"),
        (("pain", "list", "--date", "2026-03-03", "--days", "2"), "not both"),
        (("pain", "list", "--days", "0"), "0"),
        (("pain", "11"), "11"),
        (("note", "x", "--date", "2026-03-05"), "future"),
        (("note", "--date", "2026-03-05"), "future"),
        (("note", "x" * 2001), "2000"),
        (("note", "x", "--clear"), "not both"),
        (("note", "  "), "text"),
        (("today", "--date", "2026-03-05"), "future"),
        (("today", "--date", "tomorrow"), "tomorrow"),
    ],
    ids=lambda v: " ".join(a[:12] for a in v) if isinstance(v, tuple) else None,
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    run: Run, db: Path, logged: Export, args: tuple[str, ...], words: str
) -> None:
    before = db.read_bytes()
    line = assert_one_line_error(*run(*args))
    assert words in line
    assert export(db) == logged
    assert db.read_bytes() == before
