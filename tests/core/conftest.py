"""Rules tests: the ``covers`` marker, its collection, and helpers that drive the engine.

Every rules test declares the catalog entries it exercises::

    @pytest.mark.covers("achievement:first_step", "completion:task_completion")

The ids are collected from every item under ``tests/core`` (before ``-k`` / ``-m``
deselection) and ``test_catalog_coverage.py`` checks them against the catalog, so a
new achievement, level, bonus, streak milestone or milestone threshold without a test
fails the suite.

The helpers below go through the real services only (items, events, reads): no rule is
re-implemented here except the few numbers a test states outright.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.engine.outcome import Outcome, StreakState
from momentum_app.core.services import Momentum
from momentum_app.core.services.read_dto import HistoryRowDTO

UTC = timezone.utc
#: Monday 2026-01-05, the first day of the default test clock (tests/conftest.py).
DAY1 = date(2026, 1, 5)
COVERS_KEY = pytest.StashKey[dict[str, set[str]]]()
#: When set, the ids collected under tests/core are written to this JSON file
#: (the coverage meta-test runs a collect-only subprocess when it sees a partial run).
COVERS_DUMP_ENV = "MOMENTUM_COVERS_DUMP"


# --- the covers marker --------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "covers(*ids): catalog entries this test exercises "
                   "(checked by tests/core/test_catalog_coverage.py)")
    config.stash[COVERS_KEY] = {}


def pytest_itemcollected(item: pytest.Item) -> None:
    """Record covered ids per test file; runs before any -k/-m deselection."""
    ids: set[str] = set()
    for marker in item.iter_markers("covers"):
        ids.update(str(arg) for arg in marker.args)
    store = item.config.stash.setdefault(COVERS_KEY, {})
    store.setdefault(str(item.path), set()).update(ids)


def pytest_collection_finish(session: pytest.Session) -> None:
    target = os.environ.get(COVERS_DUMP_ENV)
    if target:
        store = session.config.stash.get(COVERS_KEY, {})
        Path(target).write_text(json.dumps({path: sorted(ids) for path, ids in store.items()}))


# --- driving the engine ------------------------------------------------------------


@dataclass
class Player:
    """One profile's actions through the services, with a few bookkeeping reads."""

    app: Momentum
    clock: FixedClock
    _types: dict[int, str] = field(default_factory=dict)

    # -- time ------------------------------------------------------------------------

    @staticmethod
    def day(n: int) -> date:
        """The n-th day of the test calendar (1 = Monday 2026-01-05)."""
        return DAY1 + timedelta(days=n - 1)

    def at(self, day: int | date, hour: int = 12, minute: int = 0,
           tz: str | None = None, fold: int = 0) -> datetime:
        """An aware instant at a local wall-clock time (default: the profile's zone)."""
        the_day = self.day(day) if isinstance(day, int) else day
        zone = ZoneInfo(tz or self.app.profiles.current().timezone)
        return datetime.combine(the_day, time(hour, minute), tzinfo=zone).replace(
            fold=fold).astimezone(UTC)

    def now_at(self, day: int | date, hour: int = 12, minute: int = 0) -> None:
        """Set the clock to a local wall-clock time of the profile's zone."""
        self.clock.instant = self.at(day, hour, minute)

    @contextmanager
    def living_at(self, at: datetime | str | None) -> Iterator[None]:
        """Run an action with the clock at ``at`` when that is later than now.

        A completion after "now" is refused (SPEC §1 *v2*); a test that plays days out
        of order lives through the later instant, as a person would, then comes back.
        """
        when = at
        if isinstance(at, str):
            try:
                parsed = datetime.fromisoformat(at.replace("Z", "+00:00"))
            except ValueError:
                parsed = None  # bad input: the service refuses it
            if parsed is not None and parsed.tzinfo is None:
                zone = ZoneInfo(self.app.profiles.current().timezone)
                parsed = parsed.replace(tzinfo=zone)
            if parsed is not None and len(at.strip()) == 10:
                parsed = parsed.replace(hour=12)  # a date alone is noon
            when = parsed
        saved = self.clock.instant
        if isinstance(when, datetime) and when > saved:
            self.clock.instant = when
        try:
            yield
        finally:
            self.clock.instant = saved

    # -- outcomes --------------------------------------------------------------------

    @staticmethod
    def credits(outcome: Outcome, source: str) -> list[int]:
        return [line.points for line in outcome.credits if line.source == source]

    @staticmethod
    def debits(outcome: Outcome, source: str) -> list[int]:
        return [line.points for line in outcome.debits if line.source == source]

    @staticmethod
    def unlocked(outcome: Outcome) -> list[str]:
        return [a.id for a in outcome.achievements]

    @staticmethod
    def streak_of(outcome: Outcome, kind: str = "daily_activity") -> dict[str, Any]:
        for state in outcome.streaks:
            if state.type == kind:  # the SPEC §7 keys (the freezes have tests of their own)
                return {k: v for k, v in state.__dict__.items()
                        if k not in ("freezes", "frozen_days")}
        raise KeyError(kind)

    # items: add + complete (the real path, with item ids and projects)
    def task(self, *, complexity: int = 1, at: datetime | str | None = None,
             project: str | None = None, due: str | None = None,
             goal: int | None = None) -> tuple[int, Outcome]:
        item = self.app.items.add_task("Task", complexity=complexity, project=project, due=due,
                                       goal=goal)
        with self.living_at(at):
            return item.id, self.app.items.complete(Kind.TASK, item.id, at=at).outcome

    def slot(self, minutes: int = 60, *, at: datetime | str | None = None,
             task: int | None = None, goal: int | None = None) -> tuple[int, Outcome]:
        start = datetime(2026, 1, 5, 9, tzinfo=UTC)
        item = self.app.items.add_slot("Slot", start, start + timedelta(minutes=minutes),
                                       task=task, goal=goal)
        with self.living_at(at):
            return item.id, self.app.items.complete(Kind.SLOT, item.id, at=at).outcome

    def goal(self, *, project: str | None = None) -> int:
        return self.app.items.add_goal("Goal", project=project).id

    def step(self, goal_id: int | None = None, *, at: datetime | str | None = None,
             project: str | None = None) -> tuple[int, Outcome]:
        goal_id = goal_id if goal_id is not None else self.goal(project=project)
        item = self.app.items.add_step(goal_id, "Step")
        with self.living_at(at):
            return item.id, self.app.items.complete(Kind.STEP, item.id, at=at).outcome

    def finish_goal(self, goal_id: int | None = None, *, at: datetime | str | None = None,
                    project: str | None = None) -> tuple[int, Outcome]:
        goal_id = goal_id if goal_id is not None else self.goal(project=project)
        with self.living_at(at):
            return goal_id, self.app.items.complete(Kind.GOAL, goal_id, at=at).outcome

    def reopen(self, kind: Kind, item_id: int) -> Outcome:
        return self.app.items.reopen(kind, item_id).outcome

    # events: the quick path for counts
    def event(self, event_type: str, at: datetime | str | None = None, key: str | None = None,
              **meta: Any) -> Outcome:
        with self.living_at(at):
            return self.app.events.process_engine_event(event_type, meta, at=at, key=key)

    def grant(self, points: int, at: datetime | str | None = None) -> Outcome:
        """Exactly ``points`` through custom events (a custom event is no completion)."""
        outcome = None
        while points > 0:
            chunk = min(points, 10_000)
            name = self._types.get(chunk)
            if name is None:
                name = f"grant-{chunk}"
                self.app.events.add_type(name, chunk)
                self._types[chunk] = name
            outcome = self.event(name, at=at)
            points -= chunk
        assert outcome is not None
        return outcome

    # reads
    def total(self) -> int:
        return int(self.app.reads.progress().total_points)

    def ledger(self) -> list[HistoryRowDTO]:
        return self.app.reads.history(limit=None)

    def ledger_net(self) -> int:
        return sum(r.signed_points for r in self.ledger())

    def achievements(self) -> set[str]:
        return {a.id for a in self.app.reads.achievements()}

    def streak(self, kind: str = "daily_activity") -> StreakState:
        for row in self.app.reads.streaks():
            if row.type == kind:
                return row
        raise KeyError(kind)

    def sources(self) -> dict[str, int]:
        """Net points per ledger source."""
        net: dict[str, int] = {}
        for row in self.ledger():
            sign = 1 if row.type == "credit" else -1
            net[row.source] = net.get(row.source, 0) + sign * row.points
        return net


