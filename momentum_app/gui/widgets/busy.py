"""The status bar's busy indication while an op (:mod:`..ops`) takes a while.

Hidden for ordinary changes (they answer before ``BUSY_AFTER_MS``); for a slow one — a
write waiting for another Momentum's lock, a large undo — it shows what is being done, an
indeterminate bar, and a busy cursor over the window (the window still paints and
scrolls; clicks and keys wait until the op is done).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from ..ops import OpRunner


class BusyIndicator(QWidget):
    def __init__(self, ops: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 8, 0)
        row.setSpacing(8)
        self.text = QLabel("")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # indeterminate: an op does not know its length
        self.bar.setFixedWidth(96)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Working")
        row.addWidget(self.text)
        row.addWidget(self.bar)
        self.setVisible(False)
        self._cursor = False
        ops.busy.connect(self.start)
        ops.idle.connect(self.stop)

    def start(self, label: str) -> None:
        self.text.setText(f"{label}…")
        self.setVisible(True)
        if not self._cursor:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
            self._cursor = True

    def stop(self) -> None:
        self.setVisible(False)
        if self._cursor:
            QGuiApplication.restoreOverrideCursor()
            self._cursor = False
