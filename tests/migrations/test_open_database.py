"""``open_database``: refuse what is not ours (untouched), back up before upgrading, set up.

Every test works on a real SQLite file with the real Alembic scripts. "Untouched" is
checked strictly: the same SHA-256 before and after, and no ``-wal``/``-shm`` file left
beside it (SQLite creates those on a careless open of a WAL-mode file).
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from momentum_app.core import sqlite as sqlite_layer
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import alembic_config, current_revision, head_revision, open_database
from momentum_app.core.errors import DatabaseRefused
from momentum_app.core.services import Momentum

START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
FUTURE_REVISION = "ffffffffffff_from_the_future"


# --- helpers ------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir()
                  if p.name != path.name and p.name.startswith(path.name))


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (but does read its WAL)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(read_only(path)) as conn:
        return conn.execute(sql).fetchall()


def dump(path: Path) -> list[str]:
    with closing(read_only(path)) as conn:
        return list(conn.iterdump())


def make_momentum_db(path: Path) -> Path:
    """A database at head with a little of everything, closed (its WAL checkpointed)."""
    database = open_database(path)
    try:
        app = Momentum(database, FixedClock(START))
        app.profiles.update(timezone="UTC")
        app.projects.add("Work")
        task = app.items.add_task("Keep me", project="Work", complexity=3)
        app.items.complete(Kind.TASK, task.id)
        app.items.add_task("Still open")
        goal = app.items.add_goal("Grow", project="Work")
        app.items.add_step(goal.id, "First step")
    finally:
        database.close()
    assert side_files(path) == [], "a closed database leaves no -wal/-shm behind"
    return path


def migrate(path: Path, action: Callable[..., None], revision: str) -> None:
    """Run an Alembic command on the file the way the app does (its connection, one commit)."""
    engine = create_engine(f"sqlite:///{path}")
    sqlite_layer.install_pragmas(engine)
    try:
        config = alembic_config()
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            action(config, revision)
            connection.commit()
    finally:
        engine.dispose()


def user_data(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a person entered and earned: must survive an upgrade unchanged."""
    return {
        "profiles": query(path, "SELECT id, name, timezone FROM profiles ORDER BY id"),
        "projects": query(path, "SELECT id, name FROM projects ORDER BY id"),
        "tasks": query(path, "SELECT id, title, status, complexity FROM tasks ORDER BY id"),
        "goals": query(path, "SELECT id, title FROM goals ORDER BY id"),
        "steps": query(path, "SELECT id, goal_id, title FROM goal_steps ORDER BY id"),
        "ledger": query(path, "SELECT entry_type, points, source FROM ledger ORDER BY id"),
    }


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def _earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    return [rev.revision for rev in script.walk_revisions() if rev.revision != head] + ["base"]


@pytest.fixture
def momentum_db(tmp_path: Path) -> Path:
    return make_momentum_db(tmp_path / "momentum.sqlite3")


# --- first use ----------------------------------------------------------------------


def test_a_new_file_is_created_at_head_with_a_default_profile_and_its_inbox(tmp_path):
    path = tmp_path / "deeper" / "new.sqlite3"  # the folder is created as well
    database = open_database(path)
    try:
        assert current_revision(database) == head_revision()
        assert database.backup_made is None  # nothing to back up in a new file
    finally:
        database.close()
    assert query(path, "SELECT name, is_default FROM profiles") == [("default", 1)]
    assert query(path, "SELECT name, is_inbox FROM projects") == [("Inbox", 1)]
    assert query(path, "SELECT count(*) FROM levels") == [(10,)]
    # Opening again does not add a second default profile or inbox.
    open_database(path).close()
    assert query(path, "SELECT count(*) FROM profiles") == [(1,)]
    assert query(path, "SELECT count(*) FROM projects") == [(1,)]
    assert not (tmp_path / "deeper" / "backups").exists()


