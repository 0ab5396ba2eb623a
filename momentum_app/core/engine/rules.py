"""Pure rules: prices, bonuses, streak runs, milestones, achievements, level changes.

Every function here takes plain values and returns plain values. The processor feeds
them from the database; tests call them directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import catalog
from ..catalog import Bonus, Kind, MilestoneTrack

DayPredicate = Callable[[date], bool]


@dataclass(frozen=True)
class Run:
    """A streak run: first and last qualifying unit, and how many units qualified."""

    start: date
    end: date
    length: int


def daily_bonuses(
    kind: Kind,
    local_wall_time: datetime,
    day: date,
    holders: Mapping[str, int | None],
) -> list[Bonus]:
    """The once-per-activity-day bonuses a completion earns, given who holds them already.

    ``holders`` maps a bonus source to the completion holding it that day (or None).
    """
    earned: list[Bonus] = []
    if kind is Kind.TASK and holders.get(catalog.FIRST_TASK_OF_DAY.source) is None:
        earned.append(catalog.FIRST_TASK_OF_DAY)
    hour = local_wall_time.hour
    if hour in catalog.EARLY_BIRD_HOURS and holders.get(catalog.EARLY_BIRD.source) is None:
        earned.append(catalog.EARLY_BIRD)
    if hour in catalog.NIGHT_OWL_HOURS and holders.get(catalog.NIGHT_OWL.source) is None:
        earned.append(catalog.NIGHT_OWL)
    if day.weekday() >= 5 and holders.get(catalog.WEEKEND_ACTIVITY.source) is None:
        earned.append(catalog.WEEKEND_ACTIVITY)
    return earned


def is_perfect_week(completions_per_day: Iterable[int | None]) -> bool:
    """SPEC v2 §2: every day of the week that counts (None: a day off, a vacation day) has
    ≥ 1 completion, and at least one day counts (a fully excused week is never perfect).
    Stops at the first empty day that counts."""
    counted = False
    for count in completions_per_day:
        if count is None:
            continue
        if count < 1:
            return False
        counted = True
    return counted


@dataclass(frozen=True)
class FreezeWalk:
    """Streak freezes as the calendar decides them (SPEC v2 §4), up to the last qualifying
    day: the freezes ``held`` after it, the days ``frozen`` by closed gaps, and the
    qualifying days of the run through that day (``run``)."""

    held: int
    frozen: frozenset[date]
    run: int


def freeze_gap(start: date, end_exclusive: date, excused: DayPredicate, held: int
               ) -> list[date] | None:
    """The missed days of ``[start, end_exclusive)`` (neither qualifying nor excused: the
    caller passes days with no qualifying one inside) when ``held`` freezes bridge them,
    else None (a longer gap breaks the run). An empty list: nothing was missed."""
    missed: list[date] = []
    cursor = start
    while cursor < end_exclusive:
        if not excused(cursor):
            missed.append(cursor)
            if len(missed) > held:
                return None
        cursor += timedelta(days=1)
    return missed


def freeze_earned(held: int, run: int) -> int:
    """Freezes held after a run reached ``run`` qualifying days: one more at every 7th,
    never more than ``catalog.MAX_STREAK_FREEZES`` (one earned beyond is lost)."""
    if run % catalog.FREEZE_EVERY_DAYS == 0:
        return min(catalog.MAX_STREAK_FREEZES, held + 1)
    return held


def walk_freezes(qualifying: Iterable[date], excused: DayPredicate) -> FreezeWalk:
    """Walk the qualifying days in order (SPEC v2 §4): a gap of k missed days between two
    of them is frozen when k ≤ the freezes held when it began (k used, the run goes on);
    a longer gap breaks the run and uses none. ``excused``: days off, vacations, days cut
    short — not frozen days, which this walk decides."""
    held, run = 0, 0
    frozen: set[date] = set()
    previous: date | None = None
    for day in sorted(qualifying):
        if previous is not None:
            gap = freeze_gap(previous + timedelta(days=1), day, excused, held)
            if gap is None:
                run = 0
            else:
                frozen.update(gap)
                held -= len(gap)
        run += 1
        held = freeze_earned(held, run)
        previous = day
    return FreezeWalk(held, frozenset(frozen), run)


def walk_run(
    anchor: date,
    qualifies: DayPredicate,
    excused: DayPredicate,
    step: timedelta = timedelta(days=1),
) -> Run | None:
    """The run through ``anchor`` (a qualifying unit), walking over excused units.

    Excused units (days off, vacations, days that do not exist) neither break nor extend
    a run: they are stepped over and not counted.
    """
    if not qualifies(anchor):
        return None

    def walk(delta: timedelta) -> tuple[date, int]:
        """From ``anchor`` by ``delta`` until a unit breaks the run: the farthest
        qualifying unit reached, and how many qualifying units were passed."""
        edge, passed, cursor = anchor, 0, anchor + delta
        while True:
            if qualifies(cursor):
                edge, passed = cursor, passed + 1
            elif not excused(cursor):
                return edge, passed
            cursor += delta

    start, before = walk(-step)
    end, after = walk(step)
    return Run(start, end, before + 1 + after)


def count_qualifying(start: date, end: date, qualifies: DayPredicate,
                     step: timedelta = timedelta(days=1)) -> int:
    """Qualifying units in ``[start, end]``."""
    total, cursor = 0, start
    while cursor <= end:
        if qualifies(cursor):
            total += 1
        cursor += step
    return total


def nth_qualifying(start: date, n: int, qualifies: DayPredicate, end: date,
                   step: timedelta = timedelta(days=1)) -> date | None:
    """The ``n``-th qualifying unit in ``[start, end]`` (the day a run reached length n)."""
    seen, cursor = 0, start
    while cursor <= end:
        if qualifies(cursor):
            seen += 1
            if seen == n:
                return cursor
        cursor += step
    return None


def displayed_current(run_length: int, last: date | None, today: date,
                      excused: DayPredicate, step: timedelta = timedelta(days=1)) -> int:
    """SPEC §4: after a missed (non-excused) unit the streak reads 0; today may still come."""
    if last is None or run_length == 0:
        return 0
    if last >= today:
        return run_length
    cursor = last + step
    while cursor < today:
        if not excused(cursor):
            return 0
        cursor += step
    return run_length


def milestone_thresholds_due(track: MilestoneTrack, count: int,
                             granted: Iterable[int]) -> list[tuple[int, int]]:
    """Every (threshold, points) ≤ count not yet granted (SPEC §6: once, ever)."""
    done = set(granted)
    return [(threshold, points) for threshold, points in track.thresholds
            if threshold <= count and threshold not in done]


@dataclass(frozen=True)
class MilestoneCard:
    scope: str
    kind: str
    project: str | None
    current: int
    next: int
    previous: int
    progress_percent: float
    is_completed: bool
    reward: int


def milestone_card(track: MilestoneTrack, count: int, project: str | None = None) -> MilestoneCard:
    """The next-milestone card of SPEC §6."""
    thresholds = track.thresholds
    upcoming = [(t, p) for t, p in thresholds if t > count]
    reached = [t for t, _ in thresholds if t <= count]
    nxt, reward = upcoming[0] if upcoming else thresholds[-1]
    is_completed = not upcoming
    percent = 100.0 if is_completed else round(count / nxt * 100, 2)
    return MilestoneCard(track.scope, track.kind.value, project, count, nxt,
                         reached[-1] if reached else 0, percent, is_completed, reward)


def achievements_to_unlock(
    achievements: Iterable[catalog.Achievement],
    metrics: Mapping[str, int],
    unlocked: set[str],
) -> list[catalog.Achievement]:
    """Locked achievements whose metric has reached its target."""
    return [a for a in achievements if a.id not in unlocked and achievement_metric(a, metrics)
            >= a.target]


def achievement_metric(achievement: catalog.Achievement, metrics: Mapping[str, int]) -> int:
    if achievement.criteria is catalog.Criteria.EVENT_COUNT:
        return metrics.get(f"event:{achievement.event_type}", 0)
    return metrics.get(achievement.criteria.value, 0)


@dataclass(frozen=True)
class LevelChange:
    previous: int
    new: int
    title: str


def level_change(points_before: int, points_after: int) -> LevelChange | None:
    before = catalog.level_for_points(points_before)
    after = catalog.level_for_points(points_after)
    if after.number == before.number:
        return None
    return LevelChange(before.number, after.number, after.title)


@dataclass(frozen=True)
class LevelProgress:
    """Where a total stands in the level table (SPEC §5, ``progress --json``'s ``level``)."""

    number: int
    title: str
    points_required: int
    next_points_required: int
    progress_percent: float
    perk: str | None


def level_progress(total: int) -> LevelProgress:
    """Level number, title, thresholds and percentage towards the next level."""
    level = catalog.level_for_points(total)
    required = level.points_required
    if level.number >= catalog.MAX_LEVEL:
        next_required = required
        percent = 100.0
    else:
        next_required = catalog.points_required(level.number + 1)
        percent = round((total - required) / (next_required - required) * 100, 2)
    return LevelProgress(level.number, level.title, required, next_required, percent,
                         level.perk)
