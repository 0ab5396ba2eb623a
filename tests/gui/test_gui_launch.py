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
    # The offscreen platform plugin says it cannot pass a window's new minimum size on to
    # a window manager (the first run's welcome dialog sizes itself to its contents once
    # shown); a real platform has no such line. Anything else on stderr is a defect.
    noise = "This plugin does not support propagateSizeHints()"
    assert [line for line in done.stderr.splitlines() if line != noise] == []


def modules_when_ready(tmp_path: Path) -> set[str]:
    """The modules a launch of the real command has imported once its window is ready
    (the probe closes it at its first paint; ``-X importtime`` would miss the modules
    imported with ``importlib.import_module``, as the views and stage 2 are). A returning
    person's start: the first-run welcome (which lists Settings' time zones) was seen."""
    ini = tmp_path / "config" / "Momentum" / "Momentum.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[start]\nwelcomed=true\n", encoding="utf-8")
    code = ("import sys; from momentum_app.__main__ import main; status = main(['--db', "
            f"{str(tmp_path / 'a.sqlite3')!r}]); print('modules', *sorted(sys.modules)); "
            "sys.exit(status)")
    done = run(["-c", code], tmp_path, MOMENTUM_STARTUP_PROBE="1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["painted", "ready", "modules"]
    return set(lines[-1].split()[1:])


def test_the_real_window_is_ready_without_the_importers_or_exporters_or_other_views(
        tmp_path: Path):
    """Issue 14 (the window ready): importers and exporters (icalendar alone is ~0.2 s)
    load when a transfer dialog opens, not at start. The first-run check asks the profile
    service's one "has no data" rule, which lives outside the importers. Only the view on
    screen (Today) is imported: the others, and the widgets only they use (charts, the
    heatmap, the schedule's grid), when first opened (``views.ViewClass``)."""
    loaded = modules_when_ready(tmp_path)
    assert "momentum_app.gui.views.today" in loaded  # the real window was built
    heavy = sorted(m for m in loaded if m.startswith(("momentum_app.core.imports",
                                                       "momentum_app.core.exports",
                                                       "icalendar")))
    assert heavy == []
    views = {m.rsplit(".", 1)[1] for m in loaded if m.startswith("momentum_app.gui.views.")}
    assert views == {"base", "game_off", "sidebar", "today"}
    later = {"momentum_app.gui.widgets.charts", "momentum_app.gui.widgets.heatmap",
             "momentum_app.gui.widgets.time_grid", "momentum_app.gui.views.settings"}
    assert later & loaded == set()


def test_every_view_is_built_from_its_own_module_when_first_opened():
    """The lazy registry names real classes: each spec's module and class exist and the
    class is a View (a typo would only show when a person opened that screen)."""
    import importlib  # noqa: PLC0415

    from momentum_app.gui.views import VIEWS, View, ViewClass  # noqa: PLC0415

    for spec in VIEWS:
        factory = spec.factory
        assert isinstance(factory, ViewClass) and factory.module == spec.id, spec.id
        module = importlib.import_module(f"momentum_app.gui.views.{factory.module}")
        assert issubclass(getattr(module, f"{spec.id.capitalize()}View"), View), spec.id


def test_the_import_hook_gets_the_same_answers_from_the_files_bytes(tmp_path: Path):
    """PySide6's import hook asks, of every module imported after it, whether its source
    mentions PySide6; :func:`quicker_pyside_import_check` answers from the file's bytes.
    The answers must be shiboken's own for every module a window start imports."""
    code = """if True:
        import importlib, sys
        from PySide6 import QtCore
        feature = importlib.import_module("shibokensupport.feature")
        original = feature._mod_uses_pyside
        from momentum_app.gui.launch import quicker_pyside_import_check, source_mentions_pyside
        assert quicker_pyside_import_check() and quicker_pyside_import_check()  # once
        assert feature._mod_uses_pyside is not original
        import momentum_app.gui.app, momentum_app.gui.views.today
        import momentum_app.core.db, momentum_app.core.services.items  # SQLAlchemy too
        modules = [m for m in list(sys.modules.values()) if getattr(m, "__file__", None)]
        differ = [m.__name__ for m in modules
                  if source_mentions_pyside(m, original) != original(m)]
        answered = feature.pyside_feature_dict
        print(len(modules), sum(map(original, modules)), differ,
              answered["momentum_app.gui.changes"], answered["sqlalchemy.orm"])
    """
    done = run(["-c", code], tmp_path)
    assert done.returncode == 0, done.stderr
    count, using, differ, ours, theirs = done.stdout.split(maxsplit=2)[0:2] + \
        done.stdout.split(maxsplit=2)[2].rsplit(maxsplit=2)
    assert int(count) > 300 and int(using) > 30  # many modules, some of them Qt's users
    assert differ == "[]"
    assert (ours, theirs) == ("0", "-1")  # "uses PySide6" and "ignore", as shiboken sets


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
