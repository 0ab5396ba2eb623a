"""GUI fixtures: a real window on a real (copied, migrated) database, no event loop.

Settings live in a temporary INI file, animations are off (so a test sees final states),
and the theme is fixed to light so colours do not depend on the machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database, open_database
from momentum_app.core.services import Momentum
from momentum_app.gui.app import Composition, compose
from momentum_app.gui.settings import settings_at
from momentum_app.gui.theme import ThemeMode


@pytest.fixture(autouse=True)
def own_sync_scene_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``settings-sync`` screenshot scene syncs with a fixed folder in the system's
    temporary directory (so the picture shows the same path on every run); tests run in
    parallel processes, so each test gets a folder of its own instead — two workers
    sharing one folder removed each other's segments half-way through the scene."""
    from momentum_app.gui import sync_scenes  # noqa: PLC0415

    monkeypatch.setattr(sync_scenes, "FOLDER", tmp_path / "momentum-screenshots-sync")


@pytest.fixture
def ui_settings_path(tmp_path: Path) -> Path:
    return tmp_path / "ui-settings.ini"


@pytest.fixture
def gui(qtbot, database: Database, clock: FixedClock, app: Momentum,
        ui_settings_path: Path) -> Iterator[Composition]:
    """The whole window on the test database (profile in UTC, clock on a Monday noon)."""
    composition = compose(database, clock, settings=settings_at(ui_settings_path),
                          theme_mode=ThemeMode.LIGHT, animations=False)
    window = composition.window
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    yield composition
    for dialog in window.findChildren(QDialog):
        dialog.close()
    composition.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


@pytest.fixture
def drain() -> Callable[[Composition], None]:
    """Let the background worker finish and deliver its answers to the UI thread."""
    def run(composition: Composition) -> None:
        composition.ctx.worker.wait()
        QApplication.processEvents()
    return run


@pytest.fixture
def grant() -> Callable[[Composition, int], None]:
    """Earn exactly ``points`` through logged custom events (controller: broadcast, toasts)."""
    def run(composition: Composition, points: int) -> None:
        known = {t.name for t in composition.momentum.events.list_types()}
        while points > 0:
            chunk = min(points, 10_000)
            name = f"grant-{chunk}"
            if name not in known:
                composition.controller.add_event_type(name, chunk)
                known.add(name)
            composition.controller.log_event(name)
            points -= chunk
    return run


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
