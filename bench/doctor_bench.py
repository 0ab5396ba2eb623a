"""Doctor benchmark: folding the whole event log against a bare SQLite scan-and-insert.

``momentum doctor`` checks the file (``integrity_check`` + ``foreign_key_check``), then
loads the event log, folds it with the engine (``engine.step``, the code every completion
runs) from the empty state, and compares the result with the stored derived tables;
``--fix`` writes the fold in bulk. This module measures, on copies of the generated
histories (:mod:`bench.generate`):

1. **the bare baseline**: read every event with ``sqlite3`` and insert one derived row
   per event into a scratch table, in one transaction (WAL, ``synchronous=FULL``) — the
   least any rebuild has to do;
2. **the doctor**, phase by phase, with the functions ``DoctorService.run`` calls
   (integrity checks; load + fold; stored rows + compare; and for ``--fix`` the delete +
   bulk insert + commit), and the whole ``DoctorService.run(fix=True)`` on a damaged copy.

Target (the issue): the doctor over 1M events ≤ 3 × the bare baseline at 1M.

    .venv/bin/python -m bench.doctor_bench [--quick] [--sizes 10k 100k 1M] [--profile N]
                                           [--json PATH]
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
from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

from momentum_app.core.clock import FixedClock

from .generate import OUT_DIR, ensure_history, parse_size, size_label

WORK_DIR = OUT_DIR / "work"
#: Target: the rebuild at 1M events within this factor of the bare scan-and-insert.
MAX_RATIO = 3.0


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


# --- 2. the doctor, phase by phase -----------------------------------------------------------


def real_doctor(path: Path, *, fix: bool) -> dict[str, Any]:
    """``DoctorService.run``'s stages, each timed (wall and CPU seconds)."""
    from momentum_app.core import sqlite as sqlite_layer  # noqa: PLC0415
    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.core.services import doctor  # noqa: PLC0415

    database = open_database(path)
    phases: dict[str, tuple[float, float]] = {}
    try:
        with database.engine.connect() as connection:
            wall, cpu, problems = _timed(lambda: sqlite_layer.integrity_problems(connection))
        phases["integrity + foreign keys"] = (wall, cpu)
        with database.reading() as session:
            conn = session.connection()
            wall, cpu, folded = _timed(lambda: doctor.DoctorService._fold(conn))
            state, profiles, events = folded
            phases["load + fold"] = (wall, cpu)
            wall, cpu, differences = _timed(lambda: doctor.compare(
                doctor.stored_rows(conn), doctor.folded_rows(state, profiles)))
            phases["stored rows + compare"] = (wall, cpu)
        if fix:
            with database.transaction() as session:
                conn = session.connection()
                wall, cpu, _ = _timed(lambda: doctor.write_fold(conn, state, profiles))
                phases["delete + bulk insert"] = (wall, cpu)
                started, cpu_started = timer.perf_counter(), timer.process_time()
            phases["commit"] = (timer.perf_counter() - started,
                                timer.process_time() - cpu_started)
    finally:
        database.close()
    return {"events": events, "problems": problems, "differences": differences,
            "phases": {name: {"wall_s": round(w, 3), "cpu_s": round(c, 3)}
                       for name, (w, c) in phases.items()},
            "total_wall_s": round(sum(w for w, _ in phases.values()), 3),
            "total_cpu_s": round(sum(c for _, c in phases.values()), 3)}


PROFILE_FILTER = r"momentum_app|sqlalchemy/engine/(base|cursor|result)\.py"


def profile_doctor(path: Path) -> str:
    """cProfile of the doctor's load + fold + compare (what a report-only run does)."""
    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.core.services import doctor  # noqa: PLC0415

    database = open_database(path)
    out = StringIO()
    profiler = cProfile.Profile()
    try:
        with database.reading() as session:
            conn = session.connection()
            started = timer.perf_counter()
            profiler.enable()
            state, profiles, events = doctor.DoctorService._fold(conn)
            doctor.compare(doctor.stored_rows(conn), doctor.folded_rows(state, profiles))
            profiler.disable()
            elapsed = timer.perf_counter() - started
    finally:
        database.close()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"cProfile of the doctor (load + fold + compare), {events} events, "
              f"{elapsed:.1f} s under the profiler\n")
    stats.sort_stats("tottime").print_stats(PROFILE_FILTER, 25)
    return "\n".join(line for line in out.getvalue().splitlines()
                     if line.strip() and not line.startswith(("   Ordered", "   List")))


