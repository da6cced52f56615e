"""A habit's calendar heat map: one column per week, one row per weekday."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tui.views.text import safe_text
from tui.views.trends import (
    CELL_DONE,
    CELL_FUTURE,
    CELL_MISSED,
    CELL_OFF,
    CELL_OPEN,
    CELL_SKIPPED,
    HabitRow,
    short_date,
)

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Glyph and style per state: glyphs differ too, so the map reads without colour.
CELLS: dict[str, tuple[str, str]] = {
    CELL_DONE: ("■", "$primary"),
    CELL_MISSED: ("□", "$foreground-muted"),
    CELL_SKIPPED: ("\u00d7", "$warning"),  # a multiplication sign
    CELL_OPEN: ("○", "$foreground"),
    CELL_OFF: ("·", "$foreground-muted"),
    CELL_FUTURE: (" ", ""),
}
LEGEND = (
    (CELL_DONE, "done"),
    (CELL_MISSED, "missed"),
    (CELL_SKIPPED, "skipped"),
    (CELL_OPEN, "today, open"),
    (CELL_OFF, "not due"),
)
# Two cells per week read best; past 26 weeks one cell keeps a year within 80 columns.
WIDE_UP_TO_WEEKS = 26


def calendar_content(habit: HabitRow) -> Content:
    """The heat map, its date header and a legend, as styled text."""
    weeks = len(habit.days) // 7
    cell = 2 if weeks <= WIDE_UP_TO_WEEKS else 1
    # A date over every fourth week (eighth when narrow), counted back from the current one.
    every = 4 if cell == 2 else 8
    labels = {w: short_date(habit.days[w * 7][0]) for w in range(weeks - 1, -1, -every)}
    line = ""
    for week in sorted(labels):
        if not line or len(line) < week * cell:  # room left: the previous label has ended
            line = line.ljust(week * cell) + labels[week]
    header = " " * 4 + line
    parts: list[str | tuple[str, str] | Content] = [
        (safe_text(habit.name), "bold"),
        (f" day by day, last {weeks} weeks", "$foreground-muted"),
        "\n",
        (header, "$foreground-muted"),
        "\n",
    ]
    for weekday in range(7):
        parts.append((f"{WEEKDAY_NAMES[weekday]} ", "$foreground-muted"))
        for week in range(weeks):
            _day, state = habit.days[week * 7 + weekday]
            glyph, style = CELLS[state]
            parts.append((glyph.ljust(cell), style) if style else glyph.ljust(cell))
        # The legend stands beside the grid, one entry a row, to keep the map short.
        if weekday < len(LEGEND):
            state, label = LEGEND[weekday]
            glyph, style = CELLS[state]
            parts.extend(["  ", (glyph, style), f" {label}"])
        if weekday < 6:
            parts.append("\n")
    return Content.assemble(*parts)


class HabitCalendar(Widget):
    """Shows the calendar of `habit` (None: a hint to pick one)."""

    DEFAULT_CSS = """
    HabitCalendar {
        height: auto;
        width: 1fr;
    }
    """

    habit: reactive[HabitRow | None] = reactive(None, layout=True)

    def render(self) -> RenderResult:
        if self.habit is None:
            return Content("Pick a habit above to see its calendar.")
        return calendar_content(self.habit)
