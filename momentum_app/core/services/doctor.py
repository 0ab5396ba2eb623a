"""``momentum doctor``: check the file, rebuild every derived table from the events, compare.

The rebuild replays the event log in arrival order through the same engine, each event
as of the instant it was first processed. Without ``fix`` the rebuild is rolled back and
only the differences are reported; with ``fix`` it is committed. A second run after a
fix finds nothing. The task search index (derived from the tasks, not the events) is
checked too, reported as ``differences["tasks_fts"] = {"stale": 1}`` and rebuilt by ``fix``.
"""

from __future__ import annotations

from collections import Counter as Multiset
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, inspect, select, update
from sqlalchemy.orm import Session

from .. import catalog
from .. import sqlite as sqlite_layer
from ..engine.processor import Processor
from ..engine.state import Settings
from ..models import DERIVED_TABLES, Event, LedgerEntry, MilestoneGrant, Profile, StreakBonusGrant
from .context import Context
from .rewards import is_reward_event, purchase_problems

REPLAY_BATCH = 500
#: Surrogate keys that differ between two rebuilds without meaning anything.
IGNORED_COLUMNS = {LedgerEntry: {"id", "reverses_id"}, StreakBonusGrant: {"id"},
                   MilestoneGrant: {"id"}}


@dataclass
class DoctorReport:
    integrity: list[str] = field(default_factory=list)
    differences: dict[str, dict[str, int]] = field(default_factory=dict)
    events: int = 0
    fixed: bool = False

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.differences

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "integrity": self.integrity, "differences": self.differences,
                "events_replayed": self.events, "fixed": self.fixed}


def _snapshot(session: Session) -> dict[str, Multiset[tuple[Any, ...]]]:
    session.flush()
    tables: dict[str, Multiset[tuple[Any, ...]]] = {}
    for model in DERIVED_TABLES:
        ignored = IGNORED_COLUMNS.get(model, set())
        mapper: Any = inspect(model)
        columns = [c for c in mapper.columns if c.key not in ignored]
        rows = session.execute(select(*columns)).all()
        tables[model.__tablename__] = Multiset(tuple(row) for row in rows)
    tables["profiles.board_checked_week"] = Multiset(
        session.execute(select(Profile.id, Profile.board_checked_week)).all())
    return tables


def rebuild(session: Session) -> int:
    """Empty the derived tables and replay every event. Returns the number replayed."""
    for model in reversed(DERIVED_TABLES):
        session.execute(delete(model))
    session.execute(update(Profile).values(board_checked_week=None))
    session.flush()
    session.expunge_all()
    return replay(session)


class Replay:
    """The history a replay needs besides the events: each profile's settings as they
    were, and the custom achievements defined so far."""

    def __init__(self) -> None:
        self.settings: dict[int, Settings] = {}
        self.defined: set[str] = set()

    def apply(self, session: Session, event: Event) -> None:
        if is_reward_event(event.type):
            return  # coins, not points: nothing for the engine to score
        if event.type == catalog.SETTINGS_EVENT:
            self.settings[event.profile_id] = Settings.from_meta(event.profile_id, event.meta)
        elif event.type == catalog.ACHIEVEMENT_DEFINED_EVENT:
            self.defined.add(str(event.meta["achievement"]))
        Processor(session, event.processed_at, self.settings, self.defined).replay(event)


def replay(session: Session, first_id: int = 0,
           progress: Callable[[int], None] | None = None) -> int:
    """Replay the events from ``first_id`` on, in arrival order, each with a fresh
    processor as of the instant it was first processed. Returns how many."""
    history = Replay()
    count = 0
    last_id = first_id - 1
    while True:
        # Batches keep the identity map small.
        batch = session.scalars(select(Event).where(Event.id > last_id)
                                .order_by(Event.id).limit(REPLAY_BATCH)).all()
        if not batch:
            break
        for event in batch:
            history.apply(session, event)
            count += 1
        last_id = batch[-1].id
        session.flush()
        session.expunge_all()
        if progress is not None:
            progress(count)
    return count


class DoctorService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def run(self, fix: bool = False) -> DoctorReport:
        report = DoctorReport()
        with self.ctx.db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                report.integrity = sqlite_layer.integrity_problems(connection)
        with self.ctx.db.reading() as session:
            report.integrity += purchase_problems(session)
        with self.ctx.db.sessions() as session:
            session.begin()
            try:
                if not sqlite_layer.search_index_matches(session.connection()):
                    report.differences[sqlite_layer.SEARCH_INDEX] = {"stale": 1}
                    sqlite_layer.rebuild_search_index(session.connection())
                before = _snapshot(session)
                report.events = rebuild(session)
                after = _snapshot(session)
                for table, rows in before.items():
                    missing = after[table] - rows
                    extra = rows - after[table]
                    if missing or extra:
                        report.differences[table] = {"missing": sum(missing.values()),
                                                     "unexpected": sum(extra.values())}
                if fix and report.differences:
                    session.commit()
                    report.fixed = True
                else:
                    session.rollback()
            except BaseException:
                session.rollback()
                raise
        return report
