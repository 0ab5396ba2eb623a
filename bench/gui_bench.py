"""Window benchmark: cold start, memory and Tasks-view filtering on 100,000 tasks.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_bench.py [--tasks 100000] [--runs 5]

1. Builds a database with N tasks quickly: the real schema (migrated by ``open_database``),
   then bulk ``INSERT``s through SQLAlchemy Core into ``tasks`` (not through the engine:
   points do not matter here, volume does).
2. Cold start to the first painted window, in fresh processes: the real command
   (``python -m momentum_app --db FILE`` with ``MOMENTUM_STARTUP_PROBE=1``) on that
   database versus a bare PySide6 ``QMainWindow`` (same interpreter, same platform
   plugin); seconds from the process's start (``/proc``) to its first paint, the median
   of ``--runs`` launches each, and their ratio; the process's CPU seconds at that paint
   (the figure to read when the machine is loaded); resident memory (VmRSS) at first
   paint. Both run with the bytecode cache on (``PYTHONDONTWRITEBYTECODE`` removed), as an
   installed Momentum does: with it off, every launch compiled the app's ~120 modules
   again (~0.3 s of CPU). ``--baseline-src DIR`` also launches the Momentum whose sources
   are in ``DIR`` (e.g. ``git archive main | tar -x -C DIR``), interleaved with the other
   two, for a before/after in the same run.
3. Tasks-view latency over the N tasks: the time from changing a filter (search text,
   project, status, sort order) to the table holding its first page, through the view's
   real path (background worker, then model reset and repaint); median of ``--runs``.

Prints a table, or JSON with ``--json``; ``--starts-only`` skips part 3.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROJECTS = ("Work", "Home", "Health", "Learning", "Errands", "Side project", "Garden",
            "Finance", "Travel", "Reading")
WORDS = ("report", "invoice", "review", "email", "plan", "call", "draft", "fix", "order",
         "book", "clean", "update", "prepare", "send", "check", "write", "read", "buy")
OBJECTS = ("slides", "budget", "client", "kitchen", "tests", "garage", "roadmap", "tickets",
           "library books", "release notes", "taxes", "train tickets", "groceries")
CHUNK = 10_000
#: Child-side marks (seconds after the interpreter started the script) per launch.


# -- the database --------------------------------------------------------------------------

def build_database(path: Path, count: int, seed: int = 7) -> float:
    """Create ``path`` with ``count`` tasks; returns the seconds it took."""
    from sqlalchemy import insert

    from momentum_app.core.clock import SystemClock
    from momentum_app.core.db import open_database
    from momentum_app.core.models import Task
    from momentum_app.core.services import Momentum

    started = time.perf_counter()
    database = open_database(path)
    momentum = Momentum(database, SystemClock())
    for name in PROJECTS:
        momentum.projects.add(name)
    project_ids = [p.id for p in momentum.projects.list()]
    profile_id = momentum.profile_id
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    today = now.date()
    with database.engine.begin() as connection:
        for first in range(0, count, CHUNK):
            rows: list[dict[str, Any]] = []
            for number in range(first, min(count, first + CHUNK)):
                done = rng.random() < 0.2
                due: date | None = today + timedelta(days=rng.randint(-200, 200)) \
                    if rng.random() < 0.7 else None
                created = now - timedelta(minutes=rng.randint(0, 600_000))
                rows.append({
                    "profile_id": profile_id, "project_id": rng.choice(project_ids),
                    "goal_id": None, "repeat_rule": None, "deleted_at": None,
                    "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(OBJECTS)} "
                             f"#{number}",
                    "notes": "" if rng.random() < 0.9 else "Remember the details",
                    "complexity": rng.randint(1, 5), "due_date": due,
                    "status": "done" if done else "open",
                    "completed_at": created + timedelta(days=1) if done else None,
                    "created_at": created, "updated_at": created,
                })
            connection.execute(insert(Task.__table__), rows)
    database.close()
    return time.perf_counter() - started


def analyze(path: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


# -- child processes: one launch each -------------------------------------------------------

def child_bare() -> int:
    """A bare window: print ``painted <seconds since start> <rss KiB>`` at its first paint."""
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from momentum_app.gui.startup_probe import FirstPaintProbe

    app = QApplication(["bench"])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1280, 820)
    FirstPaintProbe(window)
    window.show()
    return int(app.exec())


Mark = tuple[float, int, float]  # seconds since the process started, RSS KiB, CPU seconds


def bench_env(config: Path) -> dict[str, str]:
    """The launches' environment: the probe on, a throw-away config folder, the bytecode
    cache on (as installed)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONDONTWRITEBYTECODE", "MOMENTUM_NOW")}
    return {**env, "MOMENTUM_STARTUP_PROBE": "1", "XDG_CONFIG_HOME": str(config),
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def launch(mode: str, db: Path, src: Path | None = None, timeout: float = 120
           ) -> dict[str, Mark]:
    """One cold start: ``{"painted": (seconds, RSS KiB, CPU s), "ready": (...)}``.

    Momentum is launched exactly as a person does (``python -m momentum_app --db FILE``,
    the ``momentum`` command) with ``MOMENTUM_STARTUP_PROBE=1``: "painted" is the first
    paint of its startup window, "ready" the first paint of the real window (database
    open, Today shown), both in seconds since the process started. The bare window has
    one paint (ready = painted). Window settings go to a throw-away config folder. With
    ``src``, the Momentum whose sources are in that folder is launched (run from it, so
    its ``momentum_app`` is found before the installed one).
    """
    config = Path(tempfile.mkdtemp(prefix="momentum-bench-config-"))
    env = bench_env(config)
    command = ([sys.executable, __file__, "--child", "bare"] if mode == "bare"
               else [sys.executable, "-m", "momentum_app", "--db", str(db)])
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env,
                              timeout=timeout, check=False, cwd=src)
    finally:
        shutil.rmtree(config, ignore_errors=True)
    marks: dict[str, Mark] = {}
    for line in done.stdout.splitlines():
        label, _, rest = line.partition(" ")
        if label in ("painted", "ready"):
            seconds, kib, cpu = (rest.split() + ["nan"])[:3]  # older probes: no CPU
            marks[label] = (float(seconds), int(kib), float(cpu))
    if "painted" not in marks:
        raise RuntimeError(f"{mode} launch failed: {done.stderr[-2000:]}")
    marks.setdefault("ready", marks["painted"])
    return marks


