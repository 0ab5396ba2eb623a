"""The engine's live path and its storage: stored derived tables ⇄ the engine's state.

* :class:`StoredState` — a :class:`~..engine.state.StateView` of the stored derived
  tables, read through the event's transaction (SQLAlchemy Core), a few rows at a time and
  only those the rules ask for: an event costs the same with 10k or 1M events of history.
* :func:`process_event` — SPEC §8's entry point: the event row, one
  :func:`~..engine.step.step`, its effects written (:func:`write_rows`), the outcome stored
  with the event; all in the caller's transaction.
* :func:`write_rows` — a state's rows into the derived tables: upserts for one step's
  effects, plain bulk inserts for the doctor's ``--fix``.

The rules are not here: this module only moves rows. The hot path (every read of
:class:`StoredState`, the event row, the writes) sends fixed SQL text straight to the
sqlite3 connection under the caller's transaction (:func:`raw`): building and compiling
a SQLAlchemy statement costs ~0.15 ms, twenty of them were most of a completion (issue
14, docs/BENCHMARKS.md §4a). Values cross as SQLAlchemy stores them on SQLite: a date as
``YYYY-MM-DD``, an instant as naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, JSON as
``json.dumps`` text.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

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
from ..sqlite import day_conditions
from .sql_values import Store as Store  # the values' helpers: re-exported (they lived here)
from .sql_values import insert_rows as insert_rows
from .sql_values import raw as raw
from .sql_values import read_day as read_day
from .sql_values import read_instant as read_instant
from .sql_values import rules_behind as rules_behind
from .sql_values import sql_instant as sql_instant
from .sql_values import sql_value as sql_value

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session


def new_event_key() -> str:
    return uuid.uuid4().hex


# --- values across the sqlite3 connection ---------------------------------------------------


# --- settings and definitions ----------------------------------------------------------------


def _bridged(counters: Mapping[tuple[str, str], int]) -> frozenset[date]:
    return frozenset(date.fromisoformat(name) for (scope, name), value in counters.items()
                     if scope == BRIDGED_SCOPE and value)


_PROFILE_ROW = ("SELECT timezone, day_start_hour, daily_task_target, days_off, "
                "board_checked_week FROM profiles WHERE id = ?")
_VACATIONS = ("SELECT start_date, end_date FROM vacations WHERE profile_id = ? "
              "AND deleted_at IS NULL ORDER BY id")


def days_off_of(text: str | None) -> frozenset[int]:
    """A profile's ``days_off`` column ("0,6") as weekday numbers (Monday 0)."""
    return frozenset(int(d) for d in (text or "").split(",") if d != "")


def _settings_of_row(db: sqlite3.Connection, profile_id: int, profile: Sequence[Any] | None,
                     bridged: frozenset[date]) -> Settings:
    if profile is None:
        raise NotFoundError("profile", f"no profile with id {profile_id}")
    vacations = db.execute(_VACATIONS, (profile_id,)).fetchall()
    return Settings(profile_id, profile[0], profile[1], profile[2], days_off_of(profile[3]),
                    tuple((date.fromisoformat(a), date.fromisoformat(b))
                          for a, b in vacations), bridged)


def profile_settings(conn: Store, profile_id: int,
                     bridged: frozenset[date] = frozenset()) -> Settings:
    """A profile's settings as its row and vacations hold them now."""
    db = raw(conn)
    return _settings_of_row(db, profile_id, db.execute(_PROFILE_ROW, (profile_id,)).fetchone(),
                            bridged)


def load_settings(session: Store, profile_id: int) -> Settings:
    """The settings in force now, with the days settings changes bridged."""
    db = raw(session)
    counters = {(BRIDGED_SCOPE, name): value for name, value in db.execute(
        "SELECT name, value FROM counters WHERE profile_id = ? AND scope = ?",
        (profile_id, BRIDGED_SCOPE))}
    return profile_settings(session, profile_id, _bridged(counters))


_CUSTOMS = ("SELECT id, profile_id, name, description, points, criteria, target, icon, "
            "event_type FROM custom_achievements")


