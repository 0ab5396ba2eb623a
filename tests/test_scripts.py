"""``scripts/start.sh`` installs only when the project changed (issue #12, item 3).

The real scripts run in a copy of the project whose ``.venv/bin/python`` is a stand-in
that records each pip call (so the test needs no network and takes a second); the
decision logic, the stamp file and the step lines are the scripts' own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "Python 3.11.7"; exit 0; fi
echo "$*" >> "$(dirname "$0")/../pip-calls.log"
if [ "$1 $2 $3" = "-m pip install" ] && [ "$4" = "--progress-bar" ]; then
  printf '#!/bin/sh\\necho "momentum $*"\\n' > "$(dirname "$0")/momentum"
  chmod +x "$(dirname "$0")/momentum"
fi
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "momentum"
    shutil.copytree(ROOT / "scripts", copy / "scripts")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    bin_dir = copy / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(FAKE_PYTHON)
    (bin_dir / "python").chmod(0o755)
    return copy


def start(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # apt-get must never be needed here: the machine has the system packages.
    return subprocess.run(["bash", "scripts/start.sh", *args], cwd=project, text=True,
                          capture_output=True, timeout=120, check=False,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def pip_calls(project: Path) -> list[str]:
    log = project / ".venv" / "pip-calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_start_installs_once_then_only_when_the_project_changed(project: Path):
    first = start(project, "--demo")
    assert first.returncode == 0, first.stderr
    assert "Installing Momentum" in first.stdout  # a clear step line on the first install
    assert first.stdout.rstrip().endswith("momentum --demo")  # then the window command
    calls = pip_calls(project)
    assert calls == ["-m pip install --upgrade --progress-bar on pip",
                     "-m pip install --progress-bar on -e ."]  # progress shown, no -q

    again = start(project)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "momentum \n"  # straight to the window: nothing installed
    assert pip_calls(project) == calls

    with open(project / "pyproject.toml", "a", encoding="utf-8") as changed:
        changed.write("\n# a new dependency would go here\n")
    third = start(project)
    assert "Installing Momentum" in third.stdout
    assert len(pip_calls(project)) == 4


def test_a_test_install_also_counts_for_start(project: Path):
    done = subprocess.run(["bash", "scripts/install.sh", "test"], cwd=project, text=True,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert pip_calls(project)[-1] == "-m pip install --progress-bar on -e .[test]"
    assert start(project).stdout == "momentum \n"
    assert len(pip_calls(project)) == 2


def test_the_license_metadata_is_the_current_form():
    """PEP 639: an SPDX string and license files (a table is deprecated by setuptools)."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["license"] == "MIT"
    assert all((ROOT / name).is_file() for name in data["project"]["license-files"])
    assert "setuptools>=77" in data["build-system"]["requires"]


def _system_deps(tmp_path: Path, python3_works: bool) -> tuple[subprocess.CompletedProcess[str],
                                                                 list[str]]:
    """scripts/system-deps.sh in a copy without .venv, with stand-ins for python3 (which
    can or cannot make a venv) and apt-get/sudo (which record their calls)."""
    copy = tmp_path / "clone"
    shutil.copytree(ROOT / "scripts", copy / "scripts")
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "apt.log"
    (fake / "python3").write_text(f"#!/bin/sh\nexit {0 if python3_works else 1}\n")
    for tool in ("apt-get", "sudo"):
        (fake / tool).write_text(f"#!/bin/sh\necho \"{tool} $*\" >> {log}\n")
    for tool in fake.iterdir():
        tool.chmod(0o755)
    done = subprocess.run(["bash", "scripts/system-deps.sh"], cwd=copy, text=True,
                          capture_output=True, timeout=120, check=False,
                          env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"})
    return done, log.read_text().splitlines() if log.exists() else []


def test_system_deps_installs_python3_venv_where_python_cannot_make_a_venv(tmp_path: Path):
    """Debian's python3 has no ensurepip without python3-venv (README, issue #12)."""
    done, calls = _system_deps(tmp_path, python3_works=False)
    assert done.returncode == 0, done.stderr
    installs = [call for call in calls if " install " in call]
    assert installs and installs[-1].split()[-1] == "python3-venv", calls
    done, calls = _system_deps(tmp_path / "2", python3_works=True)
    assert done.returncode == 0 and calls == [], (done.stderr, calls)
