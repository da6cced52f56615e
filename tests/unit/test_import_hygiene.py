"""What loads before the first frame: the heavy modules wait for the start-up worker.

Static rules live in pyproject.toml (import-linter); this checks what a real
import pulls in at run time, lazy imports included.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

# Loaded by the start-up worker after the first frame, never by importing the app.
AFTER_FIRST_FRAME = ("sqlmodel", "sqlalchemy", "pydantic", "apscheduler", "plotext", "jeepney")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("heavy", AFTER_FIRST_FRAME)
def test_importing_the_app_leaves_the_heavy_modules_for_later(heavy: str) -> None:
    assert heavy not in _modules_after("import tui.app")


def test_the_command_line_never_loads_textual() -> None:
    assert "textual" not in _modules_after("import tui.cli")
