"""coins and rewards, gamification mode

Revision ID: 0005_rewards
Revises: 0004_planning
Create Date: 2026-12-06

SPEC v2 §2a and §11:

* ``rewards``: what a person can buy with coins (name, cost 1–100,000, repeatable or
  once-only), soft-deleted like the other source data.
* ``reward_purchases``: one row per purchase, pointing at its ``reward_purchase`` event
  (the log that will sync) and, once refunded, at its ``reward_refund`` event.
* ``profiles.game_mode``: ``full`` (default), ``quiet`` or ``off``. Added with a plain
  ``ALTER TABLE … ADD COLUMN`` rather than a batch copy of ``profiles``: a batch
  recreates the table, and dropping the old one with foreign keys on would cascade to
  every row that belongs to a profile.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005_rewards'
down_revision = '0004_planning'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rewards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('cost', sa.Integer(), nullable=False),
        sa.Column('repeatable', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('cost BETWEEN 1 AND 100000', name=op.f('ck_rewards_cost')),
        sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'],
                                name=op.f('fk_rewards_profile_id_profiles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rewards')),
    )
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.create_index('ix_rewards_profile', ['profile_id'], unique=False)
    op.create_table(
        'reward_purchases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('reward_id', sa.Integer(), nullable=False),
        sa.Column('cost', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('purchased_at', sa.DateTime(), nullable=False),
        sa.Column('refunded_at', sa.DateTime(), nullable=True),
        sa.Column('refund_event_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('cost >= 1', name=op.f('ck_reward_purchases_cost')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_reward_purchases_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'],
                                name=op.f('fk_reward_purchases_profile_id_profiles'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['refund_event_id'], ['events.id'],
                                name=op.f('fk_reward_purchases_refund_event_id_events'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reward_id'], ['rewards.id'],
                                name=op.f('fk_reward_purchases_reward_id_rewards')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reward_purchases')),
        sa.UniqueConstraint('event_id', name=op.f('uq_reward_purchases_event_id')),
    )
    with op.batch_alter_table('reward_purchases', schema=None) as batch_op:
        batch_op.create_index('ix_reward_purchases_profile', ['profile_id'], unique=False)
        batch_op.create_index('ix_reward_purchases_reward', ['reward_id'], unique=False)
    op.add_column('profiles', sa.Column('game_mode', sa.String(length=5), nullable=False,
                                        server_default='full'))


def downgrade() -> None:
    op.drop_column('profiles', 'game_mode')
    with op.batch_alter_table('reward_purchases', schema=None) as batch_op:
        batch_op.drop_index('ix_reward_purchases_reward')
        batch_op.drop_index('ix_reward_purchases_profile')
    op.drop_table('reward_purchases')
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.drop_index('ix_rewards_profile')
    op.drop_table('rewards')
