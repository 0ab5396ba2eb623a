"""Engine benchmark: the latency of one completion against the size of the history.

For each size (10k, 100k, 1M events of one profile, see :mod:`bench.generate`) a fresh
copy of the cached history is opened the way the app opens it, and tasks are completed
"now" (the day after the last history day) through the real service call,
``ItemService.complete(Kind.TASK, id, at=now)``: validation, the engine's rules and the
commit (``BEGIN IMMEDIATE`` … ``COMMIT`` with the app's pragmas) in one transaction.

It then measures a **recount baseline**, the approach the engine replaced: each completion
recomputes the total, the per-kind counts, today's completions and the streak by
aggregating the ledger and completions tables over the whole history, then inserts its
rows and commits on the same connection settings.

And a **bare baseline** (issue 14): every statement the app's completion sent to SQLite
— the ``BEGIN IMMEDIATE``, each query with its parameters (rows fetched), each write,
the ``COMMIT`` — is recorded at the sqlite3 connection (:class:`Recording`) and issued
again, right after, through a plain ``sqlite3`` connection with the app's pragmas on a
twin copy of the same database (the twin evolves exactly like the work copy: checked at
the end). The ratio app/bare is what Python (the rules, the service, SQLAlchemy's
session) adds on top of SQLite's own work for the same rows.

Measurements are interleaved (round r completes one task in every size, in an order
rotated each round) so that drift and the other workers sharing the machine hit every
size alike; medians and p90 are reported, and wall-clock time as well as this process's
CPU time (which ignores the fsync wait and time spent queued behind other processes).

    .venv/bin/python -m bench.engine [--quick] [--sizes 10k 100k 1M] [--diagnose]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import shutil
import sqlite3
import statistics
import sys
import time as timer
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from momentum_app.core import catalog
from momentum_app.core.catalog import Criteria, Kind
from momentum_app.core.clock import FixedClock, activity_day
from momentum_app.core.db import Database, open_database
from momentum_app.core.engine import rules
from momentum_app.core.services import Momentum

from .generate import OUT_DIR, History, ensure_history, parse_size, size_label

WORK_DIR = OUT_DIR / "work"
#: Seconds between two completions of one run (all of them fall on the same day).
STEP = timedelta(seconds=15)
#: Targets (the brief): 1M within 1.2x of 10k, and 100x faster than the recount at 1M.
MAX_RATIO = 1.2
MIN_SPEEDUP = 100.0
#: Issue 14: the completion at the largest size, wall median, and against the bare replay.
MAX_COMPLETION_MS = 3.0
MAX_BARE_RATIO = 2.5


# --- recording what the app sends to SQLite, and replaying it bare ----------------------------


class _Records:
    """Appends each statement (with its parameters) to :attr:`Recording.log` while it is
    a list; mixed into a sqlite3 connection and its cursors."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        if Recording.log is not None:
            Recording.log.append(("execute", sql, parameters))
        return super().execute(sql, parameters)  # type: ignore[misc]

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        if Recording.log is not None:
            parameters = list(parameters)
            Recording.log.append(("executemany", sql, parameters))
        return super().executemany(sql, parameters)  # type: ignore[misc]


class Recording(_Records, sqlite3.Connection):
    """A sqlite3 connection that, while :attr:`log` is a list, appends every statement
    (with its parameters) and every commit to it. The app's engine is made to connect
    with it (``do_connect``), so SQLAlchemy's own statements and the direct ones of the
    hot path are both seen."""

    log: list[tuple[Any, ...]] | None = None

    def cursor(self, factory: Any = None) -> Any:  # type: ignore[override]
        return super().cursor(factory or RecordingCursor)

    def commit(self) -> None:
        if Recording.log is not None:
            Recording.log.append(("commit",))
        super().commit()


class RecordingCursor(_Records, sqlite3.Cursor):
    pass


