"""Google Tasks from Google Takeout (``Takeout/Tasks/Tasks.json``) → tasks and goals.

``{"kind": "tasks#taskLists", "items": [{"title": "My Tasks", "items": [task, …]}, …]}``,
each task ``{"id", "title", "notes", "status": "needsAction"|"completed", "due",
"completed", "updated", "parent", "deleted", "hidden", "links"}``.

* each list → a project (the default list, "My Tasks", → the inbox);
* ``due`` (a date at midnight UTC) → due date; ``completed`` → done then (history);
  ``deleted`` → a deleted task (restorable); ``links`` → notes lines;
* a ``due``, ``completed`` or ``updated`` that is not a date-time is one odd property of a
  valid file (SPEC §9): the task imports without it, the value kept in its notes
  (``due: next Tuesday``), and the outcome counts it; a file that is not JSON, or not
  lists of task objects, is refused whole;
* a task other tasks name as ``parent`` → a goal with those sub-tasks as steps;
* identity: the task's ``id``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..errors import ValidationError
from ..exports.common import Feedback
from ..kinds import Status
from . import common
from .common import GoalRecord, ImportPlan, StepRecord, TaskRecord

DEFAULT_LIST = "My Tasks"


def _instant(task: dict[str, Any], field_name: str, notes: list[str], plan: ImportPlan
             ) -> datetime | None:
    """The task's RFC 3339 ``field_name``; one that is not a date-time (or out of the
    years Momentum holds) is left out, its value kept in ``notes`` and counted."""
    value = task.get(field_name)
    if value in (None, ""):
        return None
    try:
        if isinstance(value, str):
            return common.aware_instant(datetime.fromisoformat(value), field_name)
    except (ValueError, ValidationError):
        pass
    notes.append(f"{field_name}: {value}")
    plan.notice(f"Google Tasks {field_name} values that are not dates ({field_name}; "
                "kept in the notes)")
    return None


def _record(task: dict[str, Any], project: str | None, plan: ImportPlan) -> TaskRecord:
    notes = [str(task.get("notes") or "")]
    for link in task.get("links") or []:
        if isinstance(link, dict) and link.get("link"):
            notes.append(f"{link.get('description') or link.get('type') or 'Link'}: "
                         f"{link['link']}")
    due_at = _instant(task, "due", notes, plan)
    updated_at = _instant(task, "updated", notes, plan)
    completed_at = _instant(task, "completed", notes, plan)
    record = TaskRecord(line=0, title=common.title_or_untitled(task.get("title")),
                        notes=common.joined_notes(notes), project=project,
                        due=date(due_at.year, due_at.month, due_at.day) if due_at else None,
                        updated_at=updated_at,
                        source_id=str(task["id"]) if task.get("id") else None)
    if task.get("status") == "completed" or task.get("completed"):
        record.status = Status.DONE
        record.completed_at = completed_at
    if task.get("deleted") is True:
        record.deleted_at = record.updated_at or record.completed_at or \
            common.local_noon(date(2000, 1, 1), "UTC")
    return record


def parse_google_tasks(text: str, tz_name: str, hooks: Feedback | None = None, *,
                       now: datetime) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("google-tasks")
    data = common.json_export(text, "items", list, "not a Google Tasks export (expected "
                              '{"kind": "tasks#taskLists", "items": [...]})')
    for index, task_list in enumerate(data["items"]):
        where = f"items[{index}]"
        if not isinstance(task_list, dict):
            raise ValidationError(where, "must be a task list")
        title = str(task_list.get("title") or "").strip()
        project = None if title in ("", DEFAULT_LIST) else title
        tasks = task_list.get("items") or []
        if not isinstance(tasks, list):
            raise ValidationError(f"{where}.items", "must be a list of tasks")
        records: list[tuple[dict[str, Any], TaskRecord]] = []
        for number, task in enumerate(tasks):
            with common.located(f"{where}.items[{number}]"):
                if not isinstance(task, dict):
                    raise ValidationError("task", "must be an object")
                records.append((task, _record(task, project, plan)))
        ids = {r.source_id for _, r in records}
        steps: dict[str, list[TaskRecord]] = {}
        for task, record in records:
            if task.get("parent") in ids:
                steps.setdefault(str(task["parent"]), []).append(record)
        for number, (task, record) in enumerate(records):
            if task.get("parent") in ids:
                continue
            with common.located(f"{where}.items[{number}]"):
                children = steps.get(record.source_id or "")
                if not children or record.deleted_at is not None:
                    plan.tasks.append(record.validate())
                    continue
                plan.goals.append(GoalRecord(
                    line=0, title=record.title, notes=record.notes, project=project,
                    target=record.due, status=record.status,
                    completed_at=record.completed_at, source_id=record.source_id,
                    steps=[StepRecord(c.title, c.status, c.completed_at) for c in children
                           if c.deleted_at is None]).validate())
            plan.notice("tasks with sub-tasks imported as goals with steps")
        hooks.check()
    return plan
