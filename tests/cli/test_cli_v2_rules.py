"""SPEC v2 rules through the real command line (issue #12, item 6).

* ``--at`` more than five minutes after now is refused (``error: at: is in the future``,
  exit 2, nothing written) for tasks, steps, goals, slots and custom events.
* A date alone for ``--at`` is 12:00 local time of that date: no time-of-day bonus.
* ``--project NEW`` on add and edit creates the project and says so on stderr; a filter
  with an unknown project stays bad input.
"""

from __future__ import annotations

import pytest

from cli_support import NOW, PREPARED, ScenarioRun, query, run_cli, scenario

FUTURE = "2026-01-05T12:06:00Z"  # NOW is 2026-01-05T12:00Z: six minutes ahead
NEAR = "2026-01-05T12:04:00Z"  # four minutes ahead: a clock a little fast, allowed
FUTURE_COMMANDS = {
    "task": ("task", "done", str(PREPARED["task"]), "--at", FUTURE),
    "step": ("goal", "step", "done", str(PREPARED["step"]), "--at", FUTURE),
    "goal": ("goal", "done", str(PREPARED["goal"]), "--at", FUTURE),
    "slot": ("slot", "done", str(PREPARED["slot"]), "--at", FUTURE),
    "tomorrow": ("task", "done", str(PREPARED["task"]), "--at", "2026-01-06"),
}
for _name, _command in FUTURE_COMMANDS.items():
    scenario(f"future-{_name}", _command)
scenario("custom-type", ("event-type", "add", "gym", "30"),
         ("event", "gym", "--at", FUTURE), ("event", "gym", "--at", NEAR, "--json"))
scenario("date-alone", ("profile", "set", "--timezone", "Pacific/Auckland"),
         ("task", "done", str(PREPARED["task"]), "--at", "2026-01-04", "--json"),
         ("task", "show", str(PREPARED["task"]), "--json"))
scenario("new-projects",
         ("task", "add", "Plan trip", "--project", "Travel", "--json"),
         ("task", "add", "Pack", "--project", "Travel", "--json"),
         ("goal", "add", "Get fit", "--project", "Health", "--json"),
         ("task", "edit", "1", "--project", "Errands", "--json"),
         ("goal", "edit", "1", "--project", "Side project", "--json"),
         ("task", "list", "--project", "Nowhere"),
         ("project", "list", "--json"))


@pytest.mark.parametrize("name", sorted(FUTURE_COMMANDS))
def test_a_completion_in_the_future_is_refused_and_nothing_is_written(
        name: str, scenario_runner: object):
    run: ScenarioRun = scenario_runner[f"future-{name}"]  # type: ignore[index]
    [result] = run.results
    assert result.returncode == 2
    assert result.stderr == "error: at: is in the future\n"
    assert result.stdout == ""
    assert run.dump_after == run.dump_before


@pytest.mark.cli_scenario("custom-type")
def test_a_custom_event_in_the_future_is_refused_a_minute_ahead_is_not(cli_run: ScenarioRun):
    added, future, near = cli_run.results
    added.ok()
    assert (future.returncode, future.stderr) == (2, "error: at: is in the future\n")
    assert near.json()["points_awarded"] == 30
    assert query(cli_run.db, "SELECT count(*) FROM events WHERE type = 'gym'") == [(1,)]


@pytest.mark.cli_scenario("date-alone")
def test_a_date_alone_means_noon_local_time_without_a_time_of_day_bonus(
        cli_run: ScenarioRun):
    _, done, shown = cli_run.results
    sources = {line["source"] for line in done.json()["credits"]}
    assert "night_owl" not in sources and "early_bird" not in sources
    assert "task_completion" in sources
    # 12:00 in Auckland (UTC+13 in January) on 2026-01-04 is 23:00 UTC the day before.
    assert shown.json()["completed_at"].startswith("2026-01-03T23:00:00")
    assert NOW.date().isoformat() == "2026-01-05"


@pytest.mark.cli_scenario("new-projects")
def test_project_on_add_and_edit_creates_it_and_says_so(cli_run: ScenarioRun):
    first, second, goal, edit_task, edit_goal, unknown_filter, listed = cli_run.results
    for result, name in ((first, "Travel"), (goal, "Health"), (edit_task, "Errands"),
                         (edit_goal, "Side project")):
        assert result.returncode == 0, result.stderr
        assert result.stderr == f"Created project {name!r}\n"
    assert second.returncode == 0 and second.stderr == ""  # it exists now
    assert unknown_filter.returncode == 2
    assert unknown_filter.stderr.startswith("error: project: no project named 'Nowhere'")
    names = {p["name"] for p in listed.json()}
    assert {"Travel", "Health", "Errands", "Side project"} <= names
    assert "Nowhere" not in names


def test_a_bad_project_name_on_add_creates_nothing(tmp_path):
    db = tmp_path / "m.sqlite3"
    result = run_cli(db, "task", "add", "Plan", "--project", "x" * 101)
    assert result.returncode == 2 and result.stderr.startswith("error: project:")
    assert query(db, "SELECT name FROM projects WHERE is_inbox = 0") == []
