"""What the Today screen shows, gathered from the store in one call. No Textual import."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from store.catalog import Catalog
from store.models import PainEntry
from store.queries import Store, TodayItem
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

    @property
    def day_adherence(self) -> float | None:
        return self.day_done / self.day_due if self.day_due else None

    @property
    def week_adherence(self) -> float | None:
        return self.week_done / self.week_due if self.week_due else None

    def with_status(self, habit_id: str, status: CheckInStatus) -> TodayView:
        """This view with one row's mark changed (the counts wait for the next read)."""
        items = tuple(replace(item, status=status) if item.id == habit_id else item
                      for item in self.items)
        return replace(self, items=items)

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.items if item.status == CheckInStatus.OPEN)


def read_today(store: Store, catalog: Catalog | None, day: date) -> TodayView:
    """Today's checklist, pain entries and adherence (from the shared statistics).

    Names come from the catalog when given, else from the stored habits. One
    transaction: the counts and the checklist come from the same snapshot.
    """
    with store.reading():
        stats = store.stats(day, weeks=1)
        items = tuple(store.today(day, catalog))
        pain = tuple(store.pain_on(day))
    today_row = stats.days[-1]
    week_row = stats.weeks[-1]
    return TodayView(
        day=day,
        items=items,
        pain=pain,
        day_done=today_row.done,
        day_due=today_row.due,
        week_done=week_row.done,
        week_due=week_row.due,
    )
