"""Lint (issue 15, item 6): ruff with an explicit rule selection runs clean over
``momentum_app``, and ``scripts/test.sh`` runs it before pytest so a finding fails the run."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {"E", "F", "W", "I", "B", "UP", "SIM", "RUF"}


def test_the_rule_selection_is_explicit_and_every_ignore_is_a_known_exception() -> None:
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert REQUIRED <= set(lint["select"])
    assert set(lint["ignore"]) <= {"RUF001", "RUF002", "RUF003", "SIM105", "SIM108", "RUF005"}


def test_momentum_app_is_lint_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                             "--output-format", "concise", "momentum_app"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_script_lints_before_pytest() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "-m ruff check momentum_app" in script
    assert script.index("-m ruff check") < script.index("-m pytest")
