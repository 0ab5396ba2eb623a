"""iCalendar (RFC 5545) → tasks (VTODO) and time slots (VEVENT), read with ``icalendar``.

A first pass over the raw lines checks the structure (content lines, ``BEGIN``/``END``
pairs, a closed ``VCALENDAR``) and remembers where each component and property starts,
so every error names its line. Then:

* **VTODO** → task: ``SUMMARY`` title, ``DESCRIPTION`` notes, ``DUE`` (date, or the
  date of a date-time in the profile's zone), ``PRIORITY`` 1 → complexity 5, 2–4 → 4,
  5 → 3, 6–9 → 2, none → 1; ``STATUS:COMPLETED`` → done at ``COMPLETED`` (history);
  ``CANCELLED`` → a deleted task; ``RRULE`` → repeat rule; ``CATEGORIES`` → ``#tags`` in
  the notes, except ``X-MOMENTUM-PROJECT`` (Momentum's own export), which is the project.
* **VEVENT** → time slot from ``DTSTART`` to ``DTEND`` (or ``DURATION``); floating times
  are read in the profile's zone. All-day events, cancelled ones, events without a
  duration and events longer than seven days are skipped (and counted); a recurring
  event imports its first occurrence. ``X-MOMENTUM-COMPLETED`` marks a done slot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

from ..clock import zone
from ..errors import ValidationError
from ..exports.common import Feedback
from . import common
from .common import ImportPlan, SlotRecord, TaskRecord

_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_UNTIL_TIME = re.compile(r"UNTIL=(\d{8})T\d{6}Z?")
ITEM_KINDS = ("VTODO", "VEVENT")
#: Record fields → the iCalendar property they come from (to name the right line).
PROPERTY_OF_FIELD = {"title": "SUMMARY", "notes": "DESCRIPTION", "due": "DUE",
                     "complexity": "PRIORITY", "repeat": "RRULE", "start": "DTSTART",
                     "end": "DTEND", "completed_at": "COMPLETED", "created_at": "CREATED",
                     "updated_at": "LAST-MODIFIED", "project": "X-MOMENTUM-PROJECT",
                     "deleted_at": "LAST-MODIFIED"}


@dataclass
class _Component:
    kind: str
    line: int
    properties: dict[str, int] = field(default_factory=dict)  # name → first line


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines (RFC 5545 §3.1) with the number of their first raw line."""
    # Pieces are joined once per logical line: appending each fold to the string so far
    # was quadratic (a 6 MB file of folded lines took 45 s to refuse).
    pieces: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        if raw[:1] in (" ", "\t") and pieces:
            pieces[-1][1].append(raw[1:])
        elif raw.strip():
            pieces.append((number, [raw]))
    return [(number, "".join(parts)) for number, parts in pieces]


def _property_name(line: str) -> str | None:
    """The name of a content line ``NAME[;PARAMS]:VALUE``, or None when malformed."""
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in ";:":
            name = line[:index]
            if not _NAME.match(name):
                return None
            if char == ";" and line.find(":", index) < 0:
                return None
            return name.upper()
    return None


def scan(text: str) -> list[_Component]:
    """Check the structure; return the VTODO/VEVENT components in file order."""
    lines = _logical_lines(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise ValidationError(f"line {lines[0][0] if lines else 1}",
                              "not an iCalendar file (it must start with BEGIN:VCALENDAR)")
    stack: list[tuple[str, int]] = []
    components: list[_Component] = []
    current: _Component | None = None
    closed_at = None
    for number, line in lines:
        if closed_at is not None:
            raise ValidationError(f"line {number}", "text after END:VCALENDAR")
        name = _property_name(line)
        if name is None:
            raise ValidationError(f"line {number}", "not an iCalendar content line "
                                  "(expected NAME:VALUE)")
        value = line.split(":", 1)[1].strip().upper() if ":" in line else ""
        if name == "BEGIN":
            stack.append((value, number))
            if value in ITEM_KINDS and len(stack) == 2:
                current = _Component(value, number)
                components.append(current)
        elif name == "END":
            if not stack or stack[-1][0] != value:
                expected = f"END:{stack[-1][0]}" if stack else "nothing"
                raise ValidationError(f"line {number}", f"END:{value} where {expected} was "
                                      "expected")
            stack.pop()
            if len(stack) == 1:
                current = None
            if not stack:
                closed_at = number
        elif current is not None and len(stack) == 2:
            current.properties.setdefault(name, number)
    if stack:
        kind, number = stack[-1]
        raise ValidationError(f"line {lines[-1][0]}", f"the file ends before END:{kind} "
                              f"(BEGIN:{kind} at line {number}; truncated?)")
    return components


def _parse_error_line(text: str, exc: Exception) -> str:
    """Where icalendar's complaint comes from: the first line holding the bad value
    (``line 16: DUE``), found by the value its message quotes."""
    message = str(exc).strip()
    tail = message.split()[-1] if message else ""
    if tail:
        for number, line in _logical_lines(text):
            if ":" in line and tail in line.split(":", 1)[1]:
                return f"line {number}: {_property_name(line) or 'value'}"
    return "file"


def _text_of(component: Any, name: str) -> str | None:
    value = component.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0]
    return str(value)


