"""Issue 14: a task's completion, a plain task's creation and the unfiltered task list
run in direct statements, and give what the general path gave (the same task, the same
derived rows and undo entries, the same refusals, the same list).

The speed itself is measured by ``bench/engine.py`` and ``bench/cli_bench.py``; these
tests pin what makes it: no SQLAlchemy statement during a task's completion or a plain
task's creation, and the CLI's services made on first use (a listing does not load the
doctor). The command line's light path, which calls the same functions without
SQLAlchemy, is ``tests/cli/test_cli_light.py``.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.errors import NotFoundError, ValidationError
from momentum_app.core.services import Momentum


@contextmanager
def sqlalchemy_statements(app: Momentum) -> Iterator[list[str]]:
    """The statements SQLAlchemy itself executes while the block runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(app.db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(app.db.engine, "before_cursor_execute", record)


def test_a_task_completion_sends_no_sqlalchemy_statement_and_matches_the_stored_task(
        app: Momentum, clock: FixedClock) -> None:
    task = app.items.add_task("Write the report", project="Work", complexity=4,
                              due=(clock.now().date() + timedelta(days=1)).isoformat(),
                              tags=["deep", "focus"])
    clock.advance(timedelta(minutes=5))
    with sqlalchemy_statements(app) as seen:
        done = app.items.complete(Kind.TASK, task.id)
    assert seen == []
    assert done.item == app.items.get(Kind.TASK, task.id)
    assert done.item.status == "done" and done.item.completed_at == clock.now()
    assert done.item.tags == ("deep", "focus") and done.item.project == "Work"
    assert done.outcome.points_awarded > 0
    assert done.outcome.affected == {"tasks": [task.id]}
    # The event is the general path's: same key scheme, same meta.
    again = app.items.complete  # a second completion is refused, nothing written
    with pytest.raises(ValidationError, match=f"task {task.id} is already done"):
        again(Kind.TASK, task.id)
    # Stored derived state == the fold of the log.
    assert app.doctor.run().ok


def test_the_key_is_the_general_paths_and_a_reopened_task_completes_again(
        app: Momentum, clock: FixedClock) -> None:
    task = app.items.add_task("Call the bank")
    first = app.items.complete(Kind.TASK, task.id)
    assert first.outcome.key == f"task:{task.id}:done:1"
    app.items.reopen(Kind.TASK, task.id)
    clock.advance(timedelta(minutes=1))
    second = app.items.complete(Kind.TASK, task.id)
    assert second.outcome.key == f"task:{task.id}:done:2"
    assert app.doctor.run().ok


def test_refusals_are_the_same_and_write_nothing(app: Momentum, db_path: Path,
                                                 clock: FixedClock) -> None:
    task = app.items.add_task("Plan the trip")
    app.items.delete(Kind.TASK, task.id)
    other = app.profiles.add("Sam", timezone="UTC")
    with pytest.raises(ValidationError, match="not a task id"):
        app.items.complete(Kind.TASK, "seven")
    for missing in (task.id, 999_999, 2**70):
        with pytest.raises(NotFoundError, match="no task with id"):
            app.items.complete(Kind.TASK, missing)
    with pytest.raises(ValidationError, match="at: is in the future"):
        live = app.items.add_task("Later")
        app.items.complete(Kind.TASK, live.id, at=clock.now() + timedelta(hours=1))
    assert app.items.get(Kind.TASK, live.id).status == "open"
    theirs = Momentum(app.db, clock, other.name).items.add_task("Their task")
    with pytest.raises(NotFoundError):
        app.items.complete(Kind.TASK, theirs.id)
    assert app.reads.progress().total_points == 0


def test_a_repeating_task_takes_the_general_path_and_spawns_its_next_occurrence(
        app: Momentum) -> None:
    task = app.items.add_task("Water the plants", repeat="daily")
    done = app.items.complete(Kind.TASK, task.id)
    assert done.spawned is not None and done.spawned.repeat == "FREQ=DAILY"
    assert done.item.status == "done"
    assert app.doctor.run().ok


def test_listing_tasks_does_not_load_the_doctor_or_the_rewards(tmp_path: Path) -> None:
    from momentum_app.core.db import open_database  # noqa: PLC0415

    open_database(tmp_path / "lazy.sqlite3").close()  # created and migrated once
    code = (
        "import sys\n"
        "from momentum_app.core.db import open_database\n"
        "from momentum_app.core.clock import SystemClock\n"
        "from momentum_app.core.services import Momentum\n"
        f"db = open_database({str(tmp_path / 'lazy.sqlite3')!r})\n"
        "app = Momentum(db, SystemClock())\n"
        "app.items.list_tasks()\n"
        "loaded = [m for m in ('momentum_app.core.services.doctor',\n"
        "          'momentum_app.core.services.rewards', 'alembic') if m in sys.modules]\n"
        "print(loaded)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def _row(db_path: Path, sql: str, *params: object) -> tuple[object, ...]:
    with closing(sqlite3.connect(db_path)) as conn:
        found = conn.execute(sql, params).fetchone()
    assert found is not None
    return tuple(found)


def test_a_plain_task_is_added_as_the_general_path_adds_it(
        app: Momentum, db_path: Path) -> None:
    # In an open transaction the general (ORM) path runs: the direct one must match it.
    with app.db.transaction():
        general = app.items.add_task("Buy milk", complexity=2, notes="2 litres")
    general_entry = app.ctx.recorded
    with sqlalchemy_statements(app) as seen:
        direct = app.items.add_task("Buy milk", complexity=2, notes="2 litres")
    assert seen == []  # the direct statements
    direct_entry = app.ctx.recorded
    assert direct.id == general.id + 1 and general_entry is not None
    assert replace(direct, id=general.id) == general
    columns = "profile_id, project_id, goal_id, title, notes, complexity, due_date, due_at, " \
              "due_time, repeat_rule, repeat_start, repeat_after, status, completed_at, " \
              "created_at, updated_at, deleted_at, hidden_until"
    task = f"SELECT {columns} FROM tasks WHERE id = ?"
    assert _row(db_path, task, direct.id) == _row(db_path, task, general.id)
    entry = "SELECT profile_id, label, state, created_at, updated_at, ops FROM undo_entries " \
            "WHERE id = ?"
    ours, theirs = _row(db_path, entry, direct_entry), _row(db_path, entry, general_entry)
    assert ours[:5] == theirs[:5]
    assert ours[5] == str(theirs[5]).replace(f'"id": {general.id}', f'"id": {direct.id}')
    assert app.history.undo().label == "Add “Buy milk”"
    assert app.items.list_tasks(status="open")[-1].id == general.id


def test_the_unfiltered_list_is_the_general_paths(app: Momentum, clock: FixedClock) -> None:
    today = clock.now().date()
    app.items.add_task("Plain")
    app.items.add_task("Tagged", tags=["home", "Errand"], project="Work")
    app.items.add_task("Overdue", due=(today - timedelta(days=2)).isoformat())
    app.items.add_task("Timed", due=f"{today.isoformat()}T23:30")
    app.items.add_task("Hidden", hide_until=(today + timedelta(days=3)).isoformat())
    gone = app.items.add_task("Deleted")
    app.items.delete(Kind.TASK, gone.id)
    done = app.items.add_task("Done", tags=["home"])
    app.items.complete(Kind.TASK, done.id)
    for status in ("open", "done", "all"):
        direct = app.items.list_tasks(status=status)
        general = app.items.list_tasks(status=status, limit=10**6)  # the task_query path
        assert direct == general, status
        assert direct  # each status lists something
    assert [t.title for t in app.items.list_tasks(status="open")] == [
        "Plain", "Tagged", "Overdue", "Timed"]
    assert [t.overdue for t in app.items.list_tasks(status="open")] == [
        False, False, True, False]
