"""The Tasks table: a QAbstractTableModel that pages through ``items.list_tasks``.

Rows arrive a page at a time (``canFetchMore``/``fetchMore``), so a database of 100,000
tasks opens as fast as one of ten. The model only holds DTOs; the page fetcher is a plain
callable, which keeps the model testable without a database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
)

from ...core.kinds import Status
from ...core.services.dto import TaskDTO
from ..dialogs.fields import complexity_text
from ..timefmt import (
    ProfileTime,
    completed_label,
    due_label,
    hidden_label,
    long_date,
    task_is_overdue,
)
from .rows import AnyIndex, find_row, row_at, row_for

log = logging.getLogger(__name__)
DTO_ROLE = int(Qt.ItemDataRole.UserRole) + 1
OVERDUE_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: The title cell's marker of a task hidden until a later day ("Hidden until Tue 8 Dec").
HIDDEN_ROLE = int(Qt.ItemDataRole.UserRole) + 3
PAGE_SIZE = 200
#: Rows re-read in place on a refresh; beyond this the model starts again at page one.
MAX_REFRESH_ROWS = 5000


class Column(IntEnum):
    DONE = 0
    TITLE = 1
    PROJECT = 2
    COMPLEXITY = 3
    DUE = 4
    COMPLETED = 5


HEADERS = {Column.DONE: "", Column.TITLE: "Title", Column.PROJECT: "Project",
           Column.COMPLEXITY: "Complexity", Column.DUE: "Due", Column.COMPLETED: "Completed"}
#: Sortable columns and the service order each maps to (with its natural direction).
ORDER_OF_COLUMN: dict[Column, tuple[str, Qt.SortOrder]] = {
    Column.DONE: ("id", Qt.SortOrder.AscendingOrder),
    Column.TITLE: ("title", Qt.SortOrder.AscendingOrder),
    Column.PROJECT: ("id", Qt.SortOrder.AscendingOrder),
    Column.COMPLEXITY: ("complexity", Qt.SortOrder.DescendingOrder),
    Column.DUE: ("due", Qt.SortOrder.AscendingOrder),
    Column.COMPLETED: ("id", Qt.SortOrder.AscendingOrder),
}


@dataclass(frozen=True)
class TaskQuery:
    """What the table shows: the filters and the order passed to ``list_tasks``."""

    project: str | None = None
    status: str = Status.OPEN
    search: str = ""
    order: str = "due"
    tag: str | None = None

    def with_(self, **changes: Any) -> TaskQuery:
        return replace(self, **changes)


#: (query, after, limit) -> the ``limit`` tasks that follow ``after`` (None: the first page).
PageFetcher = Callable[[TaskQuery, TaskDTO | None, int], list[TaskDTO]]
#: Runs a job off the UI thread and hands its result to a callback on the UI thread.
Runner = Callable[[Callable[[], Any], Callable[[Any], None]], None]


class TaskTableModel(QAbstractTableModel):
    """Rows are ``TaskDTO``s. With a ``runner`` (the background worker), further pages are
    fetched off the UI thread, so scrolling never waits for the database."""

    def __init__(self, fetch_page: PageFetcher, parent: QObject | None = None, *,
                 today: date, runner: Runner | None = None) -> None:
        """``today`` (the injected clock's activity day) labels the rows until
        :meth:`set_calendar` is told otherwise."""
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._runner = runner
        self._generation = 0  # bumped on every reset: late pages of old queries are dropped
        self._fetching = False
        self._query = TaskQuery()
        self._rows: list[TaskDTO] = []
        self._has_more = False
        self._profile_time = ProfileTime("UTC")
        self._today = today
        #: The injected clock's instant (a timed due is overdue after it, SPEC §12).
        self.now: datetime | None = None

    # -- state ---------------------------------------------------------------------------

    @property
    def query(self) -> TaskQuery:
        return self._query

    def set_calendar(self, profile_time: ProfileTime, today: date,
                     now: datetime | None = None) -> None:
        """The zone and the day that labels like "Today" and "overdue" are relative to."""
        self._profile_time, self._today = profile_time, today
        self.now = now

    def load(self, query: TaskQuery) -> None:
        """Show the first page of ``query`` (synchronous)."""
        self.apply_first_page(query, self._fetch_page(query, None, PAGE_SIZE))

    def apply_first_page(self, query: TaskQuery, rows: Sequence[TaskDTO]) -> None:
        """Show a first page fetched elsewhere (the background worker)."""
        self.beginResetModel()
        self._generation += 1
        self._fetching = False
        self._query = query
        self._rows = list(rows)
        self._has_more = len(rows) >= PAGE_SIZE
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read what is loaded (on the worker when there is one).

        Rows that only changed in place are updated without a reset, so the view keeps
        its selection and scroll position; otherwise the table is reset.
        """
        loaded = len(self._rows)
        wanted = PAGE_SIZE if loaded > MAX_REFRESH_ROWS else max(PAGE_SIZE, loaded)
        query, generation = self._query, self._generation
        if self._runner is None:
            self._apply_refresh(generation, self._fetch_page(query, None, wanted), wanted)
            return
        self._runner(lambda: self._fetch_quietly(query, None, wanted),
                     lambda rows: self._apply_refresh(generation, rows, wanted))

    def _apply_refresh(self, generation: int, fresh: list[TaskDTO] | None, wanted: int
                       ) -> None:
        if fresh is None or generation != self._generation:
            return  # failed, or the table moved on to another query meanwhile
        if [t.id for t in fresh] == [t.id for t in self._rows]:
            self._rows = fresh
            if fresh:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(fresh) - 1, len(Column) - 1))
            return
        self.beginResetModel()
        self._generation += 1
        self._fetching = False
        self._rows = fresh
        self._has_more = len(fresh) >= wanted
        self.endResetModel()

    def update_row(self, task: TaskDTO) -> bool:
        """Show ``task`` as it is now in its row (no query); False if it is not loaded."""
        row = self.row_of(task.id)
        if row is None:
            return False
        self._rows[row] = task
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        return True

    def task_at(self, row: int) -> TaskDTO | None:
        return row_at(self._rows, row)

    def row_of(self, task_id: int) -> int | None:
        return find_row(self._rows, lambda task: task.id == task_id)

    @property
    def loaded(self) -> int:
        return len(self._rows)

    @property
    def has_more(self) -> bool:
        return self._has_more

    # -- Qt model API ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._has_more

    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid() or not self._has_more or self._fetching:
            return
        query, offset, generation = self._query, len(self._rows), self._generation
        last = self._rows[-1] if self._rows else None  # keyset: the page after the last row
        if self._runner is None:
            self._append(generation, offset, self._fetch_page(query, last, PAGE_SIZE))
            return
        self._fetching = True
        self._runner(lambda: self._fetch_quietly(query, last, PAGE_SIZE) or [],
                     lambda page: self._append(generation, offset, page))

    def _fetch_quietly(self, query: TaskQuery, after: TaskDTO | None, limit: int
                       ) -> list[TaskDTO] | None:
        """Rows for the background worker; None (logged) when the read failed."""
        try:
            return self._fetch_page(query, after, limit)
        except Exception:  # noqa: BLE001 (a failed read must not take the window down)
            log.exception("could not read tasks")
            return None

    def _append(self, generation: int, offset: int, page: list[TaskDTO]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return  # the table was reset meanwhile: this page belongs to another query
        self._fetching = False
        self._has_more = len(page) >= PAGE_SIZE
        known = {t.id for t in self._rows}
        page = [t for t in page if t.id not in known]  # rows shifted by a concurrent change
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    @property
    def fetching(self) -> bool:
        return self._fetching

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.DONE:
            return "Done"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            centred = section in (Column.DONE, Column.COMPLEXITY)
            return int((Qt.AlignmentFlag.AlignCenter if centred else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        task = row_for(self._rows, index)
        if task is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(task, column)
        if role == DTO_ROLE:
            return task
        if role == OVERDUE_ROLE:
            return task_is_overdue(task, self._today, self.now)
        if role == HIDDEN_ROLE:
            return self.hidden_marker(task) if column is Column.TITLE else None
        if role == Qt.ItemDataRole.CheckStateRole and column is Column.DONE:
            return (Qt.CheckState.Checked if task.status == Status.DONE
                    else Qt.CheckState.Unchecked)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(task, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(task, column)
            marker = self.hidden_marker(task) if column is Column.TITLE else ""
            if marker:
                return f"{text}, {marker.lower()}"
            return text or ("done" if task.status == Status.DONE else "not done")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Column.COMPLEXITY, Column.DONE):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        return None

    def is_overdue(self, task: TaskDTO) -> bool:
        return task_is_overdue(task, self._today, self.now)

    def hidden_marker(self, task: TaskDTO) -> str:
        """"Hidden until Tue 8 Dec" for an open task hidden until a later day ("All"
        shows it before then); "" otherwise."""
        if task.status != Status.OPEN:
            return ""
        return hidden_label(task.hidden_until, self._today)

    def display_text(self, task: TaskDTO, column: Column) -> str:
        """The cell's text (the delegate paints from the DTO with this, one model call
        per cell instead of three)."""
        return self._display(task, column)

    def _display(self, task: TaskDTO, column: Column) -> str:
        if column is Column.TITLE:
            return task.title + ("   " + "  ".join(f"#{t}" for t in task.tags)
                                 if task.tags else "")
        if column is Column.PROJECT:
            return task.project
        if column is Column.COMPLEXITY:
            return str(task.complexity)
        if column is Column.DUE:
            return due_label(task.due, self._today, task.due_time,
                             is_open=task.status == Status.OPEN)
        if column is Column.COMPLETED:
            return completed_label(task.completed_at, self._profile_time, self._today)
        return ""

    def _tooltip(self, task: TaskDTO, column: Column) -> str | None:
        if column is Column.DUE and task.due is not None:
            return (task.due_label or "").replace("T", " ") + (
                f" · repeats {task.repeat.lower()}" if task.repeat
                else f" · repeats {task.repeat_after} after done" if task.repeat_after else "")
        marker = self.hidden_marker(task) if column is Column.TITLE else ""
        if marker and task.hidden_until is not None:
            hidden = (f"Hidden until {long_date(task.hidden_until)}: not in Open or Today "
                      "before then (Edit task ▸ Hide until)")
            return hidden + ("\n\n" + task.notes[:500] if task.notes else "")
        if column is Column.TITLE and task.notes:
            return task.notes[:500]
        if column is Column.COMPLEXITY:
            return complexity_text(task.complexity)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort through the service (each column has one natural direction)."""
        if not 0 <= column < len(Column):
            return
        service_order, _direction = ORDER_OF_COLUMN[Column(column)]
        if service_order != self._query.order:
            self.load(self._query.with_(order=service_order))