def _instant(value: Any, tz_name: str, field_name: str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone(tz_name))
        return common.aware_instant(value, field_name)
    if isinstance(value, date):
        return common.local_noon(value, tz_name)
    raise ValidationError(field_name, f"not a date-time: {value!r}")


def _decoded(component: Any, name: str) -> Any:
    try:
        value = component.decoded(name) if name in component else None
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(name, f"not a valid value ({exc})") from None
    tzid = component[name].params.get("TZID") if value is not None and hasattr(
        component[name], "params") else None
    if tzid and isinstance(value, datetime) and value.tzinfo is None:
        # A TZID that is neither a known zone nor defined by a VTIMEZONE: refusing is
        # safer than silently reading the time in another zone.
        raise ValidationError(name, f"unknown time zone {tzid!r} (no VTIMEZONE defines it)")
    return value


def _x_instant(component: Any, name: str, tz_name: str) -> datetime | None:
    raw = component.get(name)
    if raw is None:
        return None
    text = raw.to_ical().decode() if hasattr(raw, "to_ical") else str(raw)
    try:
        value = icalendar.vDDDTypes.from_ical(text.strip())  # type: ignore[no-untyped-call]
    except (ValueError, TypeError):
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValidationError(name, f"not a date-time: {text!r}") from None
    return _instant(value, tz_name, name)


def _categories(component: Any) -> list[str]:
    raw = component.get("CATEGORIES")
    if raw is None:
        return []
    groups = raw if isinstance(raw, list) else [raw]
    names: list[str] = []
    for group in groups:
        names += [str(c) for c in getattr(group, "cats", [])]
    return [n for n in names if n.strip()]


def _complexity(priority: Any) -> int:
    try:
        level = int(priority)
    except (TypeError, ValueError):
        raise ValidationError("PRIORITY", f"not a number: {priority!r}") from None
    if level <= 0 or level > 9:
        return 1
    if level == 1:
        return 5
    if level <= 4:
        return 4
    if level == 5:
        return 3
    return 2


def todo_record(meta: _Component, todo: Any, tz_name: str) -> TaskRecord:
    summary = _text_of(todo, "SUMMARY")
    if summary is None:
        raise ValidationError("SUMMARY", "missing (a task needs a title)")
    project = _text_of(todo, "X-MOMENTUM-PROJECT")
    tags = [c for c in _categories(todo) if c != project]
    notes = [" ".join(f"#{t.replace(' ', '_')}" for t in tags)] if tags else []
    description = _text_of(todo, "DESCRIPTION")
    if description:
        notes.append(description)
    due_value = _decoded(todo, "DUE")
    due = None
    if isinstance(due_value, datetime):
        due = (due_value if due_value.tzinfo else due_value.replace(tzinfo=zone(tz_name))) \
            .astimezone(zone(tz_name)).date()
    elif isinstance(due_value, date):
        due = due_value
    status = (_text_of(todo, "STATUS") or "NEEDS-ACTION").upper()
    record = TaskRecord(line=meta.line, title=summary, notes="\n".join(notes),
                        project=project or None)
    if todo.get("PRIORITY") is not None:
        record.complexity = _complexity(todo.get("PRIORITY"))
    record.due = due
    rrule = todo.get("RRULE")
    if rrule is not None:
        rule = (rrule[0] if isinstance(rrule, list) else rrule).to_ical().decode()
        # A task's repeat rule works on dates: UNTIL=20260301T000000Z → UNTIL=20260301.
        record.repeat = _UNTIL_TIME.sub(r"UNTIL=\1", rule)
    created = _decoded(todo, "CREATED")
    modified = _decoded(todo, "LAST-MODIFIED")
    stamp = _decoded(todo, "DTSTAMP")
    if created is not None:
        record.created_at = _instant(created, tz_name, "CREATED")
    if modified is not None:
        record.updated_at = _instant(modified, tz_name, "LAST-MODIFIED")
    completed = _decoded(todo, "COMPLETED")
    if status == "COMPLETED" or completed is not None:
        record.status = "done"
        when = completed if completed is not None else (modified or stamp)
        record.completed_at = _instant(when, tz_name, "COMPLETED") if when is not None else None
    elif status == "CANCELLED":
        when = modified or stamp
        record.deleted_at = _instant(when, tz_name, "LAST-MODIFIED") if when is not None \
            else datetime.now(UTC)
    return record.validate()


