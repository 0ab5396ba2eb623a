"""The figures of a report card for one profile and period, as plain data (no Qt).

:func:`build_report` gathers them through the read services; the PDF renderer in
:mod:`momentum_app.reports.pdf` only draws what it is given, so it can be tested on
hand-made data and reused by the window (print preview, a worker thread).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from .. import catalog
from ..clock import activity_day
from ..errors import ValidationError
from ..models import DayStat
from ..services import Momentum
from ..services import validation as v

DEFAULT_DAYS = 30
MAX_DAYS = 366 * 20
STREAK_LABELS = {
    "daily_activity": "Daily activity",
    "daily_target": "Daily target",
    "daily_focus": "Daily focus",
    "weekly_goal": "Weekly goal",
}
KIND_LABELS = (("tasks", "Tasks"), ("goal_steps", "Goal steps"), ("time_slots", "Time slots"),
               ("goals", "Goals"))


@dataclass(frozen=True)
class DayFigures:
    day: date
    points: int
    tasks: int
    goal_steps: int
    time_slots: int
    goals: int
    focus_minutes: int

    @property
    def completions(self) -> int:
        return self.tasks + self.goal_steps + self.time_slots + self.goals


@dataclass(frozen=True)
class ReportCard:
    profile: str
    timezone: str
    start: date
    end: date
    generated_at: datetime
    level: dict[str, Any]
    total_points: int
    days: tuple[DayFigures, ...]
    totals: dict[str, int]
    best_day: DayFigures | None
    streaks: tuple[dict[str, Any], ...]
    achievements: tuple[dict[str, Any], ...]  # unlocked in the period
    achievements_unlocked: int  # all time
    achievements_total: int
    milestones: tuple[dict[str, Any], ...]  # reached in the period
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def active_days(self) -> int:
        return sum(1 for d in self.days if d.completions > 0)

    @property
    def period_points(self) -> int:
        return self.totals.get("points", 0)


def report_period(app: Momentum, start: object = None, end: object = None
                  ) -> tuple[date, date]:
    """``--from``/``--to`` as dates; by default the last 30 days ending today."""
    last = v.optional_date(end, "to")
    first = v.optional_date(start, "from")
    if last is None:
        profile = app.profiles.current()
        today = activity_day(app.clock.now(), profile.timezone, profile.day_start_hour)
        last = today if first is None else max(first, today)
    if first is None:
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationError("from", "must not be after --to")
    return first, last


def day_figures(app: Momentum, first: date, last: date) -> tuple[DayFigures, ...]:
    """Every day of the period, zeros included, from the engine's day stats."""
    with app.db.reading() as session:
        rows = {row.day: DayFigures(row.day, row.points, row.tasks, row.steps, row.slots,
                                    row.goals, row.focus_minutes)
                for row in session.scalars(select(DayStat).where(
                    DayStat.profile_id == app.profile_id, DayStat.day.between(first, last)))}
    days = []
    cursor = first
    while cursor <= last:
        days.append(rows.get(cursor) or DayFigures(cursor, 0, 0, 0, 0, 0, 0))
        cursor += timedelta(days=1)
    return tuple(days)


def build_report(app: Momentum, start: object = None, end: object = None) -> ReportCard:
    first, last = report_period(app, start, end)
    if (last - first).days > MAX_DAYS:
        raise ValidationError("from", "the period is too long (at most 20 years)")
    progress = app.reads.progress()
    profile = app.profiles.current()
    days = day_figures(app, first, last)
    totals = {
        "points": sum(d.points for d in days), "tasks": sum(d.tasks for d in days),
        "goal_steps": sum(d.goal_steps for d in days),
        "time_slots": sum(d.time_slots for d in days), "goals": sum(d.goals for d in days),
        "completions": sum(d.completions for d in days),
        "focus_minutes": sum(d.focus_minutes for d in days),
    }
    best = max(days, key=lambda d: (d.points, d.completions), default=None)
    if best is not None and not (best.points or best.completions):
        best = None

    def in_period(instant: str | None) -> bool:
        if not instant:
            return False
        when = datetime.fromisoformat(instant)
        return first <= activity_day(when, profile.timezone, profile.day_start_hour) <= last

    # The report card is a JSON document (its export is ``--format json``): the typed
    # reads enter it in their SPEC §7 JSON form.
    everything = [a.to_json() for a in app.reads.achievements(everything=True)]
    unlocked = [a for a in everything if a["completed"]]
    recent = sorted((a for a in unlocked if in_period(a["completed_at"])),
                    key=lambda a: (a["completed_at"], a["name"]))
    milestones = app.reads.milestones().to_json()
    reached = [m for m in milestones["completed"] if in_period(m["granted_at"])]
    streaks = tuple({**s, "label": STREAK_LABELS.get(s["type"], s["type"])}
                    for s in progress.to_json()["streaks"])
    return ReportCard(
        profile=profile.name, timezone=profile.timezone, start=first, end=last,
        generated_at=app.clock.now(), level=progress.to_json()["level"],
        total_points=progress.total_points, days=days, totals=totals,
        best_day=best, streaks=streaks, achievements=tuple(recent),
        achievements_unlocked=len(unlocked), achievements_total=len(everything),
        milestones=tuple(reached),
        extras={"levels": [(lvl.number, lvl.title) for lvl in catalog.LEVELS]},
    )


def milestone_label(milestone: dict[str, Any]) -> str:
    kind = str(milestone.get("kind", "")).replace("_", " ")
    where = f" in {milestone['project']}" if milestone.get("project") else ""
    return f"{milestone['threshold']} {kind}{where}"
