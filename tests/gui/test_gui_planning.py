"""Planning in the window (SPEC v2 §12): quick-add chips, tag filter, due times, the
repeat editor's preview, schedule markers, the notification's rendered content."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from PySide6.QtCore import Qt

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import TASKS, Change, ItemRef
from momentum_app.gui.models.item_list import Section
from momentum_app.gui.notify import Bubble
from momentum_app.gui.planning_scenes import NotificationCard

UTC = timezone.utc
pytestmark = pytest.mark.gui


def test_quick_add_shows_chips_while_typing_each_removable_and_enter_saves(gui, qtbot):
    today = gui.window.show_view("today")
    field = today.quick_field
    qtbot.keyClicks(field.edit, "Call mom tomorrow 5pm #Home !3 every sun")
    assert field.chip_labels() == ["Tomorrow", "17:00", "Home", "!3", "every Sunday"]
    field.chips[0].click()  # "Tomorrow" switched off: it stays in the title
    assert field.chip_labels() == ["17:00", "Home", "!3", "every Sunday"]
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    [task] = gui.momentum.items.list_tasks()
    assert task.title == "Call mom tomorrow" and task.project == "Home"
    assert task.complexity == 3 and task.repeat == "FREQ=WEEKLY;BYDAY=SU"
    assert task.due_time == "17:00"
    assert field.edit.text() == "" and field.chips == []
    assert "Home" in [p.name for p in gui.momentum.projects.list()]
    gui.controller.undo_stack.undo()  # undoable like any add
    assert gui.momentum.items.list_tasks() == []


def test_today_quick_add_without_a_date_is_due_today(gui, qtbot):
    today = gui.window.show_view("today")
    qtbot.keyClicks(today.quick_add, "Water plants @home")
    qtbot.keyClick(today.quick_add, Qt.Key.Key_Return)
    [task] = gui.momentum.items.list_tasks()
    assert task.due == date(2026, 1, 5) and task.tags == ("home",)


def test_tasks_view_tag_filter_and_sidebar_tags(gui, qtbot, drain):
    items = gui.momentum.items
    items.add_task("Milk", tags=["errands"])
    items.add_task("Report", tags=["work"])
    items.add_task("Untagged")
    gui.ctx.changes.publish(Change(TASKS))
    view = gui.window.show_view("tasks")
    drain(gui)
    assert view.model.rowCount() == 3
    sidebar_tags = [gui.window.sidebar.tags.item(r).text()
                    for r in range(gui.window.sidebar.tags.count())]
    assert sidebar_tags == ["errands", "work"]
    gui.window.sidebar.tags.itemClicked.emit(gui.window.sidebar.tags.item(1))
    drain(gui)
    assert [view.model.task_at(r).title for r in range(view.model.rowCount())] == ["Report"]
    assert any("#work" in str(view.model.data(view.model.index(0, c)))
               for c in range(view.model.columnCount()))
    view.set_tag_filter(None)
    drain(gui)
    assert view.model.rowCount() == 3


def test_a_timed_due_is_overdue_after_its_instant_in_today(gui, clock, drain):
    items = gui.momentum.items
    items.add_task("Morning call", due="2026-01-05T09:00")  # the clock says 12:00 UTC
    items.add_task("Evening call", due="2026-01-05T18:00")
    items.add_task("Any time today", due="2026-01-05")
    today = gui.window.show_view("today")
    today.reload()
    model = today.task_list.list_model
    rows = [model.entry(r) for r in range(model.rowCount())]
    sections = [(r.title, [getattr(x, "title", None) for x in rows[i + 1:]])
                for i, r in enumerate(rows) if isinstance(r, Section)]
    assert sections[0][0] == "Overdue" and sections[0][1][0] == "Morning call"
    assert sections[1][0] == "Due today"
    assert set(sections[1][1]) == {"Evening call", "Any time today"}


def test_repeat_editor_offers_both_modes_with_a_preview(gui):
    dialog = gui.window.new_task()
    editor = dialog.repeat_editor
    assert [editor.mode.itemText(i) for i in range(editor.mode.count())] == [
        "Does not repeat", "On a schedule", "After each completion"]
    dialog.title_edit.setText("Stand-up")
    dialog.due_edit.enabled_box.setChecked(True)
    editor.mode.setCurrentIndex(1)
    editor.schedule.setEditText("FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=55;COUNT=3")
    assert editor.preview_dates() == ["Mon 5 Jan 06:55", "Mon 12 Jan 06:55", "Mon 19 Jan 06:55"]
    assert editor.preview_label.text().startswith("Next: Mon 5 Jan 06:55")
    editor.mode.setCurrentIndex(2)
    editor.after_amount.setValue(3)
    editor.after_unit.setCurrentIndex(0)
    assert editor.after() == "3d" and editor.rule() is None
    assert editor.preview_dates() == ["Thu 8 Jan", "Sun 11 Jan", "Wed 14 Jan"]
    dialog.time_edit.enabled_box.setChecked(True)
    dialog.tags_edit.setText("work, #daily")
    dialog.accept()
    [task] = gui.momentum.items.list_tasks()
    assert task.repeat_after == "3d" and task.repeat is None
    assert task.due_label == "2026-01-05T09:00" and task.tags == ("daily", "work")
    edit = gui.window.open_editor(ItemRef(Kind.TASK, task.id))
    assert edit.repeat_editor.mode.currentIndex() == 2 and edit.time_edit.value() == "09:00"
    edit.close()


def test_schedule_marks_a_due_time_on_its_day(gui, drain):
    gui.momentum.items.add_task("Dentist", due="2026-01-06T15:00")
    gui.momentum.items.add_task("No time", due="2026-01-06")
    view = gui.window.show_view("schedule")
    view.reload()
    assert [t.title for t in view.grid.due_markers] == ["Dentist"]


def test_the_notification_card_renders_what_is_sent(gui):
    bubble = Bubble("Call the bank", "Due 2026-01-05 at 15:00 · 30m before")
    card = NotificationCard(bubble, gui.ctx.theme)
    assert card.summary.text() == "Call the bank"
    assert [b.text() for b in card.buttons] == ["Done", "Snooze 10 min", "Snooze 1 h",
                                                "Tomorrow"]
    assert not card.grab().isNull()


def test_a_done_task_shows_its_due_date_not_overdue(gui, qtbot):
    """Tasks ▸ Done/All: a finished task is never "N days overdue" (only open ones are)."""
    from PySide6.QtCore import Qt

    from momentum_app.gui.models.task_table import Column

    items = gui.momentum.items  # the clock: Monday 2026-01-05
    done = items.add_task("Filed the taxes", due="2025-12-20")
    items.add_task("Renew passport", due="2025-12-20")
    items.complete(Kind.TASK, done.id)
    tasks = gui.window.show_view("tasks")
    tasks.reload()
    tasks.status.button("all").click()
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 2)
    due = {tasks.model.task_at(row).title:
           tasks.model.index(row, Column.DUE).data(Qt.ItemDataRole.DisplayRole)
           for row in range(2)}
    assert due["Renew passport"] == "16 days overdue"
    assert "overdue" not in due["Filed the taxes"] and due["Filed the taxes"]
