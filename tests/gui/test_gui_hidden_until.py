"""The window leaves tasks hidden until a later day out of Today and Tasks; the Tasks
view's "All" shows them; on their day they show (issue 18, Taskwarrior ``wait``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = pytest.mark.gui


def shown_titles(view) -> list[str]:
    return [view.model.task_at(row).title for row in range(view.model.rowCount())]


def test_hidden_tasks_stay_out_of_today_and_tasks_until_their_day(gui, qtbot, clock):
    items = gui.momentum.items  # the clock: Monday 2026-01-05, noon UTC
    items.add_task("Renew passport", due="2026-01-05", hide_until="2026-01-07")
    items.add_task("Buy milk", due="2026-01-05")
    today = gui.window.show_view("today")
    today.reload()
    assert today.task_list.list_model.item_count() == 1
    assert today.task_list.list_model.entry(1).title == "Buy milk"  # row 0: the section

    tasks = gui.window.show_view("tasks")
    tasks.reload()
    qtbot.waitUntil(lambda: shown_titles(tasks) == ["Buy milk"])
    tasks.status.button("all").click()
    qtbot.waitUntil(lambda: sorted(shown_titles(tasks)) == ["Buy milk", "Renew passport"])
    tasks.status.button("open").click()
    qtbot.waitUntil(lambda: shown_titles(tasks) == ["Buy milk"])

    clock.advance(timedelta(days=2))  # Wednesday: its day
    today.reload()
    assert today.task_list.list_model.item_count() == 2
    tasks.reload()
    qtbot.waitUntil(lambda: sorted(shown_titles(tasks)) == ["Buy milk", "Renew passport"])


def title_cell_image(view, row: int):
    """The title cell of ``row`` as the Tasks table paints it (the real delegate)."""
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from momentum_app.gui.models.task_table import Column

    index = view.model.index(row, Column.TITLE)
    option = QStyleOptionViewItem()
    option.initFrom(view.table.viewport())
    option.rect = view.table.visualRect(index).translated(
        -view.table.visualRect(index).topLeft())
    option.widget = view.table
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    view.table.itemDelegateForIndex(index).paint(painter, option, index)
    painter.end()
    return image


def differ_on_the_right(first, second) -> int:
    """Pixels that differ in the right 40 % of two cells (a short title never reaches
    there: only the marker can)."""
    return sum(1 for x in range(int(first.width() * 0.6), first.width())
               for y in range(first.height()) if first.pixel(x, y) != second.pixel(x, y))


def test_all_marks_a_hidden_task_in_its_row_with_tooltip_and_accessible_text(gui, qtbot,
                                                                             clock):
    from PySide6.QtCore import Qt

    from momentum_app.gui.models.task_table import HIDDEN_ROLE, Column

    items = gui.momentum.items  # Monday 2026-01-05
    items.add_task("Renew passport", hide_until="2026-01-14")
    items.add_task("Buy milk")
    tasks = gui.window.show_view("tasks")
    tasks.reload()
    tasks.status.button("all").click()
    qtbot.waitUntil(lambda: sorted(shown_titles(tasks)) == ["Buy milk", "Renew passport"])
    rows = {tasks.model.task_at(r).title: r for r in range(tasks.model.rowCount())}
    hidden = tasks.model.index(rows["Renew passport"], Column.TITLE)
    plain = tasks.model.index(rows["Buy milk"], Column.TITLE)
    assert hidden.data(HIDDEN_ROLE) == "Hidden until Wed 14 Jan"
    assert plain.data(HIDDEN_ROLE) == ""
    assert hidden.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Renew passport, hidden until wed 14 jan")
    assert hidden.data(Qt.ItemDataRole.ToolTipRole).startswith(
        "Hidden until Wednesday, 14 January 2026: not in Open or Today")
    assert plain.data(Qt.ItemDataRole.ToolTipRole) is None
    marked = title_cell_image(tasks, rows["Renew passport"])
    clock.advance(timedelta(days=9))  # its day: shown everywhere, no marker any more
    tasks.reload()
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 2)
    rows = {tasks.model.task_at(r).title: r for r in range(tasks.model.rowCount())}
    assert tasks.model.index(rows["Renew passport"], Column.TITLE).data(HIDDEN_ROLE) == ""
    # The real delegate painted the marker (icon and label) at the right of the title
    # cell; the same row on its day has nothing there.
    assert differ_on_the_right(marked, title_cell_image(tasks, rows["Renew passport"])) > 40


def test_the_task_editor_sets_validates_clears_and_undoes_hide_until(gui, qtbot):
    from datetime import date

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    from momentum_app.core.catalog import Kind
    from momentum_app.gui.changes import ItemRef
    from momentum_app.gui.dialogs.task_dialog import TaskDialog

    def save(dialog) -> None:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    items = gui.momentum.items  # Monday 2026-01-05
    # A new task hidden until Thursday: out of Open, in the database with its day.
    dialog = gui.window.new_task()
    assert isinstance(dialog, TaskDialog)
    captions = {lab.text(): lab.buddy() for lab in dialog.findChildren(QLabel)}
    assert captions["&Hide until"] is dialog.hide_edit  # the mnemonic Alt+H reaches it
    assert dialog.hide_edit.value() is None  # optional: off by default
    dialog.title_edit.setText("Renew passport")
    dialog.hide_edit.enabled_box.setChecked(True)
    dialog.hide_edit.date_edit.setDate(QDate(2026, 1, 8))
    save(dialog)
    assert not dialog.isVisible()
    [task] = items.list_tasks(include_hidden=True)
    assert task.hidden_until == date(2026, 1, 8)
    assert items.list_tasks() == []

    # Editing: the core's rule (years 1900–2200) is shown at the field, nothing written.
    dialog = gui.window.open_editor(ItemRef(Kind.TASK, task.id))
    assert dialog.hide_edit.value() == date(2026, 1, 8)
    dialog.hide_edit.date_edit.setDate(QDate(2300, 1, 1))
    save(dialog)
    assert dialog.isVisible()
    assert "Year out of range" in dialog.error_text("hide_until")
    assert items.get(Kind.TASK, task.id).hidden_until == date(2026, 1, 8)
    # Clearing it: the task shows again; one undo entry hides it again.
    dialog.hide_edit.enabled_box.setChecked(False)
    save(dialog)
    assert not dialog.isVisible()
    assert items.get(Kind.TASK, task.id).hidden_until is None
    assert [t.title for t in items.list_tasks()] == ["Renew passport"]
    gui.controller.undo_stack.undo()
    assert items.get(Kind.TASK, task.id).hidden_until == date(2026, 1, 8)
    assert items.list_tasks() == []
    # Saving an unchanged editor is not an edit (nothing new to undo).
    count = gui.controller.undo_stack.count()
    dialog = gui.window.open_editor(ItemRef(Kind.TASK, task.id))
    save(dialog)
    assert gui.controller.undo_stack.count() == count
