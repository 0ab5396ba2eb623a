"""The one clock (issue 15, item 6): every time a user sees — an imported task's dates, a
backup's file name, the default profile's stamp, the task table's "today" — follows the
injected clock (``MOMENTUM_NOW`` / a ``FixedClock``), never the machine's.

The fixed instant is years away from the machine's clock, so a hidden ``datetime.now()``
anywhere on these paths makes a test fail.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from momentum_app.core import backups
from momentum_app.core.clock import FixedClock, zone
from momentum_app.core.db import open_database
from momentum_app.core.imports import PARSERS, import_text
from momentum_app.core.imports.ics import parse_ics
from momentum_app.core.imports.taskwarrior import parse_taskwarrior
from momentum_app.core.services import Momentum

PACKAGE = Path(__file__).resolve().parents[2] / "momentum_app"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXED = datetime(2031, 4, 5, 6, 7, 8, 90000, tzinfo=UTC)
#: A backup's name carries the fixed instant in this machine's local time.
STAMP = f"{FIXED.astimezone():%Y%m%d-%H%M%S-%f}"

TW_DELETED = '[{"description": "Gone", "status": "deleted"}]'
TW_SERIES = ('[{"description": "Water", "status": "recurring", "recur": "weekly",'
             ' "uuid": "a0000000-0000-4000-8000-000000000001"}]')
ICS_CANCELLED = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VTODO\r\n"
                 "UID:x1\r\nSUMMARY:Gone\r\nSTATUS:CANCELLED\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")


# --- the import parsers are handed "now" ------------------------------------------------


def test_a_taskwarrior_deletion_without_dates_is_stamped_now() -> None:
    [record] = parse_taskwarrior(TW_DELETED, "UTC", now=FIXED).tasks
    assert record.deleted_at == FIXED


def test_a_taskwarrior_series_without_dates_starts_on_nows_day() -> None:
    [record] = parse_taskwarrior(TW_SERIES, "Pacific/Auckland", now=FIXED).tasks
    assert record.due == FIXED.astimezone(zone("Pacific/Auckland")).date()


def test_a_cancelled_ics_todo_without_dates_is_stamped_now() -> None:
    [record] = parse_ics(ICS_CANCELLED, "UTC", now=FIXED).tasks
    assert record.deleted_at == FIXED


def test_every_registered_parser_takes_now() -> None:
    for parse in PARSERS.values():
        with pytest.raises(TypeError, match="now"):
            parse("", "UTC")  # type: ignore[call-arg]


def test_an_import_through_the_services_uses_the_apps_clock(database) -> None:
    app = Momentum(database, FixedClock(FIXED))
    app.profiles.update(timezone="UTC", day_start_hour=0)
    import_text(app, "taskwarrior", TW_SERIES)
    [task] = app.items.list_tasks()
    assert task.title == "Water" and task.due == FIXED.date()


# --- backups are named after the injected clock -----------------------------------------


def test_a_backup_is_named_after_the_clock_and_never_overwrites_one(db_path: Path) -> None:
    clock = FixedClock(FIXED)
    first = backups.create_backup(db_path, clock=clock)
    second = backups.create_backup(db_path, clock=clock)  # same instant: a new name
    assert first.name == f"{db_path.stem}-manual-{STAMP}.sqlite3"
    assert second.name == f"{db_path.stem}-manual-{STAMP}-2.sqlite3"
    assert first.is_file() and second.is_file()
    outside = db_path.parent / "elsewhere"
    outside.mkdir()
    assert backups.create_backup(db_path, target=outside, clock=clock).name == first.name


def test_the_daily_backup_and_a_restores_safety_copy_follow_the_clock(db_path: Path) -> None:
    clock = FixedClock(FIXED)
    open_database(db_path, scheduled_backup=True, clock=clock).close()
    [scheduled] = backups.list_backups(db_path)
    assert scheduled.path.name == f"{db_path.stem}-scheduled-{STAMP}.sqlite3"
    backups.restore_backup(scheduled.path, db_path, clock=clock)
    names = {b.path.name for b in backups.list_backups(db_path)}
    assert f"{db_path.stem}-before-restore-{STAMP}.sqlite3" in names


def test_an_upgrades_safety_copy_follows_the_clock(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "schema-0008_sync.sqlite3", old)
    database = open_database(old, clock=FixedClock(FIXED))
    try:
        assert database.backup_made is not None
        assert database.backup_made.name == f"old-before-0008_sync-{STAMP}.sqlite3"
    finally:
        database.close()


def test_momentum_backup_on_the_command_line_follows_momentum_now(db_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOMENTUM_")}
    env.update(MOMENTUM_NOW=FIXED.isoformat(), TZ="UTC", QT_QPA_PLATFORM="offscreen")
    made = []
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "momentum_app", "--db", str(db_path),
                                 "--json", "backup"], capture_output=True, text=True,
                                env=env, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        made.append(Path(result.stdout.split('"backup": "')[1].split('"')[0]).name)
    utc_stamp = f"{FIXED:%Y%m%d-%H%M%S-%f}"
    assert made == [f"{db_path.stem}-manual-{utc_stamp}.sqlite3",
                    f"{db_path.stem}-manual-{utc_stamp}-2.sqlite3"]


# --- the window's task table ------------------------------------


@pytest.mark.gui
def test_the_task_table_starts_on_the_clocks_day(qapp, database, tmp_path: Path) -> None:
    from momentum_app.gui.app import compose
    from momentum_app.gui.settings import settings_at
    from momentum_app.gui.views.tasks import TasksView

    composition = compose(database, FixedClock(FIXED), animations=False,
                          settings=settings_at(tmp_path / "ui.ini"))
    try:
        view = TasksView(composition.ctx)  # before its first load sets the calendar
        assert view.model._today == composition.ctx.today() == FIXED.date()
        view.deleteLater()
    finally:
        composition.close()
        composition.window.deleteLater()


# --- nothing else reads the machine's clock ---------------------------------------------

#: Calls that read the wall clock; only ``core/clock.py`` (``SystemClock``) may make them.
WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
              ("date", "today"), ("time", "time"), ("time", "localtime"),
              ("QDateTime", "currentDateTime"), ("QDate", "currentDate"),
              ("QTime", "currentTime")}
#: The system clock is asked for directly only where the file system's own stamps are the
#: measure (the daily backup is due a day after the last one's modification time).
SYSTEM_CLOCK_USERS = ["core/backups.py"]
#: Timers for durations (never shown as a time of day) are fine; these are all of them.
DURATION_TIMERS = {"core/write_waiting.py": {("time", "monotonic")},  # a pause's bound
                   "gui/startup_probe.py": {("time", "perf_counter")},
                   "gui/widgets/toast.py": {("QElapsedTimer", "")}}


def calls(tree: ast.AST) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found.add((node.value.id, node.attr))
        elif isinstance(node, ast.Name) and node.id in {"QElapsedTimer", "SystemClock"}:
            found.add((node.id, ""))
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    wall, timers, system = [], {}, []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        used = calls(ast.parse(path.read_text(encoding="utf-8")))
        if name != "core/clock.py":
            wall += [f"{name}: {a}.{b}" for a, b in sorted(used & WALL_CLOCK)]
            if ("SystemClock", "") in used:
                system.append(name)
        measured = {c for c in used if c in {("time", "perf_counter"), ("time", "monotonic"),
                                             ("time", "monotonic_ns"), ("QElapsedTimer", "")}}
        if measured:
            timers[name] = measured
    assert wall == []
    assert system == SYSTEM_CLOCK_USERS
    assert timers == DURATION_TIMERS
