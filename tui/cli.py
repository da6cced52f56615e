"""The `upright` command. With no subcommand it opens the dashboard.

Subcommands never import Textual (the app is imported only when it runs), so
`upright pain 4` stays about as quick as importing sqlmodel. Every error a
user can cause is one line on stderr and exit code 2. Modules only some
commands need (json, csv) are imported inside them, to keep the rest quick.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from store.errors import UserError
from store.limits import note_too_long
from store.vocab import CheckInStatus
from tui.commands.output import write_private
from tui.views.formats import percent_text
from tui.views.text import csv_cell, safe_text

EXIT_BAD_INPUT = 2


if TYPE_CHECKING:
    _DateParam = click.ParamType[date]
else:  # generic for type checkers only: click 8.1 cannot subscript it
    _DateParam = click.ParamType


class DateType(_DateParam):
    """YYYY-MM-DD, not in the future."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2026-03-01", param, ctx)
        if day > _now().date():
            self.fail(f"{day} is in the future", param, ctx)
        return day


def _now() -> datetime:
    from store.queries import local_now

    return local_now()


@dataclass
class Context:
    """What the global options chose; the store and catalog open on first use."""

    db_path: Path | None
    catalog_path: Path | None
    _store: Any = field(default=None, repr=False)
    _catalog: Any = field(default=None, repr=False)

    @property
    def catalog(self) -> Any:
        if self._catalog is None:
            from store.catalog import load_catalog

            self._catalog = load_catalog(self.catalog_path)
        return self._catalog

    @property
    def store(self) -> Any:
        """The store, for reading (no quick_check: reads stay quick)."""
        return self._open(check=False)

    def writer(self) -> Any:
        """The store, for writing: a damaged database (quick_check) opens read-only."""
        return self._open(check=True)

    def _open(self, check: bool) -> Any:
        if self._store is None:
            from store.queries import Store

            self._store = Store.open(self.db_path, check=check)
            _warn(self._store)
        return self._store

    def close(self) -> None:
        # Closing the pooled connections lets SQLite checkpoint and tidy its -wal/-shm files.
        if self._store is not None:
            # A backup that failed did not stop the write; it is said, not kept quiet.
            for problem in self._store.backups.take_problems():
                click.echo(f"upright: warning: {problem}", err=True)
            self._store.engine.dispose()

    def synced_store(self, habit: str | None = None, write: bool = False) -> Any:
        """The store with the catalog's habits in it (validating the catalog first).

        With `habit`, an unknown habit is refused before the sync writes anything.
        An unchanged catalog is not read again (see store/synced.py): then
        `loaded_catalog` stays None. `write`: the command writes, so the database
        gets a quick_check first (a damaged one opens read-only and the write is refused).
        """
        from store.synced import open_synced

        opened_here = self._store is None
        self._store, catalog = open_synced(
            self.db_path,
            self.catalog_path,
            _now().date(),
            habit=habit,
            store=self._store,
            check=write,
        )
        if opened_here:
            _warn(self._store)
        self._catalog = self._catalog or catalog
        return self._store

    @property
    def loaded_catalog(self) -> Any:
        """The catalog if this command read it, else None (the stored habits are current)."""
        return self._catalog


def _warn(store: Any) -> None:
    for line in store.warnings:
        click.echo(f"upright: {line}", err=True)


pass_context = click.make_pass_decorator(Context)
date_option = click.option(
    "--date", "day", type=DateType(), default=None, help="The day (default: today)."
)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    envvar="UPRIGHT_DB",
    help="Database file (default: upright.db in your data folder).",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Use this exercises.toml instead of the shipped catalog.",
)
@click.option(
    "--sit-limit",
    type=click.IntRange(min=1),
    default=None,
    metavar="MINUTES",
    help="Remind me to stand after this many minutes (this run only).",
)
# package_name, not a version string: importlib.metadata loads only when --version is asked.
@click.version_option(None, "--version", package_name="upright", prog_name="upright")
@click.pass_context
def cli(
    ctx: click.Context, db_path: Path | None, catalog_path: Path | None, sit_limit: int | None
) -> None:
    """upright: daily back exercises, a stand-up timer, and pain against adherence.

    With no command, opens the dashboard.
    """
    ctx.obj = Context(db_path=db_path, catalog_path=catalog_path)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from tui.launch import run_app

        code = run_app(ctx.obj, sit_limit=sit_limit)
        if code:
            ctx.exit(code)


