"""Tests for the stand-up timer, driven by a fake clock (wall + monotonic)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.vocab import SpellEnding
from tui.standup.timer import (
    BACK_WHEN_IDLE_UNDER,
    BackFromBreak,
    BreakStarted,
    ClockWentBack,
    Event,
    Paused,
    PauseEnded,
    Phase,
    Snoozed,
    SnoozeRefused,
    SpellEnded,
    SpellResumed,
    SpellStarted,
    StandUpAlert,
    StandupTimer,
    TimerSettings,
)

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
SETTINGS = TimerSettings()  # 30 min limit, 5 min reminders, 3 min break, 5 min snooze, 3 snoozes


class FakeClock:
    """A wall clock and a monotonic clock that tests move by hand."""

    def __init__(self, start: datetime = START, zone: tzinfo = UTC) -> None:
        self.instant = start.astimezone(UTC)
        self.monotonic = 5000.0
        self.zone = zone

    @property
    def now(self) -> datetime:
        """The wall clock as the app would see it, in the clock's zone."""
        return self.instant.astimezone(self.zone)

    def advance(self, delta: timedelta) -> None:
        """Normal time passing: both clocks move together."""
        self.instant += delta
        self.monotonic += delta.total_seconds()

    def suspend(self, delta: timedelta) -> None:
        """The machine sleeps: the wall clock moves, the monotonic clock does not."""
        self.instant += delta

    def set_back(self, delta: timedelta) -> None:
        """Someone sets the wall clock back; a moment passes on the monotonic clock."""
        self.instant -= delta
        self.monotonic += 1.0


IdleReading = Callable[[FakeClock], timedelta | None]


def no_idle_source(_clock: FakeClock) -> timedelta | None:
    return None


def busy(_clock: FakeClock) -> timedelta | None:
    return timedelta(seconds=1)


def make_timer(
    clock: FakeClock, timer_settings: TimerSettings = SETTINGS
) -> tuple[StandupTimer, list[Event]]:
    timer = StandupTimer(timer_settings, clock.now, clock.monotonic)
    return timer, timer.start(clock.now, clock.monotonic)


def sit(
    timer: StandupTimer,
    clock: FakeClock,
    duration: timedelta,
    idle: IdleReading = no_idle_source,
    step: timedelta = timedelta(seconds=1),
) -> list[Event]:
    """Tick every `step` for `duration`, collecting the events."""
    events: list[Event] = []
    elapsed = timedelta(0)
    while elapsed < duration:
        clock.advance(step)
        elapsed += step
        events += timer.tick(clock.now, clock.monotonic, idle(clock))
    return events


T = TypeVar("T")


def of_type(events: list[Event], kind: type[T]) -> list[T]:
    return [event for event in events if isinstance(event, kind)]


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def phase_of(timer: StandupTimer) -> Phase:
    # Read through a call: a type checker would otherwise keep an earlier assert's narrowing.
    return timer.phase


# -- starting ----------------------------------------------------------------------------


def test_constructor_is_silent_and_start_announces_the_spell() -> None:
    clock = FakeClock()
    timer = StandupTimer(SETTINGS, clock.now, clock.monotonic)
    assert phase_of(timer) is Phase.SITTING
    assert timer.spell_start == START
    events = timer.start(clock.now, clock.monotonic)
    assert events == [SpellStarted(START)]
    assert timer.start(clock.now, clock.monotonic) == []


def test_first_call_announces_the_spell_when_start_was_not_called() -> None:
    clock = FakeClock()
    timer = StandupTimer(SETTINGS, clock.now, clock.monotonic)
    clock.advance(timedelta(seconds=1))
    events = timer.tick(clock.now, clock.monotonic, None)
    assert events == [SpellStarted(START)]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        StandupTimer(SETTINGS, datetime(2026, 5, 4, 9, 0), 0.0)


@pytest.mark.parametrize(
    "bad",
    [
        {"limit": timedelta(0)},
        {"remind_every": timedelta(seconds=-1)},
        {"break_length": timedelta(0)},
        {"snooze": timedelta(seconds=-1)},
        {"max_snoozes": -1},
    ],
)
def test_settings_refuse_impossible_values(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        TimerSettings(**bad)  # type: ignore[arg-type]


def test_sitting_for_counts_up() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(12), step=timedelta(seconds=30))
    assert timer.sitting_for(clock.now) == minutes(12)


