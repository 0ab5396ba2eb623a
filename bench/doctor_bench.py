"""Doctor benchmark: rebuilding every derived table from the event log.

``momentum doctor`` checks the file (``integrity_check`` + ``foreign_key_check``), then
replays every event through the engine's ORM processor into empty derived tables and
compares them with what was there. This module measures, on copies of the generated
histories (:mod:`bench.generate`):

1. **the bare baseline**: read every event with ``sqlite3`` and insert one derived row
   per event into a scratch table, in one transaction (WAL, ``synchronous=FULL``) — the
   least any rebuild has to do;
2. **the real doctor**, phase by phase (integrity checks, snapshot, rebuild, snapshot,
   compare) with the functions ``DoctorService.run`` calls, at the sizes that fit in the
   time budget; per-event cost and the extrapolation to 1M events;
3. **a prototype of a fast rebuild** (:class:`DictReplay`): one ``SELECT`` over the events,
   the processor's rules applied to state kept in Python dicts (counters, day stats,
   weeks, streaks, grants; the pure functions of ``engine/rules.py`` and ``catalog`` are
   reused as they are), then one bulk write of every derived table. Its output is
   compared row by row with the derived tables the engine wrote, so a figure is only
   reported for a rebuild that is exact.

Target (the brief): the rebuild of 1M events ≤ 3 × the bare baseline at 1M.

    .venv/bin/python -m bench.doctor_bench [--quick] [--sizes 10k 100k] [--fast-sizes ...]
                                           [--profile N] [--verify-demo] [--json PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sqlite3
import statistics
import sys
import time as timer
from bisect import bisect_right
from collections import Counter as Multiset
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from io import StringIO
from pathlib import Path
from typing import Any

from momentum_app.core import catalog
from momentum_app.core.catalog import Criteria, Kind, StreakType
from momentum_app.core.clock import FixedClock, week_days, week_key, zone
from momentum_app.core.engine import processor as engine
from momentum_app.core.engine import rules
from momentum_app.core.engine.state import Settings

from .generate import INSERTS, OUT_DIR, ensure_history, parse_size, size_label

WORK_DIR = OUT_DIR / "work"
#: Target: the rebuild at 1M events within this factor of the bare scan-and-insert.
MAX_RATIO = 3.0
ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
#: Columns the doctor ignores when it compares (surrogate keys), as in doctor.py.
IGNORED = {"ledger": {"id", "reverses_id"}, "streak_bonus_grants": {"id"},
           "milestone_grants": {"id"}}
DERIVED = ("completions", "ledger", "counters", "day_stats", "week_stats", "streaks",
           "streak_bonus_grants", "achievement_progress", "milestone_grants")


def log(message: str) -> None:
    print(message, flush=True)


def work_copy(source: Path, name: str) -> Path:
    """A copy of a (closed, checkpointed) history file in bench/out/work."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    target = WORK_DIR / name
    remove(target)
    shutil.copyfile(source, target)
    return target


def remove(path: Path) -> None:
    """A work copy, its WAL files and the marker the app keeps beside an open database."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    (path.parent / f".{path.name}.in-use").unlink(missing_ok=True)


def connect(path: Path) -> sqlite3.Connection:
    """A raw connection with the app's pragmas (WAL, synchronous=FULL, foreign keys)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = timer.perf_counter(), timer.process_time()
    result = call()
    return timer.perf_counter() - wall, timer.process_time() - cpu, result


# --- 1. the bare baseline -----------------------------------------------------------------


def bare_scan_insert(path: Path) -> int:
    """Read all events, insert one derived row per event into a scratch table, commit.

    The derived row carries what any rebuild reads from an event (id, profile, type, day,
    the size of its meta); the scratch table is dropped afterwards.
    """
    conn = connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE bench_scratch (event_id INTEGER PRIMARY KEY, "
                     "profile_id INTEGER, type TEXT, day TEXT, meta_bytes INTEGER)")
        rows = conn.execute("SELECT id, profile_id, type, activity_day, meta FROM events "
                            "ORDER BY id")
        conn.executemany("INSERT INTO bench_scratch VALUES (?, ?, ?, ?, ?)",
                         ((r[0], r[1], r[2], r[3], len(r[4])) for r in rows))
        count = conn.execute("SELECT COUNT(*) FROM bench_scratch").fetchone()[0]
        conn.execute("COMMIT")
        conn.execute("DROP TABLE bench_scratch")
        return int(count)
    finally:
        conn.close()


# --- 2. the real doctor, phase by phase -----------------------------------------------------


def real_doctor(path: Path) -> dict[str, Any]:
    """``DoctorService.run(fix=False)``'s steps, each timed (wall and CPU seconds)."""
    from momentum_app.core import sqlite as sqlite_layer  # noqa: PLC0415
    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.core.services import Momentum  # noqa: PLC0415
    from momentum_app.core.services.doctor import _snapshot, rebuild  # noqa: PLC0415

    database = open_database(path)
    app = Momentum(database, FixedClock(datetime.now(UTC)))
    phases: dict[str, tuple[float, float]] = {}
    try:
        with app.ctx.db.engine.connect() as connection:
            wall, cpu, problems = _timed(lambda: sqlite_layer.integrity_problems(connection))
        phases["integrity + foreign keys"] = (wall, cpu)
        with app.ctx.db.sessions() as session:
            session.begin()
            try:
                wall, cpu, before = _timed(lambda: _snapshot(session))
                phases["snapshot before"] = (wall, cpu)
                wall, cpu, events = _timed(lambda: rebuild(session))
                phases["rebuild (replay)"] = (wall, cpu)
                wall, cpu, after = _timed(lambda: _snapshot(session))
                phases["snapshot after"] = (wall, cpu)
                wall, cpu, differences = _timed(lambda: {
                    table: (sum((after[table] - rows).values()),
                            sum((rows - after[table]).values()))
                    for table, rows in before.items() if after[table] != rows})
                phases["compare"] = (wall, cpu)
            finally:
                session.rollback()
    finally:
        database.close()
    return {"events": events, "problems": problems, "differences": differences,
            "phases": {name: {"wall_s": round(w, 3), "cpu_s": round(c, 3)}
                       for name, (w, c) in phases.items()},
            "total_wall_s": round(sum(w for w, _ in phases.values()), 3),
            "total_cpu_s": round(sum(c for _, c in phases.values()), 3)}


PROFILE_FILTER = r"momentum_app|sqlalchemy/orm/session.py.*\((flush|get|execute|scalars?)\)"


def profile_doctor(path: Path, events: int) -> str:
    """cProfile of the doctor's replay over the first ``events`` events (same code path:
    derived tables emptied, then ``doctor.Replay.apply`` per event in batches)."""
    from sqlalchemy import delete, select, update  # noqa: PLC0415

    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.core.models import DERIVED_TABLES, Event, Profile  # noqa: PLC0415
    from momentum_app.core.services.doctor import REPLAY_BATCH, Replay  # noqa: PLC0415

    database = open_database(path)
    out = StringIO()
    try:
        with database.sessions() as session:
            session.begin()
            for model in reversed(DERIVED_TABLES):
                session.execute(delete(model))
            session.execute(update(Profile).values(board_checked_week=None))
            session.flush()
            session.expunge_all()
            history, done, last_id = Replay(), 0, 0
            profiler = cProfile.Profile()
            started = timer.perf_counter()
            while done < events:
                batch = session.scalars(select(Event).where(Event.id > last_id)
                                        .order_by(Event.id).limit(REPLAY_BATCH)).all()
                if not batch:
                    break
                profiler.enable()
                for event in batch[:events - done]:
                    history.apply(session, event)
                    done += 1
                session.flush()
                profiler.disable()
                last_id = batch[-1].id
                session.expunge_all()
            elapsed = timer.perf_counter() - started
            session.rollback()
    finally:
        database.close()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"cProfile of the doctor's replay, {done} events, {elapsed:.1f} s under the "
              f"profiler ({elapsed / max(done, 1) * 1000:.1f} ms/event)\n")
    stats.sort_stats("cumulative").print_stats(PROFILE_FILTER, 28)
    text = out.getvalue()
    return "\n".join(line for line in text.splitlines()
                     if line.strip() and not line.startswith(("   Ordered", "   List")))


