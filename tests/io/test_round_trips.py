"""Every way out comes back in (issue 18): export → import into a fresh database → the same
items, tags, dues and repeats; and importing the export a second time changes nothing.

One source database holds what a person has: projects, tags, dates and due times, repeat
rules, notes, a done task, a goal with steps and a time slot. Each format carries what it
can say (the table below); what it cannot is counted in the export's ``left_out``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from io_support import NOW, dump, services

from momentum_app.core.catalog import Kind
from momentum_app.core.exports.backup import export_json
from momentum_app.core.exports.csv_export import export_csv
from momentum_app.core.exports.ics import export_ics
from momentum_app.core.exports.task_formats import export_taskwarrior, export_todotxt
from momentum_app.core.imports import import_file
from momentum_app.core.imports.backup import restore_backup

#: What each format carries back, beyond title, project, status, due date and repeat rule.
#: Every format carries ``repeat_after`` ("two weeks after each completion"; todo.txt's
#: ``rec:2w`` without ``+``).
CARRIES = {
    "csv": {"complexity", "notes", "tags", "due_time", "hidden_until", "reminders"},
    "ics": {"complexity", "notes", "tags", "due_time", "reminders", "goals", "slots"},
    "taskwarrior": {"complexity", "notes", "tags", "due_time", "hidden_until", "reminders"},
    "todotxt": {"tags", "hidden_until"},
    "json": {"complexity", "notes", "tags", "due_time", "reminders", "goals", "slots",
             "hidden_until"},
}
TASKS = 7


def make_source(db: Path) -> None:
    with services(db) as app:
        app.profiles.update(timezone="Europe/Berlin")
        app.items.add_task("Dentist", project="Health", due="2026-02-03T09:30",
                           tags=["teeth", "errands"], remind=["30m"], complexity=4,
                           notes="Bring the insurance card")
        app.items.add_task("Water the plants 🌿", project="Home", due="2026-01-14",
                           repeat="FREQ=WEEKLY", tags=["garden"], complexity=2)
        app.items.add_task("Pay rent", project="Home", due="2026-02-01",
                           repeat="FREQ=MONTHLY", complexity=3)
        app.items.add_task("Zürich café 👵, \"quoted\"", notes="line one\nline two")
        app.items.add_task("Renew the passport", hide_until="2027-03-01")
        app.items.add_task("Descale the kettle", repeat_after="2w")
        done = app.items.add_task("Call the bank", due="2026-01-10", complexity=5,
                                  tags=["phone"])
        app.items.complete(Kind.TASK, done.id)
        goal = app.items.add_goal("Run a marathon", project="Health", target="2026-06-01")
        app.items.add_step(goal.id, "Buy shoes")
        app.items.add_step(goal.id, "Run 10 km")
        app.items.add_slot("Deep work", "2026-01-13T09:00:00+01:00",
                           "2026-01-13T10:30:00+01:00")


def export(db: Path, fmt: str, out: Path) -> Path:
    with services(db) as app:
        if fmt == "csv":
            return Path(export_csv(app, out / "tasks.csv", table="tasks", bom=True)
                        .files["tasks"])
        writer: Any = {"ics": export_ics, "taskwarrior": export_taskwarrior,
                       "todotxt": export_todotxt, "json": export_json}[fmt]
        return Path(writer(app, out / f"export.{fmt}").path)


def bring_in(db: Path, fmt: str, path: Path) -> Any:
    with services(db) as app:
        app.profiles.update(timezone="Europe/Berlin")
        if fmt == "json":
            return restore_backup(app, path.read_text(encoding="utf-8"))
        return import_file(app, fmt, path)


def what_a_person_sees(db: Path, fmt: str) -> dict[str, Any]:
    carried = CARRIES[fmt]
    with services(db) as app:
        app.profiles.update(timezone="Europe/Berlin")
        tasks = {}
        for task in app.items.list_tasks(status="all", include_hidden=True):
            title = task.title
            if fmt == "todotxt":  # todo.txt's words stay in the title: +Project @tag
                title = " ".join(w for w in title.split() if w[:1] not in "+@")
            row: dict[str, Any] = {"project": task.project, "status": task.status,
                                   "due": task.due and task.due.isoformat(),
                                   "repeat": task.repeat,
                                   "repeat_after": task.repeat_after}
            for name in ("complexity", "notes", "tags", "due_time", "hidden_until"):
                if name in carried:
                    row[name] = getattr(task, name)
            tasks[title] = row
        if "reminders" in carried:
            for reminder in app.planning.upcoming():
                tasks[reminder.task].setdefault("reminders", []).append(
                    reminder.at.isoformat())
        out: dict[str, Any] = {"tasks": tasks}
        if "goals" in carried:
            out["goals"] = {g.title: (g.project, g.target and g.target.isoformat(),
                                      [(s.title, s.status) for s in g.steps])
                            for g in app.items.list_goals()}
        if "slots" in carried:
            out["slots"] = sorted((s.title, s.start.isoformat(), s.minutes)
                                  for s in app.items.list_slots())
    return out


@pytest.fixture(scope="module")
def source_db(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    path = tmp_path_factory.mktemp("round-trip") / "source.sqlite3"
    shutil.copyfile(template_db, path)
    make_source(path)
    return path


@pytest.mark.parametrize("fmt", sorted(CARRIES))
def test_export_then_import_into_a_fresh_database_gives_the_same_items(
        fmt, source_db, empty_db, tmp_path):
    path = export(source_db, fmt, tmp_path)
    bring_in(empty_db, fmt, path)
    expected, got = what_a_person_sees(source_db, fmt), what_a_person_sees(empty_db, fmt)
    assert got == expected
    assert len(got["tasks"]) == TASKS
    assert got["tasks"]["Descale the kettle"]["repeat_after"] == "2w"
    if "hidden_until" in CARRIES[fmt]:
        assert got["tasks"]["Renew the passport"]["hidden_until"].isoformat() == "2027-03-01"
    if fmt != "todotxt":
        assert got["tasks"]["Dentist"]["tags"] == ("errands", "teeth")
    if fmt == "json":
        return  # a backup restores whole; a second restore is refused, not merged
    before = dump(empty_db)
    again = bring_in(empty_db, fmt, path)
    assert (again.totals()["added"], again.totals()["updated"]) == (0, 0)
    assert dump(empty_db) == before


def test_the_ics_round_trip_keeps_the_reminder_before_the_due_time(source_db, empty_db,
                                                                  tmp_path):
    bring_in(empty_db, "ics", export(source_db, "ics", tmp_path))
    with services(empty_db) as app:
        [reminder] = app.planning.upcoming()
    assert (reminder.task, reminder.offset) == ("Dentist", "30m")
    assert reminder.at.isoformat() == "2026-02-03T08:00:00+00:00"  # 09:30 Berlin − 30 min
    assert reminder.at > NOW
