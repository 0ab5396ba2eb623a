"""Services: one Session per user action, validation at the boundary, DTOs out.

:class:`Momentum` is the core's front door: it ties a database, a clock and the current
profile to the service objects. The CLI and the window only talk to it.

Importing the package loads neither SQLAlchemy nor the services: the command line's
light path (:mod:`.light`) uses some of its modules on a bare sqlite3 connection, and
the window can open on a :class:`Momentum` whose services are still being loaded
(:meth:`Momentum.opening`, :mod:`.first_screen`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from .context import Context

if TYPE_CHECKING:
    from ..clock import Clock
    from ..db import Database
    from .doctor import DoctorService
    from .events import EventService
    from .first_screen import Opening, StandIn
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
        stand_in = app.stand_in(self.attribute)
        if stand_in is not None:  # still opening: the first screen's reads (first_screen)
            return stand_in  # type: ignore[return-value]  # it answers as the service
        return self.make(app)

    def make(self, app: Momentum) -> S:
        needs = self.needs(app)  # the context first: it waits for a full opening
        with app.making:
            made: S | None = app.__dict__.get(self.attribute)
            if made is None:
                made = getattr(import_module(f"{__name__}.{self.module}"), self.name)(*needs)
                app.__dict__[self.attribute] = made  # the next read finds it there
        assert made is not None
        return made


class Momentum:
    """The services, each made (and its module imported) when first used: a command
    that only lists tasks does not load the doctor, the rewards or the planner
    (issue 14: the CLI's start-up)."""

    def __init__(self, db: Database, clock: Clock, profile: str | None = None) -> None:
        from .profiles import resolve_profile  # noqa: PLC0415 (the package stays light)

        with db.reading() as session:  # no write lock for a lookup
            profile_id = resolve_profile(session, profile).id
        self._start(clock, profile_id, Context(clock, profile_id, db=db), None)

    @classmethod
    def opening(cls, opening: Opening, clock: Clock) -> Momentum:
        """The services of a database the light path opened and ``opening`` opens fully
        (the default profile): the first screen's reads are answered at once, everything
        else when the full opening is done (:mod:`.first_screen`)."""
        app = cls.__new__(cls)
        app._start(clock, opening.profile_id, None, opening)
        return app

    def _start(self, clock: Clock, profile_id: int, ctx: Context | None,
               opening: Opening | None) -> None:
        self._clock, self._profile_id, self._ctx = clock, profile_id, ctx
        self._opening = opening
        self._stand_ins: dict[str, StandIn] = {}
        #: Held while a service or the context is made (two threads may ask at once).
        self.making = threading.RLock()

    @property
    def ctx(self) -> Context:
        """The services' context (waits for the full opening of an :meth:`opening`)."""
        if self._ctx is None:
            assert self._opening is not None
            database = self._opening.database()
            with self.making:
                if self._ctx is None:
                    self._ctx = Context(self._clock, self._profile_id, db=database)
        return self._ctx

    @property
    def loaded(self) -> bool:
        """Are the services ready (no full opening still to do)?"""
        return self._opening is None or self._opening.done

    def stand_in(self, attribute: str) -> StandIn | None:
        """The stand-in of a service while the full opening is still to do, or None."""
        if self._opening is None or self._opening.done:
            return None
        found = self._stand_ins.get(attribute)
        if found is None:
            from .first_screen import STAND_INS  # noqa: PLC0415

            kind = STAND_INS.get(attribute)
            if kind is None:
                return None
            found = self._stand_ins.setdefault(attribute, kind(self, self._opening))
        return found

    def service(self, attribute: str) -> object:
        """The real service named ``attribute`` (made now if needed)."""
        descriptor = vars(type(self))[attribute]
        assert isinstance(descriptor, _Service)
        return self.__dict__.get(attribute) or descriptor.make(self)

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
        return self._clock

    @property
    def profile_id(self) -> int:
        return self._ctx.profile_id if self._ctx is not None else self._profile_id

    def switch_profile(self, name: str) -> None:
        from .profiles import resolve_profile  # noqa: PLC0415

        with self.db.reading() as session:
            self.ctx.profile_id = resolve_profile(session, name).id


__all__ = ["Momentum"]
