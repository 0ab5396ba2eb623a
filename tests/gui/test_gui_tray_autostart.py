"""Keep running in the tray, and the XDG autostart switch (SPEC v2 §12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from momentum_app.gui import autostart
from momentum_app.gui.tray import KeepInTray

pytestmark = pytest.mark.gui


def test_autostart_entry_respects_xdg_config_home(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    assert not autostart.is_enabled(env)
    path = autostart.set_enabled(True, env, exec_line="/usr/bin/momentum")
    assert path == tmp_path / "cfg" / "autostart" / "momentum.desktop"
    text = path.read_text()
    assert "Exec=/usr/bin/momentum" in text and "Type=Application" in text
    assert autostart.is_enabled(env)
    autostart.set_enabled(False, env)
    assert not path.exists()
    assert autostart.entry_path({}) == Path.home() / ".config" / "autostart" / "momentum.desktop"
    path.write_text("[Desktop Entry]\nExec=my own\n")  # a person's own file stays
    autostart.set_enabled(False, env)
    assert path.exists()


def test_settings_switches_write_the_entry_and_the_tray_preference(
        gui, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    view = gui.window.show_view("settings")
    assert view is not None
    assert not view.tray_box.isChecked()  # no reminder yet: off by default
    view.autostart_box.setChecked(True)
    assert (tmp_path / "xdg" / "autostart" / "momentum.desktop").is_file()
    view.autostart_box.setChecked(False)
    assert not (tmp_path / "xdg" / "autostart" / "momentum.desktop").exists()
    view.tray_box.setChecked(True)
    assert gui.ctx.settings.keep_in_tray is True


def test_closing_the_window_hides_it_in_the_tray_once_a_reminder_exists(gui, qtbot) -> None:
    window = gui.window
    keep = KeepInTray(window, lambda: gui.momentum.planning.has_reminders(),
                      tray_available=lambda: True)
    window.close()
    assert not window.isVisible()  # no reminder: closing closes
    window.show()
    gui.momentum.items.add_task("Pay", remind=["2026-01-06T09:00"])
    assert not window.close()  # refused: hidden instead
    assert not window.isVisible() and window.tray is not None and window.tray.isVisible()
    assert not QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(True)
    window.removeEventFilter(keep)
    window.tray.hide()
