"""What every import shares: reading a file safely, the plan, and writing it in one go.

An import runs in two phases so that it is all or nothing:

1. **parse and validate** the whole file into an :class:`ImportPlan` (plain records,
   every title, date and number checked with :mod:`..services.validation`); any problem
   raises :class:`ValidationError` naming the line (or JSON field) and nothing is written;
2. **apply** the plan in one database transaction (:func:`apply_plan`).

Imported completions become history: the item is done, ``completed_at`` keeps the
original instant, and no event is processed, so no points are earned (they happened
elsewhere). With ``award=True`` each completion is instead processed through the
engine at its original instant, oldest first, exactly as ``task done --at`` would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import Kind
from ..clock import zone
from ..errors import ValidationError
from ..exports.common import Feedback
from ..models import Profile, Project, Task, TimeSlot
from ..services import Momentum
from ..services import validation as v
from ..services.items import ItemService
from ..services.planning import import_tags, tag_names
from ..services.profiles import ensure_inbox

MAX_BYTES = 50 * 1024 * 1024
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_SLOT_DAYS = 7


# --- reading --------------------------------------------------------------------------


def read_source(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text: it must exist, be at most ``max_bytes`` and be UTF-8."""
    file = Path(path).expanduser()
    if not file.exists():
        raise ValidationError("file", f"no such file: {file}")
    if not file.is_file():
        raise ValidationError("file", f"not a file: {file}")
    size = file.stat().st_size
    if size > max_bytes:
        raise ValidationError("file", f"{file.name} is too large ({_size(size)}; the limit "
                              f"is {_size(max_bytes)}, raise it with --max-size)")
    data = file.read_bytes()
    if len(data) > max_bytes:  # it grew while we looked
        raise ValidationError("file", f"{file.name} is too large")
    return decode_utf8(data)


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1e6:.1f} MB"
    if count >= 1000:
        return f"{count / 1e3:.1f} KB"
    return f"{count} bytes"


