"""Waiting in Pilot tests for something the app does asynchronously (a worker, a burst of keys)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot


async def wait_for(pilot: Pilot[None], condition: Callable[[], object], what: str) -> None:
    """Pause until `condition()` is true; fail naming `what` after about 8 seconds."""
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def settle(pilot: Pilot[None]) -> None:
    """Until the app's reads and writes (in its database threads) are done and shown."""
    from tui.app import UprightApp

    app = pilot.app
    assert isinstance(app, UprightApp)
    await wait_for(pilot, lambda: app.database.idle, "the database's reads and writes")
    await pilot.pause()
