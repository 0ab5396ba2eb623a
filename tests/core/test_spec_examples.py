"""The SPEC's worked numbers, through the services."""

from __future__ import annotations

from datetime import timedelta

from momentum_app.core.catalog import Kind


def test_plain_first_task_of_the_day_is_worth_25_with_its_achievement(app):
    task = app.items.add_task("Plain")
    outcome = app.items.complete(Kind.TASK, task.id).outcome
    assert outcome.points_awarded == 25
    assert [a.id for a in outcome.achievements] == ["first_step"]


def test_complexity_two_rounds_half_up(app):
    task = app.items.add_task("Twelve and a half", complexity=2)
    outcome = app.items.complete(Kind.TASK, task.id).outcome
    base = [c for c in outcome.credits if c.source == "task_completion"]
    assert base[0].points == 13


def test_seven_day_week_of_one_task_a_day_ends_at_level_3(app, clock):
    for day in range(7):
        task = app.items.add_task(f"Day {day}")
        app.items.complete(Kind.TASK, task.id)
        clock.advance(timedelta(days=1))
    assert app.reads.progress().level.number == 3


def test_reopen_debits_exactly_what_the_completion_earned(app):
    task = app.items.add_task("Undo me", complexity=3)
    done = app.items.complete(Kind.TASK, task.id).outcome
    reopened = app.items.reopen(Kind.TASK, task.id).outcome
    earned_by_completion = sum(c.points for c in done.credits if c.source != "achievement")
    assert sum(d.points for d in reopened.debits) == earned_by_completion
    assert app.reads.progress().total_points == 10  # the achievement is kept
