"""Where the app gets the time. Tests pass their own clock; nothing else reads the system clock."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in the local zone."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (suspend and NTP do not move it)."""
        ...


class SystemClock:
    """The real clocks."""

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        return time.monotonic()
