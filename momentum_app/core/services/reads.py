"""The read API of SPEC §7: progress, leaderboard, achievements, streaks, stats, levels,
milestones and history. Every figure comes from the derived tables, never from a recount.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import MilestoneKind
from ..engine import rules
from ..engine.processor import KIND_COUNTER, custom_achievements, streak_states
from ..engine.state import GLOBAL, POINTS_TOTAL, ProfileState, load_settings
from ..errors import ValidationError
from ..models import (
    AchievementProgress,
    Counter,
    DayStat,
    LedgerEntry,
    MilestoneGrant,
    Profile,
    Project,
)
from . import validation as v
from .context import Context
from .projects import find_project
from .rewards import coins

PERIODS = ("week", "month", "all")
MAX_STATS_DAYS = 366 * 20


class ReadService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _state(self, session: Session, profile_id: int | None = None) -> ProfileState:
        return ProfileState(session, load_settings(session, profile_id or self.ctx.profile_id))

    def today(self, session: Session, profile_id: int | None = None) -> date:
        return load_settings(session, profile_id or self.ctx.profile_id).day_of(self.ctx.now())

    @staticmethod
    def period_range(period: str, today: date) -> tuple[date, date] | None:
        if period == "week":
            monday = today - timedelta(days=today.weekday())
            return monday, monday + timedelta(days=6)
        if period == "month":
            first = today.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return first, following - timedelta(days=1)
        if period == "all":
            return None
        raise ValidationError("period", f"must be week, month or all, got {period!r}")

    @staticmethod
    def _points_between(session: Session, profile_id: int, span: tuple[date, date]) -> int:
        return int(session.scalar(select(func.coalesce(func.sum(DayStat.points), 0)).where(
            DayStat.profile_id == profile_id, DayStat.day.between(*span))) or 0)

    def progress(self) -> dict[str, Any]:
        with self.ctx.db.reading() as session:
            state = self._state(session)
            today = state.settings.day_of(self.ctx.now())
            total = state.counter(POINTS_TOTAL)
            week = self.period_range("week", today)
            month = self.period_range("month", today)
            assert week and month
            return {
                "total_points": total,
                "coins": coins(session, state.profile_id),
                "weekly_points": self._points_between(session, state.profile_id, week),
                "monthly_points": self._points_between(session, state.profile_id, month),
                "today_points": self._points_between(session, state.profile_id, (today, today)),
                "level": rules.level_progress(total),
                "streaks": [s.__dict__ for s in streak_states(state, today)],
            }

    def tasks_done_today(self) -> int:
        """Net task completions of the current activity day (the daily-target figure)."""
        with self.ctx.db.reading() as session:
            today = self.today(session)
            done = session.scalar(select(DayStat.tasks).where(
                DayStat.profile_id == self.ctx.profile_id, DayStat.day == today))
            return max(0, int(done or 0))

    def leaderboard(self, period: str = "week") -> list[dict[str, Any]]:
        with self.ctx.db.reading() as session:
            span = self.period_range(period, self.today(session))
            profiles = session.scalars(select(Profile).where(Profile.deleted_at.is_(None))).all()
            scores = []
            for profile in profiles:
                if span is None:
                    points = session.scalar(select(Counter.value).where(
                        Counter.profile_id == profile.id, Counter.scope == GLOBAL,
                        Counter.name == POINTS_TOTAL)) or 0
                else:
                    points = self._points_between(session, profile.id, span)
                level = catalog.level_for_points(session.scalar(select(Counter.value).where(
                    Counter.profile_id == profile.id, Counter.scope == GLOBAL,
                    Counter.name == POINTS_TOTAL)) or 0)
                scores.append((int(points), profile.name, level.number))
            scores.sort(key=lambda row: (-row[0], row[1]))
            ranked, previous_points, rank = [], None, 0
            for position, (points, name, level_number) in enumerate(scores, start=1):
                if points != previous_points:
                    rank, previous_points = position, points
                ranked.append({"rank": rank, "profile": name, "points": points,
                               "level": level_number})
            return ranked

    def best_weeks(self, limit: int = 5) -> list[dict[str, Any]]:
        """The current profile's best ISO weeks by points."""
        with self.ctx.db.reading() as session:
            rows = session.execute(select(DayStat.day, DayStat.points).where(
                DayStat.profile_id == self.ctx.profile_id)).all()
        weeks: dict[str, int] = {}
        for day, points in rows:
            year, week, _ = day.isocalendar()
            key = f"{year}-W{week:02d}"
            weeks[key] = weeks.get(key, 0) + points
        best = sorted(weeks.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [{"week": week, "points": points} for week, points in best if points > 0]

    def achievements(self, available: bool = False, everything: bool = False
                     ) -> list[dict[str, Any]]:
        with self.ctx.db.reading() as session:
            state = self._state(session)
            unlocked = {row.achievement_id: row for row in session.scalars(
                select(AchievementProgress).where(
                    AchievementProgress.profile_id == state.profile_id,
                    AchievementProgress.completed.is_(True)))}
            metrics = state.metrics()
            result = []
            for achievement in list(catalog.ACHIEVEMENTS) + custom_achievements(
                    session, state.profile_id):
                row = unlocked.get(achievement.id)
                done = row is not None
                if not everything and done == available:
                    continue
                progress = achievement.target if done else min(
                    achievement.target, max(0, rules.achievement_metric(achievement, metrics)))
                result.append({
                    "id": achievement.id, "name": achievement.name,
                    "category": achievement.category, "points": achievement.points,
                    "progress": progress, "target": achievement.target, "completed": done,
                    "completed_at": row.completed_at.isoformat() if row and row.completed_at
                    else None,
                    "description": achievement.description, "icon": achievement.icon,
                })
            return result

    def streaks(self) -> list[dict[str, Any]]:
        with self.ctx.db.reading() as session:
            state = self._state(session)
            today = state.settings.day_of(self.ctx.now())
            return [s.__dict__ for s in streak_states(state, today)]

    def stats(self, start: object = None, end: object = None) -> dict[str, Any]:
        """Per-day points and completions by kind, focus minutes, totals and the best day."""
        with self.ctx.db.reading() as session:
            today = self.today(session)
            last = v.optional_date(end, "to") or today
            first = v.optional_date(start, "from") or (last - timedelta(days=29))
            if first > last:
                raise ValidationError("from", "must not be after --to")
            if (last - first).days > MAX_STATS_DAYS:
                raise ValidationError("from", "the range is too long (at most 20 years)")
            rows = {row.day: row for row in session.scalars(select(DayStat).where(
                DayStat.profile_id == self.ctx.profile_id, DayStat.day.between(first, last)))}
        days, totals = [], dict.fromkeys(
            ("points", "tasks", "goal_steps", "time_slots", "goals", "completions",
             "focus_minutes"), 0)
        cursor = first
        while cursor <= last:
            row = rows.get(cursor)
            entry = {
                "date": cursor.isoformat(),
                "points": row.points if row else 0,
                "tasks": row.tasks if row else 0,
                "goal_steps": row.steps if row else 0,
                "time_slots": row.slots if row else 0,
                "goals": row.goals if row else 0,
                "completions": row.completions if row else 0,
                "focus_minutes": row.focus_minutes if row else 0,
            }
            for name in totals:
                totals[name] += entry[name]  # type: ignore[operator]
            days.append(entry)
            cursor += timedelta(days=1)
        best = max(days, key=lambda d: (d["points"], d["completions"]), default=None)
        return {"from": first.isoformat(), "to": last.isoformat(), "days": days,
                "totals": totals,
                "best_day": best if best and (best["points"] or best["completions"]) else None}

    @staticmethod
    def levels() -> list[dict[str, Any]]:
        return [{"number": level.number, "title": level.title,
                 "points_required": level.points_required, "perk": level.perk}
                for level in catalog.LEVELS]

    def milestones(self, project: str | None = None) -> dict[str, Any]:
        with self.ctx.db.reading() as session:
            state = self._state(session)
            projects: list[Project]
            if project is not None:
                projects = [find_project(session, state.profile_id, project, now=self.ctx.now())]
            else:
                projects = list(session.scalars(select(Project).where(
                    Project.profile_id == state.profile_id, Project.deleted_at.is_(None),
                    Project.goals_enabled.is_(True)).order_by(Project.is_inbox.desc(),
                                                              Project.name)))
            cards = []
            if project is None:
                for track in catalog.MILESTONE_TRACKS:
                    if track.scope == "global":
                        count = state.counter(KIND_COUNTER[_completion_kind(track.kind)])
                        cards.append(rules.milestone_card(track, count).__dict__)
            for row in projects:
                for track in catalog.MILESTONE_TRACKS:
                    if track.scope == "project":
                        count = state.counter(track.kind.value, scope=f"project:{row.id}")
                        card = rules.milestone_card(track, count, row.name).__dict__
                        card["goals_enabled"] = row.goals_enabled
                        cards.append(card)
            names = {p.id: p.name for p in session.scalars(select(Project).where(
                Project.profile_id == state.profile_id))}
            grants = session.scalars(select(MilestoneGrant).where(
                MilestoneGrant.profile_id == state.profile_id).order_by(MilestoneGrant.id))
            completed = []
            wanted_scope = f"project:{projects[0].id}" if project is not None else None
            for grant in grants:
                if wanted_scope is not None and grant.scope != wanted_scope:
                    continue
                project_name = (names.get(int(grant.scope.split(":")[1]))
                                if grant.scope.startswith("project:") else None)
                completed.append({"source": grant.source, "threshold": grant.threshold,
                                  "points": grant.points, "project": project_name,
                                  "kind": grant.kind, "granted_at": grant.granted_at.isoformat()})
            return {"cards": cards, "completed": completed}

    def history(self, limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
        with self.ctx.db.reading() as session:
            query = select(LedgerEntry).where(
                LedgerEntry.profile_id == self.ctx.profile_id).order_by(
                LedgerEntry.id.desc()).offset(offset)
            if limit is not None:
                query = query.limit(limit)
            return [{"type": row.entry_type, "points": row.points, "reason": row.reason,
                     "source": row.source, "created_at": row.created_at.isoformat(),
                     "activity_day": row.activity_day.isoformat(), "event_id": row.event_id}
                    for row in session.scalars(query)]


def _completion_kind(kind: MilestoneKind) -> catalog.Kind:
    return {MilestoneKind.TASKS: catalog.Kind.TASK, MilestoneKind.SLOTS: catalog.Kind.SLOT,
            MilestoneKind.STEPS: catalog.Kind.STEP}[kind]
