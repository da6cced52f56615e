"""Catalog loading and validation: good files load, broken files get one line that
names the file, the line, the entry and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from store import catalog_files
from store.catalog import Catalog, load_catalog
from store.catalog_files import user_override_path
from store.errors import CatalogError
from store.habit_fields import DaysSchedule, Dose, PerWeekSchedule

# Two entries; tests break the second one, so line numbers are not just "the top".
GOOD = """\
[[habit]]
id = "alpha"
name = "Alpha"
kind = "posture"
schedule = "daily"
in_default_plan = true
how = "1. Stand."
why = "Because."
cautions = "None."
evidence = "low"
source = "https://example.org/alpha"

[[habit]]
id = "beta"
name = "Beta"
kind = "strength"
schedule = { days = ["mon", "wed"] }
dose = { sets = 2, reps = 8 }
how = "1. Lift."
why = "Strength."
cautions = "Go slowly."
evidence = "trial"
source = "https://example.org/beta"
"""
BETA_HEADER_LINE = 13  # the second [[habit]]


def line_of(text: str, start: str, after: int = BETA_HEADER_LINE) -> int:
    """1-based number of the first line at or after `after` that starts with `start`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= after and line.startswith(start):
            return number
    raise AssertionError(f"{start!r} not in text")


def write(tmp_path: Path, text: str, name: str = "exercises.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken_message(path: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert "\n" not in message, "the error must be one line"
    assert str(path) in message
    return message


def test_the_good_text_is_good(tmp_path: Path) -> None:
    # Guards the tests below: each breaks exactly one thing in a valid file.
    assert GOOD.splitlines()[BETA_HEADER_LINE - 1] == "[[habit]]"
    loaded = load_catalog(write(tmp_path, GOOD))
    assert [h.id for h in loaded.habits] == ["alpha", "beta"]


def test_small_catalog_loads(small_catalog_path: Path) -> None:
    loaded = load_catalog(small_catalog_path)
    assert isinstance(loaded, Catalog)
    assert [h.id for h in loaded.habits] == [
        "stand-up",
        "firm-chair",
        "bird-dog",
        "walk",
        "superman",
    ]
    assert loaded.sources == (small_catalog_path,)
    bird_dog = loaded.get("bird-dog")
    assert bird_dog is not None
    assert bird_dog.dose == Dose(sets=3, reps=10, hold_seconds=5, per_side=True)
    assert bird_dog.schedule == "daily"
    walk = loaded.get("walk")
    assert walk is not None and walk.schedule == PerWeekSchedule(per_week=3)
    superman = loaded.get("superman")
    assert superman is not None and superman.schedule == DaysSchedule(days=["mon", "wed", "fri"])
    assert superman.in_default_plan is False
    assert loaded.get("nope") is None
    assert loaded.ids == {"stand-up", "firm-chair", "bird-dog", "walk", "superman"}


def test_shipped_catalog_validates() -> None:
    # The shipped exercises.toml (no user overrides: the config folder is a fresh tmp dir).
    shipped = load_catalog()
    assert len(shipped.sources) == 1
    assert shipped.habits, "the shipped catalog has no habits"
    kinds = {h.kind for h in shipped.habits}
    assert "posture" in kinds
    # The issue: the default plan is small: a few posture habits and 4-6 gentle exercises.
    default = [h for h in shipped.habits if h.in_default_plan]
    assert any(h.kind == "posture" for h in default)
    assert 4 <= sum(1 for h in default if h.kind != "posture") <= 6


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    text = GOOD.replace('name = "Beta"', 'name = "Beta')  # unterminated string
    path = write(tmp_path, text)
    message = broken_message(path)
    assert "line 15" in message  # tomllib's own position: `name = "Beta` is line 15
    assert line_of(text, "name =") == 15


@pytest.mark.parametrize(
    ("change", "field", "line_start"),
    [
        # missing required field: the entry's header line
        (lambda t: t.replace('why = "Strength."\n', ""), "why", "[[habit]]"),
        (
            lambda t: t.replace('kind = "strength"', 'kind = "strength"\ncolour = "red"'),
            "colour",
            "colour =",
        ),
        (lambda t: t.replace('kind = "strength"', 'kind = "yoga"'), "kind", "kind ="),
        (
            lambda t: t.replace('evidence = "trial"', 'evidence = "anecdote"'),
            "evidence",
            "evidence =",
        ),
        (lambda t: t.replace('["mon", "wed"]', '["mon", "funday"]'), "schedule", "schedule ="),
        (
            lambda t: t.replace(
                'schedule = { days = ["mon", "wed"] }', "schedule = { per_week = 9 }"
            ),
            "schedule",
            "schedule =",
        ),
        (
            lambda t: t.replace('schedule = { days = ["mon", "wed"] }', 'schedule = "hourly"'),
            "schedule",
            "schedule =",
        ),
        (lambda t: t.replace("reps = 8", "reps = -3"), "dose.reps", "dose ="),
        (lambda t: t.replace("reps = 8", "reps = 8, weight = 5"), "dose.weight", "dose ="),
        (
            lambda t: t.replace('source = "https://example.org/beta"', 'source = "my head"'),
            "source",
            "source =",
        ),
        (lambda t: t.replace('name = "Beta"', 'name = "  "'), "name", "name ="),
    ],
    ids=[
        "missing",
        "unknown",
        "kind",
        "evidence",
        "funday",
        "per_week-9",
        "hourly",
        "negative-reps",
        "unknown-dose-key",
        "source",
        "blank-name",
    ],
)
def test_broken_entry_names_file_line_id_and_field(
    tmp_path: Path, change: Callable[[str], str], field: str, line_start: str
) -> None:
    text = change(GOOD)
    assert text != GOOD
    path = write(tmp_path, text)
    message = broken_message(path)
    line = line_of(text, line_start)
    assert message.startswith(f"{path}:{line}: ")
    assert "'beta'" in message
    assert f"'{field}'" in message


def test_duplicate_id(tmp_path: Path) -> None:
    text = GOOD.replace('id = "beta"', 'id = "alpha"')
    path = write(tmp_path, text)
    message = broken_message(path)
    assert message.startswith(f"{path}:{line_of(text, 'id =')}: ")  # line 14
    assert "'alpha'" in message
    assert "'id'" in message
    assert "duplicate" in message


@pytest.mark.parametrize("bad_id", ["Bird Dog", "bird_dog", "-bird", "bird--dog", ""])
def test_id_must_be_a_slug(tmp_path: Path, bad_id: str) -> None:
    text = GOOD.replace('id = "beta"', f'id = "{bad_id}"')
    path = write(tmp_path, text)
    message = broken_message(path)
    assert message.startswith(f"{path}:14: ")
    assert "'id'" in message


def test_unknown_top_level_key_and_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'title = "mine"\n' + GOOD)
    message = broken_message(path)
    assert "title" in message
    missing = tmp_path / "nowhere.toml"
    assert str(missing) in broken_message(missing)


