"""``momentum undo`` works after any command (issue 15, "done means").

Every command that changes the database runs in its own process on a copy of one
prepared database, then ``momentum undo``; what a person can see afterwards
is what they saw before: every list (tasks, goals with their steps, slots, projects,
profiles, vacations, event types, rewards, reminders, tags) and every derived figure
(``progress --json`` — points, coins, level, streaks — and achievements, milestones,
stats, the leaderboard). What SPEC §2 keeps on purpose after an undone completion is
excluded by construction, not by a tolerance: the prepared database has already earned
what these commands could unlock, so nothing new is earned and kept.

``ALL_MUTATING`` names every mutating command of the parser; a meta-test fails when a
new one has no case here. Commands that are not actions of the history are tested apart:
``momentum restore`` (tests/io/test_json_backup_undo.py), ``sync`` (below), ``doctor
--fix`` on a sound file (changes nothing), ``backup`` and ``export`` (write files only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_support import NOW, NOW_ENV, UTC, WORKERS, Result, run_cli, services

from momentum_app.__main__ import main as momentum_main
from momentum_app.cli import build_parser
from momentum_app.cli_help import walk
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum

#: The prepared database's ids (asserted when it is built).
DELETED_TASK, DUE_TASK, DONE_GOAL, DELETED_GOAL, DONE_STEP, DONE_SLOT = 8, 9, 2, 3, 2, 2
SIDE = "Side"

#: (case id, argv): each a command of the parser, with arguments that change something.
CASES: list[tuple[str, tuple[str, ...]]] = [
    ("task add", ("task", "add", "New one", "--project", "Work", "--complexity", "2",
                  "--due", "2026-01-09T10:00", "--remind", "30m", "--tag", "home",
                  "--notes", "n")),
    ("task add, new project", ("task", "add", "Elsewhere", "--project", "Brand new")),
    ("task done", ("task", "done", "1")),
    ("task done --at", ("task", "done", "1", "--at", "2026-01-04T08:30")),
    ("task reopen", ("task", "reopen", "2")),
    ("task edit", ("task", "edit", "1", "--title", "Rewritten", "--complexity", "5",
                   "--due", "2026-02-01", "--tag", "work", "--project", SIDE)),
    ("task edit, new project", ("task", "edit", "1", "--project", "Made by edit")),
    ("task delete", ("task", "delete", "1")),
    ("task restore", ("task", "restore", str(DELETED_TASK))),
    ("goal add", ("goal", "add", "Learn Go", "--project", "Work", "--target", "2026-03-01")),
    ("goal edit", ("goal", "edit", "1", "--title", "Ship v2")),
    ("goal done", ("goal", "done", "1")),
    ("goal reopen", ("goal", "reopen", str(DONE_GOAL))),
    ("goal delete", ("goal", "delete", "1")),
    ("goal restore", ("goal", "restore", str(DELETED_GOAL))),
    ("goal step add", ("goal", "step", "add", "1", "Test it")),
    ("goal step done", ("goal", "step", "done", "1")),
    ("goal step reopen", ("goal", "step", "reopen", str(DONE_STEP))),
    ("goal step edit", ("goal", "step", "edit", "1", "--title", "Design it")),
    ("goal step delete", ("goal", "step", "delete", "1")),
    ("slot add", ("slot", "add", "Review", "--start", "2026-01-05T14:00",
                  "--end", "2026-01-05T15:00", "--task", "1")),
    ("slot done", ("slot", "done", "1")),
    ("slot reopen", ("slot", "reopen", str(DONE_SLOT))),
    ("slot edit", ("slot", "edit", "1", "--title", "Deeper work")),
    ("slot delete", ("slot", "delete", "1")),
    ("project add", ("project", "add", "Garden")),
    ("project rename", ("project", "rename", SIDE, "Main")),
    ("project delete", ("project", "delete", SIDE)),
    ("project goals-enabled", ("project", "goals-enabled", "Work", "off")),
    ("profile add", ("profile", "add", "Carol", "--timezone", "Europe/Paris")),
    ("profile set", ("profile", "set", "--timezone", "America/New_York", "--day-start", "4",
                     "--daily-target", "5", "--days-off", "sat,sun")),
    ("profile set --game", ("profile", "set", "--game", "quiet")),
    ("vacation add", ("vacation", "add", "2026-03-02", "2026-03-06")),
    ("vacation delete", ("vacation", "delete", "1")),
    ("event", ("event", "stretched", "--meta", "where=home")),
    ("event-type add", ("event-type", "add", "jogged", "7")),
    ("reward add", ("reward", "add", "Cake", "50", "--once")),
    ("reward buy", ("reward", "buy", "Tea")),
    ("reward refund", ("reward", "refund")),
    ("reward remove", ("reward", "remove", "Tea")),
    ("add", ("add", "Call mum #Family @phone !2 tomorrow 5pm remind 15m")),
    ("remind snooze", ("remind", "snooze", "1", "1h")),
    ("import todotxt", ("import", "--format", "todotxt", "{todo}", "--award")),
    ("import json", ("import", "--format", "json", "{backup}")),
]
#: Every command of the parser that changes the database (``NOT_ACTIONS`` aside).
ALL_MUTATING = {
    "task add", "task done", "task reopen", "task edit", "task delete", "task restore",
    "goal add", "goal edit", "goal done", "goal reopen", "goal delete", "goal restore",
    "goal step add", "goal step done", "goal step reopen", "goal step edit",
    "goal step delete", "slot add", "slot done", "slot reopen", "slot edit", "slot delete",
    "project add", "project rename", "project delete", "project goals-enabled",
    "profile add", "profile set", "vacation add", "vacation delete", "event",
    "event-type add", "reward add", "reward buy", "reward refund", "reward remove", "add",
    "remind snooze", "import"}
#: Mutating commands that are not actions of the undo history (tested elsewhere).
NOT_ACTIONS = {"restore", "sync", "doctor", "backup", "export"}


def _build(path: Path, files: Path) -> None:
    """What the cases need, made through the services a minute before ``NOW``."""
    database = open_database(path)
    try:
        app = Momentum(database, FixedClock(NOW - timedelta(minutes=1)))
        app.projects.add(SIDE)
        app.events.add_type("stretched", 4)
        app.rewards.add("Tea", 5)
        app.rewards.buy("Tea")
        assert app.profiles.add_vacation("2026-02-02", "2026-02-04").id == 1
        assert app.items.add_task("Thrown away").id == DELETED_TASK
        app.items.delete(Kind.TASK, DELETED_TASK)
        assert app.items.add_task("Dentist", due="2026-01-06T09:00",
                                  remind=["30m"]).id == DUE_TASK
        done_goal = app.items.add_goal("Tidy up")
        assert done_goal.id == DONE_GOAL
        assert app.items.add_goal("Dropped").id == DELETED_GOAL
        app.items.delete(Kind.GOAL, DELETED_GOAL)
        assert app.items.add_step(1, "Build").id == DONE_STEP
        start = datetime(2026, 1, 4, 15, tzinfo=UTC)
        assert app.items.add_slot("Reading", start, start + timedelta(minutes=90)).id == DONE_SLOT
        # Completions (several kinds, on several days) so that what the cases complete
        # unlocks nothing new: what is earned stays earned (SPEC §2), and would show.
        app.items.complete(Kind.GOAL, DONE_GOAL, at="2026-01-04T10:00")
        app.items.complete(Kind.STEP, DONE_STEP, at="2026-01-04T11:00")
        app.items.complete(Kind.SLOT, DONE_SLOT, at="2026-01-04T16:30")
        app.events.process_event("stretched", at="2026-01-04T17:00")
    finally:
        database.close()
    (files / "todo.txt").write_text("(A) Call the bank +Money\nx 2026-01-04 Pay rent +Money\n",
                                    encoding="utf-8")
    backup = files / "zed.json"
    other = files / "other.sqlite3"
    database = open_database(other)
    try:
        zed = Momentum(database, FixedClock(NOW - timedelta(days=3)))
        zed.profiles.update(name="Zed", timezone="UTC")
        zed.items.add_task("Zed's chore")
        zed.items.complete(Kind.TASK, 1)
    finally:
        database.close()
    assert run_cli(other, "export", "--format", "json", "--out", str(backup)).returncode == 0


@pytest.fixture(scope="module")
def prepared(prepared_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("undo-every-command")
    path = folder / "base.sqlite3"
    shutil.copyfile(prepared_db, path)
    _build(path, folder)
    return path


def _json(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    to_json = getattr(value, "to_json", None)
    return to_json() if callable(to_json) else value


def seen(db: Path) -> dict[str, Any]:
    """Everything a person can see of the default profile (and the profile list)."""
    with services(db) as app:
        goals = app.items.list_goals()
        return {
            "tasks": _json(app.items.list_tasks(include_hidden=True)),
            "goals": _json(goals),
            "steps": {g.id: _json(app.items.get(Kind.GOAL, g.id).steps) for g in goals},
            "slots": _json(app.items.list_slots()),
            "projects": _json(app.projects.list()),
            "profiles": _json(app.profiles.list()),
            "profile": _json(app.profiles.current()),
            "vacations": _json(app.profiles.vacations()),
            "event types": _json(app.events.list_types()),
            "rewards": _json(app.rewards.list()),
            "bought": _bought(app),
            "reminders": _json(app.planning.upcoming()),
            "tags": app.planning.list_tags(),
            "progress": _json(app.reads.progress()),
            "achievements": _json(app.reads.achievements(everything=True)),
            "milestones": _json(app.reads.milestones()),
            "stats": _json(app.reads.stats("2025-12-01", "2026-03-31")),
            "leaderboard": [_json(app.reads.leaderboard(p)) for p in ("week", "month", "all")],
        }


def _bought(app: Momentum) -> list[tuple[str, int]]:
    """The purchases that stand (not refunded), by reward and cost. Like the ledger, the
    purchase log is history: an undone purchase stays in it, refunded (SPEC §2a), and an
    undone refund is the same reward bought again, at the same cost."""
    return sorted((p.reward, p.cost) for p in app.rewards.purchases() if p.refunded_at is None)


@pytest.fixture(scope="module")
def before(prepared: Path) -> dict[str, Any]:
    return seen(prepared)


@pytest.fixture(scope="module")
def last_prepared(prepared: Path) -> int | None:
    """The history entry undo would take back in the prepared database (not a case's
    command): by id, since a case may repeat its label (``event stretched``)."""
    with services(prepared) as app:
        return app.history.status().undo_id


def _play(prepared: Path, folder: Path, argv: tuple[str, ...]) -> tuple[Path, Result]:
    """The command in its own process, on a fresh copy of the prepared database."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "momentum.sqlite3"
    shutil.copyfile(prepared, db)
    files = {"todo": str(prepared.parent / "todo.txt"),
             "backup": str(prepared.parent / "zed.json")}
    return db, run_cli(db, *(arg.format(**files) for arg in argv))


