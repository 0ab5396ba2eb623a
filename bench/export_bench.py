"""Export/import benchmark: CSV export of a million ledger rows against ``sqlite3 -csv``,
and a 10k-task Taskwarrior import against Taskwarrior's own ``task import``.

1. **CSV export.** The ledger of the cached 1M-event history (:mod:`bench.generate`,
   about 1,003,500 ledger rows; built on first use) is exported with
   ``export_csv(..., table="ledger")`` — the function ``momentum export --format csv``
   calls — and the same table with ``sqlite3 -csv -header DB "SELECT * FROM ledger"``.
   Without ``bench/generate.py`` a database of 1M ledger rows is made here with
   ``executemany``. Target: Momentum ≤ 2 × ``sqlite3 -csv``.
2. **Taskwarrior import.** A deterministic ``task export`` file of 10,000 tasks
   (pending, completed and deleted; projects, tags, priorities, due dates, annotations,
   some unicode) is imported by ``momentum import --format taskwarrior`` into a fresh
   database and by ``task import`` into a fresh ``TASKDATA``/``TASKRC``. Target: faster.
3. **Listing.** The same 10,000 tasks imported once by each tool; then ``momentum task
   list`` against ``task list`` (pending tasks), and with a search word, whole commands.

Runs are interleaved (A, B, A, B, …) so that the other processes sharing the machine hit
both alike; the median is reported, in wall-clock time and in CPU time (CPU ignores the
time spent queued behind other processes). The ``sqlite3`` CLI (Debian ``sqlite3``) and
Taskwarrior (Debian ``taskwarrior``) are installed with ``apt-get`` when missing.

    .venv/bin/python -m bench.export_bench [--runs 5] [--skip-csv] [--skip-taskwarrior]
                                            [--skip-listing]
                                            [--json-out bench/out/export_bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.exports.csv_export import export_csv
from momentum_app.core.imports import import_file
from momentum_app.core.services import Momentum

OUT_DIR = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 1, 2, 10, 0, tzinfo=UTC)
LEDGER_ROWS = 1_000_000
TASKS = 10_000


def log(message: str) -> None:
    print(message, flush=True)


def ensure_tool(command: str, package: str) -> str | None:
    """The path of ``command``, installing Debian's ``package`` with apt-get if missing."""
    found = shutil.which(command)
    if found:
        return found
    if shutil.which("apt-get") is None:
        log(f"  {command} is missing and apt-get is not available: skipped")
        return None
    log(f"  installing {package} with apt-get ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (["apt-get", "install", "-y", "-q", package],
                 ["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", package]):
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
        if args[1] == "install" and done.returncode == 0:
            break
    return shutil.which(command)


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_process(args: list[str], *, env: dict[str, str] | None = None,
                  stdout: Any = subprocess.DEVNULL, cwd: Path | None = None
                  ) -> tuple[float, float]:
    """(wall, CPU) of a child process (``cwd``: where it runs; ``python -m`` puts that
    folder first on its path)."""
    cpu, wall = cpu_children(), time.perf_counter()
    subprocess.run(args, env=env, stdout=stdout, stderr=subprocess.PIPE, check=True, cwd=cwd)
    return time.perf_counter() - wall, cpu_children() - cpu


