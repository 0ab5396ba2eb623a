"""The merged log in its one order, and the fold of it from checkpoints (SPEC v2 §13).

Every replica orders the events the same way: by (stamp, replica id), the events of this
replica not stamped yet (made since its last sync) after all of them in the order they
were made. :func:`canonical_events` yields the log in that order to the engine's fold —
``momentum doctor`` and sync both read it — with the rule for one item completed on two
replicas while apart: the earlier completion counts, the later one stays in the history
worth nothing (it is not folded), and a reopen of it reopens the item's counting one.

:func:`refold` is how events that arrive "in the past" of what this replica folded are
taken in: the fold starts again from the last checkpoint before the earliest of them
(:data:`KEEP` checkpoints of the fold's state are kept, taken at the end of each fold),
never a special case; a checkpoint folded with other definitions or by other rules (the
engine's ``RULES_VERSION``) is not used.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, literal, select, tuple_, update

from .. import catalog
from ..engine.state import MemoryState, Settings, StateView
from ..engine.step import RULES_VERSION, Builder, Definitions, EventIn, collection_paused
from ..engine.step import resume as resume_fold
from ..models import Event, SyncCheckpoint, SyncEvent, table_of
from ..services.sql_values import raw

_EV = table_of(Event)
_SEV = table_of(SyncEvent)
_CP = table_of(SyncCheckpoint)
#: Where an event not stamped yet sorts: after every stamp.
UNSTAMPED = 2**62
KEEP = 3
_STAMP = func.coalesce(_SEV.c.stamp, literal(UNSTAMPED))
_REPLICA = func.coalesce(_SEV.c.replica, literal(""))


@dataclass
class Tracker:
    """Which completion counts for each item, and which were set aside (duplicates)."""

    active: dict[tuple[int, str, Any], tuple[int, str]] = field(default_factory=dict)
    completions: dict[int, tuple[int, str, Any]] = field(default_factory=dict)
    set_aside: set[int] = field(default_factory=set)

    def admit(self, event: EventIn, replica: str) -> EventIn | None:
        """The event as the fold takes it, or None when it is worth nothing."""
        kind = catalog.KIND_BY_SOURCE.get(event.type)
        if kind is not None:
            item = event.meta.get("item_id")
            if item is None:
                return event
            slot = (event.profile_id, kind.value, item)
            holder = self.active.get(slot)
            if holder is not None and holder[1] != replica:
                self.set_aside.add(event.id)  # completed on two replicas: the earlier counts
                self.completions[event.id] = slot  # a reopen of it reopens the counting one
                return None
            self.active[slot] = (event.id, replica)
            self.completions[event.id] = slot
            return event
        if event.type == catalog.REVERSAL_EVENT:
            target = event.meta.get("completion")
            if not isinstance(target, int):
                return event
            target_slot = self.completions.get(target)
            if target in self.set_aside:
                slot_holder = None if target_slot is None else self.active.get(target_slot)
                if slot_holder is None:
                    return None
                target = slot_holder[0]
                event = EventIn(event.id, event.profile_id, event.key, event.type,
                                event.occurred_at, event.activity_day, event.processed_at,
                                {**event.meta, "completion": target})
            if target_slot is None:
                return event  # a completion the tracker never saw (not a synced item)
            if self.active.get(target_slot, (None,))[0] != target:
                return None  # reopened on two replicas: the first reopen did it
            del self.active[target_slot]
            return event
        return event


def settle_items(conn: Connection, tracker: Tracker) -> None:
    """Each item completed on two replicas while apart shows what the fold decided: done
    at the counting completion's instant, or open when it was reopened. Its ``status``
    and ``completed_at`` travelled as fields (the later stamp wins), which may name the
    completion worth nothing, or a reopen the fold gave to the counting one. Every
    replica folds the same log, so each writes the same values; the fields' stamps stay,
    and what was exchanged (``sync_fields``) says these values, so nothing is sent."""
    from ..models import Completion, SyncField  # noqa: PLC0415
    from . import registry  # noqa: PLC0415
    from .registry import BY_NAME, dumps  # noqa: PLC0415

    if not tracker.set_aside:
        return
    items = {(kind, item) for (_, kind, item) in (
        tracker.completions[e] for e in tracker.set_aside if e in tracker.completions)
        if isinstance(item, int)}
    done = table_of(Completion)
    fields = table_of(SyncField)
    for kind, item in sorted(items):
        name = registry.ITEM_TABLES.get(kind)
        if name is None:
            continue
        table = BY_NAME[name].table
        row = conn.execute(select(table.c.status, table.c.completed_at)
                           .where(table.c.id == item)).first()
        if row is None:
            continue
        counting = conn.execute(
            select(_EV.c.occurred_at).select_from(done.join(_EV, _EV.c.id == done.c.event_id))
            .where(done.c.kind == kind, done.c.item_id == item, done.c.active.is_(True))
            .order_by(done.c.event_id.desc()).limit(1)).scalar()
        wanted = {"status": "open" if counting is None else "done", "completed_at": counting}
        if (row.status, row.completed_at) == (wanted["status"], wanted["completed_at"]):
            continue
        conn.execute(update(table).where(table.c.id == item).values(**wanted))
        for column, value in wanted.items():
            conn.execute(update(fields).where(
                fields.c.tbl == name, fields.c.local_id == item, fields.c.field == column)
                .values(value=dumps(value)))


def _query(after: tuple[int, str, int] | None = None, *, stamped: bool = False) -> Any:
    """The log after ``after`` in its order. ``stamped``: every event has its stamp (none
    made since the last capture), so the order is ``sync_events``' index and a query
    after a position reads only the events after it, not the whole log."""
    if stamped:
        query = (select(_EV.c.id, _EV.c.profile_id, _EV.c.key, _EV.c.type,
                        _EV.c.occurred_at, _EV.c.activity_day, _EV.c.processed_at,
                        _EV.c.meta, _SEV.c.replica)
                 .select_from(_SEV.join(_EV, _EV.c.id == _SEV.c.event_id))
                 .order_by(_SEV.c.stamp, _SEV.c.replica, _SEV.c.event_id))
        if after is not None:
            query = query.where(tuple_(_SEV.c.stamp, _SEV.c.replica, _SEV.c.event_id)
                                > tuple_(*after))
        return query
    query = (select(_EV.c.id, _EV.c.profile_id, _EV.c.key, _EV.c.type, _EV.c.occurred_at,
                    _EV.c.activity_day, _EV.c.processed_at, _EV.c.meta, _REPLICA)
             .outerjoin(_SEV, _SEV.c.event_id == _EV.c.id)
             .order_by(_STAMP, _REPLICA, _EV.c.id))
    if after is not None:
        query = query.where(tuple_(_STAMP, _REPLICA, _EV.c.id) > tuple_(*after))
    return query


def all_stamped(conn: Connection) -> bool:
    """Whether every event has its stamp (each ``sync_events`` row is one event's)."""
    return bool(conn.execute(select(func.count()).select_from(_EV)).scalar()
                == conn.execute(select(func.count()).select_from(_SEV)).scalar())


def canonical_events(conn: Connection, after: tuple[int, str, int] | None = None,
                     tracker: Tracker | None = None, local: str | None = None
                     ) -> Iterator[EventIn]:
    """The log in (stamp, replica) order, as the fold takes it."""
    tracker = tracker if tracker is not None else Tracker()
    if local is None:
        from ..models import SyncReplica  # noqa: PLC0415

        local = conn.execute(select(SyncReplica.replica_id)).scalar() or ""
    # The rows come straight from the sqlite3 connection and are converted here, as
    # SQLAlchemy's types would (an instant naive UTC, a day ISO, the meta JSON text):
    # its per-value result processing was a third of reading a 20k-event log.
    compiled = _query(after, stamped=after is not None and all_stamped(conn)).compile(
        dialect=conn.dialect)
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    instant, day, loads = datetime.fromisoformat, date.fromisoformat, json.loads
    for row in raw(conn).execute(str(compiled), params):
        meta = row[7]
        event = EventIn(row[0], row[1], row[2], row[3], instant(row[4]).replace(tzinfo=UTC),
                        day(row[5]), instant(row[6]).replace(tzinfo=UTC),
                        (loads(meta) if meta is not None else None) or {})
        admitted = tracker.admit(event, row[8] or local)
        if admitted is not None:
            yield admitted


def definitions_hash(defs: Definitions) -> str:
    """What a checkpoint was folded with: the definitions and the engine's rules (a
    checkpoint of other rules is not a state these rules would have reached)."""
    def norm(mapping: Any) -> Any:
        return sorted((repr(k), repr(v)) for k, v in dict(mapping).items())

    text = repr((RULES_VERSION, norm(defs.event_types), norm(defs.customs),
                 norm(defs.projects), norm(defs.initial_settings)))
    return hashlib.sha256(text.encode()).hexdigest()


#: A checkpoint's blob: ``MAGIC``, the length of its head, the head (the definitions'
#: digest and a :class:`Resume`), then the whole fold state or nothing (a checkpoint that
#: only says "the stored tables are the fold up to here"). Older blobs are one pickle of
#: ``(digest, state, tracker)``.
MAGIC = b"MCP2"
_HEAD = struct.Struct(">4sQ")


@dataclass
class Resume:
    """What a checkpoint keeps besides the derived rows: what only the log knows.

    ``stored`` is the :func:`fingerprint` of the log and the derived tables right after
    the fold that wrote this checkpoint wrote its rows: while it is unchanged, the stored
    tables *are* the fold's state at the checkpoint, and a fold can start from them."""

    tracker: Tracker
    settings_of: dict[int, Settings]
    profile_ids: set[int]
    defined_ids: dict[int, set[str]]
    stored: tuple[int, ...] | None = None


@dataclass
class FoldResult:
    """``state``: the whole fold (``layered`` False: it replaces every derived table), or
    only the rows this fold changed over the stored tables (``layered``: upserted)."""

    state: MemoryState
    events: int
    from_position: int
    layered: bool = False
    resume: Resume | None = None
    end: tuple[int, str, int] | None = None
    digest: str = ""


def fingerprint(conn: Connection) -> tuple[int, ...]:
    """The size and last id of the log, the ledger and the completions: any event folded
    or rows written outside a sync's fold since (a live completion, an import, a
    restore) changes it."""
    db = conn.connection.driver_connection
    assert isinstance(db, sqlite3.Connection)
    found: list[int] = []
    for table, column in (("events", "id"), ("ledger", "id"), ("completions", "event_id")):
        count, last = db.execute(f"SELECT count(*), coalesce(max({column}), 0) "  # noqa: S608
                                 f"FROM {table}").fetchone()
        found += [int(count), int(last)]
    return tuple(found)


def _blob(conn: Connection, row_id: int) -> Any:
    db = conn.connection.driver_connection
    assert isinstance(db, sqlite3.Connection)
    return db.blobopen("sync_checkpoints", "state", row_id, readonly=True)


def _head(conn: Connection, row_id: int) -> tuple[str, Resume | None, int | None]:
    """A checkpoint's digest, its :class:`Resume` and where its whole state starts in the
    blob (None: it has none). Only the head is read: the state may be 100 MB."""
    with _blob(conn, row_id) as blob:
        prefix = blob.read(_HEAD.size)
        if len(prefix) == _HEAD.size and prefix[:4] == MAGIC:
            (_, size) = _HEAD.unpack(prefix)
            digest, resume = pickle.loads(blob.read(size))  # noqa: S301 - our own file
            full = _HEAD.size + size
            return digest, resume, full if len(blob) > full else None
    return "", None, 0  # the older format: one pickle of the whole


def _full(conn: Connection, row_id: int, offset: int
          ) -> tuple[str, MemoryState, Tracker | None]:
    with _blob(conn, row_id) as blob:
        blob.seek(offset)
        loaded = pickle.loads(blob.read())  # noqa: S301 - our own file
    if offset == 0:
        digest, state, tracker = loaded
        return digest, state, tracker
    return "", loaded, None


def refold(conn: Connection, defs: Definitions, earliest: tuple[int, str, int] | None,
           now: datetime, *, unchanged: tuple[int, ...] | None = None,
           stored: Callable[[Resume], StateView] | None = None) -> FoldResult:
    """The fold of the whole merged log, started from the latest usable checkpoint.

    ``earliest``: the (stamp, replica, id) of the earliest event that arrived (None: only
    definitions changed). Checkpoints at or after it are dropped. When the latest usable
    checkpoint is the one the previous fold wrote and nothing changed the stored tables
    since (``unchanged``: the :func:`fingerprint` before this sync's events were added),
    the fold starts from the stored tables themselves (``stored`` makes the view of them)
    and its result is a layer of the rows it changed: a fold of the new events only, the
    same whatever the length of the history. Otherwise a checkpoint's whole state (or the
    empty state) is the start. Write the result, then :func:`keep` it.
    """
    digest = definitions_hash(defs)
    query = select(_CP.c.id, _CP.c.position, _CP.c.stamp, _CP.c.replica,
                   _CP.c.event_id).order_by(_CP.c.position.desc())
    after = None
    position = 0
    start: MemoryState | None = None
    tracker: Tracker | None = None
    base: StateView | None = None
    resume: Resume | None = None
    for row in conn.execute(query).all():
        key = (row.stamp, row.replica, row.event_id)
        if earliest is not None and key >= earliest:
            conn.execute(delete(_CP).where(_CP.c.id == row.id))
            continue
        saved_digest, resume, offset = _head(conn, row.id)
        if resume is not None and saved_digest == digest and stored is not None \
                and unchanged is not None and resume.stored == unchanged:
            base, tracker, after, position = stored(resume), resume.tracker, key, row.position
            break
        if offset is None or (resume is not None and saved_digest != digest):
            conn.execute(delete(_CP).where(_CP.c.id == row.id))
            resume = None
            continue
        full_digest, state, old_tracker = _full(conn, row.id, offset)
        if resume is None:
            saved_digest = full_digest
        if saved_digest != digest:
            conn.execute(delete(_CP).where(_CP.c.id == row.id))
            resume = None
            continue
        start, after, position = state, key, row.position
        tracker = resume.tracker if resume is not None else old_tracker
        resume = None
        break
    else:
        resume = None
    tracker = tracker if tracker is not None else Tracker()
    if base is not None:
        builder = Builder(base, defs)
    else:
        builder = resume_fold(start if start is not None else MemoryState(), defs)
    count = 0
    with collection_paused():
        for event in canonical_events(conn, after, tracker):
            builder.apply(event, with_outcome=False)
            count += 1
    folded = builder.top
    if resume is not None:  # a layer: the small parts are the checkpoint's and the layer's
        defined = {pid: set(ids) for pid, ids in resume.defined_ids.items()}
        for pid, ids in folded.defined_ids.items():
            defined.setdefault(pid, set()).update(ids)
        resume = Resume(tracker, {**resume.settings_of, **folded.settings_of},
                        resume.profile_ids | folded.profile_ids, defined)
    else:
        resume = Resume(tracker, dict(folded.settings_of), set(folded.profile_ids),
                        {pid: set(ids) for pid, ids in folded.defined_ids.items()})
    return FoldResult(folded, count, position, layered=base is not None, resume=resume,
                      end=_last_key(conn), digest=digest)


def keep(conn: Connection, result: FoldResult, now: datetime) -> None:
    """Save the end of a written fold as the newest checkpoint (with the whole state when
    the fold had it, else only what the stored tables cannot tell), keeping the newest
    :data:`KEEP` whole states and the newest checkpoint."""
    end = result.end
    if end is None or end[0] >= UNSTAMPED or result.resume is None:
        return
    stored = fingerprint(conn)
    resume = Resume(result.resume.tracker, result.resume.settings_of,
                    result.resume.profile_ids, result.resume.defined_ids, stored)
    head = pickle.dumps((result.digest, resume), protocol=pickle.HIGHEST_PROTOCOL)
    blob = _HEAD.pack(MAGIC, len(head)) + head
    if not result.layered:
        blob += pickle.dumps(result.state, protocol=pickle.HIGHEST_PROTOCOL)
    conn.execute(insert(_CP).values(  # the end of the log: its position is its length
        position=stored[0], stamp=end[0], replica=end[1], event_id=end[2],
        state=blob, created_at=now))
    wholes = 0
    for index, row_id in enumerate(conn.execute(select(_CP.c.id).order_by(
            _CP.c.position.desc(), _CP.c.id.desc())).scalars().all()):
        whole = _head(conn, row_id)[2] is not None
        if index == 0 or (whole and wholes < KEEP):
            wholes += whole
            continue
        conn.execute(delete(_CP).where(_CP.c.id == row_id))


def _last_key(conn: Connection) -> tuple[int, str, int] | None:
    if all_stamped(conn):  # the last by the index, without sorting the log
        found = conn.execute(select(_SEV.c.stamp, _SEV.c.replica, _SEV.c.event_id).order_by(
            _SEV.c.stamp.desc(), _SEV.c.replica.desc(), _SEV.c.event_id.desc())
            .limit(1)).first()
        return None if found is None else (int(found[0]), str(found[1]), int(found[2]))
    row = conn.execute(select(_STAMP, _REPLICA, _EV.c.id)
                       .outerjoin(_SEV, _SEV.c.event_id == _EV.c.id)
                       .order_by(_STAMP.desc(), _REPLICA.desc(), _EV.c.id.desc())
                       .limit(1)).first()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))
