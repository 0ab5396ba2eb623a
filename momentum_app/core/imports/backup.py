"""Restoring a JSON backup (:mod:`momentum_app.core.exports.backup`).

1. **Validate** the whole file: the format and version, every profile, item and event
   (titles, names, dates and numbers through :mod:`..services.validation`), and every
   reference between them. Errors name the JSON field: ``profiles[0].tasks[3].due: …``.
2. **Map** each backup profile to a profile of this database: one with the same name
   that holds no data yet, else the database's empty default profile (for the backup's
   default profile), else a new one. A same-named profile that already has data is
   refused: a backup restores into an empty profile, it does not merge.
3. **Write** the source data and the events with fresh ids (references and event
   metadata remapped), in one transaction.
4. **Replay** the imported events through the engine, in their original order and each
   as of when it was first processed (as ``momentum doctor`` does). Progress, ledger,
   achievements, streaks and milestones are therefore *rebuilt*, never copied.
   What other profiles helped earn (Team Player, Top of the Board), which a single-profile
   backup's events cannot earn again, is carried by an ``achievement_carried`` event placed
   where it was first earned (:mod:`.backup_carry`).
5. **Compare** the rebuilt derived data with the backup's ``derived`` section and report
   the tables that differ (a backup whose derived data was edited or inconsistent).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter as Multiset
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from .. import catalog, planning
from .. import models as m
from ..errors import ValidationError
from ..exports import backup as backup_format
from ..exports.common import Feedback, iso_instant
from ..kinds import ReminderState, Status
from ..services import Momentum
from ..services import validation as v
from ..services.doctor import replay as replay_events
from ..services.events import BUILT_IN_EVENTS as EVENT_TYPES_BUILT_IN
from ..services.profiles import ensure_inbox, game_mode_value, profile_is_empty
from ..services.restore_undo import RestoreSource, RestoreUndo
from ..services.validation import tag_name
from . import backup_carry, backup_rewards, plain
from .common import ImportResult

BUILT_IN_EVENTS = EVENT_TYPES_BUILT_IN
#: ``IdMaps.tables`` key of the carried events: backup event after which -> new event id.
CARRIED = "carried_events"
MAX_ID = 2**62
ITEM_TABLE_OF_KIND = {"task": "tasks", "goal_step": "goal_steps", "time_slot": "time_slots",
                      "goal": "goals"}


# --- reading fields -----------------------------------------------------------------


class Fields:
    """Typed access to one JSON object; errors name ``path.key``."""

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise ValidationError(path, "must be a JSON object")
        self.data: dict[str, Any] = value
        self.path = path

    def _fail(self, key: str, message: str) -> ValidationError:
        return ValidationError(f"{self.path}.{key}", message)

    def _wrap(self, key: str, check: Callable[[Any], Any]) -> Any:
        try:
            return check(self.data.get(key))
        except ValidationError as exc:
            raise self._fail(key, exc.message) from None

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def id(self, key: str = "id", optional: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_ID:
            raise self._fail(key, f"must be a positive whole number, got {value!r}")
        return value

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        if self.data.get(key) is None and default is not None:
            return default
        return int(self._wrap(key, lambda x: v.integer(x, key, low, high)))

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._fail(key, f"must be true or false, got {value!r}")
        return value

    def title(self, key: str = "title") -> str:
        return str(self._wrap(key, lambda x: v.title(x, key)))

    def name(self, key: str = "name") -> str:
        return str(self._wrap(key, lambda x: v.name(x, key)))

    def notes(self, key: str = "notes") -> str:
        if self.data.get(key) is None:
            return ""
        return str(self._wrap(key, v.notes))

    def text(self, key: str, max_length: int, optional: bool = False) -> str | None:
        if self.data.get(key) is None and optional:
            return None
        return str(self._wrap(key, lambda x: v.clean_text(x, key, max_length=max_length)))

    def day(self, key: str, optional: bool = False) -> date | None:
        if self.data.get(key) is None:
            if optional:
                return None
            raise self._fail(key, "missing (a date YYYY-MM-DD)")
        parsed = self._wrap(key, lambda x: v.optional_date(x, key))
        return parsed  # type: ignore[no-any-return]

    def instant(self, key: str, optional: bool = False) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            if optional:
                return None
            raise self._fail(key, "missing (an ISO 8601 instant)")
        if not isinstance(value, str):
            raise self._fail(key, f"must be an ISO 8601 instant, got {value!r}")
        if not ("Z" in value or "+" in value[10:] or "-" in value[10:]):
            raise self._fail(key, f"needs a UTC offset: {value!r}")
        return self._wrap(key, lambda x: v.instant(x, key, "UTC"))  # type: ignore[no-any-return]

    def status(self, key: str = "status") -> str:
        value = self.data.get(key, Status.OPEN)
        if value not in tuple(Status):
            raise self._fail(key, f"must be open or done, got {value!r}")
        return str(value)

    def mapping(self, key: str, optional: bool = True) -> dict[str, Any] | None:
        value = self.data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            raise self._fail(key, "must be a JSON object")
        return value

    def rows(self, key: str) -> list[Fields]:
        value = self.data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(key, "must be a list")
        return [Fields(item, f"{self.path}.{key}[{index}]") for index, item in enumerate(value)]


# --- the validated backup ---------------------------------------------------------------


@dataclass
class ProfileData:
    path: str
    row: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    derived: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: SPEC §12: ``task_tags`` ({task_id, name}) and ``reminders`` (absent before 0004).
    planning: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class BackupData:
    version: int
    event_types: list[dict[str, Any]]
    profiles: list[ProfileData]
    #: The header's ``scope`` ("profile" or "all-profiles"; None in a hand-made file).
    scope: str | None = None

    @property
    def event_count(self) -> int:
        return sum(len(p.tables["events"]) for p in self.profiles)


def _unique(rows: list[dict[str, Any]], key: str, path: str, table: str) -> set[Any]:
    seen: set[Any] = set()
    for index, row in enumerate(rows):
        if row[key] in seen:
            raise ValidationError(f"{path}.{table}[{index}].{key}",
                                  f"duplicate {key} {row[key]!r}")
        seen.add(row[key])
    return seen


def _reference(row: dict[str, Any], key: str, known: set[int], path: str, table: str,
               index: int, what: str, optional: bool = True) -> None:
    value = row.get(key)
    if value is None and optional:
        return
    if value not in known:
        raise ValidationError(f"{path}.{table}[{index}].{key}",
                              f"no {what} {value} in this profile of the backup")


def parse_backup(text: str, hooks: Feedback | None = None) -> BackupData:
    """Parse and validate a backup file's text (nothing is written)."""
    hooks = hooks or Feedback()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1:
            raise ValidationError(f"line {exc.lineno}", "the file ends early (truncated?)") \
                from None
        raise ValidationError(f"line {exc.lineno}",
                              f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except (RecursionError, ValueError) as exc:
        raise ValidationError("line 1", f"unreadable JSON ({_json_limit(exc)})") from None
    if not isinstance(document, dict) or document.get("format") != backup_format.FORMAT:
        raise ValidationError("format", "not a Momentum backup (expected \"format\": "
                              f"\"{backup_format.FORMAT}\")")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError("version", f"must be a whole number ≥ 1, got {version!r}")
    if version > backup_format.VERSION:
        raise ValidationError("version", f"this backup was written by a newer Momentum "
                              f"(version {version}; this one reads up to "
                              f"{backup_format.VERSION}); update Momentum to import it")
    root = Fields(document, "backup")
    event_types = []
    for item in root.rows("event_types"):
        event_types.append({"name": item.name(), "points": item.integer("points", 0, 10_000),
                            "created_at": item.instant("created_at", optional=True)})
    _unique(event_types, "name", "backup", "event_types")
    type_names = {str(t["name"]) for t in event_types}
    profiles = []
    for index, item in enumerate(root.rows("profiles")):
        hooks.check()
        profiles.append(_parse_profile(item, f"profiles[{index}]", type_names))
    if not profiles:
        raise ValidationError("profiles", "the backup holds no profile")
    _unique([p.row for p in profiles], "name", "backup", "profiles")
    _unique([p.row for p in profiles], "id", "backup", "profiles")
    event_ids = [e["id"] for p in profiles for e in p.tables["events"]]
    if len(event_ids) != len(set(event_ids)):
        raise ValidationError("events", "the same event id appears in two profiles")
    scope = document.get("scope")
    return BackupData(version, event_types, profiles,
                      scope=scope if isinstance(scope, str) else None)


def _parse_profile(item: Fields, path: str, type_names: set[str]) -> ProfileData:
    item.path = path
    row = {
        "id": item.id(), "name": item.name(),
        "timezone": item._wrap("timezone", v.timezone_name),
        "day_start_hour": item.integer("day_start_hour", 0, 23, 0),
        "daily_task_target": item.integer("daily_task_target", 1, 1000,
                                          catalog.DEFAULT_DAILY_TARGET),
        "days_off": _days_off(item), "is_default": item.boolean("is_default"),
        "game_mode": item._wrap("game_mode", game_mode_value) if item.has("game_mode")
        else catalog.DEFAULT_GAME_MODE,
        "created_at": item.instant("created_at"),
        "deleted_at": item.instant("deleted_at", optional=True),
    }
    data = ProfileData(path, row)
    t = data.tables
    t["vacations"] = []
    for r in item.rows("vacations"):
        start, end = r.day("start_date"), r.day("end_date")
        assert start is not None and end is not None
        if end < start:
            raise ValidationError(f"{r.path}.end_date", "must not be before start_date")
        t["vacations"].append({"id": r.id(), "start_date": start, "end_date": end,
                               "created_at": r.instant("created_at"),
                               "deleted_at": r.instant("deleted_at", optional=True)})
    t["projects"] = [{"id": r.id(), "name": r.name(),
                      "goals_enabled": r.boolean("goals_enabled", True),
                      "is_inbox": r.boolean("is_inbox"), "created_at": r.instant("created_at"),
                      "deleted_at": r.instant("deleted_at", optional=True)}
                     for r in item.rows("projects")]
    t["goals"] = [{"id": r.id(), "project_id": r.id("project_id"), "title": r.title(),
                   "notes": r.notes(), "target_date": r.day("target_date", optional=True),
                   "status": r.status(), "completed_at": r.instant("completed_at", True),
                   "created_at": r.instant("created_at"),
                   "updated_at": r.instant("updated_at", True),
                   "deleted_at": r.instant("deleted_at", True)}
                  for r in item.rows("goals")]
    t["goal_steps"] = [{"id": r.id(), "goal_id": r.id("goal_id"), "title": r.title(),
                        "position": r.integer("position", 0, 1_000_000, 1),
                        "status": r.status(), "completed_at": r.instant("completed_at", True),
                        "created_at": r.instant("created_at"),
                        "deleted_at": r.instant("deleted_at", True)}
                       for r in item.rows("goal_steps")]
    t["tasks"] = [{"id": r.id(), "project_id": r.id("project_id"),
                   "goal_id": r.id("goal_id", optional=True), "title": r.title(),
                   "notes": r.notes(), "complexity": r.integer("complexity", 1, 5, 1),
                   "due_date": r.day("due_date", optional=True),
                   "repeat_rule": r._wrap("repeat_rule", v.repeat_rule),
                   **_planning_columns(r),
                   "status": r.status(), "completed_at": r.instant("completed_at", True),
                   "created_at": r.instant("created_at"),
                   "updated_at": r.instant("updated_at", True),
                   "deleted_at": r.instant("deleted_at", True)}
                  for r in item.rows("tasks")]
    t["time_slots"] = []
    for r in item.rows("time_slots"):
        start_at, end_at = r.instant("start_at"), r.instant("end_at")
        assert start_at is not None and end_at is not None
        if end_at <= start_at:
            raise ValidationError(f"{r.path}.end_at", "must be after start_at")
        t["time_slots"].append({
            "id": r.id(), "title": r.title(), "start_at": start_at, "end_at": end_at,
            "task_id": r.id("task_id", optional=True), "goal_id": r.id("goal_id", True),
            "status": r.status(), "completed_at": r.instant("completed_at", True),
            "created_at": r.instant("created_at"), "updated_at": r.instant("updated_at", True),
            "deleted_at": r.instant("deleted_at", True)})
    allowed = {c.value for c in catalog.CUSTOM_ACHIEVEMENT_CRITERIA}
    t["custom_achievements"] = []
    for r in item.rows("custom_achievements"):
        criteria = r.data.get("criteria")
        if criteria not in allowed:
            raise ValidationError(f"{r.path}.criteria", f"must be one of "
                                  f"{', '.join(sorted(allowed))}, got {criteria!r}")
        event_type = r.text("event_type", catalog.NAME_MAX, optional=True)
        if event_type is not None and event_type not in type_names:
            raise ValidationError(f"{r.path}.event_type", f"no event type {event_type!r} "
                                  "in the backup")
        t["custom_achievements"].append({
            "id": r.id(), "name": r.name(), "description": r.notes("description"),
            "criteria": criteria, "event_type": event_type,
            "target": r.integer("target", 1, 1_000_000),
            "points": r.integer("points", 0, catalog.CUSTOM_ACHIEVEMENT_MAX_POINTS),
            "icon": r.text("icon", 40, optional=True) or "fa5s.award",
            "created_at": r.instant("created_at")})
    t["events"] = []
    for r in item.rows("events"):
        event_type = r.text("type", catalog.NAME_MAX)
        if event_type not in BUILT_IN_EVENTS and event_type not in type_names:
            raise ValidationError(f"{r.path}.type", f"unknown event type {event_type!r}")
        t["events"].append({
            "id": r.id(), "key": r.text("key", 200), "type": event_type,
            "occurred_at": r.instant("occurred_at"), "activity_day": r.day("activity_day"),
            "processed_at": r.instant("processed_at"), "meta": r.mapping("meta") or {},
            "outcome": r.mapping("outcome")})
    backup_rewards.parse(item, data)
    for table in t:
        _unique(t[table], "id", path, table)
    _unique(t["projects"], "name", path, "projects")
    _unique(t["events"], "key", path, "events")
    _unique(t["custom_achievements"], "name", path, "custom_achievements")
    if sum(1 for p in t["projects"] if p["is_inbox"]) > 1:
        raise ValidationError(f"{path}.projects", "more than one Inbox")
    projects = {p["id"] for p in t["projects"]}
    goals = {g["id"] for g in t["goals"]}
    tasks = {x["id"] for x in t["tasks"]}
    for i, g in enumerate(t["goals"]):
        _reference(g, "project_id", projects, path, "goals", i, "project", optional=False)
    for i, s in enumerate(t["goal_steps"]):
        _reference(s, "goal_id", goals, path, "goal_steps", i, "goal", optional=False)
    for i, x in enumerate(t["tasks"]):
        _reference(x, "project_id", projects, path, "tasks", i, "project", optional=False)
        _reference(x, "goal_id", goals, path, "tasks", i, "goal")
    for i, s in enumerate(t["time_slots"]):
        _reference(s, "task_id", tasks, path, "time_slots", i, "task")
        _reference(s, "goal_id", goals, path, "time_slots", i, "goal")
    data.planning = _parse_planning(item, tasks, path)
    derived = item.mapping("derived") or {}
    for name, _model in backup_format.DERIVED_TABLES:
        rows = derived.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValidationError(f"{path}.derived.{name}", "must be a list of objects")
        data.derived[name] = rows
    return data


def _days_off(item: Fields) -> str:
    value = item.data.get("days_off", "")
    if value is None:
        return ""
    if not isinstance(value, str) or any(part not in "0123456" or len(part) != 1
                                         for part in value.split(",") if part != ""):
        raise ValidationError(f"{item.path}.days_off", f"must be like \"5,6\", got {value!r}")
    return value


# --- restoring ------------------------------------------------------------------------


def _target_profiles(session: Session, backup: BackupData) -> dict[int, m.Profile | None]:
    """Backup profile id → the empty profile to reuse (None: create a new one)."""
    existing = {p.name: p for p in session.scalars(select(m.Profile))}
    default = session.scalar(select(m.Profile).where(m.Profile.is_default.is_(True)))
    names = {p.row["name"] for p in backup.profiles}
    targets: dict[int, m.Profile | None] = {}
    used: set[int] = set()
    for data in backup.profiles:
        name = data.row["name"]
        match = existing.get(name)
        if match is not None:
            if not profile_is_empty(session, match.id):
                raise ValidationError(f"{data.path}.name", f"a profile named {name!r} already "
                                      "has data here; a backup restores into an empty "
                                      "profile (rename that one first, or use a new database)")
            targets[data.row["id"]] = match
            used.add(match.id)
        else:
            targets[data.row["id"]] = None
    for data in backup.profiles:
        if (targets[data.row["id"]] is None and data.row["is_default"] and default is not None
                and default.id not in used and default.name not in names
                and profile_is_empty(session, default.id)):
            targets[data.row["id"]] = default
            used.add(default.id)
    return targets


def _next_id(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.max(model.id))) or 0) + 1


