"""An import's bulk writes as plain statements on the sqlite3 connection (issue 18 item 5).

The projects a plan names, its new tasks (:func:`new_tasks`) and time slots (ids given
here, the search index filled once), and their tags — written the same way whether the
caller holds a Session (:mod:`.apply`, :mod:`.staged`, a backup's restore: its sqlite3
connection is used, after a flush, in its transaction) or a bare sqlite3 connection (the
command line's light path, :mod:`.light`, which loads no SQLAlchemy). Values are stored
as SQLAlchemy stores them (:func:`~..services.sql_values.insert_rows`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from .. import search_fill
from ..exports.common import Feedback
from ..services.sql_values import Store, insert_rows, raw, sql_instant
from ..services.validation import tag_names
from . import identity
from .common import TaskRecord


def connection(conn: Store) -> sqlite3.Connection:
    """The sqlite3 connection under ``conn``, a Session's pending objects flushed first
    (so that plain statements see them)."""
    flush = getattr(conn, "flush", None)
    if flush is not None:
        flush()
    return raw(conn)


def project_ids(conn: Store, profile_id: int, inbox_id: int, names: Iterable[str | None],
                now: datetime, counts: dict[str, int]) -> dict[str | None, int]:
    """The id of each project ``names`` names (None: the Inbox, ``inbox_id``), made when
    missing (``counts["projects"]`` counts them) and brought back when deleted."""
    db = connection(conn)
    ids: dict[str | None, int] = {None: inbox_id}
    existing = {str(name): (int(project_id), deleted_at) for project_id, name, deleted_at in
                db.execute("SELECT id, name, deleted_at FROM projects WHERE profile_id = ?",
                           (profile_id,))}
    for name in sorted(n for n in names if n is not None):
        found = existing.get(name)
        if found is None and name.lower() == "inbox":
            ids[name] = inbox_id
            continue
        if found is None:
            made = db.execute(
                "INSERT INTO projects (profile_id, name, goals_enabled, is_inbox, created_at, "
                "deleted_at) VALUES (?, ?, 1, 0, ?, NULL)",
                (profile_id, name, sql_instant(now))).lastrowid
            assert made is not None
            found = (made, None)
            counts["projects"] = counts.get("projects", 0) + 1
        elif found[1] is not None:  # importing into a deleted project brings it back
            db.execute("UPDATE projects SET deleted_at = NULL WHERE id = ?", (found[0],))
        ids[name] = found[0]
    return ids


def insert_with_ids(conn: Store, table: str, rows: list[dict[str, Any]], hooks: Feedback,
                    stage: str) -> list[int]:
    """Insert ``rows`` into ``table`` with ids given here (inside the write transaction
    nobody else can take them), as plain executemany batches of fixed SQL
    (:func:`insert_rows`): no RETURNING, no ORM objects, no statement per row. New tasks
    go into the search index at once, not row by row (:mod:`..search_fill`)."""
    if not rows:
        return []
    db = connection(conn)
    newest = db.execute(f"SELECT max(id) FROM {table}").fetchone()[0]  # noqa: S608
    base = int(newest or 0) + 1
    ids = list(range(base, base + len(rows)))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    with search_fill.filled_at_once(db, ids[0], ids[-1], tasks=table == "tasks"):
        for start in range(0, len(rows), 2000):
            hooks.check()
            insert_rows(db, table, rows[start:start + 2000])
            hooks.report(stage, min(start + 2000, len(rows)), len(rows))
    return ids


def new_tasks(conn: Store, owner: int, profile_id: int, entries: Sequence[identity.Entry],
              projects: dict[str | None, int], now: datetime, award: bool, tz_name: str,
              hooks: Feedback) -> tuple[list[int], list[dict[str, Any]]]:
    """Insert the added tasks ``entries`` as rows of the profile ``owner`` (the person's,
    or a large import's staging profile) with their tags (``profile_id``'s, the person's):
    their ids and rows (:func:`.identity.task_row`, for reminders and ``--award``)."""
    records = [cast(TaskRecord, entry.record) for entry in entries]  # kind "task"
    rows = [identity.task_row(owner, record, projects, now, award, tz_name)
            for record in records]
    hooks.check()
    ids = insert_with_ids(conn, "tasks", rows, hooks, "tasks")
    import_tags(conn, profile_id, zip(ids, (record.tags for record in records), strict=True),
                now)
    return ids, rows


def import_tags(conn: Store, profile_id: int, pairs: Iterable[tuple[int, Sequence[str]]],
                now: datetime) -> None:
    """Imported tasks' tags (validated names), in the import's transaction: each name
    matched case-insensitively to the profile's tag (made on first use), the links in
    one executemany."""
    db = connection(conn)
    ids: dict[str, int] = {}
    valid: dict[tuple[str, ...], list[str]] = {}  # the same few sets of tags repeat
    links = []
    for task_id, names in pairs:
        key = tuple(names)
        checked = valid.get(key)
        if checked is None:
            checked = valid[key] = tag_names(key, lenient=True)
        for name in checked:
            tag_id = ids.get(name.lower())
            if tag_id is None:
                tag_id = ids[name.lower()] = _tag_id(db, profile_id, name, now)
            links.append({"task_id": task_id, "tag_id": tag_id})
    insert_rows(db, "task_tags", links)


def _tag_id(db: sqlite3.Connection, profile_id: int, name: str, now: datetime) -> int:
    found = db.execute("SELECT id FROM tags WHERE profile_id = ? AND lower(name) = ? LIMIT 1",
                       (profile_id, name.lower())).fetchone()
    if found is not None:
        return int(found[0])
    made = db.execute("INSERT INTO tags (profile_id, name, created_at) VALUES (?, ?, ?)",
                      (profile_id, name, sql_instant(now))).lastrowid
    assert made is not None
    return made


__all__ = ["connection", "import_tags", "insert_with_ids", "new_tasks", "project_ids"]
