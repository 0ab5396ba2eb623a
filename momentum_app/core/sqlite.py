"""Everything specific to SQLite: pragmas, ``BEGIN IMMEDIATE``, file checks and backups.

The rest of the database layer (:mod:`momentum_app.core.db`) is portable; a PostgreSQL
engine simply skips this module.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import write_waiting
from .errors import DatabaseRefused, StorageProblem

if TYPE_CHECKING:
    from sqlalchemy import URL, Engine

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
#: FULL costs one more fsync per commit than NORMAL and survives power loss (docs/RELIABILITY.md).
SYNCHRONOUS = "FULL"
READ_ONLY_OPTION = "momentum_read_only"
#: A backup being written; renamed to its ``.sqlite3`` name only when complete.
PARTIAL_SUFFIX = ".partial"


#: Tables (and columns) every Momentum schema since revision 0001 has: the source of
#: truth, never the derived tables, which ``momentum doctor --fix`` can rebuild. A file
#: is taken for Momentum's only when it has them all, not for an ``alembic_version`` row.
FINGERPRINT: dict[str, frozenset[str]] = {
    "profiles": frozenset({"id", "name", "timezone", "day_start_hour", "is_default"}),
    "events": frozenset({"id", "profile_id", "key", "type", "occurred_at", "meta",
                         "outcome"}),
    "projects": frozenset({"id", "profile_id", "name", "is_inbox"}),
    "tasks": frozenset({"id", "profile_id", "project_id", "title", "status"}),
    "goals": frozenset({"id", "profile_id", "title", "status"}),
    "goal_steps": frozenset({"id", "goal_id", "title", "status"}),
    "time_slots": frozenset({"id", "profile_id", "title", "start_at", "end_at"}),
    "event_types": frozenset({"id", "name", "points"}),
}


def file_uri(path: Path | str, **params: str) -> str:
    """An SQLite ``file:`` URI naming exactly ``path``: ``?``, ``#``, ``%`` and spaces in
    the name are percent-encoded (``Path.as_uri``), so they can never become URI
    parameters or escapes."""
    uri = Path(os.path.abspath(path)).as_uri()
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{uri}?{query}" if query else uri


def engine_url(path: Path | str, *, read_only: bool = False) -> URL:
    """The SQLAlchemy URL of a database file. ``URL.create`` keeps the path as one value
    (a string URL would read ``?x`` as options and ``%41`` as an escape); read-only
    opens go through a quoted ``file:`` URI with ``mode=ro``."""
    from sqlalchemy import URL  # noqa: PLC0415 (this module is also the light path's)

    if read_only:
        # Without a -wal, immutable=1 also creates no -wal/-shm beside a file its owner
        # made read-only; with one, mode=ro reads what is still in it.
        params = {"mode": "ro"} if Path(f"{path}-wal").exists() else {"immutable": "1"}
        return URL.create("sqlite", database=file_uri(path, **params),
                          query={"uri": "true"})
    # Absolute, so the name never starts with ``file:`` (SQLite is built with USE_URI).
    return URL.create("sqlite", database=os.path.abspath(path))


def is_read_only(path: Path) -> bool:
    """Whether the database must be opened read-only: its owner removed the write bit
    (respected even by root, who could write anyway), or the file or its folder cannot
    be written (a read-only folder or mount: SQLite could not create ``-wal``/``-shm``)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return (not mode & stat.S_IWUSR or not os.access(path, os.W_OK)
            or not os.access(path.parent, os.W_OK | os.X_OK))


def install_pragmas(engine: Engine, *, read_only: bool = False,
                    path: Path | None = None) -> None:
    """WAL, foreign keys, busy timeout; write transactions begin with ``BEGIN IMMEDIATE``
    (a writer that has to wait for the lock says so: :mod:`.write_waiting`; ``path``:
    the database file).

    pysqlite's own transaction handling is switched off (``isolation_level = None``) so
    that SQLAlchemy's ``begin`` event emits the BEGIN itself and DDL stays transactional.
    """
    from sqlalchemy import event  # noqa: PLC0415

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        configure(dbapi_connection, read_only=read_only)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if read_only or connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            write_waiting.begin_write(connection.connection.driver_connection, path,
                                      BUSY_TIMEOUT_MS,
                                      lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))


def configure(connection: sqlite3.Connection, *, read_only: bool = False) -> None:
    """The pragmas of every connection (the engine's, and the command line's light path
    on a bare sqlite3 connection): WAL, ``synchronous``, foreign keys, busy timeout, and
    no transaction handling of pysqlite's own (the caller begins and commits)."""
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:  # a read-only file keeps its journal mode
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