def _assign(session: Session, model: Any, rows: list[tuple[int, dict[str, Any]]]
            ) -> dict[int, int]:
    """New ids for ``rows`` (old id order), after the table's current maximum."""
    base = _next_id(session, model)
    return {row["id"]: base + rank
            for rank, (_pid, row) in enumerate(sorted(rows, key=lambda r: r[1]["id"]))}


@dataclass
class IdMaps:
    profiles: dict[int, int] = field(default_factory=dict)
    tables: dict[str, dict[int, int]] = field(default_factory=dict)

    def get(self, table: str, old: object) -> int | None:
        try:
            return self.tables[table].get(int(old))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return None


#: The keys the item commands give their events (``task:7:done:1``): they name the item.
_ITEM_KEY = re.compile(r"(task|goal_step|time_slot|goal):(\d+):(done|reopen):(\d+)")


def _restored_key(key: str, maps: IdMaps) -> str:
    """An item command's key with the item's new id: the key the command would have
    given, so the next ``task done`` of a restored item (or of a new item that takes an
    id the backup used) never meets a key already in the log. A key naming an item the
    backup does not hold is set apart (``restored:``) for the same reason."""
    match = _ITEM_KEY.fullmatch(key)
    if match is None:
        return key
    kind, old, action, count = match.groups()
    new = maps.get(ITEM_TABLE_OF_KIND[kind], old)
    return f"{kind}:{new}:{action}:{count}" if new is not None else f"restored:{key}"[:200]


