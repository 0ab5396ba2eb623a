"""Ways back out: todo.txt and Taskwarrior JSON (issue 18), so a person can go back.

**todo.txt** (one line per task, deleted tasks left out)::

    x 2026-01-05 2026-01-01 Pay rent +Home pri:B
    (A) 2026-01-02 Call Mom +Family @phone due:2026-01-12 rec:+1w

complexity 5/4/3/2 → priority A/B/C/D (a done task keeps it as ``pri:``); the project as a
``+Project`` token (spaces become ``_``) unless the title already holds it, tags as
``@tag`` tokens likewise; the due date as ``due:`` (a due time is left out and counted);
the hidden-until day as ``t:`` (threshold); a repeat rule todo.txt can say as
``rec:+Nd|w|m|y`` (Momentum repeats from the due date: ``+``, strict), a repeat after each
completion as ``rec:2w`` (no ``+``); the task's own id as ``momentum:12`` (the last word:
todo.txt has no id, so Momentum's importer matches the line to the task it came from by
it — importing the export back changes nothing, an edited line updates its task). Notes
and reminders have no place in todo.txt and are not written; rules with BYDAY and the
like neither (all are counted in the result).

**Taskwarrior** (``task import`` reads it): a JSON array, one task per line, with
``uuid`` (stable: the uuid a task imported from Taskwarrior had there, a repeating one
aside; otherwise derived from the profile and the task id — so importing the export into
Taskwarrior again, or going back to it, updates instead of duplicating), ``description``, ``status``
(pending / completed / deleted), ``entry``, ``modified``, ``end``, ``due`` (the due
instant, or local midnight for a date alone), ``wait`` (local midnight of the hidden-until
day), ``project``, ``tags``, ``priority`` (5–4 → H, 3 → M, 2 → L), ``recur`` when Taskwarrior
can say the rule (``daily``, ``weekdays``, ``weekly``, ``2weeks``, ``monthly``, ``yearly``…;
an ``UNTIL`` as ``until``, the end of that day) — a rule it cannot say (``BYDAY=1MO``,
``COUNT``) is counted in the result: in Taskwarrior that task does not repeat; and
Momentum's own fields as user-defined attributes (``momentum_id``, ``momentum_complexity``,
``momentum_notes``, ``momentum_repeat``, ``momentum_repeat_after``, ``momentum_due_time``,
``momentum_reminders`` — the pending reminders, minutes before the due or UTC instants,
space-separated), which Taskwarrior keeps and Momentum's importer reads back exactly.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..clock import zone
from ..imports.todotxt import guarded_word
from ..kinds import ReminderState, Status
from ..models import ImportSource, Project, Reminder, Task
from ..services import Momentum
from ..services.planning import tags_of
from . import common

PRIORITY_OF_COMPLEXITY = {5: "A", 4: "B", 3: "C", 2: "D"}
TW_PRIORITY = {5: "H", 4: "H", 3: "M", 2: "L"}
NAMESPACE = uuid.UUID("8a4c7a9e-6d0b-4a57-9d3e-5f1b2c3d4e5f")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SIMPLE_RULE = re.compile(r"^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(?:;INTERVAL=(\d+))?$")
UNITS = {"DAILY": ("d", "days"), "WEEKLY": ("w", "weeks"), "MONTHLY": ("m", "months"),
         "YEARLY": ("y", "years")}
NAMED_RECUR = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly",
               "YEARLY": "yearly"}
WEEKDAYS = "MO,TU,WE,TH,FR"
#: The export's word for a rule Taskwarrior's ``recur`` cannot say.
TW_UNSAID_RULE = ("repeat rules Taskwarrior cannot say (kept in momentum_repeat, which only "
                  "Momentum reads)")
#: The todo.txt line's last word: the task's own id (:mod:`..imports.todotxt` reads it).
OWN_KEY = "momentum"


@dataclass
class TaskExportResult:
    format: str
    path: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    #: What the format could not hold, by reason.
    left_out: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "files": {"tasks": self.path}, "rows": self.rows,
                "left_out": self.left_out}


@dataclass
class _Row:
    task: Task
    project: str | None  # None for the inbox
    profile: str
    timezone: str
    tags: tuple[str, ...]
    #: The uuid the task had in Taskwarrior, if it was imported from there.
    tw_uuid: str | None = None
    #: Its pending reminders: minutes before the due, or an instant (UTC).
    reminders: tuple[int | datetime, ...] = ()


def _tw_uuids(session: Any, profile_id: int) -> dict[int, str]:
    """Task id → the Taskwarrior uuid it was imported with (a series keeps Momentum's: its
    uuid is Taskwarrior's recurring template, which a pending task must not replace)."""
    query = select(ImportSource.item_id, ImportSource.source_id).join(
        Task, Task.id == ImportSource.item_id).where(
        ImportSource.profile_id == profile_id, ImportSource.format == "taskwarrior",
        ImportSource.kind == "task", Task.repeat_rule.is_(None),
        Task.repeat_after.is_(None))
    return {item: source for item, source in session.execute(query)
            if _UUID.match(source)}


def _reminders(session: Any, profile_id: int) -> dict[int, tuple[int | datetime, ...]]:
    """Task id → its pending reminders, as an import reads them back: the minutes before
    the due, or the instant (a snoozed one: when it shows again); minutes first."""
    out: dict[int, list[int | datetime]] = {}
    for reminder in session.scalars(select(Reminder).where(
            Reminder.profile_id == profile_id, Reminder.state == ReminderState.PENDING)
            .order_by(Reminder.task_id, Reminder.offset_minutes.is_(None),
                      Reminder.offset_minutes, Reminder.fire_at)):
        out.setdefault(reminder.task_id, []).append(
            reminder.offset_minutes if reminder.offset_minutes is not None
            else reminder.snoozed_until or reminder.fire_at)
    return {task_id: tuple(found) for task_id, found in out.items()}


def _tasks(app: Momentum, all_profiles: bool) -> list[_Row]:
    """Every task in scope with its project, profile, tags and Taskwarrior uuid."""
    with app.db.reading() as session:
        profiles = common.profiles_in_scope(session, app.profile_id, all_profiles)
        out = []
        for profile in profiles:
            query = select(Task, Project.name, Project.is_inbox).join(
                Project, Project.id == Task.project_id).where(
                Task.profile_id == profile.id).order_by(Task.id)
            rows = list(session.execute(query))
            tags = tags_of(session, profile.id, [task.id for task, _n, _i in rows])
            uuids = _tw_uuids(session, profile.id)
            reminders = _reminders(session, profile.id)
            for task, name, is_inbox in rows:
                out.append(_Row(task, None if is_inbox else name, profile.name,
                                profile.timezone, tags.get(task.id, ()), uuids.get(task.id),
                                reminders.get(task.id, ())))
    return out


def _count(left_out: dict[str, int], reason: str) -> None:
    left_out[reason] = left_out.get(reason, 0) + 1


def simple_rule(rule: str | None) -> tuple[int, str] | None:
    """(interval, FREQ) for the rules both other formats can say."""
    match = _SIMPLE_RULE.match(rule or "")
    return (int(match.group(2) or 1), match.group(1)) if match else None


def tw_recur(rule: str, tz_name: str) -> tuple[str, str | None] | None:
    """A repeat rule as Taskwarrior's ``recur`` and ``until`` (the end of the ``UNTIL`` day
    in the profile's zone, in Taskwarrior's UTC form), or None when ``recur`` cannot say it:
    every FREQ with an INTERVAL, and weekdays; anything else (BYDAY, COUNT…) is beyond it."""
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";") if part)
    until = parts.pop("UNTIL", None)
    if parts.get("FREQ") == "WEEKLY" and parts.get("BYDAY") == WEEKDAYS and \
            parts.get("INTERVAL", "1") == "1":
        recur = "weekdays"
    elif set(parts) <= {"FREQ", "INTERVAL"} and parts.get("FREQ") in NAMED_RECUR and \
            parts.get("INTERVAL", "1").isdigit():
        interval = int(parts.get("INTERVAL", "1"))
        recur = NAMED_RECUR[parts["FREQ"]] if interval == 1 else \
            f"{interval}{UNITS[parts['FREQ']][1]}"
    else:
        return None
    if until is None:
        return recur, None
    day = until[:8]
    if not (len(day) == 8 and day.isdigit()):
        return None
    if until[8:]:  # a date-time UNTIL (UTC, RFC 5545): that instant
        return recur, until if until.endswith("Z") else None
    end = datetime.combine(datetime.strptime(day, "%Y%m%d").date(), time(23, 59, 59),
                           zone(tz_name))
    return recur, _tw(end)