def custom_achievements(conn: Store, profile_id: int | None = None
                        ) -> dict[int, tuple[catalog.Achievement, ...]]:
    """Custom achievements by profile (one profile's, or everyone's)."""
    db = raw(conn)
    rows = (db.execute(_CUSTOMS + " ORDER BY id") if profile_id is None else
            db.execute(_CUSTOMS + " WHERE profile_id = ? ORDER BY id", (profile_id,)))
    result: dict[int, list[catalog.Achievement]] = {}
    for row in rows:
        result.setdefault(row[1], []).append(catalog.Achievement(
            f"custom:{row[0]}", row[2], row[3], row[4], "custom",
            Criteria(row[5]), row[6], row[7], row[8]))
    return {pid: tuple(items) for pid, items in result.items()}


class _Projects(Mapping[int, tuple[str, bool]]):
    """Project names and goal settings, read when a milestone needs one."""

    def __init__(self, conn: Store) -> None:
        self.db = raw(conn)
        self.cache: dict[int, tuple[str, bool] | None] = {}

    def __getitem__(self, project_id: int) -> tuple[str, bool]:
        if project_id not in self.cache:
            row = self.db.execute("SELECT name, goals_enabled FROM projects WHERE id = ?",
                                  (project_id,)).fetchone()
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
    from sqlalchemy import select  # noqa: PLC0415

    from ..models import Project  # noqa: PLC0415

    return {row[0]: (row[1], bool(row[2])) for row in conn.execute(
        select(Project.id, Project.name, Project.goals_enabled))}


def event_types(conn: Store) -> dict[str, int]:
    return {row[0]: row[1] for row in raw(conn).execute("SELECT name, points FROM event_types")}


# --- the stored tables as a state --------------------------------------------------------------

_DAY_SELECT = ("SELECT day, tasks, steps, slots, goals, focus_minutes, points, "
               "first_task_holder, early_bird_holder, night_owl_holder, weekend_holder "
               "FROM day_stats WHERE profile_id = ?")
_COMPLETION_SELECT = ("SELECT event_id, profile_id, kind, item_id, project_id, activity_day, "
                      "complexity, minutes, on_time, price, active, reversed_by "
                      "FROM completions")
_ACTIVE_DAY = " AND tasks + steps + slots + goals > 0"


def _completion(row: Sequence[Any]) -> tuple[Any, ...]:
    return (row[0], row[1], row[2], row[3], row[4], date.fromisoformat(row[5]), row[6],
            row[7], bool(row[8]), row[9], bool(row[10]), row[11])


