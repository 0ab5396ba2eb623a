"""Adding a plain task in direct statements (issue 14: the command line's start-up).

``ItemService.add_task`` sends a task here first when it has nothing but a title,
notes and a complexity (no project named, no goal, due, repeat, tags, reminders or
hidden-until day): the task goes into the profile's Inbox with the same row, the same
undo-history entry (its inverse: a soft delete) and the same DTO as the general path
gives, on a sqlite3 connection in the caller's transaction. The command line's light
path (:mod:`.light`) calls it too: one implementation for both. Anything else — or a
profile without its Inbox yet (the general path makes it) — gets None and the general
path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kinds import Status
from . import validation as v
from .dto import TaskDTO
from .engine_store import sql_instant
from .history_log import NOW, columns_op, record_direct

if TYPE_CHECKING:
    import sqlite3

    from .context import Actor

_INBOX = "SELECT id, name FROM projects WHERE profile_id = ? AND is_inbox = 1 ORDER BY id"
_INSERT = ("INSERT INTO tasks (profile_id, project_id, goal_id, title, notes, complexity, "
           "due_date, due_at, due_time, repeat_rule, repeat_start, repeat_after, status, "
           "completed_at, created_at, updated_at, deleted_at, hidden_until) "
           "VALUES (?, ?, NULL, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, NULL, ?, ?, "
           "NULL, NULL)")


def add_plain_task(ctx: Actor, db: sqlite3.Connection, title: object, complexity: object,
                   notes: object) -> TaskDTO | None:
    """Add a task with only these fields to the Inbox, in ``db``'s transaction
    (validated first, as the general path does); None, having written nothing: the
    profile has no Inbox yet."""
    clean_title = v.title(title)
    level = v.complexity(complexity)
    clean_notes = v.notes(notes)
    inbox = db.execute(_INBOX, (ctx.profile_id,)).fetchone()
    if inbox is None:
        return None
    stamp = sql_instant(ctx.now())
    task_id = db.execute(_INSERT, (ctx.profile_id, inbox[0], clean_title, clean_notes, level,
                                   Status.OPEN.value, stamp, stamp)).lastrowid
    assert task_id is not None
    record_direct(db, ctx, f"Add “{clean_title}”",
                  columns_op("tasks", task_id, {"deleted_at": NOW}))
    return TaskDTO(task_id, clean_title, Status.OPEN, inbox[1], level, None, None,
                   clean_notes, None, None, inbox[0])


__all__ = ["add_plain_task"]
