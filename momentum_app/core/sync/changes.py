"""Source data and events in and out, as field-level operations (SPEC v2 §13).

**Out** (:func:`capture`): every synced row is compared with what was last exchanged
(``sync_fields``). A row never exchanged becomes a ``create`` (all its fields), a field
that differs a ``set`` (``deleted_at`` set or cleared reads as ``delete`` / ``restore``),
a row that vanished a ``gone``; each with a new clock stamp. Events not yet stamped get a
uid and a stamp. Capturing by comparison sees every way a row changes (the window, the
command line, imports, restores) without hooks in the services.

**In** (:func:`apply`): a create of a uid this replica does not know makes the row,
unless a row with the same natural key exists (profiles meet by name, projects and tags
by name in their profile), which then takes the uid too; a set wins when its
(stamp, replica) is later than the field's. A delete is a set of ``deleted_at``: an edit
of other fields never brings the row back (the delete wins, and ``restore`` undoes it).
References travel as uids and come back as local ids; event metadata too.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from .. import catalog
from ..models import Event, SyncEvent, SyncField, SyncId, table_of
from . import registry
from .hlc import Clock, physical
from .registry import BY_NAME, EVENTS, EVENTS_AFTER, SYNCED, Synced, dumps

_IDS = table_of(SyncId)
_FIELDS = table_of(SyncField)
_SEV = table_of(SyncEvent)
_EV = table_of(Event)
GONE = "__gone"
#: Event metadata holding another event's key (a refund's purchase, a keyed reversal).
META_KEYS = ("purchase_key", "reverses")


def new_uid() -> str:
    return uuid.uuid4().hex


def ordered() -> list[str]:
    """Tables in the order they are captured and applied, ``events`` among them."""
    before = [e.name for e in SYNCED if e.name not in EVENTS_AFTER]
    return before + [EVENTS] + [e.name for e in SYNCED if e.name in EVENTS_AFTER]


class Ids:
    """uid ⇄ local id of every synced row, read once per sync; an event's, read when
    asked (:meth:`prefetch_events` for many): a long log has a million of them, and a
    sync only needs those that arrive or are referred to."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.to_local: dict[str, dict[str, int]] = {EVENTS: {}}
        self.to_uid: dict[str, dict[int, str]] = {EVENTS: {}}
        for tbl, uid, local in conn.execute(
                select(_IDS.c.tbl, _IDS.c.uid, _IDS.c.local_id).order_by(text("rowid"))):
            self._remember(tbl, uid, local)
        #: Event uids known not to be here (asked by :meth:`prefetch_events`).
        self._no_event: set[str] = set()
        self.keys: dict[int, str] = {}
        self._tomb: int | None = None

    def _remember(self, tbl: str, uid: str, local: int) -> None:
        self.to_local.setdefault(tbl, {})[uid] = local
        # Of two uids (a merge by name), the row keeps writing the one it had first, so a
        # merge changes no reference; the other replicas know both.
        self.to_uid.setdefault(tbl, {}).setdefault(local, uid)
        if tbl == EVENTS:
            self._no_event.discard(uid)

    def prefetch_events(self, uids: Iterable[str]) -> None:
        """Look up many event uids at once (the events a sync brings)."""
        wanted = [u for u in set(uids) if u not in self.to_local[EVENTS]]
        for first in range(0, len(wanted), 500):
            chunk = wanted[first:first + 500]
            self._no_event.update(chunk)
            for event_id, uid in self.conn.execute(
                    select(_SEV.c.event_id, _SEV.c.uid).where(_SEV.c.uid.in_(chunk))):
                self._remember(EVENTS, uid, event_id)

    def local(self, tbl: str, uid: str | None) -> int | None:
        if uid is None:
            return None
        found = self.to_local.get(tbl, {}).get(uid)
        if found is None and tbl == EVENTS and uid not in self._no_event:
            found = self.conn.execute(select(_SEV.c.event_id).where(
                _SEV.c.uid == uid)).scalar()
            if found is None:
                self._no_event.add(uid)
            else:
                self._remember(EVENTS, uid, found)
        return found

    def uid(self, tbl: str, local: int | None, *, assign: bool = True) -> str | None:
        if local is None:
            return None
        found = self.to_uid.get(tbl, {}).get(local)
        if found is None and tbl == EVENTS:
            found = self.conn.execute(select(_SEV.c.uid).where(
                _SEV.c.event_id == local)).scalar()
            if found is not None:
                self._remember(EVENTS, found, local)
        if found is None and assign and tbl != EVENTS:
            found = new_uid()
            self.add(tbl, local, found)
        return found

    def add(self, tbl: str, local: int, uid: str) -> None:
        self.conn.execute(insert(_IDS).values(tbl=tbl, uid=uid, local_id=local))
        self._remember(tbl, uid, local)

    def retire(self, tbl: str, local: int, stamp: int, replica: str) -> None:
        """The row under ``local`` is gone for good: its uids now name a tombstone (a
        negative id that no row has), so a later row may use the local id again (SQLite
        gives a deleted last id to the next row) and still travel as a new row."""
        if self._tomb is None:
            self._tomb = min(0, int(self.conn.execute(
                select(func.min(_IDS.c.local_id))).scalar() or 0))
        uids = [uid for uid, found in self.to_local.get(tbl, {}).items() if found == local]
        self.conn.execute(delete(_FIELDS).where(_FIELDS.c.tbl == tbl,
                                                _FIELDS.c.local_id == local))
        self.to_uid.get(tbl, {}).pop(local, None)
        for uid in uids:
            self._tomb -= 1
            self.conn.execute(update(_IDS).where(_IDS.c.tbl == tbl, _IDS.c.uid == uid)
                              .values(local_id=self._tomb))
            _remember_field(self.conn, tbl, self._tomb, GONE, "true", stamp, replica)
            self._remember(tbl, uid, self._tomb)
            self.to_local[tbl][uid] = self._tomb

    def event_uid_for_key(self, profile_id: int, key: str) -> str | None:
        event_id = self.conn.execute(select(_EV.c.id).where(
            _EV.c.profile_id == profile_id, _EV.c.key == key)).scalar()
        return self.uid(EVENTS, event_id, assign=False)

    def event_key(self, uid: str | None) -> str | None:
        local = self.local(EVENTS, uid)
        if local is None:
            return None
        return self.conn.execute(select(_EV.c.key).where(_EV.c.id == local)).scalar()


