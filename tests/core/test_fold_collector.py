"""A fold pauses Python's cyclic garbage collector and leaves it as it found it: on when
it was on (also after a fold that raised, and after nested folds), off when it was off.
The collector is process-wide, so a fold that left it off would change every later
allocation of the app; one that turned it on would undo a caller's choice."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from momentum_app.core.engine.state import Settings, empty_state
from momentum_app.core.engine.step import Definitions, EventIn, collection_paused, fold
from momentum_app.core.errors import ValidationError

PID = 1
DEFS = Definitions(initial_settings={PID: Settings(PID, "UTC", 0, 3, frozenset(), ())})
AT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def events(seen: list[bool], bad: bool = False) -> Iterator[EventIn]:
    for n in range(1, 4):
        seen.append(gc.isenabled())
        meta = {"item_id": n, "complexity": 9 if bad and n == 3 else 2}
        yield EventIn(n, PID, f"k{n}", "task_completion", AT, AT.date(), AT, meta)


def test_a_fold_runs_without_the_collector_and_turns_it_back_on() -> None:
    assert gc.isenabled()
    seen: list[bool] = []
    fold(empty_state(), events(seen), DEFS)
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_a_fold_that_raises_and_nested_folds_leave_it_on() -> None:
    with pytest.raises(ValidationError):
        fold(empty_state(), events([], bad=True), DEFS)
    assert gc.isenabled()
    with collection_paused():
        fold(empty_state(), events([]), DEFS)
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_fold_leaves_it_off_when_it_was_off() -> None:
    gc.disable()
    try:
        fold(empty_state(), events([]), DEFS)
        assert not gc.isenabled()
    finally:
        gc.enable()
