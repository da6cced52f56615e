"""The Today screen's data: read from the store, with the changes being written shown on top.

Reads and writes go through `Database` (worker threads). A change is shown at
once as an overlay on the last stored view; it comes off when the write is
stored (a fresh read follows) or fails (the screen goes back to what is
stored, and `error` gets one line). `poll()` notices commits by other programs
through SQLite's `PRAGMA data_version`. No Textual import.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from tui.database import Database

if TYPE_CHECKING:
    from store.catalog import Catalog
    from store.db import ChangeCounter
    from store.queries import Store
    from tui.views.today import TodayView

Overlay = Callable[["TodayView"], "TodayView"]


class TodayData:
    """What Today shows for `day`; `show` hands each new view down, `error` tells the user."""

    def __init__(
        self,
        database: Database,
        day: date,
        show: Callable[[TodayView], None],
        error: Callable[[str], None],
    ) -> None:
        self.database = database
        self.day = day
        self.catalog: Catalog | None = None
        # The user's zone, in which the coach reads "morning" (None: the computer's).
        self.tz: tzinfo | None = None
        self._show = show
        self._error = error
        # The view as last read from the store, and the changes not yet stored.
        self.stored: TodayView | None = None
        self._unsaved: dict[int, Overlay] = {}
        self._change_ids = itertools.count()
        # PRAGMA data_version when `stored` was read: it changes when anyone commits.
        self._changes: ChangeCounter | None = None
        self._seen_version: int | None = None

    @property
    def shown(self) -> TodayView | None:
        """The stored view with the changes still being written on top of it."""
        view = self.stored
        if view is not None:
            for overlay in self._unsaved.values():
                view = overlay(view)
        return view

    def loaded(self, view: TodayView) -> None:
        """A view read outside `refresh` (start-up's first read)."""
        self.stored = view
        self._hand_down()

    def _hand_down(self) -> None:
        if (view := self.shown) is not None:
            self._show(view)

    # --- reads --------------------------------------------------------------------

    def refresh(self, then: Callable[[TodayView], None] | None = None) -> None:
        """Re-read the day in the read thread, hand it down, then call `then` with it."""
        day, catalog, tz = self.day, self.catalog, self.tz

        def read(store: Store) -> tuple[int, TodayView]:
            from tui.views.reads import read_today  # with the store's modules, off the loop

            # The counter first: a commit after it shows at the next poll. (The read
            # thread alone uses the counter.)
            if self._changes is None:
                self._changes = store.change_counter()
            return self._changes.current(), read_today(store, catalog, day, tz)

        def arrived(result: tuple[int, TodayView]) -> None:
            version, view = result
            if view.day != self.day:
                return  # read before midnight, arrived after it
            self._seen_version = version
            self.stored = view
            self._hand_down()
            if then is not None:
                then(self.shown or view)

        self.database.read(read, arrived, self.read_failed)

    def poll(self) -> None:
        """Re-read if anyone (`upright done ...` in a shell, say) committed since the last read."""

        def compare(version: int | None) -> None:
            if version is None or version != self._seen_version:  # None: never read yet
                self.refresh()

        self.database.read(
            lambda _store: self._changes.current() if self._changes else None,
            compare,
            self.read_failed,
        )

    def read_failed(self, message: str) -> None:
        self._error(f"Could not read your data: {message}")

    # --- writes -------------------------------------------------------------------

    def write(
        self,
        call: Callable[[Store], Any],
        what: str,
        overlay: Overlay | None = None,
        done: Callable[[Any], None] | None = None,
    ) -> None:
        """Write in the background; show `overlay` on Today until it is stored or fails."""
        change = next(self._change_ids)
        if overlay is not None:
            self._unsaved[change] = overlay
            self._hand_down()

        def stored(result: object) -> None:
            self._unsaved.pop(change, None)
            if done is not None:
                done(result)
            self.refresh()

        def not_stored(message: str) -> None:
            self._unsaved.pop(change, None)
            self._hand_down()
            self._error(f"Not saved ({what}): {message}")
            self.refresh()

        self.database.write(call, stored, not_stored)

    def close(self) -> None:
        """After the database's threads have stopped."""
        if self._changes is not None:
            self._changes.close()
