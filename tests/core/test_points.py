"""SPEC §2 points: every completion source, the complexity and streak multipliers,
rounding once half up, bonuses never multiplied, and a whole week worked out by hand."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind

#: SPEC §2: 10 × complexity multiplier (1.0, 1.25, 1.5, 1.75, 2.0), rounded half up.
TASK_PRICE_NO_STREAK = {1: 10, 2: 13, 3: 15, 4: 18, 5: 20}
#: The same at S = 7 (streak multiplier 1.1): 11, 13.75→14, 16.5→17, 19.25→19, 22.
TASK_PRICE_AT_SEVEN = {1: 11, 2: 14, 3: 17, 4: 19, 5: 22}


@pytest.mark.covers("completion:task_completion")
@pytest.mark.parametrize("complexity", [1, 2, 3, 4, 5])
def test_task_price_by_complexity(play, complexity):
    _, outcome = play.task(complexity=complexity)
    assert play.credits(outcome, "task_completion") == [TASK_PRICE_NO_STREAK[complexity]]


def test_default_complexity_is_one(app, play):
    task = app.items.add_task("No complexity given")
    assert task.complexity == 1
    outcome = app.items.complete(Kind.TASK, task.id).outcome
    assert play.credits(outcome, "task_completion") == [10]


@pytest.mark.covers("completion:goal_step_completion")
def test_goal_step_is_worth_15(play):
    _, outcome = play.step()
    assert play.credits(outcome, "goal_step_completion") == [15]
    assert outcome.points_awarded == 15  # no first-task bonus, no achievement


@pytest.mark.covers("completion:time_slot_completion")
def test_time_slot_is_worth_20(play):
    _, outcome = play.slot(30)
    assert play.credits(outcome, "time_slot_completion") == [20]
    assert [a.id for a in outcome.achievements] == ["scheduler"]
    assert outcome.points_awarded == 20 + 10


@pytest.mark.covers("completion:goal_completion")
def test_goal_is_worth_50(play):
    _, outcome = play.finish_goal()
    assert play.credits(outcome, "goal_completion") == [50]
    assert [a.id for a in outcome.achievements] == ["goal_getter"]
    assert outcome.points_awarded == 50 + 50


def test_first_completion_outcome_is_itemised(play):
    """Plain first task: 10 + first_task_of_day 5 + first_step 10 = 25 (SPEC example)."""
    _, outcome = play.task()
    assert sorted((c.source, c.points) for c in outcome.credits) == [
        ("achievement", 10), ("first_task_of_day", 5), ("task_completion", 10)]
    assert outcome.debits == ()
    assert outcome.points_awarded == 25 == outcome.total_points


def _six_days_of_activity(play):
    for n in range(1, 7):
        play.event("goal_step_completion", at=play.at(n))


@pytest.mark.covers("completion:task_completion", "completion:goal_step_completion",
                    "completion:time_slot_completion", "completion:goal_completion")
def test_streak_multiplier_at_seven_days_every_kind(play, clock):
    """S = 7 on the 7th consecutive day: multiplier 1.1, rounded once, half up."""
    _six_days_of_activity(play)
    clock.advance(timedelta(days=6))
    at = play.at(7)
    for complexity, price in TASK_PRICE_AT_SEVEN.items():
        _, outcome = play.task(complexity=complexity, at=at)
        assert play.credits(outcome, "task_completion") == [price]
    _, outcome = play.step(at=at)
    assert play.credits(outcome, "goal_step_completion") == [17]  # 16.5 → 17
    _, outcome = play.slot(at=at)
    assert play.credits(outcome, "time_slot_completion") == [22]
    _, outcome = play.finish_goal(at=at)
    assert play.credits(outcome, "goal_completion") == [55]


def test_rounding_happens_once_on_the_whole_product(play, clock):
    """10 × 1.25 × 1.1 = 13.75 → 14 (rounding 12.5 first would give 13 × 1.1 = 14.3 → 14;
    complexity 4 separates them: 17.5 × 1.1 = 19.25 → 19, while 18 × 1.1 = 19.8 → 20)."""
    _six_days_of_activity(play)
    clock.advance(timedelta(days=6))
    _, outcome = play.task(complexity=4, at=play.at(7))
    assert play.credits(outcome, "task_completion") == [19]


def test_streak_multiplier_schedule_for_a_year(year_of_days):
    """S = day number: ⌊S/7⌋ steps of 0.1, at most 5 (1.5 from day 35 on)."""
    play = year_of_days.player
    for n, outcome in enumerate(year_of_days.outcomes, start=1):
        expected = catalog.round_half_up(Decimal(10) * (1 + Decimal("0.1") * min(5, n // 7)))
        assert play.credits(outcome, "task_completion") == [expected], f"day {n}"
    prices = {n: play.credits(o, "task_completion")[0]
              for n, o in enumerate(year_of_days.outcomes, start=1)}
    assert [prices[n] for n in (1, 6, 7, 13, 14, 21, 28, 34, 35, 36, 100, 365)] == [
        10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 15, 15]


def test_bonuses_are_never_multiplied(play, clock):
    """Day 7 of a run (a Sunday): first-task 5 and weekend 30 stay as they are."""
    for n in range(1, 7):
        play.event("time_slot_completion", at=play.at(n))
    clock.advance(timedelta(days=6))
    _, outcome = play.task(at=play.at(7, 6))
    assert play.credits(outcome, "task_completion") == [11]
    assert play.credits(outcome, "first_task_of_day") == [5]
    assert play.credits(outcome, "weekend_activity") == [30]
    assert play.credits(outcome, "early_bird") == [15]
    assert play.credits(outcome, "perfect_week") == [100]
    assert play.credits(outcome, "streak_milestone") == [50]


def test_a_week_of_one_task_a_day_worked_out_by_hand(play, clock):
    """Mon 5 … Sun 11 January 2026, one plain task a day at noon.

    tasks 6 × 10 + 11 (S = 7) = 71; first task 7 × 5 = 35; weekend 2 × 30 = 60;
    perfect week 100; 7-day streak 50; achievements first_step 10, on_a_roll 25,
    week_warrior 75, perfect_week 100; the Inbox's 5-task project milestone 25
    → 551 (level 3, Achiever).
    """
    for n in range(1, 8):
        play.task()
        if n < 7:
            clock.advance(timedelta(days=1))
    progress = play.app.reads.progress()
    assert progress.total_points == 551
    assert progress.level.number == 3
    assert progress.level.title == "Achiever"
    assert play.ledger_net() == 551
    assert play.sources() == {
        "task_completion": 71, "first_task_of_day": 35, "weekend_activity": 60,
        "perfect_week": 100, "streak_milestone": 50, "achievement": 210,
        "project_task_milestone": 25}


@pytest.mark.covers("source:streak_adjustment")
def test_backdated_day_raises_later_prices_with_streak_adjustment(play, clock):
    """Days 2–7 first (six days: every task 10), then day 1 backdated: the run is 7 on
    day 7, whose task is now worth 11: a streak_adjustment of 1 for that completion."""
    for n in range(2, 8):
        play.task(at=play.at(n))  # through items, like the in-order week (Inbox tasks)
    clock.advance(timedelta(days=6))
    assert play.streak().current == 6
    _, outcome = play.task(at=play.at(1))
    assert play.credits(outcome, "task_completion") == [10]  # S = 1 on day 1
    assert play.credits(outcome, "streak_adjustment") == [1]
    assert play.credits(outcome, "streak_milestone") == [50]
    assert play.streak().current == 7
    in_order_total = 551  # test_a_week_of_one_task_a_day_worked_out_by_hand
    assert play.total() == in_order_total


def test_backdating_into_a_long_run_adjusts_every_later_multiplier_step(play, clock):
    """Days 2–15 done, then day 1: days 7–13 rise from 10 to 11 (S 7–13, were 6–12) and
    days 14–15 from 11 to 12: adjustments 0×6 + 1×1 (day 7) … exactly SPEC's difference."""
    for n in range(2, 16):
        play.event("task_completion", at=play.at(n))
    clock.advance(timedelta(days=14))
    _, outcome = play.task(at=play.at(1))
    adjustments = play.credits(outcome, "streak_adjustment")
    # before: S = n − 1 on day n; after: S = n.  Prices differ on day 7 (10→11) and
    # day 14 (11→12) only.
    assert sorted(adjustments) == [1, 1]
    days = sorted(r.activity_day.isoformat() for r in play.ledger()
                  if r.source == "streak_adjustment")
    assert days == [play.day(7).isoformat(), play.day(14).isoformat()]
