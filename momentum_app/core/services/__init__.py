"""Services: one Session per user action, validation at the boundary, DTOs out.

:class:`Momentum` is the core's front door: it ties a database, a clock and the current
profile to the service objects. The CLI and the window only talk to it.
"""

from __future__ import annotations

from ..clock import Clock
from ..db import Database
from .context import Context
from .doctor import DoctorService
from .events import EventService
from .history import HistoryService
from .items import ItemService
from .planning import PlanningService
from .profiles import ProfileService, resolve_profile
from .projects import ProjectService
from .reads import ReadService
from .rewards import RewardService


class Momentum:
    def __init__(self, db: Database, clock: Clock, profile: str | None = None) -> None:
        with db.reading() as session:  # no write lock for a lookup
            profile_id = resolve_profile(session, profile).id
        self.ctx = Context(db, clock, profile_id)
        self.profiles = ProfileService(self.ctx)
        self.projects = ProjectService(self.ctx)
        self.items = ItemService(self.ctx)
        self.planning = PlanningService(self.ctx, self.items)
        self.events = EventService(self.ctx)
        self.reads = ReadService(self.ctx)
        self.doctor = DoctorService(self.ctx)
        self.rewards = RewardService(self.ctx)
        self.history = HistoryService(self)

    @property
    def db(self) -> Database:
        return self.ctx.db

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def profile_id(self) -> int:
        return self.ctx.profile_id

    def switch_profile(self, name: str) -> None:
        with self.db.reading() as session:
            self.ctx.profile_id = resolve_profile(session, name).id


__all__ = ["Momentum"]
