"""`upright report` and `upright demo --fill`: the page's numbers against `upright stats
--json`, nothing loaded from outside, user text shown as text, and bad input refused
with nothing written. The browser's view of the page is tests/system/test_report_browser.py.

The clock is frozen at Wednesday 2026-03-04 12:00 UTC (TZ=UTC).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine

from store.queries import Store
from store.stats import pain_change
from tests.helpers.report_numbers import headline_numbers
from tui.cli import main
from tui.report.data import first_week_apart, period_pain_change
from tui.views import safety

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Iterator[Run]:
    """`upright ARGS...` in process, in `tmp_path`, at NOW; (exit code, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    old_tz, old_cwd = os.environ.get("TZ"), os.getcwd()
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.chdir(tmp_path)
    try:
        with time_machine.travel(NOW, tick=False):
            yield _run
    finally:
        os.chdir(old_cwd)
        if old_tz is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old_tz
        time.tzset()


def one_line_error(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert (code, out) == (2, ""), err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


@pytest.fixture
def demo_db(run: Run, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "demo.db"
    code, _out, err = run("demo", "--fill", str(path))
    assert code == 0, err
    return path


class Page(HTMLParser):
    """Every tag with its attributes, the text, and the CSS, of one HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.css: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"
        self.css.extend(v for k, v in attrs if k == "style" and v)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.css if self._in_style else self.text).append(data)


# Attributes that make a browser fetch something (xmlns only names a namespace).
FETCHING = ("src", "href", "xlink:href", "srcset", "action", "poster", "data", "formaction")
OUTSIDE = re.compile(r"^\s*(https?:|//|ftp:|file:|data:)", re.IGNORECASE)


def outside_loads(page: Page) -> list[str]:
    found = []
    for tag, attrs in page.tags:
        if tag in ("script", "link", "iframe", "object", "embed", "base", "meta") and (
            tag != "meta" or "http-equiv" in attrs
        ):
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            # A plain link in the text is fine: it is followed only when clicked.
            if name in FETCHING and value and OUTSIDE.match(value) and tag != "a":
                found.append(f"<{tag} {name}={value}>")
    for css in page.css:
        if "@import" in css:
            found.append("@import")
        found += [u for u in re.findall(r"url\(\s*([^)]*)\)", css) if not u.startswith("#")]
    return found


def test_the_page_loads_nothing_from_outside_and_shows_notes_as_text(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    notes = (
        "<script>alert('x')</script>",
        '<img src="https://example.com/x.png"> & <b>bold</b>',
        "</td></tr></table><style>@import url(https://example.com/a.css)</style>",
        "bell\x07 and \x1b[2J",
    )
    store = Store.open(demo_db)
    for index, note in enumerate(notes):
        store.add_pain(3, NOW - timedelta(hours=index + 1), NOW.date(), note=note)
        # The same texts as days' own notes, on the days before today.
        store.set_note(NOW.date() - timedelta(days=index + 1), note, NOW)
    store.engine.dispose()
    out = tmp_path / "r.html"
    code, _out, err = run("--db", str(demo_db), "report", "-o", str(out))
    assert code == 0, err
    html = out.read_text()
    page = Page(html)
    assert outside_loads(page) == []
    assert not any(tag in ("script", "img") for tag, _ in page.tags)
    text = "".join(page.text)
    for note in notes[:3]:
        assert text.count(note) == 2  # a pain note and a day note, exactly, as text
    assert "bell\u2407 and \u241b[2J" in text  # controls as their pictures, as on the dashboard
    assert "\x07" not in html and "\x1b" not in html
    # The safety note, from the words the dashboard's safety screen shows.
    assert safety.RED_FLAGS_HEADING in text
    for flag in safety.RED_FLAGS:
        assert flag in text
    assert safety.NOT_MEDICAL_ADVICE in " ".join(text.split())


def test_the_outside_check_finds_what_it_looks_for() -> None:
    """The checker above can fail: each kind of outside load is found."""
    html = (
        '<html><head><link rel="stylesheet" href="x.css"><style>@import "a.css";'
        " p { background: url(https://e.com/b.png) }</style></head><body>"
        '<img src="https://e.com/c.png"><svg><image xlink:href="//e.com/d.png"/></svg>'
        '<p style="background: url(http://e.com/e.png)">x</p><script></script>'
        '<a href="https://example.org/guideline">a source</a></body></html>'
    )
    found = outside_loads(Page(html))
    assert sorted(found) == sorted(
        [
            "<link>",
            "<img src=https://e.com/c.png>",
            "<image xlink:href=//e.com/d.png>",
            "<script>",
            "http://e.com/e.png",
            "@import",
            "https://e.com/b.png",
        ]
    )


@pytest.mark.parametrize("weeks", [12, 5])
def test_the_headline_numbers_are_upright_stats_json(
    run: Run, demo_db: Path, tmp_path: Path, weeks: int
) -> None:
    code, out, err = run("--db", str(demo_db), "stats", "--json", "--weeks", str(weeks))
    assert code == 0, err
    expected = headline_numbers(json.loads(out))
    page = tmp_path / "r.html"
    assert run("--db", str(demo_db), "report", "--weeks", str(weeks), "-o", str(page))[0] == 0
    text = " ".join("".join(Page(page.read_text()).text).split())
    for number in expected:
        assert number in text
    assert f"({weeks} weeks, to today)" in text


def test_the_period_pain_change_compares_the_first_week_with_the_last() -> None:
    today = date(2026, 3, 4)
    first = date(2026, 1, 5)
    scores: dict[date, list[int]] = {first + timedelta(days=i): [6, 7] for i in range(7)}
    scores |= {today - timedelta(days=i): [2] for i in range(1, 8)}
    scores[today] = [9]  # today is not over: left out
    change = period_pain_change(scores, first, today)
    assert (change.previous_mean, change.recent_mean) == (Fraction(13, 2), Fraction(2))
    assert change.meaningful
    # A period under two full weeks is the last 7 days against the 7 before: stats' own.
    short = period_pain_change(scores, today - timedelta(days=9), today)
    assert short == pain_change(scores, today)
    assert first_week_apart(first, today)
    assert not first_week_apart(today - timedelta(days=9), today)
    # The first period whose first week is apart from its last 7 complete days: 15 days.
    assert first_week_apart(today - timedelta(days=14), today)
    assert not first_week_apart(today - timedelta(days=13), today)


# --- the command line -------------------------------------------------------------------


def test_report_writes_a_private_page_named_for_today(run: Run, demo_db: Path) -> None:
    old = os.umask(0)
    try:
        code, out, err = run("--db", str(demo_db), "report")
    finally:
        os.umask(old)
    page = Path("upright-report-2026-03-04.html")
    assert (code, out, err) == (0, "", f"wrote {page}\n")
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_report_refuses_bad_input_and_writes_nothing(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    before = sorted(os.listdir(tmp_path))
    assert "--weeks" in one_line_error(run("--db", str(demo_db), "report", "--weeks", "0"))
    assert "--weeks" in one_line_error(run("--db", str(demo_db), "report", "--weeks", "x"))
    folder = tmp_path / "folder"
    folder.mkdir()
    assert "folder" in one_line_error(run("--db", str(demo_db), "report", "-o", str(folder)))
    missing = tmp_path / "no-such-folder" / "r.html"
    assert str(missing) in one_line_error(run("--db", str(demo_db), "report", "-o", str(missing)))
    assert sorted(os.listdir(tmp_path)) == [*before, "folder"]
    assert os.listdir(folder) == []


def test_report_refuses_an_existing_file_unless_forced(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.html"
    mine.write_text("my own notes")
    mine.chmod(0o644)
    error = one_line_error(run("--db", str(demo_db), "report", "-o", str(mine)))
    assert "exists" in error and "--force" in error
    assert mine.read_text() == "my own notes"
    assert stat.S_IMODE(mine.stat().st_mode) == 0o644
    assert run("--db", str(demo_db), "report", "-o", str(mine), "--force")[0] == 0
    assert mine.read_text().startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(mine.stat().st_mode) == 0o600


def test_demo_fill_makes_a_new_private_database_with_history(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "new" / "demo.db"
    code, out, err = run("demo", "--fill", str(path))
    assert (code, out) == (0, "") and str(path) in err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    store = Store.open(path)
    stats = store.stats(NOW.date(), 12)
    store.engine.dispose()
    assert sum(w.done for w in stats.weeks) > 100
    assert sum(1 for d in stats.days if d.pain is not None) > 50


def test_demo_fill_refuses_an_existing_file(run: Run, demo_db: Path, tmp_path: Path) -> None:
    before = demo_db.read_bytes()
    assert "exists" in one_line_error(run("demo", "--fill", str(demo_db)))
    assert demo_db.read_bytes() == before
    other = tmp_path / "notes.txt"
    other.write_text("not a database")
    assert "exists" in one_line_error(run("demo", "--fill", str(other)))
    assert other.read_text() == "not a database"
    link = tmp_path / "dangling.db"
    link.symlink_to(tmp_path / "nowhere.db")
    assert "exists" in one_line_error(run("demo", "--fill", str(link)))
    assert not (tmp_path / "nowhere.db").exists()


def test_a_one_week_report_says_what_it_compares(run: Run, demo_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert run("--db", str(demo_db), "report", "--weeks", "1", "-o", str(page))[0] == 0
    text = " ".join("".join(Page(page.read_text()).text).split())
    assert "(1 week, to today)" in text
    assert "Adherence over the last 1 week " in text
    # Too short for its first 7 days: the last 7 against the 7 before, as `stats` has it.
    assert "Mean pain, the 7 days before to last 7 full days" in text


def test_report_refuses_a_pipe_untouched(run: Run, demo_db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    for force in ((), ("--force",)):
        error = one_line_error(run("--db", str(demo_db), "report", "-o", str(fifo), *force))
        assert "not a regular file" in error
    assert stat.S_ISFIFO(fifo.stat().st_mode) and stat.S_IMODE(fifo.stat().st_mode) == 0o644


def test_report_open_hands_the_page_to_the_browser(demo_db: Path, tmp_path: Path) -> None:
    """--open goes through `webbrowser`, which runs $BROWSER: here a script noting its URL."""
    browser = tmp_path / "browser"
    browser.write_text('#!/bin/sh\nprintf %s "$1" > "$(dirname "$0")/opened"\n')
    browser.chmod(0o700)
    env = {**os.environ, "BROWSER": f"{browser} %s"}
    env.pop("DISPLAY", None)
    page = tmp_path / "r.html"
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(demo_db), "report", "-o", str(page), "--open"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parent.parent.parent,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "opened").read_text() == page.resolve().as_uri()


def test_the_exercise_table_shows_each_level_its_dose_and_the_session_ratings(
    run: Run, demo_db: Path, tmp_path: Path
) -> None:
    """The level in force today with that level's dose, and the mean session rating over
    the period, read independently from the SQLite file."""
    import sqlite3

    from store.habit_fields import Dose, ladder, levels_from_json

    code, _out, err = run("--db", str(demo_db), "level", "bird-dog", "2")
    assert code == 0, err
    out = tmp_path / "r.html"
    code, _out, err = run("--db", str(demo_db), "report", "--weeks", "4", "-o", str(out))
    assert code == 0, err
    first = NOW.date() - timedelta(days=NOW.date().weekday() + 21)
    with sqlite3.connect(demo_db) as conn:
        dose, levels = conn.execute(
            "SELECT dose, levels FROM habit WHERE id = 'bird-dog'"
        ).fetchone()
        ratings = [
            r
            for (r,) in conn.execute(
                "SELECT pain_during FROM check_in WHERE habit_id = 'bird-dog' AND date >= ?"
                " AND date <= ? AND pain_during IS NOT NULL",
                (first.isoformat(), NOW.date().isoformat()),
            )
        ]
    assert ratings, "the demo rates exercise sessions"
    second = ladder(Dose.model_validate(json.loads(dose)), levels_from_json(levels))[1]
    html = out.read_text()
    section = html[html.index('<section id="exercises">') :]
    assert '<th class="num">level</th>' in section
    assert '<th class="num">pain during</th>' in section
    row = next(r for r in section.split("<tr>") if ">Bird-dog<" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[1] == second.as_text().replace("&", "&amp;")
    assert cells[2] == "2"
    assert cells[-1] == f"{sum(ratings) / len(ratings):.1f}"
