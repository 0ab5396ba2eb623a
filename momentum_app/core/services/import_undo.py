"""An import as one action of the undo history (issue 15: "every action is undoable").

An import writes many rows at once, with plain statements for speed
(:mod:`..imports.apply`, and for a large file in several transactions,
:mod:`..imports.staged`). :class:`ImportUndo` watches one import from the outside: it
is made at the start of the import's last (or only) write transaction, is told the
items about to be updated (:meth:`ImportUndo.before_update`), and at the end records
**one** history entry, labelled "Import todotxt: 2 tasks", whose inverse is

* the **created** items (tasks, time slots, goals; the staged ones too) soft-deleted,
  as a creation's undo always is (``rows`` operations, one per table, however many);
* the **updated** items' previous values (``columns`` operations, tags included, and
  an updated goal's steps: new ones deleted, changed ones set back);
* the **identities** it wrote in ``import_sources`` set back (``sources``), so after an
  undo the same file imports the same items again, and after a redo it finds them;
* the **projects** and **tags** it created removed (a project soft-deleted, a tag with
  its links dropped; a redo makes them again), a project it brought back deleted again;
* its ``--award`` completions **reopened** (``reopen_many``: the engine's reversals, as
  ``reopen`` makes for one completion, in one fold), so the ledger is what it was before
  the import except what reversals keep (an achievement or a milestone grant it unlocked
  stays, as after any undone completion).

Undo runs these last first (the reopens before the deletes); a redo runs the captured
inverses, which restore the rows and complete the awarded items at their instants.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..catalog import Kind
from .context import Actor, Context
from .history_log import NOW, Op, _decode, _encode, record_direct, rows_op
from .sql_values import Store, raw, read_instant

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..models import Base

#: An identity row as the history keeps it (``None``: no row).
SourceRow = dict[str, Any] | None
#: The tables of what an import creates, by the kind an identity names.
TABLE_OF_KIND = {"task": "tasks", "slot": "time_slots", "goal": "goals"}
#: The kinds an ``--award`` completes, as the import names them.
AWARD_KINDS = {Kind.TASK: "task", Kind.SLOT: "slot"}
NOUNS = {"tasks": ("task", "tasks"), "time_slots": ("time slot", "time slots"),
         "goals": ("goal", "goals")}


def _source_json(kind: str, item_id: int, content_hash: str, content: dict[str, Any],
                 imported_at: datetime) -> dict[str, Any]:
    return {"kind": kind, "item_id": item_id, "content_hash": content_hash,
            "content": content, "imported_at": _encode(imported_at)}


#: An identity row as stored: kind, item id, content hash, ``imported_at`` and the
#: content, both as their stored text (decoded only for the rows the history keeps).
Stored = tuple[str, int, str, str, str]
#: The same without the content.
Keys = tuple[str, int, str, str]
_STORED = ("SELECT source_id, kind, item_id, content_hash, imported_at{} "
           "FROM import_sources WHERE profile_id = ? AND format = ?")


def _plain(conn: Store) -> sqlite3.Connection:
    """The sqlite3 connection under ``conn`` (a Session's pending objects flushed)."""
    flush = getattr(conn, "flush", None)
    if flush is not None:
        flush()
    return raw(conn)


def _sources(conn: Store, profile_id: int, fmt: str) -> dict[str, Stored]:
    """Every identity of this source as stored, read as plain rows: an import of 10k
    tasks reads them twice, and ORM objects with decoded JSON cost a second (issue 18
    item 5)."""
    return {row[0]: row[1:] for row in
            _plain(conn).execute(_STORED.format(", content"), (profile_id, fmt))}


def _source_keys(conn: Store, profile_id: int, fmt: str) -> dict[str, Keys]:
    """:func:`_sources` without the content texts (all :func:`_same` compares: the
    identities an import has just written are not decoded, so not read either)."""
    return {row[0]: row[1:] for row in
            _plain(conn).execute(_STORED.format(""), (profile_id, fmt))}


def _same(a: Keys | None, b: Stored | None) -> bool:
    """The same identity row (the hash stands for the content it was made from)."""
    return (a is None and b is None) or (a is not None and b is not None and a[:4] == b[:4])


def _stored_json(row: Stored | None) -> SourceRow:
    if row is None:
        return None
    kind, item_id, content_hash, imported_at, content = row
    instant = read_instant(imported_at)
    assert instant is not None
    return _source_json(kind, item_id, content_hash, json.loads(content), instant)


def put_sources(session: Session, profile_id: int, fmt: str,
                rows: Mapping[str, SourceRow]) -> dict[str, SourceRow]:
    """Set the identity rows ``rows`` names to its values; what they were before."""
    from sqlalchemy import delete, select  # noqa: PLC0415 (an undo's: the light path's is not)

    from ..models import ImportSource, table_of  # noqa: PLC0415

    session.flush()
    keys = list(rows)
    previous: dict[str, SourceRow] = dict.fromkeys(keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        where = (ImportSource.profile_id == profile_id, ImportSource.format == fmt,
                 ImportSource.source_id.in_(chunk))
        for row in session.scalars(select(ImportSource).where(*where)):
            previous[row.source_id] = _source_json(row.kind, row.item_id, row.content_hash,
                                                   row.content, row.imported_at)
        session.execute(delete(ImportSource).where(*where)
                        .execution_options(synchronize_session=False))
    session.expire_all()
    inserts = [{"profile_id": profile_id, "format": fmt, "source_id": key,
                "kind": row["kind"], "item_id": int(row["item_id"]),
                "content_hash": row["content_hash"], "content": row["content"],
                "imported_at": _decode(row["imported_at"], datetime.min)}
               for key, row in rows.items() if row is not None]
    if inserts:
        session.connection().execute(table_of(ImportSource).insert(), inserts)
    return previous


def drop_tags(session: Session, profile_id: int, names: list[str]) -> list[list[Any]]:
    """Drop the profile's tags ``names`` and their links: ``[name, created_at, task
    ids]`` of each, to make them again (:func:`make_tags`)."""
    from sqlalchemy import delete, select  # noqa: PLC0415

    from ..models import Tag, TaskTag  # noqa: PLC0415

    dropped: list[list[Any]] = []
    session.flush()
    for tag in session.scalars(select(Tag).where(Tag.profile_id == profile_id,
                                                 Tag.name.in_(names))):
        tasks = sorted(session.scalars(select(TaskTag.task_id).where(TaskTag.tag_id == tag.id)))
        dropped.append([tag.name, _encode(tag.created_at), tasks])
        session.execute(delete(TaskTag).where(TaskTag.tag_id == tag.id))
        session.delete(tag)
    session.flush()
    return dropped


def make_tags(session: Session, profile_id: int, tags: list[list[Any]], now: datetime
              ) -> list[str]:
    """Make tags :func:`drop_tags` dropped, with their links; their names."""
    from ..models import Tag, TaskTag, table_of  # noqa: PLC0415

    made = []
    for name, created_at, tasks in tags:
        stamp = _decode(created_at, now)
        tag = Tag(profile_id=profile_id, name=str(name),
                  created_at=stamp if isinstance(stamp, datetime) else now)
        session.add(tag)
        session.flush()
        if tasks:
            session.connection().execute(table_of(TaskTag).insert(), [
                {"task_id": int(task_id), "tag_id": tag.id} for task_id in tasks])
        made.append(str(name))
    return made


def label(fmt: str, counts: Mapping[str, int], updated: int) -> str:
    """What the history calls an import: "Import todotxt: 2 tasks, 1 updated"."""
    parts = []
    for key, (one, many) in NOUNS.items():
        number = counts.get(key, 0)
        if number:
            parts.append(f"{number:,} {one if number == 1 else many}")
    if updated:
        parts.append(f"{updated:,} updated")
    return f"Import {fmt}: {', '.join(parts) or 'nothing new'}"


class ImportUndo:
    """What one import changes, for its one history entry (see the module docstring).

    Made inside the import's (last) write transaction, before it writes there, on its
    Session or (the command line's light path) its sqlite3 connection; ``staged``: the
    identities already written by :mod:`..imports.staged` (they were not there before the
    import); ``newest_project`` / ``newest_tag``: the newest ids before the import began
    (a staged import made its projects and tags earlier). What it reads and compares, it
    reads as plain rows; only an updated item's values (:meth:`before_update`) need the
    Session."""

    def __init__(self, conn: Store, profile_id: int, fmt: str, *,
                 staged: Iterable[str] = (), newest_project: int | None = None,
                 newest_tag: int | None = None) -> None:
        self.profile_id, self.format = profile_id, fmt
        self.staged = frozenset(staged)
        before = _sources(conn, profile_id, fmt)
        db = raw(conn)
        self.sources_before: dict[str, Stored] = {
            key: row for key, row in before.items() if key not in self.staged}
        self.newest_project = newest_project if newest_project is not None else int(
            db.execute("SELECT max(id) FROM projects").fetchone()[0] or 0)
        self.newest_tag = newest_tag if newest_tag is not None else int(
            db.execute("SELECT max(id) FROM tags").fetchone()[0] or 0)
        self.deleted_projects: dict[int, datetime | None] = {
            int(project_id): read_instant(deleted_at) for project_id, deleted_at in db.execute(
                "SELECT id, deleted_at FROM projects WHERE profile_id = ? "
                "AND deleted_at IS NOT NULL", (profile_id,))}
        self._edits: list[tuple[Base, dict[str, object]]] = []
        self._steps: dict[int, set[int]] = {}

    def before_update(self, session: Session, item: Base) -> None:
        """``item`` is about to be updated by the import: remember its values."""
        from ..models import Goal  # noqa: PLC0415 (updates need the Session: not light)
        from . import history  # noqa: PLC0415

        self._edits.append((item, history.snapshot(session, item)))
        if isinstance(item, Goal):
            self._steps[item.id] = {step.id for step in item.steps}
            for step in item.steps:
                self._edits.append((step, history.snapshot(session, step)))

    def record(self, conn: Store, ctx: Actor, label: str,
               created: Mapping[str, Iterable[int]],
               awarded: Iterable[tuple[Kind, int]] = ()) -> int | None:
        """Record the import as one action: its entry's id (None: it changed nothing,
        so it is no action). On a Session, through :func:`.history.record`; on a bare
        sqlite3 connection (the light path, which updates nothing), the same row with
        :func:`.history_log.record_direct`."""
        if isinstance(conn, sqlite3.Connection):  # the light path: it updates nothing
            assert not self._edits
            ops = self.ops(conn, created, awarded)
            if ops:
                record_direct(conn, ctx, label, *ops)
        else:
            from sqlalchemy.orm import Session  # noqa: PLC0415 (loaded: conn is one)

            from . import history  # noqa: PLC0415

            assert isinstance(conn, Session) and isinstance(ctx, Context)
            ops = self.ops(conn, created, awarded, self._edit_ops(conn))
            if ops:
                history.record(conn, ctx, label, *ops)
        if not ops:
            return None
        return ctx.recorded

    def ops(self, conn: Store, created: Mapping[str, Iterable[int]],
            awarded: Iterable[tuple[Kind, int]] = (), edits: Iterable[Op] = ()) -> list[Op]:
        """The import's inverse, once it has written: the created projects, tags and items,
        the identities set back, ``edits`` (the updated items' previous values), the
        ``--award`` completions reopened. Empty: it changed nothing."""
        after = _source_keys(conn, self.profile_id, self.format)
        db = raw(conn)
        made: dict[str, list[int]] = {table: list(ids) for table, ids in created.items()}
        for key in sorted(self.staged):  # sorted: the same entry, staged or not
            row = after.get(key)
            if row is not None:
                made.setdefault(TABLE_OF_KIND[row[0]], []).append(int(row[1]))
        ops: list[Op] = [*self._projects(db), *self._tags(db, made)]
        sources = {key: _stored_json(self.sources_before.get(key))
                   for key in sorted(set(after) | set(self.sources_before))
                   if not _same(after.get(key), self.sources_before.get(key))}
        if sources:
            ops.append(Op("sources", {"profile": self.profile_id, "format": self.format,
                                      "rows": sources}))
        for table in sorted(made):
            if made[table]:
                ops.append(rows_op(table, ((i, {"deleted_at": NOW})
                                           for i in sorted(made[table]))))
        ops += edits
        reopen = [[kind.value, item_id] for kind, item_id in awarded]
        if reopen:  # latest first, as one undo after the other would
            ops.append(Op("reopen_many", {"items": reopen[::-1]}))
        return ops

    def _projects(self, db: sqlite3.Connection) -> list[Op]:
        ops = []
        for project_id, is_inbox, deleted_at in db.execute(
                "SELECT id, is_inbox, deleted_at FROM projects WHERE profile_id = ?",
                (self.profile_id,)):
            if project_id > self.newest_project and not is_inbox:
                ops.append(Op("columns", {"table": "projects", "id": project_id,
                                          "values": {"deleted_at": NOW}}))
            elif project_id in self.deleted_projects and deleted_at is None:
                ops.append(Op("columns", {"table": "projects", "id": project_id,
                                          "values": {"deleted_at": _encode(
                                              self.deleted_projects[project_id])}}))
        return ops

    def _tags(self, db: sqlite3.Connection, made: Mapping[str, list[int]]) -> list[Op]:
        """The new tags only the import's new tasks carry (one the window made meanwhile,
        on a task of its own, stays)."""
        new_tasks = set(made.get("tasks", ()))
        names = []
        for tag_id, name in db.execute("SELECT id, name FROM tags WHERE profile_id = ? "
                                       "AND id > ?", (self.profile_id, self.newest_tag)).fetchall():
            linked = {row[0] for row in db.execute(
                "SELECT task_id FROM task_tags WHERE tag_id = ?", (tag_id,))}
            if linked <= new_tasks:
                names.append(name)
        if not names:
            return []
        return [Op("tags", {"profile": self.profile_id, "drop": sorted(names), "make": []})]

    def _edit_ops(self, session: Session) -> list[Op]:
        from sqlalchemy import select  # noqa: PLC0415

        from ..models import GoalStep  # noqa: PLC0415
        from . import history  # noqa: PLC0415

        ops = []
        for row, before in self._edits:
            session.flush()
            after = history.snapshot(session, row)
            previous = {name: value for name, value in before.items()
                        if after.get(name) != value}
            if previous:
                ops.append(history._columns_op(row, previous))
        for goal_id, steps in self._steps.items():
            new = [step.id for step in session.scalars(select(GoalStep).where(
                GoalStep.goal_id == goal_id)) if step.id not in steps]
            if new:
                ops.append(rows_op("goal_steps", ((i, {"deleted_at": NOW}) for i in new)))
        return ops
