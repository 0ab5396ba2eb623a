"""Typed, frozen answers of the read API (SPEC §7; issue 15): what :mod:`.reads` returns.

Every read hands out one of these instead of a ``dict``: the window reads attributes
(``progress.level.number``, ``entry.points``) that mypy checks, and the command line's
``--json`` is each value's :meth:`to_json`, which keeps SPEC §7's keys, order and
values byte for byte (``tests/cli/test_cli_json_golden.py`` compares them with the
outputs captured before the reads were typed). Where SPEC's key is not a good Python
name the field is renamed and ``to_json`` maps it back: ``StatsDTO.start``/``end`` are
``from``/``to``; a stats day's ``day`` is ``date``; a level-up's ``previous`` is ``from``.

Pieces the engine already types are reused as they are: a streak is the engine's
:class:`~momentum_app.core.engine.outcome.StreakState`, a level's standing its
:class:`~momentum_app.core.engine.rules.LevelProgress`, a stats day
:class:`~momentum_app.core.stats.DayRow` and the totals
:class:`~momentum_app.core.stats.StatsTotals`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..engine.outcome import StreakState
from ..engine.rules import LevelProgress, MilestoneCard
from ..stats import DayRow, StatsTotals
from .dto import JsonMixin
from .freezes import DAILY_ACTIVITY, Freezes, freezes_of


@dataclass(frozen=True)
class HistoryStatus:
    """What Undo and Redo would do now (``None``: nothing); ``services.history``'s."""

    undo: str | None
    redo: str | None
    undo_id: int | None
    redo_id: int | None
    #: How many actions are on each side.
    done: int
    undone: int

    def to_json(self) -> dict[str, Any]:
        return {"undo": self.undo, "redo": self.redo, "done": self.done,
                "undone": self.undone}


@dataclass(frozen=True)
class ProgressDTO(JsonMixin):
    """``momentum progress``: points, coins, the level's standing and every streak."""

    total_points: int
    coins: int
    weekly_points: int
    monthly_points: int
    today_points: int
    level: LevelProgress
    streaks: tuple[StreakState, ...]

    def streak(self, kind: str = DAILY_ACTIVITY) -> StreakState | None:
        """The streak of type ``kind`` (``daily_activity`` by default), if it is kept."""
        return next((s for s in self.streaks if s.type == kind), None)

    @property
    def current_streak(self) -> int:
        """The daily-activity streak's current length (0 when there is none)."""
        activity = self.streak()
        return activity.current if activity else 0

    @property
    def freezes(self) -> Freezes:
        """The streak freezes held and the days they bridged (SPEC v2 §4)."""
        return freezes_of(self.streaks)


@dataclass(frozen=True)
class LeaderboardRow(JsonMixin):
    rank: int
    profile: str
    points: int
    level: int


@dataclass(frozen=True)
class BestWeek(JsonMixin):
    """One ISO week (``2026-W03``) and the points earned in it."""

    week: str
    points: int


@dataclass(frozen=True)
class AchievementDTO(JsonMixin):
    """A built-in or custom achievement, with the progress towards it."""

    id: str
    name: str
    category: str
    points: int
    progress: int
    target: int
    completed: bool
    completed_at: datetime | None
    description: str
    icon: str


@dataclass(frozen=True)
class StatsDTO:
    """``momentum stats``: one row per activity day from ``start`` to ``end``."""

    start: date
    end: date
    days: tuple[DayRow, ...]
    totals: StatsTotals
    #: The day with the most points (then completions); None when nothing happened.
    best_day: DayRow | None

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(),
                "days": [day.to_json() for day in self.days], "totals": self.totals.to_json(),
                "best_day": self.best_day.to_json() if self.best_day else None}


@dataclass(frozen=True)
class LevelDTO(JsonMixin):
    """A row of the level table."""

    number: int
    title: str
    points_required: int
    perk: str | None


@dataclass(frozen=True)
class MilestoneCardDTO(MilestoneCard):
    """A next-milestone card (SPEC §6): the engine's card, and on a project's card whether
    its goals are on."""

    #: Only on a project's card (a global card has no such key in its JSON).
    goals_enabled: bool | None = None

    @classmethod
    def of(cls, card: MilestoneCard, goals_enabled: bool | None = None) -> MilestoneCardDTO:
        return cls(**vars(card), goals_enabled=goals_enabled)

    def to_json(self) -> dict[str, Any]:
        data = dict(vars(self))
        if self.goals_enabled is None:
            del data["goals_enabled"]
        return data


@dataclass(frozen=True)
class MilestoneGrantDTO(JsonMixin):
    """A milestone reached (its points granted once)."""

    source: str
    threshold: int
    points: int
    project: str | None
    kind: str
    granted_at: datetime


@dataclass(frozen=True)
class MilestonesDTO:
    cards: tuple[MilestoneCardDTO, ...]
    completed: tuple[MilestoneGrantDTO, ...]

    def to_json(self) -> dict[str, Any]:
        return {"cards": [card.to_json() for card in self.cards],
                "completed": [grant.to_json() for grant in self.completed]}


@dataclass(frozen=True)
class HistoryRowDTO(JsonMixin):
    """One ledger line (``momentum history``), newest first."""

    type: str  # "credit" | "debit"
    points: int
    reason: str
    source: str
    created_at: datetime
    activity_day: date
    event_id: int | None

    @property
    def signed_points(self) -> int:
        """The points with their sign: a debit counts negative."""
        return self.points if self.type == "credit" else -self.points


@dataclass(frozen=True)
class EventTypeDTO(JsonMixin):
    """A custom event type and the points one event of it credits."""

    name: str
    points: int


@dataclass(frozen=True)
class CustomAchievementDTO(JsonMixin):
    """A custom achievement just defined (its ``id`` is ``custom:N``)."""

    id: str
    name: str
    criteria: str
    target: int
    points: int
