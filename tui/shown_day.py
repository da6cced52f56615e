"""Which day the Today screen shows: today, or a past day the user moved back to.

Pure and clock-free (the app passes today in): tested without a terminal. Not stored:
the dashboard opens on today every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass
class ShownDay:
    """`today` is the calendar's; `shown` never goes past it."""

    today: date
    shown: date

    @classmethod
    def on(cls, today: date) -> ShownDay:
        return cls(today, today)

    @property
    def is_past(self) -> bool:
        return self.shown < self.today

    def step(self, days: int) -> bool:
        """Move `days` (negative: back). False, and no move, past today."""
        target = self.shown + timedelta(days=days)
        if target > self.today:
            return False
        self.shown = target
        return True

    def home(self) -> bool:
        """Back to today; False if already there."""
        moved = self.shown != self.today
        self.shown = self.today
        return moved

    def roll_over(self, new_today: date) -> bool:
        """A new calendar day: whoever was looking at today sees the new today, whoever
        was looking at a past day stays on it. True if the day shown changed."""
        was_today = self.shown == self.today
        self.today = new_today
        if was_today or self.shown > new_today:  # > : the clock went back
            moved = self.shown != new_today
            self.shown = new_today
            return moved
        return False


def logged_at(day: date, now: datetime) -> datetime:
    """When a pain score logged on the Today screen for `day` is stored as taken: now on
    today, noon (in now's zone) on a past day: the form cannot know the hour, and noon
    keeps it inside the day in any zone change of a few hours."""
    if day == now.date():
        return now
    return datetime.combine(day, time(12), now.tzinfo)