# --- the user's override file --------------------------------------------------------


@pytest.fixture
def shipped_is_small(monkeypatch: pytest.MonkeyPatch, small_catalog_path: Path) -> Path:
    """Use the small test catalog as "the shipped one" (the real one is not ours to pin)."""
    monkeypatch.setattr(catalog_files, "shipped_catalog_path", lambda: small_catalog_path)
    return small_catalog_path


def write_override(text: str) -> Path:
    path = user_override_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_override_path_is_in_the_private_config_dir(private_dirs: Path) -> None:
    assert user_override_path().is_relative_to(private_dirs)


def test_override_changes_a_field_adds_and_drops(shipped_is_small: Path) -> None:
    override = write_override(
        '[[habit]]\nid = "bird-dog"\nname = "Bird-dog, slowly"\ndose = { sets = 2, reps = 6 }\n'
        '\n[[habit]]\nid = "firm-chair"\nenabled = false\n'
        '\n[[habit]]\nid = "ghost"\nenabled = false\n'  # not in the catalog: nothing to do
        + GOOD.split("\n\n")[1]  # beta, a whole new entry
    )
    loaded = load_catalog()
    assert loaded.sources == (shipped_is_small, override)
    assert [h.id for h in loaded.habits] == ["stand-up", "bird-dog", "walk", "superman", "beta"]
    bird_dog = loaded.get("bird-dog")
    assert bird_dog is not None
    assert bird_dog.name == "Bird-dog, slowly"
    # A field is replaced as a whole; the other fields keep the shipped values.
    assert bird_dog.dose == Dose(sets=2, reps=6)
    assert bird_dog.kind == "strength"
    assert bird_dog.evidence == "trial"
    assert loaded.get("firm-chair") is None


def test_explicit_override_path(shipped_is_small: Path, tmp_path: Path) -> None:
    override = write(tmp_path, '[[habit]]\nid = "walk"\nschedule = { per_week = 5 }\n', "mine.toml")
    loaded = load_catalog(overrides=override)
    walk = loaded.get("walk")
    assert walk is not None and walk.schedule == PerWeekSchedule(per_week=5)


def test_override_that_breaks_an_entry_names_the_override_file(shipped_is_small: Path) -> None:
    override = write_override('[[habit]]\nid = "bird-dog"\n\nkind = "yoga"\n')
    with pytest.raises(CatalogError) as info:
        load_catalog()
    message = str(info.value)
    assert message.startswith(f"{override}:4: ")
    assert "'bird-dog'" in message
    assert "'kind'" in message
    assert str(shipped_is_small) not in message


def test_override_new_entry_missing_fields(shipped_is_small: Path) -> None:
    override = write_override('[[habit]]\nid = "new-one"\nname = "New"\n')
    with pytest.raises(CatalogError) as info:
        load_catalog()
    assert str(info.value).startswith(f"{override}:1: habit 'new-one': field ")


def test_override_without_id(shipped_is_small: Path) -> None:
    override = write_override('[[habit]]\nname = "Nameless"\n')
    with pytest.raises(CatalogError) as info:
        load_catalog()
    message = str(info.value)
    assert message.startswith(f"{override}:1: ")
    assert "'id'" in message


def test_catalog_option_replaces_and_ignores_overrides(small_catalog_path: Path) -> None:
    # An override that would add a habit and break another: both ignored by --catalog.
    write_override(GOOD.split("\n\n")[1] + '\n[[habit]]\nid = "walk"\nkind = "yoga"\n')
    loaded = load_catalog(small_catalog_path)
    assert loaded.sources == (small_catalog_path,)
    assert loaded.get("beta") is None
    walk = loaded.get("walk")
    assert walk is not None and walk.kind == "cardio"


# --- dose -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "text"),
    [
        (Dose(sets=3, reps=10, hold_seconds=5, per_side=True), "3 x 10, hold 5 s, each side"),
        (Dose(reps=12), "12 reps"),
        (Dose(sets=2), "2 sets"),
        (Dose(minutes=30), "30 min"),
        (Dose(hold_seconds=10, per_side=True), "hold 10 s, each side"),
        (Dose(sets=2, reps=8), "2 x 8"),
        (Dose(), ""),
    ],
)
def test_dose_as_text(dose: Dose, text: str) -> None:
    assert dose.as_text() == text
