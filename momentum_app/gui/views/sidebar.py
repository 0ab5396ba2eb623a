"""The sidebar: the app's name, the views, and the projects (a click filters Tasks).

Its project menu changes a project (milestone cards on or off, delete) as the sidebar's
own change: the controller marks it with the sidebar as initiator, and the list shows the
project the action returned in place instead of reading every project again (as
:meth:`.base.View.act` does for a view); other views refresh as for any change."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ValidationError
from ...core.services.dto import ProjectDTO
from ..actions import view_keys
from ..changes import PROFILE, PROJECTS, TASKS, Change
from ..context import GuiContext
from ..launch import app_icon
from ..models.project_list import ProjectListModel
from ..widgets.common import label, spaced
from ..widgets.delegates import RowHeightDelegate
from .base import ViewSpec

SIDEBAR_WIDTH = 224
NAV_ROW_HEIGHT = 36
PROJECT_ROW_HEIGHT = 32


class Sidebar(QFrame):
    view_chosen = Signal(str)
    project_chosen = Signal(str)
    tag_chosen = Signal(str)
    new_project_requested = Signal()
    status_message = Signal(str)

    def __init__(self, ctx: GuiContext, views: list[ViewSpec], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.views = views
        self.setObjectName("Sidebar")
        self.setFixedWidth(SIDEBAR_WIDTH)
        layout = spaced(QVBoxLayout(self), 6, (0, 16, 0, 12))

        brand = spaced(QHBoxLayout(), 10, (18, 0, 12, 10))
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(30, 30)))
        brand.addWidget(logo)
        wordmark = QLabel("Momentum")
        wordmark.setObjectName("Wordmark")
        brand.addWidget(wordmark, 1)
        layout.addLayout(brand)

        self.nav = QListWidget()
        self.nav.setObjectName("NavList")
        self.nav.setAccessibleName("Views")
        self.nav.setIconSize(QSize(16, 16))
        self.nav.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        for number, spec in enumerate(views, start=1):
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            keys = view_keys(number, spec.shortcut)
            item.setToolTip(f"{spec.accessible_description} ({keys[0]})" if keys
                            else spec.accessible_description)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, spec.accessible_description)
            self.nav.addItem(item)
        self.nav.setItemDelegate(RowHeightDelegate(NAV_ROW_HEIGHT, self.nav))
        self._size_nav(len(views))
        self.nav.currentItemChanged.connect(self._on_nav)
        # Stretch 3 against the projects' 1: the views take what they need first; a
        # short window (minimum size, large text) scrolls them instead of overlapping.
        layout.addWidget(self.nav, 3)

        heading = QHBoxLayout()
        heading.setContentsMargins(20, 14, 12, 2)
        heading.addWidget(label("PROJECTS", "caption"), 1)
        self.add_project_button = QToolButton()
        self.add_project_button.setAccessibleName("New project")
        self.add_project_button.setToolTip("New project")
        self.add_project_button.clicked.connect(self.new_project_requested.emit)
        heading.addWidget(self.add_project_button)
        layout.addLayout(heading)

        self.project_model = ProjectListModel(self)
        self.projects = QListView()
        self.projects.setObjectName("ProjectList")
        self.projects.setAccessibleName("Projects")
        self.projects.setModel(self.project_model)
        self.projects.setIconSize(QSize(14, 14))
        self.projects.setItemDelegate(RowHeightDelegate(PROJECT_ROW_HEIGHT, self.projects))
        self.projects.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.projects.customContextMenuRequested.connect(self._project_menu)
        self.projects.clicked.connect(self._on_project)
        self.projects.activated.connect(self._on_project)
        layout.addWidget(self.projects, 1)
        self.tags_heading = label("TAGS", "caption")
        self.tags_heading.setContentsMargins(20, 8, 12, 2)
        layout.addWidget(self.tags_heading)
        self.tags = QListWidget()
        self.tags.setObjectName("TagList")
        self.tags.setAccessibleName("Tags")
        self.tags.setItemDelegate(RowHeightDelegate(PROJECT_ROW_HEIGHT, self.tags))
        self.tags.setIconSize(QSize(12, 12))
        self.tags.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tags.itemClicked.connect(lambda item: self.tag_chosen.emit(
            str(item.data(Qt.ItemDataRole.UserRole))))
        self.tags.itemActivated.connect(lambda item: self.tag_chosen.emit(
            str(item.data(Qt.ItemDataRole.UserRole))))
        layout.addWidget(self.tags)

        profile_row = spaced(QHBoxLayout(), 8, (20, 6, 12, 0))
        self.profile_icon = QLabel()
        self.profile_label = label("", "muted")
        self.profile_label.setAccessibleName("Profile")
        profile_row.addWidget(self.profile_icon)
        profile_row.addWidget(self.profile_label, 1)
        layout.addLayout(profile_row)

        #: While :meth:`_act` runs: the changes the sidebar caused, shown when it returns.
        self._own: list[Change] | None = None
        ctx.changes.changed.connect(self._on_change)
        ctx.theme.changed.connect(lambda _t: self.apply_theme())
        self.apply_theme()
        self.reload()

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.project_model.set_projects(self.ctx.momentum.projects.list())
        self.reload_tags()
        profile = self.ctx.momentum.profiles.current()
        self.profile_label.setText(profile.name)
        self.profile_label.setToolTip(f"Profile {profile.name} · {profile.timezone}")

    def reload_tags(self) -> None:
        """The tags on live tasks, a filter each (SPEC §12); hidden while there are none.
        Read on the worker: at 100k tasks the join costs more than a frame's share; and
        not before the services are loaded (the window's first screen, gui/opening.py:
        it is read again when they are)."""
        if not self.ctx.momentum.loaded:
            return
        self.ctx.worker.submit(self.ctx.momentum.planning.list_tags, self._show_tags,
                               supersede="sidebar-tags")

    def _show_tags(self, names: list[str]) -> None:
        self.tags.clear()
        for name in names:
            item = QListWidgetItem(self.ctx.theme.icon("fa5s.hashtag"), name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"Show the tasks tagged {name}")
            self.tags.addItem(item)
        self.tags.setFixedHeight(min(len(names), 3) * (PROJECT_ROW_HEIGHT + 2) + 2)
        self.tags.setVisible(bool(names))
        self.tags_heading.setVisible(bool(names))

    def _on_change(self, change: Change) -> None:
        if self._own is not None and change.caused_by(self):
            self._own.append(change)  # shown in place when the action returns (_act)
            return
        if change.touches(PROJECTS, PROFILE):
            self.reload()
        elif change.touches(TASKS):
            self.reload_tags()

    def _act(self, call: Callable[[], ProjectDTO], in_place: Callable[[ProjectDTO], bool]
             ) -> ProjectDTO | None:
        """Make a change of the project list as the sidebar (the controller marks it
        ``initiator=self``, as :meth:`.base.View.act` does for a view): the list shows
        the project the action returned in place (``in_place``) instead of reading all
        of them again; the tags (on the worker) follow when tasks moved. Bad input goes
        to the status bar."""
        own: list[Change] = []
        self._own = own
        try:
            with self.ctx.controller.initiated_by(self):
                project = call()
        except ValidationError as exc:
            self.status_message.emit(exc.message)
            project = None
        finally:
            self._own = None
        for change in own:
            if project is None or change.touches(PROFILE) or not in_place(project):
                self._on_change(change)  # shown as anyone's change
            elif change.touches(TASKS):
                self.reload_tags()
        return project

    def set_goals_enabled(self, name: str, enabled: bool) -> ProjectDTO | None:
        """The project menu's "Milestone cards and toasts"."""
        return self._act(lambda: self.ctx.controller.set_goals_enabled(name, enabled),
                         self.project_model.replace)

    def delete_project(self, name: str) -> ProjectDTO | None:
        """The project menu's "Delete"."""
        return self._act(lambda: self.ctx.controller.delete_project(name),
                         self.project_model.remove)

    def apply_theme(self) -> None:
        theme = self.ctx.theme
        for row, spec in enumerate(self.views):
            self.nav.item(row).setIcon(theme.icon(spec.icon, "text_muted",
                                                  active_role="accent"))
        self.add_project_button.setIcon(theme.icon("fa5s.plus"))
        self.project_model.set_icons(theme.icon("fa5s.inbox"), theme.icon("fa5s.folder"))
        self.profile_icon.setPixmap(theme.icon("fa5s.user-circle").pixmap(16, 16))
        for row in range(self.tags.count()):
            self.tags.item(row).setIcon(theme.icon("fa5s.hashtag"))

    # -- navigation ------------------------------------------------------------------------

    def select_view(self, view_id: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == view_id:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
        if view_id != "tasks":
            self.projects.clearSelection()

    def hide_views(self, hidden: frozenset[str]) -> None:
        """Leave some views out of the list (the game's views when it is off)."""
        shown = 0
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            item.setHidden(item.data(Qt.ItemDataRole.UserRole) in hidden)
            shown += not item.isHidden()
        self._size_nav(shown)

    def _size_nav(self, rows: int) -> None:
        """All ``rows`` when there is room, at least four (then it scrolls)."""
        self.nav.setMaximumHeight(rows * (NAV_ROW_HEIGHT + 2) + 6)
        self.nav.setMinimumHeight(min(rows, 4) * (NAV_ROW_HEIGHT + 2) + 6)

    def select_project(self, name: str | None) -> None:
        row = self.project_model.row_of(name) if name else None
        if row is None:
            self.projects.clearSelection()
        else:
            self.projects.setCurrentIndex(self.project_model.index(row))

    def _on_nav(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.projects.clearSelection()
            self.view_chosen.emit(str(current.data(Qt.ItemDataRole.UserRole)))

    def _on_project(self, index: QModelIndex) -> None:
        project = self.project_model.project(index.row())
        if project is not None:
            self.project_chosen.emit(project.name)

    def _project_menu(self, where: QPoint) -> None:
        project = self.project_model.project(self.projects.indexAt(where).row())
        if project is None:
            return
        menu = QMenu(self)
        show = QAction(f"Show tasks of {project.name}", menu)
        show.triggered.connect(lambda: self.project_chosen.emit(project.name))
        milestones = QAction("Milestone cards and toasts", menu)
        milestones.setCheckable(True)
        milestones.setChecked(project.goals_enabled)
        milestones.toggled.connect(lambda on: self.set_goals_enabled(project.name, on))
        menu.addAction(show)
        menu.addAction(milestones)
        if not project.is_inbox:
            menu.addSeparator()
            delete = QAction(f"Delete {project.name}", menu)
            delete.triggered.connect(lambda: self.delete_project(project.name))
            menu.addAction(delete)
        menu.popup(self.projects.viewport().mapToGlobal(where))
