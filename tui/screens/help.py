"""Keys, and the way back to the safety note."""

from __future__ import annotations

from textual.binding import Binding

from tui.screens.text_dialog import TextDialog

HELP = """\
[b]upright keys[/b]

[b]Today[/b]
  ↑ ↓ / j k     move            space / enter   tick or untick
  s             skip (flare day) S              skip every exercise today
  p             log pain (0-10; enter saves, escape cancels)
  i             the highlighted habit's full how-to, why and cautions
  0-9 / !       right after ticking an exercise: how much it hurt (! is 10)
  a             take the coach's suggestion (↑ ↓ on the row)    + / -   a level up / down

[b]Stand-up timer[/b]
  u   I'm up (a break counts after the break length)    b   back
  z   snooze 5 minutes (3 a spell)                       P   pause

[b]Screens[/b]
  t   trends    c   catalog / plan    ?   this help    ctrl+p   commands    q   quit

The timer counts sitting time, ends a spell when you stand up, go idle or
the laptop sleeps, and reminds you past the limit (config.toml in your config
folder sets the limit, reminders and notification channels).

[dim]s safety note · escape close[/dim]"""


class HelpScreen(TextDialog):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close"),
        Binding("s", "safety", "Safety note"),
    ]

    def __init__(self) -> None:
        super().__init__(HELP)

    def action_safety(self) -> None:
        from tui.screens.safety import SafetyScreen

        self.app.push_screen(SafetyScreen())
