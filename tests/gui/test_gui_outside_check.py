"""Defects found by trying the window as a person would (session 10's outside check of
issues 15, 18 and 19): each test drives real widgets on a real database and failed
before its fix."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum
from momentum_app.gui.app import Composition
from momentum_app.gui.sync_window import SyncCard

pytestmark = pytest.mark.gui


@pytest.fixture
def other(template_db: Path, tmp_path: Path, clock: FixedClock) -> Iterator[Momentum]:
    """Another computer: a second real database of the same person."""
    path = tmp_path / "other.sqlite3"
    shutil.copyfile(template_db, path)
    database = open_database(path)
    momentum = Momentum(database, clock)
    momentum.profiles.update(timezone="UTC", day_start_hour=0)
    yield momentum
    database.close()


def _earn_elsewhere(other: Momentum, folder: Path) -> None:
    task = other.items.add_task("Done on the laptop", complexity=3)
    other.items.complete(Kind.TASK, task.id)
    other.sync.run(folder)


def _sync_from_card(gui: Composition, folder: Path, qtbot) -> SyncCard:
    gui.window.show_view("settings")
    card = gui.window.findChildren(SyncCard)[0]
    session = gui.ctx.sync_session
    before = session.runs
    card.folder_edit.setText(str(folder))
    card.sync_button.click()
    qtbot.waitUntil(lambda: session.runs > before and not session.running, timeout=30_000)
    QApplication.processEvents()
    return card


# --- #19: the toast for points from another computer respects the gamification mode ------


@pytest.mark.parametrize("mode", ["quiet", "off"])
def test_points_from_another_computer_make_no_toast_in_quiet_or_off_mode(
        gui, other, clock, tmp_path, qtbot, mode):
    folder = tmp_path / "Sync"
    folder.mkdir()
    _sync_from_card(gui, folder, qtbot)  # this computer first: the folder meets its profile
    _earn_elsewhere(other, folder)
    clock.advance(timedelta(minutes=1))  # the mode is set after the laptop's sync
    gui.controller.update_profile(game_mode=mode)
    gui.controller.ops.wait()
    QApplication.processEvents()
    shown: list[str] = []
    gui.window.toasts.shown.connect(lambda message: shown.append(message.title))
    _sync_from_card(gui, folder, qtbot)
    assert gui.momentum.reads.progress().total_points > 0  # the points did arrive
    assert gui.window.mode == mode
    QApplication.processEvents()
    assert shown == [] and gui.window.toasts.pending == 0 and gui.window.toasts.current is None


def test_the_sync_card_shows_no_points_when_the_game_is_off(gui, other, clock, tmp_path,
                                                            qtbot):
    """SPEC v2 §11: off shows no points anywhere — the card's "Points from other
    computers" line too, also when the mode is switched off after the sync."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    _sync_from_card(gui, folder, qtbot)
    _earn_elsewhere(other, folder)
    card = _sync_from_card(gui, folder, qtbot)
    assert "Points from other computers: +30" in card.report_label.text()  # full mode
    gui.window.show_view("settings").game_mode.button("off").click()
    QApplication.processEvents()
    assert gui.window.mode == "off"
    assert "Points" not in card.report_label.text()
    assert "Last sync" in card.report_label.text()  # the rest of the report stays
    _earn_elsewhere(other, folder)
    card = _sync_from_card(gui, folder, qtbot)
    assert "In: " in card.report_label.text() and "Points" not in card.report_label.text()
    gui.window.show_view("settings").game_mode.button("quiet").click()
    QApplication.processEvents()
    # quiet shows points (no toast): the second task earned no first-of-the-day bonus
    assert "Points from other computers: +15" in card.report_label.text()
