"""Themes follow the system unless overridden; preferences persist in QSettings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database
from momentum_app.gui import theme as theme_module
from momentum_app.gui.app import compose
from momentum_app.gui.main_window import MainWindow
from momentum_app.gui.settings import UiSettings, settings_at
from momentum_app.gui.theme import DARK, LIGHT, ThemeMode

pytestmark = pytest.mark.gui


def window_colour() -> str:
    return QApplication.palette().color(QPalette.ColorRole.Window).name().upper()


def test_the_view_menu_overrides_the_theme_and_remembers_it(gui, ui_settings_path):
    gui.window.window_actions.theme_actions[ThemeMode.DARK].trigger()
    assert gui.ctx.theme.tokens is DARK
    assert window_colour() == DARK.window.upper()
    assert "@" not in QApplication.instance().styleSheet().split("*/", 1)[1]
    gui.window.save_state()
    assert UiSettings(settings_at(ui_settings_path)).theme_mode is ThemeMode.DARK
    gui.window.set_theme(ThemeMode.LIGHT)
    assert window_colour() == LIGHT.window.upper()


def test_the_system_theme_is_followed(gui, monkeypatch):
    gui.window.set_theme(ThemeMode.SYSTEM)
    monkeypatch.setattr(theme_module, "system_prefers_dark", lambda: True)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert gui.ctx.theme.tokens is DARK
    monkeypatch.setattr(theme_module, "system_prefers_dark", lambda: False)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert gui.ctx.theme.tokens is LIGHT


def test_a_closed_window_no_longer_follows_the_system_theme(database: Database,
                                                          clock: FixedClock, app, qtbot,
                                                          ui_settings_path, monkeypatch):
    """The theme manager lives on the application: once its window is closed (and its
    widgets deleted), a change of the system's scheme must not reach them."""
    first = compose(database, clock, settings=settings_at(ui_settings_path), animations=False)
    first.window.set_theme(ThemeMode.SYSTEM)
    theme = first.ctx.theme
    first.close()
    first.window.deleteLater()
    QCoreApplication.sendPostedEvents(None, int(QEvent.Type.DeferredDelete))
    monkeypatch.setattr(theme_module, "system_prefers_dark", lambda: True)
    before = theme.tokens
    with qtbot.captureExceptions() as raised:
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert raised == [] and theme.tokens is before


def test_geometry_and_last_view_come_back(qtbot, database: Database, clock: FixedClock,
                                          app, ui_settings_path, monkeypatch):
    first = compose(database, clock, settings=settings_at(ui_settings_path), animations=False)
    first.window.show()
    qtbot.waitExposed(first.window)
    first.window.resize(1111, 777)
    first.window.show_view("goals")
    geometry = first.window.saveGeometry()
    first.close()
    assert UiSettings(settings_at(ui_settings_path)).geometry() == geometry
    restored = []
    monkeypatch.setattr(MainWindow, "restoreGeometry",
                        lambda self, data: restored.append(bytes(data)) or True)
    second = compose(database, clock, settings=settings_at(ui_settings_path), animations=False)
    try:
        assert second.window.current_view_id() == "goals"
        # the offscreen screen is 800×600, so Qt would clamp the size: check the hand-over
        assert restored == [bytes(geometry)]
    finally:
        second.close()
