"""Taskwarrior's ``task export`` → tasks, history without points unless --award."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from io_support import dump, services

from momentum_app.core.imports import parse_taskwarrior

#: A ``task export`` as Taskwarrior 2.6 writes it (one task per line inside [ ]).
EXPORT = "\n".join([  # noqa: FLY002 - one task per line, as task export
    "[",
    ('{"id":1,"description":"Plant tomatoes 🍅","due":"20261121T120000Z",'
     '"entry":"20260101T090000Z","modified":"20260101T090000Z","priority":"H",'
     '"project":"Home.Garden","status":"pending",'
     '"uuid":"11111111-0000-4000-8000-000000000001","annotations":[{"entry":"20260102T080000Z",'
     '"description":"Buy seeds first 🌱"}],"tags":["garden","outdoor"],"urgency":17.7},'),
    ('{"id":2,"description":"Weekly review","due":"20260109T000000Z","entry":"20260101T090000Z",'
     '"mask":"--","modified":"20260101T090000Z","project":"Work","recur":"weekly",'
     '"rtype":"periodic","status":"recurring","uuid":"22222222-0000-4000-8000-000000000002"},'),
    ('{"id":3,"description":"Weekly review","due":"20260109T000000Z","entry":"20260101T090000Z",'
     '"imask":0,"parent":"22222222-0000-4000-8000-000000000002","project":"Work",'
     '"recur":"weekly","status":"completed","end":"20260109T170000Z",'
     '"uuid":"33333333-0000-4000-8000-000000000003"},'),
    ('{"id":4,"description":"Weekly review","due":"20260116T000000Z","entry":"20260101T090000Z",'
     '"imask":1,"parent":"22222222-0000-4000-8000-000000000002","project":"Work","recur":"weekly",'
     '"status":"pending","uuid":"44444444-0000-4000-8000-000000000004"},'),
    ('{"id":0,"description":"学习中文","end":"20260103T100000Z","entry":"20260102T100000Z",'
     '"modified":"20260103T100000Z","priority":"L","status":"completed",'
     '"uuid":"55555555-0000-4000-8000-000000000005"},'),
    ('{"id":0,"description":"שלום עולם — RTL","end":"20260104T110000Z",'
     '"entry":"20260102T100000Z","priority":"M","status":"completed",'
     '"uuid":"66666666-0000-4000-8000-000000000006"},'),
    ('{"id":0,"description":"to delete","end":"20260105T100000Z","entry":"20260102T100000Z",'
     '"status":"deleted","uuid":"77777777-0000-4000-8000-000000000007"},'),
    ('{"id":5,"description":"Waiting for a reply","entry":"20260102T100000Z",'
     '"status":"waiting","wait":"20270101T000000Z","uuid":"88888888-0000-4000-8000-000000000008"}'),
    "]",
    "",
])


def tasks_of(db):
    with services(db) as app:
        return {t.title: t for t in app.items.list_tasks(include_deleted=True,
                                                          include_hidden=True)}


def test_cli_imports_a_task_export_with_unicode_intact(empty_db, cli, tmp_path):
    source = tmp_path / "export.json"
    source.write_text(EXPORT, encoding="utf-8")
    result = cli(empty_db, "import", "--format", "taskwarrior", str(source), "--json").json()
    assert result["imported"]["tasks"] == 7
    assert result["imported"]["done"] == 3
    assert result["imported"]["deleted"] == 1
    assert result["imported"]["projects"] == 2
    assert result["skipped"] == {"pending instances folded into their repeating task": 1}
    tasks = tasks_of(empty_db)
    tomato = tasks["Plant tomatoes 🍅"]
    assert tomato.project == "Home.Garden"
    assert tomato.complexity == 4
    assert tomato.due.isoformat() == "2026-11-21"
    assert tomato.notes == "2026-01-02: Buy seeds first 🌱"
    assert tomato.tags == ("garden", "outdoor")  # tags, not a notes line (issue 18)
    assert tomato.status == "open"
    chinese, hebrew = tasks["学习中文"], tasks["שלום עולם — RTL"]
    assert (chinese.status, chinese.complexity) == ("done", 2)
    assert chinese.completed_at.isoformat() == "2026-01-03T10:00:00+00:00"
    assert hebrew.complexity == 3
    assert tasks["to delete"].deleted
    assert tasks["Waiting for a reply"].status == "open"
    assert tasks["Waiting for a reply"].hidden_until is not None  # its wait (local day)
    assert len(tasks) == 6  # seven tasks; the done instance and the series share a title
    with services(empty_db) as app:
        reviews = [t for t in app.items.list_tasks(status="all") if t.title == "Weekly review"]
        open_series = [t for t in reviews if t.status == "open"]
        assert len(open_series) == 1
        assert open_series[0].repeat == "FREQ=WEEKLY"
        assert open_series[0].due.isoformat() == "2026-01-16"  # the first pending instance
        # history without points: nothing was earned, nothing is in the ledger
        assert app.reads.progress().total_points == 0
        assert app.reads.history() == []


def test_a_due_with_a_time_of_day_keeps_it(empty_db, cli, tmp_path):
    """``task add due:2026-12-10T18:00`` is 18:00 (the profile's zone); Taskwarrior's
    date alone (local midnight) stays a date."""
    source = tmp_path / "tw.json"
    source.write_text(json.dumps([
        {"uuid": "c1b2c3d4-0000-4000-8000-000000000001", "description": "Call Sam",
         "status": "pending", "entry": "20261101T090000Z", "due": "20261210T180000Z"},
        {"uuid": "c1b2c3d4-0000-4000-8000-000000000002", "description": "Pay rent",
         "status": "pending", "entry": "20261101T090000Z", "due": "20261201T000000Z"},
        {"uuid": "c1b2c3d4-0000-4000-8000-000000000003", "description": "No zone",
         "status": "pending", "entry": "20261101T090000Z", "due": "2026-12-11T07:30:00"}]),
        encoding="utf-8")
    cli(empty_db, "profile", "set", "--timezone", "UTC")
    cli(empty_db, "import", "--format", "taskwarrior", str(source), "--json").json()
    tasks = {t["title"]: (t["due"], t["due_time"])
             for t in cli(empty_db, "--json", "task", "list").json()}
    assert tasks == {"Call Sam": ("2026-12-10T18:00", "18:00"),
                     "Pay rent": ("2026-12-01", None), "No zone": ("2026-12-11T07:30", "07:30")}
    again = cli(empty_db, "import", "--format", "taskwarrior", str(source), "--json").json()
    assert again["totals"] == {"added": 0, "updated": 0, "unchanged": 3, "skipped": 0}


def test_award_replays_completions_at_their_times_in_order(empty_db, main, tmp_path):
    source = tmp_path / "export.json"
    source.write_text(EXPORT, encoding="utf-8")
    result = main(empty_db, "import", "--format", "taskwarrior", str(source), "--award",
                  "--json")
    data = json.loads(result.stdout)
    assert data["imported"]["awarded"] == 3
    with services(empty_db) as app:
        history = list(reversed(app.reads.history(limit=None)))
        completions = [row for row in history if row.source == "task_completion"]
        assert [row.reason for row in completions] == [
            "Task: 学习中文", "Task: שלום עולם — RTL", "Task: Weekly review"]
        assert [row.activity_day.isoformat() for row in completions] == [
            "2026-01-03", "2026-01-04", "2026-01-09"]
        assert data["points_awarded"] == app.reads.progress().total_points > 0
        done = {t.title: t for t in app.items.list_tasks(status="done")}
        assert done["学习中文"].completed_at.isoformat() == "2026-01-03T10:00:00+00:00"


def test_old_line_per_task_format_is_read():
    lines = "\n".join(map(json.dumps, json.loads(EXPORT)))
    plan = parse_taskwarrior(lines, "UTC", now=datetime(2026, 1, 10, tzinfo=UTC))
    assert len(plan.tasks) == 7


@pytest.mark.parametrize("broken, message", [
    ('"due":"20261121T120000Z"', '"due":"20261321T120000Z"'),
    ('"priority":"H"', '"priority":7'),
])
def test_a_bad_field_names_its_line(empty_db, main, tmp_path, broken, message):
    source = tmp_path / "export.json"
    source.write_text(EXPORT.replace(broken, message), encoding="utf-8")
    before = dump(empty_db)
    result = main(empty_db, "import", "--format", "taskwarrior", str(source))
    assert result.returncode == 2
    field = message.split(":")[0].strip('"')
    assert result.stderr.startswith(f"error: line 2: {field}: ")
    assert dump(empty_db) == before


@pytest.mark.skipif(shutil.which("task") is None, reason="Taskwarrior is not installed")
def test_a_real_taskwarrior_export(empty_db, main, tmp_path):
    env = {"TASKDATA": str(tmp_path / "tw"), "TASKRC": str(tmp_path / "taskrc"),
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}  # Taskwarrior 2.6 needs a HOME
    (tmp_path / "taskrc").write_text("confirmation=off\n")
    (tmp_path / "tw").mkdir()

    def task(*args: str) -> str:
        return subprocess.run(["task", "rc.confirmation=off", *args], env=env,
                              capture_output=True, text=True, check=True).stdout
    task("add", "Écrire le rapport ✍️", "project:Work.Reports", "+writing", "priority:H",
         "due:2026-03-01")
    task("add", "日本語のタスク", "priority:L")
    task("2", "done")
    source = tmp_path / "export.json"
    source.write_text(task("export"), encoding="utf-8")
    result = main(empty_db, "import", "--format", "taskwarrior", str(source))
    assert result.returncode == 0, result.stderr
    tasks = tasks_of(empty_db)
    report = tasks["Écrire le rapport ✍️"]
    assert (report.project, report.complexity, report.notes) == ("Work.Reports", 4, "")
    assert report.tags == ("writing",)
    assert report.due.isoformat() == "2026-03-01"
    assert tasks["日本語のタスク"].status == "done"
