"""What an import carries over instead of dropping (issue 18, the outside tester's
defects of session 12), through the real command line in a subprocess:

* TickTick's ``Reminder`` column (``-PT30M``, ``-P1D``, ``PT0S``, several separated by
  commas) becomes reminders before the due, read by the same conversion as an iCalendar
  ``TRIGGER``; one without a due, or one that cannot be read, stays in the notes and is
  listed as skipped with its reason;
* a task that becomes a goal (an iCalendar VTODO with ``RELATED-TO`` children, a TickTick
  checklist) keeps what a goal cannot hold — tags, reminders, a repeat rule — readable in
  its notes, and the import lists each as skipped with the reason, never silently; so
  does what a subtask said besides its title and done state (it becomes a step).

Each import is previewed first (``--dry-run`` writes nothing) and imported again (the
second import changes nothing)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

HEADER = ('"Folder Name","List Name","Title","Kind","Tags","Content","Is Check list",'
          '"Start Date","Due Date","Reminder","Repeat","Priority","Status","Created Time",'
          '"Completed Time","Order","Timezone","Is All Day","Is Floating","Column Name",'
          '"Column Order","View Mode","taskId","parentId"')
PREAMBLE = '"Date: 2026-01-10+0000"\n"Version: 7.1"\n"Status: \n0 Normal\n1 Completed\n2 Archived"'


def ticktick_row(task_id: str, title: str, *, kind: str = "TEXT", tags: str = "",
                 content: str = "", due: str = "", reminder: str = "", repeat: str = "",
                 all_day: str = "false") -> str:
    cells = ["", "Inbox", title, kind, tags, content, "Y" if kind == "CHECKLIST" else "N", "",
             due, reminder, repeat, "0", "0", "2026-01-05T09:00:00+0000", "", "1",
             "Europe/Paris", all_day, "false", "", "", "list", task_id, ""]
    return ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_twice(cli: Any, db: Path, fmt: str, source: Path) -> dict[str, Any]:
    """A preview that writes nothing, the import, and a second import that changes
    nothing; the first import's JSON outcome."""
    before = sha(db)
    preview = cli(db, "import", "--format", fmt, str(source), "--dry-run", "--json").json()
    assert sha(db) == before
    first = cli(db, "import", "--format", fmt, str(source), "--json").json()
    assert first["skipped"] == preview["skipped"]
    again = cli(db, "import", "--format", fmt, str(source), "--json").json()
    assert (again["totals"]["added"], again["totals"]["updated"]) == (0, 0)
    return first


def reasons(outcome: dict[str, Any], words: str) -> int:
    """How many items the outcome lists as skipped for a reason that says ``words``."""
    return sum(count for reason, count in outcome["skipped"].items() if words in reason)


def test_ticktick_reminders_become_reminders_before_the_due(empty_db, cli, tmp_path):
    source = tmp_path / "TickTick-backup.csv"
    source.write_text("\n".join([
        PREAMBLE, HEADER,
        ticktick_row("t1", "Dentist", due="2026-02-03T13:30:00+0000", reminder="-PT30M,-P1D"),
        ticktick_row("t2", "Pay rent", due="2026-01-31T23:00:00+0000", reminder="PT0S",
                     all_day="true"),
        ticktick_row("t3", "Someday", reminder="-PT30M"),
        ticktick_row("t4", "Odd alarm", due="2026-02-05T10:00:00+0000",
                     reminder="-PT1H, soon"),
    ]) + "\n", encoding="utf-8")
    outcome = import_twice(cli, empty_db, "ticktick", source)
    upcoming = cli(empty_db, "--json", "remind", "list").json()
    offsets: dict[str, list[str]] = {}
    for reminder in upcoming:
        offsets.setdefault(reminder["task"], []).append(reminder["offset"])
    assert {task: sorted(found) for task, found in offsets.items()} == {
        "Dentist": ["1d", "30m"], "Pay rent": ["0m"], "Odd alarm": ["1h"]}
    dentist = next(r for r in upcoming if r["task"] == "Dentist" and r["offset"] == "30m")
    assert dentist["at"] == "2026-02-03T13:00:00+00:00"  # 30 minutes before 13:30 UTC
    tasks = {t["title"]: t for t in cli(empty_db, "--json", "task", "list").json()}
    assert tasks["Dentist"]["notes"] == ""  # nothing left over: no "Reminder:" line
    assert tasks["Someday"]["notes"] == "Reminder: -PT30M"  # no due: kept in the notes
    assert tasks["Odd alarm"]["notes"] == "Reminder: soon"
    assert reasons(outcome, "without a due") == 1
    assert reasons(outcome, "could not be read") == 1


