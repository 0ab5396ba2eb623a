"""Fixtures for the export/import tests (helpers in ``io_support.py``).

The seeded database is built once per session through the services (in-process, fixed
clock) and copied for each test.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from io_support import NOW_ENV, SEED_START, Result, run_cli, seed

from momentum_app.__main__ import main as momentum_main
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    path = tmp_path_factory.mktemp("io-seed") / "seeded.sqlite3"
    shutil.copyfile(template_db, path)
    database = open_database(path)
    try:
        clock = FixedClock(SEED_START)
        seed(Momentum(database, clock), clock)
    finally:
        database.close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def seeded_db(seeded_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "seeded.sqlite3"
    shutil.copyfile(seeded_template, target)
    return target


@pytest.fixture
def empty_db(template_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "empty.sqlite3"
    shutil.copyfile(template_db, target)
    return target


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run_cli


@pytest.fixture
def main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
         ) -> Callable[..., Result]:
    """The same entry point in-process (for the many cheap cases)."""
    monkeypatch.setenv("MOMENTUM_NOW", NOW_ENV)

    def run(db: Path, *args: str) -> Result:
        capsys.readouterr()
        code = momentum_main(["--db", str(db), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)
    return run
