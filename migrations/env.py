"""Alembic environment: the models' metadata, batch mode, one transaction for all steps.

The application passes its own connection in ``config.attributes["connection"]`` (so the
SQLite pragmas and ``BEGIN IMMEDIATE`` apply and DDL is transactional). Run from the
command line, a URL from ``-x db=PATH`` is used instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from momentum_app.core.models import SEARCH_INDEX_TABLES, Base
from momentum_app.core import sqlite as sqlite_layer

config = context.config


def include_name(name, type_, parent_names) -> bool:  # type: ignore[no-untyped-def]
    """Autogenerate neither drops nor diffs the FTS5 search index (not a model)."""
    return not (type_ == "table" and name in SEARCH_INDEX_TABLES)

target_metadata = Base.metadata


def run_on(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        transaction_per_migration=False,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("db", "sqlite:///momentum.sqlite3")
    if "://" not in url:
        url = f"sqlite:///{url}"
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        sqlite_layer.install_pragmas(engine)
    with engine.connect() as conn:
        run_on(conn)
        conn.commit()
