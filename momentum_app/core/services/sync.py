"""``momentum sync --folder PATH``: one exchange with a synced folder (SPEC v2 §13).

One sync, in this order, so that nothing is ever half-applied:

1. **read** — the folder is scanned (conflict copies and temporary files of sync tools are
   listed and left alone) and every other replica's segments after the last one read are
   read and checked (checksums, end line, format, passphrase). A wrong passphrase stops
   here: exit 2, nothing changed. A damaged or newer segment is noted; that replica's
   later segments wait for the next sync.
2. **one write transaction** — this replica's changes since the last sync are captured
   (stamped, into the outbox), the others' are applied (later stamp wins per field), the
   merged log is folded again from a checkpoint when events arrived or definitions
   changed, and the read positions are recorded.
3. **files** — the outbox is written as a segment (temporary name, fsync, rename) and the
   manifest updated, then the outbox emptied. A crash between 2 and 3 leaves the outbox,
   which the next sync writes as the same segment.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text, update

from .. import catalog
from ..backups import keep_as_scheduled
from ..engine.state import GLOBAL, POINTS_TOTAL
from ..engine.step import RULES_VERSION
from ..errors import ValidationError
from ..models import (
    Counter,
    Event,
    EventType,
    Goal,
    Profile,
    Reward,
    SyncCheckpoint,
    SyncId,
    SyncOutbox,
    SyncPeer,
    SyncReplica,
    Task,
    TimeSlot,
    Vacation,
    table_of,
)
from ..sync import segments, snapshots
from ..sync.changes import Ids, apply, capture
from ..sync.hlc import Clock
from ..sync.order import fingerprint, keep, refold, settle_items
from .context import Context

_REPLICA = table_of(SyncReplica)
_OUTBOX = table_of(SyncOutbox)
_PEER = table_of(SyncPeer)
_CHECKPOINT = table_of(SyncCheckpoint)
#: Tables the fold reads as definitions: a change to one folds the log again.
DEFINITION_TABLES = frozenset({"profiles", "vacations", "projects", "event_types",
                               "custom_achievements"})


@dataclass
class SyncReport:
    replica: str = ""
    folder: str = ""
    received: dict[str, int] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)
    segments_read: int = 0
    segments_written: list[str] = field(default_factory=list)
    events_folded: int = 0
    #: This profile's points before and after: what came in from the other computers.
    points_before: int = 0
    points_after: int = 0
    ignored: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    first_sync: bool = False
    #: Changes that refer to something not received yet (read again at the next sync).
    waiting: int = 0
    #: The snapshot this sync wrote (``<replica>/snap-….msnap``), or the one a new
    #: database took the folder's contents from (docs/SYNC.md "Snapshots").
    snapshot_written: str | None = None
    snapshot_read: str | None = None

    @property
    def points_arrived(self) -> int:
        return self.points_after - self.points_before

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SyncReport:
        """The report the database keeps of the last sync (``sync_replica.last_report``);
        keys it does not know (``points_arrived``, derived) are left out."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def to_json(self) -> dict[str, Any]:
        return {"replica": self.replica, "folder": self.folder, "received": self.received,
                "sent": self.sent, "segments_read": self.segments_read,
                "segments_written": self.segments_written,
                "events_folded": self.events_folded, "points_before": self.points_before,
                "points_after": self.points_after, "points_arrived": self.points_arrived,
                "ignored": self.ignored, "problems": self.problems,
                "first_sync": self.first_sync, "waiting": self.waiting,
                "snapshot_written": self.snapshot_written,
                "snapshot_read": self.snapshot_read}


@dataclass(frozen=True)
class SyncStatusDTO:
    """``sync --status``: this replica, its folder and the last sync (its time and report).
    Its JSON keeps the keys the status had as a dict: ``replica``, ``folder``,
    ``last_sync_at`` (ISO or null) and ``last_report`` (the report's JSON or null)."""

    replica: str
    folder: str | None
    last_sync_at: datetime | None
    last_report: SyncReport | None

    def to_json(self) -> dict[str, Any]:
        return {"replica": self.replica, "folder": self.folder,
                "last_sync_at": self.last_sync_at.isoformat() if self.last_sync_at else None,
                "last_report": self.last_report.to_json() if self.last_report else None}


