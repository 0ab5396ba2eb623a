"""SQLAlchemy 2.0 typed models: everything SPEC.md names, plus the engine's derived tables.

Two families of tables:

* **source data** the person enters: profiles, vacations, projects, tasks, goals,
  goal steps, time slots, custom event types and custom achievements, and the
  **events** log (every completion, reversal and custom event, with its unique key);
* **derived data** the engine writes from events: completions, the points ledger,
  counters, day and week stats, streaks, achievement progress and granted milestones.
  ``momentum doctor`` rebuilds all derived tables from the events and compares.

Timestamps are stored in UTC as naive ``DateTime`` values (SQLite has no zone type);
:class:`UTCDateTime` converts at the boundary so Python code only sees aware datetimes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012 (read by SQLAlchemy)


# --- Source data -----------------------------------------------------------------


class Profile(Base):
    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    day_start_hour: Mapped[int] = mapped_column(Integer, default=0)
    daily_task_target: Mapped[int] = mapped_column(Integer, default=3)
    #: Weekdays off as a comma-separated list of 0 (Monday) … 6 (Sunday); "" for none.
    days_off: Mapped[str] = mapped_column(String(20), default="")
    #: Gamification mode (SPEC v2 §11): "full", "quiet" or "off" — what the window shows.
    game_mode: Mapped[str] = mapped_column(String(5), default="full", server_default="full")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Last finished ISO week checked for `top_of_the_board` ("YYYY-Www").
    board_checked_week: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("day_start_hour BETWEEN 0 AND 23", name="day_start_hour"),
        CheckConstraint("daily_task_target >= 1", name="daily_task_target"),
    )

    @property
    def days_off_set(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.days_off.split(",") if d != "")


class Vacation(Base):
    __tablename__ = "vacations"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        Index("ix_vacations_profile_dates", "profile_id", "start_date", "end_date"),
    )


class Project(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    goals_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    is_inbox: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    __table_args__ = (UniqueConstraint("profile_id", "name"),)


class Goal(Base):
    __tablename__ = "goals"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    title: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    steps: Mapped[list[GoalStep]] = relationship(
        back_populates="goal", order_by="GoalStep.position", lazy="selectin"
    )
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done')", name="status"),
        Index("ix_goals_profile_status", "profile_id", "status"),
    )


class GoalStep(Base):
    __tablename__ = "goal_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    goal: Mapped[Goal] = relationship(back_populates="steps")
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done')", name="status"),
        Index("ix_goal_steps_goal_position", "goal_id", "position"),
    )


class Task(Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id"))
    title: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    complexity: Mapped[int] = mapped_column(Integer, default=1)
    due_date: Mapped[date | None] = mapped_column(Date)
    #: A due time (SPEC §12): the instant in UTC, and the local wall time ("HH:MM") it
    #: was given as, kept for display. Both NULL for a date-only due (overdue after the day).
    due_at: Mapped[datetime | None]
    due_time: Mapped[str | None] = mapped_column(String(5))
    repeat_rule: Mapped[str | None] = mapped_column(String(500))
    #: The series' first occurrence (local wall time, ISO "YYYY-MM-DDTHH:MM"): the RRULE's
    #: DTSTART, so COUNT and UNTIL stop the series where the rule says.
    repeat_start: Mapped[str | None] = mapped_column(String(16))
    #: Repeat after completion ("3d", "2w", "1m"): the next occurrence that long after.
    repeat_after: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    #: Hidden until this local day (Taskwarrior ``wait``, todo.txt ``t:``): out of the
    #: task lists before it, shown normally from it on (issue 18). NULL: never hidden.
    hidden_until: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint("complexity BETWEEN 1 AND 5", name="complexity"),
        CheckConstraint("status IN ('open', 'done')", name="status"),
        Index("ix_tasks_profile_status_due", "profile_id", "status", "due_date"),
        Index("ix_tasks_profile_due", "profile_id", "due_date"),
        Index("ix_tasks_project_due", "project_id", "due_date"),
        Index("ix_tasks_project_status_due", "project_id", "status", "due_date"),
        Index("ix_tasks_goal", "goal_id"),
    )


class Tag(Base):
    """A tag (SPEC §12): a profile's label, matched case-insensitively by name."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("profile_id", "name"),)