def _item_table(event_type: str, meta: dict[str, Any]) -> str | None:
    kind = catalog.KIND_BY_SOURCE.get(event_type)
    name = kind.value if kind is not None else meta.get("kind")
    return registry.ITEM_TABLES.get(str(name)) if name else None


# --- out ------------------------------------------------------------------------------------


@dataclass
class Captured:
    records: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, record: dict[str, Any], label: str) -> None:
        self.records.append(record)
        self.counts[label] = self.counts.get(label, 0) + 1


def _stored_fields(conn: Connection, tbl: str) -> dict[int, dict[str, tuple[str, int]]]:
    found: dict[int, dict[str, tuple[str, int]]] = {}
    for local, name, value, stamp in conn.execute(select(
            _FIELDS.c.local_id, _FIELDS.c.field, _FIELDS.c.value, _FIELDS.c.stamp)
            .where(_FIELDS.c.tbl == tbl)):
        found.setdefault(local, {})[name] = (value, stamp)
    return found


class MadeAt:
    """When this replica's changes since its last sync were made, so that each is
    stamped then and the later change wins whichever computer syncs first.

    The undo history (``undo_entries``, SPEC v2 §9) records every user action with the
    rows and fields it changed (its ``columns`` operations) and when it was done, undone
    or redone; a delete carries its own time (``deleted_at``), and a row that keeps
    ``updated_at`` says when it was last edited (used for a field the history does not
    date: ``updated_at`` moves with every field of the row). A change none of them dates
    (a script's raw SQL) is stamped when captured."""

    def __init__(self, conn: Connection) -> None:
        from ..models import SyncReplica, UndoEntry  # noqa: PLC0415

        undo = UndoEntry.__table__
        since = conn.execute(select(SyncReplica.__table__.c.last_sync_at)).scalar()
        query = select(undo.c.ops, undo.c.updated_at)
        if since is not None:
            query = query.where(undo.c.updated_at >= since)
        self.times: dict[tuple[str, int, str], datetime] = {}
        self.by_row: dict[tuple[str, int], dict[str, datetime]] = {}
        for ops, at in conn.execute(query):
            for op in ops if isinstance(ops, list) else ():
                args = op.get("args") if isinstance(op, dict) else None
                if not isinstance(args, dict) or op.get("op") != "columns":
                    continue
                for name in dict(args.get("values") or {}):
                    key = (str(args.get("table")), int(args.get("id") or 0), name)
                    if key not in self.times or self.times[key] < at:
                        self.times[key] = at
                        self.by_row.setdefault(key[:2], {})[name] = at

    @staticmethod
    def created(values: dict[str, Any]) -> int | None:
        """The physical stamp of when a row never exchanged got the values it has: its
        last edit (``updated_at``) or its creation (``created_at``), if it keeps them.

        A row's first capture is stamped then, not now: a profile used alone for months
        meets the folder's copy by name at its first sync, and its untouched settings
        must not win over settings the other computer changed since (they would, stamped
        at the sync)."""
        for name in ("updated_at", "created_at"):
            if isinstance(values.get(name), str):
                made = datetime.fromisoformat(values[name])
                return physical(made if made.tzinfo is not None else made.replace(tzinfo=UTC))
        return None

    def later_fields(self, tbl: str, local: int, stamp: int) -> dict[str, int]:
        """The fields of a row never exchanged that the undo history dates after
        ``stamp`` (its :meth:`created` stamp), with their own stamps (sent as sets after
        the create). ``deleted_at`` is not among them: the create carries it."""
        found = {}
        for name, at in self.by_row.get((tbl, local), {}).items():
            if name != "deleted_at":
                made = physical(at if at.tzinfo is not None else at.replace(tzinfo=UTC))
                if made > stamp:
                    found[name] = made
        return found

    def stamp(self, tbl: str, local: int, name: str, values: dict[str, Any],
              changed: list[str]) -> int | None:
        """The physical stamp of when field ``name`` was changed, if known."""
        made: datetime | None = None
        if name == "deleted_at" and isinstance(values.get(name), str):
            made = datetime.fromisoformat(values[name])
        elif (tbl, local, name) in self.times:
            # the history knows this field's own time: a later edit of another field
            # (which moved the row's ``updated_at``) does not make this one later
            made = self.times[(tbl, local, name)]
        elif "updated_at" in changed and isinstance(values.get("updated_at"), str):
            made = datetime.fromisoformat(values["updated_at"])
        if made is None:
            return None
        return physical(made if made.tzinfo is not None else made.replace(tzinfo=UTC))


