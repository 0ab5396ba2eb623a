"""Listing tasks by status in plain statements (issue 14: ``momentum task list``).

``ItemService.list_tasks`` without filters but the status and the search text, pages or
another order (the command line's default ``task list``, ``--status`` and ``--search``)
reads here, and so does the command line's light path (:mod:`.light`): one
implementation. It reads the same rows as :mod:`.task_query` would (the profile's tasks
that are not deleted, open ones hidden until a later day left out, in id order) and
builds each DTO once, with its tags and its overdue flag. A task's tags for a list are
read here too (``planning.tags_of``).

**Search** is plain SQL text here, :func:`search_filter`, and :mod:`.task_query` (the
pages, orders and other filters of ``list_tasks``) runs the same text: one definition.
A needle of three or more characters first narrows the rows with the trigram index
``tasks_fts`` (migration 0003); the case-insensitive ``LIKE`` (SQLite's ``lower``: ASCII
letters only) on the title or the notes, ``%``, ``_`` and ``\\`` escaped, then decides, so
the index can only make the answer faster, never different.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from .. import planning
from ..clock import activity_day
from ..kinds import Status
from . import validation as v
from .dto import TaskDTO
from .engine_store import read_day, read_instant

#: Up to this many tasks, their tags are read with ``IN (…)``; beyond it, the profile's.
TAG_IN_LIMIT = 500
#: The trigram tokenizer indexes runs of three characters: shorter needles cannot use it.
FTS_MIN_LENGTH = 3
#: The longest search text (``--search``, the window's search box).
SEARCH_MAX_LENGTH = 500
_TASKS = ("SELECT t.id, t.title, t.status, p.name, t.complexity, t.due_date, "
          "t.completed_at, t.notes, t.repeat_rule, t.goal_id, t.project_id, t.due_time, "
          "t.due_at, t.repeat_after, t.hidden_until FROM tasks t "
          "JOIN projects p ON p.id = t.project_id WHERE t.profile_id = :profile_id "
          "AND t.deleted_at IS NULL "
          "AND (t.hidden_until IS NULL OR t.hidden_until <= :today OR t.status != 'open')")
_LIKE = ("(lower({table}.title) LIKE lower(:search_like) ESCAPE '\\' "
         "OR lower({table}.notes) LIKE lower(:search_like) ESCAPE '\\')")
_FTS = "{table}.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH :search_fts) AND "


def search_needle(search: str) -> str:
    """The text a search looks for: ``search`` checked (a clear error naming the field)
    and trimmed."""
    return v.clean_text(search, "search", max_length=SEARCH_MAX_LENGTH)


def search_filter(needle: str, table: str = "tasks") -> tuple[str, dict[str, str]]:
    """The condition that a row of ``table`` (the tasks, or their alias) holds ``needle``
    in its title or notes, and its named parameters (``:search_like``, ``:search_fts``)."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params = {"search_like": f"%{escaped}%"}
    condition = _LIKE.format(table=table)
    if len(needle) >= FTS_MIN_LENGTH:
        # one FTS5 phrase: a literal substring for the trigram tokenizer
        params["search_fts"] = '"' + needle.replace('"', '""') + '"'
        condition = _FTS.format(table=table) + condition
    return condition, params
_TAGS = ("SELECT task_tags.task_id, tags.name FROM task_tags "
         "JOIN tags ON tags.id = task_tags.tag_id WHERE tags.profile_id = ?")


def tags_of(db: sqlite3.Connection, profile_id: int, task_ids: Sequence[int]
            ) -> dict[int, tuple[str, ...]]:
    """Each task's tags, sorted by name, for a page (or a whole list) of tasks."""
    query, params = _TAGS, [profile_id]
    if len(task_ids) <= TAG_IN_LIMIT:
        if not task_ids:
            return {}
        query += f" AND task_tags.task_id IN ({', '.join('?' * len(task_ids))})"
        params += task_ids
    found: dict[int, list[str]] = {}
    for task_id, name in db.execute(query + " ORDER BY lower(tags.name)", params):
        found.setdefault(task_id, []).append(name)
    return {task_id: tuple(names) for task_id, names in found.items()}


def plain_listing(project: object, due_before: date | None,
                  due_after: object, limit: int | None, after: object, tag: object,
                  extra: object, order: str) -> bool:
    """Whether ``ItemService.list_tasks`` with these arguments is :func:`list_by_status`:
    no filter but the status and the search text (the command line's ``task list``), or
    the open tasks due by a day in due order (the Today view's first screen)."""
    if (project, due_after, after, tag) != (None,) * 4 or extra:
        return False
    if due_before is None:
        return limit is None and order == "id"
    return order == "due"


def list_by_status(db: sqlite3.Connection, profile_id: int, status: str,
                   now: datetime, *, due_before: date | None = None,
                   limit: int | None = None, search: str | None = None) -> list[TaskDTO]:
    """The profile's tasks with ``status`` (``open``, ``done`` or ``all``) as of
    ``now``, in id order, in the caller's read transaction; with ``due_before``, those
    due by that day, by due date then id (the Today view's list, ``order="due"``), the
    first ``limit`` of them; with a ``search`` text (not empty), those that hold it
    (:func:`search_filter`)."""
    zone_name, day_start = db.execute("SELECT timezone, day_start_hour FROM profiles "
                                      "WHERE id = ?", (profile_id,)).fetchone()
    today = activity_day(now, zone_name, day_start)
    query = _TASKS
    params: dict[str, object] = {"profile_id": profile_id, "today": today.isoformat(),
                                 "status": status}
    if search:
        condition, found = search_filter(search_needle(search), "t")
        query += " AND " + condition
        params.update(found)
    if status != "all":
        query += " AND t.status = :status"
    order = " ORDER BY t.id"
    if due_before is not None:
        query += " AND t.due_date <= :due_before"
        params["due_before"] = due_before.isoformat()
        order = " ORDER BY t.due_date, t.id"  # no undated row passes the filter
    if limit is not None:
        order += " LIMIT :limit"
        params["limit"] = limit
    rows = db.execute(query + order, params).fetchall()
    tags = tags_of(db, profile_id, [row[0] for row in rows])
    out = []
    for (task_id, title, state, project, complexity, due_text, completed, notes, repeat,
         goal_id, project_id, due_time, due_at_text, repeat_after, hidden) in rows:
        due, due_at = read_day(due_text), read_instant(due_at_text)
        out.append(TaskDTO(
            task_id, title, state, project, complexity, due, read_instant(completed), notes,
            repeat, goal_id, project_id, False, due_time, due_at, repeat_after,
            tags.get(task_id, ()),
            state == Status.OPEN and planning.is_overdue(due, due_at, now, today),
            read_day(hidden)))
    return out


__all__ = ["FTS_MIN_LENGTH", "SEARCH_MAX_LENGTH", "TAG_IN_LIMIT", "list_by_status",
           "plain_listing", "search_filter", "search_needle", "tags_of"]
