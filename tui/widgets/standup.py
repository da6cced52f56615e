"""The stand-up timer panel: how long you have sat, and what to do about it."""

from __future__ import annotations

from datetime import timedelta

from textual.reactive import var
from textual.widgets import Static

from tui.standup.timer import Phase
from tui.views.formats import duration_text
from tui.views.timer import TimerView


def _minutes(seconds: int) -> str:
    """Whole minutes: the panel then changes once a minute, not every second, which
    keeps an all-day app calm to look at and nearly free while idle."""
    return duration_text(timedelta(seconds=seconds))


def _bar(fraction: float, width: int = 20) -> str:
    filled = min(width, max(0, round(fraction * width)))
    return "█" * filled + "░" * (width - filled)


def timer_markup(view: TimerView) -> str:
    lines: list[str]
    if view.phase is Phase.SITTING:
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
    elif view.phase is Phase.AWAY:
        since = view.away_since.astimezone().strftime("%H:%M") if view.away_since else "?"
        lines = [f"[b $success]On a break[/] since {since}", "[dim]b back[/dim]"]
    elif view.phase is Phase.PAUSED:
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
