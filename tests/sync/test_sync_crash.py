"""kill -9 during a sync, writing and reading, on both sides; then sync again.

Computer A has a few hundred completions to send; ``momentum sync`` is killed at growing
delays (before, during and after its transaction and its file writes) several times on A,
then on B while it reads, and each finally syncs to the end. Nothing may be lost or
doubled: B holds exactly A's data and derived state (the fingerprints agree), the event
count is the same, and ``doctor`` finds both consistent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from momentum_app.core.catalog import Kind
from sync_support import Replica, cli, explain, snapshot

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DELAYS = (0.2, 0.6, 1.0, 1.6, 2.4, 3.5)


def _sync_process(db, folder):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOMENTUM_")}
    env.update(MOMENTUM_DB=str(db), MOMENTUM_NOW=NOW.isoformat())
    return subprocess.Popen([sys.executable, "-m", "momentum_app", "sync", "--folder",
                             str(folder)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _kill_at(db, folder, delay):
    process = _sync_process(db, folder)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_kill_9_while_writing_and_reading_loses_and_doubles_nothing(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    a = Replica(tmp_path / "a.sqlite3", NOW - timedelta(days=10))
    try:
        for day in range(10):
            for number in range(30):
                task = a.app.items.add_task(f"Task {day}-{number}", complexity=1 + number % 5)
                a.app.items.complete(Kind.TASK, task.id)
            a.clock.advance(timedelta(days=1))
    finally:
        a.close()
    for delay in DELAYS:
        _kill_at(a.path, folder, delay)
    assert cli(a.path, "sync", "--folder", str(folder), now=NOW.isoformat()).returncode == 0
    b = tmp_path / "b.sqlite3"
    for delay in DELAYS:
        _kill_at(b, folder, delay)
    cli(b, "sync", "--folder", str(folder), now=NOW.isoformat()).ok()
    # and once more each way: what b wrote reaches a, nothing comes twice
    cli(a.path, "sync", "--folder", str(folder), now=NOW.isoformat()).ok()
    cli(b, "sync", "--folder", str(folder), now=NOW.isoformat()).ok()
    left, right = snapshot(a.path), snapshot(b)
    assert left == right, explain(left, right)
    assert len(left["source"]["events"]) >= 300
    assert len(left["source"]["tasks"]) == 300
    for db in (a.path, b):
        assert cli(db, "doctor", "--json", now=NOW.isoformat()).json()["ok"]