def _row_values(entry: Synced, row: Any, ids: Ids) -> dict[str, Any]:
    values = {}
    for column in entry.fields:
        value = row._mapping[column.name]
        target = registry.reference(column)
        if target is not None:
            value = ids.uid(target, value)
        values[column.name] = registry.encode(value)
    return values


def _new_identity(entry: Synced, known: dict[str, tuple[str, int]],
                  values: dict[str, Any]) -> bool:
    """Whether a row is another one than the row last exchanged under its local id: a
    link whose columns changed, or a row made at another time (its id used again)."""
    names = [c.name for c in entry.fields] if entry.link else \
        ["created_at"] if "created_at" in values else []
    return any(name in known and known[name][0] != dumps(values[name]) for name in names)


def _remember_field(conn: Connection, tbl: str, local: int, name: str, value: str,
                    stamp: int, replica: str) -> None:
    conn.execute(insert(_FIELDS).prefix_with("OR REPLACE").values(
        tbl=tbl, local_id=local, field=name, value=value, stamp=stamp, replica=replica))


def capture(conn: Connection, ids: Ids, clock: Clock, replica: str, *,
            baseline: bool = False) -> Captured:
    """This replica's changes since the last sync, as records (stamped now).

    ``baseline``: the database holds nothing entered yet (its first sync): its rows are
    stamped 0, so what the folder holds wins every field (a new replica takes the folder).
    """
    out = Captured()
    made = MadeAt(conn)
    before = clock.last  # every stamp seen before this sync: the clock when events were made
    for tbl in ordered():
        if tbl == EVENTS:
            _capture_events(conn, ids, clock, before, replica, out)
            continue
        entry = BY_NAME[tbl]
        stored = _stored_fields(conn, tbl)
        seen = set()
        for row in conn.execute(select(entry.table, entry.key.label("_local"))
                                .order_by(entry.key)):
            local = row._mapping["_local"]
            seen.add(local)
            values = _row_values(entry, row, ids)
            known = stored.get(local)
            if known is not None and (GONE in known or _new_identity(entry, known, values)):
                # the local id of a row that is gone, used again by a new row
                if GONE not in known:
                    stamp = clock.tick()
                    out.add({"k": "gone", "t": tbl, "u": ids.uid(tbl, local), "s": stamp,
                             "r": replica}, f"removed {tbl}")
                    ids.retire(tbl, local, stamp, replica)
                known = None
            uid = ids.uid(tbl, local)
            if known is None:
                made_at = 0 if baseline or _made_by_momentum(conn, tbl, local) \
                    else made.created(values)
                if made_at is not None and made_at > physical(clock.now):
                    made_at = None  # dated after now (another clock): stamped now
                stamp = clock.tick() if made_at is None else made_at
                clock.seen(stamp)
                out.add({"k": "create", "t": tbl, "u": uid, "v": values, "s": stamp,
                         "r": replica}, f"created {tbl}")
                later = {} if baseline else made.later_fields(tbl, local, stamp)
                for name, value in values.items():
                    field_stamp = later.get(name, stamp)
                    if field_stamp != stamp:  # changed after the row was made: its own time
                        clock.seen(field_stamp)
                        out.records.append({"k": "set", "t": tbl, "u": uid, "f": name,
                                            "v": value, "s": field_stamp, "r": replica})
                    _remember_field(conn, tbl, local, name, dumps(value), field_stamp,
                                    replica)
                continue
            changed = [name for name, value in values.items()
                       if known.get(name, ("",))[0] != dumps(value)]
            for name in changed:
                value, text = values[name], dumps(values[name])
                edited = None if baseline else made.stamp(tbl, local, name, values, changed)
                if baseline:
                    stamp = 0
                elif edited is not None:
                    # made at the change's time, yet later than this field's last stamp
                    stamp = max(edited, known.get(name, ("", 0))[1] + 1)
                    clock.seen(stamp)
                else:
                    stamp = clock.tick()
                label = ("deleted" if value is not None else "restored") \
                    if name == "deleted_at" else "edited"
                label = f"{label} {tbl}"
                out.add({"k": "set", "t": tbl, "u": uid, "f": name, "v": value, "s": stamp,
                         "r": replica}, label)
                _remember_field(conn, tbl, local, name, text, stamp, replica)
        for local, known in stored.items():
            if local not in seen and GONE not in known:
                stamp = clock.tick()
                out.add({"k": "gone", "t": tbl, "u": ids.uid(tbl, local), "s": stamp,
                         "r": replica}, f"removed {tbl}")
                ids.retire(tbl, local, stamp, replica)
    return out


