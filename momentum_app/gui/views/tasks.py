"""Tasks: every task in a sortable table, filtered by project, status and text.

Filtering runs on the background worker (typing never stalls the window) and the table
pages in 200 rows at a time, so 100,000 tasks stay smooth. Refreshes after a change
re-read only the loaded rows, in place, keeping the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QWidget,
)

from ...core.catalog import Kind
from ...core.errors import ValidationError
from ...core.kinds import Status
from ...core.services.dto import Completed, TaskDTO
from ...core.services.task_query import TaskCursor, first_page_is_bounded
from ..changes import PROJECTS, TASKS, Change, ItemRef
from ..context import GuiContext
from ..dialogs.fields import ChoiceCombo
from ..models.task_table import (
    ORDER_OF_COLUMN,
    PAGE_SIZE,
    Column,
    TaskQuery,
    TaskTableModel,
)
from ..widgets.common import EmptyState, SegmentedControl, label, spaced, stacked
from ..widgets.delegates import CELL_TEXT_MARGIN, TaskCellDelegate
from .base import View

SEARCH_DELAY_MS = 180
ALL_PROJECTS = "\x00all"
ALL_TAGS = "\x00all-tags"
COLUMN_WIDTHS = {Column.DONE: 46, Column.PROJECT: 150, Column.COMPLEXITY: 120,
                 Column.DUE: 150, Column.COMPLETED: 160}
#: A typical long cell of a column: with large text the column grows to show it whole.
COLUMN_SAMPLES = {Column.PROJECT: "Side project", Column.DUE: "3 days overdue",
                  Column.COMPLETED: "Wed 11 Mar 14:30"}
#: The title column keeps room for a title this long (with a hidden marker's icon) when
#: the window is narrow: the other columns give up their spare width first.
TITLE_SAMPLE = "Renew the passport  ○"


def fetch_page(ctx: GuiContext, query: TaskQuery, after: TaskDTO | None, limit: int
               ) -> list[TaskDTO]:
    """The ``limit`` tasks of ``query`` after the row ``after`` (None: the first page)."""
    return list(ctx.momentum.items.list_tasks(
        project=query.project, status=query.status, search=query.search or None,
        order=query.order, limit=limit, tag=query.tag,
        after=None if after is None else TaskCursor.after(after),
        include_hidden=query.status == "all"))  # "All" also shows tasks hidden until later


class TaskTable(QTableView):
    """The table, with Space to toggle and Enter/double-click to edit."""

    toggle_requested = Signal(object)  # ItemRef
    edit_requested = Signal(object)  # ItemRef

    def show_rows(self, query: TaskQuery, rows: list[TaskDTO]) -> None:
        """A new first page, and the Completed column shown for all but open tasks.

        Showing or hiding a column makes Qt lay the header out on a zero-time timer, after
        the rows' repaint: a second full repaint. Painting is held until that timer has run,
        so the table paints once."""
        completed_hidden = query.status == Status.OPEN
        reflow = self.isColumnHidden(Column.COMPLETED) != completed_hidden
        if reflow:
            self.setUpdatesEnabled(False)
            self.setColumnHidden(Column.COMPLETED, completed_hidden)
        self._task_model.apply_first_page(query, rows)
        if reflow:
            QTimer.singleShot(0, lambda: self.setUpdatesEnabled(True))

    def __init__(self, model: TaskTableModel, delegate: TaskCellDelegate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._task_model = model
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.setAccessibleName("Tasks")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setShowGrid(False)
        self.setMouseTracking(True)
        self.setWordWrap(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(40)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for column in COLUMN_WIDTHS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed
                                        if column is Column.DONE else
                                        QHeaderView.ResizeMode.Interactive)
        self.fit_columns()
        header.setSortIndicator(Column.DUE, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._natural_direction)
        delegate.toggle_requested.connect(self._toggle_index)
        self.activated.connect(self._edit_index)
        toggle = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        toggle.setContext(Qt.ShortcutContext.WidgetShortcut)
        toggle.activated.connect(self.toggle_and_advance)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it

    def fit_columns(self) -> None:
        """Column widths for the current font: never narrower than the column's title
        (with its sort arrow) or a typical long cell needs (Settings ▸ Text size). When
        the table is too narrow for the title to keep :data:`TITLE_SAMPLE`'s width, the
        other columns give up their spare width (down to those floors), in proportion."""
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        floors: dict[Column, int] = {}
        widths: dict[Column, int] = {}
        for column, width in COLUMN_WIDTHS.items():
            sample = COLUMN_SAMPLES.get(column)
            content = metrics.horizontalAdvance(sample) + 2 * CELL_TEXT_MARGIN + 4 \
                if sample else 0
            floors[column] = max(content, header.sectionSizeFromContents(column).width())
            widths[column] = max(width, floors[column])
        shown = [c for c in widths if not self.isColumnHidden(c)]
        title = metrics.horizontalAdvance(TITLE_SAMPLE) + 2 * CELL_TEXT_MARGIN
        excess = sum(widths[c] for c in shown) + title - self.viewport().width()
        spare = {c: widths[c] - floors[c] for c in shown if widths[c] > floors[c]}
        if excess > 0 and spare:
            total = sum(spare.values())
            for column, room in spare.items():
                widths[column] -= min(room, -(-excess * room // total))
        for column, width in widths.items():
            self.setColumnWidth(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Narrowed below the title's room: fit again (widths the person set by dragging
        a header are kept while the title still has its room)."""
        super().resizeEvent(event)
        title = self.fontMetrics().horizontalAdvance(TITLE_SAMPLE) + 2 * CELL_TEXT_MARGIN
        if self.columnWidth(Column.TITLE) < title:
            self.fit_columns()

    def setColumnHidden(self, column: int, hide: bool) -> None:  # noqa: N802 (Qt's name)
        if self.isColumnHidden(column) != hide:
            super().setColumnHidden(column, hide)
            self.fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()

    def showEvent(self, event: QShowEvent) -> None:
        self.fit_columns()  # the style sheet's fonts are applied by now
        super().showEvent(event)

    def following_ref(self) -> ItemRef | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        row, count = rows[0].row(), self.task_model().rowCount()
        for other in (row + 1, row - 1):
            task = self.task_model().task_at(other) if 0 <= other < count else None
            if task is not None:
                return ItemRef(Kind.TASK, task.id)
        return None

    def toggle_and_advance(self) -> None:
        """Space: toggle the selected task and move on to the next one."""
        ref, following = self.current_ref(), self.following_ref()
        if ref is None:
            return
        self.toggle_requested.emit(ref)
        if following is not None:
            self.select_task(following.id)

    def task_model(self) -> TaskTableModel:
        model = self.model()
        assert isinstance(model, TaskTableModel)
        return model

    def current_ref(self) -> ItemRef | None:
        rows = self.selectionModel().selectedRows()
        task = self.task_model().task_at(rows[0].row()) if rows else None
        return ItemRef(Kind.TASK, task.id) if task else None

    def select_task(self, task_id: int) -> bool:
        row = self.task_model().row_of(task_id)
        if row is None:
            return False
        self.selectRow(row)
        self.scrollTo(self.task_model().index(row, 0))
        return True

    def _natural_direction(self, column: int, order: Qt.SortOrder) -> None:
        """Each column sorts one way (the service's): keep the arrow honest."""
        natural = ORDER_OF_COLUMN[Column(column)][1]
        if order != natural:
            header = self.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(column, natural)
            header.blockSignals(False)

    def _toggle_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        task = self.task_model().task_at(index.row()) if index.isValid() else None
        if task is not None:
            self.toggle_requested.emit(ItemRef(Kind.TASK, task.id))

    def _edit_index(self, index: QModelIndex) -> None:
        task = self.task_model().task_at(index.row()) if index.isValid() else None
        if task is not None:
            self.edit_requested.emit(ItemRef(Kind.TASK, task.id))


