"""Alarms from other tools → reminders (SPEC §12): one conversion for every format.

An alarm is a duration relative to the item (RFC 5545 ``TRIGGER``: ``-PT30M`` is 30
minutes before, ``PT0S`` at the moment, ``-P1D`` a day before). iCalendar's ``VALARM``
and TickTick's ``Reminder`` column (the same durations, several separated by commas) are
read here, by icalendar's duration parser, into Momentum's reminders: minutes before the
due (0 … a year), or an instant. One Momentum cannot hold stays readable in the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import icalendar

from ..clock import zone
from ..planning import MAX_OFFSET_MINUTES
from . import common

#: Skip reasons of TickTick-style reminder columns (the text is kept in the notes).
NO_DUE = "reminders of tasks without a due date (kept in the notes)"
UNREADABLE = "reminders that could not be read (kept in the notes)"
AFTER_DUE = "reminders after the due or more than a year before it (kept in the notes)"


def duration(text: str) -> timedelta | None:
    """An RFC 5545 duration (``-PT30M``), or None when ``text`` is not one."""
    try:
        value = icalendar.vDuration.from_ical(text.strip())
    except (ValueError, TypeError):
        return None
    return value if isinstance(value, timedelta) else None


def minutes_before(value: timedelta) -> int | None:
    """A trigger duration as minutes before its anchor, or None when Momentum cannot hold
    it as an offset (after the anchor, or more than a year before)."""
    minutes = int(-value.total_seconds() // 60)
    return minutes if 0 <= minutes <= MAX_OFFSET_MINUTES else None


def alarm_reminders(todo: Any, start: Any, due: Any, tz_name: str, notes: list[str]
                    ) -> list[int | datetime]:
    """Each VALARM of a VTODO as a reminder: a ``TRIGGER`` before ``DUE``
    (``RELATED=END``, or a VTODO without ``DTSTART``) → minutes before the due; an
    absolute one, or one relative to a ``DTSTART`` date-time → that instant. One Momentum
    cannot hold (after the due, or before a start with no time) is kept as a notes line."""
    reminders: list[int | datetime] = []
    for alarm in todo.walk("VALARM"):
        trigger = alarm.get("TRIGGER")
        if trigger is None:
            continue
        value = trigger.dt
        if isinstance(value, datetime):
            if common.MIN_YEAR <= value.year <= common.MAX_YEAR:
                reminders.append(value if value.tzinfo else value.replace(tzinfo=zone(tz_name)))
            continue
        if not isinstance(value, timedelta):
            continue
        related = str(trigger.params.get("RELATED", "START")).upper()
        anchor = due if related == "END" or start is None else start
        minutes = minutes_before(value)
        if anchor is due and due is not None and minutes is not None:
            reminders.append(minutes)
        elif isinstance(anchor, datetime) and \
                common.MIN_YEAR < anchor.year < common.MAX_YEAR:
            local = anchor if anchor.tzinfo else anchor.replace(tzinfo=zone(tz_name))
            reminders.append(local + value)
        else:
            before = int(-value.total_seconds() // 60)
            where = "due" if related == "END" else "start"
            notes.append(f"Reminder: {abs(before)} minutes "
                         f"{'before' if before >= 0 else 'after'} {where}")
    return reminders


@dataclass
class Offsets:
    """A reminder column read: the offsets held, the texts kept for the notes and why."""

    minutes: list[int] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def offsets(text: str, *, has_due: bool) -> Offsets:
    """A column of comma-separated trigger durations (TickTick's ``Reminder``), relative
    to the due: each held one as minutes before it; the others (no due, unreadable, after
    the due) kept as text with their skip reason."""
    out = Offsets()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        value = duration(part.removeprefix("TRIGGER:"))
        minutes = minutes_before(value) if value is not None else None
        if has_due and minutes is not None:
            out.minutes.append(minutes)
            continue
        out.kept.append(part)
        out.reasons.append(UNREADABLE if value is None else NO_DUE if not has_due
                           else AFTER_DUE)
    return out
