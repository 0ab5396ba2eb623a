"""todo.txt and iCalendar imports; iCalendar export."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import icalendar
from io_support import services

from momentum_app.core.imports import parse_todotxt

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)

TODO_TXT = """\
(A) 2026-01-02 Call Mom +Family @phone due:2026-01-12
x 2026-01-05 2026-01-01 Pay rent +Home @online pri:B
(C) Water the plants 🌿 +Home.Garden rec:1w due:2026-01-10
(D) Someday: learn Hebrew שלום @reading t:2026-06-01
x Cleaned the garage

Review https://example.com/page +Work
"""

CALENDAR = """\
BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//EN\r
BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VTODO\r
UID:a@test\r
SUMMARY:Renew passport 🛂\r
DUE;VALUE=DATE:20260201\r
PRIORITY:1\r
CATEGORIES:Admin,Urgent\r
DESCRIPTION:Bring two photos\r
STATUS:NEEDS-ACTION\r
END:VTODO\r
BEGIN:VTODO\r
UID:b@test\r
SUMMARY:File taxes\r
STATUS:COMPLETED\r
COMPLETED:20260105T153000Z\r
PRIORITY:5\r
END:VTODO\r
BEGIN:VEVENT\r
UID:c@test\r
SUMMARY:Deep work 深い\r
DTSTART;TZID=Europe/Paris:20260106T090000\r
DTEND;TZID=Europe/Paris:20260106T103000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:d@test\r
SUMMARY:Floating standup\r
DTSTART:20260107T093000\r
DURATION:PT15M\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:e@test\r
SUMMARY:Holiday\r
DTSTART;VALUE=DATE:20260110\r
DTEND;VALUE=DATE:20260111\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_todotxt_cli_import(empty_db, cli, tmp_path):
    source = tmp_path / "todo.txt"
    source.write_text(TODO_TXT, encoding="utf-8")
    data = cli(empty_db, "--profile", "default", "import", "--format", "todotxt", str(source),
               "--json").json()
    assert data["imported"]["tasks"] == 6 and data["imported"]["done"] == 2
    with services(empty_db) as app:
        tasks = {t.title: t for t in app.items.list_tasks(status="all", include_hidden=True)}
        assert app.reads.progress().total_points == 0
    mom = tasks["Call Mom +Family @phone"]  # todo.txt's words stay in place
    assert (mom.complexity, mom.project, mom.due.isoformat(), mom.notes) == (
        5, "Family", "2026-01-12", "")
    rent = tasks["Pay rent +Home @online"]
    assert (rent.status, rent.complexity, rent.project) == ("done", 4, "Home")
    assert rent.completed_at is not None and rent.completed_at.date().isoformat() == "2026-01-05"
    plants = tasks["Water the plants 🌿 +Home.Garden"]
    # rec: without "+" repeats a week after each completion (todo.txt's non-strict rule)
    assert (plants.complexity, plants.repeat, plants.repeat_after, plants.project) == (
        3, None, "1w", "Home.Garden")
    someday = tasks["Someday: learn Hebrew שלום @reading"]
    assert someday.complexity == 2 and someday.notes == ""
    assert someday.hidden_until.isoformat() == "2026-06-01"  # t: (threshold)
    assert tasks["Cleaned the garage"].status == "done"
    assert "Review https://example.com/page +Work" in tasks


