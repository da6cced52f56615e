"""The real app against a real desktop bus: idle, sleep, lock and notifications over D-Bus.

Two private `dbus-daemon`s stand in for the session and the system bus, with
small fake services on them (tests/helpers/fakebus.py). The app runs in a pty
with DBUS_SESSION_BUS_ADDRESS and DBUS_SYSTEM_BUS_ADDRESS pointing at them, a
one-minute sit limit (`--sit-limit 1`), and one-minute reminders and breaks
(config.toml). The spells it stores are read back from its SQLite file.

Each test runs for about two minutes of real time: the limits are whole minutes.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.fakebus import (
    FakeLogind,
    FakeMutter,
    FakeNotifications,
    FakeScreenSaver,
    notify_actions,
    private_bus,
)
from tests.helpers.ptyapp import READY_TEXT, PtyApp

CONFIG = "remind_every_minutes = 1\nbreak_minutes = 1\n"
# Generous: the machine running the tests may be busy.
PATIENCE = 30.0


class Buses:
    """A session bus and a system bus of their own, and the app's environment for them."""

    def __init__(self, stack: ExitStack) -> None:
        # A short folder: a Unix socket's path is limited to 107 bytes.
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ub", dir="/tmp")))
        self.session = stack.enter_context(private_bus(folder / "session", "session"))
        self.system = stack.enter_context(private_bus(folder / "system", "system"))

    @property
    def env(self) -> dict[str, str]:
        return {
            "DBUS_SESSION_BUS_ADDRESS": self.session,
            "DBUS_SYSTEM_BUS_ADDRESS": self.system,
            "DISPLAY": "",  # X11 would be tried after the buses: not here
        }


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def start_app(tmp_path: Path, buses: Buses, stack: ExitStack) -> PtyApp:
    config = tmp_path / "config" / "upright" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(CONFIG)
    app = PtyApp(tmp_path, buses.env, args=("--sit-limit", "1"))
    stack.callback(app.stop)
    app.wait_for_text(READY_TEXT)
    app.type(b"\r")  # the safety note read: the timer panel in view
    app.wait_for_screen(lambda screen: "away detection" in screen, "the timer panel")
    return app


def spell_rows(app: PtyApp) -> list[sqlite3.Row]:
    conn = sqlite3.connect(app.db, timeout=5)
    conn.row_factory = sqlite3.Row
    try:
        return list(
            conn.execute("SELECT * FROM sitting_spell WHERE ended_by IS NOT NULL ORDER BY id")
        )
    finally:
        conn.close()


def wait_until(
    check: Callable[[], bool], what: str, app: PtyApp, timeout: float = PATIENCE
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen:\n{app.screen_now()}")


def ended(app: PtyApp, count: int, timeout: float = PATIENCE) -> list[sqlite3.Row]:
    wait_until(lambda: len(spell_rows(app)) >= count, f"{count} spell(s) stored", app, timeout)
    return spell_rows(app)


def stored_time(text: str) -> float:
    """A stored UTC time (naive ISO text) as a POSIX timestamp."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_alerts_act_replace_and_snooze(tmp_path: Path, stack: ExitStack) -> None:
    buses = Buses(stack)
    server = FakeNotifications(buses.session)
    stack.callback(server.close)
    app = start_app(tmp_path, buses, stack)

    # The first alert after a minute: a Notify call with both buttons.
    [first] = server.wait_for_call("Notify", 1, timeout=60 + PATIENCE)
    app_name, replaces, _icon, summary, body, _actions, _hints, _expire = first.body
    assert (app_name, replaces, summary) == ("upright", 0, "Time to stand up")
    assert "You have been sitting 1 min." in body
    assert notify_actions(first) == [("stand-up", "I'm up"), ("snooze", "Snooze 5 min")]

    # A minute later, still sitting: the second replaces the first instead of stacking.
    second = server.wait_for_call("Notify", 2, timeout=60 + PATIENCE)[1]
    assert second.body[1] == 1 and notify_actions(second) == notify_actions(first)

    # "Snooze 5 min" on it does what `z` does.
    server.press(1, "snooze")
    app.wait_for_text(b"Snoozed until", timeout=PATIENCE)
    app.type(b"q")
    assert app.proc.wait(timeout=PATIENCE) == 0
    [spell] = spell_rows(app)
    assert (spell["ended_by"], spell["alerts"], spell["snoozes"]) == ("quit", 2, 1)


def test_idle_sleep_and_lock_end_spells(tmp_path: Path, stack: ExitStack) -> None:
    buses = Buses(stack)
    mutter = FakeMutter(buses.session, idle_ms=200)
    saver = FakeScreenSaver(buses.session)
    server = FakeNotifications(buses.session)
    logind = FakeLogind(buses.system)
    for service in (mutter, saver, server, logind):
        stack.callback(service.close)
    app = start_app(tmp_path, buses, stack)
    app.wait_for_screen(
        lambda screen: "away detection: GNOME Mutter" in screen, "Mutter as the source"
    )
    [watch] = mutter.wait_for_call("AddIdleWatch")
    assert watch.body == (60_000,)  # the break length, in milliseconds
    assert mutter.called("GetIdletime")  # read once; the watches signal from then on

    # Idle: the watch fires a minute after the last input; the spell ends at that input.
    server.wait_for_call("Notify", 1, timeout=60 + PATIENCE)
    time.sleep(1)
    mutter.fire_idle()
    [first] = ended(app, 1)
    assert first["ended_by"] == "idle"
    app.wait_for_screen(lambda screen: "On a break" in screen, "away")
    # Away from the desk counts as up: the alert is taken off the screen.
    [close] = server.wait_for_call("CloseNotification")
    assert close.body == (1,)

    # Input again (the active watch, set once idle): a new spell.
    mutter.wait_for_call("AddUserActiveWatch")
    mutter.fire_active()
    app.wait_for_screen(lambda screen: "Sitting" in screen, "sitting again")
    time.sleep(2)

    # Sleep: the spell ends as the machine goes to sleep, and only once.
    logind.prepare_for_sleep(True)
    second = ended(app, 2)[1]
    assert second["ended_by"] == "suspend"
    logind.prepare_for_sleep(False)

    # The screen saver's lock, then unlock: the user is back, a new spell starts.
    time.sleep(6)  # past the grace after leaving, in which input is not a return
    saver.set_locked(True)
    time.sleep(1)
    saver.set_locked(False)
    app.wait_for_screen(lambda screen: "Sitting" in screen, "sitting after unlock")
    time.sleep(2)

    # logind's Lock: away from that moment; a break's length later the spell ends there.
    locked_at = time.time()
    logind.lock()
    third = ended(app, 3, timeout=60 + PATIENCE)[2]
    assert third["ended_by"] == "idle"
    assert abs(stored_time(third["end"]) - locked_at) < 3  # away from the moment of locking
    logind.lock(False)
    app.wait_for_screen(lambda screen: "Sitting" in screen, "sitting after logind's unlock")
    assert len(spell_rows(app)) == 3  # nothing counted twice
