"""config.toml: the stand-up timer's limits, notification channels and reminders.

Lives in the user's config dir. A broken file is an error naming the key;
the defaults are never silently used in its place. No Textual import.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from store.errors import ConfigError
from store.toml_file import read_toml

EXAMPLE = """\
# upright configuration (all keys optional)
sit_limit_minutes = 30      # 20-90: remind me to stand after this long
remind_every_minutes = 5    # remind again while still sitting
break_minutes = 3           # away this long counts as a real break

[notify]
toast = true
bell = true
desktop = true              # the notification server over D-Bus; osascript on macOS

[[reminder]]
at = "18:00"
text = "Evening exercises are still open"
"""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotifyChannels(_Strict):
    toast: bool = True
    bell: bool = True
    desktop: bool = True


class Reminder(_Strict):
    """A calendar reminder: fires at `at` if something on the day's list is still open."""

    at: time
    text: Annotated[str, Field(min_length=1, max_length=200)] = (
        "Some of today's habits are still open"
    )

    @field_validator("at", mode="before")
    @classmethod
    def _parse_at(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return time.fromisoformat(value)
            except ValueError:
                raise ValueError('must be a time like "18:00"') from None
        return value


class Config(_Strict):
    sit_limit_minutes: Annotated[int, Field(ge=20, le=90)] = 30
    remind_every_minutes: Annotated[int, Field(ge=1, le=60)] = 5
    break_minutes: Annotated[int, Field(ge=1, le=30)] = 3
    notify: NotifyChannels = NotifyChannels()
    reminder: list[Reminder] = []

    @property
    def sit_limit(self) -> timedelta:
        return timedelta(minutes=self.sit_limit_minutes)

    @property
    def remind_every(self) -> timedelta:
        return timedelta(minutes=self.remind_every_minutes)

    @property
    def break_length(self) -> timedelta:
        return timedelta(minutes=self.break_minutes)


def config_path() -> Path:
    return platformdirs.user_config_path("upright") / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read config.toml; a missing file means the defaults, a broken one is a ConfigError."""
    path = path or config_path()
    try:
        data, _text = read_toml(path, ConfigError)
    except FileNotFoundError:
        return Config()
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "is not a known key"
        message = message.removeprefix("Value error, ")
        raise ConfigError(f"{path}: key {key!r}: {message}") from None
