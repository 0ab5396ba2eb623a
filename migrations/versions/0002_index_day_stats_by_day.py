"""index day stats by day

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

Cross-profile weekly queries (team_player, top_of_the_board) scan day_stats by day.
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('day_stats', schema=None) as batch_op:
        batch_op.create_index('ix_day_stats_day', ['day'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('day_stats', schema=None) as batch_op:
        batch_op.drop_index('ix_day_stats_day')

