"""Taskwarrior's ``task export`` (JSON) → tasks.

Both shapes ``task export`` has produced are read: a JSON array with one task per line
(2.6+), and bare objects one per line (older versions). Every error names its line.

Mapping:

* ``description`` → title; ``project`` ``Home.Garden`` → project ``Home.Garden``
  (created when missing; the dotted name is kept as it is);
* ``tags`` → the task's tags (and a first notes line ``#tag #other``); ``annotations`` → notes lines
  ``2026-11-21: text``; an unknown ``priority`` value is kept in the notes too;
* ``priority`` H/M/L → complexity 4/3/2 (none → 1);
* ``due`` (``20261121T120000Z``) → the due date in the profile's zone;
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
        head = line.lstrip()
        if head.startswith("{"):
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


def tw_instant(value: object, field_name: str) -> datetime:
    """Taskwarrior's ``20261121T120000Z`` (ISO 8601 with an offset is accepted too)."""
    if not isinstance(value, str):
        raise ValidationError(field_name, f"not a Taskwarrior date: {value!r}")
    text = value.strip()
    try:
        # 3.11's fromisoformat reads the basic format (20261121T120000Z) in C.
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            raise ValueError
    except ValueError:
        raise ValidationError(field_name, f"not a date (YYYYMMDDTHHMMSSZ): {value!r}") from None
    return common.aware_instant(parsed, field_name)


def _text(task: dict[str, Any], key: str) -> str | None:
    value = task.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(key, "must be text")
    return value


def task_record(line: int, task: dict[str, Any], tz_name: str) -> TaskRecord:
    """One Taskwarrior task as a record (validated; errors name the field)."""
    status = task.get("status", "pending")
    if status not in STATUSES:
        raise ValidationError("status", f"unknown Taskwarrior status {status!r}")
    description = _text(task, "description")
    if description is None:
        raise ValidationError("description", "missing")
    notes: list[str] = []
    tags = task.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("tags", "must be a list of words")
    if tags:
        notes.append(" ".join(f"#{tag}" for tag in tags))
    priority = task.get("priority")
    complexity = 1
    if priority is not None:
        if not isinstance(priority, str):
            raise ValidationError("priority", f"not a priority: {priority!r}")
        complexity = PRIORITY_COMPLEXITY.get(priority.upper(), 1)
        if priority.upper() not in PRIORITY_COMPLEXITY and priority.strip():
            notes.append(f"priority: {priority}")
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise ValidationError("annotations", "must be a list")
    for index, note in enumerate(annotations):
        if not isinstance(note, dict) or not isinstance(note.get("description"), str):
            raise ValidationError(f"annotations[{index}]", "needs a description")
        when = tw_instant(note["entry"], f"annotations[{index}].entry") \
            if note.get("entry") is not None else None
        prefix = f"{when.astimezone(zone(tz_name)).date().isoformat()}: " if when else ""
        notes.append(prefix + note["description"])
    due = None
    if task.get("due") is not None:
        due = tw_instant(task["due"], "due").astimezone(zone(tz_name)).date()
    entry = tw_instant(task["entry"], "entry") if task.get("entry") is not None else None
    modified = tw_instant(task["modified"], "modified") \
        if task.get("modified") is not None else None
    end = tw_instant(task["end"], "end") if task.get("end") is not None else None
    record = TaskRecord(line=line, title=description, notes="\n".join(notes), tags=tags,
                        project=_text(task, "project") or None, complexity=complexity,
                        due=due, created_at=entry, updated_at=modified or entry)
    if status == "completed":
        record.status = "done"
        record.completed_at = end or modified or entry
    elif status == "deleted":
        record.deleted_at = end or modified or entry or datetime.now(UTC)
    elif status == "recurring":
        recur = _text(task, "recur")
        if not recur:
            raise ValidationError("recur", "missing for a recurring task")
        record.repeat = common.recurrence_rule(recur)
    return record.validate()


def parse_taskwarrior(text: str, tz_name: str, hooks: Feedback | None = None) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("taskwarrior")
    parents: dict[str, TaskRecord] = {}
    children: list[tuple[str, int, dict[str, Any]]] = []
    ordered: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for count, (line, task) in enumerate(json_items(text), start=1):
        where = f"line {line}"
        if not isinstance(task, dict):
            raise ValidationError(where, "not a Taskwarrior task (expected a JSON object)")
        uuid = task.get("uuid")
        if uuid is not None:
            if not isinstance(uuid, str):
                raise common.fail(where, "uuid", "must be text")
            if uuid in seen:
                raise common.fail(where, "uuid", f"duplicate task {uuid}")
            seen.add(uuid)
        ordered.append((line, task))
        if count % 2000 == 0:
            hooks.check()
            hooks.report("parse", count, None)
    for line, task in ordered:
        with common.located(f"line {line}"):
            parent = task.get("parent")
            if task.get("status") == "recurring":
                record = task_record(line, task, tz_name)
                parents[str(task.get("uuid"))] = record
                plan.tasks.append(record)
            elif parent is not None and task.get("status", "pending") in ("pending", "waiting"):
                children.append((str(parent), line, task))
            else:
                record = task_record(line, task, tz_name)
                plan.tasks.append(record)
    next_due: dict[str, date] = {}
    for parent_uuid, line, task in children:
        with common.located(f"line {line}"):
            record = task_record(line, task, tz_name)
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
            record.due = (record.created_at or datetime.now(UTC)).astimezone(
                zone(tz_name)).date()
    return plan
