"""The typed change record (issue 15): what one action changed, as the core knows it.

Like Anki's ``OpChanges``, but derived from what the action *recorded* in the undo
history (:mod:`.history`), so it can never disagree with what undo would take back:
each inverse operation names the table and row it sets back, or the item it reopens,
and that says which part of the data moved.

* :class:`Scope` — an ``enum.Flag`` of the parts a screen may show (tasks, goals, slots,
  projects, progress, profile, settings, rewards).
* :class:`OpChanges` — the scopes, the rows touched (``(table, id)`` pairs), the
  initiator (whoever asked: a view in the window, ``None`` for the command line), the
  engine's outcome when there is one, and the history entry the action made.
* :class:`OpChangesWith` — what :meth:`.history.HistoryService.perform` (the one door
  of every action, for the window and the command line alike) returns: the record and
  the action's own typed result (a ``Completed``, a ``TaskDTO``, …) on it, as Anki's
  ``OpChangesWithId``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from ..catalog import Kind
from ..engine.outcome import Outcome

T = TypeVar("T")


class Scope(enum.Flag):
    NONE = 0
    TASKS = enum.auto()
    GOALS = enum.auto()
    SLOTS = enum.auto()
    PROJECTS = enum.auto()
    PROGRESS = enum.auto()
    PROFILE = enum.auto()
    #: Definitions: custom event types and achievements.
    SETTINGS = enum.auto()
    REWARDS = enum.auto()
    EVERYTHING = TASKS | GOALS | SLOTS | PROJECTS | PROGRESS | PROFILE | SETTINGS | REWARDS


#: What an import may change (a file's worth of rows: its history entry names only some
#: of them, so the record says everything may have moved).
IMPORTED = Scope.EVERYTHING
#: Which scope a row of each table belongs to (a slot or goal is also listed on Today).
SCOPE_OF_TABLE: dict[str, Scope] = {
    "tasks": Scope.TASKS, "goals": Scope.GOALS | Scope.TASKS, "goal_steps": Scope.GOALS,
    "time_slots": Scope.SLOTS | Scope.TASKS, "projects": Scope.PROJECTS | Scope.TASKS,
    "profiles": Scope.EVERYTHING, "vacations": Scope.PROFILE | Scope.PROGRESS,
    "rewards": Scope.REWARDS | Scope.PROFILE, "event_types": Scope.SETTINGS,
    "custom_achievements": Scope.SETTINGS | Scope.PROGRESS, "reminders": Scope.TASKS,
}
TABLE_OF_KIND: dict[Kind, str] = {Kind.TASK: "tasks", Kind.GOAL: "goals",
                                  Kind.STEP: "goal_steps", Kind.SLOT: "time_slots"}
#: The scopes of an operation that is not a ``columns`` one (which names its table).
_SCOPE_OF_OP: dict[str, Scope] = {
    "complete": Scope.PROGRESS, "reopen": Scope.PROGRESS,
    "buy": Scope.REWARDS | Scope.PROFILE, "refund": Scope.REWARDS | Scope.PROFILE,
    "log_event": Scope.PROGRESS, "reverse_event": Scope.PROGRESS,
    "add_custom_achievement": Scope.SETTINGS | Scope.PROGRESS,
    "drop_custom_achievement": Scope.SETTINGS | Scope.PROGRESS,
}


@dataclass(frozen=True)
class OpChanges:
    """What one action (or its undo, or its redo) changed."""

    scopes: Scope = Scope.NONE
    #: The rows touched, as ``(table, id)``.
    touched: frozenset[tuple[str, int]] = frozenset()
    #: Who asked for it (compared by identity): a view in the window, None elsewhere.
    initiator: object | None = field(default=None, compare=False)
    outcome: Outcome | None = None
    #: The undo-history entry the action made or replayed.
    entry_id: int | None = None

    def touches(self, scopes: Scope) -> bool:
        return bool(self.scopes & scopes)

    def ids(self, table: str) -> frozenset[int]:
        return frozenset(row for name, row in self.touched if name == table)

    def with_(self, **fields: Any) -> OpChanges:
        return replace(self, **fields)

    @classmethod
    def everything(cls) -> OpChanges:
        return cls(Scope.EVERYTHING)


@dataclass(frozen=True, kw_only=True)
class OpChangesWith(OpChanges, Generic[T]):
    """The record of one action together with what the action returned."""

    result: T

    @property
    def record(self) -> OpChanges:
        """The record alone (what the window's change signal carries)."""
        return OpChanges(self.scopes, self.touched, self.initiator, self.outcome,
                         self.entry_id)


def outcome_of(result: object) -> Outcome | None:
    """The engine's outcome an action returned: itself, or its ``outcome`` (a
    ``Completed``), or none."""
    if isinstance(result, Outcome):
        return result
    found = getattr(result, "outcome", None)
    return found if isinstance(found, Outcome) else None


def of_ops(ops: Iterable[Mapping[str, Any]]) -> tuple[Scope, frozenset[tuple[str, int]]]:
    """The scopes and rows that a list of history operations (their JSON) set back."""
    scopes, touched = Scope.NONE, set()
    for op in ops:
        name, args = op.get("op"), op.get("args") or {}
        if name == "columns":
            table = str(args.get("table"))
            scopes |= SCOPE_OF_TABLE.get(table, Scope.EVERYTHING)
            touched.add((table, int(args["id"])))
            continue
        scopes |= _SCOPE_OF_OP.get(str(name), Scope.EVERYTHING)
        if name in ("complete", "reopen"):
            table = TABLE_OF_KIND[Kind(args["kind"])]
            scopes |= SCOPE_OF_TABLE[table]
            touched.add((table, int(args["id"])))
            if args.get("spawned"):
                touched.add(("tasks", int(args["spawned"])))
    return scopes, frozenset(touched)
