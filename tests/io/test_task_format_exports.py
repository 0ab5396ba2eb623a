"""The todo.txt and Taskwarrior ways out, through the real command line (issue 18): what
each says of a task, what it counts in ``left_out``, and that Momentum reads its own
export back onto the tasks it came from.

* todo.txt has no id: the export writes ``momentum:<id>`` on each line, so importing it
  back into its database changes nothing, and an edited line updates its task;
* the Taskwarrior export says a repeat as ``recur`` (+ ``until``) when Taskwarrior can,
  and counts the rules it cannot say (``momentum_repeat`` keeps them for Momentum);
* reminders go out in the Taskwarrior export and come back; todo.txt counts them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from io_support import Result


def tasks_of(cli: Any, db: Path) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = cli(db, "--json", "task", "list", "--status", "all",
                                       "--all").json()
    return listed


def export(cli: Any, db: Path, fmt: str, out: Path) -> dict[str, Any]:
    exported: dict[str, Any] = cli(db, "--json", "export", "--format", fmt,
                                   "--out", str(out)).json()["exported"]
    return exported


def fresh_db(template_db: Path, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(template_db, tmp_path / "fresh.sqlite3"))


def imported(cli: Any, db: Path, fmt: str, path: Path) -> dict[str, Any]:
    result: Result = cli(db, "--json", "import", "--format", fmt, str(path))
    data: dict[str, Any] = result.json()
    return data


def test_momentums_own_todotxt_export_comes_back_onto_its_tasks(empty_db, cli, tmp_path):
    """Titles gain ``+Project @tag`` words in todo.txt, notes and due times are not
    written, nor a rule todo.txt cannot say: none of that makes the import back a
    duplicate or an update; an edited line updates its task (once the export was read
    back, an edited title too)."""
    for args in (["Dentist", "--project", "Health", "--tag", "teeth", "--due",
                  "2026-02-03T09:30", "--notes", "Bring the card", "--complexity", "4"],
                 ["Standup", "--due", "2026-01-13", "--repeat", "weekdays"],
                 ["Water the plants", "--project", "Home", "--due", "2026-01-14",
                  "--repeat", "weekly"],
                 ["Renew the passport", "--hide-until", "2027-03-01"],
                 ["Call the bank", "--due", "2026-01-10"]):
        cli(empty_db, "--json", "task", "add", *args).json()
    assert cli(empty_db, "task", "done", "5").returncode == 0
    before = tasks_of(cli, empty_db)
    out = tmp_path / "todo.txt"
    export(cli, empty_db, "todotxt", out)
    lines = out.read_text("utf-8").splitlines()
    assert [line.split()[-1] for line in lines] == [f"momentum:{n}" for n in range(1, 6)]
    again = imported(cli, empty_db, "todotxt", out)
    assert again["totals"] == {"added": 0, "updated": 0, "unchanged": 5, "skipped": 0}
    assert tasks_of(cli, empty_db) == before  # notes, due time, weekdays rule all kept

    edited = [line.replace("due:2026-01-14", "due:2026-01-21") for line in lines]
    edited[3] = "x 2026-01-12 " + edited[3]
    out.write_text("\n".join(edited) + "\n", encoding="utf-8")
    result = imported(cli, empty_db, "todotxt", out)
    assert result["totals"] == {"added": 0, "updated": 2, "unchanged": 3, "skipped": 0}
    assert {u["title"]: u["fields"] for u in result["updated"]} == {
        "Water the plants +Home": ["due"],
        "Renew the passport": ["status", "completed_at"]}
    after = {t["id"]: t for t in tasks_of(cli, empty_db)}
    assert after[3]["title"] == "Water the plants"  # only the changed field is written
    assert after[3]["due"] == "2026-01-21" and after[4]["status"] == "done"
    assert after[1]["notes"] == "Bring the card" and after[1]["due_time"] == "09:30"

    edited[0] = edited[0].replace("Dentist", "Dentist appointment")
    edited.append(edited[1])  # a copied line: a new task, the first one stays as it is
    out.write_text("\n".join(edited) + "\n", encoding="utf-8")
    renamed = imported(cli, empty_db, "todotxt", out)
    assert renamed["totals"] == {"added": 1, "updated": 1, "unchanged": 4, "skipped": 0}
    assert [u["fields"] for u in renamed["updated"]] == [["title"]]
    titles = {t["id"]: t["title"] for t in tasks_of(cli, empty_db)}
    assert titles[1].startswith("Dentist appointment")
    assert (titles[2], titles[6]) == ("Standup", "Standup")


def test_the_own_todotxt_key_stays_out_of_a_fresh_database(empty_db, cli, tmp_path):
    """Into an empty database the lines are new tasks; ``momentum:`` is in no title or
    note, and the second import finds them again. A foreign line keeps being matched by
    its text, and a ``momentum:`` value that is no id stays in the notes."""
    source = tmp_path / "todo.txt"
    source.write_text("(B) 2026-01-02 Pay rent +Home due:2026-02-01 momentum:41\n"
                      "Call Mom @phone\nRead momentum:fast\n", encoding="utf-8")
    first = imported(cli, empty_db, "todotxt", source)
    assert first["totals"]["added"] == 3
    tasks = {t["title"]: t for t in tasks_of(cli, empty_db)}
    assert sorted(tasks) == ["Call Mom @phone", "Pay rent +Home", "Read"]
    assert tasks["Pay rent +Home"]["notes"] == "" and tasks["Read"]["notes"] == "momentum:fast"
    again = imported(cli, empty_db, "todotxt", source)
    assert again["totals"] == {"added": 0, "updated": 0, "unchanged": 3, "skipped": 0}


def test_the_taskwarrior_export_says_the_repeats_taskwarrior_can(empty_db, template_db, cli,
                                                                tmp_path):
    rules = {"Monthly until March": "FREQ=MONTHLY;UNTIL=20270301",
             "Every other week": "FREQ=WEEKLY;INTERVAL=2",
             "Weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
             "First Monday": "FREQ=MONTHLY;BYDAY=1MO",
             "Five days": "FREQ=DAILY;COUNT=5"}
    cli(empty_db, "profile", "set", "--timezone", "Europe/Berlin")
    for title, rule in rules.items():
        cli(empty_db, "--json", "task", "add", title, "--due", "2026-12-07",
            "--repeat", rule).json()
    out = tmp_path / "tw.json"
    exported = export(cli, empty_db, "taskwarrior", out)
    said = {t["description"]: t for t in json.loads(out.read_text("utf-8"))}
    assert {title: said[title].get("recur") for title in rules} == {
        "Monthly until March": "monthly", "Every other week": "2weeks",
        "Weekdays": "weekdays", "First Monday": None, "Five days": None}
    assert said["Monthly until March"]["until"] == "20270301T225959Z"  # Berlin, day's end
    assert all(said[title]["momentum_repeat"] == rule for title, rule in rules.items())
    assert exported["left_out"] == {
        "repeat rules Taskwarrior cannot say (kept in momentum_repeat, which only "
        "Momentum reads)": 2}
    text = cli(empty_db, "export", "--format", "taskwarrior", "--out", str(out)).stdout
    assert "not written: 2 repeat rules Taskwarrior cannot say" in text
    fresh = fresh_db(template_db, tmp_path)
    cli(fresh, "profile", "set", "--timezone", "Europe/Berlin")
    imported(cli, fresh, "taskwarrior", out)
    assert {t["title"]: t["repeat"] for t in tasks_of(cli, fresh)} == rules


def test_reminders_go_out_to_taskwarrior_and_come_back(empty_db, template_db, cli, tmp_path):
    cli(empty_db, "--json", "task", "add", "Dentist", "--due", "2026-02-03T09:30",
        "--remind", "30m", "--remind", "2026-02-02T18:00").json()
    out = tmp_path / "tw.json"
    assert export(cli, empty_db, "taskwarrior", out)["left_out"] == {}
    [task] = json.loads(out.read_text("utf-8"))
    assert task["momentum_reminders"] == "30 2026-02-02T18:00:00Z"
    todo = export(cli, empty_db, "todotxt", tmp_path / "todo.txt")
    assert todo["left_out"] == {"reminders (todo.txt has none)": 1,
                                "due times (todo.txt has dates only)": 1}
    fresh = fresh_db(template_db, tmp_path)
    imported(cli, fresh, "taskwarrior", out)
    reminders = cli(fresh, "--json", "remind", "list").json()
    assert sorted(((r["offset"], r["at"]) for r in reminders), key=str) == [
        ("30m", "2026-02-03T09:00:00+00:00"), (None, "2026-02-02T18:00:00+00:00")]


def test_a_title_word_that_reads_as_a_key_comes_back_as_a_word(empty_db, template_db, cli,
                                                                 tmp_path):
    """A title word like ``t:abc`` or ``due:tomorrow`` was written as it is: todo.txt read
    it as a key, so the whole export was refused (``t:`` not a date) or the word went to
    the notes. The export puts an invisible word joiner before its ``:``; times, URLs and
    the export's own keys are written as they are."""
    titles = ["Fix t:abc parsing", "due:tomorrow is a phrase", "Read ch:3 tonight",
              "Call at 10:30 about https://example.com/a:b"]
    for title in titles:
        cli(empty_db, "--json", "task", "add", title, "--due", "2026-01-10").json()
    out = tmp_path / "todo.txt"
    export(cli, empty_db, "todotxt", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "t\u2060:abc" in lines[0] and "due\u2060:tomorrow" in lines[1]
    assert "10:30" in lines[3] and "https://example.com/a:b" in lines[3]
    assert all(" due:2026-01-10 " in line and " momentum:" in line for line in lines)
    fresh = fresh_db(template_db, tmp_path)
    result = imported(cli, fresh, "todotxt", out)
    assert result["totals"] == {"added": 4, "updated": 0, "unchanged": 0, "skipped": 0}
    back = {t["title"]: t for t in tasks_of(cli, fresh)}
    assert sorted(back) == sorted(titles)
    assert all(not t.get("notes") and t["due"] == "2026-01-10" for t in back.values())
    again = imported(cli, empty_db, "todotxt", out)  # back into its own database
    assert again["totals"] == {"added": 0, "updated": 0, "unchanged": 4, "skipped": 0}
