"""SPEC §7 read API: the stable keys and the figures behind them (progress, leaderboard,
achievements, streaks, stats, levels, milestones, history).

The clock is Monday 2026-01-05 12:00 UTC: this week is 5–11 January, this month January.
Points count towards the activity day of the completion they belong to (decision).
"""

from __future__ import annotations

from datetime import date

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.engine.outcome import StreakState
from momentum_app.core.errors import ValidationError

LAST_MONTH = "2025-12-17T12:00:00+00:00"  # a Wednesday
LAST_WEEK_THIS_MONTH = "2026-01-02T12:00:00+00:00"  # Friday of ISO week 2026-W01


# --- progress -------------------------------------------------------------------------------


def test_tasks_done_today_counts_net_task_completions_of_the_activity_day(play, app):
    """The Today view's daily-target tile: from day_stats, not from recent ledger rows."""
    assert app.reads.tasks_done_today() == 0
    first, _ = play.task()
    play.task()
    play.task(at=LAST_WEEK_THIS_MONTH)  # another day
    play.slot()  # not a task
    assert app.reads.tasks_done_today() == 2
    app.items.reopen(Kind.TASK, first)
    assert app.reads.tasks_done_today() == 1


def test_progress_keys_and_values(play, app):
    play.task(complexity=2)  # 13 + 5 + first_step 10 = 28
    progress = app.reads.progress()
    assert progress.total_points == 28
    assert progress.weekly_points == 28
    assert progress.monthly_points == 28
    level = progress.level
    assert (level.number, level.title, level.progress_percent) == (1, "Novice", 28.0)
    assert (level.points_required, level.next_points_required) == (0, 100)
    assert [(s.type, s.current) for s in progress.streaks] == [
        ("daily_activity", 1), ("daily_target", 0), ("daily_focus", 0), ("weekly_goal", 0)]


def test_points_count_towards_the_completions_activity_day(play, app):
    """A task backdated to last month: its points (and the achievement it unlocked) count
    in last month; reopening it today debits last month, not this week."""
    item, _ = play.task(at=LAST_MONTH)  # 25 on 2025-12-20
    play.task(at=LAST_WEEK_THIS_MONTH)  # 15 on 2026-01-02
    play.slot()  # 20 + scheduler 10 today
    progress = app.reads.progress()
    assert (progress.total_points, progress.monthly_points,
            progress.weekly_points) == (25 + 15 + 30, 15 + 30, 30)
    play.reopen(Kind.TASK, item)
    progress = app.reads.progress()
    assert (progress.total_points, progress.monthly_points,
            progress.weekly_points) == (10 + 15 + 30, 15 + 30, 30)


# --- leaderboard ------------------------------------------------------------------------------


@pytest.fixture
def three_profiles(app, play):
    """default 300 this week; carol 300 this week; bob 500 last month, 250 last week
    (this month) and 100 this week. Custom points: no completions, no team bonus."""
    app.profiles.add("bob", timezone="UTC")
    app.profiles.add("carol", timezone="UTC")
    play.grant(300)
    app.switch_profile("bob")
    play.grant(500, at=LAST_MONTH)
    play.grant(250, at=LAST_WEEK_THIS_MONTH)
    play.grant(100)
    app.switch_profile("carol")
    play.grant(300)
    app.switch_profile("default")
    return app


@pytest.mark.parametrize(("period", "expected"), [
    ("week", [(1, {"carol", "default"}, 300), (3, {"bob"}, 100)]),
    ("month", [(1, {"bob"}, 350), (2, {"carol", "default"}, 300)]),
    ("all", [(1, {"bob"}, 850), (2, {"carol", "default"}, 300)]),
])
def test_leaderboard_ranks_profiles_by_points_in_the_period(three_profiles, period, expected):
    board = three_profiles.reads.leaderboard(period)
    assert [set(row.to_json()) >= {"rank", "profile", "points"} for row in board] == [True] * 3
    assert [row.rank for row in board] == sorted(row.rank for row in board)
    grouped: list[tuple[int, set[str], int]] = []
    for row in board:
        if grouped and grouped[-1][0] == row.rank:
            assert grouped[-1][2] == row.points
            grouped[-1][1].add(row.profile)
        else:
            grouped.append((row.rank, {row.profile}, row.points))
    assert grouped == expected


def test_leaderboard_default_period_is_the_week(three_profiles):
    assert three_profiles.reads.leaderboard() == three_profiles.reads.leaderboard("week")


def test_leaderboard_rejects_an_unknown_period(app):
    with pytest.raises(ValidationError):
        app.reads.leaderboard("year")


# --- achievements ------------------------------------------------------------------------------


ACHIEVEMENT_KEYS = {"id", "name", "category", "points", "progress", "target", "completed",
                    "completed_at"}


