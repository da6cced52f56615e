"""Tests for the idle-time sources, with every command and library faked."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tui.standup import idle
from tui.standup.idle import (
    IN_APP_ONLY,
    MacIoregIdle,
    WindowsIdle,
    XprintidleIdle,
    XScreenSaverIdle,
    detect_idle_source,
    idle_from_tick_counts,
    idle_source_candidates,
    idle_source_name,
    parse_ioreg_hididletime,
    parse_xprintidle,
)

IOREG_OUTPUT = """\
+-o Root  <class IORegistryEntry, id 0x100000100, retain 21>
  +-o J314sAP  <class IOPlatformExpertDevice, id 0x100000211, registered, matched>
    +-o IOResources  <class IOResources, id 0x100000112, registered, matched>
      +-o IOHIDSystem  <class IOHIDSystem, id 0x1000004ff, registered, matched>
        | {
        |   "IOClass" = "IOHIDSystem"
        |   "HIDParameters" = {"HIDClickTime"=500000000,"HIDIdleTime"=999}
        |   "HIDIdleTime" = 4127604458
        |   "IOProviderClass" = "IOResources"
        | }
"""


# -- parsers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4321\n", timedelta(milliseconds=4321)), ("0", timedelta(0))],
)
def test_parse_xprintidle_reads_milliseconds(text: str, expected: timedelta) -> None:
    assert parse_xprintidle(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "\n", "abc", "-1", "12.5", "\u0663\u0664", "couldn't open display\n", "9" * 40],
)
def test_parse_xprintidle_refuses_anything_else(text: str) -> None:
    assert parse_xprintidle(text) is None


def test_parse_ioreg_reads_the_top_level_hididletime_in_nanoseconds() -> None:
    assert parse_ioreg_hididletime(IOREG_OUTPUT) == timedelta(microseconds=4127604)


def test_parse_ioreg_accepts_hex() -> None:
    text = '  |   "HIDIdleTime" = 0x3b9aca00\n'
    assert parse_ioreg_hididletime(text) == timedelta(seconds=1)


@pytest.mark.parametrize(
    "text",
    ["", '"HIDIdleTime" = <>', '"HIDIdleTime" = -5', '"OtherTime" = 5', "HIDIdleTime 5"],
)
def test_parse_ioreg_refuses_anything_else(text: str) -> None:
    assert parse_ioreg_hididletime(text) is None


def test_windows_tick_counts_survive_the_49_day_wrap() -> None:
    assert idle_from_tick_counts(10_000, 4_000) == timedelta(seconds=6)
    assert idle_from_tick_counts(500, 0xFFFFFFFF - 499) == timedelta(seconds=1)


# -- faking commands -----------------------------------------------------------------

Outcome = tuple[int, str] | BaseException


class FakeCommands:
    """Stands in for subprocess.run: answers by program name and records every call."""

    def __init__(self, outcomes: Mapping[str, Outcome]) -> None:
        self.outcomes = dict(outcomes)
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((argv, kwargs))
        outcome = self.outcomes.get(Path(argv[0]).name)
        if outcome is None:
            raise FileNotFoundError(argv[0])
        if isinstance(outcome, BaseException):
            raise outcome
        code, out = outcome
        return subprocess.CompletedProcess(argv, code, out, "")

    def programs_run(self) -> list[str]:
        return [Path(argv[0]).name for argv, _ in self.calls]


def fake_which(available: set[str]) -> Callable[[str], str | None]:
    return lambda name: f"/usr/bin/{name}" if name in available else None


def use_commands(
    monkeypatch: pytest.MonkeyPatch, available: set[str], outcomes: Mapping[str, Outcome]
) -> FakeCommands:
    commands = FakeCommands(outcomes)
    monkeypatch.setattr(shutil, "which", fake_which(available))
    monkeypatch.setattr(subprocess, "run", commands)
    return commands


@pytest.mark.parametrize(
    "outcome",
    [
        (1, ""),
        (0, "garbage"),
        subprocess.TimeoutExpired(["xprintidle"], 1.0),
        FileNotFoundError("xprintidle"),
        PermissionError("xprintidle"),
    ],
)
def test_a_failed_reading_is_none_never_an_error(
    monkeypatch: pytest.MonkeyPatch, outcome: Outcome
) -> None:
    use_commands(monkeypatch, set(), {"xprintidle": outcome, "ioreg": outcome})
    assert XprintidleIdle().idle_for() is None
    assert MacIoregIdle().idle_for() is None


def test_xprintidle_and_ioreg_sources_parse_their_output(monkeypatch: pytest.MonkeyPatch) -> None:
    commands = use_commands(
        monkeypatch, set(), {"xprintidle": (0, "2500\n"), "ioreg": (0, IOREG_OUTPUT)}
    )
    assert XprintidleIdle().idle_for() == timedelta(seconds=2.5)
    assert MacIoregIdle().idle_for() == timedelta(microseconds=4127604)
    assert [argv for argv, _ in commands.calls] == [["xprintidle"], ["ioreg", "-c", "IOHIDSystem"]]


# -- libXss through ctypes, faked ----------------------------------------------------


class FakeFunction:
    def __init__(self, body: Callable[..., Any]) -> None:
        self.body = body
        self.argtypes: object = None
        self.restype: object = None
        self.calls = 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return self.body(*args)


class FakeX:
    """libX11 and libXss as the source uses them, with an X server that may be missing."""

    def __init__(self, display: int = 0x5555, extension: bool = True, idle_ms: int = 4321) -> None:
        self.idle_ms = idle_ms
        self.loads: list[str] = []
        self.x11 = type("X11", (), {})()
        self.x11.XSetErrorHandler = FakeFunction(lambda handler: 0)
        self.x11.XOpenDisplay = FakeFunction(lambda name: display)
        self.x11.XDefaultRootWindow = FakeFunction(lambda d: 0x1E1)
        self.xss = type("Xss", (), {})()
        self.xss.XScreenSaverQueryExtension = FakeFunction(lambda d, ev, er: int(extension))
        self.xss.XScreenSaverQueryInfo = FakeFunction(self._query_info)

    def _query_info(self, display: int, root: int, info: Any) -> int:
        assert (display, root) == (0x5555, 0x1E1)
        info.contents.idle = self.idle_ms
        return 1

    def load(self, name: str, soname: str) -> Any:
        self.loads.append(name)
        return {"X11": self.x11, "Xss": self.xss}[name]


def test_xss_source_reads_the_idle_time_and_connects_once() -> None:
    fake = FakeX()
    source = XScreenSaverIdle(load_library=fake.load)
    assert source.idle_for() == timedelta(milliseconds=4321)
    fake.idle_ms = 10
    assert source.idle_for() == timedelta(milliseconds=10)
    assert fake.loads == ["X11", "Xss"]
    assert fake.x11.XOpenDisplay.calls == 1
    assert fake.xss.XScreenSaverQueryInfo.calls == 2


@pytest.mark.parametrize("fake", [FakeX(display=0), FakeX(extension=False)])
def test_xss_source_without_display_or_extension_is_none(fake: FakeX) -> None:
    source = XScreenSaverIdle(load_library=fake.load)
    assert source.idle_for() is None
    assert source.idle_for() is None
    assert fake.x11.XOpenDisplay.calls == 1  # no retry on every reading
    assert fake.xss.XScreenSaverQueryInfo.calls == 0


def test_xss_source_without_the_library_is_none() -> None:
    assert XScreenSaverIdle(load_library=lambda name, soname: None).idle_for() is None


def test_xss_source_survives_a_broken_library() -> None:
    def broken(name: str, soname: str) -> Any:
        raise OSError("cannot open shared object file")

    def no_symbols(name: str, soname: str) -> Any:
        return object()

    assert XScreenSaverIdle(load_library=broken).idle_for() is None
    assert XScreenSaverIdle(load_library=no_symbols).idle_for() is None


def test_xss_structure_matches_libxss() -> None:
    # window, state, kind, til_or_since, idle, eventMask as in <X11/extensions/scrnsaver.h>
    ulong, int_ = ctypes.sizeof(ctypes.c_ulong), ctypes.sizeof(ctypes.c_int)
    assert idle._XScreenSaverInfo.idle.offset == 2 * ulong + 2 * int_
    assert ctypes.sizeof(idle._XScreenSaverInfo) == 4 * ulong + 2 * int_


# -- detection -----------------------------------------------------------------------

X11 = {"DISPLAY": ":0"}


def test_detection_without_buses_falls_to_xprintidle(monkeypatch: pytest.MonkeyPatch) -> None:
    commands = use_commands(monkeypatch, {"xprintidle"}, {"xprintidle": (0, "7\n")})
    source = detect_idle_source(env=X11, platform="linux")
    assert isinstance(source, XprintidleIdle)
    assert commands.programs_run() == ["xprintidle"]
    assert source.idle_for() == timedelta(milliseconds=7)


def test_detection_uses_libxss_when_xprintidle_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_commands(monkeypatch, set(), {})
    fake = FakeX()
    monkeypatch.setattr(idle, "_load_library", fake.load)
    source = detect_idle_source(env={"DISPLAY": ":0"}, platform="linux")
    assert isinstance(source, XScreenSaverIdle)
    assert source.name == "X11 XScreenSaver"


def test_x11_is_not_used_under_wayland(monkeypatch: pytest.MonkeyPatch) -> None:
    commands = use_commands(monkeypatch, {"xprintidle"}, {"xprintidle": (0, "7")})
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert detect_idle_source(env=env, platform="linux") is None
    env = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}
    assert detect_idle_source(env=env, platform="linux") is None
    assert commands.calls == []


def test_x11_is_not_tried_without_display(monkeypatch: pytest.MonkeyPatch) -> None:
    use_commands(monkeypatch, {"xprintidle"}, {"xprintidle": (0, "7")})
    assert idle_source_candidates(env={}, platform="linux") == []


def test_detection_on_macos_uses_ioreg(monkeypatch: pytest.MonkeyPatch) -> None:
    commands = use_commands(monkeypatch, {"ioreg", "xprintidle"}, {"ioreg": (0, IOREG_OUTPUT)})
    source = detect_idle_source(env=X11, platform="darwin")
    assert isinstance(source, MacIoregIdle)
    assert source.name == "macOS IOKit"
    assert commands.programs_run() == ["ioreg"]


def test_detection_on_macos_without_ioreg_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_commands(monkeypatch, set(), {})
    assert detect_idle_source(env={}, platform="darwin") is None


def test_detection_reads_sys_platform_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    use_commands(monkeypatch, {"ioreg"}, {"ioreg": (0, IOREG_OUTPUT)})
    monkeypatch.setattr(sys, "platform", "darwin")
    assert isinstance(detect_idle_source(env={}), MacIoregIdle)


def test_detection_on_windows_uses_get_last_input_info(monkeypatch: pytest.MonkeyPatch) -> None:
    use_commands(monkeypatch, set(), {})
    monkeypatch.setattr(idle, "_windows_idle", lambda: timedelta(seconds=3))
    source = detect_idle_source(env={}, platform="win32")
    assert isinstance(source, WindowsIdle)
    assert source.name == "Windows GetLastInputInfo"
    assert source.idle_for() == timedelta(seconds=3)


def test_windows_source_elsewhere_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert WindowsIdle().idle_for() is None
    # Even when told it is Windows, the missing Windows DLLs give None, not an error.
    monkeypatch.setattr(sys, "platform", "win32")
    assert WindowsIdle().idle_for() is None


def test_nothing_working_means_in_app_keys_only(monkeypatch: pytest.MonkeyPatch) -> None:
    use_commands(monkeypatch, {"xprintidle"}, {"xprintidle": (1, "")})
    source = detect_idle_source(env=X11, platform="linux")
    assert source is None
    assert idle_source_name(source) == IN_APP_ONLY == "in-app keys only"
