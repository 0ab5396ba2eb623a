"""The core never imports Qt (CONVENTIONS §1): no PySide6, no Qt wrapper, no momentum_app.gui.

Two independent checks: a static scan of every module's imports (relative ones resolved),
and a fresh interpreter that imports every core module and then looks at ``sys.modules``
(which also catches Qt pulled in indirectly, through a third-party library).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import momentum_app

PACKAGE_ROOT = Path(momentum_app.__file__).resolve().parent
CORE = PACKAGE_ROOT / "core"
#: Top-level modules that are Qt or load it.
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "qtpy", "qtawesome",
              "pyqtgraph")
FORBIDDEN_PACKAGES = ("momentum_app.gui",)


def is_forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return top in QT_MODULES or any(
        module == package or module.startswith(package + ".") for package in FORBIDDEN_PACKAGES)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> set[str]:
    """Every module ``source`` imports, relative imports made absolute.

    String arguments of ``importlib.import_module`` and ``__import__`` count as well.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[:len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts)
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args and isinstance(
                    node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_the_scan_sees_the_whole_core():
    names = {module_name(path) for path in core_modules()}
    assert {"momentum_app.core", "momentum_app.core.db", "momentum_app.core.services",
            "momentum_app.core.services.items", "momentum_app.core.engine"} <= names


@pytest.mark.parametrize("source, module, is_package, bad", [
    ("import PySide6.QtCore", "momentum_app.core.db", False, True),
    ("from PySide6 import QtWidgets", "momentum_app.core.db", False, True),
    ("from ..gui import app", "momentum_app.core.db", False, True),
    ("from ...gui.widgets import toast", "momentum_app.core.services.items", False, True),
    ("from .. import gui", "momentum_app.core", True, True),  # in the package __init__
    ("from . import gui", "momentum_app.core.db", False, False),  # momentum_app.core.gui
    ("from .. import gui", "momentum_app.core.db", False, True),  # momentum_app.gui
    ("import qtawesome", "momentum_app.core.stats", False, True),
    ("importlib.import_module('PySide6.QtGui')", "momentum_app.core.db", False, True),
    ("from ..clock import zone", "momentum_app.core.services.items", False, False),
    ("from . import validation as v", "momentum_app.core.services.items", False, False),
    ("import sqlalchemy", "momentum_app.core.db", False, False),
])
def test_the_import_scanner_itself(source, module, is_package, bad):
    found = imported_modules(source, module, is_package)
    assert any(is_forbidden(name) for name in found) is bad, found


def test_no_core_module_imports_qt_or_the_gui():
    offenders = []
    for path in core_modules():
        name = module_name(path)
        imports = imported_modules(path.read_text(encoding="utf-8"), name,
                                   path.name == "__init__.py")
        offenders += [f"{name} imports {target}" for target in sorted(imports)
                      if is_forbidden(target)]
    assert offenders == []


IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import momentum_app.core
import momentum_app.core.services
names = [m.name for m in pkgutil.walk_packages(momentum_app.core.__path__, "momentum_app.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "modules": sorted(sys.modules)}))
"""


def test_importing_the_core_loads_no_qt_module():
    result = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True,
                            text=True, timeout=120, cwd=PACKAGE_ROOT.parent)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "momentum_app.core.services.items" in report["imported"]
    loaded = [name for name in report["modules"] if is_forbidden(name)]
    assert loaded == []
