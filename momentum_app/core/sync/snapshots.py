"""Snapshots: a replica's whole synced state in one file, so that a new replica does not
read years of segments (SPEC v2 §13, docs/SYNC.md "Snapshots").

A snapshot is a consistent copy of a replica's database (SQLite's ``VACUUM INTO``) taken
right after a sync that left nothing unsent: the source data with every field's stamp and
every row's uid, the merged event log, the derived tables and the fold's checkpoint. It
names the segments it covers (the writer's own, and how far it had read every other
replica's), so a new empty database that takes it reads only the segments after those.
Older segments stay in the folder and stay readable: a replica that already read them,
or one of an older version, never needs a snapshot.

File ``FOLDER/<replica>/snap-<NNNNNNNN>.msnap`` (``N``: the writer's last segment)::

    {"momentum_snapshot": 1, "replica": …, "number": N, "schema": "<revision>",
     "rules": RULES_VERSION, "covers": {replica: segments}, "events": count,
     "written_at": …, "cipher": …}\\n
    <u32 length><chunk> …  <u32 0>
    {"chunks": K, "size": bytes, "sha256": …}\\n

Chunks are 4 MiB of the database file, or with a passphrase ``nonce ‖ AES-256-GCM`` of
them (bound to replica, number, chunk index and "last"). The trailer's SHA-256 of the
database is checked after reading a plain one (an encrypted one is proven by its chunks'
tags); a file without its trailer or with a wrong checksum is damaged (still being
copied?) and not used. ``rules`` is the engine's rules version that folded its derived
tables: a replica of other rules takes the source data and the log, and folds them again
(a snapshot without it is treated the same). It is written like a segment: a temporary
name in the same folder, fsync, rename. The writer keeps its newest :data:`KEEP`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .segments import SNAPSHOT, Keys, PassphraseError, SegmentError, fsync_dir

FORMAT = 1
CHUNK = 4 << 20
#: What AES-256-GCM adds to a chunk: its 12-byte nonce and 16-byte tag.
_SEAL = 12 + 16
KEEP = 2
#: A replica writes a snapshot when the log grew by this many events since the newest
#: snapshot in the folder (``MOMENTUM_SYNC_SNAPSHOT_EVENTS`` overrides it).
EVERY_EVENTS = 20_000
#: … or when this many segments were written since (all replicas together).
EVERY_SEGMENTS = 500


def every_events() -> int:
    value = os.environ.get("MOMENTUM_SYNC_SNAPSHOT_EVENTS", "")
    return int(value) if value.isdigit() and int(value) > 0 else EVERY_EVENTS


def snapshot_name(number: int) -> str:
    return f"snap-{number:08d}.msnap"


@dataclass(frozen=True)
class Snapshot:
    path: Path
    replica: str
    number: int

    def header(self) -> dict[str, Any]:
        """The first line (checked: a Momentum snapshot of this replica and number)."""
        try:
            with open(self.path, "rb") as handle:
                line = handle.readline(64 * 1024)
            header = json.loads(line.decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise SegmentError("damaged", f"{self.path.name}: no readable header") from None
        if not isinstance(header, dict) or "momentum_snapshot" not in header:
            raise SegmentError("damaged", f"{self.path.name}: not a Momentum snapshot")
        if not isinstance(header["momentum_snapshot"], int) \
                or header["momentum_snapshot"] > FORMAT:
            raise SegmentError("newer", f"{self.path.name} was written by a newer Momentum "
                               f"(snapshot format {header['momentum_snapshot']}); the "
                               "segments are read instead")
        if header.get("replica") != self.replica or header.get("number") != self.number:
            raise SegmentError("damaged", f"{self.path.name}: its header names another file")
        return header


def _aad(replica: str, number: int, index: int, last: bool) -> bytes:
    return f"snapshot:{replica}:{number}:{index}:{int(last)}".encode()


def _chunks(handle: BinaryIO) -> Any:
    """(index, data, last) of a file's chunks."""
    current = handle.read(CHUNK)
    index = 0
    while True:
        following = handle.read(CHUNK) if current else b""
        yield index, current, not following
        if not following:
            return
        current, index = following, index + 1


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent, compact copy of the database ``source`` is connected to."""
    source.execute("VACUUM INTO ?", (str(target),))


def copy_into(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy the database ``source`` is connected to over ``target``'s in one step
    (SQLite's backup, committed whole or not at all), writing it once.

    In WAL every page would be written to the ``-wal`` and a second time into the file
    at the checkpoint, so a database in WAL leaves it for the copy: a new replica's
    database is nearly empty, and the rollback journal holds only its few pages. SQLite
    allows that only when no other connection has the file open; otherwise (asked
    without waiting) the copy goes through the WAL as before. WAL again after."""
    left = False  # whether the target left WAL for the copy
    if str(target.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        timeout = int(target.execute("PRAGMA busy_timeout").fetchone()[0])
        target.execute("PRAGMA busy_timeout = 0")
        try:
            left = str(target.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
                       ).lower() == "delete"
        except sqlite3.OperationalError:  # another connection has it open
            left = False
        finally:
            target.execute(f"PRAGMA busy_timeout = {timeout}")
    try:
        source.backup(target)
    finally:
        if left:
            target.execute("PRAGMA journal_mode = WAL")


def write(folder: Path, replica: str, number: int, database_copy: Path,
          header: dict[str, Any], keys: Keys) -> Path:
    """Write ``database_copy`` as this replica's snapshot ``number`` (atomically)."""
    directory = folder / replica
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / snapshot_name(number)
    temp = directory / f".tmp-{path.name}-{os.getpid()}"
    encrypted = keys.passphrase is not None
    head = {"momentum_snapshot": FORMAT, "replica": replica, "number": number, **header,
            "cipher": {"alg": "AES-256-GCM", "kdf": "scrypt"} if encrypted else None}
    digest = hashlib.sha256()
    size = count = 0
    with open(database_copy, "rb") as source, open(temp, "wb") as out:
        out.write((json.dumps(head, sort_keys=True) + "\n").encode())
        for index, data, last in _chunks(source):
            digest.update(data)
            size += len(data)
            count += 1
            if encrypted:
                nonce = os.urandom(12)
                data = nonce + keys.aead(replica).encrypt(
                    nonce, data, _aad(replica, number, index, last))
            out.write(struct.pack(">I", len(data)))
            out.write(data)
        out.write(struct.pack(">I", 0))
        out.write((json.dumps({"chunks": count, "size": size,
                               "sha256": digest.hexdigest()}) + "\n").encode())
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    fsync_dir(directory)
    for old in sorted(p for p in directory.iterdir() if SNAPSHOT.match(p.name))[:-KEEP]:
        old.unlink(missing_ok=True)
    return path


def read(snapshot: Snapshot, keys: Keys, target: Path) -> dict[str, Any]:
    """Check and unpack ``snapshot`` into the database file ``target``; its header.

    :class:`SegmentError` (damaged, newer) or :class:`PassphraseError`; ``target`` is
    only complete when this returns. A plain snapshot is checked against its trailer's
    SHA-256; an encrypted one by each chunk's AES-GCM tag instead (it binds the chunk's
    index and whether it is the last, so a changed, missing, moved or cut chunk fails it;
    the SHA-256 over the same bytes would prove nothing more). ``target`` is not fsynced:
    it is a working copy (the database it is copied into is, see :func:`copy_into`)."""
    header = snapshot.header()
    encrypted = header.get("cipher") is not None
    if encrypted and keys.passphrase is None:
        raise PassphraseError(f"{snapshot.replica[:8]}'s snapshot is encrypted: give the "
                              "passphrase with --passphrase-file")
    name = snapshot.path.name
    digest = None if encrypted else hashlib.sha256()
    size = index = 0
    # Two buffers, used in turn: a chunk is known to be the last only when the next
    # length (0) is read. No chunk is longer than CHUNK and an encryption's nonce and tag.
    buffers = [bytearray(CHUNK + _SEAL), bytearray(CHUNK + _SEAL)]
    turn = 0
    with open(snapshot.path, "rb") as handle, open(target, "wb") as out:
        handle.readline(64 * 1024)
        pending: memoryview | None = None
        while True:
            raw = handle.read(4)
            if len(raw) != 4:
                raise SegmentError("damaged", f"{name}: incomplete (still being copied?)")
            (length,) = struct.unpack(">I", raw)
            if length > CHUNK + (_SEAL if encrypted else 0):
                raise SegmentError("damaged", f"{name}: a chunk of {length} bytes")
            chunk = memoryview(buffers[turn])[:length]
            if handle.readinto(chunk) != length:
                raise SegmentError("damaged", f"{name}: incomplete (still being copied?)")
            if pending is not None:  # the chunk before this one: last if this ends it
                data = _open(pending, keys, snapshot, index, not length, encrypted)
                if digest is not None:
                    digest.update(data)
                size += len(data)
                out.write(data)
                index += 1
            if not length:
                break
            pending, turn = chunk, 1 - turn
        try:
            trailer = json.loads(handle.readline(64 * 1024).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SegmentError("damaged", f"{name}: incomplete (still being copied?)") from None
    if not isinstance(trailer, dict) or trailer.get("chunks") != index \
            or trailer.get("size") != size \
            or (digest is not None and trailer.get("sha256") != digest.hexdigest()):
        raise SegmentError("damaged", f"{name}: wrong checksum")
    return header


def _open(chunk: memoryview, keys: Keys, snapshot: Snapshot, index: int, last: bool,
          encrypted: bool) -> bytes | memoryview:
    """A chunk's database bytes. A chunk that does not decrypt is a wrong passphrase
    when it is the first; after a first one that did, the file is damaged."""
    if not encrypted:
        return chunk
    from cryptography.exceptions import InvalidTag  # noqa: PLC0415

    try:
        return bytes(keys.aead(snapshot.replica).decrypt(
            chunk[:12], chunk[12:], _aad(snapshot.replica, snapshot.number, index, last)))
    except InvalidTag:
        if index:
            raise SegmentError("damaged", f"{snapshot.path.name}: chunk {index} does not "
                               "match its tag (damaged or cut)") from None
        raise PassphraseError(f"wrong passphrase: {snapshot.path.name} of "
                              f"{snapshot.replica[:8]} cannot be decrypted with it") from None


def temporary_file(near: Path | None) -> Path:
    """A private temporary database file (outside the synced folder: it is plain)."""
    fd, name = tempfile.mkstemp(prefix="momentum-snapshot-", suffix=".sqlite3",
                                dir=str(near) if near is not None and near.is_dir() else None)
    os.close(fd)
    os.unlink(name)  # VACUUM INTO wants a file that does not exist
    return Path(name)
