"""Dashboard benchmark: how long one refresh of the Dashboard takes on a 1M-event history.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.dashboard_bench [--events 1M]
        [--runs 15] [--json bench/out/dashboard_bench.json] [--keep]

1. Takes the cached generated history (``bench.generate.ensure_history``: about 1M ledger
   rows, three years of days; generated on first use) and works on a copy of it in
   ``bench/out/work/`` (deleted at the end unless ``--keep``).
2. Builds the real window on it (``gui.app.compose``), the clock on the day after the
   history (so the heatmap's year is full), and opens the Dashboard (level 10: every
   analytics perk is on, so the heatmap and the trends are drawn too).
3. Times ``--runs`` refreshes, after two warm-ups, for each chart range (30 and 90 days):

   * ``reads``: :func:`~momentum_app.gui.views.dashboard.load_dashboard` alone — the two
     service reads (``progress()`` and ``stats()`` over the heatmap's year of
     ``day_stats`` rows, never the ledger);
   * ``refresh``: ``DashboardView.refresh_now()`` — the reads, the pure aggregators and
     every widget and chart updated;
   * ``refresh + paint``: the same followed by a full render of the view (``grab()``),
     i.e. what a person waits for.

Prints the median, p90 and minimum in milliseconds (wall clock; the CPU time of the
process is shown too, as the machine may be shared), or JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import OUT_DIR, ensure_history, parse_size, size_label  # noqa: E402

WARMUP = 2


def measure(action: Callable[[], object], runs: int) -> dict[str, float]:
    """Wall and CPU milliseconds of ``runs`` calls (after warm-ups): median, p90, min."""
    for _ in range(WARMUP):
        action()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    return {"median_ms": statistics.median(walls),
            "p90_ms": walls[min(len(walls) - 1, int(len(walls) * 0.9))],
            "min_ms": walls[0], "cpu_median_ms": statistics.median(cpus), "runs": runs}


def run(events: int, runs: int, keep: bool) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415 (after QT_QPA_PLATFORM)

    from momentum_app.core.clock import FixedClock  # noqa: PLC0415
    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.gui.app import compose  # noqa: PLC0415
    from momentum_app.gui.settings import settings_at  # noqa: PLC0415
    from momentum_app.gui.theme import ThemeMode  # noqa: PLC0415
    from momentum_app.gui.views.dashboard import DashboardView, load_dashboard  # noqa: PLC0415

    history = ensure_history(events)
    work = OUT_DIR / "work"
    work.mkdir(parents=True, exist_ok=True)
    copy = work / f"dashboard-{Path(history.path).name}"
    started = time.perf_counter()
    shutil.copyfile(history.path, copy)
    copy_seconds = time.perf_counter() - started
    scratch = Path(tempfile.mkdtemp(prefix="momentum-dashboard-bench-"))
    database = open_database(copy)
    try:
        clock = FixedClock(history.bench_now())
        composition = compose(database, clock, settings=settings_at(scratch / "ui.ini"),
                              theme_mode=ThemeMode.LIGHT, animations=False)
        window = composition.window
        window.resize(1280, 820)
        window.show()
        QApplication.processEvents()
        view = window.show_view("dashboard")
        assert isinstance(view, DashboardView)
        QApplication.processEvents()
        momentum = composition.momentum
        ledger_rows = history.rows.get("ledger", 0)
        result: dict[str, Any] = {
            "events": history.events, "ledger_rows": ledger_rows,
            "day_stats_rows": history.rows.get("day_stats", 0),
            "level": composition.ctx.perks.level, "analytics": view.analytics,
            "copy_seconds": round(copy_seconds, 1), "ranges": {}}
        for days in ("30", "90"):
            view.range.button(days).click()
            today = composition.ctx.today()

            def refresh_and_paint() -> None:
                view.refresh_now()
                view.grab()

            result["ranges"][days] = {
                "reads": measure(lambda: load_dashboard(momentum, today), runs),
                "refresh": measure(view.refresh_now, runs),
                "refresh + paint": measure(refresh_and_paint, runs),
            }
        points = sum(view.points_chart.values())
        result["check"] = {"chart_points_90_days": points,
                           "heatmap_days": len(view.heatmap.grid.cells)
                           if view.heatmap.grid else 0}
        composition.close()
    finally:
        database.close()
        shutil.rmtree(scratch, ignore_errors=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return result


def report(result: dict[str, Any]) -> str:
    lines = [f"Dashboard refresh on {size_label(result['events'])} events "
             f"({result['ledger_rows']:,} ledger rows, {result['day_stats_rows']:,} day_stats "
             f"rows), level {result['level']}, analytics {'on' if result['analytics'] else 'off'}",
             "", f"{'range':>6}  {'measure':<16}{'median':>9}{'p90':>9}{'min':>9}{'cpu med':>9}"]
    for days, measures in result["ranges"].items():
        for name, figures in measures.items():
            lines.append(f"{days + ' d':>6}  {name:<16}{figures['median_ms']:>8.1f} "
                         f"{figures['p90_ms']:>8.1f} {figures['min_ms']:>8.1f} "
                         f"{figures['cpu_median_ms']:>8.1f}")
    lines.append("")
    lines.append(f"milliseconds, {next(iter(result['ranges'].values()))['reads']['runs']} "
                 "runs each after 2 warm-ups; checks: " + json.dumps(result["check"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard_bench",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--events", default="1M", help="history size: 10k, 100k, 1M or N")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the work copy")
    args = parser.parse_args(argv)
    result = run(parse_size(args.events), args.runs, args.keep)
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
