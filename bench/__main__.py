"""``python -m bench [--quick]``: every Momentum benchmark in one run, one table.

Runs, in this order, each on generated data (:mod:`bench.generate`, cached in
``bench/out/``), and prints one table of figures, ratios, targets and verdicts:

========== ====================================================================
engine     one completion (rules + commit) at 10k, 100k and 1M events, against a
           recount of history; ``synchronous=FULL`` (the app) against ``NORMAL``
           (:mod:`bench.engine`)
gui        cold start to the first painted window against a bare PySide6 window,
           resident memory, Tasks-view filters over 100,000 tasks
           (``bench/gui_bench.py``, run as a subprocess with ``--json``)
bigdb      the same cold start and memory on the 1M-event history (the big database),
           through ``gui_bench.launch``
dashboard  dashboard refresh with 1M ledger rows (``bench/dashboard_bench.py``, when
           present)
doctor     ``momentum doctor`` (the engine's fold of the whole log, compare, ``--fix``)
           against a bare SQLite scan-and-insert (:mod:`bench.doctor_bench`)
export     CSV export of 1M ledger rows against ``sqlite3 -csv``; Taskwarrior import and
           listing against ``task`` (:mod:`bench.export_bench`)
cli        whole ``momentum`` commands at 100,000 tasks against ``python -c pass``
           and Taskwarrior's ``task list`` on the same tasks (:mod:`bench.cli_bench`)
========== ====================================================================

After the table, the four speed targets of issue 14 are printed on their own: the
completion at 1M (≤ 3 ms and ≤ 2.5x the same SQL + COMMIT bare), ``doctor`` at the
largest size (≤ 3x a bare scan + insert), every CLI command at 100k tasks (≤ 150 ms) and
the real window ready (≤ 3x a bare PySide6 window).

``--quick`` (a few minutes once the histories are cached) uses fewer repetitions and
runs the ORM doctor at 10k only; the full run measures it at 10k and 100k and the
prototype at 1M too. Results go to ``bench/out/bench-quick.json`` / ``bench-full.json``;
``docs/BENCHMARKS.md`` records them.

    .venv/bin/python -m bench [--quick] [--only engine doctor ...] [--skip gui ...]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
SECTIONS = ("engine", "gui", "bigdb", "dashboard", "doctor", "export", "cli")


@dataclass
class Row:
    """One line of the table: a figure, what it is compared with, and the verdict."""

    group: str
    name: str
    value: float | None
    unit: str
    reference: str = ""  # what the ratio divides by
    ratio: float | None = None
    target: str = ""
    met: bool | None = None  # None: no target for this line
    note: str = ""


def log(message: str) -> None:
    print(message, flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kib = 0
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    cli = shutil.which("sqlite3")
    versions = {}
    for package in ("PySide6_Essentials", "SQLAlchemy", "alembic"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT,
                              check=False).stdout.strip()

    dirty = [line[3:] for line in git("status", "--porcelain").splitlines()
             if line[3:].startswith("momentum_app/")]
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_app_files": len(dirty),  # others edit the app while benchmarks run
        "nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(memory_kib / 1024 ** 2, 1),
        "kernel": platform.release(), "python": platform.python_version(),
        "sqlite_module": sqlite3.sqlite_version,
        "sqlite_cli": subprocess.run([cli, "--version"], capture_output=True, text=True,
                                     check=False).stdout.split()[0] if cli else None,
        **versions,
    }


# --- sections ---------------------------------------------------------------------------------


def engine_rows(quick: bool, results: dict[str, Any]) -> list[Row]:
    from bench import engine

    data = engine.run([10_000, 100_000, 1_000_000], reps=50 if quick else 200,
                      baseline_reps=5 if quick else 30, warmup=5, keep=False,
                      diagnose_completions=0, sync_compare=True)
    results["engine"] = data
    print(data["table"])
    rows = []
    reference = data["rows"][0]
    for entry in data["rows"]:
        largest = entry is data["rows"][-1]
        rows.append(Row("engine", f"completion (rules + commit), {entry['size']} events",
                        entry["incremental_median_ms"], "ms",
                        f"same, {reference['size']}", entry["ratio_vs_smallest"],
                        f"<= {engine.MAX_RATIO}x" if largest else "",
                        entry["ratio_vs_smallest"] <= engine.MAX_RATIO if largest else None,
                        f"p90 {entry['incremental_p90_ms']} ms; cpu "
                        f"{entry['incremental_cpu_median_ms']} ms "
                        f"({entry['cpu_ratio_vs_smallest']}x)"))
    for entry in data["rows"]:
        largest = entry is data["rows"][-1]
        rows.append(Row("engine", f"recount baseline, {entry['size']} events",
                        entry["baseline_median_ms"], "ms", f"completion, {entry['size']}",
                        entry["speedup"], f">= {engine.MIN_SPEEDUP:.0f}x" if largest else "",
                        entry["speedup"] >= engine.MIN_SPEEDUP if largest else None,
                        f"ratio = speed-up of the engine; cpu speed-up {entry['cpu_speedup']}x"))
    largest = data["rows"][-1]
    rows.append(Row("engine", f"completion, {largest['size']} events (issue 14)",
                    largest["incremental_median_ms"], "ms", "", None,
                    f"<= {engine.MAX_COMPLETION_MS:g} ms",
                    largest["incremental_median_ms"] <= engine.MAX_COMPLETION_MS,
                    f"cpu {largest['incremental_cpu_median_ms']} ms"))
    if largest.get("bare_ratio") is not None:
        rows.append(Row("engine", f"completion against its own SQL + COMMIT bare, "
                        f"{largest['size']}", largest["incremental_median_ms"], "ms",
                        f"bare sqlite3 replay ({largest['bare_median_ms']} ms)",
                        largest["bare_ratio"], f"<= {engine.MAX_BARE_RATIO:g}x",
                        largest["bare_ratio"] <= engine.MAX_BARE_RATIO,
                        f"bare cpu {largest['bare_cpu_median_ms']} ms"))
    if "sync" in data:
        sync = data["sync"]
        rows.append(Row("engine", f"completion with synchronous=NORMAL, {sync['size']}",
                        sync["normal_median_ms"], "ms", f"synchronous=FULL (app), {sync['size']}",
                        round(sync["normal_median_ms"] / sync["full_median_ms"], 2), "", None,
                        f"FULL {sync['full_median_ms']} ms; FULL costs "
                        f"{sync['full_minus_normal_ms']:+.2f} ms per commit"))
    return rows


def _json_from(stdout: str) -> dict[str, Any]:
    """The JSON document a benchmark printed (possibly after log lines)."""
    try:
        parsed: dict[str, Any] = json.loads(stdout)
        return parsed
    except json.JSONDecodeError:
        start = stdout.find("\n{")
        parsed = json.loads(stdout[start + 1:] if start >= 0 else stdout)
        return parsed


def gui_rows(quick: bool, results: dict[str, Any]) -> list[Row]:
    """bench/gui_bench.py (owned elsewhere) as a subprocess: its --json report."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "gui_bench.py"), "--json",
                           "--tasks", "100000", "--runs", "3" if quick else "5"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"gui_bench.py failed ({done.returncode}): {done.stderr[-1500:]}")
    report = _json_from(done.stdout)
    results["gui"] = report
    rows = cold_start_rows("gui", "100k tasks", report)
    for name, ms in report["filter_ms"].items():
        is_filter = not name.startswith("scroll")
        rows.append(Row("gui", f"Tasks view, 100k tasks: {name}", ms, "ms", "", None,
                        "<= 30 ms" if is_filter else "", ms <= 30 if is_filter else None,
                        "filter change to first page painted" if is_filter else ""))
    return rows