def decode_utf8(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ValidationError(f"line {line}", f"not valid UTF-8 (byte 0x{data[exc.start]:02x} "
                              f"at column {column}); save the file as UTF-8") from None


@contextmanager
def located(where: str) -> Iterator[None]:
    """Prefix any validation error raised inside with its place (``line 12``)."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc.field}", exc.message) from None


def fail(where: str, field_name: str, message: str) -> ValidationError:
    return ValidationError(f"{where}: {field_name}", message)


def aware_instant(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationError(field_name, "needs a time zone")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(field_name, f"year out of range: {value.year}")
    return value.astimezone(UTC)


def local_noon(day: date, tz_name: str) -> datetime:
    """A date-only completion or creation as an instant: noon, local time (no bonus window)."""
    return datetime.combine(day, time(12), zone(tz_name)).astimezone(UTC)


# --- repeat rules from other tools -------------------------------------------------------

_NAMED_RECURRENCE = {
    "daily": "FREQ=DAILY", "day": "FREQ=DAILY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekly": "FREQ=WEEKLY", "week": "FREQ=WEEKLY", "sennight": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2", "fortnight": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY", "month": "FREQ=MONTHLY",
    "bimonthly": "FREQ=MONTHLY;INTERVAL=2",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "semiannual": "FREQ=MONTHLY;INTERVAL=6",
    "annual": "FREQ=YEARLY", "yearly": "FREQ=YEARLY", "year": "FREQ=YEARLY",
    "biannual": "FREQ=YEARLY;INTERVAL=2", "biyearly": "FREQ=YEARLY;INTERVAL=2",
}
_UNIT_FREQ = {
    "d": "DAILY", "day": "DAILY", "days": "DAILY",
    "w": "WEEKLY", "wk": "WEEKLY", "wks": "WEEKLY", "week": "WEEKLY", "weeks": "WEEKLY",
    "m": "MONTHLY", "mo": "MONTHLY", "mos": "MONTHLY", "mth": "MONTHLY", "mths": "MONTHLY",
    "month": "MONTHLY", "months": "MONTHLY",
    "q": "QUARTER", "qtr": "QUARTER", "qtrs": "QUARTER", "quarter": "QUARTER",
    "quarters": "QUARTER",
    "y": "YEARLY", "yr": "YEARLY", "yrs": "YEARLY", "year": "YEARLY", "years": "YEARLY",
    "b": "BUSINESS",
    "h": "SUBDAY", "hr": "SUBDAY", "hrs": "SUBDAY", "hour": "SUBDAY", "hours": "SUBDAY",
    "min": "SUBDAY", "mins": "SUBDAY", "minute": "SUBDAY", "minutes": "SUBDAY",
    "s": "SUBDAY", "sec": "SUBDAY", "secs": "SUBDAY", "second": "SUBDAY",
    "seconds": "SUBDAY",
}
_DURATION = re.compile(r"^\+?(\d{0,4})\s*([a-z]+)$")
_ISO_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T[\dHMS.]+)?$")


def recurrence_rule(text: str, field_name: str = "recur") -> str:
    """A Taskwarrior ``recur`` or todo.txt ``rec:`` value as an RRULE.

    Units shorter than a day become daily (a due date has no time of day).
    """
    value = text.strip().lower()
    if value in _NAMED_RECURRENCE:
        return _NAMED_RECURRENCE[value]
    iso = _ISO_DURATION.match(text.strip().upper())
    if iso and any(iso.groups()):
        years, months, weeks, days = (int(g) if g else 0 for g in iso.groups())
        if years and not (months or weeks or days):
            return _rule("YEARLY", years)
        if months and not (weeks or days):
            return _rule("MONTHLY", months + 12 * years)
        if weeks and not days:
            return _rule("WEEKLY", weeks)
        if days:
            return _rule("DAILY", days + 7 * weeks)
        return "FREQ=DAILY"
    match = _DURATION.match(value)
    if match and match.group(2) in _UNIT_FREQ:
        count = int(match.group(1) or 1)
        if count < 1:
            raise ValidationError(field_name, f"not a repeat interval: {text!r}")
        kind = _UNIT_FREQ[match.group(2)]
        if kind == "QUARTER":
            return _rule("MONTHLY", 3 * count)
        if kind == "BUSINESS":
            return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        if kind == "SUBDAY":
            return "FREQ=DAILY"
        return _rule(kind, count)
    raise ValidationError(field_name, f"not a repeat interval: {text!r} (e.g. weekly, 2w, 3d, "
                          "monthly)")


def _rule(freq: str, interval: int) -> str:
    return f"FREQ={freq}" if interval == 1 else f"FREQ={freq};INTERVAL={interval}"


# --- the plan -------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _project_name(name: str) -> str:
    """Project names repeat across a file: each distinct one is validated once."""
    return v.name(name, "project")


@dataclass
class TaskRecord:
    line: int
    title: str
    notes: str = ""
    project: str | None = None
    complexity: int = catalog.DEFAULT_COMPLEXITY
    due: date | None = None
    repeat: str | None = None
    status: str = "open"
    completed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    #: Tags (SPEC §12: Taskwarrior tags, todo.txt @contexts).
    tags: list[str] = field(default_factory=list)

    def validate(self) -> TaskRecord:
        """Every field through the services' validation (raises ValidationError)."""
        self.title = v.title(self.title)
        self.notes = v.notes(self.notes)
        if self.project is not None:
            self.project = _project_name(self.project)
        self.complexity = v.complexity(self.complexity)
        self.due = v.optional_date(self.due, "due")
        self.repeat = v.repeat_rule(self.repeat)
        self.tags = tag_names(self.tags, lenient=True)
        if self.status not in ("open", "done"):
            raise ValidationError("status", f"must be open or done, got {self.status!r}")
        for name in ("completed_at", "created_at", "updated_at", "deleted_at"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, aware_instant(value, name))
        if self.status == "open":
            self.completed_at = None
        return self


@dataclass
class SlotRecord:
    line: int
    title: str
    start: datetime
    end: datetime
    completed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def validate(self) -> SlotRecord:
        self.title = v.title(self.title)
        self.start = aware_instant(self.start, "start")
        self.end = aware_instant(self.end, "end")
        if self.end <= self.start:
            raise ValidationError("end", "must be after the start")
        if (self.end - self.start).days > MAX_SLOT_DAYS:
            raise ValidationError("end", f"a time slot lasts at most {MAX_SLOT_DAYS} days")
        for name in ("completed_at", "created_at", "updated_at"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, aware_instant(value, name))
        return self


@dataclass
class ImportPlan:
    source: str
    tasks: list[TaskRecord] = field(default_factory=list)
    slots: list[SlotRecord] = field(default_factory=list)
    #: What was left out on purpose, by reason.
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count


@dataclass
class ImportResult:
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    #: A JSON backup's check of the rebuilt derived data against the backup's own.
    verification: dict[str, Any] | None = None
    points_awarded: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"imported": dict(self.counts), "format": self.source,
                                "skipped": dict(self.skipped)}
        if self.points_awarded:
            data["points_awarded"] = self.points_awarded
        if self.verification is not None:
            data["verification"] = self.verification
        return data


# --- applying a plan --------------------------------------------------------------------


def _project_ids(session: Session, profile_id: int, names: set[str | None], now: datetime,
                 counts: dict[str, int]) -> dict[str | None, int]:
    ids: dict[str | None, int] = {None: ensure_inbox(session, profile_id, now).id}
    existing = {p.name: p for p in session.scalars(select(Project).where(
        Project.profile_id == profile_id))}
    for name in sorted(n for n in names if n is not None):
        project = existing.get(name)
        if project is None and name.lower() == "inbox":
            ids[name] = ids[None]
            continue
        if project is None:
            project = Project(profile_id=profile_id, name=name, goals_enabled=True,
                              is_inbox=False, created_at=now)
            session.add(project)
            session.flush()
            counts["projects"] = counts.get("projects", 0) + 1
        elif project.deleted_at is not None:
            project.deleted_at = None  # importing into a deleted project brings it back
        ids[name] = project.id
    return ids