def _remap_meta(event: dict[str, Any], maps: IdMaps) -> dict[str, Any]:
    """Event metadata with this database's ids (references the backup cannot resolve are
    dropped; the comparison then reports what that changed)."""
    meta = dict(event["meta"])
    kind = catalog.KIND_BY_SOURCE.get(event["type"])
    if event["type"] == catalog.REVERSAL_EVENT:
        if "completion" in meta:
            meta["completion"] = maps.get("events", meta["completion"])
        if isinstance(meta.get("reverses"), str):
            meta["reverses"] = _restored_key(meta["reverses"], maps)
        table = ITEM_TABLE_OF_KIND.get(str(meta.get("kind")))
    else:
        table = ITEM_TABLE_OF_KIND.get(kind.value) if kind is not None else None
    if table is not None and meta.get("item_id") is not None:
        meta["item_id"] = maps.get(table, meta["item_id"])
    if event["type"] == catalog.ACHIEVEMENT_DEFINED_EVENT and meta.get("achievement"):
        old = str(meta["achievement"]).removeprefix("custom:")
        new = maps.get("custom_achievements", int(old)) if old.isdigit() else None
        meta["achievement"] = f"custom:{new}" if new is not None else None
    if event["type"] in catalog.REWARD_EVENTS:
        backup_rewards.remap_meta(meta, maps)
    if kind is not None or event["type"] == catalog.REVERSAL_EVENT:
        for key, target in (("project_id", "projects"), ("goal_id", "goals")):
            if meta.get(key) is not None:
                meta[key] = maps.get(target, meta[key])
    return {k: value for k, value in meta.items() if value is not None or k == "due"}


