"""Imports match items by their identity in the source (issue 18): a second import changes
nothing, a newer export updates what changed (and says so), Momentum's own export comes
back onto the items it came from; and what the sources hold is not silently lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from io_support import dump, services

from momentum_app.core.imports import import_file, preview_file

TW_V1 = [
    {"uuid": "11111111-1111-4111-8111-111111111111", "description": "Write report",
     "status": "pending", "entry": "20261101T090000Z", "due": "20261210T120000Z",
     "project": "Work", "wait": "20261205T000000Z", "scheduled": "20261206T000000Z",
     "start": "20261102T080000Z", "estimate": "3h", "reviewer": "Ada"},
    {"uuid": "22222222-2222-4222-8222-222222222222", "description": "Book venue",
     "status": "pending", "entry": "20261101T090000Z",
     "depends": ["11111111-1111-4111-8111-111111111111"]},
    {"uuid": "33333333-3333-4333-8333-333333333333", "description": "Water plants",
     "status": "recurring", "recur": "weekly", "entry": "20261101T090000Z",
     "due": "20261103T090000Z", "until": "20270301T000000Z"},
]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def tw_file(tmp_path: Path, tasks: list[dict[str, object]], name: str = "tw.json") -> Path:
    return write(tmp_path / name, "[\n" + ",\n".join(json.dumps(t) for t in tasks) + "\n]\n")


def test_a_newer_taskwarrior_export_updates_only_what_changed(empty_db, tmp_path):
    with services(empty_db) as app:
        first = import_file(app, "taskwarrior", tw_file(tmp_path, TW_V1))
        assert first.totals() == {"added": 3, "updated": 0, "unchanged": 0, "skipped": 0}
        report = next(t for t in app.items.list_tasks(include_hidden=True)
                      if t.title == "Write report")
        app.items.edit_task(report.id, complexity=5)  # the person's own edit
    before = dump(empty_db)
    with services(empty_db) as app:
        again = import_file(app, "taskwarrior", tw_file(tmp_path, TW_V1))
    assert again.totals() == {"added": 0, "updated": 0, "unchanged": 3, "skipped": 0}
    assert dump(empty_db) == before
    newer = [dict(t) for t in TW_V1]
    newer[0].update(due="20261215T120000Z", wait="20261212T000000Z")
    newer[1].update(status="completed", end="20261120T100000Z")
    with services(empty_db) as app:
        result = import_file(app, "taskwarrior", tw_file(tmp_path, newer, "newer.json"))
        tasks = {t.title: t for t in app.items.list_tasks(status="all", include_hidden=True)}
    assert result.totals() == {"added": 0, "updated": 2, "unchanged": 1, "skipped": 0}
    changed = {u["title"]: u["fields"] for u in result.to_json()["updated"]}
    assert changed == {"Write report": ["due", "hidden_until"],
                       "Book venue": ["status", "completed_at"]}
    assert tasks["Write report"].due.isoformat() == "2026-12-15"
    assert tasks["Write report"].hidden_until == date(2026, 12, 12)  # a later wait
    assert tasks["Write report"].complexity == 5  # kept: the source did not change it
    assert tasks["Book venue"].status == "done"


def test_a_finished_series_keeps_no_template(empty_db, tmp_path):
    tasks = [dict(TW_V1[2], until="20261120T000000Z"),
             {"uuid": "44444444-4444-4444-8444-444444444444", "description": "Water plants",
              "status": "completed", "parent": TW_V1[2]["uuid"], "entry": "20261103T090000Z",
              "end": "20261110T090000Z", "modified": "20261201T000000Z"}]
    with services(empty_db) as app:
        result = import_file(app, "taskwarrior", tw_file(tmp_path, tasks))
        kept = [(t.title, t.status) for t in app.items.list_tasks(status="all")]
    assert kept == [("Water plants", "done")]
    assert "finished recurring series (its template is not kept)" in result.skipped


def test_taskwarrior_fields_are_kept(empty_db, tmp_path):
    with services(empty_db) as app:
        result = import_file(app, "taskwarrior", tw_file(tmp_path, TW_V1))
        tasks = {t.title: t for t in app.items.list_tasks(status="all", include_hidden=True)}
    notes = tasks["Write report"].notes.splitlines()
    # wait and scheduled: hidden until the later of the two (no longer notes lines)
    assert tasks["Write report"].hidden_until == date(2026, 12, 6)
    assert not any(line.startswith(("Waiting until", "Scheduled")) for line in notes)
    assert "Started: 2026-11-02" in notes
    assert "estimate: 3h" in notes and "reviewer: Ada" in notes
    assert "user-defined attribute 'estimate' kept in the notes" in result.notices
    assert tasks["Book venue"].notes == "Blocked by: Write report"
    assert tasks["Water plants"].repeat == "FREQ=WEEKLY;UNTIL=20270301"


def test_momentums_own_ics_export_comes_back_onto_its_items(seeded_db, tmp_path):
    from momentum_app.core.exports import export_ics

    with services(seeded_db) as app:
        export_ics(app, tmp_path / "own.ics")
        count = len(app.items.list_tasks(status="all"))
        result = import_file(app, "ics", tmp_path / "own.ics")
        assert len(app.items.list_tasks(status="all")) == count
    assert result.totals()["added"] == 0 and result.totals()["unchanged"] > 0


def test_an_own_export_imported_back_leaves_what_its_format_cannot_say(empty_db, cli,
                                                                      tmp_path):
    """ICS has no hidden-until day and Taskwarrior no wait on a done task: the import of
    Momentum's own export back into its database changes nothing (it used to clear them)."""
    for args in (["Renew the passport", "--hide-until", "2027-03-01"],
                 ["Descale the kettle", "--repeat-after", "2w", "--hide-until", "2027-01-01"],
                 ["Filed the taxes", "--hide-until", "2027-02-01"]):
        cli(empty_db, "--json", "task", "add", *args).json()
    assert cli(empty_db, "task", "done", "3").returncode == 0
    before = cli(empty_db, "--json", "task", "list", "--status", "all", "--all").json()
    for fmt in ("ics", "taskwarrior"):
        out = tmp_path / f"own.{fmt}"
        cli(empty_db, "export", "--format", fmt, "--out", str(out), "--json").json()
        result = cli(empty_db, "import", "--format", fmt, str(out), "--json").json()
        assert (fmt, result["totals"]) == (fmt, {"added": 0, "updated": 0, "unchanged": 3,
                                                 "skipped": 0})
        assert cli(empty_db, "--json", "task", "list", "--status", "all", "--all").json() == \
            before


