"""Profiles and vacations: who plays, in which zone, with which days excused."""

from __future__ import annotations

import builtins
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import catalog
from ..clock import system_zone_name
from ..errors import NotFoundError, ValidationError
from ..models import (
    CustomAchievement,
    Event,
    Goal,
    Profile,
    Project,
    Reward,
    Task,
    TimeSlot,
    Vacation,
)
from . import history
from . import validation as v
from .context import Context
from .dto import ProfileDTO, VacationDTO
from .engine_store import raw
from .screen_reads import profile_of

DEFAULT_PROFILE = "default"
#: Settings that change what is shown, not the rules: no settings event for them.
DISPLAY_ONLY = frozenset({"name", "game_mode"})
INBOX = "Inbox"


def find_default_profile(session: Session) -> Profile | None:
    """The default profile (else the first one), or None in a new database. Reads only."""
    profile = session.scalar(select(Profile).where(Profile.is_default.is_(True)))
    if profile is None:
        profile = session.scalar(select(Profile).order_by(Profile.id))
    return profile


def ensure_default_profile(session: Session, now: datetime) -> Profile:
    """The default profile, created (with its Inbox) on first use, stamped ``now`` (the
    injected clock: ``open_database`` passes it)."""
    profile = find_default_profile(session)
    if profile is None:
        profile = Profile(name=DEFAULT_PROFILE, timezone=system_zone_name(), day_start_hour=0,
                          daily_task_target=catalog.DEFAULT_DAILY_TARGET, days_off="",
                          is_default=True, created_at=now)
        session.add(profile)
        session.flush()
        ensure_inbox(session, profile.id, now)
        record_settings(session, profile.id, now)
    return profile


def record_settings(session: Session, profile_id: int, now: datetime) -> None:
    """Log the profile's rule settings as an event, so a replay (``momentum doctor``)
    applies every later event with the settings it was first processed with."""
    from .engine_store import load_settings, process_event  # noqa: PLC0415

    session.flush()
    settings = load_settings(session, profile_id)
    process_event(session, now, profile_id, catalog.SETTINGS_EVENT, settings.to_meta(), now,
                  f"settings:{uuid.uuid4().hex}")


def game_mode_value(value: object) -> str:
    """A gamification mode (SPEC v2 §11): full, quiet or off."""
    text = value.strip().lower() if isinstance(value, str) else value
    if text not in catalog.GAME_MODES:
        raise ValidationError("game", f"must be one of {', '.join(catalog.GAME_MODES)}, "
                              f"got {value!r}")
    return str(text)


def profile_is_empty(session: Session, profile_id: int) -> bool:
    """The one "has no data" rule: no item, vacation, custom achievement, reward, event
    (other than the settings it logged when it was made) or project besides the Inbox.
    A backup restores only into such a profile; the window welcomes only such a one.
    Each table is asked for one row, not counted: the window asks at every start until
    the welcome has been seen, and counting 100,000 tasks took 40 ms of it."""
    for model in (Task, Goal, TimeSlot, Vacation, CustomAchievement, Reward):
        if session.scalar(select(model.id).where(model.profile_id == profile_id)
                          .limit(1)) is not None:
            return False
    if session.scalar(select(Event.id).where(
            Event.profile_id == profile_id, Event.type != catalog.SETTINGS_EVENT).limit(1)
                      ) is not None:
        return False  # its settings, logged when it was made, are not data
    return session.scalar(select(Project.id).where(
        Project.profile_id == profile_id, Project.is_inbox.is_(False)).limit(1)) is None


def ensure_inbox(session: Session, profile_id: int, now: datetime) -> Project:
    inbox = session.scalar(select(Project).where(Project.profile_id == profile_id,
                                                 Project.is_inbox.is_(True)))
    if inbox is None:
        inbox = Project(profile_id=profile_id, name=INBOX, goals_enabled=True, is_inbox=True,
                        created_at=now)
        session.add(inbox)
        session.flush()
    return inbox


def resolve_profile(session: Session, name: str | None) -> Profile:
    """A profile by name, or the default one."""
    if name is None:
        profile = find_default_profile(session)
        if profile is None:
            raise NotFoundError("profile", "the database has no profile yet")
        return profile
    clean = v.name(name, "profile")
    profile = session.scalar(select(Profile).where(Profile.name == clean,
                                                   Profile.deleted_at.is_(None)))
    if profile is None:
        raise NotFoundError("profile", f"no profile named {name!r}")
    return profile


def to_dto(profile: Profile) -> ProfileDTO:
    return ProfileDTO(profile.id, profile.name, profile.timezone, profile.day_start_hour,
                      profile.daily_task_target,
                      tuple(catalog.WEEKDAYS[d] for d in sorted(profile.days_off_set)),
                      profile.is_default, profile.game_mode)


