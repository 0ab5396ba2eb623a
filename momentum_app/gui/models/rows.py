"""What the item models share: the DTOs they show, one a row.

:class:`RowListModel` is the base of the list models (Today's items, the sidebar's
projects): it swaps in fresh rows (in place when they are the same rows in the same order,
so a selection survives, else with a reset) and finds them. The task table is a table
model and paginates, so it uses the row look-ups (:func:`row_at`, :func:`find_row`,
:func:`row_for`) without the base.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex

AnyIndex = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


def row_at(rows: Sequence[RowT], row: int) -> RowT | None:
    """The ``row``-th row, None outside the rows."""
    return rows[row] if 0 <= row < len(rows) else None


def find_row(rows: Sequence[RowT], matches: Callable[[RowT], bool]) -> int | None:
    """The number of the first row that ``matches``, None when none does."""
    return next((row for row, entry in enumerate(rows) if matches(entry)), None)


def row_for(rows: Sequence[RowT], index: AnyIndex) -> RowT | None:
    """The row a model index points at, None for an invalid or stale index."""
    return row_at(rows, index.row()) if index.isValid() else None


class RowListModel(QAbstractListModel, Generic[RowT]):
    """A list model over ``self._rows``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    def _set_rows(self, rows: Sequence[RowT], key: Callable[[RowT], Hashable]) -> None:
        """Replace the rows; the same rows (by ``key``) in the same order update in place
        (no reset)."""
        fresh = list(rows)
        if [key(r) for r in fresh] == [key(r) for r in self._rows]:
            self._rows = fresh
            if fresh:
                self.dataChanged.emit(self.index(0), self.index(len(fresh) - 1))
            return
        self.beginResetModel()
        self._rows = fresh
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)
