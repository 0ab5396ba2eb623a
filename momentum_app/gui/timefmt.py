"""Dates and times as the window shows them: in the profile's zone, in friendly words.

Pure functions (no widgets), so the item models and painters share one vocabulary:
"Today", "Tomorrow", "3 days overdue", "09:00–10:30".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime

from ..core.clock import activity_day, zone


@dataclass(frozen=True)
class ProfileTime:
    """The current profile's zone and day start: every date the window shows uses it."""

    tz_name: str
    day_start_hour: int = 0

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.tz_name)

    def today(self, now: datetime) -> date:
        return activity_day(now, self.tz_name, self.day_start_hour)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def instant(self, day: date, minutes: int) -> datetime:
        """The UTC instant of ``minutes`` after local midnight of ``day`` (wall clock)."""
        wall = datetime.combine(day, time(0)) + timedelta(minutes=minutes)
        return wall.replace(tzinfo=self.tz).astimezone(UTC)

    def minutes_into_day(self, instant: datetime, day: date) -> int:
        """Minutes from local midnight of ``day`` to ``instant`` (may be <0 or >1440)."""
        local = self.local(instant).replace(tzinfo=None)
        return int((local - datetime.combine(day, time(0))).total_seconds() // 60)

    def to_qdatetime(self, instant: datetime) -> QDateTime:
        local = self.local(instant)
        return QDateTime(QDate(local.year, local.month, local.day),
                         QTime(local.hour, local.minute))

    def from_qdatetime(self, value: QDateTime) -> datetime:
        """An aware UTC datetime from a wall-clock date/time picked in the profile's zone."""
        day, clock = value.date(), value.time()
        wall = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        return wall.replace(tzinfo=self.tz).astimezone(UTC)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def short_date(day: date, today: date) -> str:
    """"Today", "Tomorrow", "Yesterday", a weekday this week, else "Mon 9 Mar"."""
    delta = (day - today).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    if delta == -1:
        return "Yesterday"
    if 1 < delta < 7:
        return day.strftime("%A")
    label = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
    return label if day.year == today.year else f"{label} {day.year}"


def long_date(day: date) -> str:
    return f"{day.strftime('%A')}, {day.day} {day.strftime('%B')} {day.year}"


def due_label(due: date | None, today: date, due_time: str | None = None, *,
              is_open: bool = True) -> str:
    """"Tomorrow", "Tomorrow 17:00" (a due time, SPEC §12), "3 days overdue" — a task that
    is no longer open (done) is never overdue: it shows the plain date."""
    if due is None:
        return ""
    overdue = (today - due).days
    if overdue > 1 and is_open:
        return f"{overdue} days overdue"
    day = short_date(due, today)
    return f"{day} {due_time}" if due_time else day


def hidden_label(hidden_until: date | None, today: date) -> str:
    """"Hidden until Tue 8 Dec" ("… until tomorrow", "… until Friday") while a task is
    hidden until a later day (SPEC: hide-until); "" once that day has come."""
    if hidden_until is None or hidden_until <= today:
        return ""
    day = short_date(hidden_until, today)
    return f"Hidden until {'tomorrow' if day == 'Tomorrow' else day}"


def is_overdue(due: date | None, today: date, status: str = "open") -> bool:
    return due is not None and status == "open" and due < today


def task_is_overdue(task: Any, today: date, now: datetime | None = None) -> bool:
    """SPEC §12: a task with a time is overdue after that instant (when ``now`` is
    known), one with a date alone after its day."""
    if task.status != "open" or task.due is None:
        return False
    if task.due_at is not None and now is not None:
        return bool(now > task.due_at)
    return bool(task.due < today)


def clock_time(instant: datetime, profile: ProfileTime) -> str:
    return profile.local(instant).strftime("%H:%M")


def time_range(start: datetime, end: datetime, profile: ProfileTime) -> str:
    return f"{clock_time(start, profile)}–{clock_time(end, profile)}"


def duration(minutes: int) -> str:
    hours, rest = divmod(max(0, minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def completed_label(instant: datetime | None, profile: ProfileTime, today: date) -> str:
    if instant is None:
        return ""
    local = profile.local(instant)
    return f"{short_date(local.date(), today)} {local.strftime('%H:%M')}"


def thousands(value: int) -> str:
    return f"{value:,}"