@contextmanager
def write_transaction(connection: sqlite3.Connection, path: Path | None
                      ) -> Iterator[sqlite3.Connection]:
    """A write transaction on a sqlite3 connection of :func:`configure`'s:
    ``BEGIN IMMEDIATE`` (a writer that has to wait says so: :mod:`.write_waiting`),
    committed whole or rolled back whole."""
    write_waiting.begin_write(connection, path, BUSY_TIMEOUT_MS,
                              lambda: connection.execute("BEGIN IMMEDIATE"))
    try:
        yield connection
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


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

    Returns ``("new", None)`` for a missing or empty file (or one holding nothing but an
    empty ``alembic_version``), ``("momentum", revision)`` for one of ours, and raises
    :class:`DatabaseRefused` for anything else: another application's SQLite file (even
    one with an ``alembic_version`` table, empty or not), a Momentum file whose
    ``alembic_version`` is empty, a file SQLite cannot read.
    """
    if not path.exists() or path.stat().st_size == 0:
        if path.exists() and Path(f"{path}-wal").exists():
            pass  # a WAL file may still hold the content: inspect through SQLite below
        else:
            return "new", None
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a Momentum database")
    if not path.is_file():
        raise DatabaseRefused(f"{path} is not a regular file, not a Momentum database; "
                              "it was left untouched.")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseRefused(f"{path} is not a Momentum database (not an SQLite file); "
                              "it was left untouched.")
    try:
        conn = connect_untouched(path)
        try:
            return _recognise(path, conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        problem = storage_problem(exc, path)
        if problem is not None:  # the disk, not the file: no restore to suggest
            raise StorageProblem(f"{path} cannot be opened right now: {problem}. The "
                                 "file was not changed.") from None
        raise DatabaseRefused(f"{path} cannot be read as a database ({exc}); "
                              "it was left untouched.") from None


#: Bytes below which a disk counts as full (SQLite needs room for a WAL frame and -shm).
NEARLY_FULL = 1 << 20


def storage_problem(exc: BaseException, path: Path | None) -> str | None:
    """The plain-words cause of a failure that lies in the disk or the permissions, not
    in the database file (None for anything else): "the disk is full" for SQLITE_FULL,
    or for an I/O error on a disk with (almost) no space left; the read-only cases; an
    I/O error otherwise."""
    error = getattr(exc, "orig", exc)
    name = str(getattr(error, "sqlite_errorname", "") or "")
    errno_value = getattr(error, "errno", None)
    if name == "SQLITE_FULL" or errno_value == 28:
        return "the disk is full (free some space and try again)"
    if name.startswith("SQLITE_READONLY"):
        return ("the database is read-only (its file, folder or disk cannot be written); "
                "nothing was changed")
    if name.startswith("SQLITE_IOERR") or name == "SQLITE_CANTOPEN":
        if path is not None and _nearly_full(path):
            return "the disk is full (free some space and try again)"
        return ("the disk could not be read or written (disk I/O error); the database "
                "file itself may be fine: check the disk, then try again")
    return None


def _nearly_full(path: Path) -> bool:
    import shutil  # noqa: PLC0415

    try:
        return shutil.disk_usage(path.parent if not path.is_dir() else path).free \
            < NEARLY_FULL
    except OSError:
        return False


def connect_untouched(path: Path) -> sqlite3.Connection:
    """A read-only connection that writes nothing beside the file: without a ``-wal``
    file ``immutable=1`` (no locks, no ``-wal``/``-shm`` created), with one ``mode=ro``
    so what is still in the WAL is seen."""
    has_wal = Path(f"{path}-wal").exists()
    params = {"mode": "ro"} if has_wal else {"immutable": "1"}
    return sqlite3.connect(file_uri(path, **params), uri=True)


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """What the file lacks of Momentum's fingerprint ([] when it has it all)."""
    missing = []
    for table, columns in FINGERPRINT.items():
        found = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not found:
            missing.append(f"no {table} table")
        elif columns - found:
            missing.append(f"{table} lacks {', '.join(sorted(columns - found))}")
    return missing


