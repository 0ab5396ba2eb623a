"""TickTick's CSV backup (Settings → Backup & Import → Generate backup) → tasks and goals.

The file starts with preamble lines (``"Date: 2026-12-01+0000"``, ``"Version: 7.1"``, a
``"Status:`` legend), then the header ``"Folder Name","List Name","Title","Kind",
"Tags","Content","Is Check list","Start Date","Due Date","Reminder","Repeat","Priority",
"Status","Created Time","Completed Time",…,"taskId","parentId"``.

* ``List Name`` → project (``Inbox`` → the inbox); ``Title`` → title; ``Content`` → notes;
  ``Tags`` → tags; ``Start Date`` → a notes line;
* ``Reminder`` (RFC 5545 durations before the due, ``-PT30M,-P1D``; ``PT0S`` at the due)
  → reminders, by the iCalendar alarms' conversion (:mod:`.alarms`); one of a task
  without a due, or one that cannot be read, stays a notes line and is listed as skipped;
* ``Due Date`` → due date (in the row's ``Timezone``), with its time unless ``Is All
  Day``; ``Repeat`` (an RRULE) → repeat rule;
* ``Priority`` 5/3/1/0 (high/medium/low/none) → complexity 4/3/2/1;
* ``Status`` 0 → open, 1 (completed) and 2 (archived) → done at ``Completed Time``
  (history); a checklist (``Kind`` CHECKLIST, its items in ``Content`` as ``▫`` open and
  ``▪`` or ``✓`` done lines) or a task other rows name as ``parentId`` → a goal with
  steps; what a goal cannot hold (tags, reminders, the repeat rule, a sub-task's notes)
  stays in its notes and is listed as skipped (:mod:`.goal_records`);
* identity: ``taskId``.
"""

from __future__ import annotations

from datetime import date, datetime

from ..clock import zone
from ..exports.common import Feedback
from ..kinds import Status
from ..services.planning import tag_names
from . import alarms, common, goal_records
from .common import ImportPlan, StepRecord, TaskRecord
from .csv_import import csv_rows

PRIORITY_COMPLEXITY = {"5": 4, "3": 3, "1": 2, "0": 1}
#: A checklist item's first character: ``▫`` open, ``▪`` done (as other importers of the
#: backup read it, e.g. Mindwtr's ticktick-import.ts), and ``✓`` also read as done.
CHECKED, UNCHECKED = ("✓", "▪"), "▫"


def _when(text: str, field_name: str, tz_name: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return common.parse_instant_in(text, field_name, tz_name, f"not a date-time: {text!r}")
    return common.instant_in(value, field_name, tz_name)


def _zone(name: str, default: str) -> str:
    try:
        zone(name)
        return name
    except Exception:  # noqa: BLE001 - an unknown zone name: the profile's
        return default


def _checklist(content: str) -> tuple[list[StepRecord], str]:
    steps, rest = [], []
    for line in content.splitlines():
        stripped = line.strip()
        if stripped.startswith((*CHECKED, UNCHECKED)):
            steps.append(StepRecord(stripped[1:].strip() or "Step",
                                    Status.DONE if stripped.startswith(CHECKED) else Status.OPEN))
        elif stripped:
            rest.append(line)
    return steps, "\n".join(rest)


def _record(line: int, row: dict[str, str], tz_name: str, plan: ImportPlan
            ) -> tuple[TaskRecord, list[StepRecord]]:
    """The row as a task, and the items of its checklist (a CHECKLIST row's content)."""
    tz = _zone(row.get("timezone", "").strip(), tz_name)
    listed: list[StepRecord] = []
    content = row.get("content", "")
    if row.get("kind", "").strip().upper() == "CHECKLIST":
        listed, content = _checklist(content)
    notes = [content]
    tags = [t.strip() for t in row.get("tags", "").split(",") if t.strip()]
    odd = [t for t in tags if not tag_names([t], lenient=True)]
    if odd:  # not one word: kept readable in the notes
        notes.insert(0, " ".join(f"#{t.replace(' ', '_')}" for t in odd))
    if row.get("start date", "").strip():
        notes.append(f"Starts: {row['start date'].strip()}")
    due_at = _when(row.get("due date", ""), "Due Date", tz)
    due: date | None = due_at.astimezone(zone(tz)).date() if due_at else None
    due_time = None
    if due_at is not None and row.get("is all day", "").strip().lower() == "false":
        local = due_at.astimezone(zone(tz_name))  # a timed due: the profile's wall time
        due, due_time = local.date(), f"{local:%H:%M}"
    reminders = alarms.offsets(row.get("reminder", ""), has_due=due is not None)
    if reminders.kept:
        notes.append(f"Reminder: {', '.join(reminders.kept)}")
    for reason in reminders.reasons:
        plan.skip(reason)
    repeat = row.get("repeat", "").strip().removeprefix("RRULE:") or None
    status = row.get("status", "0").strip()
    project = row.get("list name", "").strip() or None
    record = TaskRecord(
        line=line, title=common.title_or_untitled(row.get("title")),
        notes=common.joined_notes(notes),
        project=None if project and project.lower() == "inbox" else project,
        complexity=PRIORITY_COMPLEXITY.get(row.get("priority", "").strip(), 1), due=due,
        due_time=due_time, reminders=list(reminders.minutes),
        repeat=repeat, tags=tags,
        created_at=_when(row.get("created time", ""), "Created Time", tz),
        source_id=row.get("taskid", "").strip() or None)
    if status in ("1", "2"):
        record.status = Status.DONE
        record.completed_at = _when(row.get("completed time", ""), "Completed Time", tz)
    return record, listed


def parse_ticktick(text: str, tz_name: str, hooks: Feedback | None = None, *,
                   now: datetime) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("ticktick")
    rows: list[tuple[int, dict[str, str], TaskRecord, list[StepRecord]]] = []
    for line, row in csv_rows(text, ("Title", "List Name", "Status"), what="TickTick backup",
                              skip_until="Folder Name"):
        with common.located(f"line {line}"):
            rows.append((line, row, *_record(line, row, tz_name, plan)))
    children: dict[str, list[TaskRecord]] = {}
    ids = {r.source_id for _, _, r, _ in rows if r.source_id}
    for _, row, record, _ in rows:
        parent = row.get("parentid", "").strip()
        if parent and parent in ids:
            children.setdefault(parent, []).append(record)
    for line, row, record, listed in rows:
        if row.get("parentid", "").strip() in ids:
            continue
        subtasks = children.get(record.source_id or "", [])
        with common.located(f"line {line}"):
            if not listed and not subtasks:
                plan.tasks.append(record.validate())
                continue
            plan.goals.append(goal_records.goal_of(record, listed, plan, tz_name,
                                                   subtasks=subtasks))
        plan.notice("checklists and tasks with sub-tasks imported as goals with steps")
        hooks.check()
    return plan
