"""The window's screens. A new screen adds itself by appending its :class:`ViewSpec` to
:data:`VIEWS`: the sidebar, the Ctrl+1…n shortcuts and the screenshot tool pick it up.

A screen's module is imported only when the screen is first built (:class:`ViewClass`):
the window starts with the one it shows (Today, usually) and does not import the ten
others, their widgets and what they read with (charts, the schedule's grid, the stats);
``tests/gui/test_gui_launch.py`` checks that a launch imports Today's module alone.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..context import GuiContext
from .base import View, ViewSpec


@dataclass(frozen=True)
class ViewClass:
    """A :class:`ViewSpec` factory: the view class ``name`` of this package's ``module``,
    imported on the first call."""

    module: str
    name: str

    def __call__(self, ctx: GuiContext) -> View:
        view_class = getattr(importlib.import_module(f"{__name__}.{self.module}"), self.name)
        view = view_class(ctx)
        assert isinstance(view, View), self
        return view


VIEWS: list[ViewSpec] = [
    ViewSpec("today", "Today", "fa5s.sun", ViewClass("today", "TodayView"),
             "Tasks due today and overdue, today's time slots"),
    ViewSpec("tasks", "Tasks", "fa5s.tasks", ViewClass("tasks", "TasksView"),
             "All tasks with filters by project, status and text"),
    ViewSpec("goals", "Goals", "fa5s.bullseye", ViewClass("goals", "GoalsView"),
             "Goals with their steps and progress"),
    ViewSpec("schedule", "Schedule", "fa5s.calendar-alt", ViewClass("schedule", "ScheduleView"),
             "Day and week views of time slots"),
    ViewSpec("dashboard", "Dashboard", "fa5s.chart-pie",
             ViewClass("dashboard", "DashboardView"),
             "Level, points, streaks, charts and a year of activity"),
    ViewSpec("achievements", "Achievements", "fa5s.trophy",
             ViewClass("achievements", "AchievementsView"),
             "Every achievement: unlocked ones with their date, locked ones with progress"),
    ViewSpec("milestones", "Milestones", "fa5s.flag-checkered",
             ViewClass("milestones", "MilestonesView"),
             "Global and per-project milestone cards with their rewards"),
    ViewSpec("leaderboard", "Leaderboard", "fa5s.medal",
             ViewClass("leaderboard", "LeaderboardView"),
             "Profiles ranked by points; your best weeks"),
    ViewSpec("levels", "Levels & perks", "fa5s.layer-group", ViewClass("levels", "LevelsView"),
             "The level table and the perks each level unlocks"),
    ViewSpec("rewards", "Rewards", "fa5s.gift", ViewClass("rewards", "RewardsView"),
             "The reward shop: spend your coins, see what you bought",
             shortcut="Ctrl+Shift+R"),
    ViewSpec("settings", "Settings", "fa5s.cog", ViewClass("settings", "SettingsView"),
             "Time zone, day start, daily target, days off, vacations, notifications",
             shortcut="Ctrl+,"),
]

__all__ = ["VIEWS", "View", "ViewClass", "ViewSpec"]
