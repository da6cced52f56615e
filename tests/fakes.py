"""Fakes the app tests inject: a clock the test moves by hand, and an OS idle source."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta


class FakeClock:
    """Wall clock and monotonic clock that move only when the test says so."""

    def __init__(self, start: datetime, monotonic: float = 10_000.0) -> None:
        if start.utcoffset() is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start
        self._monotonic = monotonic

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, delta: timedelta) -> None:
        """Normal time passing: both clocks move together."""
        tz = self._now.tzinfo
        self._now = (self._now + delta).astimezone(tz)
        self._monotonic += delta.total_seconds()


class FakeIdle:
    """An OS idle source whose reading the test sets."""

    name = "fake idle"

    def __init__(self, idle: timedelta | None = timedelta(0)) -> None:
        self.idle = idle

    def idle_for(self) -> timedelta | None:
        return self.idle


@contextmanager
def local_timezone(name: str) -> Iterator[None]:
    """Make `datetime.astimezone()` use `name` as the local zone (the app shows local times)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
