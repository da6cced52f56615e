"""The shown day's and its week's adherence, and the day's note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import var
from textual.widgets import Static

from tui.views.formats import percent_text
from tui.views.text import one_line, safe_markup

if TYPE_CHECKING:
    # Types only: the store's modules load after the first frame.
    from tui.views.today import TodayView

# A note shows as one line, cut to this many characters (and the panel cuts it again, with
# an ellipsis, at its own width): a note of any length costs a tick the same.
NOTE_CHARS = 60


def summary_markup(view: TodayView) -> str:
    """The day's and its week's adherence, and the day's note (its pain is in the list)."""
    week = "That week" if view.past else "This week"
    note = (
        safe_markup(one_line(view.note, NOTE_CHARS))
        if view.note
        else "[dim]none (n writes one)[/dim]"
    )
    lines = [
        f"[b]{view.day_label}[/b] {view.day_done}/{view.day_due} done  "
        f"[b]{percent_text(view.day_adherence)}[/b]",
        f"[b]{week}[/b] {view.week_done}/{view.week_due}  "
        f"[b]{percent_text(view.week_adherence)}[/b]",
        f"[b]Note[/b] {note}",
    ]
    return "\n".join(lines)


class DaySummary(Static):
    """Set `view` and it repaints."""

    view: var[TodayView | None] = var(None)

    def watch_view(self, view: TodayView | None) -> None:
        # The panel's height comes from the screen's CSS, not from its text: repaint it
        # without laying out the screen again (a tick must cost one frame, not a relayout).
        self.update("[dim]Loading…[/dim]" if view is None else summary_markup(view), layout=False)
