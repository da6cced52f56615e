"""Morning pain: the one definition the coach and the Trends share.

A day's morning pain is its pain entry logged with context `morning`; a day
with none takes its first entry of the day if that was logged before 11:00
local time without a context (an entry marked `during-exercise` at 08:00 is
not how the back woke up). Days with neither have no morning reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from store.vocab import PainContext

MORNING_ENDS = dt.time(11, 0)
"""An uncontexted first entry counts as the morning's only if logged before this."""


class PainReading(Protocol):
    """What a morning needs of a pain entry (store.models.PainEntry fits)."""

    @property
    def at(self) -> dt.datetime: ...  # aware
    @property
    def date(self) -> dt.date: ...
    @property
    def score(self) -> int: ...
    @property
    def context(self) -> str | None: ...


def morning_pain(entries: Iterable[PainReading], tz: dt.tzinfo) -> dict[dt.date, int]:
    """Each day's morning back-pain score, for the days that have one.

    `tz` is the user's zone, in which "before 11:00" is read. With several
    `morning` entries on one day, the first logged counts.
    """
    first_of_day: dict[dt.date, PainReading] = {}
    first_morning: dict[dt.date, PainReading] = {}
    for entry in entries:
        earliest = first_of_day.get(entry.date)
        if earliest is None or entry.at < earliest.at:
            first_of_day[entry.date] = entry
        if entry.context == PainContext.MORNING:
            known = first_morning.get(entry.date)
            if known is None or entry.at < known.at:
                first_morning[entry.date] = entry
    mornings = {day: entry.score for day, entry in first_morning.items()}
    for day, entry in first_of_day.items():
        if (
            day not in mornings
            and entry.context is None
            and entry.at.astimezone(tz).time() < MORNING_ENDS
        ):
            mornings[day] = entry.score
    return dict(sorted(mornings.items()))
