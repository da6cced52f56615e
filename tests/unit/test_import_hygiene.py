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


# The physio report's libraries: only `upright report` loads them.
REPORT_ONLY = ("matplotlib", "jinja2", "PIL")


@pytest.mark.parametrize("heavy", REPORT_ONLY)
@pytest.mark.parametrize("statement", ["import tui.cli", "import tui.app"])
def test_only_the_report_loads_its_libraries(statement: str, heavy: str) -> None:
    assert heavy not in _modules_after(statement)


def test_the_report_command_loads_them_when_it_runs() -> None:
    """The check above can fail: rendering does import them."""
    loaded = _modules_after(
        "import tui.cli\nfrom tui.report import charts, render\n"
        "render.environment()\ncharts._figure()"
    )
    assert {"jinja2", "matplotlib"} <= loaded
