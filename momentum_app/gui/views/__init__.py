"""The window's screens. A new screen adds itself by appending its :class:`ViewSpec` to
:data:`VIEWS`: the sidebar, the Ctrl+1…n shortcuts and the screenshot tool pick it up.
"""

from __future__ import annotations

from . import (
    achievements,
    dashboard,
    goals,
    leaderboard,
    levels,
    milestones,
    rewards,
    schedule,
    settings,
    tasks,
    today,
)
from .base import View, ViewSpec

VIEWS: list[ViewSpec] = [today.SPEC, tasks.SPEC, goals.SPEC, schedule.SPEC, dashboard.SPEC,
                          achievements.SPEC, milestones.SPEC, leaderboard.SPEC,
                          levels.SPEC, rewards.SPEC, settings.SPEC]

__all__ = ["VIEWS", "View", "ViewSpec"]
