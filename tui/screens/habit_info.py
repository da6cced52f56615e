"""A habit's full how-to, why, cautions and evidence, scrollable (for small terminals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll

from tui.screens.text_dialog import TextDialog
from tui.widgets.habit_detail import detail_markup

if TYPE_CHECKING:
    from store.catalog import HabitEntry
    from store.habit_fields import Dose


class HabitInfoScreen(TextDialog):
    BINDINGS = [Binding("escape,i,q", "close", "Close")]
    DEFAULT_CSS = """
    HabitInfoScreen > VerticalScroll { width: 90; }
    """

    def __init__(self, entry: HabitEntry, dose: Dose | None = None) -> None:
        """`dose`: the exercise's level's, when not the catalog's."""
        text = detail_markup(entry, dose) + "\n\n[dim]↑ ↓ scroll · escape close[/dim]"
        super().__init__(text)
        self.entry = entry

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
