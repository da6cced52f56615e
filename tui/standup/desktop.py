"""The desktop over D-Bus, for the stand-up timer: idle, sleep, lock and notifications.

`Desktop.connect` (blocking: call it from a worker thread) opens the session
and system buses, picks the idle source (see `idle.py`), listens for sleep
(logind's PrepareForSleep) and lock (the ScreenSaver's ActiveChanged, logind's
session Lock and Unlock and its LockedHint), and finds the notification server. What it hears it
hands to `send` as plain `DesktopEvent`s, from the bus's own thread: the app
moves them onto its event loop.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import timedelta

from tui.standup.desktop_bus import (
    LOGIND,
    LOGIND_SESSION_INTERFACE,
    SCREENSAVER,
    BusLink,
    session_bus_address,
    system_bus_address,
)
from tui.standup.desktop_events import (
    ActionInvoked,
    Asleep,
    Awake,
    DesktopEvent,
    IdleReported,
    Locked,
)
from tui.standup.idle import IdleSource, LogindIdle, WatchedIdleSource, detect_idle_source
from tui.standup.notify import BusNotifier, find_desktop_notifier, send_desktop_notification


def _sender(
    send: Callable[[DesktopEvent], None], event: DesktopEvent
) -> Callable[[tuple[object, ...]], None]:
    """A signal handler that sends `event`, whatever the signal carries."""
    return lambda _body: send(event)


class Desktop:
    """What this desktop offers the timer, once connected. Its calls block: use a worker."""

    def __init__(
        self,
        session: BusLink,
        system: BusLink,
        idle_source: IdleSource | None = None,
        polled: bool = True,
        notifier: BusNotifier | None = None,
        command: list[str] | None = None,
    ) -> None:
        self.session = session
        self.system = system
        self.idle_source = idle_source
        # False for a source that signals (Mutter's watches): nothing to poll.
        self.polled = polled
        self.notifier = notifier
        self.command = command

    @classmethod
    def connect(
        cls,
        send: Callable[[DesktopEvent], None],
        break_length: timedelta,
        *,
        watch: bool = True,
        notifications: bool = True,
        env: Mapping[str, str] | None = None,
        platform: str | None = None,
    ) -> Desktop:
        """Open the buses and set everything up.

        `watch`: find the idle source and listen for sleep and lock; `notifications`:
        find the notification server (else `osascript` or `terminal-notifier`).
        """
        env = os.environ if env is None else env
        platform = sys.platform if platform is None else platform
        on_linux_and_like = platform not in ("darwin", "win32")
        session = BusLink(session_bus_address(env) if on_linux_and_like else None)
        system = BusLink(system_bus_address(env) if on_linux_and_like else None)
        desktop = cls(session, system)
        if watch:
            desktop._watch(send, break_length, env, platform)
        if notifications:
            notifier = BusNotifier(session, lambda action: send(ActionInvoked(action)))
            if notifier.connect():
                desktop.notifier = notifier
            else:
                desktop.command = find_desktop_notifier()
        return desktop

    def _watch(
        self,
        send: Callable[[DesktopEvent], None],
        break_length: timedelta,
        env: Mapping[str, str],
        platform: str,
    ) -> None:
        source = detect_idle_source(
            env, platform, session=self.session, system=self.system, interval=break_length
        )
        if isinstance(source, WatchedIdleSource):
            # Without its watches the same source is still good to poll.
            self.polled = not source.watch(lambda idle, most: send(IdleReported(idle, most)))
        self.idle_source = source

        def sleeping(body: tuple[object, ...]) -> None:
            send(Asleep() if body and body[0] else Awake())

        self.system.on_signal(LOGIND.path, LOGIND.interface, "PrepareForSleep", sleeping)
        self.session.on_signal(
            SCREENSAVER.path,
            SCREENSAVER.interface,
            "ActiveChanged",
            lambda body: send(Locked(bool(body and body[0]))),
        )
        if self.system.connected:
            session = LogindIdle(self.system).session()
            if session is not None:
                for member, event in (("Lock", Locked(True)), ("Unlock", Locked(False))):
                    self.system.on_signal(
                        session.path, LOGIND_SESSION_INTERFACE, member, _sender(send, event)
                    )

                def hinted(body: tuple[object, ...]) -> None:
                    # GNOME and KDE set the session's LockedHint as they lock and unlock.
                    changed = (
                        body[1] if len(body) > 1 and body[0] == LOGIND_SESSION_INTERFACE else {}
                    )
                    if isinstance(changed, dict) and "LockedHint" in changed:
                        send(Locked(bool(changed["LockedHint"][1])))

                self.system.on_signal(
                    session.path, "org.freedesktop.DBus.Properties", "PropertiesChanged", hinted
                )

    def notify(self, title: str, body: str, *, alert: bool = True) -> bool:
        """Show a notification (a stand-up `alert` has buttons and replaces the last one)."""
        if self.notifier is not None:
            return self.notifier.show(title, body, alert=alert)
        return send_desktop_notification(title, body, self.command)

    def close_alert(self) -> None:
        """Take the stand-up alert off the screen (the user got up)."""
        if self.notifier is not None:
            self.notifier.close()

    def close(self) -> None:
        self.session.close()
        self.system.close()
