"""A habit's full how-to, why, cautions and evidence, scrollable (for small terminals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll

from tui.screens.text_dialog import TextDialog
from tui.widgets.habit_detail import detail_markup

if TYPE_CHECKING:
    from store.catalog import HabitEntry


class HabitInfoScreen(TextDialog):
    BINDINGS = [Binding("escape,i,q", "close", "Close")]
    DEFAULT_CSS = """
    HabitInfoScreen > VerticalScroll { width: 90; }
    """

    def __init__(self, entry: HabitEntry) -> None:
        super().__init__(detail_markup(entry) + "\n\n[dim]↑ ↓ scroll · escape close[/dim]")
        self.entry = entry

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
