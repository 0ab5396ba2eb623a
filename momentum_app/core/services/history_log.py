"""The undo history's rows, written with plain statements (no SQLAlchemy).

:mod:`.history` explains the history; this is the part of it that the hot paths need
on a bare sqlite3 connection — a task's completion (``task_completion.py``) and the
command line's light path (:mod:`.light`): an operation (:class:`Op`), the ``columns``
operation a creation records, and :func:`record_direct`, which writes the same row
:func:`.history.record` writes through a Session.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ..kinds import UndoState

if TYPE_CHECKING:
    import sqlite3

    from .context import Actor

DONE, UNDONE = UndoState.DONE, UndoState.UNDONE
HISTORY_LIMIT = 200
#: In a ``columns`` operation: "the time when it is applied" (a soft delete's stamp).
NOW = {"$now": True}


@dataclass(frozen=True)
class Op:
    """One operation of the history: a name in :data:`.history.OPS` and JSON
    arguments."""

    name: str
    args: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"op": self.name, "args": dict(self.args)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Op:
        return cls(str(data["op"]), dict(data.get("args") or {}))


def columns_op(table: str, row_id: int, values: Mapping[str, object]) -> Op:
    """Set columns of one row of ``table`` back (an edit's undo; a creation's soft
    delete, ``{"deleted_at": NOW}``)."""
    return Op("columns", {"table": table, "id": row_id, "values": dict(values)})


def rows_op(table: str, rows: Iterable[tuple[int, Mapping[str, object]]]) -> Op:
    """Set columns of many rows of ``table`` at once (an import's thousands of creations:
    one ``rows`` operation, not one ``columns`` each); ``rows``: ``(id, values)``."""
    return Op("rows", {"table": table, "rows": [[row_id, dict(values)]
                                                for row_id, values in rows]})


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, tuple):
        return list(value)
    return value


def _decode(value: object, now: datetime) -> object:
    if isinstance(value, dict):
        if value.get("$now"):
            return now
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
    return value


def record_direct(conn: sqlite3.Connection, ctx: Actor, label: str, *inverse: Op) -> None:
    """:func:`.history.record` for the hot paths's own sqlite3 transaction (issue 14): the same
    row, written with plain statements in the same transaction."""
    stamp = ctx.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    conn.execute("DELETE FROM undo_entries WHERE profile_id = ? AND state = ?",
                 (ctx.profile_id, UNDONE))
    cursor = conn.execute(
        "INSERT INTO undo_entries (profile_id, label, ops, state, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (ctx.profile_id, label[:300], json.dumps([op.to_json() for op in inverse]), DONE,
         stamp, stamp))
    entry_id = cursor.lastrowid
    if entry_id is not None and entry_id % 16 == 0:
        conn.execute("DELETE FROM undo_entries WHERE profile_id = ? AND id < (SELECT id FROM "
                     "undo_entries WHERE profile_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                     (ctx.profile_id, ctx.profile_id, HISTORY_LIMIT - 1))
    ctx.recorded = entry_id
