"""Text output as good as JSON (issue #12, item 9), through the real command line."""

from __future__ import annotations

import pytest

from cli_support import ScenarioRun, run_cli, scenario
from momentum_app.cli_text import plural

FIVE_TASKS = [step for n in range(1, 6)
              for step in (("task", "add", f"Task {n}"), ("task", "done", str(7 + n)))]
scenario("text-output", *FIVE_TASKS,
         ("goal", "add", "Learn Go"), ("goal", "step", "add", "2", "Tour"),
         ("goal", "step", "add", "2", "Book"), ("goal", "step", "add", "2", "Project"),
         ("goal", "step", "done", "2"),
         ("goal", "done", "2"),
         ("milestones",), ("stats", "--from", "2026-01-01"), ("history", "--limit", "3"),
         ("goal", "show", "2"), ("profile", "show"), ("task", "show", "1"),
         ("goal", "done", "1"))
@pytest.mark.cli_scenario("text-output")
def test_text_output_reads_like_the_json(cli_run: ScenarioRun):
    results = cli_run.results[10:]
    (goal, *_steps, step_done, goal_done, milestones, stats, history, goal_show, profile_show,
     task_show, goal_with_one_open) = results
    for result in results[:-1]:
        assert result.returncode == 0, (result.args, result.stderr)
    # goal done with open steps: done, and says how many are still open
    assert goal_done.stdout.startswith("Done: Learn Go")
    assert goal_done.stderr == ("2 steps of this goal are still open "
                                "(`momentum goal step done ID` completes one)\n")
    assert goal_with_one_open.returncode == 0  # the prepared goal: its one step is open
    assert goal_with_one_open.stderr == ("1 step of this goal is still open "
                                         "(`momentum goal step done ID` completes one)\n")
    # milestones: labelled columns, the reached ones listed
    lines = milestones.stdout.splitlines()
    assert lines[0] == "Next milestones"
    assert lines[1].split() == ["scope", "project", "kind", "progress", "reward", "complete"]
    assert "Reached (1)" in lines
    reached = lines[lines.index("Reached (1)") + 1:]
    assert reached[0].split() == ["reached", "on", "where", "milestone", "points"]
    assert reached[2].split() == ["2026-01-05", "Inbox", "5", "tasks", "+25"]
    # stats: the best day
    assert "Best day: 2026-01-05 (" in stats.stdout
    assert stats.stdout.rstrip().splitlines()[-2].startswith("Total: ")
    # history: each row's activity day
    header, _rule, *rows = history.stdout.splitlines()
    assert "activity day" in header and len(rows) == 3
    assert all(row.split()[2] == "2026-01-05" for row in rows)
    # show commands: readable values, no Python lists or None
    for shown in (goal_show, profile_show, task_show):
        assert "None" not in shown.stdout and "[{" not in shown.stdout
        assert "[]" not in shown.stdout and "True" not in shown.stdout
    assert "  [x] 2  Tour\n  [ ] 3  Book\n  [ ] 4  Project" in goal_show.stdout
    assert "target:" in goal_show.stdout and "—" in goal_show.stdout
    assert "days off:" in profile_show.stdout and "is default:" in profile_show.stdout
    assert goal.returncode == 0 and step_done.returncode == 0


def test_one_is_singular(tmp_path):
    db = tmp_path / "m.sqlite3"
    for args in (("task", "add", "Only"), ("task", "done", "1")):
        run_cli(db, *args).ok()
    exported = run_cli(db, "export", "--format", "json", "--out", "b.json").ok()
    assert exported.startswith("Backup of 1 profile (1 task, ")
    events = int(exported.split("task, ")[1].split()[0])
    assert run_cli(db, "doctor").ok() == (f"Replayed {plural(events, 'event')}.\n"
                                          "No problems found.\n")
    fresh = tmp_path / "fresh.sqlite3"
    imported = run_cli(fresh, "import", "--format", "json", str(tmp_path / "b.json")).ok()
    assert "1 task" in imported and f"Replayed {plural(events, 'event')}:" in imported
    assert "1 tasks" not in imported and "1 events" not in imported


def test_an_import_that_updates_says_so_in_its_first_line(tmp_path):
    db = tmp_path / "m.sqlite3"
    source = tmp_path / "todo.txt"
    source.write_text("Call the bank +Home\nPay rent +Home\n", encoding="utf-8")
    first = run_cli(db, "import", "--format", "todotxt", str(source)).ok()
    assert first.startswith("Imported from todotxt: 2 tasks, 1 project\n")
    source.write_text("x 2026-01-04 Call the bank +Home\nPay rent +Home\n", encoding="utf-8")
    newer = run_cli(db, "import", "--format", "todotxt", str(source)).ok()
    assert newer.startswith("Imported from todotxt: 1 updated\n"), newer
    again = run_cli(db, "import", "--format", "todotxt", str(source)).ok()
    assert again.startswith("Imported from todotxt: nothing new\n")


def test_plural_words():
    assert [plural(n, "goal") for n in (0, 1, 2, 1250)] == [
        "0 goals", "1 goal", "2 goals", "1,250 goals"]
    assert plural(1, "entry") == "1 entry" and plural(3, "entry") == "3 entries"