@pytest.fixture
def play(app: Momentum, clock: FixedClock) -> Player:
    return Player(app, clock)


@dataclass
class Run:
    """A long scripted run shared by several tests: the outcome of each event in order."""

    player: Player
    outcomes: list[Outcome]


@contextmanager
def _session_player(template_db: Path, tmp_path_factory: pytest.TempPathFactory,
                    name: str) -> Iterator[Player]:
    """A player on its own database for a session-scoped long run."""
    path = tmp_path_factory.mktemp(name) / "momentum.sqlite3"
    shutil.copyfile(template_db, path)
    database = open_database(path)
    clock = FixedClock(datetime.combine(DAY1, time(12), tzinfo=UTC))
    app = Momentum(database, clock)
    app.profiles.update(timezone="UTC", day_start_hour=0)
    try:
        yield Player(app, clock)
    finally:
        database.close()


@pytest.fixture(scope="session")
def thousand_tasks(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """1,000 task completions, complexity 1, all on Monday 2026-01-05 in project Work."""
    with _session_player(template_db, tmp_path_factory, "thousand") as player:
        player.app.projects.add("Work")
        outcomes = [player.event("task_completion", project="Work") for _ in range(1000)]
        yield Run(player, outcomes)


@pytest.fixture(scope="session")
def year_of_days(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """One complexity-1 task a day at noon UTC for 365 days from Monday 2026-01-05."""
    with _session_player(template_db, tmp_path_factory, "year") as player:
        outcomes = []
        for _ in range(365):
            outcomes.append(player.event("task_completion"))
            player.clock.advance(timedelta(days=1))
        player.clock.advance(timedelta(days=-1))  # "now" = the last day of the run
        yield Run(player, outcomes)


@pytest.fixture(scope="session")
def many_slots(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """500 completed 30-minute time slots on one day, all in project Deep."""
    with _session_player(template_db, tmp_path_factory, "slots") as player:
        player.app.projects.add("Deep")
        outcomes = [player.event("time_slot_completion", project="Deep", minutes=30)
                    for _ in range(500)]
        yield Run(player, outcomes)


@pytest.fixture(scope="session")
def many_steps(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """250 goal-step completions on one day, all in project Plan."""
    with _session_player(template_db, tmp_path_factory, "steps") as player:
        player.app.projects.add("Plan")
        outcomes = [player.event("goal_step_completion", project="Plan") for _ in range(250)]
        yield Run(player, outcomes)


@pytest.fixture
def new_player(template_db: Path, tmp_path: Path) -> Iterator[Callable[[], Player]]:
    """A factory of players, each on its own fresh database (for order comparisons)."""
    databases = []

    def make() -> Player:
        path = tmp_path / f"extra-{len(databases)}.sqlite3"
        shutil.copyfile(template_db, path)
        database = open_database(path)
        databases.append(database)
        clock = FixedClock(datetime.combine(DAY1, time(12), tzinfo=UTC))
        app = Momentum(database, clock)
        app.profiles.update(timezone="UTC", day_start_hour=0)
        return Player(app, clock)

    yield make
    for database in databases:
        database.close()
