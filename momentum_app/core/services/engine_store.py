"""The engine's live path and its storage: stored derived tables ⇄ the engine's state.

* :class:`StoredState` — a :class:`~..engine.state.StateView` of the stored derived
  tables, read through the event's transaction (SQLAlchemy Core), a few rows at a time and
  only those the rules ask for: an event costs the same with 10k or 1M events of history.
* :func:`process_event` — SPEC §8's entry point: the event row, one
  :func:`~..engine.step.step`, its effects written (:func:`write_rows`), the outcome stored
  with the event; all in the caller's transaction.
* :func:`write_rows` — a state's rows into the derived tables: upserts for one step's
  effects, plain bulk inserts for the doctor's ``--fix``.

The rules are not here: this module only moves rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import Criteria, StreakType
from ..engine.outcome import Outcome, StreakState
from ..engine.state import GLOBAL, MISSING, POINTS_TOTAL, MemoryState, Settings, StateView
from ..engine.step import (
    BRIDGED_SCOPE,
    Definitions,
    EventIn,
    level_number,
    step,
    streak_states,
)
from ..errors import NotFoundError
from ..models import (
    AchievementProgress,
    Completion,
    Counter,
    CustomAchievement,
    DayStat,
    Event,
    EventType,
    LedgerEntry,
    MilestoneGrant,
    Profile,
    Project,
    Streak,
    StreakBonusGrant,
    Vacation,
    WeekStat,
)

_DAY = DayStat.__table__
_COMPLETION = Completion.__table__
_LEDGER = LedgerEntry.__table__
_COUNTER = Counter.__table__
_WEEK = WeekStat.__table__
_STREAK = Streak.__table__
_GRANT = StreakBonusGrant.__table__
_MILESTONE = MilestoneGrant.__table__
_ACHIEVEMENT = AchievementProgress.__table__
_EVENT = Event.__table__
_PROFILE = Profile.__table__
_DAY_COLS = [_DAY.c.day, _DAY.c.tasks, _DAY.c.steps, _DAY.c.slots, _DAY.c.goals,
             _DAY.c.focus_minutes, _DAY.c.points, _DAY.c.first_task_holder,
             _DAY.c.early_bird_holder, _DAY.c.night_owl_holder, _DAY.c.weekend_holder]
_COMPLETION_COLS = [_COMPLETION.c[name] for name in (
    "event_id", "profile_id", "kind", "item_id", "project_id", "activity_day", "complexity",
    "minutes", "on_time", "price", "active", "reversed_by")]
_ACTIVE = (_DAY.c.tasks + _DAY.c.steps + _DAY.c.slots + _DAY.c.goals) > 0


def new_event_key() -> str:
    return uuid.uuid4().hex


# --- settings and definitions ----------------------------------------------------------------


def _bridged(counters: Mapping[tuple[str, str], int]) -> frozenset[date]:
    return frozenset(date.fromisoformat(name) for (scope, name), value in counters.items()
                     if scope == BRIDGED_SCOPE and value)


def profile_settings(conn: Connection, profile_id: int,
                     bridged: frozenset[date] = frozenset()) -> Settings:
    """A profile's settings as its row and vacations hold them now."""
    profile = conn.execute(select(_PROFILE.c.timezone, _PROFILE.c.day_start_hour,
                                  _PROFILE.c.daily_task_target, _PROFILE.c.days_off)
                           .where(_PROFILE.c.id == profile_id)).first()
    if profile is None:
        raise NotFoundError("profile", f"no profile with id {profile_id}")
    vacations = conn.execute(
        select(Vacation.start_date, Vacation.end_date).where(
            Vacation.profile_id == profile_id, Vacation.deleted_at.is_(None))).all()
    days_off = frozenset(int(d) for d in (profile.days_off or "").split(",") if d != "")
    return Settings(profile_id, profile.timezone, profile.day_start_hour,
                    profile.daily_task_target, days_off,
                    tuple((row[0], row[1]) for row in vacations), bridged)


def load_settings(session: Session | Connection, profile_id: int) -> Settings:
    """The settings in force now, with the days settings changes bridged."""
    conn = session.connection() if isinstance(session, Session) else session
    counters = dict(((scope, name), value) for scope, name, value in conn.execute(
        select(_COUNTER.c.scope, _COUNTER.c.name, _COUNTER.c.value).where(
            _COUNTER.c.profile_id == profile_id, _COUNTER.c.scope == BRIDGED_SCOPE)))
    return profile_settings(conn, profile_id, _bridged(counters))


