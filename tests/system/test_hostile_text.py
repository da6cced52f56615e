"""Hostile text and hostile input files (issue 12, items 3 and 7).

A note is stored as typed, but escape sequences in it never reach the terminal (the
real dashboard in a pty, and the command line's CSV on stdout), markup in it shows
literally, and CSV cells that a spreadsheet would run as formulas are neutralised.
Input has limits: a FIFO or /dev/zero as a catalog is refused at once, a 130,000-
character note is refused, and one already stored shows as a single line.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.ptyapp import CATALOG, READY_TEXT, TESTS, PtyApp

ESCAPES = "\x1b]0;PWNED\x07\x1b[2J"
MARKUP = "[bold red]x[/]"
HOSTILE_NOTE = f"{MARKUP}{ESCAPES}"
# Each would be a formula (or start one) in a spreadsheet.
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def upright(
    tmp_path: Path, *args: str, catalog: Path | None = CATALOG
) -> subprocess.CompletedProcess[bytes]:
    """The real command line, in a fresh process; a hang fails (timeout) instead of hanging."""
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "UPRIGHT_DB": str(tmp_path / "data" / "upright.db"),
    }
    options = ["--catalog", str(catalog)] if catalog is not None else []
    return subprocess.run(
        [sys.executable, "-m", "tui", *options, *args],
        capture_output=True,
        env=env,
        cwd=TESTS.parent,
        timeout=20,
        check=False,
    )


def _db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "upright.db"


def _dashboard_until(app: PtyApp, text: str) -> str:
    """Past the safety note, until the pain panel shows `text`; the screen then."""
    app.wait_for_text(READY_TEXT)
    app.type(b"\r")  # close the safety note
    app.wait_for_screen(lambda screen: text in screen, text)
    return app.screen_now()


def test_escape_sequences_in_a_note_never_reach_the_terminal(tmp_path: Path) -> None:
    logged = upright(tmp_path, "pain", "4", "--note", HOSTILE_NOTE)
    assert logged.returncode == 0, logged.stderr
    # Stored as typed.
    with sqlite3.connect(_db(tmp_path)) as conn:
        assert conn.execute("SELECT note FROM pain_entry").fetchall() == [(HOSTILE_NOTE,)]

    app = PtyApp(tmp_path)
    try:
        screen = _dashboard_until(app, MARKUP)
        with app._lock:
            raw = bytes(app.output)
    finally:
        app.stop()
    assert b"\x1b]0;PWNED" not in raw
    assert b"PWNED\x07" not in raw
    # Markup literal, and escapes shown visibly as control pictures (ESC -> U+241B).
    line = next(line for line in screen.splitlines() if MARKUP in line)
    assert f"4/10 {MARKUP}\u241b]0;" in line


def test_csv_export_to_stdout_is_clean_and_neutralised(tmp_path: Path) -> None:
    notes = [*FORMULAS, HOSTILE_NOTE, "an ordinary note, with a comma"]
    for note in notes:
        assert upright(tmp_path, "pain", "3", "--note", note).returncode == 0
    exported = upright(tmp_path, "export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    assert b"\x1b" not in exported.stdout
    assert b"\x07" not in exported.stdout

    text = exported.stdout.decode()
    section = text.split("# pain_entry\n", 1)[1].split("\n\n", 1)[0]
    cells = [row["note"] for row in csv.DictReader(io.StringIO(section))]
    assert cells == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\u240dx",
        "[bold red]x[/]\u241b]0;PWNED\u2407\u241b[2J",
        "an ordinary note, with a comma",
    ]
    # Each text field is quoted, the neutralised ones included.
    assert '"\'=HYPERLINK(""http://x"")"' in section

    # JSON keeps the exact text.
    import json

    as_json = upright(tmp_path, "export")
    assert [row["note"] for row in json.loads(as_json.stdout)["pain_entry"]] == notes


def _refused_at_once(result: subprocess.CompletedProcess[bytes], started: float) -> str:
    assert time.monotonic() - started < 15
    assert result.returncode == 2, result
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_catalog_check_refuses_dev_zero(tmp_path: Path) -> None:
    started = time.monotonic()
    line = _refused_at_once(upright(tmp_path, "catalog", "check", "/dev/zero"), started)
    assert "/dev/zero: not a regular file" in line


@pytest.mark.parametrize("args", [("today",), ("catalog", "check")])
def test_a_fifo_as_catalog_is_refused_without_blocking(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    fifo = tmp_path / "exercises.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    if args == ("today",):
        result = upright(tmp_path, *args, catalog=fifo)
    else:
        result = upright(tmp_path, *args, str(fifo), catalog=None)
    assert f"{fifo}: not a regular file" in _refused_at_once(result, started)


def test_a_huge_catalog_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_bytes(CATALOG.read_bytes() + b"# " + b"x" * (5 * 1024 * 1024) + b"\n")
    started = time.monotonic()
    line = _refused_at_once(upright(tmp_path, "catalog", "check", str(huge)), started)
    assert "larger than 4 MB" in line


def test_a_huge_note_is_refused_and_one_stored_shows_as_one_line(tmp_path: Path) -> None:
    huge = "word " * 26_000  # 130,000 characters
    started = time.monotonic()
    line = _refused_at_once(upright(tmp_path, "pain", "5", "--note", huge), started)
    assert "at most 2000 characters" in line
    assert not _db(tmp_path).exists()  # refused before the database was opened

    # One stored anyway (another program, an older version): one line in the panel.
    assert upright(tmp_path, "pain", "2", "--note", "short").returncode == 0
    with sqlite3.connect(_db(tmp_path)) as conn:
        conn.execute(
            "INSERT INTO pain_entry (at, date, score, leg_score, context, note) "
            "SELECT at, date, 6, NULL, NULL, ? FROM pain_entry",
            (huge,),
        )
    app = PtyApp(tmp_path)
    try:
        screen = _dashboard_until(app, "6/10")
    finally:
        app.stop()
    lines = screen.splitlines()
    at = next(i for i, line in enumerate(lines) if "6/10" in line)
    assert "word word" in lines[at]
    assert "…" in lines[at]
    # The next line is the panel's border or another entry, not more of the note.
    assert "word" not in lines[at + 1]