def _made_by_momentum(conn: Connection, tbl: str, local: int) -> bool:
    """The default profile and its Inbox, made by Momentum on first open with settings
    nobody chose: their first capture is stamped 0, so a second computer installed after
    the first one's choices does not undo them; the fields the undo history dates (a
    choice made on this computer) still travel at their own times."""
    flag = {"profiles": "is_default", "projects": "is_inbox"}.get(tbl)
    if flag is None:
        return False
    return bool(conn.execute(text(f"SELECT {flag} FROM {tbl} WHERE id = :id"),
                             {"id": local}).scalar())


def _default_settings_event(conn: Connection) -> int | None:
    """The settings event Momentum wrote when it made the default profile on first open
    (the profile's first, at its creation), if this replica holds it."""
    return conn.execute(text(
        "SELECT e.id FROM events e JOIN profiles p ON p.id = e.profile_id "
        "WHERE p.is_default AND e.type = :type AND e.occurred_at = p.created_at "
        "ORDER BY e.id LIMIT 1"), {"type": catalog.SETTINGS_EVENT}).scalar()


def _capture_events(conn: Connection, ids: Ids, clock: Clock, before: int, replica: str,
                    out: Captured) -> None:
    """Events made since the last sync, stamped as the clock would have stamped them when
    they were made: after every stamp seen before (``before``), at their wall time."""

    previous = before
    made = _default_settings_event(conn) if before == 0 else None
    rows = conn.execute(
        select(_EV.c.id, _EV.c.profile_id, _EV.c.key, _EV.c.type, _EV.c.occurred_at,
               _EV.c.activity_day, _EV.c.processed_at, _EV.c.meta)
        .outerjoin(_SEV, _SEV.c.event_id == _EV.c.id)
        .where(_SEV.c.event_id.is_(None)).order_by(_EV.c.id)).all()
    for row in rows:
        uid = new_uid()
        # the default profile's first settings, made with it: before every choice (as
        # its row's first capture, see _made_by_momentum)
        stamp = previous = previous + 1 if row.id == made else \
            max(physical(row.processed_at), previous + 1)
        clock.seen(stamp)
        meta = dict(row.meta or {})
        for name, tbl in registry.META_REFS.items():
            if isinstance(meta.get(name), int):
                meta[name] = ids.uid(tbl, meta[name], assign=tbl != EVENTS)
        item_table = _item_table(row.type, meta)
        if item_table is not None and isinstance(meta.get("item_id"), int):
            meta["item_id"] = ids.uid(item_table, meta["item_id"])
        for name in META_KEYS:
            if isinstance(meta.get(name), str):
                meta[name] = ids.event_uid_for_key(row.profile_id, meta[name])
        conn.execute(insert(_SEV).values(event_id=row.id, uid=uid, stamp=stamp,
                                         replica=replica))
        ids._remember(EVENTS, uid, row.id)
        out.add({"k": "event", "u": uid, "s": stamp, "r": replica,
                 "p": ids.uid("profiles", row.profile_id), "key": row.key, "type": row.type,
                 "at": row.occurred_at.isoformat(), "day": row.activity_day.isoformat(),
                 "processed": row.processed_at.isoformat(), "meta": meta}, "events")


