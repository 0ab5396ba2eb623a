"""iCalendar (RFC 5545) → tasks (VTODO), goals (VTODOs with subtasks) and time slots
(VEVENT), read with ``icalendar``.

A first pass over the raw lines checks the structure (content lines, ``BEGIN``/``END``
pairs, closed ``VCALENDAR``s — a file may hold several) and remembers where each
component and property starts, so every error names its line. It is strict about what
breaks the structure or the properties Momentum reads, and lenient about the rest, as
calendar programs are: a malformed line of a property Momentum does not use
(``ORGANIZER;CN=Sixt SE``, ``X-APPLE-RADIUS=49.9``) is skipped and counted, whitespace
in a property name is ignored, content after the last ``END:VCALENDAR`` is ignored, and an
alarm whose ``TRIGGER`` cannot be read is skipped. Then:

* **VTODO** → task: ``SUMMARY`` title, ``DESCRIPTION`` notes, ``DUE`` (date, or the
  date of a date-time in the profile's zone), ``PRIORITY`` 1 → complexity 5, 2–4 → 4,
  5 → 3, 6–9 → 2, none → 1; ``STATUS:COMPLETED`` → done at ``COMPLETED`` (history);
  ``CANCELLED`` → a deleted task; ``RRULE`` → repeat rule; ``CATEGORIES`` → tags, except
  ``X-MOMENTUM-PROJECT`` (Momentum's own export), which is the project; a ``DUE``
  date-time → the due date and time; alarms (``VALARM``) → reminders (minutes before the
  due, or an instant; :mod:`.alarms`). ``SUMMARY`` missing → "Untitled task"; ``DTSTART``,
  ``PERCENT-COMPLETE`` and ``LOCATION`` are kept as notes lines; a VTODO that other
  VTODOs name as their parent (``RELATED-TO``) becomes a **goal**, its subtasks the steps;
  its tags, reminders and repeat rule stay in its notes, listed as skipped
  (:mod:`.goal_records`).
* **VEVENT** → time slot from ``DTSTART`` to ``DTEND`` (or ``DURATION``); floating times
  are read in the profile's zone. An all-day event is a slot from local midnight to
  midnight; a recurring event (``RRULE``/``RDATE``, minus ``EXDATE``, with its
  ``RECURRENCE-ID`` overrides) becomes one slot per occurrence, up to a year after the
  file's latest stamp (at most 400). Cancelled events, events without a duration and
  events longer than seven days are skipped (and counted). ``X-MOMENTUM-COMPLETED`` marks
  a done slot.
* Identity: ``UID`` (+ ``RECURRENCE-ID``, + the occurrence's start); Momentum's own UIDs
  (``task-12@momentum.local``) point at the item they came from.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from ..clock import zone
from ..errors import ValidationError
from ..exports.common import Feedback
from ..kinds import Status
from . import alarms, common, goal_records
from .common import ImportPlan, SlotRecord, TaskRecord

_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_UNTIL_TIME = re.compile(r"UNTIL=(\d{8})T\d{6}Z?")
_OWN_UID = re.compile(r"^(task|slot|goal)-(\d+)@momentum\.local$")
ITEM_KINDS = ("VTODO", "VEVENT")
#: Record fields → the iCalendar property they come from (to name the right line).
PROPERTY_OF_FIELD = {"title": "SUMMARY", "notes": "DESCRIPTION", "due": "DUE",
                     "complexity": "PRIORITY", "repeat": "RRULE", "start": "DTSTART",
                     "end": "DTEND", "completed_at": "COMPLETED", "created_at": "CREATED",
                     "updated_at": "LAST-MODIFIED", "project": "X-MOMENTUM-PROJECT",
                     "repeat_after": "X-MOMENTUM-REPEAT-AFTER", "deleted_at": "LAST-MODIFIED"}
#: Properties Momentum reads: a malformed line of one of these refuses the file.
USED = frozenset({"BEGIN", "END", "SUMMARY", "DESCRIPTION", "DTSTART", "DTEND", "DUE",
                  "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS",
                  "COMPLETED", "PRIORITY", "CREATED", "LAST-MODIFIED", "DTSTAMP", "UID",
                  "CATEGORIES", "RELATED-TO", "PERCENT-COMPLETE", "LOCATION", "TRIGGER",
                  "TZID", "X-MOMENTUM-PROJECT", "X-MOMENTUM-COMPLETED",
                  "X-MOMENTUM-REPEAT-AFTER"})
MALFORMED = "malformed lines of properties Momentum does not use"
BAD_ALARM = "alarms with an invalid TRIGGER"
AFTER_END = "lines after END:VCALENDAR"
MAX_OCCURRENCES = 400
HORIZON = timedelta(days=366)


@dataclass
class _Component:
    kind: str
    line: int
    properties: dict[str, int] = field(default_factory=dict)  # name → first line
    #: TZIDs the component's calendar defines with a VTIMEZONE.
    tzids: set[str] = field(default_factory=set)


@dataclass
class _Scan:
    components: list[_Component]
    text: str  # the lines kept, for icalendar
    skipped: dict[str, int]


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


def _without_spaces(line: str) -> str | None:
    """``REFRESH - INTERVAL; VALUE = DURATION:PT48H`` → ``REFRESH-INTERVAL;VALUE=DURATION:PT48H``
    (whitespace in a name or parameter), or None."""
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            fixed = re.sub(r"\s+", "", line[:index]) + line[index:]
            return fixed if _property_name(fixed) is not None else None
    return None


def _loose_name(line: str) -> str | None:
    """The name of a malformed line that still names a property: ``X-NAME=value`` or
    ``NAME;PARAM=…`` without a value."""
    match = re.match(r"^([A-Za-z0-9-]+)([;=])", line)
    if not match:
        return None
    name = match.group(1).upper()
    if match.group(2) == "=" and not name.startswith("X-"):
        return None
    return name


def _trigger_ok(lines: list[str]) -> bool:
    for line in lines:
        if _property_name(line) == "TRIGGER":
            head, value = line.split(":", 1)
            try:
                if "VALUE=DATE-TIME" in head.upper():
                    icalendar.vDatetime.from_ical(value.strip())
                else:
                    return alarms.duration(value) is not None
            except (ValueError, TypeError):
                return False
            return True
    return False


def scan(text: str) -> _Scan:
    """Check the structure; return the VTODO/VEVENT components in file order and the
    text icalendar is to read (malformed unused lines and unreadable alarms left out)."""
    lines = _logical_lines(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise ValidationError(f"line {lines[0][0] if lines else 1}",
                              "not an iCalendar file (it must start with BEGIN:VCALENDAR)")
    stack: list[tuple[str, int]] = []
    components: list[_Component] = []
    current: _Component | None = None
    kept: list[str] = []
    alarm: list[str] | None = None
    skipped: dict[str, int] = {}
    calendar_tzids: set[str] = set()
    in_timezone = False

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for number, line in lines:
        if not stack:
            if line.strip().upper() == "BEGIN:VCALENDAR":  # several calendars: RFC 5545
                calendar_tzids = set()
            else:
                skip(AFTER_END)
                continue
        name = _property_name(line)
        if name is None:
            fixed = _without_spaces(line)
            if fixed is not None:
                line, name = fixed, _property_name(fixed)
        if name is None:
            loose = _loose_name(line)
            if loose is not None and loose not in USED and stack:
                skip(MALFORMED)
                continue
            raise ValidationError(f"line {number}", "not an iCalendar content line "
                                  "(expected NAME:VALUE)")
        value = line.split(":", 1)[1].strip().upper() if ":" in line else ""
        if name == "BEGIN":
            stack.append((value, number))
            if value in ITEM_KINDS and len(stack) == 2:
                current = _Component(value, number, tzids=calendar_tzids)
                components.append(current)
            in_timezone = in_timezone or value == "VTIMEZONE"
            if value == "VALARM":
                alarm = []
        elif name == "END":
            if not stack or stack[-1][0] != value:
                expected = f"END:{stack[-1][0]}" if stack else "nothing"
                raise ValidationError(f"line {number}", f"END:{value} where {expected} was "
                                      "expected")
            stack.pop()
            if value == "VTIMEZONE":
                in_timezone = False
            if value == "VALARM" and alarm is not None:
                block, alarm = alarm + [line], None
                if _trigger_ok(block):
                    kept.extend(block)
                else:
                    skip(BAD_ALARM)
                continue
            if len(stack) == 1:
                current = None
        else:
            if in_timezone and name == "TZID":
                calendar_tzids.add(line.split(":", 1)[1].strip())
            if current is not None and len(stack) == 2:
                current.properties.setdefault(name, number)
        if alarm is not None:
            alarm.append(line)
        else:
            kept.append(line)
    if stack:
        kind, number = stack[-1]
        raise ValidationError(f"line {lines[-1][0]}", f"the file ends before END:{kind} "
                              f"(BEGIN:{kind} at line {number}; truncated?)")
    return _Scan(components, "\r\n".join(kept) + "\r\n", skipped)


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
        return common.instant_in(value, field_name, tz_name)
    if isinstance(value, date):
        return common.local_noon(value, tz_name)
    raise ValidationError(field_name, f"not a date-time: {value!r}")


def known_tzid(tzid: str, defined: set[str]) -> bool:
    """A TZID the file defines, an IANA zone (also behind a vendor prefix such as
    ``/mozilla.org/20070129_1/America/New_York``) or a Windows zone name."""
    if tzid in defined or tzid in WINDOWS_TO_OLSON:
        return True
    parts = [p for p in tzid.split("/") if p]
    for start in range(len(parts)):
        try:
            zoneinfo.ZoneInfo("/".join(parts[start:]))
            return True
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return False


class Unreadable(ValidationError):
    """A date property whose value cannot be read at all (``DTSTART:INVALID-DATE``)."""


def _decoded(component: Any, name: str, tzids: set[str] | None = None) -> Any:
    try:
        value = component.decoded(name) if name in component else None
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(name, f"not a valid value ({exc})") from None
    if isinstance(value, list):  # the property twice: the first one counts
        value = value[0] if value else None
    if isinstance(value, str | bytes):  # icalendar keeps an unreadable value as text
        raise Unreadable(name, f"not a valid value: {value!r}")
    prop = component[name] if value is not None else None
    if isinstance(prop, list):
        prop = prop[0]
    tzid = prop.params.get("TZID") if prop is not None and hasattr(prop, "params") else None
    if tzid and isinstance(value, datetime) and (
            value.tzinfo is None or not known_tzid(str(tzid), tzids or set())):
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
        value = icalendar.vDDDTypes.from_ical(text.strip())
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


def _identity(component: Any, meta: _Component) -> tuple[str | None, int | None, str | None]:
    """(source id, own Momentum id, own kind): ``UID`` [+ ``|RECURRENCE-ID``]."""
    uid = _text_of(component, "UID")
    if not uid or not uid.strip():
        return None, None, None
    uid = uid.strip()
    source = uid
    recurrence = component.get("RECURRENCE-ID")
    if recurrence is not None:
        source += "|" + recurrence.to_ical().decode()
    own = _OWN_UID.match(uid)
    if own:
        return source, int(own.group(2)), own.group(1)
    return source, None, None


def _local_text(value: Any, tz_name: str) -> str:
    if isinstance(value, datetime):
        local = (value if value.tzinfo else value.replace(tzinfo=zone(tz_name))).astimezone(
            zone(tz_name))
        return local.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def _readable(todo: Any, name: str, tzids: set[str], notes: list[str]) -> Any:
    """A VTODO's date, or None when unreadable (its text is then kept in the notes)."""
    try:
        return _decoded(todo, name, tzids)
    except Unreadable:
        notes.append(f"{name}: {todo.get(name)!s}")
        return None


