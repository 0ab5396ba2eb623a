"""SPEC §2 reversal: reopening debits exactly what the completion earned; achievements,
milestones and streak-milestone bonuses are kept; deletion never reverses points."""

from __future__ import annotations

from momentum_app.core.engine.outcome import LevelUp

from datetime import timedelta

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.errors import NotFoundError, ValidationError

#: Credits that belong to the profile, not to one completion: never debited.
KEPT = {"achievement", "streak_milestone", "global_task_milestone", "global_slot_milestone",
        "project_task_milestone", "project_slot_milestone", "project_step_milestone"}


def _own_credits(outcome):
    return sorted((c.source, c.points) for c in outcome.credits if c.source not in KEPT)


def _debits(outcome):
    return sorted((d.source, d.points) for d in outcome.debits)


@pytest.mark.parametrize(("kind", "source"), [
    pytest.param(Kind.TASK, "task_completion", marks=pytest.mark.covers(
        "completion:task_completion", "bonus:first_task_of_day", "bonus:early_bird",
        "bonus:weekend_activity")),
    pytest.param(Kind.STEP, "goal_step_completion",
                 marks=pytest.mark.covers("completion:goal_step_completion")),
    pytest.param(Kind.SLOT, "time_slot_completion",
                 marks=pytest.mark.covers("completion:time_slot_completion")),
    pytest.param(Kind.GOAL, "goal_completion",
                 marks=pytest.mark.covers("completion:goal_completion")),
])
def test_reopen_debits_exactly_the_credits_of_that_completion(play, kind, source):
    """Saturday 06:00: base, early bird, weekend (and first task for a task)."""
    do = {Kind.TASK: lambda **kw: play.task(complexity=3, **kw), Kind.STEP: play.step,
          Kind.SLOT: play.slot, Kind.GOAL: play.finish_goal}[kind]
    before = play.total()
    item, done = do(at=play.at(6, 6))
    assert play.credits(done, source)
    assert play.credits(done, "early_bird") == [15]
    assert play.credits(done, "weekend_activity") == [30]
    reopened = play.reopen(kind, item)
    assert _debits(reopened) == _own_credits(done)
    assert reopened.credits == ()
    assert reopened.points_awarded == -sum(p for _, p in _own_credits(done))
    kept = sum(c.points for c in done.credits if c.source in KEPT)
    assert play.total() == before + kept
    assert play.ledger_net() == play.total()


@pytest.mark.covers("event:reversal")
def test_reversal_event_by_key_debits_the_completion(play):
    done = play.event("task_completion", key="k-1", complexity=2)
    undone = play.event("reversal", reverses="k-1")
    assert _debits(undone) == _own_credits(done) == [("first_task_of_day", 5),
                                                      ("task_completion", 13)]
    with pytest.raises(ValidationError):
        play.event("reversal", reverses="k-1")  # already reversed
    with pytest.raises(ValidationError):
        play.event("reversal", reverses="no-such-key")
    assert play.total() == 10  # first_step kept


def test_streak_adjustment_is_debited_with_its_completion(play, clock):
    """The day-7 task got 10 + an adjustment of 1 when day 1 was backdated; reopening it
    debits both: exactly what it earned."""
    items = {n: play.task(at=play.at(n))[0] for n in range(2, 8)}
    clock.advance(timedelta(days=6))
    _, backdated = play.task(at=play.at(1))
    assert play.credits(backdated, "streak_adjustment") == [1]
    reopened = play.reopen(Kind.TASK, items[7])
    assert _debits(reopened) == [("first_task_of_day", 5), ("streak_adjustment", 1),
                                 ("task_completion", 10), ("weekend_activity", 30)]
    assert play.ledger_net() == play.total()


def test_reopening_never_reprices_other_completions(play, clock):
    """Reopen day 1 of a 7-day run: day 7 keeps its price of 11 (S was 7 when earned)."""
    items = {}
    for n in range(1, 8):
        items[n] = play.task()[0]
        if n < 7:
            clock.advance(timedelta(days=1))
    total = play.total()
    reopened = play.reopen(Kind.TASK, items[1])
    assert _debits(reopened) == [("first_task_of_day", 5), ("task_completion", 10)]
    assert play.total() == total - 15
    assert play.streak().current == 6
    assert play.sources()["task_completion"] == 61  # 5 × 10 + 11


