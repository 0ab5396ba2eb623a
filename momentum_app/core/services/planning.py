"""Tags and reminders of tasks (SPEC v2 §12), and the helpers :mod:`.items` calls.

Tags are a profile's names, matched case-insensitively (``@Home`` and ``home`` are one tag);
a task's tags are rows of ``task_tags``. Reminders are rows of ``reminders``: an offset
before the task's due time, or a fixed instant; the window shows each once at its time
(or in the missed-reminders summary at the next start) and marks it ``shown``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from .. import planning
from ..clock import zone
from ..errors import NotFoundError, ValidationError
from ..kinds import ReminderState, Status
from ..models import Profile, Project, Reminder, Tag, Task, TaskTag
from . import history, task_listing
from . import validation as v
from .context import Context
from .dto import JsonMixin, TaskDTO
from .engine_store import raw
from .validation import TAG_MAX as TAG_MAX  # re-exported
from .validation import tag_name as tag_name  # re-exported
from .validation import tag_names as tag_names  # re-exported

if TYPE_CHECKING:
    from ..quickadd import QuickAdd
    from .items import ItemService

#: Below this many tasks a list reads their tags with ``IN (…)``; above, all of the
#: profile's tag rows at once (SQLite limits the number of bound parameters).


@dataclass(frozen=True)
class ReminderDTO(JsonMixin):
    id: int
    task_id: int
    task: str
    #: When it fires (the snooze, if any, else the reminder's own time), UTC.
    at: datetime
    offset: str | None
    snoozed_until: datetime | None
    state: str
    due: str | None


def _tag_row(session: Session, profile_id: int, name: str, now: datetime) -> Tag:
    row = session.scalar(select(Tag).where(Tag.profile_id == profile_id,
                                           func.lower(Tag.name) == name.lower()))
    if row is None:
        row = Tag(profile_id=profile_id, name=name, created_at=now)
        session.add(row)
        session.flush()
    return row


def add_tags(session: Session, task: Task, names: Sequence[str], now: datetime) -> None:
    have = set(task_tags(session, task.id))
    for name in names:
        if name.lower() in {h.lower() for h in have}:
            continue
        tag = _tag_row(session, task.profile_id, name, now)
        session.add(TaskTag(task_id=task.id, tag_id=tag.id))
        have.add(name)
    session.flush()


def remove_tags(session: Session, task: Task, names: Sequence[str]) -> None:
    lowered = [n.lower() for n in names]
    ids = select(Tag.id).where(Tag.profile_id == task.profile_id,
                               func.lower(Tag.name).in_(lowered))
    session.execute(delete(TaskTag).where(TaskTag.task_id == task.id,
                                          TaskTag.tag_id.in_(ids)))


def clear_tags(session: Session, task_id: int) -> None:
    session.execute(delete(TaskTag).where(TaskTag.task_id == task_id))


def task_tags(session: Session, task_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(
        select(Tag.name).join(TaskTag, TaskTag.tag_id == Tag.id)
        .where(TaskTag.task_id == task_id).order_by(func.lower(Tag.name))))


def tags_of(session: Session, profile_id: int, task_ids: Sequence[int]
            ) -> dict[int, tuple[str, ...]]:
    """Each task's tags, sorted by name, for a page (or a whole list) of tasks
    (:func:`.task_listing.tags_of`)."""
    return task_listing.tags_of(raw(session), profile_id, task_ids)


def tag_filter(session: Session, profile_id: int, name: str) -> ColumnElement[bool]:
    """``Task.id IN (tasks with that tag)``; an unknown tag is bad input, like a project."""
    clean = tag_name(name)
    tag = session.scalar(select(Tag).where(Tag.profile_id == profile_id,
                                           func.lower(Tag.name) == clean.lower()))
    if tag is None:
        raise NotFoundError("tag", f"no tag named {clean!r}")
    return Task.id.in_(select(TaskTag.task_id).where(TaskTag.tag_id == tag.id))


# --- reminders ------------------------------------------------------------------------


def add_reminders(session: Session, task: Task, specs: Sequence[str], tz_name: str,
                  now: datetime) -> None:
    """``30m``/``2h``/``1d`` before the due time, or an instant (ISO 8601, local unless it
    has an offset)."""
    for spec in specs:
        text = v.clean_text(spec, "remind", max_length=64)
        if planning.is_offset(text):
            minutes = planning.offset_minutes(text)
            due = _due_of(task)
            if due is None:
                raise ValidationError("remind", f"{text!r} is counted before the due time: "
                                      "give the task a --due first (or remind at an instant)")
            fire_at = planning.reminder_time(due, minutes, tz_name)
            offset: int | None = minutes
        else:
            try:
                fire_at = v.instant(text, "remind", tz_name)
            except ValidationError:
                raise ValidationError("remind", "not a duration before the due time (30m, 2h, "
                                      f"1d) or an instant (2026-12-01T08:30): {text!r}") from None
            offset = None
        session.add(Reminder(profile_id=task.profile_id, task_id=task.id,
                             offset_minutes=offset, fire_at=fire_at, state=ReminderState.PENDING,
                             created_at=now))
    session.flush()


def _due_of(task: Task) -> planning.Due | None:
    if task.due_date is None:
        return None
    return planning.Due(task.due_date, task.due_time, task.due_at)


def reschedule_reminders(session: Session, task: Task, tz_name: str) -> None:
    """After the due changed: offset reminders follow it and can fire again."""
    due = _due_of(task)
    for reminder in session.scalars(select(Reminder).where(Reminder.task_id == task.id)):
        if reminder.offset_minutes is None:
            continue
        if due is None:
            session.delete(reminder)
            continue
        reminder.fire_at = planning.reminder_time(due, reminder.offset_minutes, tz_name)
        reminder.snoozed_until, reminder.shown_at = None, None
        reminder.state = ReminderState.PENDING


def copy_offset_reminders(session: Session, source: Task, target: Task, tz_name: str,
                          now: datetime) -> None:
    """A repeating task's next occurrence keeps the reminders counted from its due."""
    due = _due_of(target)
    if due is None:
        return
    for reminder in session.scalars(select(Reminder).where(
            Reminder.task_id == source.id, Reminder.offset_minutes.is_not(None))):
        assert reminder.offset_minutes is not None
        session.add(Reminder(profile_id=target.profile_id, task_id=target.id,
                             offset_minutes=reminder.offset_minutes,
                             fire_at=planning.reminder_time(due, reminder.offset_minutes,
                                                            tz_name),
                             state=ReminderState.PENDING, created_at=now))


