"""``step(state, event, definitions) -> (state', effects)``: every rule of SPEC §§2–8.

The engine is a fold of the event log (SPEC v2 §8). :func:`step` applies one event to a
:class:`~.state.StateView` and returns the new state (a :class:`~.state.Layered` view:
the rows this event wrote over the rows it read; the input is never changed) and the
:class:`Effects` (those rows, and the event's :class:`~.outcome.Outcome`). :func:`fold`
applies many events the same way with one layer for all of them — the doctor folds the
whole log from :func:`~.state.empty_state`, sync folds merged logs from a checkpoint.

Three callers, one implementation: the live path (``services/engine_store.py``: a view
of the stored tables that reads only the rows an event asks for, one ``step``, the
effects written with SQLAlchemy Core), ``momentum doctor`` (``services/doctor.py``) and
:func:`replay_from` for sync. No database, clock or Qt in here; the numbers come from
:mod:`..catalog`, the pure helpers from :mod:`.rules`.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from .. import catalog
from ..catalog import Criteria, Kind, StreakType
from ..clock import week_days, week_key, zone
from ..errors import ValidationError
from ..kinds import EntryType
from . import rules
from .outcome import (
    FreezeChange,
    LedgerLine,
    LevelUp,
    Outcome,
    ReachedMilestone,
    StreakState,
    UnlockedAchievement,
)
from .state import (
    EMPTY_DAY,
    GLOBAL,
    MISSING,
    ONE_DAY,
    ONE_WEEK,
    POINTS_TOTAL,
    Layered,
    MemoryState,
    Settings,
    StateView,
)
from .version import RULES_VERSION as RULES_VERSION  # re-exported

#: How many finished weeks back the weekly board is looked at after a long absence.
BOARD_WEEKS_CHECKED = 104
#: How far a multiplier can rise: past this many qualifying days it is capped.
MULTIPLIER_HORIZON = catalog.STREAK_MULTIPLIER_DAYS * catalog.STREAK_MULTIPLIER_MAX_STEPS

KIND_COUNTER = {
    Kind.TASK: Criteria.TASKS.value, Kind.STEP: Criteria.STEPS.value,
    Kind.SLOT: Criteria.SLOTS.value, Kind.GOAL: Criteria.GOALS.value,
}
#: Streak types a completion kind can change.
STREAKS_OF_KIND = {
    Kind.TASK: (StreakType.DAILY_ACTIVITY, StreakType.DAILY_TARGET),
    Kind.STEP: (StreakType.DAILY_ACTIVITY, StreakType.WEEKLY_GOAL),
    Kind.SLOT: (StreakType.DAILY_ACTIVITY, StreakType.DAILY_FOCUS),
    Kind.GOAL: (StreakType.DAILY_ACTIVITY, StreakType.WEEKLY_GOAL),
}
#: Counters that count the days a bonus was held (achievements early_bird & co).
BONUS_DAY_COUNTER = {
    catalog.EARLY_BIRD.source: Criteria.EARLY_BIRD_DAYS.value,
    catalog.NIGHT_OWL.source: Criteria.NIGHT_OWL_DAYS.value,
    catalog.WEEKEND_ACTIVITY.source: Criteria.WEEKEND_DAYS.value,
}
#: Where each daily bonus's holder sits in a day row.
HOLDER_INDEX = {catalog.FIRST_TASK_OF_DAY.source: 6, catalog.EARLY_BIRD.source: 7,
                catalog.NIGHT_OWL.source: 8, catalog.WEEKEND_ACTIVITY.source: 9}
_HOLDERS = tuple(HOLDER_INDEX.items())
_KIND_INDEX = {Kind.TASK: 0, Kind.STEP: 1, Kind.SLOT: 2, Kind.GOAL: 3}
_FOCUS, _POINTS = 4, 5
_KIND_LABEL = {Kind.TASK: "Task", Kind.STEP: "Goal step", Kind.SLOT: "Time slot",
               Kind.GOAL: "Goal"}
_KIND_TEXT = {kind: kind.value.replace("_", " ") for kind in Kind}
_AFFECTED_KEY = {Kind.TASK: "tasks", Kind.STEP: "steps", Kind.SLOT: "slots", Kind.GOAL: "goals"}
_ACTIVITY = StreakType.DAILY_ACTIVITY.value
_TARGET = StreakType.DAILY_TARGET.value
_WEEKLY = StreakType.WEEKLY_GOAL.value
_STREAK_TYPES = tuple(t.value for t in StreakType)
_TRACKS = {(t.scope, t.kind): (t, t.threshold_counts) for t in catalog.MILESTONE_TRACKS}
_MILESTONE_KIND = {kind: (mk, mk.value)
                   for kind, mk in catalog.MILESTONE_KIND_BY_COMPLETION.items()}
_C = {c: c.value for c in Criteria}
_STREAK_METRIC, _LEVEL_METRIC = _C[Criteria.STREAK], _C[Criteria.LEVEL]
_LEVEL_FLOORS = [level.points_required for level in catalog.LEVELS]
_LEVEL_NUMBERS = [level.number for level in catalog.LEVELS]
_BY_METRIC: dict[str, list[catalog.Achievement]] = {}
for _achievement in catalog.ACHIEVEMENTS:
    _BY_METRIC.setdefault(
        f"event:{_achievement.event_type}" if _achievement.criteria is Criteria.EVENT_COUNT
        else _achievement.criteria.value, []).append(_achievement)
#: Each metric's catalog targets, ascending: a metric moving from ``old`` to ``new``
#: crossed one when some target ``t`` has ``old < t <= new`` (a bisection, not a scan).
_TARGETS = {metric: sorted({a.target for a in found}) for metric, found in _BY_METRIC.items()}


def _crosses(targets: list[int] | None, old: int, new: int) -> bool:
    """Whether some target ``t`` of ``targets`` (ascending) has ``old < t <= new``."""
    if not targets or new <= old:
        return False
    index = bisect_right(targets, old)
    return index < len(targets) and targets[index] <= new
_STREAK_TARGETS = _TARGETS.get(_STREAK_METRIC)
_LEVEL_TARGETS = _TARGETS.get(_LEVEL_METRIC)
#: The counter scope that lists the days a settings change bridged (one counter a day).
BRIDGED_SCOPE = "bridged"
#: SPEC v2 §4 streak freezes, kept as counters so the live path reads them with the others
#: and the doctor compares them: one counter a day bridged by a freeze (1; 0 once the day
#: qualified or the gap broke after all), and the freezes held after the last qualifying day.
FROZEN_SCOPE = "frozen"
FREEZES_SCOPE = "freezes"
FREEZES_HELD = "held"

#: ``catalog.completion_price`` computes with Decimal: the same pure function, memoised.
_price = lru_cache(maxsize=None)(catalog.completion_price)
_week_key = lru_cache(maxsize=4096)(week_key)


@lru_cache(maxsize=4096)
def _week_days(day: date) -> tuple[date, ...]:
    """``clock.week_days`` as a tuple, memoised (asked for on every completion)."""
    return tuple(week_days(day))


_KIND_OF = {kind.value: kind for kind in Kind}
_STREAK_VALUE = {streak_type: streak_type.value for streak_type in StreakType}


def level_number(total: int) -> int:
    """``catalog.level_for_points(total).number`` (the floors ascend): a bisection."""
    return _LEVEL_NUMBERS[max(0, bisect_right(_LEVEL_FLOORS, total) - 1)]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def unit_of(streak_type: str, day: date) -> date:
    return _monday(day) if streak_type == _WEEKLY else day


def step_of(streak_type: str) -> timedelta:
    return ONE_WEEK if streak_type == _WEEKLY else ONE_DAY


# --- values in and out --------------------------------------------------------------------


@dataclass(frozen=True)
class EventIn:
    """One event of the log, as the rules see it."""

    id: int
    profile_id: int
    key: str
    type: str
    occurred_at: datetime
    activity_day: date
    processed_at: datetime
    meta: Mapping[str, Any]


@dataclass(frozen=True)
class Definitions:
    """What the rules read besides the derived state: source rows that only grow.

    ``event_types`` (custom type → points), ``customs`` (profile → its custom
    achievements), ``projects`` (id → (name, goals enabled)) and ``initial_settings``
    (each profile's settings, for events logged before its first ``settings_changed``).
    """

    event_types: Mapping[str, int] = field(default_factory=dict)
    customs: Mapping[int, tuple[catalog.Achievement, ...]] = field(default_factory=dict)
    projects: Mapping[int, tuple[str, bool]] = field(default_factory=dict)
    initial_settings: Mapping[int, Settings] = field(default_factory=dict)


@dataclass(frozen=True)
class Effects:
    """What one step wrote: the new or changed rows (as a state of their own) and the
    outcome of SPEC §7/§8 (None in a fold that does not ask for outcomes)."""

    rows: MemoryState
    outcome: Outcome | None


def step(state: StateView, event: EventIn, definitions: Definitions
         ) -> tuple[StateView, Effects]:
    """Apply one event. Pure: ``state`` is read, never changed."""
    builder = Builder(state, definitions)
    outcome = builder.apply(event, with_outcome=True)
    return builder.result(), Effects(builder.top, outcome)


def fold(state: StateView, events: Iterable[EventIn], definitions: Definitions
         ) -> StateView:
    """Apply events in order (one layer for all of them). Pure like :func:`step`."""
    builder = Builder(state, definitions)
    with collection_paused():
        for event in events:
            builder.apply(event, with_outcome=False)
    return builder.result()


class _Pause:
    """How many folds have the collector paused, and whether it ran before the first."""

    lock = threading.Lock()
    depth = 0
    was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a fold runs (as it was again after).

    A fold keeps every row it writes: the collector would walk the ever-growing state
    again and again for nothing (a third of a 100k-event fold's CPU), and the fold leaves
    no reference cycles behind. Reference counting still frees everything else; nested
    or concurrent folds turn it back on when the last one ends."""
    with _Pause.lock:
        if _Pause.depth == 0:
            _Pause.was_enabled = gc.isenabled()
            gc.disable()
        _Pause.depth += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.depth -= 1
            if _Pause.depth == 0 and _Pause.was_enabled:
                gc.enable()


#: Sync's entry point (SPEC v2 §13): fold events from a checkpoint state. The checkpoint
#: is any state — a previous fold's result, or :func:`~.state.empty_state` for a whole
#: log; the events must be those after the checkpoint, in the order they are recorded.
replay_from = fold


def resume(checkpoint: MemoryState, definitions: Definitions) -> Builder:
    """A fold from the empty state, continued: ``checkpoint`` is the ``top`` such a fold
    built (a sync checkpoint, ``core/sync/order.py``); the builder writes on into it."""
    builder = Builder(MemoryState(), definitions)
    builder.top = checkpoint
    builder.view = checkpoint  # the base is empty: nothing to look through (as in a fold)
    return builder


# --- the builder: one layer of new rows over the state it reads -----------------------------


class Builder:
    """Applies events, writing only into ``top``. ``base`` is read, never changed."""

    def __init__(self, base: StateView, definitions: Definitions) -> None:
        self.base = base
        self.defs = definitions
        self.top = MemoryState(first_ledger_id=base.next_ledger_id())
        #: A fold from the empty state reads only its own rows (no layer to look through).
        self.view: Layered | MemoryState = (self.top if self._empty(base)
                                            else Layered(base, self.top))
        self.event: EventIn | None = None
        self.now = datetime.min
        # Per event: each touched profile's global counters as first seen, its points and
        # longest activity run before the event (what achievements measured before it).
        self._touched: dict[int, tuple[dict[str, int], int, int]] = {}
        self._settings_cache: dict[
            int, tuple[Settings, Any, dict[date, bool], dict[date, bool]]] = {}
        # Per completion: the days it made frozen, and whether its day just became active.
        self._newly_frozen: list[date] = []
        self._newly_active = False
        #: Each profile's settings as read during the current event (they change only
        #: with a settings event, which clears this).
        self._settings_now: dict[int, Settings] = {}
        #: And their :meth:`_calendar`, read as often as a day is looked at.
        self._calendar_now: dict[
            int, tuple[Settings, Any, dict[date, bool], dict[date, bool]]] = {}

    @staticmethod
    def _empty(base: StateView) -> bool:
        return isinstance(base, MemoryState) and base == MemoryState()

    def result(self) -> StateView:
        return self.view  # from the empty state: the layer is the whole state

    # -- reads and writes of single rows -----------------------------------------------------

    def _touch(self, pid: int) -> None:
        if pid not in self._touched:
            streak = self.view.streak(pid, _ACTIVITY)
            self._touched[pid] = ({}, self.view.counter(pid, (GLOBAL, POINTS_TOTAL)),
                                  streak[1] if streak else 0)
            self.top.profile_ids.add(pid)

    def counter(self, pid: int, name: str, scope: str = GLOBAL) -> int:
        return self.view.counter(pid, (scope, name))

    def add(self, pid: int, name: str, delta: int, scope: str = GLOBAL) -> None:
        touched = self._touched.get(pid)
        if touched is None:
            self._touch(pid)
            touched = self._touched[pid]
        key = (scope, name)
        value = self.view.counter(pid, key)
        if scope == GLOBAL and name not in touched[0]:
            touched[0][name] = value
        rows = self.top.counter_rows.get(pid)
        if rows is None:
            rows = self.top.counter_rows[pid] = {}
        rows[key] = value + delta

    def set_at_least(self, pid: int, name: str, value: int) -> None:
        current = self.counter(pid, name)
        if current < value:
            self.add(pid, name, value - current)

    def day_row(self, pid: int, day: date) -> list[Any]:
        """The day's row, to be changed (copied into the layer on first write)."""
        days = self.top.day_rows.get(pid)
        if days is None:
            days = self.top.day_rows[pid] = {}
        row = days.get(day)
        if row is None:
            found = self.base.day(pid, day)
            row = days[day] = list(found if found is not None else EMPTY_DAY)
        return row

    def completions_on(self, pid: int, day: date) -> int:
        row = self.view.day(pid, day)
        return 0 if row is None else row[0] + row[1] + row[2] + row[3]

    def streak_row(self, pid: int, streak_type: str) -> list[Any]:
        key = (pid, streak_type)
        row = self.top.streak_rows.get(key)
        if row is None:
            found = self.base.streak(pid, streak_type)
            row = self.top.streak_rows[key] = list(found if found is not None else
                                                   (0, 0, None, None))
        return row

    def completion_row(self, event_id: int) -> list[Any] | None:
        row = self.top.completion_rows.get(event_id)
        if row is None:
            found = self.base.completion(event_id)
            if found is None:
                return None
            row = self.top.completion_rows[event_id] = list(found)
        return row

    # -- settings and the day predicates ------------------------------------------------------

    def settings(self, pid: int) -> Settings:
        found = self._settings_now.get(pid)
        if found is not None:
            return found
        found = self.view.settings(pid)
        if found is None:
            found = self.defs.initial_settings.get(pid)
        if found is None:
            raise ValidationError("profile", f"no settings for profile {pid}")
        self._settings_now[pid] = found
        return found

    def _calendar(self, pid: int) -> tuple[Settings, Any, dict[date, bool], dict[date, bool]]:
        """The settings in force, their zone, and two memos of the day predicates below
        (kept while the settings object is the same: they change only with an event)."""
        cached = self._calendar_now.get(pid)
        if cached is not None:
            return cached
        settings = self._settings_now.get(pid) or self.settings(pid)
        cached = self._settings_cache.get(pid)
        if cached is None or cached[0] is not settings:
            cached = self._settings_cache[pid] = (settings, zone(settings.timezone), {}, {})
        self._calendar_now[pid] = cached
        return cached

    def excused_day(self, pid: int, day: date) -> bool:
        """A day off, vacation or missing day (it can never qualify)."""
        settings, _, cache, _ = self._calendar(pid)
        found = cache.get(day)
        if found is None:
            found = cache[day] = settings.excused(day)
        return found

    def calendar_excused(self, pid: int, day: date) -> bool:
        """A day off, vacation, missing day or day cut short: excused before any freeze."""
        calendar = self._calendar(pid)
        found = calendar[3].get(day)
        if found is None:
            found = calendar[3][day] = (self.excused_day(pid, day)
                                        or day in calendar[0].bridged)
        return found

    def excused(self, pid: int, streak_type: str, unit: date) -> bool:
        """Whether a non-qualifying unit is stepped over by a run (neither breaks nor counts).
        A day a freeze bridged is stepped over by the daily_activity run only."""
        if streak_type == _WEEKLY:
            return False
        return self.calendar_excused(pid, unit) or (
            streak_type == _ACTIVITY
            and self.counter(pid, unit.isoformat(), FROZEN_SCOPE) > 0)

    def qualifies(self, pid: int, streak_type: str, unit: date) -> bool:
        if streak_type == _WEEKLY:
            for offset in range(7):
                row = self.view.day(pid, unit + timedelta(days=offset))
                if row is not None and row[1] + row[3] > 0:
                    return True
            return False
        if self.excused_day(pid, unit):
            return False
        row = self.view.day(pid, unit)
        if row is None:
            return False
        if streak_type == _ACTIVITY:
            return bool(row[0] + row[1] + row[2] + row[3] > 0)
        if streak_type == _TARGET:
            return bool(row[0] >= self.settings(pid).daily_target)
        return bool(row[2] > 0)  # daily_focus

    def predicate(self, pid: int, streak_type: str) -> rules.DayPredicate:
        return lambda unit: self.qualifies(pid, streak_type, unit)

    def excuse_predicate(self, pid: int, streak_type: str) -> rules.DayPredicate:
        return lambda unit: self.excused(pid, streak_type, unit)

    def all_excused(self, pid: int, streak_type: str, start: date, end_exclusive: date) -> bool:
        """True when every unit in ``[start, end_exclusive)`` is excused (or there is none)."""
        step = step_of(streak_type)
        cursor = start
        while cursor < end_exclusive:
            if not self.excused(pid, streak_type, cursor):
                return False
            cursor += step
        return True

    def last_goal_day(self, pid: int, monday: date) -> date:
        """SPEC v2 §4: the weekly streak's last activity date is the last day of its week
        with a goal step or goal completion (the week qualifies, so there is one)."""
        for offset in range(6, -1, -1):
            day = monday + timedelta(days=offset)
            row = self.view.day(pid, day)
            if row is not None and row[1] + row[3] > 0:
                return day
        return monday

    # -- the event loop -----------------------------------------------------------------------

    def apply(self, event: EventIn, *, with_outcome: bool) -> Outcome | None:
        self.event = event
        self.now = event.processed_at
        self._touched = {}
        self._settings_now.clear()
        self._calendar_now.clear()
        pid = event.profile_id
        ledger_start = len(self.top.ledger_rows)
        achievements_start = len(self.top.achievement_rows)
        milestones_start = len(self.top.milestone_rows)
        self._touch(pid)
        points_before = self._touched[pid][1]
        freezes_before = self._stored_freezes(pid) if with_outcome else None
        affected: dict[str, list[int]] = {}
        event_type = event.type
        kind = catalog.KIND_BY_SOURCE.get(event_type)
        if kind is not None:
            affected = self._complete(event, kind)
        elif event_type == catalog.REVERSAL_EVENT:
            affected = self._reverse(event)
        elif event_type == catalog.REPORT_EXPORTED_EVENT:
            self.add(pid, _C[Criteria.REPORTS], +1)
        elif event_type == catalog.SETTINGS_EVENT:
            self._settings_changed(event)
        elif event_type == catalog.ACHIEVEMENT_DEFINED_EVENT:
            defined = self.top.defined_ids.setdefault(pid, set())
            defined.add(str(event.meta.get("achievement")))
        elif event_type == catalog.CUSTOM_REVERSAL_EVENT:
            self._reverse_custom(event)
        elif event_type == catalog.ACHIEVEMENT_CARRIED_EVENT:
            self._carried(event)
        elif event_type in self.defs.event_types:
            self._custom(event)
        # Any other type (a reward purchase or refund, a type from a newer version) is
        # recorded and changes no count: coins are derived from those events by their
        # own service, and unknown types are refused at the door (services/events.py).
        if event_type != catalog.SETTINGS_EVENT:
            if event_type != catalog.ACHIEVEMENT_CARRIED_EVENT:  # it is dated in the past
                self._top_of_the_board(pid)
            self._unlock_achievements(pid)
        if not with_outcome:
            return None
        outcome = self._outcome(event, points_before, affected, ledger_start,
                                achievements_start, milestones_start)
        held_now = next((s.freezes for s in outcome.streaks if s.type == _ACTIVITY), 0)
        assert freezes_before is not None  # read above whenever an outcome is wanted
        return replace(outcome, freezes=freeze_change(
            freezes_before, self._stored_freezes(pid), held_now or 0))

    def _stored_freezes(self, pid: int) -> tuple[int, frozenset[date]]:
        """The freezes as stored: held after the last qualifying day, days frozen by closed
        gaps (an open gap is only a reading; the event that closes it commits it)."""
        return (self.counter(pid, FREEZES_HELD, FREEZES_SCOPE),
                frozenset(self.frozen_days(pid)))

    def _settings_changed(self, event: EventIn) -> None:
        pid = event.profile_id
        new = Settings.from_meta(pid, event.meta)
        old = self.view.settings(pid)
        if old is None:
            self.top.settings_of[pid] = new
            self._settings_now.clear()
            self._calendar_now.clear()
            return
        changed = old.changed_at(new, event.occurred_at)
        self.top.settings_of[pid] = changed
        self._settings_now.clear()
        self._calendar_now.clear()
        # Kept as counters too, so that the live path reads them with the others.
        for day in sorted(changed.bridged - old.bridged):
            self.add(pid, day.isoformat(), 1, scope=BRIDGED_SCOPE)

    # -- ledger -------------------------------------------------------------------------------

    def _ledger(self, pid: int, entry_type: EntryType, points: int, reason: str, source: str,
                day: date, completion_id: int | None = None,
                reverses_id: int | None = None) -> None:
        assert self.event is not None
        top = self.top
        entry = (top.next_ledger_id(), pid, self.event.id, entry_type.value, points, reason[:200],
                 source, completion_id, reverses_id, day, self.now)
        top.ledger_rows.append(entry)
        signed = points if entry_type == EntryType.CREDIT else -points
        self.add(pid, POINTS_TOTAL, signed)
        self.day_row(pid, day)[_POINTS] += signed
        if completion_id is not None and entry_type == EntryType.CREDIT:
            top.credit_rows.setdefault(completion_id, []).append(entry)

    # -- completions --------------------------------------------------------------------------

    def _complete(self, event: EventIn, kind: Kind) -> dict[str, list[int]]:
        pid, meta, day, event_id = event.profile_id, event.meta, event.activity_day, event.id
        complexity = _int_meta(meta, "complexity", catalog.DEFAULT_COMPLEXITY, 1, 5) \
            if kind is Kind.TASK else catalog.DEFAULT_COMPLEXITY
        minutes = _int_meta(meta, "minutes", 0, 0, 100_000) if kind is Kind.SLOT else 0
        project_id = meta.get("project_id")
        due = meta.get("due")
        on_time = kind is Kind.TASK and bool(due) and day <= date.fromisoformat(str(due))
        completion: list[Any] = [event_id, pid, kind.value, meta.get("item_id"), project_id, day,
                      complexity, minutes, on_time, 0, True, None]
        top = self.top
        top.completion_rows[event_id] = completion
        top.by_day.setdefault(pid, {}).setdefault(day, []).append(event_id)
        top.completion_keys[(pid, event.key)] = event_id

        day_row = self.day_row(pid, day)
        newly_active = day_row[0] + day_row[1] + day_row[2] + day_row[3] == 0
        holders = {source: day_row[index] for source, index in _HOLDERS}
        day_row[_KIND_INDEX[kind]] += 1
        day_row[_FOCUS] += minutes
        self._count_completion(completion, +1)

        activity_run = None
        self._newly_frozen, self._newly_active = [], newly_active
        for streak_type in STREAKS_OF_KIND[kind]:
            run = self._streak_after_completion(pid, _STREAK_VALUE[streak_type], day)
            if streak_type is StreakType.DAILY_ACTIVITY:
                activity_run = run
        run_length = self._run_length_at(pid, day, activity_run)

        price = _price(kind, complexity, run_length)
        completion[9] = price
        title = str(meta.get("title") or _KIND_TEXT[kind])
        self._ledger(pid, EntryType.CREDIT, price, f"{_KIND_LABEL[kind]}: {title}",
                     catalog.COMPLETION_SOURCE[kind], day, completion_id=event_id)

        wall = event.occurred_at.astimezone(self._calendar(pid)[1])
        for bonus in rules.daily_bonuses(kind, wall, day, holders):
            self._ledger(pid, EntryType.CREDIT, bonus.points, bonus.reason, bonus.source, day,
                         completion_id=event_id)
            day_row[HOLDER_INDEX[bonus.source]] = event_id
            if bonus.source in BONUS_DAY_COUNTER:
                self.add(pid, BONUS_DAY_COUNTER[bonus.source], +1)
        self._perfect_week(pid, day)
        if activity_run is not None and newly_active:
            # Only a day that starts to count can lengthen a run (O(1) otherwise).
            self._adjust_later_prices(pid, day, activity_run)
            self._streak_milestones(pid, day, activity_run)
            self._runs_joined_by_freezes(pid, activity_run)
        self._milestones_for(pid, day, kind, project_id)
        # The week's first completion (this day just became active, the rest is empty):
        # the moment the profile can team up.
        if newly_active and sum(self.completions_on(pid, d) for d in _week_days(day)) == 1:
            self._team_player(pid, day)
        item_id = completion[3]
        return {_AFFECTED_KEY[kind]: [item_id] if item_id else []}

    def _count_completion(self, completion: list[Any], sign: int) -> None:
        pid, kind = completion[1], _KIND_OF[completion[2]]
        complexity, minutes, on_time = completion[6], completion[7], completion[8]
        self.add(pid, KIND_COUNTER[kind], sign)
        if kind is Kind.TASK and complexity == 5:
            self.add(pid, _C[Criteria.TASKS_COMPLEXITY_5], sign)
        if on_time:
            self.add(pid, _C[Criteria.AHEAD_OF_TIME], sign)
        if kind is Kind.SLOT:
            self.add(pid, _C[Criteria.FOCUS_MINUTES], sign * minutes)
            if minutes >= catalog.LONG_SLOT_MINUTES:
                self.add(pid, _C[Criteria.LONG_SLOTS], sign)
        milestone = _MILESTONE_KIND.get(kind)
        if milestone is not None and completion[4] is not None:
            self.add(pid, milestone[1], sign, scope=f"project:{completion[4]}")

    def _perfect_week(self, pid: int, day: date) -> None:
        assert self.event is not None
        key = _week_key(day)
        holder = self.view.week(pid, key)
        if holder is MISSING:
            self.top.week_rows[(pid, key)] = holder = None
        if holder is not None:
            return
        # SPEC v2 §2: only the days that are not excused (days off, vacations, days that
        # do not exist or were cut short) must have a completion; None marks the others.
        # The verdict does not depend on the order of the days: the last one first, as it
        # is the one most often still empty (one look instead of up to seven).
        if rules.is_perfect_week(None if self.calendar_excused(pid, d)
                                 else self.completions_on(pid, d)
                                 for d in reversed(_week_days(day))):
            bonus = catalog.PERFECT_WEEK
            self._ledger(pid, EntryType.CREDIT, bonus.points, bonus.reason, bonus.source, day,
                         completion_id=self.event.id)
            self.top.week_rows[(pid, key)] = self.event.id
            self.add(pid, _C[Criteria.PERFECT_WEEKS], +1)

    # -- streaks ------------------------------------------------------------------------------

    def _streak_after_completion(self, pid: int, streak_type: str, day: date
                                 ) -> rules.Run | None:
        """Update a streak after a completion on ``day``; the run through that unit."""
        unit = unit_of(streak_type, day)
        row = self.streak_row(pid, streak_type)  # the row exists once a kind was completed
        if not self.qualifies(pid, streak_type, unit):
            return None
        last = row[3]
        last_unit = None if last is None else unit_of(streak_type, last)
        if last_unit is None or unit > last_unit:
            # The common case: today extends (or starts) the latest run. O(1).
            activity = streak_type == _ACTIVITY
            if activity and last_unit is not None and row[2] is not None:
                self._freeze_gap(pid, last_unit + ONE_DAY, unit)
            gap_excused = last_unit is not None and self.all_excused(
                pid, streak_type, last_unit + step_of(streak_type), unit)
            if gap_excused and row[2] is not None:
                row[0] += 1
            else:
                row[0], row[2] = 1, unit
            row[3] = day
            row[1] = max(row[1], row[0])
            if activity:
                self._earn_freeze(pid, row[0])
            return rules.Run(row[2], unit, row[0])
        if unit == last_unit:
            if day > last:
                row[3] = day
            return rules.Run(row[2], last_unit, row[0])
        # Backdated: the unit may lengthen or join runs; walk the run through it. For the
        # activity run the freezes are walked again first (the day may give one back, or
        # change which later gaps are bridged); when they moved, the runs are recounted.
        refrozen = streak_type == _ACTIVITY and self._newly_active and self._refreeze(pid)
        run = rules.walk_run(unit, self.predicate(pid, streak_type),
                             self.excuse_predicate(pid, streak_type), step_of(streak_type))
        assert run is not None
        if refrozen:
            self.recompute_streak(pid, streak_type)
            return run
        if run.end == last_unit:
            row[2], row[0] = run.start, run.length
        row[1] = max(row[1], run.length)
        return run

    # -- streak freezes (SPEC v2 §4) ------------------------------------------------------------

    def frozen_days(self, pid: int) -> set[date]:
        return {date.fromisoformat(name) for (scope, name), value
                in self.view.counters(pid).items() if scope == FROZEN_SCOPE and value}

    def _set_frozen(self, pid: int, day: date, frozen: bool) -> None:
        name = day.isoformat()
        self.add(pid, name, int(frozen) - self.counter(pid, name, FROZEN_SCOPE), FROZEN_SCOPE)
        if frozen:
            self._newly_frozen.append(day)

    def _freeze_gap(self, pid: int, start: date, end_exclusive: date) -> None:
        """The common case: the gap before a new latest qualifying day is bridged when the
        freezes held cover its missed days (one walk step of :func:`rules.walk_freezes`)."""
        held = self.counter(pid, FREEZES_HELD, FREEZES_SCOPE)
        if not held:
            return
        gap = rules.freeze_gap(start, end_exclusive,
                               lambda d: self.calendar_excused(pid, d), held)
        if gap:
            for day in gap:
                self._set_frozen(pid, day, True)
            self.add(pid, FREEZES_HELD, -len(gap), FREEZES_SCOPE)

    def _earn_freeze(self, pid: int, run_length: int) -> None:
        held = self.counter(pid, FREEZES_HELD, FREEZES_SCOPE)
        earned = rules.freeze_earned(held, run_length)
        if earned != held:
            self.add(pid, FREEZES_HELD, earned - held, FREEZES_SCOPE)

    def _refreeze(self, pid: int) -> bool:
        """Walk the freezes over the whole calendar again (a backdated day, a reopened one)
        and store the result; whether the frozen days changed."""
        qualifying = [d for d in self.view.active_days(pid) if not self.excused_day(pid, d)]
        walk = rules.walk_freezes(qualifying, lambda d: self.calendar_excused(pid, d))
        before = self.frozen_days(pid)
        for day in sorted(before - walk.frozen):
            self._set_frozen(pid, day, False)
        for day in sorted(walk.frozen - before):
            self._set_frozen(pid, day, True)
        held = self.counter(pid, FREEZES_HELD, FREEZES_SCOPE)
        if walk.held != held:
            self.add(pid, FREEZES_HELD, walk.held - held, FREEZES_SCOPE)
        return before != walk.frozen

    def _runs_joined_by_freezes(self, pid: int, run: rules.Run) -> None:
        """A backdated day changed which later gaps a freeze bridges: the runs they now
        join are priced and rewarded as if known from the start (SPEC §2: adjustments,
        streak milestones). Gaps inside ``run`` were handled with it."""
        qualifies = self.predicate(pid, _ACTIVITY)
        excused = self.excuse_predicate(pid, _ACTIVITY)
        done: set[date] = set()
        for frozen in sorted(d for d in self._newly_frozen if d > run.end):
            anchor = frozen + ONE_DAY
            while not qualifies(anchor) and excused(anchor):
                anchor += ONE_DAY
            if anchor in done or not qualifies(anchor):
                continue
            done.add(anchor)
            joined = rules.walk_run(anchor, qualifies, excused)
            assert joined is not None
            self._adjust_later_prices(pid, anchor - ONE_DAY, joined)
            self._streak_milestones(pid, anchor, joined)

    def _run_length_at(self, pid: int, day: date, run: rules.Run | None) -> int:
        """S of SPEC §2: the daily_activity run ending on ``day``, counting that day."""
        if run is not None and run.end == day:
            return run.length
        qualifies = self.predicate(pid, _ACTIVITY)
        if run is not None:
            return rules.count_qualifying(run.start, day, qualifies)
        # The day itself does not count (a day off, a vacation): the run through the
        # days before it, if nothing broke it since.
        row = self.view.streak(pid, _ACTIVITY) or (0, 0, None, None)
        last = row[3]
        if last is not None and last < day and self.all_excused(pid, _ACTIVITY,
                                                                last + ONE_DAY, day):
            return int(row[0])
        excused = self.excuse_predicate(pid, _ACTIVITY)
        cursor = day - ONE_DAY
        while excused(cursor) and not qualifies(cursor):
            cursor -= ONE_DAY
        previous = rules.walk_run(cursor, qualifies, excused, ONE_DAY)
        if previous is None:
            return 0
        return rules.count_qualifying(previous.start, cursor, qualifies)

    def _streak_after_reversal(self, pid: int, streak_type: str, day: date) -> None:
        """Reopening may shorten or split runs: recompute the latest run and the longest."""
        unit = unit_of(streak_type, day)
        if self.qualifies(pid, streak_type, unit):
            if streak_type == _WEEKLY:
                row = self.streak_row(pid, streak_type)
                if row[3] is not None and unit_of(streak_type, row[3]) == unit:
                    row[3] = self.last_goal_day(pid, unit)
            return  # the unit still qualifies: no run changed
        if streak_type == _ACTIVITY:
            self._newly_frozen = []
            self._refreeze(pid)
        self.recompute_streak(pid, streak_type)

    def recompute_streak(self, pid: int, streak_type: str) -> None:
        """Full recount of one streak type from the day stats."""
        step = step_of(streak_type)
        units = sorted({unit_of(streak_type, d) for d in self.view.active_days(pid)})
        runs: list[rules.Run] = []
        for unit in units:
            if not self.qualifies(pid, streak_type, unit):
                continue
            if runs and self.all_excused(pid, streak_type, runs[-1].end + step, unit):
                last = runs[-1]
                runs[-1] = rules.Run(last.start, unit, last.length + 1)
            else:
                runs.append(rules.Run(unit, unit, 1))
        row = self.streak_row(pid, streak_type)
        if runs:
            end = runs[-1].end
            last_day = self.last_goal_day(pid, end) if streak_type == _WEEKLY else end
            row[:] = [runs[-1].length, max(run.length for run in runs), runs[-1].start,
                      last_day]
        else:
            row[:] = [0, 0, None, None]

    def _adjust_later_prices(self, pid: int, day: date, run: rules.Run) -> None:
        """A backdated day lengthened the run: later completions get `streak_adjustment`."""
        cursor = day + ONE_DAY
        excused = self.excuse_predicate(pid, _ACTIVITY)
        if not (cursor <= run.end or excused(cursor)):
            return  # the common case: nothing after this day in the run
        qualifies = self.predicate(pid, _ACTIVITY)
        length = rules.count_qualifying(run.start, day, qualifies)
        # S for every later day of the run, and for excused days inside or right after it
        # (a completion on a day off is priced with the run through the days before).
        later_days: dict[date, int] = {}
        added = 0
        while (cursor <= run.end or excused(cursor)) and added < MULTIPLIER_HORIZON:
            if qualifies(cursor):
                length += 1
                added += 1
            later_days[cursor] = length
            cursor += ONE_DAY
        for later in sorted(later_days):
            for event_id in self.view.completions_on(pid, later):
                found = self.view.completion(event_id)
                if found is None or not found[10]:
                    continue
                new_price = _price(Kind(found[2]), found[6], later_days[later])
                if new_price > found[9]:
                    completion = self.completion_row(event_id)
                    assert completion is not None
                    self._ledger(pid, EntryType.CREDIT, new_price - completion[9],
                                 "Streak adjustment (an earlier day joined the run)",
                                 catalog.STREAK_ADJUSTMENT_SOURCE, later,
                                 completion_id=event_id)
                    completion[9] = new_price

    def _streak_milestones(self, pid: int, day: date, run: rules.Run) -> None:
        assert self.event is not None
        due = [t for t in catalog.STREAK_MILESTONES if t <= run.length]
        if not due:
            return
        granted = self.view.streak_grants(pid, run.start, run.end)
        qualifies = self.predicate(pid, _ACTIVITY)
        for threshold in due:
            if threshold in granted:
                continue
            reached = rules.nth_qualifying(run.start, threshold, qualifies, run.end)
            if reached is None:
                # The stored run is stale (a counted day became a day off since): the
                # run as it qualifies today is shorter than the threshold.
                continue
            self.top.streak_grant_rows.append((pid, threshold, reached, self.event.id))
            self._ledger(pid, EntryType.CREDIT, catalog.STREAK_MILESTONES[threshold],
                         f"{threshold}-day streak", catalog.STREAK_MILESTONE_SOURCE, day)

    # -- milestones ---------------------------------------------------------------------------

    def _milestones_for(self, pid: int, day: date, kind: Kind, project_id: int | None) -> None:
        assert self.event is not None
        milestone = _MILESTONE_KIND.get(kind)
        if milestone is None:
            return
        milestone_kind, milestone_value = milestone
        scopes: list[tuple[str, str, int | None]] = [("global", GLOBAL, None)]
        if project_id is not None:
            scopes.append(("project", f"project:{project_id}", project_id))
        for scope, scope_key, project in scopes:
            found = _TRACKS.get((scope, milestone_kind))
            if found is None:
                continue
            track, counts = found
            count = self.counter(pid, KIND_COUNTER[kind] if scope == "global"
                                 else milestone_value, scope=scope_key)
            if count not in counts:
                continue  # counts move by one: a threshold is only due when reached
            granted = self.view.milestones(pid, milestone_value, scope_key)
            for threshold, points in rules.milestone_thresholds_due(track, count, granted):
                self.top.milestone_index.setdefault(
                    (pid, milestone_value, scope_key), set()).add(threshold)
                self.top.milestone_rows.append((pid, milestone_value, scope_key, threshold,
                                                points, track.source, self.event.id, self.now))
                name = self._project(project)[0] if project is not None else None
                label = f"{threshold} {milestone_value.replace('_', ' ')}"
                where = f" in {name}" if name else ""
                self._ledger(pid, EntryType.CREDIT, points, f"Milestone: {label}{where}",
                             track.source, day)

    def _project(self, project_id: int) -> tuple[str, bool]:
        return self.defs.projects.get(project_id) or (f"#{project_id}", True)

    # -- reversal, custom events --------------------------------------------------------------

    def _reverse(self, event: EventIn) -> dict[str, list[int]]:
        pid, meta = event.profile_id, event.meta
        target_id = meta.get("completion")
        if target_id is None and meta.get("reverses"):
            target_id = self.view.completion_for_key(pid, str(meta["reverses"]))
        try:
            found = self.view.completion(int(target_id)) if target_id else None
        except (TypeError, ValueError):
            found = None
        if found is None or found[1] != pid:
            raise ValidationError("reverses", "no completion event to reverse with that key")
        if not found[10]:
            raise ValidationError("reverses", "that completion was already reversed")
        completion = self.completion_row(found[0])
        assert completion is not None
        completion[10], completion[11] = False, event.id
        kind = Kind(completion[2])
        for credit in list(self.view.credits_of(completion[0])):
            self._ledger(pid, EntryType.DEBIT, credit[4], f"Reopened: {credit[5]}", credit[6],
                         credit[9], completion_id=completion[0], reverses_id=credit[0])
        day = completion[5]
        day_row = self.day_row(pid, day)
        day_row[_KIND_INDEX[kind]] -= 1
        day_row[_FOCUS] -= completion[7]
        self._count_completion(completion, -1)
        for source, index in _HOLDERS:
            if day_row[index] == completion[0]:
                day_row[index] = None
                if source in BONUS_DAY_COUNTER:
                    self.add(pid, BONUS_DAY_COUNTER[source], -1)
        key = _week_key(day)
        if self.view.week(pid, key) == completion[0]:
            self.top.week_rows[(pid, key)] = None
            self.add(pid, _C[Criteria.PERFECT_WEEKS], -1)
        for streak_type in STREAKS_OF_KIND[kind]:
            self._streak_after_reversal(pid, streak_type.value, day)
        item_id = completion[3]
        return {_AFFECTED_KEY[kind]: [item_id] if item_id else []}

    def _custom(self, event: EventIn) -> None:
        pid = event.profile_id
        self.add(pid, f"event:{event.type}", +1)
        points = self.defs.event_types[event.type]
        if points:
            self._ledger(pid, EntryType.CREDIT, points, event.type, "custom_event",
                         event.activity_day)

    def _reverse_custom(self, event: EventIn) -> None:
        """Undo of a custom event: its count and the points it credited go back."""
        pid, meta = event.profile_id, event.meta
        self.add(pid, f"event:{meta.get('type')}", -1)
        points = _int_meta(meta, "points", 0, 0, 10**9)
        if points:
            self._ledger(pid, EntryType.DEBIT, points, f"Undone: {meta.get('type')}",
                         "custom_event", event.activity_day)
    def _carried(self, event: EventIn) -> None:
        """An achievement earned from other profiles' activity, carried into a log that
        lacks them: its metric rises to the target (never falls), so the achievement loop
        below unlocks and credits it — or, already earned, nothing changes."""
        found = catalog.ACHIEVEMENTS_BY_ID.get(str(event.meta.get("achievement")))
        if found is None or found.criteria not in catalog.CARRIED_CRITERIA:
            raise ValidationError("achievement", "only an achievement that other profiles' "
                                  "activity decides can be carried, got "
                                  f"{event.meta.get('achievement')!r}")
        self.set_at_least(event.profile_id, _C[found.criteria], found.target)

    # -- after every event: social achievements, the achievement loop -----------------------

    def _team_player(self, pid: int, day: date) -> None:
        days = week_days(day)
        others = {other for other in self.view.profiles() if other != pid
                  and any(self.completions_on(other, d) > 0 for d in days)}
        if not others:
            return
        for profile_id in sorted({pid} | others):
            self._touch(profile_id)
            self.set_at_least(profile_id, _C[Criteria.TEAM_WEEKS], 1)
            if profile_id != pid:
                self._unlock_achievements(profile_id)

    def _top_of_the_board(self, pid: int) -> None:
        """Weeks that finished since the last check, in which this profile was active."""
        today = self.settings(pid).day_of(self.now)
        this_monday = _monday(today)
        last_finished = _week_key(this_monday - ONE_DAY)
        checked = self.view.board_checked(pid)
        if checked is MISSING:
            checked = None
        if checked == last_finished:
            return
        self.top.board_rows[pid] = last_finished
        if self.counter(pid, _C[Criteria.TOP_WEEKS]) >= 1:
            return
        if len(set(self.view.profiles())) < 2:
            return  # a week is only won among ≥ 2 profiles (_won_week): none can be
        since = None
        if checked is not None:
            year, week = (int(part) for part in checked.split("-W"))
            since = date.fromisocalendar(year, week, 7) + ONE_DAY
        mondays = sorted({_monday(d) for d in self.view.active_days(pid, since, this_monday)})
        for monday in mondays[-BOARD_WEEKS_CHECKED:]:
            if self._won_week(pid, monday):
                self.set_at_least(pid, _C[Criteria.TOP_WEEKS], 1)
                return

    def _won_week(self, pid: int, monday: date) -> bool:
        """#1 by points among ≥ 2 profiles that completed something that week."""
        days = [monday + timedelta(days=i) for i in range(7)]
        active = {}
        for other in self.view.profiles():
            rows = [row for d in days if (row := self.view.day(other, d)) is not None]
            if rows and sum(r[0] + r[1] + r[2] + r[3] for r in rows) > 0:
                active[other] = sum(r[_POINTS] for r in rows)
        mine = active.get(pid)
        return len(active) >= 2 and mine is not None and mine > 0 and mine >= max(
            active.values())

    def _crossed(self, pid: int) -> bool:
        """Whether a catalog achievement's metric crossed its target during this event.
        Only changed metrics can cross."""
        changed, points_before, longest_before = self._touched[pid]
        for name, old in changed.items():
            targets = _TARGETS.get(name)
            if targets and _crosses(targets, old, self.counter(pid, name)):
                return True
        streak = self.view.streak(pid, _ACTIVITY)
        if _crosses(_STREAK_TARGETS, longest_before, streak[1] if streak else 0):
            return True
        total = self.counter(pid, POINTS_TOTAL)
        return total != points_before and _crosses(
            _LEVEL_TARGETS, level_number(points_before), level_number(total))

    def metrics(self, pid: int) -> dict[str, int]:
        """What achievements measure: global counters, longest activity streak, level."""
        values = {name: value for (scope, name), value in self.view.counters(pid).items()
                  if scope == GLOBAL}
        streak = self.view.streak(pid, _ACTIVITY)
        values[_STREAK_METRIC] = streak[1] if streak else 0
        values[_LEVEL_METRIC] = level_number(self.counter(pid, POINTS_TOTAL))
        return values

    def _unlock_achievements(self, pid: int) -> None:
        """Unlock until nothing new unlocks (points can raise a level, which can unlock)."""
        assert self.event is not None
        self._touch(pid)
        defined = self.view.defined(pid)
        customs = [a for a in self.defs.customs.get(pid, ())
                   if defined is None or a.id in defined]
        if not customs and not self._crossed(pid):
            return
        candidates = list(catalog.ACHIEVEMENTS) + customs
        unlocked = set(self.view.unlocked(pid))
        while True:
            due = rules.achievements_to_unlock(candidates, self.metrics(pid), unlocked)
            if not due:
                return
            for achievement in due:
                unlocked.add(achievement.id)
                self.top.unlocked_ids.setdefault(pid, set()).add(achievement.id)
                self.top.achievement_rows.append((pid, achievement.id, achievement.target,
                                                  True, self.now, self.event.id))
                if achievement.points:
                    self._ledger(pid, EntryType.CREDIT, achievement.points,
                                 f"Achievement: {achievement.name}",
                                 catalog.ACHIEVEMENT_SOURCE, self.event.activity_day)

    # -- the outcome --------------------------------------------------------------------------

    def _outcome(self, event: EventIn, points_before: int, affected: dict[str, list[int]],
                 ledger_start: int, achievements_start: int, milestones_start: int) -> Outcome:
        pid = event.profile_id
        mine = [e for e in self.top.ledger_rows[ledger_start:] if e[1] == pid]
        credits = tuple(LedgerLine(EntryType.CREDIT, e[4], e[5], e[6]) for e in mine
                        if e[3] == EntryType.CREDIT)
        debits = tuple(LedgerLine(EntryType.DEBIT, e[4], e[5], e[6]) for e in mine
                       if e[3] == EntryType.DEBIT)
        achievements = []
        all_customs = {a.id: a for customs in self.defs.customs.values() for a in customs}
        for row in self.top.achievement_rows[achievements_start:]:
            if row[0] == pid:
                found = catalog.ACHIEVEMENTS_BY_ID.get(row[1]) or all_customs[row[1]]
                achievements.append(UnlockedAchievement(found.id, found.name, found.points))
        milestones = []
        for row in self.top.milestone_rows[milestones_start:]:
            if row[0] == pid:
                scope_key = row[2]
                project = int(scope_key.split(":")[1]) if scope_key != GLOBAL else None
                name, enabled = self._project(project) if project is not None else (None, True)
                milestones.append(ReachedMilestone(
                    row[5], "global" if project is None else "project", row[1], name, row[3],
                    row[4], muted=not enabled))
        total = self.counter(pid, POINTS_TOTAL)
        change = rules.level_change(points_before, total)
        level_up = None
        if change is not None and change.new > change.previous:
            level_up = LevelUp(change.previous, change.new, change.title)
        return Outcome(
            event_id=event.id, key=event.key, event_type=event.type,
            points_awarded=total - points_before, credits=credits, debits=debits,
            achievements=tuple(achievements), milestones=tuple(milestones),
            level_up=level_up, level=level_number(total), total_points=total,
            streaks=streak_states(self.view, self.settings(pid), pid,
                                  self.settings(pid).day_of(self.now)),
            affected=affected)


def freezes_on(view: StateView, settings: Settings, pid: int, today: date
               ) -> tuple[int, frozenset[date]]:
    """The freezes held and the frozen days as read on ``today`` (SPEC v2 §4): the stored
    walk up to the last qualifying day, and the gap still open after it judged by the
    days already over (today is not over)."""
    counters = view.counters(pid)
    held = counters.get((FREEZES_SCOPE, FREEZES_HELD), 0)
    frozen = {date.fromisoformat(name) for (scope, name), value in counters.items()
              if scope == FROZEN_SCOPE and value}
    row = view.streak(pid, _ACTIVITY)
    last = row[3] if row is not None else None
    if held and last is not None and row is not None and row[0] and last < today - ONE_DAY:
        gap = rules.freeze_gap(last + ONE_DAY, today,
                               lambda d: settings.excused(d) or d in settings.bridged, held)
        if gap:
            frozen.update(gap)
            held -= len(gap)
    return held, frozenset(frozen)


def freeze_change(before: tuple[int, frozenset[date]], after: tuple[int, frozenset[date]],
                  held_now: int) -> FreezeChange:
    """What an event did to the stored freezes: held moves by earned − used + returned, so
    ``earned = Δheld + used − returned``. ``held_now``: the freezes as read after it."""
    (held_before, frozen_before), (held, frozen) = before, after
    used = tuple(d.isoformat() for d in sorted(frozen - frozen_before))
    returned = tuple(d.isoformat() for d in sorted(frozen_before - frozen))
    return FreezeChange(held_now, max(0, held - held_before + len(used) - len(returned)),
                        used, returned)


def streak_states(view: StateView, settings: Settings, pid: int, today: date
                  ) -> tuple[StreakState, ...]:
    """Every streak type as read on ``today`` (a missed unit reads 0; a day a freeze
    bridged is stepped over by the daily_activity run, which carries the freezes)."""
    result = []
    held, frozen = freezes_on(view, settings, pid, today)
    frozen_days = tuple(d.isoformat() for d in sorted(frozen))
    for streak_type in _STREAK_TYPES:
        activity = streak_type == _ACTIVITY
        freezes = (held, frozen_days) if activity else (None, None)
        row = view.streak(pid, streak_type)
        if row is None:
            result.append(StreakState(streak_type, 0, 0, None, *freezes))
            continue
        if streak_type == _WEEKLY:
            def excused(unit: date) -> bool:
                return False
        else:
            def excused(unit: date) -> bool:  # called in this iteration only
                return settings.excused(unit) or unit in settings.bridged or (
                    activity and unit in frozen)  # noqa: B023
        last = row[3]
        current = rules.displayed_current(
            row[0], None if last is None else unit_of(streak_type, last),
            unit_of(streak_type, today), excused, step_of(streak_type))
        result.append(StreakState(streak_type, current, row[1],
                                  last.isoformat() if last else None, *freezes))
    return tuple(result)


def _int_meta(meta: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = meta.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(name, f"not a whole number: {value!r}") from None
    if not low <= number <= high:
        raise ValidationError(name, f"must be between {low} and {high}, got {number}")
    return number


def iter_sources() -> Iterator[str]:
    """Every ledger source the engine writes (for docs and the catalog meta-test)."""
    yield from catalog.COMPLETION_SOURCE.values()
    yield from (bonus.source for bonus in catalog.BONUSES)
    yield catalog.STREAK_ADJUSTMENT_SOURCE
    yield catalog.STREAK_MILESTONE_SOURCE
    yield catalog.ACHIEVEMENT_SOURCE
    yield from (track.source for track in catalog.MILESTONE_TRACKS)
    yield "custom_event"
