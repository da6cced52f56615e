"""How to do the highlighted habit, why, and when to stop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.markup import escape
from textual.reactive import var
from textual.widgets import Static

if TYPE_CHECKING:
    # Types only: the store's modules load after the first frame.
    from store.catalog import HabitEntry


EVIDENCE_WORDS = {
    "guideline": "recommended in clinical guidelines",
    "trial": "supported by randomised trials",
    "low": "little evidence so far",
    "expert-opinion": "expert opinion only",
}


def detail_markup(entry: HabitEntry) -> str:
    """The catalog entry as Textual markup, for the detail pane and the catalog screen."""
    meta = [entry.kind, entry.schedule_text]
    if entry.dose.as_text():
        meta.append(entry.dose.as_text())
    return "\n".join(
        [
            f"[b]{escape(entry.name)}[/b]",
            f"[dim]{escape(' · '.join(meta))}[/dim]",
            "",
            escape(entry.how),
            "",
            f"[b]Why:[/b] {escape(entry.why)}",
            f"[b $warning]Cautions:[/] {escape(entry.cautions)}",
            f"[b]Evidence:[/b] {EVIDENCE_WORDS[entry.evidence]} · "
            f"[dim]{escape(entry.source)}[/dim]",
        ]
    )


class HabitDetail(Static):
    """Shows one catalog entry; the screen sets `entry`."""

    entry: var[HabitEntry | None] = var(None)

    def watch_entry(self, entry: HabitEntry | None) -> None:
        if entry is None:
            self.update("[dim]Highlight a habit to see how to do it.[/dim]")
        else:
            self.update(detail_markup(entry))
