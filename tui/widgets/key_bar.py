"""The key hints along the bottom of Today: one widget, not one per key.

Textual's `Footer` mounts a widget for every key; on the Today screen that
cost ~50 ms at start-up (a tenth of the time to the first habit) and again
whenever the keys change. This draws the same hints, in the footer's
colours, as one line of text. Clicking a hint presses its key.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.content import Content
from textual.widgets import Static


class KeyBar(Static):
    """The screen's shown key bindings, then the command palette's key on the right."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def on_mount(self) -> None:
        # Where each hint is drawn: (first column, column after it, key to press).
        self._hint_columns: list[tuple[int, int, str]] = []
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._bindings_changed(self.screen)

    def _bindings_changed(self, _screen: Any) -> None:
        parts: list[Content] = []
        columns: list[tuple[int, int, str]] = []
        width = 0
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            hint = Content.from_markup(
                "[b $footer-key-foreground]$key[/] $description",
                key=self.app.get_key_display(binding),
                description=binding.description,
            )
            if not enabled:
                hint = hint.stylize("dim")
            if parts:
                parts.append(Content(" "))
                width += 1
            columns.append((width, width + hint.cell_length, binding.key))
            parts.append(hint)
            width += hint.cell_length
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = Content.from_markup(
                "[$footer-key-foreground]▏[/][b $footer-key-foreground]^p[/] palette"
            )
            start = max(width + 1, self.size.width - palette.cell_length)
            parts += [Content(" " * (start - width)), palette]
            columns.append((start, start + palette.cell_length, self.app.COMMAND_PALETTE_BINDING))
        self._hint_columns = columns
        self.update(Content.assemble(*parts), layout=False)

    async def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hint_columns:
            if start <= event.x < end:
                await self.app.run_action(f"simulate_key({key!r})")
                return
