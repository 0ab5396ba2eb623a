"""Helpers for the CLI tests: run ``python -m momentum_app …`` on a real SQLite file.

A prepared database is built once per session through the services (fast, in-process)
and copied for each test; every command then runs in its own interpreter with
``MOMENTUM_DB`` and a fixed ``MOMENTUM_NOW``. A subprocess costs most of a second (the
imports), so tests chain several commands and independent ones run concurrently.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

UTC = UTC
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # a Monday, noon UTC
NOW_ENV = NOW.isoformat()
#: Concurrent CLI processes: one per core, plus one for the time they wait on fsync.
WORKERS = min(4, (os.cpu_count() or 2) + 1)
TIMEOUT = 120

#: Ids in the prepared database (asserted when it is built) and the next ones a command gets.
PREPARED = {"task": 1, "done_task": 2, "goal": 1, "step": 1, "slot": 1, "bob_tasks": (3, 7)}
NEXT = {"task": 8, "goal": 2, "step": 2, "slot": 2}

Arg = str | bytes


@dataclass
class Result:
    args: list[Arg]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.returncode == 0, f"{self.args}: exit {self.returncode}: {self.stderr}"
        assert self.stderr == "", f"{self.args}: {self.stderr}"
        return json.loads(self.stdout)

    def ok(self) -> str:
        assert self.returncode == 0, f"{self.args}: exit {self.returncode}: {self.stderr}"
        assert self.stderr == "", f"{self.args}: {self.stderr}"
        return self.stdout


def cli_env(db: Path | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOMENTUM_")}
    env.update(QT_QPA_PLATFORM="offscreen", MOMENTUM_NOW=NOW_ENV)
    if db is not None:
        env["MOMENTUM_DB"] = str(db)
    env.update(extra)
    return env


def run_cli(db: Path | None, *args: Arg, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Result:
    """``python -m momentum_app ARGS`` with ``MOMENTUM_DB=db``; bytes args pass as raw argv."""
    command: list[Arg] = [sys.executable, "-m", "momentum_app", *args]
    if any(isinstance(a, bytes) for a in args):
        command = [os.fsencode(a) if isinstance(a, str) else a for a in command]
    completed = subprocess.run(
        command, capture_output=True, timeout=TIMEOUT, env=env or cli_env(db),
        cwd=cwd or (db.parent if db is not None else None))
    return Result(list(args), completed.returncode,
                  completed.stdout.decode("utf-8", "backslashreplace"),
                  completed.stderr.decode("utf-8", "backslashreplace"))


def run_many(calls: Sequence[tuple[Path | None, Sequence[Arg]]]) -> list[Result]:
    """Independent commands, concurrently; results in the order given."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda call: run_cli(call[0], *call[1]), calls))


@contextmanager
def services(db: Path, profile: str | None = None, now: datetime = NOW
             ) -> Iterator[Any]:
    """The real services (a ``Momentum``) on ``db``, the clock fixed at ``now``; the
    database is closed after."""
    from momentum_app.core.clock import FixedClock  # noqa: PLC0415 (only some tests)
    from momentum_app.core.db import open_database  # noqa: PLC0415
    from momentum_app.core.services import Momentum  # noqa: PLC0415

    database = open_database(db)
    try:
        yield Momentum(database, FixedClock(now), profile)
    finally:
        database.close()