def _parse_planning(item: Fields, tasks: set[int], path: str) -> dict[str, list[dict[str, Any]]]:
    """A profile's tags of tasks and reminders, each pointing at a task of the backup."""
    tags = [{"task_id": r.id("task_id"), "name": r._wrap("name", tag_name)}
            for r in item.rows("task_tags")]
    reminders = []
    for r in item.rows("reminders"):
        state = r.data.get("state", "pending")
        if state not in tuple(ReminderState):
            raise ValidationError(f"{r.path}.state", f"must be pending, shown or done, got "
                                  f"{state!r}")
        reminders.append({
            "task_id": r.id("task_id"),
            "offset_minutes": r.integer("offset_minutes", 0, planning.MAX_OFFSET_MINUTES)
            if r.has("offset_minutes") else None,
            "fire_at": r.instant("fire_at"), "snoozed_until": r.instant("snoozed_until", True),
            "state": state, "shown_at": r.instant("shown_at", True),
            "created_at": r.instant("created_at")})
    for table, rows in (("task_tags", tags), ("reminders", reminders)):
        for index, row in enumerate(rows):
            _reference(row, "task_id", tasks, path, table, index, "task", optional=False)
    return {"task_tags": tags, "reminders": reminders}


def _write_planning(session: Session, backup: BackupData, maps: IdMaps, now: datetime) -> None:
    for data in backup.profiles:
        profile_id = maps.profiles[data.row["id"]]
        pairs: dict[int, list[str]] = {}
        for row in data.planning.get("task_tags", []):
            new_task = maps.get("tasks", row["task_id"])
            if new_task is not None:
                pairs.setdefault(new_task, []).append(row["name"])
        plain.import_tags(session, profile_id, pairs.items(), now)
        for row in data.planning.get("reminders", []):
            new_task = maps.get("tasks", row["task_id"])
            if new_task is not None:
                session.add(m.Reminder(profile_id=profile_id, **{**row, "task_id": new_task}))
    session.flush()


