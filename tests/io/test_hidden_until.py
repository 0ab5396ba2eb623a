"""Hidden until a day (issue 18, item 3): Taskwarrior ``wait``/``scheduled`` and todo.txt
``t:`` keep a task out of the lists until then; on that day it shows; ``--all`` shows it
before; it never changes points or streaks; imports, exports and re-imports keep it."""

from __future__ import annotations

import json
from pathlib import Path

from io_support import NOW, dump, run_cli, services, snapshot
from sqlalchemy import text

from momentum_app.core.catalog import Kind
from momentum_app.core.exports.task_formats import export_taskwarrior, export_todotxt
from momentum_app.core.imports import import_file

# NOW is 2026-01-12 18:00 UTC.
BEFORE = "2026-01-12T18:00:00+00:00"
ON_THE_DAY = "2026-01-15T08:00:00+00:00"


def titles(db: Path, *args: str, now: str = BEFORE) -> list[str]:
    return [t["title"] for t in run_cli(db, "task", "list", "--json", *args, now=now).json()]


def test_cli_hides_a_task_until_its_day_and_all_shows_it(empty_db):
    run_cli(empty_db, "task", "add", "Renew passport", "--hide-until", "2026-01-15",
            "--json").json()
    run_cli(empty_db, "task", "add", "Buy milk", "--json").json()
    assert titles(empty_db) == ["Buy milk"]
    assert titles(empty_db, "--all") == ["Renew passport", "Buy milk"]
    assert titles(empty_db, now=ON_THE_DAY) == ["Renew passport", "Buy milk"]
    shown = run_cli(empty_db, "task", "show", "1", "--json").json()
    assert shown["hidden_until"] == "2026-01-15"
    text = run_cli(empty_db, "task", "show", "1")
    assert "2026-01-15" in text.stdout
    run_cli(empty_db, "task", "edit", "1", "--hide-until", "2026-02-01", "--json").json()
    assert titles(empty_db, now=ON_THE_DAY) == ["Buy milk"]
    edited = run_cli(empty_db, "task", "edit", "1", "--hide-until", "none", "--json").json()
    assert edited["hidden_until"] is None
    assert titles(empty_db) == ["Renew passport", "Buy milk"]


def test_a_bad_hide_until_date_exits_2_naming_the_field_and_writes_nothing(empty_db):
    run_cli(empty_db, "task", "add", "Renew passport", "--json").json()
    before = dump(empty_db)
    for args in (("task", "add", "X", "--hide-until", "2026-13-01"),
                 ("task", "edit", "1", "--hide-until", "someday")):
        result = run_cli(empty_db, *args)
        assert result.returncode == 2
        assert result.stderr.startswith("error: hide_until: ")
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert dump(empty_db) == before


def test_the_profiles_activity_day_decides(empty_db):
    """With the day starting at 04:00, 01:00 on the day still belongs to the day before."""
    with services(empty_db) as app:
        app.profiles.update(timezone="Europe/Berlin", day_start_hour=4)
        app.items.add_task("Renew passport", hide_until="2026-01-15")
    assert titles(empty_db, now="2026-01-15T00:00:00+00:00") == []  # 01:00 in Berlin
    assert titles(empty_db, now="2026-01-15T03:30:00+00:00") == ["Renew passport"]


def test_the_windows_lists_leave_it_out_except_all(empty_db):
    """The services behind Today and Tasks: hidden by default, included for "All"."""
    with services(empty_db) as app:
        app.items.add_task("Renew passport", hide_until="2026-01-15", due="2026-01-10")
        app.items.add_task("Buy milk", due="2026-01-10")
        today = [t.title for t in app.items.list_tasks(status="open", due_before=NOW.date(),
                                                       order="due")]
        every = [t.title for t in app.items.list_tasks(status="all", include_hidden=True)]
        task = app.items.list_tasks(status="all", include_hidden=True)[0]
        done = app.items.complete(Kind.TASK, task.id)
        done_list = [t.title for t in app.items.list_tasks(status="done")]
    assert today == ["Buy milk"] and every == ["Renew passport", "Buy milk"]
    assert done.item.title == "Renew passport"
    assert done_list == ["Renew passport"]  # done tasks are never hidden


def test_hidden_tasks_earn_points_and_streaks_as_any_other(empty_db, tmp_path, template_db):
    other = tmp_path / "other.sqlite3"
    other.write_bytes(template_db.read_bytes())
    for db, hide in ((empty_db, "2026-03-01"), (other, None)):
        with services(db) as app:
            task = app.items.add_task("Read a chapter", complexity=3, hide_until=hide)
            app.items.complete(Kind.TASK, task.id)
    hidden, plain = snapshot(empty_db), snapshot(other)
    assert [t.pop("hidden_until") for t in hidden["tasks"]] == ["2026-03-01"]
    assert [t.pop("hidden_until") for t in plain["tasks"]] == [None]
    assert hidden == plain  # the same points, ledger, streaks, achievements and stats
    assert hidden["progress"].total_points > 0


