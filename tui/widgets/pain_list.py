"""The shown day's pain entries, one a row; enter or e edits the highlighted one, d deletes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.views.text import one_line, safe_text
from tui.widgets.day_summary import NOTE_CHARS

if TYPE_CHECKING:
    from store.models import PainEntry
    from tui.views.today import TodayView


def entry_text(entry: PainEntry) -> Text:
    """Time, back, leg, context, note: one line (the panel cuts it at its edge)."""
    text = Text(f"{entry.at.astimezone():%H:%M}  ")
    text.append(f"{entry.score}/10", style="bold")
    if entry.leg_score is not None:
        text.append(f" leg {entry.leg_score}")
    if entry.context:
        text.append(f" {safe_text(entry.context)}", style="italic")
    if entry.note:
        # Cut first: a note of any length costs a repaint the same.
        text.append(f" {one_line(entry.note, NOTE_CHARS)}", style="dim")
    return text


class PainList(OptionList):
    """Set `view`; posts EditRequested / DeleteRequested, never writes itself."""

    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
    ]

    view: var[TodayView | None] = var(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # The entries shown, by option id.
        self._entries: dict[str, PainEntry] = {}

    @dataclass
    class EditRequested(Message):
        entry: PainEntry

    @dataclass
    class DeleteRequested(Message):
        entry: PainEntry

    def watch_view(self, view: TodayView | None) -> None:
        if view is None:
            return
        highlighted = self.highlighted
        self._entries = {str(e.id): e for e in view.pain if e.id is not None}
        if not view.pain:
            self.set_options([Option(Text("none logged (p logs one)", style="dim"), disabled=True)])
            return
        # An entry still being written has no id yet: shown, not yet selectable.
        self.set_options(
            Option(entry_text(e), id=None if e.id is None else str(e.id), disabled=e.id is None)
            for e in view.pain
        )
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    @property
    def highlighted_entry(self) -> PainEntry | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return self._entries.get(option_id) if option_id else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        if (entry := self.highlighted_entry) is not None:
            self.post_message(self.EditRequested(entry))

    def action_delete(self) -> None:
        if (entry := self.highlighted_entry) is not None:
            self.post_message(self.DeleteRequested(entry))