# --- 3. the prototype: replay into Python dicts, bulk write ---------------------------------


class Unsupported(Exception):
    """An event the prototype cannot replay (it would fall back to the ORM replay)."""


# Day rows: [tasks, steps, slots, goals, focus_minutes, points, 4 bonus holders]
_KIND_INDEX = {Kind.TASK: 0, Kind.STEP: 1, Kind.SLOT: 2, Kind.GOAL: 3}
_FOCUS, _POINTS = 4, 5
_HOLDER_INDEX = {source: 6 + i for i, source in enumerate(engine.BONUS_HOLDER_COLUMN)}
_KIND_LABEL = {Kind.TASK: "Task", Kind.STEP: "Goal step", Kind.SLOT: "Time slot",
               Kind.GOAL: "Goal"}
_GLOBAL = engine.GLOBAL
_POINTS_KEY = (engine.GLOBAL, engine.POINTS_TOTAL)
_ACTIVITY = StreakType.DAILY_ACTIVITY
_WEEKLY = StreakType.WEEKLY_GOAL
_HORIZON = catalog.STREAK_MULTIPLIER_DAYS * catalog.STREAK_MULTIPLIER_MAX_STEPS
_TRACKS = {(t.scope, t.kind): (t, t.threshold_counts) for t in catalog.MILESTONE_TRACKS}
_BONUS_HOLDERS = tuple(_HOLDER_INDEX.items())
# Enum members' ``.value`` is a slow property: the strings, looked up once.
_C = {c: c.value for c in Criteria}
_STREAK_METRIC, _LEVEL_METRIC = _C[Criteria.STREAK], _C[Criteria.LEVEL]
_MILESTONE_KIND = {kind: (mk, mk.value)
                   for kind, mk in catalog.MILESTONE_KIND_BY_COMPLETION.items()}
_KIND_TEXT = {kind: kind.value.replace("_", " ") for kind in Kind}
_LEVEL_FLOORS = [level.points_required for level in catalog.LEVELS]
_LEVEL_NUMBERS = [level.number for level in catalog.LEVELS]


def _level_number(total: int) -> int:
    """``catalog.level_for_points(total).number`` (the floors ascend): a bisection."""
    return _LEVEL_NUMBERS[max(0, bisect_right(_LEVEL_FLOORS, total) - 1)]

#: ``catalog.completion_price`` computes with Decimal: the same pure function, memoised.
_price = lru_cache(maxsize=None)(catalog.completion_price)


_week_key = lru_cache(maxsize=None)(week_key)
_week_days = lru_cache(maxsize=None)(week_days)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class _State:
    """One profile's derived state during the replay (what the ORM keeps in tables)."""

    def __init__(self, profile_id: int, settings: Settings) -> None:
        self.id = profile_id
        self.counters: dict[tuple[str, str], int] = {}
        self.days: dict[date, list[Any]] = {}
        self.weeks: dict[str, int | None] = {}
        self.streaks: dict[str, list[Any]] = {}  # type -> [current, longest, start, last]
        self.grants: list[list[Any]] = []  # streak bonus grants: [threshold, day, event]
        self.milestones: dict[tuple[str, str], set[int]] = {}
        self.unlocked: set[str] = set()
        self.board_checked: str | None = None
        #: This event's first value of every global counter it changed, the points total
        #: and the longest activity run when the profile was first touched (the
        #: processor's ``metrics_before``, kept as changes instead of a snapshot).
        self.changed: dict[str, int] = {}
        self.points_before = 0
        self.longest_before = 0
        self.touched = -1  # the event that last touched the profile
        self.set_settings(settings)

    def set_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.zone = zone(settings.timezone)
        self.excused_days: dict[date, bool] = {}

    def counter(self, name: str, scope: str = _GLOBAL) -> int:
        return self.counters.get((scope, name), 0)

    def add(self, name: str, delta: int, scope: str = _GLOBAL) -> None:
        key = (scope, name)
        value = self.counters.get(key, 0)
        if scope == _GLOBAL and name not in self.changed:
            self.changed[name] = value
        self.counters[key] = value + delta

    def set_at_least(self, name: str, value: int) -> None:
        if self.counter(name) < value:
            self.add(name, value - self.counter(name))

    def day(self, day: date) -> list[Any]:
        row = self.days.get(day)
        if row is None:
            row = self.days[day] = [0, 0, 0, 0, 0, 0, None, None, None, None]
        return row

    def completions_on(self, day: date) -> int:
        row = self.days.get(day)
        return 0 if row is None else row[0] + row[1] + row[2] + row[3]

    def streak(self, streak_type: str) -> list[Any]:
        row = self.streaks.get(streak_type)
        if row is None:
            row = self.streaks[streak_type] = [0, 0, None, None]
        return row

    # -- the predicates of ProfileState -------------------------------------------------

    def excused_day(self, day: date) -> bool:
        cached = self.excused_days.get(day)
        if cached is None:
            cached = self.excused_days[day] = self.settings.excused(day)
        return cached

    def excused(self, streak_type: str, unit: date) -> bool:
        return False if streak_type == _WEEKLY else self.excused_day(unit)

    def qualifies(self, streak_type: str, unit: date) -> bool:
        if streak_type == _WEEKLY:
            days = self.days
            for offset in range(7):
                row = days.get(unit + timedelta(days=offset))
                if row is not None and row[1] + row[3] > 0:
                    return True
            return False
        if self.excused_day(unit):
            return False
        row = self.days.get(unit)
        if row is None:
            return False
        if streak_type == _ACTIVITY:
            return bool(row[0] + row[1] + row[2] + row[3] > 0)
        if streak_type == StreakType.DAILY_TARGET:
            return bool(row[0] >= self.settings.daily_target)
        return bool(row[2] > 0)

    def predicate(self, streak_type: str) -> rules.DayPredicate:
        return lambda unit: self.qualifies(streak_type, unit)

    def excuse_predicate(self, streak_type: str) -> rules.DayPredicate:
        return lambda unit: self.excused(streak_type, unit)

    def metrics(self) -> dict[str, int]:
        metrics = {name: value for (scope, name), value in self.counters.items()
                   if scope == _GLOBAL}
        activity = self.streaks.get(_ACTIVITY)
        metrics[_STREAK_METRIC] = activity[1] if activity else 0
        metrics[_LEVEL_METRIC] = _level_number(self.counters.get(_POINTS_KEY, 0))
        return metrics


def _metric_name(achievement: catalog.Achievement) -> str:
    """The key ``rules.achievement_metric`` reads for this achievement."""
    if achievement.criteria is Criteria.EVENT_COUNT:
        return f"event:{achievement.event_type}"
    return achievement.criteria.value


def _unit_step(streak_type: str, day: date) -> tuple[date, timedelta]:
    if streak_type == _WEEKLY:
        return day - timedelta(days=day.weekday()), ONE_WEEK
    return day, ONE_DAY


def _all_excused(start: date, end_exclusive: date, step: timedelta,
                 excused: rules.DayPredicate) -> bool:
    cursor = start
    while cursor < end_exclusive:
        if not excused(cursor):
            return False
        cursor += step
    return True


