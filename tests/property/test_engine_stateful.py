"""Property tests of the engine over the real services on a real SQLite file.

1. A Hypothesis state machine adds and completes tasks (random complexity, backdated up
   to 20 days), slots and steps, reopens and deletes random items, logs custom events
   and moves the clock; after every step the ledger, the counter and the day stats
   agree, no completion holds a credit twice, no bonus is held twice a day, nothing is
   unlocked or granted twice; at teardown ``momentum doctor`` rebuilds everything from
   the events and finds no difference.
2. The same completions (no reopen) in two random orders, each in a fresh database,
   give the same totals, streaks and achievements (SPEC §1, §2 "arrival order does not
   matter"); the streaks include the freezes held and the frozen days (SPEC v2 §4).
3. Streak freezes: any set of active days over four weeks, in two random orders and read
   on any later day, gives the freezes, frozen days and current streak of an independent
   day-by-day model of SPEC v2 §4.

Each example gets its own database, copied from a template migrated once per module.
Examples are bounded (MOMENTUM_PROPERTY_EXAMPLES, default 10) for the 2-core CI box.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections import Counter as Tally
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database, open_database
from momentum_app.core.models import AchievementProgress, Counter, DayStat, LedgerEntry, \
    MilestoneGrant
from momentum_app.core.services import Momentum

UTC = timezone.utc
START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # Monday noon
EXAMPLES = int(os.environ.get("MOMENTUM_PROPERTY_EXAMPLES", "10"))
DAILY_BONUS_POINTS = {b.source: b.points for b in catalog.DAILY_BONUSES}
MILESTONE_SOURCES = {t.source for t in catalog.MILESTONE_TRACKS}

_template: dict[str, Path] = {}


def fresh_database() -> tuple[Database, Path]:
    """A real SQLite file at head, copied from a template migrated once per module."""
    if "path" not in _template:
        folder = Path(tempfile.mkdtemp(prefix="momentum-property-"))
        atexit.register(shutil.rmtree, folder, True)
        template = folder / "template.sqlite3"
        open_database(template).close()
        _template["path"] = template
        _template["folder"] = folder
    target = Path(tempfile.mkdtemp(dir=_template["folder"])) / "momentum.sqlite3"
    shutil.copyfile(_template["path"], target)
    return open_database(target), target.parent


def new_app(clock: FixedClock) -> tuple[Momentum, Path]:
    database, folder = fresh_database()
    app = Momentum(database, clock)
    app.profiles.update(timezone="UTC", day_start_hour=0)
    return app, folder


def close_app(app: Momentum, folder: Path) -> None:
    app.db.close()
    shutil.rmtree(folder, ignore_errors=True)


# --- checks shared by both properties --------------------------------------------------------


def ledger_rows(app: Momentum) -> list[LedgerEntry]:
    with app.db.reading() as session:
        rows = list(session.scalars(select(LedgerEntry).where(
            LedgerEntry.profile_id == app.profile_id).order_by(LedgerEntry.id)))
        session.expunge_all()
    return rows


def check_books(app: Momentum) -> None:
    """Σ credits − Σ debits == progress total == the points counter == Σ day points."""
    rows = ledger_rows(app)
    net = sum(r.points if r.entry_type == "credit" else -r.points for r in rows)
    with app.db.reading() as session:
        counter = session.scalar(select(Counter.value).where(
            Counter.profile_id == app.profile_id, Counter.scope == "global",
            Counter.name == "points_total")) or 0
        by_day = session.scalar(select(func.coalesce(func.sum(DayStat.points), 0)).where(
            DayStat.profile_id == app.profile_id)) or 0
        unlocked = session.scalar(select(func.count()).select_from(AchievementProgress).where(
            AchievementProgress.profile_id == app.profile_id,
            AchievementProgress.completed.is_(True)))
        grants = session.scalar(select(func.count()).select_from(MilestoneGrant).where(
            MilestoneGrant.profile_id == app.profile_id))
    assert net == app.reads.progress().total_points == counter == by_day

    # Per completion and source: credited at most once before a debit (adjustments may
    # be credited several times: each backdated day can raise a multiplier again).
    balance: Tally[tuple[int, str]] = Tally()
    credited: dict[int, LedgerEntry] = {}
    for row in rows:
        if row.completion_id is None:
            assert row.entry_type == "credit", "a debit always belongs to a completion"
            continue
        key = (row.completion_id, row.source)
        if row.entry_type == "credit":
            credited[row.id] = row
            if row.source != catalog.STREAK_ADJUSTMENT_SOURCE:
                balance[key] += 1
                assert balance[key] == 1, f"{key} credited twice without a debit"
        else:
            original = credited.pop(row.reverses_id)  # each credit reversed once at most
            assert (original.completion_id, original.source, original.points) == (
                row.completion_id, row.source, row.points)
            if row.source != catalog.STREAK_ADJUSTMENT_SOURCE:
                balance[key] -= 1
                assert balance[key] == 0

    # Once per activity day, once per week, once ever.
    per_day: Tally[tuple[str, Any]] = Tally()
    per_week: Tally[str] = Tally()
    for row in rows:
        sign = 1 if row.entry_type == "credit" else -1
        if row.source in DAILY_BONUS_POINTS:
            per_day[(row.source, row.activity_day)] += sign * row.points
        if row.source == catalog.PERFECT_WEEK.source:
            year, week, _ = row.activity_day.isocalendar()
            per_week[f"{year}-{week}"] += sign * row.points
    assert all(0 <= v <= DAILY_BONUS_POINTS[s] for (s, _), v in per_day.items()), per_day
    assert all(v in (0, catalog.PERFECT_WEEK.points) for v in per_week.values()), per_week
    achievements = [r.reason for r in rows if r.source == catalog.ACHIEVEMENT_SOURCE]
    assert len(achievements) == len(set(achievements)) == unlocked
    assert all(r.entry_type == "credit" for r in rows if r.source in MILESTONE_SOURCES | {
        catalog.ACHIEVEMENT_SOURCE, catalog.STREAK_MILESTONE_SOURCE})
    milestones = [(r.source, r.reason) for r in rows if r.source in MILESTONE_SOURCES]
    assert len(milestones) == len(set(milestones)) == grants


# --- 1. the state machine ------------------------------------------------------------------------

backdate = st.integers(min_value=0, max_value=20)
hour = st.integers(min_value=0, max_value=23)


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(START + timedelta(days=20))
        self.app, self.folder = new_app(self.clock)
        self.app.events.add_type("ping", 7)
        self.open: list[tuple[Kind, int]] = []
        self.done: list[tuple[Kind, int]] = []
        self.completions = 0

    def _at(self, days_back: int, at_hour: int) -> datetime:
        today = self.clock.now().date()
        wanted = datetime.combine(today - timedelta(days=days_back), time(at_hour), tzinfo=UTC)
        return min(wanted, self.clock.now())  # never in the future (SPEC §1 v2)

    def _complete(self, kind: Kind, item_id: int, days_back: int, at_hour: int) -> None:
        outcome = self.app.items.complete(kind, item_id, at=self._at(days_back, at_hour)).outcome
        assert outcome.points_awarded >= catalog.BASE_POINTS[kind]
        self.done.append((kind, item_id))
        self.completions += 1

    @rule(complexity=st.integers(1, 5), days_back=backdate, at_hour=hour)
    def add_and_complete_task(self, complexity: int, days_back: int, at_hour: int) -> None:
        task = self.app.items.add_task("Task", complexity=complexity)
        self._complete(Kind.TASK, task.id, days_back, at_hour)

    @rule(minutes=st.sampled_from([30, 60, 90, 120]), days_back=backdate, at_hour=hour)
    def complete_slot(self, minutes: int, days_back: int, at_hour: int) -> None:
        start = self._at(days_back, 8)
        slot = self.app.items.add_slot("Slot", start, start + timedelta(minutes=minutes))
        self._complete(Kind.SLOT, slot.id, days_back, at_hour)

    @rule(days_back=backdate, at_hour=hour)
    def complete_step(self, days_back: int, at_hour: int) -> None:
        goal = self.app.items.add_goal("Goal")
        step = self.app.items.add_step(goal.id, "Step")
        self.open.append((Kind.GOAL, goal.id))
        self._complete(Kind.STEP, step.id, days_back, at_hour)

    @precondition(lambda self: bool(self.open))
    @rule(data=st.data(), days_back=backdate, at_hour=hour)
    def complete_open_item(self, data: st.DataObject, days_back: int, at_hour: int) -> None:
        kind, item_id = self.open.pop(data.draw(st.integers(0, len(self.open) - 1)))
        self._complete(kind, item_id, days_back, at_hour)

    @precondition(lambda self: bool(self.done))
    @rule(data=st.data())
    def reopen(self, data: st.DataObject) -> None:
        kind, item_id = self.done.pop(data.draw(st.integers(0, len(self.done) - 1)))
        before = self.app.reads.progress().total_points
        outcome = self.app.items.reopen(kind, item_id).outcome
        assert outcome.credits == () and outcome.level_up is None
        assert outcome.points_awarded == -sum(d.points for d in outcome.debits)
        assert self.app.reads.progress().total_points == before + outcome.points_awarded
        self.open.append((kind, item_id))

    @precondition(lambda self: bool(self.done or self.open))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        pool = self.done + self.open
        kind, item_id = pool[data.draw(st.integers(0, len(pool) - 1))]
        before = self.app.reads.progress().total_points
        self.app.items.delete(kind, item_id)
        assert self.app.reads.progress().total_points == before  # history is history
        for bucket in (self.done, self.open):
            if (kind, item_id) in bucket:
                bucket.remove((kind, item_id))

    @rule(days_back=backdate)
    def custom_event(self, days_back: int) -> None:
        outcome = self.app.events.process_event("ping", at=self._at(days_back, 12))
        assert [(c.source, c.points) for c in outcome.credits][:1] == [("custom_event", 7)]

    @rule(hours=st.integers(1, 60))
    def advance_clock(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    @invariant()
    def books_balance(self) -> None:
        check_books(self.app)

    def teardown(self) -> None:
        try:
            report = self.app.doctor.run()
            assert report.ok, report.to_json()
            assert report.differences == {}
        finally:
            close_app(self.app, self.folder)


EngineMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TestEngineStateMachine = EngineMachine.TestCase


# --- 2. arrival order does not matter ----------------------------------------------------------

completion = st.tuples(
    st.sampled_from(["task_completion", "goal_step_completion", "time_slot_completion",
                     "goal_completion"]),
    st.integers(min_value=0, max_value=20),  # day offset from Monday 2026-01-05
    st.integers(min_value=0, max_value=23),  # hour (UTC profile)
    st.integers(min_value=1, max_value=5),  # complexity (tasks)
    st.sampled_from([30, 90]),  # minutes (slots)
)


def play_in_order(events: list[tuple[str, int, int, int, int]]) -> dict[str, Any]:
    clock = FixedClock(START + timedelta(days=22))  # after every instant
    app, folder = new_app(clock)
    unbridged: set[str] = set()  # frozen days that stopped being frozen on the way
    try:
        for event_type, day, at_hour, complexity, minutes in events:
            at = datetime.combine(date(2026, 1, 5) + timedelta(days=day), time(at_hour),
                                  tzinfo=UTC)
            meta: dict[str, Any] = {}
            if event_type == "task_completion":
                meta["complexity"] = complexity
            if event_type == "time_slot_completion":
                meta["minutes"] = minutes
            outcome = app.events.process_engine_event(event_type, meta, at=at)
            unbridged.update(outcome.freezes.returned)
        check_books(app)
        net: Tally[str] = Tally()
        for row in ledger_rows(app):
            net[row.source] += row.points if row.entry_type == "credit" else -row.points
        streaks = app.reads.streaks()
        unfrozen = {d for d in unbridged if d not in (streaks[0].frozen_days or ())}
        active = {row.day.isoformat()
                  for row in app.reads.stats("2026-01-05", "2026-01-26").days
                  if row.tasks + row.goal_steps + row.time_slots + row.goals}
        return {"total": app.reads.progress().total_points,
                # A gap a backdated day left without its freeze (not a day that qualified):
                # the later completions keep the price they had (the documented limit).
                "gap_unbridged": bool(unfrozen - active),
                "streak_milestone": net[catalog.STREAK_MILESTONE_SOURCE],
                "streaks": app.reads.streaks(),
                "achievements": {a.id for a in app.reads.achievements()}}
    finally:
        close_app(app, folder)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(events=st.lists(completion, min_size=1, max_size=18), data=st.data())
def test_the_same_completions_in_any_order_give_the_same_results(events, data):
    """KNOWN LIMIT: when a backdated day joins two runs that had each earned a streak
    milestone, the merged run keeps both grants. So totals are compared *without* the
    `streak_milestone` rows; and when those differ, the level achievements (which the
    extra points could unlock) are left out of the comparison."""
    first = data.draw(st.permutations(events), label="first order")
    second = data.draw(st.permutations(events), label="second order")
    a, b = play_in_order(first), play_in_order(second)
    assert a["streaks"] == b["streaks"]  # with freezes and frozen days: always exact
    if a["gap_unbridged"] or b["gap_unbridged"]:
        return  # KNOWN LIMIT (tests/core/test_freezes.py): prices never fall
    assert a["total"] - a["streak_milestone"] == b["total"] - b["streak_milestone"]
    if a["streak_milestone"] == b["streak_milestone"]:
        assert a["achievements"] == b["achievements"]
    else:
        level_based = {"rising_star", "legendary"}
        assert a["achievements"] - level_based == b["achievements"] - level_based


# --- 3. streak freezes are a function of the calendar ------------------------------------------


def freeze_model(days: set[int], today: int) -> tuple[int, int, list[int]]:
    """SPEC v2 §4 read on day ``today`` (days numbered from Monday 2026-01-05, no day
    off), walked one calendar day at a time: (current, freezes held, frozen days)."""
    held = run = 0
    frozen: list[int] = []
    gap: list[int] = []
    for day in range(min(days), today + 1):
        if day in days:
            if gap and len(gap) <= held:
                frozen += gap
                held -= len(gap)
            elif gap:
                run = 0
            gap = []
            run += 1
            if run % 7 == 0:
                held = min(2, held + 1)
        elif day < today:  # over and missed
            gap.append(day)
    if not gap:
        return run, held, frozen
    if len(gap) <= held:  # the open gap, judged by the days over so far
        return run, held - len(gap), frozen + gap
    return 0, held, frozen


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(days=st.sets(st.integers(min_value=0, max_value=27), min_size=7, max_size=24),
       read_on=st.integers(min_value=0, max_value=6), data=st.data())
def test_freezes_are_the_calendars_in_any_arrival_order(days, read_on, data):
    today = max(days) + read_on
    readings = []
    for label in ("first order", "second order"):
        order = data.draw(st.permutations(sorted(days)), label=label)
        clock = FixedClock(START + timedelta(days=today, hours=-2))  # 10:00 on ``today``
        app, folder = new_app(clock)
        try:
            for day in order:
                app.events.process_engine_event(
                    "task_completion", {}, at=START + timedelta(days=day, hours=-3))
            readings.append(app.reads.streaks()[0])
            assert app.doctor.run().ok
        finally:
            close_app(app, folder)
    assert readings[0] == readings[1]
    current, held, frozen = freeze_model(days, today)
    first = date(2026, 1, 5)
    assert readings[0].current == current
    assert readings[0].freezes == held
    assert list(readings[0].frozen_days or ()) == [
        (first + timedelta(days=d)).isoformat() for d in frozen]
