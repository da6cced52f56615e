"""The report's charts as inline SVG, drawn by matplotlib's SVG backend.

No pyplot (no global figure state, no GUI or Agg backend): a bare `Figure` saved
as SVG. Text stays text (`svg.fonttype = none`: selectable, found by pdftotext, no
glyph outlines and no font files), ids are stable (`svg.hashsalt`), and the
metadata (date, creator) is left out, so the same data draws the same bytes. The
charts sit on a light card in both colour schemes (see the template), so one
palette reads on a dark page and on paper.

Axis labels are ours and ticks are dates and numbers: no user text is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

    from tui.report.data import DailyPain
    from tui.views.trends import BarLineSeries

# Colour-blind safe (Okabe-Ito), dark enough on white paper in greyscale too.
BAR = "#56B4E9"
LINE = "#D55E00"
LEG = "#0072B2"
INK = "#222222"
GRID = "#dddddd"
WIDTH_IN, HEIGHT_IN = 7.0, 2.3
# Date ticks: at most this many labels along an axis, whatever the period.
MAX_TICKS = 12

_STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "upright-report",
    "font.family": "sans-serif",
    "font.size": 8.5,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "axes.spines.top": False,
}
# Each None drops that metadata entry (the date would make every report differ).
_NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def _figure() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    # Fixed margins, not a layout engine: every chart has the same axes (a 0-100 or 0-12
    # scale each side, dates below), and constrained layout cost a third of the drawing.
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
    figure.subplots_adjust(left=0.085, right=0.915, bottom=0.2, top=0.95)
    return figure, figure.subplots()


def _svg(figure: Figure) -> str:
    """The figure as an `<svg>` element to inline in HTML.

    matplotlib writes a standalone file: an XML declaration and a DOCTYPE naming
    the SVG 1.1 DTD by its URL. Neither belongs inside HTML (and the test holding
    the page to "nothing from outside" would rightly flag the URL), so the text
    is cut at its `<svg` tag; nothing else is changed.
    """
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True, metadata=_NO_METADATA)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _date_ticks(axes: Axes, dates: Sequence[date], label: str) -> None:
    step = max(1, -(-len(dates) // MAX_TICKS))
    ticks = list(range(0, len(dates), step))
    axes.set_xticks(ticks, [f"{dates[i].day} {dates[i]:%b}" for i in ticks])
    axes.set_xlim(-0.6, len(dates) - 0.4)
    axes.set_xlabel(label)


def _gaps(values: Sequence[float | None]) -> list[float]:
    """None as NaN: matplotlib leaves a gap in a line there (and draws no bar)."""
    return [float("nan") if v is None else v for v in values]


def _with_style(draw: Any) -> str:
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = draw()
        return _svg(figure)


def weekly_chart(series: BarLineSeries) -> str:
    """Adherence per week as bars (left, %), mean pain as a line (right, 0-10)."""

    def draw() -> Figure:
        figure, axes = _figure()
        axes.bar(series.x, _gaps(series.bars), color=BAR, label="adherence")
        axes.set_ylim(0, 100)
        axes.set_ylabel("adherence (% of due done)")
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        _date_ticks(axes, series.dates, "week starting (Monday)")
        pain = axes.twinx()
        pain.plot(series.x, _gaps(series.line), color=LINE, marker="o", markersize=3)
        pain.set_ylim(0, 10)
        pain.set_ylabel("mean pain (0-10)", color=LINE)
        pain.tick_params(axis="y", colors=LINE)
        return figure

    return _with_style(draw)


def daily_pain_chart(pain: DailyPain) -> str:
    """Mean back and leg pain per day (0-10); days with nothing logged are gaps."""

    def draw() -> Figure:
        figure, axes = _figure()
        x = range(len(pain.dates))
        axes.plot(x, _gaps(pain.back), color=LINE, marker="o", markersize=2, label="back")
        axes.plot(
            x, _gaps(pain.leg), color=LEG, marker="s", markersize=3, linestyle=":", label="leg"
        )
        axes.set_ylim(0, 10)
        axes.set_ylabel("pain (0-10)")
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.legend(loc="upper right", frameon=False, ncols=2)
        _date_ticks(axes, pain.dates, "day")
        return figure

    return _with_style(draw)


def sitting_chart(series: BarLineSeries) -> str:
    """Hours sat per workday as bars (left), breaks taken as dots (right)."""

    def draw() -> Figure:
        figure, axes = _figure()
        axes.bar(series.x, _gaps(series.bars), color=BAR)
        axes.set_ylim(bottom=0)
        axes.set_ylabel("hours sitting")
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        _date_ticks(axes, series.dates, "workday (Monday to Friday)")
        breaks = axes.twinx()
        breaks.plot(series.x, _gaps(series.line), color=LINE, marker="o", markersize=3)
        breaks.set_ylim(bottom=0)
        breaks.set_ylabel("breaks taken", color=LINE)
        breaks.tick_params(axis="y", colors=LINE)
        return figure

    return _with_style(draw)
