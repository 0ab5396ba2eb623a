"""Root conftest: Qt offscreen before anything imports it; real, cheap database fixtures.

A migrated template database is built once per session and copied for each test
(Anki's trick): every test gets a real SQLite file at head without paying for Alembic.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("MOMENTUM_NOW", None)
os.environ.pop("MOMENTUM_DB", None)

import pytest  # noqa: E402

from momentum_app.core.clock import FixedClock  # noqa: E402
from momentum_app.core.db import Database, open_database  # noqa: E402
from momentum_app.core.services import Momentum  # noqa: E402

START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)  # a Monday, noon UTC

#: The longest tests (node-id prefix -> seconds on a quiet 2-core machine, from
#: ``--durations``). They are started first, longest first, so that the parallel run
#: (``scripts/test.sh`` uses pytest-xdist with one test handed out at a time) ends with
#: short tests on every worker instead of one worker finishing a long test alone.
RUN_FIRST = {
    "tests/sync/test_convergence.py": 60,
    "tests/test_readme.py::test_the_quick_tour": 42,
    "tests/cli/test_cli_undo.py::test_every_kind": 38,
    "tests/sync/test_sync_cli.py::test_changes_travel_both_ways": 30,
    "tests/sync/test_sync_crash.py": 26,
    "tests/sync/test_syncthing_real.py": 24,
    "tests/sync/test_sync_cli.py": 14,
    "tests/reliability/test_hardening.py::test_reading_commands_start": 13,
    "tests/reliability/test_import_batches.py::test_writers_and_readers": 12,
    "tests/io/test_single_profile_restore.py": 9,
    "tests/property/": 8,
}


def _first_weight(nodeid: str) -> int:
    matches = [seconds for prefix, seconds in RUN_FIRST.items() if nodeid.startswith(prefix)]
    return max(matches, default=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest tests first (a stable sort: the rest keep pytest's order)."""
    items.sort(key=lambda item: -_first_weight(item.nodeid))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_database(path)
    database.close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "momentum.sqlite3"
    shutil.copyfile(template_db, target)
    return target


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(database: Database, clock: FixedClock) -> Momentum:
    """Services on a fresh database; the default profile in UTC with day start 0."""
    momentum = Momentum(database, clock)
    momentum.profiles.update(timezone="UTC", day_start_hour=0)
    momentum.history.clear()  # the set-up is not an action of the test's (undo history)
    return momentum
