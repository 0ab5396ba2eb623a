"""Sync speed: a sync that brings N new events (SPEC v2 §13, issue 19: 10k in ≤ 2 s).

Computer A logs N task completions (one transaction per 1,000, through the engine's
live path) and syncs; computer B, which already has its own history of H events, then
syncs and folds them. Printed: the time of B's whole sync, the part spent folding the
merged log (from the checkpoint before the first new event), and the same for a second
round where A's new events land after B's (a checkpoint makes it a short fold).

    python -m bench.sync_bench --events 10000 --history 10000 [--profile FILE]

``--profile FILE`` writes a cProfile of B's second sync (the checkpointed one) to FILE,
``--profile-first FILE`` of the first (read them with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from momentum_app.core import catalog
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum
from momentum_app.core.sync import order

UTC = timezone.utc
START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)


def _log(app: Momentum, count: int, start: datetime, label: str) -> None:
    done = 0
    while done < count:
        with app.db.transaction() as session:
            for _ in range(min(1000, count - done)):
                at = start + timedelta(minutes=37 * done)
                app.ctx.process(session, "task_completion",
                                {"item_id": None, "title": f"{label} {done}",
                                 "complexity": 1 + done % 5}, at, f"{label}:{done}")
                done += 1


class _Timed:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.events = 0
        self.original = order.refold

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = self.original(*args, **kwargs)
        self.seconds += time.perf_counter() - started
        self.events += result.events
        return result


def _sync(app: Momentum, folder: Path, profile: str | None) -> tuple[Any, float, float]:
    """One sync of ``app``: its report, wall and CPU seconds (profiled to ``profile``)."""
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    report = app.sync.run(folder)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    return report, time.perf_counter() - started, time.process_time() - cpu


def run(events: int, history: int, root: Path, profile: str | None = None,
        profile_first: str | None = None) -> dict[str, Any]:
    folder = root / "folder"
    folder.mkdir()
    now = START + timedelta(minutes=37 * (events + history + 10))
    clock = FixedClock(now)
    a_db = open_database(root / "a.sqlite3", clock=clock)
    b_db = open_database(root / "b.sqlite3", clock=clock)
    a, b = Momentum(a_db, clock), Momentum(b_db, clock)
    figures: dict[str, Any] = {"events": events, "history": history}
    try:
        _log(b, history, START, "b")
        b.sync.run(folder)
        _log(a, events, START + timedelta(minutes=11), "a")
        a.sync.run(folder)
        timed = _Timed()
        from momentum_app.core.services import sync as sync_service  # noqa: PLC0415

        sync_service.refold = timed  # the service's own reference
        try:
            report, seconds, cpu = _sync(b, folder, profile_first)
            figures["sync_seconds"] = round(seconds, 3)
            figures["sync_cpu_seconds"] = round(cpu, 3)
            figures["fold_seconds"] = round(timed.seconds, 3)
            figures["events_folded"] = timed.events
            figures["events_received"] = report.received.get("events", 0)
            # a second round: new events after B's checkpoint fold from it
            _log(a, events, now - timedelta(minutes=5), "a2")
            a.sync.run(folder)
            timed.seconds, timed.events = 0.0, 0
            _, seconds, cpu = _sync(b, folder, profile)
            figures["second_sync_seconds"] = round(seconds, 3)
            figures["second_sync_cpu_seconds"] = round(cpu, 3)
            figures["second_fold_seconds"] = round(timed.seconds, 3)
            figures["second_events_folded"] = timed.events
        finally:
            sync_service.refold = timed.original
        figures["load"] = os.getloadavg()[0]
        with b.db.reading() as session:
            figures["points_b"] = session.connection().exec_driver_sql(
                "SELECT value FROM counters WHERE scope='global' AND name=?",
                (catalog.Criteria.TASKS.value,)).scalar()
    finally:
        a_db.close()
        b_db.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=10_000)
    parser.add_argument("--profile", metavar="FILE", help="cProfile B's second sync to FILE")
    parser.add_argument("--profile-first", metavar="FILE",
                        help="cProfile B's first sync (the interleaved one) to FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        print(json.dumps(run(args.events, args.history, Path(root), args.profile,
                             args.profile_first), indent=1))


if __name__ == "__main__":
    main()
