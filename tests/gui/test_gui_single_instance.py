"""A second launch hands over to the first: it raises the running window and exits."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from momentum_app.gui.single_instance import InstanceGuard, instance_key, lock_path_for

pytestmark = pytest.mark.gui

ASK_TO_RAISE = """
import sys
from PySide6.QtCore import QCoreApplication
from momentum_app.gui.single_instance import InstanceGuard
app = QCoreApplication([])
guard = InstanceGuard(sys.argv[1])
print("primary" if guard.try_become_primary() else
      ("acknowledged" if guard.ask_primary_to_raise() else "no answer"))
"""


def run_python(code: str, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env})


def test_the_socket_name_is_a_stable_hash_of_the_database_path(tmp_path: Path):
    path = tmp_path / "momentum.sqlite3"
    assert instance_key(path) == instance_key(tmp_path / "." / "momentum.sqlite3")
    assert instance_key(path) != instance_key(tmp_path / "other.sqlite3")
    assert instance_key(path).removeprefix("momentum-") in hashlib.sha256(
        f"{os.environ.get('USER') or __import__('getpass').getuser()}\0{path.resolve()}"
        .encode()).hexdigest()
    other_seed = run_python("import sys; from pathlib import Path; "
                            "from momentum_app.gui.single_instance import instance_key; "
                            "print(instance_key(Path(sys.argv[1])))", str(path),
                            PYTHONHASHSEED="12345")
    out, _err = other_seed.communicate(timeout=60)
    assert out.strip() == instance_key(path)


def test_a_second_guard_on_the_same_database_is_not_primary(tmp_path: Path):
    path = tmp_path / "momentum.sqlite3"
    first, second = InstanceGuard(path), InstanceGuard(path)
    try:
        assert first.try_become_primary()
        assert lock_path_for(path).exists()
        assert not second.try_become_primary()
        assert InstanceGuard(tmp_path / "another.sqlite3").try_become_primary()
    finally:
        first.release()
    assert second.try_become_primary()
    second.release()


def test_a_second_process_gets_an_acknowledgement_and_the_window_is_raised(
        gui, qtbot, db_path: Path):
    guard = InstanceGuard(db_path)
    assert guard.try_become_primary()
    gui.guard = guard
    raised = []
    guard.raise_requested.connect(gui.window.bring_to_front)
    guard.raise_requested.connect(lambda: raised.append(True))
    gui.window.showMinimized()
    second = run_python(ASK_TO_RAISE, str(db_path))
    qtbot.waitUntil(lambda: bool(raised), timeout=30_000)
    out, err = second.communicate(timeout=30)
    assert out.strip() == "acknowledged", err
    assert not gui.window.isMinimized()


def test_a_second_launch_of_the_app_exits_cleanly(gui, qtbot, db_path: Path):
    guard = InstanceGuard(db_path)
    assert guard.try_become_primary()
    gui.guard = guard
    raised = []
    guard.raise_requested.connect(lambda: raised.append(True))
    launch = subprocess.Popen([sys.executable, "-m", "momentum_app", "--db", str(db_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    qtbot.waitUntil(lambda: bool(raised), timeout=30_000)
    _out, err = launch.communicate(timeout=30)
    assert launch.returncode == 0, err


def test_start_gui_opens_the_window_as_primary(qtbot, tmp_path: Path, monkeypatch):
    from momentum_app.gui.app import start_gui  # noqa: PLC0415
    from momentum_app.gui.settings import settings_at  # noqa: PLC0415

    monkeypatch.setenv("MOMENTUM_NOW", "2026-01-05T12:00:00+00:00")
    started = start_gui(str(tmp_path / "fresh.sqlite3"), None, False,
                        settings=settings_at(tmp_path / "ui.ini"))
    assert not isinstance(started, int)
    try:
        assert started.guard is not None and started.guard.is_primary
        assert started.window.isVisible()
        assert started.momentum.clock.now().year == 2026
    finally:
        started.close()
    assert not lock_path_for(tmp_path / "fresh.sqlite3").exists()
