"""The SQL behind ``ItemService.list_tasks``: filters, orders and pages that stay fast at 100k.

Two things keep a page cheap however many tasks there are (docs/BENCHMARKS.md §3):

* **Keyset pages.** The next page starts *after the last row shown* (``after``), so a page
  is an index walk that stops after ``limit`` rows; ``OFFSET`` would walk every skipped row.
  The "due" order (dated tasks by date, then undated ones, ties by id) has no single index,
  so it is read as two segments — dated rows on ``(profile_id[, status], due_date)``, then
  undated rows in id order — each a walk without a sort.
* **Search through FTS5.** A needle of three or more characters first narrows the rows with
  the trigram index ``tasks_fts`` (migration 0003); the same case-insensitive ``LIKE`` as
  for short needles then decides, so the index can only make the answer faster, never
  different. The condition is plain SQL text, :func:`.task_listing.search_filter`, which
  the command line's light path runs too (one definition of what a search finds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, or_, select, text
from sqlalchemy.sql.elements import ColumnElement, TextClause

from ..kinds import Status
from ..models import Project, Task
from .dto import TaskDTO
from .task_listing import FTS_MIN_LENGTH, search_filter

ORDERS = ("id", "due", "title", "complexity")
if TYPE_CHECKING:
    #: ``SELECT tasks.id, tasks.title, ... projects.name ...``: the rows of the list.
    TaskRows = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class TaskCursor:
    """Where the previous page ended: the values of its last row that the order uses."""

    id: int
    title: str = ""
    complexity: int = 1
    due: date | None = None

    @classmethod
    def after(cls, task: TaskDTO) -> TaskCursor:
        """The cursor for the page that follows ``task``."""
        return cls(task.id, task.title, task.complexity, task.due)


def first_page_is_bounded(search: str | None) -> bool:
    """Whether a first page is an index walk that stops after the page (fast at any size):
    no search text, or one long enough for the search index. A shorter text is matched
    with ``LIKE`` against every task."""
    needle = (search or "").strip()
    return not needle or len(needle) >= FTS_MIN_LENGTH


def search_condition(needle: str) -> TextClause:
    """The rows that hold ``needle`` (already :func:`.task_listing.search_needle`)."""
    condition, params = search_filter(needle)
    return text(condition).bindparams(**params)


def _after(order: str, cursor: TaskCursor) -> ColumnElement[bool]:
    """Rows that come after ``cursor`` in ``order`` (not for the dated segment of "due")."""
    if order == "title":
        return or_(Task.title > cursor.title, and_(Task.title == cursor.title,
                                                   Task.id > cursor.id))
    if order == "complexity":
        return or_(Task.complexity < cursor.complexity,
                   and_(Task.complexity == cursor.complexity, Task.id > cursor.id))
    return Task.id > cursor.id


def _ordered(order: str) -> list[Any]:
    orderings: dict[str, list[Any]] = {"id": [Task.id], "title": [Task.title, Task.id],
                                       "complexity": [Task.complexity.desc(), Task.id]}
    return orderings[order]


def page_queries(base: TaskRows, order: str, *, offset: int,
                 after: TaskCursor | None) -> list[TaskRows]:
    """The statements whose rows, concatenated, are the list from the page's first row on.

    ``base`` is :func:`base_query` with every filter applied; :func:`take`
    runs them with the page's limit.
    """
    if order != "due":
        query = base.order_by(*_ordered(order))
        return [query.where(_after(order, after)) if after is not None
                else query.offset(offset)]
    if after is None and offset:
        # An arbitrary offset into both segments: one sorted statement (slow, rare).
        return [base.order_by(Task.due_date.is_(None), Task.due_date, Task.id).offset(offset)]
    undated = base.where(Task.due_date.is_(None)).order_by(Task.id)
    if after is not None and after.due is None:
        return [undated.where(Task.id > after.id)]
    dated = base.where(Task.due_date.is_not(None)).order_by(Task.due_date, Task.id)
    if after is not None:
        dated = dated.where(or_(Task.due_date > after.due,
                                and_(Task.due_date == after.due, Task.id > after.id)))
    return [dated, undated]


def base_query(profile_id: int) -> TaskRows:
    """The list's columns (plain rows, not ORM objects: a page of 200 builds in half the
    time) for one profile; filters are added with ``.where``."""
    query: TaskRows = select(
        Task.id, Task.title, Task.status, Project.name, Task.complexity, Task.due_date,
        Task.completed_at, Task.notes, Task.repeat_rule, Task.goal_id, Task.project_id,
        Task.deleted_at.is_not(None), Task.due_time, Task.due_at, Task.repeat_after,
        Task.hidden_until).join(
        Project, Project.id == Task.project_id).where(
        Task.profile_id == profile_id)
    return query


def to_dto(row: Any, tags: tuple[str, ...] = (), overdue: bool = False) -> TaskDTO:
    """One row of :func:`base_query` as the DTO (columns in the DTO's field order)."""
    (task_id, title, status, project, complexity, due, completed_at, notes, repeat, goal_id,
     project_id, deleted, due_time, due_at, repeat_after, hidden_until) = row
    return TaskDTO(task_id, title, status, project, complexity, due, completed_at, notes,
                   repeat, goal_id, project_id, bool(deleted), due_time, due_at, repeat_after,
                   tags, overdue, hidden_until)


def not_hidden(today: date) -> ColumnElement[bool]:
    """Open tasks hidden until a later day are left out (issue 18); done ones never are."""
    return or_(Task.hidden_until.is_(None), Task.hidden_until <= today, Task.status != Status.OPEN)


def take(segments: Sequence[TaskRows], limit: int | None, run: Any) -> list[Any]:
    """Run the segments in turn until ``limit`` rows are found (``run(statement)`` → rows)."""
    rows: list[Any] = []
    for statement in segments:
        wanted = None if limit is None else limit - len(rows)
        if wanted == 0:
            break
        if wanted is not None:
            statement = statement.limit(wanted)
        rows.extend(run(statement))
    return rows
