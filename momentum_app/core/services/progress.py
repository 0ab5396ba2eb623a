"""``momentum progress`` (SPEC §7) in plain statements on the sqlite3 connection.

One implementation for both ways in: :meth:`.reads.ReadService.progress` (the window and
the full command line, on its Session's connection) and the command line's light path
(:mod:`.light`, a bare sqlite3 connection, no SQLAlchemy). Every figure comes from the
derived tables, as the rest of the read API's.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from ..engine import rules
from ..engine.state import GLOBAL, POINTS_TOTAL
from ..engine.step import streak_states
from ..errors import ValidationError
from .engine_store import StoredState, load_settings
from .read_dto import ProgressDTO


def period_range(period: str, today: date) -> tuple[date, date] | None:
    """The days of ``today``'s week (Monday first) or month; None for "all"."""
    if period == "week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    if period == "month":
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    if period == "all":
        return None
    raise ValidationError("period", f"must be week, month or all, got {period!r}")


def points_between(db: sqlite3.Connection, profile_id: int, span: tuple[date, date]) -> int:
    """The net points of the activity days ``span`` (both ends included)."""
    row = db.execute("SELECT coalesce(sum(points), 0) FROM day_stats WHERE profile_id = ? "
                     "AND day BETWEEN ? AND ?",
                     (profile_id, span[0].isoformat(), span[1].isoformat())).fetchone()
    return int(row[0] or 0)


def spent(db: sqlite3.Connection, profile_id: int) -> int:
    """Coins spent and not refunded."""
    row = db.execute("SELECT coalesce(sum(cost), 0) FROM reward_purchases WHERE "
                     "profile_id = ? AND refunded_at IS NULL", (profile_id,)).fetchone()
    return int(row[0] or 0)


def progress_of(db: sqlite3.Connection, profile_id: int, now: datetime) -> ProgressDTO:
    """Points, coins, the level's standing and every streak of ``profile_id`` as of
    ``now``, read in the caller's (read) transaction."""
    view = StoredState(db)
    settings = load_settings(db, profile_id)
    today = settings.day_of(now)
    total = view.counter(profile_id, (GLOBAL, POINTS_TOTAL))
    week = period_range("week", today)
    month = period_range("month", today)
    assert week and month
    return ProgressDTO(
        total_points=total,
        coins=total - spent(db, profile_id),
        weekly_points=points_between(db, profile_id, week),
        monthly_points=points_between(db, profile_id, month),
        today_points=points_between(db, profile_id, (today, today)),
        level=rules.level_progress(total),
        streaks=tuple(streak_states(view, settings, profile_id, today)),
    )
