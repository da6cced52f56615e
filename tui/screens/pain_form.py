"""The pain form: a 0-10 score, optional leg pain, context and note."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from store.vocab import PainContext
from tui.views.text import safe_markup

CONTEXTS = (
    (PainContext.MORNING, "Morning"),
    (PainContext.DURING_EXERCISE, "During exercise"),
    (PainContext.EVENING, "Evening"),
)


@dataclass(frozen=True)
class PainInput:
    """What the user entered; the screen that opened the form stores it."""

    score: int
    leg_score: int | None
    context: str | None
    note: str | None


def parse_score(text: str, label: str, required: bool) -> int | None:
    """A 0-10 whole number, or None when optional and empty. Raises ValueError with a message."""
    text = text.strip()
    if not text:
        if required:
            raise ValueError(f"{label}: type a number from 0 to 10")
        return None
    if not text.isdigit() or not 0 <= int(text) <= 10:
        raise ValueError(f"{label} must be a whole number from 0 to 10")
    return int(text)


class PainForm(ModalScreen[PainInput | None]):
    """Enter saves, escape cancels without writing anything."""

    CSS_PATH = "pain_form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Priority: focus moves as tab arrives, so "3 tab 2" typed fast puts the 2 in the
        # next field. (Enter stays the fields' own key: it must come after their digits.)
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(self, title: str = "Log pain", initial: PainInput | None = None) -> None:
        """`initial`: the values to start from (editing an entry); `title` says which."""
        super().__init__()
        self.title_text = title
        self.initial = initial

    def compose(self) -> ComposeResult:
        start = self.initial
        with Vertical(id="pain-dialog"):
            yield Label(f"[b]{safe_markup(self.title_text)}[/b]")
            yield Static("0 no pain · 5 moderate · 10 worst imaginable", classes="anchors")
            with Horizontal(classes="field"):
                yield Label("Back pain", classes="label")
                yield Input(
                    str(start.score) if start else "",
                    placeholder="0-10",
                    id="score",
                    max_length=2,
                    restrict=r"[0-9]*",
                )
            with Horizontal(classes="field"):
                yield Label("Leg pain", classes="label")
                yield Input(
                    str(start.leg_score) if start and start.leg_score is not None else "",
                    placeholder="optional",
                    id="leg",
                    max_length=2,
                    restrict=r"[0-9]*",
                )
            with RadioSet(id="context"):
                for value, label in CONTEXTS:
                    yield RadioButton(label, bool(start and start.context == value), name=value)
            # An entry's note may be longer than the form's own limit (the command line
            # takes more): editing keeps all of it.
            note = (start.note or "") if start else ""
            yield Input(
                note,
                placeholder="note (optional)",
                id="note",
                max_length=max(200, len(note)),
            )
            yield Static("", id="pain-error")
            yield Static("[dim]enter save · escape cancel · tab next field[/dim]")

    def on_screen_resume(self) -> None:
        self.query_one("#score", Input).focus()

    def _close(self, result: PainInput | None) -> None:
        # The form is reused: leave it empty, with the score focused, for next time. (Done
        # on resume instead, it would wipe or misplace keys typed as the form opens.)
        for field in self.query(Input):
            field.value = ""
        self.set_focus(self.query_one("#score", Input))
        pressed = self.query_one("#context", RadioSet).pressed_button
        if pressed is not None:
            pressed.value = False
        self.query_one("#pain-error", Static).update("")
        self.dismiss(result)

    def on_key(self, event: Key) -> None:
        # Digits typed before the score field has focus (the form is still opening,
        # or focus is on the context buttons) still go into the score.
        if (
            event.character is not None
            and event.character.isdigit()
            and not isinstance(self.focused, Input)
        ):
            score = self.query_one("#score", Input)
            score.value = (score.value + event.character)[-2:]
            score.focus()
            score.cursor_position = len(score.value)
            event.stop()
        elif event.key == "enter" and self.focused is None:
            # Enter typed while the form was still opening: save, as in the score field.
            self.save()
            event.stop()

    @on(Input.Submitted)
    def save(self) -> None:
        error = self.query_one("#pain-error", Static)
        try:
            score = parse_score(self.query_one("#score", Input).value, "Back pain", True)
            leg = parse_score(self.query_one("#leg", Input).value, "Leg pain", False)
        except ValueError as exc:
            error.update(f"[b $error]{exc}[/]")
            return
        assert score is not None
        pressed = self.query_one("#context", RadioSet).pressed_button
        note = self.query_one("#note", Input).value.strip() or None
        self._close(PainInput(score, leg, pressed.name if pressed else None, note))

    def action_cancel(self) -> None:
        self._close(None)
