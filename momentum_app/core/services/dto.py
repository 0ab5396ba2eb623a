"""Plain, frozen views of the data that services hand to the CLI and the window."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from ..engine.outcome import Outcome
from ..kinds import Status


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


class JsonMixin:
    def to_json(self) -> dict[str, Any]:
        return {k: _json_value(v) for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True)
class ProfileDTO(JsonMixin):
    id: int
    name: str
    timezone: str
    day_start_hour: int
    daily_target: int
    days_off: tuple[str, ...]
    is_default: bool
    game_mode: str = "full"


@dataclass(frozen=True)
class ProjectDTO(JsonMixin):
    id: int
    name: str
    goals_enabled: bool
    is_inbox: bool


@dataclass(frozen=True)
class TaskDTO(JsonMixin):
    id: int
    title: str
    status: str
    project: str
    complexity: int
    due: date | None
    completed_at: datetime | None
    notes: str
    repeat: str | None
    goal_id: int | None
    project_id: int
    deleted: bool = False
    #: SPEC §12: the local wall time of a timed due ("HH:MM") and its instant (UTC).
    due_time: str | None = None
    due_at: datetime | None = None
    repeat_after: str | None = None
    tags: tuple[str, ...] = ()
    #: Open and past its due (SPEC §12: the instant with a time, else the day), as of the
    #: services' clock when the DTO was read.
    overdue: bool = False
    #: Out of the task lists before this local day (issue 18: Taskwarrior ``wait``,
    #: todo.txt ``t:``); ``None``: never hidden.
    hidden_until: date | None = None

    @property
    def due_label(self) -> str | None:
        """``2026-12-01`` or ``2026-12-01T09:00`` (local): the due as it was given."""
        if self.due is None:
            return None
        return f"{self.due.isoformat()}T{self.due_time}" if self.due_time else self.due.isoformat()


@dataclass(frozen=True)
class StepDTO(JsonMixin):
    id: int
    goal_id: int
    title: str
    position: int
    status: str
    completed_at: datetime | None


@dataclass(frozen=True)
class GoalDTO(JsonMixin):
    id: int
    title: str
    status: str
    project: str
    project_id: int
    target: date | None
    completed_at: datetime | None
    steps: tuple[StepDTO, ...]
    notes: str

    @property
    def progress_percent(self) -> float:
        if not self.steps:
            return 100.0 if self.status == Status.DONE else 0.0
        done = sum(1 for step in self.steps if step.status == Status.DONE)
        return round(done / len(self.steps) * 100, 1)


@dataclass(frozen=True)
class SlotDTO(JsonMixin):
    id: int
    title: str
    start: datetime
    end: datetime
    status: str
    task_id: int | None
    goal_id: int | None
    completed_at: datetime | None

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class VacationDTO(JsonMixin):
    id: int
    start: date
    end: date


#: Any one of the four kinds of item: what a get, a delete or a completion hands back.
ItemDTO = TaskDTO | GoalDTO | StepDTO | SlotDTO


@dataclass(frozen=True)
class Completed:
    """A completion or reopening: the item as it is now and the engine's outcome."""

    item: ItemDTO
    outcome: Outcome
    #: The next occurrence a repeating task spawned (undo deletes it again).
    spawned: TaskDTO | None = None
