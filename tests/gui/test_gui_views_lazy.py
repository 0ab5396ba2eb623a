"""Views are built when first opened; opening one never takes the focus from the window."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from momentum_app.gui.views import VIEWS

pytestmark = pytest.mark.gui


def test_only_the_view_on_screen_is_built_at_start(gui):
    assert list(gui.window.views.built()) == [gui.window.current_view_id()]
    assert list(gui.window.views) == [spec.id for spec in VIEWS]
    assert "nowhere" not in gui.window.views and gui.window.show_view("nowhere") is None


def test_opening_each_view_keeps_the_window_focused(gui):
    window = gui.window
    for view_id in window.views:
        window.show_view(view_id)
        QApplication.processEvents()  # a parentless widget shown would steal activation here
        assert QGuiApplication.focusWindow() is window.windowHandle(), view_id
        assert window.current_view_id() == view_id