def todotxt_line(task: Task, project: str | None, left_out: dict[str, int],
                 tags: tuple[str, ...] = (), reminders: int = 0) -> str:
    """The task as a todo.txt line (``reminders``: how many it has, which todo.txt cannot
    say); what the format cannot say is counted in ``left_out``."""
    parts: list[str] = []
    priority = PRIORITY_OF_COMPLEXITY.get(task.complexity)
    if task.status == Status.DONE:
        parts.append("x")
        if task.completed_at is not None:
            parts.append(task.completed_at.date().isoformat())
    elif priority:
        parts.append(f"({priority})")
    parts.append(task.created_at.date().isoformat())
    parts.append(" ".join(guarded_word(word) for word in task.title.split()))
    if project:
        token = "+" + project.replace(" ", "_")
        if token not in task.title.split():
            parts.append(token)
    words = {w.lower() for w in task.title.split()}
    parts += [f"@{tag}" for tag in tags if f"@{tag}".lower() not in words]
    if task.due_date is not None:
        parts.append(f"due:{task.due_date.isoformat()}")
        if task.due_time is not None:
            _count(left_out, "due times (todo.txt has dates only)")
    if task.hidden_until is not None:
        parts.append(f"t:{task.hidden_until.isoformat()}")
    if task.repeat_rule:
        simple = simple_rule(task.repeat_rule)
        if simple:
            parts.append(f"rec:+{simple[0]}{UNITS[simple[1]][0]}")
        else:
            _count(left_out, "repeat rules todo.txt cannot say")
    if task.repeat_after:  # without "+": that long after each completion
        parts.append(f"rec:{task.repeat_after}")
    if task.status == Status.DONE and priority:
        parts.append(f"pri:{priority}")
    if task.notes:
        _count(left_out, "notes (todo.txt has none)")
    if reminders:
        _count(left_out, "reminders (todo.txt has none)")
    parts.append(f"{OWN_KEY}:{task.id}")
    return " ".join(parts)


