"""Hostile input (SPEC §9, §10): each bad value gets one clear error naming its field, and
the database does not change (a full SQL dump of the file is compared before and after).

Three doors, three tables, complementing the tests that already exist:

* **CLI arguments** — ids that are negative, zero or enormous, numbers like ``1e3``,
  impossible dates and instants, unknown zones, invisible and over-long text, unchecked
  event metadata. Run in-process through ``momentum_app.__main__.main`` (the same code as
  the console script: exit status, one ``error:`` line, no traceback), and a sample
  through a real interpreter (``SUBPROCESS_CASES``) where argv decoding and the output
  stream are part of the contract.
* **Dialog fields** — the window's dialogs call the services with Python values (``date``
  and aware ``datetime`` objects from the pickers, ints from the spin boxes), so those are
  tested at the service boundary.
* **Import files** — empty, blank, UTF-16, Latin-1, binary, NUL, deeply nested or
  enormous JSON, out-of-range numbers and dates, unknown zones, a bad last line of many.

Text that merely *looks* dangerous (SQL, format strings, markup, right-to-left text,
combining marks, emoji with zero-width joiners) is valid: it must be stored verbatim.

Already covered elsewhere, so not repeated here: tests/cli/test_cli_bad_input.py (empty,
blank and 501-character titles, complexity 0/6/abc, 2026-02-30, an unknown zone, unknown
ids and projects, undecodable argv bytes), tests/core/test_validation.py (every
validation rule and ~90 service calls) and tests/io/test_bad_files.py (malformed,
truncated, non-UTF-8 and oversized files in each format).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
for helper_folder in (TESTS / "cli", TESTS / "io"):
    if str(helper_folder) not in sys.path:
        sys.path.insert(0, str(helper_folder))

from cli_support import NOW, WORKERS, cli_env, dump, run_cli  # noqa: E402
from test_bad_files import BACKUP_MINIMAL  # noqa: E402

from momentum_app.__main__ import main as momentum_main  # noqa: E402
from momentum_app.core.catalog import Kind  # noqa: E402
from momentum_app.core.clock import FixedClock  # noqa: E402
from momentum_app.core.db import open_database  # noqa: E402
from momentum_app.core.errors import ValidationError  # noqa: E402
from momentum_app.core.services import Momentum  # noqa: E402

UTC = timezone.utc
HUGE = "99999999999999999999"  # 20 digits: more than SQLite's 64-bit INTEGER holds

# --- the bugs these tables found (kept as strict xfails; see docs/RELIABILITY.md) -------



# --- a small database with one of everything, built once and copied per case -------------


@dataclass(frozen=True)
class World:
    task: int
    done: int
    goal: int
    step: int
    slot: int
    vacation: int


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("hostile") / "template.sqlite3"
    database = open_database(path)
    try:
        app = Momentum(database, FixedClock(NOW - timedelta(hours=2)))
        app.profiles.update(timezone="UTC", day_start_hour=0)
        app.projects.add("Work")
        task = app.items.add_task("Open task", project="Work", complexity=2)
        done = app.items.add_task("Done task")
        app.items.complete(Kind.TASK, done.id)
        goal = app.items.add_goal("Goal", project="Work")
        step = app.items.add_step(goal.id, "Step")
        start = NOW + timedelta(days=1)
        slot = app.items.add_slot("Slot", start, start + timedelta(hours=1))
        vacation = app.profiles.add_vacation("2026-02-01", "2026-02-03")
        app.events.add_type("meditated", 5)
        app.profiles.add("someone-else", timezone="UTC")
    finally:
        database.close()
    return path, World(task.id, done.id, goal.id, step.id, slot.id, vacation.id)


def _copy_with_todays_backup(template: Path, folder: Path) -> Path:
    """A copy of the template whose daily backup was already made today (as after the
    day's first command), so that each case costs only itself."""
    target = folder / "momentum.sqlite3"
    shutil.copyfile(template, target)
    (folder / "backups").mkdir()
    shutil.copyfile(template, folder / "backups" / "momentum-scheduled-today.sqlite3")
    return target


@pytest.fixture
def hostile_db(hostile_template: tuple[Path, World], tmp_path: Path) -> Path:
    return _copy_with_todays_backup(hostile_template[0], tmp_path)


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli_main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
             ) -> Callable[..., Outcome]:
    """``momentum --db DB ARGS`` in-process: the console script's own ``main``."""
    monkeypatch.setenv("MOMENTUM_NOW", NOW.isoformat())

    def run(db: Path, *args: str) -> Outcome:
        capsys.readouterr()
        code = momentum_main(["--db", str(db), *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)
    return run


def assert_refused(result: Any, field: str | tuple[str, ...], before: list[str],
                   after: list[str]) -> None:
    """Exit 2, nothing on stdout, one ``error: FIELD…`` line, no traceback, no change."""
    fields = (field,) if isinstance(field, str) else field
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    assert any(lines[0].startswith(f"error: {name}") for name in fields), (
        f"the error should name {fields}: {lines[0][:300]}")
    assert after == before, "the database changed"


# --- CLI arguments ------------------------------------------------------------------------

#: (id, argv, the field the error line starts with[, marks]). ``{task}`` & co. are ids
#: of the template's rows.
CLI_CASES: list[tuple[Any, ...]] = [
    # ids: negative, zero, fractional, enormous
    ("task-done-id-minus-1", ["task", "done", "-1"], "id"),
    ("task-done-id-0", ["task", "done", "0"], "id"),
    ("task-done-id-20-digits", ["task", "done", HUGE], "id"),
    ("task-reopen-id-20-digits", ["task", "reopen", HUGE], "id"),
    ("task-edit-id-1.5", ["task", "edit", "1.5", "--title", "x"], "id"),
    ("step-done-id-minus-1", ["goal", "step", "done", "-1"], "id"),
    ("slot-done-id-1e3", ["slot", "done", "1e3"], "id"),
    ("vacation-delete-id-minus-1", ["vacation", "delete", "-1"], "id"),
    ("vacation-delete-id-20-digits", ["vacation", "delete", HUGE], "id"),
    ("history-limit-20-digits", ["history", "--limit", HUGE], "limit"),
    ("history-limit-word", ["history", "--limit", "all"], "limit"),
    # numbers
    ("complexity-1e3", ["task", "add", "ok", "--complexity", "1e3"], "complexity"),
    ("complexity-minus-20-digits", ["task", "edit", "{task}", "--complexity", "-" + HUGE],
     "complexity"),
    ("day-start-20-digits", ["profile", "set", "--day-start", HUGE], "day_start_hour"),
    ("day-start-1e3", ["profile", "add", "zed", "--day-start", "1e3"], "day_start_hour"),
    ("daily-target-minus-1", ["profile", "set", "--daily-target", "-1"], "daily_target"),
    ("event-type-points-20-digits", ["event-type", "add", "ran", HUGE], "points"),
    ("event-type-points-1e3", ["event-type", "add", "ran", "1e3"], "points"),
    # completions are logged by the item commands only (#20): never by hand
    ("slot-minutes-20-digits", ["event", "time_slot_completion", "--meta",
                                f"minutes={HUGE}"], "event_type"),
    ("step-position-20-digits", ["goal", "step", "edit", "{step}", "--position", HUGE],
     "position"),
    # impossible dates and instants
    ("due-0000-01-01", ["task", "add", "ok", "--due", "0000-01-01"], "due"),
    ("due-9999-99-99", ["task", "add", "ok", "--due", "9999-99-99"], "due"),
    ("target-2026-02-30", ["goal", "add", "ok", "--target", "2026-02-30"], "target"),
    ("vacation-from-0000-01-01", ["vacation", "add", "0000-01-01", "2026-01-01"], "from"),
    ("stats-from-9999-99-99", ["stats", "--from", "9999-99-99"], "from"),
    ("at-2026-02-30", ["task", "done", "{task}", "--at", "2026-02-30T10:00"], "at"),
    ("at-year-0", ["task", "done", "{task}", "--at", "0000-01-01T00:00"], "at"),
    ("at-beyond-9999", ["task", "done", "{task}", "--at", "9999-12-31T23:59:59-12:00"], "at"),
    ("at-offset-99-hours", ["goal", "step", "done", "{step}", "--at",
                            "2026-01-05T10:00+99:00"], "at"),
    ("event-at-month-13", ["event", "meditated", "--at", "2026-13-01T00:00"], "at"),
    ("slot-end-year-9999", ["slot", "add", "ok", "--start", "2026-03-01T10:00", "--end",
                            "9999-12-31T00:00"], "end"),
    # unknown zones
    ("timezone-with-a-space", ["profile", "set", "--timezone", "America/Sao Paulo"],
     "timezone"),
    ("timezone-lower-case", ["profile", "set", "--timezone", "utc"], "timezone"),
    ("timezone-gmt-plus-25", ["profile", "add", "zed", "--timezone", "GMT+25"], "timezone"),
    ("timezone-rtl-override", ["profile", "set", "--timezone", "Europe/\u202eLondon"],
     "timezone"),
    # text: invisible, NUL, enormous, lone surrogate, SQL-looking names that do not exist
    ("title-zero-width-only", ["task", "add", "\u200b\u200c\u200d"], "title"),
    ("goal-title-bom-and-word-joiner", ["goal", "add", "\ufeff\u2060"], "title"),
    ("project-name-zero-width", ["project", "add", "\u200b"], "name"),
    ("title-with-nul", ["task", "edit", "{task}", "--title", "a\x00b"], "title"),
    ("title-one-million-characters", ["task", "add", "x" * 1_000_000], "title"),
    ("notes-one-million-characters", ["task", "add", "ok", "--notes", "n" * 1_000_000],
     "notes"),
    ("step-title-lone-surrogate", ["goal", "step", "add", "{goal}", "\udc80"], "title"),
    ("project-sql-looking-unknown", ["task", "list", "--project",
                                     "'); DROP TABLE projects;--"], "project"),
    ("meta-empty-key", ["event", "meditated", "--meta", "=x"], "meta"),
    ("event-project-id-not-a-number", ["event", "task_completion", "--meta",
                                       "project_id=abc"], "event_type"),
    ("event-item-id-20-digits", ["event", "task_completion", "--meta", f"item_id={HUGE}"],
     "event_type"),
]


def _ids(world: World) -> dict[str, str]:
    return {name: str(getattr(world, name)) for name in ("task", "done", "goal", "step",
                                                         "slot", "vacation")}


def _params(cases: list[tuple[Any, ...]], width: int) -> list[Any]:
    return [pytest.param(*case[1:width], id=case[0], marks=case[width:]) for case in cases]


@pytest.mark.parametrize("argv, field", _params(CLI_CASES, 3))
def test_a_bad_cli_argument_exits_2_naming_its_field_and_changes_nothing(
        hostile_template, hostile_db, cli_main, argv, field):
    ids = _ids(hostile_template[1])
    args = [arg.format(**ids) if arg.startswith("{") else arg for arg in argv]
    before = dump(hostile_db)
    result = cli_main(hostile_db, *args)
    assert_refused(result, field, before, dump(hostile_db))


# --- dialog fields: the services, called with what the dialogs pass ----------------------

IN_YEAR_1 = datetime(1, 1, 1, 0, 0, tzinfo=UTC)
ServiceCall = Callable[[Momentum, World], object]

#: (id, field, call[, marks])
SERVICE_CASES: list[tuple[Any, ...]] = [
    ("due-date-object-9999-12-31", "due",
     lambda a, w: a.items.add_task("far", due=date(9999, 12, 31))),
    ("due-date-object-0001-01-01", "due",
     lambda a, w: a.items.add_task("early", due=date(1, 1, 1))),
    ("slot-start-datetime-in-year-1", "start",
     lambda a, w: a.items.add_slot("s", IN_YEAR_1, IN_YEAR_1 + timedelta(hours=1))),
    ("complete-at-datetime-9999-12-31", "at",
     lambda a, w: a.items.complete(Kind.TASK, w.task,
                                   at=datetime(9999, 12, 31, 23, tzinfo=UTC))),
    ("slot-naive-datetimes", "start",
     lambda a, w: a.items.add_slot("s", datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 10))),
    ("complexity-float-1e3", "complexity", lambda a, w: a.items.add_task("ok", complexity=1e3)),
    ("complexity-10-to-the-30", "complexity",
     lambda a, w: a.items.add_task("ok", complexity=10**30)),
    ("complexity-nan", "complexity",
     lambda a, w: a.items.edit_task(w.task, complexity=float("nan"))),
    ("day-start-infinity", "day_start_hour",
     lambda a, w: a.profiles.update(day_start_hour=float("inf"))),  # type: ignore[arg-type]
    ("timezone-zero-width-suffix", "timezone",
     lambda a, w: a.profiles.update(timezone="Asia/Tokyo\u200b")),
    ("title-word-joiner-only", "title", lambda a, w: a.items.add_task("\u2060")),
    ("edit-task-id-minus-1", "id", lambda a, w: a.items.edit_task(-1, title="x")),
    ("complete-goal-id-20-digits", "id",
     lambda a, w: a.items.complete(Kind.GOAL, int(HUGE))),
    ("event-project-id-minus-1", "meta.project_id",
     lambda a, w: a.events.process_engine_event("task_completion", {"project_id": -1})),
    ("search-100000-characters", "search",
     lambda a, w: a.items.list_tasks(search="x" * 100_000)),
    ("stats-from-year-0", "from", lambda a, w: a.reads.stats("0000-01-01")),
    ("vacation-9999-99-99", "from",
     lambda a, w: a.profiles.add_vacation("9999-99-99", "2026-01-01")),
]


