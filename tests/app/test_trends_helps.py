"""The Trends "Does it help?" tab on a real SQLite file: the table, the sentence for the
highlighted exercise, what it says with no mornings or no exercises, and the same
numbers as `upright stats --json`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from textual.widgets import DataTable

from tests.app.test_trends import (
    LONDON,
    NOW,
    SMALL_CATALOG,
    TODAY,
    is_empty,
    make_app,
    make_empty,
    open_store,
    show_tab,
    stats_json,
    text_of,
    trends,
)
from tui.cli import main
from tui.screens.trends import NO_EXERCISES, NO_MORNINGS

pytestmark = pytest.mark.usefixtures("london")

START = TODAY - timedelta(days=21)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), LONDON) + timedelta(hours=hour)


def make_history(db_path: Path, mornings: bool = True) -> None:
    """Bird-dog in the plan for three weeks, done every other day; the morning after a
    done day 2/10, after the others 5/10, its level stepped up each week. Superman
    joined six days ago, never done."""
    make_empty(db_path)
    store = open_store(db_path)
    for habit_id in store.plan_ids():
        store.remove_from_plan(habit_id, TODAY)
    store.add_to_plan("bird-dog", START)
    store.add_to_plan("superman", TODAY - timedelta(days=6))
    for level, week in ((2, 1), (3, 2)):
        day = START + timedelta(weeks=week)
        store.set_level("bird-dog", level, day, at(day, 7))
    for offset in range(21):
        day = START + timedelta(days=offset)
        if offset % 2 == 0:
            store.set_check_in("bird-dog", day, "done", at(day, 19))
        if mornings:
            after = day + timedelta(days=1)
            store.add_pain(2 if offset % 2 == 0 else 5, at(after, 8), after, context="morning")
        # An evening entry: not a morning, whatever its score.
        store.add_pain(9, at(day, 21), day, context="evening")
    store.engine.dispose()


async def test_the_table_and_the_sentence_state_the_association(
    tmp_path: Path, db_path: Path
) -> None:
    make_history(db_path)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        await show_tab(pilot, screen, "helps")
        assert not is_empty(screen, "helps")
        table = screen.query_one("#helps-table", DataTable)
        assert table.row_count == 2
        assert [str(cell) for cell in table.get_row_at(0)] == [
            "Bird-dog",
            "3/3",
            "2.0 (11 d)",
            "5.0 (10 d)",
            "-3.0",
            "-3.0 to -3.0",
        ]
        assert [str(cell) for cell in table.get_row_at(1)][2:] == [
            "– (0 d)",
            "4.0 (3 d)",  # 5, 5 and 2: Wednesday, Friday, Monday
            "–",
            "not enough days",
        ]
        assert text_of(screen, "#helps-sentence") == (
            "Mornings after Bird-dog days averaged 3.0 lower (95% interval -3.0 to -3.0; "
            "11 vs 10 days); this shows an association, not a cause.\n"
            "Bird-dog's level (of 3): 1 from 3 Nov, 2 from 10 Nov, 3 from 17 Nov."
        )
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        assert text_of(screen, "#helps-sentence").startswith(
            "Small swallow fly: not enough days yet: 0 and 3"
        )


async def test_no_mornings_says_how_to_log_them(tmp_path: Path, db_path: Path) -> None:
    make_history(db_path, mornings=False)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        await show_tab(pilot, screen, "helps")
        assert is_empty(screen, "helps")
        assert text_of(screen, "#helps-empty") == NO_MORNINGS


async def test_no_exercises_says_how_to_add_them(tmp_path: Path, db_path: Path) -> None:
    make_empty(db_path, plan=False)
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        await show_tab(pilot, screen, "helps")
        assert is_empty(screen, "helps")
        assert text_of(screen, "#helps-empty") == NO_EXERCISES


@pytest.mark.parametrize("weeks", [4, 12])
async def test_the_screen_and_stats_json_agree(
    tmp_path: Path, db_path: Path, weeks: int, capsys: pytest.CaptureFixture[str]
) -> None:
    make_history(db_path)
    printed = stats_json(db_path, weeks, capsys)["helps"]
    app = make_app(tmp_path, db_path)
    async with trends(app) as (pilot, screen):
        if weeks != screen.weeks:
            await pilot.press("1")
            await pilot.pause(0.3)
        data = screen.data
        assert data is not None and data.weeks == weeks
        assert printed == [row.association.to_json() for row in data.helps]
        assert [row["id"] for row in printed] == ["bird-dog", "superman"]
        assert printed[0]["difference"] == -3.0 and printed[0]["enough"] is True


def test_stats_states_it_in_words_and_caps_its_range(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_history(db_path)
    assert stats_json(db_path, 520, capsys)["helps_weeks"] == 52
    with time_machine.travel(NOW, tick=False):
        assert main(["--db", str(db_path), "--catalog", str(SMALL_CATALOG), "stats"]) == 0
    out = capsys.readouterr().out
    assert "does it help? next-morning pain, last 12 weeks:\n" in out
    assert (
        "  Mornings after bird-dog days averaged 3.0 lower (95% interval -3.0 to -3.0; "
        "11 vs 10 days); this shows an association, not a cause.\n"
    ) in out
    assert "  superman: not enough days yet: 0 and 3 " in out
