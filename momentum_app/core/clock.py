"""Time: the injectable clock and the activity-day maths of SPEC §1.

Every rule takes "now", the profile's zone and its day-start hour as inputs; nothing
in the core calls ``datetime.now()`` except :class:`SystemClock`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ValidationError

UTC = UTC


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that says what it is told; tests and ``MOMENTUM_NOW`` use it."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant

    def advance(self, delta: timedelta) -> None:
        self.instant = self.instant + delta


#: The years a date or instant may fall in (typed, picked, imported or MOMENTUM_NOW): far
#: enough from the ends of Python's calendar that a day, a week or a zone's offset added
#: to it can never overflow.
YEARS = (1900, 2200)


def clock_from_env(environ: dict[str, str] | None = None) -> Clock:
    """``MOMENTUM_NOW`` (ISO 8601) fixes the clock; otherwise the system clock."""
    env = os.environ if environ is None else environ
    value = env.get("MOMENTUM_NOW")
    if not value:
        return SystemClock()
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        instant = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValidationError("MOMENTUM_NOW", f"not an ISO 8601 instant: {value!r}") from None
    if not YEARS[0] <= instant.year <= YEARS[1]:
        raise ValidationError("MOMENTUM_NOW", f"year out of range ({YEARS[0]}–{YEARS[1]}): "
                              f"{value!r}")
    return FixedClock(instant)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; a clear error naming the field otherwise."""
    if not isinstance(name, str) or not name.strip() or "\x00" in name or len(name) > 100:
        raise ValidationError("timezone", f"unknown time zone: {name!r}")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError("timezone", f"unknown time zone: {name!r}") from None


def system_zone_name() -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        try:
            zone(tz)
            return tz
        except ValidationError:
            pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            candidate = link.split("zoneinfo/", 1)[1]
            zone(candidate)
            return candidate
    except (OSError, ValidationError):
        pass
    return "UTC"


def as_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime given where an aware one is required")
    return instant.astimezone(UTC)


def local_time(instant: datetime, tz_name: str) -> datetime:
    """The wall-clock time of ``instant`` in the zone."""
    return as_utc(instant).astimezone(zone(tz_name))


def activity_day(instant: datetime, tz_name: str, day_start_hour: int) -> date:
    """SPEC §1: ``(t in the profile's zone − day_start_hour hours).date()``.

    The subtraction is on the wall clock, not in elapsed seconds, so DST days work.
    """
    local = local_time(instant, tz_name).replace(tzinfo=None)
    return (local - timedelta(hours=day_start_hour)).date()


@lru_cache(maxsize=4096)
def activity_day_exists(day: date, tz_name: str, day_start_hour: int) -> bool:
    """False for an activity day no instant falls on (Pacific/Apia skipped 2011-12-30)."""
    tz = zone(tz_name)
    start = datetime.combine(day, time(0)) + timedelta(hours=day_start_hour)
    for half_hour in range(48):
        wall = start + timedelta(minutes=30 * half_hour)
        aware = wall.replace(tzinfo=tz)
        back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back == wall:
            return True
    return False


def parse_date(value: str, field: str) -> date:
    """``YYYY-MM-DD`` or a clear error naming the field."""
    try:
        text = value.strip()
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except (ValueError, AttributeError, TypeError):
        raise ValidationError(field, f"not a date (YYYY-MM-DD): {value!r}") from None


def parse_instant(value: str, field: str, tz_name: str) -> datetime:
    """An ISO 8601 instant; without an offset it is read in the profile's zone (SPEC §9)."""
    try:
        text = value.strip().replace("Z", "+00:00")
        if not text or len(text) > 64:
            raise ValueError
        parsed = datetime.fromisoformat(text)
    except (ValueError, AttributeError, TypeError):
        raise ValidationError(field, f"not an ISO 8601 date/time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz_name))
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError(field, f"date/time out of range: {value!r}") from None


def iso_week(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def week_days(day: date) -> list[date]:
    """The seven days (Monday..Sunday) of ``day``'s ISO week."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def week_key(day: date) -> str:
    year, week = iso_week(day)
    return f"{year}-W{week:02d}"
