"""How long since the user last touched the keyboard or mouse, system-wide.

The stand-up timer uses this to notice that the user walked away (and came
back) even while they work in other windows. Each source asks the desktop in
its own way; `detect_idle_source` picks the first one that answers right now.
Without one, the app falls back to what it sees itself: keys, terminal focus
events and the "I'm up" / "back" keys (`IN_APP_ONLY`).

Every reading is cheap (a short subprocess or one X call) and never raises: a
failed reading is None. The app calls `idle_for()` every few seconds from a
worker thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Protocol, TypeAlias

IN_APP_ONLY = "in-app keys only"

# A reading that hangs is worse than none: the timer just carries on without it.
COMMAND_TIMEOUT_SECONDS = 1.0

GNOME_IDLE_COMMAND = (
    "gdbus",
    "call",
    "--session",
    "--timeout",
    "1",
    "--dest",
    "org.gnome.Mutter.IdleMonitor",
    "--object-path",
    "/org/gnome/Mutter/IdleMonitor/Core",
    "--method",
    "org.gnome.Mutter.IdleMonitor.GetIdletime",
)


class IdleSource(Protocol):
    """Somewhere to read the system idle time from."""

    name: str  # shown on screen, e.g. "GNOME (Mutter D-Bus)"

    def idle_for(self) -> timedelta | None:
        """Time since the last input anywhere on the desktop; None if the reading failed."""
        ...


# -- parsing (pure) ------------------------------------------------------------------

_GDBUS_REPLY = re.compile(r"\(\s*(?:uint64\s+)?(\d+)\s*,?\s*\)")
# Its own line, not the copy inside a nested dictionary such as HIDParameters.
_IOREG_IDLE = re.compile(r'^[\s|]*"HIDIdleTime"\s*=\s*(0x[0-9a-fA-F]+|\d+)\s*$', re.MULTILINE)


def _milliseconds(count: int) -> timedelta | None:
    try:
        return timedelta(milliseconds=count)
    except OverflowError:
        return None


def parse_gdbus_idletime(text: str) -> timedelta | None:
    """Parse gdbus's reply to GetIdletime, e.g. `(uint64 12345,)` in milliseconds."""
    match = _GDBUS_REPLY.fullmatch(text.strip())
    return None if match is None else _milliseconds(int(match.group(1)))


def parse_xprintidle(text: str) -> timedelta | None:
    """Parse xprintidle's output: milliseconds on one line."""
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        return None
    return _milliseconds(int(text))


def parse_ioreg_hididletime(text: str) -> timedelta | None:
    """Find `"HIDIdleTime" = <nanoseconds>` in `ioreg -c IOHIDSystem` output."""
    match = _IOREG_IDLE.search(text)
    if match is None:
        return None
    nanoseconds = int(match.group(1), 0)
    try:
        return timedelta(microseconds=nanoseconds // 1000)
    except OverflowError:
        return None


def idle_from_tick_counts(tick_count: int, last_input_tick: int) -> timedelta:
    """Idle time from Windows' 32-bit millisecond tick counts, which wrap every 49.7 days."""
    return timedelta(milliseconds=(tick_count - last_input_tick) & 0xFFFFFFFF)


# -- running commands ----------------------------------------------------------------


def _run(argv: Sequence[str]) -> str | None:
    """Run a command quietly; its output, or None for any failure (missing, slow, non-zero)."""
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout


# -- the sources ---------------------------------------------------------------------


class GnomeMutterIdle:
    """GNOME's compositor (Mutter), asked over the session D-Bus; works on Wayland too."""

    name = "GNOME (Mutter D-Bus)"

    def __init__(self, gdbus: str = "gdbus") -> None:
        self._argv = (gdbus, *GNOME_IDLE_COMMAND[1:])

    def idle_for(self) -> timedelta | None:
        """Ask Mutter's IdleMonitor for the idle time."""
        out = _run(self._argv)
        return None if out is None else parse_gdbus_idletime(out)


class XprintidleIdle:
    """The X server's screen saver extension, read by the `xprintidle` tool."""

    name = "X11 XScreenSaver (xprintidle)"

    def __init__(self, xprintidle: str = "xprintidle") -> None:
        self._argv = (xprintidle,)

    def idle_for(self) -> timedelta | None:
        """Run xprintidle."""
        out = _run(self._argv)
        return None if out is None else parse_xprintidle(out)


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    )


# Xlib's default error handler exits the process; ours ignores the error instead.
_XErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)

LibraryLoader: TypeAlias = Callable[[str, str], ctypes.CDLL | None]


def _load_library(name: str, soname: str) -> ctypes.CDLL | None:
    """Load a shared library by its usual soname, else wherever ldconfig knows it."""
    for candidate in (soname, ctypes.util.find_library(name)):
        if candidate:
            try:
                return ctypes.CDLL(candidate)
            except OSError:
                continue
    return None


