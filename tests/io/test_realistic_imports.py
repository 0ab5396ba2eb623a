"""Imports of files as the other tools really write them (issue 18): Todoist's template CSV
(UTF-8 BOM, sections, notes, sub-tasks, ``@labels``, doubled quotes) and its backup zip,
TickTick's backup (preamble lines, a multi-line quoted legend, checklists, ``parentId``
sub-tasks, dates with zones), Google Takeout's ``Tasks.json`` (lists, ``parent``,
completed / hidden / deleted tasks) and Habitica's user data export (dailies with their
history, to-dos with checklists, habits and rewards). Each file is imported into a real
database, checked field by field, and imported again: the second import changes nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from io_support import dump, services

from momentum_app.core.imports import import_file
from momentum_app.core.imports.goal_records import REPEATS, SUBTASKS, TAGS

FILES = Path(__file__).parent / "realistic"


def load(db: Path, fmt: str, source: Path) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """Import into a profile in Berlin; (result, tasks by title, goals by title)."""
    with services(db) as app:
        app.profiles.update(timezone="Europe/Berlin")
        result = import_file(app, fmt, source)
        tasks = {t.title: t for t in app.items.list_tasks(status="all", include_deleted=True)}
        goals = {g.title: g for g in app.items.list_goals()}
    return result, tasks, goals


def again_changes_nothing(db: Path, fmt: str, source: Path) -> None:
    before = dump(db)
    with services(db) as app:
        result = import_file(app, fmt, source)
    assert (result.totals()["added"], result.totals()["updated"]) == (0, 0)
    assert dump(db) == before


def test_todoist_template_csv(empty_db):
    source = FILES / "Groceries.csv"
    assert source.read_bytes().startswith(b"\xef\xbb\xbf")  # as Todoist writes it
    result, tasks, goals = load(empty_db, "todoist", source)
    assert result.totals() == {"added": 4, "updated": 0, "unchanged": 0, "skipped": 2}
    milk = tasks["Buy oat milk"]  # "@errands" is a label: a tag, out of the title
    assert (milk.tags, milk.repeat, milk.complexity) == (("errands",), "FREQ=WEEKLY;BYDAY=MO", 1)
    assert milk.notes == "Section: Weekly shop\nDate: every monday"
    bread = tasks['Bake bread, the "good" recipe']  # doubled quotes, a comma inside
    assert (bread.due.isoformat(), bread.complexity) == ("2026-12-05", 3)
    assert bread.notes.splitlines() == [
        "Section: Weekly shop", "Sourdough: feed the starter the night before",
        "Duration: 45 minutes", "Comment: Use the rye flour"]
    assert tasks["Zürich café 👵"].notes == "Section: Party\nDate: tomorrow"
    party = goals["Plan the party"]  # a task with sub-tasks: a goal with steps
    assert [s.title for s in party.steps] == ["Order the cake", "Send invitations 🎉"]
    assert "Assigned to: Bob (41234568)" in party.notes
    # A goal has no labels or repeat: kept readable in its notes and listed as skipped.
    assert "#home #weekend" in party.notes and "Repeats: FREQ=WEEKLY;INTERVAL=2" in party.notes
    assert set(result.skipped) == {TAGS, REPEATS}
    again_changes_nothing(empty_db, "todoist", source)


def test_a_todoist_sub_task_keeps_what_a_step_cannot_hold(empty_db, tmp_path):
    """A sub-task becomes a step (a title and a done state): its description, date and
    labels were dropped without a word; they go into the goal's notes, listed as skipped."""
    source = tmp_path / "Trip.csv"
    source.write_text(
        "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\n"
        "task,Pack for the trip @travel,,1,1,Ada,,2026-12-20,en,Europe/Berlin\n"
        "task,Passport @papers,Check the expiry,1,2,Ada,,2026-12-18,en,Europe/Berlin\n"
        "task,Sunscreen,,1,2,Ada,,,en,Europe/Berlin\n", encoding="utf-8")
    result, _, goals = load(empty_db, "todoist", source)
    trip = goals["Pack for the trip"]
    assert [s.title for s in trip.steps] == ["Passport", "Sunscreen"]
    assert trip.target.isoformat() == "2026-12-20"
    assert trip.notes.splitlines() == ["#travel", 'Step "Passport":', "Check the expiry",
                                       "#papers", "Due: 2026-12-18"]
    assert result.skipped == {TAGS: 1, SUBTASKS: 1}
    again_changes_nothing(empty_db, "todoist", source)


