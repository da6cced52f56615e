"""Desktop notifications and the terminal bell, for stand-up alerts.

A terminal app's toast is easy to miss when the user works in another window,
so alerts also go to the desktop: on Linux and the BSDs to the freedesktop
notification server over D-Bus (`BusNotifier`: with "I'm up" and "Snooze"
buttons, each alert replacing the last), on macOS through `osascript` or
`terminal-notifier`. Nothing here raises: a notification that cannot be shown
is just not shown (the toast and the bell remain).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import TextIO

from tui.standup.desktop_bus import NOTIFICATIONS, BusLink
from tui.standup.desktop_events import SNOOZE_ACTION, STAND_UP_ACTION

APP_NAME = "upright"

# The buttons of a stand-up alert: (action key, label).
ALERT_ACTIONS = ((STAND_UP_ACTION, "I'm up"), (SNOOZE_ACTION, "Snooze 5 min"))

# A notifier that hangs must not hold up the alert (or the app) for long.
NOTIFY_TIMEOUT_SECONDS = 2.0


def find_desktop_notifier() -> list[str] | None:
    """The command (without title and body) for the first notifier found, or None.

    Looks for `osascript` (macOS), then `terminal-notifier`. (Elsewhere the
    notification server is reached over D-Bus: `BusNotifier`.)
    """
    osascript = shutil.which("osascript")
    if osascript:
        return [osascript, "-e"]
    terminal_notifier = shutil.which("terminal-notifier")
    if terminal_notifier:
        # One group, so a new alert replaces the last one instead of piling up.
        return [terminal_notifier, "-group", APP_NAME]
    return None


def applescript_string(text: str) -> str:
    """`text` as an AppleScript string literal (backslashes and quotes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def notification_command(title: str, body: str, notifier: Sequence[str]) -> list[str]:
    """The full argv that shows `title` and `body` with `notifier`.

    Text may come from the user (a catalog's names, config reminders): controls are
    shown as pictures.
    """
    from tui.views.text import safe_text

    title, body = safe_text(title), safe_text(body)
    program = PurePath(notifier[0]).name.lower().removesuffix(".exe")
    if program == "osascript":
        script = f"display notification {applescript_string(body)} with title "
        return [*notifier, script + applescript_string(title)]
    return [*notifier, "-title", title, "-message", body]


def send_desktop_notification(title: str, body: str, notifier: Sequence[str] | None) -> bool:
    """Show a desktop notification; True if the notifier said it worked. Never raises."""
    if not notifier:
        return False
    try:
        done = subprocess.run(
            notification_command(title, body, notifier),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=NOTIFY_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return False
    return done.returncode == 0


def markup_body(body: str) -> str:
    """`body` for a freedesktop notification server, which reads it as markup."""
    from tui.views.text import safe_text

    return html.escape(safe_text(body), quote=False)


class BusNotifier:
    """The freedesktop notification server (org.freedesktop.Notifications) on the session bus.

    Keeps the id of the alert on screen: the next one replaces it, `close()`
    takes it away. A button pressed on it calls `on_action(key)` with a key from
    `ALERT_ACTIONS`, on the bus's dispatcher thread. Calls block: use a worker.
    """

    def __init__(self, session: BusLink, on_action: Callable[[str], None]) -> None:
        self._bus = session
        self._on_action = on_action
        self._lock = threading.Lock()
        self._shown: int | None = None  # the id of our notification on screen

    @property
    def showing(self) -> int | None:
        """The id of our stand-up alert on screen, if one is."""
        with self._lock:
            return self._shown

    def connect(self) -> bool:
        """True if a notification server answers; then listens for its buttons."""
        if self._bus.call(NOTIFICATIONS, "GetServerInformation") is None:
            return False
        path, interface = NOTIFICATIONS.path, NOTIFICATIONS.interface
        return self._bus.on_signal(
            path, interface, "ActionInvoked", self._invoked
        ) and self._bus.on_signal(path, interface, "NotificationClosed", self._closed)

    def show(self, title: str, body: str, *, alert: bool = True) -> bool:
        """Show a notification; True if the server took it.

        A stand-up `alert` has the buttons and replaces our alert still on screen;
        anything else (a reminder) is shown beside it, without buttons.
        """
        from tui.views.text import safe_text

        with self._lock:
            replaces = (self._shown or 0) if alert else 0
        buttons = [part for pair in ALERT_ACTIONS for part in pair] if alert else []
        reply = self._bus.call(
            NOTIFICATIONS,
            "Notify",
            "susssasa{sv}i",
            (APP_NAME, replaces, "", safe_text(title), markup_body(body), buttons, {}, -1),
        )
        if not reply:
            return False
        if alert:
            with self._lock:
                self._shown = int(reply[0])
        return True

    def close(self) -> None:
        """Take our alert off the screen, if one is there."""
        with self._lock:
            shown, self._shown = self._shown, None
        if shown is not None:
            self._bus.call(NOTIFICATIONS, "CloseNotification", "u", (shown,))

    def _invoked(self, body: tuple[object, ...]) -> None:
        if len(body) < 2 or body[1] not in (STAND_UP_ACTION, SNOOZE_ACTION):
            return
        with self._lock:
            ours = body[0] == self._shown
        if ours:
            self._on_action(str(body[1]))

    def _closed(self, body: tuple[object, ...]) -> None:
        with self._lock:
            if body and body[0] == self._shown:
                self._shown = None


def bell(stream: TextIO) -> None:
    """Ring the terminal bell on `stream`; a closed or broken stream is ignored."""
    try:
        stream.write("\a")
        stream.flush()
    except (OSError, ValueError):
        pass
