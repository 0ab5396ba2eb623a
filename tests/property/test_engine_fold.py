"""Sameness (SPEC v2 §8): what the live path stored is the fold of the event log, row for row.

A Hypothesis state machine drives random histories through the real services on a real
SQLite file — tasks (complexity, projects, due dates), goal steps, goals, time slots,
backdating, reopening, days off, vacations, changes of zone (zones with DST and Apia's
missing day) and day start, daily-target changes, custom events, a second profile
(team_player, the weekly board) and a clock that moves. After every rule the stored
derived tables are compared with ``fold(empty_state(), events)`` row for row (the doctor's
load → fold → compare, surrogate ids aside), and the first difference is shown.

Examples are bounded (MOMENTUM_PROPERTY_EXAMPLES, default 10) for the 2-core CI box.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.engine.state import empty_state
from momentum_app.core.services import Momentum
from momentum_app.core.services.doctor import folded_rows, fold_log, load_log, stored_rows

from test_engine_stateful import EXAMPLES, START, close_app, new_app

UTC = timezone.utc
ZONES = ("UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Tokyo",
         "Pacific/Apia", "America/Sao_Paulo")
backdate = st.integers(0, 12)
hour = st.integers(0, 23)


def differences(app: Momentum) -> dict[str, tuple[list[object], list[object]]]:
    """Tables whose stored rows differ from the fold's: (missing, unexpected) samples."""
    with app.db.reading() as session:
        conn = session.connection()
        defs, events = load_log(conn)
        builder, _ = fold_log(empty_state(), events, defs)
        folded = folded_rows(builder.top, sorted(defs.initial_settings))
        stored = stored_rows(conn)
    result = {}
    for table, rows in stored.items():
        if rows != folded[table]:
            result[table] = (list((folded[table] - rows).elements())[:3],
                             list((rows - folded[table]).elements())[:3])
    return result


class FoldMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # March 2026: New York and London change to summer time, Lord Howe in April.
        self.clock = FixedClock(START + timedelta(days=60))
        self.app, self.folder = new_app(self.clock)
        self.app.events.add_type("ping", 7)
        self.app.events.add_type("silent", 0)
        self.app.projects.add("Work")
        self.other: Momentum | None = None
        self.open: list[tuple[Kind, int]] = []
        self.done: list[tuple[Kind, int]] = []

    def _at(self, days_back: int, at_hour: int) -> datetime:
        zone = ZoneInfo(self.app.profiles.current().timezone)
        today = self.clock.now().astimezone(zone).date()
        local = datetime.combine(today - timedelta(days=days_back), time(at_hour), tzinfo=zone)
        return min(local.astimezone(UTC), self.clock.now())

    def _complete(self, kind: Kind, item_id: int, days_back: int, at_hour: int) -> None:
        self.app.items.complete(kind, item_id, at=self._at(days_back, at_hour))
        self.done.append((kind, item_id))

    @rule(complexity=st.integers(1, 5), days_back=backdate, at_hour=hour,
          project=st.sampled_from([None, "Work"]), due=st.sampled_from([None, -2, 0, 3]))
    def task(self, complexity: int, days_back: int, at_hour: int, project: str | None,
             due: int | None) -> None:
        due_date = None if due is None else (self.clock.now().date() + timedelta(days=due))
        task = self.app.items.add_task("Task", complexity=complexity, project=project,
                                       due=due_date.isoformat() if due_date else None)
        self._complete(Kind.TASK, task.id, days_back, at_hour)

    @rule(minutes=st.sampled_from([30, 90, 120]), days_back=backdate, at_hour=hour)
    def slot(self, minutes: int, days_back: int, at_hour: int) -> None:
        start = self._at(days_back, 8)
        slot = self.app.items.add_slot("Slot", start, start + timedelta(minutes=minutes))
        self._complete(Kind.SLOT, slot.id, days_back, at_hour)

    @rule(days_back=backdate, at_hour=hour, finish=st.booleans())
    def step(self, days_back: int, at_hour: int, finish: bool) -> None:
        goal = self.app.items.add_goal("Goal", project="Work")
        step = self.app.items.add_step(goal.id, "Step")
        self._complete(Kind.STEP, step.id, days_back, at_hour)
        if finish:
            self._complete(Kind.GOAL, goal.id, days_back, at_hour)
        else:
            self.open.append((Kind.GOAL, goal.id))

    @precondition(lambda self: bool(self.open))
    @rule(data=st.data(), days_back=backdate, at_hour=hour)
    def complete_open(self, data: st.DataObject, days_back: int, at_hour: int) -> None:
        kind, item_id = self.open.pop(data.draw(st.integers(0, len(self.open) - 1)))
        self._complete(kind, item_id, days_back, at_hour)

    @precondition(lambda self: bool(self.done))
    @rule(data=st.data())
    def reopen(self, data: st.DataObject) -> None:
        kind, item_id = self.done.pop(data.draw(st.integers(0, len(self.done) - 1)))
        self.app.items.reopen(kind, item_id)
        self.open.append((kind, item_id))

    @rule(days=st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
                       max_size=3))
    def days_off(self, days: set[str]) -> None:
        self.app.profiles.update(days_off=",".join(sorted(days)))

    @rule(start_back=st.integers(-3, 10), length=st.integers(0, 4))
    def vacation(self, start_back: int, length: int) -> None:
        first = self.clock.now().date() - timedelta(days=start_back)
        self.app.profiles.add_vacation(first.isoformat(),
                                       (first + timedelta(days=length)).isoformat())

    @rule(zone=st.sampled_from(ZONES), day_start=st.sampled_from([0, 4]))
    def move(self, zone: str, day_start: int) -> None:
        self.app.profiles.update(timezone=zone, day_start_hour=day_start)

    @rule(count=st.integers(1, 4))
    def daily_target(self, count: int) -> None:
        self.app.profiles.update(daily_target=count)

    @rule(days_back=backdate, name=st.sampled_from(["ping", "silent"]))
    def custom(self, days_back: int, name: str) -> None:
        self.app.events.process_event(name, at=self._at(days_back, 12))

    @rule(days_back=backdate, at_hour=hour)
    def other_profile(self, days_back: int, at_hour: int) -> None:
        if self.other is None:
            self.app.profiles.add("Bea", timezone="Europe/London")
            self.other = Momentum(self.app.db, self.clock, "Bea")
        task = self.other.items.add_task("Hers")
        self.other.items.complete(Kind.TASK, task.id, at=self._at(days_back, at_hour))

    @rule(hours=st.integers(1, 100))
    def advance_clock(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    @invariant()
    def stored_equals_fold(self) -> None:
        found = differences(self.app)
        assert not found, found

    def teardown(self) -> None:
        close_app(self.app, self.folder)


FoldMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestFoldMachine = FoldMachine.TestCase


def test_the_fold_differs_when_a_stored_row_is_changed(tmp_path):
    """The comparison is not vacuous: one changed ledger row is found."""
    clock = FixedClock(START)
    app, folder = new_app(clock)
    try:
        task = app.items.add_task("Task")
        app.items.complete(Kind.TASK, task.id)
        assert differences(app) == {}
        with app.db.transaction() as session:
            session.connection().exec_driver_sql("UPDATE ledger SET points = points + 1 "
                                                 "WHERE id = (SELECT max(id) FROM ledger)")
        assert set(differences(app)) == {"ledger"}
    finally:
        close_app(app, folder)
