"""UprightApp: screens, key bindings, the stand-up timer's tick and the calendar jobs.

Data flows one way. Screens and widgets post messages; the handlers here
call the store; the fresh `TodayView` is handed down to the screen, which
hands its parts to its widgets. Only this module talks to the store.

Start-up paints the first frame before the heavy modules (sqlmodel,
pydantic, apscheduler) load: the catalog, config and database are opened in
a worker thread, and a broken catalog or config ends the app with a
one-line message and exit code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
from tui.screens.today import TodayScreen
from tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.standup.timer import (
    BackFromBreak,
    Paused,
    Snoozed,
    SnoozeRefused,
    SpellEnded,
    SpellStarted,
    StandUpAlert,
    StandupTimer,
    TimerSettings,
)
from tui.views.formats import duration_text
from tui.widgets.checklist import Checklist
from tui.widgets.standup import view_of

if TYPE_CHECKING:
    from store.catalog import Catalog
    from store.queries import Store, TodayItem
    from tui.config import Config, Reminder
    from tui.screens.pain_form import PainInput
    from tui.standup.idle import IdleSource
    from tui.standup.spells import StandupService
    from tui.standup.timer import Event
    from tui.views.today import TodayView

SAFETY_SEEN = "safety_note_seen"
IDLE_POLL_SECONDS = 5
EXTERNAL_POLL_SECONDS = 3
# Sentinel: find the system's idle source in a worker.
AUTO = "auto"


@dataclass(frozen=True)
class Loaded:
    """What the start-up worker opened after the first checklist was on screen."""

    catalog: Catalog
    config: Config
    safety_seen: bool


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
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.catalog_path = catalog_path
        self.config_path = config_path
        self.clock: Clock = clock or SystemClock()
        self.sit_limit_minutes = sit_limit_minutes
        self._idle_choice = idle_source
        self._desktop_allowed = desktop_notifications
        self.store: Store | None = None
        self.catalog: Catalog | None = None
        self.config: Config | None = None
        self.timer: StandupTimer | None = None
        self.standup: StandupService | None = None
        self.today: date = self.clock.now().date()
        self._show_day()
        self.today_view: TodayView | None = None
        self.idle_source: IdleSource | None = None
        self._idle_reading: tuple[timedelta, float] | None = None
        self._alerting = False
        self._db_signature: tuple[int, ...] | None = None
        self._scheduler: Any = None
        self._notifier: list[str] | None = None
        self.data_ready = asyncio.Event()

    # --- start-up -----------------------------------------------------------------

    def _show_day(self) -> None:
        """The date in the header: part of the first frame, and right after midnight."""
        self.sub_title = f"{self.today:%A %-d %B %Y}"

    async def on_ready(self) -> None:
        # The first frame (header and date) has been written. Open the store in a worker
        # and build the rest of Today meanwhile. The worker's results come back through
        # this app's message queue, so they are handled after the panels are up.
        self.load_data()
        await self.today_screen.build_panels()

    @work(thread=True, exit_on_error=False, group="load")
    def load_data(self) -> None:
        """Open config, database and catalog off the event loop, today's checklist first.

        What the checklist needs is read first and shown at once; the catalog
        (when its files are unchanged the stored habits are current, see
        store/synced.py), the settings and the scheduler's modules follow.
        """
        from store.errors import UserError
        from store.synced import open_synced
        from tui.config import load_config
        from tui.views.today import read_today

        try:
            config = load_config(self.config_path)
            # The first queries also set up SQLAlchemy's mappers: here, not on the loop.
            store, catalog = open_synced(self.db_path, self.catalog_path, self.today)
            today = read_today(store, catalog, self.today)
            shown = threading.Event()
            self.call_from_thread(self._on_store_open, store, today, shown)
            # Let the checklist paint before loading more: this thread would slow it
            # down (the two share the GIL).
            shown.wait(timeout=1)
            if catalog is None:
                from store.catalog import load_catalog

                catalog = load_catalog(self.catalog_path)
            safety_seen = store.get_setting(SAFETY_SEEN) is not None
        except UserError as exc:
            self.call_from_thread(self.exit, None, 2, f"upright: error: {exc}")
            return
        # `_on_data_loaded` needs these next, on the event loop: import them here instead.
        import apscheduler.schedulers.asyncio
        import apscheduler.triggers.cron  # noqa: F401

        import tui.standup.spells  # noqa: F401

        self.call_from_thread(self._on_data_loaded, Loaded(catalog, config, safety_seen))

    def _on_store_open(self, store: Store, today: TodayView, shown: threading.Event) -> None:
        """The checklist can show: ticks work from here on (the timer starts a moment later)."""
        self.store = store
        self._show_today(today)
        self.call_after_refresh(shown.set)

    def _on_data_loaded(self, loaded: Loaded) -> None:
        from tui.standup.spells import StandupService

        assert self.store is not None
        self.catalog, self.config = loaded.catalog, loaded.config
        limit = (
            timedelta(minutes=self.sit_limit_minutes)
            if self.sit_limit_minutes else self.config.sit_limit
        )
        settings = TimerSettings(
            limit=limit, remind_every=self.config.remind_every,
            break_length=self.config.break_length,
        )
        now = self.clock.now()
        self.timer = StandupTimer(settings, now, self.clock.monotonic())
        self.standup = StandupService(self.store, self.catalog)
        self.standup.record(self.timer.start(now, self.clock.monotonic()), now)

        self.today_screen.catalog = self.catalog
        self._update_timer_view()

        self.set_interval(1, self.tick, name="standup-tick")
        self.set_interval(EXTERNAL_POLL_SECONDS, self.check_external_changes, name="db-poll")
        self._start_scheduler()
        self._watch_signals()
        if self._idle_choice == AUTO:
            self.find_idle_source()
        elif self._idle_choice is not None and not isinstance(self._idle_choice, str):
            self.idle_source = self._idle_choice
            self.set_interval(IDLE_POLL_SECONDS, self.poll_idle, name="idle-poll")
            self.poll_idle()
        if self.config.notify.desktop and self._desktop_allowed:
            self.find_notifier()
        if not loaded.safety_seen:
            from tui.screens.safety import SafetyScreen

            self.push_screen(SafetyScreen(), self._safety_closed)
        self.data_ready.set()
        # The heavy imports are done: collect again, but never over what start-up built.
        gc_pause.resume(long_running=True)

    def _safety_closed(self, _result: None) -> None:
        if self.store is not None:
            self.store.set_setting(SAFETY_SEEN, self.clock.now().isoformat())

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

    # --- the day's data -------------------------------------------------------------

    def refresh_today(self) -> None:
        """Re-read the Today screen's data (a few milliseconds) and hand it down."""
        if self.store is None:
            return
        from tui.views.today import read_today

        self._show_today(read_today(self.store, self.catalog, self.today))

    def _show_today(self, view: TodayView) -> None:
        self.today_view = view
        self.today_screen.view = view
        self._db_signature = self._signature()

    def _signature(self) -> tuple[int, ...] | None:
        """Size and mtime of the database and its WAL: they change when anyone writes."""
        if self.store is None:
            return None
        parts: list[int] = []
        for suffix in ("", "-wal"):
            try:
                stat = os.stat(f"{self.store.path}{suffix}")
            except OSError:
                parts.extend((0, 0))
            else:
                parts.extend((stat.st_mtime_ns, stat.st_size))
        return tuple(parts)

    def check_external_changes(self) -> None:
        """Pick up writes made by `upright done ...` while the app is open."""
        if self._signature() != self._db_signature:
            self.refresh_today()

    def roll_over_if_new_day(self, now: datetime) -> None:
        """Switch the checklist to the new day (the midnight job, or a tick after a suspend)."""
        if now.date() != self.today:
            self.today = now.date()
            self._show_day()
            if self.store is not None and self.catalog is not None:
                self.store.sync_catalog(self.catalog, self.today)
            self.refresh_today()

    # --- the checklist --------------------------------------------------------------

    @on(Checklist.Toggled)
    def toggle_habit(self, event: Checklist.Toggled) -> None:
        """Tick or untick: committed before the row repaints."""
        self._flip(event.item, CheckInStatus.DONE)

    @on(Checklist.Skipped)
    def skip_habit(self, event: Checklist.Skipped) -> None:
        self._flip(event.item, CheckInStatus.SKIPPED)

    def _flip(self, item: TodayItem, status: CheckInStatus) -> None:
        """Give the habit `status` today, or clear it if it already has it."""
        self._note_activity()
        if self.store is None:
            return
        if item.status == status:
            self.store.clear_check_in(item.id, self.today)
            status = CheckInStatus.OPEN
        else:
            self.store.set_check_in(item.id, self.today, status, self.clock.now())
        if self.today_view is not None:
            # Committed: the next frame shows the row's new mark at once, and the full
            # re-read (progress, this week's counts) follows right after that frame.
            self.today_screen.view = self.today_view.with_status(item.id, status)
        self.call_after_refresh(self.refresh_today)

    @on(TodayScreen.SkipExercisesRequested)
    def skip_exercises(self) -> None:
        if self.store is None:
            return
        count = self.store.skip_exercises(self.today, self.clock.now())
        self.refresh_today()
        self.notify(f"Flare day: {count} exercise(s) skipped. Rest gently." if count
                    else "No open exercises to skip.")

    # --- pain -----------------------------------------------------------------------

    def action_log_pain(self) -> None:
        """Open the pain form (Today's `p`)."""
        from tui.screens.pain_form import PainForm

        if self.store is None:
            # The first half second: a score entered now would have nowhere to go.
            self.notify("Still opening your data: press p again in a moment.")
            return
        # Built once and reused: composing the form on every `p` costs a frame.
        if not self.is_screen_installed("pain-form"):
            self.install_screen(PainForm(), "pain-form")
        self.push_screen("pain-form", self.save_pain)

    def save_pain(self, entry: PainInput | None) -> None:
        """Store what the pain form returned; None means it was cancelled."""
        if entry is None or self.store is None:
            return
        now = self.clock.now()
        self.store.add_pain(entry.score, now, self.today, leg_score=entry.leg_score,
                            context=entry.context, note=entry.note)
        self.refresh_today()
        self.notify(f"Pain {entry.score}/10 logged.")

    # --- the catalog and plan -------------------------------------------------------

    def action_catalog(self) -> None:
        from tui.screens.catalog import CatalogScreen

        if self.store is None or self.catalog is None or isinstance(self.screen, CatalogScreen):
            return
        screen = CatalogScreen()
        screen.rows = tuple(self.store.plan(self.catalog))
        self.push_screen(screen)

    def on_catalog_screen_plan_change_requested(self, event: Any) -> None:
        from tui.screens.catalog import CatalogScreen

        if self.store is None or self.catalog is None:
            return
        if event.add:
            self.store.add_to_plan(event.habit_id, self.today)
        else:
            self.store.remove_from_plan(event.habit_id, self.today)
        if isinstance(self.screen, CatalogScreen):
            self.screen.rows = tuple(self.store.plan(self.catalog))
        self.refresh_today()

    # --- other screens ----------------------------------------------------------------

    def action_trends(self) -> None:
        from tui.screens.trends import TrendsScreen

        if self.store is None or isinstance(self.screen, TrendsScreen):
            return
        self.push_screen(TrendsScreen(self.store, self.clock))

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

    def push_screen(self, screen: Any, callback: Any = None, wait_for_dismiss: bool = False,
                    *, mode: str | None = None) -> Any:
        # The "too small" message stays on top: a screen pushed meanwhile (the safety
        # note on first run, help, ...) goes beneath it, so there is only ever one
        # message and it is always the one on top.
        covering = mode is None and bool(self.screen_stack) and isinstance(
            self.screen, TooSmallScreen)
        if covering:
            self.pop_screen()
        # The flag is forwarded as it came; the overloads want it as a literal.
        pushed = super().push_screen(screen, callback, wait_for_dismiss,  # type: ignore[call-overload]
                                     mode=mode)
        if covering:
            super().push_screen(TooSmallScreen())
        return pushed

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Log pain", "Open the pain form", self.action_log_pain)
        yield SystemCommand("Trends", "Charts of pain against adherence", self.action_trends)
        yield SystemCommand("Catalog", "Add habits to your plan or remove them",
                            self.action_catalog)
        yield SystemCommand("I'm up", "Start a break now", self.action_stand_up)
        yield SystemCommand("Back", "End the break or pause", self.action_back_from_break)
        yield SystemCommand("Snooze", "Put the stand-up reminder off 5 minutes",
                            self.action_snooze)
        yield SystemCommand("Pause timer", "Pause the stand-up timer", self.action_pause)
        yield SystemCommand("Flare day", "Skip every exercise still open today",
                            self.skip_exercises)
        yield SystemCommand("Safety note", "When to see a doctor at once", self._show_safety)

    def _show_safety(self) -> None:
        from tui.screens.safety import SafetyScreen

        self.push_screen(SafetyScreen())

    # --- the stand-up timer -----------------------------------------------------------

    def tick(self) -> None:
        """Once a second: advance the timer; repaint only the timer panel."""
        if self.timer is None:
            return
        now = self.clock.now()
        self.roll_over_if_new_day(now)
        monotonic = self.clock.monotonic()
        idle = None
        if self._idle_reading is not None:
            reading, read_at = self._idle_reading
            idle = reading + timedelta(seconds=max(0.0, monotonic - read_at))
        self._handle(self.timer.tick(now, monotonic, idle), now)

    def _handle(self, events: list[Event], now: datetime) -> None:
        if self.standup is not None:
            self.standup.record(events, now)
        for event in events:
            if isinstance(event, StandUpAlert):
                self._alerting = True
                self.alert_stand_up(event.sitting_for)
            elif isinstance(event, SpellEnded | SpellStarted | Snoozed | Paused):
                self._alerting = False
            if isinstance(event, Snoozed) and self.timer is not None:
                self.notify(f"Snoozed until {event.until.astimezone():%H:%M} "
                            f"({event.snoozes} of {self.timer.settings.max_snoozes} used).")
            elif isinstance(event, SnoozeRefused):
                self.notify("No snoozes left for this spell: time to stand up.",
                            severity="warning")
            elif isinstance(event, BackFromBreak):
                self.notify(f"Welcome back: away {duration_text(event.away_for)}.")
        self._update_timer_view()

    def _update_timer_view(self) -> None:
        if self.timer is None or not self.screen_stack:
            return  # shutting down: the tick may fire once more as the screens go
        source = self.idle_source.name if self.idle_source else "in-app keys only"
        self.today_screen.timer_view = view_of(self.timer, self.clock.now(), source,
                                               self._alerting)

    def alert_stand_up(self, sitting_for: timedelta) -> None:
        """Toast, bell and desktop notification, each as the config allows."""
        assert self.config is not None and self.standup is not None
        move = self.standup.suggest_move()
        body = f"You have been sitting {duration_text(sitting_for)}."
        if move is not None:
            body += f" Try: {move.name}" + (f" ({move.dose.as_text()})" if move.dose.as_text()
                                             else "") + "."
        if self.config.notify.toast:
            self.notify(body, title="Time to stand up", severity="warning", timeout=20)
        if self.config.notify.bell:
            self.bell()
        if self._notifier is not None:
            self.send_desktop("Time to stand up", body)

    @work(thread=True, exit_on_error=False, group="notify")
    def send_desktop(self, title: str, body: str) -> None:
        from tui.standup.notify import send_desktop_notification

        if self._notifier is not None:
            send_desktop_notification(title, body, self._notifier)

    @work(thread=True, exit_on_error=False, group="notify")
    def find_notifier(self) -> None:
        from tui.standup.notify import find_desktop_notifier

        self._notifier = find_desktop_notifier()

    @work(thread=True, exit_on_error=False, group="idle")
    def find_idle_source(self) -> None:
        from tui.standup.idle import detect_idle_source

        source = detect_idle_source()
        if source is not None:
            self.call_from_thread(self._use_idle_source, source)

    def _use_idle_source(self, source: IdleSource) -> None:
        self.idle_source = source
        self.set_interval(IDLE_POLL_SECONDS, self.poll_idle, name="idle-poll")
        self.poll_idle()
        self._update_timer_view()

    @work(thread=True, exit_on_error=False, exclusive=True, group="idle-poll")
    def poll_idle(self) -> None:
        """Read the OS idle time off the event loop (it may run a subprocess)."""
        if self.idle_source is None:
            return
        reading = self.idle_source.idle_for()
        monotonic = self.clock.monotonic()
        self._idle_reading = None if reading is None else (reading, monotonic)

    def _drive_timer(self, call: Callable[[StandupTimer, datetime], list[Event]]) -> bool:
        """Run one timer call at the current time and act on its events."""
        if self.timer is None:
            return False
        now = self.clock.now()
        self._handle(call(self.timer, now), now)
        return True

    def _note_activity(self) -> None:
        """A key or focus in the app means the user is at the keyboard."""
        self._drive_timer(lambda timer, now: timer.activity(now))

    def on_key(self, event: Key) -> None:
        # Runs for keys nobody else handled; bound keys note activity in their actions.
        self._note_activity()

    def on_app_focus(self, event: AppFocus) -> None:
        self._note_activity()

    def action_stand_up(self) -> None:
        if self._drive_timer(lambda timer, now: timer.stand_up(now)):
            self.notify("Enjoy the break. Press b when you are back.")

    def action_back_from_break(self) -> None:
        # Not `action_back`: that is Textual's own action (back one screen).
        self._drive_timer(lambda timer, now: timer.back(now))

    def action_snooze(self) -> None:
        self._drive_timer(lambda timer, now: timer.snooze(now))

    def action_pause(self) -> None:
        from tui.screens.pause import PauseScreen

        self.push_screen(PauseScreen(), self._pause_chosen)

    def _pause_chosen(self, choice: int | bool | None) -> None:
        if self.timer is None or choice is False:
            return
        now = self.clock.now()
        if choice is None or choice is True:
            tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0, 0))
            until = tomorrow.replace(tzinfo=now.tzinfo)
        else:
            until = now + timedelta(minutes=choice)
        self._handle(self.timer.pause(now, until), now)

    def close_timer(self) -> None:
        """Save the open spell (quit, SIGTERM, SIGHUP)."""
        if self.timer is not None:
            now = self.clock.now()
            events = self.timer.quit(now)
            if self.standup is not None:
                self.standup.record(events, now)
            self.timer = None

    async def action_quit(self) -> None:
        self.close_timer()
        self.exit()

    async def on_unmount(self) -> None:
        self.close_timer()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self.store is not None:
            # Closing the pooled connections lets SQLite move the write-ahead log into
            # upright.db and remove it: the file alone then holds everything (a copy of
            # it is a whole backup).
            self.store.engine.dispose()

    # --- calendar jobs (APScheduler) --------------------------------------------------

    def _start_scheduler(self) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.cron import CronTrigger

        assert self.config is not None
        tz = self.clock.now().tzinfo
        scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop(), timezone=tz)
        # Coroutine jobs run on the event loop itself: no threads touch the widgets.
        scheduler.add_job(self._midnight, CronTrigger(hour=0, minute=0, second=1, timezone=tz),
                          id="midnight", coalesce=True, misfire_grace_time=6 * 3600)
        for index, reminder in enumerate(self.config.reminder):
            scheduler.add_job(
                self._remind, CronTrigger(hour=reminder.at.hour, minute=reminder.at.minute,
                                          timezone=tz),
                args=[reminder], id=f"reminder-{index}", coalesce=True, misfire_grace_time=900,
            )
        scheduler.start()
        self._scheduler = scheduler

    async def _midnight(self) -> None:
        self.roll_over_if_new_day(self.clock.now())

    async def _remind(self, reminder: Reminder) -> None:
        self.remind(reminder)

    def remind(self, reminder: Reminder) -> None:
        """A config reminder: only if something on today's list is still open."""
        self.refresh_today()
        if self.today_view is None or self.today_view.open_count == 0 or self.config is None:
            return
        body = f"{reminder.text} ({self.today_view.open_count} open)."
        if self.config.notify.toast:
            self.notify(body, title="Reminder", timeout=30)
        if self.config.notify.bell:
            self.bell()
        if self._notifier is not None:
            self.send_desktop("upright reminder", body)
