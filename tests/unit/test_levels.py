"""Exercise levels: the catalog's ladders, the level history in the store, and the
pain a session caused (check_in.pain_during)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import date as D
from pathlib import Path

import pytest

from store import catalog_files
from store.catalog import load_catalog
from store.errors import CatalogError, StoreError
from store.habit_fields import Dose
from store.queries import LevelChange, Store
from store.vocab import CheckInStatus
from tests.unit.test_catalog import GOOD, broken_message, write

MON, TUE, WED, THU = (D.fromisoformat(f"2026-03-0{i}") for i in range(2, 6))
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
DONE = CheckInStatus.DONE

LADDER = """
[[habit.levels]]
sets = 3
reps = 8

[[habit.levels]]
name = "Beta on one leg"
sets = 2
reps = 6
per_side = true
how = "1. Lift on one leg."
cautions = "Hold a chair."
"""


# --- the catalog ----------------------------------------------------------------------


def test_levels_load_after_the_dose(tmp_path: Path) -> None:
    beta = load_catalog(write(tmp_path, GOOD + LADDER)).get("beta")
    assert beta is not None
    assert beta.ladder == [
        Dose(sets=2, reps=8),
        Dose(sets=3, reps=8),
        Dose(sets=2, reps=6, per_side=True),
    ]
    assert beta.level(1) is None  # level 1 is the entry itself
    three = beta.level(3)
    assert three is not None and three.name == "Beta on one leg"
    assert three.how == "1. Lift on one leg." and three.cautions == "Hold a chair."


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("reps = 6", "reps = 0"), "level 3 reps: Input should be greater than 0"),
        (("reps = 6", 'reps = "6"'), "level 3 reps: Input should be a valid integer"),
        (("per_side = true", "per_side = true\nweight = 5"), "level 3 weight: is not a known"),
        (
            ("sets = 3\nreps = 8", 'name = "Only a name"'),
            "level 2: a level needs sets, reps, hold_seconds or minutes",
        ),
    ],
)
def test_a_bad_level_names_file_line_entry_and_level(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    text = GOOD + LADDER.replace(*change)
    message = broken_message(write(tmp_path, text))
    level = 3 if "level 3" in expected else 2
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[habit.levels]]"]
    assert f":{headers[level - 2]}: habit 'beta': field 'levels': {expected}" in message


def test_a_posture_habit_has_no_levels(tmp_path: Path) -> None:
    text = GOOD.replace('kind = "strength"', 'kind = "posture"') + LADDER
    assert "habit 'beta': field 'levels': a posture habit has no levels" in broken_message(
        write(tmp_path, text)
    )


def test_a_user_catalog_overrides_the_ladder(
    small_catalog_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_files, "shipped_catalog_path", lambda: small_catalog_path)
    user = write(tmp_path, '[[habit]]\nid = "bird-dog"\n[[habit.levels]]\nreps = 20\n', "u.toml")
    bird = load_catalog(overrides=user).get("bird-dog")
    assert bird is not None
    assert bird.ladder == [Dose(sets=3, reps=10, hold_seconds=5, per_side=True), Dose(reps=20)]
    # A bad level in the override names the override file.
    user.write_text('[[habit]]\nid = "bird-dog"\n[[habit.levels]]\nreps = -2\n', "utf-8")
    with pytest.raises(
        CatalogError, match=rf"^{user}:3: habit 'bird-dog': field 'levels': level 2"
    ):
        load_catalog(overrides=user)


def test_every_default_plan_exercise_has_a_ladder_of_3_to_6() -> None:
    shipped = load_catalog()
    exercises = [h for h in shipped.habits if h.in_default_plan and h.kind != "posture"]
    assert exercises
    for habit in exercises:
        assert 3 <= len(habit.ladder) <= 6, habit.id
        texts = [dose.as_text() for dose in habit.ladder]
        assert len(set(texts)) == len(texts), f"{habit.id}: two levels with one dose"


def test_too_many_levels_is_refused(tmp_path: Path) -> None:
    text = GOOD + "\n[[habit.levels]]\nreps = 9\n" * 20
    assert "field 'levels'" in broken_message(write(tmp_path, text))


# --- the store ------------------------------------------------------------------------


def test_a_new_exercise_is_at_level_1_with_the_catalogs_dose(store: Store) -> None:
    assert store.level_history() == []
    assert store.level_on("bird-dog", WED) == 1
    [bird] = [i for i in store.today(WED) if i.id == "bird-dog"]
    assert (bird.level, bird.levels) == (1, 3)
    assert bird.dose == Dose(sets=3, reps=10, hold_seconds=5, per_side=True)


def test_a_level_holds_from_its_day_and_past_days_keep_their_dose(store: Store) -> None:
    assert store.set_level("bird-dog", 2, WED, NOW) is True
    assert store.level_history("bird-dog") == [LevelChange("bird-dog", 2, WED)]
    by_day = {day: next(i for i in store.today(day) if i.id == "bird-dog") for day in (TUE, WED)}
    assert (by_day[TUE].level, by_day[TUE].dose.hold_seconds) == (1, 5)
    assert (by_day[WED].level, by_day[WED].dose.hold_seconds) == (2, 10)
    assert store.today(WED)[2].to_json()["level"] == 2
    assert store.set_level("bird-dog", 3, THU, NOW) is True
    assert [c.level for c in store.level_history()] == [2, 3]
    assert store.level_on("bird-dog", WED) == 2 and store.level_on("bird-dog", THU) == 3


def test_setting_a_level_twice_on_a_day_keeps_one_row(store: Store) -> None:
    store.set_level("bird-dog", 2, WED, NOW)
    assert store.set_level("bird-dog", 2, WED, NOW) is False
    store.set_level("bird-dog", 3, WED, NOW)
    assert store.level_history() == [LevelChange("bird-dog", 3, WED)]
    # Back to the day's first level: nothing left to remember.
    assert store.set_level("bird-dog", 1, WED, NOW) is True
    assert store.level_history() == []
    assert store.set_level("bird-dog", 1, WED, NOW) is False


@pytest.mark.parametrize(
    ("habit", "level", "message"),
    [
        ("bird-dog", 0, "'bird-dog' has levels 1 to 3, not 0"),
        ("bird-dog", 4, "'bird-dog' has levels 1 to 3, not 4"),
        ("walk", 2, "'walk' has levels 1 to 1, not 2"),
        ("stand-up", 1, "'stand-up' is a posture habit: it has no levels"),
        ("nope", 1, "unknown habit 'nope'"),
    ],
)
def test_a_bad_level_changes_nothing(store: Store, habit: str, level: int, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        store.set_level(habit, level, WED, NOW)
    assert store.level_history() == []


def test_a_shorter_ladder_caps_the_level(store: Store, tmp_path: Path) -> None:
    store.set_level("bird-dog", 3, WED, NOW)
    small = Path(__file__).parents[1] / "data" / "small.toml"
    text = small.read_text(encoding="utf-8")
    cut = text.index('[[habit.levels]]\nname = "Bird-dog with a band"')
    rest = text[cut:].split("\n[[habit]]", 1)[1]
    store.sync_catalog(load_catalog(write(tmp_path, text[:cut] + "\n[[habit]]" + rest)), THU)
    assert store.level_on("bird-dog", THU) == 2


def test_pain_during_is_stored_with_the_check_in(store: Store) -> None:
    store.set_check_in("bird-dog", WED, DONE, NOW, pain_during=3)
    assert store.export()["check_in"][0]["pain_during"] == 3
    store.rate_session("bird-dog", WED, 10)
    [bird] = [i for i in store.today(WED) if i.id == "bird-dog"]
    assert bird.pain_during == 10
    # Ticking again keeps the rating; a skip drops it.
    store.set_check_in("bird-dog", WED, DONE, NOW)
    assert store.export()["check_in"][0]["pain_during"] == 10
    store.set_check_in("bird-dog", WED, CheckInStatus.SKIPPED, NOW)
    assert store.export()["check_in"][0]["pain_during"] is None


@pytest.mark.parametrize("bad", [11, -1, True, 2.5])
def test_a_bad_pain_rating_stores_nothing(store: Store, bad: object) -> None:
    with pytest.raises(StoreError, match="pain during must be a whole number from 0 to 10"):
        store.set_check_in("bird-dog", WED, DONE, NOW, pain_during=bad)  # type: ignore[arg-type]
    assert store.export()["check_in"] == []


def test_only_a_done_exercise_is_rated(store: Store) -> None:
    with pytest.raises(StoreError, match="not done on 2026-03-04: nothing to rate"):
        store.rate_session("bird-dog", WED, 2)
    with pytest.raises(StoreError, match="posture habit"):
        store.set_check_in("stand-up", WED, DONE, NOW, pain_during=2)
    with pytest.raises(StoreError, match="only a session that was done"):
        store.set_check_in("bird-dog", WED, CheckInStatus.SKIPPED, NOW, pain_during=2)
    assert store.export()["check_in"] == []
    store.set_check_in("bird-dog", WED - timedelta(days=1), DONE, NOW)
    assert store.export()["check_in"][0]["pain_during"] is None
