"""Shared fixtures. Every test gets its own home, data and config folders, so no
test reads or writes the real user's database, catalog overrides or config."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import platformdirs
import pytest

from store.catalog import Catalog, load_catalog
from store.queries import Store
from tests.fakes import local_timezone

DATA = Path(__file__).parent / "data"
SMALL_CATALOG = DATA / "small.toml"
# The day the `store` fixture first syncs the catalog: a Monday.
SYNC_DAY = date(2026, 3, 2)


XDG_VARS = {
    "data": "XDG_DATA_HOME",
    "config": "XDG_CONFIG_HOME",
    "cache": "XDG_CACHE_HOME",
    "state": "XDG_STATE_HOME",
}


def _user_path(kind: str) -> Callable[..., Path]:
    """platformdirs.user_<kind>_path that follows $XDG_<KIND>_HOME on every platform."""

    def user_path(appname: str | None = None, *_args: object, **_kwargs: object) -> Path:
        return Path(os.environ[XDG_VARS[kind]]) / (appname or "")

    return user_path


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, the XDG folders, platformdirs and UPRIGHT_DB at a fresh temporary folder."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(root))
    for kind, var in XDG_VARS.items():
        monkeypatch.setenv(var, str(root / kind))
        # platformdirs ignores the XDG variables on macOS and Windows: patch it too.
        path_function = _user_path(kind)
        monkeypatch.setattr(platformdirs, f"user_{kind}_path", path_function)
        monkeypatch.setattr(
            platformdirs, f"user_{kind}_dir", lambda *a, _f=path_function, **k: str(_f(*a, **k))
        )
    monkeypatch.setenv("UPRIGHT_DB", str(root / "data" / "upright" / "upright.db"))
    monkeypatch.delenv("UPRIGHT_DEBUG", raising=False)
    return root


@pytest.fixture
def tmp_db_path(tmp_path: Path) -> Path:
    """A database path in a folder that does not exist yet."""
    return tmp_path / "db" / "upright.db"


@pytest.fixture
def small_catalog_path() -> Path:
    return SMALL_CATALOG


@pytest.fixture
def small_catalog(small_catalog_path: Path) -> Catalog:
    return load_catalog(small_catalog_path)


@pytest.fixture
def store(tmp_db_path: Path, small_catalog: Catalog) -> Iterator[Store]:
    """A Store on a fresh database, synced with the small catalog on SYNC_DAY."""
    opened = Store.open(tmp_db_path)
    opened.sync_catalog(small_catalog, SYNC_DAY)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def london() -> Iterator[None]:
    """Local time is London's: the screens show local times and days.
    UI test modules use it for every test (`pytestmark = pytest.mark.usefixtures(...)`)."""
    with local_timezone("Europe/London"):
        yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the app's database goes, in a data folder that does not exist yet."""
    return tmp_path / "data" / "upright.db"
