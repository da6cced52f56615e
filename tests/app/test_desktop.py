"""The app with a desktop service that stops answering: the timer keeps ticking.

A private `dbus-daemon` with a fake freedesktop ScreenSaver (tests/helpers/fakebus.py)
stands in for KDE Plasma; the app finds it, polls it off the event loop, and
when it goes quiet each reading gives up at its bound while the ticks go on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.fakebus import FakeScreenSaver, private_bus
from tests.helpers.waiting import wait_for
from tui.app import UprightApp

SMALL_CATALOG = Path(__file__).resolve().parent.parent / "data" / "small.toml"


@pytest.fixture
def screensaver(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeScreenSaver]:
    with (
        tempfile.TemporaryDirectory(prefix="ub", dir="/tmp") as folder,
        private_bus(Path(folder), "session") as address,
    ):
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={folder}/no-system-bus")
        monkeypatch.setenv("DISPLAY", "")
        saver = FakeScreenSaver(address, idle_ms=0)
        try:
            yield saver
        finally:
            saver.close()


async def test_a_service_gone_quiet_never_stops_the_ticks(
    tmp_path: Path, screensaver: FakeScreenSaver
) -> None:
    app = UprightApp(
        db_path=tmp_path / "upright.db",
        catalog_path=SMALL_CATALOG,
        config_path=tmp_path / "config.toml",
        desktop_notifications=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: app.standup is not None and app.standup.idle_source is not None,
            "the idle source",
        )
        standup = app.standup
        assert standup is not None and standup.idle_source is not None
        assert standup.idle_source.name == "KDE/ScreenSaver"
        ticks = 0
        tick = standup.tick

        def counted() -> None:
            nonlocal ticks
            ticks += 1
            tick()

        standup.tick = counted  # type: ignore[method-assign]
        screensaver.silent = True
        asked = len(screensaver.called("GetSessionIdleTime"))
        await wait_for(
            pilot,
            lambda: len(screensaver.called("GetSessionIdleTime")) > asked,
            "a reading from the quiet service",
        )
        ticks_then = ticks
        # The reading hangs for its whole bound (1 s): the ticks go on meanwhile.
        await wait_for(pilot, lambda: ticks >= ticks_then + 2, "two ticks")
        await wait_for(
            pilot,
            lambda: not any(w.group == "idle-poll" and w.is_running for w in app.workers),
            "the reading to give up",
        )
