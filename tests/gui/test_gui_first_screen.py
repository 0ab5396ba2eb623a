"""The window opens on its first screen before SQLAlchemy is loaded, and shows the same.

Issue 14 item 4 (docs/BENCHMARKS.md §4a): a real launch on a file that needs nothing of
the full opening builds the window on the first screen's plain reads
(``core/services/first_screen.py``) and loads the services after its first paint
(``gui/opening.py``). Here: the window built both ways on the same data shows the same
texts, rows and menu entries; a change asked for before the services are loaded waits
for them and is made once; and the real command, launched as a person launches it, is
ready with neither SQLAlchemy nor the models imported — or, when the file needs the full
opening (the day's backup is due), opens it in full before the window as before.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QLabel

from momentum_app.core.backups import maybe_scheduled_backup, scheduled_backup_due
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database, open_database
from momentum_app.core.services import Momentum
from momentum_app.core.services.first_screen import Opening
from momentum_app.core.services.light import open_light
from momentum_app.gui.app import Composition, compose
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.main_window import MainWindow
from momentum_app.gui.settings import settings_at
from momentum_app.gui.theme import ThemeMode


def a_day(app: Momentum, clock: FixedClock) -> None:
    today = clock.now().date()
    app.projects.add("Work")
    app.items.add_task("overdue", due=(today - timedelta(days=2)).isoformat(),
                       project="Work", tags=["urgent"])
    app.items.add_task("due today", due=today.isoformat(), complexity=2)
    app.items.add_task("later", due=(today + timedelta(days=3)).isoformat())
    done = app.items.add_task("done today", due=today.isoformat())
    app.items.complete(Kind.TASK, done.id)
    start = clock.now().replace(hour=9, minute=0)
    app.items.add_slot("focus", start, start + timedelta(hours=1))
    app.items.add_slot("tomorrow", start + timedelta(days=1),
                       start + timedelta(days=1, hours=1))


def screen_text(window: MainWindow) -> list[str]:
    """Every label's text, every list's and table's rows, every menu action's text."""
    texts = [widget.text() for widget in window.findChildren(QLabel)]
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        root = QModelIndex()
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
        texts += [str(model.index(row, column).data()) for row in range(model.rowCount(root))
                  for column in range(columns)]
    texts += [action.text() for action in window.findChildren(QAction)]
    return texts


def build(qtbot, database: Database | Momentum, clock: FixedClock, ini: Path
          ) -> Composition:
    composition = compose(database, clock, settings=settings_at(ini),
                          theme_mode=ThemeMode.LIGHT, animations=False)
    composition.window.resize(1200, 800)
    composition.window.show()
    qtbot.waitExposed(composition.window)
    return composition


def light_momentum(path: Path, clock: FixedClock, opened: list[Database]) -> Momentum:
    maybe_scheduled_backup(path)  # else the day's backup sends it to the full opening
    light = open_light(path)
    assert light is not None

    def open_full() -> Database:
        opened.append(open_database(path))
        return opened[-1]
    return Momentum.opening(Opening(light, open_full), clock)


def test_the_first_screen_is_the_same_before_the_services_are_loaded(
        qtbot, app: Momentum, clock: FixedClock, db_path: Path, tmp_path: Path):
    a_day(app, clock)
    app.history.undo()  # the slot of tomorrow: Redo has a label too
    twin = tmp_path / "twin.sqlite3"
    with closing(sqlite3.connect(db_path)) as source, closing(sqlite3.connect(twin)) as copy:
        source.backup(copy)  # what the WAL holds too
    full = build(qtbot, app.db, clock, tmp_path / "full.ini")
    expected = screen_text(full.window)
    shown = " ".join(expected)
    assert all(text in shown for text in ("overdue", "due today", "focus", "Work", "1 / "))
    full.close()

    opened: list[Database] = []
    light = build(qtbot, light_momentum(twin, clock, opened), clock, tmp_path / "light.ini")
    try:
        assert not light.momentum.loaded and opened == []  # no SQLAlchemy read so far
        assert screen_text(light.window) == expected
        # A change before the services are loaded waits for them, and is made once.
        task = next(t for t in app.items.list_tasks(status="open") if t.title == "due today")
        light.controller.complete(ItemRef(Kind.TASK, task.id))
        assert light.momentum.loaded and len(opened) == 1
        assert [t.status for t in light.momentum.items.list_tasks(status="all")
                if t.id == task.id] == ["done"]
        assert light.momentum.reads.tasks_done_today() == 2
    finally:
        light.close()


def launch(database: Path, tmp_path: Path) -> dict[str, set[str]]:
    """The real command on ``database`` with the probe: the modules imported at each
    first paint ("painted": the startup window, "ready": the real one)."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                   "MOMENTUM_STARTUP_PROBE": "modules",
                   "XDG_CONFIG_HOME": str(tmp_path / "config"),
                   "XDG_DATA_HOME": str(tmp_path / "data")}
    ini = tmp_path / "config" / "Momentum" / "Momentum.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[start]\nwelcomed=true\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "momentum_app", "--db", str(database)],
                          capture_output=True, text=True, env=environment, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert [line[0] for line in lines] == ["painted", "modules", "ready", "modules"]
    return {"painted": set(lines[1][1:]), "ready": set(lines[3][1:])}


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in ("sqlalchemy", "alembic")
                  or m in ("momentum_app.core.models", "momentum_app.core.db"))


def test_the_real_window_is_ready_before_sqlalchemy_is_loaded(
        app: Momentum, clock: FixedClock, db_path: Path, tmp_path: Path):
    a_day(app, clock)
    maybe_scheduled_backup(db_path)
    assert not scheduled_backup_due(db_path)
    modules = launch(db_path, tmp_path)
    assert "momentum_app.gui.views.today" in modules["ready"]  # the real window
    assert heavy(modules["ready"]) == []


def test_a_file_that_needs_the_full_opening_gets_it_before_the_window(
        app: Momentum, clock: FixedClock, db_path: Path, tmp_path: Path):
    """No scheduled backup yet today: the full opening makes it (with its integrity
    check) before the window is built, as it always did; the next start is light."""
    a_day(app, clock)
    assert scheduled_backup_due(db_path)
    modules = launch(db_path, tmp_path)
    assert "sqlalchemy.orm" in modules["ready"]
    assert not scheduled_backup_due(db_path)  # made by that start