# -- alerts ------------------------------------------------------------------------------


def test_alert_at_limit_and_not_before() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    assert timer.next_alert_at == START + minutes(30)
    before = sit(timer, clock, minutes(30) - timedelta(seconds=1))
    assert of_type(before, StandUpAlert) == []
    at_limit = sit(timer, clock, timedelta(seconds=1))
    assert at_limit == [StandUpAlert(minutes(30), 1)]
    assert timer.alerts == 1


def test_alert_repeats_every_remind_every_while_still_sitting() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    events = sit(timer, clock, minutes(46))
    alerts = of_type(events, StandUpAlert)
    assert [a.nth for a in alerts] == [1, 2, 3, 4]
    assert [a.sitting_for for a in alerts] == [minutes(30), minutes(35), minutes(40), minutes(45)]


def test_one_alert_per_tick_even_after_a_long_gap_between_ticks() -> None:
    clock = FakeClock()
    # A long break_length so that the 40-minute gap below is not a suspend.
    timer, _ = make_timer(clock, TimerSettings(break_length=minutes(60)))
    clock.advance(minutes(40))
    events = timer.tick(clock.now, clock.monotonic, None)
    assert events == [StandUpAlert(minutes(40), 1)]
    assert timer.next_alert_at == START + minutes(45)


def test_snooze_postpones_the_next_alert_and_counts() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(30))
    clock.advance(minutes(1))
    assert timer.snooze(clock.now) == [Snoozed(START + minutes(36), 1)]
    assert timer.snoozes == 1
    assert timer.snoozes_left == 2
    assert timer.next_alert_at == START + minutes(36)
    events = sit(timer, clock, minutes(5) - timedelta(seconds=1))
    assert of_type(events, StandUpAlert) == []
    assert sit(timer, clock, timedelta(seconds=1)) == [StandUpAlert(minutes(36), 2)]


def test_fourth_snooze_is_refused() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(30))
    for n in (1, 2, 3):
        assert of_type(timer.snooze(clock.now), Snoozed)[0].snoozes == n
    due = timer.next_alert_at
    assert timer.snooze(clock.now) == [SnoozeRefused(clock.now, 3)]
    assert timer.snoozes == 3
    assert timer.next_alert_at == due


def test_snooze_never_brings_an_alert_forward() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    timer.snooze(clock.now)
    assert timer.next_alert_at == START + minutes(30)


def test_snooze_while_away_does_nothing() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(31))
    timer.stand_up(clock.now)
    assert timer.snooze(clock.now) == []
    assert timer.snoozes == 0


def test_snoozes_and_alerts_start_again_with_each_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(31))
    timer.snooze(clock.now)
    events = timer.stand_up(clock.now)
    events += sit(timer, clock, minutes(4))
    events += timer.back(clock.now)
    assert of_type(events, SpellEnded)[0].snoozes == 1
    assert of_type(events, SpellEnded)[0].alerts == 1
    assert (timer.alerts, timer.snoozes, timer.snoozes_left) == (0, 0, 3)
    assert timer.next_alert_at == clock.instant + minutes(30)


# -- idle --------------------------------------------------------------------------------


def test_short_idle_keeps_the_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    events = sit(timer, clock, minutes(10), idle=lambda c: minutes(2) + timedelta(seconds=59))
    assert of_type(events, SpellEnded) == []
    assert phase_of(timer) is Phase.SITTING
    assert timer.sitting_for(clock.now) == minutes(10)


def test_long_idle_ends_the_spell_when_idle_began_then_input_starts_a_new_one() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10), idle=busy)
    left_at = clock.instant  # the last input
    events = sit(timer, clock, minutes(3), idle=lambda c: c.instant - left_at)
    assert of_type(events, SpellEnded) == [
        SpellEnded(START, left_at, SpellEnding.IDLE, alerts=0, snoozes=0)
    ]
    assert of_type(events, BreakStarted) == [BreakStarted(left_at, SpellEnding.IDLE)]
    assert phase_of(timer) is Phase.AWAY
    assert timer.away_since == left_at

    # Still away: nothing happens for a while.
    assert sit(timer, clock, minutes(20), idle=lambda c: c.instant - left_at) == []

    # A key press 2 seconds before the tick: back, and the spell starts at that key press.
    clock.advance(timedelta(seconds=1))
    key_at = clock.instant
    clock.advance(timedelta(seconds=2))
    events = timer.tick(clock.now, clock.monotonic, clock.instant - key_at)
    assert events == [BackFromBreak(key_at, key_at - left_at), SpellStarted(key_at)]
    assert phase_of(timer) is Phase.SITTING
    assert timer.spell_start == key_at


