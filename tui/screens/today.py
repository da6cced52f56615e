"""The Today screen: the checklist, the habit detail, the stand-up timer and progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.widgets.checklist import Checklist
from tui.widgets.day_summary import DaySummary
from tui.widgets.habit_detail import HabitDetail
from tui.widgets.standup import StandupPanel

if TYPE_CHECKING:
    # Types only: the store's modules load after the first frame.
    from store.catalog import Catalog
    from tui.today_view import TodayView


class TodayScreen(Screen[None]):
    """Shows what the app hands down (`view`, `catalog`); key presses go up as messages."""

    CSS_PATH = "today.tcss"
    BINDINGS = [
        Binding("p", "log_pain", "Pain"),
        Binding("i", "habit_info", "Info", show=False),
        Binding("S", "skip_exercises", "Flare day", show=False),
    ]

    view: reactive[TodayView | None] = reactive(None)
    catalog: reactive[Catalog | None] = reactive(None)

    @dataclass
    class LogPainRequested(Message):
        """Open the pain form."""

    @dataclass
    class SkipExercisesRequested(Message):
        """Skip every exercise still open today (a flare day)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="today-body"):
            with Vertical(id="left"):
                checklist = Checklist(id="checklist")
                checklist.border_title = "Today"
                yield checklist
                detail = HabitDetail(id="detail")
                detail.border_title = "How to"
                yield detail
            with Vertical(id="right"):
                standup = StandupPanel(id="standup")
                standup.border_title = "Stand-up timer"
                yield standup
                summary = DaySummary(id="summary")
                summary.border_title = "Progress"
                yield summary
        # Compact: the full set of key hints fits in 80 columns.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(Checklist).loading = self.view is None
        self.query_one(Checklist).focus()

    def watch_view(self, view: TodayView | None) -> None:
        if view is None or not self.is_mounted:
            return
        checklist = self.query_one(Checklist)
        if checklist.loading:
            checklist.loading = False
            # The footer left out the checklist's keys while it was loading; it does
            # not notice the end of loading by itself.
            self.refresh_bindings()
        checklist.border_title = f"Today · {view.day:%A %-d %B}"
        self.sub_title = f"{view.day:%A %-d %B %Y}"
        checklist.items = view.items
        self.query_one(DaySummary).view = view

    @on(Checklist.Focused)
    def show_detail(self, event: Checklist.Focused) -> None:
        entry = None
        if event.item is not None and self.catalog is not None:
            entry = self.catalog.get(event.item.id)
        self.query_one(HabitDetail).entry = entry

    def action_habit_info(self) -> None:
        """The highlighted habit's full how-to in a scrollable window."""
        from tui.screens.habit_info import HabitInfoScreen

        item = self.query_one(Checklist).highlighted_item
        entry = self.catalog.get(item.id) if item is not None and self.catalog else None
        if entry is not None:
            self.app.push_screen(HabitInfoScreen(entry))

    def action_log_pain(self) -> None:
        self.post_message(self.LogPainRequested())

    def action_skip_exercises(self) -> None:
        self.post_message(self.SkipExercisesRequested())
