"""Start-up: open the settings, the database and the catalog, today's checklist first.

`open_data` runs in a worker thread while the first frame is on screen. It
reads what the checklist needs and hands it over at once (`show_today`); the
catalog (when its files are unchanged the stored habits are current, see
store/synced.py), the settings and the scheduler's modules follow, and come
back as one `Loaded`. The app then builds its `Services`: one "not loaded
yet" state for everything start-up opens.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.catalog import Catalog
    from store.queries import Store
    from tui.config import Config
    from tui.standup.controller import StandupController
    from tui.views.today import TodayView

# Setting: when the user first dismissed the safety note.
SAFETY_SEEN = "safety_note_seen"


@dataclass(frozen=True)
class Loaded:
    """What the start-up worker opened."""

    store: Store
    catalog: Catalog
    config: Config
    safety_seen: bool


@dataclass(frozen=True)
class Services:
    """Everything the app needs once start-up is done, built on the event loop."""

    store: Store
    catalog: Catalog
    config: Config
    standup: StandupController


def open_data(
    db_path: Path | None,
    catalog_path: Path | None,
    config_path: Path | None,
    day: date,
    show_today: Callable[[Store, TodayView], None],
    busy_timeout: float | None = None,
    backup_day: Callable[[], date] | None = None,
) -> Loaded:
    """Open everything, calling `show_today` as soon as the checklist can be shown.

    Blocking: run it in a thread. Raises UserError (one line for the user) for a
    broken config, catalog or database. `busy_timeout`: seconds one write waits on
    another program's lock (None: the store's default). `backup_day`: the app's
    clock's date, which dates the day's backup (None: the wall clock's).
    """
    from store.db import BUSY_TIMEOUT_S, default_db_path
    from store.queries import Store
    from store.synced import open_synced
    from tui.config import load_config
    from tui.views.reads import read_today

    config = load_config(config_path)
    # The first queries also set up SQLAlchemy's mappers: here, not on the loop.
    # check: PRAGMA quick_check; a damaged database opens read-only, never written.
    busy = busy_timeout or BUSY_TIMEOUT_S
    existing = None
    if os.path.lexists(db_path or default_db_path()):
        # Opened here so that the sync's writes already date the day's backup by the
        # app's clock (a new database is not opened here: a broken catalog must stop
        # us before it is created, and it has nothing to back up yet).
        existing = Store.open(db_path, busy, check=True)
        if backup_day is not None:
            existing.backups.today = backup_day
    store, catalog = open_synced(
        db_path, catalog_path, day, store=existing, busy_timeout=busy, check=True
    )
    if backup_day is not None:
        store.backups.today = backup_day
    show_today(store, read_today(store, catalog, day, coach=False))
    if catalog is None:
        from store.catalog import load_catalog

        catalog = load_catalog(catalog_path)
    safety_seen = store.get_setting(SAFETY_SEEN) is not None
    # The app needs these next, on the event loop: import them here instead.
    import tui.jobs
    import tui.standup.controller  # noqa: F401

    return Loaded(store, catalog, config, safety_seen)
