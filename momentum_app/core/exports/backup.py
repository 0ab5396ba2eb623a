"""The JSON backup: every profile's source data and event log, plus derived data to inspect.

Layout (``"format": "momentum-backup"``, ``"version": 1``)::

    {"format": "momentum-backup", "version": 1, "app_version": ..., "schema_revision": ...,
     "exported_at": "2026-01-05T12:00:00Z", "scope": "profile" | "all-profiles",
     "event_types": [{name, points, created_at}, ...],
     "profiles": [
       {"id", "name", "timezone", "day_start_hour", "daily_task_target", "days_off",
        "game_mode", "is_default", "created_at", "deleted_at",
        "vacations": [...], "projects": [...], "goals": [...], "goal_steps": [...],
        "tasks": [...], "time_slots": [...], "custom_achievements": [...],
        "rewards": [...], "events": [...], "reward_purchases": [...],
        "derived": {"ledger": [...], "counters": [...], "day_stats": [...], "streaks": [...],
                    "streak_bonus_grants": [...], "achievement_progress": [...],
                    "milestone_grants": [...]}}]}

Rows carry their column names; instants are UTC ISO 8601 (``...Z``), dates ``YYYY-MM-DD``.
Ids are the exporting database's: an import maps them to fresh ones. **Source data** is
what the person entered plus the event log; **derived** data is what the engine computed
from the events. An import never trusts the derived part: it replays the events through
the engine and then compares its result with what the backup says (see
:mod:`momentum_app.core.imports.backup`).

The file is written one row per line, streamed from the database, so a large history
does not need to fit in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from ... import __version__
from .. import db as db_module
from ..models import (
    AchievementProgress,
    Counter,
    CustomAchievement,
    DayStat,
    Event,
    EventType,
    Goal,
    GoalStep,
    LedgerEntry,
    MilestoneGrant,
    Profile,
    Project,
    Reminder,
    Reward,
    RewardPurchase,
    Streak,
    StreakBonusGrant,
    Tag,
    Task,
    TaskTag,
    TimeSlot,
    Vacation,
)
from ..services import Momentum
from . import common

FORMAT = "momentum-backup"
VERSION = 1
PROFILE_FIELDS = ("id", "name", "timezone", "day_start_hour", "daily_task_target", "days_off",
                  "game_mode", "is_default", "created_at", "deleted_at")
#: Source tables of a profile, in the order an import creates them.
SOURCE_TABLES: tuple[tuple[str, Any], ...] = (
    ("vacations", Vacation), ("projects", Project), ("goals", Goal),
    ("goal_steps", GoalStep), ("tasks", Task), ("time_slots", TimeSlot),
    ("custom_achievements", CustomAchievement), ("rewards", Reward), ("events", Event),
    ("reward_purchases", RewardPurchase),
)
DERIVED_TABLES: tuple[tuple[str, Any], ...] = (
    ("ledger", LedgerEntry), ("counters", Counter), ("day_stats", DayStat),
    ("streaks", Streak), ("streak_bonus_grants", StreakBonusGrant),
    ("achievement_progress", AchievementProgress), ("milestone_grants", MilestoneGrant),
)
YIELD = 2000


@dataclass
class JsonExportResult:
    path: str = ""
    profiles: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": "json", "files": {"backup": self.path}, "profiles": self.profiles,
                "rows": self.rows}


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return common.iso_instant(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def table_rows(session: Session, model: Any, profile_id: int) -> Iterator[dict[str, Any]]:
    """A profile's rows of one table, oldest first, as plain dicts (no ORM objects)."""
    table: Table = model.__table__
    if model is GoalStep:
        query = select(table).join(Goal.__table__, Goal.id == GoalStep.goal_id).where(
            Goal.profile_id == profile_id).order_by(GoalStep.id)
    else:
        order = [c for c in table.primary_key.columns]
        query = select(table).where(table.c.profile_id == profile_id).order_by(*order)
    result = session.execute(query.execution_options(yield_per=YIELD))
    for row in result.mappings():
        yield {key: json_value(value) for key, value in row.items() if key != "profile_id"}