def _planning_columns(r: Any) -> dict[str, Any]:
    """A task's due time, repeat mode (SPEC §12) and hidden-until day (issue 18); absent
    in older backups."""
    return {"due_time": r._wrap("due_time", planning.optional_wall_time),
            "hidden_until": r.day("hidden_until", optional=True),
            "due_at": r.instant("due_at", True),
            "repeat_start": r._wrap("repeat_start", planning.optional_local_start),
            "repeat_after": r._wrap("repeat_after", lambda x: None if x is None
                                    else planning.repeat_after(x))}


def restore(app: Momentum, backup: BackupData, hooks: Feedback | None = None, *,
            source: RestoreSource | None = None) -> ImportResult:
    """Write a validated backup and rebuild its derived data (one transaction), as one
    action of the undo history (:mod:`..services.restore_undo`); ``source``: the file
    it came from (a redo reads it again)."""
    hooks = hooks or Feedback()
    result = ImportResult("json")
    with app.db.transaction() as session:
        now = app.clock.now()
        targets = _target_profiles(session, backup)
        undo = RestoreUndo(session, (p.id for p in targets.values() if p is not None))
        _event_types(session, backup, now, result)
        maps = IdMaps()
        for data in backup.profiles:
            maps.profiles[data.row["id"]] = _write_profile(session, data, targets, now)
        _write_items(session, backup, maps)
        _write_planning(session, backup, maps, now)
        hooks.check()
        backup_rewards.write_rewards(session, backup, maps)
        events = _write_events(session, backup, maps)
        backup_rewards.write_purchases(session, backup, maps)
        result.counts.update(
            profiles=len(backup.profiles),
            **{name: sum(len(p.tables[name]) for p in backup.profiles)
               for name in ("projects", "goals", "goal_steps", "tasks", "time_slots",
                            "vacations", "custom_achievements")},
            events=backup.event_count)
        carried = len(maps.tables[CARRIED])
        if carried:
            result.notices["achievement earned with other profiles carried over (Team Player"
                           ", Top of the Board)" if carried == 1 else "achievements earned "
                           "with other profiles carried over (Team Player, Top of the Board)"
                           ] = carried
        _replay(session, events, hooks)
        result.verification = compare_derived(session, backup, maps)
        undo.record(session, app.ctx, restore_label(backup, source),
                    maps.profiles.values(), source)
    return result


