"""The typed change record (issue 15): ``history.perform`` says what an action changed —
scopes as an ``enum.Flag``, the rows touched, the initiator — from what it recorded, and
an undo reports the same footprint."""

from __future__ import annotations

from momentum_app.core.catalog import Kind
from momentum_app.core.services import Momentum
from momentum_app.core.services.changes import OpChanges, Scope


def test_a_completion_touches_its_task_and_the_progress(app: Momentum) -> None:
    task = app.items.add_task("Write")
    view = object()
    record = app.history.perform(lambda: app.items.complete(Kind.TASK, task.id), view)
    assert isinstance(record, OpChanges)
    assert record.touches(Scope.TASKS) and record.touches(Scope.PROGRESS)
    assert not record.touches(Scope.REWARDS | Scope.SETTINGS)
    assert record.ids("tasks") == {task.id}
    assert record.initiator is view
    assert record.outcome is record.result.outcome  # the Completed rides on the record
    assert record.result.item.status == "done"
    assert record.entry_id == app.history.status().undo_id
    undone = app.history.undo()
    assert undone.changes.scopes == record.scopes
    assert undone.changes.touched == record.touched
    assert undone.changes.outcome is not None and undone.changes.outcome.points_awarded < 0


def test_scopes_follow_the_tables(app: Momentum) -> None:
    assert app.history.perform(lambda: app.projects.add("Garden")).scopes == (
        Scope.PROJECTS | Scope.TASKS)
    reward = app.history.perform(lambda: app.rewards.add("Tea", 3))
    assert reward.scopes == Scope.REWARDS | Scope.PROFILE
    typed = app.history.perform(lambda: app.events.add_type("ran", 5))
    assert typed.scopes == Scope.SETTINGS
    logged = app.history.perform(lambda: app.events.process_event("ran"))
    assert logged.touches(Scope.PROGRESS) and logged.outcome is not None
    settings = app.history.perform(lambda: app.profiles.update(daily_target=4))
    assert settings.scopes == Scope.EVERYTHING  # a zone or day start moves every screen


def test_nothing_changed_is_an_empty_record(app: Momentum) -> None:
    task = app.items.add_task("Same")
    same = app.history.perform(lambda: app.items.edit_task(task.id, title="Same"))
    assert same.scopes == Scope.NONE and same.entry_id is None