@pytest.mark.parametrize("field, call", _params(SERVICE_CASES, 3))
def test_a_bad_dialog_value_is_refused_at_the_service_naming_its_field(
        hostile_template, hostile_db, field, call):
    world = hostile_template[1]
    before = dump(hostile_db)
    database = open_database(hostile_db, migrate=False)
    try:
        app = Momentum(database, FixedClock(NOW))
        with pytest.raises(ValidationError) as info:
            call(app, world)
    finally:
        database.close()
    assert info.value.field == field, str(info.value)
    assert "\n" not in str(info.value)
    assert dump(hostile_db) == before


# --- import files ----------------------------------------------------------------------


def _backup(change: Callable[[dict[str, Any]], None]) -> bytes:
    """The minimal valid backup of tests/io with one value changed."""
    document = json.loads(BACKUP_MINIMAL)
    change(document)
    return json.dumps(document, indent=1).encode("utf-8")


def _task(document: dict[str, Any]) -> dict[str, Any]:
    return document["profiles"][0]["tasks"][0]


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any
         ) -> Callable[[dict[str, Any]], None]:
    return lambda document: path(document).__setitem__(key, value)


def _ics(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hostile//EN", *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode("utf-8")


def _many_todo_lines_then_a_bad_one() -> bytes:
    good = "".join(f"(B) 2026-01-02 Task number {n} +Bulk due:2026-02-01\n"
                   for n in range(10_000))
    return (good + "x 0000-01-01 the last line is bad\n").encode("utf-8")


DEEP = ("[" * 100_000 + "]" * 100_000).encode()
TASKWARRIOR_LINE = '{"description":"x","status":"pending","uuid":"a"'

#: (id, format, content, the start of the error after "error: "[, marks])
FILE_CASES: list[tuple[Any, ...]] = [
    ("json-empty", "json", b"", "line 1"),
    ("json-blank", "json", b" \n\t\n  \n", "line "),
    ("ics-empty", "ics", b"", "line 1"),
    ("ics-blank", "ics", b"\n \n\t\n", "line 1"),
    ("todotxt-utf16-with-bom", "todotxt", "Buy milk +Home\n".encode("utf-16"),
     "line 1: not valid UTF-8"),
    ("json-utf16-with-bom", "json", BACKUP_MINIMAL.encode("utf-16"), "line 1: not valid UTF-8"),
    ("todotxt-latin-1", "todotxt", "Caf\xe9 au lait +Home\n".encode("latin-1"),
     "line 1: not valid UTF-8"),
    ("ics-binary", "ics", random.Random(5).randbytes(4096), "line "),
    ("taskwarrior-nul-bytes", "taskwarrior", b"\x00" * 64, "line 1"),
    ("todotxt-nul-in-a-title", "todotxt", b"Buy\x00milk\n", "line 1: title"),
    ("json-deeply-nested", "json", DEEP, "line 1"),
    ("taskwarrior-deeply-nested", "taskwarrior", DEEP, "line 1"),
    ("json-5000-digit-number", "json",
     b'{"format": "momentum-backup", "version": ' + b"9" * 5000 + b"}",
     ("line 1", "version")),
    ("taskwarrior-5000-digit-number", "taskwarrior",
     (TASKWARRIOR_LINE + ',"urgency":' + "9" * 5000 + "}\n").encode(), "line 1"),
    ("json-a-list-not-a-backup", "json", b"[1, 2, 3]", "format"),
    ("json-version-infinite", "json",
     b'{"format": "momentum-backup", "version": 1e999}', "version"),
    ("json-title-lone-surrogate", "json", _backup(_set(_task, "title", "bad \ud800")),
     "profiles[0].tasks[0].title"),
    ("json-title-nul", "json", _backup(_set(_task, "title", "a\x00b")),
     "profiles[0].tasks[0].title"),
    ("json-complexity-1e3", "json", _backup(_set(_task, "complexity", 1e3)),
     "profiles[0].tasks[0].complexity"),
    ("json-id-20-digits", "json", _backup(_set(_task, "id", int(HUGE))),
     "profiles[0].tasks[0].id"),
    ("json-id-minus-1", "json", _backup(_set(_task, "id", -1)), "profiles[0].tasks[0].id"),
    ("json-unknown-zone", "json",
     _backup(_set(lambda d: d["profiles"][0], "timezone", "Mars/Olympus_Mons")),
     "profiles[0].timezone"),
    ("json-due-9999-99-99", "json", _backup(_set(_task, "due_date", "9999-99-99")),
     "profiles[0].tasks[0].due_date"),
    # (+Home stays in the title as todo.txt intends, so only the invisible title is bad)
    ("todotxt-zero-width-title", "todotxt", "\u200b\u200b\n".encode(), "line 1: title"),
    # (a long line's title is cut at 500 and the rest goes to the notes, which overflow)
    ("todotxt-five-million-character-line", "todotxt", b"x" * 5_000_000 + b"\n",
     "line 1: notes"),
    ("todotxt-completed-0000-01-01", "todotxt", b"x 0000-01-01 done thing\n",
     "line 1: completed"),
    ("todotxt-bad-last-of-10001-lines", "todotxt", _many_todo_lines_then_a_bad_one(),
     "line 10001: completed"),
    ("taskwarrior-description-a-list", "taskwarrior",
     b'[\n{"description":["nested"],"status":"pending","uuid":"a"}\n]', "line 2: description"),
    ("taskwarrior-entry-impossible", "taskwarrior",
     (f'[\n{TASKWARRIOR_LINE},"entry":"99999999T999999Z"}}\n]').encode(), "line 2: entry"),
    ("taskwarrior-due-year-1", "taskwarrior",
     (f'[\n{TASKWARRIOR_LINE},"due":"00010101T000000Z"}}\n]').encode(), "line 2: due"),
    ("ics-event-in-year-1", "ics",
     _ics("BEGIN:VEVENT", "UID:1", "SUMMARY:x", "DTSTART:00010101T000000Z",
          "DTEND:00010101T010000Z", "END:VEVENT"),
     ("line 7 (VEVENT): DTSTART", "line 8 (VEVENT): DTEND")),
    ("ics-unknown-tzid", "ics",
     _ics("BEGIN:VEVENT", "UID:1", "SUMMARY:x", "DTSTART;TZID=Mars/Olympus:20260105T100000",
          "DTEND;TZID=Mars/Olympus:20260105T110000", "END:VEVENT"), "line 7"),
]


@pytest.mark.parametrize("fmt, content, expected", _params(FILE_CASES, 4))
def test_a_bad_import_file_exits_2_naming_the_line_or_field_and_changes_nothing(
        hostile_db, cli_main, tmp_path, fmt, content, expected):
    path = tmp_path / f"hostile.{fmt}"
    path.write_bytes(content)
    before = dump(hostile_db)
    result = cli_main(hostile_db, "import", "--format", fmt, str(path))
    assert_refused(result, expected, before, dump(hostile_db))


@pytest.mark.parametrize("fmt, content", [("todotxt", b""), ("todotxt", b"\n  \n\t\n"),
                                          ("taskwarrior", b""), ("taskwarrior", b" \n\n")],
                         ids=["todotxt-empty", "todotxt-blank", "taskwarrior-empty",
                              "taskwarrior-blank"])
def test_an_empty_list_imports_nothing_and_changes_nothing(hostile_db, cli_main, tmp_path,
                                                           fmt, content):
    """An empty todo.txt or Taskwarrior export is a valid list of no tasks (decision: not
    an error); it must still write nothing at all."""
    path = tmp_path / "empty"
    path.write_bytes(content)
    before = dump(hostile_db)
    result = cli_main(hostile_db, "--json", "import", "--format", fmt, str(path))
    assert result.returncode == 0, result.stderr
    assert not any(json.loads(result.stdout)["imported"].values())
    assert dump(hostile_db) == before


# --- text that only looks dangerous is stored verbatim -------------------------------------

VERBATIM = [
    "'); DROP TABLE tasks;--",
    "Robert'); DELETE FROM ledger WHERE 1=1; --",
    "1 OR 1=1",
    "%s %n %x {0} {title} ${HOME} $(rm -rf ~) `id`",
    "<script>alert('x')</script> &amp; <b>bold</b>",
    "NULL",
    "-1",
    "👩\u200d💻 a woman coding (zero-width joiner)",
    "שלום \u202eevil.exe\u202c עולם (right-to-left override)",
    "e\u0301\u0301 and \u0301\u0302 (combining marks, even alone)",
    "\\x00 \\n \\u0000 (backslashes, not control characters)",
    "100% of a_task",
]


def _stored(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def _schema(db: Path) -> list[tuple[Any, ...]]:
    return _stored(db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


@pytest.mark.parametrize("text", VERBATIM, ids=range(len(VERBATIM)))
def test_sql_looking_and_odd_unicode_text_is_stored_and_shown_verbatim(hostile_db, cli_main,
                                                                       text):
    schema = _schema(hostile_db)
    added = cli_main(hostile_db, "--json", "task", "add", text, "--notes", text)
    assert added.returncode == 0, added.stderr
    task_id = json.loads(added.stdout)["id"]
    shown = json.loads(cli_main(hostile_db, "--json", "task", "show", str(task_id)).stdout)
    assert (shown["title"], shown["notes"]) == (text, text)
    assert _stored(hostile_db, "SELECT title, notes FROM tasks WHERE id = ?", task_id) == [
        (text, text)]
    found = json.loads(cli_main(hostile_db, "--json", "task", "list", "--search",
                                text[:40]).stdout)
    assert [t["id"] for t in found] == [task_id]  # LIKE wildcards (% and _) are escaped
    assert _schema(hostile_db) == schema  # no table dropped, none altered


def test_sql_looking_and_odd_unicode_names_are_stored_verbatim(hostile_db):
    """Project, profile, event-type and goal names, through the services the dialogs use."""
    schema = _schema(hostile_db)
    database = open_database(hostile_db, migrate=False)
    try:
        app = Momentum(database, FixedClock(NOW))
        for text in VERBATIM:
            name = text[:100]
            app.projects.add(name)
            app.profiles.add(name, timezone="UTC")
            app.events.add_type(name, 3)
            goal = app.items.add_goal(text, project=name)
            app.items.add_step(goal.id, text)
            assert app.events.process_event(name).points_awarded == 3
            assert Momentum(database, app.clock, name).profiles.current().name == name
    finally:
        database.close()
    for text in VERBATIM:
        name = text[:100]
        for table in ("projects", "profiles", "event_types"):
            assert _stored(hostile_db, f"SELECT count(*) FROM {table} WHERE name = ?",
                           name) == [(1,)], (table, name)
        assert _stored(hostile_db, "SELECT count(*) FROM goals WHERE title = ?", text) == [(1,)]
        assert _stored(hostile_db, "SELECT count(*) FROM goal_steps WHERE title = ?",
                       text) == [(1,)]
    assert _schema(hostile_db) == schema


def test_an_imported_sql_looking_line_is_stored_verbatim(hostile_db, cli_main, tmp_path):
    path = tmp_path / "todo.txt"
    path.write_text("(A) '); DROP TABLE tasks;-- +'Quoted'Project\n", encoding="utf-8")
    schema = _schema(hostile_db)
    result = cli_main(hostile_db, "import", "--format", "todotxt", str(path))
    assert result.returncode == 0, result.stderr
    assert _stored(hostile_db, "SELECT t.title, p.name FROM tasks t JOIN projects p "
                   "ON p.id = t.project_id ORDER BY t.id DESC LIMIT 1") == [
        ("'); DROP TABLE tasks;-- +'Quoted'Project", "'Quoted'Project")]  # words in place
    assert _schema(hostile_db) == schema


# --- a sample through a real interpreter (argv decoding, exit status, output stream) ------

SUBPROCESS_CASES: list[tuple[Any, ...]] = [
    ("task-done-id-20-digits", ["task", "done", HUGE], "id"),
    ("undecodable-bytes-in-a-project-name", ["project", "add", b"caf\xe9"], "name"),
    ("import-utf16", ["import", "--format", "todotxt", "<utf16.txt>"], "line 1"),
    ("vacation-delete-id-20-digits", ["vacation", "delete", HUGE], "id"),
    ("import-deeply-nested-json", ["import", "--format", "json", "<deep.json>"], "line 1"),
    ("title-zero-width-only", ["task", "add", "\u200b"], "title"),
]
SQL_TITLE = "'); DROP TABLE tasks;-- 👩\u200d💻"
PARTY = "Party 🎉"


@dataclass
class Played:
    db: Path
    result: Any
    before: list[str]
    after: list[str]


def _play(template: Path, folder: Path, argv: list[Any], env: dict[str, str] | None = None,
          titles: tuple[str, ...] = ()) -> Played:
    folder.mkdir(parents=True)
    db = _copy_with_todays_backup(template, folder)
    if titles:
        database = open_database(db, migrate=False)
        try:
            for title in titles:
                Momentum(database, FixedClock(NOW)).items.add_task(title)
        finally:
            database.close()
    (folder / "utf16.txt").write_bytes("Buy milk\n".encode("utf-16"))
    (folder / "deep.json").write_bytes(DEEP)
    args = [str(folder / arg[1:-1]) if isinstance(arg, str) and arg.startswith("<") else arg
            for arg in argv]
    before = dump(db)
    result = run_cli(db, *args, env=None if env is None else {**cli_env(db), **env})
    return Played(db, result, before, dump(db))


@pytest.fixture(scope="module")
def subprocess_runs(hostile_template: tuple[Path, World],
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Played]]:
    """Every real-interpreter run of this module, concurrently, once."""
    folder = tmp_path_factory.mktemp("hostile-cli")
    template = hostile_template[0]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        runs = {case[0]: pool.submit(_play, template, folder / case[0], list(case[1]))
                for case in SUBPROCESS_CASES}
        runs["sql-title"] = pool.submit(_play, template, folder / "sql-title",
                                        ["task", "add", SQL_TITLE])
        runs["ascii-stdout"] = pool.submit(_play, template, folder / "ascii-stdout",
                                           ["task", "list"], {"PYTHONIOENCODING": "ascii"},
                                           (PARTY,))
        yield {name: future.result() for name, future in runs.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name, field", [
    pytest.param(case[0], case[2], id=case[0], marks=case[3:]) for case in SUBPROCESS_CASES])
def test_the_real_cli_exits_2_with_one_line_and_no_traceback(subprocess_runs, name, field):
    played = subprocess_runs[name]
    assert_refused(played.result, field, played.before, played.after)


@pytest.mark.slow
def test_the_real_cli_stores_and_prints_sql_looking_text_verbatim(subprocess_runs):
    played = subprocess_runs["sql-title"]
    assert played.result.returncode == 0, played.result.stderr
    assert played.result.stdout.endswith(f": {SQL_TITLE}\n")
    assert _stored(played.db, "SELECT title FROM tasks ORDER BY id DESC LIMIT 1") == [
        (SQL_TITLE,)]


@pytest.mark.slow
def test_a_title_the_terminal_cannot_encode_does_not_crash_the_listing(subprocess_runs):
    result = subprocess_runs["ascii-stdout"].result
    assert result.returncode == 0, result.stderr
    assert "Party" in result.stdout
