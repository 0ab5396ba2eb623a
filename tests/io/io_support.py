"""Helpers for the export/import tests: a seeded history, the real CLI, database dumps.

``run_cli`` runs ``python -m momentum_app`` in a subprocess on a real file, with
``MOMENTUM_NOW`` fixed; the ``main`` fixture (conftest) runs the same entry point
in-process for the many cheap bad-input cases.
"""

from __future__ import annotations

import dataclasses

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parents[1] / "cli") not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
import cli_support  # noqa: E402

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum

SEED_START = datetime(2025, 12, 29, 12, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 1, 12, 18, 0, tzinfo=UTC)
NOW_ENV = NOW.isoformat()
TIMEOUT = 120
#: Titles that a spreadsheet would run as formulas (neutralised in CSV exports).
INJECTIONS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-5 apples", "@SUM(A1:A2)"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.returncode == 0, self.stderr
        return json.loads(self.stdout)


def seed(app: Momentum, clock: FixedClock) -> None:
    """Two profiles with a fortnight of varied history (enough for streaks, bonuses,
    achievements, milestones, a reversal, a custom event, a vacation and team_player)."""
    app.profiles.update(timezone="Europe/Paris", day_start_hour=0, name="Ada, \"the\" Countess")
    app.projects.add("Home.Garden")
    app.projects.add("=cmd|' /C calc'!A0")
    app.events.add_type("=evil()", 7)
    app.profiles.add_vacation("2026-01-20", "2026-01-22")
    goal = app.items.add_goal("Run 10 km 🏃", project="Home.Garden")
    steps = [app.items.add_step(goal.id, f"Step {i}") for i in range(1, 4)]
    titles = ["Plant tomatoes 🍅", "学习中文", "שלום עולם", "Email, \"quoted\" reply"]
    titles += INJECTIONS
    for day in range(14):
        base = SEED_START + timedelta(days=day)
        for n in range(1 + day % 3):
            clock.instant = base + timedelta(hours=[-5, 0, 9][n], minutes=7 * day)
            task = app.items.add_task(titles[(day + n) % len(titles)],
                                      project=["Home.Garden", None, "=cmd|' /C calc'!A0"][n],
                                      complexity=1 + (day + n) % 5,
                                      due=(base.date() + timedelta(days=1)).isoformat())
            app.items.complete(Kind.TASK, task.id)
        if day % 4 == 1:
            clock.instant = base
            slot = app.items.add_slot("Deep work", (base - timedelta(hours=2)).isoformat(),
                                      base.isoformat())
            app.items.complete(Kind.SLOT, slot.id)
        if day in (2, 5, 9):
            app.items.complete(Kind.STEP, steps[(2, 5, 9).index(day)].id)
    clock.instant = SEED_START + timedelta(days=13, hours=3)
    app.items.complete(Kind.GOAL, goal.id)
    reopened = app.items.add_task("Done by mistake", due="2026-01-11")
    app.items.complete(Kind.TASK, reopened.id)
    app.items.reopen(Kind.TASK, reopened.id)
    app.events.process_event("=evil()")
    app.items.add_task("Still open", due="2026-01-20", repeat="weekly", notes="@home\n-1 note")
    app.items.add_slot("Planning", "2026-01-13T09:00:00+01:00", "2026-01-13T10:30:00+01:00")
    # A second profile, active in the same weeks (team_player).
    app.profiles.add("Bob", timezone="America/New_York")
    app.switch_profile("Bob")
    for day in (0, 1, 2):
        clock.instant = SEED_START + timedelta(days=day, hours=2)
        task = app.items.add_task(f"Bob's task {day}")
        app.items.complete(Kind.TASK, task.id)
    app.switch_profile("Ada, \"the\" Countess")
    clock.instant = NOW


def run_cli(db: Path, *args: str, timeout: int = TIMEOUT, now: str = NOW_ENV) -> Result:
    """The real command line in a subprocess (the clock fixed at ``now``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MOMENTUM_DB",)}
    env.update(MOMENTUM_NOW=now, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "momentum_app", "--db", str(db), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=timeout, check=False)
    return Result(done.returncode, done.stdout, done.stderr)


def dump(db: Path) -> list[str]:
    """The whole database as SQL text (to prove a failed import changed nothing)."""
    with closing(sqlite3.connect(db)) as connection:
        return list(connection.iterdump())


def services(db: Path, profile: str | None = None) -> AbstractContextManager[Momentum]:
    """The real services on ``db`` at this folder's ``NOW`` (tests/cli/cli_support.py)."""
    return cli_support.services(db, profile, now=NOW)


def snapshot(db: Path, profile: str | None = None) -> dict[str, Any]:
    """What a person sees: progress, ledger, achievements, streaks, milestones, stats."""
    with services(db, profile) as app:
        return {
            "progress": app.reads.progress(),
            "history": [dataclasses.replace(row, event_id=None)  # ids differ per file
                        for row in app.reads.history(limit=None)],
            "achievements": app.reads.achievements(everything=True),
            "streaks": app.reads.streaks(),
            "milestones": app.reads.milestones(),
            "tasks": [{k: v for k, v in t.to_json().items() if k not in ("id", "goal_id",
                                                                          "project_id")}
                      for t in app.items.list_tasks(include_deleted=True)],
        }