# --- in -------------------------------------------------------------------------------------


@dataclass
class Applied:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: Local ids of the events that arrived, and the earliest (stamp, replica, id).
    new_events: list[int] = field(default_factory=list)
    earliest: tuple[int, str, int] | None = None

    #: Where records that refer to rows not received yet came from (replica, segment):
    #: those segments are read again at the next sync (applying a record twice is a no-op).
    waiting: list[tuple[str, int]] = field(default_factory=list)

    def count(self, label: str) -> None:
        self.counts[label] = self.counts.get(label, 0) + 1

    def wait(self, record: dict[str, Any]) -> None:
        source = record.get("_from")
        if source is not None:
            self.waiting.append((str(source[0]), int(source[1])))


def _sort_key(record: dict[str, Any]) -> tuple[int, int, str]:
    order = _ORDER.get(record.get("t", EVENTS), len(_ORDER))
    return order, int(record.get("s", 0)), str(record.get("r", ""))


_ORDER = {name: index for index, name in enumerate(ordered())}


def apply(conn: Connection, ids: Ids, clock: Clock, records: Iterable[dict[str, Any]]
          ) -> Applied:
    result = Applied()
    stamps: dict[str, dict[int, dict[str, tuple[int, str]]]] = {}
    batch = _EventBatch(conn)
    records = sorted(records, key=_sort_key)
    ids.prefetch_events(str(r["u"]) for r in records if r.get("k") == "event" and "u" in r)
    for record in records:
        clock.seen(int(record.get("s", 0)))
        kind = record.get("k")
        if kind == "event":
            _apply_event(conn, ids, record, result, batch)
            continue
        batch.flush()  # the rows that refer to events (purchases) come after them
        tbl = record.get("t")
        entry = BY_NAME.get(str(tbl))
        if entry is None:
            result.problems.append(f"a change to {tbl!r}, which this version does not "
                                   "know, was skipped")
            continue
        known = stamps.setdefault(entry.name, {})
        try:
            with conn.begin_nested():
                _apply_change(conn, ids, entry, record, known, result)
        except IntegrityError as exc:
            result.problems.append(
                f"a change to {entry.name} could not be applied here "
                f"({str(exc.orig).splitlines()[0]}); it was skipped")
    batch.flush()
    return result


