"""iCalendar export (RFC 5545): time slots as VEVENTs, tasks and goals as VTODOs.

* Times are written in UTC (``DTSTART:20260105T090000Z``): every calendar reads them and
  no VTIMEZONE has to travel with the file.
* Every task is a VTODO, with or without a due date (with ``--from``/``--to``: the tasks
  due in the period). A goal is a VTODO too (``DUE`` its target date) and each of its steps
  a VTODO with ``RELATED-TO`` the goal, as calendar programs show subtasks; Momentum's
  import turns them back into a goal with steps.
* A VTODO's ``DUE`` is a date (``DUE;VALUE=DATE:20260105``), like the task's due date;
  ``STATUS`` is ``COMPLETED`` (with the ``COMPLETED`` instant) or ``NEEDS-ACTION``.
* Complexity becomes ``PRIORITY`` (5→1, 4→3, 3→5, 2→7, 1→none) and comes back the same
  way on import; a repeat rule becomes ``RRULE``; the project is a ``CATEGORIES`` entry
  (and ``X-MOMENTUM-PROJECT``, so an import puts the task back in its project), followed
  by the task's tags; a due time is ``DUE`` in UTC, and pending reminders are ``VALARM``s.
* UIDs are stable per item — ``task-<id>@momentum.local``, ``slot-<id>@momentum.local``,
  ``goal-<id>@…``, ``step-<id>@…`` —
  so a calendar that subscribes to the file updates events instead of duplicating them.
  A slot done in Momentum carries ``X-MOMENTUM-COMPLETED`` (VEVENTs have no status for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
from sqlalchemy import select

from ... import __version__
from ..clock import zone
from ..kinds import ReminderState, Status
from ..models import Goal, Profile, Project, Reminder, Task, TimeSlot
from ..services import Momentum
from ..services.planning import task_tags
from . import common

UID_DOMAIN = "momentum.local"
PRODID = f"-//Momentum//Momentum {__version__}//EN"
PRIORITY_OF_COMPLEXITY = {5: 1, 4: 3, 3: 5, 2: 7}


@dataclass
class IcsExportResult:
    path: str = ""
    rows: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": "ics", "files": {"calendar": self.path}, "rows": self.rows}


def task_uid(task_id: int) -> str:
    return f"task-{task_id}@{UID_DOMAIN}"


def slot_uid(slot_id: int) -> str:
    return f"slot-{slot_id}@{UID_DOMAIN}"


def build_calendar(app: Momentum, *, all_profiles: bool = False, start: date | None = None,
                   end: date | None = None, hooks: common.Feedback | None = None
                   ) -> tuple[icalendar.Calendar, dict[str, int]]:
    hooks = hooks or common.Feedback()
    now = app.clock.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    counts = {"time_slots": 0, "tasks": 0, "goals": 0}
    with app.db.reading() as session:
        profiles = common.profiles_in_scope(session, app.profile_id, all_profiles)
        calendar.add("x-wr-calname", "Momentum" if all_profiles
                     else f"Momentum — {profiles[0].name}")
        for profile in profiles:
            hooks.check()
            counts["time_slots"] += _add_slots(session, calendar, profile, start, end, now)
            counts["tasks"] += _add_tasks(session, calendar, profile, start, end, now)
            counts["goals"] += _add_goals(session, calendar, profile, start, end, now)
            hooks.report("ics", counts["time_slots"] + counts["tasks"], None)
    return calendar, counts


def _add_slots(session: Any, calendar: icalendar.Calendar, profile: Profile,
               start: date | None, end: date | None, now: datetime) -> int:
    query = select(TimeSlot, Task.title).outerjoin(Task, Task.id == TimeSlot.task_id).where(
        TimeSlot.profile_id == profile.id, TimeSlot.deleted_at.is_(None))
    tz = zone(profile.timezone)
    if start is not None:
        query = query.where(TimeSlot.end_at > datetime.combine(start, time(0), tz))
    if end is not None:
        query = query.where(TimeSlot.start_at < datetime.combine(
            end + timedelta(days=1), time(0), tz))
    count = 0
    for slot, task_title in session.execute(query.order_by(TimeSlot.start_at, TimeSlot.id)):
        event = icalendar.Event()
        event.add("uid", slot_uid(slot.id))
        event.add("dtstamp", now)
        event.add("dtstart", slot.start_at)
        event.add("dtend", slot.end_at)
        event.add("summary", slot.title)
        if task_title:
            event.add("description", f"Task: {task_title}")
            event.add("related-to", task_uid(slot.task_id))
        event.add("created", slot.created_at)
        event.add("last-modified", slot.updated_at)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        if slot.status == Status.DONE and slot.completed_at is not None:
            event.add("x-momentum-completed", icalendar.vDDDTypes(slot.completed_at))
        calendar.add_component(event)
        count += 1
    return count


def _dated_in_range(model: type[Task] | type[Goal], day: Any, profile: Profile,
                    start: date | None, end: date | None) -> Any:
    """The profile's live tasks or goals with their project's name and inbox flag; given
    a range, only those whose ``day`` (due or target date) falls in it."""
    query = select(model, Project.name, Project.is_inbox).join(
        Project, Project.id == model.project_id).where(
        model.profile_id == profile.id, model.deleted_at.is_(None))
    if start is not None or end is not None:
        query = query.where(day.is_not(None))
    if start is not None:
        query = query.where(day >= start)
    if end is not None:
        query = query.where(day <= end)
    return query


def _add_tasks(session: Any, calendar: icalendar.Calendar, profile: Profile,
               start: date | None, end: date | None, now: datetime) -> int:
    query = _dated_in_range(Task, Task.due_date, profile, start, end)
    count = 0
    for task, project, is_inbox in session.execute(query.order_by(
            Task.due_date.is_(None), Task.due_date, Task.id)):
        todo = _todo(task_uid(task.id), now, task.title, task.notes)
        if task.due_date is not None:
            todo.add("due", _due(task))
        _status(todo, task.status == Status.DONE, task.completed_at)
        if task.complexity in PRIORITY_OF_COMPLEXITY:
            todo.add("priority", PRIORITY_OF_COMPLEXITY[task.complexity])
        categories = ([] if is_inbox else [project]) + list(task_tags(session, task.id))
        if categories:
            todo.add("categories", categories)
        if not is_inbox:
            todo.add("x-momentum-project", project)
        _add_alarms(session, todo, task)
        if task.repeat_rule:
            todo.add("rrule", icalendar.vRecur.from_ical(task.repeat_rule))
        if task.repeat_after:  # no RRULE says "after each completion"
            todo.add("x-momentum-repeat-after", task.repeat_after)
        todo.add("created", task.created_at)
        todo.add("last-modified", task.updated_at)
        calendar.add_component(todo)
        count += 1
    return count


def goal_uid(goal_id: int) -> str:
    return f"goal-{goal_id}@{UID_DOMAIN}"


def step_uid(step_id: int) -> str:
    return f"step-{step_id}@{UID_DOMAIN}"


def _todo(uid: str, now: datetime, summary: str, notes: str = "") -> icalendar.Todo:
    """A ``VTODO`` with its identity, stamp, summary and (given notes) description."""
    todo = icalendar.Todo()
    todo.add("uid", uid)
    todo.add("dtstamp", now)
    todo.add("summary", summary)
    if notes:
        todo.add("description", notes)
    return todo


def _status(component: Any, done: bool, completed_at: datetime | None) -> None:
    if done:
        component.add("status", "COMPLETED")
        component.add("percent-complete", 100)
        if completed_at is not None:
            component.add("completed", completed_at)
    else:
        component.add("status", "NEEDS-ACTION")


def _add_goals(session: Any, calendar: icalendar.Calendar, profile: Profile,
               start: date | None, end: date | None, now: datetime) -> int:
    query = _dated_in_range(Goal, Goal.target_date, profile, start, end)
    count = 0
    for goal, project, is_inbox in session.execute(query.order_by(Goal.id)):
        todo = _todo(goal_uid(goal.id), now, goal.title, goal.notes)
        if goal.target_date is not None:
            todo.add("due", goal.target_date)
        _status(todo, goal.status == Status.DONE, goal.completed_at)
        if not is_inbox:
            todo.add("categories", [project])
            todo.add("x-momentum-project", project)
        todo.add("created", goal.created_at)
        todo.add("last-modified", goal.updated_at)
        calendar.add_component(todo)
        for step in goal.steps:
            if step.deleted_at is not None:
                continue
            child = _todo(step_uid(step.id), now, step.title)
            child.add("related-to", goal_uid(goal.id), parameters={"RELTYPE": "PARENT"})
            _status(child, step.status == Status.DONE, step.completed_at)
            child.add("created", step.created_at)
            calendar.add_component(child)
        count += 1
    return count
def _due(task: Task) -> date | datetime:
    """SPEC §12: ``DUE`` with the time (UTC) when the task has one, else the date."""
    return task.due_at if task.due_at is not None else task.due_date  # type: ignore[return-value]


def _add_alarms(session: Any, todo: icalendar.Todo, task: Task) -> None:
    """A task's pending reminders as ``VALARM``s (an offset before ``DUE``, or an instant)."""
    for reminder in session.scalars(select(Reminder).where(
            Reminder.task_id == task.id, Reminder.state == ReminderState.PENDING)):
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", task.title)
        if reminder.offset_minutes is not None and task.due_at is not None:
            # Before DUE (RFC 5545 §3.8.6.3: a VTODO without DTSTART relates to its end).
            alarm.add("trigger", -timedelta(minutes=reminder.offset_minutes),
                      parameters={"RELATED": "END"})
        else:
            alarm.add("trigger", reminder.snoozed_until or reminder.fire_at)
        todo.add_component(alarm)


def export_ics(app: Momentum, out: str | Path, *, all_profiles: bool = False,
               start: date | None = None, end: date | None = None,
               progress: common.ProgressCallback | None = None,
               should_cancel: common.CancelCheck | None = None) -> IcsExportResult:
    hooks = common.feedback(progress, should_cancel)
    target = common.output_target(out, "momentum.ics")
    calendar, counts = build_calendar(app, all_profiles=all_profiles, start=start, end=end,
                                      hooks=hooks)
    hooks.check()
    with common.atomic_output(target, "wb") as handle:
        handle.write(calendar.to_ical())
    return IcsExportResult(str(target), counts)
