"""The outcome of one event (SPEC §8): what it credited, unlocked and changed.

Frozen and JSON-able: it is stored with the event (a replay of the same key returns it)
and the window turns it into toasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LedgerLine:
    type: str  # "credit" | "debit"
    points: int
    reason: str
    source: str


@dataclass(frozen=True)
class UnlockedAchievement:
    id: str
    name: str
    points: int


@dataclass(frozen=True)
class ReachedMilestone:
    source: str
    scope: str
    kind: str
    project: str | None
    threshold: int
    points: int
    muted: bool  # the project's goals are disabled: no card, no toast


@dataclass(frozen=True)
class StreakState:
    type: str
    current: int
    longest: int
    last_activity_date: str | None


@dataclass(frozen=True)
class Outcome:
    event_id: int
    key: str
    event_type: str
    points_awarded: int
    credits: tuple[LedgerLine, ...]
    debits: tuple[LedgerLine, ...]
    achievements: tuple[UnlockedAchievement, ...]
    milestones: tuple[ReachedMilestone, ...]
    level_up: dict[str, Any] | None
    level: int
    total_points: int
    streaks: tuple[StreakState, ...]
    replayed: bool = False
    affected: dict[str, list[int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        # What dataclasses.asdict gives, field by field (asdict's generic deep copy was
        # most of the cost of storing an outcome: 1 ms each, in a 4k-completion import).
        data = dict(vars(self))
        for name in ("credits", "debits", "achievements", "milestones", "streaks"):
            data[name] = [dict(vars(item)) for item in data[name]]
        data["level_up"] = None if self.level_up is None else dict(self.level_up)
        data["affected"] = {key: list(ids) for key, ids in self.affected.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], *, replayed: bool = False) -> Outcome:
        return cls(
            event_id=data["event_id"], key=data["key"], event_type=data["event_type"],
            points_awarded=data["points_awarded"],
            credits=tuple(LedgerLine(**x) for x in data["credits"]),
            debits=tuple(LedgerLine(**x) for x in data["debits"]),
            achievements=tuple(UnlockedAchievement(**x) for x in data["achievements"]),
            milestones=tuple(ReachedMilestone(**x) for x in data["milestones"]),
            level_up=data["level_up"], level=data["level"], total_points=data["total_points"],
            streaks=tuple(StreakState(**x) for x in data["streaks"]),
            replayed=replayed, affected=data.get("affected", {}),
        )
