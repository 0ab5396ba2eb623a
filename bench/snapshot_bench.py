"""A new replica reading a long history through a snapshot (SPEC v2 §13, issue 19:
a 1M-event history usable in ≤ 10 s).

Built fast (not timed): computer A's log gets N task completions written straight into
its tables, already stamped as a sync would stamp them, and the same records written as
A's segment files (100k records each, the format a sync writes); the engine folds the
log once (the checkpoint and derived tables a sync leaves). One ``momentum sync`` of A
then writes its snapshot, and A logs a few more completions and syncs again, so that the
folder holds a segment *after* the snapshot too.

Timed: a new empty database C runs the real command line in a subprocess —
``momentum sync --folder F --json`` (takes the snapshot, reads the later segment, folds
from the checkpoint) and then ``momentum progress --json`` (the first read). "Usable" is
the sum; C's totals are checked equal to A's.

    python -m bench.snapshot_bench --events 1000000 [--passphrase] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum
from momentum_app.core.sync import segments
from momentum_app.core.sync.hlc import physical

UTC = timezone.utc
START = datetime(2020, 1, 1, 8, 0, tzinfo=UTC)
PER_SEGMENT = 100_000
STEP = timedelta(minutes=3)


def _stamp_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(root: Path, events: int, passphrase: str | None) -> dict[str, Any]:
    """A's database and the folder: N events in segments, a snapshot, a later segment."""
    folder = root / "folder"
    folder.mkdir()
    now = START + STEP * (events + 10)
    clock = FixedClock(START - timedelta(days=1))
    db = open_database(root / "a.sqlite3", clock=clock, scheduled_backup=False)
    app = Momentum(db, clock)
    app.profiles.update(timezone="UTC")
    app.sync.run(folder, passphrase)  # A is a replica: its id, its profile's uid
    with db.reading() as session:
        conn = session.connection()
        replica = conn.exec_driver_sql("SELECT replica_id FROM sync_replica").scalar()
        clock_stamp = conn.exec_driver_sql("SELECT clock FROM sync_replica").scalar()
        profile_uid = conn.exec_driver_sql(
            "SELECT uid FROM sync_ids WHERE tbl = 'profiles' ORDER BY rowid LIMIT 1").scalar()
        next_id = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM events")
                      .scalar()) + 1
        first_segment = int(conn.exec_driver_sql("SELECT next_segment FROM sync_replica")
                            .scalar())
    keys = segments.Keys(passphrase)
    raw = sqlite3.connect(root / "a.sqlite3", isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    started = time.perf_counter()
    stamp = max(clock_stamp, physical(START))
    number = first_segment
    done = 0
    while done < events:
        size = min(PER_SEGMENT, events - done)
        rows, sync_rows, records = [], [], []
        for i in range(done, done + size):
            at = START + STEP * i
            stamp = max(stamp + 1, physical(at))
            uid = uuid.uuid4().hex
            meta = {"item_id": None, "title": f"a {i}", "complexity": 1 + i % 5}
            text = _stamp_text(at)
            rows.append((next_id, 1, f"a:{i}", "task_completion", text,
                         at.date().isoformat(), text, json.dumps(meta)))
            sync_rows.append((next_id, uid, stamp, replica))
            records.append({"k": "event", "u": uid, "s": stamp, "r": replica,
                            "p": profile_uid, "key": f"a:{i}", "type": "task_completion",
                            "at": at.isoformat(), "day": at.date().isoformat(),
                            "processed": at.isoformat(), "meta": meta})
            next_id += 1
        raw.execute("BEGIN")
        raw.executemany("INSERT INTO events (id, profile_id, key, type, occurred_at, "
                        "activity_day, processed_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        rows)
        raw.executemany("INSERT INTO sync_events (event_id, uid, stamp, replica) "
                        "VALUES (?, ?, ?, ?)", sync_rows)
        raw.execute("UPDATE sync_replica SET clock = ?, next_segment = ?", (stamp, number + 1))
        raw.execute("COMMIT")
        segments.write_segment(folder, replica, number, records, keys)
        number += 1
        done += size
    segments.write_manifest(folder, replica, number - 1, now.isoformat())
    raw.close()
    figures: dict[str, Any] = {"build_log_seconds": round(time.perf_counter() - started, 1)}
    started = time.perf_counter()
    with db.transaction() as session:  # the fold a sync makes: derived tables, checkpoint
        app.sync._fold(session.connection(), None, now)
    figures["build_fold_seconds"] = round(time.perf_counter() - started, 1)
    clock.instant = now
    started = time.perf_counter()
    os.environ["MOMENTUM_SYNC_SNAPSHOT_EVENTS"] = str(max(1, events // 2))
    report = app.sync.run(folder, passphrase)
    figures["build_snapshot_seconds"] = round(time.perf_counter() - started, 1)
    assert report.snapshot_written, report.problems
    figures["snapshot"] = report.snapshot_written
    figures["snapshot_mb"] = round(sum(p.stat().st_size for p in folder.glob(
        "*/snap-*.msnap")) / 1e6, 1)
    figures["segments_mb"] = round(sum(p.stat().st_size for p in folder.glob(
        "*/seg-*.msync")) / 1e6, 1)
    for i in range(100):  # after the snapshot: a later segment the new replica reads
        task = app.items.add_task(f"later {i}")
        clock.instant += timedelta(minutes=1)
        app.items.complete(Kind.TASK, task.id)
    clock.instant += timedelta(minutes=1)
    app.sync.run(folder, passphrase)
    db.close()
    return figures


#: CPU seconds of the last :func:`_cli` (user + system of the subprocess).
CPU: list[float] = [0.0]


def _cli(db: Path, now: str, *args: str) -> tuple[float, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOMENTUM_")}
    env.update(MOMENTUM_DB=str(db), MOMENTUM_NOW=now)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "momentum_app", *args], env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] = round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2)
    if done.returncode != 0:
        raise SystemExit(f"momentum {' '.join(args)} failed: {done.stderr}")
    return seconds, json.loads(done.stdout)


def _discard(db: Path) -> None:
    """Remove a timed new replica (its database, its backup, its marker), so that runs
    do not fill the disk and the page cache with copies of the history."""
    for path in [db, *db.parent.glob(f".{db.name}*"),
                 *(db.parent / "backups").glob(f"{db.stem}-*")]:
        path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def measure(root: Path, events: int, passphrase: str | None) -> dict[str, Any]:
    now = (START + STEP * (events + 400)).isoformat()
    extra = []
    if passphrase is not None:
        secret = root / "passphrase.txt"
        secret.write_text(passphrase + "\n", encoding="utf-8")
        extra = ["--passphrase-file", str(secret)]
    c = root / f"c-{uuid.uuid4().hex[:6]}.sqlite3"
    load = os.getloadavg()[0]
    sync_seconds, report = _cli(c, now, "sync", "--folder", str(root / "folder"), "--json",
                                *extra)
    sync_cpu = CPU[0]
    read_seconds, progress = _cli(c, now, "progress", "--json")
    read_cpu = CPU[0]
    _, a_progress = _cli(root / "a.sqlite3", now, "progress", "--json")
    assert report["snapshot_read"], report
    assert progress["total_points"] == a_progress["total_points"], (progress, a_progress)
    _discard(c)
    return {"load": load, "new_replica_sync_seconds": round(sync_seconds, 2),
            "new_replica_sync_cpu_seconds": sync_cpu,
            "first_read_seconds": round(read_seconds, 2), "first_read_cpu_seconds": read_cpu,
            "usable_cpu_seconds": round(sync_cpu + read_cpu, 2),
            "usable_seconds": round(sync_seconds + read_seconds, 2),
            "segments_read": report["segments_read"],
            "events_received": report["received"].get("events", 0),
            "events_folded": report["events_folded"],
            "total_points": progress["total_points"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--passphrase", action="store_true",
                        help="encrypt the segments and the snapshot")
    parser.add_argument("--runs", type=int, default=1, help="new replicas to time")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build in (or reuse) this folder instead of a temporary one")
    args = parser.parse_args()
    passphrase = "correct horse battery staple" if args.passphrase else None
    with tempfile.TemporaryDirectory() as temporary:
        root = args.keep or Path(temporary)
        figures: dict[str, Any] = {"events": args.events, "passphrase": bool(passphrase)}
        if not (root / "a.sqlite3").exists():
            root.mkdir(parents=True, exist_ok=True)
            figures.update(build(root, args.events, passphrase))
        figures["runs"] = [measure(root, args.events, passphrase) for _ in range(args.runs)]
        print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