class DictReplay:
    """The engine's rules over the whole event log, with state in dicts (a prototype).

    It mirrors ``Processor`` step by step (the method names are the processor's) for every
    event type the processor knows: completions (in order and backdated), reversals,
    report exports, settings changes, custom achievements and custom events, and the
    cross-profile rules (team_player, top_of_the_board). Prices, bonuses, runs, milestone
    thresholds and achievements come from the same pure functions. Nothing is written
    until the end: :meth:`rows` yields every derived table's rows as SQLite stores them.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.profiles: dict[int, _State] = {}
        self.profile_ids = [pid for pid, in conn.execute("SELECT id FROM profiles")]
        self.current_settings = self._load_settings()
        self.event_types = dict(conn.execute("SELECT name, points FROM event_types"))
        self.projects = {pid: (name, bool(enabled)) for pid, name, enabled in conn.execute(
            "SELECT id, name, goals_enabled FROM projects")}
        self.customs: dict[int, list[catalog.Achievement]] = {}
        for row in conn.execute("SELECT id, profile_id, name, description, points, "
                                "criteria, target, icon, event_type FROM custom_achievements"):
            self.customs.setdefault(row[1], []).append(catalog.Achievement(
                f"custom:{row[0]}", row[2], row[3], row[4], "custom", Criteria(row[5]),
                row[6], row[7], row[8]))
        self.defined: set[str] = set()
        # Which metrics achievements read, and the achievements reading each one.
        self.by_metric: dict[str, list[catalog.Achievement]] = {}
        for achievement in catalog.ACHIEVEMENTS:
            self.by_metric.setdefault(_metric_name(achievement), []).append(achievement)
        self.completions: dict[int, list[Any]] = {}
        self.by_day: dict[tuple[int, date], list[list[Any]]] = {}
        self.ledger: list[list[Any]] = []
        self.credits_of: dict[int, list[list[Any]]] = {}
        self.streak_grant_rows: list[tuple[Any, ...]] = []
        self.milestone_rows: list[tuple[Any, ...]] = []
        self.achievement_rows: list[tuple[Any, ...]] = []
        self.event_id = 0
        self.now_text = ""
        self.now = datetime.min.replace(tzinfo=UTC)
        self.events = 0

    def _load_settings(self) -> dict[int, Settings]:
        vacations: dict[int, list[tuple[date, date]]] = {}
        for pid, start, end in self.conn.execute(
                "SELECT profile_id, start_date, end_date FROM vacations "
                "WHERE deleted_at IS NULL"):
            vacations.setdefault(pid, []).append((date.fromisoformat(start),
                                                  date.fromisoformat(end)))
        result = {}
        for pid, tz, hour, target, days_off in self.conn.execute(
                "SELECT id, timezone, day_start_hour, daily_task_target, days_off "
                "FROM profiles"):
            result[pid] = Settings(pid, tz, hour, target,
                                   frozenset(int(d) for d in days_off.split(",") if d != ""),
                                   tuple(vacations.get(pid, ())))
        return result

    def state(self, profile_id: int) -> _State:
        """The profile's state; its first touch in an event starts tracking changes."""
        state = self.profiles.get(profile_id)
        if state is None:
            state = self.profiles[profile_id] = _State(
                profile_id, self.current_settings[profile_id])
        if state.touched != self.event_id:
            state.touched = self.event_id
            state.changed = {}
            state.points_before = state.counters.get(_POINTS_KEY, 0)
            activity = state.streaks.get(_ACTIVITY)
            state.longest_before = activity[1] if activity else 0
        return state

    def _crossed(self, state: _State) -> bool:
        """Whether a catalog achievement's metric crossed its target during this event
        (the processor's ``crossed`` list is not empty). Only changed metrics can cross."""
        by_metric = self.by_metric
        counters = state.counters
        for name, old in state.changed.items():
            achievements = by_metric.get(name)
            if achievements:
                new = counters.get((_GLOBAL, name), 0)
                if new != old and any(old < a.target <= new for a in achievements):
                    return True
        activity = state.streaks.get(_ACTIVITY)
        longest = activity[1] if activity else 0
        if longest != state.longest_before and any(
                state.longest_before < a.target <= longest
                for a in by_metric.get(_STREAK_METRIC, ())):
            return True
        level_before = _level_number(state.points_before)
        level = _level_number(counters.get(_POINTS_KEY, 0))
        return level != level_before and any(level_before < a.target <= level
                                             for a in by_metric.get(_LEVEL_METRIC, ()))

    # -- the event loop ---------------------------------------------------------------------

    def run(self, batch: int = 20_000) -> int:
        cursor = self.conn.execute(
            "SELECT id, profile_id, type, occurred_at, activity_day, processed_at, meta "
            "FROM events ORDER BY id")
        kinds = catalog.KIND_BY_SOURCE
        loads = json.loads
        from_iso = datetime.fromisoformat
        parse_day = date.fromisoformat
        while rows := cursor.fetchmany(batch):
            for event_id, profile_id, event_type, occurred, day, processed, meta in rows:
                meta = loads(meta) if meta else {}
                if event_type == catalog.SETTINGS_EVENT:
                    settings = Settings.from_meta(profile_id, meta)
                    self.current_settings[profile_id] = settings
                    if profile_id in self.profiles:
                        self.profiles[profile_id].set_settings(settings)
                elif event_type == catalog.ACHIEVEMENT_DEFINED_EVENT:
                    self.defined.add(str(meta["achievement"]))
                if processed != self.now_text:
                    self.now_text = processed
                    self.now = from_iso(processed).replace(tzinfo=UTC)
                self.event_id = event_id
                state = self.state(profile_id)
                activity_day = parse_day(day)
                kind = kinds.get(event_type)
                if kind is not None:
                    self._complete(state, event_id, kind, meta, activity_day,
                                   from_iso(occurred).replace(tzinfo=UTC))
                elif event_type == catalog.REVERSAL_EVENT:
                    self._reverse(state, event_id, meta)
                elif event_type == catalog.REPORT_EXPORTED_EVENT:
                    state.add(_C[Criteria.REPORTS], +1)
                elif event_type in (catalog.SETTINGS_EVENT, catalog.ACHIEVEMENT_DEFINED_EVENT):
                    pass
                else:
                    self._custom(state, event_id, event_type, activity_day)
                if event_type != catalog.SETTINGS_EVENT:
                    self._top_of_the_board(state)
                    self._unlock_achievements(state, event_id, activity_day)
                self.events += 1
        return self.events

    # -- ledger ---------------------------------------------------------------------------

    def _ledger(self, state: _State, event_id: int, entry_type: str, points: int,
                reason: str, source: str, day: date, completion_id: int | None = None,
                reverses_id: int | None = None) -> list[Any]:
        entry = [len(self.ledger) + 1, state.id, event_id, entry_type, points, reason[:200],
                 source, completion_id, reverses_id, day, self.now_text]
        self.ledger.append(entry)
        signed = points if entry_type == "credit" else -points
        state.add(engine.POINTS_TOTAL, signed)
        state.day(day)[_POINTS] += signed
        if completion_id is not None and entry_type == "credit":
            self.credits_of.setdefault(completion_id, []).append(entry)
        return entry

    # -- completions ------------------------------------------------------------------------

    def _complete(self, state: _State, event_id: int, kind: Kind, meta: dict[str, Any],
                  day: date, occurred: datetime) -> None:
        complexity = int(meta.get("complexity", catalog.DEFAULT_COMPLEXITY)) \
            if kind is Kind.TASK else catalog.DEFAULT_COMPLEXITY
        minutes = int(meta.get("minutes", 0)) if kind is Kind.SLOT else 0
        if not (1 <= complexity <= 5 and 0 <= minutes <= 100_000):
            raise Unsupported("meta out of range: the processor raises a ValidationError")
        project_id = meta.get("project_id")
        due = meta.get("due")
        on_time = kind is Kind.TASK and bool(due) and day <= date.fromisoformat(str(due))
        # [event_id, profile, kind, item, project, day, complexity, minutes, on_time,
        #  price, active, reversed_by]
        completion = [event_id, state.id, kind, meta.get("item_id"), project_id, day,
                      complexity, minutes, on_time, 0, True, None]
        self.completions[event_id] = completion
        self.by_day.setdefault((state.id, day), []).append(completion)

        day_row = state.day(day)
        newly_active = day_row[0] + day_row[1] + day_row[2] + day_row[3] == 0
        holders = {source: day_row[index] for source, index in _BONUS_HOLDERS}
        day_row[_KIND_INDEX[kind]] += 1
        day_row[_FOCUS] += minutes
        self._count_completion(state, completion, +1)

        activity_run = None
        for streak_type in engine.STREAKS_OF_KIND[kind]:
            run = self._streak_after_completion(state, streak_type, day)
            if streak_type is _ACTIVITY:
                activity_run = run
        run_length = self._run_length_at(state, day, activity_run)

        price = _price(kind, complexity, run_length)
        completion[9] = price
        title = str(meta.get("title") or _KIND_TEXT[kind])
        self._ledger(state, event_id, "credit", price, f"{_KIND_LABEL[kind]}: {title}",
                     catalog.COMPLETION_SOURCE[kind], day, completion_id=event_id)

        wall = occurred.astimezone(state.zone)
        for bonus in rules.daily_bonuses(kind, wall, day, holders):
            self._ledger(state, event_id, "credit", bonus.points, bonus.reason, bonus.source,
                         day, completion_id=event_id)
            day_row[_HOLDER_INDEX[bonus.source]] = event_id
            if bonus.source in engine.BONUS_DAY_COUNTER:
                state.add(engine.BONUS_DAY_COUNTER[bonus.source], +1)
        self._perfect_week(state, event_id, day)
        if activity_run is not None and newly_active:
            self._adjust_later_prices(state, event_id, day, activity_run)
            self._streak_milestones(state, event_id, day, activity_run)
        self._milestones_for(state, event_id, day, kind, project_id)
        # The processor sums the week's completions; that sum can only be 1 when this
        # day just became active (its count is now 1) and the rest of the week is empty.
        monday = day - timedelta(days=day.weekday())
        if newly_active and sum(state.completions_on(monday + timedelta(days=i))
                                for i in range(7)) == 1:
            self._team_player(state, event_id, day)

    def _count_completion(self, state: _State, completion: list[Any], sign: int) -> None:
        kind, complexity, minutes, on_time = (completion[2], completion[6], completion[7],
                                              completion[8])
        state.add(engine.KIND_COUNTER[kind], sign)
        if kind is Kind.TASK and complexity == 5:
            state.add(_C[Criteria.TASKS_COMPLEXITY_5], sign)
        if on_time:
            state.add(_C[Criteria.AHEAD_OF_TIME], sign)
        if kind is Kind.SLOT:
            state.add(_C[Criteria.FOCUS_MINUTES], sign * minutes)
            if minutes >= catalog.LONG_SLOT_MINUTES:
                state.add(_C[Criteria.LONG_SLOTS], sign)
        milestone = _MILESTONE_KIND.get(kind)
        if milestone is not None and completion[4] is not None:
            state.add(milestone[1], sign, scope=f"project:{completion[4]}")

    def _perfect_week(self, state: _State, event_id: int, day: date) -> None:
        key = _week_key(day)
        if key not in state.weeks:
            state.weeks[key] = None
        if state.weeks[key] is not None:
            return
        # rules.is_perfect_week(counts of the 7 days), stopping at the first empty day.
        if all(state.completions_on(d) >= 1 for d in _week_days(day)):
            bonus = catalog.PERFECT_WEEK
            self._ledger(state, event_id, "credit", bonus.points, bonus.reason, bonus.source,
                         day, completion_id=event_id)
            state.weeks[key] = event_id
            state.add(_C[Criteria.PERFECT_WEEKS], +1)

    # -- streaks (StreakRules) ----------------------------------------------------------------

    def _streak_after_completion(self, state: _State, streak_type: str, day: date
                                 ) -> rules.Run | None:
        unit, step = _unit_step(streak_type, day)
        row = state.streak(streak_type)
        if not state.qualifies(streak_type, unit):
            return None
        last = row[3]
        if last is None or unit > last:
            gap_excused = last is not None and _all_excused(
                last + step, unit, step, state.excuse_predicate(streak_type))
            if gap_excused and row[2] is not None:
                row[0] += 1
            else:
                row[0], row[2] = 1, unit
            row[3] = unit
            row[1] = max(row[1], row[0])
            return rules.Run(row[2], unit, row[0])
        if unit == last:
            return rules.Run(row[2], last, row[0])
        run = rules.walk_run(unit, state.predicate(streak_type),
                             state.excuse_predicate(streak_type), step)
        assert run is not None
        if run.end == last:
            row[2], row[0] = run.start, run.length
        row[1] = max(row[1], run.length)
        return run

    def _run_length_at(self, state: _State, day: date, run: rules.Run | None) -> int:
        if run is not None and run.end == day:
            return run.length
        qualifies = state.predicate(_ACTIVITY)
        if run is not None:
            return rules.count_qualifying(run.start, day, qualifies)
        row = state.streak(_ACTIVITY)
        last = row[3]
        excused = state.excuse_predicate(_ACTIVITY)
        if last is not None and last < day and _all_excused(last + ONE_DAY, day, ONE_DAY,
                                                             excused):
            return int(row[0])
        cursor = day - ONE_DAY
        while excused(cursor) and not qualifies(cursor):
            cursor -= ONE_DAY
        previous = rules.walk_run(cursor, qualifies, excused, ONE_DAY)
        if previous is None:
            return 0
        return rules.count_qualifying(previous.start, cursor, qualifies)

    def _streak_after_reversal(self, state: _State, streak_type: str, day: date) -> None:
        unit, step = _unit_step(streak_type, day)
        if state.qualifies(streak_type, unit):
            return
        row = state.streak(streak_type)
        units = sorted({_unit_step(streak_type, d)[0] for d, r in state.days.items()
                        if r[0] + r[1] + r[2] + r[3] > 0})
        runs: list[rules.Run] = []
        excused = state.excuse_predicate(streak_type)
        for unit in units:
            if not state.qualifies(streak_type, unit):
                continue
            if runs and _all_excused(runs[-1].end + step, unit, step, excused):
                last = runs[-1]
                runs[-1] = rules.Run(last.start, unit, last.length + 1)
            else:
                runs.append(rules.Run(unit, unit, 1))
        if runs:
            row[2], row[3], row[0] = runs[-1].start, runs[-1].end, runs[-1].length
            row[1] = max(run.length for run in runs)
        else:
            row[:] = [0, 0, None, None]

    def _adjust_later_prices(self, state: _State, event_id: int, day: date,
                             run: rules.Run) -> None:
        qualifies = state.predicate(_ACTIVITY)
        excused = state.excuse_predicate(_ACTIVITY)
        cursor = day + ONE_DAY
        if not (cursor <= run.end or excused(cursor)):
            return  # the common case: nothing after this day in the run
        length = rules.count_qualifying(run.start, day, qualifies)
        later_days: dict[date, int] = {}
        added = 0
        while (cursor <= run.end or excused(cursor)) and added < _HORIZON:
            if qualifies(cursor):
                length += 1
                added += 1
            later_days[cursor] = length
            cursor += ONE_DAY
        for later in sorted(later_days):
            for completion in self.by_day.get((state.id, later), ()):
                if not completion[10]:
                    continue
                new_price = _price(completion[2], completion[6], later_days[later])
                if new_price > completion[9]:
                    self._ledger(state, event_id, "credit", new_price - completion[9],
                                 "Streak adjustment (an earlier day joined the run)",
                                 catalog.STREAK_ADJUSTMENT_SOURCE, later,
                                 completion_id=completion[0])
                    completion[9] = new_price

    def _streak_milestones(self, state: _State, event_id: int, day: date,
                           run: rules.Run) -> None:
        due = [t for t in catalog.STREAK_MILESTONES if t <= run.length]
        if not due:
            return
        granted = {threshold for threshold, granted_day, _ in state.grants
                   if run.start <= granted_day <= run.end}
        qualifies = state.predicate(_ACTIVITY)
        for threshold in due:
            if threshold in granted:
                continue
            reached = rules.nth_qualifying(run.start, threshold, qualifies, run.end)
            if reached is None:
                continue  # a stale run (a counted day became a day off): as the engine does
            state.grants.append([threshold, reached, event_id])
            self.streak_grant_rows.append((len(self.streak_grant_rows) + 1, state.id,
                                           threshold, reached.isoformat(), event_id))
            self._ledger(state, event_id, "credit", catalog.STREAK_MILESTONES[threshold],
                         f"{threshold}-day streak", catalog.STREAK_MILESTONE_SOURCE, day)

    # -- milestones -------------------------------------------------------------------------

    def _milestones_for(self, state: _State, event_id: int, day: date, kind: Kind,
                        project_id: int | None) -> None:
        milestone = _MILESTONE_KIND.get(kind)
        if milestone is None:
            return
        milestone_kind, milestone_value = milestone
        scopes: list[tuple[str, str, int | None]] = [("global", _GLOBAL, None)]
        if project_id is not None:
            scopes.append(("project", f"project:{project_id}", project_id))
        for scope, scope_key, pid in scopes:
            found = _TRACKS.get((scope, milestone_kind))
            if found is None:
                continue
            track, counts = found
            count = state.counter(engine.KIND_COUNTER[kind] if scope == "global"
                                  else milestone_value,
                                  scope=_GLOBAL if scope == "global" else scope_key)
            if count not in counts:
                continue
            granted = state.milestones.setdefault((milestone_value, scope_key), set())
            name, enabled = (self.projects.get(pid, (f"#{pid}", True)) if pid is not None
                             else (None, True))
            for threshold, points in rules.milestone_thresholds_due(track, count, granted):
                granted.add(threshold)
                self.milestone_rows.append((
                    len(self.milestone_rows) + 1, state.id, milestone_value, scope_key,
                    threshold, points, track.source, event_id, self.now_text))
                label = f"{threshold} {milestone_value.replace('_', ' ')}"
                where = f" in {name}" if name else ""
                self._ledger(state, event_id, "credit", points, f"Milestone: {label}{where}",
                             track.source, day)

    # -- reversal, custom events --------------------------------------------------------------

    def _reverse(self, state: _State, event_id: int, meta: dict[str, Any]) -> None:
        target_id = meta.get("completion")
        if target_id is None and meta.get("reverses"):
            found = self.conn.execute("SELECT id FROM events WHERE profile_id = ? AND key = ?",
                                      (state.id, str(meta["reverses"]))).fetchone()
            target_id = found[0] if found else None
        try:
            completion = self.completions.get(int(target_id)) if target_id else None
        except (TypeError, ValueError):
            completion = None
        if completion is None or completion[1] != state.id or not completion[10]:
            raise Unsupported("invalid reversal: the processor raises a ValidationError")
        completion[10], completion[11] = False, event_id
        kind = completion[2]
        for credit in list(self.credits_of.get(completion[0], ())):
            self._ledger(state, event_id, "debit", credit[4], f"Reopened: {credit[5]}",
                         credit[6], credit[9], completion_id=completion[0],
                         reverses_id=credit[0])
        day = completion[5]
        day_row = state.day(day)
        day_row[_KIND_INDEX[kind]] -= 1
        day_row[_FOCUS] -= completion[7]
        self._count_completion(state, completion, -1)
        for source, index in _BONUS_HOLDERS:
            if day_row[index] == completion[0]:
                day_row[index] = None
                if source in engine.BONUS_DAY_COUNTER:
                    state.add(engine.BONUS_DAY_COUNTER[source], -1)
        key = _week_key(day)
        if key in state.weeks and state.weeks[key] == completion[0]:
            state.weeks[key] = None
            state.add(_C[Criteria.PERFECT_WEEKS], -1)
        for streak_type in engine.STREAKS_OF_KIND[kind]:
            self._streak_after_reversal(state, streak_type, day)

    def _custom(self, state: _State, event_id: int, event_type: str, day: date) -> None:
        if event_type not in self.event_types:
            raise Unsupported(f"unknown event type {event_type!r}: the processor raises")
        state.add(f"event:{event_type}", +1)
        points = self.event_types[event_type]
        if points:
            self._ledger(state, event_id, "credit", points, event_type, "custom_event", day)

    # -- after every event ----------------------------------------------------------------

    def _team_player(self, state: _State, event_id: int, day: date) -> None:
        days = week_days(day)
        others = {pid for pid, other in self.profiles.items() if pid != state.id
                  and any(other.completions_on(d) > 0 for d in days)}
        if not others:
            return
        for profile_id in {state.id} | others:
            self.state(profile_id).set_at_least(_C[Criteria.TEAM_WEEKS], 1)
            if profile_id != state.id:
                self._unlock_achievements(self.state(profile_id), event_id, day)

    def _top_of_the_board(self, state: _State) -> None:
        today = state.settings.day_of(self.now)
        this_monday = today - timedelta(days=today.weekday())
        last_finished = week_key(this_monday - ONE_DAY)
        checked = state.board_checked
        if checked == last_finished:
            return
        state.board_checked = last_finished
        if state.counter(_C[Criteria.TOP_WEEKS]) >= 1:
            return
        since = None
        if checked is not None:
            year, week = (int(part) for part in checked.split("-W"))
            since = date.fromisocalendar(year, week, 7) + ONE_DAY
        mondays = sorted({_monday(d) for d, r in state.days.items()
                          if d < this_monday and (since is None or d >= since)
                          and r[0] + r[1] + r[2] + r[3] > 0})
        for monday in mondays[-engine.BOARD_WEEKS_CHECKED:]:
            if self._won_week(state.id, monday):
                state.set_at_least(_C[Criteria.TOP_WEEKS], 1)
                return

    def _won_week(self, profile_id: int, monday: date) -> bool:
        days = [monday + timedelta(days=i) for i in range(7)]
        active = {}
        for pid, other in self.profiles.items():
            rows = [other.days[d] for d in days if d in other.days]
            if rows and sum(r[0] + r[1] + r[2] + r[3] for r in rows) > 0:
                active[pid] = sum(r[_POINTS] for r in rows)
        mine = active.get(profile_id)
        return len(active) >= 2 and mine is not None and mine > 0 and mine >= max(
            active.values())

    def _unlock_achievements(self, state: _State, event_id: int, day: date) -> None:
        customs = [a for a in self.customs.get(state.id, ()) if a.id in self.defined]
        if not customs and not self._crossed(state):
            return
        candidates = list(catalog.ACHIEVEMENTS) + customs
        while True:
            due = rules.achievements_to_unlock(candidates, state.metrics(), state.unlocked)
            if not due:
                return
            for achievement in due:
                state.unlocked.add(achievement.id)
                self.achievement_rows.append((state.id, achievement.id, achievement.target, 1,
                                              self.now_text, event_id))
                if achievement.points:
                    self._ledger(state, event_id, "credit", achievement.points,
                                 f"Achievement: {achievement.name}",
                                 catalog.ACHIEVEMENT_SOURCE, day)

    # -- output ---------------------------------------------------------------------------------

    def rows(self) -> dict[str, Iterable[tuple[Any, ...]]]:
        """Every derived table's rows, in INSERTS column order, as SQLite stores them."""
        iso = date.isoformat
        profiles = self.profiles.values()
        return {
            "completions": ((c[0], c[1], c[2].value, c[3], c[4], iso(c[5]), c[6], c[7],
                             int(c[8]), c[9], int(c[10]), c[11])
                            for c in self.completions.values()),
            "ledger": ((e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], iso(e[9]), e[10])
                       for e in self.ledger),
            "counters": ((s.id, scope, name, value) for s in profiles
                         for (scope, name), value in s.counters.items()),
            "day_stats": ((s.id, iso(day), *row) for s in profiles
                          for day, row in s.days.items()),
            "week_stats": ((s.id, week, holder) for s in profiles
                           for week, holder in s.weeks.items()),
            "streaks": ((s.id, t, r[0], r[1], iso(r[2]) if r[2] else None,
                         iso(r[3]) if r[3] else None)
                        for s in profiles for t, r in s.streaks.items()),
            "streak_bonus_grants": iter(self.streak_grant_rows),
            "achievement_progress": iter(self.achievement_rows),
            "milestone_grants": iter(self.milestone_rows),
        }

    def board_checked(self) -> dict[int, str | None]:
        return {pid: (self.profiles[pid].board_checked if pid in self.profiles else None)
                for pid in self.profile_ids}


