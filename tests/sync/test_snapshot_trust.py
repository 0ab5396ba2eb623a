"""What a new replica trusts in a snapshot and in a checkpoint (SPEC v2 §13, docs/SYNC.md
"Snapshots", issue 19 item 6).

* The derived tables and checkpoints of other rules (the engine's ``RULES_VERSION``) are
  not adopted: the log is folded again by this replica's rules.
* An encrypted snapshot is proven by its chunks' AES-GCM tags, not by the trailer's
  SHA-256 (which a reader of an encrypted one no longer computes): a chunk that is
  changed or cut, even with a trailer made to match, is refused and nothing of it is
  applied; a damaged chunk after the first is "damaged", not "wrong passphrase".
* A new replica whose database another connection holds open still takes the snapshot
  (the copy then goes through the WAL).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sync_support import Replica, explain, snapshot

from momentum_app.core.catalog import Kind
from momentum_app.core.engine.step import RULES_VERSION
from momentum_app.core.sync import order, snapshots

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSPHRASE = "correct horse"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MOMENTUM_SYNC_SNAPSHOT_EVENTS", "5")
    folder = tmp_path / "Sync"
    folder.mkdir()
    made: list[Replica] = []

    def replica(name: str) -> Replica:
        made.append(Replica(tmp_path / f"{name}.sqlite3", START))
        return made[-1]

    yield folder, replica
    for item in made:
        item.close()


def _work(replica: Replica, n: int, tag: str) -> None:
    for i in range(n):
        task = replica.app.items.add_task(f"{tag} {i}", complexity=1 + i % 5)
        replica.clock.instant += timedelta(minutes=7)
        replica.app.items.complete(Kind.TASK, task.id)


def _the_snapshot(folder: Path) -> Path:
    [path] = sorted(folder.glob("*/snap-*.msnap"))
    return path


def _points(replica: Replica) -> int:
    with replica.db.reading() as session:
        return int(session.connection().exec_driver_sql(
            "SELECT value FROM counters WHERE scope = 'global' AND name = 'points_total' "
            "AND profile_id = (SELECT min(id) FROM profiles)").scalar() or 0)


def _events(replica: Replica) -> int:
    with replica.db.reading() as session:
        return int(session.connection().exec_driver_sql(
            "SELECT count(*) FROM events").scalar() or 0)


def test_a_checkpoint_folded_by_other_rules_is_not_used(
        world, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, replica = world
    a, b = replica("a"), replica("b")
    _work(a, 6, "early")
    a.sync(folder)
    b.sync(folder)  # b folds and keeps a checkpoint (these rules)
    _work(a, 3, "late")
    a.sync(folder)
    monkeypatch.setattr(order, "RULES_VERSION", RULES_VERSION + 1)  # b's engine changed
    report = b.sync(folder)
    assert report.received["events"] == 3
    assert report.events_folded == _events(b)  # the whole log, not the 3 new events
    assert b.doctor_ok()


def test_a_checkpoint_of_these_rules_is_used(world) -> None:
    """The counterpart of the test above: the same sync folds only what arrived."""
    folder, replica = world
    a, b = replica("a"), replica("b")
    _work(a, 6, "early")
    a.sync(folder)
    b.sync(folder)
    _work(a, 3, "late")
    a.sync(folder)
    assert b.sync(folder).events_folded == 3


@pytest.mark.parametrize("rules", [RULES_VERSION - 1, None], ids=["older", "not-named"])
def test_a_snapshot_folded_by_other_rules_gives_its_log_not_its_tables(
        world, rules: int | None) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "work")
    assert a.sync(folder).snapshot_written is not None
    truth = _points(a)
    path = _the_snapshot(folder)
    with open(path, "rb") as handle:
        header = json.loads(handle.readline())
        rest = handle.read()
    assert header["rules"] == RULES_VERSION  # the writer names its rules
    # The snapshot's derived tables as other rules might have left them: points that
    # these rules do not give (the source data and the log are the same).
    copy = path.with_name("copy.sqlite3")
    with open(copy, "wb") as out:
        out.write(_unpack(rest))
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE counters SET value = value + 1000 WHERE name = 'points_total'")
    db.close()
    if rules is None:
        del header["rules"]
    else:
        header["rules"] = rules
    path.write_bytes(_pack(header, copy.read_bytes()))
    copy.unlink()

    c = replica("c")
    report = c.sync(folder)
    assert report.snapshot_read is not None  # its source data and log are taken
    assert report.events_folded == _events(c)  # and folded again by these rules
    assert _points(c) == truth
    assert c.doctor_ok()
    with c.db.reading() as session:
        assert session.connection().exec_driver_sql(
            "PRAGMA user_version").scalar() == RULES_VERSION
    a.sync(folder)
    c.sync(folder)
    mine, theirs = snapshot(c.path), snapshot(a.path)
    assert mine == theirs, explain(theirs, mine)


def _unpack(body: bytes) -> bytes:
    """A plain snapshot's database (its chunks after the header line)."""
    data, at = b"", 0
    while True:
        (length,) = struct.unpack(">I", body[at:at + 4])
        at += 4
        if not length:
            return data
        data += body[at:at + length]
        at += length


