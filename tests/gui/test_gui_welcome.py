"""Issue 13 item 11: the first-run welcome, on real widgets through ``start_gui``.

Shown on an empty database (not the demo, not a database with data), once; every field
is optional and prefilled, Enter accepts, Escape skips; what it sets lands in the
profile's settings in one transaction; "Explore the demo" really opens the demo.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from momentum_app.core import catalog
from momentum_app.core.clock import FixedClock, system_zone_name
from momentum_app.core.db import open_database
from momentum_app.core.models import Event
from momentum_app.core.services import Momentum
from momentum_app.gui.app import start_gui
from momentum_app.gui.settings import UiSettings, settings_at
from momentum_app.gui.welcome import WelcomeDialog, demo_command

pytestmark = pytest.mark.gui
NOW = "2026-01-05T12:00:00+00:00"
CLOCK = FixedClock(datetime.fromisoformat(NOW))


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    monkeypatch.setenv("MOMENTUM_NOW", NOW)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # the single-instance socket
    store = settings_at(tmp_path / "ui.ini")
    store.setValue("view/theme", "light")  # not "system": no scheme signals after the test
    store.sync()
    return tmp_path / "fresh.sqlite3", tmp_path / "ui.ini"


def _start(db: Path, ini: Path, demo: bool = False):
    started = start_gui(None if demo else str(db), None, demo, settings=settings_at(ini))
    assert not isinstance(started, int)
    return started


def _close(composition) -> None:
    composition.close()
    composition.window.deleteLater()
    QApplication.processEvents()


def _assert_no_welcome(db: Path, ini: Path, demo: bool = False) -> None:
    composition = _start(db, ini, demo)
    try:
        assert composition.welcome is None
    finally:
        _close(composition)


def _profile(db: Path):
    database = open_database(db)
    try:
        momentum = Momentum(database, CLOCK)
        profile = momentum.profiles.current()
        with database.reading() as session:
            settings_events = session.scalar(select(func.count()).select_from(Event).where(
                Event.type == catalog.SETTINGS_EVENT))
        return profile, settings_events, momentum.items.count_tasks()
    finally:
        database.close()


def test_the_welcome_shows_on_an_empty_database_and_enter_saves_what_was_typed(fresh, qtbot):
    db, ini = fresh
    composition = _start(db, ini)
    try:
        dialog = composition.welcome
        assert isinstance(dialog, WelcomeDialog) and dialog.isVisible()
        qtbot.waitExposed(dialog)
        # Sensible defaults are already there.
        assert dialog.zone_box.currentText() == system_zone_name()
        assert dialog.target.value() == catalog.DEFAULT_DAILY_TARGET
        assert dialog.day_start.value() == 0
        _profile_before, events_before, _tasks = _profile(db)
        # Keyboard only: the name has the focus; Tab walks the fields in the order shown.
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name_edit)
        QTest.keyClicks(dialog.name_edit, "Ada")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.zone_box
        dialog.zone_box.lineEdit().selectAll()
        QTest.keyClicks(dialog.zone_box, "Europe/Berlin")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.target
        dialog.target.selectAll()
        QTest.keyClicks(dialog.target, "5")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.day_start
        dialog.day_start.selectAll()
        QTest.keyClicks(dialog.day_start, "4")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter is Start
        assert not dialog.isVisible()
        assert UiSettings(settings_at(ini)).welcomed
    finally:
        _close(composition)
    profile, events_after, _tasks = _profile(db)
    assert (profile.name, profile.timezone, profile.daily_target, profile.day_start_hour) == \
        ("Ada", "Europe/Berlin", 5, 4)
    assert events_after == events_before + 1  # one settings change, one transaction

    _assert_no_welcome(db, ini)  # once is enough


def test_escape_skips_and_keeps_the_defaults(fresh, qtbot):
    db, ini = fresh
    composition = _start(db, ini)
    try:
        dialog = composition.welcome
        assert dialog is not None
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name_edit)
        before = _profile(db)
        QTest.keyClicks(dialog.name_edit, "Typed but skipped")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        assert _profile(db) == before  # nothing written
        assert UiSettings(settings_at(ini)).welcomed
    finally:
        _close(composition)
    _assert_no_welcome(db, ini)


def test_no_welcome_on_a_database_with_data_or_for_the_demo(fresh, qtbot):
    db, ini = fresh
    database = open_database(db)
    try:
        Momentum(database, CLOCK).items.add_task("Already here")
    finally:
        database.close()
    _assert_no_welcome(db, ini)
    assert not UiSettings(settings_at(ini)).welcomed  # an empty database later still gets it
    _assert_no_welcome(db, ini, demo=True)


def test_explore_the_demo_opens_the_demo_and_leaves_this_database_alone(fresh, qtbot,
                                                                        tmp_path: Path):
    db, ini = fresh
    ran: list[subprocess.CompletedProcess[str]] = []

    def run_and_wait(program: str, arguments: Sequence[str]) -> bool:
        """The real command, to its end: the probe makes the demo quit once painted."""
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOMENTUM_STARTUP_PROBE": "1",
               "XDG_CONFIG_HOME": str(tmp_path / "config"),
               "XDG_RUNTIME_DIR": str(tmp_path)}
        ran.append(subprocess.run([program, *arguments], capture_output=True, text=True,
                                  timeout=180, check=False, env=env))
        return ran[-1].returncode == 0

    composition = _start(db, ini)
    try:
        dialog = composition.welcome
        assert dialog is not None
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name_edit)
        dialog.launcher = run_and_wait
        assert not dialog.demo_button.autoDefault() and not dialog.demo_button.isDefault()
        # "Explore the de&mo" (Alt+E is the Edit menu); a mnemonic clicks after a short
        # animation, hence the wait.
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: len(ran) == 1, timeout=180_000)
        assert ran[0].args[1:] == demo_command()[1]
        assert ran[0].returncode == 0, ran[0].stderr
        assert "ready" in ran[0].stdout  # the demo window painted
        assert dialog.isVisible() and "opened in its own window" in dialog.demo_note.text()
        dialog.reject()
    finally:
        _close(composition)
    _profile_now, _events, tasks = _profile(db)
    assert tasks == 0  # the demo's made-up history went into its own throw-away file


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_welcome_fits_the_minimum_window_with_large_text(tmp_path: Path, qtbot, theme):
    from momentum_app.gui import screenshots  # noqa: PLC0415
    from momentum_app.gui.app import compose  # noqa: PLC0415
    from momentum_app.gui.layout_check import cut_text  # noqa: PLC0415
    from momentum_app.gui.main_window import MINIMUM_SIZE  # noqa: PLC0415
    from momentum_app.gui.theme import ThemeMode  # noqa: PLC0415

    database = open_database(screenshots.make_database(tmp_path, "empty"))
    store = settings_at(tmp_path / "ui.ini")
    UiSettings(store).text_scale = 1.5
    composition = compose(database, FixedClock(screenshots.SCREENSHOT_NOW), settings=store,
                          theme_mode=ThemeMode(theme), animations=False)
    try:
        window = composition.window
        window.resize(*MINIMUM_SIZE)
        window.show()
        dialog = WelcomeDialog(composition.ctx, window)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.adjustSize()
        QApplication.processEvents()
        assert cut_text(dialog) == []
        assert dialog.height() <= MINIMUM_SIZE[1] and dialog.width() <= MINIMUM_SIZE[0]
        dialog.reject()
    finally:
        composition.close()
        composition.window.deleteLater()
        QApplication.processEvents()
        database.close()
