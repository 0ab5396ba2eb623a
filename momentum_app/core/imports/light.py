"""A Taskwarrior import on the command line's light path (issue 18 item 5): no SQLAlchemy.

``momentum import --format taskwarrior FILE`` of a 10k-task export spent more than half a
second importing SQLAlchemy's ORM, the models and the services before it read a byte,
and wrote the tasks in eleven transactions (:mod:`.staged`). :func:`import_plain` does the
same import on the light path's sqlite3 connection (:mod:`..services.light`) with the
full path's own parts: the parser (:func:`.parse_data`), the identities and rows
(:mod:`.identity`), the plain writers (:mod:`.plain`: projects, tasks with the search index
filled at once, tags), the identity rows (:func:`~..services.sql_values.insert_rows`) and
the undo entry (:class:`~..services.import_undo.ImportUndo`, recorded with
:func:`~..services.history_log.record_direct`) — in **one** write transaction, so the
result, the rows and the history entry are what the full path writes.

It takes what every record of the file is either new or unchanged since the last import:
the plain case of a first import, and of the same file again. Anything else — a record
the source changed since (an update: its previous values need the Session's snapshots),
one carrying a Momentum id (``momentum_id``: matched to an existing item), reminders,
goals or time slots, more than :data:`LIGHT_UP_TO` records (a longer write lock than the
staged path's batches, issue #20), a profile without its Inbox — answers None having
written nothing, and the caller runs the full path.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..exports.common import Feedback
from ..services.context import Actor
from ..services.import_undo import ImportUndo, Stored, label
from ..services.light import LightDatabase
from ..services.sql_values import insert_rows
from . import identity, parse_data, plain
from .common import ImportPlan, ImportResult, read_bytes
from .identity import Entry, Sorted

#: The formats this path imports (the others have goals, slots or reminders, or are rare).
FORMATS = frozenset({"taskwarrior"})
#: Above this many records the full path stages the import in short transactions: one
#: transaction of 10,000 new tasks holds the write lock ~0.3 s of CPU here
#: (docs/BENCHMARKS.md §7), twice this about twice that — within the 10 s busy timeout a
#: waiting writer allows even on a loaded machine.
LIGHT_UP_TO = 20_000
_INBOX = "SELECT id FROM projects WHERE profile_id = ? AND is_inbox = 1 ORDER BY id LIMIT 1"


class _FullPath(Exception):
    """The import needs the full path (see the module docstring); nothing was written."""


def import_plain(database: LightDatabase, actor: Actor, fmt: str, path: str | Path,
                 max_bytes: int) -> ImportResult | None:
    """Import ``path`` into the actor's profile; None, having written nothing: the full
    path must import it. Invalid input raises as on the full path, before any write."""
    if fmt not in FORMATS:
        return None
    with _no_cyclic_gc():
        return _import(database, actor, fmt, read_bytes(path, max_bytes))


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off for the import (back on afterwards, whatever
    happens): its records, dicts and rows make no cycles, and the collector's passes
    over ~10^5 young objects were ~0.04 s of a 10k-task import's CPU."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _import(database: LightDatabase, actor: Actor, fmt: str, data: bytes
            ) -> ImportResult | None:
    tz_name = str(database.conn.execute("SELECT timezone FROM profiles WHERE id = ?",
                                        (actor.profile_id,)).fetchone()[0])
    plan = parse_data(fmt, data, tz_name, actor.now(), Feedback())
    if not _plain_plan(plan):
        return None
    identified = identity.identify(plan)
    try:
        with database.write() as db:
            return _write(db, actor, plan, identified, tz_name)
    except _FullPath:
        return None


def _plain_plan(plan: ImportPlan) -> bool:
    return not plan.goals and not plan.slots and len(plan.tasks) <= LIGHT_UP_TO and all(
        record.own_id is None and not record.reminders for record in plan.tasks)


def _sort(db: sqlite3.Connection, profile_id: int, identified: tuple[list[Entry], int],
          known: dict[str, Stored]) -> Sorted:
    """:func:`.apply._sort` on plain rows, for a plan :func:`_plain_plan` takes: each
    record is placed by the same rule (:func:`.identity.place`); one that is updated, or
    whose identity points at an item no longer there, raises :class:`_FullPath`."""
    entries, duplicates = identified
    items = {int(row[0]) for row in db.execute("SELECT id FROM tasks WHERE profile_id = ?",
                                               (profile_id,))} if known else set()
    out = Sorted(duplicates=duplicates)
    for entry in entries:
        row = known.get(entry.source_id)
        if row is not None:
            kind, item_id, _hash, _at, content = row
            if kind != entry.kind or int(item_id) not in items:
                raise _FullPath  # the full path links the identity to a new item
            entry.item, entry.before = int(item_id), json.loads(content)
        identity.place(out, entry)
    if out.updated:
        raise _FullPath  # an update's previous values need the Session's snapshots
    return out


def _write(db: sqlite3.Connection, actor: Actor, plan: ImportPlan,
           identified: tuple[list[Entry], int], tz_name: str) -> ImportResult:
    """:func:`.apply.write_plan` for new and unchanged tasks, with its functions."""
    profile_id, now = actor.profile_id, actor.now()
    inbox = db.execute(_INBOX, (profile_id,)).fetchone()
    if inbox is None:
        raise _FullPath  # the full path makes the Inbox
    undo = ImportUndo(db, profile_id, plan.source)
    sorted_ = _sort(db, profile_id, identified, undo.sources_before)
    result = ImportResult(plan.source, skipped=dict(plan.skipped), notices=dict(plan.notices))
    counts = identity.figures(result, sorted_)
    projects = plain.project_ids(db, profile_id, int(inbox[0]),
                                 identity.project_names(sorted_.added), now, counts)
    task_ids, _rows = plain.new_tasks(db, profile_id, profile_id, sorted_.added, projects, now,
                                      False, tz_name, Feedback())
    insert_rows(db, "import_sources", [
        identity.source_row(profile_id, plan.source, entry, task_id, now)
        for entry, task_id in zip(sorted_.added, task_ids, strict=True)])
    result.undo_entry = undo.record(db, actor, label(plan.source, counts, 0),
                                    {"goals": [], "tasks": task_ids, "time_slots": []})
    return result


__all__ = ["FORMATS", "LIGHT_UP_TO", "import_plain"]
