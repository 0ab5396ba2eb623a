"""A JSON backup's restore as one action of the undo history (issue 15).

``momentum import --format json FILE`` writes whole profiles: new ones, or empty ones of
this database it reuses (the default profile, a same-named one), with their items, their
events and everything the engine rebuilds from them, and the event types the backup
defines. :class:`RestoreUndo` watches one restore from inside its transaction and records
**one** history entry ("Restore backup b.json: profile “alice”") whose inverse is an
``unrestore`` operation:

* it **purges** every row of the restored profiles (items, events, ledger, streaks, …,
  in every table that belongs to a profile) and deletes the profiles it created;
* it puts the **reused** empty profiles back exactly as they were (their columns and the
  few rows they had: the Inbox, the settings they logged), with their old ids;
* it deletes the **event types** the restore created;
* it puts back what the restored events moved in **other** profiles (the engine credits
  Team Player to every profile active in a week a restored one was too): their
  achievements, counters, day and week figures, streaks and grants as they were, and
  the ledger rows those events wrote them go with the events.

So the database is back to its state before the restore, row for row (the undo history
aside). Undo refuses, changing nothing, when the restored profiles have changed since
(a task added to one, a sync that sent them out, another profile's event the engine
credited to one), or when a profile the restore moved has moved again since: data is
never thrown away by an undo. It refuses too when
another profile logged an event of a type the restore created.

The redo (the inverse of an ``unrestore``) is a ``restore_file`` operation: it reads the
backup file again and restores it — only if the file is still where it was and
unchanged (its SHA-256), else it refuses with a clear message (exit 2 on the command
line) and the action leaves the history. A restore of text that came from no file (the
window's drop of a backup's text) cannot be redone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Table, delete, func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import Base, Event, EventType, Profile, UndoEntry, table_of
from . import history
from .context import Context

if TYPE_CHECKING:
    from . import Momentum

#: Profile columns a restore's undo does not compare (the engine's note of the last
#: leaderboard week it checked moves with any profile's event).
_VOLATILE = frozenset({"board_checked_week"})
#: Tables a profile owns without a ``profile_id`` of their own: through which column of
#: which owned table.
_OWNED_THROUGH = {"goal_steps": ("goal_id", "goals"), "task_tags": ("task_id", "tasks"),
                  "sync_events": ("event_id", "events")}
#: Owned tables the restore's undo leaves alone: the history itself.
_NOT_PURGED = frozenset({"undo_entries"})
#: What the engine keeps per profile that another profile's events can move (a restored
#: profile active the same week earns the others Team Player): put back as it was for
#: each profile the restore moved. (Their ledger rows name the restored events, and go
#: with them.)
_SHARED = ("achievement_progress", "counters", "day_stats", "streaks", "week_stats",
           "streak_bonus_grants", "milestone_grants")


@dataclass(frozen=True)
class RestoreSource:
    """The backup file a restore read: where it is and what it held (its SHA-256)."""

    path: str
    sha256: str

    @classmethod
    def of(cls, path: str | Path, data: bytes | str) -> RestoreSource:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return cls(str(Path(path).expanduser().resolve()), hashlib.sha256(raw).hexdigest())


def _owned_tables() -> list[Table]:
    """The tables whose rows belong to a profile, parents before children."""
    return [table for table in Base.metadata.sorted_tables
            if table.name not in _NOT_PURGED
            and ("profile_id" in table.c or table.name in _OWNED_THROUGH)]


def _owned(table: Table, profile_ids: Iterable[int]) -> ColumnElement[bool]:
    ids = sorted(profile_ids)
    if "profile_id" in table.c:
        return table.c.profile_id.in_(ids)
    column, parent_name = _OWNED_THROUGH[table.name]
    parent = Base.metadata.tables[parent_name]
    return table.c[column].in_(select(parent.c.id).where(parent.c.profile_id.in_(ids)))


def _rows(session: Session, table: Table, profile_ids: Iterable[int]
          ) -> list[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.c)
    return [dict(row._mapping) for row in session.execute(
        select(table).where(_owned(table, profile_ids)).order_by(*order))]


def _profile_row(session: Session, profile_id: int) -> dict[str, Any]:
    table = table_of(Profile)
    row = session.execute(select(table).where(table.c.id == profile_id)).one()
    return dict(row._mapping)


def fingerprint(session: Session, profile_ids: Iterable[int]) -> str:
    """A digest of every row the profiles own (and their own rows): equal while nothing
    of theirs changed. Read as SQLite stores them (no instants parsed, no JSON decoded):
    a restore's tens of thousands of rows cost a plain read."""
    ids = sorted(profile_ids)
    digest = hashlib.sha256()
    session.flush()
    connection = session.connection()
    profiles = table_of(Profile)
    kept = [c for c in profiles.c if c.name not in _VOLATILE]
    for table, query in ((profiles, select(*kept).where(profiles.c.id.in_(ids))
                          .order_by(profiles.c.id)),
                         *((t, select(t).where(_owned(t, ids)).order_by(
                             *(list(t.primary_key.columns) or list(t.c))))
                           for t in _owned_tables())):
        sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        digest.update(table.name.encode())
        for row in connection.exec_driver_sql(sql):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _shared_state(session: Session, profile_ids: Iterable[int]
                  ) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Each profile's rows of the :data:`_SHARED` tables."""
    state: dict[int, dict[str, list[dict[str, Any]]]] = {i: {} for i in profile_ids}
    for name in _SHARED:
        table = Base.metadata.tables[name]
        for row in _rows(session, table, state):
            state[int(row["profile_id"])].setdefault(name, []).append(row)
    return state