def restore_label(backup: BackupData, source: RestoreSource | None) -> str:
    """What the history calls a restore: "Restore backup b.json: profile “alice”"."""
    names = [str(p.row["name"]) for p in backup.profiles]
    what = (f"profile “{names[0]}”" if len(names) == 1
            else f"{len(names)} profiles ({', '.join(names)})")
    file = f" {Path(source.path).name}" if source is not None else ""
    return f"Restore backup{file}: {what}"


def _event_types(session: Session, backup: BackupData, now: datetime,
                 result: ImportResult) -> None:
    created = 0
    for index, item in enumerate(backup.event_types):
        row = session.scalar(select(m.EventType).where(m.EventType.name == item["name"]))
        if row is None:
            session.add(m.EventType(name=item["name"], points=item["points"],
                                    created_at=item["created_at"] or now))
            created += 1
        elif row.points != item["points"]:
            raise ValidationError(f"event_types[{index}].points", f"the event type "
                                  f"{item['name']!r} is worth {row.points} points here and "
                                  f"{item['points']} in the backup")
    result.counts["event_types"] = created


def _write_profile(session: Session, data: ProfileData, targets: dict[int, m.Profile | None],
                   now: datetime) -> int:
    row = data.row
    profile = targets[row["id"]]
    if profile is None:
        profile = m.Profile(name=row["name"], is_default=False, board_checked_week=None,
                            timezone=row["timezone"], day_start_hour=row["day_start_hour"],
                            daily_task_target=row["daily_task_target"], days_off=row["days_off"],
                            game_mode=row["game_mode"], created_at=row["created_at"],
                            deleted_at=row["deleted_at"])
        session.add(profile)
        session.flush()
    else:
        for key in ("name", "timezone", "day_start_hour", "daily_task_target", "days_off",
                    "game_mode", "created_at", "deleted_at"):
            setattr(profile, key, row[key])
        profile.board_checked_week = None
        # The empty profile's own settings log gives way to the backup's history.
        session.execute(delete(m.Event).where(m.Event.profile_id == profile.id,
                                              m.Event.type == catalog.SETTINGS_EVENT))
    return profile.id