def test_an_empty_file_is_treated_as_a_new_database(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    open_database(path).close()
    assert query(path, "SELECT name FROM profiles") == [("default",)]


def test_wal_mode_and_foreign_keys_are_on(momentum_db):
    database = open_database(momentum_db)
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # Foreign keys are really enforced, not just reported as on.
        with pytest.raises(IntegrityError), database.transaction() as session:
            session.execute(text(
                "INSERT INTO projects (profile_id, name, goals_enabled, is_inbox, created_at) "
                "VALUES (987654, 'orphan', 1, 0, '2026-01-05 12:00:00')"))
    finally:
        database.close()
    assert query(momentum_db, "SELECT count(*) FROM projects WHERE name = 'orphan'") == [(0,)]
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    with closing(sqlite3.connect(momentum_db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_database_and_its_wal_files_are_readable_by_their_owner_only(tmp_path):
    path = tmp_path / "private.sqlite3"
    with umask(0o022):  # a umask that would leave a new file world-readable
        database = open_database(path)
        try:
            app = Momentum(database, FixedClock(START))
            app.items.add_task("written through the WAL")
            modes = {p.name: stat.S_IMODE(p.stat().st_mode)
                     for p in tmp_path.iterdir() if p.name.startswith(path.name)}
        finally:
            database.close()
    assert modes[path.name] == 0o600
    assert set(modes) >= {path.name, f"{path.name}-wal"}
    assert all(mode == 0o600 for mode in modes.values()), modes
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- refusing files that are not ours --------------------------------------------------


def _future_db(path: Path) -> Path:
    make_momentum_db(path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
        conn.commit()
    assert side_files(path) == []
    return path


def test_a_database_from_a_newer_version_is_refused_and_byte_identical(tmp_path):
    path = _future_db(tmp_path / "future.sqlite3")
    before = sha256(path)
    with pytest.raises(DatabaseRefused, match="newer version"):
        open_database(path)
    assert sha256(path) == before
    assert not (tmp_path / "backups").exists()
    assert query(path, "SELECT version_num FROM alembic_version") == [(FUTURE_REVISION,)]


def test_a_database_from_a_newer_version_gets_no_wal_or_shm_files(tmp_path):
    path = _future_db(tmp_path / "future.sqlite3")
    with pytest.raises(DatabaseRefused):
        open_database(path)
    assert side_files(path) == []


def _text_file(path: Path) -> None:
    path.write_text("Shopping list\n- milk\n- eggs\n", encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1234).randbytes(8192))


def _sqlite_header_then_garbage(path: Path) -> None:
    path.write_bytes(sqlite_layer.SQLITE_HEADER + random.Random(99).randbytes(4096))


def _foreign_sqlite(journal_mode: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with closing(sqlite3.connect(path)) as conn:
            conn.execute(f"PRAGMA journal_mode = {journal_mode}")
            conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute("INSERT INTO recipes (name) VALUES ('pancakes')")
            conn.commit()
    return make


NOT_OURS = [
    pytest.param(_text_file, id="text-file"),
    pytest.param(_random_bytes, id="random-bytes"),
    pytest.param(_sqlite_header_then_garbage, id="sqlite-header-then-garbage"),
    pytest.param(_foreign_sqlite("DELETE"), id="other-apps-sqlite"),
    pytest.param(_foreign_sqlite("WAL"), id="other-apps-sqlite-in-wal-mode"),
]


@pytest.mark.parametrize("make", NOT_OURS)
def test_a_file_that_is_not_a_momentum_database_is_refused_and_untouched(tmp_path, make):
    path = tmp_path / "not-ours.sqlite3"
    make(path)
    assert side_files(path) == []
    before = sha256(path)
    with pytest.raises(DatabaseRefused, match="not a Momentum database|cannot be read"):
        open_database(path)
    assert sha256(path) == before
    assert side_files(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no backups/ either


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "a-folder.sqlite3"
    folder.mkdir()
    with pytest.raises(DatabaseRefused):
        open_database(folder)
    assert list(folder.iterdir()) == []


# --- backup before upgrade -----------------------------------------------------------


# Not "base": at base Momentum has no table of its own, so a file with an empty
# alembic_version beside other tables (this test's keepsake) is another application's and
# is refused (#20 item 7; tests/reliability/test_hardening.py); one with nothing else in it
# opens as a new database.
@pytest.mark.parametrize("revision", [r for r in _earlier_revisions() if r != "base"])
def test_an_older_schema_is_backed_up_with_the_backup_api_then_upgraded(tmp_path, revision):
    path = make_momentum_db(tmp_path / "momentum.sqlite3")
    entered = user_data(path)
    migrate(path, command.downgrade, revision)
    behind = query(path, "SELECT version_num FROM alembic_version")
    assert behind == ([] if revision == "base" else [(revision,)])

    # A row that lives only in the WAL while another connection keeps the file open: a
    # plain copy of the main file would miss it, SQLite's backup API does not.
    keeper = sqlite3.connect(path)
    try:
        keeper.execute("PRAGMA wal_autocheckpoint = 0")
        keeper.execute("CREATE TABLE test_keepsake (note TEXT)")
        keeper.execute("INSERT INTO test_keepsake VALUES ('only in the WAL')")
        keeper.commit()
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1",
                                     uri=True)) as main_file_only:
            tables = {r[0] for r in main_file_only.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "test_keepsake" not in tables, "test set-up: the row must be in the WAL only"
        before_upgrade = dump(path)

        database = open_database(path)
        try:
            assert current_revision(database) == head_revision()
            backup = database.backup_made
        finally:
            database.close()
    finally:
        keeper.close()

    backups = sorted((tmp_path / "backups").iterdir())
    assert backup is not None and backups == [backup]
    assert backup.suffix == ".sqlite3"
    assert dump(backup) == before_upgrade  # the file as it was, WAL content included
    assert query(backup, "PRAGMA integrity_check") == [("ok",)]
    assert query(backup, "SELECT note FROM test_keepsake") == [("only in the WAL",)]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    # The upgraded file kept everything.
    assert query(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert query(path, "SELECT note FROM test_keepsake") == [("only in the WAL",)]
    if revision != "base":  # a downgrade to base drops every table, and their rows
        assert user_data(path) == entered
    assert query(path, "SELECT count(*) FROM profiles WHERE is_default") == [(1,)]


def test_no_backup_is_made_of_a_database_already_at_head(momentum_db):
    database = open_database(momentum_db)
    try:
        assert database.backup_made is None
    finally:
        database.close()
    backups = momentum_db.parent / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []
