"""What the stand-up timer panel shows: a snapshot of the timer, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tui.standup.timer import Phase, StandupTimer


@dataclass(frozen=True)
class TimerView:
    """A snapshot of the timer, rounded to the second so equal snapshots skip the repaint."""

    phase: Phase
    sitting_seconds: int
    limit_seconds: int
    snoozes_left: int
    idle_source: str
    alerting: bool = False
    away_since: datetime | None = None
    paused_until: datetime | None = None


def view_of(timer: StandupTimer, now: datetime, idle_source: str, alerting: bool) -> TimerView:
    """Build a TimerView from the timer's state at `now`."""
    return TimerView(
        phase=timer.phase,
        sitting_seconds=int(timer.sitting_for(now) // timedelta(seconds=1)),
        limit_seconds=int(timer.settings.limit // timedelta(seconds=1)),
        snoozes_left=timer.snoozes_left,
        idle_source=idle_source,
        alerting=alerting and timer.phase is Phase.SITTING,
        away_since=timer.away_since,
        paused_until=timer.paused_until,
    )
