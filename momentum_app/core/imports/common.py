"""What every import shares: reading a file safely, the plan, and writing it in one go.

An import runs in two phases so that it is all or nothing:

1. **parse and validate** the whole file into an :class:`ImportPlan` (plain records,
   every title, date and number checked with :mod:`..services.validation`); any problem
   raises :class:`ValidationError` naming the line (or JSON field) and nothing is written;
2. **apply** the plan in one database transaction (:func:`.apply.apply_plan`), matching
   every item by its identity in the source, so a second import changes nothing.

Imported completions become history: the item is done, ``completed_at`` keeps the
original instant, and no event is processed, so no points are earned (they happened
elsewhere). With ``award=True`` each completion is instead processed through the
engine at its original instant, oldest first, exactly as ``task done --at`` would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from .. import catalog, planning
from ..clock import zone
from ..errors import ValidationError
from ..kinds import Status
from ..planning import MAX_OFFSET_MINUTES
from ..services import validation as v
from ..services.validation import tag_names

MAX_BYTES = 50 * 1024 * 1024
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_SLOT_DAYS = 7


# --- reading --------------------------------------------------------------------------


def read_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes: it must exist and be at most ``max_bytes``."""
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
    return data


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1e6:.1f} MB"
    if count >= 1000:
        return f"{count / 1e3:.1f} KB"
    return f"{count} bytes"