class _EventBatch:
    """Events that arrived, inserted together (ids given here: one writer holds the lock).

    The rows go to the sqlite3 connection as fixed SQL text with their values already as
    SQLAlchemy stores them (an instant as naive UTC with microseconds, a day as ISO, JSON
    as ``json.dumps`` text; ``outcome`` as JSON ``null``, as the ORM's JSON type writes
    ``None``): building SQLAlchemy's statement for 10k rows was a third of a sync's
    insert (docs/BENCHMARKS.md §10)."""

    _EVENTS = ("INSERT INTO events (id, profile_id, key, type, occurred_at, activity_day, "
               "processed_at, meta, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'null')")
    _SYNC = "INSERT INTO sync_events (event_id, uid, stamp, replica) VALUES (?, ?, ?, ?)"

    def __init__(self, conn: Connection) -> None:
        from sqlalchemy import func  # noqa: PLC0415

        self.conn = conn
        self.next_id = int(conn.execute(select(func.max(_EV.c.id))).scalar() or 0) + 1
        self.events: list[tuple[Any, ...]] = []
        self.sync: list[tuple[int, str, int, str]] = []

    def add(self, event: tuple[Any, ...], uid: str, stamp: int, replica: str) -> int:
        """``event``: (profile_id, key, type, occurred_at, activity_day, processed_at,
        meta) as stored (text for the instants, the day and the JSON)."""
        event_id = self.next_id
        self.next_id += 1
        self.events.append((event_id, *event))
        self.sync.append((event_id, uid, stamp, replica))
        return event_id

    def flush(self) -> None:
        if self.events:
            from ..services.engine_store import raw  # noqa: PLC0415

            db = raw(self.conn)
            db.executemany(self._EVENTS, self.events)
            db.executemany(self._SYNC, self.sync)
            self.events, self.sync = [], []


def _field_stamps(conn: Connection, tbl: str, local: int) -> dict[str, tuple[int, str]]:
    return {name: (stamp, replica) for name, stamp, replica in conn.execute(
        select(_FIELDS.c.field, _FIELDS.c.stamp, _FIELDS.c.replica).where(
            _FIELDS.c.tbl == tbl, _FIELDS.c.local_id == local))}


def _decode(entry: Synced, ids: Ids, values: dict[str, Any]) -> dict[str, Any] | None:
    """Record values as column values (uids back to local ids); None: a missing parent."""
    out = {}
    columns = {c.name: c for c in entry.fields}
    for name, value in values.items():
        column = columns.get(name)
        if column is None:
            continue  # a field this version does not have
        target = registry.reference(column)
        if target is not None and value is not None:
            value = ids.local(target, value)
            if value is None:
                return None
        out[name] = registry.decode(column, value)
    return out


def _stored(entry: Synced, ids: Ids, name: str, value: Any) -> str:
    """A column value as :func:`capture` will see it (references as this row's uid)."""
    column = entry.table.c[name]
    target = registry.reference(column)
    return dumps(ids.uid(target, value) if target is not None else value)


def _natural_match(conn: Connection, entry: Synced, decoded: dict[str, Any]) -> int | None:
    if not entry.natural or any(name not in decoded for name in entry.natural):
        return None
    table = entry.table
    return conn.execute(select(entry.key).where(and_(
        *(table.c[name] == decoded[name] for name in entry.natural)))).scalar()