def _echo_json(data: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, compact for a program.

    Indenting makes `json` use its pure-Python encoder, ~6x slower: ten years
    of `stats --json` took ~35 ms longer.
    """
    import json

    click.echo(json.dumps(data, indent=2 if sys.stdout.isatty() else None))


def _today_items(obj: Context, day: date) -> list[Any]:
    store = obj.synced_store()
    return list(store.today(day, obj.loaded_catalog))


@cli.command()
@click.argument("habit")
@date_option
@click.option(
    "--pain-during",
    type=click.IntRange(0, 10),
    default=None,
    metavar="0-10",
    help="How much the exercise hurt, 0-10 (the coach reads it).",
)
@pass_context
def done(obj: Context, habit: str, day: date | None, pain_during: int | None) -> None:
    """Mark HABIT done (today, or --date)."""
    now = _now()
    obj.synced_store(habit, write=True).set_check_in(
        habit, day or now.date(), CheckInStatus.DONE, now, pain_during=pain_during
    )
    rated = "" if pain_during is None else f" (pain during: {pain_during}/10)"
    click.echo(f"{habit}: done on {day or now.date()}{rated}")


@cli.command()
@click.argument("habit")
@date_option
@pass_context
def skip(obj: Context, habit: str, day: date | None) -> None:
    """Mark HABIT skipped: a flare day, neither counted nor breaking a streak."""
    now = _now()
    obj.synced_store(habit, write=True).set_check_in(
        habit, day or now.date(), CheckInStatus.SKIPPED, now
    )
    click.echo(f"{habit}: skipped on {day or now.date()}")


@cli.command()
@click.argument("habit")
@date_option
@pass_context
def undo(obj: Context, habit: str, day: date | None) -> None:
    """Remove HABIT's check-in (done or skipped)."""
    day = day or _now().date()
    removed = obj.synced_store(habit, write=True).clear_check_in(habit, day)
    click.echo(f"{habit}: {'cleared' if removed else 'nothing to undo'} on {day}")


def _check_note(_ctx: click.Context, _param: click.Parameter, note: str | None) -> str | None:
    """Refused as the arguments are read: before the database is opened (or created)."""
    if (too_long := note_too_long(note)) is not None:
        raise click.BadParameter(too_long)
    return note


@cli.group(invoke_without_command=True)
@click.pass_context
def plan(ctx: click.Context) -> None:
    """Show the catalog with what is in your plan."""
    if ctx.invoked_subcommand is not None:
        return
    obj: Context = ctx.obj
    from store.habit_fields import schedule_text

    rows = obj.synced_store().plan(obj.catalog)
    for row in rows:
        entry = row.entry
        mark = "[x]" if row.in_plan else "[ ]"
        click.echo(
            safe_text(
                f"{mark} {entry.id:<28} {entry.kind:<9} {schedule_text(entry.schedule):<13} "
                f"{entry.dose.as_text()}"
            )
        )


@plan.command("add")
@click.argument("habit")
@pass_context
def plan_add(obj: Context, habit: str) -> None:
    """Add HABIT to your plan from today."""
    added = obj.synced_store(habit, write=True).add_to_plan(habit, _now().date())
    click.echo(f"{habit}: {'added to' if added else 'already in'} the plan")


@plan.command("remove")
@click.argument("habit")
@pass_context
def plan_remove(obj: Context, habit: str) -> None:
    """Take HABIT out of your plan from today (its history stays)."""
    removed = obj.synced_store(habit, write=True).remove_from_plan(habit, _now().date())
    click.echo(f"{habit}: {'removed from' if removed else 'was not in'} the plan")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@date_option
@pass_context
def today(obj: Context, as_json: bool, day: date | None) -> None:
    """Today's habits and their status (or a past day's, with --date)."""
    items = _today_items(obj, day or _now().date())
    if as_json:
        _echo_json([item.to_json() for item in items])
        return
    marks = {CheckInStatus.DONE: "[x]", CheckInStatus.SKIPPED: "[-]", CheckInStatus.OPEN: "[ ]"}
    for item in items:
        week = ""
        if item.week_target is not None:
            week = (
                f"  ({item.week_done}/{item.week_target} this week)"
                if item.counts_this_week
                else "  (weekly target starts next week)"
            )
        name, dose = safe_text(item.name), safe_text(item.dose.as_text())
        click.echo(f"{marks[item.status]} {name:<40} {dose}{week}")


def _fmt(value: float | None, percent: bool = False) -> str:
    if percent:
        return percent_text(value, missing="-")
    return "-" if value is None else f"{value:.1f}"


@cli.command()
@click.option(
    "--weeks",
    type=click.IntRange(1, 5200),
    default=12,
    show_default=True,
    help="How many ISO weeks, ending with this one.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (full precision).")
@pass_context
def stats(obj: Context, weeks: int, as_json: bool) -> None:
    """Adherence, pain, streaks and their correlation."""
    from store.helps import MAX_WEEKS

    now = _now()
    store = obj.synced_store()
    result = store.stats(now.date(), weeks)
    # The bootstrap's cost grows with the days: at most the Trends' longest range.
    helps_weeks = min(weeks, MAX_WEEKS)
    helps = store.helps(now, helps_weeks)
    if as_json:
        _echo_json(
            result.to_json()
            | {"helps_weeks": helps_weeks, "helps": [row.to_json() for row in helps]}
        )
        return
    click.echo(f"{'week of':<12}{'done/due':>10}{'adherence':>11}{'pain':>7}")
    for week in result.weeks:
        click.echo(
            f"{week.week_start.isoformat():<12}{f'{week.done}/{week.due}':>10}"
            f"{_fmt(week.adherence, True):>11}{_fmt(week.pain):>7}"
            f"{'' if week.complete else '  so far'}"
        )
    click.echo("")
    click.echo(f"{'habit':<28}{'done/due':>10}{'streak':>8}{'best':>6}")
    for habit in result.habits:
        if habit.due:
            click.echo(
                f"{safe_text(habit.id):<28}{f'{habit.done}/{habit.due}':>10}"
                f"{habit.current_streak:>8}{habit.best_streak:>6}"
            )
    corr = result.correlation
    click.echo("")
    click.echo(
        f"pain vs adherence (Spearman): by day {_fmt(corr.daily_spearman)} "
        f"(n={corr.daily_n}), by week {_fmt(corr.weekly_spearman)} (n={corr.weekly_n}); "
        "complete days and weeks only"
    )
    from tui.views.trends import helps_sentence

    click.echo("")
    click.echo(f"does it help? next-morning pain, last {helps_weeks} weeks:")
    for row in helps:
        click.echo(f"  {helps_sentence(safe_text(row.id), row)}")


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to FILE (default: standard output).",
)
@pass_context
def export(obj: Context, fmt: str, output: Path | None) -> None:
    """Every row of every table (CSV: one section per table)."""
    import csv
    import io
    import json

    tables = obj.store.export()
    if fmt == "json":
        text = json.dumps(tables, indent=2)
    else:
        buffer = io.StringIO()
        for name, rows in tables.items():
            buffer.write(f"# {name}\n")
            columns = list(rows[0]) if rows else []
            # Text quoted, formula starts neutralised, controls shown (JSON keeps it exact).
            writer = csv.DictWriter(
                buffer, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
            )
            writer.writeheader()
            writer.writerows(
                {key: csv_cell(v) if isinstance(v, str) else v for key, v in row.items()}
                for row in rows
            )
            buffer.write("\n")
        text = buffer.getvalue()
    if output is None:
        click.echo(text)
        return
    # An existing file of the user's is replaced, as before `report -o` shared this.
    write_private(output, text, replace=True)
    click.echo(f"wrote {output}", err=True)


