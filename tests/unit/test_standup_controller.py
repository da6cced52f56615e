"""StandupController without Textual: a fake clock in, alerts and finished spells out.

The controller is driven as the app drives it (`tick()` once a second, keys,
`read_idle()` from a thread) but by hand: time moves only when the test says.
Its alerts go to a recording `Alerts`, its finished spells to a list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from store.catalog import Catalog
from store.queries import Store
from store.vocab import SpellEnding
from tests.fakes import FakeClock, FakeIdle
from tui.standup.controller import NO_IDLE_SOURCE, StandupController
from tui.standup.desktop_events import (
    SNOOZE_ACTION,
    STAND_UP_ACTION,
    ActionInvoked,
    Asleep,
    Awake,
    IdleReported,
    Locked,
)
from tui.standup.spells import (
    STANDING_MOVES,
    DroppedSpell,
    FinishedSpell,
    InterruptedSpells,
    OpenSpell,
    SpellProgress,
    Spells,
)
from tui.standup.timer import Phase, TimerSettings
from tui.views.timer import TimerView

LONDON = ZoneInfo("Europe/London")
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
SETTINGS = TimerSettings(
    limit=timedelta(minutes=30),
    remind_every=timedelta(minutes=5),
    break_length=timedelta(minutes=3),
    snooze=timedelta(minutes=5),
    max_snoozes=2,
)
ALERT = "Time to stand up"
MOVE_NAME = "Squat to stand"

pytestmark = pytest.mark.usefixtures("london")


@dataclasses.dataclass(frozen=True)
class Toast:
    message: str
    title: str
    warning: bool
    timeout: float | None


class RecordingAlerts:
    """An `Alerts` that remembers everything it was asked to show or sound."""

    def __init__(self) -> None:
        self.toasts: list[Toast] = []
        self.bells = 0
        self.desktops: list[tuple[str, str]] = []
        self.desktop_closes = 0
        self.views: list[TimerView] = []

    def toast(
        self, message: str, *, title: str = "", warning: bool = False, timeout: float | None = None
    ) -> None:
        self.toasts.append(Toast(message, title, warning, timeout))

    def bell(self) -> None:
        self.bells += 1

    def desktop(self, title: str, body: str) -> None:
        self.desktops.append((title, body))

    def desktop_close(self) -> None:
        self.desktop_closes += 1

    def show_timer(self, view: TimerView) -> None:
        self.views.append(view)

    @property
    def alert_toasts(self) -> list[Toast]:
        return [t for t in self.toasts if t.title == ALERT]


@pytest.fixture
def catalog(small_catalog: Catalog) -> Catalog:
    """The small test catalog plus one standing move (it has none of its own)."""
    assert not set(STANDING_MOVES) & small_catalog.ids
    walk = small_catalog.get("walk")
    assert walk is not None
    move = walk.model_copy(update={"id": STANDING_MOVES[1], "name": MOVE_NAME})
    return Catalog((*small_catalog.habits, move), small_catalog.sources)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TUESDAY_10AM)


class Rig:
    """A controller with its clock, alerts and saved spells."""

    def __init__(
        self, catalog: Catalog, clock: FakeClock, *, progress: bool = False, **channels: bool
    ) -> None:
        self.clock = clock
        self.alerts = RecordingAlerts()
        self.saved: list[FinishedSpell] = []
        # With `progress`, the open spell as it goes, handed every minute.
        self.progress: list[SpellProgress] = []
        self.controller = StandupController(
            SETTINGS,
            clock,
            Spells(catalog),
            self.alerts,
            self.saved.append,
            save_progress=self.progress.append if progress else None,
            progress_every=timedelta(minutes=1),
            toast=channels.get("toast", True),
            bell=channels.get("bell", True),
            desktop=channels.get("desktop", True),
        )

    def run(self, total: timedelta, step: timedelta = timedelta(seconds=30)) -> None:
        """Let `total` pass, ticking every `step` (less than a break: not a suspend)."""
        left = total
        while left > timedelta(0):
            delta = min(step, left)
            self.clock.advance(delta)
            self.controller.tick()
            left -= delta


MakeRig = Callable[..., Rig]


@pytest.fixture
def make(catalog: Catalog, clock: FakeClock) -> MakeRig:
    def make(**channels: bool) -> Rig:
        return Rig(catalog, clock, **channels)

    return make


def test_sitting_past_the_limit_alerts_on_every_channel_then_every_remind_every(
    make: MakeRig, clock: FakeClock
) -> None:
    rig = make()
    rig.run(timedelta(minutes=29, seconds=30))
    assert (rig.alerts.alert_toasts, rig.alerts.bells, rig.alerts.desktops) == ([], 0, [])

    rig.run(timedelta(seconds=30))
    [toast] = rig.alerts.alert_toasts
    assert toast.warning
    assert "sitting 30 min" in toast.message
    assert MOVE_NAME in toast.message
    assert rig.alerts.bells == 1
    [(title, body)] = rig.alerts.desktops
    assert title == ALERT
    assert "sitting 30 min" in body
    assert rig.alerts.views[-1].alerting

    # Still sitting: nothing more until remind_every has passed, then once more.
    rig.run(timedelta(minutes=4, seconds=30))
    assert (len(rig.alerts.alert_toasts), rig.alerts.bells, len(rig.alerts.desktops)) == (1, 1, 1)
    rig.run(timedelta(seconds=30))
    assert (len(rig.alerts.alert_toasts), rig.alerts.bells, len(rig.alerts.desktops)) == (2, 2, 2)
    assert "sitting 35 min" in rig.alerts.alert_toasts[-1].message
    rig.run(timedelta(minutes=5))
    assert (len(rig.alerts.alert_toasts), rig.alerts.bells, len(rig.alerts.desktops)) == (3, 3, 3)


@pytest.mark.parametrize("off", ["toast", "bell", "desktop"])
def test_each_alert_channel_sounds_only_when_it_is_on(make: MakeRig, off: str) -> None:
    rig = make(**{off: False})
    rig.run(timedelta(minutes=30))
    sounded = {
        "toast": len(rig.alerts.alert_toasts),
        "bell": rig.alerts.bells,
        "desktop": len(rig.alerts.desktops),
    }
    assert sounded == {name: 0 if name == off else 1 for name in sounded}
    # The panel shows the alert whatever the channels.
    assert rig.alerts.views[-1].alerting


def test_the_first_alert_time_and_the_alert_count_are_saved_with_the_spell(
    make: MakeRig, clock: FakeClock
) -> None:
    rig = make()
    rig.run(timedelta(minutes=31), step=timedelta(seconds=20))
    first_alert_at = TUESDAY_10AM + timedelta(minutes=30)
    rig.run(timedelta(minutes=5))
    assert len(rig.alerts.alert_toasts) == 2
    rig.controller.close()
    [spell] = rig.saved
    assert spell.first_alert_at == first_alert_at
    assert spell.alerts == 2


def test_snooze_toasts_and_counts_then_is_refused_past_the_limit(
    make: MakeRig, clock: FakeClock
) -> None:
    rig = make()
    rig.run(timedelta(minutes=30))
    assert len(rig.alerts.alert_toasts) == 1

    rig.controller.snooze()
    assert "Snoozed until 10:35 (1 of 2 used)." in rig.alerts.toasts[-1].message
    assert not rig.alerts.toasts[-1].warning
    assert not rig.alerts.views[-1].alerting
    assert rig.alerts.views[-1].snoozes_left == 1
    rig.controller.snooze()
    assert "(2 of 2 used)" in rig.alerts.toasts[-1].message

    rig.controller.snooze()
    refused = rig.alerts.toasts[-1]
    assert refused.warning
    assert "No snoozes left" in refused.message
    assert rig.alerts.views[-1].snoozes_left == 0

    rig.controller.close()
    [spell] = rig.saved
    assert spell.snoozes == 2
    assert spell.ended_by == SpellEnding.QUIT


def test_stand_up_then_a_break_ends_the_spell_as_a_break(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.run(timedelta(minutes=20))
    stood_at = clock.now()
    rig.controller.stand_up()
    assert "Enjoy the break" in rig.alerts.toasts[-1].message
    assert rig.alerts.views[-1].phase is Phase.AWAY
    rig.run(timedelta(minutes=2, seconds=30))
    assert rig.saved == []  # not a break yet: coming back now would resume the spell

    rig.run(timedelta(seconds=30))
    [spell] = rig.saved
    assert (spell.start, spell.end, spell.ended_by) == (TUESDAY_10AM, stood_at, SpellEnding.BREAK)
    assert (spell.alerts, spell.snoozes, spell.first_alert_at) == (0, 0, None)

    # Back: a new spell; quitting saves that one too, and only that one.
    rig.controller.back()
    assert "Welcome back: away 3 min" in rig.alerts.toasts[-1].message
    rig.run(timedelta(minutes=10))
    rig.controller.close()
    assert [s.ended_by for s in rig.saved] == [SpellEnding.BREAK, SpellEnding.QUIT]
    assert rig.saved[1].start == stood_at + timedelta(minutes=3)


def test_an_idle_reading_past_the_break_length_ends_the_spell_as_idle(
    make: MakeRig, clock: FakeClock
) -> None:
    rig = make()
    idle = FakeIdle(timedelta(0))
    rig.controller.use_idle_source(idle)
    rig.run(timedelta(minutes=15))
    rig.controller.read_idle()
    rig.controller.tick()
    assert rig.saved == []

    # Two minutes without input: still sitting (reading, thinking).
    idle.idle = timedelta(minutes=2)
    rig.controller.read_idle()
    rig.controller.tick()
    assert rig.saved == []

    idle.idle = timedelta(minutes=4)
    rig.controller.read_idle()
    rig.controller.tick()
    [spell] = rig.saved
    assert spell.ended_by == SpellEnding.IDLE
    assert spell.start == TUESDAY_10AM
    assert spell.end == clock.now() - timedelta(minutes=4)  # the last input
    assert rig.alerts.views[-1].phase is Phase.AWAY


def test_idle_time_counts_on_from_the_last_reading(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.controller.use_idle_source(FakeIdle(timedelta(minutes=2)))
    rig.run(timedelta(minutes=5))
    rig.controller.read_idle()
    rig.controller.tick()
    assert rig.saved == []
    # No new reading: the two idle minutes go on counting with the clock.
    rig.run(timedelta(minutes=1))
    [spell] = rig.saved
    assert spell.ended_by == SpellEnding.IDLE


def test_pause_none_pauses_until_local_midnight(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    rig.controller.pause(None)
    midnight = datetime(2026, 11, 25, 0, 0, tzinfo=LONDON)
    view = rig.alerts.views[-1]
    assert view.phase is Phase.PAUSED
    assert view.paused_until == midnight
    [spell] = rig.saved
    assert spell.ended_by == SpellEnding.PAUSE

    # No alerts while paused, however long.
    rig.run(timedelta(hours=1))
    assert rig.alerts.alert_toasts == []
    assert rig.alerts.views[-1].phase is Phase.PAUSED


def test_pause_for_minutes_ends_after_them(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    rig.controller.pause(20)
    assert rig.alerts.views[-1].paused_until == clock.now() + timedelta(minutes=20)
    rig.run(timedelta(minutes=20))
    assert rig.alerts.views[-1].phase is Phase.SITTING


def test_close_saves_the_open_spell_once_and_then_nothing_happens(
    make: MakeRig, clock: FakeClock
) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    rig.controller.close()
    [spell] = rig.saved
    assert (spell.start, spell.end, spell.ended_by) == (
        TUESDAY_10AM,
        TUESDAY_10AM + timedelta(minutes=10),
        SpellEnding.QUIT,
    )

    rig.controller.close()
    assert len(rig.saved) == 1

    shown, toasts = len(rig.alerts.views), len(rig.alerts.toasts)
    rig.run(timedelta(minutes=40))  # past the limit: no alert after closing
    rig.controller.stand_up()
    rig.controller.snooze()
    rig.controller.back()
    rig.controller.activity()
    rig.controller.pause(None)
    rig.controller.show()
    rig.controller.close()
    assert len(rig.saved) == 1
    assert (len(rig.alerts.views), len(rig.alerts.toasts)) == (shown, toasts)
    assert rig.alerts.bells == 0


def test_the_timer_view_names_the_idle_source(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    assert rig.alerts.views, "the controller shows the timer as it starts"
    assert rig.alerts.views[-1].idle_source == NO_IDLE_SOURCE == "in-app keys only"
    assert rig.alerts.views[-1].phase is Phase.SITTING

    rig.controller.use_idle_source(FakeIdle())
    assert rig.alerts.views[-1].idle_source == "fake idle"
    rig.run(timedelta(minutes=1))
    view = rig.alerts.views[-1]
    assert (view.idle_source, view.sitting_seconds, view.limit_seconds) == ("fake idle", 60, 1800)


# --- the open spell, stored as it goes (a crash loses at most a minute) ----------------


def _open(rig: Rig) -> list[OpenSpell]:
    return [p for p in rig.progress if isinstance(p, OpenSpell)]


def test_the_open_spell_is_saved_at_most_once_a_minute_and_closed_in_its_row(
    make: MakeRig, clock: FakeClock, store: Store
) -> None:
    rig = make(progress=True)
    start = clock.now()
    # First: close what a crashed run left open, not what a live one stores every minute.
    assert rig.progress == [InterruptedSpells(start - timedelta(minutes=3))]
    rig.run(timedelta(seconds=59), step=timedelta(seconds=1))
    assert _open(rig) == []  # a spell shorter than a minute is written whole at its end
    rig.run(timedelta(minutes=4), step=timedelta(seconds=1))
    ends = [(p.start, p.end) for p in _open(rig)]
    assert ends == [(start, start + timedelta(minutes=m)) for m in (1, 2, 3, 4)]
    assert len({id(p.row) for p in _open(rig)}) == 1
    rig.controller.stand_up()  # at 10:04:59
    rig.run(timedelta(minutes=4))  # the break counts: the spell ends when they stood up
    [spell] = rig.saved
    assert spell.ended_by == SpellEnding.BREAK
    assert spell.row is _open(rig)[0].row
    # While the break was pending the spell's last known time stood still: saved once.
    assert _open(rig)[-1].end == start + timedelta(minutes=4, seconds=59)
    assert len(_open(rig)) == 5
    # Stored in order, as the app's write thread does: one row, open then closed.
    for change in rig.progress:
        change.save(store)
    [row] = store.export()["sitting_spell"]
    assert (row["ended_by"], row["end"]) == (None, "2026-11-24T10:04:59Z")
    spell.save(store)
    [row] = store.export()["sitting_spell"]
    assert (row["ended_by"], row["end"]) == ("break", "2026-11-24T10:04:59Z")


def test_quit_closes_the_row_stored_so_far_with_alerts_and_snoozes(
    make: MakeRig, clock: FakeClock
) -> None:
    rig = make(progress=True)
    rig.run(timedelta(minutes=31))
    rig.controller.snooze()
    rig.run(timedelta(minutes=1))
    last = _open(rig)[-1]
    assert (last.alerts, last.snoozes, last.first_alert_at) == (
        1,
        1,
        TUESDAY_10AM + timedelta(minutes=30),
    )
    rig.controller.close()
    [spell] = rig.saved
    assert spell.ended_by == SpellEnding.QUIT
    assert spell.row is last.row


def test_an_open_spell_that_ends_where_it_started_drops_its_row(
    make: MakeRig, clock: FakeClock
) -> None:
    rig = make(progress=True)
    idle = FakeIdle(timedelta(0))
    rig.controller.use_idle_source(idle)
    rig.run(timedelta(seconds=90))
    [so_far] = _open(rig)
    # The idle source says nobody has touched anything since before the spell began.
    idle.idle = timedelta(minutes=5)
    rig.controller.read_idle()
    rig.controller.tick()
    assert rig.controller.timer.phase is Phase.AWAY
    assert rig.saved == []
    assert rig.progress[-1] == DroppedSpell(so_far.row)
    assert rig.progress[-1].row is so_far.row


def test_without_save_progress_only_finished_spells_are_handed_over(make: MakeRig) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    rig.controller.close()
    assert rig.progress == []
    [spell] = rig.saved
    assert spell.row is None


# --- what the desktop says (desktop.py's events) ------------------------------------


def phase(rig: Rig) -> Phase:
    """The timer's phase now (a call, so each check reads it afresh)."""
    return rig.controller.timer.phase