class StoredState(StateView):
    """The stored derived tables, read lazily within one transaction (never written)."""

    #: Day rows are read a window at a time around the day asked for; a walk along a
    #: long run doubles the window.
    FIRST_WINDOW, MAX_WINDOW = 8, 512

    def __init__(self, conn: Store, current: EventIn | None = None, *,
                 defined_by_log: bool = False) -> None:
        self.db = raw(conn)
        self.current = current
        #: A fold over appended events (a restore) learns custom achievements from the
        #: log's definition events; the live path counts every stored one as defined.
        self.defined_by_log = defined_by_log
        self._profiles: list[int] | None = None
        self._profile_rows: dict[int, tuple[Any, ...] | None] = {}
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
            self._profiles = [row[0] for row in self.db.execute("SELECT id FROM profiles")]
        return self._profiles

    def profile_row(self, profile_id: int) -> tuple[Any, ...] | None:
        """(timezone, day_start_hour, daily_task_target, days_off, board_checked_week)."""
        if profile_id not in self._profile_rows:
            self._profile_rows[profile_id] = self.db.execute(
                _PROFILE_ROW, (profile_id,)).fetchone()
        return self._profile_rows[profile_id]

    def settings(self, profile_id: int) -> Settings | None:
        if profile_id not in self._settings:
            bridged = _bridged(self.counters(profile_id))
            current = self.current
            if current is not None and current.profile_id == profile_id \
                    and current.type == catalog.SETTINGS_EVENT:
                # The settings before this change: the previous change's (the profile row
                # already holds the new ones).
                found = self.db.execute(
                    "SELECT meta FROM events WHERE profile_id = ? AND id < ? AND type = ? "
                    "ORDER BY id DESC LIMIT 1",
                    (profile_id, current.id, catalog.SETTINGS_EVENT)).fetchone()
                meta = None if found is None or found[0] is None else json.loads(found[0])
                self._settings[profile_id] = (Settings.from_meta(profile_id, meta, bridged)
                                              if meta is not None else None)
            else:
                self._settings[profile_id] = _settings_of_row(
                    self.db, profile_id, self.profile_row(profile_id), bridged)
        return self._settings[profile_id]

    def counters(self, profile_id: int) -> Mapping[tuple[str, str], int]:
        found = self._counters.get(profile_id)
        if found is None:
            found = self._counters[profile_id] = {
                (scope, name): value for scope, name, value in self.db.execute(
                    "SELECT scope, name, value FROM counters WHERE profile_id = ?",
                    (profile_id,))}
        return found

    def counter(self, profile_id: int, key: tuple[str, str]) -> int:
        return self.counters(profile_id).get(key, 0)

    def _keep_days(self, profile_id: int, rows: Iterable[Sequence[Any]]) -> set[date]:
        days = self._days.setdefault(profile_id, {})
        seen = set()
        for row in rows:
            day = date.fromisoformat(row[0])
            days.setdefault(day, tuple(row[1:]))
            seen.add(day)
        return seen

    def _load_days(self, profile_id: int, day: date) -> None:
        window = self._window.get(profile_id, self.FIRST_WINDOW)
        self._window[profile_id] = min(self.MAX_WINDOW, window * 2)
        lo, hi = day - timedelta(days=window), day + timedelta(days=window)
        self._keep_days(profile_id, self.db.execute(
            _DAY_SELECT + " AND day BETWEEN ? AND ?", (profile_id, lo.isoformat(),
                                                      hi.isoformat())))
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
        bounds, days = day_conditions(("day >= ?", since), ("day < ?", before))
        return self._keep_days(profile_id, self.db.execute(
            _DAY_SELECT + _ACTIVE_DAY + bounds, [profile_id, *days]))

    def week(self, profile_id: int, week: str) -> Any:
        row = self.db.execute("SELECT perfect_week_holder FROM week_stats "
                              "WHERE profile_id = ? AND week = ?", (profile_id, week)).fetchone()
        return MISSING if row is None else row[0]

    def streak(self, profile_id: int, streak_type: str) -> tuple[Any, ...] | None:
        found = self._streaks.get(profile_id)
        if found is None:
            found = self._streaks[profile_id] = {
                row[0]: (row[1], row[2], read_day(row[3]), read_day(row[4]))
                for row in self.db.execute(
                    "SELECT type, current, longest, run_start, last_activity_date "
                    "FROM streaks WHERE profile_id = ?", (profile_id,))}
        return found.get(streak_type)

    def streak_grants(self, profile_id: int, start: date, end: date) -> set[int]:
        return {row[0] for row in self.db.execute(
            "SELECT threshold FROM streak_bonus_grants WHERE profile_id = ? "
            "AND day BETWEEN ? AND ?", (profile_id, start.isoformat(), end.isoformat()))}

    def milestones(self, profile_id: int, kind: str, scope: str) -> set[int]:
        return {row[0] for row in self.db.execute(
            "SELECT threshold FROM milestone_grants WHERE profile_id = ? AND kind = ? "
            "AND scope = ?", (profile_id, kind, scope))}

    def unlocked(self, profile_id: int) -> set[str]:
        found = self._unlocked.get(profile_id)
        if found is None:
            found = self._unlocked[profile_id] = {row[0] for row in self.db.execute(
                "SELECT achievement_id FROM achievement_progress WHERE profile_id = ? "
                "AND completed = 1", (profile_id,))}
        return found

    def defined(self, profile_id: int) -> set[str] | None:
        # Live: every stored custom achievement was defined by an event before.
        return set() if self.defined_by_log else None

    def completion(self, event_id: int) -> tuple[Any, ...] | None:
        if event_id not in self._completions:
            row = self.db.execute(_COMPLETION_SELECT + " WHERE event_id = ?",
                                  (event_id,)).fetchone()
            self._completions[event_id] = None if row is None else _completion(row)
        return self._completions[event_id]

    def completion_for_key(self, profile_id: int, key: str) -> int | None:
        row = self.db.execute("SELECT id FROM events WHERE profile_id = ? AND key = ?",
                              (profile_id, key)).fetchone()
        return None if row is None else int(row[0])

    def completions_on(self, profile_id: int, day: date) -> list[int]:
        rows = [_completion(row) for row in self.db.execute(
            _COMPLETION_SELECT + " WHERE profile_id = ? AND activity_day = ? "
            "ORDER BY event_id", (profile_id, day.isoformat()))]
        for row in rows:
            self._completions.setdefault(row[0], row)
        return [row[0] for row in rows]

    def credits_of(self, completion_id: int) -> list[tuple[Any, ...]]:
        return [(*row[:9], date.fromisoformat(row[9]), read_instant(row[10]))
                for row in self.db.execute(
                    "SELECT id, profile_id, event_id, entry_type, points, reason, source, "
                    "completion_id, reverses_id, activity_day, created_at FROM ledger "
                    "WHERE completion_id = ? AND entry_type = 'credit' ORDER BY id",
                    (completion_id,))]

    def board_checked(self, profile_id: int) -> Any:
        row = self.profile_row(profile_id)
        return None if row is None else row[4]

    def next_ledger_id(self) -> int:
        return int(self.db.execute("SELECT max(id) FROM ledger").fetchone()[0] or 0) + 1