def bigdb_rows(quick: bool, results: dict[str, Any]) -> list[Row]:
    """Cold start and memory on the 1M-event history, via gui_bench.launch()."""
    from bench import gui_bench
    from bench.generate import ensure_history

    history = ensure_history(1_000_000, log=log)
    work = OUT_DIR / "work"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "gui-1M.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(history.path, db)  # the window may write (stats, lock file)
    runs = 3 if quick else 5
    try:
        report = gui_bench.cold_starts(db, runs)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        for lock in [*work.glob("gui-1M.sqlite3*.lock"), work / ".gui-1M.sqlite3.in-use"]:
            lock.unlink(missing_ok=True)
    results["bigdb"] = {"events": history.events, "file_bytes": history.file_bytes, **report}
    return cold_start_rows("bigdb", "1M events, 1.5 GB", report)


def cold_start_rows(section: str, what: str, report: dict[str, Any]) -> list[Row]:
    """First paint (the target), ready, and memory with everything loaded."""
    bare_ms = report["start_bare_s"] * 1000
    extra = report["rss_momentum_mib"] - report["rss_bare_mib"]
    return [
        Row(section, f"cold start to first paint, Momentum ({what})",
            report["start_momentum_s"] * 1000, "ms", "bare PySide6 window",
            report["start_ratio"], "<= 2.5x", report["start_ratio"] <= 2.5,
            f"bare {bare_ms:.0f} ms; the real command; its startup window"),
        Row(section, f"cold start until ready, Momentum ({what})",
            report["ready_momentum_s"] * 1000, "ms", "bare PySide6 window",
            report["ready_ratio"], "<= 3x", report["ready_ratio"] <= 3,
            "the real window painted: database open, Today shown"),
        Row(section, f"resident memory when ready, Momentum ({what})",
            report["rss_momentum_mib"], "MiB", "bare window",
            round(report["rss_momentum_mib"] / report["rss_bare_mib"], 2), "<= bare + 80 MB",
            extra * 1.048576 <= 80,
            f"bare {report['rss_bare_mib']} MiB; +{extra:.1f} MiB (= {extra * 1.048576:.1f} MB)"),
    ]



