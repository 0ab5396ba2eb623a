"""sync: replica id, hybrid logical clock stamps and uids (SPEC v2 §13)

Revision ID: 0008_sync
Revises: 0007_undo
Create Date: 2026-12-06

Nothing existing changes: the items keep their short local ids and the sync tables sit
beside them. ``sync_replica`` is this database as a replica (random id, clock, next
segment), ``sync_ids`` a row's uid for its local id, ``sync_fields`` each synced field's
value and stamp as last exchanged, ``sync_events`` an event's uid and (stamp, replica),
``sync_peers`` how far each other replica was read, ``sync_outbox`` the records of a
segment not yet written, ``sync_checkpoints`` the fold's state at points of the merged log.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_sync'
down_revision = '0007_undo'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_replica",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("replica_id", sa.String(length=32), nullable=False),
        sa.Column("clock", sa.Integer(), nullable=False),
        sa.Column("next_segment", sa.Integer(), nullable=False),
        sa.Column("folder", sa.Text(), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_report", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_replica")),
        sa.UniqueConstraint("replica_id", name=op.f("uq_sync_replica_replica_id")),
    )
    op.create_table(
        "sync_ids",
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "uid", name=op.f("pk_sync_ids")),
    )
    with op.batch_alter_table("sync_ids") as batch:
        batch.create_index("ix_sync_ids_local", ["tbl", "local_id"], unique=False)
    op.create_table(
        "sync_fields",
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("stamp", sa.Integer(), nullable=False),
        sa.Column("replica", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "local_id", "field", name=op.f("pk_sync_fields")),
    )
    op.create_table(
        "sync_events",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.Integer(), nullable=False),
        sa.Column("replica", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name=op.f("fk_sync_events_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_events")),
        sa.UniqueConstraint("uid", name=op.f("uq_sync_events_uid")),
    )
    with op.batch_alter_table("sync_events") as batch:
        batch.create_index("ix_sync_events_order", ["stamp", "replica"], unique=False)
    op.create_table(
        "sync_peers",
        sa.Column("replica", sa.String(length=32), nullable=False),
        sa.Column("segments_read", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("replica", name=op.f("pk_sync_peers")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_outbox")),
    )
    with op.batch_alter_table("sync_outbox") as batch:
        batch.create_index("ix_sync_outbox_segment", ["segment"], unique=False)
    op.create_table(
        "sync_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.Integer(), nullable=False),
        sa.Column("replica", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_checkpoints")),
    )


def downgrade() -> None:
    with op.batch_alter_table("sync_outbox") as batch:
        batch.drop_index("ix_sync_outbox_segment")
    with op.batch_alter_table("sync_events") as batch:
        batch.drop_index("ix_sync_events_order")
    with op.batch_alter_table("sync_ids") as batch:
        batch.drop_index("ix_sync_ids_local")
    for table in ("sync_checkpoints", "sync_outbox", "sync_peers", "sync_events",
                  "sync_fields", "sync_ids", "sync_replica"):
        op.drop_table(table)
