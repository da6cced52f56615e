"""Opening the store with the catalog's habits in it, without re-reading an unchanged catalog.

The app and the command line both start here. Reading and validating the
catalog costs tens of milliseconds (TOML, pydantic); when its files have not
changed since the database was last synced with them, the stored habits are
already current and the catalog is not read at all.
"""

from __future__ import annotations

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
) -> tuple[Store, Catalog | None]:
    """The store, synced with the catalog; and the catalog, or None when it was not read.

    With `habit`, an unknown habit is refused before the sync writes anything
    (bad input changes nothing). A broken catalog raises CatalogError before
    a missing database is created. Pass `store` to reuse one already open;
    `busy_timeout` is for a store opened here (see `Store.open`).
    """
    files = fingerprint(catalog_path)
    # Only on an existing database: on a fresh machine a broken catalog must stop us
    # before the database file is created.
    if store is not None or (db_path or default_db_path()).exists():
        store = store or Store.open(db_path, busy_timeout)
        if store.is_synced_with(files) and (habit is None or store.has_habit(habit)):
            return store, None
    from store.catalog import load_catalog

    catalog = load_catalog(catalog_path)
    store = store or Store.open(db_path, busy_timeout)
    if habit is not None and habit not in catalog.ids and not store.has_habit(habit):
        raise StoreError(f"unknown habit {habit!r} (see `upright plan` for the ids)")
    store.sync_catalog(catalog, today, files)
    return store, catalog