class TaskTag(Base):
    __tablename__ = "task_tags"
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"),
                                         primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"),
                                        primary_key=True)
    __table_args__ = (Index("ix_task_tags_tag", "tag_id"),)


class Reminder(Base):
    """A reminder of a task (SPEC §12): an offset before its due time, or an instant.

    ``fire_at`` is when it is due (UTC), ``snoozed_until`` overrides it once snoozed;
    ``state`` is ``pending`` until the window (or a missed-reminders summary) shows it,
    then ``shown``; ``done`` once its task was completed from the notification.
    """

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    #: Minutes before the due time; NULL for a reminder at a fixed instant.
    offset_minutes: Mapped[int | None] = mapped_column(Integer)
    fire_at: Mapped[datetime]
    snoozed_until: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(10), default="pending")
    shown_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'shown', 'done')", name="state"),
        CheckConstraint("offset_minutes IS NULL OR offset_minutes >= 0", name="offset"),
        Index("ix_reminders_profile_state", "profile_id", "state"),
        Index("ix_reminders_task", "task_id"),
    )


class TimeSlot(Base):
    __tablename__ = "time_slots"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="end_after_start"),
        CheckConstraint("status IN ('open', 'done')", name="status"),
        Index("ix_time_slots_profile_start", "profile_id", "start_at"),
    )


class EventType(Base):
    """A custom event type (SPEC §8): scripts log activity worth ``points``."""

    __tablename__ = "event_types"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    points: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    #: Removed (the undo of its creation): no new events, but the log's still fold.
    deleted_at: Mapped[datetime | None]
    __table_args__ = (CheckConstraint("points >= 0", name="points"),)


class CustomAchievement(Base):
    """A profile's own achievement (from level 7), same criteria types as the catalog."""

    __tablename__ = "custom_achievements"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    criteria: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str | None] = mapped_column(String(100))
    target: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    icon: Mapped[str] = mapped_column(String(40), default="fa5s.award")
    created_at: Mapped[datetime]
    __table_args__ = (
        CheckConstraint("points BETWEEN 0 AND 100", name="points"),
        CheckConstraint("target >= 1", name="target"),
        UniqueConstraint("profile_id", "name"),
    )


