"""Streak rules applied to the database state: runs, multipliers, adjustments, bonuses.

A mixin of :class:`~momentum_app.core.engine.processor.Processor`: the forward case
(today extends the latest run) is O(1) from the stored streak row; a backdated day or a
reversal walks only the run it touches, through the day stats cached by ``DayCache``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .. import catalog
from ..catalog import Kind, StreakType
from ..models import Completion, DayStat, Event, Streak, StreakBonusGrant
from . import rules

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .state import ProfileState

ONE_DAY = timedelta(days=1)
#: How far a multiplier can rise: past this many qualifying days it is capped.
MULTIPLIER_HORIZON = catalog.STREAK_MULTIPLIER_DAYS * catalog.STREAK_MULTIPLIER_MAX_STEPS


class StreakRules:
    """Streak methods of the Processor (which provides ``session`` and ``_ledger``)."""

    session: Session
    _ledger: Callable[..., Any]

    # -- streaks ---------------------------------------------------------------------

    def _streak_after_completion(self, state: ProfileState, streak_type: StreakType,
                                 day: date) -> rules.Run | None:
        """Update a streak after a completion on ``day``; the run through that unit."""
        unit = state.unit_of(streak_type, day)
        step = state.step_of(streak_type)
        row = state.streak(streak_type)
        if not state.qualifies(streak_type, unit):
            return None
        last = row.last_activity_date
        if last is None or unit > last:
            # The common case: today extends (or starts) the latest run. O(1).
            gap_excused = last is not None and all_excused(
                last + step, unit, step, state.excuse_predicate(streak_type))
            if gap_excused and row.run_start is not None:
                row.current += 1
            else:
                row.current, row.run_start = 1, unit
            row.last_activity_date = unit
            row.longest = max(row.longest, row.current)
            assert row.run_start is not None
            return rules.Run(row.run_start, unit, row.current)
        if unit == last:
            assert row.run_start is not None
            return rules.Run(row.run_start, last, row.current)
        # Backdated: the unit may lengthen or join runs; walk the run through it.
        run = self._walk(state, streak_type, unit)
        assert run is not None
        if run.end == last:
            row.run_start, row.current = run.start, run.length
        row.longest = max(row.longest, run.length)
        return run

    def _walk(self, state: ProfileState, streak_type: StreakType, unit: date) -> rules.Run | None:
        return rules.walk_run(unit, state.predicate(streak_type),
                              state.excuse_predicate(streak_type),
                              state.step_of(streak_type))

    def _run_length_at(self, state: ProfileState, day: date, run: rules.Run | None) -> int:
        """S of SPEC §2: the daily_activity run ending on ``day``, counting that day."""
        qualifies = state.predicate(StreakType.DAILY_ACTIVITY)
        if run is not None:
            if run.end == day:
                return run.length
            return rules.count_qualifying(run.start, day, qualifies)
        # The day itself does not count (a day off, a vacation): the run through the
        # days before it, if nothing broke it since.
        row = state.streak(StreakType.DAILY_ACTIVITY)
        last = row.last_activity_date
        excused = state.excuse_predicate(StreakType.DAILY_ACTIVITY)
        if last is not None and last < day and all_excused(last + ONE_DAY, day, ONE_DAY,
                                                            excused):
            return row.current
        cursor = day - ONE_DAY
        while excused(cursor) and not qualifies(cursor):
            cursor -= ONE_DAY
        previous = self._walk(state, StreakType.DAILY_ACTIVITY, cursor)
        if previous is None:
            return 0
        return rules.count_qualifying(previous.start, cursor, qualifies)

    def _streak_after_reversal(self, state: ProfileState, streak_type: StreakType,
                               day: date) -> None:
        """Reopening may shorten or split runs: recompute the latest run and the longest."""
        unit = state.unit_of(streak_type, day)
        if state.qualifies(streak_type, unit):
            return  # the unit still qualifies: no run changed
        row = state.streak(streak_type)
        self._recompute_streak(state, streak_type, row)

    def _recompute_streak(self, state: ProfileState, streak_type: StreakType,
                          row: Streak) -> None:
        """Full recount of one streak type from the day stats (reversals, doctor)."""
        step = state.step_of(streak_type)
        units = sorted({state.unit_of(streak_type, d) for d in self._active_days(state)})
        runs: list[rules.Run] = []
        for unit in units:
            if not state.qualifies(streak_type, unit):
                continue
            if runs and all_excused(runs[-1].end + step, unit, step,
                                     state.excuse_predicate(streak_type)):
                last = runs[-1]
                runs[-1] = rules.Run(last.start, unit, last.length + 1)
            else:
                runs.append(rules.Run(unit, unit, 1))
        if runs:
            row.run_start, row.last_activity_date, row.current = (
                runs[-1].start, runs[-1].end, runs[-1].length)
            row.longest = max(run.length for run in runs)
        else:
            row.run_start, row.last_activity_date, row.current, row.longest = None, None, 0, 0

    def _active_days(self, state: ProfileState) -> list[date]:
        days = list(self.session.scalars(select(DayStat.day).where(
            DayStat.profile_id == state.profile_id,
            (DayStat.tasks + DayStat.steps + DayStat.slots + DayStat.goals) > 0)))
        for day, row in state.days.rows.items():  # unflushed changes
            if row.completions > 0:
                days.append(day)
        for day in list(days):
            state.days.get(day)
        return sorted(set(days))

    def _adjust_later_prices(self, state: ProfileState, event: Event, day: date,
                             run: rules.Run) -> None:
        """A backdated day lengthened the run: later completions get `streak_adjustment`."""
        qualifies = state.predicate(StreakType.DAILY_ACTIVITY)
        excused = state.excuse_predicate(StreakType.DAILY_ACTIVITY)
        length = rules.count_qualifying(run.start, day, qualifies)
        # S for every later day of the run, and for excused days inside or right after it
        # (a completion on a day off is priced with the run through the days before).
        later_days: dict[date, int] = {}
        cursor, added = day + ONE_DAY, 0
        while (cursor <= run.end or excused(cursor)) and added < MULTIPLIER_HORIZON:
            if qualifies(cursor):
                length += 1
                added += 1
            later_days[cursor] = length
            cursor += ONE_DAY
        if not later_days:
            return
        completions = self.session.scalars(select(Completion).where(
            Completion.profile_id == state.profile_id, Completion.active.is_(True),
            Completion.activity_day.in_(list(later_days)),
        ).order_by(Completion.activity_day, Completion.event_id))
        for completion in completions:
            new_price = catalog.completion_price(
                Kind(completion.kind), completion.complexity, later_days[completion.activity_day])
            if new_price > completion.price:
                self._ledger(state, event, "credit", new_price - completion.price,
                             "Streak adjustment (an earlier day joined the run)",
                             catalog.STREAK_ADJUSTMENT_SOURCE, completion.activity_day,
                             completion_id=completion.event_id)
                completion.price = new_price

    def _streak_milestones(self, state: ProfileState, event: Event, run: rules.Run) -> None:
        due = [t for t in catalog.STREAK_MILESTONES if t <= run.length]
        if not due:
            return
        self.session.flush()
        granted = set(self.session.scalars(select(StreakBonusGrant.threshold).where(
            StreakBonusGrant.profile_id == state.profile_id,
            StreakBonusGrant.day.between(run.start, run.end))))
        qualifies = state.predicate(StreakType.DAILY_ACTIVITY)
        for threshold in due:
            if threshold in granted:
                continue
            reached = rules.nth_qualifying(run.start, threshold, qualifies, run.end)
            if reached is None:
                # The stored run is stale (a counted day became a day off since): the
                # run as it qualifies today is shorter than the threshold.
                continue
            self.session.add(StreakBonusGrant(profile_id=state.profile_id, threshold=threshold,
                                              day=reached, event_id=event.id))
            self._ledger(state, event, "credit", catalog.STREAK_MILESTONES[threshold],
                         f"{threshold}-day streak", catalog.STREAK_MILESTONE_SOURCE,
                         event.activity_day)


def all_excused(start: date, end_exclusive: date, step: timedelta, excused: Any) -> bool:
    """True when every unit in ``[start, end_exclusive)`` is excused (or there is none)."""
    cursor = start
    while cursor < end_exclusive:
        if not excused(cursor):
            return False
        cursor += step
    return True
