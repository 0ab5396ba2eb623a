"""todo.txt (https://github.com/todotxt/todo.txt) → tasks, one task per non-empty line.

``x 2026-01-10 2026-01-02 (A) Call Mom +Family @phone due:2026-01-12 rec:1w``

* ``x`` → done, with its completion date (noon local time; without one, now);
* ``(A)``/``(B)``/``(C)`` → complexity 5/4/3, any other or none → 1 (a done task's
  priority may also be kept as ``pri:A``);
* the creation date → created;
* the first ``+project`` → the task's project (created when missing);
* ``@contexts`` → tags; ``+projects``, ``@contexts`` and any other ``key:value`` are kept
  in the notes, so nothing is lost; ``due:YYYY-MM-DD`` → due date; ``rec:`` (``1w``, ``3d``, ``2m``, ``1y``,
  ``1b``) → a repeat rule;
* the title is the text without those tokens.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import ValidationError
from ..exports.common import Feedback
from ..services import validation as v
from . import common
from .common import ImportPlan, TaskRecord

PRIORITY_COMPLEXITY = {"A": 5, "B": 4, "C": 3}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+|$)")
_LOOSE_DATE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s+|$)")
_PRIORITY = re.compile(r"^\(([A-Z])\)(?:\s+|$)")
_KEY_VALUE = re.compile(r"^([A-Za-z][\w-]*):(\S+)$")


def _take_date(rest: str, field_name: str) -> tuple[str | None, str]:
    match = _LOOSE_DATE.match(rest)
    if not match:
        return None, rest
    text = match.group(1)
    if not _DATE.match(rest):
        raise ValidationError(field_name, f"not a date (YYYY-MM-DD): {text!r}")
    return text, rest[match.end():]


def _noon(text: str | None, field_name: str, tz_name: str) -> datetime | None:
    day = v.optional_date(text, field_name) if text else None
    return common.local_noon(day, tz_name) if day else None


def task_record(line: int, raw: str, tz_name: str) -> TaskRecord:
    rest = raw.strip()
    done = False
    completed = created = None
    priority = None
    if rest.startswith("x ") or rest == "x":
        done = True
        rest = rest[2:].lstrip()
        completed, rest = _take_date(rest, "completed")
        if completed is not None:
            created, rest = _take_date(rest, "created")
    match = _PRIORITY.match(rest)
    if match:
        priority = match.group(1)
        rest = rest[match.end():]
    if created is None:
        created, rest = _take_date(rest, "created")
    words, kept, contexts = [], [], []
    project = None
    due = repeat = None
    for token in rest.split():
        if len(token) > 1 and token[0] == "+":
            project = project or token[1:]
            kept.append(token)
        elif len(token) > 1 and token[0] == "@":
            kept.append(token)
            contexts.append(token[1:])
        elif (kv := _KEY_VALUE.match(token)) and "//" not in token:
            key, value = kv.group(1).lower(), kv.group(2)
            if key == "due":
                due = v.optional_date(value, "due")
            elif key == "rec":
                repeat = common.recurrence_rule(value, "rec")
            elif key == "pri" and done and priority is None and len(value) == 1:
                priority = value.upper()
            else:
                kept.append(token)
        else:
            words.append(token)
    title = " ".join(words) or " ".join(kept) or rest.strip()
    record = TaskRecord(
        line=line, title=title, notes=" ".join(kept), project=project,
        complexity=PRIORITY_COMPLEXITY.get(priority or "", 1), due=due, repeat=repeat,
        status="done" if done else "open",
        created_at=_noon(created, "created", tz_name), tags=contexts,
    )
    if done:
        record.completed_at = _noon(completed, "completed", tz_name)
    if record.repeat and record.due is None and record.status == "open":
        record.due = (record.created_at.date() if record.created_at else None)
    return record.validate()


def parse_todotxt(text: str, tz_name: str, hooks: Feedback | None = None) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("todotxt")
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        with common.located(f"line {number}"):
            plan.tasks.append(task_record(number, raw, tz_name))
        if number % 2000 == 0:
            hooks.check()
            hooks.report("parse", number, None)
    return plan
