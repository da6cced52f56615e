"""The desktop over D-Bus: which idle source wins, bounded calls, watches, sleep, lock, buttons.

Against real private `dbus-daemon`s with fake services (tests/helpers/fakebus.py),
some present and some absent, some that never answer.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.fakebus import (
    FakeLogind,
    FakeMutter,
    FakeNotifications,
    FakeScreenSaver,
    FakeService,
    notify_actions,
    private_bus,
)
from tui.standup.desktop import Desktop
from tui.standup.desktop_bus import (
    CALL_TIMEOUT_SECONDS,
    MUTTER_IDLE,
    BusLink,
    session_bus_address,
    system_bus_address,
)
from tui.standup.desktop_events import (
    SNOOZE_ACTION,
    STAND_UP_ACTION,
    ActionInvoked,
    Asleep,
    Awake,
    DesktopEvent,
    IdleReported,
    Locked,
)
from tui.standup.idle import (
    LogindIdle,
    MutterIdle,
    ScreenSaverIdle,
    WatchedIdleSource,
    detect_idle_source,
)
from tui.standup.notify import BusNotifier

BREAK = timedelta(minutes=3)


@dataclass
class Buses:
    session: str
    system: str
    stack: ExitStack

    def link(self, address: str) -> BusLink:
        link = BusLink(address)
        self.stack.callback(link.close)
        return link

    def start(self, service: FakeService) -> FakeService:
        self.stack.callback(service.close)
        return service

    def detect(self) -> object:
        return detect_idle_source(
            {},
            "linux",
            session=self.link(self.session),
            system=self.link(self.system),
            interval=BREAK,
        )


@pytest.fixture
def buses() -> Iterator[Buses]:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ub", dir="/tmp")))
        session = stack.enter_context(private_bus(folder / "session", "session"))
        system = stack.enter_context(private_bus(folder / "system", "system"))
        yield Buses(session, system, stack)


def eventually(check: Callable[[], bool], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


# -- which source --------------------------------------------------------------------


def test_mutter_comes_first(buses: Buses) -> None:
    buses.start(FakeLogind(buses.system))
    buses.start(FakeScreenSaver(buses.session, idle_ms=9000))
    buses.start(FakeMutter(buses.session, idle_ms=1500))
    source = buses.detect()
    assert isinstance(source, MutterIdle)
    assert source.idle_for() == timedelta(seconds=1.5)


def test_the_screensaver_without_mutter_kde_plasma(buses: Buses) -> None:
    buses.start(FakeLogind(buses.system))
    buses.start(FakeScreenSaver(buses.session, idle_ms=9000))
    source = buses.detect()
    assert isinstance(source, ScreenSaverIdle)
    assert source.idle_for() == timedelta(seconds=9)  # KDE answers in milliseconds


def test_logind_without_either_on_the_session_bus(buses: Buses) -> None:
    logind = buses.start(FakeLogind(buses.system))
    assert isinstance(logind, FakeLogind)
    source = buses.detect()
    assert isinstance(source, LogindIdle)
    assert source.idle_for() == timedelta(0)  # IdleHint false: not idle
    logind.idle_since(seconds_ago=40)
    reading = source.idle_for()
    assert reading is not None and timedelta(seconds=40) <= reading < timedelta(seconds=45)
    assert logind.called("GetSessionByPID")[0].body[0] > 0  # asked for this process's session
    logind.idle_since(seconds_ago=90, monotonic=False)  # an older logind: wall clock only
    reading = source.idle_for()
    assert reading is not None and timedelta(seconds=90) <= reading < timedelta(seconds=95)


def test_no_service_on_either_bus_is_no_source(buses: Buses) -> None:
    assert buses.detect() is None


def test_no_bus_at_all_is_no_source_and_no_error(tmp_path: Path) -> None:
    nowhere = BusLink(f"unix:path={tmp_path}/no-bus")
    assert nowhere.call(MUTTER_IDLE, "GetIdletime") is None
    assert nowhere.on_signal("/", "a.b", "C", lambda body: None) is False
    assert detect_idle_source({}, "linux", session=nowhere, system=nowhere) is None
    assert BusLink(None).connected is False


def test_bus_addresses_come_from_the_environment(tmp_path: Path) -> None:
    assert session_bus_address({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}) == "unix:path=/x"
    assert session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    (tmp_path / "bus").touch()
    assert session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) == f"unix:path={tmp_path}/bus"
    assert system_bus_address({"DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/y"}) == "unix:path=/y"
    assert system_bus_address({}) == "unix:path=/var/run/dbus/system_bus_socket"


# -- a service that never answers ------------------------------------------------------


def test_a_hung_mutter_is_given_up_on_and_the_next_source_used(buses: Buses) -> None:
    mutter = buses.start(FakeMutter(buses.session, silent=True))
    buses.start(FakeScreenSaver(buses.session, idle_ms=2000))
    started = time.monotonic()
    source = buses.detect()
    waited = time.monotonic() - started
    assert isinstance(source, ScreenSaverIdle)
    assert mutter.called("GetIdletime")  # it was asked, and never answered
    # Gave up at its bound: not before, and not much after.
    assert CALL_TIMEOUT_SECONDS <= waited < CALL_TIMEOUT_SECONDS * 5


def test_a_reading_from_a_service_gone_quiet_gives_up_within_its_bound(buses: Buses) -> None:
    saver = buses.start(FakeScreenSaver(buses.session, idle_ms=2000))
    assert isinstance(saver, FakeScreenSaver)
    source = ScreenSaverIdle(buses.link(buses.session))
    assert source.idle_for() == timedelta(seconds=2)
    saver.silent = True
    started = time.monotonic()
    assert source.idle_for() is None
    assert time.monotonic() - started < CALL_TIMEOUT_SECONDS * 5
    saver.silent = False
    assert source.idle_for() == timedelta(seconds=2)  # and the next reading works again


# -- Mutter's watches ------------------------------------------------------------------


def test_mutter_watches_signal_idle_then_active(buses: Buses) -> None:
    mutter = buses.start(FakeMutter(buses.session, idle_ms=700))
    assert isinstance(mutter, FakeMutter)
    source = MutterIdle(buses.link(buses.session), BREAK)
    assert isinstance(source, WatchedIdleSource)
    reports: list[tuple[timedelta, timedelta | None]] = []
    assert source.watch(lambda idle, most: reports.append((idle, most)))
    below = BREAK - timedelta(seconds=1)
    # Read once: 0.7 s idle, and less than the watch's interval until it fires.
    assert reports == [(timedelta(milliseconds=700), below)]
    assert list(mutter.idle_watches.values()) == [180_000]
    assert mutter.active_watches == []  # no active watch while the user is active

    mutter.fire_idle()
    assert eventually(lambda: len(reports) == 2 and bool(mutter.active_watches))
    assert reports[1] == (BREAK, None)

    mutter.fire_active()
    assert eventually(lambda: len(reports) == 3)
    assert reports[2] == (timedelta(0), below)
    assert len(mutter.called("GetIdletime")) == 1  # read once: no polling


# -- sleep, lock and the notification server --------------------------------------------


def connect(buses: Buses, events: list[DesktopEvent], **kwargs: bool) -> Desktop:
    env = {"DBUS_SESSION_BUS_ADDRESS": buses.session, "DBUS_SYSTEM_BUS_ADDRESS": buses.system}
    desktop = Desktop.connect(events.append, BREAK, env=env, platform="linux", **kwargs)
    buses.stack.callback(desktop.close)
    return desktop


def test_sleep_and_lock_arrive_as_events(buses: Buses) -> None:
    logind = buses.start(FakeLogind(buses.system))
    saver = buses.start(FakeScreenSaver(buses.session))
    assert isinstance(logind, FakeLogind) and isinstance(saver, FakeScreenSaver)
    events: list[DesktopEvent] = []
    desktop = connect(buses, events, notifications=False)
    assert isinstance(desktop.idle_source, ScreenSaverIdle) and desktop.polled
    logind.prepare_for_sleep(True)
    logind.prepare_for_sleep(False)
    saver.set_locked(True)
    saver.set_locked(False)
    logind.lock()
    logind.lock(False)
    logind.locked_hint(True)
    logind.locked_hint(False)
    expected = [Asleep(), Awake(), *[Locked(True), Locked(False)] * 3]
    assert eventually(lambda: len(events) >= len(expected))
    # Two buses, two threads: each bus's events in order.
    assert [e for e in events if isinstance(e, Asleep | Awake)] == [Asleep(), Awake()]
    assert sorted(map(str, events)) == sorted(map(str, expected))


def test_a_watched_mutter_is_not_polled(buses: Buses) -> None:
    buses.start(FakeMutter(buses.session, idle_ms=10))
    events: list[DesktopEvent] = []
    desktop = connect(buses, events, notifications=False)
    assert isinstance(desktop.idle_source, MutterIdle)
    assert desktop.polled is False
    assert events == [IdleReported(timedelta(milliseconds=10), BREAK - timedelta(seconds=1))]


def test_alerts_have_buttons_replace_each_other_and_close(buses: Buses) -> None:
    server = buses.start(FakeNotifications(buses.session))
    assert isinstance(server, FakeNotifications)
    actions: list[str] = []
    notifier = BusNotifier(buses.link(buses.session), actions.append)
    assert notifier.connect()
    assert notifier.show("Time to stand up", "Sitting <b>30</b> min & more")
    assert notifier.show("Time to stand up", "Sitting 35 min")
    first, second = server.called("Notify")
    assert first.body[:5] == (
        "upright",
        0,
        "",
        "Time to stand up",
        "Sitting &lt;b&gt;30&lt;/b&gt; min &amp; more",
    )
    assert notify_actions(first) == [(STAND_UP_ACTION, "I'm up"), (SNOOZE_ACTION, "Snooze 5 min")]
    assert second.body[1] == 1  # replaces the first
    # A reminder stands beside the alert: no buttons, replaces nothing.
    assert notifier.show("upright reminder", "Evening exercises", alert=False)
    reminder = server.called("Notify")[2]
    assert reminder.body[1] == 0 and notify_actions(reminder) == []

    server.press(2, SNOOZE_ACTION)  # not ours: the reminder's id
    server.press(1, SNOOZE_ACTION)
    assert eventually(lambda: actions == [SNOOZE_ACTION])
    # The server closed it on the button press: the next alert is a new one...
    assert eventually(lambda: notifier.showing is None)
    assert notifier.show("Time to stand up", "40 min")
    assert server.called("Notify")[3].body[1] == 0
    # ...and getting up takes it away.
    notifier.close()
    assert [call.body for call in server.called("CloseNotification")] == [(3,)]
    notifier.close()  # nothing on screen: nothing to close
    assert len(server.called("CloseNotification")) == 1


def test_without_a_notification_server_there_is_no_bus_notifier(buses: Buses) -> None:
    events: list[DesktopEvent] = []
    desktop = connect(buses, events, watch=False)
    assert desktop.notifier is None
    assert desktop.idle_source is None


def test_a_button_press_becomes_an_event(buses: Buses) -> None:
    server = buses.start(FakeNotifications(buses.session))
    assert isinstance(server, FakeNotifications)
    events: list[DesktopEvent] = []
    desktop = connect(buses, events, watch=False)
    assert desktop.notify("Time to stand up", "30 min")
    server.press(1, STAND_UP_ACTION)
    assert eventually(lambda: events == [ActionInvoked(STAND_UP_ACTION)])
    assert desktop.notifier is not None
    assert eventually(lambda: desktop.notifier is not None and desktop.notifier.showing is None)
    desktop.close_alert()
    assert server.called("CloseNotification") == []  # the server had closed it already
