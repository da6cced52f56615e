"""The garbage collector, paused while upright starts.

Start-up imports Textual, SQLAlchemy and pydantic: hundreds of thousands of
long-lived objects and next to no garbage, so the collector's passes over
them are wasted work (about a tenth of start-up). `pause()` stops it for the
imports. `resume(freeze=True)` first moves everything built so far out of
the collector's sight (`gc.freeze`), so its later passes, while the app sits
open all day, skip the libraries' objects too.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection, unless someone else already has."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(freeze: bool = False) -> None:
    """Start collection again if `pause()` stopped it; a no-op otherwise."""
    global _paused
    if not _paused:
        return
    _paused = False
    if freeze:
        gc.freeze()
    gc.enable()
