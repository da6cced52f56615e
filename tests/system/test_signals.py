"""The real app in a pseudo-terminal: SIGTERM, SIGHUP and a closed terminal save the open spell."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("POSIX signals and ptys", allow_module_level=True)

from tests.helpers.ptyapp import READY_TEXT, PtyApp


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "close-terminal"])
def test_signal_saves_the_open_sitting_spell(tmp_path: Path, how: str) -> None:
    app = PtyApp(tmp_path)
    try:
        app.wait_for_text(READY_TEXT)
        assert b"Stand-up timer" in app.screen_text()
        assert app.has_table("setting")
        assert app.spells() == []  # the spell is open: nothing stored yet
        time.sleep(0.3)  # let the spell last a moment (a zero-length spell is not stored)
        if how == "close-terminal":
            app.close_terminal()  # the kernel sends SIGHUP to the session
        else:
            app.proc.send_signal(getattr(signal, how))
        code = app.proc.wait(timeout=15)
    finally:
        app.stop()
    assert code == 0, f"exit {code}: {app.screen_text()[-1500:]!r}"
    spells = app.spells()
    assert len(spells) == 1, spells
    start, end, ended_by = spells[0]
    assert ended_by == "quit"
    assert end is not None and end > start
