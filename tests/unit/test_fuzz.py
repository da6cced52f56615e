"""Bad input, fuzzed: the catalog and config loaders and the command line.

Any input either loads or gets one line naming what is wrong: never a
traceback, never another exception, never a changed database. Plus the
databases a user can end up with by accident: one from a newer upright, a
read-only one, a file that is not SQLite, and a data folder that cannot be
created. Each gets a clear one-line message and exit code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from store.catalog import Catalog, load_catalog
from store.errors import CatalogError, ConfigError
from tests.toml_text import toml_string, toml_value
from tui.config import Config, load_config

HERE = Path(__file__).resolve().parent.parent
CATALOG = HERE / "data" / "small.toml"
FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- writing TOML (the standard library only reads it) ---------------------------------


def _toml_table(header: str | None, table: dict[str, Any]) -> str:
    lines = [header] if header else []
    lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


# --- strategies ---------------------------------------------------------------------------

scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-5, max_value=120),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "daily",
            "posture",
            "cardio",
            "trial",
            "mon",
            "18:00",
            "25:99",
            "https://example.org/x",
            "monday",
            "sunday",
            "",
            " ",
            "per_week",
        ]
    ),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=8,
)

TOKENS = [
    "[[habit]]",
    "[habit]",
    "[notify]",
    "[[reminder]]",
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    '"',
    "'",
    "\n",
    " ",
    "\t",
    "id",
    "name",
    "kind",
    "schedule",
    "dose",
    "how",
    "why",
    "cautions",
    "evidence",
    "source",
    "in_default_plan",
    "enabled",
    "per_week",
    "days",
    "sets",
    "reps",
    "hold_seconds",
    "minutes",
    "per_side",
    "sit_limit_minutes",
    "remind_every_minutes",
    "break_minutes",
    "week_start",
    "toast",
    "bell",
    "desktop",
    "at",
    "text",
    '"daily"',
    '"posture"',
    '"trial"',
    '"mon"',
    '"18:00"',
    "true",
    "false",
    "0",
    "1",
    "-3",
    "3.5",
    "1e400",
    "1979-05-27",
    "07:32:00",
    "1979-05-27T07:32:00Z",
    '"x"',
    '"""',
    "'''",
    "#",
    "\\",
    ".",
    "nan",
    "inf",
    "0x1F",
    "\\u0000",
    "\x00",
    "\ufeff",
    "\r\n",
]
toml_ish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=60).map(
    "".join
)