def test_an_idle_watch_ends_the_spell_at_the_last_input(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    rig.controller.desktop_event(IdleReported(SETTINGS.break_length))
    rig.controller.tick()
    [spell] = rig.saved
    assert spell.ended_by == SpellEnding.IDLE
    assert spell.end == clock.now() - SETTINGS.break_length


def test_active_readings_never_grow_into_a_break(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    below_watch = SETTINGS.break_length - timedelta(seconds=1)
    rig.controller.desktop_event(IdleReported(timedelta(0), below_watch))
    rig.run(timedelta(minutes=20))  # typing away: Mutter's idle watch never fires
    assert rig.saved == []
    assert phase(rig) is Phase.SITTING


def test_input_after_idle_is_the_user_back(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    rig.controller.desktop_event(IdleReported(SETTINGS.break_length))
    rig.run(timedelta(minutes=5))
    assert phase(rig) is Phase.AWAY
    back_at = clock.now()
    rig.controller.desktop_event(IdleReported(timedelta(0), timedelta(minutes=2)))
    rig.controller.tick()
    assert phase(rig) is Phase.SITTING
    assert rig.controller.timer.spell_start == back_at


def test_sleep_ends_the_spell_as_suspend_once(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    asleep_at = clock.now()
    rig.controller.desktop_event(Asleep())
    # The machine sleeps an hour; the first tick after waking sees the clock jump.
    clock.advance(timedelta(hours=1))
    rig.controller.desktop_event(Awake())
    rig.controller.tick()
    [spell] = rig.saved
    assert (spell.ended_by, spell.end) == (SpellEnding.SUSPEND, asleep_at)
    assert phase(rig) is Phase.AWAY


def test_a_lock_is_away_from_the_moment_of_locking(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.controller.use_idle_source(FakeIdle(timedelta(0)))
    rig.run(timedelta(minutes=10))
    locked_at = clock.now()
    rig.controller.desktop_event(Locked(True))
    rig.controller.read_idle()  # a source reading input (the password typed) changes nothing
    rig.run(timedelta(minutes=2))
    assert rig.saved == []  # a short lock is still sitting, like a short idle
    rig.run(timedelta(minutes=2))
    [spell] = rig.saved
    assert (spell.ended_by, spell.end) == (SpellEnding.IDLE, locked_at)
    rig.run(timedelta(minutes=5))
    assert phase(rig) is Phase.AWAY  # locked: nobody is back
    unlocked_at = clock.now()
    rig.controller.desktop_event(Locked(False))
    assert phase(rig) is Phase.SITTING
    assert rig.controller.timer.spell_start == unlocked_at


def test_the_notification_buttons_do_what_u_and_z_do(make: MakeRig, clock: FakeClock) -> None:
    rig = make()
    rig.run(timedelta(minutes=30))
    assert rig.alerts.desktops
    rig.controller.desktop_event(ActionInvoked(SNOOZE_ACTION))
    assert rig.controller.timer.snoozes == 1
    assert rig.alerts.desktop_closes == 0  # snoozed, not up: the next alert replaces it
    rig.controller.desktop_event(ActionInvoked("unknown"))
    assert phase(rig) is Phase.SITTING
    rig.controller.desktop_event(ActionInvoked(STAND_UP_ACTION))
    assert rig.controller.timer.break_pending
    assert rig.alerts.desktop_closes == 1  # up: the alert is taken away


def test_getting_up_closes_the_desktop_alert_only_after_one(make: MakeRig) -> None:
    rig = make()
    rig.run(timedelta(minutes=10))
    rig.controller.stand_up()
    assert rig.alerts.desktop_closes == 0  # nothing on the desktop to close
    rig.controller.back()
    rig.run(timedelta(minutes=25))
    rig.controller.desktop_event(IdleReported(SETTINGS.break_length))
    rig.controller.tick()
    assert rig.alerts.desktop_closes == 1
