"""The outcome of one event (SPEC §8): what it credited, unlocked and changed.

Frozen and JSON-able: it is stored with the event (a replay of the same key returns it)
and the window turns it into toasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LedgerLine:
    type: str  # an EntryType: "credit" | "debit"
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
    #: SPEC v2 §4, ``daily_activity`` only (None on the other types): the streak freezes
    #: held and the days a freeze bridged (ISO dates, oldest first).
    freezes: int | None = None
    frozen_days: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FreezeChange:
    """What one event did to the streak freezes: ``earned`` (at a 7th qualifying day),
    ``used`` (the days it bridged), ``returned`` (frozen days that no longer are: a
    backdated completion on one, or a gap that no longer fits), and ``held`` after it."""

    held: int = 0
    earned: int = 0
    used: tuple[str, ...] = ()
    returned: tuple[str, ...] = ()


@dataclass(frozen=True)
class LevelUp:
    """The level an event reached (SPEC §5): ``previous`` → ``to``, and the new title.
    Its JSON keeps SPEC §8's keys: ``{"from", "to", "title"}``."""

    previous: int
    to: int
    title: str

    def to_json(self) -> dict[str, Any]:
        return {"from": self.previous, "to": self.to, "title": self.title}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LevelUp:
        return cls(int(data["from"]), int(data["to"]), str(data["title"]))


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
    level_up: LevelUp | None
    level: int
    total_points: int
    streaks: tuple[StreakState, ...]
    replayed: bool = False
    affected: dict[str, list[int]] = field(default_factory=dict)
    freezes: FreezeChange = field(default_factory=FreezeChange)

    def to_json(self) -> dict[str, Any]:
        # What dataclasses.asdict gives, field by field (asdict's generic deep copy was
        # most of the cost of storing an outcome: 1 ms each, in a 4k-completion import).
        data = dict(vars(self))
        for name in ("credits", "debits", "achievements", "milestones", "streaks"):
            data[name] = [dict(vars(item)) for item in data[name]]
        data["level_up"] = None if self.level_up is None else self.level_up.to_json()
        data["affected"] = {key: list(ids) for key, ids in self.affected.items()}
        for streak in data["streaks"]:
            if streak["frozen_days"] is not None:
                streak["frozen_days"] = list(streak["frozen_days"])
        change = self.freezes
        data["freezes"] = {"held": change.held, "earned": change.earned,
                           "used": list(change.used), "returned": list(change.returned)}
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
            level_up=None if data["level_up"] is None else LevelUp.from_json(data["level_up"]),
            level=data["level"], total_points=data["total_points"],
            streaks=tuple(StreakState(**{**x, "frozen_days": None if x.get("frozen_days") is None
                                         else tuple(x["frozen_days"])})
                          for x in data["streaks"]),
            replayed=replayed, affected=data.get("affected", {}),
            freezes=_freeze_change(data.get("freezes", {})),
        )


def _freeze_change(data: dict[str, Any]) -> FreezeChange:
    """A stored outcome's freezes (JSON lists back to tuples; absent fields keep their
    defaults, as in an outcome stored before freezes were recorded)."""
    return FreezeChange(held=data.get("held", 0), earned=data.get("earned", 0),
                        used=tuple(data.get("used", ())),
                        returned=tuple(data.get("returned", ())))
