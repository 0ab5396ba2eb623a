"""Planning in files (SPEC v2 §12): ICS ``DUE`` with a time, tags as ``CATEGORIES``,
reminders as ``VALARM``; Taskwarrior tags and todo.txt @contexts imported as tags."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar

from momentum_app.core.exports.ics import export_ics
from momentum_app.core.imports.apply import apply_plan
from momentum_app.core.imports.taskwarrior import parse_taskwarrior
from momentum_app.core.imports.todotxt import parse_todotxt
from momentum_app.core.services import Momentum


def test_ics_due_with_time_categories_and_alarms(app: Momentum, tmp_path: Path) -> None:
    app.projects.add("Health")
    app.items.add_task("Dentist", project="Health", due="2026-01-06T09:00",
                       tags=["teeth", "errands"], remind=["30m"])
    app.items.add_task("Taxes", due="2026-01-20")
    out = export_ics(app, tmp_path / "m.ics").path
    calendar = icalendar.Calendar.from_ical(Path(out).read_bytes())
    todos = {str(t["summary"]): t for t in calendar.walk("VTODO")}
    assert todos["Dentist"].to_ical().decode().count("DUE:20260106T090000Z") == 1
    assert b"DUE;VALUE=DATE:20260120" in todos["Taxes"].to_ical()
    assert [str(c) for c in todos["Dentist"]["categories"].cats] == ["Health", "errands", "teeth"]
    [alarm] = todos["Dentist"].walk("VALARM")
    # Before DUE: a VTODO without DTSTART relates its alarm to the end (issue 18).
    assert alarm.to_ical().decode().count("TRIGGER;RELATED=END:-PT30M") == 1


def test_taskwarrior_tags_and_todotxt_contexts_become_tags(app: Momentum) -> None:
    export = json.dumps([{"uuid": "6b6c1e2e-0000-4000-8000-000000000001", "status": "pending",
                          "description": "Fix the bike", "entry": "20260101T100000Z",
                          "tags": ["garage", "weekend", "not a tag"]}])
    apply_plan(app, parse_taskwarrior(export, "UTC", now=app.clock.now()))
    apply_plan(app, parse_todotxt("(A) Call Mom +Family @phone @home due:2026-01-12\n", "UTC",
                                   now=app.clock.now()))
    tasks = {t.title.split(" +")[0]: t for t in app.items.list_tasks()}  # todo.txt words stay
    assert tasks["Fix the bike"].tags == ("garage", "weekend")
    assert tasks["Call Mom"].tags == ("home", "phone")
    assert [t.title.split(" +")[0] for t in app.items.list_tasks(tag="phone")] == ["Call Mom"]


def test_a_json_backup_keeps_due_times_and_repeat_modes(app: Momentum, tmp_path: Path,
                                                        database, clock) -> None:
    from momentum_app.core.db import open_database
    from momentum_app.core.exports.backup import export_json
    from momentum_app.core.imports.backup import restore_backup

    app.items.add_task("Dentist", due="2026-01-06T09:00", tags=["health", "Phone"],
                       remind=["30m", "2026-01-06T07:00"])
    app.planning.snooze(1, "1h")
    app.items.add_task("Descale", repeat_after="2w")
    app.items.add_task("Standup", repeat="FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=55;COUNT=3")
    out = export_json(app, tmp_path / "backup.json").path
    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        other = Momentum(fresh, clock)
        restore_backup(other, Path(out).read_text(encoding="utf-8"))
        tasks = {t.title: t for t in other.items.list_tasks()}
        assert tasks["Dentist"].due_label == "2026-01-06T09:00"
        assert tasks["Dentist"].due_at == app.items.list_tasks()[0].due_at
        assert tasks["Descale"].repeat_after == "2w"
        assert tasks["Dentist"].tags == ("health", "Phone")
        assert [(r.task, r.at, r.offset) for r in other.planning.upcoming()] == [
            (r.task, r.at, r.offset) for r in app.planning.upcoming()]
        assert len(other.planning.upcoming()) == 2
        spawned = other.items.complete(__import__("momentum_app.core.catalog",
                                                  fromlist=["Kind"]).Kind.TASK,
                                       tasks["Standup"].id).spawned
        assert tasks["Standup"].due_label == "2026-01-12T06:55"  # the first from now
        assert spawned is not None and spawned.due_label == "2026-01-19T06:55"
    finally:
        fresh.close()


def test_a_backup_reminder_of_a_missing_task_is_refused_by_name(app: Momentum,
                                                                tmp_path: Path, clock) -> None:
    import pytest

    from momentum_app.core.db import open_database
    from momentum_app.core.errors import ValidationError
    from momentum_app.core.exports.backup import export_json
    from momentum_app.core.imports.backup import restore_backup

    app.items.add_task("Dentist", due="2026-01-06T09:00", remind=["30m"])
    document = json.loads(Path(export_json(app, tmp_path / "b.json").path).read_text())
    document["profiles"][0]["reminders"][0]["task_id"] = 999
    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        with pytest.raises(ValidationError, match=r"reminders\[0\]\.task_id"):
            restore_backup(Momentum(fresh, clock), json.dumps(document))
    finally:
        fresh.close()
