"""Issue 13 item 6: a visible 2 px focus ring, distinct from selection, on buttons
(primary ones too), the sidebar, lists, segmented controls, switches and charts; scroll
areas without a name take no Tab stop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QApplication, QWidget

pytestmark = pytest.mark.gui


def _picture(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def _ring_shows(widget: QWidget, elsewhere: QWidget) -> bool:
    """Focused and unfocused pictures differ, and the focused one has the ring colour."""
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    before = _picture(widget)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    assert widget.hasFocus()
    after = _picture(widget)
    return before != after


def _has_colour(image: QImage, colour: str, tolerance: int = 40) -> bool:
    from PySide6.QtGui import QColor

    want = QColor(colour)
    for y in range(0, image.height(), 1):
        for x in range(0, min(image.width(), 8)):
            got = image.pixelColor(x, y)
            if abs(got.red() - want.red()) + abs(got.green() - want.green()) + \
                    abs(got.blue() - want.blue()) < tolerance:
                return True
    return False


def test_buttons_segments_switches_and_lists_show_a_focus_ring(gui, qtbot, drain):
    window = gui.window
    gui.controller.add_task("Something to list")
    tasks = window.show_view("tasks")
    qtbot.waitUntil(lambda: (drain(gui), tasks.model.rowCount() == 1)[1], timeout=5000)
    search = tasks.search
    ring = gui.ctx.theme.tokens.text
    for widget in (tasks.new_button,  # a primary button
                   tasks.status.button("done"),  # a segment
                   window.sidebar.nav,
                   tasks.table):
        assert _ring_shows(widget, search), widget
    for button in (tasks.new_button, tasks.status.button("done")):
        button.setFocus()
        assert _has_colour(_picture(button), ring), button  # its left edge is the ring
    settings = window.show_view("settings")
    assert _ring_shows(settings.revert_button, settings.name_edit)
    milestones = window.show_view("milestones")
    switch = next(iter(milestones.switches.values()))
    assert _ring_shows(switch, window.sidebar.nav)


def test_the_ring_is_not_the_selection_colour(gui):
    tokens = gui.ctx.theme.tokens
    assert tokens.text not in (tokens.accent, tokens.accent_soft)
    sheet = QApplication.instance().styleSheet()
    assert f"QPushButton:focus {{ border: 2px solid {tokens.text};" in sheet
    assert f'QPushButton[role="segment"]:focus {{ border: 2px solid {tokens.text};' in sheet


def test_a_chart_shows_the_ring_when_it_has_focus(gui, qtbot):
    dashboard = gui.window.show_view("dashboard")
    chart = dashboard.points_chart
    assert chart.accessibleName()
    assert _ring_shows(chart, dashboard.range.button("90"))


def test_unnamed_scroll_areas_take_no_tab_stop(gui):
    window = gui.window
    for view_id in window.views:
        window.show_view(view_id)
    offenders = [type(area.parentWidget()).__name__
                 for area in window.findChildren(QAbstractScrollArea)
                 if not isinstance(area, QAbstractItemView)
                 and area.focusPolicy() & Qt.FocusPolicy.TabFocus
                 and not area.accessibleName()
                 and type(area).__name__ not in ("QPlainTextEdit", "QTextEdit")]
    assert offenders == []
