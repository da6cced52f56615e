"""Reading a user's TOML file (the catalog, config.toml) with one-line errors."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from store.errors import UserError
from store.limits import MAX_TOML_BYTES


def _read_bytes(path: Path, error: type[UserError]) -> bytes:
    """A regular file's bytes, at most MAX_TOML_BYTES. Opened without blocking and checked
    before anything is read: a FIFO (which would wait for a writer forever), /dev/zero
    (which never ends) or a directory is refused at once."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise error(f"{path}: not a regular file")
        chunks: list[bytes] = []
        left = MAX_TOML_BYTES + 1  # one byte more tells a file that is too big
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    if left <= 0:
        raise error(f"{path}: larger than {MAX_TOML_BYTES // (1024 * 1024)} MB")
    return b"".join(chunks)


def read_toml(path: Path, error: type[UserError]) -> tuple[dict[str, Any], str]:
    """The parsed document and its text. A missing file raises FileNotFoundError (the
    caller knows whether that is fine); anything else wrong (not a regular file, larger
    than MAX_TOML_BYTES, not UTF-8, not TOML) raises `error` naming `path`."""
    try:
        # Newlines as Path.read_text gave them: \r\n and a lone \r read as \n.
        text = _read_bytes(path, error).decode("utf-8")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
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
