"""Ops: every change the window makes runs as a small object on the background worker.

Learnt from Anki's ``aqt.operations`` (``CollectionOp`` / ``QueryOp``): a mutation is an
:class:`Op` — a label and a function of no arguments that calls the core — and the
:class:`OpRunner` runs it on a background thread of its own (a
:class:`~.worker.SerialWorker` that only ops use), so the UI thread never waits for SQLite
(a busy write lock, a slow fold, a disk that stalls).
The result comes back on the UI thread, where the controller turns the core's record into
the one change signal (:mod:`.changes`), as Anki's ``op_executed(changes, handler)``.

What Momentum does differently, and why:

* **Serial, one at a time, on their own thread.** Ops run one after another on the op
  thread, so two ops never interleave and each keeps its own transaction (one per user
  action; ``Database.transaction`` opens it on that thread with its own pooled
  connection). They do *not* queue behind the window's other background work (the
  slow reads, a sync, a transfer dialog's import on :attr:`GuiContext.worker`): a
  person's change made while a sync reads a folder on a slow network share waits only
  for SQLite's write lock (the sync's one short transaction), never for the whole sync.
  Writers are serialized by SQLite itself (``BEGIN IMMEDIATE`` with a busy timeout), as
  they are between the window and the command line. Closing waits for the op thread
  first, then runs the last sync, so what a person did before closing goes out with it.
* **Callers keep a plain call.** :meth:`OpRunner.run` submits the op and waits for its
  answer in a local event loop that *excludes user input*: painting, timers and queued
  answers go on (the window never freezes), while clicks and keys wait in Qt's queue until
  the op has finished. So a dialog still gets its ``ValidationError`` to show at the field,
  and a double-click on "done" cannot start a second completion before the first one is
  written (the second click is seen afterwards, with the task already done).
  :meth:`OpRunner.submit` is the callback form (Anki's ``.success()/.failure()``); an op
  with a ``key`` already in flight is dropped rather than queued twice.
* **Answers in the order the ops ran.** ``run(op, then)`` calls ``then(result)`` when the
  answer arrives, before it returns: the controller publishes the op's change there, so
  even when a second op is started from inside the first one's wait (a timer, a
  notification's button) the window hears "done" before "reopened", as they happened.
* **Errors are shown, never raised into Qt.** A ``ValidationError`` goes to the caller;
  any other failure is logged with its traceback, shown in the window (``failed``: the
  status bar and an error toast) in one plain sentence, and reaches the caller as
  :class:`OpFailed` (a ``ValidationError`` naming no field, so a dialog shows it in its
  banner and stays open).
* **Busy indication.** An op still running after :data:`BUSY_AFTER_MS` emits ``busy``
  with its label (the window shows a busy cursor and a message); ``idle`` follows when the
  last one is done.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from ..core.errors import MomentumError, ValidationError
from .worker import SerialWorker

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long the op thread may keep Python's GIL while the UI thread asks for it (the
#: interpreter's default is 5 ms): the UI thread gets it back within a millisecond, so
#: an op's Python work on the op thread costs the window no frame.
GIL_SWITCH_INTERVAL_S = 0.001

#: An op still running after this long shows the busy indication (a shorter one would
#: flash it for ordinary, instant changes).
BUSY_AFTER_MS = 150


@dataclass(frozen=True)
class Op(Generic[T]):
    """One change the window asks for: ``run`` is called on the worker thread.

    ``run`` must not touch Qt widgets (it runs off the UI thread); it calls the core and
    returns what the UI thread needs. ``key`` names the action for de-duplication in
    :meth:`OpRunner.submit` (e.g. ``("complete", ref)``)."""

    label: str
    run: Callable[[], T]
    key: Hashable | None = None


class OpFailed(ValidationError):
    """An op failed for a reason that is not bad input (the database locked for too long,
    the disk, a bug): shown in the window, and given to the caller as an error that names
    no field."""

    def __init__(self, message: str) -> None:
        super().__init__("", message)

    def __str__(self) -> str:
        return self.message


def is_operational_error(error: BaseException) -> bool:
    """sqlite3's or SQLAlchemy's ``OperationalError`` (SQLAlchemy's only if it is loaded:
    the window is up before it is, docs/BENCHMARKS.md §4a)."""
    if isinstance(error, sqlite3.OperationalError):
        return True
    exc = sys.modules.get("sqlalchemy.exc")
    return exc is not None and isinstance(error, exc.OperationalError)


def plain_message(label: str, error: BaseException) -> str:
    """One sentence for a person, never a traceback."""
    if isinstance(error, MomentumError):
        return f"{label} failed: {error}"
    if is_operational_error(error) and "locked" in str(error):
        return (f"{label} failed: the database is busy (another Momentum is writing to "
                "it); nothing was changed. Try again in a moment.")
    return f"{label} failed: an unexpected error ({type(error).__name__}); nothing was " \
           "changed. Details are in the log."


class OpRunner(QObject):
    """Runs :class:`Op` objects on the worker, one at a time, answers on the UI thread."""

    #: An op is taking a while: its label (the window shows that it is busy).
    busy = Signal(str)
    #: No op is running any more.
    idle = Signal()
    #: A failure that is not bad input, in one sentence for the window.
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *,
                 worker: SerialWorker | None = None) -> None:
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL_S))
        #: The op thread (ops only: see the module docstring).
        self.worker = worker if worker is not None else SerialWorker(self)
        self._in_flight: list[Op[Any]] = []
        self._busy_shown = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)

    @property
    def running(self) -> bool:
        """Is an op submitted and not yet answered?"""
        return bool(self._in_flight)

    @property
    def is_busy_shown(self) -> bool:
        return self._busy_shown

    def submit(self, op: Op[T], on_done: Callable[[T], object],
               on_error: Callable[[ValidationError], object] | None = None) -> bool:
        """Run ``op`` after the ops (and worker jobs) before it; ``on_done(result)`` or
        ``on_error(error)`` follow on the UI thread. Returns False, running nothing, when
        an op with the same ``key`` is still in flight (a repeated click)."""
        if op.key is not None and any(o.key == op.key for o in self._in_flight):
            log.info("dropped %r: the same op is still running", op.label)
            return False
        self._in_flight.append(op)
        if not self._busy_timer.isActive() and not self._busy_shown:
            self._busy_timer.start()

        def finished() -> None:
            self._in_flight.remove(op)
            if not self._in_flight:
                self._busy_timer.stop()
                if self._busy_shown:
                    self._busy_shown = False
                    self.idle.emit()

        def done(result: T) -> None:
            finished()
            on_done(result)

        def failed(error: BaseException) -> None:
            finished()
            if not isinstance(error, ValidationError):
                if not isinstance(error, MomentumError):
                    log.error("%s failed", op.label, exc_info=error)
                message = plain_message(op.label, error)
                self.failed.emit(message)
                error = OpFailed(message)
            if on_error is not None:
                on_error(error)
            else:
                self.failed.emit(error.message)

        self.worker.submit(op.run, done, failed)
        return True

    def run(self, op: Op[T], then: Callable[[T], object] | None = None) -> T:
        """Run ``op`` and return its result (or raise its ``ValidationError``), keeping
        the window painting while it runs; user input waits until it is done.
        ``then(result)`` runs on the UI thread as soon as the answer arrives (answers
        arrive in the order the ops ran), before this returns."""
        answer: list[tuple[bool, Any]] = []
        loop = QEventLoop()

        def settle(ok: bool, value: Any) -> None:
            try:
                if ok and then is not None:
                    then(value)
            except BaseException as exc:  # noqa: BLE001 (raised to the caller below)
                ok, value = False, exc
            finally:
                answer.append((ok, value))
                loop.quit()

        if not self.submit(op, lambda result: settle(True, result),
                           lambda error: settle(False, error)):
            raise OpFailed(f"{op.label} is already running")
        if not answer:  # answers are queued signals: none can arrive before exec()
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        ok, value = answer[0]
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until every submitted op has run (closing: before the last sync)."""
        return self.worker.wait(timeout_ms)

    def _show_busy(self) -> None:
        if self._in_flight and not self._busy_shown:
            self._busy_shown = True
            self.busy.emit(self._in_flight[0].label)