@pytest.fixture
def undo(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
         ) -> Callable[[Path], dict[str, Any]]:
    """``momentum --db DB --json undo`` through the console script's ``main``, in this
    process: the history is in the file, so a fresh process would find the same entry
    (tests/cli/test_cli_undo.py runs that one in its own); this halves the processes."""
    monkeypatch.setenv("MOMENTUM_NOW", NOW_ENV)

    def run(db: Path) -> dict[str, Any]:
        capsys.readouterr()
        code = momentum_main(["--db", str(db), "--json", "undo"])
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), err
        return dict(json.loads(out))
    return run


@pytest.fixture(scope="module")
def plays(prepared: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, tuple[Path, Result]]:
    """Without pytest-xdist: every command at once, concurrently (a process each costs
    most of a second); under it, the workers are the concurrency and each plays alone."""
    folder = tmp_path_factory.mktemp("plays")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        done = pool.map(lambda case: _play(prepared, folder / str(CASES.index(case)),
                                           case[1]), CASES)
        return dict(zip((name for name, _ in CASES), done, strict=True))


@pytest.mark.parametrize(("name", "argv"), CASES, ids=[name for name, _ in CASES])
def test_undo_after_the_command_shows_what_was_there_before(
        name: str, argv: tuple[str, ...], prepared: Path, before: dict[str, Any],
        plays: dict[str, tuple[Path, Result]], undo: Callable[[Path], dict[str, Any]],
        last_prepared: int | None, tmp_path: Path) -> None:
    db, command = plays.get(name) or _play(prepared, tmp_path, argv)
    assert (command.returncode, command.stderr.startswith("error")) == (0, False), \
        command.stderr
    assert seen(db) != before, f"{name} changed nothing"
    undone = undo(db)
    assert undone["undone"], undone
    with services(db) as app:  # the command's entry was undone: the prepared one is next
        assert app.history.status().undo_id == last_prepared, undone
    after = seen(db)
    for part in before:
        assert after[part] == before[part], f"{name}: {part} differs after the undo"


