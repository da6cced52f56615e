"""The safety note: shown once on first run, and again from the help screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

SAFETY_NOTE = """\
[b]Before you start[/b]

upright is not medical advice and does not diagnose anything. It helps you keep \
up the habits and exercises you and your clinician chose.

• Stop an exercise that makes your back pain, or pain, tingling or numbness in \
a leg, worse, and ask a physiotherapist or doctor.
• Flare days happen: mark exercises skipped (s, or S for all) and rest gently.

[b $error]See a doctor at once (urgent care / emergency) if you have:[/]
• numbness around the genitals or bottom (the "saddle" area)
• new trouble passing urine, or loss of bladder or bowel control
• weakness or numbness in both legs, or leg weakness that is getting worse
• back pain after a fall, accident or other injury
• fever together with back pain, or you feel unwell with it

[dim]enter or escape to close · ? help shows this again[/dim]"""


class SafetyScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    SafetyScreen { align: center middle; }
    SafetyScreen > VerticalScroll {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(SAFETY_NOTE)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