class ResumedState(StoredState):
    """The stored tables as the start of a sync's fold (``core/sync/order.py``), when they
    are the fold's state at its last checkpoint: what only the log knows — each profile's
    settings as its settings events left them, the profiles the log names, the custom
    achievements defined so far — comes from the checkpoint, and a day's completions are
    in the merged log's order (by stamp), as the fold lists them."""

    def __init__(self, conn: Store, settings_of: Mapping[int, Settings],
                 profile_ids: Collection[int], defined_ids: Mapping[int, set[str]]) -> None:
        super().__init__(conn)
        self.settings_of = settings_of
        self.profile_ids = profile_ids
        self.defined_ids = defined_ids

    def profiles(self) -> Iterable[int]:
        return self.profile_ids

    def settings(self, profile_id: int) -> Settings | None:
        return self.settings_of.get(profile_id)

    def defined(self, profile_id: int) -> set[str] | None:
        return self.defined_ids.get(profile_id) or set()

    def completions_on(self, profile_id: int, day: date) -> list[int]:
        rows = [_completion(row[:12]) for row in self.db.execute(
            "SELECT c.event_id, c.profile_id, c.kind, c.item_id, c.project_id, "
            "c.activity_day, c.complexity, c.minutes, c.on_time, c.price, c.active, "
            "c.reversed_by FROM completions c LEFT JOIN sync_events s "
            "ON s.event_id = c.event_id WHERE c.profile_id = ? AND c.activity_day = ? "
            "ORDER BY coalesce(s.stamp, ?), coalesce(s.replica, ''), c.event_id",
            (profile_id, day.isoformat(), _UNSTAMPED))]
        for row in rows:
            self._completions.setdefault(row[0], row)
        return [row[0] for row in rows]


#: Where an event not stamped yet sorts (``core/sync/order.py``'s ``UNSTAMPED``).
_UNSTAMPED = 2**62


def live_definitions(conn: Store, event_type: str) -> Definitions:
    """What a live event's rules may read besides the derived state."""
    types = event_types(conn) if event_type not in _BUILT_IN else {}
    return Definitions(event_types=types, customs=custom_achievements(conn),
                       projects=_Projects(conn))


_BUILT_IN = frozenset(catalog.KIND_BY_SOURCE) | {
    catalog.REVERSAL_EVENT, catalog.REPORT_EXPORTED_EVENT, catalog.SETTINGS_EVENT,
    catalog.ACHIEVEMENT_DEFINED_EVENT, catalog.ACHIEVEMENT_CARRIED_EVENT}


# --- the live path -------------------------------------------------------------------------------

_INSERT_EVENT = ("INSERT INTO events (profile_id, key, type, occurred_at, activity_day, "
                 "processed_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?)")


