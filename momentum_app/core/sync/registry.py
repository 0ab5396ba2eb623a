"""What travels: the synced tables, one registration line each (SPEC v2 §13).

A :class:`Synced` names a model, the columns that identify a row when two replicas meet
it for the first time (profiles meet by name), and the columns that stay local (derived
or per-machine). Every other column travels as a field; a column with a foreign key to a
synced table travels as the referenced row's uid. The order of :data:`SYNCED` is the
order rows are created in (parents first); ``events`` is applied after the tables it
refers to and before those that refer to it (:data:`EVENTS_AFTER`).

To make a new table travel, add one line here (a table without an ``id`` column, such
as ``task_tags``, travels as a link: its columns are its identity). Every table of the
models is either here, derived (:data:`DERIVED`), fixed (:data:`FIXED`) or this machine's own
(:data:`LOCAL`);
``tests/sync/test_registry.py`` fails for a table that is none of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Table, literal_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from .. import models as m


@dataclass(frozen=True)
class Synced:
    model: type[m.Base]
    #: Columns that identify the same row on two replicas (a second create merges).
    natural: tuple[str, ...] = ()
    #: Columns that never travel (derived, or this machine's own).
    local: tuple[str, ...] = ()

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[return-value]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def link(self) -> bool:
        """A link table (``task_tags``): no ``id`` column; its columns are its identity,
        its rows are known by SQLite's ``rowid``, and a change of them is a new row."""
        return "id" not in self.table.c

    @property
    def key(self) -> ColumnElement[Any]:
        """The column a row is known by on this replica (its local id)."""
        if self.link:
            return literal_column(f"{self.name}.rowid")
        return self.table.c.id

    @property
    def fields(self) -> tuple[Column[Any], ...]:
        return tuple(c for c in self.table.columns
                     if c.name != "id" and c.name not in self.local)

    @property
    def soft_delete(self) -> bool:
        return "deleted_at" in self.table.c


SYNCED: tuple[Synced, ...] = (
    Synced(m.Profile, natural=("name",), local=("is_default", "board_checked_week")),
    Synced(m.EventType, natural=("name",)),
    Synced(m.Vacation),
    Synced(m.Project, natural=("profile_id", "name")),
    Synced(m.Tag, natural=("profile_id", "name")),
    Synced(m.Goal),
    Synced(m.GoalStep),
    Synced(m.Task),
    Synced(m.TaskTag, natural=("task_id", "tag_id")),
    Synced(m.TimeSlot),
    Synced(m.Reminder, local=("state", "shown_at")),
    Synced(m.CustomAchievement, natural=("profile_id", "name")),
    Synced(m.Reward),
    Synced(m.RewardPurchase),
)
BY_NAME = {entry.name: entry for entry in SYNCED}
#: Derived tables: written by the engine's fold, never sent (each replica folds them).
DERIVED = frozenset({"completions", "ledger", "counters", "day_stats", "week_stats",
                     "streaks", "streak_bonus_grants", "achievement_progress",
                     "milestone_grants"})
#: The same on every replica: seeded by the migrations (SPEC §3's level table).
FIXED = frozenset({"levels"})
#: This machine's own tables: the sync bookkeeping, the undo history of actions made
#: here, and where imported items came from (a re-import on this computer matches them).
LOCAL = frozenset({"sync_replica", "sync_ids", "sync_fields", "sync_events", "sync_peers",
                   "sync_outbox", "sync_checkpoints", "undo_entries", "import_sources",
                   "alembic_version"})
EVENTS = "events"
#: Tables whose rows refer to events: their operations are applied after the events.
EVENTS_AFTER = frozenset({"reward_purchases"})
#: Event metadata that holds local ids, and the table each refers to (``item_id``: the
#: table of the completion's kind, see :func:`item_table`).
META_REFS = {"project_id": "projects", "goal_id": "goals", "reward_id": "rewards",
             "completion": EVENTS}
ITEM_TABLES = {"task": "tasks", "goal_step": "goal_steps", "time_slot": "time_slots",
               "goal": "goals"}


def reference(column: Column[Any]) -> str | None:
    """The synced table (or ``events``) a column refers to, if any."""
    for fk in column.foreign_keys:
        target = fk.column.table.name
        if target in BY_NAME or target == EVENTS:
            return target
    return None


def encode(value: Any) -> Any:
    """A column value as JSON (datetimes in UTC ISO 8601, dates ISO)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(column: Column[Any], value: Any) -> Any:
    """A JSON value back as the column's Python value."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, DateTime):
        found = datetime.fromisoformat(value)
        return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Boolean):
        return bool(value)
    return value


def dumps(value: Any) -> str:
    """The stored form of a field value (compared to find what changed)."""
    return json.dumps(encode(value), sort_keys=True, ensure_ascii=False, default=str)
