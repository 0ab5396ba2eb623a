"""SPEC v2 §12 planning scenarios through the real command line (a subprocess each)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cli_support import cli_env, run_cli


def _run(db: Path, now: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(db, MOMENTUM_NOW=now)
    return subprocess.run([sys.executable, "-m", "momentum_app", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_quick_add_dry_run_writes_nothing_then_adds(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    now = "2026-12-02T10:00:00+00:00"
    _run(db, now, "profile", "set", "--timezone", "UTC").check_returncode()
    dry = _run(db, now, "add", "--dry-run", "Call mom tomorrow 5pm #Home !3 every sun")
    assert dry.returncode == 0 and dry.stdout.count("\n") == 1
    assert "due: 2026-12-03 17:00" in dry.stdout and "every Sunday" in dry.stdout
    assert json.loads(_run(db, now, "task", "list", "--json").stdout) == []
    added = _run(db, now, "add", "Call mom tomorrow 5pm #Home !3 every sun", "--json")
    assert added.returncode == 0 and "created project Home" in added.stderr
    [task] = json.loads(_run(db, now, "task", "list", "--json").stdout)
    assert (task["title"], task["project"], task["complexity"], task["due"], task["repeat"]) \
        == ("Call mom", "Home", 3, "2026-12-03T17:00", "FREQ=WEEKLY;BYDAY=SU")


def test_rrule_count_byhour_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    now = "2026-12-02T10:00:00+00:00"
    _run(db, now, "profile", "set", "--timezone", "UTC").check_returncode()
    rule = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=55;COUNT=3"
    assert _run(db, now, "task", "add", "Standup", "--repeat", rule, "--tag", "work",
                "--remind", "30m").returncode == 0
    dues = []
    for task_id in (1, 2, 3):
        [open_task] = json.loads(_run(db, now, "task", "list", "--json").stdout)
        assert open_task["id"] == task_id and open_task["tags"] == ["work"]
        dues.append(open_task["due"])
        assert _run(db, now, "task", "done", str(task_id)).returncode == 0
    assert dues == ["2026-12-07T06:55", "2026-12-14T06:55", "2026-12-21T06:55"]
    assert json.loads(_run(db, now, "task", "list", "--json").stdout) == []  # it stopped


def test_tags_reminders_and_bad_input(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    now = "2026-01-05T12:00:00+00:00"
    _run(db, now, "profile", "set", "--timezone", "Europe/Paris").check_returncode()
    assert _run(db, now, "task", "add", "Dentist", "--due", "2026-01-06T09:00", "--remind",
                "30m", "--remind", "1d", "--tag", "health").returncode == 0
    assert _run(db, now, "task", "add", "Milk", "--tag", "errands").returncode == 0
    listed = json.loads(_run(db, now, "task", "list", "--tag", "HEALTH", "--json").stdout)
    assert [t["title"] for t in listed] == ["Dentist"]
    assert listed[0]["due_at"] == "2026-01-06T08:00:00+00:00"
    reminders = json.loads(_run(db, now, "remind", "list", "--json").stdout)
    assert [(r["offset"], r["at"]) for r in reminders] == [
        ("1d", "2026-01-05T08:00:00+00:00"), ("30m", "2026-01-06T07:30:00+00:00")]
    snoozed = json.loads(_run(db, now, "remind", "snooze", str(reminders[0]["id"]), "10m",
                              "--json").stdout)
    assert snoozed["at"] == "2026-01-05T12:10:00+00:00"
    for args in (("task", "add", "x", "--remind", "30m"),  # no due to count from
                 ("task", "add", "x", "--due", "2026-01-06T25:00"),
                 ("task", "add", "x", "--repeat-after", "3x"),
                 ("task", "list", "--tag", "nope"),
                 ("remind", "snooze", "99", "10m"),
                 ("remind", "snooze", "1", "later")):
        result = _run(db, now, *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, args
    assert len(json.loads(_run(db, now, "task", "list", "--json").stdout)) == 2


def test_new_commands_have_help_with_format_and_example(tmp_path: Path) -> None:
    for args in (("add", "--help"), ("remind", "list", "--help"),
                 ("remind", "snooze", "--help"), ("task", "add", "--help")):
        result = run_cli(tmp_path / "m.sqlite3", *args)
        assert result.returncode == 0 and "example" in result.stdout, args
    assert "30m, 2h, 1d" in run_cli(tmp_path / "m.sqlite3", "task", "add", "--help").stdout
