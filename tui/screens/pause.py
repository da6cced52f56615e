"""Pause the stand-up timer for a while, or until tomorrow."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

# minutes, or None for "until tomorrow"
CHOICES: tuple[tuple[str, int | None], ...] = (
    ("15 minutes", 15),
    ("30 minutes", 30),
    ("1 hour", 60),
    ("2 hours", 120),
    ("Until tomorrow", None),
)


class PauseScreen(ModalScreen[int | None | bool]):
    """Dismisses with minutes, None for "until tomorrow", or False when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    PauseScreen { align: center middle; }
    PauseScreen > Vertical { width: 36; height: auto; border: thick $primary;
        background: $surface; padding: 0 1; }
    PauseScreen OptionList { height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Pause the stand-up timer[/b]")
            yield OptionList(*(Option(label, id=str(i)) for i, (label, _) in enumerate(CHOICES)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(CHOICES[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(False)
