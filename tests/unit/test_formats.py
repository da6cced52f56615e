"""tui/views/formats.py: one way to write a share and a length of time; store.plan's window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.plan import window_start
from tui.views.formats import NO_VALUE, duration_text, percent_text


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (None, NO_VALUE),
        (0.0, "0%"),
        (0.456, "46%"),
        (1 / 3, "33%"),
        (0.8, "80%"),
        (1.0, "100%"),
    ],
)
def test_percent_text(share: float | None, text: str) -> None:
    assert percent_text(share) == text


def test_percent_text_says_no_value_as_asked() -> None:
    assert percent_text(None, missing="-") == "-"


@pytest.mark.parametrize(
    ("minutes", "long", "short"),
    [
        (0, "0 min", "0m"),
        (4.4, "4 min", "4m"),
        (4.6, "5 min", "5m"),
        (59.4, "59 min", "59m"),
        (60, "1 h 00 min", "1h 00m"),
        (95, "1 h 35 min", "1h 35m"),
        (605, "10 h 05 min", "10h 05m"),
    ],
)
def test_duration_text_rounds_minutes(minutes: float, long: str, short: str) -> None:
    assert duration_text(minutes) == long
    assert duration_text(minutes, short=True) == short


@pytest.mark.parametrize(
    ("length", "text"),
    [
        (timedelta(seconds=-5), "0 min"),
        (timedelta(seconds=59), "0 min"),
        (timedelta(minutes=29, seconds=59), "29 min"),
        (timedelta(minutes=30), "30 min"),
        (timedelta(minutes=65, seconds=30), "1 h 05 min"),
    ],
)
def test_duration_text_counts_a_clocks_whole_minutes(length: timedelta, text: str) -> None:
    assert duration_text(length) == text


def test_window_start_is_the_monday_weeks_minus_one_before() -> None:
    wednesday = date(2026, 3, 4)
    assert window_start(wednesday, 1) == date(2026, 3, 2)
    assert window_start(wednesday, 3) == date(2026, 2, 16)
    assert window_start(date(2026, 3, 2), 1) == date(2026, 3, 2)
    with pytest.raises(ValueError):
        window_start(wednesday, 0)
