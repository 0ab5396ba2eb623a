"""The engine's state: a profile's rule settings and the derived tables as plain values.

:class:`StateView` is what the rules read (counters, day and week stats, streak rows,
grants, completions and their credits, …) — nothing else. Three implementations:

* :class:`MemoryState` — every row in Python dicts (the doctor's fold starts from an empty
  one; a fold's result is one);
* :class:`Layered` — a state on top of another: the rows one step (or one fold) changed,
  over the rows it read. It is how ``step`` returns a new state without copying or
  mutating the old one (structural sharing);
* the live path's view of the stored tables (``momentum_app.core.services.engine_store``),
  which reads the few rows an event needs inside the event's transaction.

Rows are tuples (or lists in a layer being built) in the column order of their table.
No database, clock or Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from ..clock import activity_day, activity_day_exists, zone
from ..errors import ValidationError

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
GLOBAL = "global"
POINTS_TOTAL = "points_total"

# Day row: (tasks, steps, slots, goals, focus_minutes, points,
#           first_task_holder, early_bird_holder, night_owl_holder, weekend_holder)
EMPTY_DAY: tuple[Any, ...] = (0, 0, 0, 0, 0, 0, None, None, None, None)
# Streak row: (current, longest, run_start, last_activity_date)
# Completion row: (event_id, profile_id, kind, item_id, project_id, activity_day,
#                  complexity, minutes, on_time, price, active, reversed_by)
# Ledger row: (id, profile_id, event_id, entry_type, points, reason, source, completion_id,
#              reverses_id, activity_day, created_at)
# Streak bonus grant: (profile_id, threshold, day, event_id)
# Milestone grant: (profile_id, kind, scope, threshold, points, source, event_id, granted_at)
# Achievement: (profile_id, achievement_id, progress, completed, completed_at, event_id)
MISSING: Any = object()


@dataclass(frozen=True)
class Settings:
    """A profile's rule settings as in force at an event.

    ``bridged`` are the activity days a settings change cut short by moving the calendar
    forward (derived from the log, not typed by anyone): they do not break a run when
    nothing was completed on them, and count like any day when something was.
    """

    profile_id: int
    timezone: str
    day_start_hour: int
    daily_target: int
    days_off: frozenset[int]
    vacations: tuple[tuple[date, date], ...]
    bridged: frozenset[date] = frozenset()

    def to_meta(self) -> dict[str, Any]:
        """The settings as the metadata of a ``settings_changed`` event."""
        return {"timezone": self.timezone, "day_start_hour": self.day_start_hour,
                "daily_target": self.daily_target, "days_off": sorted(self.days_off),
                "vacations": [[a.isoformat(), b.isoformat()] for a, b in self.vacations]}

    @classmethod
    def from_meta(cls, profile_id: int, meta: Mapping[str, Any],
                  bridged: frozenset[date] = frozenset()) -> Settings:
        """Settings from a ``settings_changed`` event's meta. Malformed meta (a hand-edited
        backup, a damaged event: ``days_off=5``, ``vacations=[1]``) is bad input naming
        the key, never a TypeError."""
        if not isinstance(meta, Mapping):
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
                   tuple(periods), bridged)

    def changed_at(self, new: Settings, instant: datetime) -> Settings:
        """``new`` as it follows these settings at ``instant``: with the days bridged so far
        and those this change cuts short (see :func:`cut_short`)."""
        return Settings(new.profile_id, new.timezone, new.day_start_hour, new.daily_target,
                        new.days_off, new.vacations,
                        self.bridged | cut_short(self, new, instant))

    def excused(self, day: date) -> bool:
        """A day off, a vacation day or a day that does not exist: neither counts nor breaks."""
        if day.weekday() in self.days_off:
            return True
        if any(start <= day <= end for start, end in self.vacations):
            return True
        return not activity_day_exists(day, self.timezone, self.day_start_hour)

    def day_of(self, instant: datetime) -> date:
        return activity_day(instant, self.timezone, self.day_start_hour)

    def day_start(self, day: date) -> datetime:
        """The instant activity day ``day`` begins (wall time ``day_start_hour`` that day)."""
        wall = datetime.combine(day, time(0)) + timedelta(hours=self.day_start_hour)
        return wall.replace(tzinfo=zone(self.timezone))


def cut_short(old: Settings, new: Settings, instant: datetime) -> frozenset[date]:
    """The days a change from ``old`` to ``new`` at ``instant`` cuts short.

    When the new calendar is ahead of the old one (a zone further east, an earlier day
    start), the day the change falls in began earlier under the new settings than under
    the old: from the old day of ``instant`` to the new one, each day is shorter than a
    day, and a person completing something every 24 hours would miss one. Those days are
    bridged. A change that moves the calendar back only lengthens a day: nothing to do.
    """
    old_day, new_day = old.day_of(instant), new.day_of(instant)
    ahead = new_day > old_day or (
        new_day == old_day and new.day_start(new_day) < old.day_start(new_day))
    if not ahead:
        return frozenset()
    return frozenset(old_day + timedelta(days=i) for i in range((new_day - old_day).days + 1))


class StateView:
    """What the rules read. Every method is a read; none changes anything."""

    def profiles(self) -> Iterable[int]:
        raise NotImplementedError

    def settings(self, profile_id: int) -> Settings | None:
        raise NotImplementedError

    def counters(self, profile_id: int) -> Mapping[tuple[str, str], int]:
        """All counters of a profile, keyed by (scope, name)."""
        raise NotImplementedError

    def day(self, profile_id: int, day: date) -> tuple[Any, ...] | None:
        raise NotImplementedError

    def active_days(self, profile_id: int, since: date | None = None,
                    before: date | None = None) -> set[date]:
        """Days with ≥ 1 completion in ``[since, before)`` (unbounded where None)."""
        raise NotImplementedError

    def week(self, profile_id: int, week: str) -> Any:
        """The perfect-week holder of ``week`` (None), or ``MISSING`` without a row."""
        raise NotImplementedError

    def streak(self, profile_id: int, streak_type: str) -> tuple[Any, ...] | None:
        raise NotImplementedError

    def streak_grants(self, profile_id: int, start: date, end: date) -> set[int]:
        """Thresholds of the streak-milestone grants on days in ``[start, end]``."""
        raise NotImplementedError

    def milestones(self, profile_id: int, kind: str, scope: str) -> set[int]:
        raise NotImplementedError

    def unlocked(self, profile_id: int) -> set[str]:
        raise NotImplementedError

    def defined(self, profile_id: int) -> set[str] | None:
        """Custom achievements defined so far (None: every one the definitions hold)."""
        raise NotImplementedError

    def completion(self, event_id: int) -> tuple[Any, ...] | None:
        raise NotImplementedError

    def completion_for_key(self, profile_id: int, key: str) -> int | None:
        raise NotImplementedError

    def completions_on(self, profile_id: int, day: date) -> list[int]:
        """Event ids of the completions on ``day`` (active or not), in arrival order."""
        raise NotImplementedError

    def credits_of(self, completion_id: int) -> list[tuple[Any, ...]]:
        """The credit ledger rows of a completion, in ledger order."""
        raise NotImplementedError

    def board_checked(self, profile_id: int) -> Any:
        """The last finished week checked for ``top_of_the_board`` (``MISSING``: never set)."""
        raise NotImplementedError

    def next_ledger_id(self) -> int:
        raise NotImplementedError


@dataclass
class MemoryState(StateView):
    """Every row in dicts. Built once (by a fold or a step) and then only read."""

    settings_of: dict[int, Settings] = field(default_factory=dict)
    profile_ids: set[int] = field(default_factory=set)
    counter_rows: dict[int, dict[tuple[str, str], int]] = field(default_factory=dict)
    day_rows: dict[int, dict[date, Any]] = field(default_factory=dict)
    week_rows: dict[tuple[int, str], int | None] = field(default_factory=dict)
    streak_rows: dict[tuple[int, str], Any] = field(default_factory=dict)
    streak_grant_rows: list[tuple[Any, ...]] = field(default_factory=list)
    milestone_rows: list[tuple[Any, ...]] = field(default_factory=list)
    milestone_index: dict[tuple[int, str, str], set[int]] = field(default_factory=dict)
    achievement_rows: list[tuple[Any, ...]] = field(default_factory=list)
    unlocked_ids: dict[int, set[str]] = field(default_factory=dict)
    defined_ids: dict[int, set[str]] = field(default_factory=dict)
    completion_rows: dict[int, Any] = field(default_factory=dict)
    completion_keys: dict[tuple[int, str], int] = field(default_factory=dict)
    by_day: dict[int, dict[date, list[int]]] = field(default_factory=dict)
    ledger_rows: list[tuple[Any, ...]] = field(default_factory=list)
    credit_rows: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    board_rows: dict[int, str | None] = field(default_factory=dict)
    first_ledger_id: int = 1
    #: Whether ``defined`` of a profile without a definition event reads as "none yet"
    #: (a fold from the start of the log) or "all" (None).
    defined_by_log: bool = True

    def profiles(self) -> Iterable[int]:
        return self.profile_ids

    def settings(self, profile_id: int) -> Settings | None:
        return self.settings_of.get(profile_id)

    def counters(self, profile_id: int) -> Mapping[tuple[str, str], int]:
        return self.counter_rows.get(profile_id, {})

    def counter(self, profile_id: int, key: tuple[str, str]) -> int:
        rows = self.counter_rows.get(profile_id)
        return 0 if rows is None else rows.get(key, 0)

    def day(self, profile_id: int, day: date) -> tuple[Any, ...] | None:
        days = self.day_rows.get(profile_id)
        return None if days is None else days.get(day)

    def active_days(self, profile_id: int, since: date | None = None,
                    before: date | None = None) -> set[date]:
        return {d for d, r in self.day_rows.get(profile_id, {}).items()
                if r[0] + r[1] + r[2] + r[3] > 0 and (since is None or d >= since)
                and (before is None or d < before)}

    def week(self, profile_id: int, week: str) -> Any:
        return self.week_rows.get((profile_id, week), MISSING)

    def streak(self, profile_id: int, streak_type: str) -> tuple[Any, ...] | None:
        return self.streak_rows.get((profile_id, streak_type))

    def streak_grants(self, profile_id: int, start: date, end: date) -> set[int]:
        return {row[1] for row in self.streak_grant_rows
                if row[0] == profile_id and start <= row[2] <= end}

    def milestones(self, profile_id: int, kind: str, scope: str) -> set[int]:
        return self.milestone_index.get((profile_id, kind, scope), set())

    def unlocked(self, profile_id: int) -> set[str]:
        return self.unlocked_ids.get(profile_id, set())

    def defined(self, profile_id: int) -> set[str] | None:
        found = self.defined_ids.get(profile_id)
        if found is None and not self.defined_by_log:
            return None
        return found or set()

    def completion(self, event_id: int) -> tuple[Any, ...] | None:
        return self.completion_rows.get(event_id)

    def completion_for_key(self, profile_id: int, key: str) -> int | None:
        return self.completion_keys.get((profile_id, key))

    def completions_on(self, profile_id: int, day: date) -> list[int]:
        return self.by_day.get(profile_id, {}).get(day, [])

    def credits_of(self, completion_id: int) -> list[tuple[Any, ...]]:
        return self.credit_rows.get(completion_id, [])

    def board_checked(self, profile_id: int) -> Any:
        return self.board_rows.get(profile_id, MISSING)

    def next_ledger_id(self) -> int:
        return self.first_ledger_id + len(self.ledger_rows)


#: The state before the first event.
def empty_state() -> MemoryState:
    return MemoryState()


class Layered(StateView):
    """``top`` (the rows a step or a fold wrote) over ``base`` (the rows before it)."""

    def __init__(self, base: StateView, top: MemoryState) -> None:
        self.base = base
        self.top = top

    def profiles(self) -> Iterable[int]:
        return set(self.base.profiles()) | self.top.profile_ids

    def settings(self, profile_id: int) -> Settings | None:
        found = self.top.settings_of.get(profile_id)
        return found if found is not None else self.base.settings(profile_id)

    def counters(self, profile_id: int) -> Mapping[tuple[str, str], int]:
        mine = self.top.counter_rows.get(profile_id)
        if not mine:
            return self.base.counters(profile_id)
        return {**self.base.counters(profile_id), **mine}

    def counter(self, profile_id: int, key: tuple[str, str]) -> int:
        mine = self.top.counter_rows.get(profile_id)
        if mine is not None and key in mine:
            return mine[key]
        return self.base.counters(profile_id).get(key, 0)

    def day(self, profile_id: int, day: date) -> tuple[Any, ...] | None:
        days = self.top.day_rows.get(profile_id)
        if days is not None:
            row = days.get(day)
            if row is not None:
                return row  # type: ignore[no-any-return]
        return self.base.day(profile_id, day)

    def active_days(self, profile_id: int, since: date | None = None,
                    before: date | None = None) -> set[date]:
        days = self.base.active_days(profile_id, since, before)
        for d, r in self.top.day_rows.get(profile_id, {}).items():
            if (since is None or d >= since) and (before is None or d < before):
                if r[0] + r[1] + r[2] + r[3] > 0:
                    days.add(d)
                else:
                    days.discard(d)
        return days

    def week(self, profile_id: int, week: str) -> Any:
        found = self.top.week_rows.get((profile_id, week), MISSING)
        return found if found is not MISSING else self.base.week(profile_id, week)

    def streak(self, profile_id: int, streak_type: str) -> tuple[Any, ...] | None:
        found = self.top.streak_rows.get((profile_id, streak_type))
        return found if found is not None else self.base.streak(profile_id, streak_type)

    def streak_grants(self, profile_id: int, start: date, end: date) -> set[int]:
        return self.base.streak_grants(profile_id, start, end) | self.top.streak_grants(
            profile_id, start, end)

    def milestones(self, profile_id: int, kind: str, scope: str) -> set[int]:
        mine = self.top.milestone_index.get((profile_id, kind, scope))
        theirs = self.base.milestones(profile_id, kind, scope)
        return theirs | mine if mine else theirs

    def unlocked(self, profile_id: int) -> set[str]:
        mine = self.top.unlocked_ids.get(profile_id)
        theirs = self.base.unlocked(profile_id)
        return theirs | mine if mine else theirs

    def defined(self, profile_id: int) -> set[str] | None:
        theirs = self.base.defined(profile_id)
        mine = self.top.defined_ids.get(profile_id)
        if theirs is None or not mine:
            return theirs
        return theirs | mine

    def completion(self, event_id: int) -> tuple[Any, ...] | None:
        found = self.top.completion_rows.get(event_id)
        return found if found is not None else self.base.completion(event_id)

    def completion_for_key(self, profile_id: int, key: str) -> int | None:
        found = self.top.completion_keys.get((profile_id, key))
        return found if found is not None else self.base.completion_for_key(profile_id, key)

    def completions_on(self, profile_id: int, day: date) -> list[int]:
        mine = self.top.by_day.get(profile_id, {}).get(day)
        theirs = self.base.completions_on(profile_id, day)
        return theirs + mine if mine else theirs

    def credits_of(self, completion_id: int) -> list[tuple[Any, ...]]:
        mine = self.top.credit_rows.get(completion_id)
        theirs = self.base.credits_of(completion_id)
        return theirs + mine if mine else theirs

    def board_checked(self, profile_id: int) -> Any:
        found = self.top.board_rows.get(profile_id, MISSING)
        return found if found is not MISSING else self.base.board_checked(profile_id)

    def next_ledger_id(self) -> int:
        return self.top.next_ledger_id()