def _recognise(path: Path, conn: sqlite3.Connection) -> tuple[str, str | None]:
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return "new", None
    if "alembic_version" not in tables:
        raise DatabaseRefused(
            f"{path} is an SQLite file but not a Momentum database; it was left untouched.")
    rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if not rows:
        own = {name for name in tables if not name.startswith("sqlite_")}
        if own == {"alembic_version"}:
            return "new", None  # nothing but an empty version table: nothing to lose
        if not tables & set(FINGERPRINT):
            # another application's tables beside an empty alembic_version of its own
            raise DatabaseRefused(f"{path} is an SQLite file but not a Momentum database "
                                  "(none of Momentum's tables); it was left untouched.")
        raise DatabaseRefused(
            f"{path} has an empty schema version (its alembic_version table has no row), "
            "so it cannot be upgraded safely; it was left untouched.")
    if len(rows) > 1:
        raise DatabaseRefused(f"{path} has {len(rows)} schema versions; it was left "
                              "untouched.")
    problems = schema_problems(conn)
    if problems:
        raise DatabaseRefused(
            f"{path} is an SQLite file but not a Momentum database ({problems[0]}); "
            "it was left untouched.")
    return "momentum", str(rows[0][0])


def backup_file(path: Path, folder: Path, label: str, now: datetime) -> Path:
    """Copy a live database with SQLite's backup API (never a plain file copy), named
    after ``now`` (the injected clock, see :func:`backup_name`)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass
    return backup_to(path, backup_name(folder, path.stem, label, now))


def backup_name(folder: Path, stem: str, label: str, now: datetime) -> Path:
    """``STEM-LABEL-YYYYmmdd-HHMMSS-ffffff.sqlite3`` in ``folder``, in this machine's local
    time of ``now``. A name already taken (a clock fixed by ``MOMENTUM_NOW`` stamps every
    backup alike) gets ``-2``, ``-3``… so that no backup is ever overwritten."""
    stamp = f"{now.astimezone():%Y%m%d-%H%M%S-%f}"
    target = folder / f"{stem}-{label}-{stamp}.sqlite3"
    count = 1
    while target.exists():
        count += 1
        target = folder / f"{stem}-{label}-{stamp}-{count}.sqlite3"
    return target


def backup_to(path: Path, target: Path) -> Path:
    """Copy a live database to ``target`` by way of a hidden partial file beside it (same
    folder, so the final rename never crosses a file system)."""
    # Written under a hidden name and renamed when complete: a crash or a full disk
    # mid-copy never leaves a partial file that looks like a backup.
    partial = target.with_name(f".{target.name}{PARTIAL_SUFFIX}")
    try:
        copy_database(file_uri(path), partial)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except BaseException:
        for leftover in (partial, Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
        raise
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


def search_index_matches(connection: Any) -> bool | None:
    """Whether the search index holds exactly the tasks' text (FTS5 ``integrity-check``
    with rank 1 also compares it with the content table). Writes nothing, but the check
    is spelled INSERT, so SQLite wants the write lock for it: it is tried without waiting
    (no busy timeout), and None means "not checked: another process is writing"."""
    from sqlalchemy.exc import DBAPIError  # noqa: PLC0415

    connection.exec_driver_sql("PRAGMA busy_timeout = 0")
    try:
        connection.exec_driver_sql(f"INSERT INTO {SEARCH_INDEX} ({SEARCH_INDEX}, rank) "
                                   "VALUES ('integrity-check', 1)")
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        error = getattr(exc, "orig", exc)
        if str(getattr(error, "sqlite_errorname", "")).startswith(("SQLITE_BUSY",
                                                                   "SQLITE_LOCKED")):
            return None
        return False
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
    try:
        descriptor = os.open(open_marker(path), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None  # a read-only folder: reading needs no marker (nobody can restore there)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    return descriptor


def release_in_use(descriptor: int | None) -> None:
    if descriptor is not None:
        os.close(descriptor)  # closing the descriptor releases its flock


def alone(descriptor: int | None) -> bool:
    """Turn this process's shared lock (:func:`hold_in_use`) exclusive if no other
    process has the database open; False (still shared) otherwise. Give it back with
    :func:`share_again`."""
    if descriptor is None:
        return False
    import fcntl  # noqa: PLC0415

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def share_again(descriptor: int | None) -> None:
    if descriptor is not None:
        import fcntl  # noqa: PLC0415

        fcntl.flock(descriptor, fcntl.LOCK_SH)


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


def day_conditions(*conditions: tuple[str, date | None]) -> tuple[str, list[str]]:
    """Of ``("column >= ?", day)`` pairs, the SQL that adds each one whose day is given
    (`` AND column >= ?``…) and those days as its parameters (ISO text, as stored)."""
    given = [(condition, day) for condition, day in conditions if day is not None]
    return ("".join(f" AND {condition}" for condition, _ in given),
            [day.isoformat() for _, day in given])