def cold_starts(db: Path, runs: int, baseline_src: Path | None = None) -> dict[str, Any]:
    """Bare window and Momentum (and the baseline sources, if given), alternated, after one
    warm-up launch of each (so every measured launch finds the file in the page cache and
    its bytecode cached); medians and ratios."""
    modes = ["bare", "momentum"] + (["baseline"] if baseline_src is not None else [])

    def one(mode: str, timeout: float = 120) -> dict[str, Mark]:
        if mode == "baseline":
            return launch("momentum", db, baseline_src, timeout)
        return launch(mode, db, timeout=timeout)

    # The warm-ups: the first launch on a file also makes the day's backup, with its full
    # integrity check (docs/RELIABILITY.md) — minutes on a large file under load.
    warm_ups = {mode: one(mode, timeout=1800) for mode in modes}
    seen: dict[str, list[dict[str, Mark]]] = {mode: [] for mode in modes}
    for _ in range(runs):
        for mode in modes:
            seen[mode].append(one(mode))

    def median(mode: str, mark: str, part: int) -> float:
        return statistics.median(run[mark][part] for run in seen[mode])

    bare_s, bare_cpu = median("bare", "painted", 0), median("bare", "painted", 2)
    report: dict[str, Any] = {"runs": runs, "launches": seen,
                              "start_bare_s": round(bare_s, 3),
                              "cpu_bare_s": round(bare_cpu, 3),
                              # the first launch of the day on this file (the backup made)
                              "first_ready_momentum_s": warm_ups["momentum"]["ready"][0],
                              "first_cpu_ready_s": warm_ups["momentum"]["ready"][2]}
    for mode, prefix in (("momentum", ""), ("baseline", "baseline_")):
        if mode not in seen:
            continue
        painted_s, ready_s = median(mode, "painted", 0), median(mode, "ready", 0)
        painted_cpu, ready_cpu = median(mode, "painted", 2), median(mode, "ready", 2)
        report.update({
            f"{prefix}start_momentum_s": round(painted_s, 3),
            f"{prefix}ready_momentum_s": round(ready_s, 3),
            f"{prefix}start_ratio": round(painted_s / bare_s, 2),
            f"{prefix}ready_ratio": round(ready_s / bare_s, 2),
            f"{prefix}cpu_painted_s": round(painted_cpu, 3),
            f"{prefix}cpu_ready_s": round(ready_cpu, 3),
            f"{prefix}cpu_ready_ratio": round(ready_cpu / bare_cpu, 2),
            f"{prefix}rss_momentum_painted_mib": round(median(mode, "painted", 1) / 1024, 1),
            # the memory target is judged with everything loaded: at the real window's paint
            f"{prefix}rss_momentum_mib": round(median(mode, "ready", 1) / 1024, 1),
        })
    report["rss_bare_mib"] = round(median("bare", "painted", 1) / 1024, 1)
    return report