def dashboard_rows(quick: bool, results: dict[str, Any]) -> list[Row]:
    """bench/dashboard_bench.py (owned elsewhere) as a subprocess: its --json file."""
    script = ROOT / "bench" / "dashboard_bench.py"
    if not script.exists():
        results["dashboard"] = {"missing": True}
        return [Row("dashboard", "dashboard refresh, 1M ledger rows", None, "ms", "", None,
                    "<= 100 ms", None, "bench/dashboard_bench.py is not there yet: slot left "
                    "open (python -m bench.dashboard_bench --json FILE is called when it is)")]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory(prefix="dashboard-") as folder:
        out = Path(folder) / "dashboard.json"
        done = subprocess.run([sys.executable, "-m", "bench.dashboard_bench", "--events", "1M",
                               "--runs", "7" if quick else "15", "--json", str(out)],
                              capture_output=True, text=True, cwd=ROOT, env=env, check=False)
        print(done.stdout)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"dashboard_bench failed ({done.returncode}): "
                               f"{done.stderr[-1500:]}")
        report = json.loads(out.read_text())
    results["dashboard"] = report
    rows = []
    for days, measures in report.get("ranges", {}).items():
        for name, figures in measures.items():
            targeted = name.startswith("refresh")
            rows.append(Row(
                "dashboard", f"dashboard {name}, {days}-day range, 1M events",
                figures["median_ms"], "ms", "", None, "<= 100 ms" if targeted else "",
                figures["median_ms"] <= 100 if targeted else None,
                f"{report.get('ledger_rows', 0):,} ledger rows; p90 {figures['p90_ms']:.1f} ms, "
                f"cpu {figures['cpu_median_ms']:.1f} ms"))
    if not rows:  # an interface this module does not know: show every number
        rows = [Row("dashboard", name, value, "", "", None, "", None)
                for name, value in _numbers(report)]
    return rows


def _numbers(data: Any, prefix: str = "") -> list[tuple[str, float]]:
    """Numeric leaves of a JSON document, as (dotted name, value)."""
    if isinstance(data, dict):
        found = []
        for key, value in data.items():
            found += _numbers(value, f"{prefix}.{key}" if prefix else str(key))
        return found
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return [(prefix, float(data))]
    return []


def doctor_rows(quick: bool, results: dict[str, Any]) -> list[Row]:
    from bench import doctor_bench

    data = doctor_bench.run(quick, profile=not quick)
    results["doctor"] = data
    for entry in data["sizes"].values():
        if "doctor_profile" in entry:
            print(entry["doctor_profile"])
    return [Row(**row) for row in data["rows"]]