def dump(path: Path) -> list[str]:
    """Every table's content and the schema, as SQL (read-only: changes nothing)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return list(conn.iterdump())


def query(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


# --- scenarios: chains of commands, run concurrently, once, when a selected test needs them ---

#: A step argument equal to this is replaced by the scenario's database path.
DB = "<db>"


@dataclass(frozen=True)
class Scenario:
    """Commands run one after the other on a fresh copy of the prepared database.

    ``env_db``: ``True`` sets ``MOMENTUM_DB`` to the copy; ``False`` points it at a decoy
    path (the steps must name the file with ``--db``, and the decoy must never appear).
    ``prepare`` replaces the copy's content before the first step (e.g. a foreign file).
    """

    name: str
    steps: tuple[tuple[Arg, ...], ...]
    env_db: bool = True
    prepare: Any = None


@dataclass
class ScenarioRun:
    db: Path
    decoy: Path
    results: list[Result]
    dump_before: list[str] | None
    dump_after: list[str] | None
    bytes_before: bytes
    bytes_after: bytes


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, *steps: Sequence[Arg], env_db: bool = True, prepare: Any = None) -> str:
    """Register a scenario (at import time of a test module); returns its name."""
    assert name not in SCENARIOS, f"duplicate scenario {name}"
    SCENARIOS[name] = Scenario(name, tuple(tuple(s) for s in steps), env_db, prepare)
    return name


def _play(item: Scenario, folder: Path, template: Path) -> ScenarioRun:
    folder.mkdir(parents=True)
    db_path = folder / "momentum.sqlite3"
    decoy = folder / "decoy" / "never-created.sqlite3"
    shutil.copyfile(template, db_path)
    if item.prepare is not None:
        item.prepare(db_path)
    # A refused file is compared byte for byte: even a read-only dump would put -wal/-shm
    # files beside a WAL-mode file, so none is made.
    dumps = item.prepare is None
    before, raw_before = (dump(db_path) if dumps else None), db_path.read_bytes()
    env = cli_env(db_path if item.env_db else decoy)
    results = []
    for step in item.steps:
        args = [str(db_path) if arg == DB else arg for arg in step]
        results.append(run_cli(db_path, *args, env=env, cwd=folder))
    return ScenarioRun(db_path, decoy, results, before, dump(db_path) if dumps else None,
                       raw_before, db_path.read_bytes())


class ScenarioRunner:
    """Runs every scenario the selected tests need, concurrently, the first time one is asked."""

    def __init__(self, session: pytest.Session, template: Path, folder: Path) -> None:
        self.session = session
        self.template = template
        self.folder = folder
        self.done: dict[str, ScenarioRun] = {}

    def _wanted(self) -> set[str]:
        if os.environ.get("PYTEST_XDIST_WORKER"):
            # Under pytest-xdist every worker collects every test but runs only some: the
            # workers are the concurrency, and each scenario runs once, where it is asked.
            return set()
        names = set()
        for item in self.session.items:
            names.update(marker.args[0] for marker in item.iter_markers("cli_scenario"))
        return names

    def __getitem__(self, name: str) -> ScenarioRun:
        if name not in self.done:
            pending = sorted((self._wanted() | {name}) - set(self.done),
                             key=lambda n: -len(SCENARIOS[n].steps))
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                runs = pool.map(lambda n: _play(SCENARIOS[n], self.folder / _slug(n),
                                                self.template), pending)
                self.done.update(zip(pending, runs))
        return self.done[name]


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


# --- the light path (cli_light.py) against the full one ---------------------------------

HEAVY = ("sqlalchemy", "alembic", "dateutil", "icalendar")
#: Runs the CLI's ``main`` and reports, on its last line of stderr, what it loaded.
RUNNER = ("import sys\n"
          "from momentum_app.__main__ import main\n"
          "code = main(sys.argv[1:])\n"
          "sys.stdout.flush()\n"
          f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})\n"
          "sys.stderr.write('LOADED ' + ','.join(heavy) + '\\n')\n"
          "raise SystemExit(code)\n")


def momentum(db: Path, *args: str, full: bool = False) -> tuple[int, str, str, list[str]]:
    """Exit status, stdout, stderr and the heavy packages loaded by ``momentum ARGS``."""
    extra = ("--profile", "default") if full else ()
    done = subprocess.run([sys.executable, "-c", RUNNER, *args, *extra], env=cli_env(db),
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    *errors, loaded = done.stderr.splitlines()
    assert loaded.startswith("LOADED "), done.stderr
    return (done.returncode, done.stdout, "".join(f"{line}\n" for line in errors),
            [name for name in loaded[len("LOADED "):].split(",") if name])


def rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (SQLite's statistics aside)."""
    with closing(sqlite3.connect(db)) as conn:
        names = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in names}
