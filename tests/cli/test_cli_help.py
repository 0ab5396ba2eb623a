"""Help that teaches (issue #12, item 5).

The whole parser tree is walked: every command has a one-line description and at least
one example, every example parses, every option has help; a mistyped command or option
answers "did you mean …?" and names that sub-command's ``--help`` (exit 2).
"""

from __future__ import annotations

import argparse
import shlex

import pytest

from cli_support import run_cli, run_many
from momentum_app.cli import UsageError, build_parser
from momentum_app.cli_help import walk

PARSERS = list(walk(build_parser()))
IDS = [" ".join(path) or "momentum" for path, _ in PARSERS]


def examples_of(parser: argparse.ArgumentParser) -> list[str]:
    epilog = parser.epilog or ""
    title = "examples:" if "examples:" in epilog else "example:"
    assert title in epilog
    return [line.strip() for line in epilog.split(title, 1)[1].splitlines()
            if line.strip().startswith("momentum")]


def test_the_tree_is_walked_whole():
    assert {"task add", "goal step done", "event-type add", "import", "export"} <= set(IDS)
    assert len(PARSERS) > 60


@pytest.mark.parametrize(("path", "parser"), PARSERS, ids=IDS)
def test_every_command_has_a_line_an_example_and_help_for_every_option(
        path: tuple[str, ...], parser: argparse.ArgumentParser):
    assert parser.description and "\n" not in parser.description.strip()
    examples = examples_of(parser)
    assert examples, f"`momentum {' '.join(path)}` has no example"
    assert any(example.split()[1:len(path) + 1] == list(path) or not path
               for example in examples), "no example shows the command itself"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        name = "/".join(action.option_strings) or action.dest
        assert action.help, f"`momentum {' '.join(path)}`: {name} has no help"
    text = parser.format_help()
    assert "example" in text and examples[0] in text  # the epilog is shown verbatim


@pytest.mark.parametrize(("path", "parser"), PARSERS, ids=IDS)
def test_every_example_parses(path: tuple[str, ...], parser: argparse.ArgumentParser):
    for example in examples_of(parser):
        words = shlex.split(example)[1:]
        try:
            build_parser().parse_args(words)
        except UsageError as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{example!r} does not parse: {exc}")


def test_formats_are_stated_where_a_value_has_one():
    helps = {(" ".join(path), action.dest): action.help or ""
             for path, parser in PARSERS for action in parser._actions}
    assert "YYYY-MM-DD" in helps[("task add", "due")]
    assert "ISO 8601" in helps[("task done", "at")] and "noon" in helps[("task done", "at")]
    assert "RRULE" in helps[("task add", "repeat")]
    assert "sat,sun" in helps[("profile set", "days_off")]
    assert "IANA" in helps[("profile set", "timezone")]
    assert "ISO 8601" in helps[("slot add", "start")]


def test_mistyped_commands_and_options_get_a_suggestion_and_the_right_help():
    results = run_many([(None, args) for args in (
        ("tsk", "list"), ("task", "ad", "x"), ("task", "add", "x", "--dew", "2026-01-01"),
        ("goal", "step", "don", "1"), ("achievements", "--avaliable"),
        ("task", "done", "1", "--att", "2026-01-01"), ("task", "add", "--help"))])
    expected = [
        "error: unknown command 'tsk' for `momentum`; did you mean `momentum task`? "
        "(see `momentum --help`)\n",
        "error: unknown command 'ad' for `momentum task`; did you mean `momentum task add`? "
        "(see `momentum task --help`)\n",
        "error: unknown option '--dew'; did you mean --due? (see `momentum task add --help`)\n",
        "error: unknown command 'don' for `momentum goal step`; did you mean "
        "`momentum goal step done`? (see `momentum goal step --help`)\n",
        "error: unknown option '--avaliable'; did you mean --available? "
        "(see `momentum achievements --help`)\n",
        "error: unknown option '--att'; did you mean --at? (see `momentum task done --help`)\n",
    ]
    for result, message in zip(results, expected):
        assert (result.returncode, result.stderr, result.stdout) == (2, message, "")
    shown = results[-1]
    assert shown.returncode == 0 and "example:" in shown.stdout
    assert "momentum task add \"" in shown.stdout


def test_a_missing_argument_points_to_the_commands_help(tmp_path):
    result = run_cli(tmp_path / "m.sqlite3", "task", "add")
    assert result.returncode == 2
    assert result.stderr == ("error: the following arguments are required: title "
                             "(see `momentum task add --help`)\n")
