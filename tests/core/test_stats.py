"""The dashboard's pure aggregators (core/stats.py) and the perk gate (catalog.perks_unlocked).

Unit tests on hand-made rows, then the real path: ``reads.stats()`` after real
completions, aggregated, must give the same numbers as its own ``totals``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from momentum_app.core import catalog, stats
from momentum_app.core.stats import DayRow

MONDAY = date(2026, 3, 2)


def row(offset: int, **figures: int) -> DayRow:
    return DayRow(day=MONDAY + timedelta(days=offset), **figures)


def stats_answer(rows: list[DayRow]) -> dict:
    """What ReadService.stats() returns for ``rows`` (the shape of `momentum stats --json`)."""
    return {"days": [{"date": r.day.isoformat(), **{name: r.figure(name)
                                                    for name in stats.FIGURES}}
                     for r in rows]}


# --- rows and windows -------------------------------------------------------------------


def test_day_rows_parse_the_read_api_answer_in_day_order():
    rows = [row(1, points=20, tasks=2, completions=2), row(0, points=5, focus_minutes=30)]
    parsed = stats.day_rows(stats_answer(rows))
    assert [r.day for r in parsed] == [MONDAY, MONDAY + timedelta(days=1)]
    assert parsed[1].points == 20 and parsed[0].focus_minutes == 30


def test_last_days_fills_missing_days_with_zeros():
    rows = [row(0, points=10), row(5, points=7)]
    window = stats.last_days(rows, 4, end=MONDAY + timedelta(days=6))
    assert [r.day.day for r in window] == [5, 6, 7, 8]
    assert [r.points for r in window] == [0, 0, 7, 0]
    assert stats.last_days(rows, 2) == [row(4), row(5, points=7)]
    assert stats.last_days([], 3) == [] and stats.last_days(rows, 0) == []


def test_totals_and_completions_by_kind():
    rows = [row(0, points=40, tasks=2, goal_steps=1, completions=3, focus_minutes=0),
            row(1, points=70, tasks=1, time_slots=2, goals=1, completions=4, focus_minutes=95)]
    assert stats.completions_by_kind(rows) == {"tasks": 3, "goal_steps": 1, "time_slots": 2,
                                               "goals": 1}
    assert stats.totals(rows) == stats.StatsTotals(
        points=110, tasks=3, goal_steps=1, time_slots=2, goals=1, completions=7,
        focus_minutes=95)
    assert stats.totals(rows).to_json() == {
        "points": 110, "tasks": 3, "goal_steps": 1, "time_slots": 2, "goals": 1,
        "completions": 7, "focus_minutes": 95}
    assert stats.points_per_day(rows) == [(MONDAY, 40), (MONDAY + timedelta(days=1), 70)]


def test_moving_average_is_trailing_and_starts_short():
    assert stats.moving_average([7, 0, 14, 7], window=2) == [7.0, 3.5, 7.0, 10.5]
    assert stats.moving_average([3, 3, 3], window=7) == [3.0, 3.0, 3.0]
    assert stats.moving_average([]) == []
    with pytest.raises(ValueError):
        stats.moving_average([1], window=0)


def test_weekly_focus_groups_by_iso_week_and_keeps_the_total():
    rows = [row(-1, focus_minutes=30), row(0, focus_minutes=60), row(6, focus_minutes=90),
            row(7, focus_minutes=45)]
    weeks = stats.weekly_focus(rows)
    assert [(w.monday, w.iso_week, w.focus_minutes, w.days) for w in weeks] == [
        (MONDAY - timedelta(days=7), "2026-W09", 30, 1),
        (MONDAY, "2026-W10", 150, 2),
        (MONDAY + timedelta(days=7), "2026-W11", 45, 1)]
    assert weeks[1].hours == pytest.approx(2.5)
    assert sum(w.focus_minutes for w in weeks) == stats.totals(rows).focus_minutes


def test_trend_compares_with_the_previous_period():
    rows = [row(i, points=10, completions=1) for i in range(7)] + [
        row(7 + i, points=15 if i != 3 else 45, completions=2) for i in range(7)]
    trend = stats.trend(rows, 7)
    assert (trend.points, trend.previous_points) == (135, 70)
    assert trend.change_percent == pytest.approx((135 - 70) / 70 * 100)
    assert trend.daily_average == pytest.approx(135 / 7)
    assert trend.active_days == 7 and trend.completions == 14
    assert trend.best_day is not None and trend.best_day.day == MONDAY + timedelta(days=10)
    quiet = stats.trend([row(0)], 7)
    assert quiet.change_percent is None and quiet.best_day is None


# --- the heatmap ----------------------------------------------------------------------


def test_heat_thresholds_are_quartiles_of_the_active_days():
    assert stats.heat_thresholds([0, 0, 0]) == ()
    assert stats.heat_thresholds([1, 2, 3, 4, 5, 6, 7, 8, 0]) == (2.75, 4.5, 6.25)
    assert stats.heat_thresholds([1, 3]) == (1.5, 2.0, 2.5)
    thresholds = (2.75, 4.5, 6.25)
    assert [stats.heat_level(v, thresholds) for v in (0, 1, 2, 3, 5, 7, 100)] == [
        0, 1, 1, 2, 3, 4, 4]
    assert stats.heat_level(5, ()) == 1  # one active day is still visible


def test_heatmap_is_a_year_of_week_columns_ending_today():
    end = date(2026, 3, 11)  # a Wednesday
    rows = [DayRow(day=end, points=30, completions=3),
            DayRow(day=end - timedelta(days=1), completions=1),
            DayRow(day=date(2024, 1, 1), completions=50)]  # outside the grid: ignored
    grid = stats.heatmap(rows, end)
    assert grid.first == stats.heatmap_start(end) == date(2025, 3, 10)  # a Monday
    assert grid.first.weekday() == 0 and grid.weeks == 53
    assert len(grid.cells) == 52 * 7 + 3  # the last column stops at today
    last = grid.cells[-1]
    assert (last.day, last.value, last.points, last.column, last.row) == (end, 3, 30, 52, 2)
    assert last.level == stats.HEAT_LEVELS and grid.cells[-2].level == 1
    assert grid.total == 4 and grid.active_days == 2
    assert grid.months[0] == (0, date(2025, 3, 1))
    assert (3, date(2025, 4, 1)) in grid.months  # April 1st 2025 is in the 4th column
    assert all(month.day == 1 for _, month in grid.months)


# --- the real read API ------------------------------------------------------------------


def test_aggregates_of_the_read_api_match_its_own_totals(play, app, clock):
    play.task(at=play.at(1, 9))
    play.task(complexity=3, at=play.at(1, 10))
    play.slot(120, at=play.at(2, 15))
    play.step(at=play.at(9, 11))
    play.finish_goal(at=play.at(9, 12))
    clock.instant = datetime(2026, 1, 14, 18, tzinfo=timezone.utc)  # day 10
    answer = app.reads.stats()
    rows = stats.day_rows(answer)
    assert len(rows) == 30 and rows[-1].day == date(2026, 1, 14)
    assert stats.totals(rows) == answer.totals
    assert sum(count for count in stats.completions_by_kind(rows).values()) == \
        answer.totals.completions == 5
    assert sum(w.focus_minutes for w in stats.weekly_focus(rows)) == 120
    assert stats.last_days(rows, 10) == stats.day_rows(app.reads.stats("2026-01-05",
                                                                       "2026-01-14"))
    grid = stats.heatmap(rows, rows[-1].day)
    assert grid.total == 5 and grid.active_days == 3


# --- perks ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", range(1, catalog.MAX_LEVEL + 1))
def test_perks_unlock_from_their_level_on(level):
    unlocked = catalog.perks_unlocked(level)
    for entry in catalog.LEVELS:
        if entry.perk_key is not None:
            assert (entry.perk_key in unlocked) is (entry.number <= level)
    assert len(unlocked) == level - 1


def test_perk_keys_follow_the_level_table():
    assert catalog.PERK_KEYS[0] == "accent_colour" and len(catalog.PERK_KEYS) == 9
    assert catalog.perks_unlocked(0) == frozenset()
    assert catalog.perks_unlocked(99) == frozenset(catalog.PERK_KEYS)
    assert all(catalog.perk_level(key) == index + 2
               for index, key in enumerate(catalog.PERK_KEYS))
