"""Milestones: global and per-project cards, the reached list, and the goals-enabled switch
(through the controller: undoable, announced once)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef

pytestmark = pytest.mark.gui


def complete_tasks(gui, count: int, project: str | None = None) -> None:
    for number in range(count):
        task = gui.controller.add_task(f"Task {number}", project=project)
        gui.controller.complete(ItemRef(Kind.TASK, task.id))


def cards_of(view, project: str | None) -> dict[str, object]:
    return {card.card.kind: card for card in view.cards if card.card.project == project}


def test_global_and_project_cards_with_badge_bar_and_reward(gui):
    gui.controller.add_project("Work")
    complete_tasks(gui, 6, project="Work")
    view = gui.window.show_view("milestones")
    assert set(cards_of(view, None)) == {"tasks", "time_slots"}  # no global step track
    assert set(cards_of(view, "Work")) == {"tasks", "time_slots", "goal_steps"}
    work_tasks = cards_of(view, "Work")["tasks"]
    assert work_tasks.badge.text() == "6 / 10"
    assert work_tasks.reward.text() == "+35 points"
    assert work_tasks.note.text() == "4 more tasks to go"
    assert work_tasks.bar.value() == 600
    global_tasks = cards_of(view, None)["tasks"]
    assert global_tasks.badge.text() == "6 / 15" and global_tasks.reward.text() == "+50 points"
    assert [row.grant.threshold for row in view.reached] == [5]
    assert view.reached[0].grant.project == "Work"
    assert view.title.subtitle_label.text() == "1 reached · 25 points from milestones"


def test_the_switch_hides_a_projects_cards_and_undo_brings_them_back(gui, qtbot):
    gui.controller.add_project("Home")
    view = gui.window.show_view("milestones")
    assert cards_of(view, "Home")
    heard = []
    gui.ctx.changes.changed.connect(heard.append)
    qtbot.mouseClick(view.switches["Home"], Qt.MouseButton.LeftButton)
    assert len(heard) == 1  # one broadcast
    assert not next(p for p in gui.momentum.projects.list() if p.name == "Home").goals_enabled
    assert cards_of(view, "Home") == {}
    assert not view.switches["Home"].isChecked()
    assert "Ctrl+Z" in gui.window.statusBar().currentMessage()
    qtbot.keyClick(gui.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert next(p for p in gui.momentum.projects.list() if p.name == "Home").goals_enabled
    assert set(cards_of(view, "Home")) == {"tasks", "time_slots", "goal_steps"}
    assert view.switches["Home"].isChecked()


def test_a_disabled_project_still_earns_but_stays_quiet(gui):
    gui.controller.add_project("Home")
    gui.controller.set_goals_enabled("Home", False)
    shown = []
    gui.window.toasts.shown.connect(shown.append)
    complete_tasks(gui, 5, project="Home")
    view = gui.window.show_view("milestones")
    assert [row.grant.project for row in view.reached] == ["Home"]
    assert all("Milestone" not in message.text for message in shown)