def _digest(rows: Mapping[str, list[dict[str, Any]]]) -> str:
    return hashlib.sha256(repr(sorted(rows.items())).encode()).hexdigest()


def _encode_rows(rows: list[dict[str, Any]]) -> list[dict[str, object]]:
    return [{k: history._encode(v) for k, v in row.items()} for row in rows]


def _decode_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, object]]:
    return [{k: _decoded(v) for k, v in row.items()} for row in rows]


def _decoded(value: object) -> object:
    # Only an encoded instant or day (``{"$dt": …}``, ``{"$d": …}``); a JSON column's
    # own object (an event's metadata) is kept as it is.
    if isinstance(value, dict) and len(value) == 1 and ("$dt" in value or "$d" in value):
        return history._decode(value, datetime.min)
    return value


class RestoreUndo:
    """What one restore changes, for its one history entry (see the module docstring).

    Made inside the restore's transaction before it writes; ``reused``: the ids of the
    database's empty profiles the backup's profiles go into."""

    def __init__(self, session: Session, reused: Iterable[int]) -> None:
        self.reused = sorted(set(reused))
        session.flush()
        self.newest_profile = int(session.scalar(select(func.max(Profile.id))) or 0)
        self.event_types = {name for name in session.scalars(select(EventType.name))}
        others = set(session.scalars(select(Profile.id))) - set(self.reused)
        self.others = _shared_state(session, others)
        self.before = {
            profile_id: {"profile": _encode_rows([_profile_row(session, profile_id)])[0],
                         "rows": {table.name: _encode_rows(rows) for table in _owned_tables()
                                  if (rows := _rows(session, table, [profile_id]))}}
            for profile_id in self.reused}

    def record(self, session: Session, ctx: Context, label: str, profile_ids: Iterable[int],
               source: RestoreSource | None) -> None:
        """Record the restore (into ``profile_ids``) as one action."""
        session.flush()
        ids = sorted(set(profile_ids))
        created = [i for i in ids if i not in self.before]
        new_types = sorted(session.scalars(select(EventType.id).where(
            EventType.name.not_in(sorted(self.event_types)))))
        moved = []
        for profile_id, now in _shared_state(session, self.others).items():
            then = self.others[profile_id]
            tables = sorted(name for name in _SHARED if now.get(name) != then.get(name))
            if tables:
                moved.append({"id": profile_id, "after": _digest(now), "rows": {
                    name: _encode_rows(then.get(name, [])) for name in tables}})
        history.record(session, ctx, label, history.Op("unrestore", {
            "label": label, "created": created, "others": moved,
            "reused": [{"id": i, **self.before[i]} for i in ids if i in self.before],
            "event_types": new_types, "fingerprint": fingerprint(session, ids),
            "source": None if source is None else {"path": source.path,
                                                   "sha256": source.sha256}}))


