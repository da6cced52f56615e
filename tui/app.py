"""UprightApp: modes, key bindings and message routing. Wiring only.

Data flows one way. Screens and widgets post messages up; the handlers here
ask `self.database` to run the store call in a worker thread; the result
comes back as plain data (`TodayView`, `TrendsData`, plan rows) and is handed
down to the screen, which hands its parts to its widgets. No screen or
widget holds or queries the store. A change (tick, skip, pain) shows in the
next frame and is written in the background; a write that fails puts the
screen back to what is stored and says so in one line.

Where the rest lives: start-up in `startup.py`, the stand-up timer's tick,
idle polling and alerts in `standup/controller.py`, the calendar jobs in
`jobs.py`, the reads behind each view in `views/reads.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import AppFocus, Key, Resize
from textual.screen import Screen

from store.vocab import CheckInStatus
from tui import gc_pause
from tui.clock import Clock, SystemClock
from tui.database import WRITE_PATIENCE, Database
from tui.screens.today import TodayScreen
from tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.shown_day import ShownDay, logged_at
from tui.startup import SAFETY_SEEN, Loaded, Services
from tui.today_data import TodayData
from tui.undo import (
    Change,
    UndoStack,
    check_in_change,
    note_change,
    pain_added,
    pain_deleted,
    pain_edited,
)
from tui.views.text import safe_markup
from tui.widgets.checklist import Checklist
from tui.widgets.pain_list import PainList

if TYPE_CHECKING:
    from store.models import CheckIn, DayNote, PainEntry
    from store.queries import PlanRow, Store, TodayItem
    from tui.config import Reminder
    from tui.jobs import CalendarJobs
    from tui.screens.catalog import CatalogScreen
    from tui.screens.pain_form import PainInput
    from tui.screens.trends import TrendsScreen
    from tui.standup.controller import StandupController
    from tui.standup.desktop import Desktop
    from tui.standup.desktop_events import DesktopEvent
    from tui.standup.idle import IdleSource
    from tui.views.timer import TimerView
    from tui.views.today import TodayView

__all__ = ["SAFETY_SEEN", "UprightApp"]

IDLE_POLL_SECONDS = 5
EXTERNAL_POLL_SECONDS = 3
# A write waiting this long on another program's lock is announced once.
SLOW_WRITE_SECONDS = 3
WAITING_WRITE = {
    "locked": "The database is locked by another program: your change is shown "
    "and will be saved when it is free.",
    "full": "Not saved yet: the disk is full. Your change stays on screen and is "
    "saved as soon as there is room.",
}
# Sentinel: find the system's idle source in a worker.
AUTO = "auto"


class UprightApp(App[None]):
    """The dashboard. Give it paths and, in tests, a clock and an idle source."""

    TITLE = "upright"
    CSS_PATH = "app.tcss"
    # The Today screen is the base of the only screen stack: it is composed and painted
    # as the first frame, with no blank default screen before it.
    MODES = {"today": TodayScreen}
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("t", "trends", "Trends"),
        Binding("c", "catalog", "Catalog"),
        Binding("question_mark", "help", "Help"),
        Binding("u", "stand_up", "I'm up"),
        Binding("b", "back_from_break", "Back", show=False),
        Binding("z", "snooze", "Snooze", show=False),
        Binding("P", "pause", "Pause", show=False),
    ]

    def __init__(
        self,
        db_path: Path | None = None,
        catalog_path: Path | None = None,
        config_path: Path | None = None,
        clock: Clock | None = None,
        sit_limit_minutes: int | None = None,
        idle_source: IdleSource | str | None = AUTO,
        desktop_notifications: bool = True,
        write_patience: float = WRITE_PATIENCE,
        busy_timeout: float | None = None,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.catalog_path = catalog_path
        self.config_path = config_path
        self.clock: Clock = clock or SystemClock()
        self.sit_limit_minutes = sit_limit_minutes
        self._idle_choice = idle_source
        self._desktop_allowed = desktop_notifications
        self._busy_timeout = busy_timeout
        self.database = Database(self._deliver, write_patience=write_patience, warn=self._error)
        # The one "not loaded yet" state: None until start-up has opened everything.
        self.services: Services | None = None
        # The catalog screen's rows as last read (the plan changes rarely).
        self._plan_rows: tuple[PlanRow, ...] = ()
        self.today: date = self.clock.now().date()
        # The day Today shows: today at every start, a past day after `left`.
        self.shown = ShownDay.on(self.today)
        # This session's stored changes, for ctrl+z.
        self.undo_stack = UndoStack()
        self._show_day()
        self.today_data = TodayData(self.database, self.today, self._hand_down_today, self._error)
        self.today_data.tz = self.clock.now().tzinfo
        self._told_slow_write = False
        self._jobs: CalendarJobs | None = None
        # The desktop's buses (idle, sleep, lock, notifications), once connected.
        self._desktop: Desktop | None = None
        self.data_ready = asyncio.Event()

    def _deliver(self, callback: Callable[[], None]) -> None:
        """Run `callback` on the event loop (called from the database's threads)."""
        if self.is_running:
            with contextlib.suppress(RuntimeError):  # the loop closed as the app ended
                self.call_from_thread(callback)

    # --- start-up -----------------------------------------------------------------

    def _hand_down_today(self, view: TodayView) -> None:
        self.today_screen.view = view

    def _show_day(self) -> None:
        """The date shown in the header: part of the first frame, right after midnight, and
        after each move to another day."""
        day = self.shown.shown
        past = " · a past day (home: back to today)" if self.shown.is_past else ""
        self.sub_title = f"{day:%A %-d %B %Y}{past}"

    def on_ready(self) -> None:
        # The first frame (header and date) has been written; the Today screen's panels
        # are built now, while a worker opens the store.
        self.open_data()
        self.today_screen.build_panels()

    @work(thread=True, group="load")
    def open_data(self) -> None:
        """Open config, database and catalog off the event loop (see tui/startup.py)."""
        from store.errors import UserError
        from tui.startup import open_data

        def show_today(store: Store, today: TodayView) -> None:
            shown = threading.Event()
            self.call_from_thread(self._on_store_open, store, today, shown)
            # Let the checklist paint before loading more: this thread would slow it
            # down (the two share the GIL).
            shown.wait(timeout=1)

        try:
            loaded = open_data(
                self.db_path,
                self.catalog_path,
                self.config_path,
                self.today,
                show_today,
                self._busy_timeout,
                backup_day=lambda: self.clock.now().date(),
            )
        except UserError as exc:
            self.call_from_thread(self.exit, None, 2, f"upright: error: {exc}")
            return
        self.call_from_thread(self._on_data_loaded, loaded)

    def _on_store_open(self, store: Store, today: TodayView, shown: threading.Event) -> None:
        """The checklist can show: ticks work from here on (the timer starts a moment later)."""
        self.database.opened(store)
        self.today_data.loaded(today)
        self.call_after_refresh(shown.set)

    def _on_data_loaded(self, loaded: Loaded) -> None:
        from tui.jobs import CalendarJobs
        from tui.standup.controller import StandupController
        from tui.standup.spells import Spells
        from tui.standup.timer import TimerSettings

        config = loaded.config
        limit = (
            timedelta(minutes=self.sit_limit_minutes)
            if self.sit_limit_minutes
            else config.sit_limit
        )
        settings = TimerSettings(
            limit=limit, remind_every=config.remind_every, break_length=config.break_length
        )
        write = self.today_data.write
        read_only = self._read_only(loaded.store)
        standup = StandupController(
            settings,
            self.clock,
            Spells(loaded.catalog),
            self,
            # Read-only (a read-only file, a damaged database): the timer runs, unsaved.
            (lambda spell: None) if read_only else lambda spell: write(spell.save, "sitting spell"),
            # The open spell as it goes (a crash loses at most a minute of it).
            save_progress=None
            if read_only
            else lambda so_far: write(so_far.save, "open sitting spell"),
            toast=config.notify.toast,
            bell=config.notify.bell,
            desktop=config.notify.desktop and self._desktop_allowed,
        )
        self.services = Services(loaded.store, loaded.catalog, config, standup)
        for warning in loaded.store.warnings:
            self.notify(warning, title="Database", severity="warning", timeout=30)
        if read_only:
            self.notify(
                f"Read-only: {loaded.store.read_only}. Today and Trends show your data; "
                "changes are not saved.",
                title="Database",
                severity="warning",
                timeout=30,
            )
        self.today_data.catalog = loaded.catalog
        self.today_data.refresh()  # with the coach's suggestions, which start-up's read skips
        self._read_plan()
        self.today_screen.catalog = loaded.catalog

        self.set_interval(1, self.tick, name="standup-tick")
        self.set_interval(EXTERNAL_POLL_SECONDS, self.today_data.poll, name="db-poll")
        self._jobs = CalendarJobs(
            self.clock.now().tzinfo, config.reminder, self.midnight, self.remind
        )
        self._watch_signals()
        notifications = config.notify.desktop and self._desktop_allowed
        if self._idle_choice == AUTO or notifications:
            self.connect_desktop(settings.break_length, self._idle_choice == AUTO, notifications)
        if self._idle_choice is not None and not isinstance(self._idle_choice, str):
            self._use_idle_source(self._idle_choice)
        if not loaded.safety_seen:
            from tui.screens.safety import SafetyScreen

            self.push_screen(SafetyScreen(), self._safety_closed)
        self.data_ready.set()
        # The heavy imports are done: collect again, but never over what start-up built.
        gc_pause.resume(long_running=True)

    def _safety_closed(self, _result: None) -> None:
        if self.services is not None and self._read_only(self.services.store):
            return  # shown again next time: nothing can be stored now
        seen_at = self.clock.now().isoformat()
        self.today_data.write(lambda store: store.set_setting(SAFETY_SEEN, seen_at), "safety note")

    @staticmethod
    def _read_only(store: Store) -> bool:
        """A read-only, damaged or full-disk database: nothing is written to it."""
        return store.read_only is not None

    @property
    def standup(self) -> StandupController | None:
        """The stand-up timer's controller, once start-up is done."""
        return self.services.standup if self.services else None

    @property
    def today_screen(self) -> TodayScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, TodayScreen)
        return screen

    def _watch_signals(self) -> None:
        # Closing the terminal (SIGHUP) or `kill` (SIGTERM) must still save the open spell.
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            # Not on every platform, nor outside the main thread (tests).
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._quit_on_signal)

    def _quit_on_signal(self) -> None:
        self.close_timer()
        self.exit()

    # --- the day's data: reads come down, changes go up -----------------------------

    @property
    def today_view(self) -> TodayView | None:
        """What the Today screen shows now (stored data and changes being written)."""
        return self.today_data.shown

    def _error(self, message: str) -> None:
        self.notify(message, title="Database", severity="error", timeout=15)

    def roll_over_if_new_day(self, now: datetime) -> None:
        """A new calendar day (the midnight job, or a tick after a suspend): the checklist
        moves to it if it showed today; a past day being looked at stays."""
        if now.date() == self.today:
            return
        self.today = day = now.date()
        self.shown.roll_over(day)
        self.today_data.day, self.today_data.today = self.shown.shown, day
        self._show_day()
        if self.services is not None and not self._read_only(self.services.store):
            catalog = self.services.catalog
            self.today_data.write(lambda store: store.sync_catalog(catalog, day), "new day")
        else:
            self.today_data.refresh()

    def midnight(self) -> None:
        self.roll_over_if_new_day(self.clock.now())

    # --- the checklist --------------------------------------------------------------

    @on(Checklist.Toggled)
    def toggle_habit(self, event: Checklist.Toggled) -> None:
        self._flip(event.item, CheckInStatus.DONE)

    @on(Checklist.Skipped)
    def skip_habit(self, event: Checklist.Skipped) -> None:
        self._flip(event.item, CheckInStatus.SKIPPED)

    def _flip(self, item: TodayItem, status: CheckInStatus) -> None:
        """Give the habit `status` on the day shown, or clear it if it already has it."""
        self._note_activity()
        day, now = self.shown.shown, self.clock.now()
        habit_id, name = item.id, item.name
        clearing = item.status == status
        new = CheckInStatus.OPEN if clearing else status
        did = {CheckInStatus.DONE: "ticked", CheckInStatus.SKIPPED: "skipped"}

        def change(store: Store) -> CheckIn | None:
            # The row it replaces, for undo: read in the write thread, just before.
            before = store.check_in_on(habit_id, day)
            if clearing:
                store.clear_check_in(habit_id, day)
            else:
                store.set_check_in(habit_id, day, status, now)
            return before

        self.today_data.write(
            change,
            f"untick {name}" if clearing else f"{status} {name}",
            lambda view: view.with_status(habit_id, new),
            lambda before: self._remember(
                check_in_change(name, habit_id, day, "cleared" if clearing else did[status], before)
            ),
        )

    @on(Checklist.Rated)
    def rate_session(self, event: Checklist.Rated) -> None:
        """Store how much the session just ticked hurt (the coach reads it)."""
        self._note_activity()
        # The day shown: a session ticked on a past day is rated for that day.
        day, habit_id, score = self.shown.shown, event.item.id, event.pain_during
        self.today_data.write(
            lambda store: store.rate_session(habit_id, day, score),
            f"rating {event.item.name}",
            lambda view: view.with_rating(habit_id, score),
        )

    @on(TodayScreen.LevelWanted)
    def change_level(self, event: TodayScreen.LevelWanted) -> None:
        """Put an exercise at another level from today (past days keep theirs)."""
        if self.shown.is_past:
            self.notify("Levels change from today: home goes back to it.", timeout=4)
            return
        day, now = self.today, self.clock.now()
        habit_id, level = event.item.id, event.level
        self.today_data.write(
            lambda store: store.set_level(habit_id, level, day, now),
            f"level {level} of {event.item.name}",
            lambda view: view.with_level(habit_id, level),
            lambda _changed: self.notify(
                f"{safe_markup(event.item.name)}: level {level} from today."
            ),
        )

    @on(TodayScreen.SkipExercisesRequested)
    def skip_exercises(self) -> None:
        day, now = self.shown.shown, self.clock.now()

        def skip_open(view: TodayView) -> TodayView:
            for item in view.items:
                if item.status == CheckInStatus.OPEN and not item.is_posture:
                    view = view.with_status(item.id, CheckInStatus.SKIPPED)
            return view

        def told(count: int) -> None:
            self.notify(
                f"Flare day: {count} exercise(s) skipped. Rest gently."
                if count
                else "No open exercises to skip."
            )

        self.today_data.write(
            lambda store: store.skip_exercises(day, now), "flare day", skip_open, told
        )

    # --- pain -----------------------------------------------------------------------

    def action_log_pain(self) -> None:
        """Open the pain form (Today's `p`)."""
        from tui.screens.pain_form import PainForm

        # Built once and reused: composing the form on every `p` costs a frame.
        if not self.is_screen_installed("pain-form"):
            self.install_screen(PainForm(), "pain-form")
        self.push_screen("pain-form", self.save_pain)

    def save_pain(self, entry: PainInput | None) -> None:
        """Store what the pain form returned; None means it was cancelled."""
        from store.models import PainEntry

        if entry is None:
            return
        day = self.shown.shown
        # A past day's score is stored at its noon (the form asks no time).
        now = logged_at(day, self.clock.now())
        shown = PainEntry(
            at=now,
            date=day,
            score=entry.score,
            leg_score=entry.leg_score,
            context=entry.context,
            note=entry.note,
        )
        self.today_data.write(
            lambda store: store.add_pain(
                entry.score,
                now,
                day,
                leg_score=entry.leg_score,
                context=entry.context,
                note=entry.note,
            ),
            f"pain {entry.score}/10",
            lambda view: view.with_pain(shown),
            lambda stored: self._pain_logged(pain_added(stored), entry.score),
        )

    def _pain_logged(self, change: Change, score: int) -> None:
        self._remember(change)
        self.notify(f"Pain {score}/10 logged.")

    @on(PainList.EditRequested)
    def edit_pain(self, event: PainList.EditRequested) -> None:
        from tui.screens.pain_form import PainForm, PainInput

        entry = event.entry
        start = PainInput(entry.score, entry.leg_score, entry.context, entry.note)
        title = f"Edit pain ({entry.at.astimezone():%H:%M} on {entry.date:%a %-d %b})"
        self.push_screen(PainForm(title, start), lambda edited: self._save_edit(entry, edited))

    def _save_edit(self, entry: PainEntry, edited: PainInput | None) -> None:
        from dataclasses import astuple

        from store.models import PainEntry

        if edited is None or entry.id is None:
            return
        entry_id = entry.id
        if astuple(edited) == (entry.score, entry.leg_score, entry.context, entry.note):
            self.notify("Nothing changed.")
            return
        shown = PainEntry(
            id=entry_id,
            at=entry.at,
            date=entry.date,
            score=edited.score,
            leg_score=edited.leg_score,
            context=edited.context,
            note=edited.note,
        )

        def stored(result: tuple[PainEntry, PainEntry]) -> None:
            self._remember(pain_edited(result[0]))
            self.notify(f"Pain entry changed to {edited.score}/10.")

        self.today_data.write(
            lambda store: store.edit_pain(
                entry_id,
                score=edited.score,
                leg_score=edited.leg_score,
                context=edited.context,
                note=edited.note,
            ),
            "edit pain entry",
            lambda view: view.with_pain_changed(entry_id, shown),
            stored,
        )

    @on(PainList.DeleteRequested)
    def delete_pain(self, event: PainList.DeleteRequested) -> None:
        from tui.screens.confirm import ConfirmScreen

        entry = event.entry
        question = (
            f"Delete pain {entry.score}/10 from {entry.at.astimezone():%H:%M} on "
            f"{entry.date:%a %-d %b}? (ctrl+z brings it back)"
        )
        self.push_screen(ConfirmScreen(question), lambda yes: self._delete(entry, yes))

    def _delete(self, entry: PainEntry, yes: bool | None) -> None:
        if not yes or entry.id is None:
            return
        entry_id = entry.id

        def stored(gone: PainEntry) -> None:
            self._remember(pain_deleted(gone))
            self.notify(f"Pain {gone.score}/10 deleted (ctrl+z brings it back).")

        self.today_data.write(
            lambda store: store.delete_pain(entry_id),
            "delete pain entry",
            lambda view: view.with_pain_changed(entry_id, None),
            stored,
        )

    # --- the day's note -------------------------------------------------------------

    def action_edit_note(self) -> None:
        """Open the note form for the day shown (Today's `n`)."""
        from tui.screens.note_form import NoteForm

        view = self.today_view
        if view is None or view.day != self.shown.shown:
            return  # the day's data is still being read
        day = view.day
        title = f"Note for {day:%A %-d %B}"
        self.push_screen(NoteForm(title, view.note), lambda text: self._save_note(day, text))

    def _save_note(self, day: date, text: str | None) -> None:
        if text is None:
            return
        now = self.clock.now()

        def stored(before: DayNote | None) -> None:
            if before is None and not text:
                return  # no note, and none written: nothing to undo
            self._remember(note_change(day, before, cleared=not text))
            self.notify("Note saved." if text else "Note cleared.")

        self.today_data.write(
            lambda store: store.set_note(day, text, now),
            "note",
            lambda view: view.with_note(text),
            stored,
        )

    # --- moving between days, and undo ------------------------------------------------

    def action_step_day(self, days: int) -> None:
        """`left` / `right`: the day before or after the one shown, never past today."""
        if not self.shown.step(days):
            self.bell()
            self.notify("That is today: there are no later days.", timeout=3)
            return
        self._show_shown_day()

    def action_back_to_today(self) -> None:
        if self.shown.home():
            self._show_shown_day()

    def _show_shown_day(self) -> None:
        self.today_data.day = self.shown.shown
        self._show_day()
        self.today_data.refresh()

    def _remember(self, change: Change) -> None:
        self.undo_stack.push(change)

    def action_undo(self) -> None:
        """ctrl+z: put back what the session's last change replaced, one step at a time."""
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo.", timeout=3)
            return

        def undone(_result: object) -> None:
            self.notify(safe_markup(f"Undid: {change.what}"))

        self.today_data.write(change.undo, f"undo {change.what}", done=undone)

    # --- the catalog and plan -------------------------------------------------------

    def action_catalog(self) -> None:
        from tui.screens.catalog import CatalogScreen

        if self.services is None or isinstance(self.screen, CatalogScreen):
            return
        # Shown at once with the rows last read (keys typed right after `c` land on them),
        # then read again in case the command line changed the plan meanwhile.
        screen = CatalogScreen()
        screen.rows = self._plan_rows
        self.push_screen(screen)
        self._read_plan(screen)

    def _read_plan(self, screen: CatalogScreen | None = None) -> None:
        """Read the catalog with what is in the plan; hand it to `screen` if it is still up."""
        assert self.services is not None
        catalog = self.services.catalog

        def show(rows: list[PlanRow]) -> None:
            self._plan_rows = tuple(rows)
            if screen is not None and screen.is_attached:
                screen.rows = self._plan_rows

        self.database.read(lambda store: store.plan(catalog), show, self.today_data.read_failed)

    def on_catalog_screen_plan_change_requested(
        self, event: CatalogScreen.PlanChangeRequested
    ) -> None:
        from tui.screens.catalog import CatalogScreen

        if self.services is None:
            return
        habit_id, day = event.habit_id, self.today
        screen = self.screen

        def changed(_result: object) -> None:
            self._read_plan(screen if isinstance(screen, CatalogScreen) else None)

        if event.add:
            self.today_data.write(
                lambda store: store.add_to_plan(habit_id, day), f"add {habit_id}", done=changed
            )
        else:
            self.today_data.write(
                lambda store: store.remove_from_plan(habit_id, day),
                f"remove {habit_id}",
                done=changed,
            )

    # --- other screens ----------------------------------------------------------------

    def action_trends(self) -> None:
        from tui.screens.trends import TrendsScreen

        if self.services is None or isinstance(self.screen, TrendsScreen):
            return
        self.push_screen(TrendsScreen())

    def on_trends_screen_wanted(self, event: TrendsScreen.Wanted) -> None:
        from tui.views.reads import read_trends

        if self.services is None:
            return
        names = {habit.id: habit.name for habit in self.services.catalog.habits}
        now, weeks, screen = self.clock.now(), event.weeks, event.screen
        self.database.read(
            lambda store: read_trends(store, now, weeks, names),
            screen.show,
            self.today_data.read_failed,
        )

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_resize(self, event: Resize) -> None:
        too_small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            super().push_screen(TooSmallScreen())
        elif showing and not too_small:
            self.pop_screen()

    def push_screen(
        self,
        screen: Any,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        # The "too small" message stays on top: a screen pushed meanwhile (the safety
        # note on first run, help, ...) goes beneath it, so there is only ever one
        # message and it is always the one on top.
        covering = (
            mode is None and bool(self.screen_stack) and isinstance(self.screen, TooSmallScreen)
        )
        if covering:
            self.pop_screen()
        # The flag is forwarded as it came; the overloads want it as a literal.
        pushed = super().push_screen(
            screen,
            callback,
            wait_for_dismiss,  # type: ignore[call-overload]
            mode=mode,
        )
        if covering:
            super().push_screen(TooSmallScreen())
        return pushed

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Log pain", "Open the pain form", self.action_log_pain)
        yield SystemCommand("Note", "Write the note for the day shown", self.action_edit_note)
        yield SystemCommand("Undo", "Undo the last change made here", self.action_undo)
        yield SystemCommand("Today", "Back to today from a past day", self.action_back_to_today)
        yield SystemCommand("Trends", "Charts of pain against adherence", self.action_trends)
        yield SystemCommand(
            "Catalog", "Add habits to your plan or remove them", self.action_catalog
        )
        yield SystemCommand("I'm up", "Start a break now", self.action_stand_up)
        yield SystemCommand("Back", "End the break or pause", self.action_back_from_break)
        yield SystemCommand("Snooze", "Put the stand-up reminder off 5 minutes", self.action_snooze)
        yield SystemCommand("Pause timer", "Pause the stand-up timer", self.action_pause)
        yield SystemCommand(
            "Flare day", "Skip every exercise still open today", self.skip_exercises
        )
        yield SystemCommand("Safety note", "When to see a doctor at once", self._show_safety)

    def _show_safety(self) -> None:
        from tui.screens.safety import SafetyScreen

        self.push_screen(SafetyScreen())

    # --- the stand-up timer: keys and the tick go to its controller ------------------

    def tick(self) -> None:
        """Once a second: a new day? advance the timer; tell of a write stuck on a lock."""
        self.roll_over_if_new_day(self.clock.now())
        if self.standup is not None:
            self.standup.tick()
        waiting = self.database.write_waiting_for()
        # A write still running after seconds without an error is in SQLite's busy wait.
        because = self.database.waiting_because or "locked"
        if waiting >= SLOW_WRITE_SECONDS and not self._told_slow_write:
            self._told_slow_write = True
            self.notify(WAITING_WRITE[because], title="Database", severity="warning", timeout=15)
        elif waiting == 0:
            self._told_slow_write = False

    def _note_activity(self) -> None:
        if self.standup is not None:
            self.standup.activity()

    def on_key(self, event: Key) -> None:
        # Runs for keys nobody else handled; bound keys note activity in their actions.
        self._note_activity()

    def on_app_focus(self, event: AppFocus) -> None:
        self._note_activity()

    def action_stand_up(self) -> None:
        if self.standup is not None:
            self.standup.stand_up()

    def action_back_from_break(self) -> None:
        # Not `action_back`: that is Textual's own action (back one screen).
        if self.standup is not None:
            self.standup.back()

    def action_snooze(self) -> None:
        if self.standup is not None:
            self.standup.snooze()

    def action_pause(self) -> None:
        from tui.screens.pause import PauseScreen

        self.push_screen(PauseScreen(), self._pause_chosen)

    def _pause_chosen(self, choice: int | bool | None) -> None:
        if self.standup is None or choice is False:
            return
        self.standup.pause(None if choice is None or choice is True else choice)

    def close_timer(self) -> None:
        """Save the open spell (quit, SIGTERM, SIGHUP)."""
        if self.standup is not None:
            self.standup.close()

    # --- what the controller shows and sounds (its `Alerts`) -------------------------

    def toast(
        self, message: str, *, title: str = "", warning: bool = False, timeout: float | None = None
    ) -> None:
        self.notify(
            message, title=title, severity="warning" if warning else "information", timeout=timeout
        )

    def show_timer(self, view: TimerView) -> None:
        if self.screen_stack:  # shutting down: the tick may fire once more as screens go
            self.today_screen.timer_view = view

    def desktop(self, title: str, body: str) -> None:
        if self._desktop is not None:
            self.send_desktop(title, body, alert=True)

    def desktop_close(self) -> None:
        if self._desktop is not None:
            self.close_desktop_alert()

    @work(thread=True, exit_on_error=False, group="notify")
    def send_desktop(self, title: str, body: str, alert: bool) -> None:
        if self._desktop is not None:
            self._desktop.notify(title, body, alert=alert)

    @work(thread=True, exit_on_error=False, group="notify")
    def close_desktop_alert(self) -> None:
        if self._desktop is not None:
            self._desktop.close_alert()

    @work(thread=True, exit_on_error=False, group="desktop")
    def connect_desktop(self, break_length: timedelta, watch: bool, notifications: bool) -> None:
        """Open the desktop's buses off the event loop (see tui/standup/desktop.py)."""
        from tui.standup.desktop import Desktop

        desktop = Desktop.connect(
            self._from_desktop, break_length, watch=watch, notifications=notifications
        )
        self.call_from_thread(self._use_desktop, desktop)

    def _from_desktop(self, event: DesktopEvent) -> None:
        """News from the desktop (on a bus thread) goes to the timer on the event loop."""
        self._deliver(lambda: self.standup.desktop_event(event) if self.standup else None)

    def _use_desktop(self, desktop: Desktop) -> None:
        self._desktop = desktop
        if desktop.idle_source is not None:
            self._use_idle_source(desktop.idle_source, poll=desktop.polled)

    def _use_idle_source(self, source: IdleSource, poll: bool = True) -> None:
        if self.standup is None:
            return
        self.standup.use_idle_source(source)
        if poll:
            self.set_interval(IDLE_POLL_SECONDS, self.poll_idle, name="idle-poll")
            self.poll_idle()

    @work(thread=True, exit_on_error=False, exclusive=True, group="idle-poll")
    def poll_idle(self) -> None:
        """Read the OS idle time off the event loop (it may run a subprocess)."""
        if self.standup is not None:
            self.standup.read_idle()

    # --- calendar reminders ---------------------------------------------------------

    def remind(self, reminder: Reminder) -> None:
        """A config reminder: only if something on today's list is still open."""
        if self.services is not None:
            self.today_data.refresh(lambda view: self._remind_if_open(reminder, view))

    def _remind_if_open(self, reminder: Reminder, view: TodayView) -> None:
        if view.open_count == 0 or self.services is None:
            return
        notify = self.services.config.notify
        body = f"{reminder.text} ({view.open_count} open)."
        if notify.toast:
            self.notify(safe_markup(body), title="Reminder", timeout=30)
        if notify.bell:
            self.bell()
        if self._desktop is not None:
            self.send_desktop("upright reminder", body, alert=False)

    # --- the end ----------------------------------------------------------------------

    async def action_quit(self) -> None:
        self.close_timer()
        self.exit()

    async def on_unmount(self) -> None:
        self.close_timer()
        if self._jobs is not None:
            self._jobs.stop()
            self._jobs = None
        await asyncio.to_thread(self._close_data)

    def _close_data(self) -> None:
        """Off the loop: writes already made finish first (each within its patience)."""
        if self._desktop is not None:
            self._desktop.close()
        self.database.close()
        self.today_data.close()
        if self.services is not None:
            # Closing the pooled connections lets SQLite move the write-ahead log into
            # upright.db and remove it: the file alone then holds everything (a copy of
            # it is a whole backup).
            self.services.store.engine.dispose()