def process_event(session: Store, now: datetime, profile_id: int,
                  event_type: str, meta: dict[str, Any], occurred_at: datetime,
                  key: str | None = None) -> Outcome:
    """SPEC §8: one event, inside the caller's transaction; idempotent by key."""
    key = key if key is not None else new_event_key()
    if hasattr(session, "flush"):  # a Session (no SQLAlchemy import on the light path)
        session.flush()  # the caller's own changes (the item marked done) go first
    db = raw(session)
    existing = db.execute("SELECT outcome FROM events WHERE profile_id = ? AND key = ?",
                          (profile_id, key)).fetchone()
    if existing is not None and existing[0] is not None:
        found = json.loads(existing[0])
        if found is not None:
            return Outcome.from_json(found, replayed=True)
    base = StoredState(session)
    settings = base.settings(profile_id)  # the profile's row, with the bridged days
    assert settings is not None
    day = settings.day_of(occurred_at)
    meta = dict(meta)
    event_id = db.execute(_INSERT_EVENT, (
        profile_id, key, event_type, sql_instant(occurred_at), day.isoformat(),
        sql_instant(now), json.dumps(meta))).lastrowid
    assert event_id is not None
    event = EventIn(event_id, profile_id, key, event_type, occurred_at, day, now, meta)
    base.current = event
    if event_type == catalog.SETTINGS_EVENT:
        base._settings.pop(profile_id)  # the rules read the settings before this change
    _, effects = step(base, event, live_definitions(session, event_type))
    write_rows(session, effects.rows, upsert=True)
    assert effects.outcome is not None
    db.execute("UPDATE events SET outcome = ? WHERE id = ?",
               (json.dumps(effects.outcome.to_json()), event_id))
    return effects.outcome


# --- rows out ------------------------------------------------------------------------------

_COMPLETION_NAMES = ("event_id", "profile_id", "kind", "item_id", "project_id",
                     "activity_day", "complexity", "minutes", "on_time", "price", "active",
                     "reversed_by")
_LEDGER_NAMES = ("id", "profile_id", "event_id", "entry_type", "points", "reason", "source",
                 "completion_id", "reverses_id", "activity_day", "created_at")
_DAY_NAMES = ("tasks", "steps", "slots", "goals", "focus_minutes", "points",
              "first_task_holder", "early_bird_holder", "night_owl_holder", "weekend_holder")
#: Each derived table's columns, in the order :func:`row_tuples` gives its values.
COLUMNS: dict[str, tuple[str, ...]] = {
    "completions": _COMPLETION_NAMES,
    "ledger": _LEDGER_NAMES,
    "counters": ("profile_id", "scope", "name", "value"),
    "day_stats": ("profile_id", "day", *_DAY_NAMES),
    "week_stats": ("profile_id", "week", "perfect_week_holder"),
    "streaks": ("profile_id", "type", "current", "longest", "run_start", "last_activity_date"),
    "streak_bonus_grants": ("profile_id", "threshold", "day", "event_id"),
    "achievement_progress": ("profile_id", "achievement_id", "progress", "completed",
                             "completed_at", "event_id"),
    "milestone_grants": ("profile_id", "kind", "scope", "threshold", "points", "source",
                         "event_id", "granted_at"),
}


def row_tuples(rows: MemoryState) -> dict[str, Collection[Sequence[Any]]]:
    """A state's rows per derived table, as tuples in :data:`COLUMNS` order (Python
    values: dates, aware instants, bools)."""
    return {
        "completions": rows.completion_rows.values(),
        "ledger": rows.ledger_rows,
        "counters": [(pid, scope, name, value) for pid, counters in rows.counter_rows.items()
                     for (scope, name), value in counters.items()],
        "day_stats": [(pid, day, *row) for pid, days in rows.day_rows.items()
                      for day, row in days.items()],
        "week_stats": [(pid, week, holder) for (pid, week), holder in rows.week_rows.items()],
        "streaks": [(pid, streak_type, *row)
                    for (pid, streak_type), row in rows.streak_rows.items()],
        "streak_bonus_grants": rows.streak_grant_rows,
        "achievement_progress": rows.achievement_rows,
        "milestone_grants": rows.milestone_rows,
    }


def table_rows(rows: MemoryState) -> dict[str, list[dict[str, Any]]]:
    """A state's rows as the derived tables' rows (dicts by column name)."""
    return {name: [dict(zip(COLUMNS[name], row, strict=True)) for row in values]
            for name, values in row_tuples(rows).items()}


