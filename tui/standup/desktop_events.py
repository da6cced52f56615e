"""What the desktop tells the stand-up timer: plain events, no bus and no Textual.

`desktop.py` turns D-Bus signals into these; `StandupController.desktop_event`
acts on them on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# The keys of a stand-up notification's buttons, as ActionInvoked sends them back:
# they do what the keys `u` and `z` do.
STAND_UP_ACTION = "stand-up"
SNOOZE_ACTION = "snooze"


@dataclass(frozen=True)
class IdleReported:
    """The idle time now, and the most it can have grown to before the next report.

    `most` is None when it grows until told otherwise (no input since).
    """

    idle: timedelta
    most: timedelta | None = None


@dataclass(frozen=True)
class Asleep:
    """The machine is about to sleep (logind's PrepareForSleep(true))."""


@dataclass(frozen=True)
class Awake:
    """The machine woke up (PrepareForSleep(false))."""


@dataclass(frozen=True)
class Locked:
    """The session was locked (True) or unlocked (False)."""

    locked: bool


@dataclass(frozen=True)
class ActionInvoked:
    """A button on our stand-up notification was pressed: STAND_UP_ACTION or SNOOZE_ACTION."""

    action: str


DesktopEvent = IdleReported | Asleep | Awake | Locked | ActionInvoked