def _pack(header: dict, database: bytes) -> bytes:
    """A plain snapshot of ``database`` with ``header`` and a matching trailer."""
    out = [(json.dumps(header, sort_keys=True) + "\n").encode()]
    chunks = [database[i:i + snapshots.CHUNK]
              for i in range(0, len(database), snapshots.CHUNK)]
    for chunk in chunks:
        out += [struct.pack(">I", len(chunk)), chunk]
    out.append(struct.pack(">I", 0))
    out.append((json.dumps({"chunks": len(chunks), "size": len(database),
                            "sha256": hashlib.sha256(database).hexdigest()}) + "\n").encode())
    return b"".join(out)


def _chunks(path: Path) -> tuple[bytes, list[bytes], dict]:
    """A snapshot file's header line, its chunks as stored, and its trailer."""
    body = path.read_bytes()
    head_end = body.index(b"\n") + 1
    chunks, at = [], head_end
    while True:
        (length,) = struct.unpack(">I", body[at:at + 4])
        at += 4
        if not length:
            break
        chunks.append(body[at:at + length])
        at += length
    return body[:head_end], chunks, json.loads(body[at:])


def _rewrite(path: Path, head: bytes, chunks: list[bytes], trailer: dict) -> None:
    parts = [head]
    for chunk in chunks:
        parts += [struct.pack(">I", len(chunk)), chunk]
    parts += [struct.pack(">I", 0), (json.dumps(trailer) + "\n").encode()]
    path.write_bytes(b"".join(parts))


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 64 KiB, so that a test's small database makes several."""
    monkeypatch.setattr(snapshots, "CHUNK", 1 << 16)


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_a_snapshot_cut_at_a_chunk_with_a_matching_trailer_is_refused(
        world, small_chunks, passphrase: str | None) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "x")
    assert a.sync(folder, passphrase).snapshot_written is not None
    path = _the_snapshot(folder)
    head, chunks, trailer = _chunks(path)
    assert len(chunks) >= 3
    kept = chunks[:-1]  # the last chunk lost, the count and size made to match
    last = len(chunks[-1]) - (28 if passphrase else 0)
    _rewrite(path, head, kept, {**trailer, "chunks": len(kept),
                                "size": trailer["size"] - last})
    c = replica("c")
    got = c.sync(folder, passphrase)
    assert got.snapshot_read is None
    assert any("snap-" in p and "segments are read" in p for p in got.problems), got.problems
    a.sync(folder, passphrase)
    c.sync(folder, passphrase)
    mine, theirs = snapshot(c.path), snapshot(a.path)
    assert mine == theirs, explain(theirs, mine)


def test_a_damaged_chunk_of_an_encrypted_snapshot_is_damage_not_a_wrong_passphrase(
        world, small_chunks) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "x")
    assert a.sync(folder, PASSPHRASE).snapshot_written is not None
    path = _the_snapshot(folder)
    head, chunks, trailer = _chunks(path)
    assert len(chunks) >= 3
    middle = bytearray(chunks[1])
    middle[len(middle) // 2] ^= 0x40  # one bit flipped by a disk or a sync tool
    _rewrite(path, head, [chunks[0], bytes(middle), *chunks[2:]], trailer)
    c = replica("c")
    got = c.sync(folder, PASSPHRASE)  # no ValidationError: the passphrase is right
    assert got.snapshot_read is None
    assert any("chunk 1" in p and "segments are read" in p for p in got.problems), \
        got.problems
    a.sync(folder, PASSPHRASE)
    c.sync(folder, PASSPHRASE)
    mine, theirs = snapshot(c.path), snapshot(a.path)
    assert mine == theirs, explain(theirs, mine)


def test_a_new_replica_held_open_by_another_connection_takes_the_snapshot(world) -> None:
    folder, replica = world
    a = replica("a")
    _work(a, 6, "x")
    assert a.sync(folder).snapshot_written is not None
    c = replica("c")
    other = sqlite3.connect(c.path)  # e.g. the window's reader: the file stays in WAL
    try:
        assert other.execute("SELECT count(*) FROM tasks").fetchone() == (0,)
        report = c.sync(folder)
        assert report.snapshot_read is not None
        assert other.execute("SELECT count(*) FROM tasks").fetchone() == (6,)
    finally:
        other.close()
    with c.db.reading() as session:
        assert session.connection().exec_driver_sql(
            "PRAGMA journal_mode").scalar() == "wal"
    mine, theirs = snapshot(c.path), snapshot(a.path)
    assert mine == theirs, explain(theirs, mine)
