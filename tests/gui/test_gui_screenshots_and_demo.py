"""The demo generator (real engine output, fast) and the screenshot tool."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database
from momentum_app.core.db import open_database
from momentum_app.core.demo import (
    MAIN_PROFILE_NAME,
    SECOND_PROFILE,
    DemoSummary,
    create_demo_database,
)
from momentum_app.core.services import Momentum
from momentum_app.gui import screenshots
from momentum_app.gui.main_window import MINIMUM_SIZE
from momentum_app.gui.theme import ThemeMode

pytestmark = pytest.mark.gui
NOW = datetime(2026, 3, 11, 14, 30, tzinfo=timezone.utc)


@pytest.fixture
def demo_database(tmp_path: Path) -> Iterator[tuple[Database, DemoSummary]]:
    started = time.process_time()
    path = tmp_path / "demo.sqlite3"
    summary = create_demo_database(path, now=NOW, timezone_name="Europe/Berlin")
    assert time.process_time() - started < 5  # CPU time: the machine may be busy
    database = open_database(path)
    yield database, summary
    database.close()


def test_the_demo_fills_every_view_with_real_engine_output(demo_database):
    database, summary = demo_database
    me = Momentum(database, FixedClock(NOW))
    history = me.reads.history(limit=None)
    ledger = sum(r.signed_points for r in history)
    assert summary.total_points == ledger == me.reads.progress().total_points > 1000
    assert summary.reopenings >= 1 and any(r.type == "debit" for r in history)
    assert me.items.list_tasks(status="open", due_before=NOW.date())
    assert len(me.items.list_goals()) == 5
    assert any(g.status == "done" for g in me.items.list_goals())
    assert any(0 < g.progress_percent < 100 for g in me.items.list_goals())
    assert me.items.list_slots(status="done") and me.items.list_slots(status="open")
    board = me.reads.leaderboard("all")
    assert {row.profile for row in board} == {MAIN_PROFILE_NAME, SECOND_PROFILE}
    assert me.reads.streaks()[0].current >= 7
    assert all(t.status == "open" for t in me.items.list_tasks(status="open"))
    assert me.items.get(Kind.TASK, me.items.list_tasks()[0].id)


def test_the_screenshot_tool_renders_each_scene(tmp_path: Path):
    written = screenshots.render(tmp_path, datasets=("empty",), themes=(ThemeMode.DARK,))
    names = {path.name for path in written}
    expected = {f"{scene.name}-empty-dark.png" for scene in screenshots.all_scenes()}
    assert names == expected
    for path in written:
        image = QImage(str(path))
        assert (image.width(), image.height()) == screenshots.WINDOW_SIZE


def test_the_screenshot_command_line(tmp_path: Path, capsys):
    assert screenshots.main([str(tmp_path), "--only", "today", "--theme", "light",
                             "--dataset", "empty"]) == 0
    assert (tmp_path / "today-empty-light.png").stat().st_size > 10_000
    captured = capsys.readouterr()
    assert "today-empty-light.png" in captured.out
    for suffix, size in (("-min", MINIMUM_SIZE), ("-min-large", MINIMUM_SIZE)):
        image = QImage(str(tmp_path / f"today-empty-light{suffix}.png"))
        assert (image.width(), image.height()) == size
    assert "cut off" not in captured.err
