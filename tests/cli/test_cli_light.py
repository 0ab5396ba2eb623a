"""Issue 14: the hot commands' light path (``momentum_app/cli_light.py``) loads no
SQLAlchemy, and does what the full path does — the same output and exit status, the
same rows (undo history included) — or hands the command to the full path.

Each light command runs as the real CLI in its own interpreter, which reports what it
loaded; ``--profile default`` (which the light path does not take) makes the same
command run on the full path, through the CLI's ``main`` in the test's process.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from cli_support import WORKERS, momentum, rows, services

from momentum_app.cli import build_parser
from momentum_app.cli_light import LightCommand, parse
from momentum_app.cli_text import task_table
from momentum_app.core.services.engine_store import INSTANT_COLUMNS, model_instant_columns


def test_the_hot_commands_load_no_sqlalchemy_and_match_the_full_path_byte_for_byte(
        twins: tuple[Path, Path], full_path: Callable[..., tuple[int, str, str]]) -> None:
    light, full = twins
    script = [("task", "add", "Buy milk", "--complexity", "2", "--notes", "2 litres"),
              ("--json", "task", "add", "Call Sam"), ("task", "list", "--status", "all"),
              ("task", "done", "8"), ("--json", "task", "done", "9"),
              ("task", "done", "8"),  # already done: exit 2, nothing written
              ("task", "add", "x", "--complexity", "9"), ("--json", "progress")]
    for args in script:
        *ours, loaded = momentum(light, *args)
        assert tuple(ours) == full_path(full, *args), args
        assert loaded == [], (args, loaded)
    assert rows(light) == rows(full)
    # The history rows are the full path's: `undo` (a full command) takes both back alike.
    for _ in range(2):
        assert momentum(light, "undo")[:3] == full_path(full, "undo")
    assert rows(light) == rows(full)


def test_what_needs_the_full_opening_gets_it(tmp_path: Path, prepared_db: Path) -> None:
    new = tmp_path / "new" / "momentum.sqlite3"
    status, out, _, loaded = momentum(new, "task", "add", "First")
    assert (status, out) == (0, "Added task 1: First\n")
    assert "sqlalchemy" in loaded  # created and migrated
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(prepared_db, copy)
    with closing(sqlite3.connect(copy)) as conn:
        conn.execute("PRAGMA user_version = 0")  # derived tables of older rules: refolded
    status, _, _, loaded = momentum(copy, "progress")
    assert status == 0 and "sqlalchemy" in loaded
    assert momentum(copy, "progress")[3] == []  # up to date now, and backed up today
    with closing(sqlite3.connect(copy)) as conn, conn:
        conn.execute("UPDATE tasks SET repeat_rule = 'FREQ=DAILY' WHERE id = 1")
    status, out, _, loaded = momentum(copy, "task", "done", "1")  # spawns the next one
    assert status == 0 and out.startswith("Done: Write report") and "sqlalchemy" in loaded


#: Titles and notes a search must tell apart: LIKE's wildcards and escape, FTS5's quotes,
#: letters SQLite's ``lower`` folds (ASCII) and does not (ü/Ü).
SEARCHED = [("Pay 50% of invoice_42", ""), ("Pay 50 of invoice 42", "a\\b"),
            ("Trip to Zürich", 'say "hi"'), ("ZÜRICH office", "Straße"),
            ("Invoice Bob", "100%_sure")]
NEEDLES = ["invoice", "INVOICE", "50%", "%", "_", "e_4", '"hi"', 'say "', "Zürich", "zürich",
           "ZÜRICH", "a\\b", "\\", "in", "é", "straße", "nothing at all", "", "Write"]


def test_a_search_on_the_light_path_finds_what_the_full_path_and_the_pages_find(
        twins: tuple[Path, Path], full_path: Callable[..., tuple[int, str, str]]) -> None:
    light = twins[0]
    for title, notes in SEARCHED:
        assert full_path(light, "task", "add", title, "--notes", notes)[0] == 0
    assert full_path(light, "task", "done", "12")[0] == 0
    calls = [("task", "list", "--search", needle, *status) for needle in NEEDLES
             for status in ((), ("--status", "all"))]
    calls += [("task", "list", "--search", "   "),  # nothing to look for: exit 2
              ("task", "list", "--status=done", "--search=invoice")]
    with ThreadPoolExecutor(WORKERS) as pool:
        ran = list(pool.map(lambda args: momentum(light, *args), calls))
    found = set()
    with services(light, "default") as app:
        for args, (*ours, loaded) in zip(calls, ran, strict=True):
            assert loaded == [], (args, loaded)
            assert tuple(ours) == full_path(light, *args), args
            needle = args[args.index("--search") + 1] if "--search" in args else (
                args[-1].partition("=")[2])
            if ours[0] == 0 and needle:
                status = "all" if "all" in args else "done" if "--status=done" in args else "open"
                # the pages' statements (task_query), not the plain listing
                paged = app.items.list_tasks(status=status, search=needle, limit=10**6)
                assert ours[1] == task_table(paged) + "\n", args
                found.add(len(paged))
    assert ran[-2][0] == 2 and "search" in ran[-2][2]
    assert {0, 1, 2} <= found  # empty, single and several answers were compared


LIGHT = [
    ["task", "add", "Buy milk"],
    ["--db", "x.sqlite3", "task", "add", "Buy milk", "--complexity", "3"],
    ["task", "--json", "add", "--notes=fresh", "Buy milk", "--db=y"],
    ["task", "add", ""],
    ["task", "add", "done"],
    ["task", "done", "3", "--at", "2026-01-05T10:00"],
    ["--json", "task", "done", "3"],
    ["task", "list"], ["task", "list", "--status", "done"], ["task", "list", "--status=all"],
    ["task", "list", "--search", "50%_off"], ["task", "list", "--search=Zürich", "--status=all"],
    ["task", "list", "--search", ""], ["--db", "x", "task", "list", "--search", '"q"'],
    ["progress"], ["--json", "progress", "--db", "z"], ["--db", "", "progress"],
]
FULL = [
    ["task", "add"], ["task", "add", "a", "b"], ["task", "add", "-x"],
    ["task", "add", "a", "--complexity"], ["task", "add", "a", "--comp", "3"],
    ["task", "add", "a", "--project", "Work"], ["task", "--complexity", "2", "add", "a"],
    ["task", "add", "a", "--notes", "-n"], ["task", "add", "--", "-a"],
    ["task", "add", "a", "--json=yes"], ["--profile", "bob", "progress"],
    ["task", "list", "--json"], ["task", "list", "--status", "later"],
    ["task", "list", "--search", "milk", "--json"], ["task", "list", "--search", "-x"],
    ["task", "list", "--search"], ["task", "list", "--search", "a", "--project", "Work"],
    ["task", "list", "--search", "a", "--tag", "home"], ["task", "list", "--all"],
    ["task", "list", "--sea", "milk"], ["task", "done"], ["task", "show", "1"],
    ["progress", "--help"], ["-h"], ["progress", "now"], ["undo"], [], ["--demo"],
]


@pytest.mark.parametrize("args", LIGHT, ids=" ".join)
def test_the_light_parser_reads_what_the_full_parser_reads(args: list[str]) -> None:
    command = parse(args)
    assert isinstance(command, LightCommand)
    full = build_parser(args).parse_args(args)
    assert (full.command, getattr(full, "action", None)) == (
        command.words + (None,))[:2]
    assert (full.db, full.json) == (command.db, command.json)
    names = {"--complexity": "complexity", "--notes": "notes", "--at": "at",
             "--status": "status", "--search": "search"}
    for option, value in command.options.items():
        assert getattr(full, names[option]) == value
    for name in ("complexity", "notes", "at"):
        if getattr(full, name, None) is not None:
            assert command.options[f"--{name}"] == getattr(full, name)
    positional = getattr(full, "title", None) or getattr(full, "id", None)
    assert positional == (command.argument or None)


@pytest.mark.parametrize("args", FULL, ids=lambda a: " ".join(a) or "(none)")
def test_anything_else_goes_to_the_full_parser(args: list[str]) -> None:
    assert parse(args) is None


def test_the_derived_tables_date_columns_are_the_models() -> None:
    assert model_instant_columns() == INSTANT_COLUMNS

