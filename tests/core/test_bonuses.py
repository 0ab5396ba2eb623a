"""SPEC §2 bonuses: first task of the day, early bird, night owl, weekend, perfect week.

Day 1 is Monday 2026-01-05 (UTC profile, day start 0); day 6 and 7 are the weekend.
The bonus holder model (a decision where SPEC is silent): a once-per-day bonus is held
by one completion; reopening it debits the bonus and frees it for the *next* qualifying
completion, with no retroactive grant to completions already made.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from momentum_app.core.catalog import Kind


# --- first task of the day ------------------------------------------------------------


@pytest.mark.covers("bonus:first_task_of_day")
def test_first_task_of_the_day_once_per_activity_day(play, clock):
    _, first = play.task()
    _, second = play.task()
    assert play.credits(first, "first_task_of_day") == [5]
    assert play.credits(second, "first_task_of_day") == []
    clock.advance(timedelta(days=1))
    _, next_day = play.task()
    assert play.credits(next_day, "first_task_of_day") == [5]


@pytest.mark.covers("bonus:first_task_of_day")
def test_first_task_bonus_is_for_tasks_only(play):
    _, slot = play.slot()
    _, step = play.step()
    _, goal = play.finish_goal()
    for outcome in (slot, step, goal):
        assert play.credits(outcome, "first_task_of_day") == []
    _, task = play.task()
    assert play.credits(task, "first_task_of_day") == [5]  # the first *task* of the day


@pytest.mark.covers("bonus:first_task_of_day")
def test_first_task_bonus_ignores_complexity(play):
    _, outcome = play.task(complexity=5)
    assert play.credits(outcome, "first_task_of_day") == [5]


# --- early bird / night owl -----------------------------------------------------------


@pytest.mark.covers("bonus:early_bird")
@pytest.mark.parametrize(("hour", "minute", "earned"), [
    (4, 59, False), (5, 0, True), (6, 30, True), (7, 59, True), (8, 0, False)])
def test_early_bird_window_is_05_00_to_07_59(play, hour, minute, earned):
    _, outcome = play.step(at=play.at(1, hour, minute))
    assert play.credits(outcome, "early_bird") == ([15] if earned else [])


@pytest.mark.covers("bonus:night_owl")
@pytest.mark.parametrize(("hour", "minute", "earned"), [
    (21, 59, False), (22, 0, True), (23, 59, True), (0, 0, True), (1, 59, True),
    (2, 0, False), (12, 0, False)])
def test_night_owl_window_is_22_00_to_01_59(play, hour, minute, earned):
    _, outcome = play.step(at=play.at(2, hour, minute))
    assert play.credits(outcome, "night_owl") == ([15] if earned else [])


@pytest.mark.covers("bonus:early_bird", "bonus:night_owl")
@pytest.mark.parametrize(("bonus", "hours"), [("early_bird", (5, 6, 7)),
                                              ("night_owl", (22, 23))])
def test_time_of_day_bonus_once_per_activity_day(play, bonus, hours):
    earned = [play.credits(play.step(at=play.at(1, hour))[1], bonus) for hour in hours]
    assert earned == [[15]] + [[]] * (len(hours) - 1)


@pytest.mark.covers("bonus:night_owl")
def test_night_owl_before_and_after_midnight_are_two_activity_days(play):
    """Day start 0: 23:30 belongs to day 1, 00:30 to day 2: each day has its own owl."""
    _, late = play.step(at=play.at(1, 23, 30))
    _, later = play.step(at=play.at(2, 0, 30))
    assert play.credits(late, "night_owl") == [15]
    assert play.credits(later, "night_owl") == [15]


@pytest.mark.covers("bonus:night_owl")
def test_night_owl_after_midnight_with_day_start_4_is_the_same_activity_day(play, app):
    """Day start 4: 23:30 and 00:30 are both on activity day 1: one night owl."""
    app.profiles.update(day_start_hour=4)
    _, late = play.step(at=play.at(1, 23, 30))
    _, later = play.step(at=play.at(2, 0, 30))
    assert play.credits(late, "night_owl") == [15]
    assert play.credits(later, "night_owl") == []


@pytest.mark.covers("bonus:early_bird", "bonus:night_owl")
@pytest.mark.parametrize("kind", ["task", "step", "slot", "goal"])
def test_every_completion_kind_can_earn_time_of_day_bonuses(play, kind):
    do = {"task": play.task, "step": play.step, "slot": play.slot, "goal": play.finish_goal}[kind]
    _, early = do(at=play.at(1, 6))
    _, late = do(at=play.at(1, 23))
    assert play.credits(early, "early_bird") == [15]
    assert play.credits(late, "night_owl") == [15]


# --- weekend ----------------------------------------------------------------------------


@pytest.mark.covers("bonus:weekend_activity")
def test_weekend_bonus_first_completion_of_saturday_and_of_sunday(play):
    earned = {}
    for n in (5, 6, 6, 7, 7, 8):  # Fri, Sat, Sat, Sun, Sun, Mon
        _, outcome = play.slot(at=play.at(n))
        earned.setdefault(n, []).append(play.credits(outcome, "weekend_activity"))
    assert earned == {5: [[]], 6: [[30], []], 7: [[30], []], 8: [[]]}


@pytest.mark.covers("bonus:weekend_activity")
@pytest.mark.parametrize("kind", ["task", "step", "slot", "goal"])
def test_weekend_bonus_any_kind(play, kind):
    do = {"task": play.task, "step": play.step, "slot": play.slot, "goal": play.finish_goal}[kind]
    _, outcome = do(at=play.at(6))
    assert play.credits(outcome, "weekend_activity") == [30]


def test_custom_events_earn_no_bonus(play):
    """Custom events are not completions: no first-task, weekend or time-of-day bonus."""
    play.app.events.add_type("gym", 7)
    outcome = play.event("gym", at=play.at(6, 6))
    assert [(c.source, c.points) for c in outcome.credits] == [("custom_event", 7)]
    _, task = play.task(at=play.at(6, 7))
    assert play.credits(task, "weekend_activity") == [30]
    assert play.credits(task, "early_bird") == [15]
    assert play.credits(task, "first_task_of_day") == [5]


# --- perfect week -----------------------------------------------------------------------


@pytest.mark.covers("bonus:perfect_week")
def test_perfect_week_goes_to_the_completion_that_fills_the_last_day(play):
    """Mon, Tue, Thu–Sun first, then Wednesday (backdated): Wednesday holds the bonus."""
    for n in (1, 2, 4, 5, 6, 7):
        outcome = play.event("goal_step_completion", at=play.at(n))
        assert play.credits(outcome, "perfect_week") == []
    _, wednesday = play.step(at=play.at(3))
    assert play.credits(wednesday, "perfect_week") == [100]
    _, again = play.step(at=play.at(7, 18))
    assert play.credits(again, "perfect_week") == []  # once per week
    assert play.sources()["perfect_week"] == 100


@pytest.mark.covers("bonus:perfect_week")
def test_six_days_are_not_a_perfect_week_and_weeks_are_iso_weeks(play):
    """Tue 6 … Mon 12 is seven days but straddles two ISO weeks: no bonus."""
    for n in range(2, 9):
        outcome = play.event("task_completion", at=play.at(n))
        assert play.credits(outcome, "perfect_week") == []
    for n in range(9, 15):  # Tue 13 … Sun 18 completes the second week
        outcome = play.event("task_completion", at=play.at(n))
    assert play.credits(outcome, "perfect_week") == [100]
    assert play.sources()["perfect_week"] == 100


# --- the holder model ---------------------------------------------------------------------


HOLDER_CASES = {
    # bonus: (kind of completion, day, hours of three qualifying completions)
    "first_task_of_day": ("task", 1, (12, 13, 14)),
    "early_bird": ("step", 1, (5, 6, 7)),
    "night_owl": ("step", 1, (22, 23, 23)),
    "weekend_activity": ("slot", 6, (10, 11, 12)),
}


@pytest.mark.parametrize("bonus", [
    pytest.param(name, marks=pytest.mark.covers(f"bonus:{name}")) for name in HOLDER_CASES])
def test_reopening_the_holder_debits_and_frees_the_bonus(play, bonus):
    kind_name, day, hours = HOLDER_CASES[bonus]
    kind = {"task": Kind.TASK, "step": Kind.STEP, "slot": Kind.SLOT}[kind_name]
    do = {"task": play.task, "step": play.step, "slot": play.slot}[kind_name]
    amount = {"first_task_of_day": 5, "early_bird": 15, "night_owl": 15,
              "weekend_activity": 30}[bonus]
    holder, first = do(at=play.at(day, hours[0]))
    other, second = do(at=play.at(day, hours[1]))
    assert play.credits(first, bonus) == [amount]
    assert play.credits(second, bonus) == []

    reopened = play.reopen(kind, holder)
    assert play.debits(reopened, bonus) == [amount]
    assert sorted(d.points for d in reopened.debits) == sorted(
        c.points for c in first.credits if c.source != "achievement"
        and not c.source.endswith("milestone"))
    assert play.sources()[bonus] == 0  # no retroactive grant to the second completion

    _, third = do(at=play.at(day, hours[2]))
    assert play.credits(third, bonus) == [amount]  # the next qualifying completion
    assert play.sources()[bonus] == amount
    # reopening a completion that holds nothing debits no bonus
    assert play.debits(play.reopen(kind, other), bonus) == []


@pytest.mark.covers("bonus:perfect_week", "achievement:perfect_week")
def test_reopening_the_perfect_week_holder_frees_it_for_the_next_completion(play):
    for n in range(1, 7):
        play.event("goal_step_completion", at=play.at(n))
    holder, filled = play.step(at=play.at(7, 9))
    assert play.credits(filled, "perfect_week") == [100]
    assert "perfect_week" in play.unlocked(filled)
    play.step(at=play.at(7, 10))  # Sunday still has a completion after the reopen
    reopened = play.reopen(Kind.STEP, holder)
    assert play.debits(reopened, "perfect_week") == [100]
    assert play.sources()["perfect_week"] == 0
    _, later = play.step(at=play.at(3, 18))  # any completion of the still-full week
    assert play.credits(later, "perfect_week") == [100]
    assert play.unlocked(later) == []  # the achievement was kept, never earned twice
    assert play.sources()["perfect_week"] == 100


@pytest.mark.covers("bonus:first_task_of_day", "bonus:weekend_activity")
def test_bonuses_are_per_profile(app, play, clock):
    app.profiles.add("bob", timezone="UTC")
    _, mine = play.task(at=play.at(6))
    app.switch_profile("bob")
    _, bobs = play.task(at=play.at(6))
    for outcome in (mine, bobs):
        assert play.credits(outcome, "first_task_of_day") == [5]
        assert play.credits(outcome, "weekend_activity") == [30]