def _project(table: str, rows: Iterable[tuple[Any, ...]]) -> Multiset[tuple[Any, ...]]:
    """Rows without the columns the doctor ignores."""
    columns = INSERTS[table]
    keep = [i for i, name in enumerate(columns) if name not in IGNORED.get(table, set())]
    if len(keep) == len(columns):
        return Multiset(tuple(row) for row in rows)
    return Multiset(tuple(row[i] for i in keep) for row in rows)


def stored_rows(conn: sqlite3.Connection, table: str) -> Iterable[tuple[Any, ...]]:
    return conn.execute(f"SELECT {', '.join(INSERTS[table])} FROM {table}")


def compare(conn: sqlite3.Connection, replay: DictReplay) -> dict[str, dict[str, int]]:
    """The doctor's comparison (multisets without surrogate keys) against the file."""
    differences = {}
    produced = replay.rows()
    for table in DERIVED:
        mine, theirs = _project(table, produced[table]), _project(table,
                                                                   stored_rows(conn, table))
        if mine != theirs:
            differences[table] = {"missing": sum((mine - theirs).values()),
                                  "unexpected": sum((theirs - mine).values())}
    board = dict(conn.execute("SELECT id, board_checked_week FROM profiles"))
    if board != replay.board_checked():
        differences["profiles.board_checked_week"] = {"missing": 1, "unexpected": 1}
    return differences