#: Tables whose rows a step may change (upserted); the others only gain rows.
_UPSERTED = ("completions", "counters", "day_stats", "week_stats", "streaks")
_INSERTS = {name: (f"INSERT INTO {name} ({', '.join(columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            for name, columns in COLUMNS.items()}
#: Each derived table's date and instant columns: the only values :func:`sql_value`
#: changes. Named here rather than read from the models, so that a completion does not
#: import SQLAlchemy (the command line's light path); ``tests/core/test_light_cli.py``
#: checks them against the models' column types (:func:`model_instant_columns`).
INSTANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "completions": ("activity_day",), "ledger": ("activity_day", "created_at"),
    "counters": (), "day_stats": ("day",), "week_stats": (),
    "streaks": ("run_start", "last_activity_date"), "streak_bonus_grants": ("day",),
    "achievement_progress": ("completed_at",), "milestone_grants": ("granted_at",)}


def model_instant_columns() -> dict[str, tuple[str, ...]]:
    """:data:`INSTANT_COLUMNS` as the models' column types give them."""
    from sqlalchemy import Date, DateTime  # noqa: PLC0415

    from ..models import Base  # noqa: PLC0415

    found = {}
    for name, names in COLUMNS.items():
        columns = Base.metadata.tables[name].c
        found[name] = tuple(
            column for column in names
            if isinstance(columns[column].type, (Date, DateTime))
            or isinstance(getattr(columns[column].type, "impl", None), (Date, DateTime)))
    return found


#: Per table, the positions :func:`_sql_rows` converts (a fold's 60k rows of ~12 values
#: each were 700k ``sql_value`` calls, most of them on integers; issue 19's sync).
_INSTANT_COLUMNS = {name: tuple(COLUMNS[name].index(column) for column in columns)
                    for name, columns in INSTANT_COLUMNS.items()}


def _sql_rows(name: str, values: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The rows of table ``name`` as parameters: only its date and instant columns go
    through :func:`sql_value` (the others are values it returns unchanged)."""
    positions = _INSTANT_COLUMNS[name]
    if not positions:
        yield from values
        return
    for row in values:
        out = list(row)
        for index in positions:
            out[index] = sql_value(out[index])
        yield out


#: Tables whose rows have a natural key (no id given by the fold's position): a rewrite
#: of them touches only the rows that differ (:func:`write_rows`' ``diffed``).
KEYED = _UPSERTED


def _write_difference(db: sqlite3.Connection, name: str, values: Iterable[Sequence[Any]]
                      ) -> None:
    """Make table ``name`` hold exactly ``values``: the stored rows that are not among
    them deleted, theirs that are not stored inserted, the others left alone (compared
    as stored: dates and instants as text, booleans as 0/1, which equal True/False)."""
    columns = COLUMNS[name]
    stored: dict[tuple[Any, ...], list[int]] = {}
    for rowid, *found in db.execute(f"SELECT rowid, {', '.join(columns)} "  # noqa: S608
                                    f"FROM {name}"):
        stored.setdefault(tuple(found), []).append(rowid)
    inserts = []
    for row in _sql_rows(name, values):
        key = tuple(row)
        rowids = stored.get(key)
        if rowids:
            rowids.pop()
            if not rowids:
                del stored[key]
        else:
            inserts.append(key)
    db.executemany(f"DELETE FROM {name} WHERE rowid = ?",  # noqa: S608 (fixed names)
                   [(rowid,) for rowids in stored.values() for rowid in rowids])
    db.executemany(_INSERTS[name], inserts)


def write_rows(conn: Store, rows: MemoryState, *, upsert: bool,
               diffed: Collection[str] = ()) -> None:
    """Write a state's rows: ``upsert`` for one step's effects (changed rows replace the
    stored ones), plain inserts into emptied tables for the doctor's ``--fix``; the
    tables in ``diffed`` (not emptied) are made equal to the state's rows by writing only
    the rows that differ (a fold of the whole log rewrites every table: most day, week
    and completion rows are the ones stored)."""
    db = raw(conn)
    for name, values in row_tuples(rows).items():
        if name in diffed:
            _write_difference(db, name, values)
            continue
        if not values:
            continue
        statement = _INSERTS[name]
        if upsert and name in _UPSERTED:
            statement = "INSERT OR REPLACE" + statement[len("INSERT"):]
        db.executemany(statement, _sql_rows(name, values))
    board = [(week, pid) for pid, week in rows.board_rows.items()]
    if board:
        db.executemany("UPDATE profiles SET board_checked_week = ? WHERE id = ?", board)



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
