"""Issue 18 item 5: ``momentum import --format taskwarrior FILE`` on the light path
(``core/imports/light.py``) loads no SQLAlchemy and stores what the full path stores —
every table's rows, the undo history's entry included — or hands the import to the full
path before writing anything.

The light side runs as the real CLI in its own interpreter, which reports what it loaded
(``cli_support.momentum``); ``--profile default`` (which the light path does not take)
runs the same command on the full path, through the CLI's ``main`` in the test's process.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from cli_support import momentum, rows

from momentum_app.cli import build_parser
from momentum_app.cli_light import LightCommand, parse
from momentum_app.core.imports import staged
from momentum_app.core.services.light import open_light

FullPath = Callable[..., tuple[int, str, str]]
#: The search index's b-tree pages: their layout follows how many rows each fill
#: inserted (a staged import fills it per batch), so they are compared by what they
#: index (:func:`search_index`) instead.
INDEX_PAGES = frozenset({"tasks_fts_data", "tasks_fts_idx"})
UUID = "00000000-0000-4000-8000-{:012d}"
#: What the light path never loads (dateutil it may: the parser checks a repeat rule).
FULL_ONLY = frozenset({"sqlalchemy", "alembic"})


def task(number: int, **fields: object) -> dict[str, object]:
    """A ``task export`` object: a pending task unless ``fields`` say otherwise."""
    entry = f"202512{1 + number % 28:02d}T{number % 24:02d}3000Z"
    return {"id": number, "description": f"Task number {number}", "entry": entry,
            "modified": entry, "status": "pending", "uuid": UUID.format(number),
            "urgency": 1.5, **fields}


def varied(count: int) -> list[dict[str, object]]:
    """``count`` tasks with what a real export has: projects (one named like the Inbox),
    tags (one not a word), priorities, dues, annotations, user-defined attributes, done,
    deleted, waiting and started tasks, a dependency, a recurring series with instances."""
    tasks = []
    for number in range(1, count + 1):
        fields: dict[str, object] = {}
        if number % 3:
            fields["project"] = ["Home", "Work.Q1", "inbox", "Garden 🌱"][number % 4]
        if number % 4 == 1:
            fields["tags"] = [["next", "phone"], ["Errand"], ["two words", "next"]][number % 3]
        if number % 5 == 2:
            fields["priority"] = "HML"[number % 3]
        if number % 6 == 3:
            fields["due"] = f"202601{1 + number % 27:02d}T000000Z"
        if number % 7 == 4:
            fields["annotations"] = [{"entry": "20251220T080000Z", "description": "Call back"}]
        if number % 11 == 5:
            fields["estimate"] = "2h"  # a user-defined attribute: kept in the notes
        if number % 9 == 6:
            fields.update(status="completed", end="20251230T170000Z", id=0)
        elif number % 13 == 7:
            fields.update(status="deleted", end="20251231T090000Z", id=0)
        elif number % 17 == 8:
            fields.update(status="waiting", wait="20260301T000000Z")
        elif number % 19 == 9:
            fields["start"] = "20260102T100000Z"
        if number == 10:
            fields["depends"] = [UUID.format(1)]
        tasks.append(task(number, **fields))
    series = UUID.format(count + 1)
    tasks += [task(count + 1, description="Weekly review", status="recurring", recur="weekly",
                   due="20260109T000000Z", mask="--"),
              task(count + 2, description="Weekly review", parent=series, recur="weekly",
                   due="20260116T000000Z", imask=1),
              task(count + 3, description="Weekly review", parent=series, recur="weekly",
                   due="20260109T000000Z", imask=0, status="completed",
                   end="20260109T170000Z")]
    tasks.append(dict(tasks[0], description="Task number 1, exported twice"))  # same uuid
    return tasks


def export(path: Path, tasks: list[dict[str, object]]) -> str:
    """``tasks`` as ``task export`` writes them (one per line in [ ]); the path as text."""
    lines = ",\n".join(json.dumps(t, ensure_ascii=False, separators=(",", ":")) for t in tasks)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    return str(path)


def search_index(db: Path) -> list[tuple[object, ...]]:
    """What the search index holds — every term of every task's title and notes, with
    its position — after SQLite's own check that it matches the tasks."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("INSERT INTO tasks_fts (tasks_fts, rank) VALUES ('integrity-check', 1)")
        conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, tasks_fts, "
                     "instance)")
        return conn.execute("SELECT * FROM temp.terms ORDER BY 1, 2, 3, 4").fetchall()


def same_rows(light: Path, full: Path, *, index_pages: bool = True) -> None:
    """Every table's rows alike (``index_pages`` False: the search index compared by its
    terms, not its pages)."""
    ours, theirs = rows(light), rows(full)
    if not index_pages:
        for name in INDEX_PAGES:
            assert ours.pop(name) and theirs.pop(name)
        assert search_index(light) == search_index(full)
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], name


