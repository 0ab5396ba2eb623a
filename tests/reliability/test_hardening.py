"""Issue #20: no path, file or command can lose data or mint points, and no error sends a
person the wrong way. One section per item of the issue; each test failed before its fix.

Most commands run in-process through the console script's ``main`` (exit status, one
``error:`` line, no traceback); the lock and full-disk cases need real processes and, for
the full disk, a small ``tmpfs`` (skipped where ``mount`` is not allowed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "cli") not in sys.path:
    sys.path.insert(0, str(TESTS / "cli"))

from cli_support import NOW, cli_env, dump, run_cli  # noqa: E402

from momentum_app.__main__ import main as momentum_main  # noqa: E402
from momentum_app.core import backups  # noqa: E402
from momentum_app.core.catalog import Kind  # noqa: E402
from momentum_app.core.clock import FixedClock  # noqa: E402
from momentum_app.core.db import open_database  # noqa: E402
from momentum_app.core.services import Momentum  # noqa: E402


@dataclass
class Run:
    code: int
    out: str
    err: str

    def ok(self) -> str:
        assert self.code == 0, self.err
        return self.out

    def refused(self, field: str, code: int = 2) -> str:
        """Exit ``code``, one ``error: FIELD…`` line, no traceback; the line."""
        assert "Traceback" not in self.out + self.err
        assert self.code == code, (self.code, self.err)
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith(f"error: {field}"), lines[0]
        return lines[0]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> Callable[..., Run]:
    monkeypatch.setenv("MOMENTUM_NOW", NOW.isoformat())

    def run(db: Path, *args: str, now: str | None = None) -> Run:
        if now is not None:
            monkeypatch.setenv("MOMENTUM_NOW", now)
        capsys.readouterr()
        code = momentum_main(["--db", str(db), *args])
        captured = capsys.readouterr()
        monkeypatch.setenv("MOMENTUM_NOW", NOW.isoformat())
        return Run(code, captured.out, captured.err)
    return run


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def total(path: Path) -> int:
    return rows(path, "SELECT coalesce(sum(CASE WHEN entry_type = 'credit' THEN points "
                      "ELSE -points END), 0) FROM ledger")[0][0]


@contextmanager
def services(path: Path) -> Iterator[Momentum]:
    database = open_database(path)
    try:
        yield Momentum(database, FixedClock(NOW))
    finally:
        database.close()


def foreign_file(path: Path, revision: str | None) -> None:
    """Another application's SQLite file, with an ``alembic_version`` of its own."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO recipes (name) VALUES ('bread')")
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        if revision is not None:
            conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        conn.commit()
    os.chmod(path, 0o644)


def mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                           str(folder)], capture_output=True)
    return done.returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# --- 1. a database path is a path -------------------------------------------------------

