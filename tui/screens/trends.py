"""The Trends screen: pain against adherence by week and by day, sitting, and habits.

The numbers come from one `store.stats` call per range (in a worker thread,
off the event loop) and are turned into chart series by `tui.views.trends`,
so the charts and `upright stats` cannot disagree. The charts cache their
built plots: only new data or a new size rebuilds one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane, Tabs

from tui.views.formats import duration_text, percent_text
from tui.views.text import one_line, safe_text
from tui.views.trends import (
    DAILY_DAYS,
    DEFAULT_WEEKS,
    HELPS_EXPLAINED,
    NOTE_MARK,
    STRENGTH_EXPLAINED,
    HabitRow,
    TrendsData,
    adherence_bands,
    association_sentence,
    correlation_sentence,
    day_so_far_sentence,
    short_date,
    sitting_sentence,
    so_far,
    week_so_far_sentence,
    with_note_mark,
)
from tui.widgets.charts import Axis, BarLineChart, ScatterChart
from tui.widgets.habit_calendar import HabitCalendar

TAB_IDS = ("weekly", "daily", "pain", "sitting", "habits", "helps")
NO_PAIN = "No pain logged yet: press p on Today to log it."
NOTHING_YET = (
    "Nothing to chart yet: tick habits off on Today (space) and press p there to log pain."
)
NO_SITTING = (
    "No sitting recorded yet: the stand-up timer records your sitting spells while upright is open."
)
NO_HABITS = "No habits due in this range: press c to add habits from the catalog to your plan."
NO_EXERCISES = "No exercises in your plan: press c to add some from the catalog."
NO_MORNINGS = (
    "No morning pain logged in this range: press p on Today and choose morning (an entry "
    "before 11:00 with no context counts too). Each exercise is then compared by the "
    "mornings after days it was done and days it was not."
)
ASSOCIATION_ONLY = "An association: it does not show that one causes the other."
# Weeks of heat-map strip in the habits table (the calendar above shows all).
STRIP_WEEKS = 12
# Below this width a chart and its table stack instead of standing side by side.
NARROW_WIDTH = 110
HOURS_AXIS = Axis(unit="h")
BREAKS_AXIS = Axis()


# An en dash for "no value" in the tables.
NO_VALUE = "\u2013"


def _pain(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.1f}"


def _strip(habit: HabitRow, weeks: int) -> str:
    """The last `weeks` weeks as shaded cells: the denser, the more of it was done."""
    cells = []
    for week in habit.weeks[-weeks:]:
        share = week.completion
        if share is None:
            cells.append("·")
        elif share >= 1:
            cells.append("█")
        elif share >= 2 / 3:
            cells.append("▓")
        elif share >= 1 / 3:
            cells.append("▒")
        else:
            cells.append("░")
    return "".join(cells)


def _side(mean: float | None, days: int) -> str:
    """A side of the comparison: its mean next-morning pain and its number of days."""
    return f"{_pain(mean)} ({days} d)"


def _signed(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:+.1f}"


def _interval(interval: tuple[float, float] | None) -> str:
    return "not enough days" if interval is None else f"{interval[0]:.1f} to {interval[1]:.1f}"


def _fit(name: str, width: int = 22) -> Text:
    """A habit's name (the catalog's) as one safe line: a Text, never read as markup."""
    return Text(one_line(name, width), end="")


class TrendsScreen(Screen[None]):
    """Charts of pain against adherence, sitting and habits, over 4 to 52 weeks."""

    CSS_PATH = "trends.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,t", "app.pop_screen", "Back"),
        Binding("1", "range(4)", "4 wk"),
        Binding("2", "range(12)", "12 wk"),
        Binding("3", "range(26)", "26 wk"),
        Binding("4", "range(52)", "52 wk"),
    ]

    # Textual sets -narrow or -wide on the screen as its width crosses NARROW_WIDTH.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]

    weeks: var[int] = var(DEFAULT_WEEKS, init=False)
    data: var[TrendsData | None] = var(None, init=False, always_update=True)

    @dataclass
    class Wanted(Message):
        """The screen needs data for `weeks` weeks (the app answers with `show`)."""

        screen: TrendsScreen
        weeks: int

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="pain-change")
        with TabbedContent(id="trends-tabs"):
            with TabPane("Weekly", id="weekly"):
                with Horizontal(classes="body"):
                    yield BarLineChart(
                        "adherence % (left)", "mean pain 0-10 (right)", id="weekly-chart"
                    )
                    yield DataTable(id="weekly-table", classes="numbers", cursor_type="none")
                yield Static(id="weekly-note", classes="note")
                yield Static(id="weekly-empty", classes="empty")
            with TabPane("Daily", id="daily"):
                with Horizontal(classes="body"):
                    yield BarLineChart("adherence % (left)", "pain 0-10 (right)", id="daily-chart")
                    yield DataTable(id="daily-table", classes="numbers", cursor_type="none")
                yield Static(id="daily-note", classes="note")
                yield Static(id="daily-empty", classes="empty")
            with TabPane("Pain vs adherence", id="pain"):
                with Horizontal(classes="body"):
                    yield ScatterChart(id="pain-chart")
                    yield DataTable(id="pain-table", classes="numbers", cursor_type="none")
                yield Static(id="pain-note", classes="note")
                yield Static(id="pain-empty", classes="empty")
            with TabPane("Sitting", id="sitting"):
                with Horizontal(classes="body"):
                    yield BarLineChart(
                        "hours sat (left)",
                        "breaks (right)",
                        HOURS_AXIS,
                        BREAKS_AXIS,
                        id="sitting-chart",
                    )
                    yield DataTable(id="sitting-table", classes="numbers", cursor_type="none")
                yield Static(id="sitting-note", classes="note")
                yield Static(id="sitting-empty", classes="empty")
            with TabPane("Habits", id="habits"):
                with Vertical(classes="body"):
                    yield HabitCalendar(id="habit-calendar")
                    yield DataTable(id="habits-table", cursor_type="row")
                    yield Static(STRENGTH_EXPLAINED, id="habits-explained", classes="note")
                yield Static(id="habits-empty", classes="empty")
            with TabPane("Does it help?", id="helps"):
                with Vertical(classes="body"):
                    yield DataTable(id="helps-table", cursor_type="row")
                    yield Static(id="helps-sentence")
                    yield Static(HELPS_EXPLAINED, id="helps-explained", classes="note")
                yield Static(id="helps-empty", classes="empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TabbedContent).loading = True
        self.query_one("#pain-change").display = False
        self.query_one(Tabs).focus()

    def on_screen_resume(self) -> None:
        # Also after the catalog or another screen on top: something may have changed.
        self.load()

    def action_range(self, weeks: int) -> None:
        """Show the last `weeks` weeks (the keys 1-4)."""
        self.weeks = weeks

    def watch_weeks(self) -> None:
        self.load()

    def load(self) -> None:
        self.post_message(self.Wanted(self, self.weeks))

    def show(self, data: TrendsData) -> None:
        """The app's answer to `Wanted`; an answer for another range than the one now
        chosen (keys 1-4 pressed quickly) is dropped."""
        if self.is_attached and data.weeks == self.weeks:
            self.data = data

    def watch_data(self, data: TrendsData | None) -> None:
        if data is None:
            return
        self.query_one(TabbedContent).loading = False
        self.sub_title = f"Trends · last {data.weeks} weeks · keys 1-4 change the range"
        note = self.query_one("#pain-change", Static)
        note.display = data.pain_change is not None
        note.update(data.pain_change or "")
        note.set_class(
            data.pain_change is not None and "meaningfully" in data.pain_change, "-meaningful"
        )
        self._show_weekly(data)
        self._show_daily(data)
        self._show_pain(data)
        self._show_sitting(data)
        self._show_habits(data)
        self._show_helps(data)

    # --- one method per tab -------------------------------------------------------

    def _empty(self, tab: str, message: str | None) -> None:
        """Show `message` instead of the tab's chart and numbers (None: show them)."""
        pane = self.query_one(f"#{tab}", TabPane)
        pane.set_class(message is not None, "-empty")
        self.query_one(f"#{tab}-empty", Static).update(message or "")

    def _table(
        self, table_id: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> DataTable[Any]:
        table: DataTable[Any] = self.query_one(f"#{table_id}", DataTable)
        table.clear(columns=True)
        table.add_columns(*columns)
        table.add_rows(rows)
        return table

    def _show_weekly(self, data: TrendsData) -> None:
        nothing = not data.weekly.has_line and not any(w.done for w in data.week_rows)
        self._empty("weekly", NOTHING_YET if nothing else None)
        self.query_one("#weekly-chart", BarLineChart).series = data.weekly
        self._table(
            "weekly-table",
            ("Week of", "Done", "Adh.", "Pain"),
            [
                (
                    with_note_mark(
                        so_far(short_date(w.week_start), w.complete),
                        any(0 <= (d - w.week_start).days < 7 for d in data.note_days),
                    ),
                    f"{w.done}/{w.due}",
                    percent_text(w.adherence),
                    _pain(w.pain),
                )
                for w in reversed(data.week_rows)
            ],
        )
        note = "Adherence: due habits done that week. Pain: mean of the days' scores."
        if data.week_rows and (current := week_so_far_sentence(data.week_rows[-1])):
            note += f" {current}"
        if not data.weekly.has_line:
            note += f" {NO_PAIN}"
        if data.note_days:
            note += f" {NOTE_MARK}: a note that week (n on Today)."
        self.query_one("#weekly-note", Static).update(note)

    def _show_daily(self, data: TrendsData) -> None:
        nothing = not data.daily.has_line and not any(d.done for d in data.day_rows)
        self._empty("daily", NOTHING_YET if nothing else None)
        self.query_one("#daily-chart", BarLineChart).series = data.daily
        self._table(
            "daily-table",
            ("Day", "Done", "Adh.", "Pain"),
            [
                (
                    with_note_mark(
                        so_far(f"{d.date:%a} {short_date(d.date)}", d.complete),
                        d.date in data.note_days,
                    ),
                    f"{d.done}/{d.due}",
                    percent_text(d.adherence),
                    _pain(d.pain),
                )
                for d in reversed(data.day_rows)
            ],
        )
        note = (
            f"Last {DAILY_DAYS} days; per-week habits count in the weekly numbers only. "
            "A change in 7-day mean pain is meaningful at 2 points or 30%."
        )
        if data.day_rows and (today := day_so_far_sentence(data.day_rows[-1])):
            note += f" {today}"
        if not data.daily.has_line:
            note += f" {NO_PAIN}"
        if data.note_days:
            note += f" {NOTE_MARK}: you wrote a note that day (n on Today)."
        self.query_one("#daily-note", Static).update(note)

    def _show_pain(self, data: TrendsData) -> None:
        scatter = data.scatter
        if not data.any_pain:
            message: str | None = NO_PAIN
        elif scatter.days_needed:
            message = (
                f"Not enough days yet: {scatter.n} of 7 complete days have both pain logged "
                f"and habits due (today counts once it has ended). {scatter.days_needed} more "
                "to go; until then a chart would only show noise."
            )
        else:
            message = None
        self._empty("pain", message)
        self.query_one("#pain-chart", ScatterChart).series = scatter
        self._table(
            "pain-table",
            ("Done", "Days", "Pain"),
            [(band.label, band.days, _pain(band.mean_pain)) for band in adherence_bands(scatter)],
        )
        self.query_one("#pain-note", Static).update(
            f"{correlation_sentence(scatter.spearman, scatter.n)}\n"
            f"{association_sentence(scatter.by_adherence)}\n"
            f"[dim]{ASSOCIATION_ONLY}[/dim]"
        )

    def _show_sitting(self, data: TrendsData) -> None:
        recent = data.sitting.has_bars
        self._empty("sitting", None if recent or data.sitting_summary.days_sat else NO_SITTING)
        self.query_one("#sitting-chart", BarLineChart).series = data.sitting
        self._table(
            "sitting-table",
            ("Day", "Sat", "Breaks", "Longest", "Obeyed ≤5m"),
            [
                (
                    f"{d.date:%a} {short_date(d.date)}",
                    duration_text(d.minutes_sat, short=True) if d.minutes_sat else NO_VALUE,
                    d.breaks if d.minutes_sat else NO_VALUE,
                    duration_text(d.longest_minutes, short=True) if d.minutes_sat else NO_VALUE,
                    f"{d.alerts_obeyed}/{d.alerts}" if d.alerts else NO_VALUE,
                )
                for d in reversed(data.sitting_days)
            ],
        )
        note = sitting_sentence(data.sitting_summary, data.weeks)
        if not recent:
            note = f"No sitting recorded in the last {DAILY_DAYS} days. {note}"
        self.query_one("#sitting-note", Static).update(note)

    def _show_habits(self, data: TrendsData) -> None:
        self._empty("habits", None if data.habits else NO_HABITS)
        strip = min(STRIP_WEEKS, data.weeks)
        table = self._table(
            "habits-table",
            ("Habit", f"Last {strip} wk", "Done", "Rate", "Streak", "Best", "Strength"),
            [
                (
                    _fit(h.name),
                    _strip(h, strip),
                    f"{h.done}/{h.due}",
                    percent_text(h.completion),
                    h.current_streak,
                    h.best_streak,
                    percent_text(h.strength),
                )
                for h in data.habits
            ],
        )
        calendar = self.query_one(HabitCalendar)
        calendar.habit = data.habits[0] if data.habits else None
        if data.habits:
            table.move_cursor(row=0)

    def _show_helps(self, data: TrendsData) -> None:
        if not data.helps:
            message: str | None = NO_EXERCISES
        elif not data.mornings:
            message = NO_MORNINGS
        else:
            message = None
        self._empty("helps", message)
        table = self._table(
            "helps-table",
            ("Exercise", "Level", "After done", "Not done", "Diff.", "95% interval"),
            [
                (
                    _fit(row.name, 20),
                    f"{row.level}/{row.top}" if row.top > 1 else NO_VALUE,
                    _side(row.association.done_mean, row.association.done_days),
                    _side(row.association.not_done_mean, row.association.not_done_days),
                    _signed(row.association.difference),
                    _interval(row.association.interval),
                )
                for row in data.helps
            ],
        )
        self._show_helps_sentence(0)
        if data.helps:
            table.move_cursor(row=0)

    def _show_helps_sentence(self, index: int) -> None:
        rows = self.data.helps if self.data is not None else ()
        row = rows[index] if 0 <= index < len(rows) else None
        lines = [] if row is None else [row.sentence, row.level_sentence]
        # The exercise's name is the catalog's text: shown as text, never markup.
        self.query_one("#helps-sentence", Static).update(
            Text("\n".join(safe_text(line) for line in lines if line is not None))
        )

    @on(DataTable.RowHighlighted, "#helps-table")
    def show_helps_sentence(self, event: DataTable.RowHighlighted) -> None:
        self._show_helps_sentence(event.cursor_row)

    @on(DataTable.RowHighlighted, "#habits-table")
    def show_calendar(self, event: DataTable.RowHighlighted) -> None:
        if self.data is not None and 0 <= event.cursor_row < len(self.data.habits):
            self.query_one(HabitCalendar).habit = self.data.habits[event.cursor_row]