def todo_record(meta: _Component, todo: Any, tz_name: str, *, now: datetime) -> TaskRecord:
    summary = _text_of(todo, "SUMMARY")
    if summary is None or not summary.strip():
        summary = "Untitled task"
    project = _text_of(todo, "X-MOMENTUM-PROJECT")
    tags = [c for c in _categories(todo) if c != project]
    notes: list[str] = []
    description = _text_of(todo, "DESCRIPTION")
    if description:
        notes.append(description)
    start = _readable(todo, "DTSTART", meta.tzids, notes)
    if start is not None:
        notes.append(f"Starts: {_local_text(start, tz_name)}")
    location = _text_of(todo, "LOCATION")
    if location and location.strip():
        notes.append(f"Location: {location.strip()}")
    percent = todo.get("PERCENT-COMPLETE")
    status = (_text_of(todo, "STATUS") or "NEEDS-ACTION").upper()
    if percent is not None and str(percent).strip() not in ("", "0") and \
            status != "COMPLETED" and str(percent).strip() != "100":
        notes.append(f"Progress: {str(percent).strip()}%")
    due_value = _readable(todo, "DUE", meta.tzids, notes)
    due, due_time = None, None
    if isinstance(due_value, datetime):
        local = (due_value if due_value.tzinfo else due_value.replace(tzinfo=zone(tz_name))) \
            .astimezone(zone(tz_name))
        due, due_time = local.date(), f"{local:%H:%M}"
    elif isinstance(due_value, date):
        due = due_value
    reminders = alarms.alarm_reminders(todo, start, due_value if due is not None else None,
                                       tz_name, notes)
    source_id, own_id, own_kind = _identity(todo, meta)
    record = TaskRecord(line=meta.line, title=summary, notes="\n".join(notes),
                        project=project or None, source_id=source_id,
                        own_id=own_id if own_kind in ("task", "goal") else None,
                        tags=tags, due_time=due_time, reminders=reminders)
    if todo.get("PRIORITY") is not None:
        record.complexity = _complexity(todo.get("PRIORITY"))
    record.due = due
    rrule = todo.get("RRULE")
    if rrule is not None:
        rule = (rrule[0] if isinstance(rrule, list) else rrule).to_ical().decode()
        # A task's repeat rule works on dates: UNTIL=20260301T000000Z → UNTIL=20260301.
        record.repeat = _UNTIL_TIME.sub(r"UNTIL=\1", rule)
    after = _text_of(todo, "X-MOMENTUM-REPEAT-AFTER")  # Momentum's own export
    if after and after.strip() and record.repeat is None:
        record.repeat_after = after.strip()
    modified = _read_stamps(todo, record, tz_name)
    stamp = _decoded(todo, "DTSTAMP")
    completed = _decoded(todo, "COMPLETED")
    if status == "COMPLETED" or completed is not None:
        record.status = Status.DONE
        when = completed if completed is not None else (modified or stamp)
        record.completed_at = _instant(when, tz_name, "COMPLETED") if when is not None else None
    elif status == "CANCELLED":
        when = modified or stamp
        record.deleted_at = _instant(when, tz_name, "LAST-MODIFIED") if when is not None \
            else now
    return record.validate()


