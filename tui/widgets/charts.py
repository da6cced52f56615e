"""Chart widgets: textual-plotext's PlotextPlot with the built plot cached.

PlotextPlot builds its plot on every `render()`, and a build takes tens of
milliseconds. `CachedPlot` builds only when the key (its data, its size, the
app theme) changes; any other repaint gets the cached text back. Each
widget draws on its own plotext figure (PlotextPlot's `plt`, not the global
`plotext` module), and only in `render()`, so only on the event loop.

Plots use plotext's "clear" theme, so axes and ticks take the widget's own
foreground and background (dark or light), and draw their series in the app
theme's colours.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.color import Color
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from tui.views.trends import BarLineSeries, ScatterSeries

RGB = tuple[int, int, int]
# Room an x label takes: "30 Nov" plus a gap.
X_LABEL_CELLS = 8
# Plots with fewer rows than this get the coarse y ticks.
SHORT_PLOT_ROWS = 16
# Share of an x slot a bar covers.
BAR_WIDTH = 0.6
# Columns plotext keeps for the y axes' tick labels and frame, both sides.
Y_AXES_CELLS = 14


@dataclass(frozen=True)
class Palette:
    """Series colours, taken from the app theme so they read on dark and light."""

    bars: RGB
    line: RGB
    points: RGB

    @classmethod
    def from_theme(cls, variables: dict[str, str]) -> Palette:
        def rgb(name: str, fallback: str) -> RGB:
            try:
                return Color.parse(variables.get(name, fallback)).rgb
            except Exception:  # a theme variable plotext cannot use: keep a safe colour
                return Color.parse(fallback).rgb

        return cls(
            bars=rgb("primary", "#0178D4"),
            line=rgb("warning", "#FEA62B"),
            points=rgb("accent", "#FEA62B"),
        )


@dataclass(frozen=True)
class Axis:
    """A y axis: fixed limits and ticks, or an upper limit that follows the data."""

    lower: float = 0.0
    upper: float | None = None
    ticks: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    unit: str = ""
    # Fewer ticks for short plots, where the full set would land on uneven rows.
    coarse_ticks: tuple[float, ...] = ()
    coarse_labels: tuple[str, ...] = ()

    def resolved(
        self, values: Sequence[float | None], rows: int = 100
    ) -> tuple[float, float, list[float], list[str]]:
        """Limits and ticks for a plot `rows` high, with a round upper limit above the
        data when none is fixed."""
        if self.upper is not None:
            if rows < SHORT_PLOT_ROWS and self.coarse_ticks:
                return self.lower, self.upper, list(self.coarse_ticks), list(self.coarse_labels)
            return self.lower, self.upper, list(self.ticks), list(self.labels)
        top = max((v for v in values if v is not None), default=0.0)
        parts = 4 if rows >= SHORT_PLOT_ROWS else 2
        step = _nice_step(top / parts if top > 0 else 1)
        upper = max(step, math.ceil(top / step) * step)
        ticks = [self.lower + step * i for i in range(int(upper / step) + 1)]
        return self.lower, upper, ticks, [f"{t:g}{self.unit}" for t in ticks]


def _nice_step(raw: float) -> float:
    magnitude = float(10 ** math.floor(math.log10(raw)))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


PERCENT_AXIS = Axis(
    0,
    100,
    (0, 25, 50, 75, 100),
    ("0%", "25%", "50%", "75%", "100%"),
    coarse_ticks=(0, 50, 100),
    coarse_labels=("0%", "50%", "100%"),
)
PAIN_AXIS = Axis(
    0,
    10,
    (0, 2, 4, 6, 8, 10),
    ("0", "2", "4", "6", "8", "10"),
    coarse_ticks=(0, 5, 10),
    coarse_labels=("0", "5", "10"),
)


def x_tick_positions(series: BarLineSeries, cells: int) -> list[int]:
    """Which x positions get a date label so the labels do not collide.

    Daily series label Mondays (every week or every other); weekly ones every
    k-th week counted back from the newest, so the current week always has one.
    """
    n = len(series.dates)
    if n == 0:
        return []
    fit = max(1, cells // X_LABEL_CELLS)
    step = max(1, math.ceil(n / fit))
    daily = n > 1 and series.dates[1] - series.dates[0] == timedelta(days=1)
    if daily and step > 1:
        step = 7 * math.ceil(step / 7)
        mondays = [i for i, d in enumerate(series.dates) if d.weekday() == 0]
        return mondays[:: step // 7]
    return list(range(n - 1, -1, -step))[::-1]


class CachedPlot(PlotextPlot):
    """A PlotextPlot that builds its plot only when its data, size or theme changes."""

    DEFAULT_CSS = """
    CachedPlot {
        width: 1fr;
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        # "clear": no plotext colours for canvas and axes, so the widget's own apply.
        self.set_reactive(PlotextPlot.theme, "clear")
        self._key: Hashable | None = None
        self._text = Text()
        self.builds = 0
        self.last_build_ms = 0.0

    def on_mount(self) -> None:
        # The theme is part of the cache key; a new theme must reach render() to be seen.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh())

    def data_key(self) -> Hashable:
        """What the plot shows; the plot is rebuilt only when this, the size or theme change."""
        raise NotImplementedError

    def legend(self, palette: Palette) -> Text | None:
        """A line drawn above the plot (plotext's own legend covers the bars)."""
        return None

    def draw(self, plt: Any, palette: Palette, width: int, height: int) -> None:
        """Add the series and axes to a cleared figure `width` x `height` cells."""
        raise NotImplementedError

    def render(self) -> RenderResult:
        width, height = self.size.width, self.size.height
        key = (self.data_key(), width, height, self.app.theme)
        if key != self._key:
            self._text = self._build(width, height)
            self._key = key
        return self._text

    def _build(self, width: int, height: int) -> Text:
        started = time.perf_counter()
        palette = Palette.from_theme(self.app.theme_variables)
        legend = self.legend(palette)
        plot_height = height - (1 if legend is not None else 0)
        if width < 10 or plot_height < 4:
            return Text()
        # Any: textual-plotext's stubs type `yside` as a number where plotext wants "left"/"right".
        plt: Any = self.plt
        # The figure keeps its series between builds: start from nothing each time.
        plt.clear_figure()
        plt.theme("clear")
        plt.plotsize(width, plot_height)
        plt._set_size(width, plot_height)  # see PlotextPlot.render: plotsize alone can lag
        self.draw(plt, palette, width, plot_height)
        text = Text.from_ansi(plt.build(), no_wrap=True, end="")
        if legend is not None:
            text = Text("\n").join([legend, text])
        # Narrow terminals: crop a long legend rather than wrap it onto the plot.
        text.no_wrap = True
        text.overflow = "crop"
        self.builds += 1
        self.last_build_ms = (time.perf_counter() - started) * 1000
        return text


def _segments(xs: Sequence[int], ys: Sequence[float | None]) -> list[tuple[list[int], list[float]]]:
    """Runs of consecutive values, so a missing day is a gap rather than a bridge."""
    runs: list[tuple[list[int], list[float]]] = []
    current: tuple[list[int], list[float]] | None = None
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            current = None
            continue
        if current is None:
            current = ([], [])
            runs.append(current)
        current[0].append(x)
        current[1].append(y)
    return runs


def _swatch(label: str, glyph: str, colour: RGB) -> Text:
    return Text.assemble((glyph, f"rgb({colour[0]},{colour[1]},{colour[2]})"), f" {label}")


class BarLineChart(CachedPlot):
    """Bars on the left axis with a line on the right one, over dated x positions."""

    series: reactive[BarLineSeries | None] = reactive(None)

    def __init__(
        self,
        bar_label: str,
        line_label: str,
        bar_axis: Axis = PERCENT_AXIS,
        line_axis: Axis = PAIN_AXIS,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.bar_label = bar_label
        self.line_label = line_label
        self.bar_axis = bar_axis
        self.line_axis = line_axis

    def data_key(self) -> Hashable:
        return self.series

    def legend(self, palette: Palette) -> Text:
        parts = [
            _swatch(self.bar_label, "█", palette.bars),
            _swatch(self.line_label, "•─•", palette.line),
        ]
        return Text("   ").join(parts)

    def draw(self, plt: Any, palette: Palette, width: int, height: int) -> None:
        series = self.series
        if series is None or not series.dates:
            return
        xs = series.x
        for x, value in zip(xs, series.bars, strict=True):
            if value is not None:
                # Each bar is its own filled segment: plotext's bar() fills the gaps between
                # bars of equal height, and half-block markers keep a gap between narrow ones.
                plt.plot(
                    [x - BAR_WIDTH / 2, x + BAR_WIDTH / 2],
                    [value, value],
                    fillx=True,
                    marker="hd",
                    color=palette.bars,
                    yside="left",
                )
        for seg_x, seg_y in _segments(xs, series.line):
            if len(seg_x) == 1:
                plt.scatter(seg_x, seg_y, color=palette.line, marker="●", yside="right")
            else:
                plt.plot(seg_x, seg_y, color=palette.line, marker="braille", yside="right")
                plt.scatter(seg_x, seg_y, color=palette.line, marker="●", yside="right")
        lo, hi, ticks, labels = self.bar_axis.resolved(series.bars, height)
        plt.ylim(lo, hi, yside="left")
        plt.yticks(ticks, labels, yside="left")
        lo, hi, ticks, labels = self.line_axis.resolved(series.line, height)
        plt.ylim(lo, hi, yside="right")
        plt.yticks(ticks, labels, yside="right")
        plt.xlim(-0.6, len(xs) - 0.4)
        shown = x_tick_positions(series, width - Y_AXES_CELLS)
        plt.xticks(shown, [series.labels[i] for i in shown])


class ScatterChart(CachedPlot):
    """Daily pain (y) against that day's adherence % (x)."""

    series: reactive[ScatterSeries | None] = reactive(None)

    def data_key(self) -> Hashable:
        series = self.series
        return None if series is None else (series.adherence, series.pain)

    def legend(self, palette: Palette) -> Text:
        return _swatch("a day: its adherence % (across) and pain 0-10 (up)", "●", palette.points)

    def draw(self, plt: Any, palette: Palette, width: int, height: int) -> None:
        series = self.series
        if series is None or not series.n:
            return
        plt.scatter(list(series.adherence), list(series.pain), color=palette.points, marker="●")
        plt.xlim(-3, 103)
        plt.ylim(0, 10.3)
        across = [0, 20, 40, 60, 80, 100]
        plt.xticks(across, [f"{t}%" for t in across])
        _lo, _hi, ticks, labels = PAIN_AXIS.resolved((), height)
        plt.yticks(ticks, labels)
