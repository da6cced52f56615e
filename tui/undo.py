"""The dashboard's undo: the changes made this session, newest last, each with the write
that puts the store back exactly as it was before it. No Textual import.

A change is recorded once it is stored (its write hands back what it replaced), so an
undo never races the change it undoes: both go through the one write thread, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.models import CheckIn, DayNote, PainEntry
    from store.queries import Store

# Enough for a session of fixes; the oldest are forgotten first.
MAX_UNDO = 100


def day_text(day: date) -> str:
    """A day as the undo toast says it: "29 Nov"."""
    return f"{day.day} {day:%b}"


@dataclass(frozen=True)
class Change:
    """A stored change: what it was ("bird-dog ticked on 29 Nov") and how to undo it."""

    what: str
    day: date
    undo: Callable[[Store], object]


def check_in_change(
    name: str, habit_id: str, day: date, did: str, before: CheckIn | None
) -> Change:
    return Change(
        f"{name} {did} on {day_text(day)}",
        day,
        lambda store: store.put_check_in(habit_id, day, before),
    )


def pain_added(entry: PainEntry) -> Change:
    entry_id = entry.id
    assert entry_id is not None
    return Change(
        f"pain {entry.score}/10 added on {day_text(entry.date)}",
        entry.date,
        lambda store: store.delete_pain(entry_id),
    )


def pain_edited(before: PainEntry) -> Change:
    return Change(
        f"pain entry edited on {day_text(before.date)}",
        before.date,
        lambda store: store.put_pain(before),
    )


def pain_deleted(gone: PainEntry) -> Change:
    return Change(
        f"pain {gone.score}/10 deleted on {day_text(gone.date)}",
        gone.date,
        lambda store: store.put_pain(gone),
    )


def note_change(day: date, before: DayNote | None, cleared: bool) -> Change:
    return Change(
        f"note {'cleared' if cleared else 'set'} on {day_text(day)}",
        day,
        lambda store: store.put_note(day, before),
    )


class UndoStack:
    """Changes, newest last."""

    def __init__(self, limit: int = MAX_UNDO) -> None:
        self._changes: list[Change] = []
        self._limit = limit

    def __len__(self) -> int:
        return len(self._changes)

    def push(self, change: Change) -> None:
        self._changes.append(change)
        del self._changes[: -self._limit]

    def pop(self) -> Change | None:
        return self._changes.pop() if self._changes else None
