"""Tasks, goals, goal steps and time slots: create, edit, list, delete, complete, reopen.

Completing and reopening go through the engine's single entry point
(:meth:`Context.process`) in the same transaction as the item's own change, so an
item is never marked done without its points, nor the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import Kind
from ..clock import activity_day
from ..engine.outcome import Outcome
from ..errors import NotFoundError, ValidationError
from ..models import Completion, Goal, GoalStep, Profile, Project, Task, TimeSlot
from . import task_query
from . import validation as v
from .context import Context
from .dto import GoalDTO, SlotDTO, StepDTO, TaskDTO
from .projects import find_project
from .task_query import TaskCursor

UNSET: Any = object()
MAX_SLOT_LENGTH = timedelta(days=7)
CLEAR_WORDS = ("", "none", "null", "-")
MODEL_OF_KIND: dict[Kind, type[Task | GoalStep | TimeSlot | Goal]] = {
    Kind.TASK: Task, Kind.STEP: GoalStep, Kind.SLOT: TimeSlot, Kind.GOAL: Goal,
}
LABEL_OF_KIND = {Kind.TASK: "task", Kind.STEP: "goal step", Kind.SLOT: "time slot",
                 Kind.GOAL: "goal"}


@dataclass(frozen=True)
class Completed:
    """A completion or reopening: the item as it is now and the engine's outcome."""

    item: TaskDTO | StepDTO | SlotDTO | GoalDTO
    outcome: Outcome
    #: The next occurrence a repeating task spawned (undo deletes it again).
    spawned: TaskDTO | None = None


def _project_name(session: Session, project_id: int) -> str:
    project = session.get(Project, project_id)
    return project.name if project else ""


