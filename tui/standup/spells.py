"""Turns the stand-up timer's events into spells to store, and picks what to suggest doing.

Each SpellEnded becomes one `FinishedSpell`, written whole when it ends (the
timer does not announce spells that come to nothing); quitting, SIGTERM and
SIGHUP all end the open spell first. No Textual, no database: the controller
hands each finished spell to whoever stores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tui.standup.timer import Event, SpellEnded, SpellStarted, StandUpAlert

if TYPE_CHECKING:
    from store.catalog import Catalog, HabitEntry
    from store.queries import Store

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

    def save(self, store: Store) -> int:
        return store.add_spell(
            self.start,
            self.end,
            self.ended_by,
            self.alerts,
            self.snoozes,
            first_alert_at=self.first_alert_at,
        )


class Spells:
    """Remembers when the first alert of the open spell fired; rotates standing moves."""

    def __init__(self, catalog: Catalog) -> None:
        self._first_alert_at: datetime | None = None
        self._moves: list[HabitEntry] = [
            entry for move_id in STANDING_MOVES if (entry := catalog.get(move_id)) is not None
        ]
        self._next_move = 0

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
