"""Gamification modes in the window (SPEC v2 §11): ``full``, ``quiet`` or ``off``.

* **full**: everything — toasts, banners, points everywhere.
* **quiet**: no toasts and no level-up banner; points only on the Dashboard and in the
  header (the Today view's points tile is hidden).
* **off**: no points, levels, streaks, coins or achievements anywhere: the header shows
  none of them, the game's views (:data:`GAME_VIEWS`) leave the sidebar and, opened by a
  shortcut, show a neutral page instead (:mod:`.views.game_off`), and Today shows only the day's
  work.

The engine records everything in every mode; switching back shows the true history. The
mode is a per-profile setting (``profiles.game_mode``), read through :func:`game_mode`.
"""

from __future__ import annotations

from ..core.services import Momentum

FULL, QUIET, OFF = "full", "quiet", "off"
#: Views that are all about the game: hidden when it is off.
GAME_VIEWS = frozenset({"dashboard", "achievements", "milestones", "leaderboard", "levels",
                        "rewards"})


def game_mode(momentum: Momentum) -> str:
    return momentum.profiles.current().game_mode


def toasts_on(mode: str) -> bool:
    """Toasts and banners celebrate: only in full mode."""
    return mode == FULL


def game_shown(mode: str) -> bool:
    """Points, levels, streaks and achievements are visible (full and quiet)."""
    return mode != OFF
