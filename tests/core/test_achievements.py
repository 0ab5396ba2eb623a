"""SPEC §5: all 28 achievements, each unlocking exactly at its target and not before.

Counts are driven by loops through the services (the events entry point for long
counts). Shared long runs (1,000 tasks, a year of days, 500 slots, 250 steps) are
session fixtures in conftest.py, each replayed once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind

#: SPEC §5, copied by hand: id → (category, target, points).
SPEC_ACHIEVEMENTS = {
    "first_step": ("productivity", 1, 10),
    "getting_things_done": ("productivity", 10, 50),
    "task_master": ("productivity", 100, 500),
    "task_legend": ("productivity", 1000, 2000),
    "heavy_lifter": ("productivity", 10, 150),
    "goal_getter": ("productivity", 1, 50),
    "goal_crusher": ("productivity", 10, 300),
    "on_a_roll": ("consistency", 3, 25),
    "week_warrior": ("consistency", 7, 75),
    "unstoppable": ("consistency", 30, 300),
    "centurion": ("consistency", 100, 1000),
    "perfect_week": ("consistency", 1, 100),
    "perfect_month": ("consistency", 4, 400),
    "scheduler": ("time_management", 1, 10),
    "time_blocker": ("time_management", 25, 150),
    "early_bird": ("time_management", 5, 50),
    "night_owl": ("time_management", 5, 50),
    "ahead_of_time": ("time_management", 10, 100),
    "deep_diver": ("focus", 1, 50),
    "deep_work": ("focus", 10, 250),
    "focus_marathon": ("focus", 50 * 60, 500),  # 50 hours, counted in minutes
    "step_by_step": ("growth", 25, 100),
    "weekend_warrior": ("growth", 10, 100),
    "rising_star": ("growth", 5, 100),
    "legendary": ("growth", 10, 1000),
    "team_player": ("social", 1, 50),
    "top_of_the_board": ("social", 1, 200),
    "show_and_tell": ("social", 1, 25),
}


def unlock_points(outcomes, play):
    """achievement id → the 1-based positions of the outcomes that unlocked it."""
    found: dict[str, list[int]] = {}
    for position, outcome in enumerate(outcomes, start=1):
        for achievement_id in play.unlocked(outcome):
            found.setdefault(achievement_id, []).append(position)
    return found


def test_catalog_matches_spec_table():
    assert len(catalog.ACHIEVEMENTS) == 28
    assert {a.id: (a.category, a.target, a.points) for a in catalog.ACHIEVEMENTS} == \
        SPEC_ACHIEVEMENTS
    for achievement in catalog.ACHIEVEMENTS:
        assert achievement.category in catalog.CATEGORIES
        assert achievement.name and achievement.description and achievement.icon


def test_unlock_credits_the_achievements_points(play):
    _, outcome = play.task()
    assert [(a.id, a.name, a.points) for a in outcome.achievements] == [
        ("first_step", "First Step", 10)]
    assert play.credits(outcome, "achievement") == [10]


# --- task counts (1,000 tasks, one session fixture) -------------------------------------


@pytest.mark.parametrize("achievement_id", [
    pytest.param(a, marks=pytest.mark.covers(f"achievement:{a}"))
    for a in ("first_step", "getting_things_done", "task_master", "task_legend")])
def test_task_count_achievements(thousand_tasks, achievement_id):
    found = unlock_points(thousand_tasks.outcomes, thousand_tasks.player)
    assert found[achievement_id] == [SPEC_ACHIEVEMENTS[achievement_id][1]]


@pytest.mark.covers("achievement:heavy_lifter")
def test_heavy_lifter_counts_complexity_5_only(play):
    for _ in range(5):
        assert "heavy_lifter" not in play.unlocked(play.event("task_completion", complexity=4))
    for n in range(1, 10):
        assert "heavy_lifter" not in play.unlocked(play.event("task_completion", complexity=5))
    assert "heavy_lifter" in play.unlocked(play.event("task_completion", complexity=5))


@pytest.mark.covers("achievement:goal_getter", "achievement:goal_crusher")
def test_goal_achievements(play):
    outcomes = [play.event("goal_completion") for _ in range(10)]
    found = unlock_points(outcomes, play)
    assert found["goal_getter"] == [1]
    assert found["goal_crusher"] == [10]


# --- streaks, perfect weeks, weekends (a year of days) -------------------------------------


@pytest.mark.parametrize("achievement_id", [
    pytest.param(a, marks=pytest.mark.covers(f"achievement:{a}"))
    for a in ("on_a_roll", "week_warrior", "unstoppable", "centurion")])
def test_streak_achievements(year_of_days, achievement_id):
    found = unlock_points(year_of_days.outcomes, year_of_days.player)
    assert found[achievement_id] == [SPEC_ACHIEVEMENTS[achievement_id][1]]


@pytest.mark.covers("achievement:perfect_week", "achievement:perfect_month")
def test_perfect_week_achievements(year_of_days):
    """Weeks start on Monday 5 January: perfect weeks complete on days 7, 14, 21, 28."""
    found = unlock_points(year_of_days.outcomes, year_of_days.player)
    assert found["perfect_week"] == [7]
    assert found["perfect_month"] == [28]


@pytest.mark.covers("achievement:weekend_warrior")
def test_weekend_warrior_on_the_tenth_weekend_day(year_of_days):
    """Weekend days: 6, 7, 13, 14, 20, 21, 27, 28, 34, 35 → the 10th is day 35."""
    found = unlock_points(year_of_days.outcomes, year_of_days.player)
    assert found["weekend_warrior"] == [35]


@pytest.mark.covers("achievement:on_a_roll")
def test_streak_achievements_use_the_longest_run(play, clock):
    play.task(at=play.at(1))
    play.task(at=play.at(2))
    play.task(at=play.at(4))
    _, fifth = play.task(at=play.at(5))
    assert "on_a_roll" not in play.unlocked(fifth)
    _, third = play.task(at=play.at(3))  # backdated: 1–5 is a run of 5
    assert "on_a_roll" in play.unlocked(third)


# --- time management -------------------------------------------------------------------------


@pytest.mark.covers("achievement:scheduler", "achievement:time_blocker")
def test_slot_count_achievements(many_slots):
    found = unlock_points(many_slots.outcomes, many_slots.player)
    assert found["scheduler"] == [1]
    assert found["time_blocker"] == [25]


@pytest.mark.parametrize(("achievement_id", "hour"), [
    pytest.param("early_bird", 6, marks=pytest.mark.covers("achievement:early_bird")),
    pytest.param("night_owl", 23, marks=pytest.mark.covers("achievement:night_owl"))])
def test_time_of_day_achievements_count_activity_days(play, achievement_id, hour):
    """Five activity days with the bonus; a second bonus-time completion the same day
    does not count twice."""
    outcomes = []
    for n in (1, 2, 2, 3, 4):
        outcomes.append(play.event("goal_step_completion", at=play.at(n, hour)))
    outcomes.append(play.event("goal_step_completion", at=play.at(5, 12)))  # no bonus
    assert achievement_id not in unlock_points(outcomes, play)
    outcome = play.event("goal_step_completion", at=play.at(5, hour))
    assert achievement_id in play.unlocked(outcome)


@pytest.mark.covers("achievement:ahead_of_time")
def test_ahead_of_time_counts_tasks_done_on_or_before_their_due_date(play, clock):
    due_today = play.day(1).isoformat()
    due_later = play.day(9).isoformat()
    overdue = play.day(0).isoformat()
    outcomes = [play.event("task_completion", due=overdue),
                play.event("task_completion")]  # no due date
    outcomes += [play.event("task_completion", due=due_today if n % 2 else due_later)
                 for n in range(9)]
    assert "ahead_of_time" not in unlock_points(outcomes, play)
    assert "ahead_of_time" in play.unlocked(play.event("task_completion", due=due_today))


@pytest.mark.covers("achievement:ahead_of_time")
def test_ahead_of_time_uses_the_task_due_date_through_items(play, app):
    for _ in range(9):
        play.task(due=play.day(1).isoformat())
    play.task(due=play.day(0).isoformat())
    assert "ahead_of_time" not in play.achievements()
    _, outcome = play.task(due=play.day(2).isoformat())
    assert "ahead_of_time" in play.unlocked(outcome)


# --- focus -------------------------------------------------------------------------------------


@pytest.mark.covers("achievement:deep_diver")
def test_deep_diver_needs_a_90_minute_slot(play):
    _, short = play.slot(89)
    assert "deep_diver" not in play.unlocked(short)
    _, long = play.slot(90)
    assert "deep_diver" in play.unlocked(long)


@pytest.mark.covers("achievement:deep_work")
def test_deep_work_needs_ten_90_minute_slots(play):
    outcomes = [play.event("time_slot_completion", minutes=89) for _ in range(3)]
    outcomes += [play.event("time_slot_completion", minutes=90 + n) for n in range(10)]
    found = unlock_points(outcomes, play)
    assert found["deep_diver"] == [4]
    assert found["deep_work"] == [13]


@pytest.mark.covers("achievement:focus_marathon")
def test_focus_marathon_at_50_hours(play):
    assert "focus_marathon" not in play.unlocked(
        play.event("time_slot_completion", minutes=2999))
    assert "focus_marathon" in play.unlocked(play.event("time_slot_completion", minutes=1))


@pytest.mark.covers("achievement:focus_marathon")
def test_focus_minutes_come_from_the_slot_length(play):
    for _ in range(4):
        play.slot(600)
    _, outcome = play.slot(599)
    assert "focus_marathon" not in play.unlocked(outcome)
    _, outcome = play.slot(1)
    assert "focus_marathon" in play.unlocked(outcome)


# --- growth ---------------------------------------------------------------------------------------


@pytest.mark.covers("achievement:step_by_step")
def test_step_by_step_at_25_steps(many_steps):
    assert unlock_points(many_steps.outcomes, many_steps.player)["step_by_step"] == [25]


@pytest.mark.parametrize(("achievement_id", "level_points"), [
    pytest.param("rising_star", 1500, marks=pytest.mark.covers("achievement:rising_star")),
    pytest.param("legendary", 51100, marks=pytest.mark.covers("achievement:legendary"))])
def test_level_achievements(play, achievement_id, level_points):
    if level_points > 1500:
        play.grant(1500)  # rising_star (+100) on the way
    play.grant(level_points - 1 - play.total())
    assert achievement_id not in play.achievements()
    outcome = play.grant(1)
    assert play.unlocked(outcome) == [achievement_id]


# --- social ----------------------------------------------------------------------------------


@pytest.mark.covers("achievement:team_player")
def test_team_player_when_two_profiles_complete_in_the_same_week(app, play, clock):
    app.profiles.add("bob", timezone="UTC")
    _, alone = play.task(at=play.at(1))
    assert "team_player" not in play.unlocked(alone)
    app.switch_profile("bob")
    _, other_week = play.task(at=play.at(8))  # bob, the following week: not together
    assert "team_player" not in play.unlocked(other_week)
    _, together = play.task(at=play.at(7))  # bob, Sunday of the first week
    assert "team_player" in play.unlocked(together)
    app.switch_profile("default")
    assert "team_player" in play.achievements()  # unlocked for both in that event


@pytest.mark.covers("achievement:team_player")
def test_custom_events_are_not_team_work(app, play):
    app.events.add_type("log", 1)
    app.profiles.add("bob", timezone="UTC")
    play.task()
    app.switch_profile("bob")
    assert "team_player" not in play.unlocked(play.event("log"))


@pytest.mark.covers("achievement:top_of_the_board")
def test_top_of_the_board_after_a_finished_week_ranked_first(app, play, clock):
    app.profiles.add("bob", timezone="UTC")
    for _ in range(3):
        play.task(at=play.at(2))
    app.switch_profile("bob")
    play.task(at=play.at(3))
    app.switch_profile("default")
    _, same_week = play.task(at=play.at(4))
    assert "top_of_the_board" not in play.unlocked(same_week)  # the week is not finished
    clock.advance(timedelta(days=7))  # Monday of week 2
    _, next_week = play.task()
    assert "top_of_the_board" in play.unlocked(next_week)
    app.switch_profile("bob")
    _, bobs = play.task()
    assert "top_of_the_board" not in play.unlocked(bobs)  # ranked #2


def test_top_of_the_board_for_a_week_won_before_an_idle_week(app, play, clock):
    app.profiles.add("bob", timezone="UTC")
    for _ in range(3):
        play.task(at=play.at(2))
    app.switch_profile("bob")
    play.task(at=play.at(3))
    app.switch_profile("default")
    clock.advance(timedelta(days=14))  # Monday of week 3: week 1 is finished, won
    _, back = play.task()
    assert "top_of_the_board" in play.unlocked(back)


@pytest.mark.covers("achievement:top_of_the_board")
def test_top_of_the_board_needs_two_active_profiles(app, play, clock):
    app.profiles.add("idle", timezone="UTC")
    play.task()
    clock.advance(timedelta(days=7))
    _, outcome = play.task()
    assert "top_of_the_board" not in play.unlocked(outcome)


@pytest.mark.covers("achievement:show_and_tell", "event:report_exported")
def test_show_and_tell_on_the_first_exported_report(app, play):
    assert "show_and_tell" not in play.achievements()
    outcome = app.events.export_reported()
    assert play.unlocked(outcome) == ["show_and_tell"]
    assert outcome.points_awarded == 25
    assert play.unlocked(play.event("report_exported")) == []


def test_achievements_are_per_profile(app, play):
    play.task()
    app.profiles.add("bob", timezone="UTC")
    app.switch_profile("bob")
    assert play.achievements() == set()
    _, outcome = play.task()
    assert play.unlocked(outcome) == ["first_step", "team_player"]  # both played this week


def test_an_achievement_is_kept_after_the_completion_is_reopened(play):
    item, _ = play.slot()
    play.reopen(Kind.SLOT, item)
    assert "scheduler" in play.achievements()
    _, again = play.slot()
    assert play.unlocked(again) == []
