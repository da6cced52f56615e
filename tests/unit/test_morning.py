"""The morning pain definition shared by the coach and the Trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from store.morning import morning_pain

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Entry:
    at: dt.datetime
    date: dt.date
    score: int
    context: str | None = None


def entry(day: int, hour: int, minute: int, score: int, context: str | None = None) -> Entry:
    local = dt.datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)
    return Entry(local.astimezone(dt.UTC), local.date(), score, context)


def test_a_morning_entry_wins_over_an_earlier_uncontexted_one() -> None:
    entries = [entry(2, 7, 0, 6), entry(2, 9, 30, 3, "morning")]
    assert morning_pain(entries, BERLIN) == {dt.date(2026, 3, 2): 3}


def test_the_first_morning_entry_counts_when_there_are_several() -> None:
    entries = [entry(2, 9, 0, 5, "morning"), entry(2, 8, 0, 2, "morning")]
    assert morning_pain(entries, BERLIN) == {dt.date(2026, 3, 2): 2}


def test_an_uncontexted_first_entry_counts_only_before_eleven_local() -> None:
    entries = [entry(2, 10, 59, 4), entry(3, 11, 0, 7), entry(3, 18, 0, 1)]
    # 10:59 Berlin is 09:59 UTC: the zone, not UTC, decides.
    assert morning_pain(entries, BERLIN) == {dt.date(2026, 3, 2): 4}


def test_an_early_entry_with_another_context_is_not_a_morning() -> None:
    entries = [entry(4, 8, 0, 6, "during-exercise"), entry(4, 9, 0, 2)]
    # The first entry of the day is an exercise rating, so the day has no morning:
    # the later uncontexted 09:00 entry is not the day's first.
    assert morning_pain(entries, BERLIN) == {}