def custom_achievements(conn: Connection | Session, profile_id: int | None = None
                        ) -> dict[int, tuple[catalog.Achievement, ...]]:
    """Custom achievements by profile (one profile's, or everyone's)."""
    table = CustomAchievement.__table__
    query = select(table.c.id, table.c.profile_id, table.c.name, table.c.description,
                   table.c.points, table.c.criteria, table.c.target, table.c.icon,
                   table.c.event_type).order_by(table.c.id)
    if profile_id is not None:
        query = query.where(table.c.profile_id == profile_id)
    result: dict[int, list[catalog.Achievement]] = {}
    for row in conn.execute(query):
        result.setdefault(row.profile_id, []).append(catalog.Achievement(
            f"custom:{row.id}", row.name, row.description, row.points, "custom",
            Criteria(row.criteria), row.target, row.icon, row.event_type))
    return {pid: tuple(items) for pid, items in result.items()}


class _Projects(Mapping[int, tuple[str, bool]]):
    """Project names and goal settings, read when a milestone needs one."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cache: dict[int, tuple[str, bool] | None] = {}

    def __getitem__(self, project_id: int) -> tuple[str, bool]:
        if project_id not in self.cache:
            row = self.conn.execute(select(Project.name, Project.goals_enabled).where(
                Project.id == project_id)).first()
            self.cache[project_id] = (row[0], bool(row[1])) if row else None
        found = self.cache[project_id]
        if found is None:
            raise KeyError(project_id)
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(pid for pid, value in self.cache.items() if value is not None)

    def __len__(self) -> int:
        return sum(1 for value in self.cache.values() if value is not None)


def all_projects(conn: Connection) -> dict[int, tuple[str, bool]]:
    return {row[0]: (row[1], bool(row[2])) for row in conn.execute(
        select(Project.id, Project.name, Project.goals_enabled))}


def event_types(conn: Connection) -> dict[str, int]:
    return {row[0]: row[1] for row in conn.execute(select(EventType.name, EventType.points))}


# --- the stored tables as a state --------------------------------------------------------------


class StoredState(StateView):
    """The stored derived tables, read lazily within one transaction (never written)."""

    #: Day rows are read a window at a time around the day asked for; a walk along a
    #: long run doubles the window.
    FIRST_WINDOW, MAX_WINDOW = 8, 512

    def __init__(self, conn: Connection, current: EventIn | None = None, *,
                 defined_by_log: bool = False) -> None:
        self.conn = conn
        self.current = current
        #: A fold over appended events (a restore) learns custom achievements from the
        #: log's definition events; the live path counts every stored one as defined.
        self.defined_by_log = defined_by_log
        self._profiles: list[int] | None = None
        self._settings: dict[int, Settings | None] = {}
        self._counters: dict[int, dict[tuple[str, str], int]] = {}
        self._days: dict[int, dict[date, tuple[Any, ...]]] = {}
        self._loaded: dict[int, list[tuple[date, date]]] = {}
        self._window: dict[int, int] = {}
        self._streaks: dict[int, dict[str, tuple[Any, ...]]] = {}
        self._unlocked: dict[int, set[str]] = {}
        self._completions: dict[int, tuple[Any, ...] | None] = {}

    def profiles(self) -> Iterable[int]:
        if self._profiles is None:
            self._profiles = list(self.conn.execute(select(_PROFILE.c.id)).scalars())
        return self._profiles

    def settings(self, profile_id: int) -> Settings | None:
        if profile_id not in self._settings:
            bridged = _bridged(self.counters(profile_id))
            current = self.current
            if current is not None and current.profile_id == profile_id \
                    and current.type == catalog.SETTINGS_EVENT:
                # The settings before this change: the previous change's (the profile row
                # already holds the new ones).
                meta = self.conn.execute(
                    select(_EVENT.c.meta).where(
                        _EVENT.c.profile_id == profile_id, _EVENT.c.id < current.id,
                        _EVENT.c.type == catalog.SETTINGS_EVENT)
                    .order_by(_EVENT.c.id.desc()).limit(1)).scalar()
                self._settings[profile_id] = (Settings.from_meta(profile_id, meta, bridged)
                                              if meta is not None else None)
            else:
                self._settings[profile_id] = profile_settings(self.conn, profile_id, bridged)
        return self._settings[profile_id]

    def counters(self, profile_id: int) -> Mapping[tuple[str, str], int]:
        found = self._counters.get(profile_id)
        if found is None:
            found = self._counters[profile_id] = {
                (scope, name): value for scope, name, value in self.conn.execute(
                    select(_COUNTER.c.scope, _COUNTER.c.name, _COUNTER.c.value).where(
                        _COUNTER.c.profile_id == profile_id))}
        return found

    def counter(self, profile_id: int, key: tuple[str, str]) -> int:
        return self.counters(profile_id).get(key, 0)

    def _load_days(self, profile_id: int, day: date) -> None:
        window = self._window.get(profile_id, self.FIRST_WINDOW)
        self._window[profile_id] = min(self.MAX_WINDOW, window * 2)
        lo, hi = day - timedelta(days=window), day + timedelta(days=window)
        rows = self._days.setdefault(profile_id, {})
        for row in self.conn.execute(select(*_DAY_COLS).where(
                _DAY.c.profile_id == profile_id, _DAY.c.day.between(lo, hi))):
            rows.setdefault(row[0], tuple(row[1:]))
        self._loaded.setdefault(profile_id, []).append((lo, hi))

    def day(self, profile_id: int, day: date) -> tuple[Any, ...] | None:
        rows = self._days.get(profile_id)
        if rows is not None and day in rows:
            return rows[day]
        if not any(lo <= day <= hi for lo, hi in self._loaded.get(profile_id, ())):
            self._load_days(profile_id, day)
        return self._days[profile_id].get(day)

    def active_days(self, profile_id: int, since: date | None = None,
                    before: date | None = None) -> set[date]:
        query = select(*_DAY_COLS).where(_DAY.c.profile_id == profile_id, _ACTIVE)
        if since is not None:
            query = query.where(_DAY.c.day >= since)
        if before is not None:
            query = query.where(_DAY.c.day < before)
        rows = self._days.setdefault(profile_id, {})
        days = set()
        for row in self.conn.execute(query):
            rows.setdefault(row[0], tuple(row[1:]))
            days.add(row[0])
        return days

    def week(self, profile_id: int, week: str) -> Any:
        row = self.conn.execute(select(_WEEK.c.perfect_week_holder).where(
            _WEEK.c.profile_id == profile_id, _WEEK.c.week == week)).first()
        return MISSING if row is None else row[0]

    def streak(self, profile_id: int, streak_type: str) -> tuple[Any, ...] | None:
        found = self._streaks.get(profile_id)
        if found is None:
            found = self._streaks[profile_id] = {
                row[0]: tuple(row[1:]) for row in self.conn.execute(
                    select(_STREAK.c.type, _STREAK.c.current, _STREAK.c.longest,
                           _STREAK.c.run_start, _STREAK.c.last_activity_date)
                    .where(_STREAK.c.profile_id == profile_id))}
        return found.get(streak_type)

    def streak_grants(self, profile_id: int, start: date, end: date) -> set[int]:
        return set(self.conn.execute(select(_GRANT.c.threshold).where(
            _GRANT.c.profile_id == profile_id, _GRANT.c.day.between(start, end))).scalars())

    def milestones(self, profile_id: int, kind: str, scope: str) -> set[int]:
        return set(self.conn.execute(select(_MILESTONE.c.threshold).where(
            _MILESTONE.c.profile_id == profile_id, _MILESTONE.c.kind == kind,
            _MILESTONE.c.scope == scope)).scalars())

    def unlocked(self, profile_id: int) -> set[str]:
        found = self._unlocked.get(profile_id)
        if found is None:
            found = self._unlocked[profile_id] = set(self.conn.execute(
                select(_ACHIEVEMENT.c.achievement_id).where(
                    _ACHIEVEMENT.c.profile_id == profile_id,
                    _ACHIEVEMENT.c.completed.is_(True))).scalars())
        return found

    def defined(self, profile_id: int) -> set[str] | None:
        # Live: every stored custom achievement was defined by an event before.
        return set() if self.defined_by_log else None

    def completion(self, event_id: int) -> tuple[Any, ...] | None:
        if event_id not in self._completions:
            row = self.conn.execute(select(*_COMPLETION_COLS).where(
                _COMPLETION.c.event_id == event_id)).first()
            self._completions[event_id] = None if row is None else tuple(row)
        return self._completions[event_id]

    def completion_for_key(self, profile_id: int, key: str) -> int | None:
        return self.conn.execute(select(_EVENT.c.id).where(
            _EVENT.c.profile_id == profile_id, _EVENT.c.key == key)).scalar()

    def completions_on(self, profile_id: int, day: date) -> list[int]:
        rows = self.conn.execute(select(*_COMPLETION_COLS).where(
            _COMPLETION.c.profile_id == profile_id, _COMPLETION.c.activity_day == day)
            .order_by(_COMPLETION.c.event_id)).all()
        for row in rows:
            self._completions.setdefault(row[0], tuple(row))
        return [row[0] for row in rows]

    def credits_of(self, completion_id: int) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.conn.execute(
            select(_LEDGER.c.id, _LEDGER.c.profile_id, _LEDGER.c.event_id,
                   _LEDGER.c.entry_type, _LEDGER.c.points, _LEDGER.c.reason, _LEDGER.c.source,
                   _LEDGER.c.completion_id, _LEDGER.c.reverses_id, _LEDGER.c.activity_day,
                   _LEDGER.c.created_at)
            .where(_LEDGER.c.completion_id == completion_id,
                   _LEDGER.c.entry_type == "credit").order_by(_LEDGER.c.id))]

    def board_checked(self, profile_id: int) -> Any:
        return self.conn.execute(select(_PROFILE.c.board_checked_week).where(
            _PROFILE.c.id == profile_id)).scalar()

    def next_ledger_id(self) -> int:
        return int(self.conn.execute(select(func.max(_LEDGER.c.id))).scalar() or 0) + 1


def live_definitions(conn: Connection, event_type: str) -> Definitions:
    """What a live event's rules may read besides the derived state."""
    types = event_types(conn) if event_type not in _BUILT_IN else {}
    return Definitions(event_types=types, customs=custom_achievements(conn),
                       projects=_Projects(conn))