def _write_items(session: Session, backup: BackupData, maps: IdMaps) -> None:
    def rows_of(table: str) -> list[tuple[int, dict[str, Any]]]:
        return [(maps.profiles[p.row["id"]], r) for p in backup.profiles
                for r in p.tables[table]]

    # Projects: a backup's Inbox becomes the target profile's Inbox.
    projects = rows_of("projects")
    maps.tables["projects"] = {}
    plain = []
    for profile_id, row in projects:
        if row["is_inbox"]:
            inbox = ensure_inbox(session, profile_id, row["created_at"])
            inbox.goals_enabled, inbox.created_at = row["goals_enabled"], row["created_at"]
            inbox.deleted_at = row["deleted_at"]
            maps.tables["projects"][row["id"]] = inbox.id
        else:
            plain.append((profile_id, row))
    session.flush()
    maps.tables["projects"].update(_assign(session, m.Project, plain))
    _insert(session, m.Project, plain, maps, "projects", lambda r: {})
    Extra = Callable[[dict[str, Any]], dict[str, Any]]
    simple: tuple[tuple[str, Any, Extra], ...] = (("vacations", m.Vacation, lambda r: {}),
              ("goals", m.Goal, lambda r: {"project_id": maps.get("projects", r["project_id"]),
                                         "updated_at": r["updated_at"] or r["created_at"]}),
              ("tasks", m.Task, lambda r: {"project_id": maps.get("projects", r["project_id"]),
                                         "goal_id": maps.get("goals", r["goal_id"]),
                                         "updated_at": r["updated_at"] or r["created_at"]}),
              ("time_slots", m.TimeSlot, lambda r: {
                  "task_id": maps.get("tasks", r["task_id"]),
                  "goal_id": maps.get("goals", r["goal_id"]),
                  "updated_at": r["updated_at"] or r["created_at"]}),
              ("custom_achievements", m.CustomAchievement, lambda r: {}))
    for table, model, extra in simple:
        if table == "tasks":  # goals first: tasks and slots point at them
            steps = rows_of("goal_steps")
            maps.tables["goal_steps"] = _assign(session, m.GoalStep, steps)
            _insert(session, m.GoalStep, steps, maps, "goal_steps",
                    lambda r: {"goal_id": maps.get("goals", r["goal_id"])}, owner=False)
        rows = rows_of(table)
        maps.tables[table] = _assign(session, model, rows)
        _insert(session, model, rows, maps, table, extra)


def _insert(session: Session, model: Any, rows: list[tuple[int, dict[str, Any]]],
            maps: IdMaps, table: str, extra: Callable[[dict[str, Any]], dict[str, Any]],
            owner: bool = True) -> None:
    if not rows:
        return
    values = []
    for profile_id, row in rows:
        item = {**row, **extra(row), "id": maps.tables[table][row["id"]]}
        if owner:
            item["profile_id"] = profile_id
        values.append(item)
    for start in range(0, len(values), 1000):
        session.execute(insert(model), values[start:start + 1000])


def _write_events(session: Session, backup: BackupData, maps: IdMaps) -> list[int]:
    rows = [(maps.profiles[p.row["id"]], e) for p in backup.profiles
            for e in p.tables["events"]]
    # Carried achievements go right after the event that first earned them.
    ordered = sorted([((e["id"], 0), pid, e) for pid, e in rows]
                     + [((c.after, 1), maps.profiles[c.profile], c.event)
                        for c in backup_carry.carried_events(backup.scope, backup.profiles)],
                     key=lambda r: r[0])
    base = _next_id(session, m.Event)
    # Carried events: their new id -> the backup event after which each was placed.
    maps.tables["events"], maps.tables[CARRIED] = {}, {}
    for rank, ((after, carried), _pid, _event) in enumerate(ordered):
        maps.tables[CARRIED if carried else "events"][after] = base + rank
    values = []
    for rank, ((_after, carried), profile_id, event) in enumerate(ordered):
        new_id = base + rank
        if carried:
            values.append({"id": new_id, "profile_id": profile_id, **event})
            continue
        outcome = dict(event["outcome"]) if event["outcome"] else None
        if outcome is not None:
            outcome["event_id"] = new_id
        values.append({"id": new_id, "profile_id": profile_id,
                       "key": _restored_key(event["key"], maps),
                       "type": event["type"], "occurred_at": event["occurred_at"],
                       "activity_day": event["activity_day"],
                       "processed_at": event["processed_at"],
                       "meta": _remap_meta(event, maps), "outcome": outcome})
    for start in range(0, len(values), 1000):
        session.execute(insert(m.Event), values[start:start + 1000])
    return [row["id"] for row in values]


def _replay(session: Session, event_ids: list[int], hooks: Feedback) -> None:
    """The imported events through the engine, in order, each as of when it was first
    processed. A fresh processor per event, as when the events first arrived."""
    if not event_ids:
        return
    session.flush()

    def progress(count: int) -> None:
        hooks.check()
        hooks.report("replay", count, len(event_ids))

    replay_events(session, event_ids[0], progress)


