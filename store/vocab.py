"""The words upright stores and shows: one enum per kind of word.

StrEnums, so a member is the very string stored in SQLite, printed by the
command line and written in JSON and CSV: no migration, no change of output.
No imports besides enum: the statistics, the stand-up timer's state machine and
the widgets use these without loading anything else of the store.
"""

from enum import StrEnum


class CheckInStatus(StrEnum):
    """A habit's status on a day. DONE and SKIPPED are stored; OPEN is a due day's
    row with no check-in (what the checklist and `upright today` show)."""

    DONE = "done"
    SKIPPED = "skipped"  # a flare day: neither counted nor breaking a streak
    OPEN = "open"


# What a check-in row may hold (OPEN is the absence of one).
STORED_STATUSES = (CheckInStatus.DONE, CheckInStatus.SKIPPED)


class SpellEnding(StrEnum):
    """Why a sitting spell ended."""

    BREAK = "break"
    IDLE = "idle"
    SUSPEND = "suspend"
    QUIT = "quit"
    PAUSE = "pause"
    # The dashboard stopped without closing it (SIGKILL, a crash, power loss): the
    # spell ended at the last time it was stored as open (see Store.save_spell).
    INTERRUPTED = "interrupted"


class PainContext(StrEnum):
    """When a pain score was taken."""

    MORNING = "morning"
    DURING_EXERCISE = "during-exercise"
    EVENING = "evening"


class HabitKind(StrEnum):
    """What sort of habit a catalog entry is; posture habits head the checklist."""

    POSTURE = "posture"
    STRENGTH = "strength"
    STRETCH = "stretch"
    MOBILITY = "mobility"
    CARDIO = "cardio"


class PainDirection(StrEnum):
    """Which way mean pain moved between two stretches of days."""

    BETTER = "better"  # less pain
    WORSE = "worse"


class Suggestion(StrEnum):
    """What the coach suggests for an exercise (store/coach.py)."""

    PROGRESS = "progress"  # the next level up
    HOLD = "hold"  # stay at this level
    REDUCE = "reduce"  # the level below
    REST = "rest"  # at the lowest level already: a rest day


class BackupKind(StrEnum):
    """What a copy in the backups folder is for: the last word of its file name."""

    DAILY = "daily"  # made before the day's first write
    WEEKLY = "weekly"  # the first daily copy of an ISO week, kept longer
    MANUAL = "manual"  # `upright backup`
    BEFORE_RESTORE = "before-restore"  # what `upright restore` replaced