_BUILT_IN = frozenset(catalog.KIND_BY_SOURCE) | {
    catalog.REVERSAL_EVENT, catalog.REPORT_EXPORTED_EVENT, catalog.SETTINGS_EVENT,
    catalog.ACHIEVEMENT_DEFINED_EVENT}


# --- the live path -------------------------------------------------------------------------------


def process_event(session: Session, now: datetime, profile_id: int, event_type: str,
                  meta: dict[str, Any], occurred_at: datetime, key: str | None = None
                  ) -> Outcome:
    """SPEC §8: one event, inside the caller's transaction; idempotent by key."""
    key = key if key is not None else new_event_key()
    session.flush()  # the caller's own changes (the item marked done) go first
    conn = session.connection()
    existing = conn.execute(select(_EVENT.c.outcome).where(
        _EVENT.c.profile_id == profile_id, _EVENT.c.key == key)).first()
    if existing is not None and existing[0] is not None:
        return Outcome.from_json(existing[0], replayed=True)
    base = StoredState(conn)
    settings = base.settings(profile_id)  # the profile's row, with the bridged days
    assert settings is not None
    day = settings.day_of(occurred_at)
    event_id = conn.execute(insert(_EVENT).values(
        profile_id=profile_id, key=key, type=event_type, occurred_at=occurred_at,
        activity_day=day, processed_at=now, meta=dict(meta))).inserted_primary_key[0]
    event = EventIn(event_id, profile_id, key, event_type, occurred_at, day, now, dict(meta))
    base.current = event
    if event_type == catalog.SETTINGS_EVENT:
        base._settings.pop(profile_id)  # the rules read the settings before this change
    _, effects = step(base, event, live_definitions(conn, event_type))
    write_rows(conn, effects.rows, upsert=True)
    assert effects.outcome is not None
    conn.execute(update(_EVENT).where(_EVENT.c.id == event_id)
                 .values(outcome=effects.outcome.to_json()))
    return effects.outcome