def test_going_back_to_taskwarrior_keeps_its_uuids(empty_db, cli, tmp_path):
    """A task that came from Taskwarrior goes back with its own uuid, so ``task import``
    updates it there instead of adding a copy; a repeating one (a series in Taskwarrior)
    keeps Momentum's uuid."""
    source = tmp_path / "tw.json"
    source.write_text(json.dumps([
        {"uuid": "a1b2c3d4-0000-4000-8000-000000000001", "description": "Pay rent",
         "status": "pending", "entry": "20261101T090000Z", "due": "20261201T000000Z"},
        {"uuid": "a1b2c3d4-0000-4000-8000-000000000002", "description": "Review",
         "status": "recurring", "recur": "monthly", "entry": "20261101T090000Z",
         "due": "20261130T000000Z"}]), encoding="utf-8")
    cli(empty_db, "import", "--format", "taskwarrior", str(source), "--json").json()
    assert cli(empty_db, "--json", "task", "add", "Made here").json()["id"] == 3
    out = tmp_path / "back.json"
    cli(empty_db, "export", "--format", "taskwarrior", "--out", str(out), "--json").json()
    uuids = {t["description"]: t["uuid"] for t in json.loads(out.read_text("utf-8"))}
    assert uuids["Pay rent"] == "a1b2c3d4-0000-4000-8000-000000000001"
    assert len(set(uuids.values()) - {"a1b2c3d4-0000-4000-8000-000000000001",
                                      "a1b2c3d4-0000-4000-8000-000000000002"}) == 2
    again = cli(empty_db, "import", "--format", "taskwarrior", str(out), "--json").json()
    assert (again["totals"]["added"], again["totals"]["updated"]) == (0, 0)


def test_todotxt_second_import_and_a_line_done_since(empty_db, tmp_path):
    text = "(A) 2026-11-01 Call Mom +Family @phone due:2026-12-02\nCall Mom +Family @phone\n"
    with services(empty_db) as app:
        assert import_file(app, "todotxt", write(tmp_path / "t.txt", text)).totals()[
            "added"] == 2  # the same words twice: two tasks
        assert import_file(app, "todotxt", write(tmp_path / "t.txt", text)).totals()[
            "added"] == 0
        done = "x 2026-11-05 2026-11-01 Call Mom +Family @phone due:2026-12-02 pri:A\n" \
            "Call Mom +Family @phone\n"
        result = import_file(app, "todotxt", write(tmp_path / "t.txt", done))
        tasks = app.items.list_tasks(status="all")
    assert result.totals() == {"added": 0, "updated": 1, "unchanged": 1, "skipped": 0}
    assert sorted(t.status for t in tasks) == ["done", "open"]


