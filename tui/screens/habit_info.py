"""A habit's full how-to, why, cautions and evidence, scrollable (for small terminals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.habit_detail import detail_markup

if TYPE_CHECKING:
    from store.catalog import HabitEntry


class HabitInfoScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,i,q", "close", "Close")]
    DEFAULT_CSS = """
    HabitInfoScreen { align: center middle; }
    HabitInfoScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, entry: HabitEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(detail_markup(self.entry) + "\n\n[dim]↑ ↓ scroll · escape close[/dim]")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
