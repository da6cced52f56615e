"""Private D-Bus daemons and small fake desktop services, for the desktop tests.

`private_bus(folder, kind)` starts a real `dbus-daemon` (one standing in for
the session bus, one for the system bus) from a minimal config file and
yields its address. The fakes are written with jeepney, the library the app
uses, each on its own connection and thread: GNOME's Mutter IdleMonitor, the
freedesktop ScreenSaver, systemd-logind's Manager and Session, and a
notification server that records every call and can press a button. A fake
made with `silent=True` takes its name and never answers (a hung service).

Imported by tests as `tests.helpers.fakebus`.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    MessageType,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusConnection, DBusRouter, Proxy, open_dbus_connection

DBUS_DAEMON = shutil.which("dbus-daemon") or "/usr/bin/dbus-daemon"
MISSING = "dbus-daemon is not installed: apt-get install dbus-daemon (.ci/run does)"

_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>{kind}</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

Reply = tuple[str, tuple[Any, ...]] | None  # (signature, body); None: no reply at all


@contextmanager
def private_bus(folder: Path, kind: str = "session") -> Iterator[str]:
    """A `dbus-daemon` of its own, listening in `folder`; yields its address.

    `folder` should have a short path: a Unix socket's path is limited to 107 bytes.
    """
    assert Path(DBUS_DAEMON).exists(), MISSING
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / f"{kind}.conf"
    config.write_text(_CONFIG.format(kind=kind, socket=folder / f"{kind}.sock"))
    daemon = subprocess.Popen(
        [DBUS_DAEMON, "--nofork", "--nopidfile", f"--config-file={config}", "--print-address=1"],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # it warns that it may not raise its file limit
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:"), f"dbus-daemon said {address!r}"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


@dataclass(frozen=True)
class Call:
    """A method call a fake received."""

    path: str
    interface: str
    member: str
    body: tuple[Any, ...]


class FakeService:
    """Owns `names` on the bus at `address` and answers calls on its own thread."""

    names: tuple[str, ...] = ()

    def __init__(self, address: str, *, silent: bool = False) -> None:
        self.silent = silent
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self.conn: DBusConnection = open_dbus_connection(address)
        with DBusRouter(self.conn) as router:
            bus = Proxy(message_bus, router, timeout=5)
            for name in self.names:
                bus.RequestName(name)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def answer(self, call: Call) -> Reply:
        """The reply to a method call; override. None leaves the caller waiting."""
        return None

    def called(self, member: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.member == member]

    def wait_for_call(self, member: str, count: int = 1, timeout: float = 30) -> list[Call]:
        """Wait until `member` has been called `count` times; returns those calls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.called(member)
            if len(calls) >= count:
                return calls
            time.sleep(0.05)
        raise AssertionError(f"{member} called {len(self.called(member))} times, not {count}")

    def emit(
        self, path: str, interface: str, member: str, signature: str, body: tuple[Any, ...]
    ) -> None:
        """Send a signal from this service."""
        self.conn.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                message = self.conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            except Exception:  # the connection closed: the test is over
                return
            if message.header.message_type is not MessageType.method_call:
                continue
            fields = message.header.fields
            call = Call(
                fields.get(HeaderFields.path, ""),
                fields.get(HeaderFields.interface, ""),
                fields.get(HeaderFields.member, ""),
                tuple(message.body),
            )
            with self._lock:
                self.calls.append(call)
            if self.silent:
                continue
            reply = self.answer(call)
            if reply is None:
                self.conn.send(
                    new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("no",))
                )
            else:
                self.conn.send(new_method_return(message, reply[0], reply[1]))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.conn.close()


MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
MUTTER_INTERFACE = "org.gnome.Mutter.IdleMonitor"


class FakeMutter(FakeService):
    """GNOME's IdleMonitor: an idle time the test sets, and watches the test fires."""

    names = ("org.gnome.Mutter.IdleMonitor",)

    def __init__(self, address: str, *, idle_ms: int = 0, silent: bool = False) -> None:
        self.idle_ms = idle_ms
        self.idle_watches: dict[int, int] = {}  # id -> interval in ms
        self.active_watches: list[int] = []
        self._next_id = 0
        super().__init__(address, silent=silent)

    def answer(self, call: Call) -> Reply:
        if call.member == "GetIdletime":
            return "t", (self.idle_ms,)
        if call.member in ("AddIdleWatch", "AddUserActiveWatch"):
            self._next_id += 1
            if call.member == "AddIdleWatch":
                self.idle_watches[self._next_id] = int(call.body[0])
            else:
                self.active_watches.append(self._next_id)
            return "u", (self._next_id,)
        if call.member == "RemoveWatch":
            return "", ()
        return None

    def fire_idle(self) -> None:
        """Every idle watch fires: the user has been idle its interval."""
        for watch in list(self.idle_watches):
            self.emit(MUTTER_PATH, MUTTER_INTERFACE, "WatchFired", "u", (watch,))

    def fire_active(self) -> None:
        """The user-active watches fire (and are gone: they are one-shot)."""
        watches, self.active_watches = self.active_watches, []
        for watch in watches:
            self.emit(MUTTER_PATH, MUTTER_INTERFACE, "WatchFired", "u", (watch,))