def event_record(meta: _Component, event: Any, tz_name: str, plan: ImportPlan
                 ) -> SlotRecord | None:
    status = (_text_of(event, "STATUS") or "").upper()
    if status == "CANCELLED":
        plan.skip("cancelled events")
        return None
    start_value = _decoded(event, "DTSTART")
    if start_value is None:
        raise ValidationError("DTSTART", "missing (an event needs a start)")
    if not isinstance(start_value, datetime):
        plan.skip("all-day events")
        return None
    start = _instant(start_value, tz_name, "DTSTART")
    end_value = _decoded(event, "DTEND")
    if end_value is not None:
        if not isinstance(end_value, datetime):
            raise ValidationError("DTEND", "must be a date-time like DTSTART")
        end = _instant(end_value, tz_name, "DTEND")
    else:
        duration = _decoded(event, "DURATION")
        if not isinstance(duration, timedelta) or duration <= timedelta(0):
            plan.skip("events without a duration")
            return None
        if duration.days > common.MAX_SLOT_DAYS:  # before the sum can overflow the calendar
            plan.skip("events longer than 7 days")
            return None
        end = start + duration
    if end <= start:
        raise ValidationError("DTEND", "must be after DTSTART")
    if (end - start).days > common.MAX_SLOT_DAYS:
        plan.skip("events longer than 7 days")
        return None
    if event.get("RRULE") is not None:
        plan.skip("recurring events (first occurrence imported)")
    summary = _text_of(event, "SUMMARY") or "Untitled event"
    record = SlotRecord(line=meta.line, title=summary, start=start, end=end)
    record.completed_at = _x_instant(event, "X-MOMENTUM-COMPLETED", tz_name)
    created = _decoded(event, "CREATED")
    modified = _decoded(event, "LAST-MODIFIED")
    if created is not None:
        record.created_at = _instant(created, tz_name, "CREATED")
    if modified is not None:
        record.updated_at = _instant(modified, tz_name, "LAST-MODIFIED")
    return record.validate()


def parse_ics(text: str, tz_name: str, hooks: Feedback | None = None) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("ics")
    components = scan(text)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many kinds on bad input
        raise ValidationError(_parse_error_line(text, exc), f"not a valid value ({exc})") \
            from None
    parsed = [c for c in calendar.subcomponents if c.name in ITEM_KINDS]
    if len(parsed) != len(components):
        raise ValidationError("file", "the calendar's components could not be read in order")
    for index, (meta, component) in enumerate(zip(components, parsed, strict=True)):
        if index % 500 == 0:
            hooks.check()
            hooks.report("parse", index, len(parsed))
        try:
            if meta.kind == "VTODO":
                plan.tasks.append(todo_record(meta, component, tz_name))
            else:
                slot = event_record(meta, component, tz_name, plan)
                if slot is not None:
                    plan.slots.append(slot)
        except ValidationError as exc:
            name = exc.field.split(".")[0]
            name = PROPERTY_OF_FIELD.get(name, name.upper())
            line = meta.properties.get(name, meta.line)
            raise ValidationError(f"line {line} ({meta.kind}): {exc.field}", exc.message) \
                from None
    return plan