def write(conn: sqlite3.Connection, replay: DictReplay, *, rebuild_indexes: bool) -> None:
    """Replace the derived tables with the replay's rows (the ``--fix`` of the doctor).

    With ``rebuild_indexes`` the secondary indexes of completions and ledger are dropped
    before the load and re-created from their DDL after it (inside the transaction).
    """
    indexes = []
    if rebuild_indexes:
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('completions', 'ledger')").fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
    for table in reversed(DERIVED):
        conn.execute(f"DELETE FROM {table}")
    for table, rows in replay.rows().items():
        columns = INSERTS[table]
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                         f"({', '.join('?' for _ in columns)})", rows)
    for _, sql in indexes:
        conn.execute(sql)
    conn.executemany("UPDATE profiles SET board_checked_week = ? WHERE id = ?",
                     [(week, pid) for pid, week in replay.board_checked().items()])


def fast_rebuild(path: Path, *, mode: str) -> dict[str, Any]:
    """The prototype on ``path``: ``compare`` (the doctor without --fix) or ``write``
    (rebuild and commit, indexes maintained) or ``write-reindex`` (indexes rebuilt)."""
    conn = connect(path)
    phases: dict[str, tuple[float, float]] = {}
    try:
        conn.execute("BEGIN IMMEDIATE")
        wall, cpu, replay = _timed(lambda: DictReplay(conn))
        phases["load source tables"] = (wall, cpu)
        wall, cpu, events = _timed(replay.run)
        phases["read events + replay in dicts"] = (wall, cpu)
        differences: dict[str, dict[str, int]] = {}
        if mode == "compare":
            wall, cpu, differences = _timed(lambda: compare(conn, replay))
            phases["compare with the stored tables"] = (wall, cpu)
            conn.execute("ROLLBACK")
        else:
            wall, cpu, _ = _timed(lambda: write(conn, replay,
                                                rebuild_indexes=mode == "write-reindex"))
            phases["delete + bulk insert"] = (wall, cpu)
            wall, cpu, _ = _timed(lambda: conn.execute("COMMIT"))
            phases["commit"] = (wall, cpu)
    finally:
        conn.close()
    return {"mode": mode, "events": events, "differences": differences,
            "ledger_rows": len(replay.ledger),
            "phases": {name: {"wall_s": round(w, 3), "cpu_s": round(c, 3)}
                       for name, (w, c) in phases.items()},
            "total_wall_s": round(sum(w for w, _ in phases.values()), 3),
            "total_cpu_s": round(sum(c for _, c in phases.values()), 3)}


