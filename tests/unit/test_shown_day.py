"""The day the Today screen shows: moves, the today limit, midnight, and a past day's
pain time. Pure: no clock, no terminal."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tui.shown_day import ShownDay, logged_at
from tui.undo import Change, UndoStack

TUE = date(2026, 11, 24)


def test_moves_back_and_forward_never_past_today() -> None:
    shown = ShownDay.on(TUE)
    assert not shown.is_past
    assert not shown.step(1)
    assert shown.shown == TUE
    assert shown.step(-1) and shown.step(-1)
    assert shown.shown == TUE - timedelta(days=2) and shown.is_past
    assert not shown.step(3)  # would pass today: no move at all
    assert shown.shown == TUE - timedelta(days=2)
    assert shown.step(2) and shown.shown == TUE
    shown.step(-5)
    assert shown.home() and shown.shown == TUE
    assert not shown.home()


def test_midnight_moves_today_on_and_leaves_a_past_day() -> None:
    on_today = ShownDay.on(TUE)
    assert on_today.roll_over(TUE + timedelta(days=1))
    assert on_today.shown == TUE + timedelta(days=1) and not on_today.is_past
    on_past = ShownDay.on(TUE)
    on_past.step(-1)
    assert not on_past.roll_over(TUE + timedelta(days=1))
    assert on_past.shown == TUE - timedelta(days=1) and on_past.is_past
    # The clock set back past the day shown: today again.
    back = ShownDay.on(TUE)
    back.roll_over(TUE - timedelta(days=3))
    assert back.shown == TUE - timedelta(days=3)


def test_pain_logged_on_a_past_day_is_at_its_noon() -> None:
    zone = timezone(timedelta(hours=-5))
    now = datetime(2026, 11, 24, 23, 30, tzinfo=zone)
    assert logged_at(TUE, now) == now
    at = logged_at(TUE - timedelta(days=2), now)
    assert at == datetime(2026, 11, 22, 12, 0, tzinfo=zone)


def test_undo_stack_is_newest_first_and_bounded() -> None:
    stack = UndoStack(limit=3)
    assert stack.pop() is None
    for n in range(5):
        stack.push(Change(str(n), TUE, lambda _store: None))
    assert len(stack) == 3
    assert [c.what for c in (stack.pop(), stack.pop(), stack.pop()) if c] == ["4", "3", "2"]
    assert stack.pop() is None
