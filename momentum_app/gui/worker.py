"""One background worker for slow reads, so the window never freezes.

Jobs run one at a time on a single thread (SQLite prefers one writer, and ordering stays
obvious); each result comes back on the UI thread through a queued signal. A job that was
superseded (a newer search typed meanwhile) is still run, but callers tag requests with a
generation number and drop stale answers.
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


class _Task(QRunnable):
    def __init__(self, job: Job, relay: _Relay,
                 callback: Callable[[Any, BaseException | None], None]) -> None:
        super().__init__()
        self._job, self._relay, self._callback = job, relay, callback

    def run(self) -> None:
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

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(self, job: Job, on_done: Done, on_error: Failed | None = None) -> None:
        self._pending += 1

        def deliver(result: Any, error: BaseException | None) -> None:
            self._pending -= 1
            if error is None:
                on_done(result)
            elif on_error is not None:
                on_error(error)
            else:
                log.error("background job failed", exc_info=error)

        self._pool.start(_Task(job, self._relay, deliver))

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until queued jobs have run (shutdown, tests); results arrive later."""
        return bool(self._pool.waitForDone(timeout_ms))
