"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21

The whole data model of SPEC.md; the level table is seeded with its frozen values.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('event_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('points >= 0', name=op.f('ck_event_types_points')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_types')),
    sa.UniqueConstraint('name', name=op.f('uq_event_types_name'))
    )
    op.create_table('levels',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('points_required', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=40), nullable=False),
    sa.Column('perk', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_levels'))
    )
    op.create_table('profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('day_start_hour', sa.Integer(), nullable=False),
    sa.Column('daily_task_target', sa.Integer(), nullable=False),
    sa.Column('days_off', sa.String(length=20), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('board_checked_week', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('daily_task_target >= 1', name=op.f('ck_profiles_daily_task_target')),
    sa.CheckConstraint('day_start_hour BETWEEN 0 AND 23', name=op.f('ck_profiles_day_start_hour')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profiles')),
    sa.UniqueConstraint('name', name=op.f('uq_profiles_name'))
    )
    op.create_table('counters',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=140), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_counters_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'scope', 'name', name=op.f('pk_counters'))
    )
    op.create_table('custom_achievements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('criteria', sa.String(length=40), nullable=False),
    sa.Column('event_type', sa.String(length=100), nullable=True),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('icon', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('points BETWEEN 0 AND 100', name=op.f('ck_custom_achievements_points')),
    sa.CheckConstraint('target >= 1', name=op.f('ck_custom_achievements_target')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_custom_achievements_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_achievements')),
    sa.UniqueConstraint('profile_id', 'name', name=op.f('uq_custom_achievements_profile_id_name'))
    )
    op.create_table('day_stats',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('tasks', sa.Integer(), nullable=False),
    sa.Column('steps', sa.Integer(), nullable=False),
    sa.Column('slots', sa.Integer(), nullable=False),
    sa.Column('goals', sa.Integer(), nullable=False),
    sa.Column('focus_minutes', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('first_task_holder', sa.Integer(), nullable=True),
    sa.Column('early_bird_holder', sa.Integer(), nullable=True),
    sa.Column('night_owl_holder', sa.Integer(), nullable=True),
    sa.Column('weekend_holder', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_day_stats_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'day', name=op.f('pk_day_stats'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('activity_day', sa.Date(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_events_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('profile_id', 'key', name=op.f('uq_events_profile_id_key'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_profile_day', ['profile_id', 'activity_day'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('goals_enabled', sa.Boolean(), nullable=False),
    sa.Column('is_inbox', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_projects_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('profile_id', 'name', name=op.f('uq_projects_profile_id_name'))
    )
    op.create_table('streaks',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('current', sa.Integer(), nullable=False),
    sa.Column('longest', sa.Integer(), nullable=False),
    sa.Column('run_start', sa.Date(), nullable=True),
    sa.Column('last_activity_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_streaks_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'type', name=op.f('pk_streaks'))
    )
    op.create_table('vacations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_vacations_dates_ordered')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_vacations_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacations'))
    )
    with op.batch_alter_table('vacations', schema=None) as batch_op:
        batch_op.create_index('ix_vacations_profile_dates', ['profile_id', 'start_date', 'end_date'], unique=False)

    op.create_table('week_stats',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('perfect_week_holder', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_week_stats_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'week', name=op.f('pk_week_stats'))
    )
    op.create_table('achievement_progress',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('achievement_id', sa.String(length=60), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_achievement_progress_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_achievement_progress_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'achievement_id', name=op.f('pk_achievement_progress'))
    )
    op.create_table('completions',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('activity_day', sa.Date(), nullable=False),
    sa.Column('complexity', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('reversed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_completions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_completions_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reversed_by'], ['events.id'], name=op.f('fk_completions_reversed_by_events')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_completions'))
    )
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.create_index('ix_completions_item', ['profile_id', 'kind', 'item_id'], unique=False)
        batch_op.create_index('ix_completions_profile_day', ['profile_id', 'activity_day'], unique=False)

    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_goals_status')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_goals_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_goals_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals'))
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index('ix_goals_profile_status', ['profile_id', 'status'], unique=False)

    op.create_table('ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('entry_type', sa.String(length=6), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('activity_day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("entry_type IN ('credit', 'debit')", name=op.f('ck_ledger_entry_type')),
    sa.CheckConstraint('points >= 0', name=op.f('ck_ledger_points')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_ledger_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_ledger_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger'))
    )
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_completion', ['completion_id'], unique=False)
        batch_op.create_index('ix_ledger_event', ['event_id'], unique=False)
        batch_op.create_index('ix_ledger_profile_day', ['profile_id', 'activity_day'], unique=False)

    op.create_table('milestone_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_milestone_grants_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_milestone_grants_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_grants')),
    sa.UniqueConstraint('profile_id', 'kind', 'scope', 'threshold', name=op.f('uq_milestone_grants_profile_id_kind_scope_threshold'))
    )
    op.create_table('streak_bonus_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_streak_bonus_grants_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_streak_bonus_grants_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_streak_bonus_grants')),
    sa.UniqueConstraint('profile_id', 'threshold', 'day', name=op.f('uq_streak_bonus_grants_profile_id_threshold_day'))
    )
    op.create_table('goal_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_goal_steps_status')),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_goal_steps_goal_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_steps'))
    )
    with op.batch_alter_table('goal_steps', schema=None) as batch_op:
        batch_op.create_index('ix_goal_steps_goal_position', ['goal_id', 'position'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('complexity', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('repeat_rule', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_tasks_status')),
    sa.CheckConstraint('complexity BETWEEN 1 AND 5', name=op.f('ck_tasks_complexity')),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_tasks_goal_id_goals')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_tasks_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_tasks_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_goal', ['goal_id'], unique=False)
        batch_op.create_index('ix_tasks_profile_status_due', ['profile_id', 'status', 'due_date'], unique=False)
        batch_op.create_index('ix_tasks_project', ['project_id'], unique=False)

    op.create_table('time_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('start_at', sa.DateTime(), nullable=False),
    sa.Column('end_at', sa.DateTime(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_time_slots_status')),
    sa.CheckConstraint('end_at > start_at', name=op.f('ck_time_slots_end_after_start')),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_time_slots_goal_id_goals')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_time_slots_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_time_slots_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_slots'))
    )
    with op.batch_alter_table('time_slots', schema=None) as batch_op:
        batch_op.create_index('ix_time_slots_profile_start', ['profile_id', 'start_at'], unique=False)



    levels = sa.table("levels", sa.column("number", sa.Integer), sa.column("points_required", sa.Integer),
                      sa.column("title", sa.String), sa.column("perk", sa.String))
    op.bulk_insert(levels, [
        {"number": n, "points_required": 100 * (2 ** (n - 1) - 1), "title": title, "perk": perk}
        for n, title, perk in [
            (1, "Novice", None), (2, "Apprentice", "custom accent colour"),
            (3, "Achiever", "custom backgrounds"), (4, "Planner", "advanced analytics (heatmap, trends)"),
            (5, "Strategist", "special badges"), (6, "Expert", "extra themes"),
            (7, "Master", "custom achievements"), (8, "Mentor", "mentor status"),
            (9, "Grandmaster", "prestige badge frame"), (10, "Legend", "legendary status"),
        ]
    ])


def downgrade() -> None:
    with op.batch_alter_table('time_slots', schema=None) as batch_op:
        batch_op.drop_index('ix_time_slots_profile_start')

    op.drop_table('time_slots')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_project')
        batch_op.drop_index('ix_tasks_profile_status_due')
        batch_op.drop_index('ix_tasks_goal')

    op.drop_table('tasks')
    with op.batch_alter_table('goal_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_steps_goal_position')

    op.drop_table('goal_steps')
    op.drop_table('streak_bonus_grants')
    op.drop_table('milestone_grants')
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_profile_day')
        batch_op.drop_index('ix_ledger_event')
        batch_op.drop_index('ix_ledger_completion')

    op.drop_table('ledger')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index('ix_goals_profile_status')

    op.drop_table('goals')
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_index('ix_completions_profile_day')
        batch_op.drop_index('ix_completions_item')

    op.drop_table('completions')
    op.drop_table('achievement_progress')
    op.drop_table('week_stats')
    with op.batch_alter_table('vacations', schema=None) as batch_op:
        batch_op.drop_index('ix_vacations_profile_dates')

    op.drop_table('vacations')
    op.drop_table('streaks')
    op.drop_table('projects')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_profile_day')

    op.drop_table('events')
    op.drop_table('day_stats')
    op.drop_table('custom_achievements')
    op.drop_table('counters')
    op.drop_table('profiles')
    op.drop_table('levels')
    op.drop_table('event_types')
