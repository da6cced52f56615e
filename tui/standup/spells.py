"""Keeps the stand-up timer's spells in the store, and picks what to suggest doing.

The glue between `tui.standup.timer.StandupTimer` (pure) and the database: each
SpellEnded becomes one row. A spell is written whole when it ends (the timer
does not announce spells that come to nothing), and quitting, SIGTERM and
SIGHUP all end the open spell first. No Textual import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from store.catalog import Catalog, HabitEntry
from store.queries import Store
from tui.standup.timer import Event, SpellEnded, SpellStarted, StandUpAlert

# Short things to do standing up, best first; any present in the catalog are used.
STANDING_MOVES = (
    "standing-back-extension",
    "squat-to-stand",
    "walking-backwards",
    "brisk-walking",
)


class StandupService:
    """Persists the timer's spells; remembers when the first alert of a spell fired."""

    def __init__(self, store: Store, catalog: Catalog) -> None:
        self.store = store
        self._first_alert_at: datetime | None = None
        self._moves: list[HabitEntry] = [
            entry for move_id in STANDING_MOVES if (entry := catalog.get(move_id)) is not None
        ]
        self._next_move = 0

    def record(self, events: Sequence[Event], now: datetime) -> None:
        """Write what the events say happened to spells."""
        for event in events:
            if isinstance(event, SpellStarted):
                self._first_alert_at = None
            elif isinstance(event, StandUpAlert) and event.nth == 1:
                self._first_alert_at = now
            elif isinstance(event, SpellEnded):
                self.store.add_spell(
                    event.start, event.end, event.ended_by, event.alerts, event.snoozes,
                    first_alert_at=self._first_alert_at,
                )
                self._first_alert_at = None

    def suggest_move(self) -> HabitEntry | None:
        """The next short standing movement to suggest, rotating through the catalog's."""
        if not self._moves:
            return None
        move = self._moves[self._next_move % len(self._moves)]
        self._next_move += 1
        return move
