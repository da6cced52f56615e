"""The real app in a pseudo-terminal, SIGKILLed while sitting: the open spell survives.

The dashboard stores the open spell as it goes; here every second instead of
every minute (`UPRIGHT_SPELL_SAVE_SECONDS`), so that the test takes seconds.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("POSIX signals and ptys", allow_module_level=True)

from store.queries import Store
from tests.helpers.ptyapp import READY_TEXT, PtyApp
from tui.standup.spells import SAVE_EVERY_ENV, STALE_AFTER_SAVES

SAVE_EVERY_S = 1.0
ENV = {SAVE_EVERY_ENV: str(SAVE_EVERY_S)}
# A save is made on the first tick (once a second) after it is due.
MOST_LOST_S = SAVE_EVERY_S + 1.0


def _length(row: tuple[str, str | None, str | None]) -> float:
    start, end, _ = row
    assert end is not None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} never happened")


def test_sigkill_while_sitting_loses_at_most_one_save_of_the_spell(tmp_path: Path) -> None:
    app = PtyApp(tmp_path, ENV)
    try:
        app.wait_for_text(READY_TEXT)
        ready = time.monotonic()  # the spell started before this
        time.sleep(6 * SAVE_EVERY_S)
        sat = time.monotonic() - ready
        app.proc.send_signal(signal.SIGKILL)
        assert app.proc.wait(timeout=15) == -signal.SIGKILL
    finally:
        app.stop()
    [left] = app.spells()
    assert left[2] is None  # left open by the crash: not a spell for the statistics yet
    assert _length(left) >= sat - MOST_LOST_S

    # The next dashboard closes it, once it is clearly not another live dashboard's.
    time.sleep(STALE_AFTER_SAVES * SAVE_EVERY_S + 0.5)
    again = PtyApp(tmp_path, ENV)
    try:
        again.wait_for_text(READY_TEXT)
        _wait_for(lambda: app.spells()[0][2] is not None, "closing the crashed run's spell")
        again.proc.send_signal(signal.SIGTERM)
        assert again.proc.wait(timeout=15) == 0
    finally:
        again.stop()
    interrupted, *later = app.spells()
    assert interrupted[2] == "interrupted"
    assert interrupted[:2] == left[:2]  # at its last known time
    assert [ended_by for _, _, ended_by in later] == ["quit"]

    # The statistics count it as sitting up to then.
    now = datetime.now().astimezone()
    assert now.tzinfo is not None
    store = Store.open(app.db)
    try:
        records = store.spells(now.date() - timedelta(days=1), now.date(), now.tzinfo)
    finally:
        store.engine.dispose()
    assert "interrupted" in [r.ended_by for r in records]


def test_two_dashboards_leave_each_others_open_spell_alone(tmp_path: Path) -> None:
    first = PtyApp(tmp_path, ENV)
    second: PtyApp | None = None
    try:
        first.wait_for_text(READY_TEXT)
        _wait_for(lambda: len(first.spells()) == 1, "the first spell stored as it goes")
        time.sleep(STALE_AFTER_SAVES * SAVE_EVERY_S + 1)
        second = PtyApp(tmp_path, ENV)
        second.wait_for_text(READY_TEXT)
        time.sleep(2 * SAVE_EVERY_S)
        assert [ended_by for _, _, ended_by in first.spells()] == [None, None]
        for app in (first, second):
            app.proc.send_signal(signal.SIGTERM)
            assert app.proc.wait(timeout=15) == 0
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert [ended_by for _, _, ended_by in first.spells()] == ["quit", "quit"]
