"""``momentum doctor``: check the file, fold the event log, compare with the derived tables.

Four stages, each its own function so that further checks slot in:

1. **load** (:func:`load_log`) — the events in arrival order and the definitions the rules
   read (event types, custom achievements, projects, each profile's settings), in one read
   transaction;
2. **fold** (:func:`fold_log`) — the engine's :func:`~..engine.step.fold` from the empty
   state, in memory: the derived tables as they should be;
3. **compare** (:func:`compare`) — with the stored tables, row for row (multisets without
   the surrogate keys);
4. **fix** (:func:`write_fold`) — only with ``--fix`` and only when something differs: one
   ``BEGIN IMMEDIATE`` transaction empties the derived tables and bulk-inserts the fold.

A report-only run never takes the write lock: it reads in a deferred (read) transaction.
The task search index (derived from the tasks, not the events) is checked too, reported
as ``differences["tasks_fts"] = {"stale": 1}`` and rebuilt by ``fix``.

:func:`replay` folds events from a given id on top of the stored tables (a restore of a
backup appends events and replays them); it is the same fold with the stored tables as
the checkpoint.
"""

from __future__ import annotations

from collections import Counter as Multiset
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.orm import Session

from .. import sqlite as sqlite_layer
from ..engine.state import MISSING, MemoryState, StateView, empty_state
from ..engine.step import RULES_VERSION, Builder, Definitions, EventIn, collection_paused
from ..errors import ValidationError
from ..models import DERIVED_TABLES, Base, Event, Profile
from . import doctor_checks
from .context import Context
from .engine_store import (
    COLUMNS,
    KEYED,
    StoredState,
    all_projects,
    custom_achievements,
    event_types,
    profile_settings,
    rules_behind,
    table_rows,
    write_rows,
)
from .rewards import purchase_problems

#: Surrogate keys that differ between two rebuilds without meaning anything.
IGNORED_COLUMNS = {"ledger": {"id", "reverses_id"}, "streak_bonus_grants": {"id"},
                   "milestone_grants": {"id"}}
BOARD = "profiles.board_checked_week"
#: The derived tables the engine writes, as the models describe them.
TABLES = {name: Base.metadata.tables[name] for name in COLUMNS}
_EVENT = Event.__table__
_EVENT_COLS = (_EVENT.c.id, _EVENT.c.profile_id, _EVENT.c.key, _EVENT.c.type,
               _EVENT.c.occurred_at, _EVENT.c.activity_day, _EVENT.c.processed_at,
               _EVENT.c.meta)
BATCH = 5000


@dataclass
class DoctorReport:
    integrity: list[str] = field(default_factory=list)
    differences: dict[str, dict[str, int]] = field(default_factory=dict)
    events: int = 0
    fixed: bool = False
    #: Everything else found, in plain words (doctor_checks), and what --fix cannot repair.
    problems: list[str] = field(default_factory=list)
    unrepaired: list[str] = field(default_factory=list)
    #: What was not checked this time, and why (not a problem of the file).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.differences and not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "integrity": self.integrity, "differences": self.differences,
                "events_replayed": self.events, "fixed": self.fixed,
                "problems": self.problems, "unrepaired": self.unrepaired,
                **({"notes": self.notes} if self.notes else {})}  # only when something was


# --- 1. load ------------------------------------------------------------------------------------


def definitions(conn: Connection) -> Definitions:
    profiles = conn.execute(select(Profile.id)).scalars().all()
    return Definitions(event_types=event_types(conn), customs=custom_achievements(conn),
                       projects=all_projects(conn),
                       initial_settings={pid: profile_settings(conn, pid) for pid in profiles})


def iter_events(conn: Connection, first_id: int = 0) -> Iterator[EventIn]:
    """The log from ``first_id`` on, in arrival order (read in batches)."""
    last = first_id - 1
    while True:
        rows = conn.execute(select(*_EVENT_COLS).where(_EVENT.c.id > last)
                            .order_by(_EVENT.c.id).limit(BATCH)).all()
        if not rows:
            return
        for row in rows:
            yield EventIn(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                          row[7] or {})
        last = rows[-1][0]


def load_log(conn: Connection) -> tuple[Definitions, Iterator[EventIn]]:
    """The definitions and the merged log in its one order (sync's, ``core/sync/order.py``:
    (stamp, replica), then this replica's events not synced yet in arrival order)."""
    from ..sync.order import canonical_events  # noqa: PLC0415

    return definitions(conn), canonical_events(conn)


# --- 2. fold ------------------------------------------------------------------------------------


def fold_log(base: StateView, events: Iterator[EventIn], defs: Definitions,
             progress: Callable[[int], None] | None = None) -> tuple[Builder, int]:
    """The engine's fold (as :func:`~..engine.step.fold`), counting and reporting."""
    builder = Builder(base, defs)
    count = 0
    with collection_paused():
        for event in events:
            builder.apply(event, with_outcome=False)
            count += 1
            if progress is not None and count % 500 == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return builder, count


# --- 3. compare ---------------------------------------------------------------------------------


def _columns(name: str) -> list[str]:
    ignored = IGNORED_COLUMNS.get(name, set())
    return [c.name for c in TABLES[name].columns if c.name not in ignored]


def stored_rows(conn: Connection,
                missing: set[str] | frozenset[str] = frozenset()
                ) -> dict[str, Multiset[tuple[Any, ...]]]:
    """The derived rows as stored (a table the doctor found missing reads as empty)."""
    result: dict[str, Multiset[tuple[Any, ...]]] = {}
    for name, table in TABLES.items():
        if name in missing:
            result[name] = Multiset()
            continue
        columns = [table.c[c] for c in _columns(name)]
        result[name] = Multiset(tuple(row) for row in conn.execute(select(*columns)))
    result[BOARD] = Multiset(conn.execute(select(Profile.id, Profile.board_checked_week)))
    return result


