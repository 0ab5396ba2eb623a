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