@pytest.mark.covers("achievement:first_step", "milestone:project_task_milestone:5",
                    "streak_milestone:7")
def test_achievements_milestones_and_streak_bonuses_are_kept_and_never_earned_twice(
        play, clock):
    items = []
    for n in range(1, 8):
        items.append(play.task()[0])
        if n < 7:
            clock.advance(timedelta(days=1))
    kept = {s: play.sources()[s] for s in ("achievement", "streak_milestone",
                                           "project_task_milestone")}
    assert kept == {"achievement": 210, "streak_milestone": 50, "project_task_milestone": 25}
    achievements = play.achievements()
    for item in items:
        play.reopen(Kind.TASK, item)
    assert play.achievements() == achievements  # kept
    assert {s: play.sources()[s] for s in kept} == kept  # never debited
    assert play.streak().current == 0
    for item in items:  # the same week again, item by item
        outcome = play.app.items.complete(Kind.TASK, item, at=play.at(items.index(item) + 1))
        assert outcome.outcome.achievements == ()
        assert outcome.outcome.milestones == ()
        assert play.credits(outcome.outcome, "streak_milestone") == []
    assert {s: play.sources()[s] for s in kept} == kept
    assert play.ledger_net() == play.total()


@pytest.mark.covers("achievement:getting_things_done")
def test_achievement_counts_are_net_of_reversals(play):
    items = [play.task()[0] for _ in range(9)]
    play.reopen(Kind.TASK, items[0])
    _, tenth_try = play.task()
    assert "getting_things_done" not in play.unlocked(tenth_try)  # 9 net
    _, tenth = play.task()
    assert play.unlocked(tenth) == ["getting_things_done"]


def test_reopen_then_complete_again_earns_again(play):
    item, first = play.task(complexity=5)
    play.reopen(Kind.TASK, item)
    again = play.app.items.complete(Kind.TASK, item).outcome
    assert _own_credits(again) == _own_credits(first) == [("first_task_of_day", 5),
                                                           ("task_completion", 20)]
    assert again.achievements == ()


def test_deleting_never_reverses_points_and_restore_undoes_it(play, app):
    item, done = play.task(complexity=2)
    total, history = play.total(), play.ledger()
    app.items.delete(Kind.TASK, item)
    assert play.total() == total
    assert play.ledger() == history
    assert app.items.list_tasks() == []
    app.items.restore(Kind.TASK, item)
    assert [t.id for t in app.items.list_tasks(status="done")] == [item]
    assert play.total() == total


@pytest.mark.parametrize("kind", [Kind.STEP, Kind.SLOT, Kind.GOAL])
def test_deleting_any_kind_keeps_its_points(play, app, kind):
    do = {Kind.STEP: play.step, Kind.SLOT: play.slot, Kind.GOAL: play.finish_goal}[kind]
    item, _ = do()
    total = play.total()
    app.items.delete(kind, item)
    assert play.total() == total == play.ledger_net()


def test_completing_a_done_item_is_bad_input_and_changes_nothing(play, app):
    """The CLI maps ValidationError to exit status 2 ("already done")."""
    item, _ = play.task()
    total, history = play.total(), play.ledger()
    with pytest.raises(ValidationError, match="already done"):
        app.items.complete(Kind.TASK, item)
    assert play.ledger() == history
    assert play.total() == total
    with pytest.raises(NotFoundError):
        app.items.reopen(Kind.TASK, item + 1000)


def test_reopening_an_open_item_is_bad_input(play, app):
    task = app.items.add_task("Open")
    with pytest.raises(ValidationError, match="not done"):
        app.items.reopen(Kind.TASK, task.id)


@pytest.mark.covers("level:2")
def test_reversal_can_lower_the_level_without_level_up(play):
    """70 custom points, then a first task (25): 95; a complexity-5 task pushes to level 2;
    reopening it falls back to level 1 with no level_up in the outcome."""
    play.grant(70)
    play.task()
    item, up = play.task(complexity=5)  # 20 → 115
    assert up.level_up == LevelUp(1, 2, "Apprentice")
    assert up.level == 2
    down = play.reopen(Kind.TASK, item)
    assert down.level == 1
    assert down.level_up is None
    assert down.points_awarded == -20
    assert play.app.reads.progress().level.number == 1
