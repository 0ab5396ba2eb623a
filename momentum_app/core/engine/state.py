"""What the processor holds for one profile during one event: its settings, counters,
streak rows and the day stats it walks (loaded a window at a time).

Kept apart from :mod:`.processor` (which decides and writes) so that reads and
``momentum doctor`` can build the same view of a profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import Criteria, StreakType
from ..clock import activity_day, activity_day_exists, week_days, zone
from ..errors import NotFoundError, ValidationError
from ..models import Counter, DayStat, Profile, Streak, Vacation
from . import rules

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
GLOBAL = "global"
POINTS_TOTAL = "points_total"


@dataclass(frozen=True)
class Settings:
    """A profile's rule settings, loaded once per event."""

    profile_id: int
    timezone: str
    day_start_hour: int
    daily_target: int
    days_off: frozenset[int]
    vacations: tuple[tuple[date, date], ...]

    def to_meta(self) -> dict[str, Any]:
        """The settings as the metadata of a ``settings_changed`` event."""
        return {"timezone": self.timezone, "day_start_hour": self.day_start_hour,
                "daily_target": self.daily_target, "days_off": sorted(self.days_off),
                "vacations": [[a.isoformat(), b.isoformat()] for a, b in self.vacations]}

    @classmethod
    def from_meta(cls, profile_id: int, meta: dict[str, Any]) -> Settings:
        """Settings from a ``settings_changed`` event's meta. Malformed meta (a hand-edited
        backup, a damaged event: ``days_off=5``, ``vacations=[1]``) is bad input naming
        the key, never a TypeError."""
        if not isinstance(meta, dict):
            raise ValidationError("settings", "must be an object of settings")
        try:
            zone(str(meta["timezone"]))
            hour, target = meta["day_start_hour"], meta["daily_target"]
            days, vacations = meta["days_off"], meta["vacations"]
        except KeyError as missing:
            raise ValidationError(f"settings.{missing.args[0]}", "missing") from None
        for name, value, low, high in (("day_start_hour", hour, 0, 23),
                                       ("daily_target", target, 1, 1000)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValidationError(f"settings.{name}", f"must be a whole number from "
                                      f"{low} to {high}, got {value!r}")
        if not isinstance(days, list) or not all(
                isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days):
            raise ValidationError("settings.days_off", f"must be a list of weekday numbers "
                                  f"0-6, got {days!r}")
        periods = []
        if not isinstance(vacations, list):
            raise ValidationError("settings.vacations", "must be a list of [start, end]")
        for period in vacations:
            try:
                first, last = (date.fromisoformat(part) for part in period)
            except (TypeError, ValueError):
                raise ValidationError("settings.vacations", f"must be a list of [start, end] "
                                      f"dates, got {period!r}") from None
            periods.append((first, last))
        return cls(profile_id, str(meta["timezone"]), hour, target, frozenset(days),
                   tuple(periods))

    def excused(self, day: date) -> bool:
        if day.weekday() in self.days_off:
            return True
        if any(start <= day <= end for start, end in self.vacations):
            return True
        return not activity_day_exists(day, self.timezone, self.day_start_hour)

    def day_of(self, instant: datetime) -> date:
        return activity_day(instant, self.timezone, self.day_start_hour)


def load_settings(session: Session, profile_id: int) -> Settings:
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFoundError("profile", f"no profile with id {profile_id}")
    vacations = session.execute(
        select(Vacation.start_date, Vacation.end_date).where(
            Vacation.profile_id == profile_id, Vacation.deleted_at.is_(None))
    ).all()
    return Settings(profile.id, profile.timezone, profile.day_start_hour,
                    profile.daily_task_target, profile.days_off_set,
                    tuple((row[0], row[1]) for row in vacations))


class DayCache:
    """Day stats of one profile, loaded a window at a time while streaks are walked."""

    #: The first window covers the event's week; walking a long run doubles it.
    FIRST_WINDOW, MAX_WINDOW = 8, 512

    def __init__(self, session: Session, profile_id: int) -> None:
        self.session = session
        self.profile_id = profile_id
        self.rows: dict[date, DayStat] = {}
        self.loaded: list[tuple[date, date]] = []
        self.window = self.FIRST_WINDOW

    def _is_loaded(self, day: date) -> bool:
        return any(lo <= day <= hi for lo, hi in self.loaded)

    def _load(self, day: date) -> None:
        lo, hi = day - timedelta(days=self.window), day + timedelta(days=self.window)
        self.window = min(self.MAX_WINDOW, self.window * 2)
        for row in self.session.scalars(select(DayStat).where(
                DayStat.profile_id == self.profile_id, DayStat.day.between(lo, hi))):
            self.rows.setdefault(row.day, row)
        self.loaded.append((lo, hi))

    def get(self, day: date) -> DayStat | None:
        if day not in self.rows and not self._is_loaded(day):
            self._load(day)
        return self.rows.get(day)

    def get_or_create(self, day: date) -> DayStat:
        row = self.get(day)
        if row is None:
            row = DayStat(profile_id=self.profile_id, day=day, tasks=0, steps=0, slots=0,
                          goals=0, focus_minutes=0, points=0)
            self.session.add(row)
            self.rows[day] = row
        return row


class ProfileState:
    """What the processor holds for one profile during one event."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.days = DayCache(session, settings.profile_id)
        self.counters: dict[tuple[str, str], Counter] = {
            (row.scope, row.name): row for row in session.scalars(
                select(Counter).where(Counter.profile_id == settings.profile_id))
        }
        self.streaks: dict[str, Streak] = {
            row.type: row for row in session.scalars(
                select(Streak).where(Streak.profile_id == settings.profile_id))
        }
        #: What achievements measured before this event: only a crossed target unlocks.
        self.metrics_before = self.metrics()

    @property
    def profile_id(self) -> int:
        return self.settings.profile_id

    def counter(self, name: str, scope: str = GLOBAL) -> int:
        row = self.counters.get((scope, name))
        return row.value if row else 0

    def add(self, name: str, delta: int, scope: str = GLOBAL) -> int:
        row = self.counters.get((scope, name))
        if row is None:
            row = Counter(profile_id=self.profile_id, scope=scope, name=name, value=0)
            self.session.add(row)
            self.counters[(scope, name)] = row
        row.value += delta
        return row.value

    def set_at_least(self, name: str, value: int) -> None:
        if self.counter(name) < value:
            self.add(name, value - self.counter(name))

    def streak(self, streak_type: StreakType) -> Streak:
        row = self.streaks.get(streak_type.value)
        if row is None:
            row = Streak(profile_id=self.profile_id, type=streak_type.value, current=0,
                         longest=0, run_start=None, last_activity_date=None)
            self.session.add(row)
            self.streaks[streak_type.value] = row
        return row

    def metrics(self) -> dict[str, int]:
        """What achievements measure: global counters, longest activity streak, level."""
        metrics = {name: row.value for (scope, name), row in self.counters.items()
                   if scope == GLOBAL}
        activity = self.streaks.get(StreakType.DAILY_ACTIVITY.value)
        metrics[Criteria.STREAK.value] = activity.longest if activity else 0
        metrics[Criteria.LEVEL.value] = catalog.level_for_points(
            self.counter(POINTS_TOTAL)).number
        return metrics

    # -- streak predicates ---------------------------------------------------------

    def unit_of(self, streak_type: StreakType, day: date) -> date:
        if streak_type is StreakType.WEEKLY_GOAL:
            return day - timedelta(days=day.weekday())
        return day

    def step_of(self, streak_type: StreakType) -> timedelta:
        return ONE_WEEK if streak_type is StreakType.WEEKLY_GOAL else ONE_DAY

    def qualifies(self, streak_type: StreakType, unit: date) -> bool:
        if streak_type is StreakType.WEEKLY_GOAL:
            return any(self._goal_units(d) > 0 for d in week_days(unit))
        if self.settings.excused(unit):
            return False
        row = self.days.get(unit)
        if row is None:
            return False
        if streak_type is StreakType.DAILY_ACTIVITY:
            return row.completions > 0
        if streak_type is StreakType.DAILY_TARGET:
            return row.tasks >= self.settings.daily_target
        return row.slots > 0  # DAILY_FOCUS

    def _goal_units(self, day: date) -> int:
        row = self.days.get(day)
        return 0 if row is None else row.steps + row.goals

    def predicate(self, streak_type: StreakType) -> rules.DayPredicate:
        return lambda unit: self.qualifies(streak_type, unit)

    def excuse_predicate(self, streak_type: StreakType) -> rules.DayPredicate:
        return lambda unit: self.excused(streak_type, unit)

    def excused(self, streak_type: StreakType, unit: date) -> bool:
        if streak_type is StreakType.WEEKLY_GOAL:
            return False
        return self.settings.excused(unit)
