"""The sidebar's project list: a list model over ``ProjectDTO``s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from ...core.services.dto import ProjectDTO

AnyIndex = QModelIndex | QPersistentModelIndex
PROJECT_ROLE = int(Qt.ItemDataRole.UserRole) + 20


class ProjectListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._projects: list[ProjectDTO] = []
        self._icons: dict[bool, QIcon] = {}

    def set_projects(self, projects: Sequence[ProjectDTO]) -> None:
        fresh = list(projects)
        if [p.id for p in fresh] == [p.id for p in self._projects]:
            self._projects = fresh
            if fresh:
                self.dataChanged.emit(self.index(0), self.index(len(fresh) - 1))
            return
        self.beginResetModel()
        self._projects = fresh
        self.endResetModel()

    def replace(self, project: ProjectDTO) -> bool:
        """Show ``project`` as it is now in its row; False when it has none."""
        for row, shown in enumerate(self._projects):
            if shown.id == project.id:
                self._projects[row] = project
                self.dataChanged.emit(self.index(row), self.index(row))
                return True
        return False

    def remove(self, project: ProjectDTO) -> bool:
        """Take ``project`` (deleted) out of the list; False when it is not in it."""
        for row, shown in enumerate(self._projects):
            if shown.id == project.id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._projects[row]
                self.endRemoveRows()
                return True
        return False

    def set_icons(self, inbox: QIcon, project: QIcon) -> None:
        """Icons for the Inbox and for other projects (they follow the theme)."""
        self._icons = {True: inbox, False: project}
        if self._projects:
            self.dataChanged.emit(self.index(0), self.index(len(self._projects) - 1),
                                  [Qt.ItemDataRole.DecorationRole])

    def project(self, row: int) -> ProjectDTO | None:
        return self._projects[row] if 0 <= row < len(self._projects) else None

    def row_of(self, name: str) -> int | None:
        for row, project in enumerate(self._projects):
            if project.name == name:
                return row
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._projects)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._projects):
            return None
        project = self._projects[index.row()]
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
