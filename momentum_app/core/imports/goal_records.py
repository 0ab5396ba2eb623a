"""Tasks with subtasks → goals with steps (iCalendar ``RELATED-TO`` children, TickTick
checklists and ``parentId`` sub-tasks).

A goal holds a title, notes, a project, a target date and its steps (SPEC §3); it has no
tags, reminders or repeat rule. What the task had of those stays readable in the goal's
notes (``#tag`` words, ``Reminder: 30 minutes before the due``, ``Repeats: FREQ=…``) and
the import lists it as skipped with the reason, so nothing is dropped silently. A subtask
becomes a step, which holds a title and a done state: what else it said (notes, tags, a
due, reminders) is kept the same way, under ``Step "its title":``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..clock import zone
from ..services.validation import tag_names
from .common import GoalRecord, ImportPlan, StepRecord, TaskRecord

TAGS = "tags of tasks imported as goals (goals have no tags; kept in the notes)"
REMINDERS = "reminders of tasks imported as goals (goals have no reminders; kept in the notes)"
REPEATS = "repeat rules of tasks imported as goals (goals do not repeat; kept in the notes)"
SUBTASKS = ("details of subtasks imported as goal steps (a step holds a title and a done "
            "state; kept in the goal's notes)")
WITH_STEPS = "tasks with subtasks imported as goals with steps"


def _reminder_line(reminder: int | datetime, tz_name: str) -> str:
    if isinstance(reminder, datetime):
        return f"Reminder: {reminder.astimezone(zone(tz_name)):%Y-%m-%d %H:%M}"
    return f"Reminder: {reminder} minutes before the due"


def _kept(record: TaskRecord, tz_name: str, *, due: bool = False
          ) -> tuple[list[str], list[str]]:
    """What of ``record`` a goal (or a step) cannot hold, as notes lines, and the skip
    reasons; ``due`` adds its due date (a step has none)."""
    lines, reasons = [], []
    tags = tag_names(record.tags, lenient=True)
    if tags:
        lines.append(" ".join(f"#{tag}" for tag in tags))
        reasons.append(TAGS)
    if due and record.due is not None:
        lines.append(f"Due: {record.due.isoformat()}"
                     + (f" {record.due_time}" if record.due_time else ""))
    if record.reminders:
        lines.extend(_reminder_line(reminder, tz_name) for reminder in record.reminders)
        reasons.append(REMINDERS)
    if record.repeat or record.repeat_after:
        lines.append(f"Repeats: {record.repeat}" if record.repeat
                     else f"Repeats after each completion: {record.repeat_after}")
        reasons.append(REPEATS)
    return lines, reasons


def goal_of(record: TaskRecord, steps: list[StepRecord], plan: ImportPlan, tz_name: str, *,
            subtasks: Sequence[TaskRecord] = (), own_id: int | None = None) -> GoalRecord:
    """``record`` as a goal (validated) with ``steps`` and then its ``subtasks`` as steps.
    The goal's tags, reminders and repeat rule go into its notes, after the record's, and
    are listed as skipped in ``plan``; so does what a subtask said besides its title and
    done state (its notes, tags, due, reminders, repeat), under ``Step "title":``."""
    lines, reasons = _kept(record, tz_name)
    lines.insert(0, record.notes)
    for reason in reasons:
        plan.skip(reason)
    for subtask in subtasks:
        details = [subtask.notes, *_kept(subtask, tz_name, due=True)[0]]
        if any(details):
            lines.extend([f'Step "{subtask.title}":', *details])
            plan.skip(SUBTASKS)
    steps = steps + [StepRecord(s.title, s.status, s.completed_at) for s in subtasks]
    return GoalRecord(
        line=record.line, title=record.title, notes="\n".join(line for line in lines if line),
        project=record.project, target=record.due, status=record.status,
        completed_at=record.completed_at, created_at=record.created_at, steps=steps,
        source_id=record.source_id, own_id=own_id).validate()


def parent_uid(todo: Any) -> str | None:
    """The UID a VTODO names as its parent (``RELATED-TO``, ``RELTYPE=PARENT``)."""
    raw = todo.get("RELATED-TO")
    if raw is None:
        return None
    for item in raw if isinstance(raw, list) else [raw]:
        reltype = str(getattr(item, "params", {}).get("RELTYPE", "PARENT")).upper()
        if reltype == "PARENT" and str(item).strip():
            return str(item).strip()
    return None


def ics_goals(plan: ImportPlan, todos: list[tuple[TaskRecord, Any]], tz_name: str) -> None:
    """VTODOs other VTODOs name as parent become goals, their subtasks (at any depth) the
    steps; the other VTODOs are tasks."""
    by_uid = {r.source_id: r for r, _ in todos if r.source_id}
    parent_of = {}
    for record, todo in todos:
        parent = parent_uid(todo)
        if parent and parent in by_uid and parent != record.source_id:
            parent_of[record.source_id] = parent

    def root(uid: str) -> str:
        seen = {uid}
        while uid in parent_of and parent_of[uid] not in seen:
            uid = parent_of[uid]
            seen.add(uid)
        return uid

    steps: dict[str, list[TaskRecord]] = {}
    for record, _ in todos:
        if record.source_id is not None and record.source_id in parent_of:
            steps.setdefault(root(record.source_id), []).append(record)
    for record, _ in todos:
        if record.source_id in parent_of:
            continue
        is_goal = (record.source_id or "").startswith("goal-")
        if record.source_id not in steps and not is_goal:
            plan.tasks.append(record)
            continue
        if record.deleted_at is not None:
            plan.skip("cancelled tasks with subtasks")
            continue
        plan.goals.append(goal_of(record, [], plan, tz_name,
                                  subtasks=steps.get(record.source_id or "", []),
                                  own_id=record.own_id if is_goal else None))
        plan.notice(WITH_STEPS)
