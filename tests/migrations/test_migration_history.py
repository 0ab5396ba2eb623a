"""The migration history, with pytest-alembic on a real SQLite file and the app's env.py.

The four standard tests: a single head, an upgrade from an empty database, models that
match the DDL the migrations produce (an autogenerate would find nothing to do), and
every downgrade working. Then a full round trip that compares the schema itself.
"""

from __future__ import annotations

from sqlalchemy import Connection

from momentum_app.core import catalog
from momentum_app.core.db import head_revision
from momentum_app.core.models import SEARCH_INDEX_TABLES, Base
from pytest_alembic.tests import (  # noqa: F401 (imported to be collected as tests)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)


def schema(connection: Connection) -> list[tuple[str, str, str | None]]:
    return [tuple(row) for row in connection.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "ORDER BY type, name")]


def version(connection: Connection) -> list[str]:
    return [row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")]


def test_upgrade_downgrade_round_trip_restores_the_same_schema(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("heads")
    at_head = schema(alembic_engine)
    assert version(alembic_engine) == [head_revision()]
    tables = {name for kind, name, _ in at_head if kind == "table"}
    assert tables == set(Base.metadata.tables) | {"alembic_version"} | SEARCH_INDEX_TABLES
    assert alembic_engine.exec_driver_sql(
        "SELECT number, points_required, title FROM levels ORDER BY number").all()[:3] == [
        (1, 0, "Novice"), (2, 100, "Apprentice"), (3, 300, "Achiever")]

    alembic_runner.migrate_down_to("base")
    left = schema(alembic_engine)
    assert [name for _, name, _ in left] == ["alembic_version"]
    assert version(alembic_engine) == []

    alembic_runner.migrate_up_to("heads")
    assert schema(alembic_engine) == at_head
    assert alembic_engine.exec_driver_sql("SELECT count(*) FROM levels").scalar() == 10


def test_each_step_down_and_up_again_gives_the_same_schema(alembic_runner, alembic_engine):
    """Step by step from the top: down one, up one, and nothing differs."""
    revisions = alembic_runner.history.revisions[1:-1]  # without the base/heads sentinels
    assert revisions[-1] == head_revision()
    alembic_runner.migrate_up_to("heads")
    for revision in reversed(revisions):
        assert version(alembic_engine) == [revision]
        before = schema(alembic_engine)
        alembic_runner.migrate_down_one()
        alembic_runner.migrate_up_one()
        assert schema(alembic_engine) == before, f"down and up again through {revision}"
        alembic_runner.migrate_down_one()
    assert version(alembic_engine) == []


def test_the_levels_table_of_0001_is_the_catalog_in_full(alembic_runner, alembic_engine):
    """Every row the first migration seeds — number, points, title and perk — is the
    catalog's level (SPEC §3); no level is missing or extra, and later migrations keep it."""
    expected = [(level.number, level.points_required, level.title, level.perk)
                for level in catalog.LEVELS]
    alembic_runner.migrate_up_to("0001")
    sql = "SELECT number, points_required, title, perk FROM levels ORDER BY number"
    assert [tuple(row) for row in alembic_engine.exec_driver_sql(sql)] == expected
    alembic_runner.migrate_up_to("heads")
    assert [tuple(row) for row in alembic_engine.exec_driver_sql(sql)] == expected
