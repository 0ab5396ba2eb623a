"""Issue 13: text that delegates paint is checked like labels are — the Today schedule's
time ranges are never cut at the minimum size with 1.5× text; titles elide instead and
say themselves whole in the tooltip."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from momentum_app.gui import screenshots
from momentum_app.gui.layout_check import cut_text, painted_problems
from momentum_app.gui.main_window import MINIMUM_SIZE
from momentum_app.gui.models.item_list import ENTRY_ROLE
from momentum_app.gui.painted_text import draw_text, recording
from momentum_app.gui.timefmt import time_range

pytestmark = pytest.mark.gui

LONG_TITLE = "Deep work on the quarterly report, its appendices and every one of its tables"


def _today_at_minimum_with_large_text(gui):
    """Today at 980×640 with 1.5× text (the caller puts the text size back)."""
    gui.ctx.theme.set_text_scale(1.5)
    gui.window.resize(*MINIMUM_SIZE)
    view = gui.window.show_view("today")
    view.refresh_now()
    screenshots.settle(gui)
    return view


def test_the_recorder_catches_painted_text_without_room(qtbot):
    image = QImage(300, 60, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setFont(QFont(QApplication.font()))
    try:
        with recording() as found:
            draw_text(painter, QRect(0, 0, 30, 30), "09:00–10:30")  # too narrow
            draw_text(painter, QRect(0, 0, 300, 4), "short")  # too low
            draw_text(painter, QRect(0, 0, 30, 30), LONG_TITLE, elide=True)  # fine: elided
            draw_text(painter, QRect(0, 0, 300, 30), "fits")
        shown = draw_text(painter, QRect(0, 0, 60, 30), LONG_TITLE, elide=True)
    finally:
        painter.end()
    assert len(found) == 2
    assert "'09:00–10:30': width 30" in found[0] and "'short': height 4" in found[1]
    assert shown.endswith("…") and len(shown) < len(LONG_TITLE)


def test_schedule_rows_keep_their_times_whole_at_minimum_size_and_large_text(gui, qtbot):
    now = gui.momentum.clock.now()
    start = now.replace(hour=9, minute=0)
    gui.controller.add_slot(LONG_TITLE, start, start + timedelta(minutes=90))
    gui.controller.add_slot("Review", start + timedelta(hours=5), start + timedelta(hours=6))
    window = gui.window
    try:
        view = _today_at_minimum_with_large_text(gui)
        slots = view.slot_list
        assert slots.list_model.rowCount() >= 2
        assert painted_problems(slots) == []
        assert not any("painted" in problem for problem in cut_text(window))
        # The long title is what gives way, and its tooltip says it (and the times) whole.
        delegate = slots.row_delegate
        for row in range(slots.list_model.rowCount()):
            index = slots.list_model.index(row, 0)
            entry = index.data(ENTRY_ROLE)
            if getattr(entry, "title", None) != LONG_TITLE:
                continue
            rect = slots.visualRect(index)
            tip = delegate.tooltip(rect, QPoint(rect.center()), entry, slots.font())
            assert LONG_TITLE in tip
            assert time_range(entry.start, entry.end, delegate.profile_time) in tip
            break
        else:
            pytest.fail("the long slot is not in Today's schedule")
    finally:
        gui.ctx.theme.set_text_scale(1.0)



def test_a_cut_detail_line_is_said_whole_in_the_tooltip(gui, qtbot):
    task = gui.controller.add_task("Renew the passport", due=gui.ctx.today() - timedelta(days=3),
                                   project="Home and garden and everything around it")
    try:
        view = _today_at_minimum_with_large_text(gui)
        tasks = view.task_list
        assert painted_problems(tasks) == []
        delegate = tasks.row_delegate
        for row in range(tasks.list_model.rowCount()):
            index = tasks.list_model.index(row, 0)
            entry = index.data(ENTRY_ROLE)
            if getattr(entry, "id", None) == task.id and hasattr(entry, "due"):
                rect = tasks.visualRect(index)
                tip = delegate.tooltip(rect, QPoint(rect.left() + 80, rect.center().y()),
                                       entry, tasks.font())
                assert tip.startswith("Renew the passport\n")
                assert "Home and garden and everything around it" in tip
                assert "overdue" in tip
                break
        else:
            pytest.fail("the task is not in Today's list")
    finally:
        gui.ctx.theme.set_text_scale(1.0)


def test_the_checker_catches_content_cut_by_a_scroll_area_without_a_sideways_bar(gui):
    from PySide6.QtWidgets import QLabel  # noqa: PLC0415

    from momentum_app.gui.widgets.common import flat_scroll  # noqa: PLC0415

    view = gui.window.show_view("today")
    wide = QLabel("x")
    wide.setMinimumWidth(900)
    area = flat_scroll(wide, horizontal=False)
    area.setParent(view)
    area.setGeometry(0, 0, 300, 100)
    area.show()
    QApplication.processEvents()
    try:
        assert any("wider than the area" in problem for problem in cut_text(gui.window))
    finally:
        area.deleteLater()


def test_the_checker_catches_a_column_title_narrower_than_its_text(gui):
    gui.controller.add_task("Something to list")
    view = gui.window.show_view("tasks")
    view.refresh_now()
    screenshots.settle(gui)
    table = view.table
    from momentum_app.gui.models.task_table import Column  # noqa: PLC0415

    assert not any("column" in problem for problem in cut_text(gui.window))
    table.setColumnWidth(Column.COMPLEXITY, 30)
    try:
        assert any("column 'Complexity'" in problem for problem in cut_text(gui.window))
    finally:
        table.fit_columns()
