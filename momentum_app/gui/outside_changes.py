"""Notice writes made by another process (the CLI, a script) and refresh every view.

SQLite's ``PRAGMA data_version`` changes on a connection whenever *another* connection
commits. The watcher keeps one read-only connection of its own, polls it on a timer, and
publishes one :meth:`Change.everything` when the number moves. The window's own
mutations also move it, so after each broadcast of its own the watcher takes the new
number as its baseline (no double refresh).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from .changes import Change, Changes

POLL_MS = 1500


class OutsideChangeWatcher(QObject):
    def __init__(self, db_path: Path, changes: Changes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._changes = changes
        self._connection = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True,
                                           check_same_thread=False)
        self._seen = self._version()
        self._publishing = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        changes.changed.connect(self._after_own_change)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._connection.close()

    def _version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def _after_own_change(self, _change: Change) -> None:
        if not self._publishing:
            self._seen = self._version()

    def poll(self) -> bool:
        """Publish one refresh if another process wrote since the last look."""
        version = self._version()
        if version == self._seen:
            return False
        self._seen = version
        self._publishing = True
        try:
            self._changes.publish(Change.everything())
        finally:
            self._publishing = False
        return True