# -- filter latency, in this process --------------------------------------------------------

def filter_latencies(db: Path, runs: int) -> dict[str, float]:
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from momentum_app.core.clock import SystemClock
    from momentum_app.core.db import open_database
    from momentum_app.gui.app import compose, ensure_application
    from momentum_app.gui.settings import settings_at

    ensure_application()
    database = open_database(db)
    composition = compose(database, SystemClock(),
                          settings=settings_at(Path(tempfile.mkdtemp()) / "bench.ini"),
                          animations=False)
    window = composition.window
    window.resize(1280, 820)
    window.show()
    view = window.show_view("tasks")
    assert view is not None
    model = view.model  # type: ignore[attr-defined]

    # Wait as the window does: in a running event loop (which releases Python's GIL while
    # idle, so the worker thread runs as in the app), checking the condition every 1 ms.
    # Blocking on the worker, or spinning processEvents() (which keeps the GIL), would
    # distort the timing of work shared between the two threads.
    def wait_for(predicate: Any) -> None:
        if predicate():
            return
        loop, timer = QEventLoop(), QTimer()
        deadline = time.perf_counter() + 30

        def check() -> None:
            if predicate() or time.perf_counter() > deadline:
                loop.quit()

        timer.timeout.connect(check)
        timer.start(1)
        loop.exec()
        timer.stop()
        if not predicate():
            raise TimeoutError(f"resets {reset[-3:]}, paints {painted[-3:]}, "
                               f"query {model.query}, visible {view.table.isVisible()}")

    painted: list[float] = []  # ends of paints of the table's rows

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, lambda: painted.append(time.perf_counter()))
            return False

    watch = PaintWatch()
    view.table.viewport().installEventFilter(watch)
    reset: list[float] = []  # when the model took the new rows
    model.modelReset.connect(lambda: reset.append(time.perf_counter()))
    wait_for(lambda: model.loaded > 0)
    cases: dict[str, Any] = {
        "search 'invoice' (many matches)": lambda: view.search.setText("invoice"),
        "search '#99999' (one match)": lambda: view.search.setText("#99999"),
        "search 'no such text' (none)": lambda: view.search.setText("no such text"),
        "project 'Garden'": lambda: view.set_project_filter("Garden"),
        "status done": lambda: view.status.button("done").click(),
        "status all, all projects": lambda: view.status.button("all").click(),
    }
    results: dict[str, float] = {}
    for name, change in cases.items():
        timings = []
        for _ in range(runs):
            view.search.setText("")
            view.set_project_filter(None)
            view.status.button("open").click()
            wait_for(lambda: not composition.ctx.worker.busy)
            view._search_timer.stop()  # noqa: SLF001 (measure the query, not the debounce)
            settle = QEventLoop()  # let the reset's own repaints happen before timing
            QTimer.singleShot(30, settle.quit)
            settle.exec()
            painted.clear()
            reset.clear()
            started = time.perf_counter()
            change()
            view._apply_filters()  # noqa: SLF001
            target = view.current_query()
            wait_for(lambda t=target: model.query == t and not composition.ctx.worker.busy)
            if view.table.isVisible():  # then the first paint of the rows that arrived
                wait_for(lambda: any(at > reset[-1] for at in painted))
                timings.append(min(at for at in painted if at > reset[-1]) - started)
            else:  # no match: the empty state replaced the table
                QApplication.processEvents()
                timings.append(time.perf_counter() - started)
        results[name] = statistics.median(timings)
        # the first of the runs: rows never shown before (no laid-out text to reuse)
        results[f"{name}, first time"] = timings[0]
    stall, arrival = [], []
    for _ in range(runs):
        view.status.button("all").click()
        view._apply_filters()  # noqa: SLF001
        wait_for(lambda: model.query.status == "all" and not composition.ctx.worker.busy)
        loaded = model.loaded
        started = time.perf_counter()
        view.table.scrollToBottom()
        QApplication.processEvents()
        stall.append(time.perf_counter() - started)
        wait_for(lambda n=loaded: model.loaded > n)
        arrival.append(time.perf_counter() - started)
    results["scroll to the end: UI thread busy for"] = statistics.median(stall)
    results["scroll to the end: next 200 rows shown after"] = statistics.median(arrival)
    composition.close()
    database.close()
    return results