def verify_written(path: Path) -> dict[str, dict[str, int]]:
    """After a ``write`` run: a second replay compared with what the first one wrote."""
    conn = connect(path)
    try:
        replay = DictReplay(conn)
        replay.run()
        return compare(conn, replay)
    finally:
        conn.close()


def verify_on_demo() -> dict[str, Any]:
    """The prototype against the real engine on the demo database: several weeks of
    history built through the services (two profiles, reopenings, backdated completions,
    bonuses, perfect weeks). The derived tables there were written by the engine."""
    from momentum_app.core.demo import create_demo_database  # noqa: PLC0415

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / "doctor-demo.sqlite3"
    remove(path)
    create_demo_database(path, now=datetime(2026, 1, 2, 10, 0, tzinfo=UTC))
    conn = connect(path)
    try:
        types = dict(conn.execute("SELECT type, COUNT(*) FROM events GROUP BY type"))
        profiles = conn.execute("SELECT COUNT(DISTINCT profile_id) FROM events").fetchone()[0]
        replay = DictReplay(conn)
        replay.run()
        differences = compare(conn, replay)
    finally:
        conn.close()
        remove(path)
    return {"events_by_type": types, "profiles_with_events": profiles,
            "differences": differences, "ok": not differences}


def verify_on_scenario(seed: int = 7, days: int = 70) -> dict[str, Any]:
    """The prototype against the real doctor on a randomised history with the rare paths.

    Two profiles (Europe/Berlin and America/New_York, day start 4) act through the
    services for ``days`` days: tasks (many backdated by up to ten days, some due),
    time slots, goals with steps, reopenings, a custom event type, report exports, days
    off and vacations changed on the way (settings events). ``momentum doctor --fix``
    first makes the derived tables equal to an ORM replay; the prototype must then
    produce exactly those tables.
    """
    import random  # noqa: PLC0415

    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.core.errors import MomentumError  # noqa: PLC0415
    from momentum_app.core.services import Momentum  # noqa: PLC0415

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / "doctor-scenario.sqlite3"
    remove(path)
    rng = random.Random(seed)
    clock = FixedClock(datetime(2025, 2, 24, 9, 0, tzinfo=UTC))
    database = open_database(path)
    try:
        main = Momentum(database, clock)
        main.profiles.update(timezone="Europe/Berlin")
        main.profiles.add("Sam", timezone="America/New_York", day_start_hour=4)
        other = Momentum(database, clock, profile="Sam")
        main.events.add_type("gym", 20)
        for app in (main, other):
            app.projects.add("Work")
        done: dict[int, list[int]] = {main.profile_id: [], other.profile_id: []}
        for day in range(days):
            clock.instant = datetime(2025, 2, 24, 6, 0, tzinfo=UTC) + timedelta(days=day)
            for app in (main, other):
                if rng.random() < 0.12:
                    continue  # an idle day
                for _ in range(rng.randint(1, 5)):
                    clock.instant += timedelta(minutes=rng.randint(20, 200))
                    roll = rng.random()
                    try:
                        if roll < 0.55:
                            task = app.items.add_task(
                                f"task {rng.randint(1, 999)}", project=rng.choice(
                                    (None, "Work")), complexity=rng.randint(1, 5),
                                due=(clock.instant.date() + timedelta(days=rng.randint(-3, 5))
                                     ).isoformat() if rng.random() < 0.4 else None)
                            back = timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 5)) \
                                if rng.random() < 0.3 else timedelta(0)
                            app.items.complete(Kind.TASK, task.id, at=clock.instant - back)
                            done[app.profile_id].append(task.id)
                        elif roll < 0.65:
                            start = clock.instant - timedelta(minutes=rng.choice((30, 60, 95)))
                            slot = app.items.add_slot("focus", start.isoformat(),
                                                      clock.instant.isoformat())
                            app.items.complete(Kind.SLOT, slot.id)
                        elif roll < 0.72:
                            goal = app.items.add_goal(f"goal {day}", project="Work")
                            steps = [app.items.add_step(goal.id, f"step {i}") for i in range(2)]
                            for step in steps:
                                app.items.complete(Kind.STEP, step.id)
                            app.items.complete(Kind.GOAL, goal.id)
                        elif roll < 0.82 and done[app.profile_id]:
                            victim = rng.choice(done[app.profile_id])
                            done[app.profile_id].remove(victim)
                            app.items.reopen(Kind.TASK, victim)
                        elif roll < 0.90:
                            app.events.process_event("gym")
                        elif roll < 0.93:
                            app.events.export_reported()
                        elif roll < 0.96:
                            app.profiles.update(days_off=rng.choice(("", "sun", "sat,sun")))
                        else:
                            first = clock.instant.date() + timedelta(days=rng.randint(-6, 3))
                            app.profiles.add_vacation(first.isoformat(),
                                                      (first + timedelta(days=2)).isoformat())
                    except MomentumError:
                        pass  # e.g. a vacation overlapping another: nothing was written
        doctor = main.doctor.run(fix=True).to_json()
        again = main.doctor.run(fix=False).to_json()
    finally:
        database.close()
    conn = connect(path)
    try:
        types = dict(conn.execute("SELECT type, COUNT(*) FROM events GROUP BY type"))
        backdated = conn.execute(
            "SELECT COUNT(*) FROM events WHERE substr(occurred_at, 1, 10) < "
            "substr(processed_at, 1, 10)").fetchone()[0]
        replay = DictReplay(conn)
        replay.run()
        differences = compare(conn, replay)
    finally:
        conn.close()
        remove(path)
    return {"events_by_type": types, "backdated_events": backdated,
            "doctor_fix": doctor["differences"], "doctor_second_run_ok": again["ok"],
            "differences": differences, "ok": not differences}


