"""Pure aggregators for dashboards and reports, over the output of ``ReadService.stats()``.

``reads.stats(from, to)`` (SPEC §7, ``momentum stats --json``) returns one row per
activity day from ``day_stats``. Everything a chart shows is derived from those rows by
the functions below — windows of the last N days, totals by kind, focus hours per ISO
week, a moving average, period-over-period trends and the levels of a year-long
activity heatmap — so the window's figures and the command line's are the same numbers
by construction. No database, no clock, no Qt: plain values in, frozen dataclasses out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

#: The completion kinds as ``stats()`` names them, in display order.
KINDS: tuple[str, ...] = ("tasks", "goal_steps", "time_slots", "goals")
#: Every per-day figure ``stats()`` reports (the keys of its ``totals``).
FIGURES: tuple[str, ...] = ("points", *KINDS, "completions", "focus_minutes")
#: Heatmap levels: 0 (nothing that day) to HEAT_LEVELS (the busiest days).
HEAT_LEVELS = 4
WEEKS_IN_YEAR_GRID = 53
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Figures:
    """Every figure of ``stats()`` (:data:`FIGURES`), of one day or summed over days."""

    points: int = 0
    tasks: int = 0
    goal_steps: int = 0
    time_slots: int = 0
    goals: int = 0
    completions: int = 0
    focus_minutes: int = 0

    def figure(self, name: str) -> int:
        value: int = getattr(self, name)
        return value

    def figures_json(self) -> dict[str, int]:
        return {name: self.figure(name) for name in FIGURES}


@dataclass(frozen=True)
class DayRow(Figures):
    """One activity day of ``stats()``'s days, typed: ``DayRow(day=…, points=…, …)``."""

    day: date = field(kw_only=True)

    def to_json(self) -> dict[str, Any]:
        """SPEC §7's day of ``stats --json``: ``{"date": ISO, "points": …, …}``."""
        return {"date": self.day.isoformat(), **self.figures_json()}


class HasDays(Protocol):
    @property
    def days(self) -> Sequence[DayRow]: ...


def day_rows(stats: HasDays | Mapping[str, Any]) -> list[DayRow]:
    """The days of a ``stats()`` answer (or of its JSON) as :class:`DayRow` values,
    oldest first."""
    if isinstance(stats, Mapping):
        rows = [DayRow(day=date.fromisoformat(str(entry["date"])),
                       **{name: int(entry[name]) for name in FIGURES})
                for entry in stats["days"]]
    else:
        rows = list(stats.days)
    rows.sort(key=lambda row: row.day)
    return rows


def last_days(rows: Sequence[DayRow], count: int, end: date | None = None) -> list[DayRow]:
    """The ``count`` days ending at ``end`` (default: the last row), one row per day.

    Days missing from ``rows`` are filled with zeros, so the window always has ``count``
    rows — exactly what ``stats --from end-(count-1) --to end`` returns.
    """
    if count <= 0:
        return []
    if end is None:
        if not rows:
            return []
        end = rows[-1].day
    by_day = {row.day: row for row in rows}
    first = end - timedelta(days=count - 1)
    return [by_day.get(first + timedelta(days=offset), DayRow(day=first + timedelta(days=offset)))
            for offset in range(count)]


@dataclass(frozen=True)
class StatsTotals(Figures):
    """The sums of every figure over some days (``stats()``'s ``totals``)."""

    def to_json(self) -> dict[str, int]:
        return self.figures_json()

    @classmethod
    def of(cls, rows: Iterable[DayRow]) -> StatsTotals:
        sums = dict.fromkeys(FIGURES, 0)
        for row in rows:
            for name in FIGURES:
                sums[name] += row.figure(name)
        return cls(**sums)


def totals(rows: Iterable[DayRow]) -> StatsTotals:
    """Sums of every figure (the ``totals`` of ``stats()`` over the same days)."""
    return StatsTotals.of(rows)


def points_per_day(rows: Iterable[DayRow]) -> list[tuple[date, int]]:
    return [(row.day, row.points) for row in rows]


def completions_by_kind(rows: Iterable[DayRow]) -> dict[str, int]:
    """Completions per kind over ``rows``, in :data:`KINDS` order."""
    sums = totals(rows)
    return {kind: sums.figure(kind) for kind in KINDS}


def moving_average(values: Sequence[int | float], window: int = 7) -> list[float]:
    """The trailing mean over ``window`` values (over fewer at the start of the series)."""
    if window <= 0:
        raise ValueError("window must be positive")
    result: list[float] = []
    running = 0.0
    for index, value in enumerate(values):
        running += value
        if index >= window:
            running -= values[index - window]
        result.append(running / min(index + 1, window))
    return result


@dataclass(frozen=True)
class WeekTotal:
    """Focus time of one ISO week (only the days of the week inside the rows count)."""

    monday: date
    iso_week: str  # "2026-W10"
    focus_minutes: int
    days: int  # how many of its days were in the rows (7 except at the edges)

    @property
    def hours(self) -> float:
        return self.focus_minutes / 60


