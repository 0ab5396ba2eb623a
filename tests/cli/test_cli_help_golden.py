"""Every command's ``--help``, byte for byte (issue 15, item 6: ``build_parser`` split by
command group must not change a word of it).

``help_golden.txt`` was captured from main before the split, at 100 columns. When a
command's help changes on purpose, regenerate it::

    MOMENTUM_UPDATE_HELP=1 .venv/bin/python -m pytest tests/cli/test_cli_help_golden.py

and review the diff: it shows exactly what a user now reads differently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from momentum_app.cli import build_parser
from momentum_app.cli_help import walk

GOLDEN = Path(__file__).with_name("help_golden.txt")


def _all_help() -> str:
    return "".join(f"=== momentum {' '.join(path)}\n{node.format_help()}"
                   for path, node in walk(build_parser()))


def test_every_commands_help_is_what_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps to the terminal's width
    now = _all_help()
    if os.environ.get("MOMENTUM_UPDATE_HELP") == "1":
        GOLDEN.write_text(now, encoding="utf-8")
    before = GOLDEN.read_text(encoding="utf-8")
    assert now.count("=== momentum") == before.count("=== momentum")  # same commands
    for old, new in zip(before.split("=== "), now.split("=== "), strict=True):
        assert new == old
