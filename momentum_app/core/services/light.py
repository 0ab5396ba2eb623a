"""The command line's light path (issue 14): a database opened with ``sqlite3`` alone.

A command such as ``momentum task add`` spends most of its time importing SQLAlchemy
(~0.3 s here) before its first query, which itself takes a millisecond. The four hot
commands (``task add``, ``task done``, ``task list``, ``progress``) can run without it:
:func:`open_light` opens the file with the same pragmas and the same shared lock as
:func:`.db.open_database`, and the commands call the services' own direct-statement
implementations (:func:`.task_add.add_plain_task`,
:func:`.task_completion.complete_and_record`, :func:`.progress.progress_of`,
:func:`.task_listing.list_open_tasks`) — the full path calls the same functions.

Whatever needs the full opening makes :func:`open_light` answer None, and the caller
takes the full path: a missing, new or foreign file, a schema behind the installed
head (it migrates, with its backup) or unknown, a read-only file, derived tables written
by older rules, no default profile yet, what a crashed import staged, and the day's
scheduled backup when it is due (the full opening makes it, with its integrity check;
here it costs a look at the backups folder).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import sqlite as sqlite_layer
from ..backups import clean_leftovers, daily_backup, scheduled_backup_due
from ..clock import Clock
from ..dbfile import head_revision
from ..errors import DatabaseRefused
from ..kinds import STAGING_PREFIX
from .sql_values import rules_behind

_DEFAULT_PROFILE = ("SELECT id FROM profiles ORDER BY is_default IS NOT 1, id LIMIT 1")
_STAGING = "SELECT 1 FROM profiles WHERE substr(name, 1, ?) = ? LIMIT 1"


@dataclass
class LightDatabase:
    """An open database on one sqlite3 connection, and the default profile's id."""

    path: Path
    conn: sqlite3.Connection
    profile_id: int
    in_use: int | None
    #: What the opening warns of (the day's backup could not be made), for stderr.
    warnings: list[str] = field(default_factory=list)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``, waiting as the full path waits):
        committed whole, or rolled back whole."""
        with sqlite_layer.write_transaction(self.conn, self.path):
            yield self.conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot (deferred ``BEGIN``: it never blocks writers)."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.rollback()

    def close(self) -> None:
        """Release the file and its shared lock. No ``PRAGMA optimize``: the full path's
        (:meth:`.db.Database.close`) runs in a read transaction that is rolled back, so
        the file is left byte for byte as it was, which is what this does too (a bad
        argument must change nothing: ``tests/reliability/test_hostile_input.py``)."""
        self.conn.close()
        sqlite_layer.release_in_use(self.in_use)
        self.in_use = None


def open_light(path: Path, backup_clock: Clock | None = None) -> LightDatabase | None:
    """Open ``path`` (already :func:`~.dbfile.canonical_path`) for the light path, or
    None when only the full opening will do (see the module's docstring).
    ``backup_clock``: make the day's scheduled backup when it is due, as the full opening
    does (named by this clock; a failed copy is a warning in ``warnings``), instead of
    leaving it to the full path (an import, whose own work dwarfs the backup's)."""
    try:
        state, revision = sqlite_layer.inspect_file(path)
    except DatabaseRefused:
        return None  # the full path says why, and names the latest good backup
    if state != "momentum" or revision != head_revision():
        return None
    if sqlite_layer.is_read_only(path) or (backup_clock is None and scheduled_backup_due(path)):
        return None
    clean_leftovers(path)  # before our own shared lock, as the full opening does
    conn = sqlite3.connect(os.path.abspath(path))  # as the engine's URL names it
    in_use = sqlite_layer.hold_in_use(path)
    database: LightDatabase | None = None
    warnings: list[str] = []
    try:
        sqlite_layer.configure(conn)
        sqlite_layer.restrict_permissions(path)
        if backup_clock is not None:
            warnings += daily_backup(path, backup_clock)
        profile = conn.execute(_DEFAULT_PROFILE).fetchone()
        staging = conn.execute(_STAGING, (len(STAGING_PREFIX), STAGING_PREFIX)).fetchone()
        if profile is not None and staging is None and not rules_behind(conn):
            database = LightDatabase(path, conn, int(profile[0]), in_use, warnings)
    finally:
        if database is None:
            conn.close()
            sqlite_layer.release_in_use(in_use)
    return database


__all__ = ["LightDatabase", "open_light"]
