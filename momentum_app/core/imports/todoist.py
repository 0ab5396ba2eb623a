"""Todoist's CSV (a project exported as a template, "Export as a template" → CSV) and its
backup (Settings → Backups: a zip holding one such CSV per project) → tasks and goals.

Columns: ``TYPE`` (``task``, ``section``, ``note``, ``meta``), ``CONTENT``, ``DESCRIPTION``,
``PRIORITY`` (1 = p1, the highest … 4 = p4), ``INDENT`` (1 a task, 2+ its sub-tasks),
``DATE`` (Todoist's own words: ``2026-12-05``, ``every monday``, ``tomorrow``),
``AUTHOR``, ``RESPONSIBLE``, ``DURATION``…; ``@label`` words in ``CONTENT`` are labels.

* a task → a task in the project named like the file (``Groceries.csv`` → Groceries, the
  backup's ``Groceries [2203309823].csv`` likewise); its section → a "Section:" notes line;
  ``note`` rows (comments) → notes lines of the task above;
* a task with sub-tasks → a goal whose steps are the sub-tasks;
* ``@label`` words → tags (taken out of the title, as Todoist shows it);
* ``PRIORITY`` 1/2/3/4 → complexity 4/3/2/1; a ``DATE`` that is an ISO date → due date,
  ``YYYY-MM-DD HH:MM`` → due date and time, ``every …`` that Momentum can read (``every
  day``, ``every 2 weeks``, ``every monday, friday``) → a repeat rule; the words themselves stay as
  a "Date: …" notes line;
* identity: the project, section and the task's text (the template carries no ids); the
  same text twice is two tasks.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from ..errors import ValidationError
from ..exports.common import Feedback
from . import common
from .common import ImportPlan, TaskRecord, decode_utf8
from .csv_import import csv_rows
from .goal_records import goal_of

PRIORITY_COMPLEXITY = {"1": 4, "2": 3, "3": 2, "4": 1}
_ID_SUFFIX = re.compile(r"\s*\[\d+\]$")
_EVERY = re.compile(r"^every\s+(?:(\d+)\s+)?(day|days|week|weeks|month|months|year|years)$")


@dataclass
class _Task:
    record: TaskRecord
    children: list[TaskRecord] = field(default_factory=list)


_WEEKDAYS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH",
             "friday": "FR", "saturday": "SA", "sunday": "SU", "mon": "MO", "tue": "TU",
             "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


def _repeat(words: str) -> str | None:
    text = words.strip().lower()
    days = [d.strip() for d in text.removeprefix("every ").replace(" and ", ",").split(",")]
    if text.startswith("every ") and days and all(d in _WEEKDAYS for d in days):
        return "FREQ=WEEKLY;BYDAY=" + ",".join(_WEEKDAYS[d] for d in days)
    if text in ("every day", "daily"):
        return "FREQ=DAILY"
    if text in ("every weekday", "every workday"):
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    match = _EVERY.match(text)
    if match:
        unit = match.group(2).rstrip("s")
        return common.recurrence_rule(f"{match.group(1) or 1}{unit[0]}")
    return None


def _project(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return _ID_SUFFIX.sub("", stem).strip() or "Todoist"


def _parse_one(text: str, project: str | None, plan: ImportPlan, prefix: str,
               tz_name: str) -> None:
    section = ""
    tasks: list[_Task] = []
    seen: dict[str, int] = {}
    for line, row in csv_rows(text, ("TYPE", "CONTENT"), what="Todoist CSV"):
        kind = row.get("type", "").strip().lower()
        content = row.get("content", "").strip()
        where = f"{prefix}line {line}"
        if kind == "section":
            section = content
            continue
        if kind == "note":
            if tasks and content:
                target = tasks[-1].children[-1] if tasks[-1].children else tasks[-1].record
                target.notes = "\n".join(p for p in (target.notes, f"Comment: {content}") if p)
            continue
        if kind != "task":
            if kind not in ("meta", ""):
                plan.skip(f"Todoist rows of type {kind!r}")
            continue
        with common.located(where):
            notes = [row.get("description", "").strip()]
            if section:
                notes.insert(0, f"Section: {section}")
            words = row.get("date", "").strip()
            due: date | None = None
            due_time = repeat = None
            if words:
                try:
                    due = date.fromisoformat(words[:10])
                    if re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?", words):
                        due_time = words[11:16]
                except ValueError:
                    repeat = _repeat(words)
                    notes.append(f"Date: {words}")  # Todoist's words, as written
            if row.get("responsible", "").strip():
                notes.append(f"Assigned to: {row['responsible'].strip()}")
            if row.get("duration", "").strip():
                notes.append(f"Duration: {row['duration'].strip()} "
                             f"{row.get('duration_unit', '').strip() or 'minute'}s")
            labels = [w[1:] for w in content.split() if w.startswith("@") and len(w) > 1]
            if labels:  # "@label" words are Todoist's labels: tags, out of the title
                content = " ".join(w for w in content.split()
                                   if not (w.startswith("@") and w[1:] in labels))
            key = f"{project}|{section}|{content}"
            seen[key] = seen.get(key, 0) + 1
            record = TaskRecord(
                line=line, title=content or "Untitled task",
                notes="\n".join(n for n in notes if n), project=project,
                complexity=PRIORITY_COMPLEXITY.get(row.get("priority", "").strip(), 1),
                due=due, due_time=due_time, repeat=repeat, tags=labels,
                source_id=key if seen[key] == 1 else f"{key}#{seen[key]}")
            indent = row.get("indent", "1").strip() or "1"
            if indent != "1" and tasks:
                tasks[-1].children.append(record)
            else:
                tasks.append(_Task(record))
    for task in tasks:
        if not task.children:
            plan.tasks.append(task.record.validate())
            continue
        shared = set(task.record.notes.splitlines())  # "Section: …" is the parent's too
        for child in task.children:
            child.notes = "\n".join(n for n in child.notes.splitlines() if n not in shared)
        plan.goals.append(goal_of(task.record, [], plan, tz_name, subtasks=task.children))
        plan.notice("Todoist tasks with sub-tasks imported as goals with steps")


def parse_todoist(data: str | bytes, tz_name: str, hooks: Feedback | None = None, *,
                  now: datetime, name: str | None = None) -> ImportPlan:
    """A template CSV (text) or a backup zip (bytes starting with ``PK``); ``name``: the
    template's file name, which names its project (none: the inbox)."""
    hooks = hooks or Feedback()
    plan = ImportPlan("todoist")
    if isinstance(data, bytes) and data.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = sorted(n for n in archive.namelist() if n.lower().endswith(".csv"))
        except zipfile.BadZipFile as exc:
            raise ValidationError("file", f"not a Todoist backup (a zip): {exc}") from None
        if not names:
            raise ValidationError("file", "not a Todoist backup: the zip holds no CSV file")
        for index, name in enumerate(names):
            hooks.check()
            hooks.report("parse", index, len(names))
            with common.located(name):
                text = decode_utf8(archive.read(name))
            _parse_one(text, _project(name), plan, f"{name}: ", tz_name)
        return plan
    text = decode_utf8(data) if isinstance(data, bytes) else data
    _parse_one(text, None if name is None else _project(name), plan, "", tz_name)
    return plan
