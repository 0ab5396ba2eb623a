"""Habitica's data export (Settings → Site Data → Export data → user data as JSON) →
tasks, repeating tasks, goals and history.

``{"tasks": {"todos": [...], "dailys": [...], "habits": [...], "rewards": [...]},
"tags": [{"id", "name"}], …}``; a task is ``{"_id"|"id", "text", "notes", "priority",
"completed", "dateCompleted", "date", "checklist", "tags", "createdAt", "updatedAt"}``.

* **To-dos** → tasks (``date`` → due date, ``completed`` → done at ``dateCompleted``);
  with a ``checklist`` → a goal whose steps are the checklist items;
* **Dailies** → repeating tasks: ``frequency`` daily (every ``everyX`` days), weekly (on
  the ``repeat`` weekdays), monthly, yearly, due from ``startDate``; their ``history``
  entries marked ``completed`` → done tasks at those instants (history, no points unless
  ``--award``);
* ``priority`` 0.1/1/1.5/2 (trivial/easy/medium/hard) → complexity 1/2/3/4; ``tags`` (ids
  named in the export's ``tags`` list) → tags;
* **habits** and **rewards** have no counterpart (skipped and counted);
* identity: the task's id (a daily's completion: the id and the instant).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..clock import zone
from ..errors import ValidationError
from ..exports.common import Feedback
from ..kinds import Status
from ..services.planning import tag_names
from . import common
from .common import ImportPlan, StepRecord, TaskRecord
from .goal_records import goal_of

WEEKDAYS = (("m", "MO"), ("t", "TU"), ("w", "WE"), ("th", "TH"), ("f", "FR"), ("s", "SA"),
            ("su", "SU"))


def _complexity(priority: Any) -> int:
    try:
        value = float(priority)
    except (TypeError, ValueError):
        return 1
    return 1 if value < 1 else 2 if value < 1.5 else 3 if value < 2 else 4


def _instant(value: Any, field_name: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value  # JavaScript milliseconds
        return common.aware_instant(datetime.fromtimestamp(seconds, UTC), field_name)
    if isinstance(value, str):
        try:
            return common.aware_instant(
                datetime.fromisoformat(value), field_name)
        except ValueError:
            pass
    raise ValidationError(field_name, f"not a date-time: {value!r}")


def _rule(daily: dict[str, Any]) -> str:
    frequency = str(daily.get("frequency") or "daily")
    every = daily.get("everyX") or 1
    every = every if isinstance(every, int) and every > 0 else 1
    interval = "" if every == 1 else f";INTERVAL={every}"
    if frequency == "weekly":
        repeat = daily.get("repeat") or {}
        days = [code for key, code in WEEKDAYS if repeat.get(key, True)]
        return f"FREQ=WEEKLY{interval};BYDAY={','.join(days or ['MO'])}"
    if frequency == "monthly":
        return f"FREQ=MONTHLY{interval}"
    if frequency == "yearly":
        return f"FREQ=YEARLY{interval}"
    return f"FREQ=DAILY{interval}"


def _base(task: dict[str, Any], tags: dict[str, str]) -> TaskRecord:
    notes = [str(task.get("notes") or "")]
    names = [tags.get(str(t), str(t)) for t in task.get("tags") or []]
    odd = [n for n in names if not tag_names([n], lenient=True)]
    if odd:  # not one word: kept readable in the notes
        notes.insert(0, " ".join(f"#{n.replace(' ', '_')}" for n in odd))
    task_id = task.get("_id") or task.get("id")
    return TaskRecord(line=0, title=common.title_or_untitled(task.get("text")),
                      notes=common.joined_notes(notes),
                      complexity=_complexity(task.get("priority")), tags=names,
                      created_at=_instant(task.get("createdAt"), "createdAt"),
                      updated_at=_instant(task.get("updatedAt"), "updatedAt"),
                      source_id=str(task_id) if task_id else None)


def parse_habitica(text: str, tz_name: str, hooks: Feedback | None = None, *,
                   now: datetime) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("habitica")
    data = common.json_export(text, "tasks", dict, 'not a Habitica export (expected '
                              '{"tasks": {"todos": [...], "dailys": [...]}})')
    tags = {str(t.get("id")): str(t.get("name")) for t in data.get("tags") or []
            if isinstance(t, dict)}
    groups = data["tasks"]
    for kind in ("habits", "rewards"):
        if groups.get(kind):
            plan.skip(f"Habitica {kind} (no counterpart in Momentum)", len(groups[kind]))
    for index, todo in enumerate(groups.get("todos") or []):
        with common.located(f"tasks.todos[{index}]"):
            record = _base(todo, tags)
            if todo.get("date"):
                due_at = _instant(todo["date"], "date")
                assert due_at is not None
                record.due = due_at.astimezone(zone(tz_name)).date()
            if todo.get("completed"):
                record.status = Status.DONE
                record.completed_at = _instant(todo.get("dateCompleted"), "dateCompleted")
            checklist = [c for c in todo.get("checklist") or [] if isinstance(c, dict)]
            if not checklist:
                plan.tasks.append(record.validate())
                continue
            plan.goals.append(goal_of(record, [
                StepRecord(str(c.get("text") or "Step"),
                           Status.DONE if c.get("completed") else Status.OPEN)
                for c in checklist], plan, tz_name))
    for index, daily in enumerate(groups.get("dailys") or []):
        with common.located(f"tasks.dailys[{index}]"):
            record = _base(daily, tags)
            record.repeat = _rule(daily)
            start = _instant(daily.get("startDate"), "startDate") or record.created_at
            record.due = start.astimezone(zone(tz_name)).date() if start else None
            plan.tasks.append(record.validate())
            for number, entry in enumerate(daily.get("history") or []):
                if not isinstance(entry, dict) or not entry.get("completed"):
                    continue
                with common.located(f"history[{number}]"):
                    when = _instant(entry.get("date"), "date")
                    done = TaskRecord(line=0, title=record.title,
                                      complexity=record.complexity, status=Status.DONE,
                                      completed_at=when, created_at=when,
                                      source_id=f"{record.source_id}@{entry.get('date')}")
                    plan.tasks.append(done.validate())
        hooks.check()
    return plan