class Event(Base):
    """One entry of the event log: a completion, a reversal or a custom event."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[datetime]
    activity_day: Mapped[date] = mapped_column(Date)
    processed_at: Mapped[datetime]
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The outcome returned when the event was processed, replayed for the same key.
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    __table_args__ = (
        UniqueConstraint("profile_id", "key"),
        Index("ix_events_profile_day", "profile_id", "activity_day"),
    )


class ImportSource(Base):
    """Where an imported item came from: its identity in the source file's tool and the
    fields as last imported (issue 18), so a second import changes nothing and a newer
    export updates only what the source changed."""

    __tablename__ = "import_sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(10))  # "task" | "slot" | "goal" | "step"
    item_id: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_at: Mapped[datetime]
    __table_args__ = (
        UniqueConstraint("profile_id", "format", "source_id"),
        Index("ix_import_sources_item", "kind", "item_id"),
    )


class UndoEntry(Base):
    """One user action on this replica, with what takes it back (SPEC v2 §9, issue 15).

    ``ops`` are the inverse operations (applied last first) while ``state`` is ``done``,
    and the operations that make the action again once it is ``undone``; see
    :mod:`momentum_app.core.services.history`."""

    __tablename__ = "undo_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(300))
    ops: Mapped[list[Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10))  # "done" | "undone"
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (
        CheckConstraint("state IN ('done', 'undone')", name="state"),
        Index("ix_undo_entries_profile_state", "profile_id", "state", "id"),
    )


class Reward(Base):
    """A reward the person defined for themselves (SPEC v2 §2a), bought with coins."""

    __tablename__ = "rewards"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    cost: Mapped[int] = mapped_column(Integer)
    repeatable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    __table_args__ = (
        CheckConstraint("cost BETWEEN 1 AND 100000", name="cost"),
        Index("ix_rewards_profile", "profile_id"),
    )


class RewardPurchase(Base):
    """One purchase of a reward: its ``reward_purchase`` event, and the refund if undone."""

    __tablename__ = "reward_purchases"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    #: The cost paid (the reward's cost at the time; a later price change keeps it).
    cost: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    purchased_at: Mapped[datetime]
    refunded_at: Mapped[datetime | None]
    refund_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"))
    __table_args__ = (
        CheckConstraint("cost >= 1", name="cost"),
        Index("ix_reward_purchases_profile", "profile_id"),
        Index("ix_reward_purchases_reward", "reward_id"),
        UniqueConstraint("event_id"),
    )


# --- Sync (SPEC v2 §13, docs/SYNC.md): this replica's identity and what it exchanged ----


class SyncReplica(Base):
    """This database as a replica: its random id, its hybrid logical clock, its segments."""

    __tablename__ = "sync_replica"
    id: Mapped[int] = mapped_column(primary_key=True)
    replica_id: Mapped[str] = mapped_column(String(32), unique=True)
    #: The last hybrid logical clock stamp issued or seen (ms << 16 | counter).
    clock: Mapped[int] = mapped_column(Integer, default=0)
    #: The number of the next segment file this replica writes.
    next_segment: Mapped[int] = mapped_column(Integer, default=1)
    folder: Mapped[str | None] = mapped_column(Text)
    last_sync_at: Mapped[datetime | None]
    last_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SyncId(Base):
    """A row's ``uid`` (the same on every replica) for its short local id; a row met under
    two uids (profiles meet by name) has both."""

    __tablename__ = "sync_ids"
    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), primary_key=True)
    local_id: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_sync_ids_local", "tbl", "local_id"),)


class SyncField(Base):
    """The value of a synced field as last exchanged, with the stamp that set it: the
    later stamp wins, per field."""

    __tablename__ = "sync_fields"
    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    local_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    stamp: Mapped[int] = mapped_column(Integer)
    replica: Mapped[str] = mapped_column(String(32))


class SyncEvent(Base):
    """An event's ``uid`` and its place in the merged log: (stamp, replica)."""

    __tablename__ = "sync_events"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    stamp: Mapped[int] = mapped_column(Integer)
    replica: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_sync_events_order", "stamp", "replica"),)


class SyncPeer(Base):
    """How far this replica has read another replica's segments."""

    __tablename__ = "sync_peers"
    replica: Mapped[str] = mapped_column(String(32), primary_key=True)
    segments_read: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime | None]


class SyncOutbox(Base):
    """Records captured for a segment not yet written (written after the commit, so a
    crash between the two rewrites the same segment instead of losing it)."""

    __tablename__ = "sync_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    segment: Mapped[int] = mapped_column(Integer)
    record: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_sync_outbox_segment", "segment"),)


class SyncCheckpoint(Base):
    """The fold's state after the first ``position`` events of the merged log."""

    __tablename__ = "sync_checkpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    stamp: Mapped[int] = mapped_column(Integer)
    replica: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


# --- Derived data (written by the engine, rebuilt by `momentum doctor`) ------------


class Completion(Base):
    """A completion event's standing: its price so far and whether it was reversed."""

    __tablename__ = "completions"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int | None] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(Integer)
    activity_day: Mapped[date] = mapped_column(Date)
    complexity: Mapped[int] = mapped_column(Integer, default=1)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Base points plus streak adjustments credited so far.
    price: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reversed_by: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    __table_args__ = (
        Index("ix_completions_profile_day", "profile_id", "activity_day"),
        Index("ix_completions_item", "profile_id", "kind", "item_id"),
    )


