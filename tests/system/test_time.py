"""Time: midnight while open, DST changes, the clock set back, and a suspend.

Driven two ways: the app's injectable clock (wall and monotonic clocks moved
by hand), and time-machine over the real clock (time-machine moves the wall
clock only, so the monotonic clock carrying on by itself is just what a
suspended laptop looks like).

time-machine is given POSIX timestamps, not aware datetimes: given a datetime
in UTC it would also switch the process's zone to UTC, and the DST tests
need Europe/Berlin to stay the local zone.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.helpers.waiting import settle
from tui.app import UprightApp
from tui.cli import main
from tui.standup.timer import Phase
from tui.widgets.checklist import Checklist
from tui.widgets.standup import StandupPanel

HERE = Path(__file__).resolve().parent.parent
CATALOG = HERE / "data" / "small.toml"
BERLIN = "Europe/Berlin"


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is Europe/Berlin for this test."""
    old = os.environ.get("TZ")
    monkeypatch.setenv("TZ", BERLIN)
    time.tzset()
    yield
    if old is None:
        monkeypatch.delenv("TZ")
    else:
        monkeypatch.setenv("TZ", old)
    time.tzset()


class FakeClock:
    """Wall and monotonic clocks moved by the test.

    `zone=None` answers like the real clock (`datetime.now().astimezone()`: a
    fixed UTC offset of the moment); a ZoneInfo answers in that zone.
    """

    def __init__(self, start: datetime, zone: tzinfo | None = None) -> None:
        self.utc = start.astimezone(UTC)
        self.mono = 5000.0
        self.zone = zone

    def now(self) -> datetime:
        return self.utc.astimezone(self.zone) if self.zone else self.utc.astimezone()

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float, wall: float | None = None) -> None:
        """Both clocks move `seconds`, unless `wall` says the wall clock moves differently."""
        self.mono += seconds
        self.utc += timedelta(seconds=seconds if wall is None else wall)


def _app(tmp_path: Path, clock: FakeClock | None = None, limit: int | None = None) -> UprightApp:
    return UprightApp(
        db_path=tmp_path / "upright.db",
        catalog_path=CATALOG,
        config_path=tmp_path / "config.toml",
        clock=clock,
        sit_limit_minutes=limit,
        idle_source=None,
        desktop_notifications=False,
    )


async def _ready(app: UprightApp) -> None:
    await asyncio.wait_for(app.data_ready.wait(), timeout=20)


def _sit(app: UprightApp, clock: FakeClock, minutes: float, step: float = 30) -> None:
    """Tick through `minutes` of sitting, `step` seconds at a time."""
    for _ in range(round(minutes * 60 / step)):
        clock.advance(step)
        app.tick()