def _all_day_bounds(day: date, end: date, tz_name: str) -> tuple[datetime, datetime]:
    tz = zone(tz_name)
    return (datetime.combine(day, time(0), tz).astimezone(UTC),
            datetime.combine(end, time(0), tz).astimezone(UTC))


def _event_times(event: Any, meta: _Component, tz_name: str, plan: ImportPlan
                 ) -> tuple[Any, timedelta] | None:
    """(DTSTART as written, duration) or None when the event is skipped."""
    start_value = _decoded(event, "DTSTART", meta.tzids)
    if start_value is None:
        raise ValidationError("DTSTART", "missing (an event needs a start)")
    all_day = not isinstance(start_value, datetime)
    end_value = _decoded(event, "DTEND", meta.tzids)
    if end_value is not None:
        if isinstance(end_value, datetime) == all_day:
            raise ValidationError("DTEND", "must be a date-time like DTSTART" if not all_day
                                  else "must be a date like DTSTART")
        if all_day:
            length = end_value - start_value
        else:
            length = _instant(end_value, tz_name, "DTEND") - _instant(start_value, tz_name,
                                                                      "DTSTART")
    else:
        duration = _decoded(event, "DURATION")
        if all_day and duration is None:
            length = timedelta(days=1)
        elif not isinstance(duration, timedelta) or duration <= timedelta(0):
            plan.skip("events without a duration")
            return None
        else:
            length = duration
    if all_day and length <= timedelta(0):
        length = timedelta(days=1)
    if length <= timedelta(0):
        raise ValidationError("DTEND", "must be after DTSTART")
    if length.days > common.MAX_SLOT_DAYS or (all_day and length.days == common.MAX_SLOT_DAYS
                                               and length > timedelta(days=7)):
        plan.skip("events longer than 7 days")
        return None
    return start_value, length


