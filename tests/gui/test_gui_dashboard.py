"""Dashboard: the charts show what `momentum stats` says; analytics are a level-4 perk."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from momentum_app.__main__ import main as momentum
from momentum_app.core import stats
from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.views.dashboard import load_dashboard

pytestmark = pytest.mark.gui


def cli_json(capsys, monkeypatch, db_path, clock, *args: str) -> dict:
    """Run a real `momentum … --json` command in-process on the window's database."""
    monkeypatch.setenv("MOMENTUM_NOW", clock.now().isoformat())
    capsys.readouterr()
    assert momentum(["--db", str(db_path), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def make_history(app) -> None:
    """Completions of every kind over the last two weeks (backdated, like a real week)."""
    now = app.clock.now()
    for days_ago, complexity in ((13, 2), (9, 5), (2, 1), (1, 3), (0, 1)):
        task = app.items.add_task(f"Task {days_ago}", complexity=complexity)
        app.items.complete(Kind.TASK, task.id, at=now - timedelta(days=days_ago, hours=1))
    start = now - timedelta(days=8, hours=3)
    slot = app.items.add_slot("Deep work", start, start + timedelta(minutes=95))
    app.items.complete(Kind.SLOT, slot.id, at=start + timedelta(minutes=95))
    goal = app.items.add_goal("Launch")
    step = app.items.add_step(goal.id, "Plan")
    app.items.complete(Kind.STEP, step.id, at=now - timedelta(days=1, hours=2))
    app.items.complete(Kind.GOAL, goal.id, at=now - timedelta(hours=2))


def test_the_charts_show_what_momentum_stats_prints(gui, capsys, monkeypatch, db_path, clock):
    make_history(gui.momentum)
    view = gui.window.show_view("dashboard")
    view.refresh_now()
    printed = cli_json(capsys, monkeypatch, db_path, clock, "stats")  # the default 30 days
    days = printed["days"]
    assert len(view.points_chart.values()) == len(days) == 30
    assert view.points_chart.values() == [day["points"] for day in days]
    assert sum(view.points_chart.values()) == printed["totals"]["points"] > 0
    assert view.kinds_chart.values() == {kind: printed["totals"][kind] for kind in stats.KINDS}
    weekly: dict[date, float] = {}
    for day in days:
        when = date.fromisoformat(day["date"])
        monday = when - timedelta(days=when.weekday())
        weekly[monday] = weekly.get(monday, 0) + day["focus_minutes"] / 60
    assert view.focus_chart.values() == pytest.approx([round(h, 1) for h in weekly.values()])
    assert printed["totals"]["focus_minutes"] == 95

    view.range.button("90").click()
    first = (clock.now() - timedelta(days=89)).date().isoformat()
    longer = cli_json(capsys, monkeypatch, db_path, clock, "stats", "--from", first,
                      "--to", clock.now().date().isoformat())
    assert view.points_chart.values() == [day["points"] for day in longer["days"]]
    assert len(view.points_chart.values()) == 90

    progress = cli_json(capsys, monkeypatch, db_path, clock, "progress")
    assert view.total_tile.value.text() == f"{progress['total_points']:,}"
    assert view.week_tile.value.text() == f"{progress['weekly_points']:,}"
    assert view.month_tile.value.text() == f"{progress['monthly_points']:,}"
    streaks = {s["type"]: s for s in cli_json(capsys, monkeypatch, db_path, clock, "streaks")}
    tile = view.streak_tiles["daily_activity"]
    assert tile.value.text() == f"{streaks['daily_activity']['current']} days"
    assert tile.note.text() == f"Longest {streaks['daily_activity']['longest']} days"


def test_heatmap_and_trends_are_locked_below_level_4(gui, grant):
    view = gui.window.show_view("dashboard")
    view.refresh_now()
    assert gui.ctx.perks.level == 1
    assert view.heatmap_stack.currentWidget() is view.heatmap_lock
    assert "level 4" in view.heatmap_lock.detail_label.text()
    assert view.trends_stack.currentWidget() is view.trends_lock
    assert view.points_chart.trend_series is None  # no trend line either

    grant(gui, 700)  # level 4 · Planner: the view refreshes itself from the broadcast
    assert gui.ctx.perks.level == 4
    assert view.heatmap_stack.currentWidget() is view.heatmap
    assert view.trends_stack.currentIndex() == 0
    grid = view.heatmap.grid
    assert grid is not None and grid.last == gui.ctx.today() and grid.weeks == 53
    points = view.points_chart.values()
    assert view.points_chart.trend_values() == pytest.approx(stats.moving_average(points, 7))
    assert points[-1] == 700


def test_the_heatmap_cells_and_hover(gui, grant, qtbot):
    app = gui.momentum
    now = app.clock.now()
    for days_ago in (0, 0, 0, 1, 40):
        task = app.items.add_task("t")
        app.items.complete(Kind.TASK, task.id, at=now - timedelta(days=days_ago))
    grant(gui, 700)
    view = gui.window.show_view("dashboard")
    view.refresh_now()
    heatmap = view.heatmap
    today = heatmap.grid.cells[-1]
    assert (today.day, today.value, today.level) == (gui.ctx.today(), 3, 4)
    assert heatmap.grid.active_days == 3
    assert heatmap.cell_at(heatmap.cell_rect(today).center()) == today
    assert heatmap.height() > 100


def test_the_dashboard_follows_a_profile_switch(gui):
    gui.momentum.profiles.add("Sam", timezone="UTC")
    view = gui.window.show_view("dashboard")
    task = gui.controller.add_task("Mine")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    assert view.total_tile.value.text() == "25"
    gui.controller.switch_profile("Sam")
    assert view.total_tile.value.text() == "0"
    assert view.level_card.title.text() == "Level 1 · Novice"


def test_load_dashboard_reads_a_year_of_days(gui):
    today = gui.ctx.today()
    data = load_dashboard(gui.momentum, today)
    assert data.rows[0].day == stats.heatmap_start(today) and data.rows[-1].day == today
    assert data.progress.total_points == 0
    assert len(data.rows) == (today - data.rows[0].day).days + 1
