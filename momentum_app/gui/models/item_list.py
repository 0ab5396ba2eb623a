"""A list model of tasks and time slots, optionally grouped under section headers.

The Today view shows "Overdue" and "Due today" in one keyboard-navigable list: section
rows are enabled but not selectable, so arrow keys skip over them. A delegate
(:mod:`momentum_app.gui.widgets.item_delegate`) paints the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from ...core.catalog import Kind
from ...core.kinds import Status
from ...core.services.dto import SlotDTO, TaskDTO
from ..changes import ItemRef
from .rows import AnyIndex, RowListModel, find_row, row_at, row_for

ENTRY_ROLE = int(Qt.ItemDataRole.UserRole) + 10


@dataclass(frozen=True)
class Section:
    """A header row: a title, a count and a tone (``"danger"`` for overdue)."""

    title: str
    count: int = 0
    tone: str = "muted"


Entry = Section | TaskDTO | SlotDTO


def entry_key(entry: Entry) -> tuple[str, object]:
    if isinstance(entry, Section):
        return ("section", entry.title)
    return ("slot" if isinstance(entry, SlotDTO) else "task", entry.id)


def ref_of(entry: Entry | None) -> ItemRef | None:
    if isinstance(entry, TaskDTO):
        return ItemRef(Kind.TASK, entry.id)
    if isinstance(entry, SlotDTO):
        return ItemRef(Kind.SLOT, entry.id)
    return None


class ItemListModel(RowListModel[Entry]):
    def set_entries(self, entries: Sequence[Entry]) -> None:
        """Replace the rows; same rows in the same order update in place (no reset)."""
        self._set_rows(entries, entry_key)

    def entry(self, row: int) -> Entry | None:
        return row_at(self._rows, row)

    def item_count(self) -> int:
        return sum(1 for e in self._rows if not isinstance(e, Section))

    def row_of(self, ref: ItemRef) -> int | None:
        return find_row(self._rows, lambda entry: ref_of(entry) == ref)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], Section):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = row_for(self._rows, index)
        if entry is None:
            return None
        if role == ENTRY_ROLE:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if isinstance(entry, Section):
                return f"{entry.title} ({entry.count})"
            state = "done" if entry.status == Status.DONE else "open"
            return entry.title if role == Qt.ItemDataRole.DisplayRole else \
                f"{entry.title}, {state}"
        if role == Qt.ItemDataRole.CheckStateRole and not isinstance(entry, Section):
            return Qt.CheckState.Checked if entry.status == Status.DONE else Qt.CheckState.Unchecked
        return None
