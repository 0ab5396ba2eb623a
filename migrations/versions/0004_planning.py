"""planning: due times, tags, reminders, repeat modes (SPEC v2 §12)

Revision ID: 0004_planning
Revises: 0003
Create Date: 2026-12-06

* ``tasks.due_at`` (the due instant in UTC) and ``tasks.due_time`` (the local wall time
  "HH:MM" it was given as): a task with a time is overdue after the instant; a task with
  a date alone (both NULL) after its day. ``due_date`` stays the local date, so every
  index on it keeps working.
* ``tasks.repeat_start`` (the series' first occurrence, the RRULE's DTSTART, so COUNT and
  UNTIL are honoured) and ``tasks.repeat_after`` ("3d", "2w", "1m": repeat that long after
  each completion).
* ``tags`` and ``task_tags``; ``reminders`` (an offset before the due time or an instant,
  ``fire_at`` in UTC, ``snoozed_until``, ``state`` pending/shown/done).

The columns are added with plain ``ALTER TABLE … ADD COLUMN`` (no table rebuild), so the
search index's triggers from 0003 stay in place; the downgrade drops them the same way
(SQLite ≥ 3.35).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_planning'
down_revision = '0003'
branch_labels = None
depends_on = None

TASK_COLUMNS = (
    ("due_at", sa.DateTime()),
    ("due_time", sa.String(length=5)),
    ("repeat_start", sa.String(length=16)),
    ("repeat_after", sa.String(length=10)),
)


def upgrade() -> None:
    for name, type_ in TASK_COLUMNS:
        op.add_column('tasks', sa.Column(name, type_, nullable=True))
    op.create_table(
        'tags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'],
                                name=op.f('fk_tags_profile_id_profiles'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
        sa.UniqueConstraint('profile_id', 'name', name=op.f('uq_tags_profile_id_name')),
    )
    op.create_table(
        'task_tags',
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('tag_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['tag_id'], ['tags.id'],
                                name=op.f('fk_task_tags_tag_id_tags'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_task_tags_task_id_tasks'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('task_id', 'tag_id', name=op.f('pk_task_tags')),
    )
    with op.batch_alter_table('task_tags', schema=None) as batch_op:
        batch_op.create_index('ix_task_tags_tag', ['tag_id'], unique=False)
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('offset_minutes', sa.Integer(), nullable=True),
        sa.Column('fire_at', sa.DateTime(), nullable=False),
        sa.Column('snoozed_until', sa.DateTime(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('shown_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("offset_minutes IS NULL OR offset_minutes >= 0",
                           name=op.f('ck_reminders_offset')),
        sa.CheckConstraint("state IN ('pending', 'shown', 'done')",
                           name=op.f('ck_reminders_state')),
        sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'],
                                name=op.f('fk_reminders_profile_id_profiles'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_reminders_task_id_tasks'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_profile_state', ['profile_id', 'state'],
                              unique=False)
        batch_op.create_index('ix_reminders_task', ['task_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_task')
        batch_op.drop_index('ix_reminders_profile_state')
    op.drop_table('reminders')
    with op.batch_alter_table('task_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_task_tags_tag')
    op.drop_table('task_tags')
    op.drop_table('tags')
    for name, _ in reversed(TASK_COLUMNS):
        op.execute(f"ALTER TABLE tasks DROP COLUMN {name}")
