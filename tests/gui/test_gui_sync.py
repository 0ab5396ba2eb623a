"""Settings ▸ Sync on the real window: two real replica databases and a real folder.

The window's replica is the ``gui`` fixture's database; the other computer is a second
database with its own services (the same code path ``momentum sync`` runs). Nothing is
mocked: the sync runs on the window's worker, the folder is watched by Qt.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum
from momentum_app.gui.sync_window import SyncCard, SyncSession


@pytest.fixture
def other(template_db: Path, tmp_path: Path, clock: FixedClock):
    path = tmp_path / "other.sqlite3"
    shutil.copyfile(template_db, path)
    database = open_database(path)
    momentum = Momentum(database, clock)
    momentum.profiles.update(timezone="UTC", day_start_hour=0)
    yield momentum
    database.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Sync"
    path.mkdir()
    return path


def earn(momentum: Momentum, title: str) -> int:
    task = momentum.items.add_task(title, complexity=3)
    before = int(momentum.reads.progress()["total_points"])
    momentum.items.complete(Kind.TASK, task.id)
    return int(momentum.reads.progress()["total_points"]) - before


def open_sync(gui) -> SyncCard:
    gui.window.show_view("settings")
    cards = gui.window.findChildren(SyncCard)
    assert len(cards) == 1
    return cards[0]


def wait_synced(qtbot, session: SyncSession, before: int) -> None:
    qtbot.waitUntil(lambda: session.runs > before and not session.running, timeout=20_000)


def test_set_folder_sync_and_other_computers_points_toast_once(gui, other, folder, qtbot):
    earned = earn(other, "Written on the laptop")
    other.sync.run(folder)
    card = open_sync(gui)
    session = gui.ctx.sync_session
    assert earned > 0
    arrived: list[str] = []
    session.points_arrived.connect(lambda message: arrived.append(message.title))
    shown: list[str] = []
    gui.window.toasts.shown.connect(lambda message: shown.append(message.title))
    card.folder_edit.setText(str(folder))
    before = session.runs
    card.sync_button.click()
    wait_synced(qtbot, session, before)
    assert gui.momentum.sync.status()["folder"] == str(folder)  # kept for next time
    assert gui.momentum.reads.progress()["total_points"] == earned
    assert arrived == [f"+{earned:,} points"]
    qtbot.waitUntil(lambda: shown == [f"+{earned:,} points"], timeout=5_000)  # on screen
    assert "In: " in card.report_label.text() and "Last sync" in card.report_label.text()
    before = session.runs
    card.sync_button.click()  # nothing new: no second toast
    wait_synced(qtbot, session, before)
    assert arrived == [f"+{earned:,} points"]
    assert shown == [f"+{earned:,} points"]


def test_watching_the_folder_brings_a_new_segment_in(gui, other, folder, qtbot):
    other.sync.run(folder)
    session = gui.ctx.sync_session
    before = session.runs
    assert session.sync_now(str(folder))
    wait_synced(qtbot, session, before)
    earned = earn(other, "Done elsewhere while the window is open")
    assert earned > 0
    other.sync.run(folder)  # the other computer writes a segment; nobody clicks anything
    qtbot.waitUntil(lambda: gui.momentum.reads.progress()["total_points"] == earned,
                    timeout=20_000)


def test_wrong_passphrase_shows_the_error_and_applies_nothing(gui, other, folder, qtbot,
                                                              tmp_path):
    earn(other, "Secret")
    other.sync.run(folder, "right horse battery")
    card = open_sync(gui)
    session = gui.ctx.sync_session
    secret = tmp_path / "pass.txt"
    secret.write_text("wrong staple\n")
    card.folder_edit.setText(str(folder))
    card.passphrase_file_edit.setText(str(secret))
    failures = session.failures
    card.sync_button.click()
    qtbot.waitUntil(lambda: session.failures > failures and not session.running,
                    timeout=20_000)
    assert card.error_label.isVisible()
    text = card.error_label.text()
    assert "passphrase" in text and "Traceback" not in text
    assert gui.momentum.reads.progress()["total_points"] == 0
    assert gui.momentum.sync.status() is None or not gui.momentum.sync.status()["last_sync_at"]
    # the path is remembered, never the passphrase itself
    assert gui.ctx.settings.store.value("sync/passphrase_file") == str(secret)
    gui.ctx.settings.store.sync()
    stored = Path(gui.ctx.settings.store.fileName()).read_text()
    assert "wrong staple" not in stored


def test_timer_interval_is_injectable_and_syncs(gui, other, folder, qtbot):
    session = SyncSession(gui.ctx, gui.window, interval_ms=50)
    gui.momentum.sync.run(folder)  # sets the folder
    earned = earn(other, "Later")
    other.sync.run(folder)
    session.start()
    qtbot.waitUntil(lambda: gui.momentum.reads.progress()["total_points"] == earned,
                    timeout=20_000)
    session.timer.stop()
    gui.ctx.worker.wait()
    QApplication.processEvents()