def test_the_cases_cover_every_mutating_command() -> None:
    """A new command that changes the database needs a case above (or a reason to be in
    ``NOT_ACTIONS``)."""
    cased = {name.split(",")[0].split(" --")[0] for name, _ in CASES}
    assert {"import" if name.startswith("import ") else name for name in cased} == \
        ALL_MUTATING
    leaves = {" ".join(path) for path, node in walk(build_parser()) if path and not any(
        isinstance(action, argparse._SubParsersAction) for action in node._actions)}
    readers = {c for c in leaves if c.split()[-1] in _READ_WORDS}
    assert leaves - readers - NOT_ACTIONS == ALL_MUTATING


#: The last word of a command that only reads.
_READ_WORDS = {"list", "show", "progress", "leaderboard", "achievements", "streaks", "stats",
               "levels", "milestones", "history", "backups", "undo", "redo"}


def test_a_sync_is_no_action_of_the_history(prepared: Path, tmp_path: Path) -> None:
    """SPEC v2 §9: undo takes back the last change made *on this replica*; a sync
    exchanges changes with the others, so undo after it takes back the change before."""
    db = tmp_path / "m.sqlite3"
    shutil.copyfile(prepared, db)
    folder = tmp_path / "synced"
    folder.mkdir()
    with services(db) as app:
        last = app.history.status().undo
    sync = run_cli(db, "sync", "--folder", str(folder))
    assert sync.returncode == 0, sync.stderr
    assert run_cli(db, "undo", "--json").json()["undone"] == last
    assert json.loads(run_cli(db, "progress", "--json").stdout)["coins"] is not None
