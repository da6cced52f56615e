"""store/vocab.py: the stored words stay what they were, and the timer imports only them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store.vocab import CheckInStatus, HabitKind, PainContext, SpellEnding

ROOT = Path(__file__).resolve().parents[2]


def test_the_words_are_the_stored_text() -> None:
    # Databases and exports already hold these exact strings: changing one needs a migration.
    assert list(CheckInStatus) == ["done", "skipped", "open"]
    assert list(SpellEnding) == ["break", "idle", "suspend", "quit", "pause", "interrupted"]
    assert list(PainContext) == ["morning", "during-exercise", "evening"]
    assert list(HabitKind) == ["posture", "strength", "stretch", "mobility", "cardio"]
    assert json.dumps({"status": CheckInStatus.DONE}) == '{"status": "done"}'
    assert f"{SpellEnding.IDLE}" == str(SpellEnding.IDLE) == "idle"


def test_the_catalog_kinds_are_the_vocabulary() -> None:
    from store.catalog import HabitEntry

    annotation = HabitEntry.model_fields["kind"].annotation
    assert annotation is HabitKind


def test_the_timer_imports_nothing_of_the_store_but_its_words() -> None:
    code = (
        "import sys\n"
        "import tui.standup.timer\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('store', 'textual',"
        " 'sqlalchemy', 'sqlmodel', 'pydantic')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['store', 'store.vocab']"
