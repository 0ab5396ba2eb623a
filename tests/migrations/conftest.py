"""Fixtures for pytest-alembic: the app's own migration scripts on a real SQLite file.

``migrations/env.py`` runs on the connection it finds in ``config.attributes["connection"]``
and alembic refuses an ``Engine`` there, while pytest-alembic puts whatever
``alembic_engine`` yields into that slot. So ``alembic_engine`` yields a *connection*
(pytest-alembic accepts any connectable) from an engine with the app's SQLite pragmas:
WAL, foreign keys and ``BEGIN IMMEDIATE``, exactly as at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import Connection, create_engine

from momentum_app.core import sqlite as sqlite_layer
from momentum_app.core.db import alembic_config as app_alembic_config


@pytest.fixture
def alembic_config() -> Config:
    """The configuration the application itself migrates with (script location included)."""
    return app_alembic_config()


@pytest.fixture
def alembic_db_path(tmp_path: Path) -> Path:
    return tmp_path / "alembic-under-test.sqlite3"


@pytest.fixture
def alembic_engine(alembic_db_path: Path) -> Iterator[Connection]:
    engine = create_engine(f"sqlite:///{alembic_db_path}")
    sqlite_layer.install_pragmas(engine)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
