"""The type gate (issue 15, item 5): mypy, strict, over all of ``momentum_app``, with a
named list of exceptions in ``pyproject.toml`` that only shrinks; ``scripts/test.sh`` runs
it after ruff and before pytest, so a finding fails the run (docs/DESIGN.md, "Type gate")."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: The modules still excepted, and from what. Fixing one means deleting it here and in
#: pyproject.toml; adding one means this test fails until the reviewer sees it here.
EXCEPTIONS: dict[str, set[str]] = {}


def _mypy() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    return config


def _overrides_of_our_modules() -> list[dict[str, Any]]:
    found = []
    for override in _mypy().get("overrides", []):
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        if any(m == "momentum_app" or m.startswith("momentum_app.") for m in modules):
            found.append({**override, "module": modules})
    return found


def test_the_whole_package_is_checked_strictly() -> None:
    config = _mypy()
    assert config["strict"] is True
    assert config["files"] == ["momentum_app"]
    assert config["warn_unused_configs"] is True  # a stale exception is reported


def test_the_exceptions_are_the_named_ones_and_none_is_in_the_core() -> None:
    excepted: dict[str, set[str]] = {}
    for override in _overrides_of_our_modules():
        assert set(override) - {"module"} <= {"disable_error_code"}, (
            f"{override['module']}: an exception names the error codes it disables "
            "(no ignore_errors, no per-module loosening of strict)")
        assert override["disable_error_code"], override
        for module in override["module"]:
            assert "*" not in module, f"{module}: exceptions name modules, not patterns"
            assert not module.startswith("momentum_app.core"), f"{module}: the core is strict"
            excepted.setdefault(module, set()).update(override["disable_error_code"])
    assert excepted == EXCEPTIONS
    for module in excepted:
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module


def test_the_test_script_type_checks_after_lint_and_before_pytest() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "-m mypy momentum_app" in script
    assert script.index("-m ruff check") < script.index("-m mypy") < script.index("-m pytest")


def test_mypy_is_pinned_in_the_test_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [d for d in project["optional-dependencies"]["test"] if d.startswith("mypy")]
    assert len(pins) == 1 and ">=" in pins[0] and "<" in pins[0].split(">=", 1)[1]


def test_momentum_app_passes_the_gate() -> None:
    """The gate itself (warm: scripts/test.sh has just filled .mypy_cache/)."""
    result = subprocess.run([sys.executable, "-m", "mypy", "momentum_app"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_gate_catches_what_strict_forbids(tmp_path: Path) -> None:
    """The configuration is the project's: a module under momentum_app that returns Any
    where it promises an int and leaves a parameter untyped fails it."""
    package = tmp_path / "momentum_app"
    (package / "core").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "bad.py").write_text(
        '"""Deliberately wrong."""\nimport json\n\n\n'
        'def count(text) -> int:\n    return json.loads(text)\n')
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "cache"), "momentum_app"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[no-untyped-def]" in result.stdout