def _slot(meta: _Component, event: Any, tz_name: str, start_value: Any, length: timedelta,
          source_id: str | None, own_id: int | None) -> SlotRecord:
    if isinstance(start_value, datetime):
        start = _instant(start_value, tz_name, "DTSTART")
        end = start + length
    else:
        start, end = _all_day_bounds(start_value, start_value + length, tz_name)
    summary = _text_of(event, "SUMMARY") or "Untitled event"
    record = SlotRecord(line=meta.line, title=summary, start=start, end=end,
                        source_id=source_id, own_id=own_id)
    record.completed_at = _x_instant(event, "X-MOMENTUM-COMPLETED", tz_name)
    _read_stamps(event, record, tz_name)
    return record.validate()


def _read_stamps(component: Any, record: TaskRecord | SlotRecord, tz_name: str) -> Any:
    """``CREATED`` and ``LAST-MODIFIED`` onto the record, where the component has them;
    returns ``LAST-MODIFIED`` as decoded (None without one)."""
    created = _decoded(component, "CREATED")
    modified = _decoded(component, "LAST-MODIFIED")
    if created is not None:
        record.created_at = _instant(created, tz_name, "CREATED")
    if modified is not None:
        record.updated_at = _instant(modified, tz_name, "LAST-MODIFIED")
    return modified


