"""The Today screen: the checklist, the habit detail, the stand-up timer and progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header
from textual.widgets.option_list import Option

from tui.views.text import safe_markup
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
        # The coach: take the highlighted exercise's suggestion, or step a level by hand.
        Binding("a", "accept_suggestion", "Accept", show=False),
        Binding("plus", "step_level(1)", "Level up", show=False),
        Binding("minus", "step_level(-1)", "Level down", show=False),
    ]

    view: var[TodayView | None] = var(None)
    # The parts of `view` the checklist is bound to.
    day: var[date | None] = var(None)
    items: var[tuple[TodayItem, ...]] = var(())
    timer_view: var[TimerView | None] = var(None)
    catalog: var[Catalog | None] = var(None)

    # Typed getters. The panels mount a moment after the first frame: the catalog's
    # watcher looks them up only once they are there.
    checklist = getters.query_one("#checklist", Checklist)
    detail = getters.query_one("#detail", HabitDetail)

    @dataclass
    class SkipExercisesRequested(Message):
        """Skip every exercise still open today (a flare day)."""

    @dataclass
    class LevelWanted(Message):
        """Put this exercise at `level` from today."""

        item: TodayItem
        level: int

    def compose(self) -> ComposeResult:
        # The first frame is only the header (name and date), so it paints about as fast
        # as a one-label app; the panels and key bar are built right after it.
        yield Header()

    def build_panels(self) -> None:
        """Build the panels; the app calls this once the first frame has been written.

        Not textual.lazy.Lazy: it needs the panels built before the first frame, which
        bench/startup.py shows costs that frame. Queued on this screen, so the panels
        are bound to its data (`data_bind` runs in the screen's context).
        """
        self.call_later(self._build_panels)

    async def _build_panels(self) -> None:
        """Mount the panels, bound to this screen's data."""
        checklist = Checklist(
            Option(Text("Loading today's checklist…", style="dim"), disabled=True),
            id="checklist",
        ).data_bind(TodayScreen.items, TodayScreen.day)
        checklist.border_title = "Today"
        detail = HabitDetail(id="detail")
        detail.border_title = "How to"
        standup = StandupPanel(id="standup").data_bind(view=TodayScreen.timer_view)
        standup.border_title = "Stand-up timer"
        summary = DaySummary(id="summary").data_bind(TodayScreen.view)
        summary.border_title = "Progress"
        body = Horizontal(
            Vertical(checklist, detail, id="left"),
            Vertical(standup, summary, id="right"),
            id="today-body",
        )
        await self.mount_all([body, KeyBar()])
        checklist.focus()

    def _panels_mounted(self) -> bool:
        return bool(self.query("#checklist"))

    def watch_view(self, view: TodayView | None) -> None:
        if view is not None:
            self.items, self.day = view.items, view.day

    @on(Checklist.Focused)
    def show_detail(self, event: Checklist.Focused) -> None:
        self._show_detail(event.item)

    def watch_catalog(self) -> None:
        # The checklist can be on screen before the catalog (with the how-tos) is read.
        if self._panels_mounted():
            self._show_detail(self.checklist.highlighted_item)

    def _show_detail(self, item: TodayItem | None) -> None:
        entry = None
        if item is not None and self.catalog is not None:
            entry = self.catalog.get(item.id)
        coach = self.view.coach_for(item.id) if item is not None and self.view else None
        self.detail.show(entry, item, coach)

    def _highlighted_exercise(self) -> TodayItem | None:
        if not self._panels_mounted():
            return None
        item = self.checklist.highlighted_item
        return item if item is not None and not item.is_posture else None

    def action_accept_suggestion(self) -> None:
        item = self._highlighted_exercise()
        row = self.view.coach_for(item.id) if item is not None and self.view else None
        if item is None or row is None:
            return
        if row.advice.next_level == item.level:
            self.notify(f"Nothing to accept: {row.advice.suggestion}.", timeout=3)
            return
        self.post_message(self.LevelWanted(item, row.advice.next_level))

    def action_step_level(self, step: int) -> None:
        item = self._highlighted_exercise()
        if item is None:
            return
        level = item.level + step
        if not 1 <= level <= item.levels:
            self.notify(
                f"{safe_markup(item.name)}: level {item.level} is the"
                f" {'top' if step > 0 else 'first'}.",
                timeout=3,
            )
            return
        self.post_message(self.LevelWanted(item, level))

    def action_habit_info(self) -> None:
        """The highlighted habit's full how-to in a scrollable window."""
        from tui.screens.habit_info import HabitInfoScreen

        if not self._panels_mounted():
            return
        item = self.checklist.highlighted_item
        entry = self.catalog.get(item.id) if item is not None and self.catalog else None
        if entry is not None:
            self.app.push_screen(HabitInfoScreen(entry))

    def action_skip_exercises(self) -> None:
        self.post_message(self.SkipExercisesRequested())
