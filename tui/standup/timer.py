"""The stand-up timer: how long you have been sitting, and when to stand up.

`StandupTimer` is a plain state machine. It never reads the clock: every call
gets the wall-clock time (`now`, a timezone-aware datetime) and, for `tick`,
the monotonic clock (`time.monotonic()` seconds) and the OS idle time. Each
call returns a list of events for the app to act on (save a finished spell,
show a toast, ring the bell).

Rules worth knowing when reading the events:

* All datetimes the timer returns are in UTC. Convert with `.astimezone()` for
  display. (Subtracting two datetimes that share a `ZoneInfo` ignores DST, so
  the timer does all its arithmetic in UTC and hands out UTC.)
* A spell is only saved through `SpellEnded`. A spell that turns out to have
  no length (it ended where it started) gets no `SpellEnded`; the following
  `BreakStarted` / phase change still tells the UI that it is over.
* `SpellEnded.start` is the authoritative start. It can differ from the
  earlier `SpellStarted.start` when the wall clock was set back meanwhile
  (see "Clock set back" below).

Breaks. "I'm up" (`stand_up`) starts a break that only counts once the user
has been away `break_length`. Coming back sooner resumes the same spell as if
nothing happened (the short time away counts as sitting, like a short idle),
and no spell is saved for it. Once `break_length` has passed, the spell is
saved as ended at the moment the user stood up.

Idle. With an OS idle source, `break_length` without any input ends the spell
(`SpellEnding.IDLE`) at the moment of the last input. The user counts as back
when a tick sees input in the last `BACK_WHEN_IDLE_UNDER`; the new spell starts
at that input.

Suspend. Ticks come every second or so. If the wall clock or the monotonic
clock moved `break_length` or more since the previous call, the machine was
asleep (Linux's monotonic clock stops during suspend) or the app was stopped:
the spell ends at the last moment the timer saw (`SpellEnding.SUSPEND`) and the
timer waits for the user to come back.

The machine announcing that it is about to sleep (`sleep`) ends the spell
there and then (`SpellEnding.SUSPEND`); the clock jump seen after waking then
finds the user already away and counts nothing twice.

Clock set back. When the wall clock goes backwards (NTP step, manual change),
the timer trusts the monotonic clock for how long the user has been sitting:
it shifts the open spell's start back by the same amount so that
`sitting_for` carries on without a jump, and reports `ClockWentBack`. A start
is never moved before the end of the previous spell, so saved spells never
overlap and never have negative length; if the clock went back further than
that, the current spell is under-counted rather than invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypeAlias

# The one import from the store: the words a spell can end with (no database, no Textual).
from store.vocab import SpellEnding

# Input this recent while away means the user is back.
BACK_WHEN_IDLE_UNDER = timedelta(seconds=10)
# Input this soon after "I'm up" is the key press (or mouse jiggle) that said so,
# not the user coming back.
STAND_UP_GRACE = timedelta(seconds=5)

_ZERO = timedelta(0)
# Caps a broken idle reading so that `now - idle_for` cannot overflow.
_LONGEST_IDLE = timedelta(days=366)


@dataclass(frozen=True)
class TimerSettings:
    """How long to sit before an alert, how often to repeat it, what counts as a break."""

    limit: timedelta = timedelta(minutes=30)  # alert once sitting this long
    remind_every: timedelta = timedelta(minutes=5)  # repeat the alert while still sitting
    break_length: timedelta = timedelta(minutes=3)  # away or idle this long is a real break
    snooze: timedelta = timedelta(minutes=5)
    max_snoozes: int = 3  # per spell

    def __post_init__(self) -> None:
        # Zero or negative lengths would alert on every tick or never end a break.
        for name in ("limit", "remind_every", "break_length"):
            if getattr(self, name) <= _ZERO:
                raise ValueError(f"{name} must be longer than zero")
        if self.snooze < _ZERO:
            raise ValueError("snooze must not be negative")
        if self.max_snoozes < 0:
            raise ValueError("max_snoozes must not be negative")


class Phase(StrEnum):
    """What the user is doing as far as the timer knows."""

    SITTING = "sitting"
    AWAY = "away"  # on a break, idle or suspended: waiting for the user to come back
    PAUSED = "paused"  # the user turned the timer off for a while


@dataclass(frozen=True)
class SpellStarted:
    """The user sat down (or the app started): a new spell is open."""

    start: datetime


@dataclass(frozen=True)
class SpellEnded:
    """A spell is over; save it. `end` is never before `start`."""

    start: datetime
    end: datetime
    ended_by: SpellEnding
    alerts: int
    snoozes: int

    @property
    def length(self) -> timedelta:
        """How long the spell lasted, in absolute time."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


