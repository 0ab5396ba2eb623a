"""kill -9 during completions and reopenings loses no acknowledged action (short run)."""

from __future__ import annotations

import pytest

from bench.crash import crash_run


@pytest.mark.slow
def test_random_kills_leave_a_consistent_database(tmp_path):
    summary = crash_run(tmp_path / "crash.sqlite3", rounds=4, ops=40, seed=7)
    assert summary["problems"] == []
    assert summary["acknowledged"] > 0
