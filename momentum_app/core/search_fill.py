"""Many new tasks into the search index at once, instead of one trigger call per row.

The ``tasks_fts`` index (migration 0003) follows ``tasks`` through three triggers. For an
import of thousands of tasks the insert trigger is most of the writing: one FTS5 insert per
row costs about 3–4× what one ``INSERT … SELECT`` of the same rows does (10,000 tasks:
0.8–1.0 s against 0.2–0.3 s of CPU, measured on this machine; docs/BENCHMARKS.md §7).

:func:`filled_at_once` runs inside the caller's write transaction: it drops the insert
trigger, lets the block insert tasks with ids in a known range, indexes exactly those rows
with one ``INSERT … SELECT`` (what the trigger would have written, row by row) and creates
the trigger again from the very SQL text ``sqlite_master`` held, so the schema is what it
was (only its row in ``sqlite_master`` moves to the end, which has no meaning). DDL is
transactional in SQLite: if anything fails, the rollback brings the trigger back with
everything else, and no other connection ever sees the database without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services.sql_values import Store

INDEX = "tasks_fts"
INSERT_TRIGGER = "tasks_fts_after_insert"
#: Below this many rows the trigger is left alone (the DDL would cost more than it saves).
AT_ONCE_FROM = 200


@contextmanager
def filled_at_once(connection: Store, first_id: int, last_id: int, *,
                   tasks: bool = True) -> Iterator[None]:
    """Inside a write transaction (a sqlite3 connection, or a SQLAlchemy one's): the
    block inserts tasks ``first_id``…``last_id``; they are indexed once it is done (see
    the module docstring). For few rows, or rows that are not tasks (``tasks`` False),
    the block runs as it is."""
    from .services.sql_values import raw  # noqa: PLC0415

    db = raw(connection)
    found = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                       (INSERT_TRIGGER,)).fetchone() \
        if tasks and last_id - first_id + 1 >= AT_ONCE_FROM else None
    if found is None:
        yield
        return
    trigger = str(found[0])
    db.execute(f"DROP TRIGGER {INSERT_TRIGGER}")
    try:
        yield
        db.execute(
            f"INSERT INTO {INDEX} (rowid, title, notes) "  # noqa: S608 (constant names)
            "SELECT id, title, notes FROM tasks WHERE id BETWEEN ? AND ? ORDER BY id",
            (first_id, last_id))
    finally:
        db.execute(trigger)
