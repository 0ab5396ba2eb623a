"""The parser that fills in only the command asked for (issue 14: start-up speed).

``build_parser(words)`` must behave exactly like the whole tree for those words: the same
``--help`` text at every level, the same parse of every example, the same error message
for a mistyped command or option. Each case is compared against ``build_parser()``.
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any

import pytest

from momentum_app.cli import UsageError, build_parser
from momentum_app.cli_help import deepest_parser, walk

FULL = build_parser()
PATHS = [path for path, _ in walk(FULL)]
IDS = [" ".join(path) or "momentum" for path in PATHS]


def _parsed(words: list[str], parser: argparse.ArgumentParser) -> Any:
    try:
        values = vars(parser.parse_args(words))
    except UsageError as exc:
        return ("error", str(exc))
    handler = values.pop("handler", None)  # closures made per build: compare by name
    return values, getattr(handler, "__qualname__", None)


def _examples(parser: argparse.ArgumentParser) -> list[list[str]]:
    lines = (parser.epilog or "").splitlines()
    return [shlex.split(line.strip())[1:] for line in lines
            if line.strip().startswith("momentum ")]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_help_is_the_same_at_every_level(path: tuple[str, ...]) -> None:
    words = [*path, "--help"]
    lazy = build_parser(words)
    assert (deepest_parser(lazy, words).format_help()
            == deepest_parser(FULL, words).format_help())


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_example_parses_the_same(path: tuple[str, ...]) -> None:
    node = deepest_parser(FULL, list(path))
    for words in _examples(node):
        assert _parsed(words, build_parser(words)) == _parsed(words, build_parser())


@pytest.mark.parametrize("words", [
    ["tsk", "list"], ["task", "ad", "x"], ["task", "add", "x", "--dew", "2026-01-01"],
    ["goal", "step", "don", "1"], ["achievements", "--avaliable"], ["task"],
    ["task", "done"], ["task", "list", "--status", "dne"], ["goal", "step"],
    ["--db", "task", "list"], ["--profile", "progress"], ["--bogus"], ["task", "list", "x"],
    ["progress", "list"], ["task", "list", "--pro", "Work"], ["--db=x", "task", "add", "y"],
    ["export", "--format", "xml"], ["remind", "snooze", "1"], ["reward", "buy"],
])
def test_errors_and_odd_orders_are_the_same(words: list[str]) -> None:
    assert _parsed(words, build_parser(words)) == _parsed(words, build_parser())


def test_only_the_command_asked_for_is_filled_in() -> None:
    lazy = build_parser(["task", "list"])
    filled = {" ".join(path) for path, node in walk(lazy) if len(node._actions) > 1}
    assert "task list" in filled and "task add" not in filled and "goal" not in filled
    assert len(list(walk(lazy))) < len(PATHS)  # the other groups' commands are not built
