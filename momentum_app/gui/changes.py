"""The one change signal: every mutation is announced once, and every view listens.

A :class:`Change` is the window's envelope around the core's typed record
(:class:`~momentum_app.core.services.changes.OpChanges`, returned by
``history.perform`` — the one door of every action — or by an undo/redo): its
``scopes`` (an ``enum.Flag``, :class:`Scope`) and ``outcome`` come from that record
only, never from a guess here. The envelope adds what only the window knows: the item
the toast names, whether the change deserves a toast, the history handle a toast's Undo
uses, and the ``initiator`` (the view that asked), so that view can skip the reload it
already did itself (:meth:`Change.caused_by`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

from ..core.catalog import Kind
from ..core.engine.outcome import Outcome
from ..core.services.changes import OpChanges, Scope

#: The scopes a view may show (the core's flags; SETTINGS: custom event types and
#: other definitions; REWARDS: the reward shop, with the coins).
TASKS, GOALS, SLOTS, PROJECTS, PROGRESS, PROFILE, SETTINGS, REWARDS = (
    Scope.TASKS, Scope.GOALS, Scope.SLOTS, Scope.PROJECTS, Scope.PROGRESS, Scope.PROFILE,
    Scope.SETTINGS, Scope.REWARDS)
EVERYTHING = Scope.EVERYTHING


class ItemRef(NamedTuple):
    """Which item: its kind and id (selections and commands pass these around)."""

    kind: Kind
    id: int


@dataclass(frozen=True)
class Change:
    scopes: Scope
    outcome: Outcome | None = None
    item: ItemRef | None = None
    #: True for a fresh completion (or its redo): the toast centre summarises it.
    announce: bool = False
    #: The history handle of the entry that made this change (None for changes that are
    #: not undoable), compared by identity: a toast's Undo and its withdrawal use it.
    command: object | None = field(default=None, compare=False)
    #: True when the change is the undo of ``command``.
    undone: bool = False
    #: Who asked for the change (a view; compared by identity), None when unknown.
    initiator: object | None = field(default=None, compare=False)
    #: The core's typed record of the change (None: a change made outside, re-read).
    record: OpChanges | None = field(default=None, compare=False)

    def touches(self, *scopes: Scope) -> bool:
        return any(self.scopes & scope for scope in scopes)

    @classmethod
    def everything(cls) -> Change:
        return cls(EVERYTHING)

    @classmethod
    def of(cls, record: OpChanges, *, item: ItemRef | None = None, announce: bool = False,
           command: object | None = None, undone: bool = False) -> Change:
        """The window's change for the core's record: its scopes, outcome and
        initiator are the record's."""
        return cls(record.scopes, record.outcome, item, announce, command, undone,
                   record.initiator, record)

    def caused_by(self, view: object) -> bool:
        """Did ``view`` ask for this change (so it already shows its result)?"""
        return self.initiator is not None and self.initiator is view


class Changes(QObject):
    """The app-wide broadcast. ``changed`` is emitted exactly once per mutation."""

    changed = Signal(object)  # Change

    def publish(self, change: Change) -> None:
        self.changed.emit(change)
