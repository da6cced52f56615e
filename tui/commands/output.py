"""Files the command line writes for the user (`export -o`, `report -o`): private, and
never anything but the user's own regular file. No Textual, nothing heavy."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click


def open_private(output: Path, replace: bool) -> int:
    """A new file created 0600 (exclusively), or, with `replace`, an existing regular file
    of this user's, not writable by others, made 0600 and emptied: health data is as
    private as the database. Anything else (a folder, a device, a pipe, someone else's
    file, or any existing file without `replace`) is refused untouched. Returns a
    descriptor open for writing."""
    try:
        return os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    info = os.stat(output)
    if stat.S_ISDIR(info.st_mode):
        raise click.ClickException(f"{output} is a folder; nothing was written")
    if not stat.S_ISREG(info.st_mode):
        raise click.ClickException(f"{output} is not a regular file; nothing was written")
    if not replace:
        raise click.ClickException(
            f"{output} exists; nothing was written (--force replaces it, or choose a new name)"
        )
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise click.ClickException(
            f"{output} belongs to another user (uid {info.st_uid}); nothing was written"
        )
    if info.st_mode & 0o022:
        raise click.ClickException(
            f"{output} is writable by other users; nothing was written (choose a new file)"
        )
    fd = os.open(output, os.O_WRONLY)
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        os.close(fd)
        raise click.ClickException(f"{output} changed while opening it; nothing was written")
    if hasattr(os, "fchmod") and opened.st_mode & 0o077:
        os.fchmod(fd, 0o600)
    os.ftruncate(fd, 0)
    return fd


def write_private(output: Path, text: str, replace: bool) -> None:
    """`text` into `output` (see `open_private`); an OS error is one line for the user."""
    try:
        fd = open_private(output, replace)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