@dataclass(frozen=True)
class StandUpAlert:
    """Time to stand up. `nth` counts alerts in this spell, from 1."""

    sitting_for: timedelta
    nth: int


@dataclass(frozen=True)
class BreakStarted:
    """The user left: stood up, went idle or the machine slept."""

    at: datetime
    reason: SpellEnding


@dataclass(frozen=True)
class BackFromBreak:
    """The user is back after being away for `away_for`.

    Followed by `SpellStarted` (the break counted) or `SpellResumed` (it was too
    short, the old spell goes on).
    """

    at: datetime
    away_for: timedelta


@dataclass(frozen=True)
class SpellResumed:
    """The break was shorter than `break_length`: the spell that started at `start` goes on."""

    start: datetime
    away_for: timedelta


@dataclass(frozen=True)
class Snoozed:
    """The next alert is put off until `until`; `snoozes` used in this spell."""

    until: datetime
    snoozes: int


@dataclass(frozen=True)
class SnoozeRefused:
    """No snoozes left in this spell; the alerts keep coming."""

    at: datetime
    snoozes: int


@dataclass(frozen=True)
class Paused:
    """The timer is off until `until` (no spells, no alerts)."""

    at: datetime
    until: datetime


@dataclass(frozen=True)
class PauseEnded:
    """The pause is over, either because `until` passed or the user said "back"."""

    at: datetime


@dataclass(frozen=True)
class ClockWentBack:
    """The wall clock was set back by `by`; the open spell's start moved with it."""

    at: datetime
    by: timedelta


Event: TypeAlias = (
    SpellStarted
    | SpellEnded
    | StandUpAlert
    | BreakStarted
    | BackFromBreak
    | SpellResumed
    | Snoozed
    | SnoozeRefused
    | Paused
    | PauseEnded
    | ClockWentBack
)


