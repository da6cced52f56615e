"""`upright coach` (what the coach suggests, and accepting it) and `upright level`.

The rules are store/coach.py's; this module only reads, writes and prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from store.errors import UserError
from store.vocab import Suggestion
from tui.views.text import safe_text

if TYPE_CHECKING:
    from tui.cli import Context


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def coach(ctx: click.Context, as_json: bool) -> None:
    """What the coach suggests for each exercise in your plan, and why."""
    if ctx.invoked_subcommand is not None:
        return
    from tui.cli import _echo_json, _now

    obj: Context = ctx.obj
    now = _now()
    rows = obj.synced_store().coach(now.date(), now.tzinfo)
    if as_json:
        _echo_json([row.to_json() for row in rows])
        return
    for row in rows:
        level = f"level {row.level}/{len(row.ladder)}"
        click.echo(safe_text(f"{row.id:<24} {level:<11} {row.dose.as_text()}"))
        click.echo(safe_text(f"  {row.advice.suggestion}: {row.advice.reason}"))


@coach.command("accept")
@click.argument("habit")
@click.pass_obj
def coach_accept(obj: Context, habit: str) -> None:
    """Take the coach's suggestion for HABIT: its level changes from today."""
    from tui.cli import _now

    now = _now()
    store = obj.synced_store(habit, write=True)
    row = next((r for r in store.coach(now.date(), now.tzinfo) if r.id == habit), None)
    if row is None:
        raise UserError(f"{habit!r} is not an exercise in your plan: the coach has nothing for it")
    advice = row.advice
    if advice.next_level == row.level:
        word = "a rest day" if advice.suggestion == Suggestion.REST else "to hold"
        raise UserError(f"{habit}: the suggestion is {word}; there is no level to change")
    store.refuse_writes_if_read_only()
    store.set_level(habit, advice.next_level, now.date(), now)
    _changed(habit, advice.next_level, row.ladder)


@click.command("level", context_settings={"ignore_unknown_options": True})
@click.argument("habit")
# A string, checked by hand: "-1" is then a (refused) level, not an unknown option.
@click.argument("number", metavar="N")
@click.pass_obj
def level(obj: Context, habit: str, number: str) -> None:
    """Put exercise HABIT at level N (1 is its catalog dose) from today."""
    from tui.cli import _now

    try:
        wanted = int(number)
    except ValueError:
        raise click.BadParameter(f"{number!r} is not a whole number", param_hint="N") from None
    now = _now()
    store = obj.synced_store(habit, write=True)
    changed = store.set_level(habit, wanted, now.date(), now)
    if not changed:
        click.echo(f"{habit}: already at level {wanted}")
        return
    _changed(habit, wanted, store.ladder(habit))


def _changed(habit: str, number: int, ladder: Any) -> None:
    dose = ladder[number - 1].as_text()
    click.echo(safe_text(f"{habit}: level {number} of {len(ladder)} from today: {dose}"))
