"""The start-up pause of the garbage collector and its tuning for the day-long app."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui import gc_pause


@pytest.fixture
def restore_gc() -> Iterator[None]:
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_pause_then_resume_restores_collection(restore_gc: None) -> None:
    gc.enable()
    threshold = gc.get_threshold()
    gc_pause.pause()
    assert not gc.isenabled()
    gc_pause.resume()
    assert gc.isenabled()
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0


def test_resume_never_enables_a_collector_someone_else_disabled(restore_gc: None) -> None:
    gc.disable()
    gc_pause.pause()  # not ours to resume
    gc_pause.resume(long_running=True)
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_long_running_freezes_start_up_objects_and_spaces_full_collections(
    restore_gc: None,
) -> None:
    gc.enable()
    gc_pause.pause()
    built_at_start_up = [object() for _ in range(10)], {"a": [1, 2]}
    gc_pause.resume(long_running=True)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == gc_pause.FULL_COLLECTION_EVERY
    assert built_at_start_up  # kept alive through the freeze


def test_before_exit_hides_every_object_from_the_last_collection(restore_gc: None) -> None:
    alive = [object() for _ in range(10)]
    tracked = len(gc.get_objects())
    gc_pause.before_exit()
    assert gc.get_freeze_count() >= tracked
    assert alive
