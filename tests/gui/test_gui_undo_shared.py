"""The window and the command line share one undo history (SPEC v2 §9, issue 15): a
change made by ``momentum`` in another process is undone by the window's Undo, and one
made in the window by ``momentum undo``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef

pytestmark = pytest.mark.gui


def cli(gui, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOMENTUM_")}
    env["MOMENTUM_NOW"] = gui.momentum.clock.now().isoformat()
    return subprocess.run([sys.executable, "-m", "momentum_app", "--db",
                           str(gui.momentum.db.path), *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_window_undo_takes_back_a_command_line_change(gui):
    added = cli(gui, "task", "add", "From the terminal", "--json")
    assert added.returncode == 0, added.stderr
    task_id = json.loads(added.stdout)["id"]
    done = cli(gui, "task", "done", str(task_id))
    assert done.returncode == 0, done.stderr
    points = gui.momentum.reads.progress().total_points
    # back in the window: the Undo item names the terminal's change
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    undo = gui.window.window_actions.undo
    assert undo.isEnabled() and undo.text() == "&Undo Complete “From the terminal”"
    undo.trigger()
    assert gui.momentum.items.get(Kind.TASK, task_id).status == "open"
    assert gui.momentum.reads.progress().total_points < points
    assert gui.window.window_actions.redo.text() == "&Redo Complete “From the terminal”"
    # and the terminal redoes what the window undid
    redone = cli(gui, "redo", "--json")
    assert json.loads(redone.stdout)["redone"] == "Complete “From the terminal”"
    assert gui.momentum.items.get(Kind.TASK, task_id).status == "done"


def test_command_line_undo_takes_back_a_window_change(gui):
    task = gui.controller.add_task("From the window")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    undone = cli(gui, "undo", "--json")
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["undone"] == "Complete “From the window”"
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "open"
    ledger = gui.momentum.reads.history(limit=None)
    assert sum(r.signed_points for r in ledger) \
        == gui.momentum.reads.progress().total_points


def test_settings_log_now_and_new_definitions_are_undoable_in_the_window(gui):
    gui.controller.add_event_type("meditated", 5)
    before = gui.momentum.reads.progress().total_points
    gui.controller.log_event("meditated")
    assert gui.controller.undo_stack.undoText() == "Log “meditated”"
    gui.controller.undo_stack.undo()
    assert gui.momentum.reads.progress().total_points == before
    gui.controller.undo_stack.undo()
    assert gui.momentum.events.list_types() == []
    gui.controller.add_profile("Bob", timezone="UTC")
    gui.controller.undo_stack.undo()
    assert [p.name for p in gui.momentum.profiles.list()] == ["default"]


def test_the_tasks_view_updates_its_own_toggle_in_place_and_skips_the_reload(gui, qtbot):
    """The change record names the initiator: the view that toggled a row updates that
    row and does not re-query; another view's change (or the CLI's) still reloads it."""
    view = gui.window.show_view("tasks")
    task = gui.controller.add_task("Toggle me")
    view.model.load(view.model.query.with_(status="all"))
    qtbot.waitUntil(lambda: view.model.row_of(task.id) is not None)
    reloads: list[int] = []
    original = view.model.refresh
    view.model.refresh = lambda: (reloads.append(1), original())[1]  # count re-queries
    seen = []
    gui.ctx.changes.changed.connect(seen.append)
    view.toggle(ItemRef(Kind.TASK, task.id))
    assert seen[-1].caused_by(view) and seen[-1].record.ids("tasks") == {task.id}
    assert reloads == []  # its own change: updated in place
    row = view.model.row_of(task.id)
    assert view.model.task_at(row).status == "done"
    gui.controller.reopen(ItemRef(Kind.TASK, task.id))  # not the view's: it reloads
    assert reloads == [1]