def export_todotxt(app: Momentum, out: str | Path, *, all_profiles: bool = False,
                   progress: common.ProgressCallback | None = None,
                   should_cancel: common.CancelCheck | None = None) -> TaskExportResult:
    return _export_tasks(
        app, out, "todotxt", "todo.txt", all_profiles, common.feedback(progress, should_cancel),
        lambda row, left_out: None if row.task.deleted_at is not None else todotxt_line(
            row.task, row.project, left_out, row.tags, len(row.reminders)),
        lambda lines: "".join(line + "\n" for line in lines))


def _export_tasks(app: Momentum, out: str | Path, format_name: str, default_name: str,
                  all_profiles: bool, hooks: common.Feedback,
                  entry: Callable[[_Row, dict[str, int]], str | None],
                  document: Callable[[list[str]], str]) -> TaskExportResult:
    """One file of every task: ``entry`` writes a task's text (None: left out; what it
    cannot say it counts in the dict it is given), ``document`` the file around them."""
    target = common.output_target(out, default_name)
    result = TaskExportResult(format_name, str(target))
    entries = [text for row in _tasks(app, all_profiles)
               if (text := entry(row, result.left_out)) is not None]
    hooks.check()
    with common.atomic_output(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(document(entries))
    result.rows["tasks"] = len(entries)
    return result


def _tw(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def task_uuid(profile: str, task_id: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"momentum:{profile}:{task_id}"))


def taskwarrior_task(row: _Row, left_out: dict[str, int]) -> dict[str, Any]:
    """The task as a Taskwarrior JSON object; what ``recur`` cannot say is counted in
    ``left_out``."""
    task, tz_name = row.task, row.timezone
    data: dict[str, Any] = {
        "uuid": row.tw_uuid or task_uuid(row.profile, task.id), "description": task.title,
        "status": "deleted" if task.deleted_at is not None else
        ("completed" if task.status == Status.DONE else "pending"),
        "entry": _tw(task.created_at), "modified": _tw(task.updated_at),
    }
    if task.deleted_at is not None:
        data["end"] = _tw(task.deleted_at)
    elif task.status == Status.DONE:
        data["end"] = _tw(task.completed_at or task.updated_at)
    if task.due_date is not None:
        data["due"] = _tw(task.due_at or datetime.combine(task.due_date, time(0), zone(tz_name)))
        if task.due_time is not None:
            data["momentum_due_time"] = task.due_time
    if task.hidden_until is not None:  # local midnight of the day it shows again
        data["wait"] = _tw(datetime.combine(task.hidden_until, time(0), zone(tz_name)))
    if row.project:
        data["project"] = row.project
    if row.tags:
        data["tags"] = list(row.tags)
    if task.complexity in TW_PRIORITY:
        data["priority"] = TW_PRIORITY[task.complexity]
    if task.repeat_rule:
        if data["status"] == "pending":  # a finished task repeats nowhere
            said = tw_recur(task.repeat_rule, tz_name) if task.due_date is not None else None
            if said is None:
                _count(left_out, TW_UNSAID_RULE)
            else:
                data["recur"] = said[0]
                if said[1] is not None:
                    data["until"] = said[1]
        data["momentum_repeat"] = task.repeat_rule
    if task.repeat_after:  # Taskwarrior's recur is a schedule; kept for Momentum alone
        data["momentum_repeat_after"] = task.repeat_after
    data["momentum_id"] = task.id
    data["momentum_complexity"] = task.complexity
    if task.notes:
        data["momentum_notes"] = task.notes
    if row.reminders:
        data["momentum_reminders"] = common.reminders_text(row.reminders)
    return data


def export_taskwarrior(app: Momentum, out: str | Path, *, all_profiles: bool = False,
                       progress: common.ProgressCallback | None = None,
                       should_cancel: common.CancelCheck | None = None) -> TaskExportResult:
    return _export_tasks(
        app, out, "taskwarrior", "taskwarrior.json", all_profiles,
        common.feedback(progress, should_cancel),
        lambda row, left_out: json.dumps(taskwarrior_task(row, left_out), ensure_ascii=False),
        lambda rows: "[\n" + ",\n".join(rows) + ("\n" if rows else "") + "]\n")