def test_idle_between_back_threshold_and_break_length_keeps_waiting() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(5), idle=lambda c: minutes(4))
    assert phase_of(timer) is Phase.AWAY
    events = sit(timer, clock, minutes(1), idle=lambda c: BACK_WHEN_IDLE_UNDER)
    assert events == []
    assert phase_of(timer) is Phase.AWAY


def test_idle_from_before_the_spell_started_gives_no_empty_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    events = sit(timer, clock, timedelta(seconds=1), idle=lambda c: minutes(10))
    assert of_type(events, SpellEnded) == []  # zero length: nothing to save
    assert of_type(events, BreakStarted) == [BreakStarted(START, SpellEnding.IDLE)]
    assert phase_of(timer) is Phase.AWAY


# -- stand-up breaks ---------------------------------------------------------------------


def test_stand_up_then_back_after_break_length_ends_spell_as_break_and_starts_new() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(31))
    up_at = clock.instant
    events = timer.stand_up(clock.now)
    assert events == [BreakStarted(up_at, SpellEnding.BREAK)]
    assert phase_of(timer) is Phase.AWAY
    assert timer.break_pending
    assert sit(timer, clock, minutes(3) - timedelta(seconds=1)) == []
    clock.advance(timedelta(seconds=1))
    events = timer.back(clock.now)
    assert events == [
        SpellEnded(START, up_at, SpellEnding.BREAK, alerts=1, snoozes=0),
        BackFromBreak(clock.instant, minutes(3)),
        SpellStarted(clock.instant),
    ]
    assert phase_of(timer) is Phase.SITTING
    assert timer.sitting_for(clock.now) == timedelta(0)


def test_a_break_is_saved_on_the_tick_when_it_has_lasted_long_enough() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(20))
    up_at = clock.instant
    timer.stand_up(clock.now)
    not_yet = sit(timer, clock, minutes(3) - timedelta(seconds=1))
    assert not_yet == []
    assert timer.sitting_for(clock.now) == minutes(20)  # frozen while away
    events = sit(timer, clock, timedelta(seconds=1))
    assert events == [SpellEnded(START, up_at, SpellEnding.BREAK, alerts=0, snoozes=0)]
    assert not timer.break_pending
    assert timer.spell_start is None
    # No alerts while away, however long.
    assert sit(timer, clock, minutes(40)) == []
    events = timer.activity(clock.now)
    assert events == [
        BackFromBreak(clock.instant, minutes(40) + minutes(3)),
        SpellStarted(clock.instant),
    ]


def test_back_too_soon_resumes_the_same_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(31))
    timer.stand_up(clock.now)
    sit(timer, clock, minutes(2))
    events = timer.back(clock.now)
    assert events == [BackFromBreak(clock.instant, minutes(2)), SpellResumed(START, minutes(2))]
    assert of_type(events, SpellEnded) == []
    assert phase_of(timer) is Phase.SITTING
    assert timer.spell_start == START
    # The short time away counts as part of the spell, and the alert count goes on.
    assert timer.sitting_for(clock.now) == minutes(33)
    assert timer.alerts == 1
    assert of_type(sit(timer, clock, minutes(2)), StandUpAlert) == [StandUpAlert(minutes(35), 2)]


def test_input_right_after_stand_up_is_the_key_press_not_a_return() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10), idle=busy)
    up_at = clock.instant
    timer.stand_up(clock.now)
    clock.advance(timedelta(seconds=2))
    assert timer.activity(clock.now) == []
    # The idle source sees a mouse nudge 3 s after the key press: still leaving, not back.
    nudge_at = up_at + timedelta(seconds=3)
    events = sit(timer, clock, timedelta(seconds=8), idle=lambda c: c.instant - nudge_at)
    assert events == []
    assert phase_of(timer) is Phase.AWAY


