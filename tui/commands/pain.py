"""`upright pain`: log a score (`upright pain 4`), or list, edit and delete entries.

`upright pain SCORE ...` is the command it always was: a group that sends any
first word other than its subcommands' names to the hidden `log` command.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import click

from store.errors import UserError
from store.limits import MAX_NOTE_CHARS
from store.vocab import PainContext
from tui.cli import Context, _check_note, _echo_json, _now, date_option, pass_context
from tui.views.text import safe_text

if TYPE_CHECKING:
    from store.models import PainEntry

    _ScoreParam = click.ParamType[int | None]
else:  # generic for type checkers only: click 8.1 cannot subscript it
    _ScoreParam = click.ParamType

# What `--leg` and `--context` take to clear the field.
CLEAR = "none"
LOG = "log"


class PainGroup(click.Group):
    """A group whose first argument, if not one of its commands, is a score to log."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [LOG, *args]
        return super().parse_args(ctx, args)


@click.group(
    cls=PainGroup,
    subcommand_metavar="SCORE [--leg N --context C --note T --date D] | COMMAND [ARGS]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)
def pain() -> None:
    """Log back pain: `upright pain SCORE` (0 none .. 10 worst imaginable) with --leg,
    --context, --note, --date; or list, edit and delete entries."""


# The values, not the enum: click >= 8.2 would match an enum Choice by member name.
CONTEXTS = [c.value for c in PainContext]


# ignore_unknown_options: "-1" is a (refused) score, not an unknown option.
@pain.command(LOG, hidden=True, context_settings={"ignore_unknown_options": True})
@click.argument("score", type=click.IntRange(0, 10))
@click.option("--leg", type=click.IntRange(0, 10), default=None, help="Leg pain, 0-10.")
@click.option(
    "--context", "context_", type=click.Choice(CONTEXTS), default=None, help="When it was."
)
@click.option(
    "--note",
    default=None,
    callback=_check_note,
    help=f"A short note (at most {MAX_NOTE_CHARS} characters).",
)
@date_option
@pass_context
def log(
    obj: Context,
    score: int,
    leg: int | None,
    context_: str | None,
    note: str | None,
    day: date | None,
) -> None:
    """Log back pain SCORE from 0 (none) to 10 (worst imaginable)."""
    now = _now()
    obj.writer().add_pain(score, now, day or now.date(), leg_score=leg, context=context_, note=note)
    click.echo(f"pain {score}/10 logged for {day or now.date()}")


def entry_json(entry: PainEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "date": entry.date.isoformat(),
        "at": entry.at.isoformat(),
        "score": entry.score,
        "leg_score": entry.leg_score,
        "context": entry.context,
        "note": entry.note,
    }


def entry_line(entry: PainEntry) -> str:
    """One entry on one line: id, local date and time, scores, context, note (made safe)."""
    leg = f"leg {entry.leg_score}" if entry.leg_score is not None else "-"
    note = safe_text(entry.note.replace("\n", " ")) if entry.note else ""
    return (
        f"{entry.id:>5}  {entry.date}  {entry.at.astimezone():%H:%M}  "
        f"{entry.score:>2}/10  {leg:<6}  {entry.context or '-':<15}  {note}".rstrip()
    )


@pain.command("list")
@date_option
@click.option(
    "--days", type=click.IntRange(1, 36500), default=None, help="The last N days, to today."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def pain_list(obj: Context, day: date | None, days: int | None, as_json: bool) -> None:
    """The pain entries of a day (today, --date) or of the last N days, with their ids."""
    if day is not None and days is not None:
        raise click.UsageError("give --date or --days, not both")
    today = _now().date()
    first, last = (day, day) if day else (today - timedelta(days=(days or 1) - 1), today)
    entries = obj.store.pain_between(first, last)
    if as_json:
        _echo_json([entry_json(e) for e in entries])
        return
    if not entries:
        span = str(first) if first == last else f"{first} to {last}"
        click.echo(f"no pain logged on {span}")
        return
    click.echo(f"{'id':>5}  {'date':<10}  time   back   leg     {'context':<15}  note")
    for entry in entries:
        click.echo(entry_line(entry))


class ScoreOrNone(_ScoreParam):
    """0-10, or `none` to clear."""

    name = "0-10|none"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | None:
        if value is None or isinstance(value, int):
            return value
        if str(value).lower() == CLEAR:
            return None
        text = str(value).strip()
        if not text.isdigit() or not 0 <= int(text) <= 10:
            self.fail(f"{value!r} is not a whole number from 0 to 10 (or {CLEAR})", param, ctx)
        return int(text)


@pain.command("edit", context_settings={"ignore_unknown_options": True})
@click.argument("entry_id", metavar="ID", type=int)
@click.option("--score", type=click.IntRange(0, 10), default=None, help="Back pain, 0-10.")
@click.option("--leg", type=ScoreOrNone(), default=None, help=f"Leg pain, 0-10 ({CLEAR} clears).")
@click.option(
    "--context",
    "context_",
    type=click.Choice([*CONTEXTS, CLEAR]),
    default=None,
    help=f"When it was ({CLEAR} clears).",
)
@click.option("--note", default=None, callback=_check_note, help='A note ("" clears).')
@click.pass_context
def pain_edit(
    ctx: click.Context,
    entry_id: int,
    score: int | None,
    leg: int | None,
    context_: str | None,
    note: str | None,
) -> None:
    """Change pain entry ID (see `upright pain list`): only the fields given."""
    changes: dict[str, Any] = {}
    given = {p: ctx.get_parameter_source(p) for p in ("score", "leg", "context_", "note")}
    explicit = {
        p for p, source in given.items() if source == click.core.ParameterSource.COMMANDLINE
    }
    if "score" in explicit:
        changes["score"] = score
    if "leg" in explicit:
        changes["leg_score"] = leg
    if "context_" in explicit:
        changes["context"] = None if context_ == CLEAR else context_
    if "note" in explicit:
        changes["note"] = note or None
    if not changes:
        raise UserError("nothing to change: give --score, --leg, --context or --note")
    obj: Context = ctx.obj
    _before, after = obj.writer().edit_pain(entry_id, **changes)
    click.echo(f"pain entry {entry_id} changed: {entry_line(after).strip()}")


@pain.command("delete")
@click.argument("entry_id", metavar="ID", type=int)
@pass_context
def pain_delete(obj: Context, entry_id: int) -> None:
    """Delete pain entry ID (see `upright pain list`)."""
    gone = obj.writer().delete_pain(entry_id)
    click.echo(f"pain entry {entry_id} deleted: {entry_line(gone).strip()}")
