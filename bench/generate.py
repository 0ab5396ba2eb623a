"""Generated Momentum histories: real, migrated SQLite files whose derived tables agree.

Running a million events through the services costs hours, so this module generates the
events and folds them with the engine itself (``engine.step.Builder``, the code
``momentum doctor`` runs), then bulk-inserts (``sqlite3`` ``executemany``) the rows:

* source data: the default profile (Europe/Berlin, day start 0), a dozen projects, tasks,
  goals with four steps each, time slots, and the **events** log (one per completion,
  with the meta and the outcome JSON the engine stores);
* derived data: completions, the points ledger, counters, day and week stats, streaks,
  streak-milestone grants, milestone grants and unlocked achievements.

The history spans about three years of activity days (some idle days and a few breaks
that reset the streaks), with realistic local times (early-bird mornings, working hours,
night-owl evenings) and the per-day volume the size asks for. It is *in order*: every
event was processed when it happened; there is no backdating, no reversal, no days off
and no vacation (the extra profiles, added through the services, have backdating and
reopenings). There is no second copy of a rule here: the derived rows are the engine's
fold. ``python -m bench.generate --doctor 2000`` runs ``momentum doctor`` on a small
history and fails if any derived table differs (the writing, not the rules, is checked).

Files are cached under ``bench/out/`` keyed by size, seed and :data:`GENERATOR_VERSION`
(bump it when the data mix, the rules or the schema change). Usage::

    .venv/bin/python -m bench.generate [10k 100k 1M] [--force] [--doctor N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import threading
import time as timer
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from queue import Queue
from typing import Any

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import activity_day, zone
from momentum_app.core.db import head_revision, open_database
from momentum_app.core.engine.outcome import Outcome
from momentum_app.core.engine.state import GLOBAL, POINTS_TOTAL, MemoryState, Settings, empty_state
from momentum_app.core.engine.step import KIND_COUNTER, Builder, Definitions, EventIn
from momentum_app.core.services.engine_store import table_rows

#: Bump when the simulated rules, the data mix or the schema change: caches are rebuilt.
GENERATOR_VERSION = 2
OUT_DIR = Path(__file__).resolve().parent / "out"
SIZES: dict[str, int] = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
UTC = timezone.utc
ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
#: How many events are folded before the events, tasks and slots are written out.
CHUNK = 50_000

PROJECT_NAMES = ("Work", "Home", "Health", "Learning", "Finance", "Side project", "Family",
                 "Garden", "Reading", "Travel", "Admin")
VERBS = ("Write", "Review", "Fix", "Plan", "Call", "Email", "Update", "Draft", "Clean", "Read",
         "Prepare", "Refactor", "Test", "Book", "Pay", "Organise", "Sort", "Check")
NOUNS = ("report", "budget", "slides", "invoice", "proposal", "backlog", "meeting notes",
         "dentist appointment", "newsletter", "unit tests", "release notes", "garden shed",
         "tax return", "roadmap", "kitchen", "inbox", "flight", "insurance papers")
SLOT_TITLES = ("Deep work", "Focus block", "Study session", "Writing session", "Planning",
               "Code review", "Workout")
GOAL_TITLES = ("Run a half marathon", "Ship version 2", "Learn Spanish basics",
               "Renovate the kitchen", "Read 12 books", "Clear the backlog",
               "Pass the certification", "Launch the newsletter")
#: Relative activity per weekday (Monday first): weekends are quieter.
WEEKDAY_WEIGHT = (1.0, 1.05, 1.0, 0.95, 0.85, 0.45, 0.35)
COMPLEXITY_WEIGHTS = (40, 25, 20, 10, 5)
SLOT_MINUTES = ((25, 30, 45, 60, 90, 120), (10, 20, 20, 25, 15, 10))
STEPS_PER_GOAL = 4
#: Share of completions by kind (goals complete when a finished goal is waiting).
SLOT_SHARE, STEP_SHARE, GOAL_SHARE = 0.10, 0.08, 0.02


@dataclass(frozen=True)
class HistoryConfig:
    """What to generate. The day start hour is the SPEC default (0)."""

    events: int
    seed: int = 20230102
    first_day: date = date(2023, 1, 2)
    days: int = 1096  # three years
    timezone: str = "Europe/Berlin"
    daily_target: int = catalog.DEFAULT_DAILY_TARGET
    idle_day_rate: float = 0.06
    breaks: int = 6  # holidays of 5–16 days (not entered as vacations: they break streaks)
    #: More profiles (a household): each completes ``extra_profile_events`` items over the
    #: last weeks of the history, through the real services (see :func:`add_profiles`).
    extra_profiles: int = 0
    extra_profile_events: int = 1500

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)

    def file_name(self) -> str:
        """Keyed by size, profiles, seed, generator version and the schema's Alembic head."""
        profiles = (f"-p{1 + self.extra_profiles}x{self.extra_profile_events}"
                    if self.extra_profiles else "")
        return (f"history-{self.events}{profiles}-s{self.seed}-v{GENERATOR_VERSION}"
                f"-r{head_revision()}.sqlite3")


