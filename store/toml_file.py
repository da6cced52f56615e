"""Reading a user's TOML file (the catalog, config.toml) with one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from store.errors import UserError


def read_toml(path: Path, error: type[UserError]) -> tuple[dict[str, Any], str]:
    """The parsed document and its text. A missing file raises FileNotFoundError (the
    caller knows whether that is fine); anything else wrong raises `error` naming `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    try:
        # tomllib's message ends with "(at line N, column M)"
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        # tomllib recurses per nested array or inline table; thousands of them overflow.
        raise error(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
