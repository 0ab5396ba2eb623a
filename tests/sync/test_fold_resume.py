"""A sync's fold from the stored tables (issue 19's speed, docs/BENCHMARKS.md §10).

When nothing changed a replica's log or derived tables since its last fold, a sync that
brings events after that fold's checkpoint folds only those events over the stored
tables and writes the rows they changed; otherwise it folds from a whole saved state and
rewrites every derived table. Either way the result must be the fold of the whole log:
equal to a fresh replica that reads the folder, and ``doctor`` finds nothing to fix.
The arriving events here change settings, reopen a completion, and complete on a day
that joins two runs (the later completions are priced again, in the log's order)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.sync import order
from sync_support import Replica, explain, snapshot

UTC = timezone.utc
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def pair(tmp_path: Path):
    """A shared folder and two replicas, A and B, their clocks a week after ``START``."""
    folder = tmp_path / "folder"
    folder.mkdir()
    a = Replica(tmp_path / "a.sqlite3", START + timedelta(days=8))
    b = Replica(tmp_path / "b.sqlite3", START + timedelta(days=8))
    yield folder, a, b
    a.close()
    b.close()


def _newest_is_layer(replica: Replica) -> bool:
    """Whether the newest checkpoint was written by a fold over the stored tables (it
    holds no whole state)."""
    with replica.db.reading() as session:
        conn = session.connection()
        newest = conn.exec_driver_sql(
            "SELECT id FROM sync_checkpoints ORDER BY position DESC, id DESC").scalar()
        assert newest is not None
        return order._head(conn, int(newest))[2] is None


def _done(replica: Replica, title: str, at: datetime) -> int:
    task = replica.app.items.add_task(title)
    replica.app.items.complete(Kind.TASK, task.id, at=at)
    return task.id


def _same_as_fresh(root: Path, folder: Path, *replicas: Replica) -> None:
    fresh = Replica(root / "fresh.sqlite3", START + timedelta(days=30))
    try:
        fresh.sync(folder)
    finally:
        fresh.close()
    alone = snapshot(fresh.path)
    for replica in replicas:
        assert replica.doctor_ok()
        mine = snapshot(replica.path)
        assert mine == alone, explain(alone, mine)


def test_a_sync_after_the_last_fold_folds_only_the_new_events(pair, tmp_path: Path) -> None:
    folder, a, b = pair
    # day 0 and day 2 on B (a gap on day 1), day 2 on A too; both sync
    _done(b, "b0", START)
    _done(b, "b2 early", START + timedelta(days=2))
    _done(b, "b2 late", START + timedelta(days=2, hours=4))
    for replica in (b, a, b):
        replica.sync(folder)
    _done(a, "a2", START + timedelta(days=2, hours=2))
    a.clock.advance(timedelta(days=3))
    b.clock.advance(timedelta(days=3))
    a.sync(folder)
    b.sync(folder)
    assert _newest_is_layer(b)  # a2 came after its last fold: a fold of a2 alone
    # A, later: day 1 fills the gap (day 2's completions are priced again), a
    # completion reopened, more completions
    _done(a, "a1 backdated", START + timedelta(days=1))
    reopened = _done(a, "a reopened", START + timedelta(days=3))
    a.app.items.reopen(Kind.TASK, reopened)
    for hours in range(0, 48, 7):
        _done(a, f"a later {hours}", START + timedelta(days=3, hours=hours))
    a.sync(folder)
    report = b.sync(folder)
    assert report.points_after > report.points_before
    assert report.events_folded == report.received["events"]  # only the new ones
    assert _newest_is_layer(b)  # nothing of B's own since: the stored tables went on
    assert snapshot(a.path) == snapshot(b.path)
    # a settings change changes the definitions every checkpoint was folded with
    a.app.profiles.update(daily_target=2)
    _done(a, "a after settings", START + timedelta(days=5, hours=3))
    a.sync(folder)
    report = b.sync(folder)
    assert report.events_folded > report.received["events"]
    assert not _newest_is_layer(b)
    _same_as_fresh(tmp_path, folder, a, b)


def test_a_local_event_since_the_last_fold_makes_it_a_whole_fold(pair, tmp_path: Path) -> None:
    folder, a, b = pair
    _done(a, "a0", START)
    a.sync(folder)
    b.sync(folder)
    b.clock.advance(timedelta(hours=1))
    _done(b, "b1", START + timedelta(hours=1))  # B's own, made before A's a1
    a.clock.advance(timedelta(hours=2))
    _done(a, "a1", START + timedelta(hours=2))
    a.sync(folder)
    b.sync(folder)
    assert not _newest_is_layer(b)  # B's b1 was new since its last fold
    a.sync(folder)
    assert not _newest_is_layer(a)  # b1 arrived before A's last checkpoint
    assert snapshot(a.path) == snapshot(b.path)
    b.clock.advance(timedelta(hours=2))
    _done(b, "b2", START + timedelta(hours=3))
    b.sync(folder)
    a.sync(folder)
    assert _newest_is_layer(a)  # A had nothing new: b2 folded over its tables
    assert snapshot(a.path) == snapshot(b.path)
    _same_as_fresh(tmp_path, folder, a, b)


def test_a_checkpoint_of_the_older_format_is_still_a_start(pair, tmp_path: Path) -> None:
    """A database synced by the previous version holds checkpoints as one pickle of
    (digest, state, tracker): the next fold starts from it and leaves the new format."""
    import pickle  # noqa: PLC0415

    folder, a, b = pair
    _done(a, "a0", START)
    a.sync(folder)
    _done(b, "b0", START + timedelta(hours=1))
    b.sync(folder)  # a whole fold: its checkpoint holds the whole state
    with b.db.transaction() as session:
        conn = session.connection()
        row_id = int(conn.exec_driver_sql(
            "SELECT id FROM sync_checkpoints ORDER BY position DESC").scalar())
        digest, resume, offset = order._head(conn, row_id)
        assert resume is not None and offset is not None
        _, state, _ = order._full(conn, row_id, offset)
        conn.exec_driver_sql("UPDATE sync_checkpoints SET state = ? WHERE id = ?", (
            pickle.dumps((digest, state, resume.tracker)), row_id))
        assert order._head(conn, row_id) == ("", None, 0)
    _done(a, "a1", START + timedelta(days=1))
    a.sync(folder)
    report = b.sync(folder)
    assert report.events_folded == 1  # from the old checkpoint, not from the start
    assert not _newest_is_layer(b)
    assert snapshot(a.path) == snapshot(b.path)
    _same_as_fresh(tmp_path, folder, a, b)