def test_an_ics_task_with_subtasks_keeps_its_tags_and_alarm_in_the_goal(empty_db, cli,
                                                                        tmp_path):
    source = tmp_path / "tasks.ics"
    source.write_text("\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Tasks//EN",
        "BEGIN:VTODO", "UID:move-1", "SUMMARY:Move house", "CATEGORIES:home,errands",
        "DUE:20260220T170000Z", "RRULE:FREQ=MONTHLY",
        "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Move",
        "TRIGGER;RELATED=END:-PT15M", "END:VALARM", "END:VTODO",
        "BEGIN:VTODO", "UID:move-2", "SUMMARY:Book the van", "RELATED-TO:move-1",
        "DESCRIPTION:the big one", "CATEGORIES:phone", "END:VTODO",
        "BEGIN:VTODO", "UID:move-3", "SUMMARY:Pack the books", "RELATED-TO:move-1",
        "END:VTODO", "END:VCALENDAR"]) + "\r\n", encoding="utf-8")
    outcome = import_twice(cli, empty_db, "ics", source)
    goals = cli(empty_db, "--json", "goal", "list").json()
    assert [g["title"] for g in goals] == ["Move house"]
    notes = goals[0]["notes"].splitlines()
    assert "#home #errands" in notes
    assert "Reminder: 15 minutes before the due" in notes
    assert "Repeats: FREQ=MONTHLY" in notes
    # A subtask is a step (a title and a done state); what else it said is in the notes.
    assert [s["title"] for s in goals[0]["steps"]] == ["Book the van", "Pack the books"]
    assert notes[notes.index('Step "Book the van":') + 1:][:2] == ["the big one", "#phone"]
    assert not any("Pack the books" in line for line in notes)
    assert reasons(outcome, "goals have no tags") == 1
    assert reasons(outcome, "goals have no reminders") == 1
    assert reasons(outcome, "goals do not repeat") == 1
    assert reasons(outcome, "subtasks imported as goal steps") == 1


def test_a_repeating_ticktick_checklist_keeps_its_rule_in_the_goal(empty_db, cli, tmp_path):
    source = tmp_path / "TickTick-backup.csv"
    source.write_text("\n".join([
        PREAMBLE, HEADER,
        ticktick_row("c1", "Weekly review", kind="CHECKLIST", tags="work",
                     content="▫Inbox to zero\n✓Plan the week\nBring coffee",
                     due="2026-02-06T16:00:00+0000", reminder="-PT10M",
                     repeat="RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=FR"),
    ]) + "\n", encoding="utf-8")
    outcome = import_twice(cli, empty_db, "ticktick", source)
    goals = cli(empty_db, "--json", "goal", "list").json()
    assert [g["title"] for g in goals] == ["Weekly review"]
    notes = goals[0]["notes"].splitlines()
    assert "Bring coffee" in notes  # a content line that is not an item stays
    assert "Repeats: FREQ=WEEKLY;INTERVAL=1;BYDAY=FR" in notes
    assert "#work" in notes
    assert "Reminder: 10 minutes before the due" in notes
    assert reasons(outcome, "goals do not repeat") == 1
    assert reasons(outcome, "goals have no tags") == 1
    assert reasons(outcome, "goals have no reminders") == 1


def test_ticktick_sub_tasks_keep_their_details_in_the_goal(empty_db, cli, tmp_path):
    source = tmp_path / "TickTick-backup.csv"
    child = ticktick_row("s1", "Call the venue", content="Ask for the terrace", tags="phone",
                         due="2026-02-02T09:00:00+0000", reminder="-PT5M")
    child = child.removesuffix('""') + '"p1"'  # its parentId
    source.write_text("\n".join([
        PREAMBLE, HEADER, ticktick_row("p1", "Plan the party"), child,
    ]) + "\n", encoding="utf-8")
    outcome = import_twice(cli, empty_db, "ticktick", source)
    goals = cli(empty_db, "--json", "goal", "list").json()
    assert [s["title"] for s in goals[0]["steps"]] == ["Call the venue"]
    assert goals[0]["notes"].splitlines() == [  # the due in the profile's zone (UTC)
        'Step "Call the venue":', "Ask for the terrace", "#phone", "Due: 2026-02-02 09:00",
        "Reminder: 5 minutes before the due"]
    assert reasons(outcome, "subtasks imported as goal steps") == 1


def test_ticktick_checklist_items_marked_with_a_small_square_are_done_steps(empty_db, cli,
                                                                            tmp_path):
    """TickTick writes a checklist's items as ``▫`` (open) and ``▪`` (done) lines, as
    other importers of its backup read them (Mindwtr's ``ticktick-import.ts``); ``✓``
    stays read as done."""
    source = tmp_path / "TickTick-backup.csv"
    source.write_text("\n".join([
        PREAMBLE, HEADER,
        ticktick_row("c2", "Trip", kind="CHECKLIST", content="▫Passport\n▪Tickets\n✓Charger"),
    ]) + "\n", encoding="utf-8")
    import_twice(cli, empty_db, "ticktick", source)
    goals = cli(empty_db, "--json", "goal", "list").json()
    assert [(s["title"], s["status"]) for s in goals[0]["steps"]] == [
        ("Passport", "open"), ("Tickets", "done"), ("Charger", "done")]
    assert goals[0]["notes"] == ""
