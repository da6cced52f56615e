"""Tests for desktop notifications and the bell, with the notifiers faked."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest

from tui.standup.notify import (
    applescript_string,
    bell,
    find_desktop_notifier,
    markup_body,
    notification_command,
    send_desktop_notification,
)


class FakeRun:
    """Stands in for subprocess.run and records the calls."""

    def __init__(self, outcome: int | BaseException = 0) -> None:
        self.outcome = outcome
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        self.calls.append((argv, kwargs))
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return subprocess.CompletedProcess(argv, self.outcome, b"", b"")


def only_these_on_path(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}" if name in names else None)


# -- finding a notifier --------------------------------------------------------------


def test_notify_send_is_no_longer_spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    # The notification server is reached over D-Bus (BusNotifier), with buttons.
    only_these_on_path(monkeypatch, "notify-send")
    assert find_desktop_notifier() is None


def test_osascript_before_terminal_notifier(monkeypatch: pytest.MonkeyPatch) -> None:
    only_these_on_path(monkeypatch, "osascript", "terminal-notifier")
    assert find_desktop_notifier() == ["/usr/bin/osascript", "-e"]


def test_terminal_notifier_last(monkeypatch: pytest.MonkeyPatch) -> None:
    only_these_on_path(monkeypatch, "terminal-notifier")
    assert find_desktop_notifier() == ["/usr/bin/terminal-notifier", "-group", "upright"]


def test_no_notifier_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    only_these_on_path(monkeypatch)
    assert find_desktop_notifier() is None


# -- building the command ------------------------------------------------------------


def test_osascript_script_escapes_quotes_and_backslashes() -> None:
    argv = notification_command('Time "to" move', 'Say "hi" \\ stretch', ["osascript", "-e"])
    assert argv == [
        "osascript",
        "-e",
        'display notification "Say \\"hi\\" \\\\ stretch" with title "Time \\"to\\" move"',
    ]


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('a "quoted" word', '"a \\"quoted\\" word"'),
        ("back\\slash", '"back\\\\slash"'),
        ('\\"', '"\\\\\\""'),
        ("", '""'),
    ],
)
def test_applescript_string(text: str, literal: str) -> None:
    assert applescript_string(text) == literal


def test_terminal_notifier_gets_title_and_message_options() -> None:
    argv = notification_command("Stand up", "Body", ["terminal-notifier", "-group", "upright"])
    assert argv == [
        "terminal-notifier",
        "-group",
        "upright",
        "-title",
        "Stand up",
        "-message",
        "Body",
    ]


# -- sending -------------------------------------------------------------------------


def test_send_runs_the_notifier_safely(monkeypatch: pytest.MonkeyPatch) -> None:
    run = FakeRun(0)
    monkeypatch.setattr(subprocess, "run", run)
    notifier = ["terminal-notifier", "-group", "upright"]
    assert send_desktop_notification("Stand up", "30 min", notifier) is True
    [(argv, kwargs)] = run.calls
    assert argv == [*notifier, "-title", "Stand up", "-message", "30 min"]
    assert kwargs["timeout"] == 2.0
    assert kwargs["stdin"] is subprocess.DEVNULL
    assert kwargs["capture_output"] is True
    assert not kwargs.get("shell", False)


@pytest.mark.parametrize(
    "outcome",
    [
        1,
        subprocess.TimeoutExpired(["osascript"], 2.0),
        FileNotFoundError("osascript"),
        PermissionError("osascript"),
    ],
)
def test_failures_return_false(monkeypatch: pytest.MonkeyPatch, outcome: int | Exception) -> None:
    monkeypatch.setattr(subprocess, "run", FakeRun(outcome))
    assert send_desktop_notification("Stand up", "30 min", ["osascript", "-e"]) is False


def test_no_notifier_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    run = FakeRun(0)
    monkeypatch.setattr(subprocess, "run", run)
    assert send_desktop_notification("Stand up", "30 min", None) is False
    assert send_desktop_notification("Stand up", "30 min", []) is False
    assert run.calls == []


# -- bell ----------------------------------------------------------------------------


class Terminal(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def test_bell_writes_bel_and_flushes() -> None:
    terminal = Terminal()
    bell(terminal)
    assert terminal.getvalue() == "\a"
    assert terminal.flushes == 1


def test_bell_on_a_closed_stream_does_not_raise() -> None:
    terminal = io.StringIO()
    terminal.close()
    bell(terminal)


def test_user_text_reaches_the_notifier_as_text_not_markup_or_controls() -> None:
    assert markup_body('Bridge <a href="x">&</a>\x1b]0;x\x07') == (
        'Bridge &lt;a href="x"&gt;&amp;&lt;/a&gt;\u241b]0;x\u2407'
    )
    script = notification_command("T", "a\x1b[2Jb", ["osascript", "-e"])[-1]
    assert "\x1b" not in script and "a\u241b[2Jb" in script