def _mutated(base: dict[str, Any], extra_keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """`base` with keys removed, replaced by random values, or added."""
    keys = st.sampled_from(sorted(base) + extra_keys) | st.text(max_size=10)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        table = dict(base)
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            key = draw(keys)
            if draw(st.booleans()) and key in table:
                del table[key]
            else:
                table[key] = draw(toml_values)
        return table

    return build()


def _single_line(message: str) -> None:
    assert message.strip(), "an empty error message"
    assert "\n" not in message and "\r" not in message, repr(message)


# --- the catalog loader -----------------------------------------------------------------

SMALL = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
BIRD_DOG = next(h for h in SMALL["habit"] if h["id"] == "bird-dog")
HABIT_FIELDS = [
    "id",
    "name",
    "kind",
    "schedule",
    "in_default_plan",
    "dose",
    "how",
    "why",
    "cautions",
    "evidence",
    "source",
    "enabled",
]


def _load_catalog_or_error(path: Path, override: bool = False) -> Catalog | CatalogError:
    try:
        if override:
            return load_catalog(None, overrides=path)
        return load_catalog(path)
    except CatalogError as exc:
        _single_line(str(exc))
        assert str(path) in str(exc), f"the message does not name the file: {exc}"
        return exc


@FUZZ
@given(text=toml_ish)
@example(text="a = " + "[" * 5000 + "]" * 5000)
@example(text="a = " + "{b = " * 3000 + "1" + "}" * 3000)
@example(text="[[habit]]\n" + "x." * 3000 + "y = 1\n")
@example(text="[[habit]]\nid = 'bird-dog'\n[[habit]]\nid = 'bird-dog'\n")
@example(text="habit = 3\n")
@example(text="habit = [1, 2]\n")
@example(text="\ufeff[[habit]]\n")
def test_catalog_loader_on_toml_ish_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _load_catalog_or_error(path)


@FUZZ
@given(data=st.binary(max_size=200))
@example(data=b"\xff\xfe[[habit]]")
def test_catalog_loader_on_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "exercises.toml"
    path.write_bytes(data)
    _load_catalog_or_error(path)


@FUZZ
@given(
    entry=_mutated(BIRD_DOG, [*HABIT_FIELDS, "notes", "ID"]),
    copies=st.integers(min_value=1, max_value=2),
    top=st.dictionaries(st.sampled_from(["habit", "version", "title"]), toml_values, max_size=1),
)
def test_catalog_loader_on_mutated_entries(
    tmp_path: Path, entry: dict[str, Any], copies: int, top: dict[str, Any]
) -> None:
    text = _toml_table(None, top) if top else ""
    text += "".join(_toml_table("[[habit]]", entry) for _ in range(copies))
    path = tmp_path / "exercises.toml"
    path.write_text(text, encoding="utf-8")
    result = _load_catalog_or_error(path)
    if isinstance(result, Catalog):
        assert copies == 1 and len(result.habits) <= 1
    # The same entry as the user's override file on top of the shipped catalog.
    path.write_text(_toml_table("[[habit]]", entry), encoding="utf-8")
    _load_catalog_or_error(path, override=True)


def test_catalog_fuzz_can_tell_good_from_bad(tmp_path: Path) -> None:
    """The mutation tests mean something: the base entry loads, a broken one names its field."""
    path = tmp_path / "exercises.toml"
    path.write_text(_toml_table("[[habit]]", BIRD_DOG), encoding="utf-8")
    assert isinstance(_load_catalog_or_error(path), Catalog)
    path.write_text(_toml_table("[[habit]]", {**BIRD_DOG, "dose": {"sets": "3"}}), encoding="utf-8")
    error = _load_catalog_or_error(path)
    assert isinstance(error, CatalogError) and "dose.sets" in str(error)


# --- the config loader -------------------------------------------------------------------

VALID_CONFIG: dict[str, Any] = {
    "sit_limit_minutes": 30,
    "remind_every_minutes": 5,
    "break_minutes": 3,
}
NOTIFY = {"toast": True, "bell": True, "desktop": False}
REMINDER = {"at": "18:00", "text": "Evening exercises"}


def _load_config_or_error(path: Path) -> Config | ConfigError:
    try:
        return load_config(path)
    except ConfigError as exc:
        _single_line(str(exc))
        assert str(path) in str(exc)
        return exc


@FUZZ
@given(text=toml_ish)
@example(text="reminder = " + "[" * 5000 + "]" * 5000)
@example(text="notify = " + "{a = " * 3000 + "1" + "}" * 3000)
@example(text="[[reminder]]\nat = 18:00:00\n")
@example(text="[[reminder]]\nat = 1979-05-27T07:32:00\n")
@example(text='[[reminder]]\nat = "18:00+05:00"\n')
def test_config_loader_on_toml_ish_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _load_config_or_error(path)


@FUZZ
@given(
    top=_mutated(VALID_CONFIG, ["notify", "reminder", "sit_limit", "theme"]),
    notify=_mutated(NOTIFY, ["sound"]),
    reminders=st.lists(_mutated(REMINDER, ["every"]), max_size=2),
)
def test_config_loader_on_mutated_config(
    tmp_path: Path, top: dict[str, Any], notify: dict[str, Any], reminders: list[dict[str, Any]]
) -> None:
    text = _toml_table(None, {k: v for k, v in top.items() if k not in ("notify", "reminder")})
    if "notify" not in top:
        text += _toml_table("[notify]", notify)
    if "reminder" not in top:
        text += "".join(_toml_table("[[reminder]]", r) for r in reminders)
    else:
        text = _toml_table(None, top)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    _load_config_or_error(path)


def test_config_fuzz_can_tell_good_from_bad(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        _toml_table(None, VALID_CONFIG)
        + _toml_table("[notify]", NOTIFY)
        + _toml_table("[[reminder]]", REMINDER),
        encoding="utf-8",
    )
    config = _load_config_or_error(path)
    assert isinstance(config, Config) and config.reminder[0].at == time(18, 0)
    path.write_text(_toml_table(None, {**VALID_CONFIG, "sit_limit_minutes": 5}), encoding="utf-8")
    error = _load_config_or_error(path)
    assert isinstance(error, ConfigError) and "sit_limit_minutes" in str(error)


# --- the command line ----------------------------------------------------------------------

HABITS = ["stand-up", "bird-dog", "walk", "superman", "no-such-habit"]
junk = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=12
)
dates = st.one_of(
    st.dates(min_value=date(1, 1, 8), max_value=date(9999, 12, 24)).map(date.isoformat),
    st.sampled_from(["2026-02-30", "today", "2026-3-1", "", "0001-01-01", "9999-12-31"]),
    junk,
)
ints = st.one_of(st.integers(min_value=-3, max_value=14).map(str), st.integers().map(str), junk)
out_names = st.one_of(
    st.from_regex(r"[a-z]{1,8}(\.json|\.csv)?", fullmatch=True),
    st.sampled_from([".", "missing-dir/out.json", "", "db"]),
)