def test_todotxt_rec_strict_from_the_due_date_and_plain_after_each_completion(
        empty_db, cli, tmp_path):
    source = tmp_path / "todo.txt"
    source.write_text("Descale the kettle rec:2w\n"
                      "(B) Water the ferns rec:+1w due:2026-01-14\n"
                      "Stretch rec:1b due:2026-01-14\n", encoding="utf-8")
    cli(empty_db, "import", "--format", "todotxt", str(source), "--json").json()
    tasks = {t["title"]: t for t in cli(empty_db, "--json", "task", "list").json()}
    assert {title: (t["repeat"], t["repeat_after"]) for title, t in tasks.items()} == {
        "Descale the kettle": (None, "2w"), "Water the ferns": ("FREQ=WEEKLY", None),
        "Stretch": ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", None)}
    again = cli(empty_db, "import", "--format", "todotxt", str(source), "--json").json()
    assert again["totals"] == {"added": 0, "updated": 0, "unchanged": 3, "skipped": 0}
    out = tmp_path / "back.txt"
    cli(empty_db, "export", "--format", "todotxt", "--out", str(out), "--json").json()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("Descale the kettle rec:2w momentum:1")
    assert lines[1].endswith("Water the ferns due:2026-01-14 rec:+1w momentum:2")


def test_todotxt_errors_name_the_line():
    try:
        parse_todotxt("ok task\n\nbad one due:2026-13-01\n", "UTC", now=NOW)
    except Exception as exc:  # noqa: BLE001
        assert str(exc) == "line 3: due: not a date (YYYY-MM-DD): '2026-13-01'"
    else:
        raise AssertionError("no error")


def test_ics_cli_import(empty_db, cli, tmp_path):
    source = tmp_path / "calendar.ics"
    source.write_text(CALENDAR, encoding="utf-8", newline="")
    data = cli(empty_db, "import", "--format", "ics", str(source), "--json").json()
    assert data["imported"]["tasks"] == 2 and data["imported"]["time_slots"] == 3
    assert data["skipped"] == {}  # the all-day holiday is an all-day slot
    with services(empty_db) as app:
        app.profiles.update(timezone="Europe/Paris")
        tasks = {t.title: t for t in app.items.list_tasks(status="all")}
        slots = {s.title: s for s in app.items.list_slots()}
    passport = tasks["Renew passport 🛂"]
    assert (passport.complexity, passport.due.isoformat()) == (5, "2026-02-01")
    assert passport.notes == "Bring two photos"
    assert passport.tags == ("Admin", "Urgent")  # CATEGORIES are tags (issue 18)
    taxes = tasks["File taxes"]
    assert (taxes.status, taxes.complexity) == ("done", 3)
    assert taxes.completed_at.isoformat() == "2026-01-05T15:30:00+00:00"
    deep = slots["Deep work 深い"]
    assert deep.start.isoformat() == "2026-01-06T08:00:00+00:00" and deep.minutes == 90
    assert slots["Floating standup"].minutes == 15


def test_ics_export_and_round_trip(seeded_db, empty_db, cli, main, tmp_path):
    target = tmp_path / "out.ics"
    data = cli(seeded_db, "export", "--format", "ics", "--out", str(target), "--json").json()
    rows = data["exported"]["rows"]
    assert rows["tasks"] > 0 and rows["time_slots"] > 0
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    every = list(calendar.walk("VTODO"))
    todos = [t for t in every if str(t["UID"]).startswith("task-")]
    events = list(calendar.walk("VEVENT"))
    assert len(todos) == rows["tasks"] and len(events) == rows["time_slots"]
    with services(seeded_db) as app:  # every task, dated or not (issue 18)
        assert rows["tasks"] == len(app.items.list_tasks(status="all"))
    assert all(str(t["UID"]).startswith(("task-", "goal-", "step-")) for t in every)
    for todo in todos:
        assert str(todo["UID"]).endswith("@momentum.local")
        if "DUE" in todo:
            assert type(todo.decoded("DUE")).__name__ == "date"
        assert str(todo["STATUS"]) in ("COMPLETED", "NEEDS-ACTION")
        if str(todo["STATUS"]) == "COMPLETED":
            assert todo.decoded("COMPLETED").utcoffset().total_seconds() == 0
    for event in events:
        assert str(event["UID"]).startswith("slot-")
        assert event.decoded("DTSTART").utcoffset().total_seconds() == 0
    # UIDs are stable from one export to the next
    again = tmp_path / "again.ics"
    main(seeded_db, "export", "--format", "ics", "--out", str(again))
    uids = {str(c["UID"]) for c in calendar.walk() if "UID" in c}
    assert uids == {str(c["UID"]) for c in icalendar.Calendar.from_ical(
        again.read_bytes()).walk() if "UID" in c}
    # and the file comes back in: projects, priorities, done slots
    result = main(empty_db, "import", "--format", "ics", str(target), "--json")
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)["imported"]
    assert imported["tasks"] == rows["tasks"] and imported["time_slots"] == rows["time_slots"]
    with services(seeded_db) as app:
        original = sorted((t.title, t.project, t.complexity, t.status, str(t.due))
                          for t in app.items.list_tasks(status="all") if t.due)
        done_slots = sum(1 for s in app.items.list_slots() if s.status == "done")
    with services(empty_db) as app:
        restored = sorted((t.title, t.project, t.complexity, t.status, str(t.due))
                          for t in app.items.list_tasks(status="all"))
        assert sum(1 for s in app.items.list_slots() if s.status == "done") == done_slots
    assert restored == original