def weekly_focus(rows: Iterable[DayRow]) -> list[WeekTotal]:
    """Focus minutes summed per ISO week, oldest first; the weeks sum to the rows' total."""
    weeks: dict[date, list[int]] = {}
    for row in rows:
        monday = row.day - timedelta(days=row.day.weekday())
        entry = weeks.setdefault(monday, [0, 0])
        entry[0] += row.focus_minutes
        entry[1] += 1
    result = []
    for monday in sorted(weeks):
        year, week, _ = monday.isocalendar()
        minutes, days = weeks[monday]
        result.append(WeekTotal(monday, f"{year}-W{week:02d}", minutes, days))
    return result


@dataclass(frozen=True)
class Trend:
    """The last ``days`` days against the ``days`` before them."""

    days: int
    points: int
    previous_points: int
    completions: int
    previous_completions: int
    active_days: int
    focus_minutes: int
    best_day: DayRow | None

    @property
    def daily_average(self) -> float:
        return self.points / self.days if self.days else 0.0

    @property
    def change_percent(self) -> float | None:
        """Points change in per cent; None when the previous period earned nothing."""
        if self.previous_points <= 0:
            return None
        return (self.points - self.previous_points) / self.previous_points * 100


def trend(rows: Sequence[DayRow], days: int, end: date | None = None) -> Trend:
    current = last_days(rows, days, end)
    previous_end = current[0].day - ONE_DAY if current else end
    previous = last_days(rows, days, previous_end) if previous_end else []
    now_totals, before = totals(current), totals(previous)
    best = max(current, key=lambda row: (row.points, row.completions), default=None)
    if best is not None and not (best.points or best.completions):
        best = None
    return Trend(days, now_totals.points, before.points, now_totals.completions,
                 before.completions, sum(1 for row in current if row.completions),
                 now_totals.focus_minutes, best)


# --- the year-long activity heatmap ---------------------------------------------------


def heatmap_start(end: date, weeks: int = WEEKS_IN_YEAR_GRID) -> date:
    """The Monday that starts a grid of ``weeks`` week columns whose last holds ``end``."""
    return end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)


def heat_thresholds(values: Iterable[int], levels: int = HEAT_LEVELS) -> tuple[float, ...]:
    """Upper bounds of levels 1…levels-1: quantiles of the days with activity.

    Like GitHub's contribution graph, levels are relative to the person's own busy days,
    so a steady person's calendar is as readable as a prolific one's. Quantiles are
    interpolated linearly between the sorted values, so the busiest day is always at the
    top level as soon as the days differ.
    """
    active = sorted(value for value in values if value > 0)
    if not active:
        return ()
    bounds = []
    for step in range(1, levels):
        position = (len(active) - 1) * step / levels
        below = math.floor(position)
        above = min(below + 1, len(active) - 1)
        bounds.append(active[below] + (active[above] - active[below]) * (position - below))
    return tuple(bounds)


def heat_level(value: int, thresholds: Sequence[float], levels: int = HEAT_LEVELS) -> int:
    """0 for no activity, else 1 + how many thresholds ``value`` exceeds (at most levels)."""
    if value <= 0:
        return 0
    return min(levels, 1 + sum(1 for bound in thresholds if value > bound))


@dataclass(frozen=True)
class HeatCell:
    day: date
    value: int
    points: int
    level: int
    column: int  # week column, 0 = oldest
    row: int  # 0 = Monday … 6 = Sunday


@dataclass(frozen=True)
class Heatmap:
    first: date
    last: date
    weeks: int
    cells: tuple[HeatCell, ...]
    thresholds: tuple[float, ...]
    #: (column, first day of the month) where a month starts in the grid's top row.
    months: tuple[tuple[int, date], ...]

    @property
    def total(self) -> int:
        return sum(cell.value for cell in self.cells)

    @property
    def active_days(self) -> int:
        return sum(1 for cell in self.cells if cell.value > 0)


def heatmap(rows: Iterable[DayRow], end: date, weeks: int = WEEKS_IN_YEAR_GRID,
            metric: str = "completions") -> Heatmap:
    """A cell per day from :func:`heatmap_start` to ``end`` (days after it are not drawn)."""
    first = heatmap_start(end, weeks)
    values = {row.day: row for row in rows if first <= row.day <= end}
    days = [first + timedelta(days=offset) for offset in range((end - first).days + 1)]
    thresholds = heat_thresholds(values[d].figure(metric) for d in days if d in values)
    cells = []
    months = []
    for offset, day in enumerate(days):
        row = values.get(day)
        value = row.figure(metric) if row else 0
        column, weekday = divmod(offset, 7)
        cells.append(HeatCell(day, value, row.points if row else 0,
                              heat_level(value, thresholds), column, weekday))
        if weekday == 0:
            week_days = [day + timedelta(days=i) for i in range(7)]
            starting = next((d for d in week_days if d.day == 1), None)
            if column == 0 or starting is not None:
                months.append((column, (starting or day).replace(day=1)))
    return Heatmap(first, end, weeks, tuple(cells), thresholds, tuple(months))