def test_input_seen_by_the_idle_source_before_break_length_resumes_the_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10), idle=busy)
    up_at = clock.instant
    timer.stand_up(clock.now)
    sit(timer, clock, minutes(1), idle=lambda c: c.instant - up_at)
    events = sit(timer, clock, timedelta(seconds=1), idle=busy)
    back_at = clock.instant - timedelta(seconds=1)
    assert events == [BackFromBreak(back_at, back_at - up_at), SpellResumed(START, back_at - up_at)]


def test_input_just_before_the_break_counts_resumes_even_if_the_tick_comes_later() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10), idle=busy)
    up_at = clock.instant
    timer.stand_up(clock.now)
    sit(timer, clock, minutes(3) - timedelta(seconds=5), idle=lambda c: c.instant - up_at)
    # The user touched the mouse 3 s before the break would count; the tick comes after.
    clock.advance(timedelta(seconds=5))
    events = timer.tick(clock.now, clock.monotonic, timedelta(seconds=3))
    assert of_type(events, SpellEnded) == []
    assert of_type(events, SpellResumed) == [SpellResumed(START, minutes(3) - timedelta(seconds=3))]


def test_input_after_the_break_counted_starts_a_new_spell_at_that_input() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10), idle=busy)
    up_at = clock.instant
    timer.stand_up(clock.now)
    sit(timer, clock, minutes(5), idle=lambda c: c.instant - up_at)
    clock.advance(timedelta(seconds=4))
    events = timer.tick(clock.now, clock.monotonic, timedelta(seconds=2))
    back_at = clock.instant - timedelta(seconds=2)
    assert events == [BackFromBreak(back_at, back_at - up_at), SpellStarted(back_at)]


def test_back_and_activity_while_sitting_do_nothing() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    assert timer.back(clock.now) == []
    assert timer.activity(clock.now) == []
    assert timer.spell_start == START
    assert phase_of(timer) is Phase.SITTING


def test_stand_up_while_away_does_nothing() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    timer.stand_up(clock.now)
    clock.advance(timedelta(seconds=1))
    assert timer.stand_up(clock.now) == []


# -- suspend -----------------------------------------------------------------------------


def test_two_hour_suspend_ends_the_spell_at_the_last_tick() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(20))
    last_tick = clock.instant
    clock.suspend(timedelta(hours=2))
    clock.advance(timedelta(seconds=1))
    events = timer.tick(clock.now, clock.monotonic, None)
    assert events == [
        SpellEnded(START, last_tick, SpellEnding.SUSPEND, alerts=0, snoozes=0),
        BreakStarted(last_tick, SpellEnding.SUSPEND),
    ]
    assert phase_of(timer) is Phase.AWAY
    # Without an idle source the timer waits for input in the app.
    assert sit(timer, clock, minutes(1)) == []
    events = timer.activity(clock.now)
    assert events == [
        BackFromBreak(clock.instant, clock.instant - last_tick),
        SpellStarted(clock.instant),
    ]


def test_after_a_suspend_an_active_user_starts_a_new_spell_right_away() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(20), idle=busy)
    last_tick = clock.instant
    clock.suspend(timedelta(hours=2))
    clock.advance(timedelta(seconds=1))
    events = timer.tick(clock.now, clock.monotonic, timedelta(0))
    assert events == [
        SpellEnded(START, last_tick, SpellEnding.SUSPEND, alerts=0, snoozes=0),
        BreakStarted(last_tick, SpellEnding.SUSPEND),
        BackFromBreak(clock.instant, clock.instant - last_tick),
        SpellStarted(clock.instant),
    ]


def test_a_stopped_process_is_treated_like_a_suspend() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    last_tick = clock.instant
    clock.advance(minutes(30))  # both clocks ran, but no tick came
    events = timer.tick(clock.now, clock.monotonic, None)
    assert of_type(events, SpellEnded) == [
        SpellEnded(START, last_tick, SpellEnding.SUSPEND, alerts=0, snoozes=0)
    ]


def test_key_press_after_a_stopped_process_is_not_counted_twice() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    clock.advance(minutes(30))  # stopped (Ctrl-Z): both clocks ran
    events = timer.activity(clock.now)
    assert [type(event) for event in events] == [
        SpellEnded,
        BreakStarted,
        BackFromBreak,
        SpellStarted,
    ]
    assert sit(timer, clock, timedelta(seconds=1)) == []
    assert phase_of(timer) is Phase.SITTING


