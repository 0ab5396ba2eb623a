"""Everything specific to SQLite: pragmas, ``BEGIN IMMEDIATE``, file checks and backups.

The rest of the database layer (:mod:`momentum_app.core.db`) is portable; a PostgreSQL
engine simply skips this module.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from .errors import DatabaseRefused

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
#: FULL costs one more fsync per commit than NORMAL and survives power loss (docs/RELIABILITY.md).
SYNCHRONOUS = "FULL"
READ_ONLY_OPTION = "momentum_read_only"


def install_pragmas(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout; write transactions begin with ``BEGIN IMMEDIATE``.

    pysqlite's own transaction handling is switched off (``isolation_level = None``) so
    that SQLAlchemy's ``begin`` event emits the BEGIN itself and DDL stays transactional.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def restrict_permissions(path: Path) -> None:
    """Database files are readable by their owner only."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if candidate.exists():
                os.chmod(candidate, 0o600)
        except OSError:
            pass


def inspect_file(path: Path) -> tuple[str, str | None]:
    """Look at a file without changing a byte of it.

    Returns ``("new", None)`` for a missing or empty file, ``("momentum", revision)`` for
    one of ours, and raises :class:`DatabaseRefused` for anything else.
    """
    if not path.exists() or path.stat().st_size == 0:
        if path.exists() and Path(f"{path}-wal").exists():
            pass  # a WAL file may still hold the content: inspect through SQLite below
        else:
            return "new", None
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a Momentum database")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseRefused(f"{path} is not a Momentum database (not an SQLite file); "
                              "it was left untouched.")
    try:
        # Without a -wal file, immutable=1 reads without locks and without creating
        # -wal/-shm beside a file we may refuse; with one, read through it (read-only).
        has_wal = Path(f"{path}-wal").exists()
        uri = f"{path.resolve().as_uri()}?{'mode=ro' if has_wal else 'immutable=1'}"
        conn = sqlite3.connect(uri, uri=True)
        try:
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                return "new", None
            if "alembic_version" not in tables:
                raise DatabaseRefused(
                    f"{path} is an SQLite file but not a Momentum database; it was left untouched.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(f"{path} cannot be read as a database ({exc}); "
                              "it was left untouched.") from None
    return "momentum", (row[0] if row else None)


def backup_file(path: Path, folder: Path, label: str) -> Path:
    """Copy a live database with SQLite's backup API (never a plain file copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{label}-{stamp}.sqlite3"
    copy_database(str(path), target)
    os.chmod(target, 0o600)
    return target


def copy_database(source_uri: str, target: Path) -> None:
    """Copy with SQLite's backup API into one self-contained file (no -wal/-shm)."""
    source = sqlite3.connect(source_uri, uri=source_uri.startswith("file:"))
    try:
        destination = sqlite3.connect(str(target))
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        source.close()


def integrity_problems(connection: Any) -> list[str]:
    """``integrity_check`` plus ``foreign_key_check`` (the first does not do the second)."""
    problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")
                if row[0] != "ok"]
    for row in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"foreign key: table {row[0]} rowid {row[1]} -> {row[2]}")
    return problems


#: The FTS5 index of task titles and notes (migration 0003), derived from ``tasks``.
SEARCH_INDEX = "tasks_fts"


def search_index_matches(connection: Any) -> bool:
    """Whether the search index holds exactly the tasks' text (FTS5 ``integrity-check``
    with rank 1 also compares it with the content table). Writes nothing."""
    try:
        connection.exec_driver_sql(f"INSERT INTO {SEARCH_INDEX} ({SEARCH_INDEX}, rank) "
                                   "VALUES ('integrity-check', 1)")
    except (sqlite3.DatabaseError, DBAPIError):
        return False
    return True


def rebuild_search_index(connection: Any) -> None:
    connection.exec_driver_sql(f"INSERT INTO {SEARCH_INDEX} ({SEARCH_INDEX}) VALUES ('rebuild')")


def open_marker(path: Path) -> Path:
    return path.parent / f".{path.name}.in-use"


def hold_in_use(path: Path) -> int | None:
    """A shared advisory lock held while a process has the database open.

    A restore takes it exclusively, so it cannot replace a file that a window or a CLI
    command is using. None where the platform has no ``fcntl`` (best effort).
    """
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:
        return None
    descriptor = os.open(open_marker(path), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    return descriptor


def release_in_use(descriptor: int | None) -> None:
    if descriptor is not None:
        os.close(descriptor)  # closing the descriptor releases its flock


def nobody_uses(path: Path) -> int | None:
    """The exclusive lock, or raise if another process holds the database open."""
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:
        return None
    descriptor = os.open(open_marker(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise DatabaseRefused(f"{path} is open in Momentum (a window or a command); "
                              "close it first") from None
    return descriptor
