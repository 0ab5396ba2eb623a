"""Who is waiting for SQLite's write lock: a long writer lets others in only when needed.

A large import writes in short batches (:mod:`.imports.staged`, issue #20) so that a
``task add`` or the window can write in between. SQLite has no queue: a writer that finds
the lock taken polls it from its busy handler (every 1–100 ms), and a loop that begins
its next batch at once would win every time. The import used to pause 0.12 s after every
batch for that reason — 1.2 s of a 10k-task import (issue #18 item 5), with nobody waiting
almost always.

So a writer that has to wait says so: :func:`begin_write` first tries ``BEGIN IMMEDIATE``
without waiting; only when the lock is taken does it hold a shared advisory lock on a
marker file next to the database (:func:`marker`) for as long as it waits.
:func:`writer_waiting` tells the import whether anyone holds it (one non-blocking
``flock``), and the import pauses only then, until the waiter is in (:func:`let_in`).

Where ``fcntl`` is missing (not POSIX) or the marker cannot be made, nobody can say that
they wait: :func:`writer_waiting` answers None and the import pauses 0.12 s after every
batch, as before (a folder where the marker cannot be made is one SQLite cannot write
in either).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: How long a batch loop lets waiting writers in at most (their busy handler polls the
#: lock every 100 ms at worst), and how often it looks whether they are in.
LET_IN_SECONDS = 0.5
LET_IN_POLL = 0.01
#: The pause where waiting cannot be seen (longer than one poll of a busy handler).
BLIND_PAUSE = 0.12


def marker(path: Path) -> Path:
    """The file a waiting writer holds a shared lock on."""
    return path.parent / f".{path.name}.writer-waiting"


def _busy(exc: sqlite3.OperationalError) -> bool:
    return str(getattr(exc, "sqlite_errorname", "")).startswith(("SQLITE_BUSY",
                                                                 "SQLITE_LOCKED"))


def begin_write(connection: sqlite3.Connection, path: Path | None, busy_timeout_ms: int,
                begin: Callable[[], object]) -> None:
    """``BEGIN IMMEDIATE`` on ``connection``: at once when the lock is free; otherwise
    ``begin()`` (the same statement, waiting up to the busy timeout) while holding the
    waiting marker. ``path`` None (no file): ``begin()`` alone."""
    if path is None:
        begin()
        return
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        else:
            return
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    finally:
        cursor.close()
    with _waiting(path):
        begin()


@contextmanager
def _waiting(path: Path) -> Iterator[None]:
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:
        yield
        return
    try:
        descriptor = os.open(marker(path), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # a folder we cannot write in: wait unannounced
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def writer_waiting(path: Path | None) -> bool | None:
    """Whether another connection is waiting for the write lock (see the module
    docstring); None when that cannot be known."""
    if path is None:
        return None
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:
        return None
    try:
        descriptor = os.open(marker(path), os.O_RDWR)
    except FileNotFoundError:
        return False  # nobody has ever waited for this database
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def let_in(path: Path | None, most: float = LET_IN_SECONDS,
           blind: float = BLIND_PAUSE) -> bool:
    """Between two write transactions of a long writer: while another writer waits for
    the lock, pause (at most ``most`` seconds) until it has it; where nobody can say that
    they wait, pause ``blind`` seconds. Whether it paused."""
    waiting = writer_waiting(path)
    if waiting is None:
        time.sleep(blind)
        return blind > 0
    if not waiting or most <= 0:
        return False
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        time.sleep(LET_IN_POLL)
        if not writer_waiting(path):
            break
    return True
