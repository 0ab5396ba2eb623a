"""Editing dialogs: validation errors appear at their field; saving goes through undo."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialogButtonBox

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.dialogs.slot_dialog import SlotDialog
from momentum_app.gui.dialogs.task_dialog import TaskDialog

pytestmark = pytest.mark.gui


def save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_ctrl_n_opens_a_dialog_that_shows_an_empty_title_at_its_field(gui, qtbot):
    window = gui.window
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(TaskDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.title_edit.setText("   ")
    save(dialog)
    assert dialog.isVisible()  # kept open, nothing saved
    assert dialog.error_text("title") == "Must not be empty"
    assert dialog.title_edit.property("invalid") is True
    assert dialog.focusWidget() is dialog.title_edit
    assert gui.momentum.items.list_tasks() == []
    dialog.title_edit.setText("Pay rent")
    save(dialog)
    assert not dialog.isVisible()
    assert dialog.error_text("title") == ""
    assert [t.title for t in gui.momentum.items.list_tasks()] == ["Pay rent"]


def test_a_bad_repeat_rule_is_shown_at_the_repeat_field(gui):
    dialog = gui.window.new_task()
    dialog.title_edit.setText("Stretch")
    dialog.repeat_combo.setEditText("every second blue moon")
    save(dialog)
    assert dialog.isVisible()
    assert "repeat rule" in dialog.error_text("repeat")
    assert dialog.error_text("title") == ""


def test_a_slot_ending_before_it_starts_is_shown_at_the_end_field(gui):
    dialog = gui.window.new_slot()
    assert isinstance(dialog, SlotDialog)
    dialog.title_edit.setText("Focus")
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(-1800))
    save(dialog)
    assert dialog.isVisible()
    assert dialog.error_text("end") == "Must be after the start"
    assert gui.momentum.items.list_slots() == []


def test_editing_a_task_saves_every_field_and_undo_restores_it(gui):
    gui.controller.add_project("Home")
    task = gui.controller.add_task("Fix the door", complexity=1)
    dialog = gui.window.open_editor(ItemRef(Kind.TASK, task.id))
    assert isinstance(dialog, TaskDialog)
    dialog.title_edit.setText("Fix the squeaky door")
    dialog.project_combo.setCurrentIndex(dialog.project_combo.findData("Home"))
    dialog.complexity.set_value(4)
    dialog.due_edit.enabled_box.setChecked(True)
    dialog.repeat_combo.setCurrentIndex(dialog.repeat_combo.findData("weekly"))
    dialog.notes_edit.setPlainText("Oil the hinges")
    save(dialog)
    saved = gui.momentum.items.get(Kind.TASK, task.id)
    assert (saved.title, saved.project, saved.complexity, saved.repeat, saved.notes) == (
        "Fix the squeaky door", "Home", 4, "FREQ=WEEKLY", "Oil the hinges")
    assert saved.due is not None
    gui.controller.undo_stack.undo()
    assert gui.momentum.items.get(Kind.TASK, task.id).title == "Fix the door"


def test_backdating_a_completion_with_the_date_time_picker(gui):
    task = gui.controller.add_task("Report")
    today = gui.window.show_view("today")
    gui.controller.edit(ItemRef(Kind.TASK, task.id), due=gui.ctx.today())
    today.task_list.select(ItemRef(Kind.TASK, task.id))
    today.task_list.setFocus()
    dialog = gui.window.complete_current_at()
    assert dialog is not None
    dialog.set_when(QDateTime.fromString("2026-01-03 21:15", "yyyy-MM-dd HH:mm"))
    save(dialog)
    done = gui.momentum.items.get(Kind.TASK, task.id)
    assert done.status == "done"
    assert done.completed_at == datetime(2026, 1, 3, 21, 15, tzinfo=timezone.utc)


def test_quick_add_shows_a_too_long_title_under_the_field(gui, qtbot):
    today = gui.window.show_view("today")
    today.quick_add.setText("x" * 501)
    qtbot.keyClick(today.quick_add, Qt.Key.Key_Return)
    assert today.quick_error.isVisible()
    assert "too long" in today.quick_error.text()
    assert gui.momentum.items.list_tasks() == []


def test_a_new_project_name_that_exists_is_shown_at_the_name_field(gui):
    dialog = gui.window.new_project()
    dialog.name_edit.setText("Inbox")
    save(dialog)
    assert "already exists" in dialog.error_text("name")
