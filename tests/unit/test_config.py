"""config.toml: defaults when missing, a one-line ConfigError naming file and key when broken."""

from __future__ import annotations

import tempfile
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from store.errors import ConfigError, UserError
from tests.toml_text import toml_string, toml_value
from tui.config import EXAMPLE, Config, NotifyChannels, Reminder, config_path, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_means_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nowhere" / "config.toml")
    assert config == Config()
    assert config.sit_limit == timedelta(minutes=30)
    assert config.remind_every == timedelta(minutes=5)
    assert config.break_length == timedelta(minutes=3)
    assert config.notify == NotifyChannels(toast=True, bell=True, desktop=True)
    assert config.reminder == []


def test_without_a_path_it_reads_the_user_config_dir(private_dirs: Path) -> None:
    assert config_path() == private_dirs / "config" / "upright" / "config.toml"
    assert load_config() == Config()
    config_path().parent.mkdir(parents=True)
    config_path().write_text("break_minutes = 4\n", encoding="utf-8")
    assert load_config().break_length == timedelta(minutes=4)


def test_the_documented_example_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, EXAMPLE))
    assert config.sit_limit_minutes == 30
    assert config.reminder == [Reminder(at=time(18, 0), text="Evening exercises are still open")]


def test_a_valid_file(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
sit_limit_minutes = 45
remind_every_minutes = 10
break_minutes = 2

[notify]
bell = false
desktop = false

[[reminder]]
at = "07:30"
text = "Morning stretches"

[[reminder]]
at = 21:00:00
""",
        )
    )
    assert config.sit_limit == timedelta(minutes=45)
    assert config.remind_every == timedelta(minutes=10)
    assert config.break_length == timedelta(minutes=2)
    assert config.notify == NotifyChannels(toast=True, bell=False, desktop=False)
    assert [(r.at, r.text) for r in config.reminder] == [
        (time(7, 30), "Morning stretches"),
        (time(21, 0), "Some of today's habits are still open"),
    ]


def test_broken_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "sit_limit_minutes = = 30\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: invalid TOML")
    assert "line 1" in message
    assert "\n" not in message
    assert isinstance(caught.value, UserError)  # the command line turns it into exit code 2


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'sit_limit_minutes = "\xff"\n')
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "key", "why"),
    [
        ("sit_limit_minutes = 10\n", "sit_limit_minutes", "greater than or equal to 20"),
        ("sit_limit_minutes = 91\n", "sit_limit_minutes", "less than or equal to 90"),
        ('sit_limit_minutes = "thirty"\n', "sit_limit_minutes", "integer"),
        ("remind_every_minutes = 0\n", "remind_every_minutes", "greater than or equal to 1"),
        ("break_minutes = 31\n", "break_minutes", "less than or equal to 30"),
        # Weeks are ISO weeks (Monday first) everywhere, so Today agrees with `upright stats`.
        ('week_start = "sunday"\n', "week_start", "is not a known key"),
        ('[notify]\nbell = "loud"\n', "notify.bell", "boolean"),
        ('colour = "blue"\n', "colour", "is not a known key"),
        ("[notify]\nsms = true\n", "notify.sms", "is not a known key"),
        ('[[reminder]]\nat = "25:00"\n', "reminder.0.at", 'must be a time like "18:00"'),
        ('[[reminder]]\nat = "6pm"\n', "reminder.0.at", 'must be a time like "18:00"'),
        ('[[reminder]]\ntext = "no time"\n', "reminder.0.at", "Field required"),
        ('[[reminder]]\nat = "18:00"\ntext = ""\n', "reminder.0.text", "at least 1 character"),
        ('[[reminder]]\nat = "18:00"\nwhen = "daily"\n', "reminder.0.when", "is not a known key"),
    ],
)
def test_a_bad_value_is_a_config_error_naming_the_key(
    tmp_path: Path, text: str, key: str, why: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: key {key!r}: ")
    assert why in message
    assert "\n" not in message


# --- any TOML document either loads or is a ConfigError ---------------------------------


KNOWN_KEYS = (
    "sit_limit_minutes",
    "remind_every_minutes",
    "break_minutes",
    "week_start",
    "notify",
    "reminder",
    "toast",
    "bell",
    "desktop",
    "at",
    "text",
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
KEYS = st.sampled_from(KNOWN_KEYS) | TEXT
SCALARS = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.integers(min_value=0, max_value=100)
    | st.floats()
    | TEXT
    | st.sampled_from(["monday", "sunday", "18:00", "25:00", "07:30:15", "", "noon"])
    | st.times()
    | st.dates()
    | st.datetimes()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


# Mostly right documents, so that the loading side gets exercised too.
NEAR_VALID = st.fixed_dictionaries(
    {},
    optional={
        "sit_limit_minutes": st.integers(min_value=0, max_value=120),
        "remind_every_minutes": st.integers(min_value=-1, max_value=61),
        "break_minutes": st.integers(min_value=0, max_value=31) | st.floats(0, 31),
        "notify": st.fixed_dictionaries(
            {},
            optional={
                "toast": st.booleans(),
                "bell": st.booleans() | TEXT,
                "desktop": st.booleans(),
            },
        ),
        "reminder": st.lists(
            st.fixed_dictionaries(
                {"at": st.sampled_from(["18:00", "25:00", "7:30", "07:30"]) | st.times()},
                optional={"text": TEXT},
            ),
            max_size=3,
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6) | NEAR_VALID)
def test_any_document_loads_or_is_a_config_error(document: dict[str, Any]) -> None:
    text = "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in document.items())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(text, encoding="utf-8")
        try:
            config = load_config(path)
        except ConfigError as exc:
            event("refused")
            message = str(exc)
            assert message.startswith(f"{path}: ")
            assert "\n" not in message
        else:
            event("loaded")
            assert isinstance(config, Config)
            assert 20 <= config.sit_limit_minutes <= 90
