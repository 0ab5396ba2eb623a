"""What every service needs: the database, the clock and the current profile."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..clock import Clock
    from ..db import Database
    from ..engine.outcome import Outcome


@dataclass
class Actor:
    """Who acts, and when: what the engine's callers need besides a database. The
    command line's light path (:mod:`.light`) acts with one on a bare sqlite3
    connection; every service has a whole :class:`Context`."""

    clock: Clock
    profile_id: int
    #: What the last actions did besides what was asked, for the caller to tell the
    #: person (e.g. "Created project 'Work'"); the CLI prints them on stderr.
    notices: list[str] = field(default_factory=list)
    #: Per thread (see :attr:`recorded`).
    _local: threading.local = field(default_factory=threading.local, init=False,
                                    repr=False, compare=False)

    @property
    def recorded(self) -> int | None:
        """The undo-history entry the last action recorded *on this thread* made
        (services/history.py), so the window can tie a toast's Undo button to it. Per
        thread: the window's op thread and its background worker (an import) may both
        be recording at once, and each must read back its own entry."""
        value: int | None = getattr(self._local, "recorded", None)
        return value

    @recorded.setter
    def recorded(self, entry_id: int | None) -> None:
        self._local.recorded = entry_id

    def now(self) -> datetime:
        return self.clock.now()

    def process(self, session: Session | sqlite3.Connection, event_type: str, meta: dict[str, Any],
                occurred_at: datetime, key: str | None = None,
                profile_id: int | None = None) -> Outcome:
        """Run an event inside the caller's transaction (one transaction per action)."""
        from .engine_store import process_event  # noqa: PLC0415

        return process_event(session, self.now(), profile_id or self.profile_id, event_type,
                             meta, occurred_at, key)


@dataclass
class Context(Actor):
    """An :class:`Actor` with its database: what every service is made with."""

    db: Database = field(kw_only=True)
