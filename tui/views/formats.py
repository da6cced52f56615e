"""How upright writes a share and a length of time: one formatter for each. No Textual.

The Today panel, the Trends tables and sentences, the toasts and `upright stats`
all write numbers through these, so "46%" and "1 h 05 min" read the same everywhere.
"""

from __future__ import annotations

from datetime import timedelta

# An en dash: no value (nothing due, nothing logged).
NO_VALUE = "\u2013"


def percent_text(share: float | None, missing: str = NO_VALUE) -> str:
    """A share as a whole percentage: 0.456 -> "46%"; None -> `missing`."""
    return missing if share is None else f"{share:.0%}"


def duration_text(length: float | timedelta, short: bool = False) -> str:
    """95 minutes -> "1 h 35 min", under an hour just "35 min"; `short` (narrow table
    columns) -> "1h 35m" / "35m".

    A number of minutes (a statistic: a mean, a total) is rounded. A timedelta is a
    clock's reading (sitting for, away for) and counts the whole minutes gone by, as a
    clock does: the timer panel then changes once a minute, and 29 min 40 s is not yet
    "30 min", the limit.
    """
    if isinstance(length, timedelta):
        minutes = max(0, int(length.total_seconds() // 60))
    else:
        minutes = round(length)
    hours, mins = divmod(minutes, 60)
    if short:
        return f"{hours}h {mins:02d}m" if hours else f"{mins}m"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def size_text(size: int) -> str:
    """A file's size in bytes, as `ls -h` would round it: 812 -> "812 B", 1536 -> "1.5 KiB"."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
