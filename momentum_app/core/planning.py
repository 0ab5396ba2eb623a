"""Planning rules as pure functions (SPEC v2 §12): due times, durations, repeats.

No database and no clock here: every function takes ``now``/``today`` and the zone.

* **Due.** A task's due is a local date, optionally with a local wall time. With a time it
  is also an instant (UTC) and the task is overdue after that instant; with a date alone it
  is overdue once the day is over.
* **Durations.** Reminder offsets and snoozes use ``m``/``h``/``d``/``w`` (minutes, hours,
  days, weeks); ``--repeat-after`` uses ``d``/``w``/``m``/``y`` (days, weeks, *months*,
  years), as SPEC §12 writes them (``30m`` before a due time, ``1m`` after a completion).
* **Scheduled repeats** are RRULEs evaluated from the series' first occurrence (DTSTART),
  so ``COUNT`` and ``UNTIL`` end the series, and ``BYHOUR``/``BYMINUTE`` give the
  occurrence a time. Completing an overdue occurrence moves to the first occurrence after
  today: the skipped dates are not owed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from .clock import parse_instant, zone
from .errors import ValidationError

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

#: Where a date-only due's offset reminders count from (a reminder "1h before" a task due
#: on a day fires at 08:00 of that day).
DATE_ONLY_REMINDER_TIME = time(9, 0)
#: What "snooze until tomorrow" means: tomorrow at this local time.
TOMORROW_TIME = time(9, 0)
_OFFSET = re.compile(r"^\s*(\d{1,5})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)\s*$",
                     re.IGNORECASE)
_AFTER = re.compile(r"^\s*(\d{1,4})\s*(d|days?|w|weeks?|m|months?|y|years?)\s*$",
                    re.IGNORECASE)
MAX_OFFSET_MINUTES = 366 * 24 * 60
#: An occurrence search never walks further than this many occurrences (a rule with a
#: huge interval or an odd BYSETPOS cannot hang the app).
MAX_STEPS = 5000


@dataclass(frozen=True)
class Due:
    """A due: the local date, and with a time also the local wall time and the instant."""

    date: date
    time: str | None = None  # "HH:MM", local wall time
    at: datetime | None = None  # the instant, UTC

    def local(self) -> datetime:
        """The local wall time (a date alone: midnight), naive."""
        clock = time.fromisoformat(self.time) if self.time else time(0)
        return datetime.combine(self.date, clock)

    def label(self) -> str:
        return f"{self.date.isoformat()} {self.time}" if self.time else self.date.isoformat()

    def iso(self) -> str:
        """``2026-12-01`` or ``2026-12-01T09:00`` (local)."""
        return f"{self.date.isoformat()}T{self.time}" if self.time else self.date.isoformat()


def due_at_local(day: date, wall: time | None, tz_name: str) -> Due:
    """The due for a local date and (optional) wall time."""
    if wall is None:
        return Due(day)
    local = datetime.combine(day, wall.replace(second=0, microsecond=0))
    return Due(day, f"{local:%H:%M}", local.replace(tzinfo=zone(tz_name)).astimezone(UTC))


def parse_due(value: str, tz_name: str, field: str = "due") -> Due:
    """``YYYY-MM-DD`` (a date alone) or an ISO 8601 date and time, local unless it has an
    offset (then shown in the profile's zone)."""
    text = value.strip()
    if len(text) == 10:
        try:
            return Due(date.fromisoformat(text))
        except ValueError:
            raise ValidationError(field, f"not a date (YYYY-MM-DD) or date and time "
                                  f"(YYYY-MM-DDTHH:MM): {value!r}") from None
    try:
        instant = parse_instant(text, field, tz_name)
    except ValidationError:
        raise ValidationError(field, f"not a date (YYYY-MM-DD) or date and time "
                              f"(YYYY-MM-DDTHH:MM): {value!r}") from None
    local = instant.astimezone(zone(tz_name))
    return due_at_local(local.date(), local.time(), tz_name)


def optional_wall_time(value: object, field: str = "due_time") -> str | None:
    """``"HH:MM"`` or None (a backup's ``due_time``)."""
    return _optional_stamp(value, field, 5, time.fromisoformat, "%H:%M", "not a time (HH:MM)")


def optional_local_start(value: object, field: str = "repeat_start") -> str | None:
    """``"YYYY-MM-DDTHH:MM"`` or None (a backup's ``repeat_start``)."""
    return _optional_stamp(value, field, 16, datetime.fromisoformat, "%Y-%m-%dT%H:%M",
                           "not a local date and time")


def _optional_stamp(value: object, field: str, length: int,
                    parse: Callable[[str], time | datetime], layout: str,
                    problem: str) -> str | None:
    """None, or ``value``: text of ``length`` characters that ``parse`` reads, written
    back in ``layout``; anything else is bad input ("``problem``: value")."""
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != length:
            raise ValueError
        return f"{parse(value):{layout}}"
    except ValueError:
        raise ValidationError(field, f"{problem}: {value!r}") from None


def is_overdue(due_date: date | None, due_at: datetime | None, now: datetime,
               today: date) -> bool:
    """With a time: after the instant. With a date alone: after the day."""
    if due_at is not None:
        return now > due_at
    return due_date is not None and due_date < today


# --- durations ----------------------------------------------------------------------


def offset_minutes(text: str, field: str = "remind") -> int:
    """``30m``, ``2h``, ``1d``, ``1w`` → minutes."""
    match = _OFFSET.match(text)
    if not match:
        raise ValidationError(field, f"not a duration like 30m, 2h, 1d: {text!r}")
    amount, unit = int(match.group(1)), match.group(2).lower()
    minutes = amount * {"m": 1, "h": 60, "d": 1440, "w": 10080}[unit[0]]
    if minutes > MAX_OFFSET_MINUTES:
        raise ValidationError(field, f"at most a year: {text!r}")
    return minutes


def is_offset(text: str) -> bool:
    return bool(_OFFSET.match(text))


def repeat_after(text: object, field: str = "repeat_after") -> str:
    """``3d``, ``2w``, ``1m`` (month), ``1y`` → the normal form ``3d``/``2w``/``1m``/``1y``."""
    match = _AFTER.match(text) if isinstance(text, str) else None
    if not match or int(match.group(1)) == 0:
        raise ValidationError(field, f"not a duration like 3d, 2w, 1m (month): {text!r}")
    return f"{int(match.group(1))}{match.group(2)[0].lower()}"


def after_delta(normal: str) -> relativedelta:
    amount, unit = int(normal[:-1]), normal[-1]
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415 (loaded when used)

    return {"d": relativedelta(days=amount), "w": relativedelta(weeks=amount),
            "m": relativedelta(months=amount), "y": relativedelta(years=amount)}[unit]


def snooze_until(text: str, now: datetime, tz_name: str, field: str = "duration") -> datetime:
    """``10m``, ``1h``, ``1d`` from now, or ``tomorrow`` (09:00 local tomorrow)."""
    if text.strip().lower() == "tomorrow":
        local = now.astimezone(zone(tz_name))
        morning = datetime.combine(local.date() + timedelta(days=1), TOMORROW_TIME)
        return morning.replace(tzinfo=zone(tz_name)).astimezone(UTC)
    return now + timedelta(minutes=offset_minutes(text, field))


def reminder_time(due: Due, offset: int, tz_name: str) -> datetime:
    """When an offset reminder fires: ``offset`` minutes before the due time (a date alone
    counts from :data:`DATE_ONLY_REMINDER_TIME` of that day)."""
    if due.at is not None:
        return due.at - timedelta(minutes=offset)
    base = datetime.combine(due.date, DATE_ONLY_REMINDER_TIME).replace(tzinfo=zone(tz_name))
    return base.astimezone(UTC) - timedelta(minutes=offset)


def offset_label(minutes: int) -> str:
    for unit, size in (("w", 10080), ("d", 1440), ("h", 60)):
        if minutes and minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


# --- scheduled repeats --------------------------------------------------------------


def rule_has_time(rule: str) -> bool:
    """Whether the rule itself sets the time of day (BYHOUR/BYMINUTE)."""
    upper = rule.upper()
    return "BYHOUR=" in upper or "BYMINUTE=" in upper


def _rule(rule: str, start: datetime, tz_name: str) -> Any:
    """The rule from the naive local ``start``; a UTC ``UNTIL`` (as calendars export it)
    is read as the local wall time of that instant."""
    parts = []
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        if key.upper() == "UNTIL" and value.upper().endswith("Z"):
            instant = datetime.strptime(value.upper(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            value = instant.astimezone(zone(tz_name)).strftime("%Y%m%dT%H%M%S")
        elif key.upper() == "UNTIL" and len(value) == 8:
            value += "T235959"
        parts.append(f"{key}={value}" if value else key)
    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # noqa: PLC0415

    return rrulestr(";".join(parts), dtstart=start.replace(second=0, microsecond=0))


def occurrences(rule: str, start: datetime, tz_name: str, *, after: datetime,
                count: int = 1, inclusive: bool = False) -> list[datetime]:
    """Up to ``count`` local occurrences of the series from ``start``, after ``after``."""
    recurrence = _rule(rule, start, tz_name)
    found: list[datetime] = []
    cursor = after
    include = inclusive
    for _ in range(MAX_STEPS):
        if len(found) == count:
            break
        nxt = recurrence.after(cursor, inc=include)
        if nxt is None:
            break
        found.append(nxt)
        cursor, include = nxt, False
    return found


def first_occurrence(rule: str, start: datetime, tz_name: str) -> datetime | None:
    """The series' first occurrence on or after ``start`` (DTSTART need not match)."""
    found = occurrences(rule, start, tz_name, after=start, inclusive=True)
    return found[0] if found else None


def next_scheduled(rule: str, start: datetime, current: datetime, today: date,
                   tz_name: str) -> datetime | None:
    """The occurrence that follows ``current`` once it is done; for an overdue occurrence
    (before ``today``), the first one after today. ``None`` when the series has ended."""
    after = current
    if current.date() < today:
        after = max(current, datetime.combine(today, time(23, 59, 59)))
    found = occurrences(rule, start, tz_name, after=after)
    return found[0] if found else None


def preview(rule: str, start: datetime, tz_name: str, count: int = 3) -> list[datetime]:
    """The series' first ``count`` occurrences from ``start`` (the task dialog's preview)."""
    return occurrences(rule, start, tz_name, after=start, count=count, inclusive=True)


def due_of_occurrence(occurrence: datetime, timed: bool, tz_name: str) -> Due:
    return due_at_local(occurrence.date(), occurrence.time() if timed else None, tz_name)
