"""The sidebar's project list: a list model over ``ProjectDTO``s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon

from ...core.services.dto import ProjectDTO
from .rows import AnyIndex, RowListModel, find_row, row_at, row_for

PROJECT_ROLE = int(Qt.ItemDataRole.UserRole) + 20


class ProjectListModel(RowListModel[ProjectDTO]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icons: dict[bool, QIcon] = {}

    def set_projects(self, projects: Sequence[ProjectDTO]) -> None:
        self._set_rows(projects, lambda p: p.id)

    def replace(self, project: ProjectDTO) -> bool:
        """Show ``project`` as it is now in its row; False when it has none."""
        row = find_row(self._rows, lambda shown: shown.id == project.id)
        if row is None:
            return False
        self._rows[row] = project
        self.dataChanged.emit(self.index(row), self.index(row))
        return True

    def remove(self, project: ProjectDTO) -> bool:
        """Take ``project`` (deleted) out of the list; False when it is not in it."""
        row = find_row(self._rows, lambda shown: shown.id == project.id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        return True

    def set_icons(self, inbox: QIcon, project: QIcon) -> None:
        """Icons for the Inbox and for other projects (they follow the theme)."""
        self._icons = {True: inbox, False: project}
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1),
                                  [Qt.ItemDataRole.DecorationRole])

    def project(self, row: int) -> ProjectDTO | None:
        return row_at(self._rows, row)

    def row_of(self, name: str) -> int | None:
        return find_row(self._rows, lambda project: project.name == name)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        project = row_for(self._rows, index)
        if project is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return project.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.get(project.is_inbox)
        if role == Qt.ItemDataRole.ToolTipRole:
            state = "on" if project.goals_enabled else "off"
            return f"Show the tasks of {project.name} · milestone cards {state}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Project {project.name}"
        if role == PROJECT_ROLE:
            return project
        return None