def damaged_fix(path: Path) -> dict[str, Any]:
    """The whole ``DoctorService.run(fix=True)`` on a copy whose ledger lost a row, and a
    second run that must find nothing."""
    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.core.services import Momentum  # noqa: PLC0415

    conn = connect(path)
    conn.execute("DELETE FROM ledger WHERE id = (SELECT MAX(id) FROM ledger)")
    conn.close()
    database = open_database(path)
    try:
        app = Momentum(database, FixedClock(datetime.now(UTC)))
        wall, cpu, report = _timed(lambda: app.doctor.run(fix=True))
        again = app.doctor.run()
    finally:
        database.close()
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "report": report.to_json(),
            "second_run_ok": again.ok}


def run(quick: bool, *, sizes: list[int] | None = None, baseline_runs: int | None = None,
        profile: bool = False) -> dict[str, Any]:
    """Everything above; returns a JSON-able dict (``rows`` for the bench table)."""
    started = timer.perf_counter()
    sizes = sizes or ([10_000, 100_000, 1_000_000])
    baseline_runs = baseline_runs or (3 if quick else 5)
    doctor_runs = 1 if quick else 3
    results: dict[str, Any] = {"sizes": {}, "load_average": [os.getloadavg()], "quick": quick}
    for events in sizes:
        history = ensure_history(events, log=log)
        label = size_label(events)
        entry: dict[str, Any] = {"events": events, "ledger_rows": history.rows.get("ledger")}
        path = work_copy(Path(history.path), f"doctor-{label}.sqlite3")
        try:
            base: list[tuple[float, float]] = []
            checks: list[dict[str, Any]] = []
            fixes: list[dict[str, Any]] = []
            for i in range(max(baseline_runs, doctor_runs)):
                if i < baseline_runs:
                    wall, cpu, count = _timed(lambda: bare_scan_insert(path))
                    base.append((wall, cpu))
                if i < doctor_runs:
                    checks.append(real_doctor(path, fix=False))
                    fixes.append(real_doctor(path, fix=True))
                log(f"  doctor bench {label}: baseline {wall:.2f} s"
                    + (f"; doctor check {checks[-1]['total_wall_s']:.2f} s, check + fix "
                       f"{fixes[-1]['total_wall_s']:.2f} s" if i < doctor_runs else ""))
            entry["baseline"] = {"wall_median_s": round(statistics.median(w for w, _ in base), 3),
                                 "cpu_median_s": round(statistics.median(c for _, c in base), 3),
                                 "runs": len(base), "rows": count}
            for name, runs in (("check", checks), ("fix", fixes)):
                entry[name] = {
                    "wall_median_s": round(statistics.median(r["total_wall_s"] for r in runs), 3),
                    "cpu_median_s": round(statistics.median(r["total_cpu_s"] for r in runs), 3),
                    "runs": len(runs), "last": runs[-1]}
            entry["differences_as_generated"] = checks[0]["differences"]
            entry["differences_after_fix"] = real_doctor(path, fix=False)["differences"]
            entry["damaged_fix"] = damaged_fix(path)
            if profile and events == max(sizes):
                entry["doctor_profile"] = profile_doctor(path)
        finally:
            remove(path)
        results["sizes"][label] = entry
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
    target = f"<= {MAX_RATIO:g}x"
    for label, entry in sizes.items():
        base = entry["baseline"]["wall_median_s"]
        is_big = entry is largest
        rows.append(_row(f"bare scan+insert baseline, {label} events", base,
                         note=f"cpu {entry['baseline']['cpu_median_s']} s; "
                              f"{entry['baseline']['runs']} runs"))
        for name, what in (("check", "momentum doctor (report)"),
                           ("fix", "momentum doctor --fix (rebuild written)")):
            value = entry[name]["wall_median_s"]
            phases = entry[name]["last"]["phases"]
            ratio = value / base
            rows.append(_row(
                f"{what}, {label}", value, reference=f"baseline {label}", ratio=round(ratio, 2),
                target=target if is_big else "", met=ratio <= MAX_RATIO if is_big else None,
                note="; ".join(f"{phase} {p['wall_s']} s" for phase, p in phases.items())
                     + f"; differences as generated: "
                       f"{entry['differences_as_generated'] or 'none'}"))
        damaged = entry["damaged_fix"]
        rows.append(_row(f"doctor --fix on a copy missing a ledger row, {label}",
                         damaged["wall_s"], note=f"found {damaged['report']['differences']}; "
                         f"second run ok: {damaged['second_run_ok']}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.doctor_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--sizes", nargs="+", help="sizes (default 10k 100k 1M)")
    parser.add_argument("--runs", type=int, help="baseline runs per size")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile the doctor at the largest size")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    results = run(args.quick,
                  sizes=[parse_size(s) for s in args.sizes] if args.sizes else None,
                  baseline_runs=args.runs, profile=args.profile)
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