def bare_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the app's pragmas (``core/sqlite.py``)."""
    from momentum_app.core import sqlite as sqlite_layer  # noqa: PLC0415

    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {sqlite_layer.BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {sqlite_layer.SYNCHRONOUS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def replay(conn: sqlite3.Connection, log: list[tuple[Any, ...]]) -> None:
    """The recorded statements, bare: each executed and its rows fetched, commits done."""
    for entry in log:
        if entry[0] == "execute":
            conn.execute(entry[1], entry[2]).fetchall()
        elif entry[0] == "executemany":
            conn.executemany(entry[1], entry[2])
        else:
            conn.commit()


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)  # seconds
    cpu: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    @staticmethod
    def _ms(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000

    def median(self) -> float:
        return statistics.median(self.wall) * 1000 if self.wall else float("nan")

    def p90(self) -> float:
        return self._ms(self.wall, 0.9)

    def cpu_median(self) -> float:
        return statistics.median(self.cpu) * 1000 if self.cpu else float("nan")


@dataclass
class Subject:
    """One size under test: its history, a work copy, the services and the open tasks."""

    history: History
    path: Path
    db: Database
    app: Momentum
    clock: FixedClock
    tasks: list[int]
    now: datetime
    step: int = 0
    incremental: Samples = field(default_factory=Samples)
    baseline: Samples = field(default_factory=Samples)
    bare: Samples = field(default_factory=Samples)  # the same statements, bare sqlite3
    twin: sqlite3.Connection | None = None
    twin_path: Path | None = None
    completed_points: int = 0  # awarded by the engine during the run
    recount_points: int = 0  # ledger points the recount baseline wrote (no counters)
    after_recount: bool = False
    synchronous: str = "FULL"  # the app's setting (core/sqlite.py); NORMAL for comparison

    @property
    def label(self) -> str:
        suffix = "" if self.synchronous == "FULL" else f" {self.synchronous}"
        return size_label(self.history.events) + suffix

    def next_instant(self) -> datetime:
        self.step += 1
        return self.now + self.step * STEP


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    cpu, wall = timer.process_time(), timer.perf_counter()
    result = call()
    return timer.perf_counter() - wall, timer.process_time() - cpu, result


# --- set-up ------------------------------------------------------------------------------


def prepare(history: History, tasks: int, synchronous: str = "FULL",
            bare: bool = True) -> Subject:
    """A fresh work copy of the history, opened like the app does, with ``tasks`` to do.

    ``synchronous="NORMAL"`` overrides the app's ``PRAGMA synchronous = FULL`` on every
    connection of this copy (to measure what the extra fsync per commit costs).
    """
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    source = Path(history.path)
    name = size_label(history.events) + ("" if synchronous == "FULL" else f"-{synchronous}")
    target = WORK_DIR / f"engine-{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)  # the cached file is closed and checkpointed
    db = open_database(target)
    if synchronous != "FULL":
        def _override(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA synchronous = {synchronous}")
        event.listen(db.engine, "connect", _override)  # runs after the app's pragmas
        db.engine.dispose()  # pooled connections reconnect with the override
        with db.engine.connect() as conn:
            level = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        if level != {"NORMAL": 1, "OFF": 0}.get(synchronous):
            raise AssertionError(f"synchronous override failed: {level}")
    if bare:
        def _recording(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
            params["factory"] = Recording
        event.listen(db.engine, "do_connect", _recording)
        db.engine.dispose()  # pooled connections reconnect as Recording
    now = history.bench_now()
    clock = FixedClock(now)
    app = Momentum(db, clock)
    ids = []
    for i in range(tasks):
        # The same mix at every size: complexities 1–5, half with a due date, one project.
        task = app.items.add_task(f"Benchmark task {i + 1}", project="Work",
                                  complexity=1 + i % 5,
                                  due=(now.date() + timedelta(days=i % 3)).isoformat()
                                  if i % 2 else None)
        ids.append(task.id)
    subject = Subject(history, target, db, app, clock, ids, now, synchronous=synchronous)
    if bare:
        # The twin: the work copy as it is now (tasks added), for the bare replay.
        subject.twin_path = WORK_DIR / f"bare-{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{subject.twin_path}{suffix}").unlink(missing_ok=True)
        source_conn = sqlite3.connect(target)
        twin = sqlite3.connect(subject.twin_path)
        source_conn.backup(twin)
        source_conn.close()
        twin.close()
        subject.twin = bare_connection(subject.twin_path)
    return subject


def close(subject: Subject, keep: bool) -> None:
    subject.db.close()
    if subject.twin is not None:
        subject.twin.close()
    if not keep:
        for path in (subject.path, subject.twin_path):
            for suffix in ("", "-wal", "-shm"):
                if path is not None:
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        # The marker the app keeps beside a database it opened (core/sqlite.py).
        (subject.path.parent / f".{subject.path.name}.in-use").unlink(missing_ok=True)


# --- the incremental engine ------------------------------------------------------------


def complete_incremental(subject: Subject, bare: Samples | None = None
                         ) -> tuple[float, float]:
    """One ``items.complete`` on a fresh task at "now": rules + commit, timed. Its
    statements are replayed on the twin (kept in step); into ``bare`` when given."""
    task_id = subject.tasks.pop(0)
    at = subject.next_instant()
    subject.clock.instant = at
    log: list[tuple[Any, ...]] = []
    Recording.log = log if subject.twin is not None else None
    try:
        wall, cpu, done = _timed(lambda: subject.app.items.complete(Kind.TASK, task_id, at=at))
    finally:
        Recording.log = None
    if subject.twin is not None:
        twin = subject.twin
        bare_wall, bare_cpu, _ = _timed(lambda: replay(twin, log))
        if bare is not None:
            bare.add(bare_wall, bare_cpu)
    outcome = done.outcome
    if outcome.points_awarded <= 0 or done.item.status != "done":
        raise AssertionError(f"unexpected outcome at {subject.label}: {outcome}")
    subject.completed_points += outcome.points_awarded
    return wall, cpu


# --- the recount baseline (the seed approach) ----------------------------------------------

BASELINE_TOTAL = text(
    "SELECT COALESCE(SUM(CASE WHEN entry_type = 'credit' THEN points ELSE -points END), 0) "
    "FROM ledger WHERE profile_id = :p")
BASELINE_BY_KIND = text(
    "SELECT kind, COUNT(*), COALESCE(SUM(minutes), 0) FROM completions "
    "WHERE profile_id = :p AND active GROUP BY kind")
BASELINE_TODAY = text(
    "SELECT COUNT(*), COALESCE(SUM(kind = 'task'), 0) FROM completions "
    "WHERE profile_id = :p AND activity_day = :day AND active")
BASELINE_DAYS = text(
    "SELECT DISTINCT activity_day FROM completions WHERE profile_id = :p AND active "
    "ORDER BY activity_day DESC")
BASELINE_UNLOCKED = text(
    "SELECT achievement_id FROM achievement_progress WHERE profile_id = :p AND completed")


def complete_recount(subject: Subject) -> tuple[float, float]:
    """The seed approach: aggregate the whole history on every event, then write."""
    task_id = subject.tasks.pop(0)
    at = subject.next_instant()
    log: list[tuple[Any, ...]] = []
    Recording.log = log if subject.twin is not None else None
    try:
        wall, cpu, points = _timed(lambda: _recount_transaction(subject, task_id, at))
    finally:
        Recording.log = None
    if subject.twin is not None:
        replay(subject.twin, log)  # keeps the twin in step (not timed)
    subject.recount_points += points
    return wall, cpu


def _recount_transaction(subject: Subject, task_id: int, at: datetime) -> int:
    """Returns the points it credited."""
    profile_id, tz = subject.history.profile_id, subject.history.timezone
    with subject.db.transaction() as session:
        run = session.execute
        title, complexity, project_id, due = run(text(
            "SELECT title, complexity, project_id, due_date FROM tasks "
            "WHERE id = :id AND status = 'open'"), {"id": task_id}).one()
        day = activity_day(at, tz, 0)
        total = run(BASELINE_TOTAL, {"p": profile_id}).scalar_one()
        by_kind = {kind: (count, minutes) for kind, count, minutes in
                   run(BASELINE_BY_KIND, {"p": profile_id})}
        today, today_tasks = run(BASELINE_TODAY, {"p": profile_id, "day": day.isoformat()}).one()
        days = [d if isinstance(d, date) else date.fromisoformat(d)
                for d, in run(BASELINE_DAYS, {"p": profile_id}).all()]
        active = set(days) | {day}
        current, cursor = 0, day
        while cursor in active:  # the run ending today, counting today
            current, cursor = current + 1, cursor - timedelta(days=1)
        longest = run_length = 0
        previous = None
        for d in sorted(active):
            run_length = run_length + 1 if previous and previous + timedelta(days=1) == d else 1
            longest, previous = max(longest, run_length), d
        unlocked = set(run(BASELINE_UNLOCKED, {"p": profile_id}).scalars())

        price = catalog.completion_price(Kind.TASK, complexity, current)
        credits = [(price, f"Task: {title}", catalog.COMPLETION_SOURCE[Kind.TASK])]
        if today_tasks == 0:
            bonus = catalog.FIRST_TASK_OF_DAY
            credits.append((bonus.points, bonus.reason, bonus.source))
        metrics = {Criteria.TASKS.value: by_kind.get("task", (0, 0))[0] + 1,
                   Criteria.STEPS.value: by_kind.get("goal_step", (0, 0))[0],
                   Criteria.SLOTS.value: by_kind.get("time_slot", (0, 0))[0],
                   Criteria.GOALS.value: by_kind.get("goal", (0, 0))[0],
                   Criteria.FOCUS_MINUTES.value: by_kind.get("time_slot", (0, 0))[1],
                   Criteria.STREAK.value: longest,
                   Criteria.LEVEL.value: catalog.level_for_points(
                       total + sum(c[0] for c in credits)).number}
        for achievement in rules.achievements_to_unlock(catalog.ACHIEVEMENTS, metrics, unlocked):
            credits.append((achievement.points, f"Achievement: {achievement.name}",
                            catalog.ACHIEVEMENT_SOURCE))

        stamp = at.replace(tzinfo=None).isoformat(" ", "microseconds")
        key = f"task:{task_id}:done:1"
        meta = {"item_id": task_id, "title": title, "complexity": complexity,
                "project_id": project_id, "due": str(due) if due else None}
        event_id = run(text(
            "INSERT INTO events (profile_id, key, type, occurred_at, activity_day, "
            "processed_at, meta, outcome) VALUES (:p, :key, 'task_completion', :at, :day, "
            ":at, :meta, :outcome) RETURNING id"),
            {"p": profile_id, "key": key, "at": stamp, "day": day.isoformat(),
             "meta": json.dumps(meta), "outcome": json.dumps(
                 {"points_awarded": sum(c[0] for c in credits), "total_points": total,
                  "streak": current, "today": today + 1})}).scalar_one()
        run(text("INSERT INTO completions (event_id, profile_id, kind, item_id, project_id, "
                 "activity_day, complexity, minutes, on_time, price, active) VALUES "
                 "(:e, :p, 'task', :item, :project, :day, :c, 0, 0, :price, 1)"),
            {"e": event_id, "p": profile_id, "item": task_id, "project": project_id,
             "day": day.isoformat(), "c": complexity, "price": price})
        run(text("INSERT INTO ledger (profile_id, event_id, entry_type, points, reason, source, "
                 "completion_id, activity_day, created_at) VALUES "
                 "(:p, :e, 'credit', :points, :reason, :source, :e, :day, :at)"),
            [{"p": profile_id, "e": event_id, "points": points, "reason": reason,
              "source": source, "day": day.isoformat(), "at": stamp}
             for points, reason, source in credits])
        run(text("UPDATE tasks SET status = 'done', completed_at = :at WHERE id = :id"),
            {"at": stamp, "id": task_id})
        return sum(points for points, _, _ in credits)


# --- checks -------------------------------------------------------------------------------


def check_totals(subject: Subject) -> None:
    """points_total == history + engine awards; ledger == that + the recount's rows."""
    with subject.db.reading() as session:
        ledger = session.execute(BASELINE_TOTAL, {"p": subject.history.profile_id}).scalar_one()
        counter = session.execute(text(
            "SELECT value FROM counters WHERE profile_id = :p AND scope = 'global' "
            "AND name = 'points_total'"), {"p": subject.history.profile_id}).scalar_one()
    expected = subject.history.points_total + subject.completed_points
    if not (counter == expected and ledger == expected + subject.recount_points):
        raise AssertionError(f"{subject.label}: ledger {ledger}, points_total {counter}, "
                             f"expected {expected} (+{subject.recount_points} recounted)")


def check_twin(subject: Subject) -> None:
    """The bare replay did the same work: the twin's derived rows equal the work copy's."""
    if subject.twin is None:
        return
    query = ("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM ledger), "
             "(SELECT sum(points) FROM ledger), (SELECT group_concat(scope || name || value) "
             "FROM counters), (SELECT count(*) FROM tasks WHERE status = 'done')")
    with subject.db.reading() as session:
        mine = tuple(session.execute(text(query)).one())
    theirs = subject.twin.execute(query).fetchone()
    if mine != theirs:
        raise AssertionError(f"{subject.label}: the bare replay diverged: {mine} != {theirs}")


# --- diagnosis: cProfile and per-statement SQL timings ------------------------------------

_LITERALS = re.compile(r"\b\d+\b")
#: cProfile rows shown: the app's functions, the ORM's flush/commit, the sqlite3 calls.
PROFILE_FILTER = (r"momentum_app|sqlalchemy/orm/session.py.*\((flush|commit)\)"
                  r"|\{method '(commit|execute)' of 'sqlite3")


@dataclass
class StatementStats:
    durations: list[float] = field(default_factory=list)
    example: tuple[str, Any] | None = None

    @property
    def count(self) -> int:
        return len(self.durations)

    def median_ms(self) -> float:
        return statistics.median(self.durations) * 1000


class Probe:
    """Times every SQL statement, ORM flush and COMMIT of one engine while installed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: dict[str, StatementStats] = defaultdict(StatementStats)
        self.sql = self.flush = self.commit = 0.0  # seconds, since the last reset()
        self.sql_count = self.flush_count = 0
        self._sql_started: list[float] = []
        self._flush_started = self._commit_started = 0.0

    def reset(self) -> dict[str, float]:
        totals = {"sql": self.sql, "sql_count": self.sql_count, "flush": self.flush,
                  "flush_count": self.flush_count, "commit": self.commit}
        self.sql = self.flush = self.commit = 0.0
        self.sql_count = self.flush_count = 0
        return totals

    def _before_sql(self, *args: Any) -> None:
        self._sql_started.append(timer.perf_counter())

    def _after_sql(self, conn: Any, cursor: Any, statement: str, parameters: Any,
                   context: Any, executemany: bool) -> None:
        elapsed = timer.perf_counter() - self._sql_started.pop()
        self.sql += elapsed
        self.sql_count += 1
        entry = self.statements[_LITERALS.sub("?", " ".join(statement.split()))]
        entry.durations.append(elapsed)
        if entry.example is None:
            entry.example = (statement, parameters)

    def _before_flush(self, *args: Any) -> None:
        self._flush_started = timer.perf_counter()

    def _after_flush(self, *args: Any) -> None:
        self.flush += timer.perf_counter() - self._flush_started
        self.flush_count += 1

    def _before_commit(self, *args: Any) -> None:
        self._commit_started = timer.perf_counter()

    def _after_commit(self, *args: Any) -> None:
        if self._commit_started:
            self.commit += timer.perf_counter() - self._commit_started
            self._commit_started = 0.0

    def _hooks(self) -> list[tuple[Any, str, Callable[..., None]]]:
        return [(self.engine, "before_cursor_execute", self._before_sql),
                (self.engine, "after_cursor_execute", self._after_sql),
                (self.engine, "commit", self._before_commit),
                (Session, "before_flush", self._before_flush),
                (Session, "after_flush_postexec", self._after_flush),
                (Session, "after_commit", self._after_commit)]

    def __enter__(self) -> Probe:
        for target, name, hook in self._hooks():
            event.listen(target, name, hook)
        return self

    def __exit__(self, *exc: object) -> None:
        for target, name, hook in self._hooks():
            event.remove(target, name, hook)


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def diagnose(subjects: list[Subject], completions: int) -> str:
    """Where one completion's time goes, at the smallest and the largest size.

    1. a breakdown (no profiler): wall, CPU, SQL statements, ORM flushes, COMMIT;
    2. every SQL statement's median time at both sizes, sorted by how much it grew, with
       the query plans of the top ones at the largest size;
    3. cProfile of the app's functions (a separate set of completions: profiling slows
       Python down but not SQLite or the disk);
    4. the recount baseline's statements at the largest size.
    """
    out = StringIO()
    smallest, largest = subjects[0], subjects[-1]
    probes: dict[str, Probe] = {}
    breakdown: dict[str, dict[str, list[float]]] = {}
    for subject in (smallest, largest):
        columns: dict[str, list[float]] = defaultdict(list)
        with Probe(subject.db.engine) as probe:
            for _ in range(completions):
                probe.reset()
                wall, cpu = complete_incremental(subject)
                parts = probe.reset()
                columns["wall"].append(wall)
                columns["cpu"].append(cpu)
                for name, value in parts.items():
                    columns[name].append(value)
                # Python outside SQLite: wall minus SQL minus COMMIT (flush SQL is in "sql").
                columns["python"].append(wall - parts["sql"] - parts["commit"])
        probes[subject.label] = probe
        breakdown[subject.label] = columns

    out.write(f"\n== Breakdown of one completion (medians over {completions}) ==\n")
    out.write(f"{'size':>6} {'wall ms':>8} {'cpu ms':>7} {'SQL ms':>7} {'stmts':>6} "
              f"{'flush ms':>9} {'flushes':>8} {'COMMIT ms':>10} {'rest ms':>8}\n")
    for label, columns in breakdown.items():
        ms = {name: _median_ms(values) for name, values in columns.items()}
        out.write(f"{label:>6} {ms['wall']:8.2f} {ms['cpu']:7.2f} {ms['sql']:7.2f} "
                  f"{statistics.median(columns['sql_count']):6.0f} {ms['flush']:9.2f} "
                  f"{statistics.median(columns['flush_count']):8.0f} {ms['commit']:10.2f} "
                  f"{ms['python']:8.2f}\n")
    out.write("(flush ms includes the flush's own SQL; rest = wall - SQL - COMMIT: Python, "
              "SQLAlchemy and waiting for a CPU)\n")

    small, large = probes[smallest.label].statements, probes[largest.label].statements
    out.write(f"\n== SQL statements: median ms per call, {smallest.label} vs {largest.label}, "
              "sorted by the extra time per completion at the larger size ==\n")
    rows = []
    for sql, entry in large.items():
        base = small.get(sql)
        calls = entry.count / completions
        median_large = entry.median_ms()
        median_small = base.median_ms() if base else 0.0
        extra = (median_large * calls
                 - (median_small * base.count / completions if base else 0.0))
        rows.append((extra, median_small, median_large, calls, sql, entry))
    rows.sort(key=lambda row: row[0], reverse=True)
    out.write(f"{'extra ms/compl':>14} {'ms/call ' + smallest.label:>13} "
              f"{'ms/call ' + largest.label:>13} {'calls/compl':>11}  statement\n")
    for extra, median_small, median_large, calls, sql, _ in rows:
        out.write(f"{extra:14.3f} {median_small:13.3f} {median_large:13.3f} {calls:11.1f}  "
                  f"{sql[:140]}\n")
    out.write(f"\n== Query plans at {largest.label} of the 5 statements that grew most ==\n")
    with largest.db.engine.connect() as conn:
        for _, _, _, _, sql, entry in rows[:5]:
            statement, parameters = entry.example or (sql, ())
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            out.write(f"{' '.join(statement.split())[:140]}\n")
            for row in plan:
                out.write(f"    {row[-1]}\n")

    for subject in (smallest, largest):
        profiler = cProfile.Profile()
        for _ in range(completions):
            profiler.enable()
            complete_incremental(subject)
            profiler.disable()
        text_out = StringIO()
        pstats.Stats(profiler, stream=text_out).sort_stats("cumulative").print_stats(
            PROFILE_FILTER, 30)
        out.write(f"\n== cProfile, {completions} completions at {subject.label} "
                  "(cumulative; the app's functions, ORM flush/commit, sqlite3 calls) ==\n")
        out.write("\n".join(line for line in text_out.getvalue().splitlines()
                            if line.strip() and not line.startswith(("   Ordered", "   List")))
                  + "\n")

    recounts = 3
    with Probe(largest.db.engine) as probe:
        walls = [complete_recount(largest)[0] for _ in range(recounts)]
    out.write(f"\n== Recount baseline at {largest.label}: median of {recounts}, "
              f"{_median_ms(walls):.1f} ms per completion ==\n"
              "(a statement's time covers its execute; the DISTINCT-days scan mostly runs "
              "while its rows are fetched, so the rest of the total is that scan)\n")
    for sql, entry in sorted(probe.statements.items(), key=lambda kv: -sum(kv[1].durations)):
        out.write(f"{entry.median_ms():10.2f} ms  {sql[:140]}\n")
    with largest.db.engine.connect() as conn:
        for query in (BASELINE_TOTAL, BASELINE_BY_KIND, BASELINE_DAYS):
            plan = conn.execute(text(f"EXPLAIN QUERY PLAN {query.text}"),
                                {"p": largest.history.profile_id}).all()
            out.write(f"plan: {' '.join(query.text.split())[:80]}... -> "
                      f"{'; '.join(row[-1] for row in plan)}\n")
    return out.getvalue()


# --- the run -------------------------------------------------------------------------------


def run(sizes: list[int], reps: int, baseline_reps: int, warmup: int, keep: bool,
        diagnose_completions: int, sync_compare: bool = False) -> dict[str, Any]:
    """Measure; ``sync_compare`` adds a copy of the smallest size opened with
    ``synchronous=NORMAL``, measured in the same interleaved rounds (``results["sync"]``)."""
    started = timer.perf_counter()
    histories = []
    for events in sizes:
        history = ensure_history(events)
        histories.append(history)
        print(f"history {size_label(events):>5}: {Path(history.path).name} "
              f"(generated in {history.generation_seconds:.1f} s wall, "
              f"{history.generation_cpu_seconds:.1f} s CPU; "
              f"{history.file_bytes / 1e6:,.0f} MB; {history.rows.get('ledger', 0):,} ledger rows)",
              flush=True)
    needed = warmup + reps + 2 * (baseline_reps + 1) + 4 * diagnose_completions + 10
    subjects = []
    for history in histories:
        copy_started = timer.perf_counter()
        subjects.append(prepare(history, needed))
        print(f"work copy {size_label(history.events):>5}: ready in "
              f"{timer.perf_counter() - copy_started:.1f} s", flush=True)
    extras = ([prepare(histories[0], needed, synchronous="NORMAL", bare=False)]
              if sync_compare else [])
    everyone = subjects + extras

    # Round r completes one task in every size (order rotated each round); every few
    # rounds a recount completion follows in every size. Warm-up rounds, and the engine
    # completion right after a recount (whose full scans evicted SQLite's page cache),
    # are not recorded. Engine and recount thus see the same machine load over the run.
    every = max(1, reps // max(1, baseline_reps))
    round_ = 0
    while any(len(s.incremental.wall) < reps or len(s.baseline.wall) < baseline_reps
              for s in subjects) or any(len(s.incremental.wall) < reps for s in extras):
        shift = round_ % len(everyone)
        order = everyone[shift:] + everyone[:shift]
        for subject in order:
            after_recount, subject.after_recount = subject.after_recount, False
            recorded = (round_ >= warmup and not after_recount
                        and len(subject.incremental.wall) < reps)
            wall, cpu = complete_incremental(subject, subject.bare if recorded else None)
            if recorded:
                subject.incremental.add(wall, cpu)
        if round_ >= warmup - 1 and (round_ - warmup + 1) % every == 0:
            for subject in order:
                if subject in extras or len(subject.baseline.wall) >= baseline_reps:
                    continue
                wall, cpu = complete_recount(subject)
                subject.after_recount = True
                if round_ >= warmup:  # the first recount warms up
                    subject.baseline.add(wall, cpu)
        round_ += 1
    for subject in everyone:
        check_totals(subject)
        check_twin(subject)
    print(f"measured: {reps} engine and {baseline_reps} recount completions per size "
          f"({round_} rounds)", flush=True)

    diagnosis = diagnose(subjects, diagnose_completions) if diagnose_completions else ""

    results = report(subjects)
    if extras:
        results["sync"] = sync_report(subjects[0], extras[0])
    for subject in everyone:
        close(subject, keep)
    results["seconds"] = round(timer.perf_counter() - started, 1)
    results["diagnosis"] = diagnosis
    return results


def report(subjects: list[Subject]) -> dict[str, Any]:
    reference = subjects[0]
    ref_median, ref_cpu = reference.incremental.median(), reference.incremental.cpu_median()
    header = (f"{'size':>5} {'ledger rows':>11} | {'incr median':>11} {'p90':>7} "
              f"{'bare SQL':>8} {'x bare':>6} "
              f"{'ratio vs ' + reference.label:>12} | {'incr cpu':>8} {'cpu ratio':>9} | "
              f"{'recount med':>11} {'recount cpu':>11} | {'speed-up':>8} {'cpu speed-up':>12}")
    lines = [header, "-" * len(header)]
    rows = []
    for subject in subjects:
        inc, base = subject.incremental, subject.baseline
        ratio = inc.median() / ref_median
        cpu_ratio = inc.cpu_median() / ref_cpu
        speedup = base.median() / inc.median()
        cpu_speedup = base.cpu_median() / inc.cpu_median()
        bare = subject.bare
        bare_ratio = inc.median() / bare.median() if bare.wall else float("nan")
        rows.append({
            "bare_median_ms": round(bare.median(), 3) if bare.wall else None,
            "bare_cpu_median_ms": round(bare.cpu_median(), 3) if bare.wall else None,
            "bare_ratio": round(bare_ratio, 2) if bare.wall else None,
            "size": subject.label, "events": subject.history.events,
            "ledger_rows": subject.history.rows.get("ledger", 0),
            "incremental_median_ms": round(inc.median(), 3),
            "incremental_p90_ms": round(inc.p90(), 3),
            "incremental_cpu_median_ms": round(inc.cpu_median(), 3),
            "ratio_vs_smallest": round(ratio, 3), "cpu_ratio_vs_smallest": round(cpu_ratio, 3),
            "baseline_median_ms": round(base.median(), 3), "baseline_p90_ms": round(base.p90(), 3),
            "baseline_cpu_median_ms": round(base.cpu_median(), 3),
            "speedup": round(speedup, 1), "cpu_speedup": round(cpu_speedup, 1),
            "samples": len(inc.wall), "baseline_samples": len(base.wall),
            "generation_seconds": subject.history.generation_seconds,
            "generation_cpu_seconds": subject.history.generation_cpu_seconds,
        })
        lines.append(f"{subject.label:>5} {subject.history.rows.get('ledger', 0):>11,} | "
                     f"{inc.median():>8.2f} ms {inc.p90():>7.2f} "
                     f"{bare.median() if bare.wall else float('nan'):>5.2f} ms "
                     f"{bare_ratio:>5.2f}x {ratio:>11.2f}x | "
                     f"{inc.cpu_median():>8.2f} {cpu_ratio:>8.2f}x | "
                     f"{base.median():>8.1f} ms {base.cpu_median():>8.1f} ms | "
                     f"{speedup:>7.0f}x {cpu_speedup:>11.0f}x")
    largest = rows[-1]
    verdicts = [
        f"target: incremental at {largest['size']} <= {MAX_RATIO}x {reference.label}: "
        f"{largest['ratio_vs_smallest']:.2f}x (cpu {largest['cpu_ratio_vs_smallest']:.2f}x) -> "
        f"{'met' if largest['ratio_vs_smallest'] <= MAX_RATIO else 'MISSED'}",
        f"target: >= {MIN_SPEEDUP:.0f}x faster than the recount at {largest['size']}: "
        f"{largest['speedup']:.0f}x (cpu {largest['cpu_speedup']:.0f}x) -> "
        f"{'met' if largest['speedup'] >= MIN_SPEEDUP else 'MISSED'}",
        f"target: completion at {largest['size']} <= {MAX_COMPLETION_MS:.0f} ms: "
        f"{largest['incremental_median_ms']:.2f} ms -> "
        f"{'met' if largest['incremental_median_ms'] <= MAX_COMPLETION_MS else 'MISSED'}",
    ]
    if largest["bare_ratio"] is not None:
        verdicts.append(
            f"target: completion at {largest['size']} <= {MAX_BARE_RATIO}x the same SQL + "
            f"COMMIT bare ({largest['bare_median_ms']:.2f} ms): {largest['bare_ratio']:.2f}x "
            f"-> {'met' if largest['bare_ratio'] <= MAX_BARE_RATIO else 'MISSED'}")
    return {"table": "\n".join(lines), "verdicts": verdicts, "rows": rows}


def sync_report(full: Subject, normal: Subject) -> dict[str, Any]:
    """``synchronous=FULL`` (the app) against ``NORMAL`` on the same history, same run."""
    extra = full.incremental.median() - normal.incremental.median()
    return {
        "size": size_label(full.history.events),
        "full_median_ms": round(full.incremental.median(), 3),
        "full_p90_ms": round(full.incremental.p90(), 3),
        "full_cpu_median_ms": round(full.incremental.cpu_median(), 3),
        "normal_median_ms": round(normal.incremental.median(), 3),
        "normal_p90_ms": round(normal.incremental.p90(), 3),
        "normal_cpu_median_ms": round(normal.incremental.cpu_median(), 3),
        "full_minus_normal_ms": round(extra, 3),
        "ratio": round(full.incremental.median() / normal.incremental.median(), 2),
        "samples": len(normal.incremental.wall),
        "line": (f"synchronous at {size_label(full.history.events)}: FULL "
                 f"{full.incremental.median():.2f} ms (p90 {full.incremental.p90():.2f}) vs "
                 f"NORMAL {normal.incremental.median():.2f} ms (p90 "
                 f"{normal.incremental.p90():.2f}): FULL costs {extra:+.2f} ms per completion "
                 f"({full.incremental.median() / normal.incremental.median():.2f}x); CPU "
                 f"{full.incremental.cpu_median():.2f} vs "
                 f"{normal.incremental.cpu_median():.2f} ms"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.engine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repetitions (50 completions, 5 recounts per size)")
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k", "1M"],
                        help="history sizes (10k, 100k, 1M or a number); the first is the "
                             "reference of the ratio")
    parser.add_argument("--reps", type=int, help="measured completions per size (default 200)")
    parser.add_argument("--baseline-reps", type=int,
                        help="measured recount completions per size (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="unrecorded rounds first")
    parser.add_argument("--diagnose", type=int, nargs="?", const=30, default=0, metavar="N",
                        help="also profile N extra completions (cProfile + per-statement SQL "
                             "timings + query plans) at the smallest and largest size")
    parser.add_argument("--sync", action="store_true",
                        help="also measure the smallest size with synchronous=NORMAL "
                             "(interleaved), to price the app's synchronous=FULL")
    parser.add_argument("--keep", action="store_true", help="keep the work copies")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    reps = args.reps or (50 if args.quick else 200)
    baseline_reps = args.baseline_reps or (5 if args.quick else 30)
    sizes = sorted(parse_size(s) for s in args.sizes)
    results = run(sizes, reps, baseline_reps, args.warmup, args.keep, args.diagnose,
                  sync_compare=args.sync)
    print()
    print(results["table"])
    for verdict in results["verdicts"]:
        print(verdict)
    if "sync" in results:
        print(results["sync"]["line"])
    print(f"(medians over {reps} completions per size, recount over {baseline_reps}; "
          f"whole run {results['seconds']} s)")
    if results["diagnosis"]:
        print(results["diagnosis"])
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in results.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
