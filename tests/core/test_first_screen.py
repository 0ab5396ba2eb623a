"""The window's first screen on a bare sqlite3 connection answers as the services do.

A :meth:`Momentum.opening` answers the first screen's reads (progress, the day's tally,
the profile, the projects, Today's tasks and slots, the Undo menu) on the light path's
connection before SQLAlchemy is loaded (``core/services/first_screen.py``); here the same
reads go through both on one real database with a varied day, and must be equal. The
full opening is asked for only when something else is read, and then once.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from momentum_app.core.backups import maybe_scheduled_backup
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database, open_database
from momentum_app.core.kinds import Status
from momentum_app.core.services import Momentum
from momentum_app.core.services.first_screen import Opening
from momentum_app.core.services.light import open_light


def a_varied_day(app: Momentum, clock: FixedClock) -> None:
    """Overdue, due today, later, hidden, undated and done tasks with tags in three
    projects, slots today and tomorrow, points, and an undo history with a redo."""
    today = clock.now().date()
    items = app.items
    app.projects.add("Work")
    app.projects.add("home")
    items.add_task("overdue", due=(today - timedelta(days=3)).isoformat(), project="Work",
                   tags=["b", "A"])
    items.add_task("today", due=today.isoformat(), complexity=3)
    items.add_task("today at nine", due=f"{today.isoformat()}T09:00", project="home")
    items.add_task("later", due=(today + timedelta(days=2)).isoformat())
    items.add_task("undated")
    items.add_task("hidden", due=today.isoformat(),
                   hide_until=(today + timedelta(days=1)).isoformat())
    done = items.add_task("done today", due=today.isoformat())
    items.complete(Kind.TASK, done.id)
    start = clock.now().replace(hour=9, minute=0)
    items.add_slot("morning", start, start + timedelta(hours=1))
    slot = items.add_slot("noon", start + timedelta(hours=3), start + timedelta(hours=4))
    items.complete(Kind.SLOT, slot.id)
    items.add_slot("tomorrow", start + timedelta(days=1), start + timedelta(days=1, hours=1))
    app.profiles.update(days_off="sat,sun", daily_target=4)
    app.projects.add("undone")
    app.history.undo()  # the project's adding: a redo waits


def first_screen(app: Momentum, clock: FixedClock) -> dict[str, Any]:
    today = clock.now().date()
    start = clock.now().replace(hour=0, minute=0)
    return {
        "progress": app.reads.progress(),
        "done today": app.reads.tasks_done_today(),
        "profile": app.profiles.current(),
        "projects": app.projects.list(),
        "due": app.items.list_tasks(status=Status.OPEN, due_before=today, order="due",
                                    limit=200),
        "due, first two": app.items.list_tasks(status=Status.OPEN, due_before=today,
                                               order="due", limit=2),
        "every task": app.items.list_tasks(status="all"),
        "slots": app.items.list_slots(start=start, end=start + timedelta(days=1)),
        "open slots": app.items.list_slots(start=start, end=start + timedelta(days=2),
                                           status=Status.OPEN),
        "history": app.history.status(),
    }


def opened_light(db_path: Path, clock: FixedClock, opened: list[Database]) -> Momentum:
    """The services of ``db_path`` through the light path, as the window opens them; the
    day's backup made first (it sends a start to the full opening until it exists)."""
    maybe_scheduled_backup(db_path)
    light = open_light(db_path)
    assert light is not None, "the test database should take the light path"

    def open_full() -> Database:
        opened.append(open_database(db_path))
        return opened[-1]
    return Momentum.opening(Opening(light, open_full), clock)


def test_the_first_screen_reads_the_same_both_ways(app: Momentum, clock: FixedClock,
                                                   db_path: Path):
    a_varied_day(app, clock)
    full = first_screen(app, clock)
    assert len(full["due"]) == 3 and full["slots"] and full["history"].redo  # varied
    opened: list[Database] = []
    light = opened_light(db_path, clock, opened)
    assert first_screen(light, clock) == full
    assert not light.loaded and opened == []  # all of it without the full opening
    light.stand_in("items")._opening.close_light()  # type: ignore[union-attr]
    assert light.db is not None and len(opened) == 1
    assert first_screen(light, clock) == full  # now the services' own reads
    light.db.close()


def test_anything_else_waits_for_the_full_opening_once(app: Momentum, clock: FixedClock,
                                                       db_path: Path):
    a_varied_day(app, clock)
    opened: list[Database] = []
    light = opened_light(db_path, clock, opened)
    assert light.reads.progress() == app.reads.progress()
    assert opened == []
    # another read of a stood-in service, and another service: the real ones
    assert light.items.count_tasks() == app.items.count_tasks()
    assert light.loaded and len(opened) == 1
    assert light.reads.best_weeks() == app.reads.best_weeks()
    assert type(light.items).__name__ == "ItemService"  # no stand-in any more
    assert len(opened) == 1
    light.db.close()


def test_other_threads_never_read_on_the_light_connection(app: Momentum,
                                                          clock: FixedClock, db_path: Path):
    """The light connection belongs to the window's thread: the op thread's first read
    waits for the full opening instead (sqlite3 would refuse the connection there)."""
    a_varied_day(app, clock)
    opened: list[Database] = []
    light = opened_light(db_path, clock, opened)
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(light.history.status()))
    worker.start()
    worker.join(30)
    assert seen == [app.history.status()] and len(opened) == 1
    light.db.close()


def test_a_failed_full_opening_is_raised_to_every_caller(app: Momentum, clock: FixedClock,
                                                         db_path: Path):
    maybe_scheduled_backup(db_path)
    light_db = open_light(db_path)
    assert light_db is not None
    calls: list[int] = []

    def refuse() -> Database:
        calls.append(1)
        raise OSError("the disk went away")
    light = Momentum.opening(Opening(light_db, refuse), clock)
    for _ in range(2):
        with pytest.raises(OSError, match="disk went away"):
            light.items.add_task("lost")
    assert calls == [1]
    light_db.close()
