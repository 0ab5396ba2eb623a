"""The controller: the one place where the window changes data.

Every mutation calls a service, publishes exactly one :class:`Change` and pushes an
undoable command. The first run happens before the push, so a ``ValidationError``
reaches the caller (a dialog shows it at its field) and nothing lands on the undo stack.
Undo and redo are inverses built on the core's own inverses (SPEC §2): reopen reverses a
completion's points exactly, restore undoes a delete, an edit is undone by editing back.

A few changes have no inverse in the core (a new profile, a custom event type or
achievement, a logged custom event): they are published like every other change but
are not put on the undo stack, so Undo never pretends to take them back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.catalog import Kind
from ..core.engine.outcome import Outcome
from ..core.services import Momentum
from ..core.services.dto import (
    GoalDTO,
    ProfileDTO,
    ProjectDTO,
    SlotDTO,
    StepDTO,
    TaskDTO,
    VacationDTO,
)
from ..core.services.items import Completed
from .changes import (
    PROFILE,
    PROGRESS,
    PROJECTS,
    SETTINGS,
    TASKS,
    Change,
    Changes,
    ItemRef,
    change_for,
)

log = logging.getLogger(__name__)

Item = TaskDTO | GoalDTO | StepDTO | SlotDTO
Step = Callable[[], Change]

#: The editable fields of each kind, read from its DTO (what "edit back" restores).
EDITABLE_FIELDS: dict[Kind, Callable[[Any], dict[str, object]]] = {
    Kind.TASK: lambda t: {"title": t.title, "project": t.project, "goal": t.goal_id,
                          "complexity": t.complexity, "due": t.due_label, "repeat": t.repeat,
                          "notes": t.notes, "repeat_after": t.repeat_after,
                          "set_tags": list(t.tags)},
    Kind.GOAL: lambda g: {"title": g.title, "project": g.project, "target": g.target,
                          "notes": g.notes},
    Kind.STEP: lambda s: {"title": s.title, "position": s.position},
    Kind.SLOT: lambda s: {"title": s.title, "start": s.start, "end": s.end,
                          "task": s.task_id, "goal": s.goal_id},
}

#: The profile settings the window edits, read from a ProfileDTO in the form
#: ``profiles.update`` accepts (what "update back" restores).
PROFILE_FIELDS: dict[str, Callable[[ProfileDTO], object]] = {
    "timezone": lambda p: p.timezone, "day_start_hour": lambda p: p.day_start_hour,
    "daily_target": lambda p: p.daily_target, "days_off": lambda p: ",".join(p.days_off),
    "name": lambda p: p.name, "game_mode": lambda p: p.game_mode,
}
#: Vacations move streaks and the profile's calendar.
VACATION_CHANGE = Change(frozenset({PROFILE, PROGRESS}))


def changed_fields(kind: Kind, before: Any, wanted: Mapping[str, object]) -> dict[str, object]:
    """The subset of ``wanted`` that differs from ``before`` (a no-op edit is skipped)."""
    current = EDITABLE_FIELDS[kind](before)
    return {name: value for name, value in wanted.items() if current.get(name) != value}


class _ServiceCommand(QUndoCommand):
    """An undo-stack entry whose first redo already happened (in :meth:`Controller._record`)."""

    def __init__(self, text: str, controller: Controller, undo_step: Step, redo_step: Step
                 ) -> None:
        super().__init__(text)
        self._controller = controller
        self._undo_step = undo_step
        self._redo_step = redo_step
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._applied = self._controller._replay(self, self._redo_step, "redo")

    def undo(self) -> None:
        if self._controller._replay(self, self._undo_step, "undo"):
            self._applied = False


class Controller(QObject):
    """Performs every change the window makes; owns the undo stack."""

    failed = Signal(str)  # a user-facing message when an undo or redo cannot be applied

    def __init__(self, momentum: Momentum, changes: Changes, parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.momentum = momentum
        self.changes = changes
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)
        from .reward_actions import RewardActions  # noqa: PLC0415 (it imports this module)

        self.rewards = RewardActions(self)

    # -- plumbing ------------------------------------------------------------------------

    def _record(self, text: str, change: Change, undo: Step, redo: Step) -> None:
        self.changes.publish(change)
        self.undo_stack.push(_ServiceCommand(text, self, undo, redo))

    def _replay(self, command: QUndoCommand, step: Step, verb: str) -> bool:
        """Run an undo or redo step; a failure is reported, never raised into Qt."""
        try:
            change = step()
        except Exception as exc:  # noqa: BLE001 (the stack must survive any failure)
            log.warning("%s of %r failed: %s", verb, command.text(), exc)
            command.setObsolete(True)
            self.failed.emit(f"Could not {verb} “{command.text()}”: {exc}")
            return False
        self.changes.publish(change)
        return True

    def _items(self) -> Any:
        return self.momentum.items

    # -- primitive steps (each returns the Change it made) ------------------------------

    def _delete_now(self, ref: ItemRef) -> Change:
        self._items().delete(ref.kind, ref.id)
        return change_for(ref)

    def _restore_now(self, ref: ItemRef) -> Change:
        self._items().restore(ref.kind, ref.id)
        return change_for(ref)

    def _complete_now(self, ref: ItemRef, at: datetime | None, announce: bool) -> Change:
        done: Completed = self._items().complete(ref.kind, ref.id, at=at)
        return change_for(ref, done.outcome, announce=announce)

    def _reopen_now(self, ref: ItemRef) -> Change:
        reopened: Completed = self._items().reopen(ref.kind, ref.id)
        return change_for(ref, reopened.outcome)

    def _edit_now(self, ref: ItemRef, fields: Mapping[str, object]) -> Change:
        self._editor(ref.kind)(ref.id, **fields)
        return change_for(ref)

    def _editor(self, kind: Kind) -> Callable[..., Any]:
        items = self._items()
        return {Kind.TASK: items.edit_task, Kind.GOAL: items.edit_goal,
                Kind.STEP: items.edit_step, Kind.SLOT: items.edit_slot}[kind]

    def _added(self, ref: ItemRef, title: str) -> None:
        self._record(f"Add “{title}”", change_for(ref), undo=lambda: self._delete_now(ref),
                     redo=lambda: self._restore_now(ref))

    # -- items ---------------------------------------------------------------------------

    def get(self, ref: ItemRef) -> Any:
        return self._items().get(ref.kind, ref.id)

    def add_task(self, title: str, **fields: Any) -> TaskDTO:
        task: TaskDTO = self._items().add_task(title, **fields)
        self._added(ItemRef(Kind.TASK, task.id), task.title)
        return task

    def quick_add(self, text: str, *, keep: list[str] | None = None,
                  project: str | None = None, default_due: date | None = None) -> TaskDTO:
        """Quick add (SPEC §12): the core's parser reads the line; undo deletes the task.
        ``project`` and ``default_due`` apply when the line names none (the Tasks view's
        project filter, the Today view's today)."""
        task, _created = self.momentum.planning.quick_add(
            text, keep=keep or (), project=project, default_due=default_due)
        self._added(ItemRef(Kind.TASK, task.id), task.title)
        if _created:
            self.changes.publish(Change(frozenset({PROJECTS})))
        return task

    def add_goal(self, title: str, **fields: Any) -> GoalDTO:
        goal: GoalDTO = self._items().add_goal(title, **fields)
        self._added(ItemRef(Kind.GOAL, goal.id), goal.title)
        return goal

    def add_step(self, goal_id: int, title: str) -> StepDTO:
        step: StepDTO = self._items().add_step(goal_id, title)
        self._added(ItemRef(Kind.STEP, step.id), step.title)
        return step

    def add_slot(self, title: str, start: datetime, end: datetime, **fields: Any) -> SlotDTO:
        slot: SlotDTO = self._items().add_slot(title, start, end, **fields)
        self._added(ItemRef(Kind.SLOT, slot.id), slot.title)
        return slot

    def edit(self, ref: ItemRef, **wanted: object) -> Item:
        """Change some fields; undo edits them back. Returns the item as it is now."""
        before = self.get(ref)
        fields = changed_fields(ref.kind, before, wanted)
        if not fields:
            return before  # type: ignore[no-any-return]
        after = self._editor(ref.kind)(ref.id, **fields)
        previous = {name: EDITABLE_FIELDS[ref.kind](before)[name] for name in fields}
        self._record(f"Edit “{after.title}”", change_for(ref),
                     undo=lambda: self._edit_now(ref, previous),
                     redo=lambda: self._edit_now(ref, fields))
        return after  # type: ignore[no-any-return]

    def delete(self, ref: ItemRef) -> Item:
        item = self._items().delete(ref.kind, ref.id)
        self._record(f"Delete “{item.title}”", change_for(ref),
                     undo=lambda: self._restore_now(ref), redo=lambda: self._delete_now(ref))
        return item  # type: ignore[no-any-return]

    def complete(self, ref: ItemRef, at: datetime | None = None) -> Completed:
        """Mark done (``at`` backdates it); undo reopens, which reverses the points exactly."""
        done: Completed = self._items().complete(ref.kind, ref.id, at=at)
        when = done.item.completed_at
        # A repeating task spawned its next occurrence: undo takes it back too.
        spawned = [done.spawned.id if done.spawned else None]

        def undo() -> Change:
            reopened = self._items().reopen(ref.kind, ref.id, spawned=spawned[0])
            return change_for(ref, reopened.outcome)

        def redo() -> Change:
            again: Completed = self._items().complete(ref.kind, ref.id, at=when)
            spawned[0] = again.spawned.id if again.spawned else None
            return change_for(ref, again.outcome, announce=True)

        self._record(f"Complete “{done.item.title}”",
                     change_for(ref, done.outcome, announce=True), undo=undo, redo=redo)
        return done

    def reopen(self, ref: ItemRef) -> Completed:
        when = self.get(ref).completed_at
        reopened: Completed = self._items().reopen(ref.kind, ref.id)
        self._record(f"Reopen “{reopened.item.title}”", change_for(ref, reopened.outcome),
                     undo=lambda: self._complete_now(ref, when, announce=False),
                     redo=lambda: self._reopen_now(ref))
        return reopened

    def toggle_done(self, ref: ItemRef) -> Completed:
        if self.get(ref).status == "done":
            return self.reopen(ref)
        return self.complete(ref)

    # -- projects ------------------------------------------------------------------------

    def _project_step(self, action: Callable[[], object]) -> Step:
        def step() -> Change:
            action()
            return Change(frozenset({PROJECTS, TASKS}))
        return step

    def add_project(self, name: str) -> ProjectDTO:
        projects = self.momentum.projects
        project: ProjectDTO = projects.add(name)
        self._record(f"Add project “{project.name}”", Change(frozenset({PROJECTS})),
                     undo=self._project_step(lambda: projects.delete(project.name)),
                     redo=self._project_step(lambda: projects.add(project.name)))
        return project

    def delete_project(self, name: str) -> ProjectDTO:
        projects = self.momentum.projects
        project: ProjectDTO = projects.delete(name)
        self._record(f"Delete project “{project.name}”", Change(frozenset({PROJECTS, TASKS})),
                     undo=self._project_step(lambda: projects.add(project.name)),
                     redo=self._project_step(lambda: projects.delete(project.name)))
        return project

    def set_goals_enabled(self, name: str, enabled: bool) -> ProjectDTO:
        projects = self.momentum.projects
        project: ProjectDTO = projects.set_goals_enabled(name, enabled)
        verb = "Show" if enabled else "Hide"
        self._record(f"{verb} milestones of “{name}”", Change(frozenset({PROJECTS})),
                     undo=self._project_step(lambda: projects.set_goals_enabled(name, not enabled)),
                     redo=self._project_step(lambda: projects.set_goals_enabled(name, enabled)))
        return project

    # -- profile -------------------------------------------------------------------------

    def switch_profile(self, name: str) -> None:
        """Act as another profile; the undo history belongs to the previous one."""
        self.momentum.switch_profile(name)
        self.undo_stack.clear()
        self.changes.publish(Change.everything())

    def add_profile(self, name: str, timezone: str | None = None) -> ProfileDTO:
        """A new profile (not undoable: the core cannot delete a profile)."""
        profile: ProfileDTO = self.momentum.profiles.add(name, timezone=timezone)
        self.changes.publish(Change(frozenset({PROFILE})))
        return profile

    def update_profile(self, **wanted: object) -> ProfileDTO:
        """Change profile settings (zone, day start, daily target, days off, name).

        Only fields that differ are written; undo writes the previous values back.
        """
        profiles = self.momentum.profiles
        before: ProfileDTO = profiles.current()
        fields = {name: value for name, value in wanted.items()
                  if PROFILE_FIELDS[name](before) != value}
        if not fields:
            return before
        after: ProfileDTO = profiles.update(**fields)  # type: ignore[arg-type]
        previous = {name: PROFILE_FIELDS[name](before) for name in fields}

        def step(values: Mapping[str, object]) -> Step:
            def run() -> Change:
                profiles.update(**values)  # type: ignore[arg-type]
                return Change.everything()
            return run

        self._record("Change settings", Change.everything(), undo=step(previous),
                     redo=step(fields))
        return after

    def add_vacation(self, start: date, end: date) -> VacationDTO:
        profiles = self.momentum.profiles
        made: VacationDTO = profiles.add_vacation(start.isoformat(), end.isoformat())
        current = [made.id]  # redo makes a new row: undo must delete that one

        def undo() -> Change:
            profiles.delete_vacation(current[0])
            return VACATION_CHANGE

        def redo() -> Change:
            current[0] = profiles.add_vacation(start.isoformat(), end.isoformat()).id
            return VACATION_CHANGE

        self._record(f"Add vacation {start:%d %b}–{end:%d %b}", VACATION_CHANGE, undo, redo)
        return made

    def delete_vacation(self, vacation_id: int) -> None:
        profiles = self.momentum.profiles
        gone = next((v for v in profiles.vacations() if v.id == vacation_id), None)
        profiles.delete_vacation(vacation_id)  # raises NotFoundError for an unknown id
        assert gone is not None
        current = [vacation_id]

        def undo() -> Change:
            current[0] = profiles.add_vacation(gone.start.isoformat(), gone.end.isoformat()).id
            return VACATION_CHANGE

        def redo() -> Change:
            profiles.delete_vacation(current[0])
            return VACATION_CHANGE

        self._record(f"Delete vacation {gone.start:%d %b}–{gone.end:%d %b}", VACATION_CHANGE,
                     undo, redo)

    # -- custom events and achievements (no inverse in the core: not undoable) -----------

    def add_event_type(self, name: str, points: object) -> dict[str, Any]:
        created: dict[str, Any] = self.momentum.events.add_type(name, points)
        self.changes.publish(Change(frozenset({SETTINGS})))
        return created

    def log_event(self, name: str) -> Outcome:
        """Log one custom event now; its points are announced like a completion's."""
        outcome: Outcome = self.momentum.events.process_event(name)
        self.changes.publish(Change(frozenset({PROGRESS}), outcome, None, announce=True))
        return outcome

    def add_custom_achievement(self, **fields: Any) -> dict[str, Any]:
        """A custom achievement (level 7+; the core refuses below it)."""
        created: dict[str, Any] = self.momentum.events.add_custom_achievement(**fields)
        self.changes.publish(Change(frozenset({PROGRESS, SETTINGS})))
        return created
