"""``process_event``: one event in, one outcome out, inside the caller's transaction.

The processor loads the small state snapshot an event needs (the profile's settings,
its counters, the day and week it touches, its streak rows), asks :mod:`.rules` what the
event earns, and writes ledger rows, counters, streaks, achievements and milestones.
Every step reads a bounded number of rows, so an event costs the same with 10k or 1M
events of history (``bench/engine.py`` measures it). A backdated completion also walks
the streak run it lengthens; that walk is bounded by the run, not by history.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import Criteria, Kind, StreakType
from ..clock import local_time, week_days, week_key
from ..errors import ValidationError
from ..models import (
    AchievementProgress,
    Completion,
    CustomAchievement,
    DayStat,
    Event,
    EventType,
    LedgerEntry,
    MilestoneGrant,
    Profile,
    Project,
    WeekStat,
)
from . import rules
from .outcome import LedgerLine, Outcome, ReachedMilestone, StreakState, UnlockedAchievement
from .state import (
    GLOBAL,
    ONE_DAY,
    POINTS_TOTAL,
    ProfileState,
    Settings,
    load_settings,
)
from .streaks import StreakRules

#: How many finished weeks back the weekly board is looked at after a long absence.
BOARD_WEEKS_CHECKED = 104
BONUS_HOLDER_COLUMN = {
    catalog.FIRST_TASK_OF_DAY.source: "first_task_holder",
    catalog.EARLY_BIRD.source: "early_bird_holder",
    catalog.NIGHT_OWL.source: "night_owl_holder",
    catalog.WEEKEND_ACTIVITY.source: "weekend_holder",
}
#: Counters that count the days a bonus was held (achievements early_bird & co).
BONUS_DAY_COUNTER = {
    catalog.EARLY_BIRD.source: Criteria.EARLY_BIRD_DAYS.value,
    catalog.NIGHT_OWL.source: Criteria.NIGHT_OWL_DAYS.value,
    catalog.WEEKEND_ACTIVITY.source: Criteria.WEEKEND_DAYS.value,
}
KIND_COUNTER = {
    Kind.TASK: Criteria.TASKS.value, Kind.STEP: Criteria.STEPS.value,
    Kind.SLOT: Criteria.SLOTS.value, Kind.GOAL: Criteria.GOALS.value,
}
DAY_COLUMN = {Kind.TASK: "tasks", Kind.STEP: "steps", Kind.SLOT: "slots", Kind.GOAL: "goals"}
#: Streak types a completion kind can change.
STREAKS_OF_KIND = {
    Kind.TASK: (StreakType.DAILY_ACTIVITY, StreakType.DAILY_TARGET),
    Kind.STEP: (StreakType.DAILY_ACTIVITY, StreakType.WEEKLY_GOAL),
    Kind.SLOT: (StreakType.DAILY_ACTIVITY, StreakType.DAILY_FOCUS),
    Kind.GOAL: (StreakType.DAILY_ACTIVITY, StreakType.WEEKLY_GOAL),
}


def new_event_key() -> str:
    return uuid.uuid4().hex


class Processor(StreakRules):
    """Processes events for the profiles of one database session."""

    def __init__(self, session: Session, now: datetime,
                 settings: dict[int, Settings] | None = None,
                 defined_customs: set[str] | None = None) -> None:
        self.session = session
        self.now = now
        #: A replay's history: the settings each profile had, and the custom achievements
        #: defined so far (None: the current ones).
        self.settings = settings or {}
        self.defined_customs = defined_customs
        self.states: dict[int, ProfileState] = {}
        self._lines: list[tuple[int, LedgerEntry]] = []
        self._achievements: list[tuple[int, UnlockedAchievement]] = []
        self._milestones: list[tuple[int, ReachedMilestone]] = []
        self._project_names: dict[int, tuple[str, bool]] = {}

    def state(self, profile_id: int) -> ProfileState:
        if profile_id not in self.states:
            settings = self.settings.get(profile_id) or load_settings(self.session, profile_id)
            self.states[profile_id] = ProfileState(self.session, settings)
        return self.states[profile_id]

    # -- entry point ---------------------------------------------------------------

    def process(self, profile_id: int, event_type: str, meta: dict[str, Any],
                occurred_at: datetime, key: str | None = None) -> Outcome:
        key = key if key is not None else new_event_key()
        existing = self.session.scalar(
            select(Event).where(Event.profile_id == profile_id, Event.key == key))
        if existing is not None and existing.outcome is not None:
            return Outcome.from_json(existing.outcome, replayed=True)
        handler = self._handler_for(event_type)
        state = self.state(profile_id)
        points_before = state.counter(POINTS_TOTAL)
        event = Event(profile_id=profile_id, key=key, type=event_type,
                      occurred_at=occurred_at, activity_day=state.settings.day_of(occurred_at),
                      processed_at=self.now, meta=dict(meta))
        self.session.add(event)
        self.session.flush()
        outcome = self._apply(handler, state, event, points_before)
        event.outcome = outcome.to_json()
        self.session.flush()
        return outcome

    def replay(self, event: Event) -> Outcome:
        """Apply a stored event again, as of when it was processed (``momentum doctor``)."""
        self.now = event.processed_at
        state = self.state(event.profile_id)
        return self._apply(self._handler_for(event.type), state, event,
                           state.counter(POINTS_TOTAL))

    def _apply(self, handler: Any, state: ProfileState, event: Event,
               points_before: int) -> Outcome:
        # Rows this event writes are flushed where a query must see them, not before
        # every read: autoflush on each lookup was the main cost of an event.
        with self.session.no_autoflush:
            affected = handler(state, event)
            if event.type != catalog.SETTINGS_EVENT:
                self._after_event(state, event)
            outcome = self._outcome(state, event, points_before, affected)
        self.session.flush()
        return outcome

    def _handler_for(self, event_type: str) -> Any:
        if event_type in catalog.KIND_BY_SOURCE:
            return self._complete
        if event_type == catalog.REVERSAL_EVENT:
            return self._reverse
        if event_type == catalog.REPORT_EXPORTED_EVENT:
            return self._report_exported
        if event_type in (catalog.SETTINGS_EVENT, catalog.ACHIEVEMENT_DEFINED_EVENT):
            return self._record_only
        custom = self.session.scalar(select(EventType).where(EventType.name == event_type))
        if custom is None:
            raise ValidationError("event_type", f"unknown event type: {event_type!r} "
                                  "(add it with `momentum event-type add NAME POINTS`)")
        return lambda state, event: self._custom(state, event, custom)

    # -- ledger --------------------------------------------------------------------

    def _ledger(self, state: ProfileState, event: Event, entry_type: str, points: int,
                reason: str, source: str, day: date, completion_id: int | None = None,
                reverses_id: int | None = None) -> LedgerEntry:
        entry = LedgerEntry(profile_id=state.profile_id, event_id=event.id,
                            entry_type=entry_type, points=points, reason=reason[:200],
                            source=source, completion_id=completion_id,
                            reverses_id=reverses_id, activity_day=day,
                            created_at=self.now)
        self.session.add(entry)
        signed = points if entry_type == "credit" else -points
        state.add(POINTS_TOTAL, signed)
        state.days.get_or_create(day).points += signed
        self._lines.append((state.profile_id, entry))
        return entry

    # -- completions ---------------------------------------------------------------

    def _complete(self, state: ProfileState, event: Event) -> dict[str, list[int]]:
        kind = catalog.KIND_BY_SOURCE[event.type]
        meta = event.meta
        complexity = _int_meta(meta, "complexity", catalog.DEFAULT_COMPLEXITY, 1, 5) \
            if kind is Kind.TASK else catalog.DEFAULT_COMPLEXITY
        minutes = _int_meta(meta, "minutes", 0, 0, 100_000) if kind is Kind.SLOT else 0
        project_id = meta.get("project_id")
        due = meta.get("due")
        day = event.activity_day
        on_time = kind is Kind.TASK and bool(due) and day <= date.fromisoformat(str(due))
        completion = Completion(event_id=event.id, profile_id=state.profile_id, kind=kind.value,
                                item_id=meta.get("item_id"), project_id=project_id,
                                activity_day=day, complexity=complexity, minutes=minutes,
                                on_time=on_time, price=0, active=True)
        self.session.add(completion)

        day_row = state.days.get_or_create(day)
        newly_active = day_row.completions == 0
        holders = {source: getattr(day_row, column)
                   for source, column in BONUS_HOLDER_COLUMN.items()}
        setattr(day_row, DAY_COLUMN[kind], getattr(day_row, DAY_COLUMN[kind]) + 1)
        day_row.focus_minutes += minutes
        self._count_completion(state, completion, +1)

        activity_run = None
        for streak_type in STREAKS_OF_KIND[kind]:
            run = self._streak_after_completion(state, streak_type, day)
            if streak_type is StreakType.DAILY_ACTIVITY:
                activity_run = run
        run_length = self._run_length_at(state, day, activity_run)

        price = catalog.completion_price(kind, complexity, run_length)
        completion.price = price
        title = str(meta.get("title") or kind.value.replace("_", " "))
        self._ledger(state, event, "credit", price, f"{_KIND_LABEL[kind]}: {title}",
                     catalog.COMPLETION_SOURCE[kind], day, completion_id=event.id)

        wall = local_time(event.occurred_at, state.settings.timezone)
        for bonus in rules.daily_bonuses(kind, wall, day, holders):
            self._ledger(state, event, "credit", bonus.points, bonus.reason, bonus.source, day,
                         completion_id=event.id)
            setattr(day_row, BONUS_HOLDER_COLUMN[bonus.source], event.id)
            if bonus.source in BONUS_DAY_COUNTER:
                state.add(BONUS_DAY_COUNTER[bonus.source], +1)
        self._perfect_week(state, event, day)
        if activity_run is not None and newly_active:
            # Only a day that starts to count can lengthen a run (O(1) otherwise).
            self._adjust_later_prices(state, event, day, activity_run)
            self._streak_milestones(state, event, activity_run)
        self._milestones_for(state, event, kind, project_id)
        week_total = sum(row.completions for d in week_days(day) if (row := state.days.get(d)))
        if week_total == 1:
            # The profile's first completion of that week: the moment it can team up.
            self._team_player(state, event, day)
        return {_AFFECTED_KEY[kind]: [completion.item_id] if completion.item_id else []}

    def _count_completion(self, state: ProfileState, completion: Completion, sign: int) -> None:
        kind = Kind(completion.kind)
        state.add(KIND_COUNTER[kind], sign)
        if kind is Kind.TASK and completion.complexity == 5:
            state.add(Criteria.TASKS_COMPLEXITY_5.value, sign)
        if completion.on_time:
            state.add(Criteria.AHEAD_OF_TIME.value, sign)
        if kind is Kind.SLOT:
            state.add(Criteria.FOCUS_MINUTES.value, sign * completion.minutes)
            if completion.minutes >= catalog.LONG_SLOT_MINUTES:
                state.add(Criteria.LONG_SLOTS.value, sign)
        milestone_kind = catalog.MILESTONE_KIND_BY_COMPLETION.get(kind)
        if milestone_kind is not None and completion.project_id is not None:
            state.add(milestone_kind.value, sign, scope=f"project:{completion.project_id}")

    def _perfect_week(self, state: ProfileState, event: Event, day: date) -> None:
        key = week_key(day)
        week = self.session.get(WeekStat, (state.profile_id, key))
        if week is None:
            week = WeekStat(profile_id=state.profile_id, week=key, perfect_week_holder=None)
            self.session.add(week)
        if week.perfect_week_holder is not None:
            return
        counts = [(row.completions if (row := state.days.get(d)) else 0) for d in week_days(day)]
        if rules.is_perfect_week(counts):
            bonus = catalog.PERFECT_WEEK
            self._ledger(state, event, "credit", bonus.points, bonus.reason, bonus.source, day,
                         completion_id=event.id)
            week.perfect_week_holder = event.id
            state.add(Criteria.PERFECT_WEEKS.value, +1)

    # -- milestones ------------------------------------------------------------------

    def _milestones_for(self, state: ProfileState, event: Event, kind: Kind,
                        project_id: int | None) -> None:
        milestone_kind = catalog.MILESTONE_KIND_BY_COMPLETION.get(kind)
        if milestone_kind is None:
            return
        scopes: list[tuple[str, str, int | None]] = [("global", GLOBAL, None)]
        if project_id is not None:
            scopes.append(("project", f"project:{project_id}", project_id))
        for scope, scope_key, pid in scopes:
            track = catalog.milestone_track(scope, milestone_kind)
            if track is None:
                continue
            count = state.counter(KIND_COUNTER[kind] if scope == "global"
                                  else milestone_kind.value, scope=GLOBAL if scope == "global"
                                  else scope_key)
            if count not in track.threshold_counts:
                continue  # counts move by one: a threshold is only due when reached
            granted = self.session.scalars(select(MilestoneGrant.threshold).where(
                MilestoneGrant.profile_id == state.profile_id,
                MilestoneGrant.kind == milestone_kind.value, MilestoneGrant.scope == scope_key))
            name, enabled = self._project(pid) if pid is not None else (None, True)
            for threshold, points in rules.milestone_thresholds_due(track, count, granted):
                self.session.add(MilestoneGrant(
                    profile_id=state.profile_id, kind=milestone_kind.value, scope=scope_key,
                    threshold=threshold, points=points, source=track.source,
                    event_id=event.id, granted_at=self.now))
                label = f"{threshold} {milestone_kind.value.replace('_', ' ')}"
                where = f" in {name}" if name else ""
                self._ledger(state, event, "credit", points, f"Milestone: {label}{where}",
                             track.source, event.activity_day)
                self._milestones.append((state.profile_id, ReachedMilestone(
                    track.source, scope, milestone_kind.value, name, threshold, points,
                    muted=not enabled)))

    def _project(self, project_id: int) -> tuple[str, bool]:
        if project_id not in self._project_names:
            project = self.session.get(Project, project_id)
            self._project_names[project_id] = (
                (project.name, project.goals_enabled) if project else (f"#{project_id}", True))
        return self._project_names[project_id]

    # -- reversal --------------------------------------------------------------------

    def _reverse(self, state: ProfileState, event: Event) -> dict[str, list[int]]:
        completion = self._reversal_target(state, event.meta)
        completion.active = False
        completion.reversed_by = event.id
        kind = Kind(completion.kind)
        credits = self.session.scalars(select(LedgerEntry).where(
            LedgerEntry.completion_id == completion.event_id,
            LedgerEntry.entry_type == "credit").order_by(LedgerEntry.id)).all()
        for credit in credits:
            self._ledger(state, event, "debit", credit.points, f"Reopened: {credit.reason}",
                         credit.source, credit.activity_day, completion_id=completion.event_id,
                         reverses_id=credit.id)
        day = completion.activity_day
        day_row = state.days.get_or_create(day)
        setattr(day_row, DAY_COLUMN[kind], getattr(day_row, DAY_COLUMN[kind]) - 1)
        day_row.focus_minutes -= completion.minutes
        self._count_completion(state, completion, -1)
        for source, column in BONUS_HOLDER_COLUMN.items():
            if getattr(day_row, column) == completion.event_id:
                setattr(day_row, column, None)
                if source in BONUS_DAY_COUNTER:
                    state.add(BONUS_DAY_COUNTER[source], -1)
        week = self.session.get(WeekStat, (state.profile_id, week_key(day)))
        if week is not None and week.perfect_week_holder == completion.event_id:
            week.perfect_week_holder = None
            state.add(Criteria.PERFECT_WEEKS.value, -1)
        for streak_type in STREAKS_OF_KIND[kind]:
            self._streak_after_reversal(state, streak_type, day)
        return {_AFFECTED_KEY[kind]: [completion.item_id] if completion.item_id else []}

    def _reversal_target(self, state: ProfileState, meta: dict[str, Any]) -> Completion:
        target_id = meta.get("completion")
        if target_id is None and meta.get("reverses"):
            target_id = self.session.scalar(select(Event.id).where(
                Event.profile_id == state.profile_id, Event.key == str(meta["reverses"])))
        try:
            completion = self.session.get(Completion, int(target_id)) if target_id else None
        except (TypeError, ValueError):
            completion = None
        if completion is None or completion.profile_id != state.profile_id:
            raise ValidationError("reverses", "no completion event to reverse with that key")
        if not completion.active:
            raise ValidationError("reverses", "that completion was already reversed")
        return completion

    # -- other events ----------------------------------------------------------------

    def _record_only(self, state: ProfileState, event: Event) -> dict[str, list[int]]:
        """Events that change no count; achievements are still evaluated after them."""
        return {}

    def _report_exported(self, state: ProfileState, event: Event) -> dict[str, list[int]]:
        state.add(Criteria.REPORTS.value, +1)
        return {}

    def _custom(self, state: ProfileState, event: Event, event_type: EventType
                ) -> dict[str, list[int]]:
        state.add(f"event:{event_type.name}", +1)
        if event_type.points:
            self._ledger(state, event, "credit", event_type.points, event_type.name,
                         "custom_event", event.activity_day)
        return {}

    # -- after every event: social achievements, the achievement loop -----------------

    def _team_player(self, state: ProfileState, event: Event, day: date) -> None:
        days = week_days(day)
        others = set(self.session.scalars(select(DayStat.profile_id).where(
            DayStat.profile_id != state.profile_id, DayStat.day.between(days[0], days[-1]),
            (DayStat.tasks + DayStat.steps + DayStat.slots + DayStat.goals) > 0)))
        if not others:
            return
        for profile_id in {state.profile_id} | others:
            self.state(profile_id).set_at_least(Criteria.TEAM_WEEKS.value, 1)
            if profile_id != state.profile_id:
                self._unlock_achievements(self.state(profile_id), event)

    def _top_of_the_board(self, state: ProfileState) -> None:
        """Weeks that finished since the last check, in which this profile was active."""
        today = state.settings.day_of(self.now)
        this_monday = today - timedelta(days=today.weekday())
        last_finished = week_key(this_monday - ONE_DAY)
        profile = self.session.get(Profile, state.profile_id)
        assert profile is not None
        checked = profile.board_checked_week
        if checked == last_finished:
            return
        profile.board_checked_week = last_finished
        if state.counter(Criteria.TOP_WEEKS.value) >= 1:
            return
        query = select(DayStat.day).where(
            DayStat.profile_id == state.profile_id, DayStat.day < this_monday,
            (DayStat.tasks + DayStat.steps + DayStat.slots + DayStat.goals) > 0)
        if checked is not None:
            year, week = (int(part) for part in checked.split("-W"))
            query = query.where(DayStat.day >= date.fromisocalendar(year, week, 7) + ONE_DAY)
        self.session.flush()
        mondays = sorted({d - timedelta(days=d.weekday()) for d in self.session.scalars(query)})
        for monday in mondays[-BOARD_WEEKS_CHECKED:]:
            if self._won_week(state.profile_id, monday):
                state.set_at_least(Criteria.TOP_WEEKS.value, 1)
                return

    def _won_week(self, profile_id: int, monday: date) -> bool:
        """#1 by points among ≥ 2 profiles that completed something that week."""
        rows = self.session.execute(select(
            DayStat.profile_id, func.sum(DayStat.points),
            func.sum(DayStat.tasks + DayStat.steps + DayStat.slots + DayStat.goals),
        ).where(DayStat.day.between(monday, monday + timedelta(days=6)))
            .group_by(DayStat.profile_id)).all()
        active = {pid: int(points or 0) for pid, points, completions in rows
                  if (completions or 0) > 0}
        mine = active.get(profile_id)
        return len(active) >= 2 and mine is not None and mine > 0 and mine >= max(
            active.values())

    def _after_event(self, state: ProfileState, event: Event) -> None:
        self._top_of_the_board(state)
        self._unlock_achievements(state, event)

    def _unlock_achievements(self, state: ProfileState, event: Event) -> None:
        """Unlock until nothing new unlocks (points can raise a level, which can unlock)."""
        customs = [a for a in custom_achievements(self.session, state.profile_id)
                   if self.defined_customs is None or a.id in self.defined_customs]
        metrics = state.metrics()
        crossed = [a for a in catalog.ACHIEVEMENTS
                   if rules.achievement_metric(a, state.metrics_before) < a.target
                   <= rules.achievement_metric(a, metrics)]
        if not crossed and not customs:
            return
        self.session.flush()
        unlocked = set(self.session.scalars(select(AchievementProgress.achievement_id).where(
            AchievementProgress.profile_id == state.profile_id,
            AchievementProgress.completed.is_(True))))
        candidates = list(catalog.ACHIEVEMENTS) + customs
        while True:
            due = rules.achievements_to_unlock(candidates, state.metrics(), unlocked)
            if not due:
                return
            for achievement in due:
                unlocked.add(achievement.id)
                self.session.add(AchievementProgress(
                    profile_id=state.profile_id, achievement_id=achievement.id,
                    progress=achievement.target, completed=True, completed_at=self.now,
                    event_id=event.id))
                if achievement.points:
                    self._ledger(state, event, "credit", achievement.points,
                                 f"Achievement: {achievement.name}", catalog.ACHIEVEMENT_SOURCE,
                                 event.activity_day)
                self._achievements.append((state.profile_id, UnlockedAchievement(
                    achievement.id, achievement.name, achievement.points)))

    # -- the outcome -----------------------------------------------------------------

    def _outcome(self, state: ProfileState, event: Event, points_before: int,
                 affected: dict[str, list[int]]) -> Outcome:
        mine = [entry for pid, entry in self._lines if pid == state.profile_id]
        credits = tuple(LedgerLine("credit", e.points, e.reason, e.source)
                        for e in mine if e.entry_type == "credit")
        debits = tuple(LedgerLine("debit", e.points, e.reason, e.source)
                       for e in mine if e.entry_type == "debit")
        total = state.counter(POINTS_TOTAL)
        change = rules.level_change(points_before, total)
        level_up = None
        if change is not None and change.new > change.previous:
            level_up = {"from": change.previous, "to": change.new, "title": change.title}
        today = state.settings.day_of(self.now)
        outcome = Outcome(
            event_id=event.id, key=event.key, event_type=event.type,
            points_awarded=total - points_before, credits=credits, debits=debits,
            achievements=tuple(a for pid, a in self._achievements if pid == state.profile_id),
            milestones=tuple(m for pid, m in self._milestones if pid == state.profile_id),
            level_up=level_up, level=catalog.level_for_points(total).number,
            total_points=total, streaks=streak_states(state, today), affected=affected)
        self._lines.clear()
        self._achievements.clear()
        self._milestones.clear()
        return outcome


