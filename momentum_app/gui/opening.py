"""The window on its first screen first, the services after (issue 14, docs/BENCHMARKS.md §4a).

Importing SQLAlchemy, its ORM and the models costs more than three bare PySide6 windows
here, before any query. When the file needs nothing of the full opening (the command
line's light path decides: :func:`~momentum_app.core.services.light.open_light` — at
the installed schema, writable, no backup due, nothing staged, the default profile),
:func:`first_screen_opening` opens it on one sqlite3 connection and hands the window a
:meth:`Momentum.opening <momentum_app.core.services.Momentum.opening>`: the header,
the sidebar, the first view and the Undo menu read through the services' own plain
statements (:mod:`momentum_app.core.services.first_screen`). After the window's first
paint, :class:`ServicesOpening` imports SQLAlchemy and the services and opens the file
in full on a thread of its own; the reminders, the sync and the first-run welcome start
when it is done. A change asked for before that waits for it (the op thread's first
call to a service waits for the opening; the window keeps painting), so nothing is lost
or done twice. Anything the light path refuses takes today's path: everything opened
before the window is built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from ..core.clock import Clock
from ..core.dbfile import canonical_path
from ..core.services import Momentum
from ..core.services.first_screen import Opening
from ..core.services.light import open_light
from .launch import PAINT_TIMEOUT_MS, import_in_steps

if TYPE_CHECKING:
    from ..core.db import Database
    from .app import Composition

log = logging.getLogger(__name__)
#: If the window is not painted by then (started minimised), load the services anyway.
NOT_PAINTED_MS = 3 * PAINT_TIMEOUT_MS

#: SQLAlchemy, its ORM, the models and the services the window calls, a package at a
#: time (see :func:`import_in_steps`): what the full opening loads.
FULL_OPENING_STEPS = ("sqlalchemy", "sqlalchemy.orm", "momentum_app.core.models",
                      "momentum_app.core.db", "momentum_app.core.services.history",
                      "momentum_app.core.services.items", "momentum_app.core.services.reads",
                      "momentum_app.core.services.planning")


class FirstScreenOpening:
    """A file opened for the first screen, and its full opening to come."""

    def __init__(self, opening: Opening, clock: Clock) -> None:
        self.opening = opening
        self.momentum = Momentum.opening(opening, clock)
        self.loader: ServicesOpening | None = None

    def attach(self, composition: Composition, then: Callable[[], object]) -> None:
        """Open in full after ``composition``'s window has painted; ``then()`` after."""
        composition.opening = self
        self.loader = ServicesOpening(self, composition, then)

    def close(self) -> None:
        """Closing the window: release the light connection if it is still held."""
        self.opening.close_light()


def first_screen_opening(path: Path, clock: Clock) -> FirstScreenOpening | None:
    """``path`` opened for the first screen, or None: the full opening is needed now."""
    file = canonical_path(path)
    light = open_light(file)
    if light is None:
        return None

    def open_full() -> Database:
        import_in_steps(FULL_OPENING_STEPS)
        from ..core.db import open_database  # noqa: PLC0415 (SQLAlchemy: after the paint)

        # No backup is due (open_light checked): the daily one is made on the next start.
        return open_database(file, scheduled_backup=True, clock=clock)

    return FirstScreenOpening(Opening(light, open_full), clock)


class ServicesOpening(QObject):
    """After the window's first paint, the full opening on its own thread; ``loaded``
    (on the window's thread) releases the light connection and calls ``then``."""

    loaded = Signal()

    def __init__(self, first: FirstScreenOpening, composition: Composition,
                 then: Callable[[], object]) -> None:
        super().__init__(composition.window)
        self._first, self._composition, self._then = first, composition, then
        self._started = False
        self.loaded.connect(self._on_loaded)  # queued: emitted on the opening's thread
        composition.window.installEventFilter(self)
        QTimer.singleShot(NOT_PAINTED_MS, self.start)  # started minimised: load anyway

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint and not self._started:
            self._started = True
            QTimer.singleShot(0, self.start)  # once this paint is on the screen
        return False

    def start(self) -> None:
        """Begin the full opening now (also if the window is never painted)."""
        if self._first.loader is None or getattr(self, "_thread", None) is not None:
            return
        self._started = True
        self._thread = self._first.opening.start(self.loaded.emit)

    def _on_loaded(self) -> None:
        self._first.opening.close_light()
        if not self._first.opening.done:
            return
        try:
            self._first.momentum.db  # noqa: B018 (raises the opening's error, if any)
        except Exception:  # noqa: BLE001 (logged by the opening; the window stays up)
            return
        self._then()


__all__ = ["FULL_OPENING_STEPS", "FirstScreenOpening", "ServicesOpening",
           "first_screen_opening"]
