"""Opening a Momentum database: engine, sessions, migrate-on-open with a backup first.

``open_database(path)`` is the one way in. It refuses files that are not Momentum
databases or come from a newer version (leaving them byte-identical), backs up a file
whose schema is behind, upgrades it with Alembic, and makes sure a default profile
exists. SQLite specifics live in :mod:`momentum_app.core.sqlite`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import sqlite as sqlite_layer
from .clock import Clock, clock_from_env

# re-exported: they lived here
from .dbfile import canonical_path as canonical_path
from .dbfile import default_db_path as default_db_path
from .dbfile import head_revision as head_revision
from .dbfile import known_revisions as known_revisions
from .errors import DatabaseRefused, ReadOnlyDatabase

if TYPE_CHECKING:
    from alembic.config import Config

def alembic_config() -> Config:
    """Alembic's config pointing at the shipped ``migrations`` package."""
    from alembic.config import Config  # noqa: PLC0415 (alembic loads only to migrate)

    config = Config()
    location = resources.files("momentum_app.migrations")
    config.set_main_option("script_location", str(location))
    return config


@dataclass
class Database:
    """An open database: the engine and a session factory. One Session per user action."""

    path: Path | None
    engine: Engine
    sessions: sessionmaker[Session]
    backup_made: Path | None = None
    in_use: int | None = None  # the shared lock a restore must wait for
    read_only: bool = False  # the owner made the file (or its folder) read-only
    warnings: list[str] = field(default_factory=list)  # for the person, not errors

    #: The write transaction open on this thread, if any (see :meth:`transaction`).
    _open: threading.local = field(default_factory=threading.local, repr=False,
                                   compare=False)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyDatabase(
                f"{self.path} is read-only (its owner removed write permission, or its "
                "folder is read-only); nothing was changed. Make it writable "
                "(chmod u+w) to change it.")

    def in_transaction(self) -> bool:
        """Is a write transaction (:meth:`transaction`) open on this thread?"""
        return getattr(self._open, "session", None) is not None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite): commit or roll back whole.

        Re-entrant: inside an open transaction (the undo history running a service as
        one step of an undo) the caller's session is given, and the outermost one commits
        or rolls back everything (one transaction per user action)."""
        current: Session | None = getattr(self._open, "session", None)
        if current is not None:
            yield current
            return
        self._refuse_if_read_only()
        with self.sessions() as session, session.begin():
            self._open.session = session
            try:
                yield session
            finally:
                self._open.session = None

    @contextmanager
    def direct_transaction(self) -> Iterator[sqlite3.Connection]:
        """The same write transaction on a pooled sqlite3 connection itself, without a
        Session: for the hot path that sends its own statements (a task's completion,
        ``services/task_completion.py``). Commit or roll back whole, like
        :meth:`transaction`."""
        self._refuse_if_read_only()
        pooled = self.engine.raw_connection()
        try:
            conn = pooled.driver_connection
            assert isinstance(conn, sqlite3.Connection)
            with sqlite_layer.write_transaction(conn, self.path):
                yield conn
        finally:
            pooled.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot (deferred BEGIN: it never blocks writers)."""
        bind = self.engine.execution_options(**{sqlite_layer.READ_ONLY_OPTION: True})
        with Session(bind=bind, expire_on_commit=False, autoflush=False) as session:
            try:
                yield session
            finally:
                # close() ends the read transaction and detaches the objects read, with
                # their loaded values, so DTOs can be built after the session is gone.
                session.close()

    def close(self) -> None:
        """Let SQLite refresh its query-planner statistics, then release the file.

        Best effort, and never a wait: it starts as a read (deferred ``BEGIN``) with no
        busy timeout, so while another process holds the write lock (a long import) it
        is skipped at once instead of making a finished command hang at its exit."""
        if self.engine.dialect.name == "sqlite" and not self.read_only:
            bind = self.engine.execution_options(**{sqlite_layer.READ_ONLY_OPTION: True})
            with suppress(SQLAlchemyError), bind.connect() as connection:
                connection.exec_driver_sql("PRAGMA busy_timeout = 0")
                connection.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()
        sqlite_layer.release_in_use(self.in_use)
        self.in_use = None