def task_dto(session: Session, task: Task, project_name: str | None = None) -> TaskDTO:
    return TaskDTO(task.id, task.title, task.status,
                   project_name if project_name is not None
                   else _project_name(session, task.project_id),
                   task.complexity, task.due_date, task.completed_at, task.notes,
                   task.repeat_rule, task.goal_id, task.project_id, task.deleted_at is not None)


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
        if goal_id is None or goal_id == "":
            return None
        try:
            return self._get(session, Kind.GOAL, goal_id)  # type: ignore[no-any-return]
        except NotFoundError:
            raise NotFoundError("goal", f"no goal with id {goal_id}") from None

    def _task_of(self, session: Session, task_id: object) -> Task | None:
        if task_id is None or task_id == "":
            return None
        try:
            return self._get(session, Kind.TASK, task_id)  # type: ignore[no-any-return]
        except NotFoundError:
            raise NotFoundError("task", f"no task with id {task_id}") from None

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

    def _dto(self, session: Session, kind: Kind, item: Any) -> Any:
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
        with self.ctx.db.transaction() as session:
            profile = self._profile(session)
            item = self._get(session, kind, item_id)
            if item.status == "done":
                raise ValidationError("id", f"{LABEL_OF_KIND[kind]} {item.id} is already done")
            when = v.completion_instant(at, self.ctx.now(), profile.timezone)
            count = session.scalar(select(func.count()).select_from(Completion).where(
                Completion.profile_id == profile.id, Completion.kind == kind.value,
                Completion.item_id == item.id)) or 0
            outcome = self.ctx.process(
                session, catalog.COMPLETION_SOURCE[kind],
                self.completion_meta(session, kind, item), when,
                key or f"{kind.value}:{item.id}:done:{count + 1}")
            item.status, item.completed_at = "done", when
            follower = None
            if kind is Kind.TASK and item.repeat_rule:
                follower = self._spawn_next_occurrence(session, profile, item, when)
            session.flush()
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
            if item.status != "done":
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
            item.status, item.completed_at = "open", None
            if spawned is not None:
                follower = self._get(session, Kind.TASK, spawned)
                item.repeat_rule, follower.repeat_rule = follower.repeat_rule, None
                follower.deleted_at = self.ctx.now()
            session.flush()
            return Completed(self._dto(session, kind, item), outcome)

    def delete(self, kind: Kind, item_id: object) -> Any:
        """Soft delete: points stay (history is history); :meth:`restore` undoes it."""
        with self.ctx.db.transaction() as session:
            item = self._get(session, kind, item_id)
            item.deleted_at = self.ctx.now()
            return self._dto(session, kind, item)

    def restore(self, kind: Kind, item_id: object) -> Any:
        with self.ctx.db.transaction() as session:
            item = self._get(session, kind, item_id, deleted=True)
            item.deleted_at = None
            return self._dto(session, kind, item)

    def get(self, kind: Kind, item_id: object) -> Any:
        with self.ctx.db.reading() as session:
            return self._dto(session, kind, self._get(session, kind, item_id))

    # -- tasks -------------------------------------------------------------------------

    def add_task(self, title: str, *, project: str | None = None, goal: object = None,
                 complexity: object = catalog.DEFAULT_COMPLEXITY, due: object = None,
                 repeat: object = None, notes: object = "") -> TaskDTO:
        clean_title = v.title(title)
        level = v.complexity(complexity)
        due_date = v.optional_date(due, "due")
        rule = v.repeat_rule(repeat)
        clean_notes = v.notes(notes)
        if rule and due_date is None:
            due_date = activity_day(self.ctx.now(), self._tz(), 0)
        with self.ctx.db.transaction() as session:
            goal_row = self._goal_of(session, goal)
            project_row = (session.get(Project, goal_row.project_id)
                           if goal_row is not None and project is None
                           else self._project_to_use(session, project))
            assert project_row is not None
            now = self.ctx.now()
            task = Task(profile_id=self.ctx.profile_id, project_id=project_row.id,
                        goal_id=goal_row.id if goal_row else None, title=clean_title,
                        notes=clean_notes, complexity=level, due_date=due_date,
                        repeat_rule=rule, status="open", created_at=now, updated_at=now)
            session.add(task)
            session.flush()
            return task_dto(session, task, project_row.name)

    def _project_to_use(self, session: Session, name: object) -> Project:
        """``--project NAME`` on add and edit: made if it does not exist yet (SPEC §9)."""
        created: list[str] = []
        project = find_project(session, self.ctx.profile_id, name,  # type: ignore[arg-type]
                               create=True, now=self.ctx.now(), created=created)
        self.ctx.notices.extend(f"Created project {n!r}" for n in created)
        return project

    def _tz(self) -> str:
        with self.ctx.db.reading() as session:
            return self._profile(session).timezone

    def edit_task(self, task_id: object, *, title: object = UNSET, project: object = UNSET,
                  goal: object = UNSET, complexity: object = UNSET, due: object = UNSET,
                  repeat: object = UNSET, notes: object = UNSET) -> TaskDTO:
        """Change fields; a completed task keeps the points it earned."""
        changes: dict[str, Any] = {}
        if title is not UNSET:
            changes["title"] = v.title(title)
        if complexity is not UNSET:
            changes["complexity"] = v.complexity(complexity)
        if due is not UNSET:
            changes["due_date"] = (None if _is_clear(due) else v.optional_date(due, "due"))
        if repeat is not UNSET:
            changes["repeat_rule"] = None if _is_clear(repeat) else v.repeat_rule(repeat)
        if notes is not UNSET:
            changes["notes"] = v.notes(notes)
        with self.ctx.db.transaction() as session:
            task = self._get(session, Kind.TASK, task_id)
            if project is not UNSET:
                changes["project_id"] = self._project_to_use(session, project).id
            if goal is not UNSET:
                goal_row = None if _is_clear(goal) else self._goal_of(session, goal)
                changes["goal_id"] = goal_row.id if goal_row else None
            for name, value in changes.items():
                setattr(task, name, value)
            task.updated_at = self.ctx.now()
            session.flush()
            return task_dto(session, task)

    def _spawn_next_occurrence(self, session: Session, profile: Profile, task: Task,
                               when: datetime) -> Task | None:
        """A repeating task done: its next occurrence appears, due on the rule's next date."""
        base = task.due_date or activity_day(when, profile.timezone, profile.day_start_hour)
        assert task.repeat_rule is not None
        next_due = v.next_occurrence(task.repeat_rule, base)
        if next_due is None:
            return None
        now = self.ctx.now()
        follower = Task(profile_id=task.profile_id, project_id=task.project_id,
                        goal_id=task.goal_id, title=task.title, notes=task.notes,
                        complexity=task.complexity, due_date=next_due,
                        repeat_rule=task.repeat_rule, status="open", created_at=now,
                        updated_at=now)
        session.add(follower)
        task.repeat_rule = None  # the series continues on the follower
        return follower

    def list_tasks(self, *, project: str | None = None, status: str = "all",
                   search: str | None = None, due_before: date | None = None,
                   include_deleted: bool = False, limit: int | None = None,
                   offset: int = 0, order: str = "id",
                   after: TaskCursor | None = None) -> list[TaskDTO]:
        """Tasks matching the filters, in ``order``; a page is ``limit`` rows from
        ``offset`` or, faster at any depth, the rows *after* a :class:`TaskCursor`."""
        if status not in ("open", "done", "all"):
            raise ValidationError("status", f"must be open, done or all, got {status!r}")
        if order not in task_query.ORDERS:
            order = "id"
        with self.ctx.db.reading() as session:
            query = task_query.base_query(self.ctx.profile_id)
            if not include_deleted:
                query = query.where(Task.deleted_at.is_(None))
            if project is not None:
                row = find_project(session, self.ctx.profile_id, project, now=self.ctx.now())
                query = query.where(Task.project_id == row.id)
            if status != "all":
                query = query.where(Task.status == status)
            if search:
                needle = v.clean_text(search, "search", max_length=500)
                query = query.where(task_query.search_condition(needle))
            if due_before is not None:
                query = query.where(Task.due_date <= due_before)
            segments = task_query.page_queries(query, order, offset=offset, after=after)
            rows = task_query.take(segments, limit, session.execute)
            return [task_query.to_dto(row) for row in rows]

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
                        notes=clean_notes, target_date=target_date, status="open",
                        created_at=now, updated_at=now)
            session.add(goal)
            session.flush()
            return goal_dto(session, goal)

    def edit_goal(self, goal_id: object, *, title: object = UNSET, project: object = UNSET,
                  target: object = UNSET, notes: object = UNSET) -> GoalDTO:
        changes: dict[str, Any] = {}
        if title is not UNSET:
            changes["title"] = v.title(title)
        if target is not UNSET:
            changes["target_date"] = None if _is_clear(target) else v.optional_date(
                target, "target")
        if notes is not UNSET:
            changes["notes"] = v.notes(notes)
        with self.ctx.db.transaction() as session:
            goal = self._get(session, Kind.GOAL, goal_id)
            if project is not UNSET:
                changes["project_id"] = self._project_to_use(session, project).id
            for name, value in changes.items():
                setattr(goal, name, value)
            goal.updated_at = self.ctx.now()
            session.flush()
            return goal_dto(session, goal)

    def list_goals(self, status: str = "all") -> list[GoalDTO]:
        if status not in ("open", "done", "all"):
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
            assert goal is not None
            position = (session.scalar(select(func.max(GoalStep.position)).where(
                GoalStep.goal_id == goal.id)) or 0) + 1
            step = GoalStep(goal_id=goal.id, title=clean, position=position, status="open",
                            created_at=self.ctx.now())
            session.add(step)
            session.flush()
            return step_dto(step)

    def edit_step(self, step_id: object, *, title: object = UNSET,
                  position: object = UNSET) -> StepDTO:
        with self.ctx.db.transaction() as session:
            step = self._get(session, Kind.STEP, step_id)
            if title is not UNSET:
                step.title = v.title(title)
            if position is not UNSET:
                step.position = v.integer(position, "position", 1, 10_000)
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
                            goal_id=goal_row.id if goal_row else None, status="open",
                            created_at=now, updated_at=now)
            session.add(slot)
            session.flush()
            return slot_dto(slot)

    def edit_slot(self, slot_id: object, *, title: object = UNSET, start: object = UNSET,
                  end: object = UNSET, task: object = UNSET, goal: object = UNSET) -> SlotDTO:
        tz = self._tz()
        with self.ctx.db.transaction() as session:
            slot = self._get(session, Kind.SLOT, slot_id)
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
            return slot_dto(slot)

    def list_slots(self, start: datetime | None = None, end: datetime | None = None,
                   status: str = "all") -> list[SlotDTO]:
        with self.ctx.db.reading() as session:
            query = select(TimeSlot).where(TimeSlot.profile_id == self.ctx.profile_id,
                                           TimeSlot.deleted_at.is_(None))
            if start is not None:
                query = query.where(TimeSlot.end_at > start)
            if end is not None:
                query = query.where(TimeSlot.start_at < end)
            if status != "all":
                query = query.where(TimeSlot.status == status)
            return [slot_dto(s) for s in session.scalars(query.order_by(TimeSlot.start_at))]


def _check_span(start_at: datetime, end_at: datetime) -> None:
    if end_at <= start_at:
        raise ValidationError("end", "must be after the start")
    if end_at - start_at > MAX_SLOT_LENGTH:
        raise ValidationError("end", "a time slot lasts at most 7 days")


def _is_clear(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in CLEAR_WORDS)
