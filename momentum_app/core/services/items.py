"""Tasks, goals, goal steps and time slots: create, edit, list, delete, complete, reopen.

Completing and reopening go through the engine's single entry point
(:meth:`Context.process`) in the same transaction as the item's own change, so an
item is never marked done without its points, nor the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, overload

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import catalog, planning
from ..catalog import Kind
from ..clock import activity_day, local_time
from ..errors import NotFoundError, ValidationError
from ..kinds import Status
from ..models import Completion, Goal, GoalStep, Profile, Project, Task, TimeSlot
from ..sync.changes import next_occurrence_uid
from . import history, task_query
from . import planning as plan
from . import validation as v
from .context import Context
from .dto import Completed as Completed  # re-exported: it lived here
from .dto import GoalDTO, ItemDTO, SlotDTO, StepDTO, TaskDTO
from .engine_store import raw
from .projects import find_project
from .screen_reads import slots_between
from .task_add import add_plain_task
from .task_completion import complete_and_record
from .task_listing import list_by_status, plain_listing, search_needle
from .task_query import TaskCursor

UNSET: Any = object()
MAX_SLOT_LENGTH = timedelta(days=7)
CLEAR_WORDS = ("", "none", "null", "-")
MODEL_OF_KIND: dict[Kind, type[Task | GoalStep | TimeSlot | Goal]] = {
    Kind.TASK: Task, Kind.STEP: GoalStep, Kind.SLOT: TimeSlot, Kind.GOAL: Goal,
}
LABEL_OF_KIND = {Kind.TASK: "task", Kind.STEP: "goal step", Kind.SLOT: "time slot",
                 Kind.GOAL: "goal"}




def _project_name(session: Session, project_id: int) -> str:
    project = session.get(Project, project_id)
    return project.name if project else ""


def task_dto(session: Session, task: Task, project_name: str | None = None,
             now: datetime | None = None) -> TaskDTO:
    """The task's DTO; with ``now``, also whether it is overdue (SPEC §12)."""
    dto = _task_dto(session, task, project_name)
    if now is None or dto.status != Status.OPEN or dto.due is None:
        return dto
    profile = session.get(Profile, task.profile_id)
    assert profile is not None
    today = activity_day(now, profile.timezone, profile.day_start_hour)
    return replace(dto, overdue=planning.is_overdue(dto.due, dto.due_at, now, today))


def _task_dto(session: Session, task: Task, project_name: str | None = None) -> TaskDTO:
    return TaskDTO(task.id, task.title, task.status,
                   project_name if project_name is not None
                   else _project_name(session, task.project_id),
                   task.complexity, task.due_date, task.completed_at, task.notes,
                   task.repeat_rule, task.goal_id, task.project_id, task.deleted_at is not None,
                   task.due_time, task.due_at, task.repeat_after,
                   plan.task_tags(session, task.id), hidden_until=task.hidden_until)


def _due(value: object, tz_name: str) -> planning.Due | None:
    """``--due``: a date, or a local date and time (SPEC §12)."""
    if value is None or value == "":
        return None
    if isinstance(value, planning.Due):
        return value
    if isinstance(value, datetime):
        instant = v.instant(value, "due", tz_name)
        wall = local_time(instant, tz_name)
        return planning.due_at_local(wall.date(), wall.time(), tz_name)
    if isinstance(value, date):
        return planning.Due(v.optional_date(value, "due") or value)
    if not isinstance(value, str):
        raise ValidationError("due", "must be a date (YYYY-MM-DD) or date and time")
    due = planning.parse_due(value, tz_name)
    v.optional_date(due.date, "due")
    return due


def _set_due(task: Task, due: planning.Due | None) -> None:
    task.due_date = due.date if due else None
    task.due_time = due.time if due else None
    task.due_at = due.at if due else None


