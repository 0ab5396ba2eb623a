"""The read API of SPEC §7: progress, leaderboard, achievements, streaks, stats, levels,
milestones and history. Every figure comes from the derived tables, never from a recount.

Each read returns a frozen DTO of :mod:`.read_dto` (issue 15); ``--json`` is its
``to_json()``.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import MilestoneKind
from ..engine import rules
from ..engine.outcome import StreakState
from ..engine.state import GLOBAL, POINTS_TOTAL
from ..engine.step import KIND_COUNTER
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
from ..stats import DayRow, StatsTotals
from . import progress, screen_reads
from . import validation as v
from .context import Context
from .engine_store import ProfileReader, custom_achievements, load_settings, raw
from .projects import find_project
from .read_dto import (
    AchievementDTO,
    BestWeek,
    HistoryRowDTO,
    LeaderboardRow,
    LevelDTO,
    MilestoneCardDTO,
    MilestoneGrantDTO,
    MilestonesDTO,
    ProgressDTO,
    StatsDTO,
)

PERIODS = ("week", "month", "all")
MAX_STATS_DAYS = 366 * 20


class ReadService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _state(self, session: Session, profile_id: int | None = None) -> ProfileReader:
        return ProfileReader(session, profile_id or self.ctx.profile_id)

    def today(self, session: Session, profile_id: int | None = None) -> date:
        return load_settings(session, profile_id or self.ctx.profile_id).day_of(self.ctx.now())

    #: The days of a period around a day (``progress.period_range``).
    period_range = staticmethod(progress.period_range)

    @staticmethod
    def _points_between(session: Session, profile_id: int, span: tuple[date, date]) -> int:
        return progress.points_between(raw(session), profile_id, span)

    def progress(self) -> ProgressDTO:
        """Points, coins, level and streaks (one implementation with the command line's
        light path: :func:`.progress.progress_of`)."""
        with self.ctx.db.reading() as session:
            return progress.progress_of(raw(session), self.ctx.profile_id, self.ctx.now())

    def tasks_done_today(self) -> int:
        """Net task completions of the current activity day (the daily-target figure)."""
        with self.ctx.db.reading() as session:  # the window's first screen reads it too
            return screen_reads.tasks_done_on_day(raw(session), self.ctx.profile_id,
                                                  self.ctx.now())

    def leaderboard(self, period: str = "week") -> list[LeaderboardRow]:
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
            ranked: list[LeaderboardRow] = []
            previous_points, rank = None, 0
            for position, (points, name, level_number) in enumerate(scores, start=1):
                if points != previous_points:
                    rank, previous_points = position, points
                ranked.append(LeaderboardRow(rank, name, points, level_number))
            return ranked

    def best_weeks(self, limit: int = 5) -> list[BestWeek]:
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
        return [BestWeek(week, points) for week, points in best if points > 0]

    def achievements(self, available: bool = False, everything: bool = False
                     ) -> list[AchievementDTO]:
        with self.ctx.db.reading() as session:
            state = self._state(session)
            unlocked = {row.achievement_id: row for row in session.scalars(
                select(AchievementProgress).where(
                    AchievementProgress.profile_id == state.profile_id,
                    AchievementProgress.completed.is_(True)))}
            metrics = state.metrics()
            result: list[AchievementDTO] = []
            for achievement in list(catalog.ACHIEVEMENTS) + list(custom_achievements(
                    session.connection(), state.profile_id).get(state.profile_id, ())):
                row = unlocked.get(achievement.id)
                done = row is not None
                if not everything and done == available:
                    continue
                progress = achievement.target if done else min(
                    achievement.target, max(0, rules.achievement_metric(achievement, metrics)))
                result.append(AchievementDTO(
                    id=achievement.id, name=achievement.name, category=achievement.category,
                    points=achievement.points, progress=progress, target=achievement.target,
                    completed=done, completed_at=row.completed_at if row else None,
                    description=achievement.description, icon=achievement.icon))
            return result

    def streaks(self) -> list[StreakState]:
        with self.ctx.db.reading() as session:
            state = self._state(session)
            today = state.settings.day_of(self.ctx.now())
            return list(state.streak_states(today))

    def stats(self, start: object = None, end: object = None) -> StatsDTO:
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
        days: list[DayRow] = []
        cursor = first
        while cursor <= last:
            row = rows.get(cursor)
            days.append(DayRow(row.points, row.tasks, row.steps, row.slots, row.goals,
                               row.completions, row.focus_minutes, day=cursor)
                        if row else DayRow(day=cursor))
            cursor += timedelta(days=1)
        best = max(days, key=lambda d: (d.points, d.completions), default=None)
        return StatsDTO(first, last, tuple(days), StatsTotals.of(tuple(days)),
                        best if best and (best.points or best.completions) else None)

    @staticmethod
    def levels() -> list[LevelDTO]:
        return [LevelDTO(level.number, level.title, level.points_required, level.perk)
                for level in catalog.LEVELS]

    def milestones(self, project: str | None = None) -> MilestonesDTO:
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
            cards: list[MilestoneCardDTO] = []
            if project is None:
                for track in catalog.MILESTONE_TRACKS:
                    if track.scope == "global":
                        count = state.counter(KIND_COUNTER[_completion_kind(track.kind)])
                        cards.append(MilestoneCardDTO.of(rules.milestone_card(track, count)))
            for row in projects:
                for track in catalog.MILESTONE_TRACKS:
                    if track.scope == "project":
                        count = state.counter(track.kind.value, scope=f"project:{row.id}")
                        cards.append(MilestoneCardDTO.of(
                            rules.milestone_card(track, count, row.name), row.goals_enabled))
            names = {p.id: p.name for p in session.scalars(select(Project).where(
                Project.profile_id == state.profile_id))}
            grants = session.scalars(select(MilestoneGrant).where(
                MilestoneGrant.profile_id == state.profile_id).order_by(MilestoneGrant.id))
            completed: list[MilestoneGrantDTO] = []
            wanted_scope = f"project:{projects[0].id}" if project is not None else None
            for grant in grants:
                if wanted_scope is not None and grant.scope != wanted_scope:
                    continue
                project_name = (names.get(int(grant.scope.split(":")[1]))
                                if grant.scope.startswith("project:") else None)
                completed.append(MilestoneGrantDTO(grant.source, grant.threshold, grant.points,
                                                   project_name, grant.kind, grant.granted_at))
            return MilestonesDTO(tuple(cards), tuple(completed))

    def history(self, limit: int | None = 100, offset: int = 0) -> list[HistoryRowDTO]:
        with self.ctx.db.reading() as session:
            query = select(LedgerEntry).where(
                LedgerEntry.profile_id == self.ctx.profile_id).order_by(
                LedgerEntry.id.desc()).offset(offset)
            if limit is not None:
                query = query.limit(limit)
            return [HistoryRowDTO(row.entry_type, row.points, row.reason, row.source,
                                  row.created_at, row.activity_day, row.event_id)
                    for row in session.scalars(query)]


def _completion_kind(kind: MilestoneKind) -> catalog.Kind:
    return {MilestoneKind.TASKS: catalog.Kind.TASK, MilestoneKind.SLOTS: catalog.Kind.SLOT,
            MilestoneKind.STEPS: catalog.Kind.STEP}[kind]
