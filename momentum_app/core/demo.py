"""Demo data: a few realistic weeks of history, built through the real services.

``momentum --demo`` and the screenshot tool open a throw-away database filled by
:func:`populate_demo`. Nothing here writes points directly: a :class:`FixedClock` is
moved through the weeks and every completion, reopening and bonus is the engine's own
output, so the demo obeys every rule of SPEC §§2–6 by construction.

The generator is deterministic for a given ``seed``, ``now`` and zone. No Qt here.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from .catalog import Kind
from .clock import FixedClock, activity_day, system_zone_name, zone
from .db import Database, open_database
from .errors import ValidationError
from .kinds import Status
from .services import Momentum
from .services.dto import GoalDTO, TaskDTO

SECOND_PROFILE = "Sam"
MAIN_PROFILE_NAME = "Alex"

#: Project → task titles the demo draws from.
TASK_TITLES: dict[str, tuple[str, ...]] = {
    "Work": (
        "Review pull request", "Prepare sprint demo", "Write release notes",
        "Reply to client email", "Update roadmap slides", "Fix flaky login test",
        "1:1 with Priya", "Draft Q3 objectives", "Triage new bug reports",
        "Refactor billing module", "Plan the team offsite", "Benchmark the sync service",
    ),
    "Home": (
        "Pay the electricity bill", "Buy groceries", "Call the plumber",
        "Book a dentist appointment", "Clean out the garage", "Return library books",
        "Plan the weekend trip", "Fix the squeaky door", "Sort the recycling",
    ),
    "Health": (
        "Morning run, 5 km", "Yoga session", "Meal prep for the week",
        "Stretching routine", "Evening walk", "Strength training",
    ),
    "Learning": (
        "Spanish lesson", "Read 20 pages of Deep Work", "Watch the Qt model/view talk",
        "Practise guitar chords", "Write a blog post draft", "Finish the SQL course module",
    ),
}
#: Goals with their ordered steps; the project "Home" has its milestone cards turned off.
GOALS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Ship version 2.0", "Work", ("Freeze the feature list", "Finish the migration script",
                                  "Run the beta with ten users", "Fix the beta findings",
                                  "Write the launch post")),
    ("Run a half marathon", "Health", ("Run 10 km without stopping", "Buy proper shoes",
                                       "Register for the race", "Long run of 16 km",
                                       "Taper week", "Race day")),
    ("Reach Spanish A2", "Learning", ("Finish unit 1", "Finish unit 2", "Finish unit 3",
                                      "Have a 10-minute conversation", "Pass the mock exam")),
    ("Renovate the balcony", "Home", ("Measure the floor", "Choose the tiles",
                                      "Order the planters", "Lay the tiles")),
)
GOALS_DISABLED_PROJECT = "Home"
#: A small goal finished in the first week, so a completed goal shows too.
QUICK_GOAL = ("Set up the team wiki", "Work", ("Pick the tool", "Write the first pages",
                                               "Invite the team"))
#: Tasks that keep being put off: they show up as overdue today.
PUT_OFF = (("Renew the passport", "Home", 3), ("Reply to the landlord", "Home", 1))
HABIT_TITLE = "Daily Spanish on Duolingo"
#: The reward shop of the demo (name, cost, once only) and what is bought on which day.
DEMO_REWARDS = (("Coffee at the corner café", 60, False), ("Movie night", 300, False),
                ("New running shoes", 1_500, True), ("Weekend trip", 8_000, True))
DEMO_PURCHASES = {6: "Coffee at the corner café", 13: "Movie night",
                  20: "Coffee at the corner café", 27: "New running shoes"}
SAM_TITLES = ("Inbox zero", "Sketch the logo ideas", "Gym", "Read a chapter",
              "Call grandma", "Update the budget sheet", "Practise piano")


@dataclass(frozen=True)
class DemoSummary:
    """What the generator created; handy for tests and the status line."""

    tasks: int
    goals: int
    slots: int
    completions: int
    reopenings: int
    profiles: tuple[str, ...]
    total_points: int


@dataclass(order=True)
class _Action:
    at: datetime
    order: int
    run: Callable[[], None] = field(compare=False)


class _DemoBuilder:
    """Moves one clock through the weeks and performs each day's plan in time order."""

    def __init__(self, database: Database, now: datetime, tz_name: str, days: int,
                 seed: int) -> None:
        self.rng = random.Random(seed)
        self.tz_name = tz_name
        self.tz = zone(tz_name)
        self.now = now
        self.today = activity_day(now, tz_name, 0)
        self.first_day = self.today - timedelta(days=days)
        self.clock = FixedClock(self.local(self.first_day, time(7, 0)))
        self.me = Momentum(database, self.clock)
        self.me.profiles.update(timezone=tz_name, day_start_hour=0, name=MAIN_PROFILE_NAME)
        self.me.profiles.add(SECOND_PROFILE, timezone=tz_name)
        self.sam = Momentum(database, self.clock, SECOND_PROFILE)
        self.open_tasks: list[TaskDTO] = []
        self.goals: list[GoalDTO] = []
        self.counts = {"tasks": 0, "slots": 0, "completions": 0, "reopenings": 0}
        self._sequence = 0
        self._queue: list[_Action] = []
        self._title_cursor = {project: 0 for project in TASK_TITLES}

    # -- time helpers --------------------------------------------------------------------

    def local(self, day: date, wall: time) -> datetime:
        return datetime.combine(day, wall, tzinfo=self.tz).astimezone(self.now.tzinfo)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return self.local(day, time(hour % 24, minute)) + timedelta(days=hour // 24)

    def jitter(self, day: date, hour: int, spread_minutes: int = 50) -> datetime:
        return self.at(day, hour, self.rng.randrange(0, spread_minutes))

    # -- building blocks -----------------------------------------------------------------

    def next_title(self, project: str) -> str:
        titles = TASK_TITLES[project]
        cursor = self._title_cursor[project]
        self._title_cursor[project] = cursor + 1
        return titles[cursor % len(titles)]

    def add_task(self, project: str, due: date | None, complexity: int | None = None,
                 repeat: str | None = None, title: str | None = None) -> TaskDTO:
        task = self.me.items.add_task(
            title or self.next_title(project), project=project,
            complexity=complexity or self.rng.choice((1, 1, 2, 2, 3, 3, 4, 5)), due=due,
            repeat=repeat, notes="")
        self.counts["tasks"] += 1
        self.open_tasks.append(task)
        return task

    def complete_task(self, task: TaskDTO) -> TaskDTO | None:
        """Complete ``task``; returns the next occurrence of a repeating one."""
        if task not in self.open_tasks:
            return None
        self.open_tasks.remove(task)
        self.me.items.complete(Kind.TASK, task.id)
        self.counts["completions"] += 1
        if not task.repeat:
            return None
        follower = self.me.items.list_tasks(status=Status.OPEN, order="id")[-1]
        self.open_tasks.append(follower)
        return follower

    def reopen_task(self, task_id: int) -> None:
        self.me.items.reopen(Kind.TASK, task_id)
        self.counts["reopenings"] += 1
        self.open_tasks.append(self.me.items.get(Kind.TASK, task_id))

    def pick_tasks(self, day: date, count: int) -> list[TaskDTO]:
        """Open tasks worth doing on ``day``: due ones first, then a random few."""
        due = sorted((t for t in self.open_tasks if t.due is not None and t.due <= day),
                     key=lambda t: (t.due, t.id))
        due = [t for t in due if t.title != HABIT_TITLE]
        rest = [t for t in self.open_tasks if t not in due and t.title != HABIT_TITLE]
        self.rng.shuffle(rest)
        return (due + rest)[:count]

    def schedule(self, when: datetime, run: Callable[[], None]) -> None:
        """Queue ``run`` for the instant ``when`` (actions may queue further actions)."""
        self._sequence += 1
        heapq.heappush(self._queue, _Action(when, self._sequence, run))

    def perform(self) -> None:
        """Run the queued actions in time order, moving the clock; the future is skipped."""
        while self._queue:
            action = heapq.heappop(self._queue)
            if action.at > self.now:
                continue
            self.clock.instant = max(self.clock.instant, action.at)
            action.run()

    # -- the plan ------------------------------------------------------------------------

    def setup(self) -> None:
        for project in TASK_TITLES:
            self.me.projects.add(project)
        self.me.projects.set_goals_enabled(GOALS_DISABLED_PROJECT, False)
        for (title, project, steps), weeks in zip(GOALS, (2, 9, 6, 4), strict=True):
            goal = self.me.items.add_goal(title, project=project,
                                          target=self.today + timedelta(weeks=weeks))
            for step in steps:
                self.me.items.add_step(goal.id, step)
            self.goals.append(self.me.items.get(Kind.GOAL, goal.id))
        title, project, steps = QUICK_GOAL
        quick = self.me.items.add_goal(title, project=project,
                                       target=self.first_day + timedelta(days=10))
        for step in steps:
            self.me.items.add_step(quick.id, step)
        self.quick_goal = quick
        for title, project, days_late in PUT_OFF:
            self.me.items.add_task(title, project=project, complexity=2,
                                   due=self.today - timedelta(days=days_late))
            self.counts["tasks"] += 1
        self.habit = self.add_task("Learning", self.first_day, complexity=1, repeat="daily",
                                   title=HABIT_TITLE)
        self.add_task("Home", self.first_day + timedelta(days=2), complexity=1, repeat="weekly")
        for name, cost, once in DEMO_REWARDS:
            self.me.rewards.add(name, cost, once=once)

    def plan_day(self, day: date, index: int) -> None:
        weekend = day.weekday() >= 5
        rest_day = index in (9,)  # one lazy day breaks the streak for realism

        def create_tasks() -> None:
            for _ in range(self.rng.randint(1, 3)):
                project = self.rng.choice(("Work", "Work", "Home", "Health", "Learning"))
                due = day + timedelta(days=self.rng.choice((0, 1, 2, 3, 4, 6, 9))) \
                    if self.rng.random() < 0.8 else None
                self.add_task(project, due)

        self.schedule(self.at(day, 7, 5), create_tasks)
        if not rest_day:
            self.schedule(self.jitter(day, 7, 30), lambda: self.keep_habit(day))
            self.plan_completions(day, weekend)
            self.plan_focus(day, weekend)
            self.plan_goal_step(day, index)
        self.plan_sam(day, rest_day=index in (3, 17))
        if index in DEMO_PURCHASES:
            self.schedule(self.at(day, 20, 30), lambda: self.treat(DEMO_PURCHASES[index]))

    def treat(self, reward: str) -> None:
        """Spend coins on a reward (SPEC v2 §2a), when there are enough."""
        try:
            self.me.rewards.buy(reward)
        except ValidationError:
            pass  # not enough coins yet: the demo person waits

    def keep_habit(self, day: date) -> None:
        """The daily repeating task, done every active morning (catching up a missed day)."""
        for _catch_up in range(2):
            if self.habit.due is None or self.habit.due > day:
                return
            self.habit = self.complete_task(self.habit) or self.habit

    def plan_completions(self, day: date, weekend: bool) -> None:
        count = self.rng.randint(0, 1) if weekend else self.rng.randint(2, 3)
        hours = sorted(self.rng.sample(range(9, 19), count))
        if hours and self.rng.random() < 0.3:
            hours[0] = 6  # an early start earns the early-bird bonus
        if hours and self.rng.random() < 0.15:
            hours[-1] = 22  # and a late finish the night-owl one
        for position, hour in enumerate(hours):
            def finish(position: int = position) -> None:
                picked = self.pick_tasks(day, position + 1)
                if len(picked) > position:
                    self.complete_task(picked[position])
            self.schedule(self.jitter(day, hour), finish)
        if self.rng.random() < 0.12:  # a slip of the mouse, undone a minute later
            def slip() -> None:
                picked = self.pick_tasks(day, 1)
                if picked:
                    task = picked[0]
                    self.complete_task(task)
                    self.clock.advance(timedelta(minutes=1))
                    self.reopen_task(task.id)
            self.schedule(self.jitter(day, 16), slip)

    def plan_focus(self, day: date, weekend: bool) -> None:
        if weekend:
            return
        blocks = [(9, 0, 90, "Deep work: v2.0 migration")]
        if day.weekday() in (0, 2, 4):
            blocks.append((14, 0, 60, "Spanish practice"))
        for hour, minute, minutes, title in blocks:
            start = self.at(day, hour, minute)
            end = start + timedelta(minutes=minutes)

            def plan_block(title: str = title, start: datetime = start, end: datetime = end
                           ) -> None:
                goal_id = self.goals[0].id if "v2.0" in title else None
                slot = self.me.items.add_slot(title, start, end, goal=goal_id)
                self.counts["slots"] += 1
                if end <= self.now and self.rng.random() < 0.85:
                    def done(slot_id: int = slot.id) -> None:
                        self.me.items.complete(Kind.SLOT, slot_id)
                        self.counts["completions"] += 1
                    self.schedule(end + timedelta(minutes=2), done)
            self.schedule(self.at(day, 7, 30), plan_block)

    def plan_goal_step(self, day: date, index: int) -> None:
        """A step every other evening, round the goals; the quick goal in the first week."""
        if index % 2 == 0:
            goal_id = self.goals[(index // 2) % len(self.goals)].id
        elif index <= 5:
            goal_id = self.quick_goal.id
        else:
            return

        def step_done() -> None:
            fresh = self.me.items.get(Kind.GOAL, goal_id)
            pending = [s for s in fresh.steps if s.status == Status.OPEN]
            if pending:
                self.me.items.complete(Kind.STEP, pending[0].id)
                self.counts["completions"] += 1
            if len(pending) <= 1 and fresh.status == Status.OPEN and goal_id == self.quick_goal.id:
                self.clock.advance(timedelta(minutes=3))
                self.me.items.complete(Kind.GOAL, goal_id)
                self.counts["completions"] += 1
        self.schedule(self.jitter(day, 19), step_done)

    def plan_sam(self, day: date, rest_day: bool) -> None:
        if rest_day:
            return
        for _ in range(self.rng.randint(0, 2)):
            def sam_task() -> None:
                task = self.sam.items.add_task(self.rng.choice(SAM_TITLES),
                                               complexity=self.rng.randint(1, 4))
                self.sam.items.complete(Kind.TASK, task.id)
                self.counts["completions"] += 1
            self.schedule(self.jitter(day, self.rng.randint(8, 20)), sam_task)

    def plan_today_and_ahead(self) -> None:
        """Work still to do: a few tasks due today and this week, slots in the days ahead."""
        self.clock.instant = max(self.clock.instant, min(self.now, self.at(self.today, 7, 40)))
        for project, offset, complexity in (("Work", 0, 3), ("Health", 0, 1), ("Home", 1, 2),
                                            ("Work", 2, 5), ("Learning", 4, 2)):
            self.add_task(project, self.today + timedelta(days=offset), complexity)
        for offset in range(1, 6):
            day = self.today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            self.me.items.add_slot("Deep work: v2.0 migration", self.at(day, 9),
                                   self.at(day, 10, 30),
                                   goal=self.goals[0].id)
            self.me.items.add_slot("Team planning", self.at(day, 13, 30), self.at(day, 14, 30))
            self.counts["slots"] += 2

    def build(self) -> DemoSummary:
        self.setup()
        day = self.first_day
        index = 0
        while day <= self.today:
            self.plan_day(day, index)
            self.perform()
            day += timedelta(days=1)
            index += 1
        self.plan_today_and_ahead()
        self.clock.instant = max(self.clock.instant, self.now)
        total = self.me.reads.progress().total_points
        return DemoSummary(tasks=self.counts["tasks"], goals=len(self.goals) + 1,
                           slots=self.counts["slots"], completions=self.counts["completions"],
                           reopenings=self.counts["reopenings"],
                           profiles=(MAIN_PROFILE_NAME, SECOND_PROFILE), total_points=total)


def populate_demo(database: Database, *, now: datetime, timezone_name: str | None = None,
                  days: int = 28, seed: int = 2026) -> DemoSummary:
    """Fill a fresh database with ``days`` days of history ending at ``now`` (aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    builder = _DemoBuilder(database, now, timezone_name or system_zone_name(), days, seed)
    return builder.build()


def _skip_fsync(database: Database) -> None:
    """A throw-away file needs no durability: skip the fsync of each of its few hundred
    commits (``synchronous = OFF`` for this engine's connections only)."""

    def relax(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.close()

    event.listen(database.engine, "connect", relax)
    database.engine.dispose()  # pooled connections were made before the listener


def create_demo_database(path: Path, *, now: datetime, timezone_name: str | None = None,
                         seed: int = 2026) -> DemoSummary:
    """Create ``path`` (which must not exist yet) and fill it with the demo history."""
    if path.exists():
        raise FileExistsError(path)
    database = open_database(path)
    _skip_fsync(database)
    try:
        return populate_demo(database, now=now, timezone_name=timezone_name, seed=seed)
    finally:
        database.close()
