"""The one change signal: every mutation is announced once, and every view listens.

A :class:`Change` says which parts of the data moved (``scopes``), carries the engine's
outcome when there is one, and whether it deserves a toast. Views look at the scopes to
decide whether what they show is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

from ..core.catalog import Kind
from ..core.engine.outcome import Outcome

#: Scope names a Change can carry. SETTINGS: custom event types and other definitions.
TASKS, GOALS, SLOTS, PROJECTS, PROGRESS, PROFILE, SETTINGS = (
    "tasks", "goals", "slots", "projects", "progress", "profile", "settings")
#: The reward shop: rewards and purchases (coins move with them).
REWARDS = "rewards"
EVERYTHING = frozenset({TASKS, GOALS, SLOTS, PROJECTS, PROGRESS, PROFILE, SETTINGS, REWARDS})
SCOPE_OF_KIND: dict[Kind, str] = {Kind.TASK: TASKS, Kind.STEP: GOALS, Kind.GOAL: GOALS,
                                  Kind.SLOT: SLOTS}


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

    def touches(self, *scopes: str) -> bool:
        return not self.scopes.isdisjoint(scopes)

    @classmethod
    def everything(cls) -> Change:
        return cls(EVERYTHING)


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
