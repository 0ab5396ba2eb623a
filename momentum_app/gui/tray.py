"""The tray icon that keeps Momentum running while its window is closed (SPEC v2 §12).

"Keep running in the tray" is a setting; unset, it is on as soon as the person has a
reminder (a reminder should still fire after the window is closed). Closing the window
then hides it; the tray's menu opens it again or quits. Without a system tray (some
desktops, offscreen tests) closing quits as before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from .launch import app_icon


def ensure_tray(window: QObject) -> QSystemTrayIcon:
    """The window's tray icon (shared with the focus timer), with Open and Quit."""
    tray: QSystemTrayIcon | None = getattr(window, "tray", None)
    if tray is None:
        tray = QSystemTrayIcon(app_icon(), window)
        bring = getattr(window, "bring_to_front", None)
        if bring is not None:
            tray.activated.connect(lambda _reason: bring())
        window.tray = tray  # type: ignore[attr-defined]
    if tray.contextMenu() is None:
        menu = QMenu()
        open_action = QAction("Open Momentum", menu)
        open_action.triggered.connect(lambda: window.bring_to_front())
        quit_action = QAction("Quit Momentum", menu)
        quit_action.triggered.connect(QApplication.quit)
        menu.addAction(open_action)
        menu.addAction(quit_action)
        tray.setContextMenu(menu)
        tray.setProperty("momentum_menu", menu)
    return tray


class KeepInTray(QObject):
    """Turns the window's close into a hide while the setting is on and a tray exists."""

    def __init__(self, window: QWidget, wanted: Callable[[], bool],
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable
                 ) -> None:
        super().__init__(window)
        self.window = window
        self.wanted = wanted
        self.tray_available = tray_available
        window.installEventFilter(self)

    def active(self) -> bool:
        return self.wanted() and self.tray_available()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if watched is self.window and event.type() == QEvent.Type.Close and self.active():
            tray = ensure_tray(self.window)
            tray.setToolTip("Momentum is running: reminders will still appear")
            tray.show()
            QApplication.setQuitOnLastWindowClosed(False)
            self.window.hide()
            event.ignore()
            return True
        return False
