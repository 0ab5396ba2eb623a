"""The package as shipped: build a wheel, install it in a fresh venv, run the CLI from it.

This proves that ``migrations/`` and ``resources/`` (which live at the top of the source
tree) are shipped inside the package as ``momentum_app.migrations`` and
``momentum_app.resources`` and are found through ``importlib.resources``, not through the
source tree. The new venv reaches the dependencies through a ``.pth`` line naming the
development venv's site-packages: a path added that way is not a site directory, so its
own ``.pth`` files — among them the editable install's finder — are not run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import momentum_app
from momentum_app.core.db import head_revision

pytestmark = pytest.mark.slow

SOURCE = Path(momentum_app.__file__).resolve().parent.parent
NOT_SOURCE = {".venv", ".git", "tests", "build", "dist", "__pycache__", ".pytest_cache",
              ".hypothesis", ".mypy_cache", ".ruff_cache", "bench", "docs", "screenshots-out"}
TIMEOUT = 300


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def copy_source(target: Path) -> Path:
    """A clean copy of the source tree, so that building writes nothing into the real one."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in NOT_SOURCE or n.endswith((".egg-info", ".pyc"))
                or n.endswith((".sqlite3", ".sqlite3-wal", ".sqlite3-shm"))}
    shutil.copytree(SOURCE, target, ignore=ignore)
    return target


def can_build_without_isolation() -> bool:
    """setuptools < 70.1 needs the ``wheel`` package for ``bdist_wheel``."""
    import setuptools  # noqa: PLC0415

    version = tuple(int(part) for part in setuptools.__version__.split(".")[:2])
    return version >= (70, 1) or importlib.util.find_spec("wheel") is not None


def expected_files() -> set[str]:
    """Every file the package must ship, as paths inside the wheel."""
    files = set()
    for folder, prefix in ((SOURCE / "momentum_app", "momentum_app"),
                           (SOURCE / "migrations", "momentum_app/migrations"),
                           (SOURCE / "resources", "momentum_app/resources")):
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.add(f"{prefix}/{path.relative_to(folder).as_posix()}")
    return files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = copy_source(work / "src")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(work / "dist")]
    if can_build_without_isolation():
        command.append("--no-build-isolation")
    # Otherwise pip builds in an isolated env with pyproject's build requirements
    # (setuptools>=77, wheel) from the configured index (see the report in the test below).
    built_log = run([*command, "-v", "."], cwd=source)
    # PEP 639 metadata (license = "MIT", license-files): setuptools has nothing to deprecate.
    assert "SetuptoolsDeprecationWarning" not in built_log.stdout + built_log.stderr
    [built] = (work / "dist").glob("momentum_app-*.whl")
    return built


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {n for n in archive.namelist() if ".dist-info/" not in n}


def test_the_wheel_ships_the_migrations_and_the_resources(wheel: Path):
    names = wheel_files(wheel)
    shipped_apart = {f for f in expected_files()
                     if f.startswith(("momentum_app/migrations/", "momentum_app/resources/"))}
    assert "momentum_app/migrations/env.py" in shipped_apart
    assert any(f.startswith("momentum_app/migrations/versions/0") for f in shipped_apart)
    assert sorted(shipped_apart - names) == []
    core = {"momentum_app/__main__.py", "momentum_app/cli.py", "momentum_app/core/db.py",
            "momentum_app/core/services/items.py", "momentum_app/core/engine/step.py"}
    assert sorted(core - names) == []


def test_the_wheel_ships_every_module_of_the_source_tree(wheel: Path):
    missing = sorted(expected_files() - wheel_files(wheel))
    assert missing == [], f"not in the wheel: {missing}"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the source tree, with the wheel installed (no dependencies)."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)], cwd=venv.parent)
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                          "['purelib'])"], cwd=venv.parent).stdout.strip())
    dev_site = Path(sysconfig.get_paths()["purelib"])
    (purelib / "zz_momentum_dependencies.pth").write_text(f"{dev_site}\n", encoding="utf-8")
    return venv


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MOMENTUM_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PYTHONNOUSERSITE="1", QT_QPA_PLATFORM="offscreen",
               MOMENTUM_NOW="2026-01-05T12:00:00+00:00", **extra)
    return env


WHERE = """
import importlib.resources, json, sys
import momentum_app
print(json.dumps({
    "package": momentum_app.__file__,
    "migrations": str(importlib.resources.files("momentum_app.migrations")),
    "resources": str(importlib.resources.files("momentum_app.resources")),
    "finders": [type(f).__module__ + "." + type(f).__qualname__ for f in sys.meta_path],
}))
"""


def test_the_installed_package_is_the_wheel_not_the_source_tree(installed: Path,
                                                               tmp_path: Path):
    python = installed / "bin" / "python"
    where = json.loads(run([str(python), "-c", WHERE], cwd=tmp_path, env=clean_env()).stdout)
    for key in ("package", "migrations", "resources"):
        path = Path(where[key]).resolve()
        assert installed.resolve() in path.parents, f"{key} resolved to {path}"
        assert SOURCE not in path.parents, f"{key} resolved to the source tree: {path}"
    assert not [f for f in where["finders"] if "editable" in f.lower()]


def test_the_installed_cli_creates_a_database_and_adds_a_task(installed: Path, tmp_path: Path):
    db = tmp_path / "data" / "momentum.sqlite3"
    env = clean_env()
    added = run([str(installed / "bin" / "python"), "-m", "momentum_app", "--db", str(db),
                 "task", "add", "hi", "--json"], cwd=tmp_path, env=env)
    assert json.loads(added.stdout) == {"id": 1}
    assert added.stderr == ""
    # The console script of [project.scripts] works too.
    listed = run([str(installed / "bin" / "momentum"), "task", "list", "--db", str(db),
                  "--json"], cwd=tmp_path, env=env)
    assert [(t["id"], t["title"]) for t in json.loads(listed.stdout)] == [(1, "hi")]
    import sqlite3  # noqa: PLC0415

    conn = sqlite3.connect(db)
    try:  # migrated to the head shipped in the wheel (the same as the source tree's)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)]
    finally:
        conn.close()
    assert not (SOURCE / "momentum.sqlite3").exists()
