"""The one change signal: every mutation is announced once, and every view listens.

A :class:`Change` says which parts of the data moved (``scopes``), carries the engine's
outcome when there is one, and whether it deserves a toast. Views look at the scopes to
decide whether what they show is stale.

The scopes of a change made through the controller come from the core's typed record
(:class:`~momentum_app.core.services.changes.OpChanges`, built from what the action
recorded in the undo history) via :meth:`Change.of`; ``initiator`` is the view that asked
for it, so that view can skip the reload it already did itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

from ..core.catalog import Kind
from ..core.engine.outcome import Outcome
from ..core.services.changes import OpChanges, Scope

#: Scope names a Change can carry. SETTINGS: custom event types and other definitions.
TASKS, GOALS, SLOTS, PROJECTS, PROGRESS, PROFILE, SETTINGS = (
    "tasks", "goals", "slots", "projects", "progress", "profile", "settings")
#: The reward shop: rewards and purchases (coins move with them).
REWARDS = "rewards"
EVERYTHING = frozenset({TASKS, GOALS, SLOTS, PROJECTS, PROGRESS, PROFILE, SETTINGS, REWARDS})
SCOPE_OF_KIND: dict[Kind, str] = {Kind.TASK: TASKS, Kind.STEP: GOALS, Kind.GOAL: GOALS,
                                  Kind.SLOT: SLOTS}
#: The window's scope names of the core's :class:`Scope` flags.
NAME_OF_SCOPE: dict[Scope, str] = {
    Scope.TASKS: TASKS, Scope.GOALS: GOALS, Scope.SLOTS: SLOTS, Scope.PROJECTS: PROJECTS,
    Scope.PROGRESS: PROGRESS, Scope.PROFILE: PROFILE, Scope.SETTINGS: SETTINGS,
    Scope.REWARDS: REWARDS}


def scope_names(scopes: Scope) -> frozenset[str]:
    return frozenset(name for flag, name in NAME_OF_SCOPE.items() if flag in scopes)


class ItemRef(NamedTuple):
    """Which item: its kind and id (selections and commands pass these around)."""

    kind: Kind
    id: int


@dataclass(frozen=True)
class Change:
    scopes: frozenset[str]
    outcome: Outcome | None = None
    item: ItemRef | None = None
    #: True for a fresh completion (or its redo): the toast centre summarises it.
    announce: bool = False
    #: The undo-stack command that made this change (None for changes that are not
    #: undoable), compared by identity: a toast's Undo and its withdrawal use it.
    command: object | None = field(default=None, compare=False)
    #: True when the change is the undo of ``command``.
    undone: bool = False
    #: Who asked for the change (a view; compared by identity), None when unknown.
    initiator: object | None = field(default=None, compare=False)
    #: The core's typed record of the change, when it came through the controller.
    record: OpChanges | None = field(default=None, compare=False)

    def touches(self, *scopes: str) -> bool:
        return not self.scopes.isdisjoint(scopes)

    @classmethod
    def everything(cls) -> Change:
        return cls(EVERYTHING)

    @classmethod
    def of(cls, record: OpChanges, *, item: ItemRef | None = None, announce: bool = False,
           command: object | None = None, undone: bool = False) -> Change:
        """The window's change for the core's record (an outcome also moves progress)."""
        scopes = record.scopes | (Scope.PROGRESS if record.outcome is not None else Scope.NONE)
        return cls(scope_names(scopes), record.outcome, item, announce, command, undone,
                   record.initiator, record)

    def caused_by(self, view: object) -> bool:
        """Did ``view`` ask for this change (so it already shows its result)?"""
        return self.initiator is not None and self.initiator is view


def change_for(ref: ItemRef, outcome: Outcome | None = None, *, announce: bool = False
               ) -> Change:
    """The change made by an action on one item (a completion also moves the progress)."""
    scopes = {SCOPE_OF_KIND[ref.kind]}
    if ref.kind is Kind.SLOT or ref.kind is Kind.GOAL:
        scopes.add(TASKS)  # the Today view lists slots next to tasks
    if outcome is not None:
        scopes.add(PROGRESS)
        if ref.kind is Kind.TASK:
            scopes.add(TASKS)  # a repeating task spawns its next occurrence
    return Change(frozenset(scopes), outcome, ref, announce)


class Changes(QObject):
    """The app-wide broadcast. ``changed`` is emitted exactly once per mutation."""

    changed = Signal(object)  # Change

    def publish(self, change: Change) -> None:
        self.changed.emit(change)
