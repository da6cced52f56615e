"""The safety note: shown once on first run, and again from the help screen."""

from __future__ import annotations

from textual.binding import Binding

from tui.screens.text_dialog import TextDialog
from tui.views.safety import (
    FLARE_DAYS,
    NOT_MEDICAL_ADVICE,
    RED_FLAGS,
    RED_FLAGS_HEADING,
    STOP_IF_WORSE,
)

_BULLET = "\n• "
# The words live in tui/views/safety.py (the physio report shows them too); this adds
# the dialog's markup. None of it is user text.
SAFETY_NOTE = (
    "[b]Before you start[/b]\n\n"
    f"{NOT_MEDICAL_ADVICE}\n\n"
    f"• {STOP_IF_WORSE}{_BULLET}{FLARE_DAYS}\n\n"
    f"[b $error]{RED_FLAGS_HEADING}[/]"
    + "".join(_BULLET + flag for flag in RED_FLAGS)
    + "\n\n[dim]enter or escape to close · ? help shows this again[/dim]"
)


class SafetyScreen(TextDialog):
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]
    DEFAULT_CSS = """
    SafetyScreen > VerticalScroll { border: thick $warning; }
    """

    def __init__(self) -> None:
        super().__init__(SAFETY_NOTE)
