"""Services: one Session per user action, validation at the boundary, DTOs out.

:class:`Momentum` is the core's front door: it ties a database, a clock and the current
profile to the service objects. The CLI and the window only talk to it.

Importing the package loads neither SQLAlchemy nor the services: the command line's
light path (:mod:`.light`) uses some of its modules on a bare sqlite3 connection.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .context import Context

if TYPE_CHECKING:
    from ..clock import Clock
    from ..db import Database
    from .doctor import DoctorService
    from .events import EventService
    from .history import HistoryService
    from .items import ItemService
    from .planning import PlanningService
    from .profiles import ProfileService
    from .projects import ProjectService
    from .reads import ReadService
    from .rewards import RewardService
    from .sync import SyncService


class Momentum:
    """The services, each made (and its module imported) when first used: a command
    that only lists tasks does not load the doctor, the rewards or the planner
    (issue 14: the CLI's start-up)."""

    def __init__(self, db: Database, clock: Clock, profile: str | None = None) -> None:
        from .profiles import resolve_profile  # noqa: PLC0415 (the package stays light)

        with db.reading() as session:  # no write lock for a lookup
            profile_id = resolve_profile(session, profile).id
        self.ctx = Context(clock, profile_id, db=db)

    @cached_property
    def profiles(self) -> ProfileService:
        from .profiles import ProfileService  # noqa: PLC0415

        return ProfileService(self.ctx)

    @cached_property
    def projects(self) -> ProjectService:
        from .projects import ProjectService  # noqa: PLC0415

        return ProjectService(self.ctx)

    @cached_property
    def items(self) -> ItemService:
        from .items import ItemService  # noqa: PLC0415

        return ItemService(self.ctx)

    @cached_property
    def planning(self) -> PlanningService:
        from .planning import PlanningService  # noqa: PLC0415

        return PlanningService(self.ctx, self.items)

    @cached_property
    def events(self) -> EventService:
        from .events import EventService  # noqa: PLC0415

        return EventService(self.ctx)

    @cached_property
    def reads(self) -> ReadService:
        from .reads import ReadService  # noqa: PLC0415

        return ReadService(self.ctx)

    @cached_property
    def doctor(self) -> DoctorService:
        from .doctor import DoctorService  # noqa: PLC0415

        return DoctorService(self.ctx)

    @cached_property
    def rewards(self) -> RewardService:
        from .rewards import RewardService  # noqa: PLC0415

        return RewardService(self.ctx)

    @cached_property
    def history(self) -> HistoryService:
        """Undo and redo (SPEC v2 §9): the persistent history of this profile's changes."""
        from .history import HistoryService  # noqa: PLC0415

        return HistoryService(self)

    @cached_property
    def sync(self) -> SyncService:
        """Sync through a folder (SPEC v2 §13, docs/SYNC.md)."""
        from .sync import SyncService  # noqa: PLC0415

        return SyncService(self.ctx)

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
        from .profiles import resolve_profile  # noqa: PLC0415

        with self.db.reading() as session:
            self.ctx.profile_id = resolve_profile(session, name).id


__all__ = ["Momentum"]
