"""`upright note`: one free-text note per day ("flared after gardening")."""

from __future__ import annotations

from datetime import date

import click

from store.errors import UserError
from store.limits import MAX_NOTE_CHARS
from tui.cli import Context, _check_note, _now, date_option, pass_context
from tui.views.text import safe_text


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Set the note on a day (today, or --date) to TEXT (at most "
    f"{MAX_NOTE_CHARS} characters); with no TEXT, print it. --clear removes it.",
)
@click.argument("text", required=False, callback=_check_note)
@click.option("--clear", is_flag=True, help="Remove the day's note.")
@date_option
@pass_context
def note(obj: Context, text: str | None, clear: bool, day: date | None) -> None:
    now = _now()
    day = day or now.date()
    if clear and text is not None:
        raise UserError("give TEXT or --clear, not both")
    if text is not None and not text.strip():
        raise UserError("a note needs some text (--clear removes one)")
    if clear:
        had = obj.writer().set_note(day, "", now)
        click.echo(f"note on {day} {'cleared' if had else 'was already empty'}")
    elif text is not None:
        obj.writer().set_note(day, text, now)
        click.echo(f"note saved for {day}")
    else:
        stored = obj.store.note_on(day)
        click.echo(safe_text(stored.text, keep_layout=True) if stored else f"no note on {day}")
