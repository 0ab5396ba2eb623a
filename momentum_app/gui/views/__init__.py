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
    """A :class:`ViewSpec` factory: the view of this package's module ``module``, whose
    class is named after it (``today`` → ``TodayView``), imported on the first call."""

    module: str

    def __call__(self, ctx: GuiContext) -> View:
        view_class = getattr(importlib.import_module(f"{__name__}.{self.module}"),
                             f"{self.module.capitalize()}View")
        view = view_class(ctx)
        assert isinstance(view, View), self
        return view


#: The screens in the sidebar's order: id (= its module), title, icon, what it shows,
#: and a shortcut of its own (else Ctrl+n for the n-th).
SCREENS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("today", "Today", "fa5s.sun", "Tasks due today and overdue, today's time slots", None),
    ("tasks", "Tasks", "fa5s.tasks", "All tasks with filters by project, status and text",
     None),
    ("goals", "Goals", "fa5s.bullseye", "Goals with their steps and progress", None),
    ("schedule", "Schedule", "fa5s.calendar-alt", "Day and week views of time slots", None),
    ("dashboard", "Dashboard", "fa5s.chart-pie",
     "Level, points, streaks, charts and a year of activity", None),
    ("achievements", "Achievements", "fa5s.trophy",
     "Every achievement: unlocked ones with their date, locked ones with progress", None),
    ("milestones", "Milestones", "fa5s.flag-checkered",
     "Global and per-project milestone cards with their rewards", None),
    ("leaderboard", "Leaderboard", "fa5s.medal", "Profiles ranked by points; your best weeks",
     None),
    ("levels", "Levels & perks", "fa5s.layer-group",
     "The level table and the perks each level unlocks", None),
    ("rewards", "Rewards", "fa5s.gift", "The reward shop: spend your coins, see what you bought",
     "Ctrl+Shift+R"),
    ("settings", "Settings", "fa5s.cog",
     "Time zone, day start, daily target, days off, vacations, notifications", "Ctrl+,"),
)

VIEWS: list[ViewSpec] = [ViewSpec(view_id, title, icon, ViewClass(view_id), description,
                                  shortcut)
                         for view_id, title, icon, description, shortcut in SCREENS]

__all__ = ["VIEWS", "View", "ViewClass", "ViewSpec"]