ODD_NAMES = ["my?data.sqlite3", "my#data.sqlite3", "my%41.sqlite3", "with space.sqlite3",
             "ünïcødé 日本.sqlite3", "100%.sqlite3", "a?mode=ro&x=1.sqlite3"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_database_path_with_odd_characters_names_exactly_that_file(cli, tmp_path, name):
    db = tmp_path / name
    cli(db, "task", "add", "kept").ok()
    assert db.is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == \
        sorted([name, "backups"]) if (tmp_path / "backups").exists() else [name]
    assert rows(db, "SELECT title FROM tasks") == [("kept",)]
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    made = json.loads(cli(db, "--json", "backup").ok())["backup"]
    assert Path(made).is_file() and backups.check_file(Path(made)) == []


def test_a_query_string_in_the_path_never_opens_another_file(cli, tmp_path):
    other = tmp_path / "other.db"
    foreign_file(other, "0003")
    before = sha(other)
    cli(other, "task", "list").refused(str(other), code=1)
    cli(Path(f"{other}?x"), "task", "list").ok()  # a new database named "other.db?x"
    assert (tmp_path / "other.db?x").is_file()
    assert sha(other) == before
    assert not Path(f"{other}-wal").exists()


def test_a_symlinked_database_is_used_through_its_target(cli, tmp_path, db_path):
    link = tmp_path / "link.sqlite3"
    link.symlink_to(db_path)
    cli(link, "task", "add", "through the link").ok()
    made = Path(json.loads(cli(link, "--json", "backup").ok())["backup"])
    cli(link, "task", "add", "after the backup").ok()
    cli(link, "restore", str(made)).ok()
    assert link.is_symlink() and link.resolve() == db_path.resolve()
    assert [r[0] for r in rows(db_path, "SELECT title FROM tasks")][-1] == "through the link"


# --- 2. exports never overwrite what they must not ---------------------------------------


# the file each format writes into a folder given as ``--out DIR/``
DEFAULT_NAMES = {"json": f"momentum-backup-{NOW:%Y%m%d-%H%M%S}.json", "csv": "ledger.csv",
                 "ics": "momentum.ics", "todotxt": "todo.txt",
                 "taskwarrior": "taskwarrior.json",
                 "pdf": "momentum-report-2025-12-07-2026-01-05.pdf"}  # the last 30 days


def _protected_targets(db: Path, tmp_path: Path, fmt: str) -> dict[str, Path]:
    made = backups.create_backup(db)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # a folder standing exactly where the export's default file would go
    (tmp_path / "folder" / DEFAULT_NAMES[fmt]).mkdir(parents=True)
    targets = {"live-database": db, "wal": Path(f"{db}-wal"), "shm": Path(f"{db}-shm"),
               "backup": made, "backups-folder-new-file": made.parent / "new.json",
               "fifo": fifo, "folder-as-file": tmp_path / "folder" / DEFAULT_NAMES[fmt]}
    try:
        os.mknod(tmp_path / "full", stat.S_IFCHR | 0o600, os.makedev(1, 7))  # /dev/full
        targets["device"] = tmp_path / "full"
    except (PermissionError, OSError):
        pass
    return targets


@pytest.mark.parametrize("fmt", sorted(DEFAULT_NAMES))
def test_an_export_never_replaces_the_database_its_files_a_backup_or_a_special_file(
        cli, tmp_path, db_path, fmt):
    with services(db_path) as app:
        app.items.add_task("precious")
        # keep -wal/-shm present while the exports run
        targets = _protected_targets(db_path, tmp_path, fmt)
        for name, target in targets.items():
            before = sha(db_path)
            kind = os.lstat(target).st_mode if target.exists() else None
            extra = ["--table", "ledger"] if fmt == "csv" and name != "folder-as-file" else []
            out = str(target.parent) + "/" if name == "folder-as-file" else str(target)
            result = cli(db_path, "export", "--format", fmt, "--out", out, *extra)
            result.refused("out")
            assert sha(db_path) == before, name
            if kind is not None:
                assert stat.S_IFMT(os.lstat(target).st_mode) == stat.S_IFMT(kind), name
        assert backups.check_file(db_path) == []


def test_backup_out_never_replaces_the_database_its_files_a_backup_or_a_special_file(
        cli, tmp_path, db_path):
    with services(db_path) as app:
        app.items.add_task("precious")
        targets = _protected_targets(db_path, tmp_path, "json")
        del targets["folder-as-file"]  # a folder given to `backup --out` receives a new file
        for name, target in targets.items():
            before = sha(db_path)
            kind = os.lstat(target).st_mode if target.exists() else None
            cli(db_path, "backup", "--out", str(target)).refused("out")
            assert sha(db_path) == before, name
            if kind is not None:
                assert stat.S_IFMT(os.lstat(target).st_mode) == stat.S_IFMT(kind), name
        assert backups.check_file(db_path) == []


def test_backup_out_writes_across_file_systems_and_names_a_missing_folder(cli, db_path):
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(db_path.parent).st_dev:
        pytest.skip("needs a second file system (/dev/shm)")
    target = other / f"momentum-test-{os.getpid()}-{db_path.parent.name}.sqlite3"
    try:
        assert cli(db_path, "--json", "backup", "--out", str(target)).code == 0
        assert backups.check_file(target) == []
        assert not [p for p in other.iterdir() if p.name.startswith(f".{target.name}")]
    finally:
        target.unlink(missing_ok=True)
    cli(db_path, "backup", "--out", str(db_path.parent / "nowhere" / "b.sqlite3")
        ).refused("out")


@pytest.mark.parametrize("fmt, start", [("json", "{"), ("csv", "id,"), ("ics", "BEGIN:VCALENDAR")])
def test_out_dash_writes_the_export_to_standard_output(cli, db_path, fmt, start):
    with services(db_path) as app:
        app.items.add_task("on stdout", due="2026-01-09")
    result = cli(db_path, "export", "--format", fmt, "--out", "-")
    assert result.ok().startswith(start), result.out[:80]
    assert result.err == ""
    if fmt == "json":
        assert json.loads(result.out)["format"] == "momentum-backup"
    cli(db_path, "export", "--format", "pdf", "--out", "-").refused("out")


# --- 3. events cannot mint points ---------------------------------------------------------

RESERVED = ["task_completion", "goal_step_completion", "time_slot_completion",
            "goal_completion", "reversal", "reward_purchase", "reward_refund",
            "settings_changed", "achievement_defined", "report_exported"]


@pytest.mark.parametrize("event_type", RESERVED)
def test_item_and_internal_event_types_cannot_be_logged_by_hand(cli, db_path, event_type):
    with services(db_path) as app:
        task = app.items.add_task("done once")
        app.items.complete(Kind.TASK, task.id)
    before = dump(db_path)
    for meta in (["--meta", f"item_id={task.id}"], ["--meta", "item_id=99999"],
                 ["--meta", "minutes=100000"], []):
        cli(db_path, "event", event_type, *meta).refused("event_type")
    cli(db_path, "event-type", "add", event_type, "5").refused("name")
    assert dump(db_path) == before


def test_a_custom_key_cannot_take_an_item_commands_key(cli, db_path):
    """``event med --key task:1:done:1`` is med's own key (stored as ``user:…``): the
    task's completion afterwards is a real one, and its reopen reverses it."""
    cli(db_path, "event-type", "add", "med", "5").ok()
    task = json.loads(cli(db_path, "--json", "task", "add", "real work").ok())["id"]
    med = json.loads(cli(db_path, "--json", "event", "med", "--key",
                         f"task:{task}:done:1").ok())
    assert med["points_awarded"] == 5 and med["key"] == f"task:{task}:done:1"
    done = json.loads(cli(db_path, "--json", "task", "done", str(task)).ok())
    assert not done["replayed"] and done["event_type"] == "task_completion"
    assert done["event_id"] != med["event_id"]
    assert [c["points"] for c in done["credits"] if c["source"] == "task_completion"] == [10]
    assert rows(db_path, f"SELECT status FROM tasks WHERE id = {task}") == [("done",)]
    reopened = json.loads(cli(db_path, "--json", "task", "reopen", str(task)).ok())
    assert reopened["event_type"] == "reversal"
    # what is left: med's +5 and the achievements the completion earned (kept: SPEC §3)
    kept = sum(c["points"] for c in done["credits"] if c["source"] == "achievement")
    assert total(db_path) == 5 + kept
    # the reserved prefix is the custom event's own: replaying med's key stays med's
    again = json.loads(cli(db_path, "--json", "event", "med", "--key",
                           f"task:{task}:done:1").ok())
    assert again["replayed"] and again["event_id"] == med["event_id"]


def test_a_key_is_bound_to_its_event_type_and_meta(cli, db_path):
    cli(db_path, "event-type", "add", "med", "5").ok()
    cli(db_path, "event-type", "add", "run", "50").ok()
    first = json.loads(cli(db_path, "--json", "event", "med", "--key", "K",
                           "--meta", "mood=calm").ok())
    again = json.loads(cli(db_path, "--json", "event", "med", "--key", "K",
                           "--meta", "mood=calm").ok())
    assert again["replayed"] and again["key"] == first["key"] == "K"
    before = dump(db_path)
    cli(db_path, "event", "run", "--key", "K").refused("key")
    cli(db_path, "event", "med", "--key", "K", "--meta", "mood=wild").refused("key")
    assert dump(db_path) == before
    assert total(db_path) == 5


# --- 4. nobody waits on someone else's long work ------------------------------------------


@contextmanager
def write_lock_held(db: Path) -> Iterator[None]:
    """Another process's long write transaction (an import, a doctor --fix)."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=0.1)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE profiles SET name = name")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.mark.slow
def test_reading_commands_start_while_another_process_holds_the_write_lock(db_path):
    # today's backup exists already, so start-up would have nothing to write
    run_cli(db_path, "task", "add", "there").ok()
    commands = (["progress"], ["task", "list"], ["streaks"], ["doctor"])
    alone = {}
    for command in commands:  # the same commands with nobody else writing
        began = time.monotonic()
        run_cli(db_path, *command).ok()
        alone[command[0]] = time.monotonic() - began
    with write_lock_held(db_path):
        # the busy timeout is 10 s: a command that waits for the lock is 10 s slower
        for command in commands:
            began = time.monotonic()
            result = run_cli(db_path, *command)
            extra = time.monotonic() - began - alone[command[0]]
            assert result.returncode == 0, result.stderr
            assert extra < 6, f"{command} waited {extra:.1f} s for the write lock"
        # a report-only doctor reads; the one check SQLite spells as a write is skipped
        assert "search index was not checked" in result.stdout
    assert "not checked" not in run_cli(db_path, "doctor").stdout


# --- 5. errors that tell the truth --------------------------------------------------------


def test_a_failed_scheduled_backup_does_not_fail_the_command(cli, db_path):
    folder = backups.backups_folder(db_path)
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("not a folder")  # the backup cannot be written
    result = cli(db_path, "task", "add", "still saved")
    assert result.code == 0, result.err
    assert "warning: today's backup could not be made" in result.err
    assert rows(db_path, "SELECT title FROM tasks")[-1] == ("still saved",)


def test_an_empty_scheduled_backup_does_not_count_as_todays(cli, db_path):
    folder = backups.backups_folder(db_path)
    folder.mkdir(exist_ok=True)
    empty = folder / f"{db_path.stem}-scheduled-29990101-000000-000000.sqlite3"
    empty.touch()
    cli(db_path, "task", "list").ok()
    good = [b for b in backups.list_backups(db_path) if "-scheduled-" in b.path.name]
    assert good and all(b.size > 0 and backups.check_file(b.path) == [] for b in good)


@pytest.mark.slow
def test_a_full_disk_says_the_disk_is_full_and_never_suggests_a_restore(tmp_path,
                                                                      template_db):
    disk = tmp_path / "disk"
    if not mount_tmpfs(disk, "16m"):
        pytest.skip("needs root and tmpfs to fill a disk")
    try:
        db = disk / "momentum.sqlite3"
        shutil.copyfile(template_db, db)
        run_cli(db, "task", "list").ok()  # today's backup, made while there is room
        filler = disk / "filler"
        with open(filler, "wb", buffering=0) as handle:  # unbuffered: close cannot fail
            for chunk in (1 << 16, 4096, 1):  # to the last byte
                try:
                    while True:
                        handle.write(b"\0" * chunk)
                except OSError:
                    pass
        assert shutil.disk_usage(disk).free == 0
        failed = []
        for _ in range(20):  # until the WAL's own slack is used up
            result = run_cli(db, "task", "add", "x" * 400, "--notes", "n" * 4000)
            if result.returncode != 0:
                failed.append(result.stderr)
                if len(failed) == 2:  # the first failure and the one after it
                    break
        assert failed, "the disk never filled up"
        for message in failed:
            assert "disk is full" in message, message
            assert "restore" not in message, message
            assert "Traceback" not in message, message
        later = run_cli(db, "task", "list")
        assert "restore" not in later.stderr, later.stderr
        filler.unlink()
        assert backups.check_file(db) == []
        run_cli(db, "task", "add", "after freeing space").ok()
        assert run_cli(db, "--json", "doctor").json()["ok"]
    finally:
        unmount(disk)


def test_a_database_that_cannot_grow_says_the_disk_is_full_not_restore(cli, db_path):
    cli(db_path, "task", "list").ok()  # today's backup exists: start-up writes nothing
    with _full(db_path) as failures:
        for _ in range(20):
            result = cli(db_path, "task", "add", "x" * 400, "--notes", "n" * 4000)
            if result.code != 0:
                failures.append(result)
                break
    assert failures, "the file never filled up"
    line = failures[0].refused("the disk is full", code=1)
    assert "restore" not in line
    # the file is fine: nothing half-written, every check passes, writing works again
    assert backups.check_file(db_path) == []
    cli(db_path, "task", "add", "after freeing space").ok()
    assert json.loads(cli(db_path, "--json", "doctor").ok())["ok"]
    titles = [r[0] for r in rows(db_path, "SELECT title FROM tasks")]
    assert titles[-1] == "after freeing space"


@contextmanager
def _full(db: Path) -> Iterator[list[Run]]:
    """A full disk as SQLite sees it, without root or a small file system: every
    connection opened meanwhile gets ``PRAGMA max_page_count`` = the file's present size,
    so the first write that needs one more page fails with SQLITE_FULL ("database or
    disk is full"). Every connection the app writes through — the engine's and the
    command line's light path's — is set up by ``sqlite.configure``, so the limit is
    added there. Yields the list the caller collects its failed runs in."""
    from momentum_app.core import sqlite as sqlite_layer

    configure = sqlite_layer.configure

    def limited(connection: sqlite3.Connection, *, read_only: bool = False) -> None:
        configure(connection, read_only=read_only)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")

    failures: list[Run] = []
    sqlite_layer.configure = limited  # type: ignore[assignment]
    try:
        yield failures
    finally:
        sqlite_layer.configure = configure  # type: ignore[assignment]


# --- 6. restore and doctor are trustworthy ------------------------------------------------


def test_a_backup_from_a_newer_version_is_refused_before_anything_changes(cli, db_path,
                                                                          tmp_path):
    newer = tmp_path / "from-the-future.sqlite3"
    shutil.copyfile(db_path, newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    before, listed = sha(db_path), backups.list_backups(db_path)
    line = cli(db_path, "restore", str(newer)).refused("backup")
    assert "newer version" in line
    assert sha(db_path) == before and backups.list_backups(db_path) == listed


@pytest.fixture
def played(db_path: Path) -> Path:
    with services(db_path) as app:
        for title in ("one", "two", "three"):
            task = app.items.add_task(title)
            app.items.complete(Kind.TASK, task.id)
        app.items.reopen(Kind.TASK, 2)
    return db_path


def _edit(db: Path, *statements: str) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for sql in statements:
            conn.execute(sql)
        conn.commit()


def test_doctor_names_a_missing_completion_event_in_plain_words(cli, played):
    _edit(played, "DELETE FROM ledger WHERE event_id = (SELECT id FROM events WHERE key = "
                  "'task:2:done:1')",
          "DELETE FROM completions WHERE event_id = (SELECT id FROM events WHERE key = "
          "'task:2:done:1')",
          "DELETE FROM events WHERE key = 'task:2:done:1'")
    before = dump(played)
    for args in (["doctor"], ["doctor", "--fix"]):
        result = cli(played, *args)
        assert result.code == 1 and "Traceback" not in result.err, result.err
        assert "completion event that is missing" in result.out
        assert "cannot be repaired" in result.out
    assert dump(played) == before


def test_doctor_names_damaged_event_details_instead_of_crashing(cli, played):
    _edit(played, "UPDATE events SET meta = substr(meta, 1, length(meta) - 1) WHERE id = "
                  "(SELECT max(id) FROM events WHERE type = 'task_completion')")
    assert backups.check_file(played) == []  # it passes integrity_check
    result = cli(played, "doctor")
    assert result.code == 1 and result.err == "", result.err
    assert "damaged details (not valid JSON)" in result.out


@pytest.mark.parametrize("table", ["streaks", "tasks_fts", "ledger"])
def test_doctor_fix_rebuilds_a_dropped_derived_table(cli, played, table):
    expected = total(played) if table != "ledger" else None
    _edit(played, f"DROP TABLE {table}")
    report = json.loads(cli(played, "--json", "doctor").ok())
    assert any(table in p for p in report["problems"])
    fixed = json.loads(cli(played, "--json", "doctor", "--fix").ok())
    assert fixed["fixed"] and fixed["unrepaired"] == []
    assert json.loads(cli(played, "--json", "doctor").ok())["ok"]
    cli(played, "task", "add", "searchable afterwards").ok()
    assert [t["title"] for t in json.loads(cli(
        played, "--json", "task", "list", "--search", "searchable").ok())] == [
        "searchable afterwards"]
    if expected is not None:
        assert total(played) == expected


# --- 7. foreign and odd files are left alone ---------------------------------------------


@pytest.mark.parametrize("revision", ["0001", "0003", None])  # None: an empty version table
def test_another_apps_file_with_an_alembic_version_is_left_untouched(cli, tmp_path,
                                                                     revision):
    other = tmp_path / "recipes.sqlite3"
    foreign_file(other, revision)
    before = sha(other)
    for command in (["task", "list"], ["task", "add", "x"], ["backup"]):
        result = cli(other, *command)
        assert result.code in (1, 2) and "not a Momentum database" in result.err, result.err
    assert sha(other) == before
    assert stat.S_IMODE(other.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recipes.sqlite3"]


def test_an_empty_schema_version_is_refused_clearly_and_backed_up_never(cli, db_path):
    _edit(db_path, "DELETE FROM alembic_version")
    before = sha(db_path)
    listed = backups.list_backups(db_path)
    for _ in range(3):
        line = cli(db_path, "task", "list").refused(str(db_path), code=1)
        assert "empty schema version" in line
    assert sha(db_path) == before and backups.list_backups(db_path) == listed


def test_a_file_with_nothing_but_an_empty_version_table_becomes_a_new_database(cli,
                                                                               tmp_path):
    bare = tmp_path / "bare.sqlite3"
    with closing(sqlite3.connect(bare)) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.commit()
    cli(bare, "task", "add", "first").ok()
    assert rows(bare, "SELECT title FROM tasks") == [("first",)]
    assert backups.check_file(bare) == []


def test_an_owner_made_read_only_database_is_read_but_never_written(cli, db_path):
    cli(db_path, "task", "add", "readable").ok()
    # checkpoint, so the file alone holds everything
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.chmod(db_path, 0o444)
    before = sha(db_path)
    listing = cli(db_path, "task", "list")
    assert "readable" in listing.ok()
    assert "read-only" in listing.err
    added = cli(db_path, "task", "add", "never written")
    assert added.code == 1 and "read-only" in added.err and "Traceback" not in added.err
    assert sha(db_path) == before
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o444
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()


@pytest.mark.slow
def test_a_database_in_a_read_only_folder_can_be_read(tmp_path, db_path):
    source = tmp_path / "source"
    source.mkdir()
    shutil.copyfile(db_path, source / "momentum.sqlite3")
    run_cli(source / "momentum.sqlite3", "task", "add", "in a read-only folder").ok()
    with closing(sqlite3.connect(source / "momentum.sqlite3")) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for leftover in source.glob("momentum.sqlite3-*"):
        leftover.unlink()
    view = tmp_path / "view"
    view.mkdir()
    bound = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip("needs root to make a read-only mount")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        result = run_cli(view / "momentum.sqlite3", "task", "list")
        assert result.returncode == 0, result.stderr
        assert "in a read-only folder" in result.stdout
        refused = run_cli(view / "momentum.sqlite3", "task", "add", "x")
        assert refused.returncode == 1 and "read-only" in refused.stderr
    finally:
        unmount(view)


# --- 8. bad input stays bad input ---------------------------------------------------------

INVISIBLE_TITLES = ["\u200e\u200f", "\u202e", "\u2066\u2067\u2068\u2069", "\u061c",
                    "\u3164", "\u115f", "\uffa0", "\u2800", "\u200b \u2060", "\u3000"]


@pytest.mark.parametrize("title", INVISIBLE_TITLES, ids=lambda t: "+".join(
    f"U{ord(c):04X}" for c in t))
def test_a_title_of_invisible_characters_only_is_refused(cli, db_path, title):
    before = dump(db_path)
    cli(db_path, "task", "add", title).refused("title")
    cli(db_path, "project", "add", title).refused("name")
    assert dump(db_path) == before


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_line_separator_never_breaks_a_list_line(cli, db_path, separator):
    cli(db_path, "task", "add", f"one{separator}two").refused("title")
    cli(db_path, "task", "add", "visible \u202eright-to-left").ok()  # inside text: kept


def test_a_step_without_a_goal_is_bad_input(cli, db_path):
    cli(db_path, "goal", "step", "add", "", "title").refused("goal")


@pytest.mark.parametrize("now", ["0001-01-01T00:00+01:00", "9999-12-31T23:00:00Z",
                                 "1000-01-01T00:00:00Z"])
def test_momentum_now_at_the_ends_of_the_calendar_is_bad_input(cli, db_path, now):
    before = dump(db_path)
    cli(db_path, "progress", now=now).refused("MOMENTUM_NOW")
    cli(db_path, "task", "add", "x", now=now).refused("MOMENTUM_NOW")
    assert dump(db_path) == before


def test_a_repeat_rule_that_never_occurs_is_refused_in_bounded_time(cli, db_path):
    before = dump(db_path)
    for rule in ("FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
                 "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31"):
        began = time.monotonic()
        cli(db_path, "task", "add", "never", "--repeat", rule).refused("repeat")
        assert time.monotonic() - began < 3, rule
    assert dump(db_path) == before
    cli(db_path, "task", "add", "leap day", "--repeat", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29").ok()


def test_an_ics_duration_beyond_the_calendar_is_skipped_not_a_crash(cli, db_path, tmp_path):
    ics = tmp_path / "long.ics"
    ics.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:x\r\n"
                   "DTSTART:20260105T100000Z\r\nDURATION:P999999999D\r\nEND:VEVENT\r\n"
                   "END:VCALENDAR\r\n")
    result = cli(db_path, "import", "--format", "ics", str(ics))
    assert result.code == 0, result.err
    assert "longer than 7 days" in result.out


def test_a_6_mb_ics_of_folded_lines_is_refused_in_bounded_time(cli, db_path, tmp_path):
    ics = tmp_path / "folded.ics"
    fold = "x" * 74
    ics.write_text("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VTODO", "UID:1",
                                "SUMMARY:" + fold] + [" " + fold] * 80_000
                               + ["END:VTODO", "END:VCALENDAR", ""]))
    assert ics.stat().st_size > 6_000_000
    before = dump(db_path)
    began = time.monotonic()
    cli(db_path, "import", "--format", "ics", str(ics)).refused("line 3")
    assert time.monotonic() - began < 15
    assert dump(db_path) == before


@pytest.mark.parametrize("key, value", [("days_off", 5), ("vacations", [1]),
                                        ("day_start_hour", "x"), ("timezone", "Mars/Base")])
def test_a_json_backup_with_malformed_settings_is_bad_input(cli, db_path, tmp_path, key,
                                                            value):
    backup = tmp_path / "backup.json"
    cli(db_path, "export", "--format", "json", "--out", str(backup)).ok()
    document = json.loads(backup.read_text())
    events = document["profiles"][0]["events"]
    settings = next(e for e in events if e["type"] == "settings_changed")
    settings["meta"][key] = value
    backup.write_text(json.dumps(document))
    target = tmp_path / "fresh.sqlite3"
    cli(target, "task", "list").ok()
    before = dump(target)
    result = cli(target, "import", "--format", "json", str(backup))
    assert result.code == 2 and "Traceback" not in result.err, result.err
    assert len(result.err.splitlines()) == 1
    assert dump(target) == before


# --- 9. one clock -------------------------------------------------------------------------


def test_a_new_database_is_stamped_with_the_injected_clock(cli, tmp_path):
    db = tmp_path / "new.sqlite3"
    cli(db, "task", "list", now="2020-01-01T00:00:00Z").ok()
    assert rows(db, "SELECT created_at FROM profiles") == [("2020-01-01 00:00:00.000000",)]
    assert rows(db, "SELECT created_at FROM projects") == [("2020-01-01 00:00:00.000000",)]
    assert rows(db, "SELECT type, occurred_at, processed_at FROM events") == [
        ("settings_changed", "2020-01-01 00:00:00.000000", "2020-01-01 00:00:00.000000")]


@pytest.mark.gui
def test_the_window_stamps_a_new_database_with_its_injected_clock(qtbot, tmp_path,
                                                                  monkeypatch):
    from momentum_app.gui.app import start_gui  # noqa: PLC0415 (Qt only here)
    from momentum_app.gui.settings import settings_at  # noqa: PLC0415

    monkeypatch.delenv("MOMENTUM_NOW", raising=False)
    db = tmp_path / "new.sqlite3"
    clock = FixedClock(datetime(2020, 1, 1, tzinfo=UTC))
    started = start_gui(str(db), None, False, settings=settings_at(tmp_path / "ui.ini"),
                        clock=clock)
    assert not isinstance(started, int)
    try:
        assert started.momentum.clock is clock
    finally:
        started.close()
    assert rows(db, "SELECT created_at FROM profiles") == [("2020-01-01 00:00:00.000000",)]
    assert rows(db, "SELECT created_at FROM projects") == [("2020-01-01 00:00:00.000000",)]
    assert rows(db, "SELECT type, occurred_at FROM events") == [
        ("settings_changed", "2020-01-01 00:00:00.000000")]


# --- 10. crash leftovers are cleaned up at the next start ---------------------------------


def test_crash_leftovers_are_removed_at_the_next_start(cli, db_path):
    good = backups.create_backup(db_path)
    folder = good.parent
    stem = db_path.stem
    partial_restore = folder / f"{stem}-before-restore-20260105-120000-000000.sqlite3"
    partial_restore.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 3])
    # (stamped an hour before the injected now: the start's own scheduled backup is
    # named after the injected clock and must not be taken for this leftover)
    empty_scheduled = folder / f"{stem}-scheduled-20260105-110000-000000.sqlite3"
    empty_scheduled.touch()
    debris = [partial_restore, empty_scheduled,
              folder / f".{stem}-scheduled-20260105-130000-000000.sqlite3.partial",
              folder / f".{stem}-scheduled-20260105-130000-000000.sqlite3.partial-journal",
              Path(f"{partial_restore}-journal"), Path(f"{good}-wal"), Path(f"{good}-shm"),
              db_path.with_name(f".{db_path.name}.restore-tmp")]
    for path in debris[2:]:
        path.write_bytes(b"left by a crash")
    own = folder / f"{stem}-manual-20260101-000000-000000.sqlite3"
    own.write_bytes(b"a person's own file: never removed")
    cli(db_path, "task", "list").ok()
    assert [p.name for p in debris if p.exists()] == []
    assert good.exists() and backups.check_file(good) == []
    assert own.exists()