class XScreenSaverIdle:
    """The X server's screen saver extension, called directly through libXss.

    The libraries and the display connection are opened on the first reading
    and kept; a lock makes readings from several threads safe.
    """

    name = "X11 XScreenSaver"

    def __init__(self, load_library: LibraryLoader | None = None) -> None:
        self._load_library = load_library or _load_library
        self._lock = threading.Lock()
        self._tried = False
        self._xss: ctypes.CDLL | None = None
        self._display: int | None = None
        self._root = 0
        self._info = _XScreenSaverInfo()
        self._on_error = _XErrorHandler(lambda _display, _event: 0)

    def _connect(self) -> bool:
        if self._tried:
            return self._display is not None
        self._tried = True  # one attempt: a display that is not there now will not appear
        x11 = self._load_library("X11", "libX11.so.6")
        xss = self._load_library("Xss", "libXss.so.1")
        if x11 is None or xss is None:
            return False
        x11.XSetErrorHandler.argtypes = [_XErrorHandler]
        x11.XSetErrorHandler(self._on_error)
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XOpenDisplay.restype = ctypes.c_void_p
        display = x11.XOpenDisplay(None)
        if not display:
            return False
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        ]
        xss.XScreenSaverQueryExtension.restype = ctypes.c_int
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            display, ctypes.pointer(event_base), ctypes.pointer(error_base)
        ):
            return False
        xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(_XScreenSaverInfo),
        ]
        xss.XScreenSaverQueryInfo.restype = ctypes.c_int
        self._root = int(x11.XDefaultRootWindow(display))
        self._xss = xss
        self._display = int(display)
        return True

    def idle_for(self) -> timedelta | None:
        """Ask the X server how long since the last input."""
        with self._lock:
            try:
                if not self._connect() or self._xss is None:
                    return None
                status = self._xss.XScreenSaverQueryInfo(
                    self._display, self._root, ctypes.pointer(self._info)
                )
                if not status:
                    return None
                return _milliseconds(int(self._info.idle))
            except (OSError, AttributeError, TypeError, ctypes.ArgumentError):
                return None


class MacIoregIdle:
    """macOS's HID system idle time, read with `ioreg`."""

    name = "macOS IOKit"

    def __init__(self, ioreg: str = "ioreg") -> None:
        self._argv = (ioreg, "-c", "IOHIDSystem")

    def idle_for(self) -> timedelta | None:
        """Run ioreg and read HIDIdleTime."""
        out = _run(self._argv)
        return None if out is None else parse_ioreg_hididletime(out)


class _LastInputInfo(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint))


def _windows_idle() -> timedelta | None:
    if sys.platform != "win32":
        return None
    try:
        info = _LastInputInfo()
        info.cbSize = ctypes.sizeof(_LastInputInfo)
        if not ctypes.windll.user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        return idle_from_tick_counts(int(ctypes.windll.kernel32.GetTickCount()), int(info.dwTime))
    except (OSError, AttributeError):
        return None


class WindowsIdle:
    """Windows' GetLastInputInfo, through ctypes."""

    name = "Windows GetLastInputInfo"

    def idle_for(self) -> timedelta | None:
        """Ask Windows for the time of the last input."""
        return _windows_idle()


# -- choosing one --------------------------------------------------------------------


def _session_bus_exists(env: Mapping[str, str]) -> bool:
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime_dir = env.get("XDG_RUNTIME_DIR")
    return bool(runtime_dir) and os.path.exists(os.path.join(runtime_dir or "", "bus"))


def _is_wayland(env: Mapping[str, str]) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"


def idle_source_candidates(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> list[IdleSource]:
    """The sources worth trying here, best first, judged by tools and environment only."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    found: list[IdleSource] = []
    if platform not in ("darwin", "win32"):
        gdbus = shutil.which("gdbus")
        if gdbus and _session_bus_exists(env):
            found.append(GnomeMutterIdle(gdbus))
        # Under Wayland, X11 only sees input to X windows: its idle time would be wrong.
        if env.get("DISPLAY") and not _is_wayland(env):
            xprintidle = shutil.which("xprintidle")
            found.append(XprintidleIdle(xprintidle) if xprintidle else XScreenSaverIdle())
    if platform == "darwin":
        ioreg = shutil.which("ioreg")
        if ioreg:
            found.append(MacIoregIdle(ioreg))
    if platform == "win32":
        found.append(WindowsIdle())
    return found


def detect_idle_source(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> IdleSource | None:
    """The first source that gives a reading right now, or None (then: in-app keys only).

    Tries GNOME's Mutter over D-Bus, X11's screen saver extension (xprintidle,
    else libXss), macOS's IOKit, then Windows. `env` and `platform` default to
    this process's environment and `sys.platform`.
    """
    for source in idle_source_candidates(env, platform):
        if source.idle_for() is not None:
            return source
    return None


def idle_source_name(source: IdleSource | None) -> str:
    """What to show on screen for the idle source in use."""
    return IN_APP_ONLY if source is None else source.name