def _apply_change(conn: Connection, ids: Ids, entry: Synced, record: dict[str, Any],
                  cache: dict[int, dict[str, tuple[int, str]]], result: Applied) -> None:
    tbl, uid = entry.name, str(record.get("u"))
    stamp = (int(record.get("s", 0)), str(record.get("r", "")))
    kind = record.get("k")
    local = ids.local(tbl, uid)
    if kind == "create":
        decoded = _decode(entry, ids, dict(record.get("v") or {}))
        if decoded is None:
            result.wait(record)
            return
        if local is None:
            local = _natural_match(conn, entry, decoded)
            if local is not None:
                ids.add(tbl, local, uid)  # met by name: one row, two uids
            else:
                local = conn.execute(insert(entry.table).values(**decoded)).lastrowid
                ids.add(tbl, local, uid)
                for name, value in decoded.items():
                    _remember_field(conn, tbl, local, name, _stored(entry, ids, name, value),
                                    *stamp)
                result.count(f"created {tbl}")
                return
        changes = {name: (value, None) for name, value in decoded.items()}
    elif kind == "set":
        if local is None:
            result.wait(record)  # its row's creation has not arrived yet
            return
        decoded = _decode(entry, ids, {str(record.get("f")): record.get("v")})
        if decoded is None:
            result.wait(record)
            return
        changes = {name: (value, None) for name, value in decoded.items()}
    elif kind == "gone":
        if local is not None and local > 0:
            conn.execute(delete(entry.table).where(entry.key == local))
            ids.retire(tbl, local, *stamp)
            result.count(f"removed {tbl}")
        return
    else:
        result.problems.append(f"a record of an unknown kind ({kind!r}) was skipped")
        return
    known = cache.get(local)
    if known is None:
        known = cache[local] = _field_stamps(conn, tbl, local)
    if GONE in known:
        return
    winning = {}
    for name, (value, _raw) in changes.items():
        if stamp > known.get(name, (-1, "")):
            winning[name] = value
            known[name] = stamp
            _remember_field(conn, tbl, local, name, _stored(entry, ids, name, value), *stamp)
    if winning:
        conn.execute(update(entry.table).where(entry.key == local).values(**winning))
        if kind == "create":
            result.count(f"merged {tbl}")
        elif "deleted_at" in winning:
            result.count(f"{'deleted' if winning['deleted_at'] else 'restored'} {tbl}")
        else:
            result.count(f"edited {tbl}")


def _apply_event(conn: Connection, ids: Ids, record: dict[str, Any], result: Applied,
                 batch: _EventBatch) -> None:
    from datetime import date, datetime  # noqa: PLC0415

    from ..services.engine_store import sql_instant  # noqa: PLC0415

    uid = str(record["u"])
    if ids.local(EVENTS, uid) is not None:
        return
    profile = ids.local("profiles", record.get("p"))
    if profile is None:
        result.wait(record)
        return
    meta = dict(record.get("meta") or {})
    for name, tbl in registry.META_REFS.items():
        if isinstance(meta.get(name), str):
            meta[name] = ids.local(tbl, meta[name])
    item_table = _item_table(str(record["type"]), meta)
    if item_table is not None and isinstance(meta.get("item_id"), str):
        meta["item_id"] = ids.local(item_table, meta["item_id"])
    if any(isinstance(meta.get(name), str) for name in META_KEYS):
        batch.flush()  # a key refers to an event that may wait in this batch
    for name in META_KEYS:
        if isinstance(meta.get(name), str):
            meta[name] = ids.event_key(meta[name])
    replica = str(record["r"])
    stamp = int(record["s"])
    event_id = batch.add((
        profile, f"{record['key']}@{replica[:12]}", record["type"],
        sql_instant(datetime.fromisoformat(record["at"])),
        date.fromisoformat(record["day"]).isoformat(),
        sql_instant(datetime.fromisoformat(record["processed"])), json.dumps(meta)),
        uid, stamp, replica)
    ids._remember(EVENTS, uid, event_id)
    result.new_events.append(event_id)
    key = (stamp, replica, event_id)
    if result.earliest is None or key < result.earliest:
        result.earliest = key
    result.count("events")


# --- identity of repeating occurrences --------------------------------------------------------


def next_occurrence_uid(conn: Connection, task_id: int, follower_id: int, due: object) -> str:
    """Give a repeating task's next occurrence the uid of (its series, its date), so two
    replicas that complete the same occurrence while apart make one next occurrence."""
    import hashlib  # noqa: PLC0415

    series = conn.execute(select(_IDS.c.uid).where(
        _IDS.c.tbl == "tasks", _IDS.c.local_id == task_id).order_by(text("rowid"))
        .limit(1)).scalar()
    if series is None:
        series = new_uid()
        conn.execute(insert(_IDS).values(tbl="tasks", uid=series, local_id=task_id))
    uid = hashlib.sha256(f"{series}/{due}".encode()).hexdigest()[:32]
    if conn.execute(select(_IDS.c.local_id).where(_IDS.c.tbl == "tasks",
                                                  _IDS.c.uid == uid)).first() is None:
        conn.execute(insert(_IDS).values(tbl="tasks", uid=uid, local_id=follower_id))
    return uid