def _start_series(task: Task, rule: str | None, due: planning.Due | None, now: datetime,
                  tz_name: str, day_start: int = 0) -> None:
    """A new schedule: DTSTART is the due; without a due, today (or now, for a rule that
    sets the time of day, so an occurrence earlier today is not the first) and the task is
    due on the rule's first occurrence from there."""
    task.repeat_rule = rule
    if rule is None:
        task.repeat_start = None
        return
    if due is not None:
        start = due.local()
        if due.time is None and planning.rule_has_time(rule):
            # a date alone with a rule that sets the time: the due takes that day's time
            first = planning.first_occurrence(rule, start, tz_name)
            if first is not None and first.date() == due.date:
                due = planning.due_of_occurrence(first, True, tz_name)
    elif planning.rule_has_time(rule):
        start = local_time(now, tz_name).replace(second=0, microsecond=0, tzinfo=None)
    else:
        start = datetime.combine(activity_day(now, tz_name, day_start), datetime.min.time())
    task.repeat_start = f"{start:%Y-%m-%dT%H:%M}"
    if due is None:
        first = planning.first_occurrence(rule, start, tz_name)
        if first is None:
            raise ValidationError("repeat", "the rule gives no date from today on")
        due = planning.due_of_occurrence(first, planning.rule_has_time(rule), tz_name)
    _set_due(task, due)


def step_dto(step: GoalStep) -> StepDTO:
    return StepDTO(step.id, step.goal_id, step.title, step.position, step.status,
                   step.completed_at)


def goal_dto(session: Session, goal: Goal) -> GoalDTO:
    steps = tuple(step_dto(s) for s in goal.steps if s.deleted_at is None)
    return GoalDTO(goal.id, goal.title, goal.status, _project_name(session, goal.project_id),
                   goal.project_id, goal.target_date, goal.completed_at, steps, goal.notes)


def slot_dto(slot: TimeSlot) -> SlotDTO:
    return SlotDTO(slot.id, slot.title, slot.start_at, slot.end_at, slot.status, slot.task_id,
                   slot.goal_id, slot.completed_at)


