"""What the Today screen shows, as plain data (read by `tui.views.reads.read_today`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from store.models import PainEntry
from store.queries import CoachRow, TodayItem
from store.vocab import CheckInStatus


@dataclass(frozen=True)
class TodayView:
    """One consistent read of everything on the Today screen."""

    day: date
    items: tuple[TodayItem, ...]
    pain: tuple[PainEntry, ...]
    day_done: int
    day_due: int
    week_done: int
    week_due: int
    # The coach's suggestion for each exercise in the plan (store.coach), by habit id.
    coach: tuple[CoachRow, ...] = ()

    def coach_for(self, habit_id: str) -> CoachRow | None:
        return next((row for row in self.coach if row.id == habit_id), None)

    @property
    def day_adherence(self) -> float | None:
        return self.day_done / self.day_due if self.day_due else None

    @property
    def week_adherence(self) -> float | None:
        return self.week_done / self.week_due if self.week_due else None

    def with_status(self, habit_id: str, status: CheckInStatus) -> TodayView:
        """This view with one row's mark changed (the counts wait for the next read)."""
        items = tuple(
            replace(item, status=status) if item.id == habit_id else item for item in self.items
        )
        return replace(self, items=items)

    def with_rating(self, habit_id: str, pain_during: int) -> TodayView:
        """This view with a session's pain rating (the coach waits for the next read)."""
        items = tuple(
            replace(item, pain_during=pain_during) if item.id == habit_id else item
            for item in self.items
        )
        return replace(self, items=items)

    def with_level(self, habit_id: str, level: int) -> TodayView:
        """This view with an exercise at another level, and that level's dose."""
        row = self.coach_for(habit_id)
        items = tuple(
            replace(
                item,
                level=level,
                dose=row.ladder[level - 1] if row else item.dose,
                suggestion=None,
            )
            if item.id == habit_id
            else item
            for item in self.items
        )
        return replace(self, items=items)

    def with_pain(self, entry: PainEntry) -> TodayView:
        """This view with one more pain entry (the counts wait for the next read)."""
        return replace(self, pain=(*self.pain, entry))

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.items if item.status == CheckInStatus.OPEN)