TASKWARRIOR = [
    {"uuid": "aaaaaaaa-0000-4000-8000-000000000001", "description": "Reply to Bob",
     "status": "waiting", "entry": "20260101T090000Z", "wait": "20260114T230000Z",
     "scheduled": "20260113T080000Z"},
    {"uuid": "aaaaaaaa-0000-4000-8000-000000000002", "description": "Plan the trip",
     "status": "pending", "entry": "20260101T090000Z", "scheduled": "20260120T080000Z"},
    {"uuid": "aaaaaaaa-0000-4000-8000-000000000003", "description": "Someday: a boat",
     "status": "waiting", "entry": "20260101T090000Z", "wait": "99991230T000000Z"},
    {"uuid": "aaaaaaaa-0000-4000-8000-000000000004", "description": "Water plants",
     "status": "pending", "entry": "20260101T090000Z"},
]
TODO_TXT = ("2026-01-01 Call the bank +Money t:2026-01-15\n"
            "2026-01-01 Past threshold t:2026-01-02\n"
            "2026-01-01 Plain @home\n")


def test_taskwarrior_and_todotxt_files_import_hidden_and_reimport_changes_nothing(
        empty_db, tmp_path):
    tw = tmp_path / "tw.json"
    tw.write_text("[\n" + ",\n".join(json.dumps(t) for t in TASKWARRIOR) + "\n]\n")
    todo = tmp_path / "todo.txt"
    todo.write_text(TODO_TXT, encoding="utf-8")
    with services(empty_db) as app:
        app.profiles.update(timezone="Europe/Berlin")
    assert run_cli(empty_db, "import", "--format", "taskwarrior", str(tw),
                   "--json").json()["imported"]["tasks"] == 4
    assert run_cli(empty_db, "import", "--format", "todotxt", str(todo),
                   "--json").json()["imported"]["tasks"] == 3
    listed = {t["title"]: t for t in run_cli(empty_db, "task", "list", "--all",
                                             "--json").json()}
    hidden = {title: t["hidden_until"] for title, t in listed.items()}
    assert hidden == {
        "Reply to Bob": "2026-01-15",  # the later of wait (00:00 Berlin) and scheduled
        "Plan the trip": "2026-01-20", "Someday: a boat": "2200-12-31",
        "Water plants": None, "Call the bank +Money": "2026-01-15",
        "Past threshold": "2026-01-02", "Plain @home": None}
    assert all("Waiting until" not in t["notes"] and "t:" not in t["notes"]
               for t in listed.values())
    assert titles(empty_db) == ["Water plants", "Past threshold", "Plain @home"]
    assert set(titles(empty_db, now=ON_THE_DAY)) == set(hidden) - {"Plan the trip",
                                                                   "Someday: a boat"}
    before = dump(empty_db)
    for fmt, path in (("taskwarrior", tw), ("todotxt", todo)):
        again = run_cli(empty_db, "import", "--format", fmt, str(path), "--json").json()
        assert again["imported"]["tasks"] == 0
    assert dump(empty_db) == before


def test_an_older_identity_without_a_hide_date_still_matches(empty_db, tmp_path):
    """A file without wait/t: compares as before: identities remembered by earlier
    versions (which had no hidden_until) still match."""
    todo = tmp_path / "todo.txt"
    todo.write_text("2026-01-01 Plain @home\n", encoding="utf-8")
    with services(empty_db) as app:
        import_file(app, "todotxt", todo)
        with app.db.reading() as session:
            [content] = session.execute(text("SELECT content FROM import_sources")).scalars()
        assert "hidden_until" not in json.loads(content)
        assert import_file(app, "todotxt", todo).totals()["unchanged"] == 1


def test_exports_write_it_back(empty_db, tmp_path):
    with services(empty_db) as app:
        app.profiles.update(timezone="Europe/Berlin")
        app.items.add_task("Renew passport", hide_until="2026-03-01")
        tw = json.loads(Path(export_taskwarrior(app, tmp_path / "tw.json").path).read_text())
        todo = Path(export_todotxt(app, tmp_path / "todo.txt").path).read_text()
    assert tw[0]["wait"] == "20260228T230000Z"  # local midnight of 1 March, Berlin
    assert "t:2026-03-01" in todo.split()


def test_bad_dates_in_files_are_refused_naming_the_field(empty_db, tmp_path):
    bad_tw = tmp_path / "tw.json"
    bad_tw.write_text(json.dumps([dict(TASKWARRIOR[3], wait="next tuesday")]))
    bad_todo = tmp_path / "todo.txt"
    bad_todo.write_text("Call the bank t:2026-13-01\n", encoding="utf-8")
    before = dump(empty_db)
    for fmt, path, field in (("taskwarrior", bad_tw, "wait"), ("todotxt", bad_todo, "t")):
        result = run_cli(empty_db, "import", "--format", fmt, str(path))
        assert result.returncode == 2
        assert result.stderr.startswith("error: line 1: ")
        assert f": {field}: " in result.stderr, result.stderr
    assert dump(empty_db) == before
