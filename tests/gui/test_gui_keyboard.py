"""Keyboard: shortcuts for the frequent actions, accessible names, a usable tab order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.gui


def test_ctrl_number_switches_views(gui, qtbot):
    window = gui.window
    for number, view_id in enumerate(["today", "tasks", "goals", "schedule"], start=1):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), CTRL)
        assert window.current_view_id() == view_id
        assert window.sidebar.nav.currentRow() == number - 1


def test_ctrl_f_focuses_the_task_search_and_filters(gui, qtbot, drain):
    gui.controller.add_task("Buy milk")
    gui.controller.add_task("Write essay")
    window = gui.window
    window.show_view("today")
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    tasks = window.current_view()
    assert window.current_view_id() == "tasks"
    assert tasks.search.hasFocus()
    qtbot.keyClicks(tasks.search, "milk")
    qtbot.keyClick(tasks.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (drain(gui), tasks.model.rowCount() == 1)[1], timeout=5000)
    assert tasks.model.task_at(0).title == "Buy milk"


def test_space_toggles_and_delete_deletes_in_the_tasks_table(gui, qtbot, drain):
    task = gui.controller.add_task("Tidy up")
    window = gui.window
    tasks = window.show_view("tasks")
    tasks.status.button("all").click()
    qtbot.waitUntil(lambda: (drain(gui), tasks.model.rowCount() == 1)[1], timeout=5000)
    tasks.table.selectRow(0)
    tasks.table.setFocus()
    qtbot.keyClick(tasks.table, Qt.Key.Key_Space)
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "done"
    qtbot.keyClick(window, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter toggles back
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "open"
    qtbot.keyClick(tasks.table, Qt.Key.Key_Delete)
    assert gui.momentum.items.list_tasks() == []
    assert "Ctrl+Z" in window.statusBar().currentMessage()


def test_space_in_a_text_field_types_a_space(gui, qtbot):
    today = gui.window.show_view("today")
    today.quick_add.setFocus()
    qtbot.keyClicks(today.quick_add, "a b")
    assert today.quick_add.text() == "a b"


def test_a_step_checkbox_toggles_with_space_and_ctrl_enter(gui, qtbot):
    goal = gui.controller.add_goal("Run a 10k")
    step = gui.controller.add_step(goal.id, "Buy shoes")
    goals = gui.window.show_view("goals")
    box = goals.cards[0].step_boxes[0]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert gui.momentum.items.get(Kind.STEP, step.id).status == "done"
    goals.cards[0].step_boxes[0].setFocus()
    assert goals.current_item() == ItemRef(Kind.STEP, step.id)
    qtbot.keyClick(gui.window, Qt.Key.Key_Enter, CTRL)
    assert gui.momentum.items.get(Kind.STEP, step.id).status == "open"


def test_controls_have_accessible_names(gui):
    window = gui.window
    missing = []
    for view_id in window.views:
        view = window.show_view(view_id)
        for widget in view.findChildren(QWidget):
            internal = isinstance(widget.parent(), QLineEdit)  # e.g. its clear button
            if isinstance(widget, QLineEdit | QAbstractButton) and widget.isVisibleTo(view) \
                    and not internal and not (widget.accessibleName() or widget.text()):
                missing.append(f"{view_id}: {widget.__class__.__name__}")
    assert missing == []
    assert window.header.xp_bar.accessibleName()
    assert window.sidebar.nav.accessibleName() == "Views"


def test_tab_moves_through_the_today_view_in_reading_order(gui, qtbot):
    gui.controller.add_task("Due now", due=gui.ctx.today())
    start = gui.ctx.now() + timedelta(hours=1)
    gui.controller.add_slot("Focus", start, start + timedelta(hours=1))
    today = gui.window.show_view("today")
    today.new_button.setFocus()
    order = [today.new_button]
    for _ in range(3):
        order.append(order[-1].nextInFocusChain())
        while not (order[-1].focusPolicy() & Qt.FocusPolicy.TabFocus and
                   order[-1].isVisibleTo(today)):
            order[-1] = order[-1].nextInFocusChain()
    assert order[1:] == [today.quick_add, today.task_list, today.slot_list]


def test_the_shortcuts_window_lists_the_actions(gui):
    dialog = gui.window.window_actions.show_shortcuts()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "New task" in texts and "Ctrl+N" in texts and "Undo" in texts
    dialog.close()