def _spells(db: Path) -> list[tuple[datetime, datetime, str]]:
    """Stored spells as (start, end, ended_by), aware UTC."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            'SELECT start, "end", ended_by FROM sitting_spell ORDER BY id'
        ).fetchall()
    finally:
        conn.close()
    out = []
    for start, end, ended_by in rows:
        assert end is not None, "a spell was left open"
        out.append(
            (
                datetime.fromisoformat(start).replace(tzinfo=UTC),
                datetime.fromisoformat(end).replace(tzinfo=UTC),
                ended_by,
            )
        )
    return out


def _status(app: UprightApp, habit_id: str) -> str:
    assert app.today_view is not None
    return next(item.status for item in app.today_view.items if item.id == habit_id)


# --- midnight while the app is open ------------------------------------------------------


async def test_midnight_switches_the_today_list(tmp_path: Path, berlin: None) -> None:
    clock = FakeClock(datetime(2026, 3, 10, 23, 59, 40, tzinfo=ZoneInfo(BERLIN)))
    app = _app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app)
        assert app.today == date(2026, 3, 10)
        assert app.services is not None
        app.services.store.set_check_in("bird-dog", app.today, "done", clock.now())
        app.today_data.refresh()
        await settle(pilot)
        assert _status(app, "bird-dog") == "done"

        _sit(app, clock, minutes=0.5, step=5)  # 00:00:10 on the 11th
        await settle(pilot)
        assert app.today == date(2026, 3, 11)
        assert app.today_view is not None and app.today_view.day == date(2026, 3, 11)
        assert _status(app, "bird-dog") == "open"
        assert app.today_screen.view is app.today_view
        title = app.today_screen.query_one(Checklist).border_title
        assert "Wednesday 11 March" in str(title)
        # Half a minute across midnight is just sitting: the spell goes on.
        assert app.standup is not None and app.standup.timer.phase is Phase.SITTING
        assert app.standup.timer.sitting_for(clock.now()) == timedelta(seconds=30)
        # The midnight job landing after the tick changes nothing more.
        app.roll_over_if_new_day(clock.now())
        assert app.today == date(2026, 3, 11)
    # Yesterday's check-in is still yesterday's.
    conn = sqlite3.connect(tmp_path / "upright.db")
    try:
        assert conn.execute("SELECT habit_id, date FROM check_in").fetchall() == [
            ("bird-dog", "2026-03-10")
        ]
    finally:
        conn.close()


async def test_midnight_with_the_real_clock_under_time_machine(
    tmp_path: Path, berlin: None
) -> None:
    start = datetime(2026, 6, 1, 21, 59, 50, tzinfo=UTC)
    with time_machine.travel(start.timestamp(), tick=False) as tm:
        app = _app(tmp_path)  # SystemClock
        async with app.run_test(size=(120, 40)) as pilot:
            await _ready(app)
            assert app.today == date(2026, 6, 1)  # 23:59:50 CEST
            tm.shift(timedelta(seconds=15))
            app.tick()
            await settle(pilot)
            assert app.today == date(2026, 6, 2)
            assert app.today_view is not None and app.today_view.day == date(2026, 6, 2)


# --- DST: the command line dates check-ins by the local day ----------------------------

DST_CASES = [
    # spring forward: 2026-03-29 02:00 CET -> 03:00 CEST (01:00 UTC)
    ("2026-03-28T22:59:59", "2026-03-28"),
    ("2026-03-28T23:00:01", "2026-03-29"),
    ("2026-03-29T00:59:59", "2026-03-29"),
    ("2026-03-29T01:00:01", "2026-03-29"),
    ("2026-03-29T21:59:59", "2026-03-29"),
    ("2026-03-29T22:00:01", "2026-03-30"),
    # fall back: 2026-10-25 03:00 CEST -> 02:00 CET (01:00 UTC)
    ("2026-10-24T21:59:59", "2026-10-24"),
    ("2026-10-24T22:00:01", "2026-10-25"),
    ("2026-10-25T00:59:59", "2026-10-25"),
    ("2026-10-25T01:00:01", "2026-10-25"),
    ("2026-10-25T22:59:59", "2026-10-25"),
    ("2026-10-25T23:00:01", "2026-10-26"),
]


@pytest.mark.parametrize(("utc", "local_day"), DST_CASES)
def test_done_lands_on_the_local_day_around_dst(
    tmp_path: Path, berlin: None, capsys: pytest.CaptureFixture[str], utc: str, local_day: str
) -> None:
    db = str(tmp_path / "upright.db")
    instant = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    with time_machine.travel(instant.timestamp(), tick=False):
        assert datetime.now().astimezone().tzname() in ("CET", "CEST")
        assert main(["--db", db, "--catalog", str(CATALOG), "done", "bird-dog"]) == 0
        assert main(["--db", db, "--catalog", str(CATALOG), "pain", "3"]) == 0
        assert main(["--db", db, "--catalog", str(CATALOG), "today", "--json"]) == 0
    out = capsys.readouterr().out
    assert f"bird-dog: done on {local_day}" in out
    today = json.loads(out[out.index("[") :])
    assert {item["id"]: item["status"] for item in today}["bird-dog"] == "done"
    conn = sqlite3.connect(db)
    try:
        ((day, at),) = conn.execute("SELECT date, at FROM check_in").fetchall()
        ((pain_day, pain_at),) = conn.execute("SELECT date, at FROM pain_entry").fetchall()
    finally:
        conn.close()
    assert day == pain_day == local_day
    # The moment itself is kept in absolute (UTC) time.
    assert datetime.fromisoformat(at).replace(tzinfo=UTC) == instant
    assert datetime.fromisoformat(pain_at).replace(tzinfo=UTC) == instant


# --- DST: the stand-up timer counts absolute time ---------------------------------------


@pytest.mark.parametrize("zone", ["fixed-offsets", "zoneinfo"])
@pytest.mark.parametrize(
    ("start_utc", "wall_start", "wall_end"),
    [
        ("2026-03-29T00:30:00", "01:30", "03:30"),  # spring: the wall clock says 2 h
        ("2026-10-25T00:30:00", "02:30", "02:30"),  # autumn: the wall clock says 0 h
    ],
)
async def test_timer_counts_absolute_time_across_dst(
    tmp_path: Path, berlin: None, zone: str, start_utc: str, wall_start: str, wall_end: str
) -> None:
    start = datetime.fromisoformat(start_utc).replace(tzinfo=UTC)
    clock = FakeClock(start, ZoneInfo(BERLIN) if zone == "zoneinfo" else None)
    assert f"{clock.now():%H:%M}" == wall_start
    app = _app(tmp_path, clock, limit=45)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app)
        assert app.standup is not None
        _sit(app, clock, minutes=44.5)
        assert app.standup.timer.alerts == 0
        _sit(app, clock, minutes=0.5)
        assert app.standup.timer.alerts == 1  # after 45 real minutes, not 45 wall-clock minutes
        _sit(app, clock, minutes=15)
        assert f"{clock.now():%H:%M}" == wall_end
        assert app.standup.timer.phase is Phase.SITTING
        assert app.standup.timer.sitting_for(clock.now()) == timedelta(hours=1)
        app.standup.show()
        await pilot.pause()
        view = app.today_screen.query_one(StandupPanel).view
        assert view is not None and view.sitting_seconds == 3600
        app.close_timer()
    spells = _spells(tmp_path / "upright.db")
    assert len(spells) == 1
    spell_start, spell_end, ended_by = spells[0]
    assert ended_by == "quit"
    assert spell_start == start
    assert spell_end - spell_start == timedelta(hours=1)


# --- the wall clock set back -------------------------------------------------------------


async def test_clock_set_back_stores_no_negative_spell(tmp_path: Path, berlin: None) -> None:
    clock = FakeClock(datetime(2026, 5, 4, 10, 0, tzinfo=ZoneInfo(BERLIN)))
    app = _app(tmp_path, clock)
    async with app.run_test(size=(120, 40)):
        await _ready(app)
        assert app.standup is not None
        _sit(app, clock, minutes=10)
        clock.advance(1, wall=-2 * 3600)  # NTP or the user sets the clock 2 h back
        app.tick()
        # Sitting time follows the monotonic clock: no jump either way.
        assert app.standup.timer.sitting_for(clock.now()) == timedelta(seconds=601)
        _sit(app, clock, minutes=10)
        app.close_timer()
    spells = _spells(tmp_path / "upright.db")
    assert len(spells) == 1
    start, end, ended_by = spells[0]
    assert ended_by == "quit"
    assert end - start == timedelta(seconds=1201)


async def test_clock_set_back_past_the_previous_spell(tmp_path: Path, berlin: None) -> None:
    clock = FakeClock(datetime(2026, 5, 4, 14, 0, tzinfo=ZoneInfo(BERLIN)))
    app = _app(tmp_path, clock)
    async with app.run_test(size=(120, 40)):
        await _ready(app)
        assert app.standup is not None
        _sit(app, clock, minutes=10)
        app.action_stand_up()
        _sit(app, clock, minutes=4)  # longer than the 3-minute break: spell 1 is stored
        app.action_back_from_break()
        _sit(app, clock, minutes=5)
        clock.advance(1, wall=-3 * 3600)  # back to before spell 1 even began
        app.tick()
        _sit(app, clock, minutes=5)
        app.close_timer()
    spells = _spells(tmp_path / "upright.db")
    assert spells[0][2] == "break"
    for start, end, _ in spells:
        assert end >= start, spells
    for (_, end_before, _), (start_after, _, _) in itertools.pairwise(spells):
        assert start_after >= end_before, f"spells overlap: {spells}"
    sat = sum((end - start for start, end, _ in spells), timedelta())
    # Never more sitting than really happened (10 + 5 + 5 minutes and a second).
    assert sat <= timedelta(minutes=20, seconds=1)
    assert spells[0][1] - spells[0][0] == timedelta(minutes=10)


# --- a suspend of two hours ---------------------------------------------------------------


async def test_suspend_ends_the_spell_and_is_not_sitting(tmp_path: Path, berlin: None) -> None:
    clock = FakeClock(datetime(2026, 5, 4, 9, 0, tzinfo=ZoneInfo(BERLIN)))
    start = clock.utc
    app = _app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app)
        assert app.standup is not None
        _sit(app, clock, minutes=10)
        clock.advance(0.5, wall=2 * 3600)  # lid closed: wall +2 h, monotonic barely moves
        app.tick()
        assert app.standup.timer.phase is Phase.AWAY
        assert app.standup.timer.sitting_for(clock.now()) == timedelta(0)
        await settle(pilot)
        stored = _spells(tmp_path / "upright.db")
        assert stored == [(start, start + timedelta(minutes=10), "suspend")]
        app.action_back_from_break()  # the user is back at the keyboard
        _sit(app, clock, minutes=5)
        app.close_timer()
    spells = _spells(tmp_path / "upright.db")
    assert [s[2] for s in spells] == ["suspend", "quit"]
    assert sum((end - s for s, end, _ in spells), timedelta()) == timedelta(minutes=15)
    assert spells[1][0] >= start + timedelta(hours=2, minutes=10)


async def test_suspend_with_the_real_clocks_under_time_machine(
    tmp_path: Path, berlin: None
) -> None:
    """SystemClock: time-machine moves the wall clock, the real monotonic clock does not jump."""
    start = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
    with time_machine.travel(start.timestamp(), tick=False) as tm:
        app = _app(tmp_path)
        async with app.run_test(size=(120, 40)):
            await _ready(app)
            assert app.standup is not None
            for _ in range(20):  # ten minutes of wall clock in 30 s steps
                tm.shift(timedelta(seconds=30))
                app.tick()
            tm.shift(timedelta(hours=2))
            app.tick()
            assert app.standup.timer.phase is Phase.AWAY
            app.close_timer()
    spells = _spells(tmp_path / "upright.db")
    assert len(spells) == 1
    spell_start, spell_end, ended_by = spells[0]
    assert ended_by == "suspend"
    assert spell_end == start + timedelta(minutes=10)
    assert spell_start == start


# --- once on the real app, with libfaketime -------------------------------------------------

LIBFAKETIME = next(
    (
        path
        for path in (
            Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
            Path("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
            Path("/usr/lib/faketime/libfaketime.so.1"),
            Path("/usr/local/lib/faketime/libfaketime.so.1"),
        )
        if path.exists()
    ),
    None,
)


@pytest.mark.skipif(
    LIBFAKETIME is None or sys.platform != "linux",
    reason="needs libfaketime (apt install faketime)",
)
@pytest.mark.parametrize(
    ("start_utc", "wait_for", "then_run"),
    [
        ("2026-03-28T22:59:58", rb"Today \xc2\xb7 Sunday 29 March", 0),  # local midnight
        ("2026-03-29T00:59:58", rb"Sitting 0 min", 6),  # 01:59:58 CET -> 03:00 CEST
        ("2026-10-25T00:59:58", rb"Sitting 0 min", 6),  # 02:59:58 CEST -> 02:00 CET
    ],
)
def test_real_app_under_faketime(
    tmp_path: Path, start_utc: str, wait_for: bytes, then_run: float
) -> None:
    """The whole app (its own clocks, APScheduler, SQLite) with the system clock faked:
    libfaketime starts the process's clocks a few seconds before the change and lets
    them run. The day rolls over, the timer goes on counting through the DST change
    (never an hour more or less), and the spell stored on SIGTERM is as long as the
    time that really passed."""
    from tests.helpers.ptyapp import READY_TEXT, PtyApp

    start = datetime.fromisoformat(start_utc).replace(tzinfo=UTC)
    app = PtyApp(
        tmp_path,
        {
            "LD_PRELOAD": str(LIBFAKETIME),
            "FAKETIME_FMT": "%s",
            "FAKETIME": f"@{int(start.timestamp())}",
            "TZ": BERLIN,
        },
    )
    try:
        app.wait_for_text(READY_TEXT)
        app.type(b"\x1b")  # close the safety note, which covers the panels
        app.wait_for_text(re.compile(wait_for), timeout=20)
        time.sleep(then_run)  # across the change, on the faked clock too
        app.proc.send_signal(signal.SIGTERM)
        code = app.proc.wait(timeout=15)
    finally:
        app.stop()
    assert code == 0
    sitting = re.findall(rb"Sitting (\d+ h )?(\d+) min of", app.screen_text())
    assert sitting, "the timer never showed"
    assert all(not hours and int(minutes) == 0 for hours, minutes in sitting), sitting[-3:]
    ((spell_start, spell_end, ended_by),) = app.spells()
    assert ended_by == "quit"
    assert spell_end is not None  # the spell was saved as ended
    spell_start_at = datetime.fromisoformat(spell_start).replace(tzinfo=UTC)
    length = datetime.fromisoformat(spell_end) - datetime.fromisoformat(spell_start)
    assert abs(spell_start_at - start) < timedelta(seconds=30)  # the clock really was faked
    assert timedelta(seconds=1) < length < timedelta(minutes=1)
