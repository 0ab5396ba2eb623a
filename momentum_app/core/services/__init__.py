"""Services: one Session per user action, validation at the boundary, DTOs out.

:class:`Momentum` is the core's front door: it ties a database, a clock and the current
profile to the service objects. The CLI and the window only talk to it.

Importing the package loads neither SQLAlchemy nor the services: the command line's
light path (:mod:`.light`) uses some of its modules on a bare sqlite3 connection.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Generic, TypeVar, overload

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


S = TypeVar("S")


class _Service(Generic[S]):
    """A service of :class:`Momentum`: made (and its module imported) when first read,
    from what ``needs`` takes of the app (its context, unless told), then kept on the
    instance like a ``cached_property``."""

    def __init__(self, module: str, name: str,
                 needs: Callable[[Momentum], tuple[object, ...]] = lambda app: (app.ctx,)
                 ) -> None:
        self.module, self.name, self.needs = module, name, needs

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, app: None, owner: type | None = None) -> _Service[S]: ...
    @overload
    def __get__(self, app: Momentum, owner: type | None = None) -> S: ...

    def __get__(self, app: Momentum | None, owner: type | None = None) -> S | _Service[S]:
        if app is None:  # read on the class (help(), inspect…): the descriptor itself
            return self
        made: S = getattr(import_module(f"{__name__}.{self.module}"), self.name)(
            *self.needs(app))
        app.__dict__[self.attribute] = made  # the next read finds it there, not here
        return made


class Momentum:
    """The services, each made (and its module imported) when first used: a command
    that only lists tasks does not load the doctor, the rewards or the planner
    (issue 14: the CLI's start-up)."""

    ctx: Context

    def __init__(self, db: Database, clock: Clock, profile: str | None = None) -> None:
        from .profiles import resolve_profile  # noqa: PLC0415 (the package stays light)

        with db.reading() as session:  # no write lock for a lookup
            profile_id = resolve_profile(session, profile).id
        self.ctx = Context(clock, profile_id, db=db)

    profiles: _Service[ProfileService] = _Service("profiles", "ProfileService")
    projects: _Service[ProjectService] = _Service("projects", "ProjectService")
    items: _Service[ItemService] = _Service("items", "ItemService")
    planning: _Service[PlanningService] = _Service(
        "planning", "PlanningService", lambda app: (app.ctx, app.items))
    events: _Service[EventService] = _Service("events", "EventService")
    reads: _Service[ReadService] = _Service("reads", "ReadService")
    doctor: _Service[DoctorService] = _Service("doctor", "DoctorService")
    rewards: _Service[RewardService] = _Service("rewards", "RewardService")
    #: Undo and redo (SPEC v2 §9): the persistent history of this profile's changes.
    history: _Service[HistoryService] = _Service("history", "HistoryService",
                                                 lambda app: (app,))
    #: Sync through a folder (SPEC v2 §13, docs/SYNC.md).
    sync: _Service[SyncService] = _Service("sync", "SyncService")

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
