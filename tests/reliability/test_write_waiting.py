"""Issue #18 item 5 with #20's guarantee kept: a writer that has to wait for SQLite's write
lock says so (``core/write_waiting.py``), and a staged import pauses between its batches
only then — not 0.12 s after every batch whether or not anyone waits.

The end-to-end guarantee (a ``task add`` gets in during a 20,000-task import) is
``test_import_batches.py::test_writers_and_readers_go_on_during_a_20000_task_import``.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "reliability") not in sys.path:
    sys.path.insert(0, str(TESTS / "reliability"))

from test_import_batches import _import, todo_file  # noqa: E402

from momentum_app.core import write_waiting  # noqa: E402
from momentum_app.core.db import Database, open_database  # noqa: E402
from momentum_app.core.imports import staged  # noqa: E402


def _until(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    """Spin (no sleep) until ``condition`` holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
    return condition()


def _session_write(database: Database) -> None:
    with database.transaction() as session:
        session.execute(text("UPDATE profiles SET name = name"))


def _direct_write(database: Database) -> None:
    with database.direct_transaction() as conn:
        conn.execute("UPDATE profiles SET name = name")


@pytest.mark.parametrize("write", [_session_write, _direct_write],
                         ids=["transaction", "direct_transaction"])
def test_a_writer_waiting_for_the_lock_is_seen_and_only_while_it_waits(db_path, write):
    database = open_database(db_path)
    try:
        assert write_waiting.writer_waiting(db_path) is False  # nobody has waited yet
        write(database)  # the lock was free: nobody waited, no marker needed
        assert write_waiting.writer_waiting(db_path) is False
        errors: list[BaseException] = []
        with closing(sqlite3.connect(db_path, isolation_level=None)) as holder:
            holder.execute("BEGIN IMMEDIATE")  # another process's long write, say

            def waiter() -> None:
                try:
                    write(database)
                except BaseException as exc:  # noqa: BLE001 (reported below)
                    errors.append(exc)

            thread = threading.Thread(target=waiter)
            thread.start()
            try:
                assert _until(lambda: write_waiting.writer_waiting(db_path) is True)
            finally:
                holder.execute("COMMIT")
                thread.join(30)
        assert not thread.is_alive() and errors == []  # it got in once the lock was free
        assert write_waiting.writer_waiting(db_path) is False
    finally:
        database.close()


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staged, "STAGE_FROM", 100)
    monkeypatch.setattr(staged, "BATCH", 64)
    monkeypatch.setattr(staged, "YIELD_SECONDS", 0.05)


def _pauses(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []
    real = staged.let_in

    def recording(*args: Any) -> bool:
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(staged, "let_in", recording)
    return seen


def test_a_staged_import_does_not_pause_when_nobody_waits(small_batches, monkeypatch,
                                                          tmp_path, db_path):
    source = todo_file(tmp_path / "todo.txt", 400)
    pauses = _pauses(monkeypatch)
    result = _import(db_path, source)
    assert result.counts["tasks"] == 440
    assert pauses == [False] * 7  # 7 batches, no pause after any of them


def test_a_staged_import_pauses_after_each_batch_while_a_writer_waits(
        small_batches, monkeypatch, tmp_path, db_path):
    source = todo_file(tmp_path / "todo.txt", 400)
    pauses = _pauses(monkeypatch)
    waiting: AbstractContextManager[None] = write_waiting._waiting(db_path)
    with waiting:  # what a writer holds while it waits (it never gets in here)
        result = _import(db_path, source)
    assert result.counts["tasks"] == 440
    assert pauses == [True] * 7
    assert write_waiting.writer_waiting(db_path) is False
