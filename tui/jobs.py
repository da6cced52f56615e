"""The calendar jobs: the day's roll-over just after midnight and config.toml's reminders.

APScheduler (3.x) runs them on the app's own event loop, so a job may touch
the screen; it is started inside the running loop, as AsyncIOScheduler needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from tui.config import Reminder

# A roll-over missed while the machine slept still runs, up to this long late.
MIDNIGHT_GRACE_SECONDS = 6 * 3600
REMINDER_GRACE_SECONDS = 900


class CalendarJobs:
    """Midnight and the reminders; `stop()` ends them."""

    def __init__(
        self,
        tz: tzinfo | None,
        reminders: Sequence[Reminder],
        on_midnight: Callable[[], None],
        on_reminder: Callable[[Reminder], None],
    ) -> None:
        self._scheduler: Any = AsyncIOScheduler(event_loop=asyncio.get_running_loop(), timezone=tz)

        async def midnight() -> None:
            on_midnight()

        async def remind(reminder: Reminder) -> None:
            on_reminder(reminder)

        # Coroutine jobs run on the event loop itself: no threads touch the widgets.
        self._scheduler.add_job(
            midnight,
            CronTrigger(hour=0, minute=0, second=1, timezone=tz),
            id="midnight",
            coalesce=True,
            misfire_grace_time=MIDNIGHT_GRACE_SECONDS,
        )
        for index, reminder in enumerate(reminders):
            self._scheduler.add_job(
                remind,
                CronTrigger(hour=reminder.at.hour, minute=reminder.at.minute, timezone=tz),
                args=[reminder],
                id=f"reminder-{index}",
                coalesce=True,
                misfire_grace_time=REMINDER_GRACE_SECONDS,
            )
        self._scheduler.start()

    def stop(self) -> None:
        self._scheduler.shutdown(wait=False)
