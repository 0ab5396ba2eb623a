"""fast task lists and latest ledger rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

Three read paths that scanned or sorted every row at scale (docs/BENCHMARKS.md §3, §7):

* ``ix_tasks_profile_due (profile_id, due_date)``: the Tasks view's default order (due
  date, then id) for "all statuses" walks this index instead of sorting every task.
  (With a status filter, ``ix_tasks_profile_status_due`` already gives that order.)
* ``ix_tasks_project_status_due (project_id, status, due_date)`` and
  ``ix_tasks_project_due (project_id, due_date)`` (which replaces ``ix_tasks_project``):
  the same order within one project, without visiting the other projects' tasks.
* ``ix_ledger_profile (profile_id)``: its entries are in rowid order, so "the latest
  ledger rows of a profile" is a plain index walk instead of a sort of the whole ledger.
* ``tasks_fts``: an FTS5 index of task titles and notes with the ``trigram`` tokenizer
  (case-insensitive substring search), kept in step with ``tasks`` by three triggers.
  It is an *external-content* table: it stores only the index, the text stays in
  ``tasks``. Searches use it as a pre-filter; the exact ``LIKE`` test still decides.
  Alembic's autogenerate ignores it (``migrations/env.py``: ``include_name``).

A later ``batch_alter_table("tasks")`` recreates the table: re-create the triggers after it.
"""
from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

FTS_TABLE = "tasks_fts"
TRIGGERS = {
    "tasks_fts_after_insert": (
        "AFTER INSERT ON tasks BEGIN "
        "INSERT INTO tasks_fts (rowid, title, notes) VALUES (new.id, new.title, new.notes); "
        "END"),
    "tasks_fts_after_delete": (
        "AFTER DELETE ON tasks BEGIN "
        "INSERT INTO tasks_fts (tasks_fts, rowid, title, notes) "
        "VALUES ('delete', old.id, old.title, old.notes); "
        "END"),
    "tasks_fts_after_update": (
        "AFTER UPDATE OF title, notes ON tasks BEGIN "
        "INSERT INTO tasks_fts (tasks_fts, rowid, title, notes) "
        "VALUES ('delete', old.id, old.title, old.notes); "
        "INSERT INTO tasks_fts (rowid, title, notes) VALUES (new.id, new.title, new.notes); "
        "END"),
}


def upgrade() -> None:
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_profile_due', ['profile_id', 'due_date'], unique=False)
        batch_op.drop_index('ix_tasks_project')
        batch_op.create_index('ix_tasks_project_due', ['project_id', 'due_date'], unique=False)
        batch_op.create_index('ix_tasks_project_status_due', ['project_id', 'status', 'due_date'],
                              unique=False)
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_profile', ['profile_id'], unique=False)
    op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
               "title, notes, content='tasks', content_rowid='id', tokenize='trigram')")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_profile')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_project_status_due')
        batch_op.drop_index('ix_tasks_project_due')
        batch_op.create_index('ix_tasks_project', ['project_id'], unique=False)
        batch_op.drop_index('ix_tasks_profile_due')
