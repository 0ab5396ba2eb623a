"""import identity: where each imported item came from

Revision ID: 0006_import_identity
Revises: 0005_rewards
Create Date: 2026-12-06

``import_sources`` remembers, per profile, the identity an imported item has in its
source (a Taskwarrior ``uuid``, an iCalendar ``UID`` + ``RECURRENCE-ID``, a todo.txt
line's normalised text, another tool's id) and the fields as last imported. A second
import of the same file finds every item and changes nothing; a newer export of the same
source updates only the fields the source changed (SPEC §9, issue 18).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_import_identity'
down_revision = '0005_rewards'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"],
                                name=op.f("fk_import_sources_profile_id_profiles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_sources")),
        sa.UniqueConstraint("profile_id", "format", "source_id",
                            name=op.f("uq_import_sources_profile_id_format_source_id")),
    )
    with op.batch_alter_table("import_sources") as batch:
        batch.create_index("ix_import_sources_item", ["kind", "item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_sources") as batch:
        batch.drop_index("ix_import_sources_item")
    op.drop_table("import_sources")
