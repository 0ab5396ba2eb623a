"""Issue #18 item 5: an import's bulk rows go to SQLite as fixed SQL text
(``services.engine_store.insert_rows``), not through SQLAlchemy's statement. What is
stored must be byte for byte what SQLAlchemy's own insert of the same rows stores — every
column's text and its SQLite type — or reading them back (and every later comparison of an
import's identities) would differ.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import text

from momentum_app.core.db import Database
from momentum_app.core.kinds import Status
from momentum_app.core.models import ImportSource, Task, table_of
from momentum_app.core.services import Momentum
from momentum_app.core.services.engine_store import insert_rows

WHEN = datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC)


def _tasks(profile_id: int, project_id: int, first_id: int) -> list[dict[str, Any]]:
    rows = []
    for n in range(4):
        done = n % 2 == 1
        rows.append({
            "id": first_id + n, "profile_id": profile_id, "project_id": project_id,
            "goal_id": None, "title": f"Käse ✓ {n}", "notes": "" if n else "line\nnext",
            "complexity": n + 1, "due_date": date(2026, 1, 1) + timedelta(days=n) if n else None,
            "due_time": "09:30" if n == 2 else None,
            "due_at": WHEN + timedelta(hours=n) if n == 2 else None,
            "repeat_rule": "FREQ=WEEKLY" if n == 3 else None,
            "status": Status.DONE if done else Status.OPEN,
            "completed_at": WHEN if done else None,
            # a whole second, an offset other than UTC: both stored as naive UTC
            "created_at": datetime(2026, 1, 1, 8, tzinfo=UTC) if n else WHEN.astimezone(
                timezone(timedelta(hours=-7))),
            "updated_at": WHEN, "deleted_at": WHEN if n == 3 else None,
            "hidden_until": date(2200, 12, 31) if n == 1 else None})
    return rows


def _sources(profile_id: int, first_id: int) -> list[dict[str, Any]]:
    return [{"profile_id": profile_id, "format": "taskwarrior", "source_id": f"s-{first_id + n}",
             "kind": "task", "item_id": first_id + n, "content_hash": "ab" * 32,
             "content": {"title": f"Käse ✓ {n}", "tags": ["b", "a"], "due": None,
                         "deleted": n == 1, "n": 1.5},
             "imported_at": WHEN} for n in range(4)]


def _stored(database: Database, table: str, first: int, key: str) -> list[tuple[Any, ...]]:
    with database.engine.connect() as connection:
        columns = [row[1] for row in connection.exec_driver_sql(
            f"PRAGMA table_info({table})")]
        listed = ", ".join(f"{c}, typeof({c})" for c in columns if c not in ("id", key))
        return [tuple(row) for row in connection.execute(text(
            f"SELECT {listed} FROM {table} WHERE {key} BETWEEN :first AND :last "  # noqa: S608
            f"ORDER BY {key}"), {"first": first, "last": first + 99})]


def test_the_same_bytes_as_sqlalchemys_insert(app: Momentum, database: Database) -> None:
    inbox = app.projects.list()[0].id
    with database.transaction() as session:
        session.connection().execute(table_of(Task).insert(), _tasks(app.profile_id, inbox, 100))
        session.connection().execute(table_of(ImportSource).insert(),
                                     _sources(app.profile_id, 100))
    with database.transaction() as session:
        insert_rows(session, "tasks", _tasks(app.profile_id, inbox, 200))
        insert_rows(session, "import_sources", _sources(app.profile_id, 200))
        insert_rows(session, "task_tags", [])  # nothing to insert: no statement at all
    for table, key in (("tasks", "id"), ("import_sources", "item_id")):
        ours = _stored(database, table, 200, key)
        theirs = _stored(database, table, 100, key)
        assert len(ours) == len(theirs) == 4
        # the rows differ only in their ids (and the identities' names)
        theirs = [tuple(v.replace("s-10", "s-20") if isinstance(v, str) and v.startswith("s-")
                        else v for v in row) for row in theirs]
        assert ours == theirs, table
    with database.reading() as session:  # and read back as the same values
        for n in range(4):
            ours, theirs = session.get(Task, 200 + n), session.get(Task, 100 + n)
            assert ours is not None and theirs is not None
            assert [getattr(ours, c.key) for c in table_of(Task).columns if c.key != "id"] == \
                [getattr(theirs, c.key) for c in table_of(Task).columns if c.key != "id"]
