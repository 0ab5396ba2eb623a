"""Every change can be undone and redone, completions included (points reversed exactly)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.errors import ValidationError
from momentum_app.core.services import Momentum
from momentum_app.gui.changes import ItemRef

pytestmark = pytest.mark.gui


def ledger_total(gui) -> int:
    rows = gui.momentum.reads.history(limit=None)
    return sum(r.signed_points for r in rows)


def test_add_undo_redo(gui):
    stack = gui.controller.undo_stack
    task = gui.controller.add_task("Water the plants")
    stack.undo()
    assert gui.momentum.items.list_tasks() == []
    stack.redo()
    assert [t.id for t in gui.momentum.items.list_tasks()] == [task.id]


def test_delete_undo_restores(gui):
    task = gui.controller.add_task("Call mum")
    gui.controller.delete(ItemRef(Kind.TASK, task.id))
    assert gui.momentum.items.list_tasks() == []
    gui.controller.undo_stack.undo()
    assert gui.momentum.items.get(Kind.TASK, task.id).title == "Call mum"


def test_edit_undo_edits_back(gui):
    task = gui.controller.add_task("Draft", complexity=2, notes="first")
    ref = ItemRef(Kind.TASK, task.id)
    gui.controller.edit(ref, title="Final", complexity=4, notes="second", repeat="FREQ=WEEKLY")
    assert gui.controller.undo_stack.undoText() == "Edit “Final”"
    gui.controller.undo_stack.undo()
    back = gui.momentum.items.get(Kind.TASK, task.id)
    assert (back.title, back.complexity, back.notes, back.repeat) == ("Draft", 2, "first", None)
    gui.controller.undo_stack.redo()
    assert gui.momentum.items.get(Kind.TASK, task.id).title == "Final"


def test_an_edit_that_changes_nothing_is_not_recorded(gui):
    task = gui.controller.add_task("Same")
    count = gui.controller.undo_stack.count()
    gui.controller.edit(ItemRef(Kind.TASK, task.id), title="Same")
    assert gui.controller.undo_stack.count() == count


def test_completion_undo_reverses_points_exactly(gui):
    goal = gui.controller.add_goal("Learn Qt")
    step = gui.controller.add_step(goal.id, "Read the docs")
    before = ledger_total(gui)
    done = gui.controller.complete(ItemRef(Kind.STEP, step.id))
    assert done.outcome.points_awarded > 0
    gui.controller.undo_stack.undo()
    assert gui.momentum.items.get(Kind.STEP, step.id).status == "open"
    assert ledger_total(gui) == before == gui.momentum.reads.progress().total_points
    gui.controller.undo_stack.redo()
    assert gui.momentum.items.get(Kind.STEP, step.id).status == "done"


def test_redo_of_a_backdated_completion_keeps_its_instant(gui):
    task = gui.controller.add_task("Yesterday's work")
    when = datetime(2026, 1, 4, 18, 30, tzinfo=timezone.utc)
    gui.controller.complete(ItemRef(Kind.TASK, task.id), at=when)
    gui.controller.undo_stack.undo()
    gui.controller.undo_stack.redo()
    assert gui.momentum.items.get(Kind.TASK, task.id).completed_at == when


def test_reopen_is_undoable_too(gui):
    task = gui.controller.add_task("Ship it")
    ref = ItemRef(Kind.TASK, task.id)
    gui.controller.complete(ref)
    gui.controller.reopen(ref)
    gui.controller.undo_stack.undo()
    assert gui.momentum.items.get(Kind.TASK, ref.id).status == "done"


def test_bad_input_raises_and_leaves_the_stack_alone(gui):
    with pytest.raises(ValidationError) as error:
        gui.controller.add_task("   ")
    assert error.value.field == "title"
    assert gui.controller.undo_stack.count() == 0


def test_a_change_behind_the_windows_back_is_undone_first(gui):
    """The history is the core's: a change made past the window is the latest one."""
    task = gui.controller.add_task("Fragile")
    gui.momentum.items.delete(Kind.TASK, task.id)
    gui.controller.undo_stack.refresh()
    assert gui.controller.undo_stack.undoText() == "Delete “Fragile”"
    gui.controller.undo_stack.undo()
    assert gui.momentum.items.get(Kind.TASK, task.id).title == "Fragile"


def test_an_undo_that_fails_is_reported_not_raised(gui, qtbot):
    gui.controller.add_profile("Bob", timezone="UTC")
    # Bob's own data, made past this window: his profile is no longer removed by an undo
    Momentum(gui.momentum.db, gui.momentum.clock, "Bob").items.add_task("Bob's own")
    with qtbot.waitSignal(gui.controller.failed) as failure:
        gui.controller.undo_stack.undo()
    assert "Could not undo" in failure.args[0] and "own data" in failure.args[0]
    assert "Bob" in [p.name for p in gui.momentum.profiles.list()]
    assert not gui.controller.undo_stack.canUndo()  # taken off the history


def test_project_changes_are_undoable(gui):
    gui.controller.add_project("Garden")
    gui.controller.set_goals_enabled("Garden", False)
    gui.controller.undo_stack.undo()
    assert next(p for p in gui.momentum.projects.list() if p.name == "Garden").goals_enabled
    gui.controller.undo_stack.undo()
    assert "Garden" not in [p.name for p in gui.momentum.projects.list()]


def test_each_mutation_is_broadcast_exactly_once(gui):
    seen = []
    gui.ctx.changes.changed.connect(seen.append)
    task = gui.controller.add_task("Once")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    gui.controller.undo_stack.undo()
    assert len(seen) == 3
    assert seen[1].outcome is not None and seen[1].announce
    assert seen[2].outcome is not None and not seen[2].announce


def test_undoing_a_repeating_completion_takes_back_its_next_occurrence(gui):
    task = gui.controller.add_task("Water the plants", repeat="weekly", due="2026-01-05")
    ref = ItemRef(Kind.TASK, task.id)
    done = gui.controller.complete(ref)
    assert done.spawned is not None and str(done.spawned.due) == "2026-01-12"
    stack = gui.controller.undo_stack
    stack.undo()
    open_tasks = gui.momentum.items.list_tasks(status="open")
    assert [(t.id, t.repeat) for t in open_tasks] == [(task.id, "FREQ=WEEKLY")]
    stack.redo()
    titles = [(t.status, str(t.due)) for t in gui.momentum.items.list_tasks(status="all")]
    assert titles == [("done", "2026-01-05"), ("open", "2026-01-12")]
    assert ledger_total(gui) == gui.momentum.reads.progress().total_points
