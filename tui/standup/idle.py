"""How long since the user last touched the keyboard or mouse, system-wide.

The stand-up timer uses this to notice that the user walked away (and came
back) even while they work in other windows. Each source asks the desktop in
its own way; `detect_idle_source` picks the first one that answers right now,
best first: GNOME's Mutter, the freedesktop ScreenSaver (KDE Plasma and
others), systemd-logind's idle hint, then X11, macOS and Windows. Without one,
the app falls back to what it sees itself: keys, terminal focus events and the
"I'm up" / "back" keys (`IN_APP_ONLY`).

Every reading is bounded in time (a D-Bus call with a timeout, a short
subprocess or one X call), blocks, and never raises: a failed reading is None.
The app polls `idle_for()` every few seconds from a worker thread, except for
Mutter, whose idle and active watches signal instead (`WatchedIdleSource`).
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
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Protocol, TypeAlias, runtime_checkable

from tui.standup.desktop_bus import (
    LOGIND,
    LOGIND_AUTO_SESSION,
    LOGIND_SESSION_INTERFACE,
    MUTTER_IDLE,
    SCREENSAVER,
    BusLink,
    Remote,
)

IN_APP_ONLY = "in-app keys only"

# A reading that hangs is worse than none: the timer just carries on without it.
COMMAND_TIMEOUT_SECONDS = 1.0


class IdleSource(Protocol):
    """Somewhere to read the system idle time from."""

    name: str  # shown on screen, e.g. "GNOME Mutter"

    def idle_for(self) -> timedelta | None:
        """Time since the last input anywhere on the desktop; None if the reading failed."""
        ...


# What a watched source reports: the idle time now, and the most it can grow to
# before the next report (None: it grows until told otherwise).
IdleReport: TypeAlias = Callable[[timedelta, timedelta | None], None]


@runtime_checkable
class WatchedIdleSource(IdleSource, Protocol):
    """A source that signals idle and active instead of being polled."""

    def watch(self, report: IdleReport) -> bool:
        """Start reporting (from another thread); False if the watches could not be set."""
        ...


# -- parsing (pure) ------------------------------------------------------------------

# Its own line, not the copy inside a nested dictionary such as HIDParameters.
_IOREG_IDLE = re.compile(r'^[\s|]*"HIDIdleTime"\s*=\s*(0x[0-9a-fA-F]+|\d+)\s*$', re.MULTILINE)


def _milliseconds(count: int) -> timedelta | None:
    try:
        return timedelta(milliseconds=count)
    except OverflowError:
        return None


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


# -- on the desktop's D-Bus ------------------------------------------------------------


class MutterIdle:
    """GNOME's compositor (Mutter), over the session D-Bus; works on Wayland too.

    Read once with GetIdletime, then watched: an idle watch of `interval` fires when
    the user has been away that long, and a one-shot user-active watch, set only
    then, fires at the next input. Between the two nothing is polled.
    """

    name = "GNOME Mutter"

    def __init__(self, session: BusLink, interval: timedelta) -> None:
        self._bus = session
        self._interval = max(interval, timedelta(seconds=2))
        # Below the idle watch: while it has not fired, the user is less idle than that.
        self._below_watch = self._interval - timedelta(seconds=1)
        self._lock = threading.Lock()
        self._idle_watch: int | None = None
        self._active_watch: int | None = None
        self._report: IdleReport | None = None

    def idle_for(self) -> timedelta | None:
        """Ask Mutter's IdleMonitor for the idle time (milliseconds)."""
        reply = self._bus.call(MUTTER_IDLE, "GetIdletime")
        return _milliseconds_reply(reply)

    def watch(self, report: IdleReport) -> bool:
        self._report = report
        if not self._bus.on_signal(
            MUTTER_IDLE.path, MUTTER_IDLE.interface, "WatchFired", self._fired
        ):
            return False
        milliseconds = int(self._interval.total_seconds() * 1000)
        reply = self._bus.call(MUTTER_IDLE, "AddIdleWatch", "t", (milliseconds,))
        if not reply:
            return False
        with self._lock:
            self._idle_watch = int(reply[0])
        now = self.idle_for()
        if now is not None and now >= self._interval:
            report(now, None)
            self._arm_active_watch()
        elif now is not None:
            report(now, self._below_watch)
        return True

    def _arm_active_watch(self) -> None:
        reply = self._bus.call(MUTTER_IDLE, "AddUserActiveWatch")
        with self._lock:
            self._active_watch = int(reply[0]) if reply else None

    def _fired(self, body: tuple[object, ...]) -> None:
        report = self._report
        if not body or report is None:
            return
        watch = body[0]
        with self._lock:
            idle, active = watch == self._idle_watch, watch == self._active_watch
            if active:
                self._active_watch = None  # one-shot: Mutter has removed it
        if idle:
            report(self._interval, None)
            self._arm_active_watch()
        elif active:
            report(timedelta(0), self._below_watch)


