"""Today's checklist: posture habits, then exercises; one key ticks a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.vocab import CheckInStatus, Suggestion
from tui.views.text import safe_text

if TYPE_CHECKING:
    # Types only: the store's modules load after the first frame.
    from store.queries import TodayItem


MARKS = {CheckInStatus.DONE: "✔", CheckInStatus.SKIPPED: "–", CheckInStatus.OPEN: " "}
STYLES = {CheckInStatus.DONE: "bold green", CheckInStatus.SKIPPED: "dim", CheckInStatus.OPEN: ""}
# The coach's marker after an exercise's name (the how-to pane says what and why).
COACH_MARKS = {
    Suggestion.PROGRESS: ("↑", "bold green"),
    Suggestion.REDUCE: ("↓", "bold yellow"),
    Suggestion.REST: ("↓ rest", "bold yellow"),
}
# After ticking an exercise, one key rates how much it hurt: a digit, or "!" for 10.
RATING_KEYS = {str(n): n for n in range(10)} | {"exclamation_mark": 10}
RATING_INVITE = "how much did it hurt? 0-9, ! for 10 (any other key: skip)"


def row_text(item: TodayItem, inviting: bool = False) -> Text:
    """One checklist row: box, name, the coach's marker, dose and, for per-week habits,
    the week's progress; `inviting`: the invitation to rate the session instead."""
    text = Text()
    style = STYLES[item.status]
    text.append(f"[{MARKS[item.status]}] ", style=style)
    text.append(
        safe_text(item.name), style="strike dim" if item.status == CheckInStatus.SKIPPED else ""
    )
    if item.suggestion in COACH_MARKS:
        mark, mark_style = COACH_MARKS[item.suggestion]
        text.append(f" {mark}", style=mark_style)
    if inviting:
        text.append(f"  {RATING_INVITE}", style="bold cyan")
        return text
    if item.pain_during is not None:
        text.append(f"  felt {item.pain_during}/10", style="dim")
    details = item.dose.as_text()
    if item.week_target is not None:
        progress = (
            f"{item.week_done}/{item.week_target} this week"
            if item.counts_this_week
            else "weekly target starts next week"
        )
        details = f"{details} · {progress}" if details else progress
    if details:
        text.append(f"  {safe_text(details)}", style="dim")
    return text


class Checklist(OptionList):
    """The day's due habits. Posts Toggled / Skipped; never writes to the store itself."""

    BINDINGS = [
        Binding("space", "tick", "Tick"),
        Binding("s", "skip", "Skip"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    items: var[tuple[TodayItem, ...]] = var((), always_update=True)
    # The exercise just ticked, whose row invites a rating until the next key.
    rating: var[str | None] = var(None)
    # The day the items are for; None while they are still being read.
    day: var[date | None] = var(None)

    def watch_day(self, day: date | None) -> None:
        if day is not None:
            self.border_title = f"Today · {day:%A %-d %B}"
            if not self.items:
                self._nothing_due()

    def _nothing_due(self) -> None:
        # The day by name: a past day before the plan began has nothing due either.
        when = f"on {self.day:%a %-d %b}" if self.day is not None else "today"
        self.set_options(
            [
                Option(
                    Text(f"Nothing due {when}. Press c to add habits.", style="dim"), disabled=True
                )
            ]
        )

    @dataclass
    class Toggled(Message):
        """Tick or untick this habit today."""

        item: TodayItem

    @dataclass
    class Skipped(Message):
        """Mark this habit skipped today (or clear the skip)."""

        item: TodayItem

    @dataclass
    class Rated(Message):
        """How much this habit's session hurt today, 0-10."""

        item: TodayItem
        pain_during: int

    @dataclass
    class Focused(Message):
        """The highlighted habit changed (the detail pane follows it)."""

        item: TodayItem | None

    def watch_items(self, old: tuple[TodayItem, ...], new: tuple[TodayItem, ...]) -> None:
        if [i.id for i in old] == [i.id for i in new] and self.option_count:
            # Same rows: repaint only the ones that changed, keeping the cursor still.
            for before, after in zip(old, new, strict=True):
                if before != after:
                    self.replace_option_prompt(after.id, row_text(after, after.id == self.rating))
            self._announce()
            return
        highlighted_id = self.highlighted_item.id if self.highlighted_item else None
        options: list[Option | None] = []
        for group, members in (
            ("Posture", [i for i in new if i.is_posture]),
            ("Exercises", [i for i in new if not i.is_posture]),
        ):
            if not members:
                continue
            options.append(Option(Text(group, style="bold"), id=f"group:{group}", disabled=True))
            options.extend(Option(row_text(item), id=item.id) for item in members)
        if not new:
            if self.day is not None:  # read, and nothing is due (else: still "Loading…")
                self._nothing_due()
            self._announce()
            return
        self.set_options(options)
        ids = [option.id for option in self.options]
        self.highlighted = ids.index(highlighted_id) if highlighted_id in ids else self._first_row()
        self._announce()

    def _first_row(self) -> int | None:
        for index, option in enumerate(self.options):
            if not option.disabled:
                return index
        return None

    @property
    def highlighted_item(self) -> TodayItem | None:
        if self.highlighted is None or not self.items:
            return None
        option_id = self.options[self.highlighted].id
        return next((item for item in self.items if item.id == option_id), None)

    def _announce(self) -> None:
        self.post_message(self.Focused(self.highlighted_item))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._announce()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Enter (and a mouse click) tick the row, like space.
        event.stop()
        self.action_tick()

    def action_tick(self) -> None:
        item = self.highlighted_item
        if item is not None:
            self.post_message(self.Toggled(item))
            ticking_an_exercise = not item.is_posture and item.status != CheckInStatus.DONE
            self.rating = item.id if ticking_an_exercise else None

    def watch_rating(self, old: str | None, new: str | None) -> None:
        for habit_id in (old, new):
            item = next((i for i in self.items if i.id == habit_id), None)
            if item is not None:
                self.replace_option_prompt(item.id, row_text(item, item.id == new))

    def on_key(self, event: events.Key) -> None:
        """Right after a tick, one key rates the session; any other key ends the
        invitation and goes on to do what it always does."""
        if self.rating is None:
            return
        item = next((i for i in self.items if i.id == self.rating), None)
        self.rating = None
        if item is not None and event.key in RATING_KEYS:
            event.stop()
            event.prevent_default()
            self.post_message(self.Rated(item, RATING_KEYS[event.key]))

    def on_blur(self) -> None:
        self.rating = None

    def action_skip(self) -> None:
        item = self.highlighted_item
        if item is not None:
            self.post_message(self.Skipped(item))
