"""`upright backup` and `upright restore`: copies of the database, and putting one back.

The work is in store/backup.py; here are the arguments and what is printed.
Every user error is a StoreError or click error: one line, exit code 2.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import click

from tui.views.formats import size_text
from tui.views.text import safe_text


def _db_path() -> Path:
    from store.db import default_db_path

    db_path: Path | None = click.get_current_context().find_root().obj.db_path
    return (db_path or default_db_path()).expanduser()


def _now_local() -> datetime:
    from store.queries import local_now

    return local_now()


def _refuse_target(path: Path) -> None:
    """`upright backup PATH` writes a new file only: never over a file, a folder, a device."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}") from None
    if info is not None:
        what = (
            "a folder"
            if stat.S_ISDIR(info.st_mode)
            else "a file"
            if stat.S_ISREG(info.st_mode)
            else "a device or other special file"
        )
        raise click.ClickException(
            f"{path} is {what}; upright writes a backup to a new file only, nothing was written"
        )
    if not path.parent.is_dir():
        raise click.ClickException(f"no folder {path.parent}; nothing was written")


@click.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option("--list", "listing", is_flag=True, help="List the backups instead.")
@click.option("--json", "as_json", is_flag=True, help="With --list: print JSON.")
def backup(path: Path | None, listing: bool, as_json: bool) -> None:
    """Copy the database now, into backups/ beside it (or to the new file PATH)."""
    from store.backup import backup_folder, backup_now, backups, copy_database
    from store.db import open_database

    db_path = _db_path()
    if listing:
        if path is not None:
            raise click.UsageError("--list takes no PATH")
        found = backups(db_path)
        if as_json:
            import json

            click.echo(json.dumps([b.to_json() for b in found]))
            return
        if not found:
            click.echo(safe_text(f"no backups in {backup_folder(db_path)}"))
            return
        click.echo(safe_text(f"backups in {backup_folder(db_path)}:"))
        for item in found:
            click.echo(
                f"{item.name:<44} {item.day.isoformat():<11} {item.kind:<15}"
                f"{size_text(item.size):>10}"
            )
        return
    if as_json:
        raise click.UsageError("--json goes with --list")
    if path is not None:
        _refuse_target(path)
    # The same checks as every command (ours, an upright database), and no database made.
    open_database(db_path, create=False).engine.dispose()
    if path is None:
        made = backup_now(db_path, _now_local())
    else:
        copy_database(db_path, path)
        made = path
    click.echo(safe_text(f"backed up {db_path} to {made} ({size_text(made.stat().st_size)})"))


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
def restore(file: Path) -> None:
    """Replace your data with the backup FILE (what is there now is saved first)."""
    from store.backup import restore as restore_from
    from store.db import BUSY_TIMEOUT_S

    db_path = _db_path()
    saved = restore_from(file, db_path, _now_local(), BUSY_TIMEOUT_S)
    click.echo(safe_text(f"restored {file} into {db_path}"))
    click.echo(safe_text(f"what was there before is saved as {saved}"))
