"""An import's records as identities and rows — the parts of writing a plan that need no
database session (issue 18 item 5: the command line's light path shares them with
:mod:`.apply`, and loads no SQLAlchemy).

* :func:`identify`: every record's identity in the source, the fields an import compares
  (:func:`content_of`), their canonical JSON text and its hash — made once per import;
* :class:`Sorted`: the records sorted into added / updated / unchanged (:func:`place`: the
  one rule, whichever path looked up what an earlier import left), and the figures the
  person sees of it (:func:`figures`);
* the rows a new task, time slot or identity is inserted as (:func:`task_row`,
  :func:`slot_row`, :func:`source_row`), values as the models hold them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from .. import planning
from ..catalog import Kind
from ..kinds import SourceKind, Status
from .common import GoalRecord, ImportPlan, ImportResult, SlotRecord, TaskRecord, reminder_key

Record = TaskRecord | SlotRecord | GoalRecord
KIND_OF = {TaskRecord: SourceKind.TASK, SlotRecord: SourceKind.SLOT, GoalRecord: SourceKind.GOAL}
COUNT_KEY: dict[str, str] = {
    SourceKind.TASK: "tasks", SourceKind.SLOT: "time_slots", SourceKind.GOAL: "goals"}
DUPLICATE = "duplicates in the file (same id; imported once)"


def iso(value: date | datetime | None) -> str | None:
    """A date or instant as its ISO text (None stays None)."""
    return None if value is None else value.isoformat()


def content_of(record: Record) -> dict[str, Any]:
    """The fields an import compares, as JSON values."""
    if isinstance(record, TaskRecord):
        content = {"title": record.title, "notes": record.notes, "project": record.project,
                   "complexity": record.complexity, "due": iso(record.due),
                   "repeat": record.repeat, "status": record.status,
                   "completed_at": iso(record.completed_at),
                   "deleted": record.deleted_at is not None, "tags": sorted(record.tags)}
        # Only when the source has them, so what earlier imports remembered still matches.
        if record.due_time is not None:
            content["due_time"] = record.due_time
        if record.reminders:
            content["reminders"] = [reminder_key(r) for r in record.reminders]
        if record.hidden_until is not None:
            content["hidden_until"] = record.hidden_until.isoformat()
        if record.repeat_after is not None:
            content["repeat_after"] = record.repeat_after
        return content
    if isinstance(record, SlotRecord):
        return {"title": record.title, "start": iso(record.start), "end": iso(record.end),
                "completed_at": iso(record.completed_at)}
    return {"title": record.title, "notes": record.notes, "project": record.project,
            "target": iso(record.target), "status": record.status,
            "completed_at": iso(record.completed_at),
            "steps": [[s.title, s.status, iso(s.completed_at)] for s in record.steps]}


def canonical(content: dict[str, Any]) -> str:
    """The compared fields as one JSON text (sorted keys): what is hashed, and what an
    identity row stores as its content (it reads back as the same fields; one
    ``json.dumps`` per record instead of two, issue #18 item 5)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(content: dict[str, Any], text: str | None = None) -> str:
    """The hash of ``content`` (``text``: its :func:`canonical` text, when made already)."""
    return hashlib.sha256((text or canonical(content)).encode("utf-8")).hexdigest()


@dataclass
class Entry:
    record: Record
    kind: str
    source_id: str
    content: dict[str, Any]
    hash: str
    #: ``content`` as its :func:`canonical` JSON text (stored in a new identity row).
    text: str
    #: the identity row an earlier import left (an ``ImportSource``; the light path
    #: leaves it None: it reads plain rows)
    known: Any = None
    item: Any = None  # the existing item (updated / unchanged; the light path: its id)
    before: dict[str, Any] | None = None  # its content as last imported
    changed: list[str] = field(default_factory=list)


@dataclass
class Sorted:
    added: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    duplicates: int = 0


def _records(plan: ImportPlan) -> Iterable[Record]:
    yield from plan.goals
    yield from plan.tasks
    yield from plan.slots


def identify(plan: ImportPlan) -> tuple[list[Entry], int]:
    """Every record's identity, compared content and its hash, computed once per import
    (the staged path sorts twice: on a read snapshot, then in the swap); and how many
    records repeat an identity met before in the file (imported once)."""
    entries: list[Entry] = []
    seen: set[str] = set()
    duplicates = 0
    for record in _records(plan):
        content = content_of(record)
        text = canonical(content)
        hashed = digest(content, text)
        source_id = record.source_id or f"content:{hashed}"
        if source_id in seen:
            duplicates += 1
            continue
        seen.add(source_id)
        entries.append(Entry(record, KIND_OF[type(record)], source_id, content, hashed, text))
    return entries, duplicates


def place(out: Sorted, entry: Entry) -> None:
    """Sort ``entry`` into ``out``: added when it has no item here (``entry.item`` None),
    unchanged when the source's fields are what was imported last (``entry.before``),
    else updated, with the fields that changed in the fields' own order (an identity row
    stores them with sorted keys)."""
    if entry.item is None:
        out.added.append(entry)
        return
    before = entry.before
    if before == entry.content:
        out.unchanged.append(entry)
        return
    assert before is not None
    content = entry.content
    entry.changed = [k for k in [*content, *(k for k in before if k not in content)]
                     if before.get(k) != content.get(k)]
    out.updated.append(entry)


def figures(result: ImportResult, sorted_: Sorted, projects_made: int = 0) -> dict[str, int]:
    """What the person is told of ``sorted_``, set on ``result``: the duplicates skipped,
    the added / updated / unchanged per kind, and the added counts (``projects_made``:
    the projects made already, while a large import was staged). Returns the counts,
    which the writing goes on counting in (the projects it makes, the awards)."""
    if sorted_.duplicates:
        result.skipped[DUPLICATE] = result.skipped.get(DUPLICATE, 0) + sorted_.duplicates
    result.changes = changes(sorted_)
    result.counts = {**added_counts(sorted_.added), "projects": projects_made}
    return result.counts


def changes(sorted_: Sorted) -> dict[str, dict[str, int]]:
    changes = {key: {"added": 0, "updated": 0, "unchanged": 0}
               for key in ("tasks", "time_slots", "goals")}
    for name, entries in (("added", sorted_.added), ("updated", sorted_.updated),
                          ("unchanged", sorted_.unchanged)):
        for entry in entries:
            changes[COUNT_KEY[entry.kind]][name] += 1
    return changes


def project_names(entries: list[Entry]) -> set[str | None]:
    return {getattr(e.record, "project", None) for e in entries}


def added_counts(added: list[Entry]) -> dict[str, int]:
    counts = {"tasks": 0, "done": 0, "deleted": 0, "time_slots": 0, "goals": 0,
              "goal_steps": 0, "projects": 0, "awarded": 0}
    for entry in added:
        record = entry.record
        counts[COUNT_KEY[entry.kind]] += 1
        if isinstance(record, TaskRecord):
            counts["done"] += record.status == Status.DONE
            counts["deleted"] += record.deleted_at is not None
        elif isinstance(record, SlotRecord):
            counts["done"] += record.completed_at is not None
        else:
            counts["goal_steps"] += len(record.steps)
            counts["done"] += record.status == Status.DONE
    return counts


#: A completion ``--award`` runs through the engine: when, line, kind, the inserted row.
Award = tuple[datetime, int, Kind, dict[str, Any]]


def award_of(record: Record, row: dict[str, Any], now: datetime) -> Award | None:
    """The completion ``--award`` runs through the engine for an added item, if any
    (``row``: the item's inserted row, its id included)."""
    if isinstance(record, TaskRecord) and record.status == Status.DONE \
            and record.deleted_at is None:
        return (record.completed_at or now, record.line, Kind.TASK, row)
    if isinstance(record, SlotRecord) and record.completed_at:
        return (record.completed_at, record.line, Kind.SLOT, row)
    return None


def due_of(record: TaskRecord, tz_name: str) -> planning.Due | None:
    if record.due is None:
        return None
    if record.due_time is None:
        return planning.Due(record.due)
    wall = time.fromisoformat(record.due_time) if record.due_time else None
    return planning.due_at_local(record.due, wall, tz_name)


def task_row(profile_id: int, record: Any, projects: dict[str | None, int], now: datetime,
              award: bool, tz_name: str) -> dict[str, Any]:
    done = record.status == Status.DONE
    held = award and done and record.deleted_at is None
    due = due_of(record, tz_name)
    return {
        "due_time": due.time if due else None, "due_at": due.at if due else None,
        "profile_id": profile_id, "project_id": projects[record.project],
        "goal_id": None, "title": record.title, "notes": record.notes,
        "complexity": record.complexity, "due_date": record.due,
        "repeat_rule": record.repeat, "status": Status.OPEN if held else record.status,
        "completed_at": None if held else ((record.completed_at or now) if done else None),
        "created_at": record.created_at or now,
        "updated_at": record.updated_at or record.created_at or now,
        "deleted_at": record.deleted_at, "hidden_until": record.hidden_until,
        "repeat_after": record.repeat_after,
    }


def slot_row(profile_id: int, slot: Any, now: datetime, award: bool) -> dict[str, Any]:
    held = award and slot.completed_at is not None
    return {
        "profile_id": profile_id, "title": slot.title, "start_at": slot.start,
        "end_at": slot.end, "task_id": None, "goal_id": None,
        "status": Status.DONE if slot.completed_at and not held else Status.OPEN,
        "completed_at": None if held else slot.completed_at,
        "created_at": slot.created_at or now,
        "updated_at": slot.updated_at or slot.created_at or now,
    }


def source_row(profile_id: int, fmt: str, entry: Entry, item_id: int, now: datetime
                ) -> dict[str, Any]:
    return {"profile_id": profile_id, "format": fmt, "source_id": entry.source_id,
            "kind": entry.kind, "item_id": item_id, "content_hash": entry.hash,
            "content": entry.text, "imported_at": now}
