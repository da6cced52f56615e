"""`upright report`: the physio report, one self-contained HTML page.

matplotlib and Jinja2 load only here, when the command runs (see tui/report/).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.commands.output import write_private

if TYPE_CHECKING:
    from tui.cli import Context

DEFAULT_WEEKS = 12
# Ten years: the charts stay legible (dates are thinned to 12 ticks) and the page small.
MAX_WEEKS = 520


@click.command()
@click.option(
    "--weeks",
    type=click.IntRange(1, MAX_WEEKS),
    default=DEFAULT_WEEKS,
    show_default=True,
    help="How many ISO weeks, ending with this one (as `upright stats`).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to FILE (default: upright-report-YYYY-MM-DD.html here).",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists (your own file only).")
@click.option("--open", "open_it", is_flag=True, help="Open it in your web browser.")
@click.pass_obj
def report(obj: Context, weeks: int, output: Path | None, force: bool, open_it: bool) -> None:
    """A report for your physiotherapist or doctor: one HTML page to show or print."""
    from store.queries import local_now
    from tui.report.data import gather
    from tui.report.render import render

    now = local_now()
    output = output or Path(f"upright-report-{now.date().isoformat()}.html")
    if output.is_dir():
        raise click.ClickException(f"{output} is a folder; nothing was written")
    store = obj.synced_store()
    # Built whole before the file is opened: a failure leaves no half-written page.
    page = render(gather(store, obj.catalog, now, weeks))
    write_private(output, page, replace=force)
    click.echo(f"wrote {output}", err=True)
    if open_it:
        import webbrowser

        if not webbrowser.open(output.resolve().as_uri()):
            click.echo(f"upright: no web browser found; open {output} yourself", err=True)
