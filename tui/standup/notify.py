"""Desktop notifications and the terminal bell, for stand-up alerts.

A terminal app's toast is easy to miss when the user works in another window,
so alerts can also go to the desktop through whichever tool this machine has.
Nothing here raises: a notification that cannot be shown is just not shown.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import PurePath
from typing import TextIO

APP_NAME = "upright"

# A notifier that hangs must not hold up the alert (or the app) for long.
NOTIFY_TIMEOUT_SECONDS = 2.0


def find_desktop_notifier() -> list[str] | None:
    """The command (without title and body) for the first notifier found, or None.

    Looks for `notify-send` (Linux), `osascript` (macOS), then `terminal-notifier`.
    """
    notify_send = shutil.which("notify-send")
    if notify_send:
        return [notify_send, "-a", APP_NAME, "-u", "normal"]
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
    shown as pictures, and for notify-send, whose servers read the body as markup,
    `&`, `<` and `>` are escaped.
    """
    from tui.views.text import safe_text

    title, body = safe_text(title), safe_text(body)
    program = PurePath(notifier[0]).name.lower().removesuffix(".exe")
    if program == "osascript":
        script = f"display notification {applescript_string(body)} with title "
        return [*notifier, script + applescript_string(title)]
    if program == "terminal-notifier":
        return [*notifier, "-title", title, "-message", body]
    # notify-send: "--" so that a title or body starting with "-" is not read as an option.
    return [*notifier, "--", title, html.escape(body, quote=False)]


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


def bell(stream: TextIO) -> None:
    """Ring the terminal bell on `stream`; a closed or broken stream is ignored."""
    try:
        stream.write("\a")
        stream.flush()
    except (OSError, ValueError):
        pass
