"""The desktop's message buses: one connection each to the session and the system D-Bus.

The stand-up timer learns about the desktop here: idle time (GNOME's Mutter, the
freedesktop ScreenSaver, systemd-logind), sleep and lock, and the notification
server. `idle.py`, `notify.py` and `desktop.py` say what to ask; this module only
connects, calls and listens.

Built on jeepney (pure Python, no dependencies, thread-safe blocking I/O): it is
imported on first use, never when the app starts. Every call is bounded by
`CALL_TIMEOUT_SECONDS` and never raises (a failed call is None), and it blocks:
call it from a worker thread. Signal handlers run on this link's dispatcher thread.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# A desktop service that does not answer within this is treated as absent.
CALL_TIMEOUT_SECONDS = 1.0
SYSTEM_BUS_DEFAULT = "unix:path=/var/run/dbus/system_bus_socket"

SignalHandler = Callable[[tuple[Any, ...]], None]


def session_bus_address(env: Mapping[str, str] | None = None) -> str | None:
    """DBUS_SESSION_BUS_ADDRESS, else the usual socket in XDG_RUNTIME_DIR, else None."""
    env = os.environ if env is None else env
    address = env.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime_dir = env.get("XDG_RUNTIME_DIR")
    if runtime_dir and os.path.exists(os.path.join(runtime_dir, "bus")):
        return "unix:path=" + os.path.join(runtime_dir, "bus")
    return None


def system_bus_address(env: Mapping[str, str] | None = None) -> str:
    """DBUS_SYSTEM_BUS_ADDRESS, else the system socket."""
    env = os.environ if env is None else env
    return env.get("DBUS_SYSTEM_BUS_ADDRESS") or SYSTEM_BUS_DEFAULT


@dataclass(frozen=True)
class Remote:
    """An object of a service on the bus: who, where, and which interface."""

    bus_name: str
    path: str
    interface: str


# The desktop services upright talks to.
MUTTER_IDLE = Remote(
    "org.gnome.Mutter.IdleMonitor",
    "/org/gnome/Mutter/IdleMonitor/Core",
    "org.gnome.Mutter.IdleMonitor",
)
SCREENSAVER = Remote(
    "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"
)
NOTIFICATIONS = Remote(
    "org.freedesktop.Notifications",
    "/org/freedesktop/Notifications",
    "org.freedesktop.Notifications",
)
LOGIND = Remote(
    "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager"
)
LOGIND_SESSION_INTERFACE = "org.freedesktop.login1.Session"
# The session of the caller, for a process logind cannot place by its PID.
LOGIND_AUTO_SESSION = "/org/freedesktop/login1/session/auto"


class _Stop:
    """Tells the dispatcher thread to end."""


class BusLink:
    """One connection to one bus, opened on first use (and tried only once).

    Thread-safe: calls may come from any thread. `close()` ends the connection and
    the dispatcher thread; later calls answer None.
    """

    def __init__(self, address: str | None, timeout: float = CALL_TIMEOUT_SECONDS) -> None:
        self.address = address
        self.timeout = timeout
        self._lock = threading.Lock()
        self._tried = False
        self._closed = False
        self._conn: Any = None
        self._router: Any = None
        self._signals: queue.Queue[Any] = queue.Queue()
        self._handlers: dict[tuple[str, str, str], list[SignalHandler]] = {}
        self._filters: list[Any] = []
        self._dispatcher: threading.Thread | None = None

    def _connected(self) -> Any:
        """The router, connecting on the first call; None without a bus."""
        with self._lock:
            if self._tried or self._closed:
                return self._router
            self._tried = True
            if not self.address:
                return None
            from jeepney.bus_messages import message_bus
            from jeepney.io.blocking import prep_socket
            from jeepney.io.threading import DBusConnection, DBusRouter, Proxy

            try:
                sock = prep_socket(_socket_path(self.address), False, timeout=self.timeout)
            except Exception:  # no socket, refused, a bad address, failed authentication
                return None
            conn = DBusConnection(sock)
            router = DBusRouter(conn)
            try:
                # jeepney's own open_dbus_connection waits up to 10 s for this reply.
                conn.unique_name = Proxy(message_bus, router, timeout=self.timeout).Hello()[0]
            except Exception:  # any failure here means: no bus
                router.close()
                conn.close()
                return None
            self._conn, self._router = conn, router
            return router

    @property
    def connected(self) -> bool:
        return self._connected() is not None

    def call(
        self,
        remote: Remote,
        method: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
        *,
        interface: str | None = None,
        timeout: float | None = None,
    ) -> tuple[Any, ...] | None:
        """Call `method` and return its reply's body; None on error, timeout or no bus."""
        router = self._connected()
        if router is None:
            return None
        from jeepney import DBusAddress, MessageType, new_method_call

        address = DBusAddress(remote.path, remote.bus_name, interface or remote.interface)
        try:
            reply = router.send_and_get_reply(
                new_method_call(address, method, signature, body),
                timeout=self.timeout if timeout is None else timeout,
            )
        except Exception:  # timeout, closed router, bad body: no answer
            return None
        if reply.header.message_type is MessageType.error:
            return None
        return tuple(reply.body)

    def get_properties(self, remote: Remote) -> dict[str, Any] | None:
        """All properties of `remote`'s interface, variants unwrapped; None if unanswered."""
        reply = self.call(
            remote,
            "GetAll",
            "s",
            (remote.interface,),
            interface="org.freedesktop.DBus.Properties",
        )
        if reply is None or not reply or not isinstance(reply[0], dict):
            return None
        return {name: value[1] for name, value in reply[0].items()}

    def on_signal(self, path: str, interface: str, member: str, handler: SignalHandler) -> bool:
        """Call `handler(body)` (on the dispatcher thread) for each such signal; False if no bus."""
        router = self._connected()
        if router is None:
            return False
        from jeepney import MatchRule, message_bus

        rule = MatchRule(type="signal", path=path, interface=interface, member=member)
        with self._lock:
            if self._closed:
                return False
            key = (path, interface, member)
            first = key not in self._handlers
            self._handlers.setdefault(key, []).append(handler)
            if first:
                self._filters.append(router.filter(rule, queue=self._signals))
            if self._dispatcher is None:
                self._dispatcher = threading.Thread(
                    target=self._dispatch, name="desktop-bus-signals", daemon=True
                )
                self._dispatcher.start()
        if not first:
            return True
        try:
            router.send_and_get_reply(message_bus.AddMatch(rule), timeout=self.timeout)
        except Exception:  # the bus would not listen for us
            return False
        return True

    def _dispatch(self) -> None:
        from jeepney import HeaderFields

        while True:
            message = self._signals.get()
            if isinstance(message, _Stop):
                return
            fields = message.header.fields
            key = (
                fields.get(HeaderFields.path),
                fields.get(HeaderFields.interface),
                fields.get(HeaderFields.member),
            )
            with self._lock:
                handlers = list(self._handlers.get(key, ()))
            for handler in handlers:
                try:
                    handler(tuple(message.body))
                except Exception:  # one bad signal must not stop the others
                    continue

    def close(self) -> None:
        """End the connection and the dispatcher thread. Safe to call twice."""
        with self._lock:
            self._closed = True
            router, conn, self._router, self._conn = self._router, self._conn, None, None
            dispatcher = self._dispatcher
        self._signals.put(_Stop())
        if router is not None:
            router.close()
        if conn is not None:
            conn.close()
        if dispatcher is not None and dispatcher is not threading.current_thread():
            dispatcher.join(timeout=self.timeout)


def _socket_path(address: str) -> str:
    from jeepney.bus import get_connectable_addresses

    return str(next(get_connectable_addresses(address)))
