"""Privacy: upright opens no network socket, and everything it writes is the owner's alone.

The command line and the app run with network socket creation, connections and
name lookups patched to fail (and each attempt recorded; Unix domain sockets, the
desktop's D-Bus, are local and allowed). They must still work and
must not have tried. Every file they create (database, -wal, -shm, export) is
mode 0600 and the data folder they create is 0700, even under umask 000.
"""

from __future__ import annotations

import asyncio
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from sqlalchemy import Engine, event

from tests.helpers.waiting import settle
from tui.app import UprightApp
from tui.cli import main
from tui.screens.pain_form import PainInput

HERE = Path(__file__).resolve().parent.parent
CATALOG = HERE / "data" / "small.toml"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every new network socket, connection and DNS lookup fail; return the attempts.

    Unix domain sockets stay allowed: they never leave the machine, and the desktop's
    D-Bus (idle, sleep, lock, notifications) is one (jeepney speaks no TCP transport).
    """
    attempts: list[str] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(
            self, family: Any = -1, type: Any = -1, proto: Any = -1, fileno: Any = None
        ) -> None:
            # Wrapping an existing fd (socketpair, fromfd) is not opening one.
            if fileno is None and family != socket.AF_UNIX:
                attempts.append(f"socket({family}, {type})")
                raise OSError("network access is disabled in this test")
            super().__init__(family, type, proto, fileno)

    def refuse(name: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"{name} is disabled in this test")

        return refused

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    # The guard itself works.
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    with pytest.raises(OSError):
        socket.socket()  # the default family is AF_INET
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 443))
    attempts.clear()
    return attempts


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """umask 000: a file or folder created without an explicit mode would be world-readable."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def default_data_dir(monkeypatch: pytest.MonkeyPatch, private_dirs: Path) -> Path:
    """No UPRIGHT_DB: the database goes to the (fresh, per-test) user data folder."""
    monkeypatch.delenv("UPRIGHT_DB", raising=False)
    folder = platformdirs.user_data_path("upright")
    assert str(folder).startswith(str(private_dirs))
    assert not folder.exists()
    return folder


@pytest.fixture
def commit_snapshots(default_data_dir: Path) -> Iterator[list[dict[str, int]]]:
    """The data folder's files and modes, taken at every commit.

    A commit is when -wal and -shm certainly exist (they go again when the last
    connection closes), so this sees the files SQLite made for upright itself.
    """
    snapshots: list[dict[str, int]] = []

    def snap(_conn: Any) -> None:
        snapshots.append(
            {p.name: stat.S_IMODE(p.stat().st_mode) for p in default_data_dir.iterdir()}
        )

    event.listen(Engine, "commit", snap)
    yield snapshots
    event.remove(Engine, "commit", snap)


def _assert_private(folder: Path, snapshots: list[dict[str, int]], home: Path) -> None:
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    seen: dict[str, set[int]] = {}
    for snapshot in snapshots:
        for name, mode in snapshot.items():
            seen.setdefault(name, set()).add(mode)
    for path in folder.iterdir():
        seen.setdefault(path.name, set()).add(stat.S_IMODE(path.stat().st_mode))
    assert {"upright.db", "upright.db-wal", "upright.db-shm"} <= set(seen), seen
    # The backups folder (store/backup.py) is 0700; its files are walked below.
    private = {name: 0o700 if (folder / name).is_dir() else 0o600 for name in seen}
    loose = {
        name: sorted(oct(m) for m in modes)
        for name, modes in seen.items()
        if modes != {private[name]}
    }
    assert loose == {}, f"files readable by others: {loose}"
    # Nothing else anywhere in the test's home is readable by others either.
    for root, _dirs, files in os.walk(home):
        for name in files:
            path = Path(root) / name
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_command_line_opens_no_socket_and_keeps_files_private(
    no_network: list[str],
    loose_umask: None,
    default_data_dir: Path,
    commit_snapshots: list[dict[str, int]],
    private_dirs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    catalog = ["--catalog", str(CATALOG)]
    export_json = private_dirs / "export.json"
    export_csv = private_dirs / "export.csv"
    copy = private_dirs / "copy.db"
    commands = [
        ["pain", "4", "--leg", "2", "--context", "morning", "--note", "stiff"],
        ["done", "bird-dog"],
        ["skip", "walk"],
        ["undo", "walk"],
        ["plan"],
        ["plan", "add", "superman"],
        ["plan", "remove", "superman"],
        ["today", "--json"],
        ["stats", "--json", "--weeks", "4"],
        ["export", "-o", str(export_json)],
        ["export", "--format", "csv", "-o", str(export_csv)],
        ["catalog", "check"],
        ["backup"],
        ["backup", "--list"],
        ["backup", str(copy)],
        ["restore", str(copy)],
    ]
    for argv in commands:
        assert main([*catalog, *argv]) == 0, (argv, capsys.readouterr().err)
    assert main(["--version"]) == 0
    assert no_network == []
    assert '"stiff"' in export_json.read_text(encoding="utf-8")
    for path in (export_json, export_csv, copy):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    _assert_private(default_data_dir, commit_snapshots, private_dirs)


async def test_app_opens_no_socket_and_keeps_files_private(
    no_network: list[str],
    loose_umask: None,
    default_data_dir: Path,
    commit_snapshots: list[dict[str, int]],
    private_dirs: Path,
) -> None:
    # The real defaults: database and config from the user's folders, idle detection
    # and desktop notifications on.
    app = UprightApp(catalog_path=CATALOG)
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.wait_for(app.data_ready.wait(), timeout=20)
        await pilot.press("escape")  # close the first-run safety note (stored as a setting)
        await pilot.pause()
        app.save_pain(PainInput(score=3, leg_score=None, context="evening", note="ok"))
        assert app.services is not None and app.today_view is not None
        app.services.store.set_check_in("bird-dog", app.today, "done", app.clock.now())
        app.today_data.refresh()
        await settle(pilot)
        app.action_catalog()
        await pilot.pause()
        app.action_help()
        await pilot.pause()
        await asyncio.sleep(0.3)  # let the idle and notifier probes run
        await app.action_quit()
    assert app.return_code in (None, 0)
    assert no_network == []
    assert app.services is not None
    assert app.services.store.get_setting("safety_note_seen") is not None
    _assert_private(default_data_dir, commit_snapshots, private_dirs)


def test_an_existing_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    from store.queries import Store

    db = tmp_path / "copied.db"
    Store.open(db).engine.dispose()
    db.chmod(0o644)
    Path(f"{db}-wal").write_bytes(b"")
    # Readable by others is tightened; writable by others is refused (test_hostile_paths.py).
    Path(f"{db}-wal").chmod(0o644)
    assert main(["--db", str(db), "today"]) == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert all(
        stat.S_IMODE(f.stat().st_mode) & 0o077 == 0
        for f in tmp_path.iterdir()
        if f.name.startswith("copied.db")
    )