# -- main -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--analyze", action="store_true",
                        help="run SQLite's ANALYZE on the database first (what a "
                             "'PRAGMA optimize' in the core would give)")
    parser.add_argument("--baseline-src", type=Path,
                        help="also launch the Momentum whose sources are in this folder "
                             "(e.g. `git archive main`), interleaved: before/after")
    parser.add_argument("--db", type=Path,
                        help="launch on this database (e.g. one an earlier run built with "
                             "bench/gui_bench.py's build_database) instead of building one")
    parser.add_argument("--starts-only", action="store_true",
                        help="cold starts only (skip the Tasks-view filter latencies)")
    parser.add_argument("--child", choices=("bare",), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_bare()

    folder = Path(tempfile.mkdtemp(prefix="momentum-gui-bench-"))
    db = args.db or folder / "bench.sqlite3"
    try:
        build_seconds = 0.0 if args.db else build_database(db, args.tasks)
        if args.analyze:
            analyze(db)
        load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
        starts = cold_starts(db, args.runs, args.baseline_src)
        latencies = {} if args.starts_only else filter_latencies(db, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # 100k tasks: ~30 MB
    report = {
        "tasks": args.tasks, "runs": args.runs, "build_seconds": round(build_seconds, 2),
        **{key: value for key, value in starts.items() if key != "launches"},
        "filter_ms": {name: round(seconds * 1000, 1) for name, seconds in latencies.items()},
        "analyzed": args.analyze,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "load_average_before": load_before,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"database: {args.tasks:,} tasks built in {report['build_seconds']} s")
    print(f"cold start to first paint (median of {args.runs}):")
    print(f"  bare PySide6 window   {report['start_bare_s']:.3f} s   "
          f"RSS {report['rss_bare_mib']} MiB")
    print(f"  Momentum, first paint {report['start_momentum_s']:.3f} s   "
          f"RSS {report['rss_momentum_painted_mib']} MiB   ratio {report['start_ratio']}×")
    print(f"  Momentum, ready       {report['ready_momentum_s']:.3f} s   "
          f"RSS {report['rss_momentum_mib']} MiB   ratio {report['ready_ratio']}×")
    print(f"  CPU at the paint: bare {report['cpu_bare_s']:.3f} s, Momentum ready "
          f"{report['cpu_ready_s']:.3f} s   ratio {report['cpu_ready_ratio']}×")
    if "baseline_ready_momentum_s" in report:
        print(f"  baseline ({args.baseline_src}): first paint "
              f"{report['baseline_start_momentum_s']:.3f} s, ready "
              f"{report['baseline_ready_momentum_s']:.3f} s ({report['baseline_ready_ratio']}×), "
              f"CPU {report['baseline_cpu_ready_s']:.3f} s ({report['baseline_cpu_ready_ratio']}×)")
    print("Tasks view, filter change to first page shown (median):")
    for name, ms in report["filter_ms"].items():
        print(f"  {name:<48} {ms:8.1f} ms")
    print(f"(ANALYZE run first: {args.analyze}; load average: {report['load_average']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
