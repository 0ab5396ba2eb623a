"""README.md works as written (issue #12, item 4).

The quick tour's command blocks are taken from README.md itself and run, line by line and
in order, by bash in a subprocess — as a newcomer would paste them: from a folder that has
the project's ``.venv`` (a link to the one running these tests), starting with
``source .venv/bin/activate``, on a new database in the default place (``HOME`` is a
temporary folder), with the clock fixed by ``MOMENTUM_NOW`` as the README says. A README
edit that breaks a command, or a command change that breaks the README, fails here.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOW = "2026-12-01T08:00:00Z"
TOUR = "## The command line: a quick tour"
SCREENSHOTS = ".venv/bin/python -m momentum_app.gui.screenshots"


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"^```bash\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def section(heading: str) -> str:
    start = README.index(heading)
    end = README.find("\n## ", start + len(heading))
    return README[start:end if end != -1 else None]


def commands(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip()
            and not line.lstrip().startswith("#")]


def as_script(lines: list[str]) -> str:
    """Each line as written, then a check that names the line that failed."""
    out = []
    for number, line in enumerate(lines, 1):
        out.append(line)
        out.append(f"rc=$?; if [ $rc -ne 0 ]; then printf 'README command %s failed (exit %s): "
                   f"%s\\n' {number} $rc {shlex.quote(line)} >&2; exit 1; fi")
    return "\n".join(out) + "\n"


@pytest.fixture
def newcomer(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder like a clone (its .venv is this test run's), a new HOME, the clock fixed."""
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").is_file() or not (venv / "bin" / "momentum").is_file():
        pytest.skip("not run from the project's .venv (scripts/test.sh runs it so)")
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".venv").symlink_to(venv, target_is_directory=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MOMENTUM_", "XDG_", "VIRTUAL_ENV"))}
    path = [p for p in env.get("PATH", "").split(os.pathsep)
            if Path(p).resolve() != (venv / "bin").resolve()]
    env.update(HOME=str(home), MOMENTUM_NOW=NOW, TZ="UTC", QT_QPA_PLATFORM="offscreen",
               PATH=os.pathsep.join(path), PYTHONIOENCODING="utf-8")
    return clone, env


def run(script: str, clone: Path, env: dict[str, str], timeout: int = 600
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_the_quick_tour_runs_as_written_on_a_new_database(newcomer):
    clone, env = newcomer
    blocks = bash_blocks(section(TOUR))
    assert len(blocks) >= 5, "the tour's command blocks were not found"
    lines = [line for block in blocks for line in commands(block)]
    assert lines[0] == "source .venv/bin/activate"
    assert all(line.startswith(("momentum ", "printf ")) for line in lines[1:]), lines
    shown = " ".join(lines)
    for needed in ("--repeat", "momentum import", "momentum export", "momentum event-type",
                   "momentum event "):
        assert needed in shown, needed
    # `momentum` is not on the PATH until the venv is activated, as the README says.
    found = run("command -v momentum || true", clone, env).stdout.strip()
    assert not found.startswith(str(Path(sys.prefix))), found
    done = run(as_script(lines), clone, env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr

    # The data went where the README's table says (Linux row), backups beside it.
    data = Path(env["HOME"]) / ".local" / "share" / "Momentum"
    assert (data / "momentum.sqlite3").is_file()
    assert any((data / "backups").iterdir())
    for made in ("copy.sqlite3", "backup.json", "calendar.ics", "todo.txt",
                 "exports/ledger.csv"):
        assert (clone / made).exists(), made

    def momentum(*args: str) -> object:
        result = run(f". .venv/bin/activate && momentum --json {shlex.join(args)}", clone, env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    # What the tour's comments promise.
    tasks = {t["title"]: t for t in momentum("task", "list", "--status", "all")}
    assert tasks["Write the report"]["status"] == "done"
    plants = sorted((t for t in momentum("task", "list", "--status", "all")
                     if t["title"] == "Water the plants"), key=lambda t: t["id"])
    assert [(t["id"], t["status"]) for t in plants] == [(2, "done"), (3, "open")]
    assert plants[1]["due"].startswith("2026-12-04")  # Friday
    assert any(title.startswith("Call the bank") for title in tasks)  # from todo.txt
    assert [e["name"] for e in momentum("event-type", "list")] == ["meditated"]
    copy = run(". .venv/bin/activate && momentum --db copy.sqlite3 --json progress", clone,
               env)
    assert json.loads(copy.stdout)["total_points"] > 0


def test_the_screenshot_command_uses_the_venv_python_and_writes_the_named_file(newcomer):
    clone, env = newcomer
    block = next(b for b in bash_blocks(README) if SCREENSHOTS in b)
    lines = commands(block)
    assert all(line.startswith(SCREENSHOTS + " shots/") for line in lines), lines
    done = run(as_script(lines[:1]), clone, env)  # the quick one; the rest is the same tool
    assert done.returncode == 0, done.stderr[-3000:]
    assert (clone / "shots" / "today-demo-light.png").is_file()
    assert "shots/today-demo-light.png" in README


def test_the_settings_file_is_where_the_readme_says(newcomer):
    clone, env = newcomer
    code = ("from momentum_app.gui.settings import default_settings; "
            "print(default_settings().fileName())")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(Path(env["HOME"]) / ".config" / "Momentum"
                                      / "Momentum.ini")
    assert "`~/.config/Momentum/Momentum.ini`" in README
    assert "`~/.local/share/Momentum/momentum.sqlite3`" in README


def test_the_readme_names_what_a_debian_newcomer_needs():
    assert "python3-venv" in README and "`.venv/bin/momentum`" in README
    deps = (ROOT / "scripts" / "system-deps.sh").read_text(encoding="utf-8")
    assert "python3-venv" in deps