class LedgerEntry(Base):
    """A credit or debit of points (SPEC §2). Total = Σ credits − Σ debits."""

    __tablename__ = "ledger"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    entry_type: Mapped[str] = mapped_column(String(6))
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(60))
    #: The completion this row prices (base, adjustment, bonus), for exact reversal.
    completion_id: Mapped[int | None] = mapped_column(Integer)
    #: The credit a debit reverses.
    reverses_id: Mapped[int | None] = mapped_column(Integer)
    #: The activity day the points count towards (the completion's day).
    activity_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    __table_args__ = (
        CheckConstraint("entry_type IN ('credit', 'debit')", name="entry_type"),
        CheckConstraint("points >= 0", name="points"),
        Index("ix_ledger_profile_day", "profile_id", "activity_day"),
        Index("ix_ledger_profile", "profile_id"),  # rowid order: the latest rows, no sort
        Index("ix_ledger_completion", "completion_id"),
        Index("ix_ledger_event", "event_id"),
    )


class Counter(Base):
    """An incremental count (net of reversals), global or per project: O(1) rules."""

    __tablename__ = "counters"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)  # "global" | "project:N"
    name: Mapped[str] = mapped_column(String(140), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class DayStat(Base):
    """Per activity day: net completions by kind, focus minutes, points, bonus holders."""

    __tablename__ = "day_stats"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    tasks: Mapped[int] = mapped_column(Integer, default=0)
    steps: Mapped[int] = mapped_column(Integer, default=0)
    slots: Mapped[int] = mapped_column(Integer, default=0)
    goals: Mapped[int] = mapped_column(Integer, default=0)
    focus_minutes: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    first_task_holder: Mapped[int | None] = mapped_column(Integer)
    early_bird_holder: Mapped[int | None] = mapped_column(Integer)
    night_owl_holder: Mapped[int | None] = mapped_column(Integer)
    weekend_holder: Mapped[int | None] = mapped_column(Integer)
    #: Cross-profile weekly queries (team_player, top_of_the_board, leaderboards).
    __table_args__ = (Index("ix_day_stats_day", "day"),)

    @property
    def completions(self) -> int:
        return self.tasks + self.steps + self.slots + self.goals


class WeekStat(Base):
    __tablename__ = "week_stats"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    week: Mapped[str] = mapped_column(String(10), primary_key=True)  # "YYYY-Www"
    perfect_week_holder: Mapped[int | None] = mapped_column(Integer)


class Streak(Base):
    """The latest run of a streak type, and the longest ever (SPEC §4)."""

    __tablename__ = "streaks"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    type: Mapped[str] = mapped_column(String(20), primary_key=True)
    current: Mapped[int] = mapped_column(Integer, default=0)  # length of the latest run
    longest: Mapped[int] = mapped_column(Integer, default=0)
    run_start: Mapped[date | None] = mapped_column(Date)
    last_activity_date: Mapped[date | None] = mapped_column(Date)


class StreakBonusGrant(Base):
    """A `streak_milestone` bonus: the run reached ``threshold`` on ``day``."""

    __tablename__ = "streak_bonus_grants"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    threshold: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    __table_args__ = (
        UniqueConstraint("profile_id", "threshold", "day"),
    )


class AchievementProgress(Base):
    __tablename__ = "achievement_progress"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    #: A catalog id, or "custom:N" for a custom achievement.
    achievement_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None]
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))


class MilestoneGrant(Base):
    """A reached milestone threshold, granted once ever per (profile, kind, scope)."""

    __tablename__ = "milestone_grants"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(40))  # "global" | "project:N"
    threshold: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(60))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    granted_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("profile_id", "kind", "scope", "threshold"),)


class LevelRow(Base):
    """The level table of SPEC §3, seeded by the migration for SQL reports."""

    __tablename__ = "levels"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    points_required: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(40))
    perk: Mapped[str | None] = mapped_column(String(100))


#: Tables the engine derives from events; `doctor` rebuilds exactly these.
DERIVED_TABLES = (
    Completion, LedgerEntry, Counter, DayStat, WeekStat, Streak, StreakBonusGrant,
    AchievementProgress, MilestoneGrant,
)

#: Not models: the FTS5 search index of task titles and notes (migration 0003, kept in step
#: by triggers) and the shadow tables SQLite stores it in.
SEARCH_INDEX = "tasks_fts"
SEARCH_INDEX_TABLES = frozenset(
    {SEARCH_INDEX} | {f"{SEARCH_INDEX}_{part}" for part in ("config", "data", "docsize", "idx")})