# --- rows out ---------------------------------------------------------------------------------------


def table_rows(rows: MemoryState) -> dict[str, list[dict[str, Any]]]:
    """A state's rows as the derived tables' rows (dicts by column name)."""
    return {
        "completions": [dict(zip(_COMPLETION_NAMES, row, strict=True))
                        for row in rows.completion_rows.values()],
        "ledger": [dict(zip(_LEDGER_NAMES, row, strict=True)) for row in rows.ledger_rows],
        "counters": [{"profile_id": pid, "scope": scope, "name": name, "value": value}
                     for pid, counters in rows.counter_rows.items()
                     for (scope, name), value in counters.items()],
        "day_stats": [{"profile_id": pid, "day": day, **dict(zip(_DAY_NAMES, row, strict=True))}
                      for pid, days in rows.day_rows.items() for day, row in days.items()],
        "week_stats": [{"profile_id": pid, "week": week, "perfect_week_holder": holder}
                       for (pid, week), holder in rows.week_rows.items()],
        "streaks": [{"profile_id": pid, "type": streak_type, "current": row[0],
                     "longest": row[1], "run_start": row[2], "last_activity_date": row[3]}
                    for (pid, streak_type), row in rows.streak_rows.items()],
        "streak_bonus_grants": [{"profile_id": r[0], "threshold": r[1], "day": r[2],
                                 "event_id": r[3]} for r in rows.streak_grant_rows],
        "achievement_progress": [{"profile_id": r[0], "achievement_id": r[1],
                                  "progress": r[2], "completed": r[3], "completed_at": r[4],
                                  "event_id": r[5]} for r in rows.achievement_rows],
        "milestone_grants": [{"profile_id": r[0], "kind": r[1], "scope": r[2],
                              "threshold": r[3], "points": r[4], "source": r[5],
                              "event_id": r[6], "granted_at": r[7]}
                             for r in rows.milestone_rows],
    }


