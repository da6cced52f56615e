"""The stand-up timer at work: the tick, idle readings, keys, alerts and spells to save.

`StandupController` drives the pure `StandupTimer` with a clock and an idle
reading, turns its events into what the user sees and hears (through an
`Alerts` object the app provides) and hands finished spells to `save_spell`
and, with `save_progress`, the open spell as it goes (see `spells.py`), so that
a crash loses at most `save_every()` of it.
It imports no Textual and no store, so tests drive it with a fake clock alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from tui.clock import Clock
from tui.standup.desktop_events import (
    SNOOZE_ACTION,
    STAND_UP_ACTION,
    ActionInvoked,
    Asleep,
    DesktopEvent,
    IdleReported,
    Locked,
)
from tui.standup.spells import (
    STALE_AFTER_SAVES,
    DroppedSpell,
    FinishedSpell,
    InterruptedSpells,
    OpenSpell,
    SpellProgress,
    SpellRow,
    Spells,
    save_every,
)
from tui.standup.timer import (
    BACK_WHEN_IDLE_UNDER,
    BackFromBreak,
    BreakStarted,
    Event,
    Paused,
    Snoozed,
    SnoozeRefused,
    SpellEnded,
    SpellStarted,
    StandUpAlert,
    StandupTimer,
    TimerSettings,
)
from tui.views.formats import duration_text
from tui.views.timer import TimerView, view_of

if TYPE_CHECKING:
    from tui.standup.idle import IdleSource

NO_IDLE_SOURCE = "in-app keys only"
_SECOND = timedelta(seconds=1)
_BACK = BACK_WHEN_IDLE_UNDER


class Alerts(Protocol):
    """Where the controller's words go: the app's toasts, bell, desktop and timer panel."""

    def toast(
        self, message: str, *, title: str = "", warning: bool = False, timeout: float | None = None
    ) -> None: ...

    def bell(self) -> None: ...

    def desktop(self, title: str, body: str) -> None: ...

    def desktop_close(self) -> None: ...

    def show_timer(self, view: TimerView) -> None: ...


class StandupController:
    """One stand-up timer, its idle source and its alerts. Call `tick()` once a second."""

    def __init__(
        self,
        settings: TimerSettings,
        clock: Clock,
        spells: Spells,
        alerts: Alerts,
        save_spell: Callable[[FinishedSpell], None],
        *,
        save_progress: Callable[[SpellProgress], None] | None = None,
        progress_every: timedelta | None = None,
        toast: bool = True,
        bell: bool = True,
        desktop: bool = True,
    ) -> None:
        self.clock = clock
        self.spells = spells
        self.alerts = alerts
        self.save_spell = save_spell
        # Without `save_progress` spells are stored only when they end.
        self.save_progress = save_progress
        self.progress_every = progress_every or save_every()
        # The open spell's row, once it has been handed to `save_progress`; the
        # monotonic time its next save is due; what was saved last.
        self._row: SpellRow | None = None
        self._progress_due: float | None = None
        self._progress_saved: OpenSpell | None = None
        self.channels = (toast, bell, desktop)
        now = clock.now()
        if save_progress is not None:
            # Spells a crashed run left open; a live dashboard's are newer than this.
            save_progress(InterruptedSpells(now - STALE_AFTER_SAVES * self.progress_every))
        self.timer = StandupTimer(settings, now, clock.monotonic())
        self.idle_source: IdleSource | None = None
        # The last idle reading, the monotonic time it was taken, and the most it can
        # grow to before the next (None: no limit).
        self._idle_reading: tuple[timedelta, float, timedelta | None] | None = None
        # While the session is locked the user is away, whatever a reading says.
        self.locked = False
        self.alerting = False
        # A desktop notification of this alert is on screen (to take away on getting up).
        self._desktop_alerted = False
        self.closed = False
        self._handle(self.timer.start(now, clock.monotonic()), now)

    # --- time passing ---------------------------------------------------------------

    def tick(self) -> None:
        """Advance the timer to now; idle time counts on from the last reading."""
        if self.closed:
            return
        now = self.clock.now()
        monotonic = self.clock.monotonic()
        idle = None
        if self._idle_reading is not None:
            reading, read_at, most = self._idle_reading
            idle = reading + timedelta(seconds=max(0.0, monotonic - read_at))
            if most is not None:
                idle = min(idle, most)
            if self.locked:
                # Away while locked: the input that locked it is not the user coming back.
                idle = max(idle, _BACK)
        self._handle(self.timer.tick(now, monotonic, idle), now)

    def use_idle_source(self, source: IdleSource) -> None:
        self.idle_source = source
        self.show()

    def read_idle(self) -> None:
        """Read the desktop's idle time. Blocking (it may run a subprocess): call it in a thread."""
        if self.idle_source is None:
            return
        reading = self.idle_source.idle_for()
        if not self.locked:
            self._idle_reading = (
                None if reading is None else (reading, self.clock.monotonic(), None)
            )

    # --- what the desktop says (see desktop.py) ---------------------------------------

    def desktop_event(self, event: DesktopEvent) -> None:
        """Act on news from the desktop: idle, sleep, lock, a notification's button."""
        if self.closed:
            return
        if isinstance(event, IdleReported):
            if not self.locked:
                self._idle_reading = (event.idle, self.clock.monotonic(), event.most)
        elif isinstance(event, Asleep):
            self._drive(lambda timer, now: timer.sleep(now))
        elif isinstance(event, Locked):
            self._lock(event.locked)
        elif isinstance(event, ActionInvoked):
            if event.action == STAND_UP_ACTION:
                self.stand_up()
            elif event.action == SNOOZE_ACTION:
                self.snooze()

    def _lock(self, locked: bool) -> None:
        """A locked session is an idle one from the moment of locking; unlocking is input."""
        if locked == self.locked:
            return
        self.locked = locked
        # Unlocked: input now, and (as far as we know) less idle than a break since.
        most = None if locked else max(self.timer.settings.break_length - _SECOND, _BACK)
        self._idle_reading = (timedelta(0), self.clock.monotonic(), most)
        self.tick()

    # --- the user's keys --------------------------------------------------------------

    def _drive(self, call: Callable[[StandupTimer, datetime], list[Event]]) -> None:
        if self.closed:
            return
        now = self.clock.now()
        self._handle(call(self.timer, now), now)

    def activity(self) -> None:
        """A key or focus in the app: the user is at the keyboard."""
        self._drive(lambda timer, now: timer.activity(now))

    def stand_up(self) -> None:
        self._drive(lambda timer, now: timer.stand_up(now))
        if not self.closed:
            self.alerts.toast("Enjoy the break. Press b when you are back.")

    def back(self) -> None:
        self._drive(lambda timer, now: timer.back(now))

    def snooze(self) -> None:
        self._drive(lambda timer, now: timer.snooze(now))

    def pause(self, minutes: int | None) -> None:
        """Pause for `minutes`, or (None) until tomorrow."""
        now = self.clock.now()
        if minutes is None:
            tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0, 0))
            until = tomorrow.replace(tzinfo=now.tzinfo)
        else:
            until = now + timedelta(minutes=minutes)
        self._drive(lambda timer, now: timer.pause(now, until))

    def close(self) -> None:
        """End the open spell and save it (quit, SIGTERM, SIGHUP). Later calls do nothing."""
        if self.closed:
            return
        now = self.clock.now()
        self._store(self.timer.quit(now), now)
        self.closed = True

    # --- what the user sees -----------------------------------------------------------

    @property
    def view(self) -> TimerView:
        source = self.idle_source.name if self.idle_source else NO_IDLE_SOURCE
        return view_of(self.timer, self.clock.now(), source, self.alerting)

    def show(self) -> None:
        if not self.closed:
            self.alerts.show_timer(self.view)

    def _store(self, events: list[Event], now: datetime) -> None:
        """Hand over the spells these events end, then the open spell if it is time."""
        for spell in self.spells.finished(events, now):
            # The first spell to end is the one that was open: it closes its row.
            self.save_spell(dataclasses.replace(spell, row=self._row))
            self._forget_row()
        if self.save_progress is None:
            return
        if self._row is not None and (
            self.timer.spell_start is None or any(isinstance(e, SpellStarted) for e in events)
        ):
            # It ended where it started (no SpellEnded): its row must not stay open.
            self.save_progress(DroppedSpell(self._row))
            self._forget_row()
        start = self.timer.spell_start
        if start is None:
            self._progress_due = None
            return
        monotonic = self.clock.monotonic()
        if self._progress_due is None:
            # A spell shorter than one interval is written whole when it ends.
            self._progress_due = monotonic + self.progress_every.total_seconds()
            return
        if monotonic < self._progress_due:
            return
        self._progress_due = monotonic + self.progress_every.total_seconds()
        if self._row is None:
            self._row = SpellRow()
        so_far = OpenSpell(
            self._row,
            start,
            start + self.timer.sitting_for(now),  # frozen during a pending break
            self.timer.alerts,
            self.timer.snoozes,
            self.spells.first_alert_at,
        )
        if so_far != self._progress_saved:
            self._progress_saved = so_far
            self.save_progress(so_far)

    def _forget_row(self) -> None:
        self._row = None
        self._progress_due = None
        self._progress_saved = None

    def _handle(self, events: list[Event], now: datetime) -> None:
        self._store(events, now)
        for event in events:
            if isinstance(event, StandUpAlert):
                self.alerting = True
                self._alert(event.sitting_for)
            elif isinstance(event, SpellEnded | SpellStarted | Snoozed | Paused | BreakStarted):
                self.alerting = False
                if self._desktop_alerted and not isinstance(event, Snoozed):
                    # Up (or away, or paused): the alert on the desktop is done with.
                    self._desktop_alerted = False
                    self.alerts.desktop_close()
            if isinstance(event, Snoozed):
                self.alerts.toast(
                    f"Snoozed until {event.until.astimezone():%H:%M} "
                    f"({event.snoozes} of {self.timer.settings.max_snoozes} used)."
                )
            elif isinstance(event, SnoozeRefused):
                self.alerts.toast("No snoozes left for this spell: time to stand up.", warning=True)
            elif isinstance(event, BackFromBreak):
                self.alerts.toast(f"Welcome back: away {duration_text(event.away_for)}.")
        self.show()

    def _alert(self, sitting_for: timedelta) -> None:
        """Toast, bell and desktop notification, each as the config allows."""
        minutes = int(sitting_for.total_seconds() // 60)
        body = f"You have been sitting {minutes} min."
        move = self.spells.suggest_move()
        if move is not None:
            dose = move.dose.as_text()
            body += f" Try: {move.name}" + (f" ({dose})" if dose else "") + "."
        toast, bell, desktop = self.channels
        if toast:
            self.alerts.toast(body, title="Time to stand up", warning=True, timeout=20)
        if bell:
            self.alerts.bell()
        if desktop:
            self._desktop_alerted = True
            self.alerts.desktop("Time to stand up", body)