def test_achievements_unlocked_and_available_with_progress(play, app, clock):
    for _ in range(3):
        play.task()
    unlocked = app.reads.achievements()
    assert [a.id for a in unlocked] == ["first_step"]
    first = unlocked[0]
    assert set(first.to_json()) >= ACHIEVEMENT_KEYS
    assert (first.completed, first.progress, first.target, first.points) == (
        True, 1, 1, 10)
    assert first.completed_at == clock.now()
    available = {a.id: a for a in app.reads.achievements(available=True)}
    assert len(available) == 27 and "first_step" not in available
    assert all(set(a.to_json()) >= ACHIEVEMENT_KEYS for a in available.values())
    assert (available["getting_things_done"].progress,
            available["getting_things_done"].target) == (3, 10)
    assert available["task_master"].progress == 3
    assert available["on_a_roll"].progress == 1  # a 1-day streak
    assert available["rising_star"].progress == 1  # level 1 of 5
    assert available["focus_marathon"].target == 3000
    assert all(a.completed is False and a.completed_at is None
               for a in available.values())


# --- streaks -------------------------------------------------------------------------------------


def test_streaks_lists_every_type(play, app):
    play.step(at=play.at(0))
    play.step()
    assert app.reads.streaks() == [
        StreakState("daily_activity", 2, 2, "2026-01-05", freezes=0, frozen_days=()),
        StreakState("daily_target", 0, 0, None),
        StreakState("daily_focus", 0, 0, None),
        StreakState("weekly_goal", 2, 2, "2026-01-05"),
    ]


# --- stats ---------------------------------------------------------------------------------------


def test_stats_of_an_empty_range(app):
    stats = app.reads.stats("2026-01-01", "2026-01-03")
    assert [d.day for d in stats.days] == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
    assert [d["date"] for d in stats.to_json()["days"]] == [
        "2026-01-01", "2026-01-02", "2026-01-03"]
    assert stats.totals.points == 0 and stats.best_day is None


def test_stats_per_day(play, app):
    play.task(complexity=3, at=play.at(0))  # Sunday 4 Jan: 15 + 5 + 30 + first_step 10
    play.slot(95, at=play.at(1, 9))  # Monday: 20 + scheduler 10 + deep_diver 50
    play.step(at=play.at(1, 10))  # 15
    stats = app.reads.stats("2026-01-03", "2026-01-05")
    days = {d.day.isoformat(): d for d in stats.days}
    assert set(days) == {"2026-01-03", "2026-01-04", "2026-01-05"}
    assert days["2026-01-03"].points == 0 and days["2026-01-03"].completions == 0
    sunday, monday = days["2026-01-04"], days["2026-01-05"]
    assert (sunday.points, sunday.tasks, sunday.completions) == (60, 1, 1)
    assert (monday.points, monday.time_slots, monday.goal_steps, monday.goals,
            monday.focus_minutes, monday.completions) == (95, 1, 1, 0, 95, 2)
    assert stats.totals.points == 155 == play.total()
    assert stats.totals.completions == 3
    assert stats.best_day is not None and stats.best_day.day == date(2026, 1, 5)


# --- levels, milestones, history -------------------------------------------------------------


def test_levels_lists_the_table(app):
    levels = app.reads.levels()
    assert [lv.number for lv in levels] == list(range(1, 11))
    assert all(set(lv.to_json()) >= {"number", "title", "points_required", "perk"}
               for lv in levels)


def test_milestones_for_one_project(play, app):
    app.projects.add("Work")
    app.projects.add("Home")
    for _ in range(5):
        play.task(project="Work")
    play.task(project="Home")
    result = app.reads.milestones(project="Home")
    assert {c.project for c in result.cards} == {"Home"}
    assert all(set(c.to_json()) >= {"scope", "kind", "project", "current", "next", "previous",
                          "progress_percent", "is_completed", "reward"} for c in result.cards)
    assert result.completed == ()
    work = app.reads.milestones(project="Work").completed
    assert len(work) == 1
    assert set(work[0].to_json()) >= {"source", "threshold", "points", "project", "granted_at"}
    assert (work[0].source, work[0].threshold, work[0].points, work[0].project) == (
        "project_task_milestone", 5, 25, "Work")
    with pytest.raises(ValidationError):
        app.reads.milestones(project="Nowhere")


def test_history_lists_credits_and_debits(play, app, clock):
    item, _ = play.task(at=LAST_MONTH)
    play.reopen(Kind.TASK, item)
    history = app.reads.history()
    assert all(set(row.to_json()) >= {"type", "points", "reason", "source", "created_at"}
               for row in history)
    assert sorted((r.type, r.source, r.points) for r in history) == [
        ("credit", "achievement", 10), ("credit", "first_task_of_day", 5),
        ("credit", "task_completion", 10), ("debit", "first_task_of_day", 5),
        ("debit", "task_completion", 10)]
    assert {r.created_at for r in history} == {clock.now()}
    assert {r.to_json()["created_at"] for r in history} == {clock.now().isoformat()}
    assert all(r.reason for r in history)