@dataclass
class History:
    """A generated database and what is known about it (stored as JSON next to it)."""

    path: str
    events: int
    seed: int
    generator_version: int
    profile_id: int
    timezone: str
    first_day: str
    last_day: str
    open_task_ids: tuple[int, int]  # first and last id of the open tasks
    rows: dict[str, int] = field(default_factory=dict)
    points_total: int = 0
    generation_seconds: float = 0.0  # wall clock, whole generation
    generation_cpu_seconds: float = 0.0  # this process's CPU (both threads)
    insert_seconds: float = 0.0  # wall clock inside the bulk executemany of the big tables
    insert_cpu_seconds: float = 0.0  # the writer thread's CPU for those
    file_bytes: int = 0
    #: Events of the extra profiles (after the main profile's ``events`` in the log).
    extra_events: int = 0
    extra_profile_ids: list[int] = field(default_factory=list)

    def bench_now(self, hour: int = 10) -> datetime:
        """An instant on the day after the last history day (local ``hour``:00), in UTC."""
        day = date.fromisoformat(self.last_day) + ONE_DAY
        return datetime.combine(day, time(hour), tzinfo=zone(self.timezone)).astimezone(UTC)

    @classmethod
    def load(cls, path: Path) -> History:
        data = json.loads(path.read_text())
        data["open_task_ids"] = tuple(data["open_task_ids"])
        return cls(**data)


def parse_size(text: str) -> int:
    """``10k``, ``100k``, ``1M`` or a plain number of events."""
    if text in SIZES:
        return SIZES[text]
    lowered = text.lower().replace("_", "")
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if lowered.endswith(suffix):
            return int(float(lowered[:-1]) * factor)
    return int(lowered)


def size_label(events: int) -> str:
    if events >= 1_000_000 and events % 1_000_000 == 0:
        return f"{events // 1_000_000}M"
    if events >= 1_000 and events % 1_000 == 0:
        return f"{events // 1_000}k"
    return str(events)


def ensure_history(events: int, *, out_dir: Path = OUT_DIR, force: bool = False,
                   seed: int = HistoryConfig.seed, profiles: int = 1,
                   extra_profile_events: int = HistoryConfig.extra_profile_events,
                   log: Callable[[str], None] = print) -> History:
    """The cached history of ``events`` events, generated first if missing or stale.

    ``profiles`` > 1 adds that many profiles minus one, each with
    ``extra_profile_events`` completions made through the real services (a separate
    cache file; the main profile's history is the same).
    """
    config = HistoryConfig(events=events, seed=seed, extra_profiles=profiles - 1,
                           extra_profile_events=extra_profile_events)
    path = out_dir / config.file_name()
    manifest = path.with_suffix(".json")
    if not force and path.exists() and manifest.exists():
        history = History.load(manifest)
        if history.generator_version == GENERATOR_VERSION and _untouched(path, history):
            return history
        log(f"{path.name}: stale or changed since it was generated")
    out_dir.mkdir(parents=True, exist_ok=True)
    log(f"generating {size_label(events)} events -> {path.name} ...")
    tmp = path.with_name(path.name + ".tmp")
    history = generate(tmp, config)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, path)
    (tmp.parent / f".{tmp.name}.in-use").unlink(missing_ok=True)  # the app's open marker
    history.path = str(path)
    manifest.write_text(json.dumps(asdict(history), indent=2))
    log(f"  {size_label(events)}: {history.generation_seconds:.1f} s, "
        f"{history.file_bytes / 1e6:.0f} MB, rows {history.rows}")
    return history


def _untouched(path: Path, history: History) -> bool:
    """The cached file still holds what was generated (cheap: no full scan).

    Benchmarks work on copies; this catches a file someone opened with the app (which
    may write to it, or leave a ``-wal`` that a plain file copy would miss).
    """
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            last_event = conn.execute("SELECT MAX(id) FROM events").fetchone()[0]
            total = conn.execute(
                "SELECT value FROM counters WHERE profile_id = ? AND scope = ? AND name = ?",
                (history.profile_id, GLOBAL, POINTS_TOTAL)).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return bool(last_event == history.events + history.extra_events and total
                and total[0] == history.points_total)


# --- the engine, folding the generated events ------------------------------------


@lru_cache(maxsize=4096)
def _js(text: str) -> str:
    """A string as JSON (titles repeat: cached)."""
    return json.dumps(text)


