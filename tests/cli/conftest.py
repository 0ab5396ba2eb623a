"""CLI test fixtures: a prepared database (built once, in-process) and the scenario runner.

The helpers and the scenario registry live in ``cli_support.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cli_support import NOW, PREPARED, UTC, ScenarioRun, ScenarioRunner
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum


@pytest.fixture(scope="session")
def prepared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Default profile (UTC): a project, two tasks (one done yesterday, a Sunday), a goal with
    a step, a slot. Profile bob: five tasks done two weeks earlier (a project milestone
    reached; not the same week, so nobody gets ``team_player``)."""
    path = tmp_path_factory.mktemp("cli-template") / "prepared.sqlite3"
    database = open_database(path)
    try:
        app = Momentum(database, FixedClock(NOW - timedelta(days=1)))
        app.profiles.update(timezone="UTC", day_start_hour=0)
        app.projects.add("Work")
        assert app.items.add_task("Write report", project="Work", complexity=3).id == 1
        assert app.items.add_task("Yesterday's chore").id == 2
        app.items.complete(Kind.TASK, 2)
        goal = app.items.add_goal("Ship v1", project="Work")
        assert goal.id == 1 and app.items.add_step(goal.id, "Design").id == 1
        start = datetime(2026, 1, 5, 9, tzinfo=UTC)
        assert app.items.add_slot("Deep work", start, start + timedelta(minutes=90)).id == 1
        app.profiles.add("bob", timezone="UTC")
        bob = Momentum(database, FixedClock(NOW - timedelta(days=14)), "bob")
        for number in range(5):
            task = bob.items.add_task(f"Bob's task {number + 1}")
            assert task.id == PREPARED["bob_tasks"][0] + number
            bob.items.complete(Kind.TASK, task.id)
        assert len(bob.reads.milestones().completed) == 1
    finally:
        database.close()
    return path


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cli_scenario(name): the CLI scenario a test checks")


@pytest.fixture(scope="session")
def scenario_runner(request: pytest.FixtureRequest, prepared_db: Path,
                    tmp_path_factory: pytest.TempPathFactory) -> ScenarioRunner:
    return ScenarioRunner(request.session, prepared_db, tmp_path_factory.mktemp("scenarios"))


@pytest.fixture
def cli_run(request: pytest.FixtureRequest, scenario_runner: ScenarioRunner) -> ScenarioRun:
    """The run of the scenario named by the test's ``cli_scenario`` marker."""
    marker = request.node.get_closest_marker("cli_scenario")
    assert marker is not None, "mark the test with @pytest.mark.cli_scenario(NAME)"
    return scenario_runner[marker.args[0]]