SCREENSAVER_PATH = "/org/freedesktop/ScreenSaver"
SCREENSAVER_INTERFACE = "org.freedesktop.ScreenSaver"


class FakeScreenSaver(FakeService):
    """The freedesktop ScreenSaver: GetSessionIdleTime (milliseconds) and ActiveChanged."""

    names = ("org.freedesktop.ScreenSaver",)

    def __init__(self, address: str, *, idle_ms: int = 0, silent: bool = False) -> None:
        self.idle_ms = idle_ms
        super().__init__(address, silent=silent)

    def answer(self, call: Call) -> Reply:
        if call.member == "GetSessionIdleTime":
            return "u", (self.idle_ms,)
        return None

    def set_locked(self, locked: bool) -> None:
        self.emit(SCREENSAVER_PATH, SCREENSAVER_INTERFACE, "ActiveChanged", "b", (locked,))


LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER = "org.freedesktop.login1.Manager"
LOGIND_SESSION = "org.freedesktop.login1.Session"
SESSION_PATH = "/org/freedesktop/login1/session/_31"


class FakeLogind(FakeService):
    """systemd-logind: a Manager placing every PID in one Session with an idle hint."""

    names = ("org.freedesktop.login1",)

    def __init__(self, address: str, *, silent: bool = False) -> None:
        self.idle_hint = False
        self.idle_since_monotonic_us = 0
        self.idle_since_us = 0
        super().__init__(address, silent=silent)

    def answer(self, call: Call) -> Reply:
        if call.member == "GetSessionByPID":
            return "o", (SESSION_PATH,)
        if call.member == "GetAll" and call.path == SESSION_PATH and call.body[0] == LOGIND_SESSION:
            since_us = self.idle_since_monotonic_us
            return "a{sv}", (
                {
                    "IdleHint": ("b", self.idle_hint),
                    "IdleSinceHint": ("t", self.idle_since_us),
                    "IdleSinceHintMonotonic": ("t", since_us),
                },
            )
        return None

    def idle_since(self, seconds_ago: float, *, monotonic: bool = True) -> None:
        """Idle, as the desktop would set it, since `seconds_ago`.

        `monotonic=False` is an older logind with only the wall-clock moment.
        """
        self.idle_hint = True
        self.idle_since_monotonic_us = (
            int((time.monotonic() - seconds_ago) * 1_000_000) if monotonic else 0
        )
        self.idle_since_us = int((time.time() - seconds_ago) * 1_000_000)

    def prepare_for_sleep(self, sleeping: bool) -> None:
        self.emit(LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep", "b", (sleeping,))

    def lock(self, locked: bool = True) -> None:
        self.emit(SESSION_PATH, LOGIND_SESSION, "Lock" if locked else "Unlock", "", ())

    def locked_hint(self, locked: bool) -> None:
        """The desktop set the session's LockedHint: PropertiesChanged."""
        self.emit(
            SESSION_PATH,
            "org.freedesktop.DBus.Properties",
            "PropertiesChanged",
            "sa{sv}as",
            (LOGIND_SESSION, {"LockedHint": ("b", locked)}, []),
        )


NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
NOTIFICATIONS_INTERFACE = "org.freedesktop.Notifications"


class FakeNotifications(FakeService):
    """A notification server that records Notify and CloseNotification, and presses buttons."""

    names = ("org.freedesktop.Notifications",)

    def __init__(self, address: str, *, silent: bool = False) -> None:
        self._last_id = 0
        super().__init__(address, silent=silent)

    def answer(self, call: Call) -> Reply:
        if call.member == "GetServerInformation":
            return "ssss", ("fake", "upright tests", "1", "1.2")
        if call.member == "GetCapabilities":
            return "as", (["actions", "body", "body-markup"],)
        if call.member == "Notify":
            replaces = int(call.body[1])
            if replaces == 0:
                self._last_id += 1
            return "u", (replaces or self._last_id,)
        if call.member == "CloseNotification":
            self.emit(
                NOTIFICATIONS_PATH,
                NOTIFICATIONS_INTERFACE,
                "NotificationClosed",
                "uu",
                (int(call.body[0]), 3),
            )
            return "", ()
        return None

    def press(self, notification: int, action: str) -> None:
        """The user pressed a button: ActionInvoked, then the server closes it."""
        self.emit(
            NOTIFICATIONS_PATH,
            NOTIFICATIONS_INTERFACE,
            "ActionInvoked",
            "us",
            (notification, action),
        )
        self.emit(
            NOTIFICATIONS_PATH,
            NOTIFICATIONS_INTERFACE,
            "NotificationClosed",
            "uu",
            (notification, 2),
        )


def notify_actions(call: Call) -> list[tuple[str, str]]:
    """A Notify call's buttons as (key, label) pairs."""
    actions = list(call.body[5])
    return list(zip(actions[::2], actions[1::2], strict=True))


def close_all(*services: FakeService | None) -> None:
    for service in services:
        if service is not None:
            service.close()