def apply_plan(app: Momentum, plan: ImportPlan, *, award: bool = False,
               hooks: Feedback | None = None) -> ImportResult:
    """Write a validated plan in one transaction (all or nothing)."""
    hooks = hooks or Feedback()
    result = ImportResult(plan.source, skipped=dict(plan.skipped))
    counts = result.counts
    counts.update(tasks=0, done=0, deleted=0, time_slots=0, projects=0, awarded=0)
    with app.db.transaction() as session:
        profile = session.get(Profile, app.profile_id)
        assert profile is not None
        now = app.clock.now()
        projects = _project_ids(session, profile.id, {t.project for t in plan.tasks}, now,
                                counts)
        awards: list[tuple[datetime, int, Kind, int]] = []  # (when, line, kind, id)
        rows = []
        for record in plan.tasks:
            done = record.status == "done"
            held = award and done and record.deleted_at is None
            rows.append({
                "profile_id": profile.id, "project_id": projects[record.project],
                "goal_id": None, "title": record.title, "notes": record.notes,
                "complexity": record.complexity, "due_date": record.due,
                "repeat_rule": record.repeat, "status": "open" if held else record.status,
                "completed_at": None if held else ((record.completed_at or now) if done else None),
                "created_at": record.created_at or now,
                "updated_at": record.updated_at or record.created_at or now,
                "deleted_at": record.deleted_at,
            })
            counts["done"] += done
            counts["deleted"] += record.deleted_at is not None
        hooks.check()
        task_ids = _insert_with_ids(session, Task, rows, hooks, "tasks")
        counts["tasks"] = len(task_ids)
        import_tags(session, profile.id, zip(task_ids, (t.tags for t in plan.tasks)), now)
        for record, task_id in zip(plan.tasks, task_ids, strict=True):
            if award and record.status == "done" and record.deleted_at is None:
                awards.append((record.completed_at or now, record.line, Kind.TASK, task_id))
        slot_rows = []
        for slot in plan.slots:
            held = award and slot.completed_at is not None
            slot_rows.append({
                "profile_id": profile.id, "title": slot.title, "start_at": slot.start,
                "end_at": slot.end, "task_id": None, "goal_id": None,
                "status": "done" if slot.completed_at and not held else "open",
                "completed_at": None if held else slot.completed_at,
                "created_at": slot.created_at or now,
                "updated_at": slot.updated_at or slot.created_at or now,
            })
        slot_ids = _insert_with_ids(session, TimeSlot, slot_rows, hooks, "time_slots")
        counts["time_slots"] = len(slot_ids)
        counts["done"] += sum(1 for s in plan.slots if s.completed_at is not None)
        for slot, slot_id in zip(plan.slots, slot_ids, strict=True):
            if award and slot.completed_at is not None:
                awards.append((slot.completed_at, slot.line, Kind.SLOT, slot_id))
        if awards:
            result.points_awarded = _award(app, session, sorted(awards), hooks)
            counts["awarded"] = len(awards)
    return result


def _insert_with_ids(session: Session, model: Any, rows: list[dict[str, Any]],
                     hooks: Feedback, stage: str) -> list[int]:
    """Insert ``rows`` with ids given here (inside the write transaction nobody else can
    take them), as plain executemany batches: no RETURNING, no ORM objects."""
    if not rows:
        return []
    base = int(session.scalar(select(func.max(model.id))) or 0) + 1
    ids = list(range(base, base + len(rows)))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    connection = session.connection()
    statement = model.__table__.insert()  # Core: one executemany per batch
    for start in range(0, len(rows), 2000):
        hooks.check()
        connection.execute(statement, rows[start:start + 2000])
        hooks.report(stage, min(start + 2000, len(rows)), len(rows))
    return ids


def _award(app: Momentum, session: Session, awards: list[tuple[datetime, int, Kind, int]],
           hooks: Feedback) -> int:
    """Completions through the engine, oldest first, as ``done --at`` would process them."""
    items = ItemService(app.ctx)
    total = 0
    session.flush()
    for index, (when, _line, kind, item_id) in enumerate(awards):
        if index % 50 == 0:
            hooks.check()
            hooks.report("award", index, len(awards))
        item: Task | TimeSlot | None = (session.get(Task, item_id) if kind is Kind.TASK
                                        else session.get(TimeSlot, item_id))
        assert item is not None
        meta = items.completion_meta(session, kind, item)  # the meta `done` uses
        outcome = app.ctx.process(session, catalog.COMPLETION_SOURCE[kind], meta, when,
                                  f"{kind.value}:{item.id}:done:1")
        item.status, item.completed_at = "done", when
        total += outcome.points_awarded
    session.flush()
    return total