class ScreenSaverIdle:
    """The freedesktop ScreenSaver's GetSessionIdleTime (KDE Plasma and others).

    KDE answers in milliseconds (KIdleTime), and so this reads it.
    """

    name = "KDE/ScreenSaver"

    def __init__(self, session: BusLink) -> None:
        self._bus = session

    def idle_for(self) -> timedelta | None:
        return _milliseconds_reply(self._bus.call(SCREENSAVER, "GetSessionIdleTime"))


class LogindIdle:
    """systemd-logind's IdleHint and IdleSinceHint for this process's session (system bus).

    Set by the session's desktop (GNOME, Xfce's power manager, swayidle and
    others); idle since that moment, else not idle.
    """

    name = "systemd-logind"

    def __init__(
        self,
        system: BusLink,
        monotonic: Callable[[], float] | None = None,
        wall: Callable[[], float] | None = None,
        pid: int | None = None,
    ) -> None:
        self._bus = system
        # Injectable; logind counts in CLOCK_MONOTONIC and CLOCK_REALTIME microseconds.
        self._monotonic = monotonic or time.monotonic
        self._wall = wall or time.time
        self._pid = os.getpid() if pid is None else pid
        self._session: Remote | None = None

    def session(self) -> Remote | None:
        """This process's session object: by PID, else logind's "auto" session."""
        if self._session is None:
            reply = self._bus.call(LOGIND, "GetSessionByPID", "u", (self._pid,))
            path = str(reply[0]) if reply else LOGIND_AUTO_SESSION
            self._session = Remote(LOGIND.bus_name, path, LOGIND_SESSION_INTERFACE)
        return self._session

    def idle_for(self) -> timedelta | None:
        session = self.session()
        found = None if session is None else self._bus.get_properties(session)
        if found is None or "IdleHint" not in found:
            return None
        if not found["IdleHint"]:
            return timedelta(0)
        since = int(found.get("IdleSinceHintMonotonic") or 0)
        if since > 0:
            now = timedelta(seconds=self._monotonic())
        else:
            # Older logind: only the wall-clock moment.
            since = int(found.get("IdleSinceHint") or 0)
            now = timedelta(seconds=self._wall())
        if since <= 0:
            return timedelta(0)
        return max(timedelta(0), now - timedelta(microseconds=since))


def _milliseconds_reply(reply: tuple[object, ...] | None) -> timedelta | None:
    if not reply or not isinstance(reply[0], int) or isinstance(reply[0], bool):
        return None
    return _milliseconds(reply[0])


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


def _is_wayland(env: Mapping[str, str]) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"


def idle_source_candidates(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    *,
    session: BusLink | None = None,
    system: BusLink | None = None,
    interval: timedelta = timedelta(minutes=3),
) -> list[IdleSource]:
    """The sources worth trying here, best first, judged by buses, tools and environment.

    `session` and `system` are the desktop's buses (None: not asked); `interval` is
    the idle watch's length for Mutter (the break length).
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    found: list[IdleSource] = []
    if platform not in ("darwin", "win32"):
        if session is not None:
            found += [MutterIdle(session, interval), ScreenSaverIdle(session)]
        if system is not None:
            found.append(LogindIdle(system))
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
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    *,
    session: BusLink | None = None,
    system: BusLink | None = None,
    interval: timedelta = timedelta(minutes=3),
) -> IdleSource | None:
    """The first source that gives a reading right now, or None (then: in-app keys only).

    Tries GNOME's Mutter, the freedesktop ScreenSaver and systemd-logind over
    D-Bus, X11's screen saver extension (xprintidle, else libXss), macOS's
    IOKit, then Windows. `env` and `platform` default to this process's
    environment and `sys.platform`; each bus reading gives up after its timeout.
    """
    candidates = idle_source_candidates(
        env, platform, session=session, system=system, interval=interval
    )
    for source in candidates:
        if source.idle_for() is not None:
            return source
    return None


def idle_source_name(source: IdleSource | None) -> str:
    """What to show on screen for the idle source in use."""
    return IN_APP_ONLY if source is None else source.name
