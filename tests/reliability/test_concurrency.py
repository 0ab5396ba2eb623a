"""Two writers at once: no lost write, no "database is locked" reaching a user.

Write transactions begin with BEGIN IMMEDIATE and wait on the busy timeout, so two
processes writing the same file take turns instead of failing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

WRITER = textwrap.dedent("""
    import sys
    from momentum_app.core.catalog import Kind
    from momentum_app.core.clock import SystemClock
    from momentum_app.core.db import open_database
    from momentum_app.core.services import Momentum
    db = open_database(sys.argv[1])
    app = Momentum(db, SystemClock())
    for n in range(int(sys.argv[3])):
        task = app.items.add_task(f"{sys.argv[2]} {n}")
        app.items.complete(Kind.TASK, task.id)
    db.close()
""")


def _cli(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "momentum_app", "--db", str(db), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(db_path: Path) -> None:
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), name, "40"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("alpha", "beta")]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        assert "locked" not in errors

    from momentum_app.core.clock import SystemClock
    from momentum_app.core.db import open_database
    from momentum_app.core.services import Momentum

    database = open_database(db_path)
    app = Momentum(database, SystemClock())
    tasks = app.items.list_tasks(status="done")
    assert len(tasks) == 80
    assert {t.title.split()[0] for t in tasks} == {"alpha", "beta"}
    assert app.doctor.run().ok
    history = app.reads.history(limit=None)
    total = sum(h.signed_points for h in history)
    assert total == app.reads.progress().total_points
    database.close()


@pytest.mark.slow
def test_cli_processes_started_together_all_succeed(db_path: Path) -> None:
    processes = [_cli(db_path, "task", "add", f"parallel {n}") for n in range(6)]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    listing = _cli(db_path, "--json", "task", "list")
    out, _ = listing.communicate(timeout=60)
    assert out.count('"parallel ') == 6
