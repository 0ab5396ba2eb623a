"""Bad files: malformed, truncated, not UTF-8 or too large → exit 2, one clear line, and
the database exactly as it was (all or nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from io_support import dump
from test_taskwarrior_import import EXPORT as TASKWARRIOR
from test_todotxt_ics_import import CALENDAR, TODO_TXT

BACKUP_MINIMAL = json.dumps({
    "format": "momentum-backup", "version": 1, "event_types": [],
    "profiles": [{"id": 1, "name": "Restored", "timezone": "UTC",
                  "created_at": "2026-01-01T00:00:00Z",
                  "projects": [{"id": 1, "name": "Inbox", "is_inbox": True,
                                "created_at": "2026-01-01T00:00:00Z"}],
                  "tasks": [{"id": 1, "project_id": 1, "title": "A task", "status": "open",
                             "created_at": "2026-01-01T00:00:00Z"}]}],
}, indent=1)

GOOD = {"json": BACKUP_MINIMAL, "taskwarrior": TASKWARRIOR, "todotxt": TODO_TXT,
        "ics": CALENDAR}


def malformed(fmt: str) -> tuple[str, str]:
    """A file with one bad value, and the start of the error it must give."""
    if fmt == "json":
        return (BACKUP_MINIMAL.replace('"title": "A task"', '"title": ""'),
                "error: profiles[0].tasks[0].title: must not be empty")
    if fmt == "taskwarrior":
        return (TASKWARRIOR.replace('"due":"20260116T000000Z"', '"due":"tomorrow"'),
                "error: line 5: due: not a date")
    if fmt == "todotxt":
        return TODO_TXT.replace("due:2026-01-10", "due:2026-02-31"), "error: line 3: due: "
    return (CALENDAR.replace("DUE;VALUE=DATE:20260201", "DUE;VALUE=DATE:20261340"),
            "error: line 16: DUE: not a valid value (Wrong date format 20261340)")


def truncated(fmt: str) -> tuple[str, str]:
    text = GOOD[fmt]
    if fmt == "todotxt":
        cut = text.index("due:2026-01-12") + len("due:2026-0")
        return text[:cut], "error: line 1: due: not a date"
    if fmt == "ics":
        return text[:text.index("END:VEVENT")], "error: line "
    return text[:len(text) * 2 // 3], "error: line "


KINDS = ("malformed", "truncated", "not-utf8", "oversized")
FORMATS = ("json", "taskwarrior", "todotxt", "ics")


def bad_file(tmp_path: Path, fmt: str, kind: str) -> tuple[Path, list[str], str]:
    """(file, extra arguments, expected start of the error line)."""
    path = tmp_path / f"bad-{fmt}-{kind}.txt"
    extra: list[str] = []
    if kind == "malformed":
        text, expected = malformed(fmt)
        path.write_text(text, encoding="utf-8")
    elif kind == "truncated":
        text, expected = truncated(fmt)
        path.write_text(text, encoding="utf-8")
    elif kind == "not-utf8":
        text = GOOD[fmt]
        lines = text.split("\n")
        lines[3] = lines[3] + " caf\xe9"
        path.write_bytes("\n".join(lines).encode("latin-1", errors="replace"))
        expected = "error: line 4: not valid UTF-8 (byte 0xe9"
    else:
        path.write_text(GOOD[fmt], encoding="utf-8")
        extra = ["--max-size", "0.0001"]  # 100 bytes
        expected = "error: file: bad-"
    return path, extra, expected


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_bad_file_changes_nothing(seeded_db, main, tmp_path, fmt, kind):
    path, extra, expected = bad_file(tmp_path, fmt, kind)
    before = dump(seeded_db)
    args = ["import", "--format", fmt, str(path), *extra]
    if fmt != "json":
        args.append("--award")
    result = main(seeded_db, *args)
    assert result.returncode == 2
    assert result.stderr.startswith(expected), result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    if kind == "oversized":
        assert "too large" in result.stderr and "--max-size" in result.stderr
    assert dump(seeded_db) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_good_files_do_import(empty_db, main, tmp_path, fmt):
    path = tmp_path / "good"
    path.write_text(GOOD[fmt], encoding="utf-8", newline="")
    result = main(empty_db, "import", "--format", fmt, str(path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("fmt, kind", [("todotxt", "malformed"), ("json", "truncated"),
                                       ("ics", "not-utf8"), ("taskwarrior", "oversized")])
def test_bad_files_through_the_real_cli(seeded_db, cli, tmp_path, fmt, kind):
    path, _extra, expected = bad_file(tmp_path, fmt, kind)
    if kind == "oversized":  # the real default limit, with a sparse 51 MB file
        with open(path, "ab") as handle:
            handle.truncate(51_000_000)
        expected = "error: file: bad-taskwarrior-oversized.txt is too large (51.0 MB"
    before = dump(seeded_db)
    result = cli(seeded_db, "import", "--format", fmt, str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(expected), result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert dump(seeded_db) == before


def test_missing_file_and_bad_options(seeded_db, main, tmp_path):
    before = dump(seeded_db)
    result = main(seeded_db, "import", "--format", "todotxt", str(tmp_path / "nope.txt"))
    assert (result.returncode, result.stderr.startswith("error: file: no such file")) == (2, True)
    result = main(seeded_db, "import", "--format", "json", str(tmp_path), "--award")
    assert result.returncode == 2 and result.stderr.startswith("error: award:")
    result = main(seeded_db, "import", "--format", "csv", str(tmp_path))
    assert result.returncode == 2
    assert dump(seeded_db) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cancelled_import_writes_nothing(seeded_db, tmp_path, fmt):
    from io_support import services

    from momentum_app.core.imports import Cancelled, import_file

    path = tmp_path / "good"
    text = GOOD[fmt]
    if fmt == "json":  # into an empty profile of the seeded file
        text = text.replace('"Restored"', '"Someone new"')
    path.write_text(text, encoding="utf-8", newline="")
    before = dump(seeded_db)
    calls = iter(range(1000))
    with services(seeded_db) as app, pytest.raises(Cancelled):
        import_file(app, fmt, path, should_cancel=lambda: next(calls) >= 1)
    assert dump(seeded_db) == before
