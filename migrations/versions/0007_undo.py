"""undo: the persistent undo history of this replica's changes

Revision ID: 0007_undo
Revises: 0006_import_identity
Create Date: 2026-12-06

``undo_entries`` holds, per profile, one row per user action made on this replica (by
the command line or the window): its label ("Complete “Buy milk”") and the operations
that take it back (``ops``, JSON, applied last first), or, once undone, the operations
that do it again. ``state`` is ``done`` (on the undo side) or ``undone`` (on the redo
side). ``momentum undo`` / ``momentum redo`` and the window's Undo/Redo read the same
rows, so they interleave (SPEC v2 §9, issue 15).

``event_types.deleted_at``: undoing the creation of a custom event type removes it softly
(no new events of it; the events already logged keep folding with its points).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_undo'
down_revision = '0006_import_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "undo_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("ops", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("state IN ('done', 'undone')", name=op.f("ck_undo_entries_state")),
        sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"],
                                name=op.f("fk_undo_entries_profile_id_profiles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undo_entries")),
    )
    with op.batch_alter_table("undo_entries") as batch:
        batch.create_index("ix_undo_entries_profile_state", ["profile_id", "state", "id"],
                           unique=False)
    op.add_column("event_types", sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("event_types", "deleted_at")  # SQLite 3.35+: no table rebuild
    with op.batch_alter_table("undo_entries") as batch:
        batch.drop_index("ix_undo_entries_profile_state")
    op.drop_table("undo_entries")
