"""Many rows into one table, fast: multi-row ``INSERT … VALUES (…), (…)`` statements.

An ``executemany`` runs its statement once per row, and every run ends with a statement
savepoint. For ``tasks`` that is the expensive part: the search index (``tasks_fts``, an
FTS5 table kept by an ``AFTER INSERT`` trigger) flushes its pending terms at each of
them, so 10,000 tasks cost ~0.7 s in the trigger alone. One statement carrying a few
hundred rows fires the same trigger for every row but flushes once: ~0.15 s for the
same 10,000 tasks, with the index exactly as the trigger keeps it (docs/BENCHMARKS.md
§7). Values are converted by each column's own bind processor (the same conversion an
ORM or Core insert applies), so what is stored is byte-for-byte what SQLAlchemy writes.

Used inside the caller's write transaction (:meth:`~.db.Database.transaction`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Table

#: SQLite ≥ 3.32 allows 32,766 host parameters per statement; keep well below.
MAX_PARAMETERS = 30_000
#: Rows per statement: past a few hundred the statement's size stops paying.
MAX_ROWS = 500


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], *,
                stored: Collection[str] = ()) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``.

    ``stored`` names columns whose values are already in their stored form (e.g. a JSON
    column's text, serialised once by the caller): they skip the column's conversion.
    """
    if not rows:
        return
    names = list(rows[0])
    processors: list[Callable[[Any], Any] | None] = []
    for name in names:
        column = table.c[name]
        if name in stored:
            processors.append(None)
            continue
        processors.append(column.type.dialect_impl(connection.dialect)
                          .bind_processor(connection.dialect))
    per_statement = max(1, min(MAX_ROWS, MAX_PARAMETERS // len(names)))
    head = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "  # noqa: S608 (our names)
    placeholder = "(" + ", ".join("?" * len(names)) + ")"
    statements: dict[int, str] = {}
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        values: list[Any] = []
        for row in chunk:
            if len(row) != len(names):
                raise ValueError(f"rows for {table.name} differ in their columns")
            for name, process in zip(names, processors, strict=True):
                value = row[name]
                values.append(value if process is None else process(value))
        sql = statements.get(len(chunk))
        if sql is None:
            sql = statements[len(chunk)] = head + ", ".join([placeholder] * len(chunk))
        connection.exec_driver_sql(sql, tuple(values))