#: How a change count's verb ("created tasks", "edited goals") reads for a person.
_VERBS = {"created": "new", "edited": "edited", "deleted": "deleted", "restored": "restored",
          "removed": "removed"}


def describe_count(label: str, number: int) -> str:
    """One change count of a :class:`SyncReport` in words: ``"created tasks", 1`` →
    ``"1 new task"``, ``"events", 3`` → ``"3 events"``, ``"merged projects", 2`` →
    ``"2 projects met by name"`` (the same name made on two computers)."""
    verb, _, table = label.partition(" ")
    if verb not in _VERBS and verb != "merged":  # a bare noun: "events"
        noun = label.replace("_", " ")
        return f"{number:,} {noun[:-1] if number == 1 and noun.endswith('s') else noun}"
    noun = table.replace("_", " ") or "items"
    if number == 1 and noun.endswith("s"):
        noun = noun[:-1]
    if verb == "merged":
        return f"{number:,} {noun} met by name"
    return f"{number:,} {_VERBS[verb]} {noun}"


def describe_counts(counts: dict[str, int]) -> str:
    """All of a report's ``received`` or ``sent`` counts in words, or ``"nothing"``."""
    return ", ".join(describe_count(k, v) for k, v in sorted(counts.items())) or "nothing"


def _points(conn: Connection, profile_id: int) -> int:
    table = Counter.__table__
    return int(conn.execute(select(table.c.value).where(
        table.c.profile_id == profile_id, table.c.scope == GLOBAL,
        table.c.name == POINTS_TOTAL)).scalar() or 0)


def _nothing_entered(conn: Connection) -> bool:
    for model in (Task, Goal, TimeSlot, Vacation, Reward, EventType):
        if conn.execute(select(func.count()).select_from(model)).scalar():
            return False
    if conn.execute(select(func.count()).select_from(Event).where(
            Event.type != catalog.SETTINGS_EVENT)).scalar():
        return False
    return int(conn.execute(select(func.count()).select_from(Profile)).scalar() or 0) <= 1


def replica_row(conn: Connection) -> Any:
    return conn.execute(select(_REPLICA)).first()


def _ensure_replica(conn: Connection) -> Any:
    row = replica_row(conn)
    if row is None:
        conn.execute(insert(_REPLICA).values(replica_id=uuid.uuid4().hex, clock=0,
                                             next_segment=1))
        row = replica_row(conn)
    return row


def _refuse_plain_into_encrypted(scan: segments.FolderScan) -> None:
    """Without a passphrase, a folder whose computers encrypt (the latest segment of any
    of them, this one's included) is bad input: this computer would write its changes
    there in clear, and could not read the others' next ones."""
    for replica, numbers in sorted(scan.segments.items()):
        if numbers and segments.is_encrypted(numbers[max(numbers)]):
            raise ValidationError(
                "passphrase", f"{replica[:8]}'s changes in this folder are encrypted: give "
                "the passphrase with --passphrase-file; nothing was applied or written")


def _check_passphrase(scan: segments.FolderScan, mine: str | None,
                      keys: segments.Keys) -> None:
    """The passphrase must open a segment already in the folder when this sync decrypted
    none (nothing new to read): else what this computer writes next, encrypted with a
    wrong passphrase, would stop every other computer's sync. This computer's own latest
    segment is tried first, then the others' (one that opens is enough: every computer
    uses the same passphrase). Raises ``segments.PassphraseError``."""
    order = sorted(scan.segments.items(), key=lambda item: (item[0] != mine, item[0]))
    for replica, numbers in order:
        if not numbers or not segments.is_encrypted(numbers[max(numbers)]):
            continue
        try:
            segments.read_segment(numbers[max(numbers)], replica, max(numbers), keys)
        except segments.SegmentError:
            continue  # half copied or newer: it says nothing of the passphrase
        return


