"""The controller: the one place where the window changes data.

Every mutation calls a service and publishes exactly one :class:`Change`. A
``ValidationError`` reaches the caller (a dialog shows it at its field) and nothing is
written, to the data or to the history.

Every service call records its own inverse in the core's persistent history
(:mod:`momentum_app.core.services.history`): the controller only runs the call,
publishes one :class:`Change` tied to the history entry it made, and sends Undo/Redo
(menu, shortcuts, a toast's Undo) to that history, which the command line shares.

Every call runs as an :class:`~.ops.Op` on the op thread (:mod:`.ops`): the UI thread
never waits for the database, failures are shown in the window, and ops run one at a
time. The history's state for the Undo/Redo menu is read there too, with the op's
answer, and each op's change is published as its answer arrives (in the order they ran).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication

from ..core.catalog import Kind
from ..core.engine.outcome import Outcome
from ..core.errors import ValidationError
from ..core.kinds import Status
from ..core.services import Momentum
from ..core.services.changes import OpChanges, OpChangesWith, Scope
from ..core.services.dto import (
    GoalDTO,
    ProfileDTO,
    ProjectDTO,
    SlotDTO,
    StepDTO,
    TaskDTO,
    VacationDTO,
)
from ..core.services.read_dto import CustomAchievementDTO, EventTypeDTO
from .changes import Change, Changes, ItemRef
from .ops import Op, OpRunner
from .worker import SerialWorker

if TYPE_CHECKING:  # the services' modules load SQLAlchemy: not before the window is up
    from ..core.services.dto import Completed
    from ..core.services.history import HistoryService, HistoryStatus, Replayed
    from ..core.services.items import ItemService

log = logging.getLogger(__name__)

Item = TaskDTO | GoalDTO | StepDTO | SlotDTO
T = TypeVar("T")

#: The editable fields of each kind, read from its DTO (an edit that changes none of
#: them is not made, so it is not an action in the history).
EDITABLE_FIELDS: dict[Kind, Callable[[Any], dict[str, object]]] = {
    Kind.TASK: lambda t: {"title": t.title, "project": t.project, "goal": t.goal_id,
                          "complexity": t.complexity, "due": t.due_label, "repeat": t.repeat,
                          "notes": t.notes, "repeat_after": t.repeat_after,
                          "set_tags": list(t.tags), "hide_until": t.hidden_until},
    Kind.GOAL: lambda g: {"title": g.title, "project": g.project, "target": g.target,
                          "notes": g.notes},
    Kind.STEP: lambda s: {"title": s.title, "position": s.position},
    Kind.SLOT: lambda s: {"title": s.title, "start": s.start, "end": s.end,
                          "task": s.task_id, "goal": s.goal_id},
}

#: The profile settings the window edits, read from a ProfileDTO in the form
#: ``profiles.update`` accepts (only those that differ are written).
PROFILE_FIELDS: dict[str, Callable[[ProfileDTO], object]] = {
    "timezone": lambda p: p.timezone, "day_start_hour": lambda p: p.day_start_hour,
    "daily_target": lambda p: p.daily_target, "days_off": lambda p: ",".join(p.days_off),
    "name": lambda p: p.name, "game_mode": lambda p: p.game_mode,
}


def changed_fields(kind: Kind, before: Any, wanted: Mapping[str, object]) -> dict[str, object]:
    """The subset of ``wanted`` that differs from ``before`` (a no-op edit is skipped)."""
    current = EDITABLE_FIELDS[kind](before)
    return {name: value for name, value in wanted.items() if current.get(name) != value}


class HistoryEntry:
    """The window's handle on one entry of the core's undo history (toasts compare these
    by identity: one object per entry id, see :meth:`HistoryStack.handle`)."""

    def __init__(self, entry_id: int) -> None:
        self.entry_id = entry_id

    def __repr__(self) -> str:
        return f"HistoryEntry({self.entry_id})"


class HistoryStack(QObject):
    """The window's Undo/Redo over the core's persistent history (SPEC v2 §9).

    The history lives in the database (:mod:`momentum_app.core.services.history`), so a
    change made by ``momentum`` on the command line is undone by Ctrl+Z here and the
    other way round. This object only mirrors its state for the menu (texts, enabled) and
    keeps a QUndoStack-like surface (``undo``, ``redo``, ``undoText``, ``count``,
    ``index``) for the actions and tests."""

    changed = Signal()

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self._controller = controller
        self._handles: dict[int, HistoryEntry] = {}
        self._status: HistoryStatus | None = None
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):  # back in the window: the CLI may have acted
            app.applicationStateChanged.connect(self._on_application_state)

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.refresh()

    @property
    def _history(self) -> HistoryService:
        return self._controller.momentum.history

    def handle(self, entry_id: int | None) -> HistoryEntry | None:
        if entry_id is None:
            return None
        return self._handles.setdefault(entry_id, HistoryEntry(entry_id))

    def status(self) -> HistoryStatus:
        if self._status is None:
            self._status = self._history.status()
        return self._status

    def refresh(self, status: HistoryStatus | None = None) -> None:
        """Read the history again (after a change here, or one made elsewhere); an op
        hands over the ``status`` it read on the worker, so the menu costs no read here."""
        self._status = status
        self.changed.emit()

    def undo(self) -> None:
        self._controller.undo()

    def redo(self) -> None:
        self._controller.redo()

    def undoText(self) -> str:  # noqa: N802 (the QUndoStack name)
        return self.status().undo or ""

    def redoText(self) -> str:  # noqa: N802
        return self.status().redo or ""

    def canUndo(self) -> bool:  # noqa: N802
        return self.status().undo is not None

    def canRedo(self) -> bool:  # noqa: N802
        return self.status().redo is not None

    def count(self) -> int:
        status = self.status()
        return status.done + status.undone

    def index(self) -> int:
        return self.status().done

    def setIndex(self, index: int) -> None:  # noqa: N802
        """Undo or redo until ``index`` actions are done."""
        while self.index() > index and self.canUndo():
            if not self._controller.undo():
                break
        while self.index() < index and self.canRedo():
            if not self._controller.redo():
                break

    def clear(self) -> None:
        self._history.clear()
        self.refresh()

    def _action(self, parent: QObject, prefix: str, undo: bool) -> QAction:
        action = QAction(prefix, parent)

        def update() -> None:
            label = self.undoText() if undo else self.redoText()
            action.setEnabled(bool(label))
            action.setText(f"{prefix} {label}" if label else prefix)

        action.triggered.connect(self.undo if undo else self.redo)
        self.changed.connect(update)
        update()
        return action

    def createUndoAction(self, parent: QObject, prefix: str = "&Undo") -> QAction:  # noqa: N802
        return self._action(parent, prefix, True)

    def createRedoAction(self, parent: QObject, prefix: str = "&Redo") -> QAction:  # noqa: N802
        return self._action(parent, prefix, False)


class Controller(QObject):
    """Performs every change the window makes; Undo/Redo go to the core's history."""

    failed = Signal(str)  # a user-facing message when an undo or redo cannot be applied
    replayed = Signal(str)  # what an undo or redo did: "Undid: Import todotxt: 2 tasks"

    def __init__(self, momentum: Momentum, changes: Changes, parent: QObject | None = None,
                 *, worker: SerialWorker | None = None) -> None:
        super().__init__(parent)
        self.momentum = momentum
        self.changes = changes
        #: Runs every change on the op thread, one at a time (``worker``: the op thread,
        #: by default one of its own, apart from the window's background reads and syncs).
        self.ops = OpRunner(self, worker=worker)
        self.ops.failed.connect(self.failed)
        self.undo_stack = HistoryStack(self)
        self._initiator: object | None = None
        from .reward_actions import RewardActions  # noqa: PLC0415 (it imports this module)

        self.rewards = RewardActions(self)

    # -- plumbing ------------------------------------------------------------------------

    @contextmanager
    def initiated_by(self, view: object) -> Iterator[None]:
        """Changes made inside are marked as ``view``'s (``Change.caused_by(view)``), so
        it can skip the reload of what it already shows."""
        before, self._initiator = self._initiator, view
        try:
            yield
        finally:
            self._initiator = before

    def _op(self, label: str, action: Callable[[], T],
            then: Callable[[T, HistoryStatus], object] | None = None) -> T:
        """Run ``action`` as an op on the op thread, with the history's state after it
        (for the Undo/Redo menu) read there too; ``then(result, status)`` runs on the UI
        thread as the answer arrives. The result."""
        history = self.momentum.history

        def run() -> tuple[T, HistoryStatus]:
            result = action()
            return result, history.status()
        answer = self.ops.run(Op(label, run), None if then is None else
                              lambda done: then(*done))
        return answer[0]

    def _do(self, action: Callable[[], T], label: str = "Saving the change", *,
            item: ItemRef | None = None, announce: bool | Callable[[T], bool] = False
            ) -> T:
        """Run one service call through the core's one door (``history.perform``) on the
        op thread; as its answer arrives, publish the core's typed record of what it
        changed (:meth:`publish`). ``announce``: whether the toast centre summarises it
        (or a test of the call's result). The call's result."""
        initiator = self._initiator
        history = self.momentum.history

        def publish(done: OpChangesWith[T], status: HistoryStatus) -> None:
            loud = announce(done.result) if callable(announce) else announce
            self.publish(done.record, item=item, announce=loud, status=status)

        return self._op(label, lambda: history.perform(action, initiator), publish).result

    def publish(self, record: OpChanges, *, item: ItemRef | None = None,
                announce: bool = False, status: HistoryStatus | None = None) -> None:
        """The one path to the change signal: scopes, outcome and initiator are the
        core's record's; the window adds the item a toast names, whether to announce
        it, and the history handle of the entry (a toast's Undo). ``status``: the
        history's state read with the op (None: read it again)."""
        self.undo_stack.refresh(status)
        self.changes.publish(Change.of(record, item=item, announce=announce,
                                       command=self.undo_stack.handle(record.entry_id)))

    def undo_command(self, command: object) -> bool:
        """Undo ``command`` if it is the latest change (what Ctrl+Z would undo now)."""
        if isinstance(command, HistoryEntry) and (
                self.momentum.history.status().undo_id == command.entry_id):
            return self.undo()
        return False

    def undo(self) -> bool:
        return self._replay(self.momentum.history.undo, "undo")

    def redo(self) -> bool:
        return self._replay(self.momentum.history.redo, "redo")

    def _replay(self, step: Callable[[], Replayed], verb: str) -> bool:
        """Undo or redo through the core, on the worker; a refusal is reported, never
        raised into Qt."""
        initiator = self._initiator

        def publish(done: Replayed, status: HistoryStatus) -> None:
            outcome = done.changes.outcome
            announce = verb == "redo" and outcome is not None and outcome.points_awarded > 0
            self.undo_stack.refresh(status)
            record = done.changes.with_(initiator=initiator)  # the core's, for undo too
            self.changes.publish(Change.of(record, announce=announce,
                                           command=self.undo_stack.handle(done.entry_id),
                                           undone=verb == "undo"))
            self.replayed.emit(f"{'Undid' if verb == 'undo' else 'Redid'}: {done.label}")
        try:
            self._op(verb.capitalize(), step, publish)
        except ValidationError as exc:
            self.undo_stack.refresh()
            log.info("%s refused: %s", verb, exc)
            if exc.field:  # an OpFailed was shown already
                self.failed.emit(f"Could not {verb}: {exc.message}")
            return False
        return True

    def _items(self) -> ItemService:
        return self.momentum.items

    def _editor(self, kind: Kind) -> Callable[..., Item]:
        items = self._items()
        editors: dict[Kind, Callable[..., Item]] = {
            Kind.TASK: items.edit_task, Kind.GOAL: items.edit_goal,
            Kind.STEP: items.edit_step, Kind.SLOT: items.edit_slot}
        return editors[kind]

    # -- items ---------------------------------------------------------------------------

    def get(self, ref: ItemRef) -> Item:
        item: Item = self._items().get(ref.kind, ref.id)
        return item

    def add_task(self, title: str, **fields: Any) -> TaskDTO:
        return self._do(lambda: self._items().add_task(title, **fields))

    def quick_add(self, text: str, *, keep: list[str] | None = None,
                  project: str | None = None, default_due: date | None = None) -> TaskDTO:
        """Quick add (SPEC §12): the core's parser reads the line; undo deletes the task
        (and the project it made). ``project`` and ``default_due`` apply when the line
        names none (the Tasks view's project filter, the Today view's today)."""
        task, _created = self._do(lambda: self.momentum.planning.quick_add(
            text, keep=keep or (), project=project, default_due=default_due))
        return task

    def add_goal(self, title: str, **fields: Any) -> GoalDTO:
        return self._do(lambda: self._items().add_goal(title, **fields))

    def add_step(self, goal_id: int, title: str) -> StepDTO:
        return self._do(lambda: self._items().add_step(goal_id, title))

    def add_slot(self, title: str, start: datetime, end: datetime, **fields: Any) -> SlotDTO:
        return self._do(lambda: self._items().add_slot(title, start, end, **fields))

    def edit(self, ref: ItemRef, **wanted: object) -> Item:
        """Change some fields (only those that differ); undo edits them back."""
        before = self.get(ref)
        fields = changed_fields(ref.kind, before, wanted)
        if not fields:
            return before
        return self._do(lambda: self._editor(ref.kind)(ref.id, **fields), item=ref)

    def delete(self, ref: ItemRef) -> Item:
        return self._do(lambda: self._items().delete(ref.kind, ref.id), "Deleting it",
                        item=ref)

    def complete(self, ref: ItemRef, at: datetime | None = None) -> Completed:
        """Mark done (``at`` backdates it); undo reopens, which reverses the points exactly
        (and takes back the next occurrence a repeating task spawned)."""
        return self._do(lambda: self._items().complete(ref.kind, ref.id, at=at),
                        "Marking it done", item=ref, announce=True)

    def reopen(self, ref: ItemRef) -> Completed:
        return self._do(lambda: self._items().reopen(ref.kind, ref.id), "Reopening it",
                        item=ref)

    def toggle_done(self, ref: ItemRef) -> Completed:
        """Done if open, open if done — decided in the same op on the worker that makes
        the change, so two quick toggles apply in order (the second sees the first's
        result; a read op ahead of the change could be overtaken by the next toggle)."""
        items = self._items()

        def toggle() -> Completed:
            if items.get(ref.kind, ref.id).status == Status.DONE:
                return items.reopen(ref.kind, ref.id)
            return items.complete(ref.kind, ref.id)
        return self._do(toggle, "Saving the change", item=ref,
                        announce=lambda done: done.item.status == Status.DONE)

    def snooze(self, reminder_id: int, duration: str) -> object:
        """Snooze a reminder (the notification's buttons); undo sets it back."""
        return self._do(lambda: self.momentum.planning.snooze(reminder_id, duration))

    # -- projects ------------------------------------------------------------------------

    def add_project(self, name: str) -> ProjectDTO:
        return self._do(lambda: self.momentum.projects.add(name))

    def delete_project(self, name: str) -> ProjectDTO:
        return self._do(lambda: self.momentum.projects.delete(name))

    def set_goals_enabled(self, name: str, enabled: bool) -> ProjectDTO:
        return self._do(lambda: self.momentum.projects.set_goals_enabled(name, enabled))

    # -- profile -------------------------------------------------------------------------

    def switch_profile(self, name: str) -> None:
        """Act as another profile; Undo/Redo now show that profile's history. Every
        screen shows another profile's data now (not an action of the history: the
        record says everything moved)."""
        initiator = self._initiator

        def publish(_switched: object, status: HistoryStatus) -> None:
            self.publish(OpChanges(Scope.EVERYTHING, initiator=initiator), status=status)
        self._op("Switching profile", lambda: self.momentum.switch_profile(name), publish)

    def add_profile(self, name: str, timezone: str | None = None) -> ProfileDTO:
        """A new profile; undo removes it again while it is still empty."""
        return self._do(lambda: self.momentum.profiles.add(name, timezone=timezone))

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
        return self._do(lambda: profiles.update(**fields))  # type: ignore[arg-type]

    def add_vacation(self, start: date, end: date) -> VacationDTO:
        return self._do(lambda: self.momentum.profiles.add_vacation(
            start.isoformat(), end.isoformat()))

    def delete_vacation(self, vacation_id: int) -> None:
        self._do(lambda: self.momentum.profiles.delete_vacation(vacation_id))

    # -- custom events and achievements --------------------------------------------------

    def add_event_type(self, name: str, points: object) -> EventTypeDTO:
        """A custom event type; undo removes it while nothing was logged with it."""
        return self._do(lambda: self.momentum.events.add_type(name, points))

    def log_event(self, name: str) -> Outcome:
        """Log one custom event now (Settings' "Log now"); undo takes it back."""
        return self._do(lambda: self.momentum.events.process_event(name), announce=True)

    def add_custom_achievement(self, **fields: Any) -> CustomAchievementDTO:
        """A custom achievement (level 7+; the core refuses below it)."""
        return self._do(lambda: self.momentum.events.add_custom_achievement(**fields))