def test_the_import_loads_no_sqlalchemy_and_stores_the_full_paths_rows(
        twins: tuple[Path, Path], full_path: FullPath, tmp_path: Path) -> None:
    light, full = twins
    source = export(tmp_path / "export.json", varied(60))
    before = rows(light)
    outputs = []
    for args in (("import", "--format", "taskwarrior", source),  # new tasks, new projects
                 ("--json", "import", "--format=taskwarrior", source)):  # all unchanged
        *ours, loaded = momentum(light, *args)
        assert tuple(ours) == full_path(full, *args), args
        assert not FULL_ONLY & set(loaded), (args, loaded)
        same_rows(light, full)
        outputs.append(ours[1])
    assert outputs[0].startswith(
        "Imported from taskwarrior: 62 tasks, 8 done, 4 deleted, 3 projects\n")
    assert json.loads(outputs[1])["totals"]["unchanged"] == 62
    assert len(rows(light)["tasks"]) == len(before["tasks"]) + 62
    # One entry of the undo history each (the unchanged imports changed nothing): `undo`
    # and `redo` (full commands) take the light import back and do it again exactly as
    # the full path's.
    for command in ("undo", "undo", "redo", "redo", "undo"):
        assert momentum(light, command)[:3] == full_path(full, command), command
        same_rows(light, full)
    assert rows(light)["import_sources"] == before["import_sources"]


def test_a_file_the_full_path_stages_gives_the_same_rows_in_one_transaction(
        twins: tuple[Path, Path], full_path: FullPath, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Above ``STAGE_FROM`` new tasks the full path writes in batches under a staging
    profile (issue 20); the light path writes the same rows at once."""
    monkeypatch.setattr(staged, "STAGE_FROM", 20)
    monkeypatch.setattr(staged, "BATCH", 25)
    batches: list[int] = []
    stage = staged._stage
    monkeypatch.setattr(staged, "_stage", lambda *a, **k: batches.append(1) or stage(*a, **k))
    light, full = twins
    source = export(tmp_path / "export.json", varied(70))
    args = ("--json", "import", "--format", "taskwarrior", source)
    *ours, loaded = momentum(light, *args)
    assert tuple(ours) == full_path(full, *args) and not FULL_ONLY & set(loaded)
    assert len(batches) == 3  # the full path did stage it
    same_rows(light, full, index_pages=False)
    assert momentum(light, "undo")[:3] == full_path(full, "undo")
    same_rows(light, full, index_pages=False)


def test_what_only_the_full_path_does_goes_to_it_before_anything_is_written(
        twins: tuple[Path, Path], full_path: FullPath, tmp_path: Path) -> None:
    light, full = twins
    first = varied(30)
    source = export(tmp_path / "first.json", first)
    for db in twins:
        assert not FULL_ONLY & set(momentum(db, "import", "--format", "taskwarrior", source)[3])
    changed = [dict(t, description="Renamed") if t["uuid"] == UUID.format(4) else t
               for t in first]
    cases = [
        export(tmp_path / "changed.json", changed),  # an update: the Session's snapshots
        export(tmp_path / "own.json", [task(90, momentum_id=1)]),  # Momentum's own export
    ]
    for path in cases:
        args = ("--json", "import", "--format", "taskwarrior", path)
        *ours, loaded = momentum(light, *args)
        assert tuple(ours) == full_path(full, *args), path
        assert "sqlalchemy" in loaded, path
        same_rows(light, full)
    todo = tmp_path / "todo.txt"
    todo.write_text("Buy milk +Errands\n", encoding="utf-8")
    args = ("import", "--format", "todotxt", str(todo))  # parsed light, imported in full
    *ours, loaded = momentum(light, *args)
    assert tuple(ours) == full_path(full, *args) and "sqlalchemy" in loaded
    same_rows(light, full)
    assert parse(["import", "--format", "taskwarrior", source, "--award"]) is None
    assert parse(["import", "--dry-run", "--format", "taskwarrior", source]) is None


def test_a_bad_file_is_refused_as_the_full_path_refuses_it_with_nothing_written(
        twins: tuple[Path, Path], full_path: FullPath, tmp_path: Path) -> None:
    light, full = twins
    before = rows(light)
    bad = varied(5)
    bad[3]["due"] = "20261301T000000Z"
    for path in (export(tmp_path / "bad.json", bad), str(tmp_path / "missing.json")):
        args = ("import", "--format", "taskwarrior", path)
        *ours, loaded = momentum(light, *args)
        assert tuple(ours) == full_path(full, *args) and not FULL_ONLY & set(loaded)
        assert ours[0] == 2 and "error" in ours[2], ours
    assert rows(light) == before


def test_the_days_backup_is_made_on_the_way_when_it_is_due(
        twins: tuple[Path, Path], tmp_path: Path) -> None:
    light, _ = twins
    shutil.rmtree(light.parent / "backups")
    source = export(tmp_path / "export.json", varied(5))
    status, _, errors, loaded = momentum(light, "import", "--format", "taskwarrior", source)
    assert (status, errors) == (0, "") and not FULL_ONLY & set(loaded)
    assert [p.name for p in (light.parent / "backups").iterdir() if "scheduled" in p.name]
    database = open_light(light)  # backed up today: even a light command opens it now
    assert database is not None
    database.close()


@pytest.mark.parametrize("args", [
    ["import", "--format", "taskwarrior", "tw.json"],
    ["--json", "import", "tw.json", "--format=taskwarrior", "--max-size", "2"],
    ["import", "--db", "x.sqlite3", "--format", "csv", "f.csv"],
], ids=" ".join)
def test_the_light_parser_reads_an_import_as_the_full_parser(args: list[str]) -> None:
    command = parse(args)
    assert isinstance(command, LightCommand)
    full = build_parser(args).parse_args(args)
    assert (full.command, full.db, full.json, full.path) == (
        "import", command.db, command.json, command.argument)
    assert (full.fmt, full.max_size) == (command.options["--format"],
                                         command.options.get("--max-size", "50"))