def timed_call(function: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) of a call in this process."""
    cpu, wall = cpu_self(), time.perf_counter()
    function()
    return time.perf_counter() - wall, cpu_self() - cpu


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    return {"wall_median_s": round(statistics.median(s[0] for s in samples), 3),
            "cpu_median_s": round(statistics.median(s[1] for s in samples), 3),
            "wall_min_s": round(min(s[0] for s in samples), 3),
            "runs": len(samples)}


def momentum_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "momentum_app", *args]


# --- 1. CSV export ----------------------------------------------------------------------


def ledger_database() -> Path:
    """A database with about a million ledger rows: the shared generated history if
    bench/generate.py is there, else one made here with executemany."""
    try:
        from bench.generate import ensure_history
    except ImportError:
        ensure_history = None  # type: ignore[assignment]
    if ensure_history is not None:
        return Path(ensure_history(1_000_000, log=log).path)
    path = OUT_DIR / f"ledger-{LEDGER_ROWS}.sqlite3"
    if path.exists():
        return path
    log(f"  generating {LEDGER_ROWS:,} ledger rows -> {path.name} ...")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.unlink(missing_ok=True)
    open_database(temp).close()
    rng = random.Random(1)
    with closing(sqlite3.connect(temp)) as connection:
        connection.execute("PRAGMA synchronous = OFF")
        profile = connection.execute("SELECT id FROM profiles").fetchone()[0]
        stamp = "2025-06-01 12:00:00.000000"
        connection.executemany(
            "INSERT INTO events (id, profile_id, key, type, occurred_at, activity_day, "
            "processed_at, meta) VALUES (?, ?, ?, 'task_completion', ?, ?, ?, '{}')",
            ((i, profile, f"task:{i}:done:1", stamp, stamp[:10], stamp)
             for i in range(1, LEDGER_ROWS // 2 + 2)))
        connection.executemany(
            "INSERT INTO ledger (id, profile_id, event_id, entry_type, points, reason, source,"
            " completion_id, reverses_id, activity_day, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
            ((i, profile, i // 2 + 1, "credit" if i % 11 else "debit", rng.randint(5, 40),
              f"Task: task number {i}, with a title", "task_completion", i // 2 + 1,
              f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
              f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00.000000")
             for i in range(1, LEDGER_ROWS + 1)))
        connection.commit()
    os.replace(temp, path)
    return path


def bench_csv(runs: int, work: Path) -> dict[str, Any]:
    sqlite_cli = ensure_tool("sqlite3", "sqlite3")
    database_path = ledger_database()
    with closing(sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)) as connection:
        rows = connection.execute("SELECT count(*) FROM ledger").fetchone()[0]
    log(f"CSV export of {rows:,} ledger rows ({database_path.name})")
    database = open_database(database_path)
    app = Momentum(database, FixedClock(NOW))
    ours_file, theirs_file = work / "momentum-ledger.csv", work / "sqlite3-ledger.csv"
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    cli: list[tuple[float, float]] = []
    env = {**os.environ, "MOMENTUM_NOW": NOW.isoformat()}
    cli_args = momentum_cli("--db", str(database_path), "export", "--format", "csv", "--table",
                            "ledger", "--out", str(ours_file))
    try:
        export_csv(app, ours_file, table="ledger")  # warm the page cache for both
        # One unmeasured command first: the CLI makes its daily backup of the file (a
        # once-a-day cost, ~1.5 GB here) on its first start of the day.
        timed_process(cli_args, env=env)
        for run in range(runs):
            ours.append(timed_call(lambda: export_csv(app, ours_file, table="ledger")))
            if sqlite_cli:
                with open(theirs_file, "wb") as handle:
                    theirs.append(timed_process(
                        [sqlite_cli, "-csv", "-header", str(database_path),
                         "SELECT * FROM ledger"], stdout=handle))
            if run < 2:  # the whole command, interpreter start-up included
                cli.append(timed_process(cli_args, env=env))
            log(f"  run {run + 1}: momentum {ours[-1][0]:.2f} s wall / {ours[-1][1]:.2f} s CPU"
                + (f", sqlite3 -csv {theirs[-1][0]:.2f} s / {theirs[-1][1]:.2f} s"
                   if theirs else ""))
    finally:
        database.close()
    result: dict[str, Any] = {
        "ledger_rows": rows,
        "momentum_export_csv": summary(ours),
        "momentum_cli_command": summary(cli),
        "csv_bytes": ours_file.stat().st_size,
    }
    if theirs:
        result["sqlite3_csv"] = summary(theirs)
        result["ratio_wall"] = round(result["momentum_export_csv"]["wall_median_s"]
                                     / result["sqlite3_csv"]["wall_median_s"], 2)
        result["ratio_cpu"] = round(result["momentum_export_csv"]["cpu_median_s"]
                                    / result["sqlite3_csv"]["cpu_median_s"], 2)
        result["ratio_cli_wall"] = round(result["momentum_cli_command"]["wall_median_s"]
                                         / result["sqlite3_csv"]["wall_median_s"], 2)
        result["target"] = "momentum_export_csv <= 2 x sqlite3 -csv"
        result["target_met"] = result["ratio_wall"] <= 2.0 or result["ratio_cpu"] <= 2.0
        result["sqlite3_version"] = subprocess.run(
            [sqlite_cli, "--version"], capture_output=True, text=True, check=False
        ).stdout.split()[0]
    return result


# --- 2. Taskwarrior import -----------------------------------------------------------------

PROJECTS = ["Home", "Home.Garden", "Home.Kitchen", "Work", "Work.Reports", "Work.Hiring",
            "Health", "Learning.Spanish", "Finance", "Travel.Japan"]
WORDS = ["write", "review", "call", "email", "plan", "fix", "book", "pay", "read", "clean",
         "report", "budget", "garden", "tickets", "invoice", "slides", "dentist", "café",
         "日本語", "שלום", "🍅", "roadmap", "taxes", "newsletter"]
TAGS = ["next", "waiting", "errand", "phone", "computer", "someday", "urgent", "home"]


def taskwarrior_export(count: int, seed: int = 7) -> str:
    """A ``task export`` file (Taskwarrior 2.6's shape: one task per line in [ ])."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)

    def stamp(instant: datetime) -> str:
        return instant.strftime("%Y%m%dT%H%M%SZ")
    lines = []
    for number in range(1, count + 1):
        entry = start + timedelta(minutes=rng.randint(0, 500_000))
        roll = rng.random()
        status = "pending" if roll < 0.7 else "completed" if roll < 0.95 else "deleted"
        task: dict[str, Any] = {
            "id": number if status == "pending" else 0,
            "description": " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
            .capitalize() + f" #{number}",
            "entry": stamp(entry), "modified": stamp(entry + timedelta(hours=1)),
            "status": status,
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "urgency": round(rng.random() * 10, 3),
        }
        if rng.random() < 0.8:
            task["project"] = rng.choice(PROJECTS)
        if rng.random() < 0.6:
            task["priority"] = rng.choice("HML")
        if rng.random() < 0.6:
            task["due"] = stamp((entry + timedelta(days=rng.randint(1, 60))).replace(
                hour=0, minute=0, second=0))
        if rng.random() < 0.5:
            task["tags"] = rng.sample(TAGS, rng.randint(1, 3))
        if rng.random() < 0.15:
            task["annotations"] = [{"entry": stamp(entry + timedelta(minutes=5)),
                                    "description": "Note: " + rng.choice(WORDS)}]
        if status != "pending":
            task["end"] = stamp(entry + timedelta(days=rng.randint(0, 20)))
        lines.append(json.dumps(task, ensure_ascii=False, separators=(",", ":")))
    return "[\n" + ",\n".join(lines) + "\n]\n"


def task_home(work: Path, prefix: str = "tw-") -> tuple[Path, dict[str, str]]:
    """A fresh Taskwarrior home (its TASKDATA and taskrc) under ``work``, and the
    environment that points ``task`` at it."""
    home = Path(tempfile.mkdtemp(prefix=prefix, dir=work))
    (home / "data").mkdir()
    (home / "taskrc").write_text("confirmation=off\nverbose=nothing\nhooks=off\n")
    return home, {"HOME": str(home), "TASKDATA": str(home / "data"),
                  "TASKRC": str(home / "taskrc"), "PATH": os.environ.get("PATH", ""),
                  "LANG": "C.UTF-8"}


def timed_task_import(task_cli: str, source: Path, work: Path) -> tuple[float, float]:
    """(wall, CPU) of Taskwarrior's ``task import`` of ``source`` into a fresh TASKDATA."""
    home, tw_env = task_home(work)
    try:
        return timed_process([task_cli, "rc.confirmation=off", "import", str(source)],
                             env=tw_env)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def bench_taskwarrior(runs: int, work: Path) -> dict[str, Any]:
    task_cli = ensure_tool("task", "taskwarrior")
    source = work / f"taskwarrior-{TASKS}.json"
    source.write_text(taskwarrior_export(TASKS), encoding="utf-8")
    log(f"Taskwarrior import of {TASKS:,} tasks ({source.stat().st_size / 1e6:.1f} MB)")
    template = work / "template.sqlite3"
    open_database(template).close()
    ours_cli: list[tuple[float, float]] = []
    ours_call: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    counts: dict[str, int] = {}
    for run in range(runs):
        database_path = work / f"import-{run}.sqlite3"
        shutil.copyfile(template, database_path)
        env = {**os.environ, "MOMENTUM_NOW": NOW.isoformat()}
        ours_cli.append(timed_process(momentum_cli(
            "--db", str(database_path), "import", "--format", "taskwarrior", str(source)),
            env=env))
        database_path = work / f"import-call-{run}.sqlite3"
        shutil.copyfile(template, database_path)
        database = open_database(database_path)
        try:
            app = Momentum(database, FixedClock(NOW))
            holder: dict[str, Any] = {}
            ours_call.append(timed_call(lambda a=app, h=holder: h.update(
                result=import_file(a, "taskwarrior", source))))
            counts = holder["result"].counts
        finally:
            database.close()
        if task_cli:
            theirs.append(timed_task_import(task_cli, source, work))
        log(f"  run {run + 1}: momentum import {ours_cli[-1][0]:.2f} s wall / "
            f"{ours_cli[-1][1]:.2f} s CPU (in-process {ours_call[-1][0]:.2f} s)"
            + (f", task import {theirs[-1][0]:.2f} s / {theirs[-1][1]:.2f} s" if theirs
               else ""))
    result: dict[str, Any] = {"tasks": TASKS, "imported": counts,
                              "momentum_cli_command": summary(ours_cli),
                              "momentum_import_file": summary(ours_call)}
    if theirs:
        version = subprocess.run([task_cli, "--version"], capture_output=True, text=True,
                                 env={"HOME": str(work), "PATH": os.environ.get("PATH", "")},
                                 check=False)
        result["taskwarrior_import"] = summary(theirs)
        result["taskwarrior_version"] = version.stdout.strip()
        result["speedup_wall"] = round(result["taskwarrior_import"]["wall_median_s"]
                                       / result["momentum_cli_command"]["wall_median_s"], 2)
        result["speedup_cpu"] = round(result["taskwarrior_import"]["cpu_median_s"]
                                      / result["momentum_cli_command"]["cpu_median_s"], 2)
        result["speedup_import_wall"] = round(result["taskwarrior_import"]["wall_median_s"]
                                              / result["momentum_import_file"]["wall_median_s"],
                                              2)
        result["target"] = "momentum import faster than task import"
        result["target_met_import"] = result["speedup_import_wall"] > 1.0
        result["target_met_whole_command"] = result["speedup_wall"] > 1.0
    return result


# --- 3. listing: Momentum's task list against Taskwarrior's ------------------------------


def bench_listing(runs: int, work: Path) -> dict[str, Any]:
    """``momentum task list`` against ``task list`` on the same 10,000 imported tasks.

    Both tools import the same ``task export`` file once (untimed); then, interleaved,
    each lists its pending tasks, and lists those matching a word ("invoice"). Whole
    commands (process start included) and, for Momentum, the service call
    ``items.list_tasks`` in this process.
    """
    task_cli = ensure_tool("task", "taskwarrior")
    source = work / f"taskwarrior-{TASKS}.json"
    if not source.exists():
        source.write_text(taskwarrior_export(TASKS), encoding="utf-8")
    database_path = work / "listing.sqlite3"
    open_database(database_path).close()
    env = {**os.environ, "MOMENTUM_NOW": NOW.isoformat()}
    subprocess.run(momentum_cli("--db", str(database_path), "import", "--format",
                                "taskwarrior", str(source)), env=env, check=True,
                   capture_output=True)
    home, tw_env = task_home(work, "tw-list-")
    if task_cli:
        subprocess.run([task_cli, "rc.confirmation=off", "import", str(source)], env=tw_env,
                       check=True, capture_output=True)
    cases = {
        "pending": (momentum_cli("--db", str(database_path), "task", "list"),
                    [task_cli or "task", "list"], {"status": "open"}),
        "search 'invoice'": (momentum_cli("--db", str(database_path), "task", "list",
                                          "--search", "invoice"),
                             [task_cli or "task", "invoice", "list"],
                             {"status": "open", "search": "invoice"}),
    }
    database = open_database(database_path)
    app = Momentum(database, FixedClock(NOW))
    result: dict[str, Any] = {"tasks": TASKS}
    try:
        for name, (ours_args, theirs_args, call_args) in cases.items():
            ours: list[tuple[float, float]] = []
            call: list[tuple[float, float]] = []
            theirs: list[tuple[float, float]] = []
            shown = len(app.items.list_tasks(**call_args))
            timed_process(ours_args, env=env)  # warm-up (and the CLI's daily backup)
            if task_cli:
                timed_process(theirs_args, env=tw_env)
            for _ in range(runs):
                ours.append(timed_process(ours_args, env=env))
                call.append(timed_call(lambda a=call_args: app.items.list_tasks(**a)))
                if task_cli:
                    theirs.append(timed_process(theirs_args, env=tw_env))
            entry: dict[str, Any] = {"rows": shown, "momentum_cli_command": summary(ours),
                                     "momentum_list_tasks": summary(call)}
            if theirs:
                entry["taskwarrior"] = summary(theirs)
                entry["speedup_wall"] = round(entry["taskwarrior"]["wall_median_s"]
                                              / entry["momentum_cli_command"]["wall_median_s"],
                                              2)
                entry["speedup_call_wall"] = round(
                    entry["taskwarrior"]["wall_median_s"]
                    / entry["momentum_list_tasks"]["wall_median_s"], 2)
            log(f"  list {name}: momentum {entry['momentum_cli_command']['wall_median_s']} s "
                f"(list_tasks {entry['momentum_list_tasks']['wall_median_s']} s, "
                f"{shown} rows)" + (f", task {entry['taskwarrior']['wall_median_s']} s"
                                    if theirs else ""))
            result[name] = entry
    finally:
        database.close()
        shutil.rmtree(home, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-csv", action="store_true")
    parser.add_argument("--skip-taskwarrior", action="store_true")
    parser.add_argument("--skip-listing", action="store_true")
    parser.add_argument("--json-out", type=Path, default=OUT_DIR / "export_bench.json")
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(),
                                           "load_average": os.getloadavg()},
                               "python": sys.version.split()[0],
                               "sqlite": sqlite3.sqlite_version}
    with tempfile.TemporaryDirectory(prefix="export-bench-", dir=OUT_DIR) as folder:
        work = Path(folder)
        if not args.skip_csv:
            results["csv_export"] = bench_csv(args.runs, work)
        if not args.skip_taskwarrior:
            results["taskwarrior_import"] = bench_taskwarrior(args.runs, work)
        if not args.skip_listing:
            results["listing"] = bench_listing(args.runs, work)
    results["machine"]["load_average_after"] = os.getloadavg()
    args.json_out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
