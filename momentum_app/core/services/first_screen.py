"""The window's first screen before the services are loaded (issue 14, docs/BENCHMARKS.md §4a).

Opening the window through the services costs importing SQLAlchemy, its ORM and the
models (~0.4 s of CPU here) before the first query, more than three bare PySide6
windows. So when the file needs nothing of the full opening (the command line's light
path decides that: :func:`.light.open_light`), the window starts on a
:class:`Momentum` made by :meth:`Momentum.opening`: the file is open on one sqlite3
connection, and an :class:`Opening` opens it fully (SQLAlchemy, the services) later,
on a thread of its own, or on the first call that needs it, whichever comes first.

Until then the reads the first screen makes are answered by stand-ins of the services
(:data:`STAND_INS`) through the same plain-statement functions the services use
(:mod:`.screen_reads`, :mod:`.task_listing`, :mod:`.progress`), on the thread that
opened the file (the window's). Anything else — another thread, another read, any
change — waits for the full opening and goes to the real service: nothing is queued
or answered twice, and once the services are loaded the stand-ins are not used again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..kinds import Status
from . import progress, screen_reads
from .dto import ProfileDTO, ProjectDTO, SlotDTO, TaskDTO
from .read_dto import HistoryStatus, ProgressDTO
from .task_listing import list_by_status, plain_listing

if TYPE_CHECKING:
    from ..db import Database
    from . import Momentum
    from .light import LightDatabase

log = logging.getLogger(__name__)


class Opening:
    """The full opening of a database the light path opened first.

    ``open_full`` (``db.open_database`` on the same file) runs once, on the first thread
    that asks (:meth:`database`; :meth:`start` asks from a thread of its own); the
    others wait for it. Its error, if it fails, is raised to every caller."""

    def __init__(self, light: LightDatabase, open_full: Callable[[], Database]) -> None:
        self.light: LightDatabase | None = light
        self.profile_id = light.profile_id
        self.owner = threading.get_ident()
        self._open_full = open_full
        self._lock = threading.Lock()
        self._database: Database | None = None
        self._error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self._database is not None or self._error is not None

    def database(self) -> Database:
        """The fully opened database, opened now if no thread has yet."""
        with self._lock:
            if not self.done:
                try:
                    self._database = self._open_full()
                except BaseException as exc:  # noqa: BLE001 (raised to every caller)
                    self._error = exc
        if self._error is not None:
            raise self._error
        assert self._database is not None
        return self._database

    def start(self, then: Callable[[], object] | None = None) -> threading.Thread:
        """Open fully on a thread of its own; ``then()`` follows there (success or not)."""
        def run() -> None:
            try:
                self.database()
            except BaseException:  # noqa: BLE001 (the next caller gets it)
                log.exception("opening the database fully failed")
            if then is not None:
                then()
        thread = threading.Thread(target=run, name="momentum-opening", daemon=True)
        thread.start()
        return thread

    def light_here(self) -> LightDatabase | None:
        """The light connection, while the services are not loaded, on its own thread."""
        if self.done or threading.get_ident() != self.owner:
            return None
        return self.light

    def close_light(self) -> None:
        """Release the light connection (on its own thread; the full one is open)."""
        if self.light is not None and threading.get_ident() == self.owner:
            self.light.close()
            self.light = None


class StandIn:
    """A service of ``app`` before the services are loaded: the reads it knows are
    answered on the light connection (``_light``), any other attribute is the real
    service's (waiting for the full opening)."""

    attribute = ""

    def __init__(self, app: Momentum, opening: Opening) -> None:
        self._app, self._opening = app, opening

    def _real(self) -> Any:
        return self._app.service(self.attribute)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def _light(self, read: Callable[[sqlite3.Connection, int], Any]) -> Any:
        """``read(connection, profile_id)`` in a read snapshot, or None: not here."""
        light = self._opening.light_here()
        if light is None:
            return None
        with light.read() as conn:
            return read(conn, self._app.profile_id)

    def _now(self) -> datetime:
        return self._app.clock.now()


class ReadsStandIn(StandIn):
    attribute = "reads"

    def progress(self) -> ProgressDTO:
        found: ProgressDTO | None = self._light(
            lambda conn, pid: progress.progress_of(conn, pid, self._now()))
        return found if found is not None else self._real().progress()

    def tasks_done_today(self) -> int:
        found: int | None = self._light(
            lambda conn, pid: screen_reads.tasks_done_on_day(conn, pid, self._now()))
        return found if found is not None else int(self._real().tasks_done_today())


class ProfilesStandIn(StandIn):
    attribute = "profiles"

    def current(self) -> ProfileDTO:
        found: ProfileDTO | None = self._light(screen_reads.profile_of)
        return found if found is not None else self._real().current()


class ProjectsStandIn(StandIn):
    attribute = "projects"

    def list(self) -> list[ProjectDTO]:
        found: list[ProjectDTO] | None = self._light(screen_reads.projects_of)
        return found if found is not None else self._real().list()


class ItemsStandIn(StandIn):
    attribute = "items"

    def list_tasks(self, *, status: str = "all", due_before: date | None = None,
                   limit: int | None = None, order: str = "id", **others: Any
                   ) -> list[TaskDTO]:
        """The listings :func:`.task_listing.plain_listing` serves (the Today view's);
        anything else, the real service's (which also validates)."""
        if status in (*Status, "all") and not others and plain_listing(
                None, due_before, None, limit, None, None, False, order):
            found: list[TaskDTO] | None = self._light(lambda conn, pid: list_by_status(
                conn, pid, status, self._now(), due_before=due_before, limit=limit))
            if found is not None:
                return found
        return list(self._real().list_tasks(status=status, due_before=due_before,
                                            limit=limit, order=order, **others))

    def list_slots(self, start: datetime | None = None, end: datetime | None = None,
                   status: str = "all") -> list[SlotDTO]:
        found: list[SlotDTO] | None = self._light(
            lambda conn, pid: screen_reads.slots_between(conn, pid, start, end, status))
        return found if found is not None else self._real().list_slots(start, end, status)


class HistoryStandIn(StandIn):
    attribute = "history"

    def status(self) -> HistoryStatus:
        found: HistoryStatus | None = self._light(screen_reads.history_status_of)
        return found if found is not None else self._real().status()


#: The services the first screen reads, by attribute of :class:`Momentum`.
STAND_INS: dict[str, type[StandIn]] = {cls.attribute: cls for cls in (
    ReadsStandIn, ProfilesStandIn, ProjectsStandIn, ItemsStandIn, HistoryStandIn)}

__all__ = ["STAND_INS", "Opening", "StandIn"]