def read_passphrase(path: str | Path | None) -> str | None:
    """The passphrase in a file (its first line, without the line end)."""
    if path is None:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("passphrase-file", f"cannot read {path}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
    passphrase = text.splitlines()[0] if text else ""
    if not passphrase:
        raise ValidationError("passphrase-file", f"{path} is empty")
    return passphrase


class SyncService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _folder(self, folder: str | Path) -> Path:
        path = Path(folder).expanduser()
        if path.exists() and not path.is_dir():
            raise ValidationError("folder", f"{path} is not a folder")
        if not path.exists():
            if not path.parent.is_dir():
                raise ValidationError("folder", f"{path} does not exist")
            path.mkdir()
        return path

    def status(self) -> SyncStatusDTO | None:
        """The last sync's folder, time and report (None: never synced)."""
        with self.ctx.db.reading() as session:
            row = replica_row(session.connection())
        if row is None:
            return None
        return SyncStatusDTO(row.replica_id, row.folder, row.last_sync_at,
                             SyncReport.from_json(row.last_report) if row.last_report else None)

    def uids(self, table: str, local_ids: Iterable[int]) -> dict[int, str]:
        """The ``uid`` of each row (the same on every replica) by its local id; a row
        not synced yet has none. A row known by two uids (met by name) shows the one it
        writes (its first)."""
        wanted = set(local_ids)
        if not wanted:
            return {}
        ids = SyncId.__table__
        found: dict[int, str] = {}
        query = select(ids.c.local_id, ids.c.uid).where(ids.c.tbl == table)
        if len(wanted) <= 500:
            query = query.where(ids.c.local_id.in_(wanted))
        with self.ctx.db.reading() as session:
            for local, uid in session.connection().execute(
                    query.order_by(text("rowid"))):
                if local in wanted:
                    found.setdefault(local, uid)
        return found

    def run(self, folder: str | Path, passphrase: str | None = None) -> SyncReport:
        path = self._folder(folder)
        keys = segments.Keys(passphrase)
        report = SyncReport(folder=str(path))
        scan = segments.scan(path)
        report.ignored = scan.ignored
        if passphrase is None:
            _refuse_plain_into_encrypted(scan)
        taken = self._adopt(path, scan, keys, report) if scan.snapshots else None
        adopted = taken is not None
        # A snapshot folded by other rules (or rules it does not name) gives its source
        # data and log, not its derived tables: they are folded again here.
        other_rules = taken is not None and taken.get("rules") != RULES_VERSION
        with self.ctx.db.reading() as session:
            conn = session.connection()
            row = replica_row(conn)
            mine = row.replica_id if row is not None else None
            read = {r.replica: r.segments_read for r in conn.execute(select(_PEER))}
        incoming: list[dict[str, Any]] = []
        positions: dict[str, int] = {}
        opened = False  # an encrypted segment was read with this passphrase
        try:
            for replica, numbers in sorted(scan.segments.items()):
                if replica == mine:
                    continue
                last = read.get(replica, 0)
                for number, file in segments.contiguous(numbers, last):
                    try:
                        records = segments.read_segment(file, replica, number, keys)
                    except segments.SegmentError as exc:
                        report.problems.append(f"{replica[:8]}/{file.name}: {exc}"
                                               if exc.kind == "newer" else
                                               f"{replica[:8]}/{exc}; it will be read again "
                                               "at the next sync")
                        break
                    opened = opened or segments.is_encrypted(file)
                    for record in records:
                        record["_from"] = (replica, number)
                    incoming.extend(records)
                    last = number
                    report.segments_read += 1
                if last != read.get(replica, 0):
                    positions[replica] = last
            if passphrase is not None and not opened:
                _check_passphrase(scan, mine, keys)
        except segments.PassphraseError as exc:
            raise ValidationError("passphrase", f"{exc}; nothing was applied") from None

        now = self.ctx.now()
        with self.ctx.db.transaction() as session:
            conn = session.connection()
            report.first_sync = adopted or replica_row(conn) is None
            baseline = report.first_sync and _nothing_entered(conn)
            row = _ensure_replica(conn)
            report.replica = mine = row.replica_id
            clock = Clock(row.clock, now)
            report.points_before = _points(conn, self.ctx.profile_id)
            unchanged = fingerprint(conn)  # the log as the last fold left it, or not
            ids = Ids(conn)
            if baseline and any(r.get("t") == "profiles" for r in incoming):
                # A new database takes what the folder holds: its own default profile
                # meets the folder's by name, without a settings event of its own.
                conn.execute(delete(table_of(Event)))
                applied = apply(conn, ids, clock, incoming)
                captured = capture(conn, ids, clock, mine, baseline=True)
            else:
                captured = capture(conn, ids, clock, mine, baseline=baseline)
                applied = apply(conn, ids, clock, incoming)
            report.sent = captured.counts
            next_segment = row.next_segment
            if captured.records:
                conn.execute(insert(_OUTBOX), [
                    {"segment": next_segment, "record": json.dumps(record, sort_keys=True,
                                                                   default=str)}
                    for record in captured.records])
                next_segment += 1
            report.received = applied.counts
            report.problems += applied.problems
            for replica, number in applied.waiting:
                positions[replica] = min(positions.get(replica, number), number - 1)
            report.waiting = len(applied.waiting)
            touched = {key.split(" ", 1)[1] for key in applied.counts if " " in key}
            sent_definitions = any(record.get("t") in DEFINITION_TABLES
                                   for record in captured.records)
            has_checkpoint = conn.execute(select(func.count()).select_from(
                SyncCheckpoint)).scalar()
            if other_rules:  # from the empty state: no checkpoint of those rules is used
                conn.execute(delete(_CHECKPOINT))
                report.events_folded = self._fold(conn, None, now)
                conn.exec_driver_sql(f"PRAGMA user_version = {int(RULES_VERSION)}")
            elif applied.new_events or touched & DEFINITION_TABLES or sent_definitions \
                    or (not has_checkpoint and positions):
                report.events_folded = self._fold(conn, applied.earliest, now, unchanged)
            for replica, last in positions.items():
                conn.execute(insert(_PEER).prefix_with("OR REPLACE").values(
                    replica=replica, segments_read=last, read_at=now))
            report.points_after = _points(conn, self.ctx.profile_id)
            conn.execute(update(_REPLICA).values(
                clock=clock.last, next_segment=next_segment, folder=str(path),
                last_sync_at=now))
        report.segments_written = self.flush(path, mine, keys)
        self._maybe_snapshot(path, scan, keys, report)
        with self.ctx.db.transaction() as session:
            session.connection().execute(update(_REPLICA).values(
                last_report=report.to_json()))
        return report

    # -- snapshots (docs/SYNC.md "Snapshots") ----------------------------------------------

    def _adopt(self, folder: Path, scan: segments.FolderScan, keys: segments.Keys,
               report: SyncReport) -> dict[str, Any] | None:
        """A new empty database takes the folder's contents from the newest usable
        snapshot (then reads only the segments after it): its header. None: not new, or
        none usable."""
        with self.ctx.db.reading() as session:
            conn = session.connection()
            if replica_row(conn) is not None or not _nothing_entered(conn):
                return None
            schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            profile = conn.execute(select(Profile.name).where(
                Profile.id == self.ctx.profile_id)).scalar()
        found = []
        for replica, numbers in scan.snapshots.items():
            for number, file in numbers.items():
                snap = snapshots.Snapshot(file, replica, number)
                try:
                    header = snap.header()
                except segments.SegmentError as exc:
                    report.problems.append(f"{replica[:8]}/{exc}")
                    continue
                found.append((int(header.get("events") or 0), str(header.get("written_at")),
                              number, snap, header))
        for *_, snap, header in sorted(found, key=lambda f: f[:3], reverse=True):
            where = f"{snap.replica[:8]}/{snap.path.name}"
            if header.get("schema") != schema:
                report.problems.append(
                    f"{where}: written by another version of Momentum (schema "
                    f"{header.get('schema')}, this one {schema}); the segments are read instead")
                continue
            near = self.ctx.db.path.parent if self.ctx.db.path is not None else None
            plain = snapshots.temporary_file(near)
            try:
                try:
                    snapshots.read(snap, keys, plain)
                except segments.PassphraseError as exc:
                    raise ValidationError("passphrase", f"{exc}; nothing was applied") from None
                except segments.SegmentError as exc:
                    report.problems.append(f"{snap.replica[:8]}/{exc}; the segments are read "
                                           "instead")
                    continue
                self._take(plain, folder, snap, profile)
                if self.ctx.db.path is not None:  # today's backup is made already
                    keep_as_scheduled(self.ctx.db.path, plain, self.ctx.now())
            finally:
                for leftover in (plain, plain.with_name(plain.name + "-journal")):
                    leftover.unlink(missing_ok=True)
            report.snapshot_read = where
            return header
        return None

    def _take(self, plain: Path, folder: Path, snap: snapshots.Snapshot,
              profile: str | None) -> None:
        """Make the snapshot's database this replica's: a new replica id, the segments it
        covers marked read, the writer's own tables (undo history, import origins)
        emptied — all in the copy — then copied over this database in one step."""
        import sqlite3  # noqa: PLC0415

        now = self.ctx.now()
        source = sqlite3.connect(plain, isolation_level=None)
        try:
            # The working copy's edits are not fsynced: it is copied into the database
            # next (that commit is), then kept as today's backup, which the kernel
            # writes out on its own; each fsync is the whole file (760 MB at 1M events).
            source.execute("PRAGMA synchronous = OFF")
            source.execute("BEGIN")
            for table in ("undo_entries", "import_sources", "sync_outbox"):
                source.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            source.execute("UPDATE sync_replica SET replica_id = ?, next_segment = 1, "
                           "folder = ?, last_sync_at = NULL, last_report = NULL",
                           (uuid.uuid4().hex, str(folder)))
            source.execute("INSERT OR REPLACE INTO sync_peers (replica, segments_read, "
                           "read_at) VALUES (?, ?, ?)",
                           (snap.replica, snap.number,
                            now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")))
            source.execute("COMMIT")
            pooled = self.ctx.db.engine.raw_connection()
            try:
                target = pooled.driver_connection
                assert isinstance(target, sqlite3.Connection)
                snapshots.copy_into(source, target)
            finally:
                pooled.close()
        finally:
            source.close()
        with self.ctx.db.reading() as session:
            conn = session.connection()
            self.ctx.profile_id = conn.execute(
                select(Profile.id).where(Profile.deleted_at.is_(None))
                .order_by((Profile.name == (profile or "")).desc(), Profile.is_default.desc(),
                          Profile.id)).scalar() or self.ctx.profile_id

    def _maybe_snapshot(self, folder: Path, scan: segments.FolderScan, keys: segments.Keys,
                        report: SyncReport) -> None:
        """After a sync, write a snapshot when the log grew enough since the newest one
        in the folder — only when nothing is left unsent (the copy is what the others
        hold), taken while holding the write lock."""
        if self.ctx.db.path is None:
            return
        newest_events, covered = 0, 0
        for replica, numbers in scan.snapshots.items():
            for number, file in numbers.items():
                try:
                    header = snapshots.Snapshot(file, replica, number).header()
                except segments.SegmentError:
                    continue
                if int(header.get("events") or 0) >= newest_events:
                    newest_events = int(header.get("events") or 0)
                    covered = sum(int(v) for v in dict(header.get("covers") or {}).values())
        plain = snapshots.temporary_file(self.ctx.db.path.parent)
        try:
            with self.ctx.db.transaction() as session:
                conn = session.connection()
                row = replica_row(conn)
                written = row.next_segment - 1
                events = int(conn.execute(select(func.count()).select_from(Event)).scalar()
                             or 0)
                peers = {r.replica: r.segments_read for r in conn.execute(select(_PEER))}
                in_folder = sum(len(n) for n in scan.segments.values()) \
                    + len(report.segments_written)
                if written < 1 or written in scan.snapshots.get(row.replica_id, {}) or not (
                        events - newest_events >= snapshots.every_events()
                        or in_folder - covered >= snapshots.EVERY_SEGMENTS):
                    return
                if conn.execute(select(func.count()).select_from(_OUTBOX)).scalar() \
                        or not self._all_sent(conn, row):
                    return
                header = {"schema": conn.execute(text(
                    "SELECT version_num FROM alembic_version")).scalar(),
                    "rules": RULES_VERSION,
                    "covers": {**peers, row.replica_id: written}, "events": events,
                    "written_at": self.ctx.now().isoformat()}
                pooled = self.ctx.db.engine.raw_connection()
                try:
                    target = pooled.driver_connection
                    assert isinstance(target, sqlite3.Connection)
                    snapshots.copy_database(target, plain)
                finally:
                    pooled.close()
            file = snapshots.write(folder, row.replica_id, written, plain, header, keys)
            report.snapshot_written = f"{row.replica_id[:8]}/{file.name}"
        except (OSError, sqlite3.Error) as exc:
            report.problems.append(f"no snapshot was written ({exc}); the segments are "
                                   "complete without it")
        finally:
            plain.unlink(missing_ok=True)

    def _all_sent(self, conn: Connection, row: Any) -> bool:
        """Nothing changed since this sync's capture (a dry capture, rolled back)."""
        savepoint = conn.begin_nested()
        try:
            captured = capture(conn, Ids(conn), Clock(row.clock, self.ctx.now()),
                               row.replica_id)
        finally:
            savepoint.rollback()
        return not captured.records

    def _fold(self, conn: Connection, earliest: tuple[int, str, int] | None,
              now: Any, unchanged: tuple[int, ...] | None = None) -> int:
        """Fold the merged log again and write it: only the rows that changed when the
        fold could start from the stored tables (``unchanged``: the log's fingerprint
        before this sync added anything, see :func:`..sync.order.refold`), else every
        derived table; then the new checkpoint."""
        from .doctor import definitions, write_fold  # noqa: PLC0415
        from .engine_store import ResumedState, write_rows  # noqa: PLC0415

        defs = definitions(conn)
        result = refold(conn, defs, earliest, now, unchanged=unchanged, stored=lambda r: (
            ResumedState(conn, r.settings_of, r.profile_ids, r.defined_ids)))
        if result.layered:
            write_rows(conn, result.state, upsert=True)
        else:
            write_fold(conn, result.state, sorted(defs.initial_settings))
        keep(conn, result, now)
        if result.resume is not None:
            settle_items(conn, result.resume.tracker)
        return result.events

    def flush(self, folder: Path, replica: str, keys: segments.Keys) -> list[str]:
        """Write the outbox's segments (after the commit), then empty it."""
        with self.ctx.db.reading() as session:
            rows = session.connection().execute(
                select(_OUTBOX.c.segment, _OUTBOX.c.record).order_by(_OUTBOX.c.id)).all()
        if not rows:
            return []
        by_segment: dict[int, list[dict[str, Any]]] = {}
        for number, record in rows:
            by_segment.setdefault(number, []).append(json.loads(record))
        written = []
        for number, records in sorted(by_segment.items()):
            written.append(segments.write_segment(folder, replica, number, records, keys).name)
        segments.write_manifest(folder, replica, max(by_segment),
                                self.ctx.now().isoformat())
        with self.ctx.db.transaction() as session:
            session.connection().execute(delete(_OUTBOX).where(
                _OUTBOX.c.segment <= max(by_segment)))
        return written
