"""The stand-up timer panel: how long you have sat, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from textual.reactive import var
from textual.widgets import Static

from tui.standup.timer import Phase, StandupTimer
from tui.views.formats import duration_text


@dataclass(frozen=True)
class TimerView:
    """A snapshot of the timer, rounded to the second so equal snapshots skip the repaint."""

    phase: str  # "sitting" | "away" | "paused"
    sitting_seconds: int
    limit_seconds: int
    snoozes_left: int
    idle_source: str
    alerting: bool = False
    away_since: datetime | None = None
    paused_until: datetime | None = None


def _minutes(seconds: int) -> str:
    """Whole minutes: the panel then changes once a minute, not every second, which
    keeps an all-day app calm to look at and nearly free while idle."""
    return duration_text(timedelta(seconds=seconds))


def _bar(fraction: float, width: int = 20) -> str:
    filled = min(width, max(0, round(fraction * width)))
    return "█" * filled + "░" * (width - filled)


def timer_markup(view: TimerView) -> str:
    lines: list[str]
    if view.phase == "sitting":
        fraction = view.sitting_seconds / view.limit_seconds if view.limit_seconds else 0
        colour = "$error" if view.alerting else ("$warning" if fraction >= 0.8 else "$success")
        lines = [
            f"[b]Sitting[/b] [b {colour}]{_minutes(view.sitting_seconds)}[/] "
            f"of {_minutes(view.limit_seconds)}",
            f"[{colour}]{_bar(fraction)}[/]",
        ]
        if view.alerting:
            lines.append("[b $error]Time to stand up![/]")
        lines.append(f"[dim]u up · z snooze ({view.snoozes_left} left) · P pause[/dim]")
    elif view.phase == "away":
        since = view.away_since.astimezone().strftime("%H:%M") if view.away_since else "?"
        lines = [f"[b $success]On a break[/] since {since}", "[dim]b back[/dim]"]
    elif view.phase == "paused":
        until = view.paused_until.astimezone().strftime("%a %H:%M") if view.paused_until else "?"
        lines = [f"[b]Timer paused[/b] until {until}", "[dim]b resume now[/dim]"]
    else:
        raise ValueError(f"unknown timer phase {view.phase!r}")
    lines.append(f"[dim]away detection: {view.idle_source}[/dim]")
    return "\n".join(lines)


class StandupPanel(Static):
    """Set `view` once a tick; it repaints only when the snapshot changed."""

    view: var[TimerView | None] = var(None)
    _shown = ""

    def watch_view(self, view: TimerView | None) -> None:
        markup = timer_markup(view) if view else "[dim]Starting the stand-up timer…[/dim]"
        if markup == self._shown:
            return
        # The once-a-second tick usually changes only the digits: same number of
        # lines, so repaint this widget without laying out the screen again.
        same_height = markup.count("\n") == self._shown.count("\n")
        self._shown = markup
        self.update(markup, layout=not same_height)


def view_of(timer: StandupTimer, now: datetime, idle_source: str, alerting: bool) -> TimerView:
    """Build a TimerView from the timer's state at `now`."""
    return TimerView(
        phase=timer.phase.value,
        sitting_seconds=int(timer.sitting_for(now) // timedelta(seconds=1)),
        limit_seconds=int(timer.settings.limit // timedelta(seconds=1)),
        snoozes_left=timer.snoozes_left,
        idle_source=idle_source,
        alerting=alerting and timer.phase is Phase.SITTING,
        away_since=timer.away_since,
        paused_until=timer.paused_until,
    )
