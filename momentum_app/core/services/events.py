"""The public door to the engine: ``process_event``, custom event types, custom achievements."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .. import catalog
from ..engine.outcome import Outcome
from ..errors import NotFoundError, ValidationError
from ..kinds import EntryType, Status
from ..models import (
    AchievementProgress,
    Completion,
    CustomAchievement,
    Event,
    EventType,
    LedgerEntry,
    Profile,
    Project,
)
from . import history
from . import validation as v
from .context import Context
from .items import MODEL_OF_KIND
from .projects import find_project
from .read_dto import CustomAchievementDTO, EventTypeDTO

#: Completions, their reversals and the coin events are logged only by the commands that
#: change the item (``task done``, ``reopen``, a reward's purchase): logged by hand they
#: would credit an item twice, or one that does not exist.
ITEM_EVENTS = frozenset(catalog.KIND_BY_SOURCE) | {catalog.REVERSAL_EVENT}
#: Built-in types that only the app itself logs (not through `momentum event`).
INTERNAL_EVENTS = frozenset({catalog.SETTINGS_EVENT, catalog.ACHIEVEMENT_DEFINED_EVENT,
                             catalog.REPORT_EXPORTED_EVENT, catalog.ACHIEVEMENT_CARRIED_EVENT,
                             catalog.CUSTOM_REVERSAL_EVENT}) | catalog.REWARD_EVENTS
BUILT_IN_EVENTS = ITEM_EVENTS | INTERNAL_EVENTS
#: Keys given to ``momentum event --key`` live in their own namespace, so they can never
#: be taken for (or block) the keys the item commands use (``task:1:done:1``).
CUSTOM_KEY_PREFIX = "user:"
MAX_EVENT_POINTS = 10_000


class EventService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def process_event(self, event_type: str, meta: dict[str, Any] | None = None,
                      at: str | datetime | None = None, key: str | None = None) -> Outcome:
        """SPEC §8: one event, one transaction, idempotent by key.

        The door for custom events (``momentum event``, the window's quick buttons): the
        item events and Momentum's own are refused, and a key is bound to its event type
        and meta: the same key with the same content replays the first outcome, with
        other content it is bad input."""
        type_name = v.name(event_type, "event_type")
        if type_name in ITEM_EVENTS:
            raise ValidationError("event_type", f"{type_name!r} is logged by the item "
                                  "commands (e.g. `momentum task done ID`), not by hand")
        if type_name in INTERNAL_EVENTS:
            raise ValidationError("event_type", f"{type_name!r} is logged by Momentum itself")
        return self._process(type_name, meta, at, key, custom=True)

    def process_engine_event(self, event_type: str, meta: dict[str, Any] | None = None,
                             at: str | datetime | None = None,
                             key: str | None = None) -> Outcome:
        """Any event type straight to the engine, as it comes (a completion without an
        item, a reversal by key). For the engine's own tests and benchmarks and for
        Momentum's internal events; never reachable from the command line or the window."""
        return self._process(v.name(event_type, "event_type"), meta, at, key, custom=False)

    def _process(self, type_name: str, meta: dict[str, Any] | None,
                 at: str | datetime | None, key: str | None, *, custom: bool) -> Outcome:
        clean_meta: dict[str, Any] = {}
        for meta_key, value in (meta or {}).items():
            clean_key = v.clean_text(meta_key, "meta", max_length=100)
            clean_meta[clean_key] = v.clean_text(value, f"meta.{clean_key}", max_length=500,
                                                 allow_empty=True) if isinstance(value, str) \
                else value
        clean_key_value = v.clean_text(key, "key", max_length=200) if key is not None else None
        with self.ctx.db.transaction() as session:
            profile = session.get(Profile, self.ctx.profile_id)
            assert profile is not None
            when = v.completion_instant(at, self.ctx.now(), profile.timezone)
            if type_name in catalog.KIND_BY_SOURCE:
                if clean_meta.get("due"):
                    due = v.optional_date(clean_meta["due"], "meta.due")
                    clean_meta["due"] = due.isoformat() if isinstance(due, date) else None
                if "project" in clean_meta:
                    project = find_project(session, profile.id, clean_meta.pop("project"),
                                           now=self.ctx.now())
                    clean_meta["project_id"] = project.id
                for id_key in ("item_id", "project_id", "goal_id"):
                    if clean_meta.get(id_key) not in (None, ""):
                        clean_meta[id_key] = v.integer(clean_meta[id_key], f"meta.{id_key}",
                                                       1, v.MAX_ID)
                if clean_meta.get("project_id") is not None and session.scalar(
                        select(Project.id).where(Project.id == clean_meta["project_id"],
                                                 Project.profile_id == profile.id)) is None:
                    raise NotFoundError("meta.project_id",
                                        f"no project with id {clean_meta['project_id']}")
            if type_name not in BUILT_IN_EVENTS and session.scalar(
                    select(EventType.id).where(EventType.name == type_name,
                                               EventType.deleted_at.is_(None))) is None:
                # The engine records any other type without scoring it (the rewards
                # service's events); the public door takes only the known ones.
                raise ValidationError("event_type", f"unknown event type: {type_name!r} "
                                      "(add it with `momentum event-type add NAME POINTS`)")
            if custom and clean_key_value is not None:
                clean_key_value = _bound_key(session, profile.id, clean_key_value, type_name,
                                             clean_meta)
            outcome = self.ctx.process(session, type_name, clean_meta, when, clean_key_value)
            if type_name == catalog.REVERSAL_EVENT and not outcome.replayed:
                _reopen_reversed_item(session, outcome.event_id)
            if custom and not outcome.replayed:  # undone by its reversal
                history.record(session, self.ctx, f"Log “{type_name}”", history.Op(
                    "reverse_event", {"event": outcome.event_id}))
            if custom and key is not None:  # shown as given, without its namespace
                outcome = dataclasses.replace(outcome, key=outcome.key.removeprefix(
                    CUSTOM_KEY_PREFIX))
            return outcome

    def reverse_custom(self, event_id: int) -> Outcome:
        """Take a custom event back (its undo): a ``custom_event_reversal`` on the event's
        own activity day debits what it credited. Achievements it unlocked are kept
        (SPEC §2). Redo logs the same event again."""
        with self.ctx.db.transaction() as session:
            event = session.get(Event, event_id)
            if event is None or event.profile_id != self.ctx.profile_id or (
                    event.type in BUILT_IN_EVENTS):
                raise NotFoundError("event", f"no custom event with id {event_id}")
            key = f"undo:{event.id}"
            if session.scalar(select(Event.id).where(Event.profile_id == event.profile_id,
                                                     Event.key == key)) is not None:
                raise ValidationError("event", f"event {event.id} was already taken back")
            points = session.scalar(select(func.coalesce(func.sum(LedgerEntry.points), 0))
                                    .where(LedgerEntry.event_id == event.id,
                                           LedgerEntry.entry_type == EntryType.CREDIT,
                                           LedgerEntry.source == "custom_event")) or 0
            outcome = self.ctx.process(session, catalog.CUSTOM_REVERSAL_EVENT,
                                       {"event": event.id, "type": event.type,
                                        "points": int(points)}, event.occurred_at, key)
            history.record(session, self.ctx, f"Take back “{event.type}”", history.Op(
                "log_event", {"type": event.type, "meta": dict(event.meta or {}),
                              "at": event.occurred_at.isoformat()}))
            return outcome

    def export_reported(self) -> Outcome:
        """A stats report was exported (the `show_and_tell` achievement)."""
        return self.process_engine_event(catalog.REPORT_EXPORTED_EVENT)

    # -- custom event types ------------------------------------------------------------

    def add_type(self, name: str, points: object) -> EventTypeDTO:
        clean = v.name(name, "name")
        if clean in BUILT_IN_EVENTS:
            raise ValidationError("name", f"{clean!r} is a built-in event type")
        value = v.integer(points, "points", 0, MAX_EVENT_POINTS)
        label = f"Add event type “{clean}”"
        with self.ctx.db.transaction() as session:
            row = session.scalar(select(EventType).where(EventType.name == clean))
            if row is not None and row.deleted_at is None:
                raise ValidationError("name", f"an event type named {clean!r} already exists")
            if row is not None:  # removed before: it comes back (its events fold with it)
                if row.points != value:
                    raise ValidationError("points", f"{clean!r} was worth {row.points} points "
                                          "and its events count with that; add it with "
                                          f"{row.points} or use another name")
                before = history.snapshot(session, row)
                row.deleted_at = None
                history.record_edit(session, self.ctx, label, row, before)
            else:
                row = EventType(name=clean, points=value, created_at=self.ctx.now())
                session.add(row)
                history.record_created(session, self.ctx, label, row)
            return EventTypeDTO(clean, value)

    def list_types(self) -> list[EventTypeDTO]:
        with self.ctx.db.reading() as session:
            return [EventTypeDTO(t.name, t.points)
                    for t in session.scalars(select(EventType).where(
                        EventType.deleted_at.is_(None)).order_by(EventType.name))]

    # -- custom achievements (from level 7) ---------------------------------------------

    def add_custom_achievement(self, name: str, criteria: str, target: object, points: object,
                               event_type: str | None = None, description: str = "",
                               icon: str = "fa5s.award") -> CustomAchievementDTO:
        from .reads import ReadService

        level = ReadService(self.ctx).progress().level.number
        if level < catalog.CUSTOM_ACHIEVEMENT_LEVEL:
            raise ValidationError("level", f"custom achievements unlock at level "
                                  f"{catalog.CUSTOM_ACHIEVEMENT_LEVEL} (you are level {level})")
        clean = v.name(name, "name")
        allowed = {c.value for c in catalog.CUSTOM_ACHIEVEMENT_CRITERIA}
        if criteria not in allowed:
            raise ValidationError("criteria", f"must be one of {', '.join(sorted(allowed))}")
        goal = v.integer(target, "target", 1, 1_000_000)
        worth = v.integer(points, "points", 0, catalog.CUSTOM_ACHIEVEMENT_MAX_POINTS)
        if criteria == catalog.Criteria.EVENT_COUNT.value and not event_type:
            raise ValidationError("event_type", "required for an event-count achievement")
        with self.ctx.db.transaction() as session:
            if event_type and not session.scalar(
                    select(EventType).where(EventType.name == event_type,
                                            EventType.deleted_at.is_(None))):
                raise NotFoundError("event_type", f"no event type named {event_type!r}")
            if session.scalar(select(CustomAchievement).where(
                    CustomAchievement.profile_id == self.ctx.profile_id,
                    CustomAchievement.name == clean)):
                raise ValidationError("name", f"an achievement named {clean!r} already exists")
            now = self.ctx.now()
            row = CustomAchievement(profile_id=self.ctx.profile_id, name=clean,
                                    description=v.notes(description), criteria=criteria,
                                    event_type=event_type or None, target=goal, points=worth,
                                    icon=icon, created_at=now)
            session.add(row)
            session.flush()
            # Evaluated at once: it may already be earned.
            self.ctx.process(session, catalog.ACHIEVEMENT_DEFINED_EVENT,
                             {"achievement": f"custom:{row.id}"}, now)
            history.record(session, self.ctx, f"Add achievement “{clean}”", history.Op(
                "drop_custom_achievement", {"id": row.id}))
            return CustomAchievementDTO(f"custom:{row.id}", clean, criteria, goal, worth)

    def remove_custom_achievement(self, achievement_id: int) -> None:
        """Remove a custom achievement not earned yet (the undo of its creation; an
        earned one is kept, as achievements are never taken back)."""
        with self.ctx.db.transaction() as session:
            row = session.get(CustomAchievement, achievement_id)
            if row is None or row.profile_id != self.ctx.profile_id:
                raise NotFoundError("achievement", f"no custom achievement {achievement_id}")
            progress_id = f"custom:{row.id}"
            if session.scalar(select(AchievementProgress.completed).where(
                    AchievementProgress.profile_id == row.profile_id,
                    AchievementProgress.achievement_id == progress_id)):
                raise ValidationError("achievement", f"“{row.name}” is earned and kept")
            fields = {"name": row.name, "criteria": row.criteria, "target": row.target,
                      "points": row.points, "event_type": row.event_type,
                      "description": row.description, "icon": row.icon}
            session.execute(delete(AchievementProgress).where(
                AchievementProgress.profile_id == row.profile_id,
                AchievementProgress.achievement_id == progress_id))
            session.delete(row)
            session.flush()
            history.record(session, self.ctx, f"Remove achievement “{row.name}”",
                           history.Op("add_custom_achievement", {"fields": fields}))


def _bound_key(session: Session, profile_id: int, key: str, type_name: str,
                meta: dict[str, Any]) -> str:
    """The stored form of a custom event's key, after checking that an event already
    logged under it (this version's namespaced key, or an older version's bare one for a
    custom type) has the same type and meta: a replay. Other content is bad input."""
    stored = f"{CUSTOM_KEY_PREFIX}{key}"
    existing = session.scalar(select(Event).where(Event.profile_id == profile_id,
                                                  Event.key == stored))
    if existing is None:
        legacy = session.scalar(select(Event).where(Event.profile_id == profile_id,
                                                    Event.key == key))
        if legacy is not None and legacy.type not in BUILT_IN_EVENTS:
            existing, stored = legacy, key
    if existing is not None and (existing.type != type_name or dict(existing.meta or {})
                                 != meta):
        raise ValidationError("key", f"{key!r} was already used for a {existing.type!r} "
                              "event with other details; use a new key")
    return stored


def _reopen_reversed_item(session: Session, reversal_event_id: int) -> None:
    """A reversal logged through ``momentum event`` reopens the item it reversed."""
    completion = session.scalar(select(Completion).where(
        Completion.reversed_by == reversal_event_id))
    if completion is None or completion.item_id is None:
        return
    item: Any = session.get(MODEL_OF_KIND[catalog.Kind(completion.kind)], completion.item_id)
    if item is not None and item.status == Status.DONE:
        item.status, item.completed_at = Status.OPEN, None
