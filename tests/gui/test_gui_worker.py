"""The background worker: results on the UI thread, errors reported, superseded jobs skipped."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from momentum_app.gui.worker import SerialWorker


def test_results_and_errors_arrive_on_the_ui_thread(qtbot):
    worker = SerialWorker()
    seen: list[object] = []
    worker.submit(lambda: 6 * 7, lambda result: seen.append(
        (result, QThread.currentThread() is worker.thread())))
    worker.submit(lambda: 1 / 0, seen.append, lambda error: seen.append(type(error)))
    qtbot.waitUntil(lambda: len(seen) == 2 and not worker.busy)
    assert seen == [(42, True), ZeroDivisionError]


def test_a_superseded_job_that_has_not_started_is_skipped(qtbot):
    worker = SerialWorker()
    gate = threading.Event()
    ran: list[str] = []
    answered: list[str] = []
    worker.submit(lambda: gate.wait(10), lambda _result: answered.append("blocker"))
    for text in ("i", "in", "inv"):  # typed while the worker is busy
        worker.submit(lambda text=text: ran.append(text) or text, answered.append,
                      supersede="search")
    worker.submit(lambda: ran.append("other") or "other", answered.append, supersede="other")
    gate.set()
    qtbot.waitUntil(lambda: not worker.busy)
    assert ran == ["inv", "other"]
    assert answered == ["blocker", "inv", "other"]
