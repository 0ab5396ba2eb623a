"""The controller: the one place where the window changes data.

Every mutation calls a service, publishes exactly one :class:`Change` and pushes an
undoable command. The first run happens before the push, so a ``ValidationError``
reaches the caller (a dialog shows it at its field) and nothing lands on the undo stack.
Undo and redo are inverses built on the core's own inverses (SPEC §2): reopen reverses a
completion's points exactly, restore undoes a delete, an edit is undone by editing back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.catalog import Kind
from ..core.services import Momentum
from ..core.services.dto import GoalDTO, ProjectDTO, SlotDTO, StepDTO, TaskDTO
from ..core.services.items import Completed
from .changes import PROJECTS, TASKS, Change, Changes, ItemRef, change_for

log = logging.getLogger(__name__)

Item = TaskDTO | GoalDTO | StepDTO | SlotDTO
Step = Callable[[], Change]

#: The editable fields of each kind, read from its DTO (what "edit back" restores).
EDITABLE_FIELDS: dict[Kind, Callable[[Any], dict[str, object]]] = {
    Kind.TASK: lambda t: {"title": t.title, "project": t.project, "goal": t.goal_id,
                          "complexity": t.complexity, "due": t.due, "repeat": t.repeat,
                          "notes": t.notes},
    Kind.GOAL: lambda g: {"title": g.title, "project": g.project, "target": g.target,
                          "notes": g.notes},
    Kind.STEP: lambda s: {"title": s.title, "position": s.position},
    Kind.SLOT: lambda s: {"title": s.title, "start": s.start, "end": s.end,
                          "task": s.task_id, "goal": s.goal_id},
}


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
        self._record(f"Complete “{done.item.title}”",
                     change_for(ref, done.outcome, announce=True),
                     undo=lambda: self._reopen_now(ref),
                     redo=lambda: self._complete_now(ref, when, announce=True))
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
