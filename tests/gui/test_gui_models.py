"""The item models are thin adapters: each passes pytest-qt's model tester."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from PySide6.QtCore import QModelIndex, Qt

from momentum_app.core.services import Momentum
from momentum_app.core.services.dto import ProjectDTO, SlotDTO, TaskDTO
from momentum_app.gui.models.item_list import ItemListModel, Section
from momentum_app.gui.models.project_list import ProjectListModel
from momentum_app.gui.models.task_table import PAGE_SIZE, Column, TaskQuery, TaskTableModel
from momentum_app.gui.timefmt import ProfileTime
from momentum_app.gui.views.tasks import fetch_page

pytestmark = pytest.mark.gui

#: The day the task table's labels ("Today", "overdue") are relative to.
TODAY = date(2026, 1, 5)


def make_task(number: int, status: str = "open") -> TaskDTO:
    return TaskDTO(number, f"Task {number}", status, "Inbox", 1 + number % 5,
                   date(2026, 1, 1 + number % 28), None, "", None, None, 1)


class FakePages:
    """A page fetcher over a list, counting calls (no database)."""

    def __init__(self, count: int) -> None:
        self.tasks = [make_task(n) for n in range(1, count + 1)]
        self.calls: list[tuple[TaskQuery, int | None, int]] = []

    def __call__(self, query: TaskQuery, after: TaskDTO | None, limit: int) -> list[TaskDTO]:
        """Rows in id order after the row ``after`` (a keyset page)."""
        self.calls.append((query, None if after is None else after.id, limit))
        rows = [t for t in self.tasks if query.search.lower() in t.title.lower()
                and (after is None or t.id > after.id)]
        return rows[:limit]


def test_task_table_passes_the_model_tester(qtmodeltester):
    model = TaskTableModel(FakePages(450), today=TODAY)
    model.load(TaskQuery(status="all"))
    qtmodeltester.check(model)


def test_task_table_pages_in_on_demand():
    pages = FakePages(450)
    model = TaskTableModel(pages, today=TODAY)
    model.load(TaskQuery())
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    # each page asks for the rows after the last one shown (keyset), never an offset
    assert [after for _query, after, _limit in pages.calls] == [None, 200, 400]


def test_background_pages_of_an_old_query_are_dropped():
    pages = FakePages(450)
    queued = []
    model = TaskTableModel(pages, today=TODAY,
                           runner=lambda job, done: queued.append((job, done)))
    model.load(TaskQuery())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # one page in flight at a time
    assert len(queued) == 1 and model.fetching
    job, done = queued.pop()
    done(job())
    assert model.rowCount() == 400 and not model.fetching
    model.fetchMore(QModelIndex())
    stale_job, stale_done = queued.pop()
    model.load(TaskQuery(search="Task 1"))  # a new filter arrives before the page
    stale_done(stale_job())
    assert all("Task 1" in model.task_at(row).title for row in range(model.rowCount()))


def test_refresh_updates_rows_in_place_without_a_reset(qtbot):
    pages = FakePages(10)
    model = TaskTableModel(pages, today=TODAY)
    model.load(TaskQuery())
    pages.tasks[2] = make_task(3, status="done")
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.refresh()
    index = model.index(2, Column.DONE)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_task_table_over_the_real_services(qtmodeltester, app: Momentum):
    app.projects.add("Work")
    for number in range(5):
        app.items.add_task(f"Report {number}", project="Work", complexity=3,
                           due="2026-01-04" if number % 2 else None)
    model = TaskTableModel(lambda q, after, limit: fetch_page(
        type("Ctx", (), {"momentum": app})(), q, after, limit), today=TODAY)
    model.set_calendar(ProfileTime("UTC"), date(2026, 1, 5))
    model.load(TaskQuery(project="Work", status="open", search="report"))
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    overdue = [model.data(model.index(r, Column.DUE)) for r in range(5)]
    assert "Yesterday" in overdue


def test_sorting_goes_through_the_service_order():
    pages = FakePages(5)
    model = TaskTableModel(pages, today=TODAY)
    model.load(TaskQuery(order="due"))
    model.sort(Column.TITLE, Qt.SortOrder.AscendingOrder)
    assert model.query.order == "title"
    assert pages.calls[-1][0].order == "title"


def test_item_list_model_with_sections_passes_the_model_tester(qtmodeltester):
    model = ItemListModel()
    slot = SlotDTO(1, "Focus", datetime(2026, 1, 5, 9, tzinfo=timezone.utc),
                   datetime(2026, 1, 5, 10, tzinfo=timezone.utc), "open", None, None, None)
    model.set_entries([Section("Overdue", 1, "danger"), make_task(1), Section("Due today", 1),
                       make_task(2, "done"), slot])
    qtmodeltester.check(model)
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(model.index(1)) & Qt.ItemFlag.ItemIsSelectable
    assert model.item_count() == 3


def test_project_list_model_passes_the_model_tester(qtmodeltester):
    model = ProjectListModel()
    model.set_projects([ProjectDTO(1, "Inbox", True, True), ProjectDTO(2, "Work", False, False)])
    qtmodeltester.check(model)
    assert model.row_of("Work") == 1
    assert "off" in model.data(model.index(1), Qt.ItemDataRole.ToolTipRole)


def test_fetch_page_passes_the_filters(app: Momentum):
    app.projects.add("Home")
    app.items.add_task("Buy milk", project="Home")
    app.items.add_task("Write essay")
    found = fetch_page(type("Ctx", (), {"momentum": app})(),  # a minimal stand-in context
                       TaskQuery(project="Home", status="open", search="milk"), None, 10)
    assert [t.title for t in found] == ["Buy milk"]


def test_scrolling_pages_through_the_real_services_in_due_order(app: Momentum):
    """Keyset pages over both segments of the "due" order (dated, then undated)."""
    for number in range(450):
        app.items.add_task(f"Chore {number}",
                           due=None if number % 3 else f"2026-02-{1 + number % 28:02d}")
    context = type("Ctx", (), {"momentum": app})()
    model = TaskTableModel(lambda q, after, limit: fetch_page(context, q, after, limit),
                           today=TODAY)
    model.load(TaskQuery(status="open", order="due"))
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    shown = [model.task_at(row).id for row in range(model.rowCount())]
    assert shown == [t.id for t in app.items.list_tasks(status="open", order="due")]
    assert len(shown) == 450


def test_a_bounded_first_page_is_read_at_once_and_a_short_search_on_the_worker(gui, qtbot):
    """Index-walk pages (no text, or text the search index answers) skip the worker; a
    one- or two-character search scans every title and stays off the UI thread."""
    for title in ("Water the ferns", "Wash the car", "File taxes"):
        gui.momentum.items.add_task(title)
    view = gui.window.show_view("tasks")
    qtbot.waitUntil(lambda: view.model.loaded == 3)

    view.search.setText("water")
    view._apply_filters()  # noqa: SLF001 (the debounce timer's target)
    assert [t.title for t in (view.model.task_at(r) for r in range(view.model.rowCount()))] \
        == ["Water the ferns"]  # already there: no round trip through the worker

    view.search.setText("wa")
    view._apply_filters()  # noqa: SLF001
    assert view.footer.text() == "Searching…" and view.model.query.search == "water"
    qtbot.waitUntil(lambda: view.model.query.search == "wa")
    assert view.model.rowCount() == 2
