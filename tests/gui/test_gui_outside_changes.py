"""The window notices what another process wrote and refreshes once; its own writes
do not trigger a second refresh."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from momentum_app.gui.changes import Change, Changes
from momentum_app.gui.outside_changes import OutsideChangeWatcher

pytestmark = pytest.mark.gui


def test_a_cli_write_is_noticed_once_and_own_writes_are_not(qtbot, app, database):
    changes = Changes()
    watcher = OutsideChangeWatcher(database.path, changes)
    seen = []
    changes.changed.connect(seen.append)
    assert watcher.poll() is False

    # Our own write, announced on the change signal: it becomes the baseline.
    task = app.items.add_task("from the window")
    own = Change.everything()
    changes.publish(own)
    assert watcher.poll() is False
    assert seen == [own]

    # Another process writes: one refresh, then quiet again.
    result = subprocess.run(
        [sys.executable, "-m", "momentum_app", "--db", str(database.path), "task", "done",
         str(task.id)], capture_output=True, text=True, timeout=120,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stderr
    assert watcher.poll() is True
    assert len(seen) == 2 and seen[1].scopes == own.scopes
    assert watcher.poll() is False
    watcher.stop()
