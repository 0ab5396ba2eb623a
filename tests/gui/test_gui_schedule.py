"""The schedule's time grid: drag to move and resize, drag to create, keys to nudge."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from momentum_app.core.catalog import Kind
from momentum_app.gui.dialogs.slot_dialog import SlotDialog
from momentum_app.gui.widgets.time_grid import HOUR_HEIGHT

pytestmark = pytest.mark.gui
MONDAY_9 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def mouse(widget, kind: QEvent.Type, pos: QPointF, buttons=Qt.MouseButton.LeftButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else \
        Qt.MouseButton.NoButton
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(widget, start: QPointF, end: QPointF) -> None:
    mouse(widget, QEvent.Type.MouseButtonPress, start)
    middle = (start + end) / 2
    mouse(widget, QEvent.Type.MouseMove, middle)
    mouse(widget, QEvent.Type.MouseMove, end)
    mouse(widget, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


@pytest.fixture
def schedule(gui):
    slot = gui.controller.add_slot("Deep work", MONDAY_9, MONDAY_9 + timedelta(hours=1))
    view = gui.window.show_view("schedule")
    view.mode.button("week").click()
    return gui, view, slot


def test_dragging_a_block_moves_the_slot_and_undo_puts_it_back(schedule):
    gui, view, slot = schedule
    block = view.grid.block_of(slot.id)
    assert block is not None
    start = block.rect.center()
    drag(view.grid, start, start + QPointF(0, HOUR_HEIGHT))
    moved = gui.momentum.items.get(Kind.SLOT, slot.id)
    assert (moved.start, moved.end) == (MONDAY_9 + timedelta(hours=1),
                                        MONDAY_9 + timedelta(hours=2))
    gui.controller.undo_stack.undo()
    assert gui.momentum.items.get(Kind.SLOT, slot.id).start == MONDAY_9


def test_dragging_a_block_to_the_next_column_moves_it_a_day(schedule):
    gui, view, slot = schedule
    block = view.grid.block_of(slot.id)
    width = block.rect.width() + 6
    drag(view.grid, block.rect.center(), block.rect.center() + QPointF(width, 0))
    assert gui.momentum.items.get(Kind.SLOT, slot.id).start == MONDAY_9 + timedelta(days=1)


def test_dragging_the_lower_edge_resizes(schedule):
    gui, view, slot = schedule
    block = view.grid.block_of(slot.id)
    edge = QPointF(block.rect.center().x(), block.rect.bottom() - 2)
    drag(view.grid, edge, edge + QPointF(0, HOUR_HEIGHT / 2))
    resized = gui.momentum.items.get(Kind.SLOT, slot.id)
    assert (resized.start, resized.end) == (MONDAY_9, MONDAY_9 + timedelta(minutes=90))


def test_dragging_on_empty_space_opens_a_prefilled_new_slot(schedule):
    gui, view, _slot = schedule
    grid = view.grid
    x = grid.block_of(_slot.id).rect.center().x() + 3 * (grid.block_of(_slot.id).rect.width())
    top = QPointF(x, grid.y_of(14 * 60) + 2)
    drag(grid, top, QPointF(x, grid.y_of(15 * 60) + 2))
    dialog = gui.window.findChild(SlotDialog)
    assert dialog is not None
    zone = gui.ctx.profile_time()
    start = zone.from_qdatetime(dialog.start_edit.dateTime())
    end = zone.from_qdatetime(dialog.end_edit.dateTime())
    assert (start.hour, end.hour, (end - start)) == (14, 15, timedelta(hours=1))
    assert start.date() == MONDAY_9.date() + timedelta(days=3)


def test_keyboard_selects_nudges_and_marks_done(schedule, qtbot):
    gui, view, slot = schedule
    grid = view.grid
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_id == slot.id
    qtbot.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert gui.momentum.items.get(Kind.SLOT, slot.id).start == MONDAY_9 + timedelta(minutes=15)
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert gui.momentum.items.get(Kind.SLOT, slot.id).status == "done"
    assert view.current_item().id == slot.id


def test_day_and_week_views(schedule):
    _gui, view, _slot = schedule
    assert len(view.grid.days) == 7
    view.mode.button("day").click()
    assert len(view.grid.days) == 1
    view.next_button.click()
    assert view.grid.days[0] == MONDAY_9.date() + timedelta(days=1)
