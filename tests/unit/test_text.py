"""tui/views/text.py: user text shown safely (controls visible, markup literal) and CSV cells."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.content import Content

from tui.views.text import csv_cell, one_line, safe_markup, safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("ordinary text, ünïcode ✔", "ordinary text, ünïcode ✔"),
        ("\x1b]0;PWNED\x07\x1b[2J", "\u241b]0;PWNED\u2407\u241b[2J"),
        ("a\nb\tc\rd", "a\u240ab\u2409c\u240dd"),
        ("\x00\x7f", "\u2400\u2421"),
        ("\x9b2J", "\u241b[2J"),  # C1 CSI: ESC and its 7-bit equivalent
        ("[bold red]x[/]", "[bold red]x[/]"),  # markup is safe_markup's job
    ],
)
def test_safe_text_shows_every_control(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


def test_safe_text_can_keep_layout() -> None:
    assert safe_text("a\nb\tc\x1b", keep_layout=True) == "a\nb\tc\u241b"


@pytest.mark.parametrize(
    "raw",
    [
        "[bold red]x[/]",
        "[$warning]y[/]",
        "[B]z",
        "[ bold]w",
        "[@click=app.quit]q[/]",
        "\\[bold]x",
        "ends with a backslash\\",
        "x[1]y and $accent",
    ],
)
def test_safe_markup_shows_markup_literally(raw: str) -> None:
    for wrap in ("{}", "[b]{}[/b]", "[dim]{}[/dim] [b]after[/b]"):
        plain = Content.from_markup(wrap.format(safe_markup(raw))).plain
        assert plain.replace("\u200b", "") == wrap.replace("[b]", "").replace("[/b]", "").replace(
            "[dim]", ""
        ).replace("[/dim]", "").format(raw)


def test_textual_escape_is_not_enough() -> None:
    """Why safe_markup does not use textual.markup.escape (nor rich's, the same regex)."""
    from textual.markup import escape

    assert Content.from_markup(escape("[$warning]y[/]")).plain != "[$warning]y[/]"
    assert Text.from_markup("\\[bold]x").plain != "\\[bold]x"  # Rich's parser differs


def test_one_line_cuts_with_an_ellipsis() -> None:
    assert one_line("short", 10) == "short"
    assert one_line("x" * 130_000, 10) == "x" * 9 + "…"
    assert one_line("a\nb" * 10, 5) == "a\u240aba…"


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\u240dx"),
        ("ordinary, text", "ordinary, text"),
        ("2026-03-04", "2026-03-04"),
        ("a=b", "a=b"),
        ("", ""),
        ("line one\nline two", "line one\nline two"),
        ("\x1b[2J", "\u241b[2J"),
    ],
)
def test_csv_cell_neutralises_formulas(raw: str, cell: str) -> None:
    assert csv_cell(raw) == cell
