"""Taskwarrior's ``task export`` (JSON) → tasks.

Both shapes ``task export`` has produced are read: a JSON array with one task per line
(2.6+), and bare objects one per line (older versions). Every error names its line.

Mapping:

* ``description`` → title; ``project`` ``Home.Garden`` → project ``Home.Garden``
  (created when missing; the dotted name is kept as it is);
* ``tags`` → the task's tags (one that is not a single word: a notes line ``#two words``);
  ``annotations`` → notes lines
  ``2026-11-21: text``; an unknown ``priority`` value is kept in the notes too;
* ``priority`` H/M/L → complexity 4/3/2 (none → 1);
* ``due`` (``20261121T120000Z``) → the due date in the profile's zone, with its time of
  day unless that is local midnight (Taskwarrior's date alone);
* ``wait`` and ``scheduled`` → hidden until the later of the two days (local), out of
  the task lists before it; ``start`` → a "Started" notes line;
* ``entry`` → created, ``modified`` → updated, ``end`` → completed (or deleted);
* ``status``: ``pending`` and ``waiting`` → open; ``completed`` → done (history, no points
  unless ``--award``); ``deleted`` → a deleted task (restorable);
  ``recurring`` (the parent of a series) → one task repeating by its ``recur`` rule, due
  on the first pending instance; the pending instances themselves are folded into it,
  completed instances become history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from ..clock import zone
from ..errors import ValidationError
from ..exports.common import Feedback
from ..kinds import Status
from ..services.validation import is_tag
from . import common
from .common import ImportPlan, TaskRecord

PRIORITY_COMPLEXITY = {"H": 4, "M": 3, "L": 2}
STATUSES = ("pending", "waiting", "completed", "deleted", "recurring")


def json_items(text: str) -> Iterator[tuple[int, Any]]:
    """The values of a JSON array (or of concatenated JSON values), each with its line.

    A well-formed array is parsed whole by the C decoder and its items' lines are found
    by a cheap scan (``task export`` writes one task per line); anything else is walked
    value by value, so a syntax error names its line."""
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            try:
                values = json.loads(text)
            except json.JSONDecodeError:
                values = None  # walk it below to name the line
            if isinstance(values, list):
                lines = _item_lines(text, len(values))
                if lines is not None:
                    yield from zip(lines, values, strict=True)
                    return
        yield from _walk_items(text)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else (
            "a number too long" if "digits" in str(exc) else str(exc))
        raise ValidationError("line 1", f"unreadable JSON ({reason})") from None


def _item_lines(text: str, count: int) -> list[int] | None:
    """The line of each item when the array has one item per line (``task export``)."""
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("{") or line.lstrip().startswith("{"):
            lines.append(number)
    return lines if len(lines) == count else None


def _walk_items(text: str) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    length = len(text)
    line, counted = 1, 0

    def line_at(position: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, position)
        counted = position
        return line

    def skip(position: int) -> int:
        while position < length and text[position] in " \t\r\n":
            position += 1
        return position

    def decode(position: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            if exc.pos >= length - 1:
                raise ValidationError(f"line {exc.lineno}", "the file ends in the middle of a "
                                      "task (truncated?)") from None
            raise ValidationError(f"line {exc.lineno}",
                                  f"invalid JSON: {exc.msg} (column {exc.colno})") from None

    position = skip(0)
    if position >= length:
        return
    if text[position] == "[":
        position = skip(position + 1)
        if position < length and text[position] == "]":
            return
        while True:
            if position >= length:
                raise ValidationError(f"line {line_at(length)}",
                                      "the file ends before the closing ] (truncated?)")
            start = position
            value, position = decode(position)
            yield line_at(start), value
            position = skip(position)
            if position >= length:
                raise ValidationError(f"line {line_at(length)}",
                                      "the file ends before the closing ] (truncated?)")
            if text[position] == ",":
                position = skip(position + 1)
            elif text[position] == "]":
                rest = skip(position + 1)
                if rest < length:
                    raise ValidationError(f"line {line_at(rest)}",
                                          "unexpected text after the closing ]")
                return
            else:
                raise ValidationError(f"line {line_at(position)}",
                                      f"invalid JSON: expected ',' or ']', got "
                                      f"{text[position]!r}")
    else:
        while position < length:
            start = position
            value, position = decode(position)
            yield line_at(start), value
            position = skip(position)
            if position < length and text[position] == ",":
                position = skip(position + 1)


def tw_instant(value: object, field_name: str, tz_name: str = "UTC") -> datetime:
    """Taskwarrior's ``20261121T120000Z``; also what other writers and older versions put
    there: ISO 8601 with an offset, epoch seconds (``"1234567889"`` or a number), and a
    date-time without a zone (read in the profile's zone)."""
    if not isinstance(value, str):  # text first: what `task export` writes
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _epoch(value, field_name)
        raise ValidationError(field_name, f"not a Taskwarrior date: {value!r}")
    text = value.strip()
    if text.isdigit() and len(text) <= 12 and not (len(text) == 8 and text[:2] in ("19", "20")):
        return _epoch(int(text), field_name)
    # 3.11's fromisoformat reads the basic format (20261121T120000Z) in C.
    return common.parse_instant_in(text, field_name, tz_name,
                                   f"not a date (YYYYMMDDTHHMMSSZ): {value!r}")


def _epoch(seconds: float, field_name: str) -> datetime:
    try:
        when = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValidationError(field_name, f"not a date: {seconds!r}") from None
    return common.aware_instant(when, field_name)


def _text(task: dict[str, Any], key: str) -> str | None:
    value = task.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(key, "must be text")
    return value


#: Attributes Taskwarrior itself defines; anything else is a user-defined attribute (UDA).
CORE_KEYS = frozenset({
    "id", "uuid", "description", "status", "entry", "modified", "end", "due", "project",
    "tags", "priority", "annotations", "recur", "parent", "mask", "imask", "urgency", "wait",
    "scheduled", "until", "depends", "start", "rtype", "template", "last"})
#: Dates shown in the notes (Momentum has no in-progress state).
NOTE_DATES = (("start", "Started"),)
#: Dates that hide a task until then: the later of the two becomes ``hidden_until``.
HIDING_DATES = ("wait", "scheduled")


def _depends(task: dict[str, Any]) -> list[str]:
    """``depends``: a list of uuids (2.6+) or one comma-separated string (older)."""
    value = task.get("depends")
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(u, str) for u in value):
        return list(value)
    raise ValidationError("depends", "must be a list of task uuids")