def _dates_of(event: Any, name: str) -> list[Any]:
    raw = event.get(name)
    if raw is None:
        return []
    out = []
    for group in raw if isinstance(raw, list) else [raw]:
        try:
            items = list(getattr(group, "dts", []))
        except Exception:  # noqa: BLE001, S112 - icalendar's broken-property error
            continue  # an unreadable RDATE/EXDATE value adds or removes nothing
        for item in items:
            value = item.dt
            if isinstance(value, tuple):  # a PERIOD: its start
                value = value[0]
            out.append(value)
    return out


def _comparable(value: Any, start_value: Any) -> Any:
    """An RDATE/EXDATE/RECURRENCE-ID value in the same shape as DTSTART."""
    if isinstance(start_value, datetime):
        if not isinstance(value, datetime):
            value = datetime.combine(value, start_value.timetz())
        if start_value.tzinfo is None and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        elif start_value.tzinfo is not None and value.tzinfo is None:
            value = value.replace(tzinfo=start_value.tzinfo)
        return value
    return value.date() if isinstance(value, datetime) else value


def _occurrences(event: Any, start_value: Any, overridden: set[Any],
                 unreadable: list[str]) -> list[Any]:
    """The starts of a recurring event: RRULE and RDATE, minus EXDATE and the occurrences
    another component overrides (``RECURRENCE-ID``), up to a year after the latest of the
    start and the file's stamps, at most :data:`MAX_OCCURRENCES`."""
    stamps = [start_value if isinstance(start_value, datetime)
              else datetime.combine(start_value, time(0))]
    for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED"):
        value = event.get(name)
        if value is not None and isinstance(getattr(value, "dt", None), datetime):
            stamp = value.dt
            base = stamps[0]
            stamps.append(stamp.astimezone(base.tzinfo).replace(tzinfo=base.tzinfo)
                          if base.tzinfo else stamp.replace(tzinfo=None))
    horizon = max(stamps) + HORIZON
    starts: set[Any] = {start_value}
    rrule = event.get("RRULE")
    if rrule is not None:
        rule = re.sub(r"\s+", "", (rrule[0] if isinstance(rrule, list) else rrule)
                      .to_ical().decode())
        dtstart = start_value if isinstance(start_value, datetime) else datetime.combine(
            start_value, time(0))
        if dtstart.tzinfo is not None:
            rule = re.sub(r"UNTIL=(\d{8})(?:T(\d{6}))?Z?(?=;|$)",
                          lambda m: f"UNTIL={m.group(1)}T{m.group(2) or '235959'}Z", rule)
        else:
            rule = re.sub(r"UNTIL=(\d{8})(?:T(\d{6}))?Z?(?=;|$)",
                          lambda m: f"UNTIL={m.group(1)}T{m.group(2) or '235959'}", rule)
        try:
            recurrence = rrulestr(f"RRULE:{rule}", dtstart=dtstart)
        except (ValueError, TypeError):
            # RSCALE (RFC 7529) calendars and broken rules: the first occurrence only.
            recurrence = []
            unreadable.append(rule)
        for index, when in enumerate(recurrence):
            if when > horizon or index >= MAX_OCCURRENCES:
                break
            starts.add(when if isinstance(start_value, datetime) else when.date())
    starts.update(_comparable(v, start_value) for v in _dates_of(event, "RDATE"))
    excluded = {_comparable(v, start_value) for v in _dates_of(event, "EXDATE")} | overridden
    return sorted(s for s in starts if s not in excluded)[:MAX_OCCURRENCES]


