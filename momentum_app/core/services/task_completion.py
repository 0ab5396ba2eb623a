"""Completing a task: the hot path of the app, in direct statements (issue 14).

``ItemService.complete`` sends a task here first. It does what the general path does —
the same checks and messages, the same event (key, meta), the engine's one ``step``, the
task marked done, the DTO — with fixed SQL on a sqlite3 connection in one
transaction instead of ORM loads, a unit-of-work flush and DTO queries: those cost ~3 ms
of a ~5 ms completion. A repeating task (whose next occurrence is spawned through the
ORM) goes back to the general path, as :func:`complete_task` returns None for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import catalog
from ..catalog import Kind
from ..errors import NotFoundError, ValidationError
from ..kinds import Status
from . import validation as v
from .dto import Completed, TaskDTO
from .engine_store import read_day, read_instant, sql_instant
from .history_log import Op, record_direct

if TYPE_CHECKING:
    import sqlite3

    from .context import Actor

_TASK = ("SELECT t.id, t.profile_id, t.project_id, t.goal_id, t.title, t.notes, "
         "t.complexity, t.due_date, t.due_at, t.due_time, t.repeat_rule, t.repeat_after, "
         "t.status, t.deleted_at, p.name, pr.timezone FROM tasks t "
         "LEFT JOIN projects p ON p.id = t.project_id "
         "JOIN profiles pr ON pr.id = t.profile_id WHERE t.id = ?")
_COUNT = ("SELECT count(*) FROM completions WHERE profile_id = ? AND kind = 'task' "
          "AND item_id = ?")
_TAGS = ("SELECT tags.name FROM tags JOIN task_tags ON task_tags.tag_id = tags.id "
         "WHERE task_tags.task_id = ? ORDER BY lower(tags.name)")


def complete_task(ctx: Actor, db: sqlite3.Connection, item_id: object, at: Any,
                  key: str | None) -> Completed | None:
    """Complete a task in ``db``'s transaction (``Database.direct_transaction``); None,
    having written nothing: a repeating task (the caller's general path spawns its next
    occurrence)."""
    try:
        number = int(item_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValidationError("id", f"not a task id: {item_id!r}") from None
    row = db.execute(_TASK, (number,)).fetchone() if 0 < number < 2**63 else None
    if row is None or row[1] != ctx.profile_id or row[13] is not None:
        raise NotFoundError("id", f"no task with id {item_id}")
    if row[10] or row[11]:
        return None
    if row[12] == Status.DONE:
        raise ValidationError("id", f"task {row[0]} is already done")
    when = v.completion_instant(at, ctx.now(), row[15])
    count = db.execute(_COUNT, (ctx.profile_id, row[0])).fetchone()[0]
    due = read_day(row[7])
    meta = {"item_id": row[0], "title": row[4], "complexity": row[6],
            "project_id": row[2], "due": due.isoformat() if due else None}
    outcome = ctx.process(db, catalog.COMPLETION_SOURCE[Kind.TASK], meta, when,
                          key or f"task:{row[0]}:done:{count + 1}")
    db.execute("UPDATE tasks SET status = 'done', completed_at = ? WHERE id = ?",
               (sql_instant(when), row[0]))
    tags = tuple(tag for (tag,) in db.execute(_TAGS, (row[0],)))
    item = TaskDTO(row[0], row[4], Status.DONE, row[14] or "", row[6], due, when, row[5],
                   row[10], row[3], row[2], False, row[9], read_instant(row[8]), row[11],
                   tags)
    return Completed(item, outcome)


def complete_and_record(ctx: Actor, db: sqlite3.Connection, item_id: object, at: Any,
                        key: str | None) -> Completed | None:
    """:func:`complete_task` and its entry in the undo history (its inverse: a reopen),
    in ``db``'s transaction: ``ItemService.complete``'s hot path and the command line's
    light ``task done`` (:mod:`.light`)."""
    done = complete_task(ctx, db, item_id, at, key)
    if done is not None:
        record_direct(db, ctx, f"Complete “{done.item.title}”",
                      Op("reopen", {"kind": Kind.TASK.value, "id": done.item.id,
                                    "spawned": None}))
    return done


__all__ = ["complete_and_record", "complete_task"]
