"""Values across the sqlite3 connection, as SQLAlchemy stores them on SQLite (issue 14, 18).

The engine's live path (:mod:`.engine_store`), the imports' bulk rows and the command
line's light path send fixed SQL text straight to the sqlite3 connection under the
caller's transaction (:func:`raw`): a date as ``YYYY-MM-DD``, an instant as naive UTC
``YYYY-MM-DD HH:MM:SS.ffffff``, JSON as ``json.dumps`` text. Nothing here loads
SQLAlchemy or the engine, so the light path's start-up stays small.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeAlias

from ..engine.version import RULES_VERSION

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session


#: Where the engine's rows are read and written: a Session or Connection (its sqlite3
#: connection is used), or a sqlite3 connection (``Database.direct_transaction``).
#: (SQLAlchemy is only named here: the command line's light path never imports it.)
Store: TypeAlias = "Connection | Session | sqlite3.Connection"


def raw(conn: Store) -> sqlite3.Connection:
    """The sqlite3 connection under ``conn``, inside its transaction (begun if needed)."""
    if isinstance(conn, sqlite3.Connection):
        return conn
    from sqlalchemy.orm import Session  # noqa: PLC0415 (loaded already: conn is its)

    connection = conn.connection() if isinstance(conn, Session) else conn
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def sql_instant(value: datetime) -> str:
    """An aware instant as ``UTCDateTime`` stores it (naive UTC with microseconds): its
    UTC ISO text without the ``+00:00`` (a 10k-task import converts 33k of them)."""
    utc = value if value.tzinfo is UTC else value.astimezone(UTC)
    return utc.isoformat(" ", "microseconds")[:26]


def read_instant(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def read_day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def sql_value(value: Any) -> Any:
    """A Python value as a parameter (dates and instants as SQLAlchemy writes them)."""
    if value.__class__ is date:
        return value.isoformat()
    if value.__class__ is datetime:
        return sql_instant(value)
    return value


def insert_rows(conn: Store, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """``rows`` into ``table`` as one executemany of fixed SQL text on the sqlite3
    connection: each value as SQLAlchemy would store it (:func:`sql_value`; a dict or a
    list as ``json.dumps`` text, as the JSON type writes it). Every row names the same
    columns, and no Python-side column default is applied, so a row names every column
    whose default matters. For the bulk rows of an import: SQLAlchemy's parameter
    processing was a third of their insert (issue 18, docs/BENCHMARKS.md §7)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (the callers' names)
           f"VALUES ({', '.join('?' * len(columns))})")
    # Column by column: only the columns holding dates, instants or JSON are converted
    # (a call per value was a fifth of a 10k-task import's writing).
    values: list[Sequence[Any]] = list(zip(*map(itemgetter(*columns), rows), strict=True)) \
        if len(columns) > 1 else [[row[columns[0]] for row in rows]]
    for index, column in enumerate(values):
        kinds = set(map(type, column)) - _AS_IS
        if kinds:
            convert = _CONVERT.get(kinds.pop()) if len(kinds) == 1 else _stored
            first = column[0]
            if all(value is first for value in column):  # one stamp for all (imported_at)
                values[index] = [(convert or _stored)(first)] * len(column)
                continue
            values[index] = [None if value is None else (convert or _stored)(value)
                             for value in column]
    raw(conn).executemany(sql, zip(*values, strict=True))


#: Values sqlite3 stores as SQLAlchemy does, unchanged.
_AS_IS = frozenset({type(None), int, str, float, bool, bytes})
_CONVERT: dict[type, Any] = {datetime: sql_instant, date: date.isoformat, dict: json.dumps,
                             list: json.dumps}


def _stored(value: Any) -> Any:
    if value.__class__ is dict or value.__class__ is list:
        return json.dumps(value)
    return sql_value(value)


def rules_behind(conn: Store) -> bool:
    """Whether the file's derived tables were written by older rules (a read of
    ``PRAGMA user_version``, see ``doctor.bring_rules_up_to_date``)."""
    return int(raw(conn).execute("PRAGMA user_version").fetchone()[0] or 0) < RULES_VERSION
