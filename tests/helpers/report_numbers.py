"""The physio report's headline numbers, computed from `upright stats --json` alone: the
unit test finds them in the HTML, the browser test in the PDF's text."""

from __future__ import annotations

from typing import Any


def _share(done: int, due: int) -> str:
    return f"{done / due:.0%}"


def _one(value: float) -> str:
    return f"{value:.1f}"


def headline_numbers(stats: dict[str, Any]) -> list[str]:
    """Each as the report writes it, whitespace collapsed. Needs a period of two weeks
    or more with pain logged on 4 of its first 7 days (the demo history has that)."""
    done = sum(w["done"] for w in stats["weeks"])
    due = sum(w["due"] for w in stats["weeks"])
    done4 = sum(w["done"] for w in stats["weeks"][-4:])
    due4 = sum(w["due"] for w in stats["weeks"][-4:])
    change = stats["pain_change"]
    # The period's first 7 days: the mean of the days' means, with 4 or more logged.
    first_days = [d["pain"] for d in stats["days"][:7] if d["pain"] is not None]
    assert len(first_days) >= 4 and len(stats["weeks"]) >= 2
    start = sum(first_days) / len(first_days)
    return [
        # Big number and the counts under it: separate lines in the PDF's reading order.
        _share(done, due),
        f"{done} of {due} done",
        _share(done4, due4),
        f"{done4} of {due4} done",
        f"{_one(start)} to {_one(change['recent_mean'])}",
        f"mean pain {_one(change['recent_mean'])} against {_one(change['previous_mean'])}",
    ]
