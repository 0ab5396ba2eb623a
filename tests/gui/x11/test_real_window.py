"""The real-window suite (issue 13 item 8): the window on a real X11 display (Xvfb).

Offscreen renders never show what a desktop platform adds — stock icons on dialog
buttons, shortcut ambiguity between a standard key and its spelled-out twin, focus and
activation. ``tests/gui/test_gui_real_window.py`` starts Xvfb and runs this file in a
subprocess with ``QT_QPA_PLATFORM=xcb``; run alone (offscreen) it skips.
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(os.environ.get("QT_QPA_PLATFORM") != "xcb"
                       or not os.environ.get("DISPLAY"),
                       reason="needs a real X11 display (run by test_gui_real_window.py)"),
]


@pytest.fixture
def active(gui, qtbot):
    window = gui.window
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    return gui


def test_the_window_starts_on_the_x11_platform(active):
    window = active.window
    assert QGuiApplication.platformName() == "xcb"
    assert window.isVisible() and window.winId()
    assert window.windowHandle().isExposed()
    assert (window.width(), window.height()) == (1200, 800)


def test_ctrl_q_quits_with_one_unambiguous_shortcut(active, qtbot):
    window = active.window
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)


def test_a_toast_appears_over_the_window_with_its_sources_and_undo(active, qtbot):
    window = active.window
    task = active.controller.add_task("Water the plants")
    active.controller.complete(ItemRef(Kind.TASK, task.id))
    toast = window.toasts.current
    assert toast is not None
    qtbot.waitExposed(toast)
    assert toast.isVisible() and window.content.rect().contains(toast.geometry())
    assert "Task +10" in toast.detail_label.text()
    assert not toast.hasFocus() and QApplication.activeWindow() is window
    qtbot.mouseClick(toast.undo_button, Qt.MouseButton.LeftButton)
    assert window.toasts.current is None
    assert active.momentum.items.get(Kind.TASK, task.id).status == "open"


def test_dialog_buttons_carry_no_stock_icons_and_enter_saves(active, qtbot):
    window = active.window
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=3000)
    dialog = QApplication.activeModalWidget()
    qtbot.waitExposed(dialog)
    box = dialog.findChild(QDialogButtonBox)
    assert [b.text() for b in box.buttons() if not b.icon().isNull()] == []
    qtbot.keyClicks(dialog.title_edit, "Call the bank")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert [t.title for t in active.momentum.items.list_tasks()] == ["Call the bank"]
    about = window.show_about()
    qtbot.waitExposed(about)
    assert all(b.icon().isNull() for b in about.findChildren(QDialogButtonBox)[0].buttons())
    assert isinstance(about, QMessageBox)
    about.close()