_KIND_VALUE = {kind: kind.value for kind in Kind}
_DAY_COLUMN = {Kind.TASK: "tasks", Kind.STEP: "steps", Kind.SLOT: "slots", Kind.GOAL: "goals"}


def _sql(value: Any) -> Any:
    """A value as the app's SQLAlchemy types store it in SQLite."""
    if isinstance(value, datetime):
        return _fmt(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def derived_rows(state: MemoryState) -> dict[str, Iterable[tuple[Any, ...]]]:
    """The fold's rows of every derived table, in :data:`INSERTS` column order."""
    result: dict[str, Iterable[tuple[Any, ...]]] = {}
    for table, rows in table_rows(state).items():
        columns = INSERTS[table]
        result[table] = [tuple(_sql(row.get(c)) for c in columns) for row in rows]
    return result


def _day_counts(rng: random.Random, config: HistoryConfig) -> list[int]:
    """How many completions each calendar day gets (0 = idle)."""
    weights = []
    for index in range(config.days):
        day = config.first_day + timedelta(days=index)
        weight = WEEKDAY_WEIGHT[day.weekday()] * rng.lognormvariate(0, 0.35)
        weights.append(0.0 if rng.random() < config.idle_day_rate else weight)
    for _ in range(config.breaks):
        start, length = rng.randrange(30, config.days - 30), rng.randint(5, 16)
        for index in range(start, min(start + length, config.days - 2)):
            weights[index] = 0.0
    weights[-1] = max(weights[-1], 1.0)  # the history ends on an active day
    counts = [0] * config.days
    for index in rng.choices(range(config.days), weights=weights, k=config.events):
        counts[index] += 1
    if counts[-1] == 0:  # "now" (the next day) must continue the streak
        busiest = counts.index(max(counts))
        counts[busiest] -= 1
        counts[-1] += 1
    return counts


def _local_seconds(rng: random.Random, count: int) -> list[int]:
    """Wall-clock seconds after local midnight, sorted; never 02:00–04:59 (DST gaps)."""
    seconds = []
    for _ in range(count):
        r = rng.random()
        if r < 0.03:
            seconds.append(rng.randrange(0, 2 * 3600))  # just after midnight: night owl
        elif r < 0.09:
            seconds.append(rng.randrange(5 * 3600, 8 * 3600))  # early bird
        elif r < 0.91:
            seconds.append(rng.randrange(8 * 3600, 22 * 3600))
        else:
            seconds.append(rng.randrange(22 * 3600, 24 * 3600))  # night owl
    seconds.sort()
    return seconds


def _fmt(instant: datetime) -> str:
    """How SQLAlchemy stores a DateTime in SQLite: naive UTC, with microseconds."""
    text = instant.replace(tzinfo=None).isoformat(" ")
    return text if instant.microsecond else text + ".000000"


def _table(pairs: Iterable[tuple[Any, float]], size: int = 1000) -> list[Any]:
    """A lookup table for weighted draws: ``table[int(rng.random() * len(table))]``."""
    items = list(pairs)
    total = sum(weight for _, weight in items)
    table: list[Any] = []
    for value, weight in items:
        table.extend([value] * round(weight / total * size))
    return table


INSERTS = {
    "events": ("id", "profile_id", "key", "type", "occurred_at", "activity_day",
               "processed_at", "meta", "outcome"),
    "completions": ("event_id", "profile_id", "kind", "item_id", "project_id", "activity_day",
                    "complexity", "minutes", "on_time", "price", "active", "reversed_by"),
    "ledger": ("id", "profile_id", "event_id", "entry_type", "points", "reason", "source",
               "completion_id", "reverses_id", "activity_day", "created_at"),
    "tasks": ("id", "profile_id", "project_id", "goal_id", "title", "notes", "complexity",
              "due_date", "repeat_rule", "status", "completed_at", "created_at", "updated_at",
              "deleted_at"),
    "goals": ("id", "profile_id", "project_id", "title", "notes", "target_date", "status",
              "completed_at", "created_at", "updated_at", "deleted_at"),
    "goal_steps": ("id", "goal_id", "title", "position", "status", "completed_at",
                   "created_at", "deleted_at"),
    "time_slots": ("id", "profile_id", "title", "start_at", "end_at", "task_id", "goal_id",
                   "status", "completed_at", "created_at", "updated_at", "deleted_at"),
    "projects": ("id", "profile_id", "name", "goals_enabled", "is_inbox", "created_at",
                 "deleted_at"),
    "counters": ("profile_id", "scope", "name", "value"),
    "day_stats": ("profile_id", "day", "tasks", "steps", "slots", "goals", "focus_minutes",
                  "points", "first_task_holder", "early_bird_holder", "night_owl_holder",
                  "weekend_holder"),
    "week_stats": ("profile_id", "week", "perfect_week_holder"),
    "streaks": ("profile_id", "type", "current", "longest", "run_start", "last_activity_date"),
    "streak_bonus_grants": ("id", "profile_id", "threshold", "day", "event_id"),
    "achievement_progress": ("profile_id", "achievement_id", "progress", "completed",
                             "completed_at", "event_id"),
    "milestone_grants": ("id", "profile_id", "kind", "scope", "threshold", "points", "source",
                         "event_id", "granted_at"),
}


def _insert(conn: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    columns = INSERTS[table]
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    conn.executemany(sql, rows)


@dataclass
class _Goal:
    id: int
    project_id: int
    title: str
    created_at: str
    step_ids: list[int]
    steps_done: int = 0
    completed_at: str | None = None


def generate(path: Path, config: HistoryConfig, log: Callable[[str], None] = print) -> History:
    """Write a new database at ``path`` holding the configured history."""
    started, cpu_started = timer.perf_counter(), timer.process_time()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = open_database(path)  # migrated to head, default profile and Inbox
    database.close()
    rng = random.Random(config.seed)
    tz = zone(config.timezone)
    profile_start = datetime.combine(config.first_day - timedelta(days=3), time(9), tzinfo=tz)

    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = OFF")  # one writer, a throwaway file until renamed
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("BEGIN")
    # Secondary indexes of the big tables are rebuilt after the load (sorting once is
    # cheaper than maintaining them row by row); their DDL is kept exactly as migrated.
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        "tbl_name IN ('events', 'completions', 'ledger', 'tasks', 'time_slots')").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    # A new database logs the default profile's settings as a first `settings_changed`
    # event; the generated profile gets other settings (set below, without an event), so
    # that event goes: the doctor then replays with the profile's settings, which are
    # the generated ones, and event ids stay 1..N (the file is what version 1 wrote).
    conn.execute("DELETE FROM events WHERE type = ?", (catalog.SETTINGS_EVENT,))
    profile_id, = conn.execute("SELECT id FROM profiles WHERE is_default = 1").fetchone()
    inbox_id, = conn.execute("SELECT id FROM projects WHERE profile_id = ? AND is_inbox = 1",
                             (profile_id,)).fetchone()
    created = _fmt(profile_start.astimezone(UTC))
    conn.execute("UPDATE profiles SET timezone = ?, day_start_hour = 0, daily_task_target = ?, "
                 "created_at = ? WHERE id = ?", (config.timezone, config.daily_target, created,
                                                 profile_id))
    conn.execute("UPDATE projects SET created_at = ? WHERE id = ?", (created, inbox_id))
    project_names = {inbox_id: "Inbox"}
    project_rows = []
    next_project = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM projects").fetchone()[0]
    for name in PROJECT_NAMES:
        project_names[next_project] = name
        project_rows.append((next_project, profile_id, name, 1, 0, created, None))
        next_project += 1
    _insert(conn, "projects", project_rows)
    named = [pid for pid in project_names if pid != inbox_id]
    project_choices = [inbox_id] + named
    project_weights = [3.0] + [1.0 / (1 + i * 0.35) * 4 for i in range(len(named))]

    settings = Settings(profile_id, config.timezone, 0, config.daily_target, frozenset(), ())
    builder = Builder(empty_state(), Definitions(
        projects={pid: (name, True) for pid, name in project_names.items()},
        initial_settings={profile_id: settings}))
    counts = _day_counts(rng, config)
    random_ = rng.random
    complexity_table = _table(zip((1, 2, 3, 4, 5), COMPLEXITY_WEIGHTS))
    project_table = _table(zip(project_choices, project_weights))
    minutes_table = _table(zip(*SLOT_MINUTES))
    titles = [f"{verb} {noun}" for verb in VERBS for noun in NOUNS]
    # Day texts from 10 days before the first day to 40 after the last (due dates).
    day_texts = [(config.first_day + timedelta(days=i - 10)).isoformat()
                 for i in range(config.days + 50)]
    events: list[tuple[Any, ...]] = []
    tasks: list[tuple[Any, ...]] = []
    slots: list[tuple[Any, ...]] = []
    goals: dict[int, _Goal] = {}
    step_rows: dict[int, list[Any]] = {}
    step_goal = None  # the goal whose steps are being done
    ready_goals: deque[int] = deque()  # goals whose steps are all done
    recent_tasks: deque[tuple[int, int]] = deque(maxlen=64)  # (task id, project id)
    event_id = task_id = slot_id = goal_id = step_id = 0
    last_active = config.first_day
    writer = _Writer(conn)

    def flush() -> None:
        nonlocal events, tasks, slots
        writer.put([("events", events), ("tasks", tasks), ("time_slots", slots)])
        events, tasks, slots = [], [], []

    for index, count in enumerate(counts):
        if not count:
            continue
        day = config.first_day + timedelta(days=index)
        day_text = day.isoformat()
        last_active = day
        midnight = datetime.combine(day, time(0))
        for seconds in _local_seconds(rng, count):
            wall = midnight + timedelta(seconds=seconds)
            instant = wall.replace(tzinfo=tz).astimezone(UTC)
            now_text = _fmt(instant)
            event_id += 1
            draw = random_()
            if draw < SLOT_SHARE:
                kind = Kind.SLOT
            elif draw < SLOT_SHARE + STEP_SHARE + GOAL_SHARE:
                kind = Kind.GOAL if draw >= SLOT_SHARE + STEP_SHARE and ready_goals else Kind.STEP
            else:
                kind = Kind.TASK
            meta: dict[str, Any]
            if kind is Kind.TASK:
                task_id += 1
                complexity = complexity_table[int(random_() * len(complexity_table))]
                project = project_table[int(random_() * len(project_table))]
                due = day_texts[index + 10 + int(random_() * 13) - 2] \
                    if random_() < 0.45 else None
                title = titles[int(random_() * len(titles))]
                made = _fmt(instant - timedelta(minutes=5 + int(random_() * 20 * 24 * 60)))
                tasks.append((task_id, profile_id, project, None, title, "", complexity, due,
                              None, "done", now_text, made, made, None))
                recent_tasks.append((task_id, project))
                meta = {"item_id": task_id, "title": title, "complexity": complexity,
                        "project_id": project, "due": due}
                meta_json = (f'{{"item_id": {task_id}, "title": {_js(title)}, "complexity": '
                             f'{complexity}, "project_id": {project}, "due": '
                             f'{_js(due) if due else "null"}}}')
                item = task_id
            elif kind is Kind.SLOT:
                slot_id += 1
                minutes = minutes_table[int(random_() * len(minutes_table))]
                linked = recent_tasks[int(random_() * len(recent_tasks))] \
                    if recent_tasks and random_() < 0.4 else None
                project = linked[1] if linked else inbox_id
                title = SLOT_TITLES[int(random_() * len(SLOT_TITLES))]
                start = instant - timedelta(minutes=minutes)
                made = _fmt(start - timedelta(hours=1 + int(random_() * 72)))
                slots.append((slot_id, profile_id, title, _fmt(start), now_text,
                              linked[0] if linked else None, None, "done", now_text, made, made,
                              None))
                meta = {"item_id": slot_id, "title": title, "minutes": minutes,
                        "project_id": project}
                meta_json = json.dumps(meta)
                item = slot_id
            elif kind is Kind.STEP:
                if step_goal is None:
                    goal_id += 1
                    made = _fmt(instant - timedelta(days=rng.randint(1, 20)))
                    goal = _Goal(goal_id, rng.choice(named), rng.choice(GOAL_TITLES), made, [])
                    goals[goal_id] = goal
                    for position in range(1, STEPS_PER_GOAL + 1):
                        step_id += 1
                        goal.step_ids.append(step_id)
                        step_rows[step_id] = [step_id, goal_id, f"Step {position}", position,
                                              "open", None, made, None]
                    step_goal = goal
                goal = step_goal
                item = goal.step_ids[goal.steps_done]
                goal.steps_done += 1
                step_rows[item][4:6] = ["done", now_text]
                meta = {"item_id": item, "title": step_rows[item][2],
                        "project_id": goal.project_id, "goal_id": goal.id}
                meta_json = json.dumps(meta)
                if goal.steps_done == STEPS_PER_GOAL:
                    ready_goals.append(goal.id)
                    step_goal = None
            else:
                goal = goals[ready_goals.popleft()]
                goal.completed_at = now_text
                meta = {"item_id": goal.id, "title": goal.title, "project_id": goal.project_id}
                meta_json = json.dumps(meta)
                item = goal.id
            key = f"{_KIND_VALUE[kind]}:{item}:done:1"
            event_type = catalog.COMPLETION_SOURCE[kind]
            outcome = builder.apply(EventIn(event_id, profile_id, key, event_type, instant, day,
                                            instant, meta), with_outcome=True)
            assert outcome is not None
            events.append((event_id, profile_id, key, event_type, now_text, day_text, now_text,
                           meta_json, json.dumps(outcome.to_json())))
            if len(events) >= CHUNK:
                flush()
    flush()
    writer.close()

    # Open work: goals in progress and a backlog of open tasks (for list benchmarks).
    _insert(conn, "goals", [
        (g.id, profile_id, g.project_id, g.title, "", None,
         "done" if g.completed_at else "open", g.completed_at, g.created_at, g.created_at, None)
        for g in goals.values()])
    _insert(conn, "goal_steps", (tuple(row) for row in step_rows.values()))
    open_first = task_id + 1
    backlog = []
    end_of_history = datetime.combine(last_active, time(18), tzinfo=tz).astimezone(UTC)
    for _ in range(max(100, config.events // 100)):
        task_id += 1
        made = _fmt(end_of_history - timedelta(minutes=rng.randint(0, 60 * 24 * 60)))
        due = (last_active + timedelta(days=rng.randint(-5, 30))).isoformat() \
            if rng.random() < 0.5 else None
        backlog.append((task_id, profile_id, project_table[int(random_() * len(project_table))],
                        None, titles[int(random_() * len(titles))], "",
                        complexity_table[int(random_() * len(complexity_table))], due, None,
                        "open", None, made, made, None))
    _insert(conn, "tasks", backlog)

    # The derived tables: the fold's rows, written once at the end.
    folded = builder.top
    for table, rows in derived_rows(folded).items():
        _insert(conn, table, rows)
    for _, sql in indexes:
        conn.execute(sql)
    # The last `top_of_the_board` check the engine made (as of the last event).
    conn.execute("UPDATE profiles SET board_checked_week = ? WHERE id = ?",
                 (folded.board_rows.get(profile_id), profile_id))
    conn.execute("COMMIT")

    history = History(
        path=str(path), events=config.events, seed=config.seed,
        generator_version=GENERATOR_VERSION, profile_id=profile_id, timezone=config.timezone,
        first_day=config.first_day.isoformat(), last_day=last_active.isoformat(),
        open_task_ids=(open_first, task_id),
        points_total=folded.counter_rows[profile_id][(GLOBAL, POINTS_TOTAL)])
    history.rows = check_consistency(conn, history)
    conn.execute("PRAGMA journal_mode = WAL")  # what the app uses
    conn.close()
    if config.extra_profiles:
        add_profiles(path, config, history, log)
    history.generation_seconds = round(timer.perf_counter() - started, 2)
    history.generation_cpu_seconds = round(timer.process_time() - cpu_started, 2)
    history.insert_seconds = round(writer.seconds, 2)
    history.insert_cpu_seconds = round(writer.cpu_seconds, 2)
    history.file_bytes = path.stat().st_size
    return history


class _Writer:
    """Runs the ``executemany`` calls on a thread: SQLite releases the GIL while it works."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.queue: Queue[list[tuple[str, list[tuple[Any, ...]]]] | None] = Queue(maxsize=2)
        self.error: BaseException | None = None
        self.seconds = self.cpu_seconds = 0.0  # time spent inside executemany
        self.thread = threading.Thread(target=self._run, name="bench-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    started, cpu = timer.perf_counter(), timer.thread_time()
                    for table, rows in batch:
                        _insert(self.conn, table, rows)
                    self.seconds += timer.perf_counter() - started
                    self.cpu_seconds += timer.thread_time() - cpu
                except BaseException as exc:  # re-raised by close()
                    self.error = exc

    def put(self, batch: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


# --- more profiles, through the real services ----------------------------------------------

EXTRA_PROFILES = (("Sam", "America/New_York", 4), ("Kim", "Asia/Kolkata", 0),
                  ("Ana", "America/Sao_Paulo", 0), ("Lee", "Australia/Lord_Howe", 0))


def add_profiles(path: Path, config: HistoryConfig, history: History,
                 log: Callable[[str], None] = print) -> None:
    """Add ``config.extra_profiles`` profiles that complete items during the last weeks of
    the history, through the services (so the engine's cross-profile rules, team_player
    and top_of_the_board, run for real, and `momentum doctor` replays them).

    Their events come after the main profile's in the log (arrival order), each stamped
    with the instant it happened. Some completions are backdated by a few days and a few
    are reopened. ``history`` is updated: extra events, profile ids, row counts and the
    main profile's total (team_player can credit it).
    """
    from momentum_app.core.clock import FixedClock  # noqa: PLC0415
    from momentum_app.core.services import Momentum  # noqa: PLC0415

    if config.extra_profiles > len(EXTRA_PROFILES):
        raise ValueError(f"at most {len(EXTRA_PROFILES)} extra profiles")
    started = timer.perf_counter()
    rng = random.Random(config.seed + 1)
    database = open_database(path)
    try:
        # Durability is not under test while generating: skip the fsync per commit.
        def _fast(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA synchronous = OFF")
        from sqlalchemy import event as sa_event  # noqa: PLC0415

        sa_event.listen(database.engine, "connect", _fast)
        database.engine.dispose()
        last = date.fromisoformat(history.last_day)
        weeks = max(2, min(26, config.extra_profile_events // 60))
        first = last - timedelta(days=7 * weeks - 1)
        clock = FixedClock(datetime.combine(first - ONE_DAY, time(9), tzinfo=UTC))
        main = Momentum(database, clock)
        apps = []
        for name, tz, hour in EXTRA_PROFILES[:config.extra_profiles]:
            main.profiles.add(name, timezone=tz, day_start_hour=hour)
            app = Momentum(database, clock, profile=name)
            for project in ("Home", "Work", "Sport"):
                app.projects.add(project)
            apps.append(app)
        # Every profile's completions, merged in time order (one log, like a household).
        plan = []
        for index, app in enumerate(apps):
            tz = zone(EXTRA_PROFILES[index][1])
            days = [first + timedelta(days=i) for i in range(7 * weeks)]
            for _ in range(config.extra_profile_events):
                day = rng.choice(days)
                wall = datetime.combine(day, time(0)) + timedelta(
                    seconds=rng.randrange(5 * 3600, 23 * 3600))
                plan.append((wall.replace(tzinfo=tz).astimezone(UTC), index))
        plan.sort()
        done: list[list[int]] = [[] for _ in apps]
        for instant, index in plan:
            app = apps[index]
            clock.instant = instant
            roll = rng.random()
            if roll < 0.10:
                start = instant - timedelta(minutes=rng.choice((25, 45, 60, 95)))
                slot = app.items.add_slot(rng.choice(SLOT_TITLES), start.isoformat(),
                                          instant.isoformat(), )
                app.items.complete(Kind.SLOT, slot.id)
            elif roll < 0.13:
                goal = app.items.add_goal(rng.choice(GOAL_TITLES), project="Work")
                for position in range(2):
                    step = app.items.add_step(goal.id, f"Step {position + 1}")
                    app.items.complete(Kind.STEP, step.id)
                app.items.complete(Kind.GOAL, goal.id)
            elif roll < 0.15 and done[index]:
                app.items.reopen(Kind.TASK, done[index].pop(rng.randrange(len(done[index]))))
            else:
                task = app.items.add_task(
                    f"{rng.choice(VERBS)} {rng.choice(NOUNS)}",
                    project=rng.choice((None, "Home", "Work", "Sport")),
                    complexity=rng.choice((1, 1, 2, 2, 3, 4, 5)))
                back = timedelta(days=rng.randint(1, 4)) if rng.random() < 0.1 else timedelta(0)
                app.items.complete(Kind.TASK, task.id, at=instant - back)
                done[index].append(task.id)
        history.extra_profile_ids = [app.profile_id for app in apps]
    finally:
        database.close()
    conn = sqlite3.connect(path)
    try:
        history.rows = {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                        for table in INSERTS}
        history.extra_events = history.rows["events"] - history.events
        history.points_total = conn.execute(
            "SELECT value FROM counters WHERE profile_id = ? AND scope = ? AND name = ?",
            (history.profile_id, GLOBAL, POINTS_TOTAL)).fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    log(f"  + {config.extra_profiles} profiles, {history.extra_events:,} events through the "
        f"services in {timer.perf_counter() - started:.0f} s")


# --- checks -----------------------------------------------------------------------------


def check_consistency(conn: sqlite3.Connection, history: History) -> dict[str, int]:
    """Assert that the derived tables agree with each other; return the row counts."""
    one = lambda sql, *args: conn.execute(sql, args).fetchone()[0]  # noqa: E731
    pid = history.profile_id
    rows = {table: one(f"SELECT COUNT(*) FROM {table}") for table in INSERTS}
    ledger_sum = one("SELECT COALESCE(SUM(CASE WHEN entry_type = 'credit' THEN points "
                     "ELSE -points END), 0) FROM ledger WHERE profile_id = ?", pid)
    counter_total = one("SELECT value FROM counters WHERE profile_id = ? AND "
                        "scope = 'global' AND name = ?", pid, POINTS_TOTAL)
    day_points = one("SELECT SUM(points) FROM day_stats WHERE profile_id = ?", pid)
    assert ledger_sum == counter_total == day_points == history.points_total, (
        ledger_sum, counter_total, day_points, history.points_total)
    assert rows["events"] == rows["completions"] == history.events
    # Per kind: completions == counters == day_stats.
    for kind, column in _DAY_COLUMN.items():
        completions = one("SELECT COUNT(*) FROM completions WHERE profile_id = ? AND "
                          "kind = ? AND active", pid, kind.value)
        counter = one("SELECT COALESCE(MAX(value), 0) FROM counters WHERE profile_id = ? "
                      "AND scope = 'global' AND name = ?", pid, KIND_COUNTER[kind])
        days = one(f"SELECT COALESCE(SUM({column}), 0) FROM day_stats WHERE profile_id = ?",
                   pid)
        assert completions == counter == days, (kind, completions, counter, days)
    # Per day: day_stats == completions grouped by day.
    mismatched = one(
        "SELECT COUNT(*) FROM (SELECT activity_day, COUNT(*) AS n FROM completions "
        "WHERE profile_id = ? GROUP BY activity_day) AS c LEFT JOIN day_stats AS d "
        "ON d.profile_id = ? AND d.day = c.activity_day "
        "WHERE d.day IS NULL OR d.tasks + d.steps + d.slots + d.goals != c.n", pid, pid)
    assert mismatched == 0, f"{mismatched} days disagree with their completions"
    # Ledger per day == day_stats.points.
    mismatched = one(
        "SELECT COUNT(*) FROM (SELECT activity_day, SUM(points) AS p FROM ledger "
        "WHERE profile_id = ? GROUP BY activity_day) AS l JOIN day_stats AS d "
        "ON d.profile_id = ? AND d.day = l.activity_day WHERE d.points != l.p", pid, pid)
    assert mismatched == 0, f"{mismatched} days' points disagree with the ledger"
    # Events (a sample): the activity day agrees with the engine's clock maths; meta and
    # outcome are the JSON SQLAlchemy would have written; the outcome loads as an Outcome.
    for occurred, day, meta, outcome in conn.execute(
            "SELECT occurred_at, activity_day, meta, outcome FROM events WHERE id % 97 = 1"):
        instant = datetime.fromisoformat(occurred).replace(tzinfo=UTC)
        assert activity_day(instant, history.timezone, 0).isoformat() == day
        for text in (meta, outcome):
            assert json.dumps(json.loads(text)) == text, text
        Outcome.from_json(json.loads(outcome))
    # The daily_activity streak row == a recount of the distinct active days, where the
    # days a streak freeze bridged (SPEC v2 §4: counters in scope 'frozen') join the run.
    days = [date.fromisoformat(d) for d, in conn.execute(
        "SELECT DISTINCT activity_day FROM completions WHERE profile_id = ? "
        "ORDER BY activity_day", (pid,))]
    frozen = {date.fromisoformat(d) for d, in conn.execute(
        "SELECT name FROM counters WHERE profile_id = ? AND scope = 'frozen' AND value > 0",
        (pid,))}

    def joined(before: date, after: date) -> bool:
        return all(before + ONE_DAY * k in frozen for k in range(1, (after - before).days))

    longest = current = 0
    for i, day in enumerate(days):
        current = current + 1 if i and joined(days[i - 1], day) else 1
        longest = max(longest, current)
    streak = conn.execute("SELECT current, longest, last_activity_date FROM streaks "
                          "WHERE profile_id = ? AND type = 'daily_activity'", (pid,)).fetchone()
    assert streak == (current, longest, days[-1].isoformat()), (streak, current, longest)
    return rows


def doctor_check(path: Path) -> dict[str, Any]:
    """Replay the event log through the real engine (``momentum doctor``) on a copy."""
    import shutil  # noqa: PLC0415

    from momentum_app.core.clock import FixedClock  # noqa: PLC0415
    from momentum_app.core.services import Momentum  # noqa: PLC0415

    copy = path.with_name(path.stem + "-doctor.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    database = open_database(copy)
    try:
        app = Momentum(database, FixedClock(datetime.now(UTC)))
        return app.doctor.run(fix=False).to_json()
    finally:
        database.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        (copy.parent / f".{copy.name}.in-use").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=list(SIZES),
                        help="sizes to generate: 10k, 100k, 1M or a number (default: all)")
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    parser.add_argument("--profiles", type=int, default=1,
                        help="profiles in the file (extra ones get --extra-events "
                             "completions each through the services; default 1)")
    parser.add_argument("--extra-events", type=int, default=HistoryConfig.extra_profile_events,
                        help="completions of each extra profile")
    parser.add_argument("--doctor", type=parse_size, metavar="N",
                        help="also generate N events in a temporary file and replay them "
                             "through the real engine (momentum doctor): must find nothing")
    args = parser.parse_args(argv)
    for text in args.sizes:
        history = ensure_history(parse_size(text), force=args.force, profiles=args.profiles,
                                 extra_profile_events=args.extra_events)
        print(f"{size_label(history.events)}: {history.path} "
              f"(generated in {history.generation_seconds:.1f} s, "
              f"{history.file_bytes / 1e6:.0f} MB, points_total {history.points_total})")
    if args.doctor:
        path = OUT_DIR / f"doctor-check-{args.doctor}.sqlite3"
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        history = generate(path, HistoryConfig(events=args.doctor,
                                               extra_profiles=args.profiles - 1,
                                               extra_profile_events=args.extra_events))
        started = timer.perf_counter()
        report = doctor_check(path)
        path.unlink()
        (path.parent / f".{path.name}.in-use").unlink(missing_ok=True)
        print(f"doctor on {args.doctor} generated events "
              f"({timer.perf_counter() - started:.1f} s): {json.dumps(report)}")
        if not report["ok"]:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