class ItemService:
    """All four kinds of item share their life cycle; only their fields differ."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- shared helpers --------------------------------------------------------------

    def _profile(self, session: Session) -> Profile:
        profile = session.get(Profile, self.ctx.profile_id)
        assert profile is not None
        return profile

    def _get(self, session: Session, kind: Kind, item_id: object, *,
             deleted: bool = False) -> Any:
        label = LABEL_OF_KIND[kind]
        try:
            number = int(item_id)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise ValidationError("id", f"not a {label} id: {item_id!r}") from None
        item = session.get(MODEL_OF_KIND[kind], number) if 0 < number < 2**63 else None
        owner = item.goal.profile_id if isinstance(item, GoalStep) else getattr(
            item, "profile_id", None)
        if item is None or owner != self.ctx.profile_id or (
                (getattr(item, "deleted_at", None) is not None) != deleted):
            state = "deleted " if deleted else ""
            raise NotFoundError("id", f"no {state}{label} with id {item_id}")
        return item

    def _goal_of(self, session: Session, goal_id: object) -> Goal | None:
        return self._linked(session, Kind.GOAL, goal_id)  # type: ignore[no-any-return]

    def _task_of(self, session: Session, task_id: object) -> Task | None:
        return self._linked(session, Kind.TASK, task_id)  # type: ignore[no-any-return]

    def _linked(self, session: Session, kind: Kind, item_id: object) -> Any:
        """The goal or task an item is linked to (None or "": none); an unknown id is
        an error naming the link (``goal``, ``task``)."""
        if item_id is None or item_id == "":
            return None
        label = LABEL_OF_KIND[kind]
        try:
            return self._get(session, kind, item_id)
        except NotFoundError:
            raise NotFoundError(label, f"no {label} with id {item_id}") from None

    def completion_meta(self, session: Session, kind: Kind, item: Any) -> dict[str, Any]:
        """What a completion event records of its item (also used by `import --award`)."""
        meta: dict[str, Any] = {"item_id": item.id, "title": item.title}
        if kind is Kind.TASK:
            meta.update(complexity=item.complexity, project_id=item.project_id,
                        due=item.due_date.isoformat() if item.due_date else None)
        elif kind is Kind.STEP:
            meta.update(project_id=item.goal.project_id, goal_id=item.goal_id)
        elif kind is Kind.GOAL:
            meta.update(project_id=item.project_id)
        else:
            meta.update(minutes=int((item.end_at - item.start_at).total_seconds() // 60),
                        project_id=self._slot_project(session, item))
        return meta

    def _slot_project(self, session: Session, slot: TimeSlot) -> int:
        """A slot counts in its task's or goal's project, else in the Inbox (SPEC §6)."""
        if slot.task_id is not None:
            task = session.get(Task, slot.task_id)
            if task is not None:
                return task.project_id
        if slot.goal_id is not None:
            goal = session.get(Goal, slot.goal_id)
            if goal is not None:
                return goal.project_id
        return find_project(session, self.ctx.profile_id, None, now=self.ctx.now()).id

    def _dto(self, session: Session, kind: Kind, item: Any) -> ItemDTO:
        if kind is Kind.TASK:
            return task_dto(session, item)
        if kind is Kind.STEP:
            return step_dto(item)
        if kind is Kind.GOAL:
            return goal_dto(session, item)
        return slot_dto(item)

    # -- complete / reopen (one transaction with the engine) ---------------------------

    def complete(self, kind: Kind, item_id: object, at: str | datetime | None = None,
                 key: str | None = None) -> Completed:
        # the hot path: direct statements (issue 14); not inside an undo's transaction,
        # which the general path joins
        if kind is Kind.TASK and not self.ctx.db.in_transaction():
            with self.ctx.db.direct_transaction() as conn:
                done = complete_and_record(self.ctx, conn, item_id, at, key)
            if done is not None:
                return done
        with self.ctx.db.transaction() as session:
            profile = self._profile(session)
            item = self._get(session, kind, item_id)
            if item.status == Status.DONE:
                raise ValidationError("id", f"{LABEL_OF_KIND[kind]} {item.id} is already done")
            when = v.completion_instant(at, self.ctx.now(), profile.timezone)
            count = session.scalar(select(func.count()).select_from(Completion).where(
                Completion.profile_id == profile.id, Completion.kind == kind.value,
                Completion.item_id == item.id)) or 0
            outcome = self.ctx.process(
                session, catalog.COMPLETION_SOURCE[kind],
                self.completion_meta(session, kind, item), when,
                key or f"{kind.value}:{item.id}:done:{count + 1}")
            item.status, item.completed_at = Status.DONE, when
            follower = None
            if kind is Kind.TASK and (item.repeat_rule or item.repeat_after):
                follower = self._spawn_next_occurrence(session, profile, item, when)
            session.flush()
            history.record(session, self.ctx, f"Complete “{item.title}”", history.Op(
                "reopen", {"kind": kind.value, "id": item.id,
                           "spawned": follower.id if follower else None}))
            return Completed(self._dto(session, kind, item), outcome,
                             task_dto(session, follower) if follower else None)

    def reopen(self, kind: Kind, item_id: object, key: str | None = None,
               spawned: int | None = None) -> Completed:
        """Reopen (debits what the completion earned). ``spawned``: the next occurrence
        that completing a repeating task created; undoing the completion removes it and
        gives its repeat rule back, in the same transaction."""
        with self.ctx.db.transaction() as session:
            profile = self._profile(session)
            item = self._get(session, kind, item_id)
            if item.status != Status.DONE:
                raise ValidationError("id", f"{LABEL_OF_KIND[kind]} {item.id} is not done")
            completion = session.scalar(select(Completion).where(
                Completion.profile_id == profile.id, Completion.kind == kind.value,
                Completion.item_id == item.id, Completion.active.is_(True))
                .order_by(Completion.event_id.desc()))
            if completion is None:
                raise ValidationError("id", f"{LABEL_OF_KIND[kind]} {item.id} was completed "
                                      "without points (imported history) and cannot be reopened")
            count = session.scalar(select(func.count()).select_from(Completion).where(
                Completion.profile_id == profile.id, Completion.kind == kind.value,
                Completion.item_id == item.id, Completion.active.is_(False))) or 0
            outcome = self.ctx.process(
                session, catalog.REVERSAL_EVENT, {"completion": completion.event_id,
                                                  "item_id": item.id, "kind": kind.value},
                self.ctx.now(), key or f"{kind.value}:{item.id}:reopen:{count + 1}")
            history.record(session, self.ctx, f"Reopen “{item.title}”", history.Op(
                "complete", {"kind": kind.value, "id": item.id,
                             "at": item.completed_at.isoformat()}))
            item.status, item.completed_at = Status.OPEN, None
            if spawned is not None:
                follower = self._get(session, Kind.TASK, spawned)
                for column in ("repeat_rule", "repeat_start", "repeat_after"):
                    setattr(item, column, getattr(follower, column))
                    setattr(follower, column, None)
                follower.deleted_at = self.ctx.now()
            session.flush()
            return Completed(self._dto(session, kind, item), outcome)

    def delete(self, kind: Kind, item_id: object) -> ItemDTO:
        """Soft delete: points stay (history is history); :meth:`restore` undoes it."""
        with self.ctx.db.transaction() as session:
            item = self._get(session, kind, item_id)
            before = history.snapshot(session, item)
            item.deleted_at = self.ctx.now()
            history.record_edit(session, self.ctx, f"Delete “{item.title}”", item, before)
            return self._dto(session, kind, item)

    def restore(self, kind: Kind, item_id: object) -> ItemDTO:
        with self.ctx.db.transaction() as session:
            item = self._get(session, kind, item_id, deleted=True)
            before = history.snapshot(session, item)
            item.deleted_at = None
            history.record_edit(session, self.ctx, f"Restore “{item.title}”", item, before)
            return self._dto(session, kind, item)

    @overload
    def get(self, kind: Literal[Kind.TASK], item_id: object) -> TaskDTO: ...
    @overload
    def get(self, kind: Literal[Kind.GOAL], item_id: object) -> GoalDTO: ...
    @overload
    def get(self, kind: Literal[Kind.STEP], item_id: object) -> StepDTO: ...
    @overload
    def get(self, kind: Literal[Kind.SLOT], item_id: object) -> SlotDTO: ...
    @overload
    def get(self, kind: Kind, item_id: object) -> ItemDTO: ...

    def get(self, kind: Kind, item_id: object) -> ItemDTO:
        """The item of that kind (a task with its overdue flag as of now)."""
        with self.ctx.db.reading() as session:
            item = self._get(session, kind, item_id)
            if kind is Kind.TASK:
                return task_dto(session, item, now=self.ctx.now())
            return self._dto(session, kind, item)

    # -- tasks -------------------------------------------------------------------------

    def add_task(self, title: str, *, project: str | None = None, goal: object = None,
                 complexity: object = catalog.DEFAULT_COMPLEXITY, due: object = None,
                 repeat: object = None, notes: object = "", tags: object = None,
                 remind: object = None, repeat_after: object = None,
                 create_project: bool = False, hide_until: object = None) -> TaskDTO:
        plain = all(value is None for value in (project, goal, due, repeat, tags, remind,
                                                repeat_after, hide_until))
        # the hot path (issue 14); a read-only file is refused by the general path, after
        # its validation, as always
        if plain and not self.ctx.db.in_transaction() and not self.ctx.db.read_only:
            with self.ctx.db.direct_transaction() as conn:
                added = add_plain_task(self.ctx, conn, title, complexity, notes)
            if added is not None:
                return added
        clean_title = v.title(title)
        hidden = v.optional_date(hide_until, "hide_until")
        level = v.complexity(complexity)
        tz = self._tz()
        due_value = _due(due, tz)
        rule = v.repeat_rule(repeat)
        after = None if repeat_after in (None, "") else planning.repeat_after(repeat_after)
        if rule and after:
            raise ValidationError("repeat_after", "a task repeats on a schedule (--repeat) or "
                                  "after each completion (--repeat-after), not both")
        tag_list = plan.tag_names(_strings(tags, "tag"))
        reminders = [v.clean_text(r, "remind", max_length=64) for r in _strings(remind, "remind")]
        clean_notes = v.notes(notes)
        with self.ctx.db.transaction() as session:
            goal_row = self._goal_of(session, goal)
            project_row = (session.get(Project, goal_row.project_id)
                           if goal_row is not None and project is None
                           else self._project_to_use(session, project,
                                                     announce=not create_project))
            assert project_row is not None
            now = self.ctx.now()
            task = Task(profile_id=self.ctx.profile_id, project_id=project_row.id,
                        goal_id=goal_row.id if goal_row else None, title=clean_title,
                        notes=clean_notes, complexity=level, repeat_after=after,
                        status=Status.OPEN, created_at=now, updated_at=now,
                        hidden_until=hidden)
            _set_due(task, due_value)
            _start_series(task, rule, due_value, now, tz)
            session.add(task)
            session.flush()
            plan.add_tags(session, task, tag_list, now)
            plan.add_reminders(session, task, reminders, tz, now)
            history.record_created(session, self.ctx, f"Add “{task.title}”", task)
            return task_dto(session, task, project_row.name)

    def _project_to_use(self, session: Session, name: object, *,
                        announce: bool = True) -> Project:
        """``--project NAME`` on add and edit, and quick add's ``#Project``: made if it does
        not exist yet, or brought back if it was deleted (SPEC §9), in the same transaction
        and undone with the action that made it. ``announce`` adds the command line's
        "Created project" notice (quick add says so itself)."""
        created: list[str] = []
        project = find_project(session, self.ctx.profile_id, name,  # type: ignore[arg-type]
                               create=True, now=self.ctx.now(), created=created)
        if announce:
            self.ctx.notices.extend(f"Created project {n!r}" for n in created)
        if created:  # undone with the action that made it
            history.record_created(session, self.ctx, "", project)
        return project

    def _tz(self) -> str:
        with self.ctx.db.reading() as session:
            return self._profile(session).timezone

    def edit_task(self, task_id: object, *, title: object = UNSET, project: object = UNSET,
                  goal: object = UNSET, complexity: object = UNSET, due: object = UNSET,
                  repeat: object = UNSET, notes: object = UNSET, tags: object = UNSET,
                  untag: object = UNSET, set_tags: object = UNSET, remind: object = UNSET,
                  repeat_after: object = UNSET, hide_until: object = UNSET) -> TaskDTO:
        """Change fields; a completed task keeps the points it earned. ``tags`` adds tags,
        ``untag`` removes some, ``set_tags`` replaces them all; ``remind`` adds reminders
        (``none`` removes them all)."""
        tz = self._tz()
        new_due = UNSET if due is UNSET else (None if _is_clear(due) else _due(due, tz))
        new_rule = UNSET if repeat is UNSET else (
            None if _is_clear(repeat) else v.repeat_rule(repeat))
        new_after = UNSET if repeat_after is UNSET else (
            None if _is_clear(repeat_after) else planning.repeat_after(repeat_after))
        if new_rule not in (UNSET, None) and new_after not in (UNSET, None):
            raise ValidationError("repeat_after", "a task repeats on a schedule (--repeat) or "
                                  "after each completion (--repeat-after), not both")
        added = [] if tags is UNSET else plan.tag_names(_strings(tags, "tag"))
        removed = [] if untag is UNSET else plan.tag_names(_strings(untag, "tag"))
        replaced = None if set_tags is UNSET else plan.tag_names(_strings(set_tags, "tag"))
        reminders = [] if remind is UNSET else [
            v.clean_text(r, "remind", max_length=64) for r in _strings(remind, "remind")]
        changes: dict[str, Any] = v.changes(UNSET, (
            ("title", title, v.title), ("complexity", complexity, v.complexity),
            ("notes", notes, v.notes),
            ("hidden_until", hide_until, _clearable_date("hide_until"))))
        with self.ctx.db.transaction() as session:
            task = self._get(session, Kind.TASK, task_id)
            before = history.snapshot(session, task)
            if project is not UNSET:
                changes["project_id"] = self._project_to_use(session, project).id
            if goal is not UNSET:
                goal_row = None if _is_clear(goal) else self._goal_of(session, goal)
                changes["goal_id"] = goal_row.id if goal_row else None
            for name, value in changes.items():
                setattr(task, name, value)
            self._edit_planning(session, task, tz, new_due, new_rule, new_after)
            now = self.ctx.now()
            if replaced is not None:
                plan.clear_tags(session, task.id)
                plan.add_tags(session, task, replaced, now)
            plan.add_tags(session, task, added, now)
            plan.remove_tags(session, task, removed)
            if [r.lower() for r in reminders] in (["none"], ["-"]):
                plan.clear_reminders(session, task.id)
            else:
                plan.add_reminders(session, task, reminders, tz, now)
            task.updated_at = now
            history.record_edit(session, self.ctx, f"Edit “{task.title}”", task, before)
            return task_dto(session, task)

    def _edit_planning(self, session: Session, task: Task, tz: str, due: Any, rule: Any,
                       after: Any) -> None:
        """A new due moves the offset reminders; a new rule starts a new series."""
        if due is not UNSET:
            _set_due(task, due)
            plan.reschedule_reminders(session, task, tz)
        if rule is not UNSET:
            current = planning.Due(task.due_date, task.due_time, task.due_at) \
                if task.due_date else None
            _start_series(task, rule, current, self.ctx.now(), tz)
            if rule is not None:
                task.repeat_after = None
        elif due is not UNSET and task.repeat_rule and task.due_date:
            start = planning.Due(task.due_date, task.due_time).local()
            task.repeat_start = f"{start:%Y-%m-%dT%H:%M}"
        if after is not UNSET:
            task.repeat_after = after
            if after is not None:
                task.repeat_rule = task.repeat_start = None

    def _spawn_next_occurrence(self, session: Session, profile: Profile, task: Task,
                               when: datetime) -> Task | None:
        """A repeating task done: its next occurrence appears — on the schedule's next date
        after today (an overdue occurrence does not leave a chain of overdue copies), or
        ``repeat_after`` after the completion. ``None`` when the series has ended."""
        tz = profile.timezone
        today = activity_day(self.ctx.now(), tz, profile.day_start_hour)
        next_due = (self._next_scheduled(task, tz, today, when) if task.repeat_rule
                    else self._next_after(task, when, tz))
        if next_due is None:
            task.repeat_rule = task.repeat_start = None  # the series has ended
            return None
        now = self.ctx.now()
        follower = Task(profile_id=task.profile_id, project_id=task.project_id,
                        goal_id=task.goal_id, title=task.title, notes=task.notes,
                        complexity=task.complexity, repeat_rule=task.repeat_rule,
                        repeat_start=task.repeat_start, repeat_after=task.repeat_after,
                        status=Status.OPEN, created_at=now, updated_at=now)
        _set_due(follower, next_due)
        session.add(follower)
        session.flush()
        # sync (SPEC v2 §13): the next occurrence's uid comes from its series and date
        next_occurrence_uid(session.connection(), task.id, follower.id,
                            follower.due_at or follower.due_date)
        plan.add_tags(session, follower, plan.task_tags(session, task.id), now)
        plan.copy_offset_reminders(session, task, follower, tz, now)
        # the series continues on the follower
        task.repeat_rule = task.repeat_start = task.repeat_after = None
        return follower

    @staticmethod
    def _next_scheduled(task: Task, tz: str, today: date, when: datetime
                        ) -> planning.Due | None:
        assert task.repeat_rule is not None
        base = task.due_date or activity_day(when, tz, 0)
        # a date alone stands for the whole day: its occurrence is the one on that day
        current = (planning.Due(base, task.due_time).local() if task.due_time
                   else datetime.combine(base, time(23, 59, 59)))
        start = (datetime.fromisoformat(task.repeat_start) if task.repeat_start
                 else current)
        found = planning.next_scheduled(task.repeat_rule, start, current, today, tz)
        if found is None:
            return None
        timed = task.due_time is not None or planning.rule_has_time(task.repeat_rule)
        return planning.due_of_occurrence(found, timed, tz)

    @staticmethod
    def _next_after(task: Task, when: datetime, tz: str) -> planning.Due:
        assert task.repeat_after is not None
        done_day = local_time(when, tz).date()
        day = done_day + planning.after_delta(task.repeat_after)
        wall = datetime.strptime(task.due_time, "%H:%M").time() if task.due_time else None
        return planning.due_at_local(day, wall, tz)

    def list_tasks(self, *, project: str | None = None, status: str = "all",
                   search: str | None = None, due_before: date | None = None,
                   include_deleted: bool = False, limit: int | None = None,
                   offset: int = 0, order: str = "id",
                   after: TaskCursor | None = None, tag: str | None = None,
                   due_after: date | None = None,
                   include_hidden: bool = False) -> list[TaskDTO]:
        """Tasks matching the filters, in ``order``; a page is ``limit`` rows from
        ``offset`` or, faster at any depth, the rows *after* a :class:`TaskCursor`.
        Open tasks hidden until a later day than today are left out unless
        ``include_hidden``."""
        if status not in (*Status, "all"):
            raise ValidationError("status", f"must be open, done or all, got {status!r}")
        if order not in task_query.ORDERS:
            order = "id"
        if plain_listing(project, due_before, due_after, limit, after, tag,
                         include_deleted or include_hidden or offset, order):
            # the command line's list and the Today view's (issue 14): plain statements
            with self.ctx.db.reading() as session:
                return list_by_status(raw(session), self.ctx.profile_id, status,
                                      self.ctx.now(), due_before=due_before, limit=limit,
                                      search=search)
        with self.ctx.db.reading() as session:
            query = task_query.base_query(self.ctx.profile_id)
            if not include_deleted:
                query = query.where(Task.deleted_at.is_(None))
            profile = self._profile(session)
            now = self.ctx.now()
            today = activity_day(now, profile.timezone, profile.day_start_hour)
            if not include_hidden:
                query = query.where(task_query.not_hidden(today))
            if project is not None:
                row = find_project(session, self.ctx.profile_id, project, now=self.ctx.now())
                query = query.where(Task.project_id == row.id)
            if status != "all":
                query = query.where(Task.status == status)
            if search:
                query = query.where(task_query.search_condition(search_needle(search)))
            if due_before is not None:
                query = query.where(Task.due_date <= due_before)
            if due_after is not None:
                query = query.where(Task.due_date >= due_after)
            if tag:
                query = query.where(plan.tag_filter(session, self.ctx.profile_id, tag))
            segments = task_query.page_queries(query, order, offset=offset, after=after)
            rows = task_query.take(segments, limit, session.execute)
            tags = plan.tags_of(session, self.ctx.profile_id, [row[0] for row in rows])
            # Each DTO built once, with its tags and overdue flag (a replace() per row was
            # a quarter of listing 80,000 tasks).
            return [task_query.to_dto(row, tags.get(row[0], ()), row[2] == Status.OPEN and (
                planning.is_overdue(row[5], row[13], now, today))) for row in rows]

    def count_tasks(self) -> int:
        with self.ctx.db.reading() as session:
            return session.scalar(select(func.count()).select_from(Task).where(
                Task.profile_id == self.ctx.profile_id, Task.deleted_at.is_(None))) or 0

    # -- goals and steps ---------------------------------------------------------------

    def add_goal(self, title: str, *, project: str | None = None, target: object = None,
                 notes: object = "") -> GoalDTO:
        clean = v.title(title)
        target_date = v.optional_date(target, "target")
        clean_notes = v.notes(notes)
        with self.ctx.db.transaction() as session:
            project_row = self._project_to_use(session, project)
            now = self.ctx.now()
            goal = Goal(profile_id=self.ctx.profile_id, project_id=project_row.id, title=clean,
                        notes=clean_notes, target_date=target_date, status=Status.OPEN,
                        created_at=now, updated_at=now)
            session.add(goal)
            history.record_created(session, self.ctx, f"Add “{goal.title}”", goal)
            return goal_dto(session, goal)

    def edit_goal(self, goal_id: object, *, title: object = UNSET, project: object = UNSET,
                  target: object = UNSET, notes: object = UNSET) -> GoalDTO:
        changes: dict[str, Any] = v.changes(UNSET, (
            ("title", title, v.title), ("target_date", target, _clearable_date("target")),
            ("notes", notes, v.notes)))
        with self.ctx.db.transaction() as session:
            goal = self._get(session, Kind.GOAL, goal_id)
            before = history.snapshot(session, goal)
            if project is not UNSET:
                changes["project_id"] = self._project_to_use(session, project).id
            for name, value in changes.items():
                setattr(goal, name, value)
            goal.updated_at = self.ctx.now()
            history.record_edit(session, self.ctx, f"Edit “{goal.title}”", goal, before)
            return goal_dto(session, goal)

    def list_goals(self, status: str = "all") -> list[GoalDTO]:
        if status not in (*Status, "all"):
            raise ValidationError("status", f"must be open, done or all, got {status!r}")
        with self.ctx.db.reading() as session:
            query = select(Goal).where(Goal.profile_id == self.ctx.profile_id,
                                       Goal.deleted_at.is_(None))
            if status != "all":
                query = query.where(Goal.status == status)
            return [goal_dto(session, g) for g in session.scalars(query.order_by(Goal.id))]

    def add_step(self, goal_id: object, title: str) -> StepDTO:
        clean = v.title(title)
        with self.ctx.db.transaction() as session:
            goal = self._goal_of(session, goal_id)
            if goal is None:  # "" or None: a step needs its goal
                raise ValidationError("goal", "a step needs the id of its goal")
            position = (session.scalar(select(func.max(GoalStep.position)).where(
                GoalStep.goal_id == goal.id)) or 0) + 1
            step = GoalStep(goal_id=goal.id, title=clean, position=position, status=Status.OPEN,
                            created_at=self.ctx.now())
            session.add(step)
            history.record_created(session, self.ctx, f"Add “{step.title}”", step)
            return step_dto(step)

    def edit_step(self, step_id: object, *, title: object = UNSET,
                  position: object = UNSET) -> StepDTO:
        with self.ctx.db.transaction() as session:
            step = self._get(session, Kind.STEP, step_id)
            before = history.snapshot(session, step)
            if title is not UNSET:
                step.title = v.title(title)
            if position is not UNSET:
                step.position = v.integer(position, "position", 1, 10_000)
            history.record_edit(session, self.ctx, f"Edit “{step.title}”", step, before)
            return step_dto(step)

    # -- time slots --------------------------------------------------------------------

    def add_slot(self, title: str, start: object, end: object, *, task: object = None,
                 goal: object = None) -> SlotDTO:
        clean = v.title(title)
        tz = self._tz()
        start_at = v.instant(start, "start", tz)
        end_at = v.instant(end, "end", tz)
        _check_span(start_at, end_at)
        with self.ctx.db.transaction() as session:
            task_row = self._task_of(session, task)
            goal_row = self._goal_of(session, goal)
            now = self.ctx.now()
            slot = TimeSlot(profile_id=self.ctx.profile_id, title=clean, start_at=start_at,
                            end_at=end_at, task_id=task_row.id if task_row else None,
                            goal_id=goal_row.id if goal_row else None, status=Status.OPEN,
                            created_at=now, updated_at=now)
            session.add(slot)
            history.record_created(session, self.ctx, f"Add “{slot.title}”", slot)
            return slot_dto(slot)

    def edit_slot(self, slot_id: object, *, title: object = UNSET, start: object = UNSET,
                  end: object = UNSET, task: object = UNSET, goal: object = UNSET) -> SlotDTO:
        tz = self._tz()
        with self.ctx.db.transaction() as session:
            slot = self._get(session, Kind.SLOT, slot_id)
            before = history.snapshot(session, slot)
            if title is not UNSET:
                slot.title = v.title(title)
            start_at = v.instant(start, "start", tz) if start is not UNSET else slot.start_at
            end_at = v.instant(end, "end", tz) if end is not UNSET else slot.end_at
            _check_span(start_at, end_at)
            slot.start_at, slot.end_at = start_at, end_at
            if task is not UNSET:
                row = None if _is_clear(task) else self._task_of(session, task)
                slot.task_id = row.id if row else None
            if goal is not UNSET:
                goal_row = None if _is_clear(goal) else self._goal_of(session, goal)
                slot.goal_id = goal_row.id if goal_row else None
            slot.updated_at = self.ctx.now()
            history.record_edit(session, self.ctx, f"Edit “{slot.title}”", slot, before)
            return slot_dto(slot)

    def list_slots(self, start: datetime | None = None, end: datetime | None = None,
                   status: str = "all") -> list[SlotDTO]:
        """One implementation with the window's first screen
        (:func:`.screen_reads.slots_between`)."""
        with self.ctx.db.reading() as session:
            return slots_between(raw(session), self.ctx.profile_id, start, end, status)


def _check_span(start_at: datetime, end_at: datetime) -> None:
    if end_at <= start_at:
        raise ValidationError("end", "must be after the start")
    if end_at - start_at > MAX_SLOT_LENGTH:
        raise ValidationError("end", "a time slot lasts at most 7 days")


def _strings(value: object, field: str) -> list[object]:
    """A repeatable option: one text or a list of them (None: none)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    raise ValidationError(field, "must be text or a list of texts")


def _is_clear(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in CLEAR_WORDS)


def _clearable_date(field: str) -> Callable[[object], date | None]:
    """The check of an edit's date ``field`` that a clear word ("none"…) empties."""
    return lambda value: None if _is_clear(value) else v.optional_date(value, field)