def _opt(name: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda v: [name, v]), st.just([name]))


@st.composite
def argvs(draw: st.DrawFn, db: str, catalogs: list[str], paths: list[str]) -> list[str]:
    argv = ["--db", db]
    if draw(st.integers(0, 9)):
        argv += ["--catalog", draw(st.sampled_from(catalogs))]
    argv += draw(_opt("--sit-limit", ints))
    command = draw(
        st.sampled_from(
            [
                "done",
                "skip",
                "undo",
                "pain",
                "plan",
                "plan add",
                "plan remove",
                "today",
                "stats",
                "export",
                "catalog check",
                "catalog",
            ]
        )
    )
    command_at = len(argv)
    argv += command.split(" ")
    parts: list[list[str]] = []
    if command in ("done", "skip", "undo", "plan add", "plan remove"):
        parts.append([draw(st.sampled_from(HABITS) | junk)])
        if command in ("done", "skip", "undo"):
            parts.append(draw(_opt("--date", dates)))
    elif command == "pain":
        parts.append([draw(ints)])
        parts.append(draw(_opt("--leg", ints)))
        parts.append(
            draw(
                _opt(
                    "--context",
                    st.sampled_from(["morning", "during-exercise", "evening", "night"]) | junk,
                )
            )
        )
        parts.append(draw(_opt("--note", junk)))
        parts.append(draw(_opt("--date", dates)))
    elif command == "today":
        parts.append(draw(st.sampled_from([[], ["--json"]])))
    elif command == "stats":
        parts.append(draw(_opt("--weeks", ints)))
        parts.append(draw(st.sampled_from([[], ["--json"]])))
    elif command == "export":
        parts.append(draw(_opt("--format", st.sampled_from(["json", "csv", "xml"]) | junk)))
        parts.append(draw(_opt(draw(st.sampled_from(["-o", "--output"])), out_names)))
    elif command == "catalog check":
        parts.append(draw(st.sampled_from([[], *([p] for p in paths)])))
    order = draw(st.permutations(range(len(parts)))) if parts else []
    for index in order:
        argv += parts[index]
    for _ in range(draw(st.integers(0, 2))):
        extra = draw(
            st.one_of(
                junk,
                st.sampled_from(
                    ["--help", "-h", "--version", "--json", "--bogus", "-x", "--", "3"]
                ),
            )
        )
        argv.insert(draw(st.integers(command_at + 1, len(argv))), extra)
    return argv