@cli.command()
@pass_context
def check(obj: Context) -> None:
    """Check the whole database for damage (SQLite's integrity_check); changes nothing."""
    from store.db import default_db_path, integrity_check

    path = (obj.db_path or default_db_path()).expanduser()
    findings = integrity_check(path)
    if not findings:
        click.echo(f"{path}: no damage found (integrity_check ok)")
        return
    for finding in findings:
        click.echo(f"damaged: {_one_line(finding)}")
    click.echo(
        f"{path} is damaged ({len(findings)} finding(s)): upright reads it but will not write "
        "to it. Restore your latest backup of it; to salvage what is readable, keep this "
        f"file and run `sqlite3 {path} .recover`."
    )
    raise click.exceptions.Exit(EXIT_BAD_INPUT)


@cli.group("catalog")
def catalog_group() -> None:
    """Work with exercises.toml."""


@catalog_group.command("check")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), required=False)
@pass_context
def catalog_check(obj: Context, path: Path | None) -> None:
    """Validate a catalog (default: the one in use) and summarise it."""
    from collections import Counter

    from store.catalog import load_catalog

    catalog = load_catalog(path or obj.catalog_path)
    kinds = Counter(h.kind for h in catalog.habits)
    in_plan = sum(1 for h in catalog.habits if h.in_default_plan)
    click.echo(f"ok: {len(catalog.habits)} habits from {', '.join(map(str, catalog.sources))}")
    click.echo("  " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))
    click.echo(f"  {in_plan} in the default plan")


