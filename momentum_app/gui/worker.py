"""One background worker for slow reads, so the window never freezes.

Jobs run one at a time on a single thread (SQLite prefers one writer, and ordering stays
obvious); each result comes back on the UI thread through a queued signal. A job submitted
with a ``supersede`` key is skipped, unrun, when a newer job with the same key was submitted
before it started (fast typing queues one search, not ten); callers still drop stale
answers by generation number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, Qt queues the call to this thread."""

    finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.finished.connect(self._deliver)

    @Slot(object, object, object)
    def _deliver(self, callback: Callable[[Any, BaseException | None], None], result: Any,
                 error: BaseException | None) -> None:
        callback(result, error)


#: What a skipped job "returns": its callbacks are not called.
SKIPPED = object()


class _Task(QRunnable):
    def __init__(self, job: Job, relay: _Relay,
                 callback: Callable[[Any, BaseException | None], None],
                 still_wanted: Callable[[], bool]) -> None:
        super().__init__()
        self._job, self._relay, self._callback = job, relay, callback
        self._still_wanted = still_wanted

    def run(self) -> None:
        if not self._still_wanted():
            self._relay.finished.emit(self._callback, SKIPPED, None)
            return
        try:
            result = self._job()
        except BaseException as exc:  # noqa: BLE001 (reported on the UI thread)
            self._relay.finished.emit(self._callback, None, exc)
        else:
            self._relay.finished.emit(self._callback, result, None)


class SerialWorker(QObject):
    """Runs jobs off the UI thread, one after another."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._pending = 0
        self._latest: dict[str, int] = {}  # supersede key -> number of its newest job
        self._submitted = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(self, job: Job, on_done: Done, on_error: Failed | None = None, *,
               supersede: str | None = None) -> None:
        """Run ``job`` after the queued ones; ``on_done(result)`` or ``on_error(exc)`` follow
        on the UI thread. With ``supersede``, a later submit with the same key cancels this
        job if it has not started yet (neither callback is then called)."""
        self._pending += 1
        self._submitted += 1
        number = self._submitted
        if supersede is not None:
            self._latest[supersede] = number

        def still_wanted() -> bool:  # read on the worker thread; the GIL makes it atomic
            return supersede is None or self._latest.get(supersede) == number

        def deliver(result: Any, error: BaseException | None) -> None:
            self._pending -= 1
            if result is SKIPPED:
                return
            if error is None:
                on_done(result)
            elif on_error is not None:
                on_error(error)
            else:
                log.error("background job failed", exc_info=error)

        self._pool.start(_Task(job, self._relay, deliver, still_wanted))

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until queued jobs have run (shutdown, tests); results arrive later."""
        return bool(self._pool.waitForDone(timeout_ms))
