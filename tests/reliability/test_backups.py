"""Backups, restore and repair (SPEC §10, CONVENTIONS "Data safety"): every promise of
``core/backups.py``, ``core/sqlite.py`` and ``momentum doctor`` on real files.

* a backup is made with SQLite's backup API, so it holds what is still only in the WAL;
* rotation keeps the newest N of a kind; the daily scheduled backup is made once a day;
* a file that fails its integrity check is never backed up, so it cannot rotate good
  backups out;
* a restore refuses a bad backup (database untouched), makes a pre-restore backup, and
  replaces the database by one atomic rename of a checked copy;
* a corrupted database at start-up: exit 1, a message naming the latest good backup, the
  file byte-identical;
* ``momentum doctor`` runs the integrity and foreign-key checks and the rebuild
  comparison; after ``--fix`` a second run finds nothing;
* database, WAL, SHM and backups are 0600, the backups folder 0700.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "cli") not in sys.path:
    sys.path.insert(0, str(TESTS / "cli"))

from cli_support import NOW, WORKERS, dump, run_cli  # noqa: E402

from momentum_app.__main__ import main as momentum_main  # noqa: E402
from momentum_app.core import backups  # noqa: E402
from momentum_app.core.catalog import Kind  # noqa: E402
from momentum_app.core.clock import FixedClock  # noqa: E402
from momentum_app.core.db import open_database  # noqa: E402
from momentum_app.core.errors import DatabaseRefused, ValidationError  # noqa: E402
from momentum_app.core.services import Momentum  # noqa: E402

UTC = timezone.utc



# --- helpers ------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir()
                  if p.name != path.name and p.name.startswith(path.name))


def query(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def main_file_only(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read the main database file alone, ignoring its WAL (what a plain copy would hold)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


@contextmanager
def services(path: Path) -> Iterator[Momentum]:
    database = open_database(path)
    try:
        yield Momentum(database, FixedClock(NOW))
    finally:
        database.close()


def titles(path: Path) -> list[str]:
    return [row[0] for row in query(path, "SELECT title FROM tasks ORDER BY id")]


def flip_a_data_page(path: Path) -> None:
    """Invert (up to) 64 bytes of cell content of the tasks table's root page, within that
    page: the header and the schema still read, ``integrity_check`` does not pass."""
    rootpage = main_file_only(path, "SELECT rootpage FROM sqlite_master WHERE name = 'tasks'")
    page_size = main_file_only(path, "PRAGMA page_size")[0][0]
    data = bytearray(path.read_bytes())
    page = (rootpage[0][0] - 1) * page_size
    content = int.from_bytes(data[page + 5:page + 7], "big")  # b-tree header: cell area
    start, end = page + content, min(page + content + 64, page + page_size)
    data[start:end] = bytes(b ^ 0xFF for b in data[start:end])
    path.write_bytes(bytes(data))
    assert backups.check_file(path), "test set-up: the flipped page must fail the check"
    for suffix in ("-wal", "-shm"):  # check_file's read-only look may leave these behind
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def truncate_to_half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])


def truncate_mid_page(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2 + 1234])


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two weeks of tasks (some done, one reopened), a goal, a slot: several pages."""
    path = tmp_path_factory.mktemp("backups") / "template.sqlite3"
    database = open_database(path)
    try:
        clock = FixedClock(NOW - timedelta(days=14))
        app = Momentum(database, clock)
        app.profiles.update(timezone="Europe/Paris")
        app.projects.add("Work")
        for day in range(14):
            for n in range(3):
                task = app.items.add_task(f"Day {day} task {n} " + "·" * 60, project="Work",
                                          complexity=1 + n)
                if n < 2:
                    app.items.complete(Kind.TASK, task.id)
            clock.advance(timedelta(days=1))
        app.items.reopen(Kind.TASK, 1)
        goal = app.items.add_goal("Goal", project="Work")
        app.items.complete(Kind.STEP, app.items.add_step(goal.id, "Step").id)
        slot = app.items.add_slot("Focus", NOW - timedelta(hours=3), NOW - timedelta(hours=1))
        app.items.complete(Kind.SLOT, slot.id)
    finally:
        database.close()
    assert side_files(path) == []
    return path


