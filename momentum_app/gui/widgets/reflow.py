"""Card grids that reflow: as many columns as fit, recomputed when the width changes.

At the window's minimum size or with large text a row of cards becomes two rows (or one
column) instead of hiding behind a horizontal scroll bar. The number of columns comes
from the widest card's minimum size, so it follows the font, not a fixed threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLayout, QWidget


def columns_for(width: int, item_width: int, spacing: int, most: int) -> int:
    """How many columns of ``item_width`` fit in ``width`` (at least 1, at most ``most``)."""
    if item_width <= 0:
        return max(1, most)
    return max(1, min(most, (width + spacing) // (item_width + spacing)))


def widest_minimum(widgets: Sequence[QWidget]) -> int:
    """The widest minimum width among ``widgets`` (0 for none)."""
    return max((max(w.minimumSizeHint().width(), w.minimumWidth()) for w in widgets),
               default=0)


class Reflow(QWidget):
    """Widgets in a grid with as many columns as fit (up to ``most``), in reading order.

    ``stretches`` weighs the columns when they all fit on one row (a 5:6 split stays).
    """

    def __init__(self, widgets: Sequence[QWidget], *, most: int | None = None,
                 spacing: int = 16, stretches: Sequence[int] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = list(widgets)
        self.most = most or len(self.items)
        self.stretches = list(stretches)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        # The grid must not pin this widget to its current (widest) arrangement, or it
        # could never become narrow enough to drop a column.
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.columns = 0
        self._place(self.most)

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        for widget in self.items:
            self.grid.removeWidget(widget)
        for column in range(max(self.columns, columns, 1)):
            self.grid.setColumnStretch(column, 0)
        self.columns = columns
        for index, widget in enumerate(self.items):
            self.grid.addWidget(widget, index // columns, index % columns)
        for column in range(columns):
            stretch = self.stretches[column] if columns == len(self.items) and \
                column < len(self.stretches) else 1
            self.grid.setColumnStretch(column, stretch)
        self.updateGeometry()

    def wanted_columns(self, width: int) -> int:
        return columns_for(width, widest_minimum(self.items), self.grid.spacing(), self.most)

    def minimumSizeHint(self) -> QSize:
        one_column = widest_minimum(self.items)
        return QSize(one_column, self.grid.minimumSize().height())

    def sizeHint(self) -> QSize:
        return QSize(self.grid.sizeHint().width(), self.grid.minimumSize().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(self.wanted_columns(event.size().width()))
        super().resizeEvent(event)