def load_json(text: str) -> Any:
    """Parse a JSON export; a syntax error is bad input naming its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"line {exc.lineno}", f"invalid JSON: {exc.msg} "
                              f"(column {exc.colno})") from None


def json_export(text: str, key: str, container: type, expected: str) -> dict[str, Any]:
    """A JSON export whose top level is an object holding a ``container`` (a list or a
    dict) under ``key``; anything else is bad input naming ``key``, saying ``expected``."""
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get(key), container):
        raise ValidationError(key, expected)
    return data


def title_or_untitled(value: object) -> str:
    """A record's title from the source's (missing or blank: "Untitled task")."""
    return str(value or "").strip() or "Untitled task"


def joined_notes(parts: Iterable[str]) -> str:
    """A record's notes: the source's pieces that say something, one a line."""
    return "\n".join(part for part in parts if part.strip())


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


class located:  # used as a function: ``with located("line 3"):``
    """Prefix any validation error raised inside with its place (``line 12``). A class,
    not a generator: it is entered once per record (10k times for a 10k-task file)."""

    __slots__ = ("where",)

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if isinstance(exc, ValidationError):
            raise ValidationError(f"{self.where}: {exc.field}", exc.message) from None


def fail(where: str, field_name: str, message: str) -> ValidationError:
    return ValidationError(f"{where}: {field_name}", message)


def aware_instant(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationError(field_name, "needs a time zone")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(field_name, f"year out of range: {value.year}")
    return value.astimezone(UTC)


def instant_in(value: datetime, field_name: str, tz_name: str) -> datetime:
    """``value`` in UTC, where one without a zone is a wall time in ``tz_name`` (the
    profile's zone)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz_name))
    return aware_instant(value, field_name)


def parse_instant_in(text: str, field_name: str, tz_name: str, problem: str) -> datetime:
    """ISO 8601 ``text`` as an instant (:func:`instant_in`: without a zone, a wall time in
    ``tz_name``); text that is not one is bad input naming the field: ``problem``."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(field_name, problem) from None
    return instant_in(value, field_name, tz_name)


#: "Hidden until someday" (Taskwarrior's ``wait:someday`` is 9999-12-30): the last day held.
SOMEDAY = date(MAX_YEAR, 12, 31)


def hiding_day(day: date, field_name: str) -> date:
    """A hide-until day as stored: one past the years Momentum holds is "someday"."""
    if day.year > MAX_YEAR:
        return SOMEDAY
    if day.year < MIN_YEAR:
        raise ValidationError(field_name, f"year out of range: {day.year}")
    return day


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


def fit_title(title: str, notes: str) -> tuple[str, str]:
    """A title longer than the 500 characters Momentum allows is cut at a word boundary;
    the rest goes first in the notes, so nothing is lost."""
    text = title.strip()
    if len(text) <= catalog.TITLE_MAX:
        return text, notes
    cut = text.rfind(" ", 0, catalog.TITLE_MAX)
    cut = cut if cut > catalog.TITLE_MAX // 2 else catalog.TITLE_MAX
    head, rest = text[:cut].rstrip(), text[cut:].strip()
    return head, "\n".join(part for part in (f"…{rest}", notes) if part)


@dataclass
class TaskRecord:
    line: int
    title: str
    notes: str = ""
    project: str | None = None
    complexity: int = catalog.DEFAULT_COMPLEXITY
    due: date | None = None
    repeat: str | None = None
    status: str = Status.OPEN
    completed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    #: The item's identity in its source (uuid, UID, normalised text, the tool's id).
    source_id: str | None = None
    #: A Momentum id the source says this item has (Momentum's own exports).
    own_id: int | None = None
    #: Tags (SPEC §12: Taskwarrior tags, todo.txt @contexts, iCalendar CATEGORIES).
    tags: list[str] = field(default_factory=list)
    #: The due's local wall time ("HH:MM") when the source gives one (SPEC §12).
    due_time: str | None = None
    #: Reminders (SPEC §12): minutes before the due, or an instant (iCalendar VALARM).
    reminders: list[int | datetime] = field(default_factory=list)
    #: Out of the task lists until this local day (Taskwarrior ``wait``/``scheduled``,
    #: todo.txt ``t:``; issue 18).
    hidden_until: date | None = None
    #: Repeats this long after each completion ("2w"; todo.txt's ``rec:`` without ``+``,
    #: Momentum's own exports); never with ``repeat``.
    repeat_after: str | None = None

    def validate(self) -> TaskRecord:
        """Every field through the services' validation (raises ValidationError)."""
        if isinstance(self.title, str):
            self.title, self.notes = fit_title(self.title, self.notes)
        self.title = v.title(self.title)
        self.notes = v.notes(self.notes)
        if self.project is not None:
            self.project = _project_name(self.project)
        self.complexity = v.complexity(self.complexity)
        self.due = v.optional_date(self.due, "due")
        self.hidden_until = v.optional_date(self.hidden_until, "hidden_until")
        self.repeat = v.repeat_rule(self.repeat)
        if self.repeat_after is not None:
            self.repeat_after = planning.repeat_after(self.repeat_after)
            if self.repeat:
                raise ValidationError("repeat_after", "a task repeats on a schedule (repeat) "
                                      "or after each completion, not both")
        self.tags = tag_names(self.tags, lenient=True)
        self._validate_planning()
        if not isinstance(self.status, str) or self.status not in _STATUSES:
            raise ValidationError("status", f"must be open or done, got {self.status!r}")
        for name in ("completed_at", "created_at", "updated_at", "deleted_at"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, aware_instant(value, name))
        if self.status == Status.OPEN:
            self.completed_at = None
        return self


    def _validate_planning(self) -> None:
        if self.due_time is not None and (self.due is None
                                          or not _WALL_TIME.match(self.due_time)):
            raise ValidationError("due", f"a due time needs a date and HH:MM, got "
                                  f"{self.due_time!r}")
        reminders: list[int | datetime] = []
        for reminder in self.reminders:
            if isinstance(reminder, datetime):
                reminders.append(aware_instant(reminder, "reminder"))
            elif self.due is not None and 0 <= reminder <= MAX_OFFSET_MINUTES:
                reminders.append(int(reminder))
            else:
                raise ValidationError("reminder", f"{reminder} minutes before the due: needs "
                                      "a due date and at most a year")
        self.reminders = sorted(set(reminders), key=reminder_key)


def reminders_from_text(text: str, field_name: str = "reminders") -> list[int | datetime]:
    """Momentum's own reminders cell (:func:`..exports.common.reminders_text`): minutes
    before the due, or ISO instants, space-separated; anything else is bad input naming
    the field."""
    out: list[int | datetime] = []
    for word in text.split():
        if word.isascii() and word.isdigit():
            out.append(int(word))
            continue
        try:
            value = datetime.fromisoformat(word)
        except ValueError:
            raise ValidationError(field_name, f"not minutes or an instant: {word!r}") from None
        out.append(aware_instant(value, field_name))
    return out


def reminder_key(reminder: int | datetime) -> str:
    """A reminder as the text an import compares (``30`` minutes, or an ISO instant)."""
    return reminder.isoformat() if isinstance(reminder, datetime) else str(reminder)


_STATUSES = frozenset(Status)
_WALL_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")


@dataclass
class SlotRecord:
    line: int
    title: str
    start: datetime
    end: datetime
    completed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    source_id: str | None = None
    own_id: int | None = None

    def validate(self) -> SlotRecord:
        if isinstance(self.title, str):
            self.title = fit_title(self.title, "")[0]
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
class StepRecord:
    title: str
    status: str = Status.OPEN
    completed_at: datetime | None = None

    def validate(self) -> StepRecord:
        self.title = v.title(fit_title(self.title, "")[0], "step")
        if self.status == Status.OPEN:
            self.completed_at = None
        elif self.completed_at is not None:
            self.completed_at = aware_instant(self.completed_at, "completed_at")
        return self


@dataclass
class GoalRecord:
    """A task with subtasks in its source (iCalendar ``RELATED-TO``): a goal whose steps
    are the subtasks."""

    line: int
    title: str
    notes: str = ""
    project: str | None = None
    target: date | None = None
    status: str = Status.OPEN
    completed_at: datetime | None = None
    created_at: datetime | None = None
    steps: list[StepRecord] = field(default_factory=list)
    source_id: str | None = None
    own_id: int | None = None

    def validate(self) -> GoalRecord:
        self.title, self.notes = fit_title(self.title, self.notes)
        self.title = v.title(self.title)
        self.notes = v.notes(self.notes)
        if self.project is not None:
            self.project = _project_name(self.project)
        self.target = v.optional_date(self.target, "target")
        for name in ("completed_at", "created_at"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, aware_instant(value, name))
        if self.status == Status.OPEN:
            self.completed_at = None
        self.steps = [step.validate() for step in self.steps]
        return self


@dataclass
class ImportPlan:
    source: str
    tasks: list[TaskRecord] = field(default_factory=list)
    slots: list[SlotRecord] = field(default_factory=list)
    goals: list[GoalRecord] = field(default_factory=list)
    #: What was left out on purpose, by reason.
    skipped: dict[str, int] = field(default_factory=dict)
    #: What was kept in a different shape than in the source (kept in notes…), by reason.
    notices: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def notice(self, reason: str, count: int = 1) -> None:
        self.notices[reason] = self.notices.get(reason, 0) + count


@dataclass
class ImportResult:
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    #: A JSON backup's check of the rebuilt derived data against the backup's own.
    verification: dict[str, Any] | None = None
    points_awarded: int = 0
    #: Items found again: added / updated / unchanged, per kind (``tasks``, ``time_slots``…).
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    #: What an update changed: ``{"kind", "id", "title", "fields"}`` per updated item.
    updated: list[dict[str, Any]] = field(default_factory=list)
    notices: dict[str, int] = field(default_factory=dict)
    #: True for a preview: nothing was written.
    dry_run: bool = False
    #: The undo history's entry of this import (``momentum undo`` takes it back whole).
    undo_entry: int | None = None

    def totals(self) -> dict[str, int]:
        """Added / updated / unchanged over every kind."""
        out = {"added": 0, "updated": 0, "unchanged": 0}
        for per_kind in self.changes.values():
            for key in out:
                out[key] += per_kind.get(key, 0)
        out["skipped"] = sum(self.skipped.values())
        return out

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"imported": dict(self.counts), "format": self.source,
                                "skipped": dict(self.skipped)}
        if self.changes:
            data["changes"] = {kind: dict(c) for kind, c in self.changes.items()}
            data["totals"] = self.totals()
            data["updated"] = list(self.updated)
        if self.notices:
            data["notices"] = dict(self.notices)
        if self.dry_run:
            data["dry_run"] = True
        if self.points_awarded:
            data["points_awarded"] = self.points_awarded
        if self.verification is not None:
            data["verification"] = self.verification
        return data
