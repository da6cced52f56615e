"""The safety note: shown once on first run, and again from the help screen."""

from __future__ import annotations

from textual.binding import Binding

from tui.screens.text_dialog import TextDialog

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


class SafetyScreen(TextDialog):
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]
    DEFAULT_CSS = """
    SafetyScreen > VerticalScroll { border: thick $warning; }
    """

    def __init__(self) -> None:
        super().__init__(SAFETY_NOTE)
