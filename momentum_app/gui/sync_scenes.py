"""Screenshot scene of Settings ▸ Sync (SPEC v2 §13), registered in :mod:`.screenshots`.

``settings-sync``: a real sync of the screenshot database with a folder at a fixed path
(so the picture is the same on every run) holding a Syncthing conflict copy, so the card
shows the last sync, what went out and what was ignored.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from .app import Composition
from .sync_window import SyncCard

FOLDER = Path(tempfile.gettempdir()) / "momentum-screenshots-sync"
LEFTOVER = "seg-00000001.sync-conflict-20260310-101500-ABCDEF1.msync"


def _settle(composition: Composition) -> None:
    for _ in range(4):
        composition.ctx.worker.wait()
        QApplication.processEvents()


def sync_scene(composition: Composition) -> QWidget:
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    (FOLDER / LEFTOVER).write_text("left by a sync tool\n")
    composition.window.show_view("settings")
    _settle(composition)
    card = composition.window.findChildren(SyncCard)[0]
    card.folder_edit.setText(str(FOLDER))
    card.sync_now()
    _settle(composition)
    scroll = next(w for w in composition.window.findChildren(QScrollArea)
                  if w.widget() is not None and w.widget().isAncestorOf(card))
    scroll.ensureWidgetVisible(card, 0, 0)
    QApplication.processEvents()
    return composition.window


def sync_cleanup(_composition: Composition) -> None:
    shutil.rmtree(FOLDER, ignore_errors=True)


def scenes() -> list[object]:
    from .screenshots import Scene  # noqa: PLC0415 (screenshots imports this module)

    return [Scene("settings-sync", sync_scene, sync_cleanup)]