def unrestore(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    """Take a restore back (see the module docstring); its inverse is ``restore_file``."""
    created = [int(i) for i in args["created"]]
    reused = {int(r["id"]): r for r in args["reused"]}
    ids = sorted({*created, *reused})
    if any(session.get(Profile, i) is None for i in ids):
        raise ValidationError("undo", "a restored profile no longer exists")
    if fingerprint(session, ids) != args["fingerprint"]:
        raise ValidationError("undo", "the restored profiles have changed since (new "
                              "data, or a sync); they are kept")
    type_names = list(session.scalars(select(EventType.name).where(
        EventType.id.in_([int(i) for i in args["event_types"]]))))
    if type_names and session.scalar(select(func.count()).select_from(Event).where(
            Event.type.in_(type_names), Event.profile_id.not_in(ids))):
        raise ValidationError("undo", "another profile has used an event type the restore "
                              "brought in; it is kept")
    others = list(args.get("others") or [])
    now = _shared_state(session, [int(o["id"]) for o in others])
    for other in others:
        if _digest(now[int(other["id"])]) != other["after"]:
            raise ValidationError("undo", "another profile's progress has moved since (what "
                                  "the restored profiles helped it earn is kept)")
    restored_events = select(Event.id).where(Event.profile_id.in_(ids))
    for table in Base.metadata.sorted_tables:  # what the restored events earned others
        if "event_id" in table.c and "profile_id" in table.c:
            session.execute(delete(table).where(table.c.event_id.in_(restored_events),
                                                table.c.profile_id.not_in(ids)))
    owned = _owned_tables()
    for table in reversed(owned):  # children first
        session.execute(delete(table).where(_owned(table, ids)))
    for other in others:
        profile_id = int(other["id"])
        for name, before_rows in other["rows"].items():
            table = Base.metadata.tables[name]
            session.execute(delete(table).where(table.c.profile_id == profile_id))
            if before_rows:
                session.execute(table.insert(), _decode_rows(before_rows))
    session.execute(delete(UndoEntry).where(UndoEntry.profile_id.in_(created)))
    profiles = table_of(Profile)
    session.execute(delete(profiles).where(profiles.c.id.in_(created)))
    for profile_id, before in reused.items():
        values = _decode_rows([before["profile"]])[0]
        values.pop("id", None)
        session.execute(profiles.update().where(profiles.c.id == profile_id).values(**values))
    for table in owned:  # parents first
        rows = [row for before in reused.values()
                for row in _decode_rows(before["rows"].get(table.name, []))]
        if rows:
            session.execute(table.insert(), rows)
    if args["event_types"]:
        session.execute(delete(EventType).where(
            EventType.id.in_([int(i) for i in args["event_types"]])))
    session.expire_all()  # the ORM's copies of those rows are gone or stale
    history.record(session, app.ctx, "", history.Op("restore_file", {
        "label": args["label"], "source": args["source"]}))


def restore_file(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    """Restore the backup file again (the redo of an ``unrestore``): only the same file,
    unchanged. The restore records its own inverse (an ``unrestore``)."""
    from ..imports import backup  # noqa: PLC0415 (the imports build on the services)

    source = args.get("source")
    if not source:
        raise ValidationError("redo", "the backup did not come from a file; import it "
                              "again")
    path = Path(str(source["path"]))
    try:
        data = path.read_bytes()
    except OSError:
        raise ValidationError("redo", f"the backup file {path} is gone; import it again "
                              "from where it is now") from None
    if hashlib.sha256(data).hexdigest() != source["sha256"]:
        raise ValidationError("redo", f"the backup file {path} has changed since; import "
                              "it again") from None
    backup.restore(app, backup.parse_backup(data.decode("utf-8")),
                   source=RestoreSource(str(path), str(source["sha256"])))