def _utc(moment: datetime) -> datetime:
    """The same instant in UTC; naive datetimes are refused (their meaning is a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the timer needs timezone-aware datetimes")
    return moment.astimezone(UTC)


class StandupTimer:
    """Counts how long the user has been sitting and says when to stand up.

    The constructor opens the first spell at `now` without announcing it, so
    that building the timer has no side effects. Call `start()` once when the
    app is ready: it returns the `SpellStarted` for that spell. (If another
    method is called first, that call's events begin with the `SpellStarted`
    instead, so no spell goes unannounced.)

    Call `tick()` every second or so; every other method takes only the wall
    clock. All of them return the events that the call caused, in order.
    """

    def __init__(self, settings: TimerSettings, now: datetime, monotonic: float) -> None:
        start = _utc(now)
        self._settings = settings
        self._phase = Phase.SITTING
        self._spell_start: datetime | None = start
        # Set while a stand-up break has not yet lasted break_length; the spell is still open.
        self._break_at: datetime | None = None
        # When the user stopped sitting (set while AWAY or PAUSED).
        self._away_since: datetime | None = None
        self._paused_until: datetime | None = None
        # End of the last closed spell: no later spell may start before it.
        self._last_end: datetime | None = None
        self._alerts = 0
        self._snoozes = 0
        # Sitting time (not wall time) at which the next alert is due, so that
        # shifting the spell start after a clock change moves the alert with it.
        self._alert_due = settings.limit
        # The last moment the timer was told about, to spot suspends and clock changes.
        self._seen_wall = start
        self._seen_monotonic: float | None = monotonic
        self._announced = False

    # -- read-only state for the UI -------------------------------------------------

    @property
    def settings(self) -> TimerSettings:
        """The settings the timer runs with."""
        return self._settings

    @property
    def phase(self) -> Phase:
        """Sitting, away or paused."""
        return self._phase

    @property
    def spell_start(self) -> datetime | None:
        """Start of the open spell (also during a break that does not count yet), else None."""
        return self._spell_start

    @property
    def break_pending(self) -> bool:
        """True while a stand-up break has not lasted `break_length` yet."""
        return self._break_at is not None

    @property
    def away_since(self) -> datetime | None:
        """When the user stopped sitting, while away or paused; else None."""
        return None if self._phase is Phase.SITTING else self._away_since

    @property
    def alerts(self) -> int:
        """Alerts given in the open spell."""
        return self._alerts

    @property
    def snoozes(self) -> int:
        """Snoozes used in the open spell."""
        return self._snoozes

    @property
    def snoozes_left(self) -> int:
        """Snoozes still allowed in the open spell."""
        return max(0, self._settings.max_snoozes - self._snoozes)

    @property
    def next_alert_at(self) -> datetime | None:
        """When the next alert is due, while sitting; else None."""
        if self._phase is not Phase.SITTING or self._spell_start is None:
            return None
        return self._spell_start + self._alert_due

    @property
    def paused_until(self) -> datetime | None:
        """When the pause ends, while paused; else None."""
        return self._paused_until if self._phase is Phase.PAUSED else None

    def sitting_for(self, now: datetime) -> timedelta:
        """How long the open spell has lasted at `now` (frozen during a pending break)."""
        if self._spell_start is None:
            return _ZERO
        if self._break_at is not None:
            return max(_ZERO, self._break_at - self._spell_start)
        if self._phase is not Phase.SITTING:
            return _ZERO
        return max(_ZERO, _utc(now) - self._spell_start)

    # -- driving the timer ------------------------------------------------------------

    def start(self, now: datetime, monotonic: float) -> list[Event]:
        """Announce the spell the constructor opened (once), then act like a tick."""
        return self.tick(now, monotonic, None)

    def tick(self, now: datetime, monotonic: float, idle_for: timedelta | None) -> list[Event]:
        """Advance to `now`. `idle_for` is the OS idle time, or None without an idle source."""
        events = self._observe(now, monotonic)
        at = _utc(now)
        idle = None if idle_for is None else min(max(idle_for, _ZERO), _LONGEST_IDLE)
        if self._phase is Phase.PAUSED:
            events += self._maybe_end_pause(at, idle)
        elif self._phase is Phase.AWAY:
            events += self._maybe_back(at, idle)
        if self._phase is Phase.SITTING and idle is not None:
            events += self._maybe_idle_away(at, idle)
        if self._phase is Phase.SITTING:
            events += self._maybe_alert(at)
        return events

    def stand_up(self, now: datetime) -> list[Event]:
        """Say "I'm up": start a break. It ends the spell only once it lasts `break_length`."""
        events = self._observe(now, None)
        if self._phase is Phase.SITTING and self._spell_start is not None:
            self._break_at = max(_utc(now), self._spell_start)
            self._phase = Phase.AWAY
            self._away_since = self._break_at
            events.append(BreakStarted(self._break_at, SpellEnding.BREAK))
        return events

    def sleep(self, now: datetime) -> list[Event]:
        """The machine is going to sleep now: the open spell ends (SUSPEND), the user is away.

        A pending break is left to run (the sleep only makes it longer).
        """
        events = self._observe(now, None)
        if self._phase is Phase.SITTING and self._spell_start is not None:
            at = _utc(now)
            events += self._end_spell(at, SpellEnding.SUSPEND)
            events.append(BreakStarted(self._away_since or at, SpellEnding.SUSPEND))
        return events

    def back(self, now: datetime) -> list[Event]:
        """Say "back": end a break or a pause; sitting starts again at `now`."""
        events = self._observe(now, None)
        at = _utc(now)
        if self._phase is Phase.AWAY:
            events += self._return(at)
        elif self._phase is Phase.PAUSED:
            self._paused_until = None
            events.append(PauseEnded(at))
            events += self._come_back(at)
        return events

    def activity(self, now: datetime) -> list[Event]:
        """Input seen inside the app (a key, focus coming back): if away, the user is back.

        Does not end a pause (the user chose it) and ignores input within
        `STAND_UP_GRACE` of leaving (the key press that said "I'm up").
        """
        events = self._observe(now, None)
        at = _utc(now)
        if (
            self._phase is Phase.AWAY
            and self._away_since is not None
            and at - self._away_since > STAND_UP_GRACE
        ):
            events += self._return(at)
        return events

    def snooze(self, now: datetime) -> list[Event]:
        """Put the next alert off until `now + snooze`, at most `max_snoozes` times a spell.

        Never raises: over the limit it returns `SnoozeRefused`; when not sitting
        there is nothing to snooze and it returns no event.
        """
        events = self._observe(now, None)
        at = _utc(now)
        if self._phase is not Phase.SITTING or self._spell_start is None:
            return events
        if self._snoozes >= self._settings.max_snoozes:
            events.append(SnoozeRefused(at, self._snoozes))
            return events
        self._snoozes += 1
        # Postpone only: a snooze never brings an alert forward.
        self._alert_due = max(self._alert_due, self.sitting_for(at) + self._settings.snooze)
        events.append(Snoozed(self._spell_start + self._alert_due, self._snoozes))
        return events

    def pause(self, now: datetime, until: datetime) -> list[Event]:
        """Turn the timer off until `until`: the open spell ends (PAUSE), no alerts.

        The first tick at or after `until` starts a new spell at that tick's time
        (or, if the idle source says nobody is there, waits for the user as if
        away). Pausing with `until` not after `now` does nothing.
        """
        events = self._observe(now, None)
        at, end_of_pause = _utc(now), _utc(until)
        if end_of_pause <= at:
            return events
        if self._phase is Phase.SITTING:
            events += self._end_spell(at, SpellEnding.PAUSE)
        elif self._break_at is not None:
            # They stood up before pausing: the spell ended then.
            counted = at - self._break_at >= self._settings.break_length
            ending = SpellEnding.BREAK if counted else SpellEnding.PAUSE
            events += self._end_spell(self._break_at, ending)
        if self._away_since is None:
            self._away_since = at
        self._phase = Phase.PAUSED
        self._paused_until = end_of_pause
        events.append(Paused(at, end_of_pause))
        return events

    def quit(self, now: datetime) -> list[Event]:
        """The app is closing: save the open spell (QUIT), or a pending break's spell (BREAK)."""
        events = self._observe(now, None)
        if self._break_at is not None:
            events += self._end_spell(self._break_at, SpellEnding.BREAK)
        elif self._phase is Phase.SITTING:
            events += self._end_spell(_utc(now), SpellEnding.QUIT)
        return events

    # -- inner workings ---------------------------------------------------------------

    def _observe(self, now: datetime, monotonic: float | None) -> list[Event]:
        """Announce the first spell, then catch up with suspends and clock changes."""
        events: list[Event] = []
        if not self._announced:
            self._announced = True
            if self._spell_start is not None:
                events.append(SpellStarted(self._spell_start))
        at = _utc(now)
        wall_gap = at - self._seen_wall
        monotonic_gap = _ZERO
        if monotonic is not None and self._seen_monotonic is not None:
            monotonic_gap = timedelta(seconds=max(0.0, monotonic - self._seen_monotonic))
        last_seen = self._seen_wall
        self._seen_wall = at
        if monotonic is not None:
            previous = self._seen_monotonic
            self._seen_monotonic = monotonic if previous is None else max(monotonic, previous)
        if max(wall_gap, monotonic_gap) >= self._settings.break_length:
            events += self._slept(last_seen)
            if monotonic is None:
                # This gap is dealt with: the next tick must not count it again.
                self._seen_monotonic = None
        if wall_gap < _ZERO:
            events += self._clock_went_back(at, wall_gap - monotonic_gap)
        return events

    def _slept(self, last_seen: datetime) -> list[Event]:
        """Nothing ran for a break's length: the user was away since `last_seen`."""
        if self._break_at is not None:
            # A pending break that spanned the gap has certainly lasted long enough.
            return self._end_spell(self._break_at, SpellEnding.BREAK)
        if self._phase is Phase.SITTING:
            events = self._end_spell(last_seen, SpellEnding.SUSPEND)
            events.append(BreakStarted(self._away_since or last_seen, SpellEnding.SUSPEND))
            return events
        return []

    def _clock_went_back(self, at: datetime, shift: timedelta) -> list[Event]:
        """Move the open spell with the wall clock so sitting time follows the monotonic clock."""
        if self._spell_start is not None:
            start = self._spell_start + shift
            if self._last_end is not None:
                start = max(start, self._last_end)
            self._spell_start = start
        if self._break_at is not None and self._spell_start is not None:
            self._break_at = max(self._break_at + shift, self._spell_start)
        if self._away_since is not None:
            self._away_since = self._away_since + shift
        return [ClockWentBack(at, -shift)]

    def _maybe_end_pause(self, at: datetime, idle: timedelta | None) -> list[Event]:
        if self._paused_until is None or at < self._paused_until:
            return []
        self._paused_until = None
        events: list[Event] = [PauseEnded(at)]
        if idle is not None and idle >= self._settings.break_length:
            # Nobody at the keyboard: wait for them rather than count an empty chair.
            self._phase = Phase.AWAY
            return events
        return events + self._open_spell(at)

    def _maybe_back(self, at: datetime, idle: timedelta | None) -> list[Event]:
        """While away: confirm a break that lasted long enough, and notice input."""
        returned_at: datetime | None = None
        if idle is not None and idle < BACK_WHEN_IDLE_UNDER and self._away_since is not None:
            last_input = at - idle
            if last_input - self._away_since > STAND_UP_GRACE:
                returned_at = last_input
        events: list[Event] = []
        if self._break_at is not None:
            break_counts_at = self._break_at + self._settings.break_length
            if returned_at is not None and returned_at < break_counts_at:
                return self._resume(returned_at)
            if at - self._break_at >= self._settings.break_length:
                events += self._end_spell(self._break_at, SpellEnding.BREAK)
        if self._break_at is None and returned_at is not None:
            events += self._come_back(returned_at)
        return events

    def _maybe_idle_away(self, at: datetime, idle: timedelta) -> list[Event]:
        if idle < self._settings.break_length:
            return []  # a short idle (reading, thinking) is still sitting
        events = self._end_spell(at - idle, SpellEnding.IDLE)
        events.append(BreakStarted(self._away_since or at, SpellEnding.IDLE))
        return events

    def _maybe_alert(self, at: datetime) -> list[Event]:
        sitting = self.sitting_for(at)
        if sitting < self._alert_due:
            return []
        self._alerts += 1
        # One alert per tick at most, and never a burst to catch up.
        self._alert_due += self._settings.remind_every
        if self._alert_due <= sitting:
            self._alert_due = sitting + self._settings.remind_every
        return [StandUpAlert(sitting, self._alerts)]

    def _return(self, at: datetime) -> list[Event]:
        """The user says (or shows) they are back while AWAY."""
        if self._break_at is None:
            return self._come_back(at)
        if at - self._break_at < self._settings.break_length:
            return self._resume(at)
        return self._end_spell(self._break_at, SpellEnding.BREAK) + self._come_back(at)

    def _resume(self, at: datetime) -> list[Event]:
        """Back before the break counted: the same spell goes on."""
        assert self._break_at is not None and self._spell_start is not None
        at = max(at, self._break_at)
        away_for = at - self._break_at
        self._break_at = None
        self._away_since = None
        self._phase = Phase.SITTING
        return [BackFromBreak(at, away_for), SpellResumed(self._spell_start, away_for)]

    def _come_back(self, at: datetime) -> list[Event]:
        """Back after a real break or a pause: a new spell starts."""
        start = at if self._last_end is None else max(at, self._last_end)
        away_for = _ZERO if self._away_since is None else max(_ZERO, start - self._away_since)
        return [BackFromBreak(start, away_for), *self._open_spell(start)]

    def _open_spell(self, at: datetime) -> list[Event]:
        start = at if self._last_end is None else max(at, self._last_end)
        self._phase = Phase.SITTING
        self._spell_start = start
        self._break_at = None
        self._away_since = None
        self._alerts = 0
        self._snoozes = 0
        self._alert_due = self._settings.limit
        return [SpellStarted(start)]

    def _end_spell(self, end: datetime, ended_by: SpellEnding) -> list[Event]:
        """Close the open spell at `end` (never before its start) and go AWAY."""
        start = self._spell_start
        assert start is not None
        end = max(end, start)
        events: list[Event] = []
        if end > start:
            events.append(SpellEnded(start, end, ended_by, self._alerts, self._snoozes))
        self._last_end = end
        self._spell_start = None
        self._break_at = None
        self._alerts = 0
        self._snoozes = 0
        self._alert_due = self._settings.limit
        self._phase = Phase.AWAY
        self._away_since = end
        return events
