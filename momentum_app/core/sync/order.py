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
never a special case; a checkpoint folded with other definitions is not used.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, literal, select, tuple_

from .. import catalog
from ..engine.state import MemoryState
from ..engine.step import Definitions, EventIn, resume
from ..models import Event, SyncCheckpoint, SyncEvent, table_of

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


def _query(after: tuple[int, str, int] | None = None) -> Any:
    query = (select(_EV.c.id, _EV.c.profile_id, _EV.c.key, _EV.c.type, _EV.c.occurred_at,
                    _EV.c.activity_day, _EV.c.processed_at, _EV.c.meta, _REPLICA)
             .outerjoin(_SEV, _SEV.c.event_id == _EV.c.id)
             .order_by(_STAMP, _REPLICA, _EV.c.id))
    if after is not None:
        query = query.where(tuple_(_STAMP, _REPLICA, _EV.c.id) > tuple_(*after))
    return query


def canonical_events(conn: Connection, after: tuple[int, str, int] | None = None,
                     tracker: Tracker | None = None, local: str | None = None
                     ) -> Iterator[EventIn]:
    """The log in (stamp, replica) order, as the fold takes it."""
    tracker = tracker if tracker is not None else Tracker()
    if local is None:
        from ..models import SyncReplica  # noqa: PLC0415

        local = conn.execute(select(SyncReplica.replica_id)).scalar() or ""
    for row in conn.execute(_query(after)):
        event = EventIn(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] or {})
        admitted = tracker.admit(event, row[8] or local)
        if admitted is not None:
            yield admitted


def definitions_hash(defs: Definitions) -> str:
    def norm(mapping: Any) -> Any:
        return sorted((repr(k), repr(v)) for k, v in dict(mapping).items())

    text = repr((norm(defs.event_types), norm(defs.customs), norm(defs.projects),
                 norm(defs.initial_settings)))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class FoldResult:
    state: MemoryState
    events: int
    from_position: int


def _position(conn: Connection, key: tuple[int, str, int]) -> int:
    return int(conn.execute(select(func.count()).select_from(
        _EV.outerjoin(_SEV, _SEV.c.event_id == _EV.c.id)).where(
            tuple_(_STAMP, _REPLICA, _EV.c.id) <= tuple_(*key))).scalar() or 0)


def refold(conn: Connection, defs: Definitions, earliest: tuple[int, str, int] | None,
           now: datetime) -> FoldResult:
    """The fold of the whole merged log, started from the latest usable checkpoint.

    ``earliest``: the (stamp, replica, id) of the earliest event that arrived (None: only
    definitions changed). Checkpoints at or after it are dropped; the fold's end becomes
    the newest checkpoint.
    """
    digest = definitions_hash(defs)
    query = select(_CP.c.id, _CP.c.position, _CP.c.stamp, _CP.c.replica, _CP.c.event_id,
                   _CP.c.state).order_by(_CP.c.position.desc())
    start: tuple[MemoryState, Tracker] | None = None
    after = None
    position = 0
    for row in conn.execute(query):
        key = (row.stamp, row.replica, row.event_id)
        if earliest is not None and key >= earliest:
            conn.execute(delete(_CP).where(_CP.c.id == row.id))
            continue
        saved_digest, state, tracker = pickle.loads(row.state)  # noqa: S301 - our own file
        if saved_digest != digest:
            conn.execute(delete(_CP).where(_CP.c.id == row.id))
            continue
        start, after, position = (state, tracker), key, row.position
        break
    state, tracker = start if start is not None else (MemoryState(), Tracker())
    builder = resume(state, defs)
    count = 0
    last = None
    for event in canonical_events(conn, after, tracker):
        builder.apply(event, with_outcome=False)
        count += 1
        last = event
    folded = builder.top
    end = _last_key(conn)
    total = _position(conn, end) if end is not None and (last is not None or after) else 0
    if end is not None and end[0] < UNSTAMPED:
        conn.execute(insert(_CP).values(
            position=total, stamp=end[0], replica=end[1], event_id=end[2],
            state=pickle.dumps((digest, folded, tracker), protocol=pickle.HIGHEST_PROTOCOL),
            created_at=now))
        stale = conn.execute(select(_CP.c.id).order_by(_CP.c.position.desc())
                             .offset(KEEP)).scalars().all()
        if stale:
            conn.execute(delete(_CP).where(_CP.c.id.in_(stale)))
    return FoldResult(folded, count, position)


def _last_key(conn: Connection) -> tuple[int, str, int] | None:
    row = conn.execute(select(_STAMP, _REPLICA, _EV.c.id)
                       .outerjoin(_SEV, _SEV.c.event_id == _EV.c.id)
                       .order_by(_STAMP.desc(), _REPLICA.desc(), _EV.c.id.desc())
                       .limit(1)).first()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))