def _local_date(value: object, field_name: str, tz_name: str) -> str:
    return tw_instant(value, field_name, tz_name).astimezone(zone(tz_name)).date().isoformat()


def _hiding_day(value: object, field_name: str, tz_name: str) -> date:
    """``wait``/``scheduled`` as a local day; ``someday`` (year 9999) is kept as "someday"."""
    if isinstance(value, str) and len(value) >= 8 and value[:4].isdigit() \
            and int(value[:4]) > common.MAX_YEAR:
        return common.SOMEDAY
    return common.hiding_day(date.fromisoformat(_local_date(value, field_name, tz_name)),
                             field_name)


def task_record(line: int, task: dict[str, Any], tz_name: str,
                titles: dict[str, str] | None = None, plan: ImportPlan | None = None,
                *, now: datetime) -> TaskRecord:
    """One Taskwarrior task as a record (validated; errors name the field).

    ``titles`` (uuid → description) names the tasks a ``depends`` points at; ``now``
    (the injected clock) stamps a deletion the file gives no date for."""
    status = task.get("status", "pending")
    if status not in STATUSES:
        raise ValidationError("status", f"unknown Taskwarrior status {status!r}")
    description = _text(task, "description")
    if description is None:
        raise ValidationError("description", "missing")
    notes: list[str] = []
    tags = task.get("tags") or []
    if isinstance(tags, str):
        tags = [t for t in tags.split(",") if t]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("tags", "must be a list of words")
    odd = [tag for tag in tags if not is_tag(tag)]
    if odd:  # not one word: kept readable in the notes
        notes.append(" ".join(f"#{tag}" for tag in odd))
    priority = task.get("priority")
    complexity = 1
    if priority is not None:
        if not isinstance(priority, str):
            raise ValidationError("priority", f"not a priority: {priority!r}")
        complexity = PRIORITY_COMPLEXITY.get(priority.upper(), 1)
        if priority.upper() not in PRIORITY_COMPLEXITY and priority.strip():
            notes.append(f"priority: {priority}")
    for key, label in NOTE_DATES:
        if task.get(key) is not None:
            notes.append(f"{label}: {_local_date(task[key], key, tz_name)}")
    hiding = [_hiding_day(task[key], key, tz_name) for key in HIDING_DATES
              if task.get(key) is not None]
    blocked = _depends(task)
    if blocked:
        names = [(titles or {}).get(u, u) for u in blocked]
        notes.append("Blocked by: " + "; ".join(names))
    rest = task.keys() - CORE_KEYS
    extra = sorted(k for k in rest if not k.startswith("momentum_"))
    ours = len(extra) < len(rest)  # Momentum's own export: its momentum_* keys
    for key in extra:
        value = task[key]
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        notes.append(f"{key}: {shown}")
        if plan is not None:
            plan.notice(f"user-defined attribute {key!r} kept in the notes")
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise ValidationError("annotations", "must be a list")
    for index, note in enumerate(annotations):
        if not isinstance(note, dict) or not isinstance(note.get("description"), str):
            raise ValidationError(f"annotations[{index}]", "needs a description")
        when = tw_instant(note["entry"], f"annotations[{index}].entry", tz_name) \
            if note.get("entry") is not None else None
        prefix = f"{when.astimezone(zone(tz_name)).date().isoformat()}: " if when else ""
        notes.append(prefix + note["description"])
    due = due_time = None
    if task.get("due") is not None:
        local = tw_instant(task["due"], "due", tz_name).astimezone(zone(tz_name))
        due = local.date()
        if (local.hour, local.minute) != (0, 0):  # a time of day, not a date alone
            due_time = f"{local:%H:%M}"
        if not common.MIN_YEAR <= due.year <= common.MAX_YEAR:
            raise ValidationError("due", f"year out of range: {due.year}")
    entry = tw_instant(task["entry"], "entry", tz_name) if task.get("entry") is not None \
        else None
    modified = tw_instant(task["modified"], "modified", tz_name) \
        if task.get("modified") is not None else None
    end = tw_instant(task["end"], "end", tz_name) if task.get("end") is not None else None
    uuid = task.get("uuid")
    if ours and isinstance(task.get("momentum_notes"), str):
        notes.append(task["momentum_notes"])
    if ours and task.get("momentum_complexity") in (1, 2, 3, 4, 5):
        complexity = task["momentum_complexity"]
    record = TaskRecord(line=line, title=description, notes="\n".join(notes), tags=tags,
                        project=_text(task, "project") or None, complexity=complexity,
                        due=due, due_time=due_time, created_at=entry,
                        updated_at=modified or entry,
                        source_id=uuid if isinstance(uuid, str) and uuid else None,
                        hidden_until=max(hiding) if hiding else None)
    if status == "completed":
        record.status = Status.DONE
        record.completed_at = end or modified or entry
    elif status == "deleted":
        record.deleted_at = end or modified or entry or now
    elif status == "recurring" or (task.get("parent") is None and task.get("recur")):
        recur = _text(task, "recur")
        if not recur:
            raise ValidationError("recur", "missing for a recurring task")
        record.repeat = common.recurrence_rule(recur)
        if task.get("until") is not None:
            until = tw_instant(task["until"], "until", tz_name).astimezone(zone(tz_name))
            record.repeat += f";UNTIL={until.strftime('%Y%m%d')}"
    if ours:
        _own_fields(task, status, record)
    if record.source_id is None:  # tasklib's raw export: the text and entry identify it
        record.source_id = f"text:{description.strip()}|{task.get('entry', '')}"
    return record.validate()


