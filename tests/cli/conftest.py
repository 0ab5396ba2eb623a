"""CLI test fixtures: a prepared database (built once, in-process) and the scenario runner.

The helpers and the scenario registry live in ``cli_support.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_support import NOW, PREPARED, UTC, ScenarioRun, ScenarioRunner, cli_env

from momentum_app.__main__ import main
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


@pytest.fixture
def full_path(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
              ) -> Callable[..., tuple[int, str, str]]:
    """The same command on the full path, run by the CLI's ``main`` in this process (it
    has SQLAlchemy loaded already: a command costs milliseconds, not an interpreter)."""

    def run(db: Path, *args: str) -> tuple[int, str, str]:
        for name, value in cli_env(db).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main([*args, "--profile", "default"])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def twins(prepared_db: Path, tmp_path: Path,
          full_path: Callable[..., tuple[int, str, str]]) -> tuple[Path, Path]:
    """Two copies of the prepared database, each past its first (full) opening, which
    makes the day's backup; from then on the hot commands can take the light path."""
    copies = []
    for name in ("light", "full"):
        folder = tmp_path / name
        folder.mkdir()
        copy = folder / "momentum.sqlite3"
        shutil.copy(prepared_db, copy)
        assert full_path(copy, "progress")[0] == 0
        copies.append(copy)
    return copies[0], copies[1]
