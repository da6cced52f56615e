"""The catalog: every habit with kind, dose and evidence; one key adds or removes it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from store.queries import PlanRow
from tui.views.text import safe_text
from tui.widgets.habit_detail import HabitDetail


class CatalogScreen(Screen[None]):
    """Lists `rows` (handed down by the app); asks the app to change the plan."""

    CSS_PATH = "catalog.tcss"
    BINDINGS = [
        Binding("escape,c", "app.pop_screen", "Back"),
        Binding("a,space", "toggle_plan", "Add/remove"),
    ]

    rows: var[tuple[PlanRow, ...]] = var(())

    @dataclass
    class PlanChangeRequested(Message):
        habit_id: str
        add: bool

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            table: DataTable[str] = DataTable(id="catalog-table", cursor_type="row")
            table.border_title = "Catalog · a adds to or removes from your plan"
            yield table
            detail = HabitDetail(id="catalog-detail")
            detail.border_title = "How to"
            yield detail
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Catalog"
        table = self.query_one(DataTable)
        table.add_columns("plan", "habit", "kind", "when", "dose", "evidence")
        # Not watch_rows: is_mounted is still False while on_mount runs.
        self._fill(self.rows)
        table.focus()

    def watch_rows(self, rows: tuple[PlanRow, ...]) -> None:
        if self.is_mounted:
            self._fill(rows)

    def _fill(self, rows: tuple[PlanRow, ...]) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            entry = row.entry
            # The catalog's strings: Text, so never read as (Rich's) markup, and made safe.
            cells = (entry.name, entry.kind, entry.schedule_text, entry.dose.as_text())
            table.add_row(
                "✔" if row.in_plan else "",
                *(Text(safe_text(cell), end="") for cell in cells),
                entry.evidence,
                key=entry.id,
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
            self._show(min(cursor, len(rows) - 1))

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.query_one(HabitDetail).entry = self.rows[index].entry

    @on(DataTable.RowHighlighted)
    def follow_cursor(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    @on(DataTable.RowSelected)
    def select_row(self) -> None:
        self.action_toggle_plan()

    def action_toggle_plan(self) -> None:
        index = self.query_one(DataTable).cursor_row
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.post_message(self.PlanChangeRequested(row.entry.id, add=not row.in_plan))