def open_database(path: Path | str, *, migrate: bool = True,
                  scheduled_backup: bool = False, clock: Clock | None = None) -> Database:
    """Open (creating if needed) the Momentum database at ``path``.

    ``scheduled_backup`` (the app and the CLI pass True) makes the daily rotated backup;
    it never fails the opening (a failure is logged and the backup is tried next time).
    ``clock`` (default: ``MOMENTUM_NOW`` or the system clock) stamps the default profile,
    its Inbox and its first settings event when the database is new.
    A file its owner made read-only (or in a read-only folder) is opened read-only:
    reading works, writing is refused with :class:`ReadOnlyDatabase`.
    """
    path = canonical_path(path)
    try:
        state, revision = sqlite_layer.inspect_file(path)
    except DatabaseRefused as refused:
        from .backups import latest_good_backup  # noqa: PLC0415

        good = latest_good_backup(path) if path.is_file() else None
        if good is None:
            raise
        raise DatabaseRefused(f"{refused} The latest good backup is {good.path} "
                              f"({good.modified:%Y-%m-%d %H:%M} UTC): restore it with "
                              f"`momentum restore {good.path}`.") from None
    if state == "momentum" and revision is not None and revision not in known_revisions():
        raise DatabaseRefused(
            f"{path} was written by a newer version of Momentum (schema {revision!r}); "
            "update Momentum to open it. The file was left untouched.")
    read_only = state == "momentum" and sqlite_layer.is_read_only(path)
    if read_only and revision != head_revision():
        raise ReadOnlyDatabase(f"{path} is read-only and from an older version of Momentum "
                               f"(schema {revision!r}): make it writable (chmod u+w) so "
                               "it can be upgraded. The file was left untouched.")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseRefused(f"cannot create the folder for {path}: "
                                  f"{exc.strerror}") from None
    backup = None
    if state == "momentum" and revision != head_revision():
        backup = sqlite_layer.backup_file(path, path.parent / "backups", f"before-{revision}",
                                          (clock or clock_from_env()).now())
    from .backups import clean_leftovers  # noqa: PLC0415

    clean_leftovers(path)
    engine = create_engine(sqlite_layer.engine_url(path, read_only=read_only), future=True)
    sqlite_layer.install_pragmas(engine, read_only=read_only, path=path)
    database = Database(path, engine, sessionmaker(engine, expire_on_commit=False), backup,
                        sqlite_layer.hold_in_use(path), read_only=read_only)
    if migrate and revision != head_revision():
        upgrade(database)
    if not read_only:
        sqlite_layer.restrict_permissions(path)
    if scheduled_backup and state == "momentum":
        from .backups import daily_backup  # noqa: PLC0415

        try:
            database.warnings += daily_backup(path, clock)  # the full integrity check
        except DatabaseRefused:
            database.close()
            raise
    from .services.engine_store import rules_behind
    from .services.profiles import ensure_default_profile, find_default_profile
    from .staging import abandoned_staging, discard_abandoned

    with database.reading() as session:
        needs_profile = find_default_profile(session) is None
        refold = migrate and rules_behind(session)
        abandoned = [] if read_only else abandoned_staging(session)
    if abandoned and sqlite_layer.alone(database.in_use):
        try:  # what a crashed large import staged (never a running one: we are alone)
            discard_abandoned(database, abandoned)
        finally:
            sqlite_layer.share_again(database.in_use)
    if (needs_profile or refold) and not read_only:  # the write lock only for a write
        now = (clock or clock_from_env()).now()
        with database.transaction() as session:
            ensure_default_profile(session, now)
            if refold:
                from .services.doctor import bring_rules_up_to_date  # noqa: PLC0415

                bring_rules_up_to_date(session)  # derived tables written by older rules
    return database


def upgrade(database: Database, revision: str = "head") -> None:
    """Run Alembic's upgrade on the app's own connection, in one transaction."""
    from alembic import command  # noqa: PLC0415

    config = alembic_config()
    with database.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])