def _own_fields(task: dict[str, Any], status: str, record: TaskRecord) -> None:
    """What only Momentum's own export writes (``momentum_*`` keys)."""
    if isinstance(task.get("momentum_repeat"), str) and status in ("pending", "waiting",
                                                                   "recurring"):
        record.repeat = task["momentum_repeat"]
    if isinstance(task.get("momentum_repeat_after"), str) and status in ("pending", "waiting"):
        record.repeat_after = task["momentum_repeat_after"]
    if isinstance(task.get("momentum_due_time"), str) and record.due is not None:
        record.due_time = task["momentum_due_time"]
    if isinstance(task.get("momentum_id"), int) and not isinstance(task["momentum_id"], bool):
        record.own_id = task["momentum_id"]
    if isinstance(task.get("momentum_reminders"), str) and status in ("pending", "waiting"):
        record.reminders = common.reminders_from_text(task["momentum_reminders"],
                                                      "momentum_reminders")


DUPLICATE_UUID = "duplicated uuid (imported once: the later entry, as task import does)"
FINISHED_SERIES = "finished recurring series (its template is not kept)"


def parse_taskwarrior(text: str, tz_name: str, hooks: Feedback | None = None, *,
                      now: datetime) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("taskwarrior")
    parents: dict[str, TaskRecord] = {}
    children: list[tuple[str, int, dict[str, Any]]] = []
    by_uuid: dict[str, int] = {}
    ordered: list[tuple[int, dict[str, Any]] | None] = []
    for count, (line, task) in enumerate(json_items(text), start=1):
        where = f"line {line}"
        if not isinstance(task, dict):
            raise ValidationError(where, "not a Taskwarrior task (expected a JSON object)")
        uuid = task.get("uuid")
        if uuid is not None:
            if not isinstance(uuid, str):
                raise common.fail(where, "uuid", "must be text")
            if uuid in by_uuid:
                if not text.lstrip().startswith("["):
                    # Bare objects repeating a uuid are a hook's input (the task before
                    # and after a change), not what `task export` writes.
                    raise common.fail(where, "uuid", f"the same task {uuid} twice: this "
                                      "looks like a Taskwarrior hook's input, not an export")
                ordered[by_uuid[uuid]] = None
                plan.skip(DUPLICATE_UUID)
            by_uuid[uuid] = len(ordered)
        ordered.append((line, task))
        if count % 2000 == 0:
            hooks.check()
            hooks.report("parse", count, None)
    tasks = [item for item in ordered if item is not None]
    titles = {t["uuid"]: str(t.get("description")) for _, t in tasks
              if isinstance(t.get("uuid"), str)}
    endings: list[tuple[datetime, TaskRecord]] = []
    pending_children = {str(t.get("parent")) for _, t in tasks if t.get("parent") is not None
                        and t.get("status", "pending") in ("pending", "waiting")}
    for line, task in tasks:
        with common.located(f"line {line}"):
            parent = task.get("parent")
            if task.get("status") == "recurring":
                record = task_record(line, task, tz_name, titles, plan, now=now)
                if task.get("until") is not None and \
                        str(task.get("uuid")) not in pending_children:
                    endings.append((tw_instant(task["until"], "until", tz_name), record))
                parents[str(task.get("uuid"))] = record
                plan.tasks.append(record)
            elif parent is not None and task.get("status", "pending") in ("pending", "waiting"):
                children.append((str(parent), line, task))
            else:
                record = task_record(line, task, tz_name, titles, plan, now=now)
                plan.tasks.append(record)
    # A series whose `until` passed before the file was written (its latest change) and
    # that has no pending instance left is finished: no stale template is kept.
    latest = max((stamp for stamp in (r.updated_at or r.completed_at or r.created_at
                                      for r in plan.tasks) if stamp is not None),
                 default=None)
    for until, record in endings:
        if latest is not None and until <= latest:
            plan.tasks.remove(record)
            parents = {k: r for k, r in parents.items() if r is not record}
            plan.skip(FINISHED_SERIES)
    next_due: dict[str, date] = {}
    for parent_uuid, line, task in children:
        with common.located(f"line {line}"):
            record = task_record(line, task, tz_name, titles, plan, now=now)
            series = parents.get(parent_uuid)
            if series is None:  # an instance whose template is not in the file
                recur = task.get("recur")
                if isinstance(recur, str) and recur:
                    record.repeat = common.recurrence_rule(recur)
                plan.tasks.append(record)
                continue
            if record.due is not None:
                first = next_due.get(parent_uuid)
                next_due[parent_uuid] = record.due if first is None else min(first, record.due)
            plan.skip("pending instances folded into their repeating task")
    for parent_uuid, due in next_due.items():
        parents[parent_uuid].due = due  # the series goes on from its first pending instance
    # A series keeps the order of its template; every recurring template needs a due date.
    for record in parents.values():
        if record.due is None:
            record.due = (record.created_at or now).astimezone(
                zone(tz_name)).date()
    return plan
