"""The Today screen: the checklist, the habit detail, the stand-up timer and progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header
from textual.widgets.option_list import Option

from tui.views.timer import TimerView
from tui.widgets.checklist import Checklist
from tui.widgets.day_summary import DaySummary
from tui.widgets.habit_detail import HabitDetail
from tui.widgets.key_bar import KeyBar
from tui.widgets.standup import StandupPanel

if TYPE_CHECKING:
    # Types only: the store's modules load after the first frame.
    from store.catalog import Catalog
    from store.queries import TodayItem
    from tui.views.today import TodayView


class TodayScreen(Screen[None]):
    """Shows what the app hands down (`view`, `timer_view`, `catalog`); keys go up as messages."""

    CSS_PATH = "today.tcss"
    BINDINGS = [
        # A priority binding runs as the key arrives, so the form is up before the next key
        # is routed: "p 5 enter" typed fast logs 5 instead of ticking the highlighted habit.
        Binding("p", "app.log_pain", "Pain", priority=True),
        Binding("i", "habit_info", "Info", show=False),
        Binding("S", "skip_exercises", "Flare day", show=False),
    ]

    view: var[TodayView | None] = var(None)
    timer_view: var[TimerView | None] = var(None)
    catalog: var[Catalog | None] = var(None)
    # True once `build_panels` has mounted the panels that show the views above.
    built = False

    @dataclass
    class SkipExercisesRequested(Message):
        """Skip every exercise still open today (a flare day)."""

    def compose(self) -> ComposeResult:
        # The first frame is only the header (name and date), so it paints about as fast
        # as a one-label app. The panels and key bar cost ~30 ms to build; the app asks
        # for them (`build_panels`) once that frame is out.
        yield Header()

    async def build_panels(self) -> None:
        """Mount the panels and show what was handed down so far."""
        checklist = Checklist(
            Option(Text("Loading today's checklist…", style="dim"), disabled=True),
            id="checklist",
        )
        checklist.border_title = "Today"
        detail = HabitDetail(id="detail")
        detail.border_title = "How to"
        standup = StandupPanel(id="standup")
        standup.border_title = "Stand-up timer"
        summary = DaySummary(id="summary")
        summary.border_title = "Progress"
        body = Horizontal(
            Vertical(checklist, detail, id="left"),
            Vertical(standup, summary, id="right"),
            id="today-body",
        )
        await self.mount_all([body, KeyBar()])
        if not checklist.is_attached:
            return  # the app quit while the panels were being mounted
        self.built = True
        checklist.focus()
        self.watch_view(self.view)
        self.watch_timer_view(self.timer_view)

    def watch_view(self, view: TodayView | None) -> None:
        if view is None or not self.built:
            return
        checklist = self.query_one(Checklist)
        checklist.border_title = f"Today · {view.day:%A %-d %B}"
        checklist.items = view.items
        self.query_one(DaySummary).view = view

    def watch_timer_view(self, view: TimerView | None) -> None:
        if self.built:
            self.query_one(StandupPanel).view = view

    @on(Checklist.Focused)
    def show_detail(self, event: Checklist.Focused) -> None:
        self._show_detail(event.item)

    def watch_catalog(self) -> None:
        # The checklist can be on screen before the catalog (with the how-tos) is read.
        if self.built:
            self._show_detail(self.query_one(Checklist).highlighted_item)

    def _show_detail(self, item: TodayItem | None) -> None:
        entry = None
        if item is not None and self.catalog is not None:
            entry = self.catalog.get(item.id)
        self.query_one(HabitDetail).entry = entry

    def action_habit_info(self) -> None:
        """The highlighted habit's full how-to in a scrollable window."""
        from tui.screens.habit_info import HabitInfoScreen

        if not self.built:
            return
        item = self.query_one(Checklist).highlighted_item
        entry = self.catalog.get(item.id) if item is not None and self.catalog else None
        if entry is not None:
            self.app.push_screen(HabitInfoScreen(entry))

    def action_skip_exercises(self) -> None:
        self.post_message(self.SkipExercisesRequested())
