"""The garbage collector, paused while upright starts and tuned for a day-long run.

Start-up imports Textual, SQLAlchemy and pydantic: hundreds of thousands of
long-lived objects and next to no garbage, so the collector's passes over
them are wasted work (about a tenth of start-up). `pause()` stops it for the
imports. `resume(long_running=True)`, once the app has loaded, moves
everything built so far out of the collector's sight (`gc.freeze`) and
makes full collections ten times rarer: a full pass walks every object
Textual keeps (style and line caches, ~150,000 objects, 100-150 ms on a slow
machine), which showed as a stalled keypress about once every ten keys.
The young generations, where nearly all garbage dies, collect as before.

`before_exit()` spares the process the same walk once more on the way out:
Python's shutdown collects everything it can still see, ~70 ms for
SQLAlchemy's and pydantic's object graphs alone, the better part of what a
command-line call like `upright pain 4` costs over importing sqlmodel.
"""

from __future__ import annotations

import gc

# Middle-generation collections per full collection (Python's default: 10).
FULL_COLLECTION_EVERY = 100

_paused = False


def pause() -> None:
    """Stop automatic collection, unless someone else already has."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(long_running: bool = False) -> None:
    """Start collection again if `pause()` stopped it; a no-op otherwise."""
    global _paused
    if not _paused:
        return
    _paused = False
    if long_running:
        gc.freeze()
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    gc.enable()


def before_exit() -> None:
    """Hide every object from the collection Python runs while shutting down.

    Call it as the last thing before the process exits, with the database
    closed and output written. Nothing is lost: the operating system takes the
    memory back, stdout is still flushed and atexit handlers still run; only
    objects kept alive by reference cycles are not finalized, and upright
    closes its database connections explicitly (they check-point the WAL).
    """
    gc.freeze()
