"""Issue #18 item 5: a large import fills the search index with one ``INSERT … SELECT``
per batch, the insert trigger off meanwhile (``core/search_fill.py``). The index must be
exactly what the trigger gives, the trigger must come back unchanged, and a failure in
between must leave both as they were.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "reliability") not in sys.path:
    sys.path.insert(0, str(TESTS / "reliability"))

from test_import_batches import rows_of, search_index_of  # noqa: E402

from cli_support import NOW, run_cli  # noqa: E402
from momentum_app.core import search_fill  # noqa: E402
from momentum_app.core.clock import FixedClock  # noqa: E402
from momentum_app.core.db import open_database  # noqa: E402
from momentum_app.core.imports import import_file  # noqa: E402
from momentum_app.core.services import Momentum  # noqa: E402


def _export(path: Path, count: int) -> Path:
    rows = [json.dumps({"uuid": f"00000000-0000-4000-8000-{n:012d}",
                        "description": f"Käse order {n} for the garden", "status": "pending",
                        "entry": "20260101T090000Z",
                        "annotations": [{"entry": "20260102T090000Z",
                                         "description": f"note {n % 9} ✓"}]})
            for n in range(count)]
    path.write_text("[\n" + ",\n".join(rows) + "\n]\n", encoding="utf-8")
    return path


def _import(db: Path, source: Path) -> None:
    database = open_database(db)
    try:
        import_file(Momentum(database, FixedClock(NOW)), "taskwarrior", source)
    finally:
        database.close()


def _triggers(db: Path) -> set[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return set(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))


def test_the_index_filled_at_once_is_what_the_trigger_gives(monkeypatch, tmp_path,
                                                           template_db):
    source = _export(tmp_path / "tw.json", 600)
    by_row, at_once = tmp_path / "trigger.sqlite3", tmp_path / "at-once.sqlite3"
    for target in (by_row, at_once):
        target.write_bytes(template_db.read_bytes())
    triggers = _triggers(by_row)
    monkeypatch.setattr(search_fill, "AT_ONCE_FROM", 10**9)  # the trigger, row by row
    _import(by_row, source)
    monkeypatch.setattr(search_fill, "AT_ONCE_FROM", 200)
    _import(at_once, source)
    assert rows_of(at_once) == rows_of(by_row)
    found = search_index_of(at_once)
    assert found == search_index_of(by_row)
    with closing(sqlite3.connect(at_once)) as conn:
        hits = [row[0] for row in conn.execute(
            "SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH '\"äse order 59\"'")]
    assert len(hits) == 11  # 59 and 590–599: the new rows are in the index
    assert _triggers(at_once) == triggers  # the same trigger, the same SQL
    run_cli(at_once, "task", "add", "zebra crossing").ok()  # and it works afterwards
    with closing(sqlite3.connect(at_once)) as conn:
        assert conn.execute("SELECT count(*) FROM tasks_fts WHERE tasks_fts MATCH 'zebra'"
                            ).fetchone()[0] == 1
    assert run_cli(at_once, "--json", "doctor").json()["ok"]


def test_a_failure_while_the_trigger_is_off_leaves_trigger_and_index_as_they_were(db_path):
    before, triggers = rows_of(db_path), _triggers(db_path)
    database = open_database(db_path)
    try:
        with pytest.raises(RuntimeError), database.transaction() as session:
            connection = session.connection()
            with search_fill.filled_at_once(connection, 1000, 1999):
                connection.execute(text("DELETE FROM tasks"))  # something written…
                raise RuntimeError("the import fails half way")
    finally:
        database.close()
    assert _triggers(db_path) == triggers
    assert rows_of(db_path) == before
    assert run_cli(db_path, "--json", "doctor").json()["ok"]