def test_monotonic_gap_alone_is_a_suspend_too() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    last_tick = clock.instant
    clock.monotonic += 600.0  # wall clock was set back by as much meanwhile
    clock.instant += timedelta(seconds=1)
    events = timer.tick(clock.now, clock.monotonic, None)
    assert of_type(events, SpellEnded)[0].end == last_tick


def test_short_suspend_keeps_the_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    clock.suspend(minutes(1))
    events = sit(timer, clock, timedelta(seconds=1))
    assert events == []
    assert timer.sitting_for(clock.now) == minutes(11) + timedelta(seconds=1)


def test_key_press_after_resume_before_any_tick_still_sees_the_suspend() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    last_tick = clock.instant
    clock.suspend(timedelta(hours=1))
    events = timer.activity(clock.now)
    assert events == [
        SpellEnded(START, last_tick, SpellEnding.SUSPEND, alerts=0, snoozes=0),
        BreakStarted(last_tick, SpellEnding.SUSPEND),
        BackFromBreak(clock.instant, timedelta(hours=1)),
        SpellStarted(clock.instant),
    ]
    # The next tick does not count the same gap twice.
    assert sit(timer, clock, timedelta(seconds=1)) == []
    assert phase_of(timer) is Phase.SITTING


def test_suspend_during_a_pending_break_saves_the_break() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    up_at = clock.instant
    timer.stand_up(clock.now)
    clock.suspend(timedelta(hours=1))
    events = sit(timer, clock, timedelta(seconds=1))
    assert events == [SpellEnded(START, up_at, SpellEnding.BREAK, alerts=0, snoozes=0)]


def test_a_long_gap_on_the_monotonic_clock_alone_saves_a_pending_break() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    up_at = clock.instant
    timer.stand_up(clock.now)
    clock.monotonic += 600.0  # ten minutes passed; the wall clock was set back meanwhile
    clock.instant += timedelta(seconds=1)
    events = timer.tick(clock.now, clock.monotonic, None)
    assert events == [SpellEnded(START, up_at, SpellEnding.BREAK, alerts=0, snoozes=0)]


# -- clock set back ----------------------------------------------------------------------


def test_clock_set_back_keeps_sitting_time_and_never_goes_negative() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    clock.set_back(minutes(20))  # further back than the spell's start
    events = timer.tick(clock.now, clock.monotonic, None)
    assert events == [ClockWentBack(clock.instant, minutes(20) + timedelta(seconds=1))]
    assert timer.sitting_for(clock.now) == minutes(10) + timedelta(seconds=1)
    assert timer.spell_start == clock.instant - minutes(10) - timedelta(seconds=1)
    # The alert still comes after 30 minutes of sitting.
    alerts = of_type(sit(timer, clock, minutes(20)), StandUpAlert)
    assert alerts == [StandUpAlert(minutes(30), 1)]
    ended = of_type(timer.quit(clock.now), SpellEnded)[0]
    assert ended.end >= ended.start
    assert ended.length == minutes(30) + timedelta(seconds=1)


def test_clock_set_back_never_moves_a_spell_before_the_previous_one() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    first = of_type(timer.stand_up(clock.now) + sit(timer, clock, minutes(4)), SpellEnded)[0]
    timer.back(clock.now)
    sit(timer, clock, minutes(1))
    clock.set_back(minutes(30))
    timer.tick(clock.now, clock.monotonic, None)
    assert timer.spell_start is not None
    assert timer.spell_start >= first.end
    assert timer.sitting_for(clock.now) == timedelta(0)  # under-counted, never negative
    sit(timer, clock, minutes(40))
    second = of_type(timer.quit(clock.now), SpellEnded)[0]
    assert second.start >= first.end
    assert second.end >= second.start


def test_clock_set_back_during_a_pending_break_keeps_the_break_length_honest() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    timer.stand_up(clock.now)
    sit(timer, clock, minutes(1))
    clock.set_back(minutes(5))
    timer.tick(clock.now, clock.monotonic, None)
    # Two more minutes of real time make three minutes away: the break counts.
    events = sit(timer, clock, minutes(2))
    ended = of_type(events, SpellEnded)
    assert len(ended) == 1
    assert ended[0].ended_by is SpellEnding.BREAK
    assert ended[0].length == minutes(10)


# -- pause -------------------------------------------------------------------------------