def folded_rows(state: MemoryState, profiles: list[int]) -> dict[str, Multiset[tuple[Any, ...]]]:
    result: dict[str, Multiset[tuple[Any, ...]]] = {}
    for name, rows in table_rows(state).items():
        columns = _columns(name)
        result[name] = Multiset(tuple(row.get(c) for c in columns) for row in rows)
    result[BOARD] = Multiset((pid, None if (week := state.board_checked(pid)) is MISSING
                              else week) for pid in profiles)
    return result


def compare(stored: dict[str, Multiset[tuple[Any, ...]]],
            folded: dict[str, Multiset[tuple[Any, ...]]]) -> dict[str, dict[str, int]]:
    differences = {}
    for table, rows in stored.items():
        missing = folded[table] - rows
        extra = rows - folded[table]
        if missing or extra:
            differences[table] = {"missing": sum(missing.values()),
                                  "unexpected": sum(extra.values())}
    return differences


# --- 4. fix -------------------------------------------------------------------------------------


def write_fold(conn: Connection, state: MemoryState, profiles: list[int]) -> None:
    """Replace every derived table with the fold's rows (inside the caller's transaction):
    the tables with natural keys by writing only the rows that differ, the others (ids
    given in the fold's order) emptied and written again."""
    for model in reversed(DERIVED_TABLES):
        if model.__tablename__ not in KEYED:
            conn.execute(delete(model))
    conn.execute(update(Profile).values(board_checked_week=None))
    write_rows(conn, state, upsert=False, diffed=KEYED)


def replay(session: Session, first_id: int = 0,
           progress: Callable[[int], None] | None = None) -> int:
    """Fold the events from ``first_id`` on over the stored tables and write the result
    (a restore's imported events). Returns how many."""
    session.flush()
    conn = session.connection()
    base = StoredState(conn, defined_by_log=True)
    builder, count = fold_log(base, iter_events(conn, first_id), definitions(conn), progress)
    write_rows(conn, builder.top, upsert=True)
    return count


def bring_rules_up_to_date(session: Session) -> bool:
    """Rebuild the derived tables once when the file's were written by older rules.

    The file's ``PRAGMA user_version`` holds the :data:`~..engine.step.RULES_VERSION` its
    derived tables follow (0: before it was kept). A file behind the engine's gets the
    fold written in the caller's write transaction. A log the fold cannot read is left
    for ``momentum doctor`` to report. Returns whether the tables were rebuilt.
    """
    conn = session.connection()
    if not rules_behind(conn):
        return False
    try:
        folded, profiles, _ = DoctorService._fold(conn)
    except Exception:  # noqa: BLE001 - a damaged log is the doctor's to report
        return False
    write_fold(conn, folded, profiles)
    conn.exec_driver_sql(f"PRAGMA user_version = {int(RULES_VERSION)}")
    return True


def _last_event(conn: Connection) -> Any:
    return conn.execute(select(func.max(_EVENT.c.id))).scalar()


class DoctorService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @staticmethod
    def _fold(conn: Connection) -> tuple[MemoryState, list[int], int]:
        defs, events = load_log(conn)
        builder, count = fold_log(empty_state(), events, defs)
        return builder.top, sorted(defs.initial_settings), count

    def run(self, fix: bool = False) -> DoctorReport:
        report = DoctorReport()
        db = self.ctx.db
        with db.reading() as session:  # a read: a report never waits for a writer
            if session.connection().dialect.name == "sqlite":
                report.integrity = sqlite_layer.integrity_problems(session.connection())
            report.integrity += purchase_problems(session)
            findings = doctor_checks.preflight(session.connection())
        report.problems = findings.problems()
        report.unrepaired = findings.unrepairable()
        if findings.blocks_replay:
            return report
        missing = set(findings.missing_tables)
        if sqlite_layer.SEARCH_INDEX not in missing:
            bind = db.engine.execution_options(**{sqlite_layer.READ_ONLY_OPTION: True})
            with bind.connect() as connection:
                # FTS5's integrity-check is a statement of its own (it is spelled INSERT).
                matches = sqlite_layer.search_index_matches(connection)
                if matches is False:
                    report.differences[sqlite_layer.SEARCH_INDEX] = {"stale": 1}
                elif matches is None:
                    report.notes.append("the search index was not checked: another "
                                        "program is writing (run the doctor again later)")
                connection.rollback()
        try:
            with db.reading() as session:
                conn = session.connection()
                last_event = _last_event(conn)
                folded, profiles, report.events = self._fold(conn)
                report.differences.update(compare(stored_rows(conn, missing),
                                                  folded_rows(folded, profiles)))
        except ValidationError as exc:  # an event the engine cannot apply again
            report.problems.append(f"the event log cannot be replayed: {exc}")
            report.unrepaired.append("nothing was changed")
            return report
        if fix and (report.differences or missing):
            with db.transaction() as session:
                conn = session.connection()
                doctor_checks.recreate_missing(conn, findings.missing_tables)
                if _last_event(conn) != last_event:  # events arrived since: fold again
                    folded, profiles, report.events = self._fold(conn)
                if (sqlite_layer.SEARCH_INDEX in report.differences
                        or sqlite_layer.SEARCH_INDEX in missing):
                    sqlite_layer.rebuild_search_index(conn)
                write_fold(conn, folded, profiles)
            report.fixed = True
        return report