_COMPLETION_NAMES = ("event_id", "profile_id", "kind", "item_id", "project_id",
                     "activity_day", "complexity", "minutes", "on_time", "price", "active",
                     "reversed_by")
_LEDGER_NAMES = ("id", "profile_id", "event_id", "entry_type", "points", "reason", "source",
                 "completion_id", "reverses_id", "activity_day", "created_at")
_DAY_NAMES = ("tasks", "steps", "slots", "goals", "focus_minutes", "points",
              "first_task_holder", "early_bird_holder", "night_owl_holder", "weekend_holder")
#: Tables whose rows a step may change (upserted); the others only gain rows.
_UPSERTED = ("completions", "counters", "day_stats", "week_stats", "streaks")
TABLES = {"completions": _COMPLETION, "ledger": _LEDGER, "counters": _COUNTER,
          "day_stats": _DAY, "week_stats": _WEEK, "streaks": _STREAK,
          "streak_bonus_grants": _GRANT, "achievement_progress": _ACHIEVEMENT,
          "milestone_grants": _MILESTONE}


def write_rows(conn: Connection, rows: MemoryState, *, upsert: bool) -> None:
    """Write a state's rows: ``upsert`` for one step's effects (changed rows replace the
    stored ones), plain inserts into emptied tables for the doctor's ``--fix``."""
    for name, values in table_rows(rows).items():
        if not values:
            continue
        statement = insert(TABLES[name])
        if upsert and name in _UPSERTED:
            statement = statement.prefix_with("OR REPLACE")
        conn.execute(statement, values)
    board = [{"pid": pid, "week": week} for pid, week in rows.board_rows.items()]
    if board:
        from sqlalchemy import bindparam  # noqa: PLC0415

        conn.execute(update(_PROFILE).where(_PROFILE.c.id == bindparam("pid"))
                     .values(board_checked_week=bindparam("week")), board)


# --- reads ----------------------------------------------------------------------------------------


class ProfileReader:
    """A profile's derived state for the read API (counters, metrics, streaks)."""

    def __init__(self, session: Session, profile_id: int) -> None:
        self.conn = session.connection()
        self.profile_id = profile_id
        self.view = StoredState(self.conn)
        self.settings = load_settings(self.conn, profile_id)

    def counter(self, name: str, scope: str = GLOBAL) -> int:
        return self.view.counter(self.profile_id, (scope, name))

    def metrics(self) -> dict[str, int]:
        values = {name: value for (scope, name), value in
                  self.view.counters(self.profile_id).items() if scope == GLOBAL}
        streak = self.view.streak(self.profile_id, StreakType.DAILY_ACTIVITY.value)
        values[Criteria.STREAK.value] = streak[1] if streak else 0
        values[Criteria.LEVEL.value] = level_number(self.counter(POINTS_TOTAL))
        return values

    def streak_states(self, today: date) -> tuple[StreakState, ...]:
        return streak_states(self.view, self.settings, self.profile_id, today)