def test_pause_ends_the_spell_and_the_first_tick_after_until_starts_a_new_one() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(20))
    paused_at = clock.instant
    until = paused_at + minutes(60)
    events = timer.pause(clock.now, until)
    assert events == [
        SpellEnded(START, paused_at, SpellEnding.PAUSE, alerts=0, snoozes=0),
        Paused(paused_at, until),
    ]
    assert phase_of(timer) is Phase.PAUSED
    assert timer.paused_until == until
    during = sit(timer, clock, minutes(60) - timedelta(seconds=1), idle=busy)
    assert during == []  # no alerts, no spells
    assert timer.activity(clock.now) == []  # the user chose the pause
    clock.advance(timedelta(seconds=3))
    events = timer.tick(clock.now, clock.monotonic, timedelta(seconds=1))
    assert events == [PauseEnded(clock.instant), SpellStarted(clock.instant)]
    assert phase_of(timer) is Phase.SITTING
    assert timer.paused_until is None


def test_pause_that_ends_with_nobody_there_waits_for_the_user() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    timer.pause(clock.now, clock.instant + minutes(10))
    events = sit(timer, clock, minutes(10), idle=lambda c: minutes(10))
    assert events == [PauseEnded(clock.instant)]
    assert phase_of(timer) is Phase.AWAY
    events = sit(timer, clock, timedelta(seconds=1), idle=busy)
    assert of_type(events, SpellStarted) == [SpellStarted(clock.instant - timedelta(seconds=1))]


def test_back_ends_a_pause_early() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(5))
    paused_at = clock.instant
    timer.pause(clock.now, clock.instant + timedelta(hours=8))
    sit(timer, clock, minutes(15))
    events = timer.back(clock.now)
    assert events == [
        PauseEnded(clock.instant),
        BackFromBreak(clock.instant, clock.instant - paused_at),
        SpellStarted(clock.instant),
    ]


def test_pause_during_a_short_pending_break_ends_the_spell_when_the_user_stood_up() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(15))
    up_at = clock.instant
    timer.stand_up(clock.now)
    clock.advance(minutes(1))
    events = timer.pause(clock.now, clock.instant + minutes(30))
    assert of_type(events, SpellEnded) == [
        SpellEnded(START, up_at, SpellEnding.PAUSE, alerts=0, snoozes=0)
    ]


def test_pause_while_away_saves_nothing_and_pausing_again_moves_until() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(10))
    timer.stand_up(clock.now)
    sit(timer, clock, minutes(4))  # the break is saved here
    away_since = timer.away_since
    first_until = clock.instant + minutes(30)
    assert timer.pause(clock.now, first_until) == [Paused(clock.instant, first_until)]
    later = clock.instant + minutes(90)
    assert timer.pause(clock.now, later) == [Paused(clock.instant, later)]
    assert timer.paused_until == later
    assert timer.away_since == away_since
    assert sit(timer, clock, minutes(60)) == []
    assert phase_of(timer) is Phase.PAUSED


def test_pause_until_the_past_does_nothing() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    assert timer.pause(clock.now, clock.now) == []
    assert phase_of(timer) is Phase.SITTING


# -- quit --------------------------------------------------------------------------------


def test_quit_closes_the_open_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(42))
    events = timer.quit(clock.now)
    assert events == [SpellEnded(START, clock.instant, SpellEnding.QUIT, alerts=3, snoozes=0)]


def test_quit_during_a_pending_break_ends_the_spell_at_the_stand_up() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(12))
    up_at = clock.instant
    timer.stand_up(clock.now)
    clock.advance(minutes(1))
    events = timer.quit(clock.now)
    assert events == [SpellEnded(START, up_at, SpellEnding.BREAK, alerts=0, snoozes=0)]


def test_quit_while_away_or_paused_saves_nothing() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    sit(timer, clock, minutes(5), idle=lambda c: minutes(4))
    assert phase_of(timer) is Phase.AWAY
    assert timer.quit(clock.now) == []


def test_quit_right_at_the_start_saves_no_empty_spell() -> None:
    clock = FakeClock()
    timer, _ = make_timer(clock)
    assert timer.quit(clock.now) == []


# -- daylight saving time ----------------------------------------------------------------


