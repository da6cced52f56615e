"""The day's note: one line of free text; enter saves (empty clears), escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from store.limits import MAX_NOTE_CHARS
from tui.views.text import safe_markup


class NoteForm(ModalScreen[str | None]):
    """Dismisses with the note's new text ("" clears it), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    NoteForm { align: center middle; }
    NoteForm > Vertical { width: 64; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    """

    def __init__(self, title: str, text: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.text = text or ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{safe_markup(self.title_text)}[/b]")
            yield Input(
                self.text,
                placeholder="e.g. flared after gardening",
                id="note-text",
                max_length=MAX_NOTE_CHARS,
            )
            yield Static("[dim]enter save (empty: no note) · escape cancel[/dim]")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
