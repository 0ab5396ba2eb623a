"""The stored words as enums (issue 15, item 6): ``core/kinds.py``.

* Each enum holds exactly the values the schema's CHECK constraint allows, so the enum and
  the database cannot drift apart.
* A member is its string: SQLite stores the same text and JSON prints the same bytes, so no
  migration and no ``--json`` change.
* The code compares and writes these columns with the members: a scan of the package finds
  no status, state or entry type compared with (or set to) a bare string literal.
"""

from __future__ import annotations

import ast
import json
import re
import sqlite3
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pytest
from sqlalchemy import CheckConstraint

from momentum_app.core import catalog, kinds, models
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum

PACKAGE = Path(__file__).resolve().parents[2] / "momentum_app"


def _allowed(model: type[models.Base], column: str) -> set[str]:
    """The values a model's CHECK constraint ``column IN (...)`` allows."""
    for constraint in model.__table__.constraints:
        if isinstance(constraint, CheckConstraint):
            text = str(constraint.sqltext)
            match = re.fullmatch(rf"{column} IN \((.*)\)", text)
            if match:
                return {part.strip().strip("'") for part in match.group(1).split(",")}
    raise AssertionError(f"no CHECK on {model.__name__}.{column}")


@pytest.mark.parametrize(("model", "column", "enum"), [
    (models.Task, "status", kinds.Status),
    (models.Goal, "status", kinds.Status),
    (models.GoalStep, "status", kinds.Status),
    (models.TimeSlot, "status", kinds.Status),
    (models.LedgerEntry, "entry_type", kinds.EntryType),
    (models.UndoEntry, "state", kinds.UndoState),
    (models.Reminder, "state", kinds.ReminderState),
])
def test_each_enum_is_exactly_what_the_schema_allows(model: type[models.Base], column: str,
                                                      enum: type[StrEnum]) -> None:
    assert {member.value for member in enum} == _allowed(model, column)


def test_a_member_is_its_string_in_json_and_in_the_database(tmp_path: Path) -> None:
    assert json.dumps({"status": kinds.Status.DONE}) == '{"status": "done"}'
    assert f"{kinds.EntryType.CREDIT}" == "credit"
    assert catalog.Kind is kinds.Kind  # one definition, still importable from the catalog
    db = tmp_path / "m.sqlite3"
    database = open_database(db)
    try:
        app = Momentum(database, FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC)))
        task = app.items.add_task("Write the report")
        app.items.complete(kinds.Kind.TASK, task.id)
    finally:
        database.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, typeof(status) FROM tasks").fetchall() == [
            ("done", "text")]
        assert conn.execute("SELECT DISTINCT entry_type FROM ledger").fetchall() == [
            ("credit",)]
        assert conn.execute("SELECT DISTINCT state FROM undo_entries").fetchall() == [
            ("done",)]


#: A column and the words it stores: a bare literal of one of them, compared with or written
#: to the column, should have been the enum member. (Another tool's words, such as
#: Taskwarrior's ``"status": "pending"``, are not ours.)
_WORDS = {"status": {*kinds.Status}, "entry_type": {*kinds.EntryType},
          "state": {*kinds.UndoState, *kinds.ReminderState}}
_COLUMNS = set(_WORDS)


def _column(node: ast.expr) -> str | None:
    """The column an expression names (``task.status``, ``status``, ``row["status"]``)."""
    name = None
    if isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        name = str(node.slice.value)
    return name if name in _COLUMNS else None


def _is_word(column: str | None, node: ast.expr) -> bool:
    return column is not None and isinstance(node, ast.Constant) \
        and node.value in _WORDS.get(column, ())


def _bare_words(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_word(_column(a), b) for a in sides for b in sides):
                lines.append(node.lineno)
        elif isinstance(node, ast.keyword) and _is_word(node.arg, node.value):
            lines.append(node.value.lineno)
        elif isinstance(node, ast.Assign) and any(_is_word(_column(t), node.value)
                                                  for t in node.targets):
            lines.append(node.lineno)
    return lines


def test_no_status_state_or_entry_type_is_compared_with_a_bare_string() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "kinds.py":
            continue
        for line in _bare_words(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(PACKAGE)}:{line}")
    assert found == []


def test_the_scan_finds_a_bare_string() -> None:
    sample = ('if task.status == "done":\n    pass\n'
              'x = Task(status="open")\nreminder.state = "shown"\n')
    assert sorted(_bare_words(ast.parse(sample))) == [1, 3, 4]
