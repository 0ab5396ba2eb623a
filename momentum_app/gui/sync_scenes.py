"""Screenshot scene of Settings ▸ Sync (SPEC v2 §13), registered in :mod:`.screenshots`.

``settings-sync``: a real sync of the screenshot database with a folder at a fixed path
(so the picture is the same on every run). Another computer (a second real database)
has written a segment with a finished task in it, a Syncthing conflict copy lies next to
it, and a third computer's segment is only half copied — so the card shows the last
sync, what came in and went out, the points from the other computer (and their toast),
what was ignored and a problem.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from ..core.catalog import Kind
from ..core.db import open_database
from ..core.services import Momentum
from .app import Composition
from .sync_window import SyncCard

FOLDER = Path(tempfile.gettempdir()) / "momentum-screenshots-sync"
LEFTOVER = "seg-00000001.sync-conflict-20260310-101500-ABCDEF1.msync"


def _settle(composition: Composition) -> None:
    for _ in range(4):
        composition.ctx.worker.wait()
        QApplication.processEvents()


def _other_computer(composition: Composition, folder: Path, name: str, title: str) -> Path:
    """A second replica that finished ``title`` and synced; its segment's path."""
    database = open_database(folder.parent / f"{folder.name}-{name}.sqlite3",
                             scheduled_backup=False, clock=composition.momentum.clock)
    try:
        other = Momentum(database, composition.momentum.clock)
        mine = composition.momentum.profiles.current()  # the same person: met by name
        other.profiles.update(name=mine.name, timezone=mine.timezone,
                              day_start_hour=mine.day_start_hour)
        task = other.items.add_task(title, complexity=3)
        other.items.complete(Kind.TASK, task.id)
        report = other.sync.run(folder)
    finally:
        database.close()
    return folder / report.replica / report.segments_written[0]


def sync_scene(composition: Composition) -> QWidget:
    sync_cleanup(composition)
    FOLDER.mkdir(parents=True)
    laptop = _other_computer(composition, FOLDER, "laptop", "Call the plumber")
    shutil.copyfile(laptop, laptop.with_name(LEFTOVER))
    desktop = _other_computer(composition, FOLDER, "desktop", "Pay the rent")
    desktop.write_bytes(desktop.read_bytes()[:300])  # the sync tool is still copying it
    composition.window.show_view("settings")
    _settle(composition)
    card = composition.window.findChildren(SyncCard)[0]
    card.folder_edit.setText(str(FOLDER))
    card.sync_now()
    _settle(composition)
    scroll = next(w for w in composition.window.findChildren(QScrollArea)
                  if w.widget() is not None and w.widget().isAncestorOf(card))
    scroll.ensureWidgetVisible(card, 0, 0)
    scroll.ensureWidgetVisible(card.problems_label, 0, 8)  # what the sync did, in view
    composition.window.toasts.dismiss()  # seen once (tests check it); the card is the picture
    QApplication.processEvents()
    return composition.window


def sync_cleanup(_composition: Composition) -> None:
    shutil.rmtree(FOLDER, ignore_errors=True)
    for leftover in FOLDER.parent.glob(f"{FOLDER.name}-*.sqlite3*"):
        leftover.unlink(missing_ok=True)


def scenes() -> list[object]:
    from .screenshots import Scene  # noqa: PLC0415 (screenshots imports this module)

    return [Scene("settings-sync", sync_scene, sync_cleanup)]
