"""Crash test: kill -9 a process that completes and reopens tasks, at random moments.

A worker process opens the database and performs random completions and reopenings,
printing ``begin OP ID`` before each action and ``ack OP ID`` after its commit. The
parent reads those lines and kills the worker with SIGKILL at a random moment, then
checks the file: ``integrity_check`` and ``foreign_key_check`` pass, every acknowledged
action is there, nothing is credited twice, the ledger sums to the total, and
``momentum doctor`` finds no difference.

    python -m bench.crash --ops 1000 --rounds 50      # the long run (docs/RELIABILITY.md)

``tests/reliability/test_crash.py`` runs a short version in the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TASKS = 40
DOCTOR_EVERY = 10


@dataclass
class RoundResult:
    acknowledged: int = 0
    killed_in_flight: int = 0
    problems: list[str] = field(default_factory=list)


def prepare(db_path: Path, tasks: int = TASKS) -> None:
    from momentum_app.core.clock import SystemClock
    from momentum_app.core.db import open_database
    from momentum_app.core.services import Momentum

    database = open_database(db_path)
    app = Momentum(database, SystemClock())
    app.profiles.update(timezone="UTC")
    for number in range(tasks):
        app.items.add_task(f"Crash task {number}", complexity=1 + number % 5)
    database.close()


def worker(db_path: Path, seed: int, ops: int) -> None:
    """Runs in the child process: random complete/reopen, announcing each step."""
    from momentum_app.core.catalog import Kind
    from momentum_app.core.clock import SystemClock
    from momentum_app.core.db import open_database
    from momentum_app.core.errors import ValidationError
    from momentum_app.core.services import Momentum

    database = open_database(db_path)
    app = Momentum(database, SystemClock())
    rng = random.Random(seed)
    ids = [t.id for t in app.items.list_tasks(status="all")]
    out = sys.stdout
    for _ in range(ops):
        task_id = rng.choice(ids)
        status = app.items.get(Kind.TASK, task_id).status
        op = "done" if status == "open" else "reopen"
        out.write(f"begin {op} {task_id}\n")
        out.flush()
        try:
            if op == "done":
                app.items.complete(Kind.TASK, task_id)
            else:
                app.items.reopen(Kind.TASK, task_id)
        except ValidationError as exc:
            out.write(f"refused {op} {task_id} {exc}\n")
            out.flush()
            continue
        out.write(f"ack {op} {task_id}\n")
        out.flush()
    database.close()


def run_round(db_path: Path, seed: int, ops: int, expected: dict[int, set[str]]) -> RoundResult:
    """One worker life: read its announcements, kill it at a random moment."""
    rng = random.Random(seed)
    kill_after = rng.randint(1, max(1, ops))
    result = RoundResult()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with subprocess.Popen(
            [sys.executable, "-m", "bench.crash", "--worker", str(db_path), str(seed), str(ops)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            cwd=Path(__file__).resolve().parent.parent) as proc:
        in_flight, killed = _follow(proc, rng, kill_after, expected, result)
        proc.wait()
        errors = proc.stderr.read() if proc.stderr else ""
    if killed and in_flight is not None:
        op, task_id = in_flight
        # Killed mid-action: either outcome is acceptable, half of one is not.
        expected[task_id] = {"done", "open"}
        result.killed_in_flight += 1
    if not killed and proc.returncode != 0:
        result.problems.append(f"worker failed: {errors}")
    return result


def _follow(proc: subprocess.Popen[str], rng: random.Random, kill_after: int,
            expected: dict[int, set[str]], result: RoundResult
            ) -> tuple[tuple[str, int] | None, bool]:
    """Read the worker's announcements; SIGKILL it at the chosen action.

    The worker may get further than the line that triggered the kill before the signal
    lands, so every line it managed to write is read (the pipe keeps them) before the
    round is judged: the in-flight action is the last one begun and not acknowledged.
    """
    assert proc.stdout is not None
    in_flight: tuple[str, int] | None = None
    seen = 0
    killed = False
    for line in proc.stdout:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "begin":
            in_flight = (parts[1], int(parts[2]))
            seen += 1
            if seen >= kill_after and not killed:
                # Let the action run for a random sliver of time, then pull the plug.
                try:
                    proc.wait(timeout=rng.uniform(0, 0.015))
                except subprocess.TimeoutExpired:
                    pass
                proc.send_signal(signal.SIGKILL)
                killed = True
        elif parts[0] == "ack":
            op, task_id = parts[1], int(parts[2])
            expected[task_id] = {"done" if op == "done" else "open"}
            result.acknowledged += 1
            in_flight = None
        elif parts[0] == "refused":
            in_flight = None
    return in_flight, killed


def check(db_path: Path, expected: dict[int, set[str]], doctor: bool = True) -> list[str]:
    """Everything that must hold after any crash (``doctor`` replays the whole log)."""
    problems: list[str] = []
    conn = sqlite3.connect(db_path)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk}")
        for task_id, allowed in expected.items():
            status = conn.execute("SELECT status FROM tasks WHERE id = ?", (task_id,)).fetchone()[0]
            if status not in allowed:
                problems.append(f"task {task_id}: acknowledged {allowed}, found {status}")
            active = conn.execute(
                "SELECT COUNT(*) FROM completions WHERE kind = 'task' AND item_id = ? "
                "AND active = 1", (task_id,)).fetchone()[0]
            if active != (1 if status == "done" else 0):
                problems.append(f"task {task_id}: status {status} but {active} active completions")
        total = conn.execute(
            "SELECT COALESCE(SUM(CASE entry_type WHEN 'credit' THEN points ELSE -points END), 0) "
            "FROM ledger").fetchone()[0]
        counter = conn.execute(
            "SELECT COALESCE(SUM(value), 0) FROM counters WHERE name = 'points_total'"
        ).fetchone()[0]
        if total != counter:
            problems.append(f"ledger sums to {total}, total says {counter}")
        twice = conn.execute(
            "SELECT reverses_id, COUNT(*) FROM ledger WHERE reverses_id IS NOT NULL "
            "GROUP BY reverses_id HAVING COUNT(*) > 1").fetchall()
        if twice:
            problems.append(f"credits debited twice: {twice}")
        double_base = conn.execute(
            "SELECT completion_id, COUNT(*) FROM ledger WHERE entry_type = 'credit' AND "
            "source = 'task_completion' GROUP BY completion_id HAVING COUNT(*) > 1").fetchall()
        if double_base:
            problems.append(f"completions credited twice: {double_base}")
        for table, columns in (("achievement_progress", "profile_id, achievement_id"),
                               ("milestone_grants", "profile_id, kind, scope, threshold")):
            dup = conn.execute(f"SELECT {columns}, COUNT(*) FROM {table} "
                               f"GROUP BY {columns} HAVING COUNT(*) > 1").fetchall()
            if dup:
                problems.append(f"{table} granted twice: {dup}")
    finally:
        conn.close()
    if not doctor:
        return problems
    if not doctor:
        return problems
    from momentum_app.core.clock import SystemClock
    from momentum_app.core.db import open_database
    from momentum_app.core.services import Momentum

    database = open_database(db_path)
    report = Momentum(database, SystemClock()).doctor.run()
    database.close()
    if not report.ok:
        problems.append(f"doctor: {report.to_json()}")
    return problems


def crash_run(db_path: Path, rounds: int, ops: int, seed: int = 0) -> dict[str, object]:
    prepare(db_path)
    expected: dict[int, set[str]] = {}
    acknowledged = killed = 0
    problems: list[str] = []
    started = time.perf_counter()
    for number in range(rounds):
        result = run_round(db_path, seed * 1000 + number, ops, expected)
        acknowledged += result.acknowledged
        killed += result.killed_in_flight
        problems += result.problems
        # The doctor's replay grows with the log: every DOCTOR_EVERY rounds and at the end.
        with_doctor = number % DOCTOR_EVERY == DOCTOR_EVERY - 1 or number == rounds - 1
        problems += [f"round {number}: {p}" for p in check(db_path, expected, with_doctor)]
    return {"rounds": rounds, "ops_per_round": ops, "acknowledged": acknowledged,
            "killed_in_flight": killed, "problems": problems,
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=3, metavar=("DB", "SEED", "OPS"))
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--ops", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.worker:
        worker(Path(args.worker[0]), int(args.worker[1]), int(args.worker[2]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        summary = crash_run(Path(folder) / "crash.sqlite3", args.rounds, args.ops, args.seed)
    for key, value in summary.items():
        if key != "problems":
            print(f"{key:>18}: {value}")
    print(f"{'problems':>18}: {len(summary['problems'])}")  # type: ignore[arg-type]
    for problem in summary["problems"]:  # type: ignore[attr-defined]
        print(f"  - {problem}")
    return 1 if summary["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
