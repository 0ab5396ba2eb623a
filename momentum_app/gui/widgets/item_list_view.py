"""A list of tasks and slots with a round check per row; Space toggles, Enter edits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from ..changes import ItemRef
from ..models.item_list import Entry, ItemListModel, ref_of
from ..theme import ThemeManager
from ..timefmt import ProfileTime
from .delegates import ItemRowDelegate


class ItemListView(QListView):
    toggle_requested = Signal(object)  # ItemRef
    edit_requested = Signal(object)  # ItemRef

    def __init__(self, theme: ThemeManager, calendar: tuple[ProfileTime, date],
                 accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list_model = ItemListModel(self)
        self.setModel(self.list_model)
        self.row_delegate = ItemRowDelegate(theme, calendar, self)
        self.setItemDelegate(self.row_delegate)
        self.setProperty("flat", True)
        self.setAccessibleName(accessible_name)
        self.setMouseTracking(True)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.row_delegate.toggle_requested.connect(self._toggle_index)
        self.activated.connect(self._edit_index)
        toggle = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        toggle.setContext(Qt.ShortcutContext.WidgetShortcut)
        toggle.activated.connect(self.toggle_and_advance)

    def set_entries(self, entries: Sequence[Entry], calendar: tuple[ProfileTime, date]) -> None:
        """Show new rows and keep the selected item selected if it is still there."""
        keep = self.current_ref()
        self.row_delegate.set_calendar(*calendar)
        self.list_model.set_entries(entries)
        if keep is not None:
            self.select(keep)
        self.viewport().update()

    def current_ref(self) -> ItemRef | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isSelected(index):
            return None
        return ref_of(self.list_model.entry(index.row()))

    def following_ref(self) -> ItemRef | None:
        """The item after the current one, else the one before it (headers skipped)."""
        current = self.currentIndex().row() if self.currentIndex().isValid() else -1
        if current < 0:
            return None
        count = self.list_model.rowCount()
        for row in (*range(current + 1, count), *range(current - 1, -1, -1)):
            ref = ref_of(self.list_model.entry(row))
            if ref is not None:
                return ref
        return None

    def toggle_and_advance(self) -> None:
        """Space: toggle the current item and move on to the next, so Space again
        completes the next one."""
        ref, following = self.current_ref(), self.following_ref()
        if ref is None:
            return
        self.toggle_requested.emit(ref)
        if following is not None:
            self.select(following)

    def select(self, ref: ItemRef) -> bool:
        row = self.list_model.row_of(ref)
        if row is None:
            return False
        index = self.list_model.index(row)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def select_first(self) -> None:
        for row in range(self.list_model.rowCount()):
            if ref_of(self.list_model.entry(row)) is not None:
                self.setCurrentIndex(self.list_model.index(row))
                return

    def _toggle_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        ref = ref_of(self.list_model.entry(index.row())) if index.isValid() else None
        if ref is not None:
            self.toggle_requested.emit(ref)

    def _edit_index(self, index: QModelIndex) -> None:
        ref = ref_of(self.list_model.entry(index.row())) if index.isValid() else None
        if ref is not None:
            self.edit_requested.emit(ref)
