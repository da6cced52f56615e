"""Text the user typed (notes, catalog and config strings), made safe to show. No Textual.

It is stored exactly as typed (and `export --format json` keeps it so), but it never
reaches a terminal raw: a note holding `ESC ] 0 ; ... BEL` would retitle the terminal,
`ESC [ 2 J` would wipe it, and `[bold red]` would be read as markup. Everywhere user
text is shown (the dashboard, the command line's text output, CSV) it goes through here:

- `safe_text`: every control character becomes a visible one. C0 (U+0000-U+001F) and
  DEL as their Unicode "control picture" (ESC -> ␛, BEL -> ␇, newline -> ␊, DEL -> ␡);
  a C1 control (U+0080-U+009F, which some terminals obey) as ␛ and its 7-bit equivalent
  (CSI U+009B -> "␛["), as ISO 6429 defines them. What follows an ESC is printable text
  and stays, so `ESC ] 0 ; PWNED BEL` shows as "␛]0;PWNED␇".
- `safe_markup`: `safe_text`, then escaped for Textual's markup (`Static`, `notify`).
  Textual's own `escape` (like Rich's, which it copies) only escapes `[` before
  `[a-z#/@]`: Textual's parser also reads `[$warning]`, `[B]` and `[ bold]` as tags,
  and it takes a backslash before anything but `[` literally. So every `[` gets one
  backslash; a backslash ending the text gets a zero-width space after it, or it would
  escape the `[` of the markup that follows (Textual has no escape for a backslash).
  Rich's markup (a `DataTable` str cell) is not Textual's: hand tables
  `rich.text.Text(safe_text(...))`, never markup.
- `one_line`: `safe_text` cut to a width with an ellipsis, cheap for any length.
- `csv_cell`: OWASP's advice for CSV injection: a cell starting with `=`, `+`, `-`,
  `@`, tab or carriage return gets a leading `'` (the writer quotes text fields).
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
ZERO_WIDTH_SPACE = "\u200b"

# C0, DEL and C1 (surrogates from undecodable bytes cannot reach here: the command line
# refuses arguments that are not UTF-8, and SQLite stores UTF-8).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_KEEP_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\u241b" + chr(code - 0x40)


def safe_text(text: str, keep_layout: bool = False) -> str:
    """`text` with every control character shown as a visible one (see the module's
    docstring); `keep_layout` keeps tab and newline (multi-line text, CSV cells)."""
    return (_KEEP_LAYOUT if keep_layout else _CONTROLS).sub(_picture, text)


def safe_markup(text: str, keep_layout: bool = False) -> str:
    """`safe_text`, escaped to be put inside Textual markup: shown exactly, never a tag."""
    markup = safe_text(text, keep_layout).replace("[", "\\[")
    return markup + ZERO_WIDTH_SPACE if markup.endswith("\\") else markup


def one_line(text: str, width: int) -> str:
    """`text` as one line of at most `width` characters, cut with an ellipsis.

    Cut before it is made safe, so a note of any length costs the same; each control
    becomes one character (a picture) or two (a C1), so the result may be a little
    longer than `width` only if the cut part holds C1 controls.
    """
    if len(text) > width:
        text = text[: max(width - 1, 0)] + ELLIPSIS
    return safe_text(text)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell for CSV: a formula start neutralised with `'`, controls made visible
    (tab and newline kept; the CSV writer quotes the field)."""
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return safe_text(text, keep_layout=True)