def planning_rows(session: Session, profile_id: int
                  ) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """SPEC §12 source data: the tasks' tags (``{task_id, name}``) and reminders."""
    tags = session.execute(select(TaskTag.task_id, Tag.name).join(Tag, Tag.id == TaskTag.tag_id)
                           .where(Tag.profile_id == profile_id)
                           .order_by(TaskTag.task_id, Tag.name))
    yield "task_tags", ({"task_id": task_id, "name": name} for task_id, name in tags)
    yield "reminders", table_rows(session, Reminder, profile_id)


def _write_rows(handle: IO[str], rows: Iterable[dict[str, Any]], indent: str,
                hooks: common.Feedback, stage: str) -> int:
    """A JSON array, one row per line."""
    count = 0
    handle.write("[")
    for row in rows:
        handle.write("\n" if count == 0 else ",\n")
        handle.write(indent + "  " + json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        count += 1
        if count % YIELD == 0:
            hooks.check()
            hooks.report(stage, count, None)
    handle.write(("\n" + indent + "]") if count else "]")
    return count


def write_backup(session: Session, handle: IO[str], profiles: list[Profile], scope: str,
                 now: datetime, schema_revision: str | None,
                 hooks: common.Feedback) -> JsonExportResult:
    result = JsonExportResult(profiles=len(profiles))
    header = {"format": FORMAT, "version": VERSION, "app_version": __version__,
              "schema_revision": schema_revision, "exported_at": common.iso_instant(now),
              "scope": scope}
    handle.write("{\n")
    for key, value in header.items():
        handle.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    handle.write('  "event_types": ')
    event_types = ({"name": t.name, "points": t.points, "created_at": common.iso_instant(
        t.created_at)} for t in session.scalars(select(EventType).order_by(EventType.id)))
    result.rows["event_types"] = _write_rows(handle, event_types, "  ", hooks, "event_types")
    handle.write(',\n  "profiles": [')
    for index, profile in enumerate(profiles):
        hooks.check()
        handle.write("\n    {" if index == 0 else ",\n    {")
        for name in PROFILE_FIELDS:
            value = json_value(getattr(profile, name))
            handle.write(f"\n      {json.dumps(name)}: "
                         f"{json.dumps(value, ensure_ascii=False)},")
        for name, model in SOURCE_TABLES:
            handle.write(f"\n      {json.dumps(name)}: ")
            count = _write_rows(handle, table_rows(session, model, profile.id), "      ",
                                hooks, name)
            result.rows[name] = result.rows.get(name, 0) + count
            handle.write(",")
        for name, rows in planning_rows(session, profile.id):
            handle.write(f"\n      {json.dumps(name)}: ")
            result.rows[name] = result.rows.get(name, 0) + _write_rows(
                handle, rows, "      ", hooks, name)
            handle.write(",")
        handle.write('\n      "derived": {')
        for position, (name, model) in enumerate(DERIVED_TABLES):
            handle.write(f"\n        {json.dumps(name)}: ")
            count = _write_rows(handle, table_rows(session, model, profile.id), "        ",
                                hooks, name)
            result.rows[name] = result.rows.get(name, 0) + count
            if position < len(DERIVED_TABLES) - 1:
                handle.write(",")
        handle.write("\n      }\n    }")
    handle.write("\n  ]\n}\n" if profiles else "]\n}\n")
    return result


def export_json(app: Momentum, out: str | Path, *, all_profiles: bool = False,
                progress: common.ProgressCallback | None = None,
                should_cancel: common.CancelCheck | None = None) -> JsonExportResult:
    """Write a full backup of the current profile (or of every profile) to ``out``."""
    hooks = common.feedback(progress, should_cancel)
    now = app.clock.now()
    target = common.output_target(out, f"momentum-backup-{now:%Y%m%d-%H%M%S}.json")
    try:
        revision = db_module.current_revision(app.db)
    except Exception:  # noqa: BLE001 - a database without Alembic's table (tests)
        revision = None
    with app.db.reading() as session:
        profiles = common.profiles_in_scope(session, app.profile_id, all_profiles)
        with common.atomic_output(target, "w", encoding="utf-8", newline="\n") as handle:
            result = write_backup(session, handle, profiles,
                                  "all-profiles" if all_profiles else "profile", now,
                                  revision, hooks)
    result.path = str(target)
    return result
