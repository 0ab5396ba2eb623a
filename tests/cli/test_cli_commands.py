"""Every data command of SPEC §9 through the real CLI, and the read API of §7 with ``--json``.

Each scenario is a chain of commands on its own copy of the prepared database (see
conftest.py); the chains run concurrently, and each test checks one chain's outputs and
what ended up in the file. ``--db``, ``--profile`` and ``--json`` are placed before the
command in some steps and after it in others.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from cli_support import DB, NEXT, PREPARED, ScenarioRun, query, scenario

OUTCOME_KEYS = {"points_awarded", "credits", "achievements", "milestones", "level_up", "streaks"}
TASK_KEYS = {"id", "title", "status", "project", "complexity", "due", "completed_at"}
STREAK_KEYS = {"type", "current", "longest", "last_activity_date"}
STREAK_TYPES = {"daily_activity", "daily_target", "daily_focus", "weekly_goal"}
ACHIEVEMENT_KEYS = {"id", "name", "category", "points", "progress", "target", "completed",
                    "completed_at"}
CARD_KEYS = {"scope", "kind", "project", "current", "next", "previous", "progress_percent",
             "is_completed", "reward"}
GRANT_KEYS = {"source", "threshold", "points", "project", "granted_at"}
HISTORY_KEYS = {"type", "points", "reason", "source", "created_at"}
LEADERBOARD_KEYS = {"rank", "profile", "points"}

T, G, S, SL = NEXT["task"], NEXT["goal"], NEXT["step"], NEXT["slot"]


def sources(lines: list[dict[str, Any]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in lines:
        totals[line["source"]] = totals.get(line["source"], 0) + line["points"]
    return totals


def check_outcome(outcome: dict[str, Any]) -> dict[str, Any]:
    assert OUTCOME_KEYS <= set(outcome)
    credits = sum(c["points"] for c in outcome["credits"])
    debits = sum(d["points"] for d in outcome.get("debits", []))
    assert outcome["points_awarded"] == credits - debits  # the net change
    assert {s["type"] for s in outcome["streaks"]} == STREAK_TYPES
    return outcome


def ledger_total(db: Path, profile: str = "default") -> int:
    rows = query(db, "SELECT l.entry_type, l.points FROM ledger l JOIN profiles p "
                     "ON p.id = l.profile_id WHERE p.name = ?", profile)
    return sum(points if kind == "credit" else -points for kind, points in rows)


# --- tasks --------------------------------------------------------------------------

TASKS = scenario(
    "tasks",
    ["task", "add", "Plan sprint", "--project", "Work", "--complexity", "2", "--due",
     "2026-01-07", "--repeat", "weekly", "--notes", "first notes", "--json"],
    ["--json", "task", "show", str(T)],
    ["task", "done", str(T), "--at", "2026-01-05T08:30:00Z", "--json"],
    ["--json", "task", "list", "--status", "all", "--project", "Work", "--search", "sprint"],
    ["task", "reopen", str(T), "--json"],
    ["task", "edit", str(T), "--title", "Plan the sprint", "--complexity", "4", "--due",
     "2026-01-08", "--notes", "second notes", "--json"],
    ["task", "delete", str(T), "--json"],
    ["--json", "task", "list"],
    ["--json", "task", "restore", str(T)],
)


@pytest.mark.cli_scenario(TASKS)
def test_task_add_show_done_list_reopen_edit_delete_restore(cli_run: ScenarioRun):
    added, shown, done, listed, reopened, edited, deleted, open_list, restored = (
        r.json() for r in cli_run.results)
    assert added == {"id": T}
    assert shown["id"] == T and shown["title"] == "Plan sprint" and shown["status"] == "open"
    assert (shown["project"], shown["complexity"], shown["due"]) == ("Work", 2, "2026-01-07")
    assert shown["notes"] == "first notes" and shown["repeat"] == "FREQ=WEEKLY"

    check_outcome(done)
    credits = sources(done["credits"])
    assert credits["task_completion"] == 13  # 10 × 1.25 = 12.5, rounded half up
    assert credits["first_task_of_day"] == 5
    assert done["points_awarded"] == 18

    assert all(TASK_KEYS <= set(row) for row in listed)
    by_id = {row["id"]: row for row in listed}
    assert set(by_id) == {T, T + 1}  # the weekly task and its next occurrence
    assert by_id[T]["status"] == "done"
    assert by_id[T]["completed_at"].startswith("2026-01-05T08:30:00")
    assert by_id[T + 1]["status"] == "open" and by_id[T + 1]["due"] == "2026-01-14"

    check_outcome(reopened)
    assert reopened["points_awarded"] == -18
    assert sources(reopened["debits"]) == {"task_completion": 13, "first_task_of_day": 5}

    assert edited["title"] == "Plan the sprint" and edited["complexity"] == 4
    assert edited["due"] == "2026-01-08" and edited["notes"] == "second notes"
    assert edited["status"] == "open"

    assert deleted["id"] == T and deleted["deleted"] is True
    assert [row["id"] for row in open_list] == [PREPARED["task"], T + 1]  # open, not deleted
    assert restored["id"] == T and restored["deleted"] is False

    db = cli_run.db
    assert query(db, "SELECT title, status, complexity, due_date, notes, deleted_at "
                     "FROM tasks WHERE id = ?", T) == [
        ("Plan the sprint", "open", 4, "2026-01-08", "second notes", None)]
    prepared_total = 55  # yesterday's task: 10 + first of day 5 + weekend 30 + first_step 10
    assert ledger_total(db) == prepared_total  # done then reopened: back where it was


# --- goals and steps ----------------------------------------------------------------

GOALS = scenario(
    "goals",
    ["goal", "add", "Run a marathon", "--project", "Work", "--target", "2026-06-01", "--json"],
    ["goal", "step", "add", str(G), "Buy shoes", "--json"],
    ["--json", "goal", "step", "done", str(S), "--at", "2026-01-05T10:00:00Z"],
    ["goal", "step", "reopen", str(S), "--json"],
    ["--json", "goal", "edit", str(G), "--title", "Run a half marathon", "--target",
     "2026-05-01"],
    ["goal", "done", str(G), "--json"],
    ["goal", "list", "--json"],
    ["--json", "goal", "reopen", str(G)],
)


@pytest.mark.cli_scenario(GOALS)
def test_goal_and_step_commands(cli_run: ScenarioRun):
    added, step, step_done, step_reopened, edited, goal_done, goals, goal_reopened = (
        r.json() for r in cli_run.results)
    assert added == {"id": G}
    assert step == {"id": S}
    check_outcome(step_done)
    assert sources(step_done["credits"])["goal_step_completion"] == 15
    check_outcome(step_reopened)
    assert sources(step_reopened["debits"])["goal_step_completion"] == 15
    assert step_reopened["points_awarded"] == -step_done["points_awarded"]

    assert edited["title"] == "Run a half marathon" and edited["target"] == "2026-05-01"

    check_outcome(goal_done)
    assert sources(goal_done["credits"])["goal_completion"] == 50
    assert "goal_getter" in [a["id"] for a in goal_done["achievements"]]

    by_id = {g["id"]: g for g in goals}
    assert set(by_id) == {PREPARED["goal"], G}
    assert by_id[G]["status"] == "done" and by_id[G]["title"] == "Run a half marathon"
    assert by_id[G]["project"] == "Work"
    assert [(s["id"], s["title"], s["status"]) for s in by_id[G]["steps"]] == [
        (S, "Buy shoes", "open")]
    assert by_id[PREPARED["goal"]]["status"] == "open"

    check_outcome(goal_reopened)
    assert sources(goal_reopened["debits"])["goal_completion"] == 50
    assert query(cli_run.db, "SELECT status, target_date FROM goals WHERE id = ?", G) == [
        ("open", "2026-05-01")]
    assert query(cli_run.db, "SELECT title, status FROM goal_steps WHERE goal_id = ?", G) == [
        ("Buy shoes", "open")]


# --- time slots ---------------------------------------------------------------------

SLOTS = scenario(
    "slots",
    ["slot", "add", "Focus", "--start", "2026-01-05T14:00", "--end", "2026-01-05T15:30",
     "--task", str(PREPARED["task"]), "--json"],
    ["--json", "slot", "list"],
    ["slot", "done", str(SL), "--json"],
    ["--json", "slot", "reopen", str(SL)],
)


@pytest.mark.cli_scenario(SLOTS)
def test_slot_commands(cli_run: ScenarioRun):
    added, slots, done, reopened = (r.json() for r in cli_run.results)
    assert added == {"id": SL}
    by_id = {s["id"]: s for s in slots}
    assert set(by_id) == {PREPARED["slot"], SL}
    # Without an offset, times are read in the profile's zone (UTC here).
    assert by_id[SL]["start"].startswith("2026-01-05T14:00:00")
    assert by_id[SL]["end"].startswith("2026-01-05T15:30:00")
    assert by_id[SL]["task_id"] == PREPARED["task"] and by_id[SL]["status"] == "open"
    check_outcome(done)
    assert sources(done["credits"])["time_slot_completion"] == 20
    assert {"scheduler", "deep_diver"} <= {a["id"] for a in done["achievements"]}  # 90 min
    check_outcome(reopened)
    assert sources(reopened["debits"])["time_slot_completion"] == 20
    assert query(cli_run.db, "SELECT status FROM time_slots WHERE id = ?", SL) == [("open",)]


# --- projects, profiles, vacations; --db/--profile/--json before and after --------------

SETTINGS = scenario(
    "settings",
    ["--db", DB, "--json", "project", "add", "Home"],
    ["project", "goals-enabled", "Home", "off", "--db", DB, "--json"],
    ["project", "list", "--json", "--db", DB],
    ["--db", DB, "profile", "add", "carol", "--timezone", "Europe/Paris", "--day-start", "4",
     "--json"],
    ["--profile", "carol", "--db", DB, "--json", "profile", "set", "--timezone",
     "America/New_York", "--day-start", "5", "--daily-target", "4", "--days-off", "sat,sun"],
    ["vacation", "add", "2026-02-01", "2026-02-07", "--profile", "carol", "--db", DB, "--json"],
    ["--db", DB, "profile", "list", "--json"],
    ["--profile", "carol", "--db", DB, "task", "add", "Carol's task"],
    ["task", "list", "--status", "all", "--db", DB, "--profile", "carol", "--json"],
    env_db=False,
)


@pytest.mark.cli_scenario(SETTINGS)
def test_project_profile_and_vacation_commands_with_global_options_anywhere(cli_run):
    (project, goals_off, projects, profile, profile_set, vacation, profiles, text_add,
     carol_tasks) = cli_run.results
    home_id = project.json()["id"]
    assert isinstance(home_id, int)
    assert goals_off.json()["goals_enabled"] is False
    listed = {p["name"]: p for p in projects.json()}
    assert set(listed) == {"Inbox", "Work", "Home"}
    assert listed["Home"]["goals_enabled"] is False and listed["Work"]["goals_enabled"] is True

    carol_id = profile.json()["id"]
    updated = profile_set.json()
    assert updated["name"] == "carol" and updated["timezone"] == "America/New_York"
    assert (updated["day_start_hour"], updated["daily_target"]) == (5, 4)
    assert updated["days_off"] == ["sat", "sun"]
    assert isinstance(vacation.json()["id"], int)

    everyone = {p["name"]: p for p in profiles.json()}
    assert set(everyone) == {"default", "bob", "carol"}
    assert everyone["carol"]["timezone"] == "America/New_York"
    default = everyone["default"]  # --profile carol changed carol only
    assert (default["timezone"], default["day_start_hour"], default["daily_target"],
            default["days_off"]) == ("UTC", 0, 3, [])

    # Without --json a command prints text: the new id and title.
    match = re.fullmatch(r"Added task (\d+): Carol's task\n", text_add.ok())
    assert match is not None
    assert [(t["id"], t["title"], t["project"]) for t in carol_tasks.json()] == [
        (int(match[1]), "Carol's task", "Inbox")]

    db = cli_run.db
    assert query(db, "SELECT p.name FROM tasks t JOIN profiles p ON p.id = t.profile_id "
                     "WHERE t.id = ?", int(match[1])) == [("carol",)]
    assert query(db, "SELECT profile_id, start_date, end_date FROM vacations") == [
        (carol_id, "2026-02-01", "2026-02-07")]
    assert query(db, "SELECT goals_enabled FROM projects WHERE id = ?", home_id) == [(0,)]
    assert not cli_run.decoy.parent.exists()  # MOMENTUM_DB was overridden by --db


# --- custom events -------------------------------------------------------------------

EVENTS = scenario(
    "events",
    ["event-type", "add", "journaled", "7", "--json"],
    ["--json", "event", "journaled", "--meta", "mood=good", "--at", "2026-01-05T09:00:00Z",
     "--key", "journal-1"],
    ["event", "journaled", "--meta", "mood=good", "--at", "2026-01-05T09:00:00Z", "--key",
     "journal-1", "--json"],
)


@pytest.mark.cli_scenario(EVENTS)
def test_event_type_and_event_are_idempotent_by_key(cli_run: ScenarioRun):
    added, first, replay = (r.json() for r in cli_run.results)
    assert added == {"name": "journaled", "points": 7}
    check_outcome(first)
    assert first["points_awarded"] == 7
    assert [c["points"] for c in first["credits"]] == [7]
    check_outcome(replay)  # the same key: the original outcome, nothing new
    assert {k: v for k, v in replay.items() if k != "replayed"} == {
        k: v for k, v in first.items() if k != "replayed"}
    assert first["key"] == replay["key"] == "journal-1"
    # stored in the custom events' own namespace (it cannot collide with `task:1:done:1`)
    assert query(cli_run.db, "SELECT count(*) FROM events WHERE key = 'user:journal-1'") \
        == [(1,)]
    assert ledger_total(cli_run.db) == 55 + 7


# --- the read API: smoke checks with the JSON keys of SPEC §7 -------------------------

READS = {
    "progress": ["progress", "--json"],
    "streaks": ["--json", "streaks"],
    "history": ["history", "--json"],
    "levels": ["--json", "levels"],
    "milestones": ["milestones", "--json"],
    "milestones-of-bob": ["--profile", "bob", "milestones", "--project", "Inbox", "--json"],
    "achievements": ["achievements", "--json"],
    "achievements-available": ["--json", "achievements", "--available"],
    "leaderboard": ["leaderboard", "--period", "all", "--json"],
    "stats": ["stats", "--from", "2026-01-01", "--to", "2026-01-07", "--json"],
    "doctor": ["--json", "doctor"],
}
for _name, _args in READS.items():
    scenario(f"read:{_name}", _args)


def read(scenario_runner, name: str) -> tuple[Any, Path]:
    run = scenario_runner[f"read:{name}"]
    [result] = run.results
    data = result.json()
    assert run.dump_after == run.dump_before, f"`{name}` changed the database"
    return data, run.db


@pytest.mark.cli_scenario("read:progress")
@pytest.mark.cli_scenario("read:leaderboard")
def test_progress_and_leaderboard(scenario_runner):
    progress, db = read(scenario_runner, "progress")
    assert {"total_points", "weekly_points", "monthly_points", "level", "streaks"} <= set(progress)
    assert {"number", "title", "progress_percent"} <= set(progress["level"])
    assert progress["total_points"] == ledger_total(db) == 55
    assert progress["monthly_points"] == 55
    assert progress["weekly_points"] == 0  # yesterday was Sunday: last ISO week
    assert (progress["level"]["number"], progress["level"]["title"]) == (1, "Novice")
    assert progress["level"]["progress_percent"] == pytest.approx(55.0)
    board, _ = read(scenario_runner, "leaderboard")
    assert all(LEADERBOARD_KEYS <= set(row) for row in board)
    assert [(row["rank"], row["profile"]) for row in board] == [(1, "bob"), (2, "default")]
    assert board[1]["points"] == 55 and board[0]["points"] > 55


@pytest.mark.cli_scenario("read:streaks")
@pytest.mark.cli_scenario("read:history")
@pytest.mark.cli_scenario("read:levels")
def test_streaks_history_and_levels(scenario_runner):
    streaks, _ = read(scenario_runner, "streaks")
    assert all(set(s) >= STREAK_KEYS for s in streaks)
    by_type = {s["type"]: s for s in streaks}
    assert set(by_type) == STREAK_TYPES
    # Yesterday qualified and today is not over: the run is still alive.
    assert by_type["daily_activity"]["current"] == 1
    assert by_type["daily_activity"]["last_activity_date"] == "2026-01-04"

    history, _ = read(scenario_runner, "history")
    assert all(HISTORY_KEYS <= set(row) for row in history)
    assert {row["type"] for row in history} == {"credit"}
    assert sources(history) == {"task_completion": 10, "first_task_of_day": 5,
                                "weekend_activity": 30, "achievement": 10}

    levels, _ = read(scenario_runner, "levels")
    assert [(lv["number"], lv["title"], lv["points_required"]) for lv in levels] == [
        (1, "Novice", 0), (2, "Apprentice", 100), (3, "Achiever", 300), (4, "Planner", 700),
        (5, "Strategist", 1500), (6, "Expert", 3100), (7, "Master", 6300),
        (8, "Mentor", 12700), (9, "Grandmaster", 25500), (10, "Legend", 51100)]


@pytest.mark.cli_scenario("read:milestones")
@pytest.mark.cli_scenario("read:milestones-of-bob")
def test_milestones(scenario_runner):
    mine, _ = read(scenario_runner, "milestones")
    assert set(mine) >= {"cards", "completed"}
    assert all(CARD_KEYS <= set(card) for card in mine["cards"])
    cards = {(c["scope"], c["kind"], c["project"]): c for c in mine["cards"]}
    global_tasks = cards[("global", "tasks", None)]
    assert (global_tasks["current"], global_tasks["next"], global_tasks["previous"]) == (1, 15, 0)
    assert global_tasks["reward"] == 50 and global_tasks["is_completed"] is False
    assert ("global", "goal_steps", None) not in cards  # steps have project milestones only
    assert mine["completed"] == []

    bobs, _ = read(scenario_runner, "milestones-of-bob")
    assert all(CARD_KEYS <= set(card) for card in bobs["cards"])
    assert {c["project"] for c in bobs["cards"]} == {"Inbox"}
    [grant] = bobs["completed"]
    assert GRANT_KEYS <= set(grant)
    assert (grant["source"], grant["threshold"], grant["points"], grant["project"]) == (
        "project_task_milestone", 5, 25, "Inbox")


@pytest.mark.cli_scenario("read:achievements")
@pytest.mark.cli_scenario("read:achievements-available")
def test_achievements(scenario_runner):
    unlocked, _ = read(scenario_runner, "achievements")
    assert all(ACHIEVEMENT_KEYS <= set(a) for a in unlocked)
    assert [(a["id"], a["completed"]) for a in unlocked] == [("first_step", True)]
    assert unlocked[0]["completed_at"].startswith("2026-01-04")
    locked, _ = read(scenario_runner, "achievements-available")
    assert all(ACHIEVEMENT_KEYS <= set(a) for a in locked)
    assert all(a["completed"] is False and a["completed_at"] is None for a in locked)
    by_id = {a["id"]: a for a in locked}
    assert "first_step" not in by_id
    assert (by_id["getting_things_done"]["progress"],
            by_id["getting_things_done"]["target"]) == (1, 10)
    assert len(unlocked) + len(locked) == 28  # SPEC §5 lists 28 achievements


@pytest.mark.cli_scenario("read:stats")
def test_stats(scenario_runner):
    stats, _ = read(scenario_runner, "stats")
    days = {d["date"]: d for d in stats["days"]}
    assert len(days) == 7
    assert days["2026-01-04"]["points"] == 55 and days["2026-01-04"]["tasks"] == 1
    assert stats["totals"]["points"] == 55
    assert stats["best_day"]["date"] == "2026-01-04"


@pytest.mark.cli_scenario("read:doctor")
def test_doctor_finds_nothing_to_fix(scenario_runner):
    report, _ = read(scenario_runner, "doctor")
    assert report["ok"] is True and report["integrity"] == [] and report["differences"] == {}
    # default's task and bob's five, and each profile's settings as logged when made
    assert report["events_replayed"] == 9


# --- files that are not ours -------------------------------------------------------------


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
        conn.commit()


def _text(path: Path) -> None:
    path.write_text("not a database\n", encoding="utf-8")


NEWER = scenario("refuse:newer", ["task", "add", "never written", "--json"], prepare=_newer)
TEXT = scenario("refuse:text", ["--json", "task", "list"], prepare=_text)


@pytest.mark.cli_scenario(NEWER)
@pytest.mark.cli_scenario(TEXT)
@pytest.mark.parametrize("name, words", [(NEWER, "newer version"),
                                         (TEXT, "not a Momentum database")])
def test_a_file_that_is_not_ours_is_refused_with_exit_1_and_left_untouched(
        scenario_runner, name, words):
    run = scenario_runner[name]
    [result] = run.results
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(run.bytes_after).digest() == hashlib.sha256(run.bytes_before).digest()