def export_rows(quick: bool, results: dict[str, Any]) -> list[Row]:
    from bench import export_bench

    runs = 2 if quick else 5
    data: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="export-bench-", dir=OUT_DIR) as folder:
        work = Path(folder)
        data["csv_export"] = export_bench.bench_csv(runs, work)
        data["taskwarrior_import"] = export_bench.bench_taskwarrior(runs, work)
        data["listing"] = export_bench.bench_listing(runs, work)
    results["export"] = data
    rows = []
    csv = data["csv_export"]
    ours = csv["momentum_export_csv"]
    if "sqlite3_csv" in csv:
        theirs = csv["sqlite3_csv"]
        rows.append(Row("export", f"CSV export of {csv['ledger_rows']:,} ledger rows "
                        "(export_csv)", ours["wall_median_s"], "s", "sqlite3 -csv",
                        csv["ratio_wall"], "<= 2x", csv["ratio_wall"] <= 2.0,
                        f"sqlite3 -csv {theirs['wall_median_s']} s; cpu ratio {csv['ratio_cpu']}x"))
        rows.append(Row("export", "CSV export, whole `momentum export` command",
                        csv["momentum_cli_command"]["wall_median_s"], "s", "sqlite3 -csv",
                        csv["ratio_cli_wall"], "", None, "interpreter start-up included"))
    tw = data["taskwarrior_import"]
    if "taskwarrior_import" in tw:
        theirs = tw["taskwarrior_import"]["wall_median_s"]
        call = tw["momentum_import_file"]["wall_median_s"]
        cli = tw["momentum_cli_command"]["wall_median_s"]
        rows.append(Row("export", f"Taskwarrior import of {tw['tasks']:,} tasks (import_file)",
                        call, "s", "task import", round(call / theirs, 2), "< 1x (faster)",
                        call < theirs, f"task import {theirs} s"))
        rows.append(Row("export", "Taskwarrior import, whole `momentum import` command", cli,
                        "s", "task import", round(cli / theirs, 2), "< 1x (faster)",
                        cli < theirs, "interpreter start-up and imports included"))
    listing = data["listing"]
    for case in ("pending", "search 'invoice'"):
        entry = listing.get(case)
        if not entry or "taskwarrior" not in entry:
            continue
        theirs = entry["taskwarrior"]["wall_median_s"]
        cli = entry["momentum_cli_command"]["wall_median_s"]
        call = entry["momentum_list_tasks"]["wall_median_s"]
        rows.append(Row("export", f"list {case} ({entry['rows']:,} rows), `momentum task list`",
                        cli, "s", "task list", round(cli / theirs, 2), "< 1x (faster)",
                        cli < theirs, f"task {theirs} s"))
        rows.append(Row("export", f"list {case}, items.list_tasks in process", call, "s",
                        "task list", round(call / theirs, 2), "< 1x (faster)", call < theirs,
                        ""))
    return rows


def cli_rows(quick: bool, results: dict[str, Any]) -> list[Row]:
    from bench import cli_bench

    data = cli_bench.run(3 if quick else 7)
    results["cli"] = data
    print(cli_bench.table(data))
    rows = []
    for entry in data["rows"]:
        tw = entry["vs_taskwarrior_list"]
        rows.append(Row("cli", f"`{entry['command']}`, {data['tasks']:,} tasks",
                        entry["wall_median_ms"], "ms", "python -c pass",
                        entry["vs_python_pass"], entry["target"], entry["met"],
                        f"cpu {entry['cpu_median_ms']} ms; {entry['lines']:,} lines"
                        + (f"; {tw}x Taskwarrior's task list" if tw else "")))
    return rows


#: Issue 14's four targets: (section, what a row's name starts with) per target.
ISSUE_14 = (("completion at 1M: <= 3 ms", "engine", "completion, "),
            ("completion at 1M: <= 2.5x its SQL + COMMIT bare", "engine",
             "completion against its own SQL"),
            ("doctor at the largest size: <= 3x bare scan + insert", "doctor",
             "momentum doctor (report)"),
            ("every CLI command at 100k tasks: <= 150 ms", "cli", "`momentum "),
            ("the real window ready: <= 3x a bare PySide6 window", "gui",
             "cold start until ready"))


