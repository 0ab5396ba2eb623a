"""The staged launch: a window is painted before SQLAlchemy is imported, then the real one.

Run as a person runs it (``python -m momentum_app``, a subprocess, offscreen), with the
start-up probe that prints each first paint and closes the window.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from momentum_app.__main__ import window_arguments


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                   "XDG_CONFIG_HOME": str(tmp_path / "config"),
                   "XDG_DATA_HOME": str(tmp_path / "data"), **env}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env=environment, timeout=120, check=False)


def test_the_startup_window_needs_neither_sqlalchemy_nor_the_core(tmp_path: Path):
    code = ("import sys, momentum_app.gui.launch; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}),"
            " sorted(m for m in sys.modules if m.startswith('momentum_app.core')))")
    done = run(["-c", code], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] []"


def test_the_command_paints_the_startup_window_then_opens_the_database(tmp_path: Path):
    database = tmp_path / "mine.sqlite3"
    done = run(["-m", "momentum_app", "--db", str(database)], tmp_path,
               MOMENTUM_STARTUP_PROBE="1")
    assert done.returncode == 0, done.stderr
    marks = [line.split() for line in done.stdout.splitlines()]
    assert [mark[0] for mark in marks] == ["painted", "ready"]
    painted, ready = float(marks[0][1]), float(marks[1][1])
    assert 0 < painted <= ready
    assert database.is_file()  # stage 2 really opened (and created) it
    assert done.stderr == ""


def test_the_real_window_is_ready_without_the_importers_or_exporters(tmp_path: Path):
    """Issue 14 (the window ready): importers and exporters (icalendar alone is ~0.2 s)
    load when a transfer dialog opens, not at start. The first-run check asks the profile
    service's one "has no data" rule, which lives outside the importers."""
    done = run(["-X", "importtime", "-m", "momentum_app", "--db", str(tmp_path / "a.sqlite3")],
               tmp_path, MOMENTUM_STARTUP_PROBE="1")
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["painted", "ready"]
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
              if line.startswith("import time:")}
    assert "momentum_app.gui.views.tasks" in loaded  # the real window was built
    heavy = sorted(m for m in loaded if m.startswith(("momentum_app.core.imports",
                                                       "momentum_app.core.exports",
                                                       "icalendar")))
    assert heavy == []


@pytest.mark.parametrize(("args", "window"), [
    ([], True), (["--db", "x.sqlite3"], True), (["--profile", "Ada", "--demo"], True),
    (["--db=x.sqlite3"], True), (["task", "list"], False), (["--json"], False),
    (["--help"], False), (["-h"], False), (["--db"], False), (["levels", "--db", "x"], False),
])
def test_only_window_options_take_the_fast_path(args: list[str], window: bool):
    assert (window_arguments(args) is not None) is window


def test_the_demo_builds_once_while_the_startup_window_waits(tmp_path: Path):
    """Building the demo runs the event loop (its splash): the startup window's time-out
    must not start a second build meanwhile (it did, and crashed on the closed window)."""
    done = run(["-m", "momentum_app", "--demo"], tmp_path, MOMENTUM_STARTUP_PROBE="1")
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["painted", "ready"]
    assert "Traceback" not in done.stderr and "already deleted" not in done.stderr
