"""Turns the stand-up timer's events into spells to store, and picks what to suggest doing.

Each SpellEnded becomes one `FinishedSpell` (the timer does not announce spells
that come to nothing); quitting, SIGTERM and SIGHUP all end the open spell
first. So that a crash (SIGKILL, the OOM killer, power loss) loses at most a
minute of it, the open spell is also stored as it goes: once it has lasted
`save_every()` the controller hands an `OpenSpell` (a row with `ended_by` NULL
and `end` its last known time), again at most every `save_every()`, and the
spell's `FinishedSpell` then closes that same row (`SpellRow`). A spell shorter
than that is written whole when it ends, as before. At start the controller
hands `InterruptedSpells`: open rows not stored for `STALE_AFTER_SAVES`
intervals were left by a run that crashed (a live dashboard on the same
database stores its own every interval) and are closed as "interrupted" at
their last known time.

No Textual, no database: each of these is plain data with a `save(store)` that
the app runs in its write thread, in order.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

from tui.standup.timer import Event, SpellEnded, SpellStarted, StandUpAlert

if TYPE_CHECKING:
    from store.catalog import Catalog, HabitEntry
    from store.queries import Store

# How often the open spell is stored: what a crash may lose at most.
SAVE_EVERY = timedelta(minutes=1)
# For tests only (a system test SIGKILLs the dashboard after a few seconds): seconds.
SAVE_EVERY_ENV = "UPRIGHT_SPELL_SAVE_SECONDS"
# An open row not stored for this many intervals was left by a run that crashed.
# Its writer, if alive after all (stopped with Ctrl-Z, say), still has the last word:
# its next save of that spell overwrites the row by id.
STALE_AFTER_SAVES = 3


def save_every(environ: Mapping[str, str] = os.environ) -> timedelta:
    """`SAVE_EVERY`, or `UPRIGHT_SPELL_SAVE_SECONDS` when set to a positive number."""
    try:
        seconds = float(environ.get(SAVE_EVERY_ENV, ""))
    except ValueError:
        return SAVE_EVERY
    return timedelta(seconds=seconds) if 0 < seconds < 86400 else SAVE_EVERY


class SpellRow:
    """Where the open spell is stored: its row id once the write thread has inserted it.

    Only `save` methods (in the write thread, in order) read or set `id`.
    """

    __slots__ = ("id",)

    def __init__(self) -> None:
        self.id: int | None = None


# Short things to do standing up, best first; any present in the catalog are used.
STANDING_MOVES = (
    "standing-back-extension",
    "squat-to-stand",
    "walking-backwards",
    "brisk-walking",
)


@dataclass(frozen=True)
class FinishedSpell:
    """A sitting spell that has ended, as the store keeps it."""

    start: datetime
    end: datetime
    ended_by: str
    alerts: int
    snoozes: int
    first_alert_at: datetime | None
    # The row it was stored in while open, if it was: closed in place.
    row: SpellRow | None = field(default=None, compare=False)

    def save(self, store: Store) -> int:
        return store.save_spell(
            None if self.row is None else self.row.id,
            self.start,
            self.end,
            self.ended_by,
            self.alerts,
            self.snoozes,
            first_alert_at=self.first_alert_at,
        )


@dataclass(frozen=True)
class OpenSpell:
    """The open spell so far: `end` is the last moment it was known to go on."""

    row: SpellRow = field(compare=False)
    start: datetime
    end: datetime
    alerts: int
    snoozes: int
    first_alert_at: datetime | None

    def save(self, store: Store) -> int:
        self.row.id = store.save_spell(
            self.row.id,
            self.start,
            self.end,
            None,
            self.alerts,
            self.snoozes,
            first_alert_at=self.first_alert_at,
        )
        return self.row.id


@dataclass(frozen=True)
class DroppedSpell:
    """An open spell stored as it went that ended where it started: nothing to keep."""

    row: SpellRow = field(compare=False)

    def save(self, store: Store) -> None:
        if self.row.id is not None:
            store.drop_open_spell(self.row.id)


@dataclass(frozen=True)
class InterruptedSpells:
    """Close the open spells a crashed run left: those last stored before `last_known_before`."""

    last_known_before: datetime

    def save(self, store: Store) -> int:
        return store.close_interrupted_spells(self.last_known_before)


# What the controller hands `save_progress`.
SpellProgress: TypeAlias = OpenSpell | DroppedSpell | InterruptedSpells


class Spells:
    """Remembers when the first alert of the open spell fired; rotates standing moves."""

    def __init__(self, catalog: Catalog) -> None:
        self._first_alert_at: datetime | None = None
        self._moves: list[HabitEntry] = [
            entry for move_id in STANDING_MOVES if (entry := catalog.get(move_id)) is not None
        ]
        self._next_move = 0

    @property
    def first_alert_at(self) -> datetime | None:
        """When the open spell's first alert fired, if it has."""
        return self._first_alert_at

    def finished(self, events: Sequence[Event], now: datetime) -> list[FinishedSpell]:
        """The spells these events end (usually none)."""
        done: list[FinishedSpell] = []
        for event in events:
            if isinstance(event, SpellStarted):
                self._first_alert_at = None
            elif isinstance(event, StandUpAlert) and event.nth == 1:
                self._first_alert_at = now
            elif isinstance(event, SpellEnded):
                done.append(
                    FinishedSpell(
                        event.start,
                        event.end,
                        event.ended_by,
                        event.alerts,
                        event.snoozes,
                        self._first_alert_at,
                    )
                )
                self._first_alert_at = None
        return done

    def suggest_move(self) -> HabitEntry | None:
        """The next short standing movement to suggest, rotating through the catalog's."""
        if not self._moves:
            return None
        move = self._moves[self._next_move % len(self._moves)]
        self._next_move += 1
        return move