def test_todoist_template_csv_goes_into_the_project_named_like_the_file(empty_db, cli,
                                                                       tmp_path):
    """As the backup's files do: Todoist writes a project's template as ``NAME.csv``."""
    source = tmp_path / "Home Chores.csv"
    source.write_bytes((FILES / "Groceries.csv").read_bytes())
    shown = cli(empty_db, "import", "--format", "todoist", str(source), "--dry-run", "--json")
    assert shown.json()["totals"]["added"] == 4
    cli(empty_db, "import", "--format", "todoist", str(source), "--json").json()
    tasks = cli(empty_db, "--json", "task", "list", "--status", "all").json()
    goals = cli(empty_db, "--json", "goal", "list").json()
    assert {t["project"] for t in tasks} | {g["project"] for g in goals} == {"Home Chores"}
    again = cli(empty_db, "import", "--format", "todoist", str(source), "--json").json()
    assert again["totals"] == {"added": 0, "updated": 0, "unchanged": 4, "skipped": 2}


def test_todoist_backup_zip(empty_db, tmp_path):
    backup = tmp_path / "todoist-backup.zip"
    with zipfile.ZipFile(backup, "w") as archive:
        archive.write(FILES / "Groceries.csv", "Groceries [2203309823].csv")
        archive.writestr("Work [2203309824].csv",
                         "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,"
                         "DATE_LANG,TIMEZONE\r\ntask,Send the invoice @billing,,1,1,"
                         "Ada (41234567),,2026-12-07 09:30,en,Europe/Berlin\r\n")
    result, tasks, goals = load(empty_db, "todoist", backup)
    assert result.counts["projects"] == 2  # one project per file, the id suffix dropped
    assert tasks["Buy oat milk"].project == "Groceries"
    invoice = tasks["Send the invoice"]
    assert (invoice.project, invoice.complexity, invoice.tags) == ("Work", 4, ("billing",))
    assert (invoice.due.isoformat(), invoice.due_time) == ("2026-12-07", "09:30")
    assert goals["Plan the party"].project == "Groceries"
    again_changes_nothing(empty_db, "todoist", backup)


def test_ticktick_backup(empty_db):
    source = FILES / "TickTick-backup.csv"
    result, tasks, goals = load(empty_db, "ticktick", source)
    # The checklist's tag: a goal has none, so it is in the notes and listed as skipped.
    assert result.totals() == {"added": 5, "updated": 0, "unchanged": 0, "skipped": 1}
    plumber = tasks["Call the plumber"]  # all day in Paris: 23:00 UTC is the next day
    assert (plumber.project, plumber.complexity, plumber.tags) == ("Inbox", 4,
                                                                    ("home", "urgent"))
    assert (plumber.due.isoformat(), plumber.due_time) == ("2026-12-04", None)
    assert plumber.notes == "Leaking tap in the kitchen"
    plants = tasks["Water the plants 🌿"]
    assert (plants.project, plants.repeat, plants.tags) == (
        "Habits", "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE", ("garden",))
    insurance = tasks["Renewed the car insurance"]  # status 1: done then (history)
    assert insurance.status == "done"
    assert insurance.completed_at.isoformat() == "2026-10-02T14:00:00+00:00"
    report = goals["Quarterly report"]  # parentId sub-tasks: steps, their status kept
    assert report.project == "Projects" and report.target.isoformat() == "2026-12-10"
    assert [(s.title, s.status) for s in report.steps] == [
        ("Collect the figures", "done"), ("Write the summary", "open")]
    packing = goals["Packing list"]  # a checklist: ▫ open, ✓ done
    assert [(s.title, s.status) for s in packing.steps] == [
        ("Passport", "open"), ("Charger", "done"), ("Sunscreen", "open")]
    assert packing.notes == "#travel"
    again_changes_nothing(empty_db, "ticktick", source)


def test_ticktick_timed_due_keeps_its_time(empty_db, tmp_path):
    lines = (FILES / "TickTick-backup.csv").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith('"Folder Name"'))
    row = ('"","Inbox","Dentist","TEXT","","","N","","2026-12-08T13:30:00+0000","","","0",'
           '"0","2026-11-28T09:00:00+0000","","1","Europe/Paris","false","false","","",'
           '"list","6571a1e2f0c9b1000000b001",""')
    source = tmp_path / "t.csv"
    source.write_text(f"{header}\n{row}\n", encoding="utf-8")
    _result, tasks, _goals = load(empty_db, "ticktick", source)
    dentist = tasks["Dentist"]  # 13:30 UTC is 14:30 in Berlin
    assert (dentist.due.isoformat(), dentist.due_time) == ("2026-12-08", "14:30")