# --- comparing the rebuilt derived data with the backup's --------------------------------

_INSTANT_COLUMNS = {"created_at", "completed_at", "granted_at"}
_DATE_COLUMNS = {"activity_day", "day", "run_start", "last_activity_date"}
_EVENT_COLUMNS = {"event_id", "completion_id", "first_task_holder", "early_bird_holder",
                  "night_owl_holder", "weekend_holder"}
_IGNORED = {"id", "reverses_id", "profile_id"}


def _canonical(rows: list[dict[str, Any]], profile: int, event_key: Callable[[Any], Any],
               project: Callable[[int], Any], custom: Callable[[int], Any]
               ) -> Multiset[tuple[Any, ...]]:
    result: Multiset[tuple[Any, ...]] = Multiset()
    for row in rows:
        items: list[tuple[str, Any]] = [("profile", profile)]
        for key in sorted(row):
            if key in _IGNORED:
                continue
            value = row[key]
            if key in _EVENT_COLUMNS:
                value = None if value is None else event_key(value)
            elif key == "scope" and isinstance(value, str) and value.startswith("project:"):
                value = f"project:{project(int(value.split(':', 1)[1]))}"
            elif key == "achievement_id" and isinstance(value, str) \
                    and value.startswith("custom:"):
                value = f"custom:{custom(int(value.split(':', 1)[1]))}"
            elif key in _INSTANT_COLUMNS and isinstance(value, str):
                with contextlib.suppress(ValidationError):  # else compared as written
                    value = iso_instant(v.instant(value, key, "UTC"))
            elif key in _DATE_COLUMNS and isinstance(value, str):
                value = value[:10]
            items.append((key, json.dumps(value, sort_keys=True, default=str)))
        result[tuple(items)] += 1
    return result


def compare_derived(session: Session, backup: BackupData, maps: IdMaps) -> dict[str, Any]:
    """The rebuilt derived rows against the backup's, in the backup's id space."""
    session.flush()
    back_projects = {new: old for old, new in maps.tables["projects"].items()}
    back_custom = {new: old for old, new in maps.tables["custom_achievements"].items()}
    differences: dict[str, dict[str, int]] = {}
    checked = 0
    # Events by (profile, key) across all profiles: a team_player unlock is credited to
    # one profile by another profile's event.
    keys: dict[Any, Any] = {e["id"]: (p.row["id"], e["key"])
                            for p in backup.profiles for e in p.tables["events"]}
    new_keys: dict[Any, Any] = {maps.tables["events"][e["id"]]: (p.row["id"], e["key"])
                                for p in backup.profiles for e in p.tables["events"]}
    # A carried event stands where the backup's event that earned it stood.
    new_keys.update({new: keys.get(after, f"?{after}")
                     for after, new in maps.tables.get(CARRIED, {}).items()})
    for data in backup.profiles:
        old_id = data.row["id"]
        new_id = maps.profiles[old_id]

        def old_key(i: Any, k: dict[Any, Any] = keys) -> Any:
            return k.get(i, f"?{i}")

        def new_key(i: Any, k: dict[Any, Any] = new_keys) -> Any:
            return k.get(i, f"?{i}")

        def same(i: int) -> Any:
            return i

        def old_project(i: int) -> Any:
            return back_projects.get(i, f"?{i}")

        def old_custom(i: int) -> Any:
            return back_custom.get(i, f"?{i}")

        for name, model in backup_format.DERIVED_TABLES:
            expected = _canonical(data.derived.get(name, []), old_id, old_key, same, same)
            rebuilt_rows = list(backup_format.table_rows(session, model, new_id))
            rebuilt = _canonical(rebuilt_rows, old_id, new_key, old_project, old_custom)
            checked += sum(rebuilt.values())
            missing = expected - rebuilt
            unexpected = rebuilt - expected
            if missing or unexpected:
                entry = differences.setdefault(name, {"missing": 0, "unexpected": 0})
                entry["missing"] += sum(missing.values())
                entry["unexpected"] += sum(unexpected.values())
    return {"events_replayed": backup.event_count, "rows_checked": checked,
            "matches_backup": not differences, "differences": differences}


def restore_backup(app: Momentum, text: str, hooks: Feedback | None = None, *,
                   source: RestoreSource | None = None) -> ImportResult:
    return restore(app, parse_backup(text, hooks), hooks, source=source)


def _json_limit(exc: BaseException) -> str:
    """Why Python's JSON decoder gave up on a well-formed but hostile document."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "a number too long" if "digits" in str(exc) else str(exc)
