"""Today's and this week's adherence, and today's pain entries."""

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
    lines = [
        f"[b]Today[/b] {view.day_done}/{view.day_due} done  "
        f"[b]{percent_text(view.day_adherence)}[/b]",
        f"[b]This week[/b] {view.week_done}/{view.week_due}  "
        f"[b]{percent_text(view.week_adherence)}[/b]",
        "",
        "[b]Pain today[/b]" + ("" if view.pain else "  [dim]none logged (p)[/dim]"),
    ]
    for entry in view.pain[-4:]:
        local = entry.at.astimezone().strftime("%H:%M")
        leg = f", leg {entry.leg_score}" if entry.leg_score is not None else ""
        context = f" {entry.context}" if entry.context else ""
        note = f" [dim]{safe_markup(one_line(entry.note, NOTE_CHARS))}[/dim]" if entry.note else ""
        lines.append(f" {local}  {entry.score}/10{leg}{safe_markup(context)}{note}")
    if len(view.pain) > 4:
        lines.append(f" [dim]and {len(view.pain) - 4} earlier[/dim]")
    return "\n".join(lines)


class DaySummary(Static):
    """Set `view` and it repaints."""

    view: var[TodayView | None] = var(None)

    def watch_view(self, view: TodayView | None) -> None:
        # The panel's height comes from the screen's CSS, not from its text: repaint it
        # without laying out the screen again (a tick must cost one frame, not a relayout).
        self.update("[dim]Loading…[/dim]" if view is None else summary_markup(view), layout=False)