def event_records(meta: _Component, event: Any, tz_name: str, plan: ImportPlan,
                  overridden: set[Any]) -> list[SlotRecord]:
    status = (_text_of(event, "STATUS") or "").upper()
    if status == "CANCELLED":
        plan.skip("cancelled events")
        return []
    try:
        times = _event_times(event, meta, tz_name, plan)
    except Unreadable:
        plan.skip("events with an unreadable start or end")
        return []
    if times is None:
        return []
    start_value, length = times
    source_id, own_id, own_kind = _identity(event, meta)
    own_id = own_id if own_kind == "slot" else None
    if event.get("LOCATION") is not None or event.get("DESCRIPTION") is not None:
        plan.notice("event descriptions and locations not kept (time slots have no notes)")
    if event.get("RRULE") is None and event.get("RDATE") is None:
        return [_slot(meta, event, tz_name, start_value, length, source_id, own_id)]
    unreadable: list[str] = []
    starts = _occurrences(event, start_value, overridden, unreadable)
    if unreadable:
        plan.notice("repeat rules Momentum cannot read (first occurrence imported)")
    if len(starts) > 1:
        plan.notice("recurring events imported as one slot per occurrence (up to a year "
                    "ahead)")
    return [_slot(meta, event, tz_name, when, length,
                  f"{source_id}@{when.isoformat()}" if source_id else None, None)
            for when in starts]


def _overrides(pairs: list[tuple[_Component, Any]]) -> dict[str, set[Any]]:
    """UID → the RECURRENCE-ID values of the components that override an occurrence."""
    out: dict[str, set[Any]] = {}
    for meta, component in pairs:
        if meta.kind == "VEVENT" and component.get("RECURRENCE-ID") is not None:
            uid = (_text_of(component, "UID") or "").strip()
            out.setdefault(uid, set()).add(component.decoded("RECURRENCE-ID"))
    return out


def parse_ics(text: str, tz_name: str, hooks: Feedback | None = None, *,
              now: datetime) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("ics")
    scanned = scan(text)
    for reason, count in scanned.skipped.items():
        plan.skip(reason, count)
    try:
        calendars = icalendar.Calendar.from_ical(scanned.text, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many kinds on bad input
        raise ValidationError(_parse_error_line(text, exc), f"not a valid value ({exc})") \
            from None
    parsed = [c for calendar in calendars for c in calendar.subcomponents
              if c.name in ITEM_KINDS]
    components = scanned.components
    if len(parsed) != len(components):
        raise ValidationError("file", "the calendar's components could not be read in order")
    pairs = list(zip(components, parsed, strict=True))
    overrides = _overrides(pairs)
    todos: list[tuple[TaskRecord, Any]] = []
    for index, (meta, component) in enumerate(pairs):
        if index % 500 == 0:
            hooks.check()
            hooks.report("parse", index, len(parsed))
        try:
            if meta.kind == "VTODO":
                todos.append((todo_record(meta, component, tz_name, now=now), component))
            else:
                own = set()
                if component.get("RECURRENCE-ID") is None:
                    uid = (_text_of(component, "UID") or "").strip()
                    try:
                        start = _decoded(component, "DTSTART", meta.tzids)
                    except Unreadable:
                        start = None
                    own = {_comparable(v, start) for v in overrides.get(uid, set())} \
                        if start is not None else set()
                plan.slots.extend(event_records(meta, component, tz_name, plan, own))
        except ValidationError as exc:
            name = exc.field.split(".")[0]
            name = PROPERTY_OF_FIELD.get(name, name.upper())
            line = meta.properties.get(name, meta.line)
            raise ValidationError(f"line {line} ({meta.kind}): {exc.field}", exc.message) \
                from None
    goal_records.ics_goals(plan, todos, tz_name)
    return plan
