"""hidden until: a task out of the lists until a day

Revision ID: 0009_hidden_until
Revises: 0008_sync
Create Date: 2026-12-06

``tasks.hidden_until`` (a local date, NULL for none): Taskwarrior's ``wait``/``scheduled``
and todo.txt's ``t:`` threshold. Before that day the task is left out of the task lists
(``task list --all`` shows it); it never changes points or streaks (issue 18).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_hidden_until'
down_revision = '0008_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("hidden_until", sa.Date(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE tasks DROP COLUMN hidden_until")
