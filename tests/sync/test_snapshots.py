"""Snapshots (SPEC v2 §13, docs/SYNC.md "Snapshots"): a replica writes one when the log
has grown; a new empty database takes the folder's contents from the newest snapshot and
reads only the segments after it, and ends up identical to the others. Encrypted with
the passphrase; a damaged one is not used (the segments are read instead)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.errors import ValidationError
from momentum_app.core.sync import segments
from sync_support import Replica, explain, snapshot

UTC = timezone.utc
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MOMENTUM_SYNC_SNAPSHOT_EVENTS", "5")
    folder = tmp_path / "Sync"
    folder.mkdir()
    made: dict[str, Replica] = {}

    def replica(name: str) -> Replica:
        made[name] = Replica(tmp_path / f"{name}.sqlite3", START)
        return made[name]

    yield folder, replica
    for item in made.values():
        item.close()


def _work(replica: Replica, n: int, tag: str) -> None:
    app = replica.app
    for i in range(n):
        task = app.items.add_task(f"{tag} {i}", complexity=1 + i % 5, tags=[tag])
        replica.clock.instant += timedelta(minutes=7)
        if i % 3 != 2:
            app.items.complete(Kind.TASK, task.id)


def _agree(*replicas: Replica) -> None:
    first = snapshot(replicas[0].path)
    for other in replicas[1:]:
        found = snapshot(other.path)
        assert found == first, explain(first, found)
    for item in replicas:
        assert item.doctor_ok()


def _snapshots(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/snap-*.msnap"))


def test_a_new_replica_starts_from_the_snapshot_and_reads_only_later_segments(world) -> None:
    folder, replica = world
    a, b = replica("a"), replica("b")
    _work(a, 6, "work")
    first = a.sync(folder)
    assert first.snapshot_written is not None and len(_snapshots(folder)) == 1
    b.sync(folder)
    _work(b, 4, "home")
    b.sync(folder)
    _work(a, 2, "late")  # after the snapshot: only in a later segment
    a.sync(folder)
    segments_in_folder = len(list(folder.glob("*/seg-*.msync")))

    c = replica("c")
    got = c.sync(folder)
    assert got.snapshot_read is not None and got.first_sync
    assert got.segments_read < segments_in_folder  # not the whole history
    titles = sorted(t.title for t in c.app.items.list_tasks(status="all"))
    assert "late 1" in titles and "home 3" in titles and "work 5" in titles
    for item in (a, b, c, a, b, c):
        item.sync(folder)
    _agree(a, b, c)
    # c is a replica of its own: what it does travels to the others
    c_status = c.app.sync.status()
    a_status = a.app.sync.status()
    assert c_status is not None and a_status is not None
    assert c_status.replica != a_status.replica
    _work(c, 2, "fromc")
    for item in (c, a, b):
        item.sync(folder)
    assert "fromc 1" in {t.title for t in a.app.items.list_tasks(status="all")}
    _agree(a, b, c)


def test_the_snapshot_is_encrypted_and_a_wrong_passphrase_applies_nothing(world) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "secret-title")
    report = a.sync(folder, "correct horse")
    assert report.snapshot_written is not None
    data = _snapshots(folder)[0].read_bytes()
    assert b"secret-title" not in data and b"SQLite format" not in data
    c = replica("c")
    with pytest.raises(ValidationError) as wrong:
        c.sync(folder, "wrong")
    assert wrong.value.field == "passphrase"
    assert c.app.sync.status() is None and c.app.items.list_tasks(status="all") == []
    got = c.sync(folder, "correct horse")
    assert got.snapshot_read is not None
    a.sync(folder, "correct horse")
    c.sync(folder, "correct horse")
    _agree(a, c)


def test_a_damaged_snapshot_is_not_used_the_segments_are(world) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "x")
    a.sync(folder)
    path = _snapshots(folder)[0]
    path.write_bytes(path.read_bytes()[:-40])  # half copied
    c = replica("c")
    got = c.sync(folder)
    assert got.snapshot_read is None
    assert any("snap-" in p and "segments are read" in p for p in got.problems)
    assert got.segments_read >= 1
    a.sync(folder)
    c.sync(folder)
    _agree(a, c)


def test_a_database_with_data_of_its_own_never_takes_a_snapshot(world) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "a")
    a.sync(folder)
    d = replica("d")
    d.app.items.add_task("mine")
    got = d.sync(folder)
    assert got.snapshot_read is None
    d.sync(folder)
    a.sync(folder)
    d.sync(folder)
    _agree(a, d)
    assert "mine" in {t.title for t in a.app.items.list_tasks(status="all")}


def test_snapshots_are_listed_not_reported_as_unknown_files(world) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "a")
    a.sync(folder)
    scan = segments.scan(folder)
    assert scan.ignored == [] and sum(len(v) for v in scan.snapshots.values()) == 1
