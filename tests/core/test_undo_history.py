"""Undo in the core (SPEC v2 §9, issue 15): one persistent history, every action undoable.

No Qt here: the history is the core's. Each test does an action through the services,
undoes it through ``app.history`` and checks the data (and the ledger) came back; redo
does it again. The history survives the process: a second ``Momentum`` on the same file
undoes what the first one did.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.errors import NotFoundError, ValidationError
from momentum_app.core.services import Momentum


def ledger(app: Momentum) -> int:
    rows = app.reads.history(limit=None)
    return sum(r.points if r.type == "credit" else -r.points for r in rows)


def consistent(app: Momentum) -> None:
    assert ledger(app) == app.reads.progress().total_points
    assert app.doctor.run().ok


def test_nothing_to_undo_or_redo_is_bad_input(app: Momentum) -> None:
    with pytest.raises(ValidationError, match="undo: nothing to undo"):
        app.history.undo()
    with pytest.raises(ValidationError, match="redo: nothing to redo"):
        app.history.redo()
    assert app.history.status().undo is None


def test_add_is_undone_by_a_delete_and_redone_by_a_restore(app: Momentum) -> None:
    task = app.items.add_task("Water the plants")
    assert app.history.status().undo == "Add “Water the plants”"
    done = app.history.undo()
    assert (done.action, done.label) == ("undo", "Add “Water the plants”")
    assert app.items.list_tasks() == []
    assert app.history.status().redo == "Add “Water the plants”"
    app.history.redo()
    assert [t.id for t in app.items.list_tasks()] == [task.id]


def test_completion_is_undone_by_its_reversal_exactly(app: Momentum) -> None:
    task = app.items.add_task("Write", complexity=3)
    before = ledger(app)
    done = app.items.complete(Kind.TASK, task.id)
    assert done.outcome.points_awarded > 0
    undone = app.history.undo()
    assert undone.points < 0  # the reversal's debits
    assert app.items.get(Kind.TASK, task.id).status == "open"
    assert ledger(app) == before + sum(a.points for a in done.outcome.achievements)
    consistent(app)
    redone = app.history.redo()
    assert app.items.get(Kind.TASK, task.id).status == "done"
    assert app.items.get(Kind.TASK, task.id).completed_at == done.item.completed_at
    assert redone.points == -undone.points
    consistent(app)


def test_reopen_is_undone_by_completing_at_the_same_instant(app: Momentum, clock) -> None:
    task = app.items.add_task("Ship")
    when = clock.now() - timedelta(hours=3)
    app.items.complete(Kind.TASK, task.id, at=when)
    app.items.reopen(Kind.TASK, task.id)
    app.history.undo()
    back = app.items.get(Kind.TASK, task.id)
    assert (back.status, back.completed_at) == ("done", when)
    consistent(app)


def test_a_repeating_completion_takes_its_next_occurrence_back(app: Momentum) -> None:
    task = app.items.add_task("Water", repeat="weekly", due="2026-01-05")
    done = app.items.complete(Kind.TASK, task.id)
    assert done.spawned is not None
    app.history.undo()
    assert [(t.id, t.repeat) for t in app.items.list_tasks(status="open")] == [
        (task.id, "FREQ=WEEKLY")]
    app.history.redo()  # spawns a new occurrence; undoing that takes *it* back
    assert len(app.items.list_tasks(status="open")) == 1
    app.history.undo()
    assert [(t.id, t.repeat) for t in app.items.list_tasks(status="open")] == [
        (task.id, "FREQ=WEEKLY")]
    consistent(app)


def test_an_edit_is_undone_by_the_previous_values_tags_included(app: Momentum) -> None:
    task = app.items.add_task("Draft", complexity=2, notes="first", tags=["home"],
                              due="2026-01-09")
    app.items.edit_task(task.id, title="Final", complexity=4, notes="second", due="none",
                        set_tags=["work", "urgent"], project="Garden")
    assert app.history.status().undo == "Edit “Final”"
    app.history.undo()
    back = app.items.get(Kind.TASK, task.id)
    assert (back.title, back.complexity, back.notes, str(back.due), back.tags, back.project) \
        == ("Draft", 2, "first", "2026-01-09", ("home",), "Inbox")
    # the project the edit made is taken back with it
    assert "Garden" not in [p.name for p in app.projects.list()]
    app.history.redo()
    again = app.items.get(Kind.TASK, task.id)
    assert (again.title, again.tags, again.project) == ("Final", ("urgent", "work"), "Garden")


def test_an_edit_that_changes_nothing_is_not_an_action(app: Momentum) -> None:
    task = app.items.add_task("Same")
    app.items.edit_task(task.id, title="Same")
    assert app.history.status().done == 1


def test_goal_step_slot_delete_and_restore(app: Momentum, clock) -> None:
    goal = app.items.add_goal("Learn Qt")
    step = app.items.add_step(goal.id, "Read the docs")
    start = clock.now()
    slot = app.items.add_slot("Focus", start, start + timedelta(hours=1))
    app.items.complete(Kind.STEP, step.id)
    app.items.delete(Kind.SLOT, slot.id)
    app.items.edit_goal(goal.id, title="Learn PySide6")
    for _ in range(3):
        app.history.undo()
    assert app.items.get(Kind.GOAL, goal.id).title == "Learn Qt"
    assert app.items.get(Kind.SLOT, slot.id).title == "Focus"
    assert app.items.get(Kind.STEP, step.id).status == "open"
    consistent(app)


def test_purchase_is_undone_by_a_refund_and_redone_by_buying(app: Momentum) -> None:
    task = app.items.add_task("Earn", complexity=5)
    app.items.complete(Kind.TASK, task.id)
    have = app.rewards.coins()
    app.rewards.add("Coffee", 5)
    app.rewards.buy("Coffee")
    assert app.rewards.coins() == have - 5
    assert app.history.undo().label == "Buy “Coffee”"
    assert app.rewards.coins() == have
    app.history.redo()
    assert app.rewards.coins() == have - 5
    app.history.undo()
    app.history.undo()  # the reward itself
    assert app.rewards.list() == []
    consistent(app)


def test_custom_event_is_undone_by_its_reversal(app: Momentum) -> None:
    app.events.add_type("meditated", 7)
    before = ledger(app)
    outcome = app.events.process_event("meditated")  # Settings' "Log now"
    assert outcome.points_awarded == 7
    undone = app.history.undo()
    assert (undone.label, undone.points) == ("Log “meditated”", -7)
    assert ledger(app) == before == app.reads.progress().total_points
    stats = app.reads.stats()
    assert stats.totals.points == before
    consistent(app)
    app.history.redo()
    assert ledger(app) == before + 7
    consistent(app)


def test_a_custom_reversal_cannot_be_logged_by_hand(app: Momentum) -> None:
    with pytest.raises(ValidationError, match="event_type"):
        app.events.process_event("custom_event_reversal", {"type": "x", "points": "5"})


def test_event_type_and_profile_creation_are_undoable(app: Momentum) -> None:
    app.events.add_type("stretched", 3)
    app.profiles.add("Bob", timezone="UTC")
    app.history.undo()
    assert [p.name for p in app.profiles.list()] == ["default"]
    with pytest.raises(NotFoundError):
        Momentum(app.db, app.clock, "Bob")
    app.history.undo()
    assert app.events.list_types() == []
    app.history.redo()
    app.history.redo()
    assert [p.name for p in app.profiles.list()] == ["default", "Bob"]
    assert [t.name for t in app.events.list_types()] == ["stretched"]


def test_a_profile_with_its_own_data_is_never_removed_by_undo(app: Momentum) -> None:
    app.profiles.add("Bob", timezone="UTC")
    bob = Momentum(app.db, app.clock, "Bob")
    bob.items.add_task("Bob's own")
    with pytest.raises(ValidationError, match="has its own data"):
        app.history.undo()
    assert "Bob" in [p.name for p in app.profiles.list()]
    assert app.history.status().undo is None  # taken off the history, the rest reachable


def test_custom_achievement_creation_is_undoable(app: Momentum, clock) -> None:
    app.events.add_type("big", 10_000)
    for _ in range(7):  # level 7 unlocks custom achievements
        app.events.process_event("big")
    app.history.clear()
    app.events.add_custom_achievement(name="Marathon", criteria="tasks_completed", target=500,
                                      points=10)
    assert app.history.undo().label == "Add achievement “Marathon”"
    assert "Marathon" not in [a.name for a in app.reads.achievements(available=True)]
    consistent(app)
    app.history.redo()
    assert "Marathon" in [a.name for a in app.reads.achievements(available=True)]
    consistent(app)


def test_projects_vacations_settings_and_rewards_are_undoable(app: Momentum) -> None:
    app.projects.add("Garden")
    app.projects.set_goals_enabled("Garden", False)
    app.projects.rename("Garden", "Yard")
    vacation = app.profiles.add_vacation("2026-02-01", "2026-02-07")
    app.profiles.update(daily_target=5, days_off="sat,sun")
    app.profiles.delete_vacation(vacation.id)
    app.history.undo()
    assert [v.id for v in app.profiles.vacations()] == [vacation.id]
    app.history.undo()
    assert (app.profiles.current().daily_target, app.profiles.current().days_off) == (3, ())
    app.history.undo()
    assert app.profiles.vacations() == []
    app.history.undo()
    app.history.undo()
    assert next(p for p in app.projects.list() if p.name == "Garden").goals_enabled
    app.history.undo()
    assert "Garden" not in [p.name for p in app.projects.list()]
    consistent(app)


def test_a_new_action_clears_the_redo_side(app: Momentum) -> None:
    app.items.add_task("One")
    app.history.undo()
    app.items.add_task("Two")
    with pytest.raises(ValidationError, match="nothing to redo"):
        app.history.redo()


def test_the_history_is_per_profile_and_survives_the_process(app: Momentum) -> None:
    app.profiles.add("Bob", timezone="UTC")
    bob = Momentum(app.db, app.clock, "Bob")
    bob.items.add_task("Bob's")
    app.items.add_task("Mine")
    again = Momentum(app.db, app.clock)  # another process, the same file
    assert again.history.undo().label == "Add “Mine”"
    assert Momentum(app.db, app.clock, "Bob").history.undo().label == "Add “Bob's”"


def test_a_failed_undo_writes_nothing(app: Momentum, database) -> None:
    from sqlalchemy import text

    app.items.add_task("Mine")
    app.profiles.add("Bob", timezone="UTC")
    Momentum(app.db, app.clock, "Bob").items.add_task("Bob's own")
    with database.reading() as session:
        before = session.execute(text("SELECT count(*) FROM profiles WHERE deleted_at IS NULL"
                                      )).scalar()
    with pytest.raises(ValidationError, match="cannot undo Add profile “Bob”"):
        app.history.undo()
    with database.reading() as session:
        assert session.execute(text("SELECT count(*) FROM profiles WHERE deleted_at IS NULL"
                                    )).scalar() == before
    assert app.history.undo().label == "Add “Mine”"  # the actions before stay reachable


def test_a_removed_event_type_takes_no_new_events_and_its_log_still_folds(
        app: Momentum) -> None:
    app.events.add_type("stretched", 4)
    app.events.process_event("stretched")
    app.history.clear()
    app.events.add_type("walked", 2)
    app.history.undo()
    with pytest.raises(ValidationError, match="unknown event type"):
        app.events.process_event("walked")
    assert [t.name for t in app.events.list_types()] == ["stretched"]
    app.history.redo()
    app.events.process_event("walked")
    app.history.clear()
    # removing a type with events keeps their points (history is history)
    events = app.events
    app.history.clear()
    events.add_type("ran", 6)
    events.process_event("ran")
    app.history.undo()  # the event
    app.history.undo()  # the type
    consistent(app)
    with pytest.raises(ValidationError, match="was worth 6 points"):
        events.add_type("ran", 7)
    events.add_type("ran", 6)  # back, with its history
    consistent(app)


def test_the_history_keeps_the_last_200_actions(app: Momentum) -> None:
    task = app.items.add_task("Counter")
    for number in range(230):
        app.items.edit_task(task.id, notes=str(number))
    assert 200 <= app.history.status().done < 216


def test_a_replayed_completion_uses_the_clock(database) -> None:
    """Undo at a later time: the reversal is stamped then (the clock is injected)."""
    early = Momentum(database, FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc)))
    early.profiles.update(timezone="UTC")
    task = early.items.add_task("Later")
    early.items.complete(Kind.TASK, task.id)
    late = Momentum(database, FixedClock(datetime(2026, 1, 6, 9, tzinfo=timezone.utc)))
    late.history.undo()
    rows = late.reads.history(limit=None)
    assert rows[0].type == "debit" and rows[0].created_at.date() == date(2026, 1, 6)


def test_a_snooze_is_undone(app: Momentum) -> None:
    task = app.items.add_task("Call", due="2026-01-06T09:00", remind=["30m"])
    [reminder] = app.planning.upcoming()
    snoozed = app.planning.snooze(reminder.id, "1h")
    assert app.history.status().undo == "Snooze “Call”"
    app.history.undo()
    [back] = app.planning.upcoming()
    assert back.task_id == task.id and back.at == reminder.at != snoozed.at
    assert back.snoozed_until is None


@pytest.mark.parametrize("line", ["Buy milk #Garden", "Buy milk #Garden tomorrow 5pm"])
def test_quick_add_brings_back_a_project_an_undo_deleted_and_its_undo_deletes_it_again(
        app: Momentum, line: str) -> None:
    # A deleted project keeps its name (the unique name is per profile, deleted or not):
    # quick add's #Project must bring that row back, not insert a second one.
    app.projects.add("Garden")
    app.history.undo()
    assert [p.name for p in app.projects.list()] == ["Inbox"]
    task, created = app.planning.quick_add(line)
    assert created and task.project == "Garden"
    assert [p.name for p in app.projects.list()] == ["Inbox", "Garden"]
    app.history.undo()
    assert [p.name for p in app.projects.list()] == ["Inbox"]
    assert app.items.list_tasks() == []
    app.history.redo()
    assert [p.name for p in app.projects.list()] == ["Inbox", "Garden"]
    assert [t.title for t in app.items.list_tasks()] == ["Buy milk"]