def test_google_takeout_tasks(empty_db):
    source = FILES / "Tasks.json"
    result, tasks, goals = load(empty_db, "google-tasks", source)
    assert result.counts["projects"] == 1  # "My Tasks" is the inbox, "Someday" is empty
    passport = goals["Renew passport 🛂"]  # tasks naming it as parent: its steps
    assert passport.project == "Inbox" and passport.target.isoformat() == "2026-12-15"
    assert [(s.title, s.status) for s in passport.steps] == [
        ("Book the appointment", "done"), ("Take photos", "open")]
    assert passport.notes.splitlines() == [
        "Bring two photos", "and the old passport",
        "Appointment confirmation: https://mail.google.com/mail/#all/18c2"]
    bill = tasks["Pay the electricity bill"]  # completed and hidden: history
    assert bill.status == "done" and bill.completed_at.isoformat() == "2026-11-20T08:30:00+00:00"
    assert tasks["Old idea"].deleted  # deleted: restorable, not lost
    assert (tasks["Prepare the slides"].project,
            tasks["Prepare the slides"].due.isoformat()) == ("Work", "2026-12-04")
    again_changes_nothing(empty_db, "google-tasks", source)


def test_habitica_user_data(empty_db):
    source = FILES / "habitica-user-data.json"
    result, tasks, goals = load(empty_db, "habitica", source)
    assert result.skipped == {"Habitica habits (no counterpart in Momentum)": 1,
                              "Habitica rewards (no counterpart in Momentum)": 1, TAGS: 1}
    with services(empty_db) as app:
        runs = [t for t in app.items.list_tasks(status="all") if t.title == "Morning run 🏃"]
        assert app.reads.progress().total_points == 0  # history, not points
    [daily] = [t for t in runs if t.status == "open"]
    assert (daily.repeat, daily.complexity, daily.due.isoformat()) == (
        "FREQ=WEEKLY;BYDAY=MO,WE,FR", 3, "2026-11-02")
    # "Health + Wellness" is not one word: kept readable in the notes, not lost.
    assert daily.notes == "#Health_+_Wellness\n5 km at least" and daily.tags == ()
    assert sorted(t.completed_at.isoformat() for t in runs if t.status == "done") == [
        "2026-11-30T06:00:00+00:00", "2026-12-04T06:00:00+00:00"]  # completed history only
    desk = tasks["Tidy the desk"]
    assert (desk.repeat, desk.tags) == ("FREQ=DAILY;INTERVAL=2", ("Chores",))
    taxes = goals["File the tax return"]  # due at local midnight in Berlin
    assert taxes.target.isoformat() == "2026-12-11"
    assert "#Work" in taxes.notes  # a goal has no tags: kept in its notes, listed
    assert result.skipped[TAGS] == 1
    assert [(s.title, s.status) for s in taxes.steps] == [
        ("Gather receipts", "done"), ("Fill the form", "open")]
    present = tasks["Buy a birthday present"]
    assert present.status == "done" and present.complexity == 1
    again_changes_nothing(empty_db, "habitica", source)


@pytest.mark.parametrize("fmt,name", [("todoist", "Groceries.csv"),
                                      ("ticktick", "TickTick-backup.csv"),
                                      ("google-tasks", "Tasks.json"),
                                      ("habitica", "habitica-user-data.json")])
def test_the_real_cli_imports_each_file(empty_db, cli, fmt, name):
    first = cli(empty_db, "import", "--format", fmt, str(FILES / name), "--json").json()
    assert first["totals"]["added"] > 0
    again = cli(empty_db, "import", "--format", fmt, str(FILES / name), "--json").json()
    assert (again["totals"]["added"], again["totals"]["updated"]) == (0, 0)


def test_a_google_due_that_is_no_date_leaves_out_the_due_not_the_file(empty_db, cli, tmp_path):
    """SPEC §9: a valid file with one odd property imports; the outcome says what was
    skipped. The task comes in without its due, the value kept in its notes; a file that
    is not JSON is still refused whole, with its line, and nothing written."""
    data = json.loads((FILES / "Tasks.json").read_text("utf-8"))
    data["items"][0]["items"][0]["due"] = "next Tuesday"
    source = tmp_path / "Tasks.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    title = data["items"][0]["items"][0]["title"]
    result = cli(empty_db, "import", "--format", "google-tasks", str(source), "--json").json()
    assert result["notices"]["Google Tasks due values that are not dates (due; kept in "
                             "the notes)"] == 1
    with services(empty_db) as app:
        kept = {t.title: t for t in app.items.list_tasks(status="all", include_deleted=True)}
        kept.update({g.title: g for g in app.items.list_goals()})
    assert "due: next Tuesday" in kept[title].notes.splitlines()
    assert len(kept) == sum(1 for _ in _titles(data))
    broken = tmp_path / "broken.json"
    broken.write_text(source.read_text("utf-8")[:-40], encoding="utf-8")
    before = dump(empty_db)
    refused = cli(empty_db, "import", "--format", "google-tasks", str(broken))
    assert refused.returncode == 2 and "line 1" in refused.stderr
    assert dump(empty_db) == before


def _titles(data: dict[str, Any]) -> Any:
    """The titles of the tasks that are no step of another."""
    for task_list in data["items"]:
        tasks = task_list.get("items") or []
        ids = {t["id"] for t in tasks}
        yield from (t["title"] for t in tasks if t.get("parent") not in ids)