class ProfileService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def add(self, name: str, timezone: str | None = None, day_start_hour: int | str = 0,
            daily_target: int | str = catalog.DEFAULT_DAILY_TARGET) -> ProfileDTO:
        clean = v.name(name)
        tz = v.timezone_name(timezone) if timezone is not None else system_zone_name()
        hour = v.day_start_hour(day_start_hour)
        target = v.daily_target(daily_target)
        with self.ctx.db.transaction() as session:
            if session.scalar(select(Profile).where(Profile.name == clean)):
                raise ValidationError("name", f"a profile named {clean!r} already exists")
            now = self.ctx.now()
            profile = Profile(name=clean, timezone=tz, day_start_hour=hour,
                              daily_task_target=target, days_off="", is_default=False,
                              created_at=now)
            session.add(profile)
            session.flush()
            ensure_inbox(session, profile.id, now)
            record_settings(session, profile.id, now)
            history.record_created(session, self.ctx, f"Add profile “{clean}”", profile)
            return to_dto(profile)

    def list(self) -> list[ProfileDTO]:
        with self.ctx.db.reading() as session:
            return [to_dto(p) for p in session.scalars(
                select(Profile).where(Profile.deleted_at.is_(None)).order_by(Profile.id))]

    def current(self) -> ProfileDTO:
        """One implementation with the window's first screen
        (:func:`.screen_reads.profile_of`)."""
        with self.ctx.db.reading() as session:
            return profile_of(raw(session), self.ctx.profile_id)

    def update(self, *, timezone: str | None = None, day_start_hour: int | str | None = None,
               daily_target: int | str | None = None, days_off: str | None = None,
               name: str | None = None, game_mode: str | None = None) -> ProfileDTO:
        """Change settings. Existing events keep the activity days they were given."""
        changes = v.changes(None, (
            ("timezone", timezone, v.timezone_name),
            ("day_start_hour", day_start_hour, v.day_start_hour),
            ("daily_task_target", daily_target, v.daily_target),
            ("days_off", days_off, v.days_off),
            ("name", name, v.name),
            ("game_mode", game_mode, game_mode_value)))
        with self.ctx.db.transaction() as session:
            profile = session.get(Profile, self.ctx.profile_id)
            assert profile is not None
            if "name" in changes and session.scalar(select(Profile).where(
                    Profile.name == changes["name"], Profile.id != profile.id)):
                raise ValidationError("name", f"a profile named {changes['name']!r} exists")
            rule_changed = any(key not in DISPLAY_ONLY and getattr(profile, key) != value
                               for key, value in changes.items())
            before = history.snapshot(session, profile)
            for key, value in changes.items():
                setattr(profile, key, value)
            if rule_changed:
                record_settings(session, profile.id, self.ctx.now())
            history.record_edit(session, self.ctx, "Change settings", profile, before)
            return to_dto(profile)

    def add_vacation(self, start: str, end: str) -> VacationDTO:
        first = v.optional_date(start, "from")
        last = v.optional_date(end, "to")
        if first is None:
            raise ValidationError("from", "must be a date (YYYY-MM-DD)")
        if last is None:
            raise ValidationError("to", "must be a date (YYYY-MM-DD)")
        if last < first:
            raise ValidationError("to", "must not be before the start date")
        if (last - first).days > 366:
            raise ValidationError("to", "a vacation lasts at most a year")
        with self.ctx.db.transaction() as session:
            row = Vacation(profile_id=self.ctx.profile_id, start_date=first, end_date=last,
                           created_at=self.ctx.now())
            session.add(row)
            session.flush()
            record_settings(session, self.ctx.profile_id, self.ctx.now())
            history.record_created(session, self.ctx, f"Add vacation {first:%d %b}–{last:%d %b}",
                                   row)
            return VacationDTO(row.id, first, last)

    def vacations(self) -> builtins.list[VacationDTO]:
        with self.ctx.db.reading() as session:
            return [VacationDTO(r.id, r.start_date, r.end_date) for r in session.scalars(
                select(Vacation).where(Vacation.profile_id == self.ctx.profile_id,
                                       Vacation.deleted_at.is_(None)).order_by(Vacation.start_date))]

    def delete_vacation(self, vacation_id: int) -> None:
        vacation_id = v.integer(vacation_id, "id", 1, v.MAX_ID)
        with self.ctx.db.transaction() as session:
            row = session.get(Vacation, vacation_id)
            if row is None or row.profile_id != self.ctx.profile_id or row.deleted_at:
                raise NotFoundError("id", f"no vacation with id {vacation_id}")
            before = history.snapshot(session, row)
            row.deleted_at = self.ctx.now()
            record_settings(session, self.ctx.profile_id, self.ctx.now())
            history.record_edit(session, self.ctx, f"Delete vacation {row.start_date:%d %b}–"
                                f"{row.end_date:%d %b}", row, before)
