"""A new replica that takes a snapshot is usable at once (issue 19's speed,
docs/BENCHMARKS.md §10): the segments after the snapshot are folded over the snapshot's
tables (not the whole history again), and the snapshot's checked copy is kept as the
day's scheduled backup, so that the first open does not copy the whole file again."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from momentum_app.core.backups import SCHEDULED_LABEL, check_file, list_backups
from momentum_app.core.catalog import Kind
from momentum_app.core.db import open_database
from momentum_app.core.sync import order
from sync_support import Replica, explain, snapshot

UTC = timezone.utc
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _work(replica: Replica, n: int, tag: str) -> None:
    for i in range(n):
        task = replica.app.items.add_task(f"{tag} {i}", complexity=1 + i % 5)
        replica.clock.instant += timedelta(minutes=7)
        replica.app.items.complete(Kind.TASK, task.id)


def _scheduled(db: Path) -> list[Path]:
    return [b.path for b in list_backups(db) if f"-{SCHEDULED_LABEL}-" in b.path.name]


def test_a_new_replica_folds_only_the_later_segments_and_keeps_the_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOMENTUM_SYNC_SNAPSHOT_EVENTS", "5")
    folder = tmp_path / "Sync"
    folder.mkdir()
    a = Replica(tmp_path / "a.sqlite3", START)
    c: Replica | None = None
    try:
        _work(a, 8, "early")
        assert a.sync(folder).snapshot_written is not None
        _work(a, 3, "late")  # after the snapshot: a later segment
        a.sync(folder)
        c = Replica(tmp_path / "c" / "c.sqlite3", START + timedelta(hours=3))
        report = c.sync(folder)
        assert report.snapshot_read is not None
        assert report.events_folded == report.received["events"] == 3
        kept = _scheduled(c.path)
        assert len(kept) == 1 and not check_file(kept[0])
        mine, theirs = snapshot(c.path), snapshot(a.path)
        assert mine == theirs, explain(theirs, mine)
        assert c.doctor_ok()
        with c.db.reading() as session:
            conn = session.connection()
            newest = conn.exec_driver_sql("SELECT id FROM sync_checkpoints "
                                          "ORDER BY position DESC, id DESC").scalar()
            assert order._head(conn, int(newest))[2] is None  # a layer over the tables
        c.close()
        again = open_database(c.path, scheduled_backup=True)  # the first open after it
        again.close()
        assert _scheduled(c.path) == kept  # today's backup was made already
        c = Replica(c.path, START + timedelta(hours=3))
        assert {t.title for t in c.app.items.list_tasks(status="all")} >= {"early 0", "late 2"}
    finally:
        a.close()
        if c is not None:
            c.close()
