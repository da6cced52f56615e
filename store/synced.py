"""Opening the store with the catalog's habits in it, without re-reading an unchanged catalog.

The app and the command line both start here. Reading and validating the
catalog costs tens of milliseconds (TOML, pydantic); when its files have not
changed since the database was last synced with them, the stored habits are
already current and the catalog is not read at all.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from store.catalog_files import fingerprint
from store.db import BUSY_TIMEOUT_S, default_db_path
from store.errors import StoreError
from store.queries import Store

if TYPE_CHECKING:
    from store.catalog import Catalog


def open_synced(
    db_path: Path | None,
    catalog_path: Path | None,
    today: date,
    habit: str | None = None,
    store: Store | None = None,
    busy_timeout: float = BUSY_TIMEOUT_S,
    check: bool = False,
) -> tuple[Store, Catalog | None]:
    """The store, synced with the catalog; and the catalog, or None when it was not read.

    With `habit`, an unknown habit is refused before the sync writes anything
    (bad input changes nothing). A broken catalog raises CatalogError before
    a missing database is created. Pass `store` to reuse one already open;
    `busy_timeout` and `check` are for a store opened here (see `Store.open`).
    A read-only store (a read-only file, a damaged database) is not synced: its
    stored habits are used as they are.
    """
    files = fingerprint(catalog_path)
    # Only on an existing database: on a fresh machine a broken catalog must stop us
    # before the database file is created.
    if store is not None or os.path.lexists(db_path or default_db_path()):
        store = store or Store.open(db_path, busy_timeout, check=check)
        if store.read_only is not None:
            if habit is not None:  # only the commands that write name a habit
                store.refuse_writes_if_read_only()
            return store, None
        if store.is_synced_with(files) and (habit is None or store.has_habit(habit)):
            return store, None
    from store.catalog import load_catalog

    catalog = load_catalog(catalog_path)
    if store is None and habit is not None and habit not in catalog.ids:
        # A fresh machine: refuse before the data folder and database are created.
        raise StoreError(_unknown(habit))
    store = store or Store.open(db_path, busy_timeout, check=check)
    if habit is not None and habit not in catalog.ids and not store.has_habit(habit):
        raise StoreError(_unknown(habit))
    store.sync_catalog(catalog, today, files)
    return store, catalog


def _unknown(habit: str) -> str:
    return f"unknown habit {habit!r} (see `upright plan` for the ids)"
