"""Which files make up the catalog, and a fingerprint that changes when any of them does.

Kept apart from store/catalog.py (pydantic) so that the command line can tell
with a few `stat` calls whether the catalog changed since the database was
last synced with it, and skip reading and validating it when it did not.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs


def shipped_catalog_path() -> Path:
    """exercises.toml inside the installed package, or at the repo root in a checkout."""
    packaged = resources.files("store") / "exercises.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "exercises.toml"


def user_override_path() -> Path:
    return platformdirs.user_config_path("upright") / "exercises.toml"


def catalog_files(path: Path | None = None, overrides: Path | None = None) -> list[Path]:
    """The files `load_catalog(path, overrides)` reads, base first.

    `path` replaces the shipped catalog (and then no user overrides apply);
    otherwise the user's override file is layered on top when it exists.
    """
    if path is not None:
        return [path]
    override = overrides if overrides is not None else user_override_path()
    return [shipped_catalog_path(), *([override] if override.exists() else [])]


def fingerprint(path: Path | None = None) -> str:
    """Each catalog file's absolute path, size and modification time."""
    parts = []
    for file in catalog_files(path):
        try:
            stat = os.stat(file)
        except OSError:
            parts.append(f"{file.absolute()}:missing")
        else:
            parts.append(f"{file.absolute()}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)