def _snapshot(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _run(argv: list[str]) -> tuple[int, str, str]:
    from tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A synced database, some catalogs good and bad, and no way to open the dashboard."""
    monkeypatch.chdir(tmp_path)
    launched: list[object] = []
    import tui.launch

    def no_app(context: object, sit_limit: int | None = None) -> int:
        launched.append(context)
        return 0

    monkeypatch.setattr(tui.launch, "run_app", no_app)
    db = tmp_path / "upright.db"
    code, _, err = _run(["--db", str(db), "--catalog", str(CATALOG), "today"])
    assert code == 0, err
    broken = tmp_path / "broken.toml"
    broken.write_text("[[habit]]\nid = 'x'\n", encoding="utf-8")
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(b"\xff\x00[[")
    catalogs = [str(CATALOG)] * 4 + [str(broken), str(garbage), "missing.toml", str(tmp_path)]
    paths = [str(CATALOG), str(broken), str(garbage), "missing.toml", str(tmp_path), str(db)]
    return {"db": db, "catalogs": catalogs, "paths": paths, "launched": launched}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_command_line_never_tracebacks_nor_writes_on_error(
    cli_world: dict[str, Any], data: st.DataObject
) -> None:
    db: Path = cli_world["db"]
    argv = data.draw(argvs(str(db), cli_world["catalogs"], cli_world["paths"]), label="argv")
    # Switching catalogs (the shipped one when --catalog is left out) syncs the habit
    # table on the next command, whatever that command then does: sync first, so the
    # snapshot shows what the command itself changes.
    catalog = argv[argv.index("--catalog") + 1] if "--catalog" in argv[:4] else None
    if catalog in (None, str(CATALOG)):
        sync = ["--db", str(db), *(["--catalog", catalog] if catalog else []), "today"]
        assert _run(sync)[0] == 0
    before = _snapshot(db)
    code, out, err = _run(argv)
    assert "Traceback" not in err + out
    assert code in (0, 2), f"exit {code} for {argv}: {err}"
    if code == 2:
        assert err.startswith("upright: error: "), err
        _single_line(err.rstrip("\n"))
        assert _snapshot(db) == before, f"{argv} failed but changed the database"
    assert cli_world["launched"] == [], f"{argv} opened the dashboard"


@pytest.mark.parametrize(
    "argv_tail",
    [
        ["pain", "3", "--note", "caf\udcc3"],  # bytes that are not UTF-8, as Python passes them
        ["done", "bird\udcff"],
        ["plan", "add", "\udcff"],
        ["catalog", "check", "\udcff.toml"],
    ],
)
def test_command_line_arguments_that_are_not_utf8(
    cli_world: dict[str, Any], argv_tail: list[str]
) -> None:
    db: Path = cli_world["db"]
    before = _snapshot(db)
    code, _, err = _run(["--db", str(db), "--catalog", str(CATALOG), *argv_tail])
    assert code == 2, err
    assert err.startswith("upright: error: ")
    _single_line(err.rstrip("\n"))
    assert _snapshot(db) == before


# --- databases a user can end up with --------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _expect_refused(db: Path, fragment: str) -> None:
    for argv_tail in (["pain", "3"], ["done", "bird-dog"], ["today"]):
        code, out, err = _run(["--db", str(db), "--catalog", str(CATALOG), *argv_tail])
        assert code == 2, (argv_tail, out, err)
        assert err.startswith("upright: error: ")
        _single_line(err.rstrip("\n"))
        assert fragment in err, err


def test_database_from_a_newer_upright(tmp_path: Path) -> None:
    db = tmp_path / "upright.db"
    assert _run(["--db", str(db), "--catalog", str(CATALOG), "pain", "2"])[0] == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    digest = _digest(db)
    _expect_refused(db, "newer upright")
    assert _digest(db) == digest


def test_file_that_is_not_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "upright.db"
    db.write_text("these are my notes, not a database\n" * 40, encoding="utf-8")
    digest = _digest(db)
    _expect_refused(db, "not an upright database")
    assert _digest(db) == digest
    db.write_bytes(os.urandom(8192))
    _expect_refused(db, "not an upright database")


def test_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    _expect_refused(blocker / "sub" / "upright.db", "cannot create data folder")
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"


def _drop_root_file_powers(tmp_path: Path) -> list[str] | None:
    """A command prefix that runs without root's power to ignore file modes, or None.

    As root, chmod does not stop writes (CAP_DAC_OVERRIDE). setpriv can drop
    those capabilities from the bounding set, so the child is an ordinary
    process for file permissions while still owning the files.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
    probe = tmp_path / "probe"
    probe.write_text("secret", encoding="utf-8")
    probe.chmod(0)
    result = subprocess.run([*prefix, "cat", str(probe)], capture_output=True, check=False)
    probe.chmod(0o600)
    return prefix if result.returncode != 0 else None


def _run_unprivileged(prefix: list[str], db: Path, argv_tail: list[str]) -> tuple[int, str, str]:
    if not prefix:
        return _run(["--db", str(db), "--catalog", str(CATALOG), *argv_tail])
    proc = subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "tui",
            "--db",
            str(db),
            "--catalog",
            str(CATALOG),
            *argv_tail,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=HERE.parent,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("what", ["read-only file", "read-only folder"])
def test_read_only_database(tmp_path: Path, what: str) -> None:
    prefix = _drop_root_file_powers(tmp_path)
    if prefix is None:
        pytest.skip("running as root without setpriv: file modes cannot stop this process")
    folder = tmp_path / "data"
    db = folder / "upright.db"
    # In a child process, so that no connection of ours keeps a -wal file open.
    made = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), "--catalog", str(CATALOG), "pain", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=HERE.parent,
    )
    assert made.returncode == 0, made.stderr
    sqlite3.connect(db).close()  # the last connection to close folds the -wal back in
    assert sorted(p.name for p in folder.iterdir()) == ["upright.db"]
    digest = _digest(db)
    if what == "read-only file":
        db.chmod(0o400)
    else:
        folder.chmod(0o500)  # the database is writable, but no -wal or -shm can be made
    try:
        for argv_tail in (["pain", "3"], ["done", "bird-dog"]):
            code, out, err = _run_unprivileged(prefix, db, argv_tail)
            assert code == 2, (argv_tail, out, err)
            assert err.startswith("upright: error: "), err
            _single_line(err.rstrip("\n"))
            assert "readonly" in err or "read-only" in err or "permission" in err.lower(), err
    finally:
        folder.chmod(0o700)
        db.chmod(0o600)
    assert _digest(db) == digest
    wal = folder / "upright.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0, "a refused write reached the WAL"


@pytest.mark.parametrize("what", ["newer", "not-sqlite", "no-folder"])
async def test_the_app_refuses_a_bad_database_with_exit_code_2(tmp_path: Path, what: str) -> None:
    from tui.app import UprightApp

    db = tmp_path / "upright.db"
    if what == "newer":
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    elif what == "not-sqlite":
        db.write_text("not a database " * 100, encoding="utf-8")
    else:
        (tmp_path / "file.txt").write_text("x", encoding="utf-8")
        db = tmp_path / "file.txt" / "sub" / "upright.db"
    app = UprightApp(
        db_path=db,
        catalog_path=CATALOG,
        config_path=tmp_path / "config.toml",
        idle_source=None,
        desktop_notifications=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            if app.return_code is not None:
                break
            await asyncio.sleep(0.02)
        await pilot.pause()
    assert app.return_code == 2
    assert not app.data_ready.is_set()