@cli.command()
@click.option("--sit-limit", type=click.IntRange(min=1), default=None, metavar="MINUTES")
@click.option(
    "--fill",
    "fill_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the demo history into a NEW database at PATH instead (no dashboard).",
)
@pass_context
def demo(obj: Context, sit_limit: int | None, fill_path: Path | None) -> None:
    """Open the dashboard on a throwaway database with 12 weeks of made-up history."""
    import tempfile

    from store.demo import fill_demo

    if fill_path is not None:
        _fill_demo(fill_path, obj.catalog_path)
        return
    with tempfile.TemporaryDirectory(prefix="upright-demo-") as folder:
        demo_obj = Context(db_path=Path(folder) / "demo.db", catalog_path=obj.catalog_path)
        fill_demo(demo_obj.store, demo_obj.catalog, _now())
        from tui.launch import run_app

        code = run_app(demo_obj, sit_limit=sit_limit)
    if code:
        raise SystemExit(code)


def _fill_demo(path: Path, catalog_path: Path | None) -> None:
    """The demo's history in a new database at `path` (0600, its folder made 0700), for
    `upright --db PATH report` and screenshots. An existing path is refused untouched."""
    from store.demo import fill_demo

    # lexists: a dangling link is in the way too (the store would refuse to follow it).
    if os.path.lexists(path):
        raise click.ClickException(f"{path} exists; nothing was written (choose a new file)")
    fill_obj = Context(db_path=path, catalog_path=catalog_path)
    catalog = fill_obj.catalog  # a bad catalog is refused before the file is made
    try:
        fill_demo(fill_obj.store, catalog, _now())
    finally:
        fill_obj.close()
    click.echo(f"wrote the demo's history to {path}", err=True)


def _add_commands() -> None:
    """Commands in modules of their own (tui/commands): they use this module's Context
    and options, so they are imported once it is defined."""
    from tui.commands.backup import backup, restore
    from tui.commands.coach import coach, level
    from tui.commands.note import note
    from tui.commands.pain import pain
    from tui.commands.report import report

    cli.add_command(pain)
    cli.add_command(note)
    cli.add_command(report)
    cli.add_command(coach)
    cli.add_command(level)
    cli.add_command(backup)
    cli.add_command(restore)


_add_commands()


# click >= 8.2 raises this for a group called without its command (`upright catalog`).
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _one_line(message: str) -> str:
    """Error messages quote what the user typed, which may hold line breaks: escape them,
    and show any other control character (tui.views.text)."""
    return safe_text(message.replace("\r", "\\r").replace("\n", "\\n"))


def _not_utf8(args: list[str]) -> str | None:
    """The first argument that is not valid UTF-8 (Python hands such bytes over as surrogates)."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every user error into one line and exit code 2."""
    bad = _not_utf8(sys.argv[1:] if argv is None else argv)
    if bad is not None:
        # SQLite and the terminal cannot take it; refuse before anything is touched.
        click.echo(f"upright: error: argument {bad!r} is not valid UTF-8 text", err=True)
        return EXIT_BAD_INPUT
    try:
        result = cli.main(args=argv, prog_name="upright", standalone_mode=False)
    except _NO_ARGS_IS_HELP as exc:
        # Asking a group for nothing is asking for its help (as click < 8.2 did).
        click.echo(exc.ctx.get_help() if exc.ctx else "")
        return 0
    except click.exceptions.Abort:
        click.echo("upright: aborted", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"upright: error: {_one_line(exc.format_message())}", err=True)
        return EXIT_BAD_INPUT
    except UserError as exc:
        click.echo(f"upright: error: {_one_line(str(exc))}", err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A bug, not a user error: one line, and the traceback on request.
        if os.environ.get("UPRIGHT_DEBUG"):
            raise
        click.echo(f"upright: internal error: {exc!r} (UPRIGHT_DEBUG=1 shows where)", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
