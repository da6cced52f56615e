"""How to do the highlighted habit, why, and when to stop."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.reactive import var
from textual.widgets import Static

from store.vocab import Suggestion
from tui.views.text import safe_markup

if TYPE_CHECKING:
    # Types only: the store's modules load after the first frame.
    from store.catalog import HabitEntry
    from store.habit_fields import Dose
    from store.queries import CoachRow, TodayItem


EVIDENCE_WORDS = {
    "guideline": "recommended in clinical guidelines",
    "trial": "supported by randomised trials",
    "low": "little evidence so far",
    "expert-opinion": "expert opinion only",
}


def detail_markup(entry: HabitEntry, dose: Dose | None = None) -> str:
    """The catalog entry as Textual markup, for the detail pane and the catalog screen
    (`dose`: the exercise's level's, when not the catalog's).

    Every string is the catalog's (a file anyone may edit): shown safely, never as markup.
    """
    meta = [entry.kind, entry.schedule_text]
    dose_text = (dose or entry.dose).as_text()
    if dose_text:
        meta.append(dose_text)
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


def at_level(entry: HabitEntry, level: int) -> HabitEntry:
    """The entry as done at `level`: a variant's own how-to and cautions replace the
    entry's, where it has them."""
    variant = entry.level(level)
    if variant is None:
        return entry
    return entry.model_copy(
        update={k: v for k in ("how", "cautions") if (v := getattr(variant, k))}
    )


SUGGESTION_WORDS = {
    Suggestion.PROGRESS: ("[b $success]Coach: a step up?[/]", "Next level"),
    Suggestion.REDUCE: ("[b $warning]Coach: a step down?[/]", "Level below"),
    Suggestion.REST: ("[b $warning]Coach: a rest day?[/]", ""),
    Suggestion.HOLD: ("[b]Coach: hold[/b]", ""),
}


def coach_markup(entry: HabitEntry | None, item: TodayItem, coach: CoachRow | None) -> str:
    """An exercise's level and the coach's suggestion with its reason and the level it
    leads to, above the how-to (the reasons hold the catalog's dose words: escaped)."""
    lines = [f"[b]Level {item.level} of {item.levels}:[/b] {safe_markup(item.dose.as_text())}"]
    variant = entry.level(item.level) if entry is not None else None
    if variant is not None and variant.name:
        lines[0] += f" · {safe_markup(variant.name)}"
    if coach is not None:
        title, next_words = SUGGESTION_WORDS[coach.advice.suggestion]
        lines.append(f"{title} — {safe_markup(coach.advice.reason)}")
        nxt = coach.next_dose
        if nxt is not None:
            step = entry.level(coach.advice.next_level) if entry is not None else None
            named = f" · {safe_markup(step.name)}" if step is not None and step.name else ""
            lines.append(
                f"{next_words} ({coach.advice.next_level}): {safe_markup(nxt.as_text())}{named}"
                "  [dim]a: accept[/dim]"
            )
    if item.levels > 1:
        lines.append("[dim]+/-: a level up or down by hand[/dim]")
    return "\n".join(lines)


class HabitDetail(Static):
    """Shows one catalog entry (and, for an exercise, its level and the coach's
    suggestion); the screen calls `show`, or sets `entry`."""

    entry: var[HabitEntry | None] = var(None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._item: TodayItem | None = None
        self._coach: CoachRow | None = None

    def show(
        self, entry: HabitEntry | None, item: TodayItem | None, coach: CoachRow | None
    ) -> None:
        self._item, self._coach = item, coach
        self.set_reactive(HabitDetail.entry, entry)
        self._paint()

    def watch_entry(self) -> None:
        self._paint()

    def _paint(self) -> None:
        entry, item = self.entry, self._item
        if entry is None:
            self.update("[dim]Highlight a habit to see how to do it.[/dim]")
            return
        if item is None or item.id != entry.id or item.is_posture:
            self.update(detail_markup(entry))
            return
        entry = at_level(entry, item.level)
        self.update(
            coach_markup(entry, item, self._coach) + "\n\n" + detail_markup(entry, item.dose)
        )