def streak_states(state: ProfileState, today: date) -> tuple[StreakState, ...]:
    """Every streak type as read on ``today`` (a missed unit reads 0)."""
    result = []
    for streak_type in StreakType:
        row = state.streaks.get(streak_type.value)
        if row is None:
            result.append(StreakState(streak_type.value, 0, 0, None))
            continue
        current = rules.displayed_current(
            row.current, row.last_activity_date, state.unit_of(streak_type, today),
            state.excuse_predicate(streak_type), state.step_of(streak_type))
        last = row.last_activity_date.isoformat() if row.last_activity_date else None
        result.append(StreakState(streak_type.value, current, row.longest, last))
    return tuple(result)


def custom_achievements(session: Session, profile_id: int) -> list[catalog.Achievement]:
    query = select(CustomAchievement).where(CustomAchievement.profile_id == profile_id)
    return [
        catalog.Achievement(f"custom:{row.id}", row.name, row.description, row.points, "custom",
                            Criteria(row.criteria), row.target, row.icon, row.event_type)
        for row in session.scalars(query)
    ]


def _int_meta(meta: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = meta.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(name, f"not a whole number: {value!r}") from None
    if not low <= number <= high:
        raise ValidationError(name, f"must be between {low} and {high}, got {number}")
    return number


_KIND_LABEL = {Kind.TASK: "Task", Kind.STEP: "Goal step", Kind.SLOT: "Time slot",
               Kind.GOAL: "Goal"}
_AFFECTED_KEY = {Kind.TASK: "tasks", Kind.STEP: "steps", Kind.SLOT: "slots", Kind.GOAL: "goals"}


def iter_sources() -> Iterable[str]:
    """Every ledger source the engine writes (for docs and the catalog meta-test)."""
    yield from catalog.COMPLETION_SOURCE.values()
    yield from (bonus.source for bonus in catalog.BONUSES)
    yield catalog.STREAK_ADJUSTMENT_SOURCE
    yield catalog.STREAK_MILESTONE_SOURCE
    yield catalog.ACHIEVEMENT_SOURCE
    yield from (track.source for track in catalog.MILESTONE_TRACKS)
    yield "custom_event"
