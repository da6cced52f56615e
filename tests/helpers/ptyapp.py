"""The real `upright` dashboard in a pseudo-terminal, for the signal and faketime tests.

Imported by tests as `tests.helpers.ptyapp`.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pyte

COLUMNS, LINES = 120, 40
TESTS = Path(__file__).resolve().parent.parent
CATALOG = TESTS / "data" / "small.toml"
# The safety note is pushed after the signal handlers are installed, so once
# it is on screen a signal must be handled by the app and not by the default action.
READY_TEXT = b"Before you start"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07")


def _make_controlling_tty() -> None:  # pragma: no cover - runs in the child
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    """`python -m tui` in a new session whose controlling terminal is a fresh 120x40 pty."""

    def __init__(
        self,
        tmp_path: Path,
        extra_env: Mapping[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.db = tmp_path / "data" / "upright.db"
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "UPRIGHT_DB": str(self.db),
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
            "PYTHONDONTWRITEBYTECODE": "1",
            **(extra_env or {}),
        }
        env.pop("TEXTUAL", None)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.master: int | None = master
        self.output = bytearray()
        self._lock = threading.Lock()
        self._screen = pyte.Screen(COLUMNS, LINES)
        self._stream = pyte.ByteStream(self._screen)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui", "--db", str(self.db), "--catalog", str(CATALOG), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=TESTS.parent,
            start_new_session=True,
            preexec_fn=_make_controlling_tty,
        )
        os.close(slave)
        # Keep draining the pty so the app never blocks on a full buffer.
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Never blocked in a read for long: `close_terminal` waits for this thread to let go.
        while (master := self.master) is not None:
            if not select.select([master], [], [], 0.1)[0]:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.output.extend(data)
                self._stream.feed(data)

    def screen_text(self) -> bytes:
        """Everything the app wrote, without escape sequences."""
        with self._lock:
            return ANSI.sub(b"", bytes(self.output))

    def screen_now(self) -> str:
        """What the terminal shows now, line by line."""
        with self._lock:
            return "\n".join(self._screen.display)

    def wait_for_screen(
        self, condition: Callable[[str], bool], what: str, timeout: float = 20
    ) -> float:
        """Wait until the screen as shown now satisfies `condition`; returns the seconds taken."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if condition(self.screen_now()):
                return time.monotonic() - started
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"{what} never showed (exit {self.proc.poll()}):\n{self.screen_now()}")

    def wait_for_text(self, text: bytes | re.Pattern[bytes], timeout: float = 20) -> bytes:
        """Wait until `text` (or a match of the pattern) appears; returns what matched."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen_text()
            if isinstance(text, bytes):
                if text in screen:
                    return text
            elif (match := text.search(screen)) is not None:
                return match.group(0)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(
            f"{text!r} never appeared (exit {self.proc.poll()}); last output: "
            f"{self.screen_text()[-1500:]!r}"
        )

    def type(self, data: bytes) -> None:
        assert self.master is not None
        os.write(self.master, data)

    def has_table(self, name: str) -> bool:
        if not self.db.exists():
            return False
        conn = sqlite3.connect(self.db, timeout=5)
        try:
            return (
                conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
                ).fetchone()
                is not None
            )
        finally:
            conn.close()

    def spells(self) -> list[tuple[str, str | None, str | None]]:
        conn = sqlite3.connect(self.db, timeout=5)
        try:
            return list(conn.execute('SELECT start, "end", ended_by FROM sitting_spell'))
        finally:
            conn.close()

    def close_terminal(self) -> None:
        """Like a terminal window closing. The reader lets go of the pty first: a read
        blocked on it would keep it open, and the app would get no SIGHUP."""
        master, self.master = self.master, None
        if master is not None:
            if self._reader.is_alive() and threading.current_thread() is not self._reader:
                self._reader.join(timeout=5)
            os.close(master)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.close_terminal()
        self._reader.join(timeout=5)
