"""How to do the highlighted habit, why, and when to stop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import var
from textual.widgets import Static

from tui.views.text import safe_markup

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
    """The catalog entry as Textual markup, for the detail pane and the catalog screen.

    Every string is the catalog's (a file anyone may edit): shown safely, never as markup.
    """
    meta = [entry.kind, entry.schedule_text]
    if entry.dose.as_text():
        meta.append(entry.dose.as_text())
    return "\n".join(
        [
            f"[b]{safe_markup(entry.name)}[/b]",
            f"[dim]{safe_markup(' · '.join(meta))}[/dim]",
            "",
            safe_markup(entry.how, keep_layout=True),
            "",
            f"[b]Why:[/b] {safe_markup(entry.why, keep_layout=True)}",
            f"[b $warning]Cautions:[/] {safe_markup(entry.cautions, keep_layout=True)}",
            f"[b]Evidence:[/b] {EVIDENCE_WORDS[entry.evidence]} · "
            f"[dim]{safe_markup(entry.source)}[/dim]",
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
