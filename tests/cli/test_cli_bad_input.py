"""Bad input through the real CLI (SPEC §9, §10): exit 2, one ``error:`` line naming the
field, no traceback, nothing printed on stdout, and the database unchanged (a full SQL
dump of the file before and after is compared).

A lone surrogate cannot be typed into argv as such; what does reach ``sys.argv`` is an
undecodable byte (Python turns it into a lone surrogate with ``surrogateescape``), so that
is tested here, and the plain lone surrogate at the service level (tests/core/test_validation.py).

Each case costs a whole interpreter start, so the table keeps one case per kind of error
path (argparse, validation, unknown id/project/profile, undecodable argv); the full list
of validation rules is tested through the services in tests/core/test_validation.py.
"""

from __future__ import annotations

import pytest

from cli_support import NEXT, scenario

MISSING = str(NEXT["task"] + 1000)

#: (id, argv, a word the error line must contain to name the field[, marks])
CASES = [
    ("title-empty", ["task", "add", ""], "title"),
    ("title-blank", ["task", "add", "   "], "title"),
    ("title-501-characters", ["task", "add", "x" * 501], "title"),
    ("title-undecodable-bytes", ["task", "add", b"caf\xe9 au lait"], "title"),
    ("title-missing", ["task", "add"], "title"),
    ("complexity-0", ["task", "add", "ok", "--complexity", "0"], "complexity"),
    ("complexity-6", ["task", "add", "ok", "--complexity", "6"], "complexity"),
    ("complexity-abc", ["task", "add", "ok", "--complexity", "abc"], "complexity"),
    ("due-february-30", ["task", "add", "ok", "--due", "2026-02-30"], "due"),
    ("timezone-unknown", ["profile", "add", "zed", "--timezone", "Mars/Olympus_Mons"],
     "timezone"),
    ("days-off-all-seven", ["profile", "set", "--days-off", "mon,tue,wed,thu,fri,sat,sun"],
     "days_off"),
    ("slot-end-before-start", ["slot", "add", "ok", "--start", "2026-01-05T10:00", "--end",
                               "2026-01-05T09:00"], "end"),
    ("vacation-to-before-from", ["vacation", "add", "2026-02-10", "2026-02-01"], "to"),
    ("task-done-unknown-id", ["task", "done", MISSING], "id"),
    ("goal-step-add-unknown-goal", ["goal", "step", "add", MISSING, "step"], "goal"),
    ("slot-add-unknown-task", ["slot", "add", "ok", "--start", "2026-01-05T10:00", "--end",
                               "2026-01-05T11:00", "--task", MISSING], "task"),
    ("project-unknown", ["task", "list", "--project", "Nowhere"], "project"),
    ("profile-unknown-before", ["--profile", "nobody", "task", "list"], "profile"),
    ("profile-unknown-after", ["task", "add", "ok", "--profile", "nobody"], "profile"),
    ("profile-undecodable-bytes", ["--profile", b"caf\xe9", "task", "list"], "profile"),
    ("status-bad", ["task", "list", "--status", "closed"], "status"),
    ("command-unknown", ["frobnicate"], "command"),
]


def _params() -> list[object]:
    params = []
    for case_id, argv, word, *marks in CASES:
        name = scenario(f"bad:{case_id}", argv)
        params.append(pytest.param(name, word, id=case_id,
                                   marks=[pytest.mark.cli_scenario(name), *marks]))
    return params


@pytest.mark.parametrize("name, word", _params())
def test_bad_input_exits_2_with_one_error_line_and_changes_nothing(scenario_runner, name,
                                                                    word):
    run = scenario_runner[name]
    [result] = run.results
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert word in lines[0], f"the error should name {word!r}: {lines[0]}"
    assert result.stdout == ""
    assert run.dump_after == run.dump_before