def verify_on_household(events: int = 10_000, profiles: int = 3) -> dict[str, Any]:
    """The prototype against the engine's tables on a generated history with more
    profiles (:func:`bench.generate.add_profiles`: their completions, backdatings and
    reopenings went through the services, so team_player and top_of_the_board ran)."""
    history = ensure_history(events, profiles=profiles, log=log)
    path = work_copy(Path(history.path), "doctor-household.sqlite3")
    conn = connect(path)
    try:
        types = dict(conn.execute("SELECT type, COUNT(*) FROM events GROUP BY type"))
        replay = DictReplay(conn)
        wall, cpu, count = _timed(replay.run)
        differences = compare(conn, replay)
    finally:
        conn.close()
        remove(path)
    return {"events": count, "profiles": profiles, "events_by_type": types,
            "replay_wall_s": round(wall, 3), "differences": differences, "ok": not differences}


# --- the run ----------------------------------------------------------------------------------


def run(quick: bool, *, sizes: list[int] | None = None, fast_sizes: list[int] | None = None,
        baseline_sizes: list[int] | None = None, baseline_runs: int | None = None,
        profile_events: int = 0, verify_demo: bool = True) -> dict[str, Any]:
    """Everything above; returns a JSON-able dict (``rows`` for the bench table).

    ``sizes``: where the real (ORM) doctor runs; ``fast_sizes``: where the prototype runs
    (rebuild-and-write, then check-only); ``baseline_sizes``: where the bare baseline
    runs (always including 1M, the size of the target). At each size, baseline and
    prototype alternate on the same work copy.
    """
    started = timer.perf_counter()
    sizes = sizes if sizes is not None else ([10_000] if quick else [10_000, 100_000])
    fast_sizes = fast_sizes if fast_sizes is not None else (
        [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000])
    baseline_sizes = sorted(set(baseline_sizes or [10_000, 100_000, 1_000_000])
                            | set(sizes) | set(fast_sizes))
    baseline_runs = baseline_runs or (3 if quick else 5)
    results: dict[str, Any] = {"sizes": {}, "load_average": [os.getloadavg()], "quick": quick}
    for events in baseline_sizes:
        history = ensure_history(events, log=log)
        label = size_label(events)
        entry: dict[str, Any] = {"events": events, "ledger_rows": history.rows.get("ledger")}
        path = work_copy(Path(history.path), f"doctor-{label}.sqlite3")
        fast_runs = 0
        if events in fast_sizes:
            fast_runs = 1 if quick else (2 if events >= 1_000_000 else 3)
        try:
            base: list[tuple[float, float]] = []
            fast: list[dict[str, Any]] = []
            for i in range(max(baseline_runs, fast_runs)):
                if i < baseline_runs:
                    wall, cpu, count = _timed(lambda: bare_scan_insert(path))
                    base.append((wall, cpu))
                if i < fast_runs:
                    fast.append(fast_rebuild(path, mode="write"))
                log(f"  doctor bench {label}: baseline {wall:.2f} s wall / {cpu:.2f} s CPU"
                    + (f"; prototype rebuild+write {fast[-1]['total_wall_s']:.2f} s / "
                       f"{fast[-1]['total_cpu_s']:.2f} s" if i < fast_runs else ""))
            entry["baseline"] = {"wall_median_s": round(statistics.median(w for w, _ in base), 3),
                                 "cpu_median_s": round(statistics.median(c for _, c in base), 3),
                                 "runs": len(base), "rows": count}
            if fast:
                entry["prototype_write"] = {
                    "wall_median_s": round(statistics.median(f["total_wall_s"] for f in fast), 3),
                    "cpu_median_s": round(statistics.median(f["total_cpu_s"] for f in fast), 3),
                    "runs": len(fast), "last": fast[-1]}
                # What the prototype wrote, replayed again and compared: a second run
                # finds nothing (as the doctor must after --fix).
                entry["prototype_written_differences"] = verify_written(path)
                # The prototype as a check only (the doctor without --fix), on a fresh
                # copy: compared with the rows the engine (generator) wrote.
                remove(path)
                shutil.copyfile(history.path, path)
                entry["prototype_compare"] = fast_rebuild(path, mode="compare")
                log(f"  doctor bench {label}: prototype check "
                    f"{entry['prototype_compare']['total_wall_s']:.2f} s, differences "
                    f"{entry['prototype_compare']['differences'] or 'none'}")
                if not quick:
                    entry["prototype_write_reindex"] = fast_rebuild(path, mode="write-reindex")
                    log(f"  doctor bench {label}: prototype rebuild+write, indexes rebuilt: "
                        f"{entry['prototype_write_reindex']['total_wall_s']:.2f} s")
                    remove(path)
                    shutil.copyfile(history.path, path)
            if events in sizes:
                log(f"  doctor bench {label}: real doctor (ORM replay of {events:,} events) ...")
                results["load_average"].append(os.getloadavg())
                entry["doctor"] = real_doctor(path)
                doctor = entry["doctor"]
                rebuild = doctor["phases"]["rebuild (replay)"]
                entry["doctor"]["ms_per_event"] = round(rebuild["wall_s"] / events * 1000, 3)
                entry["doctor"]["cpu_ms_per_event"] = round(rebuild["cpu_s"] / events * 1000, 3)
                log(f"  doctor bench {label}: doctor {doctor['total_wall_s']:.1f} s "
                    f"(rebuild {rebuild['wall_s']:.1f} s = "
                    f"{entry['doctor']['ms_per_event']:.2f} ms/event), differences "
                    f"{doctor['differences'] or 'none'}")
            if profile_events and events == min(sizes or baseline_sizes):
                remove(path)
                shutil.copyfile(history.path, path)
                entry["doctor_profile"] = profile_doctor(path, profile_events)
        finally:
            remove(path)
        results["sizes"][label] = entry
    if verify_demo:
        results["demo_check"] = verify_on_demo()
        log(f"  doctor bench: prototype vs engine on the demo history: "
            f"{'identical' if results['demo_check']['ok'] else results['demo_check']}")
        results["household_check"] = verify_on_household()
        log(f"  doctor bench: prototype vs engine on a 3-profile generated history: "
            f"{'identical' if results['household_check']['ok'] else results['household_check']}")
        results["scenario_check"] = verify_on_scenario()
        log(f"  doctor bench: prototype vs the ORM doctor on a randomised history "
            f"(backdating, reopenings, settings changes, custom events, 2 profiles): "
            f"{'identical' if results['scenario_check']['ok'] else results['scenario_check']}")
    results["load_average"].append(os.getloadavg())
    results["rows"] = summary_rows(results)
    results["seconds"] = round(timer.perf_counter() - started, 1)
    return results