def test_sitting_for_across_spring_forward_in_berlin() -> None:
    # 2026-03-29 02:00 CET jumps to 03:00 CEST.
    clock = FakeClock(datetime(2026, 3, 29, 1, 50, tzinfo=BERLIN), zone=BERLIN)
    timer, _ = make_timer(clock)
    events = sit(timer, clock, minutes(20), step=timedelta(seconds=10))
    assert clock.now.hour == 3 and clock.now.minute == 10
    assert timer.sitting_for(clock.now) == minutes(20)
    assert of_type(events, SpellEnded) == []  # the jump is not a suspend
    alerts = of_type(sit(timer, clock, minutes(10), step=timedelta(seconds=10)), StandUpAlert)
    assert alerts == [StandUpAlert(minutes(30), 1)]
    ended = of_type(timer.quit(clock.now), SpellEnded)[0]
    assert ended.length == minutes(30)


def test_sitting_for_across_fall_back_in_berlin() -> None:
    # 2026-10-25 03:00 CEST goes back to 02:00 CET; 02:50 CEST comes before 02:10 CET.
    start = datetime(2026, 10, 25, 2, 50, tzinfo=BERLIN)
    assert start.utcoffset() == timedelta(hours=2)
    clock = FakeClock(start, zone=BERLIN)
    timer, _ = make_timer(clock)
    events = sit(timer, clock, minutes(20), step=timedelta(seconds=10))
    assert (clock.now.hour, clock.now.minute, clock.now.fold) == (2, 10, 1)
    assert timer.sitting_for(clock.now) == minutes(20)
    assert not any(isinstance(event, ClockWentBack) for event in events)
    ended = of_type(timer.quit(clock.now), SpellEnded)[0]
    assert ended.length == minutes(20)
    assert ended.end > ended.start


# -- properties --------------------------------------------------------------------------

operation = st.one_of(
    st.tuples(st.just("tick"), st.integers(1, 400), st.none() | st.integers(0, 900)),
    st.tuples(st.just("suspend"), st.integers(1, 20_000), st.none()),
    st.tuples(st.just("set_back"), st.integers(1, 7_200), st.none()),
    st.tuples(st.just("stand_up"), st.just(0), st.none()),
    st.tuples(st.just("back"), st.just(0), st.none()),
    st.tuples(st.just("activity"), st.just(0), st.none()),
    st.tuples(st.just("snooze"), st.just(0), st.none()),
    st.tuples(st.just("pause"), st.integers(1, 7_200), st.none()),
    st.tuples(st.just("quit"), st.just(0), st.none()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(operation, max_size=60))
def test_spells_are_never_negative_and_never_overlap(
    operations: list[tuple[str, int, int | None]],
) -> None:
    clock = FakeClock(zone=BERLIN)
    timer, events = make_timer(clock, TimerSettings(limit=minutes(5), remind_every=minutes(1)))
    for name, seconds, idle_seconds in operations:
        amount = timedelta(seconds=seconds)
        match name:
            case "tick":
                clock.advance(amount)
                idle = None if idle_seconds is None else timedelta(seconds=idle_seconds)
                events += timer.tick(clock.now, clock.monotonic, idle)
            case "suspend":
                clock.suspend(amount)
            case "set_back":
                clock.set_back(amount)
            case "stand_up":
                events += timer.stand_up(clock.now)
            case "back":
                events += timer.back(clock.now)
            case "activity":
                events += timer.activity(clock.now)
            case "snooze":
                events += timer.snooze(clock.now)
            case "pause":
                events += timer.pause(clock.now, clock.now + amount)
            case "quit":
                events += timer.quit(clock.now)
        assert timer.sitting_for(clock.now) >= timedelta(0)
        assert 0 <= timer.snoozes <= timer.settings.max_snoozes
        assert timer.alerts >= 0
    events += timer.quit(clock.now)

    previous_end: datetime | None = None
    alerts_in_spell = 0
    for event in events:
        match event:
            case SpellStarted():
                alerts_in_spell = 0
                if previous_end is not None:
                    assert event.start >= previous_end
            case SpellEnded():
                assert event.end >= event.start
                assert event.length > timedelta(0)
                assert event.alerts >= 0
                assert 0 <= event.snoozes <= timer.settings.max_snoozes
                if previous_end is not None:
                    assert event.start >= previous_end
                previous_end = event.end
            case StandUpAlert():
                alerts_in_spell += 1
                assert event.nth == alerts_in_spell
                assert event.sitting_for >= timer.settings.limit
            case BackFromBreak():
                assert event.away_for >= timedelta(0)
            case _:
                pass