def clear_reminders(session: Session, task_id: int) -> None:
    session.execute(delete(Reminder).where(Reminder.task_id == task_id))


def _effective(reminder: Reminder) -> datetime:
    return reminder.snoozed_until or reminder.fire_at


class PlanningService:
    """Quick add, tags and reminders: what `momentum add`, `momentum remind …` and the
    window's quick-add fields and reminder scheduler use."""

    def __init__(self, ctx: Context, items: ItemService) -> None:
        self.ctx = ctx
        self.items = items

    def zone(self) -> ZoneInfo:
        with self.ctx.db.reading() as session:
            return zone(self._tz(session))

    def parse_quick_add(self, text: str, *, keep: Collection[str] = ()) -> QuickAdd:
        """What the line means (nothing written): the chips and the ``--dry-run`` line."""
        with self.ctx.db.reading() as session:
            tz = self._tz(session)
        from .. import quickadd  # noqa: PLC0415 (first use: not on the window's start path)

        return quickadd.parse(v.clean_text(text, "text", max_length=2000),
                              now=self.ctx.now(), tz_name=tz, keep=keep)

    def quick_add(self, text: str, *, keep: Collection[str] = (),
                  project: str | None = None, default_due: object = None
                  ) -> tuple[TaskDTO, bool]:
        """Add the task the line describes (one transaction); a ``#Project`` that does not
        exist is created. ``project`` is the default when the line names none (the Tasks
        view's current project). Returns the task and whether a project was created."""
        parsed = self.parse_quick_add(text, keep=keep)
        name = parsed.project or project
        created = False
        if parsed.project:
            with self.ctx.db.reading() as session:
                created = session.scalar(select(func.count()).select_from(Project).where(
                    Project.profile_id == self.ctx.profile_id,
                    func.lower(Project.name) == parsed.project.lower(),
                    Project.deleted_at.is_(None))) == 0
                if not created:
                    name = session.scalar(select(Project.name).where(
                        Project.profile_id == self.ctx.profile_id,
                        func.lower(Project.name) == parsed.project.lower(),
                        Project.deleted_at.is_(None)))
        task = self.items.add_task(
            parsed.title, project=name, complexity=parsed.complexity or 1,
            due=parsed.due or (None if parsed.repeat else default_due),
            repeat=parsed.repeat, tags=list(parsed.tags), remind=list(parsed.reminders),
            create_project=created)
        return task, created

    def _tz(self, session: Session) -> str:
        profile = session.get(Profile, self.ctx.profile_id)
        assert profile is not None
        return profile.timezone

    def list_tags(self) -> list[str]:
        """The profile's tags that some live task carries, by name."""
        with self.ctx.db.reading() as session:
            return list(session.scalars(
                select(Tag.name).join(TaskTag, TaskTag.tag_id == Tag.id)
                .join(Task, Task.id == TaskTag.task_id)
                .where(Tag.profile_id == self.ctx.profile_id, Task.deleted_at.is_(None))
                .group_by(Tag.id).order_by(func.lower(Tag.name))))

    def _query(self, *, states: Sequence[str], until: datetime | None = None) -> list[ReminderDTO]:
        with self.ctx.db.reading() as session:
            rows = session.execute(
                select(Reminder, Task).join(Task, Task.id == Reminder.task_id).where(
                    Reminder.profile_id == self.ctx.profile_id, Reminder.state.in_(states),
                    Task.status == Status.OPEN, Task.deleted_at.is_(None)))
            found = [self._dto(r, t) for r, t in rows]
        if until is not None:
            found = [r for r in found if r.at <= until]
        return sorted(found, key=lambda r: (r.at, r.id))

    @staticmethod
    def _dto(reminder: Reminder, task: Task) -> ReminderDTO:
        due = _due_of(task)
        return ReminderDTO(reminder.id, task.id, task.title, _effective(reminder),
                           planning.offset_label(reminder.offset_minutes)
                           if reminder.offset_minutes is not None else None,
                           reminder.snoozed_until, reminder.state,
                           due.iso() if due else None)

    def has_reminders(self) -> bool:
        """Whether the profile has any reminder (the tray setting's default)."""
        with self.ctx.db.reading() as session:
            return session.scalar(select(Reminder.id).where(
                Reminder.profile_id == self.ctx.profile_id).limit(1)) is not None

    def upcoming(self) -> list[ReminderDTO]:
        """Reminders not shown yet, of open tasks, soonest first (`remind list`)."""
        return self._query(states=(ReminderState.PENDING,))

    def due_now(self) -> list[ReminderDTO]:
        """Pending reminders whose time has come (the window shows and marks them)."""
        return self._query(states=(ReminderState.PENDING,), until=self.ctx.now())

    def next_time(self) -> datetime | None:
        upcoming = self.upcoming()
        return upcoming[0].at if upcoming else None

    def mark_shown(self, reminder_ids: Sequence[int]) -> None:
        with self.ctx.db.transaction() as session:
            for reminder in self._rows(session, reminder_ids):
                reminder.state, reminder.shown_at = ReminderState.SHOWN, self.ctx.now()

    def mark_done(self, reminder_id: int) -> None:
        with self.ctx.db.transaction() as session:
            for reminder in self._rows(session, [reminder_id]):
                reminder.state = ReminderState.DONE

    def _rows(self, session: Session, ids: Sequence[int]) -> list[Reminder]:
        return list(session.scalars(select(Reminder).where(
            Reminder.profile_id == self.ctx.profile_id, Reminder.id.in_(list(ids)))))

    def snooze(self, reminder_id: object, duration: str) -> ReminderDTO:
        """Fire again after ``duration`` (``10m``, ``1h``, ``1d``, ``tomorrow``)."""
        try:
            number = int(str(reminder_id))
        except ValueError:
            raise ValidationError("id", f"not a reminder id: {reminder_id!r}") from None
        with self.ctx.db.transaction() as session:
            reminder = session.get(Reminder, number) if 0 < number < 2**63 else None
            if reminder is None or reminder.profile_id != self.ctx.profile_id:
                raise NotFoundError("id", f"no reminder with id {reminder_id}")
            task = session.get(Task, reminder.task_id)
            assert task is not None
            before = history.snapshot(session, reminder)
            reminder.snoozed_until = planning.snooze_until(
                v.clean_text(duration, "duration", max_length=20), self.ctx.now(),
                self._tz(session))
            reminder.state, reminder.shown_at = ReminderState.PENDING, None
            history.record_edit(session, self.ctx, f"Snooze “{task.title}”", reminder, before)
            return self._dto(reminder, task)
