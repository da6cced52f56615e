"""How much text upright takes in. No imports: the command line checks before opening anything.

A note is a line or two about a day's pain; a catalog or config.toml is a few kB. The
limits are far above any real use and far below what would slow a tick or fill memory.
"""

from __future__ import annotations

# A pain note, in characters (the store refuses longer; the pain form stops at 200).
MAX_NOTE_CHARS = 2000

# A catalog (exercises.toml) or config.toml, in bytes: the shipped catalog is ~40 kB.
MAX_TOML_BYTES = 4 * 1024 * 1024


def note_too_long(note: str | None) -> str | None:
    """The one-line reason a note is refused, or None if it is fine."""
    if note is not None and len(note) > MAX_NOTE_CHARS:
        return f"a note is at most {MAX_NOTE_CHARS} characters, not {len(note)}"
    return None