def _row(name: str, value: float, unit: str = "s", reference: str = "",
         ratio: float | None = None, target: str = "", met: bool | None = None,
         note: str = "") -> dict[str, Any]:
    return {"group": "doctor", "name": name, "value": value, "unit": unit,
            "reference": reference, "ratio": ratio, "target": target, "met": met, "note": note}


def summary_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines of the bench table (see bench/__main__.py)."""
    rows: list[dict[str, Any]] = []
    sizes = results["sizes"]
    largest = max(sizes.values(), key=lambda e: e["events"])
    big = size_label(largest["events"])
    base_big = largest["baseline"]["wall_median_s"]
    target = f"<= {MAX_RATIO:g}x"
    for label, entry in sizes.items():
        base = entry["baseline"]["wall_median_s"]
        rows.append(_row(f"bare scan+insert baseline, {label} events", base,
                         note=f"cpu {entry['baseline']['cpu_median_s']} s; "
                              f"{entry['baseline']['runs']} runs"))
        if "doctor" in entry:
            doctor = entry["doctor"]
            rebuild = doctor["phases"]["rebuild (replay)"]["wall_s"]
            rows.append(_row(f"momentum doctor (ORM replay), {label}", doctor["total_wall_s"],
                             reference=f"baseline {label}", ratio=round(rebuild / base, 1),
                             note=f"rebuild {rebuild} s = {doctor['ms_per_event']} ms/event "
                                  f"(cpu {doctor['cpu_ms_per_event']}); ratio = rebuild / "
                                  f"baseline; differences: {doctor['differences'] or 'none'}"))
        if "prototype_write" in entry:
            proto = entry["prototype_write"]["wall_median_s"]
            exact = not entry["prototype_compare"]["differences"]
            is_big = entry is largest
            phases = entry["prototype_write"]["last"]["phases"]
            rows.append(_row(
                f"prototype rebuild (dict replay + bulk write), {label}", proto,
                reference=f"baseline {label}", ratio=round(proto / base, 1),
                target=target if is_big else "", met=(proto / base <= MAX_RATIO) if is_big
                else None,
                note=f"exact vs engine: {exact}; replay "
                     f"{phases['read events + replay in dicts']['wall_s']} s, write "
                     f"{phases['delete + bulk insert']['wall_s']} s"))
            check = entry["prototype_compare"]["total_wall_s"]
            rows.append(_row(f"prototype check (dict replay + compare, no write), {label}",
                             check, reference=f"baseline {label}", ratio=round(check / base, 1),
                             note="the doctor without --fix"))
    # The real doctor at the largest size, from its per-event cost at the largest size run.
    measured = [e for e in sizes.values() if "doctor" in e]
    if measured and "doctor" not in largest:
        biggest = max(measured, key=lambda e: e["events"])
        per_event = biggest["doctor"]["ms_per_event"] / 1000
        estimate = per_event * largest["events"]
        rows.append(_row(f"momentum doctor rebuild, {big} (extrapolated from "
                         f"{size_label(biggest['events'])})", round(estimate),
                         reference=f"baseline {big}", ratio=round(estimate / base_big),
                         target=target, met=estimate / base_big <= MAX_RATIO,
                         note=f"{biggest['doctor']['ms_per_event']} ms/event x "
                              f"{largest['events']:,} events = {estimate / 3600:.1f} h"))
    prototyped = [e for e in sizes.values() if "prototype_write" in e]
    if prototyped and "prototype_write" not in largest:
        biggest = max(prototyped, key=lambda e: e["events"])
        estimate = biggest["prototype_write"]["wall_median_s"] / biggest["events"] \
            * largest["events"]
        rows.append(_row(f"prototype rebuild, {big} (extrapolated from "
                         f"{size_label(biggest['events'])})", round(estimate, 1),
                         reference=f"baseline {big}", ratio=round(estimate / base_big, 1),
                         target=target, met=estimate / base_big <= MAX_RATIO,
                         note="linear per-event extrapolation (the full run measures it)"))
    demo = results.get("demo_check")
    if demo:
        rows.append(_row("prototype = engine, demo history (2 profiles, reopenings)",
                         sum(demo["events_by_type"].values()), unit="events",
                         note="identical derived tables" if demo["ok"]
                         else f"DIFFERENT: {demo['differences']}"))
    household = results.get("household_check")
    if household:
        rows.append(_row("prototype = engine, generated 3-profile history",
                         household["events"], unit="events",
                         note="identical derived tables" if household["ok"]
                         else f"DIFFERENT: {household['differences']}"))
    scenario = results.get("scenario_check")
    if scenario:
        rows.append(_row("prototype = ORM doctor, randomised history (rare paths)",
                         sum(scenario["events_by_type"].values()), unit="events",
                         note=(f"{scenario['backdated_events']} backdated; by type "
                               f"{scenario['events_by_type']}: "
                               + ("identical derived tables" if scenario["ok"]
                                  else f"DIFFERENT: {scenario['differences']}"))))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.doctor_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="real doctor at 10k only; prototype at 10k and 100k")
    parser.add_argument("--sizes", nargs="+", help="sizes for the real doctor (10k 100k ...)")
    parser.add_argument("--fast-sizes", nargs="+", help="sizes for the prototype")
    parser.add_argument("--baseline-sizes", nargs="+",
                        help="sizes for the bare baseline (default 10k 100k 1M)")
    parser.add_argument("--runs", type=int, help="baseline runs per size")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also cProfile the doctor's replay over N events")
    parser.add_argument("--no-demo", action="store_true",
                        help="skip the prototype-vs-engine check on the demo history")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    results = run(args.quick,
                  sizes=[parse_size(s) for s in args.sizes] if args.sizes else None,
                  fast_sizes=[parse_size(s) for s in args.fast_sizes] if args.fast_sizes
                  else None,
                  baseline_sizes=[parse_size(s) for s in args.baseline_sizes]
                  if args.baseline_sizes else None,
                  baseline_runs=args.runs, profile_events=args.profile,
                  verify_demo=not args.no_demo)
    for row in results["rows"]:
        ratio = f"  {row['ratio']}x {row['reference']}" if row["ratio"] is not None else ""
        verdict = "" if row["met"] is None else ("  met" if row["met"] else "  MISSED")
        print(f"{row['name']:<72} {row['value']:>9} {row['unit']}{ratio}{verdict}  "
              f"{row['note']}")
    for label, entry in results["sizes"].items():
        if "doctor_profile" in entry:
            print(entry["doctor_profile"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