def test_a_long_todotxt_line_keeps_the_rest_in_the_notes(empty_db, tmp_path):
    words = " ".join(f"word{i:03d}" for i in range(80))  # 639 characters
    with services(empty_db) as app:
        import_file(app, "todotxt", write(tmp_path / "t.txt", words + " due:3000-01-01\n"))
        task = app.items.list_tasks()[0]
    assert len(task.title) <= 500 and words.startswith(task.title)
    assert task.notes.startswith("…word") and "due:3000-01-01" in task.notes
    assert (task.title + " " + task.notes.splitlines()[0][1:]) == words
    assert task.due is None


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//EN\r
BEGIN:VEVENT\r
UID:standup@test\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Standup\r
DTSTART:20261102T090000Z\r
DTEND:20261102T091500Z\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE:20261109T090000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:standup@test\r
RECURRENCE-ID:20261116T090000Z\r
SUMMARY:Standup (moved)\r
DTSTART:20261116T100000Z\r
DTEND:20261116T101500Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:trip@test\r
SUMMARY:Trip\r
DTSTART;VALUE=DATE:20261120\r
DTEND;VALUE=DATE:20261122\r
END:VEVENT\r
BEGIN:VTODO\r
UID:move@test\r
SUMMARY:Move house\r
DUE;VALUE=DATE:20261230\r
END:VTODO\r
BEGIN:VTODO\r
UID:boxes@test\r
SUMMARY:Buy boxes\r
RELATED-TO:move@test\r
STATUS:COMPLETED\r
COMPLETED:20261110T100000Z\r
END:VTODO\r
BEGIN:VTODO\r
UID:movers@test\r
SUMMARY:Call movers\r
RELATED-TO;RELTYPE=PARENT:move@test\r
END:VTODO\r
BEGIN:VTODO\r
UID:plain@test\r
DTSTART:20261201T080000Z\r
PERCENT-COMPLETE:40\r
LOCATION:Town hall\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
TRIGGER:-PT15M\r
END:VALARM\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
TRIGGER;RELATED=START:PT-2H\r
END:VALARM\r
END:VTODO\r
END:VCALENDAR\r
"""


def test_ics_recurring_all_day_subtasks_and_properties(empty_db, tmp_path):
    with services(empty_db) as app:
        app.profiles.update(timezone="UTC")
        result = import_file(app, "ics", write(tmp_path / "c.ics", ICS))
        slots = sorted((s.start.isoformat(), s.title) for s in app.items.list_slots())
        goals = app.items.list_goals()
        tasks = {t.title: t for t in app.items.list_tasks(status="all")}
        reminders = app.planning.upcoming()
        again = import_file(app, "ics", tmp_path / "c.ics")
    assert slots == [("2026-11-02T09:00:00+00:00", "Standup"),
                     ("2026-11-16T10:00:00+00:00", "Standup (moved)"),
                     ("2026-11-20T00:00:00+00:00", "Trip"),
                     ("2026-11-23T09:00:00+00:00", "Standup")]
    assert result.counts["goals"] == 1 and result.counts["goal_steps"] == 2
    assert result.skipped == {"alarms with an invalid TRIGGER": 1}
    assert set(tasks) == {"Untitled task"}
    assert tasks["Untitled task"].notes.splitlines() == [
        "Starts: 2026-12-01 08:00", "Location: Town hall", "Progress: 40%"]
    # The alarm 15 minutes before DTSTART is a reminder at that instant (issue 18).
    assert [(r.task, r.at.isoformat(), r.offset) for r in reminders] == [
        ("Untitled task", "2026-12-01T07:45:00+00:00", None)]
    assert again.totals()["added"] == 0 and again.totals()["updated"] == 0
    [goal] = goals
    assert goal.title == "Move house" and goal.target.isoformat() == "2026-12-30"
    assert [(s.title, s.status) for s in goal.steps] == [("Buy boxes", "done"),
                                                         ("Call movers", "open")]


def test_the_preview_writes_nothing_and_counts_what_would_happen(empty_db, tmp_path):
    before = dump(empty_db)
    with services(empty_db) as app:
        seen = preview_file(app, "ics", write(tmp_path / "c.ics", ICS))
    assert dump(empty_db) == before
    assert seen.dry_run and seen.changes["time_slots"]["added"] == 4
    assert seen.changes["goals"]["added"] == 1 and seen.changes["tasks"]["added"] == 1
    with services(empty_db) as app:
        import_file(app, "ics", tmp_path / "c.ics")
        again = preview_file(app, "ics", tmp_path / "c.ics")
    assert again.totals()["unchanged"] == 6 and again.totals()["added"] == 0