class TasksView(View):
    scopes = frozenset({TASKS, PROJECTS})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._generation = 0
        self._loaded_once = False
        self._add_task_header("Tasks", "Quick add: “Report fri 9:30 #Work @writing !2”, then Enter",
                              "Quick add a task")
        self.quick_field.submitted.connect(self._quick_add)

        bar = spaced(QHBoxLayout(), 10)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and notes  (Ctrl+F)")
        self.search.setAccessibleName("Search tasks")
        self.search.setClearButtonEnabled(True)
        self.search_icon = self.search.addAction(ctx.theme.icon("fa5s.search"),
                                                 QLineEdit.ActionPosition.LeadingPosition)
        self.project_combo = ChoiceCombo([(ALL_PROJECTS, "All projects")], ALL_PROJECTS)
        self.project_combo.setAccessibleName("Project filter")
        self.project_combo.setMinimumWidth(170)
        self.tag_combo = ChoiceCombo([(ALL_TAGS, "All tags")], ALL_TAGS)
        self.tag_combo.setAccessibleName("Tag filter")
        self.tag_combo.setMinimumWidth(130)
        self.status = SegmentedControl(
            [(Status.OPEN, "Open"), (Status.DONE, "Done"), ("all", "All")], Status.OPEN,
            "Status filter")
        bar.addWidget(self.search, 1)
        bar.addWidget(self.project_combo)
        bar.addWidget(self.tag_combo)
        bar.addWidget(self.status)
        self.body.addLayout(bar)

        self.model = TaskTableModel(lambda q, after, limit: fetch_page(ctx, q, after, limit),
                                    self, today=ctx.today(), runner=ctx.worker.submit)
        self.table = TaskTable(self.model, TaskCellDelegate(ctx.theme, self))
        self.empty = EmptyState(ctx.theme, "fa5s.clipboard-list", "No tasks yet",
                                "Press Ctrl+N to add your first task.")
        self.stack = stacked(self.body, self.table, self.empty, stretch=1)
        self.footer = label("", "faint")
        self.body.addWidget(self.footer)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filters)
        self.project_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.tag_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.status.changed.connect(lambda _value: self._apply_filters())
        self.table.toggle_requested.connect(self.toggle)
        self.table.edit_requested.connect(self.edit_requested.emit)
        self._kept: ItemRef | None = None
        self._wanted: ItemRef | None = None  # to select once a refresh brings it
        self._in_flight: TaskQuery | None = None  # filters whose first page is being fetched
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.modelReset.connect(self._update_footer)
        self.model.rowsInserted.connect(lambda *_args: self._update_footer())
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self._escape_search)
        for first, second in ((self.new_button, self.quick_field.edit),
                              (self.quick_field.edit, self.search),
                              (self.search, self.project_combo),
                              (self.project_combo, self.tag_combo),
                              (self.tag_combo, self.status), (self.status, self.table)):
            self.setTabOrder(first, second)

    # -- filters ---------------------------------------------------------------------------

    def current_query(self) -> TaskQuery:
        project = self.project_combo.value()
        tag = self.tag_combo.value()
        return TaskQuery(project=None if project == ALL_PROJECTS else str(project),
                         status=self.status.value, search=self.search.text().strip(),
                         order=self.model.query.order,
                         tag=None if tag == ALL_TAGS else str(tag))

    def _apply_filters(self) -> None:
        """Show the first page of the new filters; stale answers are dropped.

        A page that is an index walk stopping after ``PAGE_SIZE`` rows (no search text, or
        one the search index answers: ``task_query.first_page_is_bounded``) takes a few
        milliseconds and is read right here: a round trip through the worker thread costs
        more than that (thread hop, and the two threads sharing Python's GIL). A short
        search text, which must scan every title, goes to the worker.
        """
        self._search_timer.stop()
        query = self.current_query()
        if query == self._in_flight:
            return  # the same filters are already being fetched (a signal and a key press)
        self._in_flight = query
        self._generation += 1
        generation = self._generation
        self.model.set_calendar(self.ctx.profile_time(), self.ctx.today(), self.ctx.now())

        def done(rows: list[TaskDTO]) -> None:
            if generation == self._generation:
                self._in_flight = None
                self.table.show_rows(query, rows)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._in_flight = None
                message = error.message if isinstance(error, ValidationError) else str(error)
                self.footer.setText(f"Could not search: {message}")

        def first_page() -> list[TaskDTO]:
            return fetch_page(self.ctx, query, None, PAGE_SIZE)

        if first_page_is_bounded(query.search):
            try:
                rows = first_page()
            except Exception as error:  # noqa: BLE001 (shown in the footer, as from the worker)
                failed(error)
            else:
                done(rows)
            return
        self.footer.setText("Searching…")
        self.ctx.worker.submit(first_page, done, failed, supersede="tasks-filter")

    def set_project_filter(self, project: str | None) -> None:
        wanted = project if project else ALL_PROJECTS
        if self.project_combo.findData(wanted) < 0:
            self._reload_projects()  # a project the combo does not list yet (just added)
        index = self.project_combo.findData(wanted)
        self.project_combo.setCurrentIndex(max(0, index))

    def _quick_add(self, text: str, keep: list[str]) -> None:
        """Add from the quick-add line; without a #Project, into the filtered project."""
        try:
            task = self.act(lambda: self.ctx.controller.quick_add(
                text, keep=keep, project=self.project_filter()))
        except ValidationError as exc:
            self.quick_error.setText(exc.message[:1].upper() + exc.message[1:])
            self.quick_error.setVisible(True)
            return
        self.quick_field.clear()
        self.status_message.emit(f"Added “{task.title}” to {task.project}")

    def set_tag_filter(self, tag: str | None) -> None:
        """Show the tasks with ``tag`` (None: every tag); from the sidebar's tag list."""
        wanted = tag if tag else ALL_TAGS
        if self.tag_combo.findData(wanted) < 0:
            self._reload_tags()
        self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(wanted)))

    def _reload_tags(self) -> None:
        """The tag filter's choices, read on the worker (see the sidebar's)."""
        self.ctx.worker.submit(self.ctx.momentum.planning.list_tags, self._show_tags,
                               supersede="tasks-tags")

    def _show_tags(self, names: list[str]) -> None:
        current = self.tag_combo.value()
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem("All tags", ALL_TAGS)
        for name in names:
            self.tag_combo.addItem(f"#{name}", name)
        index = self.tag_combo.findData(current)
        self.tag_combo.setCurrentIndex(max(0, index))
        self.tag_combo.blockSignals(False)
        if index < 0 and current != ALL_TAGS:
            self._apply_filters()  # the filtered tag is on no task any more

    def project_filter(self) -> str | None:
        return self.current_query().project

    def _reload_projects(self) -> None:
        current = self.project_combo.value()
        projects = self.ctx.momentum.projects.list()
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        self.project_combo.addItem("All projects", ALL_PROJECTS)
        for project in projects:
            self.project_combo.addItem(project.name, project.name)
        index = self.project_combo.findData(current)
        self.project_combo.setCurrentIndex(max(0, index))
        self.project_combo.blockSignals(False)
        if index < 0 and current != ALL_PROJECTS:
            self._apply_filters()  # the filtered project is gone

    # -- View protocol ---------------------------------------------------------------------

    def reload(self) -> None:
        self._reload_projects()
        self._reload_tags()
        if not self._loaded_once:
            self._loaded_once = True
            self._apply_filters()
            return
        self.model.set_calendar(self.ctx.profile_time(), self.ctx.today(), self.ctx.now())
        self.model.refresh()

    def _update_footer(self) -> None:
        query = self.model.query
        loaded = self.model.loaded
        self.stack.setCurrentWidget(self.table if loaded else self.empty)
        filtered = bool(query.search or query.project or query.tag or query.status != "all")
        if not loaded:
            if query.search:
                self.empty.set_text(f"No tasks match “{query.search}”",
                                    "Try fewer words, or another project or status.")
            elif filtered and self.ctx.momentum.items.count_tasks():
                self.empty.set_text("Nothing here", "No task matches these filters.")
            else:
                self.empty.set_text("No tasks yet", "Press Ctrl+N to add your first task.")
        more = " · scroll for more" if self.model.has_more else ""
        noun = "task" if loaded == 1 else "tasks"
        self.footer.setText(f"{loaded:,}{'+' if self.model.has_more else ''} {noun}{more}"
                            if loaded else "")
        self.table.setColumnHidden(Column.COMPLETED, query.status == Status.OPEN)
        self.title.set_subtitle(
            f"{query.status.capitalize() if query.status != 'all' else 'All'} tasks"
            + (f" in {query.project}" if query.project else "")
            + (f" tagged #{query.tag}" if query.tag else ""))

    def _remember_selection(self) -> None:
        self._kept = self.table.current_ref()

    def _restore_selection(self) -> None:
        if self._wanted is not None and self.table.select_task(self._wanted.id):
            self._wanted = None  # a task just made arrived with this refresh
        elif self._kept is not None:
            self.table.select_task(self._kept.id)
        self._kept = None

    def in_place(self, result: object, change: Change) -> bool:
        """Its own toggle touched this one row, which the filter still shows: the row
        is updated from the task as the op read it (on the worker), no query."""
        done, record = result, change.record
        return (isinstance(done, Completed) and record is not None
                and isinstance(done.item, TaskDTO)
                and record.ids("tasks") == {done.item.id} and done.spawned is None
                and self.model.query.status == "all" and self.model.update_row(done.item))

    def current_item(self) -> ItemRef | None:
        return self.table.current_ref()

    def following_item(self) -> ItemRef | None:
        return self.table.following_ref()

    def select_item(self, ref: ItemRef) -> bool:
        if ref.kind is not Kind.TASK:
            return False
        if self.table.select_task(ref.id):
            return True
        self._wanted = ref  # selected when the refresh that brings it arrives
        return False

    def _escape_search(self) -> None:
        """Escape in the search field clears it; a second Escape goes to the table."""
        if self.search.text():
            self.search.clear()
            self._apply_filters()
        else:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def focus_content(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.table.current_ref() is None and self.model.loaded:
            self.table.selectRow(0)

    def apply_theme(self) -> None:
        self.search_icon.setIcon(self.ctx.theme.icon("fa5s.search"))