@pytest.fixture
def db(filled_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "momentum.sqlite3"
    shutil.copyfile(filled_template, target)
    return target


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.returncode == 0, self.stderr
        return json.loads(self.stdout)


@pytest.fixture
def cli_main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
             ) -> Callable[..., Outcome]:
    """``momentum --db DB ARGS`` in-process (the console script's ``main``)."""
    monkeypatch.setenv("MOMENTUM_NOW", NOW.isoformat())

    def run(path: Path, *args: str) -> Outcome:
        capsys.readouterr()
        code = momentum_main(["--db", str(path), *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)
    return run


# --- making backups ----------------------------------------------------------------------


def test_a_backup_holds_what_is_still_only_in_the_wal(db):
    database = open_database(db)  # kept open, like the window: nothing is checkpointed
    try:
        app = Momentum(database, FixedClock(NOW))
        app.items.add_task("Only in the WAL")
        assert "Only in the WAL" not in [r[0] for r in main_file_only(
            db, "SELECT title FROM tasks")], "test set-up: the row must be in the WAL only"
        made = backups.create_backup(db)
    finally:
        database.close()
    assert titles(made)[-1] == "Only in the WAL"
    assert dump(made) == dump(db)
    assert backups.check_file(made) == []
    assert query(made, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert side_files(made) == []


def test_rotation_keeps_the_newest_backups_of_each_kind(db):
    scheduled = backups.maybe_scheduled_backup(db)
    made = [backups.create_backup(db, keep=3) for _ in range(5)]
    kept = [info.path for info in backups.list_backups(db)]
    assert sorted(p for p in kept if "-manual-" in p.name) == sorted(made[-3:])
    assert scheduled in kept  # another kind's rotation leaves it alone
    assert all(backups.check_file(path) == [] for path in kept)


def test_the_scheduled_backup_is_made_once_a_day_and_seven_are_kept(db):
    now = datetime.now(UTC)
    first = backups.maybe_scheduled_backup(db, now)
    assert first is not None
    assert backups.maybe_scheduled_backup(db, now + timedelta(hours=23)) is None
    made = [first]
    for day in range(1, 10):
        later = backups.maybe_scheduled_backup(db, now + timedelta(days=day, minutes=1))
        assert later is not None
        made.append(later)
    kept = sorted(info.path for info in backups.list_backups(db))
    assert kept == sorted(made[-backups.DEFAULT_KEEP:])


def test_the_daily_backup_checks_the_file_once(db, monkeypatch):
    """The first start of a day waits for this check (integrity and foreign keys of the
    whole file: 75 s at load 14 for 1M tasks, docs/BENCHMARKS.md §4a); it ran twice, once
    before deciding and once more inside ``create_backup``, on the same file."""
    checked: list[Path] = []
    real = backups.check_file

    def counted(path: Path) -> list[str]:
        checked.append(path)
        return real(path)

    monkeypatch.setattr(backups, "check_file", counted)
    made = backups.maybe_scheduled_backup(db)
    assert made is not None and dump(made) == dump(db)
    assert checked == [db]
    backups.create_backup(db)  # a backup asked for by name checks the file itself
    assert checked == [db, db]


def test_opening_makes_the_daily_backup_and_a_new_database_gets_none(db, tmp_path):
    open_database(db, scheduled_backup=True).close()
    [made] = backups.list_backups(db)
    assert "-scheduled-" in made.path.name and dump(made.path) == dump(db)
    fresh = tmp_path / "fresh" / "new.sqlite3"
    open_database(fresh, scheduled_backup=True).close()
    assert backups.list_backups(fresh) == []


def test_a_corrupt_database_is_never_backed_up_so_good_backups_survive(db, cli_main):
    good = [backups.create_backup(db, keep=3) for _ in range(3)]
    fingerprints = {path: sha256(path) for path in good}
    flip_a_data_page(db)

    with pytest.raises(DatabaseRefused, match="integrity check"):
        backups.create_backup(db, keep=3)
    # The daily check refuses the damaged file (pointing at the latest good backup).
    with pytest.raises(DatabaseRefused, match="latest good backup"):
        backups.maybe_scheduled_backup(db, datetime.now(UTC) + timedelta(days=2))
    result = cli_main(db, "backup")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "fails its integrity check" in result.stderr and "no backup was made" in result.stderr

    assert {p.path: sha256(p.path) for p in backups.list_backups(db)} == fingerprints
    assert backups.latest_good_backup(db).path == good[-1]


def test_refusing_to_back_up_a_corrupt_file_leaves_nothing_beside_it(db):
    flip_a_data_page(db)
    with pytest.raises(DatabaseRefused):
        backups.create_backup(db)
    assert side_files(db) == []


def test_the_latest_good_backup_skips_newer_broken_ones(db):
    good = backups.create_backup(db)
    broken = good.with_name(good.name.replace("-manual-", "-manual-broken-"))
    shutil.copyfile(good, broken)
    truncate_to_half(broken)
    later = datetime.now().timestamp() + 60
    os.utime(broken, (later, later))
    assert backups.list_backups(db)[0].path == broken
    assert backups.latest_good_backup(db).path == good


# --- restoring -----------------------------------------------------------------------------


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _foreign_sqlite(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()


BAD_BACKUPS: list[tuple[str, Callable[[Path], None]]] = [
    ("missing", lambda path: path.unlink()),
    ("a-folder", lambda path: (path.unlink(), path.mkdir())),
    ("empty-file", lambda path: path.write_bytes(b"")),
    ("random-bytes", _random_bytes),
    ("truncated-to-half", truncate_to_half),
    ("truncated-mid-page", truncate_mid_page),
    ("a-flipped-data-page", flip_a_data_page),
    ("another-apps-sqlite", lambda path: (path.unlink(), _foreign_sqlite(path))),
]


@pytest.mark.parametrize("spoil", [pytest.param(s, id=name) for name, s in BAD_BACKUPS])
def test_a_bad_backup_is_refused_and_the_database_untouched(db, cli_main, spoil):
    backup = backups.create_backup(db, label="spoilt")
    spoil(backup)
    before, backups_before = sha256(db), sorted(backups.backups_folder(db).iterdir())
    with pytest.raises(ValidationError) as info:
        backups.restore_backup(backup, db)
    assert info.value.field == "backup"
    result = cli_main(db, "restore", str(backup))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: backup: ") and result.stderr.count("\n") == 1
    assert sha256(db) == before
    assert side_files(db) == []
    assert sorted(backups.backups_folder(db).iterdir()) == backups_before  # no pre-restore
    assert sorted(p.name for p in db.parent.iterdir()) == [backups.backups_folder(db).name,
                                                            db.name]  # no temporary file


def test_a_restore_brings_back_the_backups_data_and_keeps_a_pre_restore_backup(db, cli_main):
    saved = cli_main(db, "--json", "backup").json()["backup"]
    saved_dump = dump(Path(saved))
    with services(db) as app:
        app.items.add_task("Added after the backup")
        app.items.complete(Kind.TASK, 3)
    current = dump(db)

    restored = cli_main(db, "--json", "restore", saved).json()
    assert restored["restored"] == str(db)
    # (checked first: the read-only reads below open a WAL file's -wal and -shm)
    assert side_files(db) == []

    def data(lines: list[str]) -> list[str]:
        return [line for line in lines if '"undo_entries"' not in line]
    assert data(dump(db)) == data(saved_dump)
    # The history starts again with the restore, which `momentum undo` explains
    # (tests/io/test_json_backup_undo.py): one mark per profile, nothing else.
    marks = [line for line in dump(db) if line.startswith('INSERT INTO "undo_entries"')]
    assert marks and all('"op": "database_restored"' in line for line in marks)
    assert "Added after the backup" not in titles(db)
    [pre_restore] = [b.path for b in backups.list_backups(db) if "-before-restore-" in b.path.name]
    assert dump(pre_restore) == current  # the restore itself can be undone
    with services(db) as app:  # the restored file is a working database
        assert app.doctor.run().ok
        app.items.add_task("Written after the restore")
    assert titles(db)[-1] == "Written after the restore"


def test_a_restore_changes_the_database_only_by_one_atomic_rename(db, monkeypatch):
    backup = backups.create_backup(db)
    with services(db) as app:
        app.items.add_task("Not in the backup")
    before, inode = sha256(db), db.stat().st_ino
    expected = dump(backup)
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def watching_replace(source: Any, target: Any) -> None:
        if Path(target) != db:  # the pre-restore backup, renamed once complete
            real_replace(source, target)
            return
        # Up to the rename the database is exactly as it was, and what is about to replace
        # it is a complete, checked copy of the backup.
        assert sha256(db) == before
        assert backups.check_file(Path(source)) == []
        assert dump(Path(source)) == expected
        renames.append((Path(source).name, Path(target).name))
        real_replace(source, target)

    monkeypatch.setattr(backups.os, "replace", watching_replace)
    backups.restore_backup(backup, db)
    assert renames == [(f".{db.name}.restore-tmp", db.name)]
    assert db.stat().st_ino != inode and dump(db) == expected


def test_a_restore_that_fails_before_the_rename_leaves_the_database_as_it_was(db, monkeypatch):
    backup = backups.create_backup(db)
    with services(db) as app:
        app.items.add_task("Not in the backup")
    before = sha256(db)

    def power_cut(source: Any, target: Any) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(backups.os, "replace", power_cut)
    with pytest.raises(OSError):
        backups.restore_backup(backup, db)
    assert sha256(db) == before
    monkeypatch.undo()
    backups.restore_backup(backup, db)  # a later attempt still works
    assert dump(db) == dump(backup)


def test_a_restore_is_refused_while_the_database_is_open(db):
    backup = backups.create_backup(db)
    database = open_database(db)  # the window is running
    try:
        app = Momentum(database, FixedClock(NOW))
        app.items.add_task("Written by the running window")
        before = sha256(db)
        with pytest.raises((DatabaseRefused, ValidationError)):
            backups.restore_backup(backup, db)
        assert sha256(db) == before
    finally:
        database.close()


# --- a corrupted database at start-up (the real CLI) ----------------------------------------

START_UP_CASES: list[tuple[Any, ...]] = [
    ("truncated-to-half", truncate_to_half, ["task", "list"]),
    ("truncated-mid-page", truncate_mid_page, ["task", "add", "never written"]),
    ("flipped-data-page-read", flip_a_data_page, ["task", "list"]),
    ("flipped-data-page-write", flip_a_data_page, ["task", "add", "never written"]),
]


@dataclass
class StartUp:
    db: Path
    good: Path
    result: Any
    sha_before: str
    sha_after: str
    side_files: list[str]
    backups_before: list[Path]
    backups_after: list[Path]


def _start_up(template: Path, folder: Path, spoil: Callable[[Path], None],
              argv: list[str]) -> StartUp:
    folder.mkdir(parents=True)
    db = folder / "momentum.sqlite3"
    shutil.copyfile(template, db)
    good = backups.create_backup(db)
    newer_broken = good.with_name(good.name.replace("-manual-", "-manual-zz-"))
    shutil.copyfile(good, newer_broken)
    truncate_to_half(newer_broken)  # the newest backup is broken: it must not be named
    later = datetime.now().timestamp() + 60
    os.utime(newer_broken, (later, later))
    spoil(db)
    before = sha256(db)
    listed = sorted(backups.backups_folder(db).iterdir())
    result = run_cli(db, *argv)
    return StartUp(db, good, result, before, sha256(db), side_files(db), listed,
                   sorted(backups.backups_folder(db).iterdir()))


@pytest.fixture(scope="module")
def start_ups(filled_template: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, StartUp]:
    folder = tmp_path_factory.mktemp("start-up")
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {case[0]: pool.submit(_start_up, filled_template, folder / case[0], case[1],
                                        case[2]) for case in START_UP_CASES}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param(case[0], id=case[0], marks=case[3:])
                                  for case in START_UP_CASES])
def test_a_corrupt_database_at_start_up_names_the_latest_good_backup_and_stays_identical(
        start_ups, name):
    run = start_ups[name]
    assert "Traceback" not in run.result.stderr
    assert run.result.returncode == 1, run.result.stderr
    lines = run.result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.result.stderr
    assert str(run.db) in lines[0]
    assert f"momentum restore {run.good}" in lines[0], lines[0]
    assert run.sha_after == run.sha_before, "the corrupt file was changed"
    assert run.side_files == []
    assert run.backups_after == run.backups_before  # and no backup of the broken file


# --- momentum doctor ----------------------------------------------------------------------


def _tamper(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def test_doctor_finds_nothing_on_a_sound_database(db, cli_main):
    events = query(db, "SELECT count(*) FROM events")[0][0]
    report = cli_main(db, "--json", "doctor").json()
    assert report == {"ok": True, "integrity": [], "differences": {},
                      "events_replayed": events, "fixed": False, "problems": [], "unrepaired": []}


def test_doctor_reports_rebuilt_differences_then_fixes_them_and_a_second_run_is_clean(
        db, cli_main):
    _tamper(db,
            "DELETE FROM ledger WHERE id = (SELECT max(id) FROM ledger WHERE source = "
            "'first_task_of_day')",
            "UPDATE counters SET value = value + 7 WHERE name = 'points_total'",
            "UPDATE streaks SET current = 99, longest = 99 WHERE type = 'daily_activity'",
            "UPDATE day_stats SET points = points - 5 WHERE day = (SELECT max(day) FROM "
            "day_stats)")
    tampered = dump(db)
    report = cli_main(db, "--json", "doctor").json()
    assert not report["ok"] and not report["fixed"] and report["integrity"] == []
    assert set(report["differences"]) >= {"ledger", "counters", "streaks", "day_stats"}
    assert dump(db) == tampered  # without --fix nothing is written

    fixed = cli_main(db, "--json", "doctor", "--fix").json()
    assert fixed["fixed"] and fixed["differences"] == report["differences"]
    again = cli_main(db, "--json", "doctor", "--fix").json()
    assert again == {"ok": True, "integrity": [], "differences": {},
                     "events_replayed": report["events_replayed"], "fixed": False, "problems": [], "unrepaired": []}
    with services(db) as app:
        ledger = sum(r.signed_points for r in app.reads.history(limit=None))
        assert app.reads.progress().total_points == ledger
        activity = [s for s in app.reads.streaks() if s.type == "daily_activity"]
        assert activity[0].longest < 99


def test_doctor_finds_a_stale_search_index_and_rebuilds_it(db, cli_main):
    """The FTS5 index is kept by triggers; a file edited without them is caught."""
    _tamper(db, "DROP TRIGGER tasks_fts_after_update",
            "UPDATE tasks SET title = 'Quarterly zebra census' WHERE id = 2",
            "CREATE TRIGGER tasks_fts_after_update AFTER UPDATE OF title, notes ON tasks "
            "BEGIN INSERT INTO tasks_fts (tasks_fts, rowid, title, notes) "
            "VALUES ('delete', old.id, old.title, old.notes); "
            "INSERT INTO tasks_fts (rowid, title, notes) VALUES (new.id, new.title, new.notes);"
            " END")
    tampered = dump(db)
    report = cli_main(db, "--json", "doctor").json()
    assert not report["ok"] and report["differences"] == {"tasks_fts": {"stale": 1}}
    assert dump(db) == tampered  # without --fix nothing is written
    text = cli_main(db, "doctor").stdout
    assert "tasks_fts: the task search index does not match the tasks" in text
    fixed = cli_main(db, "--json", "doctor", "--fix").json()
    assert fixed["fixed"] and fixed["differences"] == {"tasks_fts": {"stale": 1}}
    assert cli_main(db, "--json", "doctor").json()["ok"]
    with services(db) as app:
        assert [t.id for t in app.items.list_tasks(search="ZEBRA CENSUS",
                                                   include_deleted=True)] == [2]


def test_doctor_runs_the_foreign_key_check_and_exits_1(db, cli_main):
    _tamper(db, "UPDATE tasks SET project_id = 4242 WHERE id = 2")
    result = cli_main(db, "--json", "doctor")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert not report["ok"]
    assert any(p.startswith("foreign key: table tasks") for p in report["integrity"])
    text = cli_main(db, "doctor")
    assert text.returncode == 1 and "integrity: foreign key: table tasks" in text.stdout


# --- file modes -------------------------------------------------------------------------


def test_database_wal_shm_and_backups_are_private(tmp_path, cli_main):
    folder = tmp_path / "data"
    path = folder / "momentum.sqlite3"
    with umask(0o022):  # a umask that would leave new files world-readable
        (folder / "backups").mkdir(parents=True, mode=0o755)
        database = open_database(path)
        try:
            Momentum(database, FixedClock(NOW)).items.add_task("private")
            live = {p.name: mode(p) for p in folder.iterdir() if p.is_file()}
            made = backups.create_backup(path)
        finally:
            database.close()
        scheduled = backups.maybe_scheduled_backup(path)
        exported = folder / "elsewhere"
        exported.mkdir()
        out = Path(cli_main(path, "--json", "backup", "--out", str(exported)).json()["backup"])
        assert cli_main(path, "restore", str(made)).returncode == 0
        [pre_restore] = [b.path for b in backups.list_backups(path)
                         if "-before-restore-" in b.path.name]
    assert live == {"momentum.sqlite3": 0o600, "momentum.sqlite3-wal": 0o600,
                    "momentum.sqlite3-shm": 0o600,
                    ".momentum.sqlite3.in-use": 0o600}  # the lock a restore waits for
    assert mode(folder / "backups") == 0o700
    assert {p.name: mode(p) for p in (made, scheduled, out, pre_restore)} == {
        p.name: 0o600 for p in (made, scheduled, out, pre_restore)}
    assert mode(path) == 0o600  # the restored file too


def test_the_error_log_is_private(db, cli_main, monkeypatch):
    from momentum_app import cli

    def a_bug(*_args: object) -> None:
        raise RuntimeError("a bug, quoting the title 'Call the doctor about my results'")

    monkeypatch.setattr(cli, "cmd_progress", a_bug)
    with umask(0o022):
        result = cli_main(db, "progress")
    log = db.parent / "momentum-error.log"
    assert result.returncode == 1 and "internal error" in result.stderr and log.exists()
    assert mode(log) == 0o600
