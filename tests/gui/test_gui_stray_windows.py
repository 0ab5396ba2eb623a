"""Building a view never shows a widget as a window of its own.

A widget made visible before it has a parent is a top-level window: on a desktop it
flashes up for a moment and takes the focus from the main window, so the window's
shortcuts (Ctrl+Enter, Del) stop working until the user clicks back into it. The goal
card's "Add a step" field did that on every rebuild of the Goals view (the old code only
got away with it because nothing processed the window system's events in between).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


class _ShownWindows(QObject):
    """Records every top-level widget shown while it is installed."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow()):
            text = watched.text() if hasattr(watched, "text") else ""
            self.shown.append(f"{type(watched).__name__} {text!r}")
        return False


def test_every_view_builds_without_flashing_a_window_and_the_window_stays_active(gui):
    goal = gui.controller.add_goal("Run a 10k")
    gui.controller.add_step(goal.id, "Buy shoes")
    gui.controller.add_task("Call the bank")
    app = QApplication.instance()
    QApplication.processEvents()
    assert QApplication.activeWindow() is gui.window
    spy = _ShownWindows()
    app.installEventFilter(spy)
    try:
        for view_id in gui.window.views:
            gui.window.show_view(view_id)
            view = gui.window.current_view()
            view.refresh_now()
            QApplication.processEvents()
    finally:
        app.removeEventFilter(spy)
    print("SHOWN", spy.shown)
    assert spy.shown == [], "a widget was shown as a window of its own"
    assert QApplication.activeWindow() is gui.window