def issue_14_summary(rows: list[Row]) -> str:
    """The four speed targets of issue 14, each with its figure, ratio and verdict."""
    out = ["issue 14 targets:"]
    for title, group, prefix in ISSUE_14:
        found = [r for r in rows if r.group == group and r.name.startswith(prefix)
                 and r.met is not None]
        if not found:
            out.append(f"  {title:<55} not measured in this run")
            continue
        for row in found:
            figure = (f"{row.ratio}x" if row.ratio is not None and "x" in row.target
                      else f"{row.value:.1f} {row.unit}")
            out.append(f"  {title:<55} {figure:>10}  {'met' if row.met else 'MISSED'}"
                       f"  ({row.name})")
    return "\n".join(out)


RUNNERS: dict[str, Callable[[bool, dict[str, Any]], list[Row]]] = {
    "engine": engine_rows, "gui": gui_rows, "bigdb": bigdb_rows,
    "dashboard": dashboard_rows, "doctor": doctor_rows, "export": export_rows,
    "cli": cli_rows,
}


# --- the table ----------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def table(rows: list[Row]) -> str:
    header = ("group", "measurement", "value", "vs", "ratio", "target", "verdict")
    lines = []
    for row in rows:
        verdict = "" if row.met is None else ("met" if row.met else "MISSED")
        lines.append((row.group, row.name, f"{_fmt(row.value)} {row.unit}".strip(),
                      row.reference, "" if row.ratio is None else f"{_fmt(row.ratio)}x",
                      row.target, verdict))
    widths = [min(62, max(len(str(line[i])) for line in [header, *lines]))
              for i in range(len(header))]
    out = [" | ".join(str(cell)[:widths[i]].ljust(widths[i]) for i, cell in enumerate(header)),
           "-+-".join("-" * width for width in widths)]
    for line in lines:
        out.append(" | ".join(str(cell)[:widths[i]].ljust(widths[i])
                              for i, cell in enumerate(line)))
    notes = [f"  {row.group}/{row.name}: {row.note}" for row in rows if row.note]
    return "\n".join(out + (["", "notes:"] + notes if notes else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repetitions; the ORM doctor at 10k only")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these")
    parser.add_argument("--skip", nargs="+", choices=SECTIONS, default=[], help="skip these")
    parser.add_argument("--json", type=Path, help="where to write the results "
                        "(default bench/out/bench-quick.json or bench-full.json)")
    args = parser.parse_args(argv)
    sections = [s for s in (args.only or SECTIONS) if s not in args.skip]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {"mode": "quick" if args.quick else "full",
                               "machine": machine(), "sections": {},
                               "started": time.strftime("%Y-%m-%d %H:%M:%S %z")}
    info = results["machine"]
    log(f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gib']} GiB; Python "
        f"{info['python']}, SQLite {info['sqlite_module']}; load average {load()}; commit "
        f"{info['commit']} ({info['uncommitted_app_files']} app files uncommitted)")
    rows: list[Row] = []
    for name in sections:
        log(f"\n=== {name} (load average {load()}) ===")
        section_started = time.perf_counter()
        before = load()
        try:
            found = RUNNERS[name](args.quick, results)
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the rest
            traceback.print_exc()
            found = [Row(name, f"{name} benchmark failed", None, "", "", None, "", False,
                         f"{type(exc).__name__}: {exc}"[:300])]
        seconds = time.perf_counter() - section_started
        results["sections"][name] = {"seconds": round(seconds, 1), "load_before": before,
                                     "load_after": load()}
        log(f"=== {name}: {seconds:.0f} s (load average {before} -> {load()}) ===")
        rows += found
    results["rows"] = [asdict(row) for row in rows]
    results["seconds"] = round(time.perf_counter() - started, 1)
    out = args.json or OUT_DIR / f"bench-{results['mode']}.json"
    out.write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False))
    print()
    print(table(rows))
    print()
    print(issue_14_summary(rows))
    print()
    for name, section in results["sections"].items():
        print(f"  {name:<9} {section['seconds']:>6.0f} s   load average "
              f"{section['load_before']} -> {section['load_after']}")
    print(f"whole run {results['seconds']:.0f} s ({results['mode']}); results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
