"""The window's first screen in plain statements on the sqlite3 connection (issue 14).

The window opens on its header (the progress read), its sidebar (the profile's
projects) and a first view, Today by default (the open tasks due by today, the day's
time slots and the day's tally), with the Undo and Redo menu. Those reads live here, on
a bare sqlite3 connection, so that the window can be filled before SQLAlchemy is loaded
(:mod:`momentum_app.gui.first_screen`), and the services read through the same
functions on their Session's connection (``ProfileService.current``,
``ProjectService.list``, ``ReadService.tasks_done_today``, ``ItemService.list_slots``,
``HistoryService.status``; the tasks and the progress are :mod:`.task_listing`'s and
:mod:`.progress`'s): one implementation of each read.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from .. import catalog
from ..kinds import UndoState
from .dto import ProfileDTO, ProjectDTO, SlotDTO
from .engine_store import days_off_of, load_settings, read_instant, sql_instant
from .read_dto import HistoryStatus

_PROFILE = ("SELECT id, name, timezone, day_start_hour, daily_task_target, days_off, "
            "is_default, game_mode FROM profiles WHERE id = ?")
_PROJECTS = ("SELECT id, name, goals_enabled, is_inbox FROM projects WHERE profile_id = ? "
             "AND deleted_at IS NULL ORDER BY is_inbox DESC, name")
_SLOTS = ("SELECT id, title, start_at, end_at, status, task_id, goal_id, completed_at "
          "FROM time_slots WHERE profile_id = ? AND deleted_at IS NULL")
_NEXT_ENTRY = ("SELECT id, label FROM undo_entries WHERE profile_id = ? AND state = ? "
               "ORDER BY id {} LIMIT 1")
_ENTRY_COUNTS = ("SELECT state, count(*) FROM undo_entries WHERE profile_id = ? "
                 "GROUP BY state")


def profile_of(db: sqlite3.Connection, profile_id: int) -> ProfileDTO:
    """The profile's settings as the window and ``momentum profile`` show them."""
    row = db.execute(_PROFILE, (profile_id,)).fetchone()
    assert row is not None, f"no profile {profile_id}"
    pid, name, zone, hour, target, days_off, is_default, mode = row
    return ProfileDTO(pid, name, zone, hour, target,
                      tuple(catalog.WEEKDAYS[d] for d in sorted(days_off_of(days_off))),
                      bool(is_default), mode)


def projects_of(db: sqlite3.Connection, profile_id: int) -> list[ProjectDTO]:
    """The profile's projects, the Inbox first, then by name."""
    return [ProjectDTO(pid, name, bool(goals), bool(inbox))
            for pid, name, goals, inbox in db.execute(_PROJECTS, (profile_id,))]


def tasks_done_on_day(db: sqlite3.Connection, profile_id: int, now: datetime) -> int:
    """Net task completions of ``now``'s activity day (the daily-target figure)."""
    today = load_settings(db, profile_id).day_of(now)
    row = db.execute("SELECT tasks FROM day_stats WHERE profile_id = ? AND day = ?",
                     (profile_id, today.isoformat())).fetchone()
    return max(0, int(row[0] or 0)) if row is not None else 0


def slots_between(db: sqlite3.Connection, profile_id: int, start: datetime | None = None,
                  end: datetime | None = None, status: str = "all") -> list[SlotDTO]:
    """The profile's time slots that overlap ``start``–``end``, by start."""
    query, params = _SLOTS, list[object]([profile_id])
    if start is not None:
        query += " AND end_at > ?"
        params.append(sql_instant(start))
    if end is not None:
        query += " AND start_at < ?"
        params.append(sql_instant(end))
    if status != "all":
        query += " AND status = ?"
        params.append(status)
    out = []
    for sid, title, start_at, end_at, state, task_id, goal_id, completed in db.execute(
            query + " ORDER BY start_at", params):
        begins, ends = read_instant(start_at), read_instant(end_at)
        assert begins is not None and ends is not None
        out.append(SlotDTO(sid, title, begins, ends, state, task_id, goal_id,
                           read_instant(completed)))
    return out


def history_status_of(db: sqlite3.Connection, profile_id: int) -> HistoryStatus:
    """What Undo and Redo would do now: undo takes the newest action, redo the one
    undone last, which is the oldest entry on the redo side (undo walks down the ids)."""
    top = db.execute(_NEXT_ENTRY.format("DESC"), (profile_id, UndoState.DONE.value)).fetchone()
    redo = db.execute(_NEXT_ENTRY.format("ASC"), (profile_id, UndoState.UNDONE.value)).fetchone()
    counts = dict(db.execute(_ENTRY_COUNTS, (profile_id,)).fetchall())
    return HistoryStatus(top[1] if top else None, redo[1] if redo else None,
                         top[0] if top else None, redo[0] if redo else None,
                         int(counts.get(UndoState.DONE.value, 0)),
                         int(counts.get(UndoState.UNDONE.value, 0)))


__all__ = ["history_status_of", "profile_of", "projects_of",
           "slots_between", "tasks_done_on_day"]
