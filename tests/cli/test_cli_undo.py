"""``momentum undo`` / ``momentum redo`` through the real CLI, each command its own process
(SPEC v2 §9): the history is in the database, so it survives between commands."""

from __future__ import annotations

from pathlib import Path

from cli_support import query, run_cli


def total(db: Path) -> int:
    return int(run_cli(db, "progress", "--json").json()["total_points"])


def ledger(db: Path) -> int:
    rows = query(db, "SELECT entry_type, points FROM ledger")
    return sum(p if t == "credit" else -p for t, p in rows)


def test_nothing_to_undo_exits_2_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    run_cli(db, "task", "list").ok()
    result = run_cli(db, "undo")
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "error: undo: nothing to undo\n")
    result = run_cli(db, "redo", "--json")
    assert (result.returncode, result.stderr) == (2, "error: redo: nothing to redo\n")


def test_undo_a_completion_then_redo_it(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    run_cli(db, "task", "add", "Buy milk", "--complexity", "3").ok()
    before = total(db)
    run_cli(db, "task", "done", "1").ok()
    earned = total(db) - before
    undone = run_cli(db, "undo", "--json").json()
    assert undone["undone"] == "Complete “Buy milk”" and undone["points_awarded"] < 0
    tasks = run_cli(db, "task", "list", "--status", "all", "--json").json()
    assert [t["status"] for t in tasks] == ["open"]
    assert total(db) == ledger(db)
    text = run_cli(db, "redo").ok()
    assert text.startswith("Redid: Complete “Buy milk” (+")
    assert total(db) == before + earned  # achievements were kept, the rest came back
    assert run_cli(db, "doctor", "--json").json()["ok"]


def test_every_kind_of_command_is_undone_in_order(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    steps = [
        ("project", "add", "Garden"),
        ("task", "add", "Dig", "--project", "Garden"),
        ("task", "edit", "1", "--title", "Dig deeper"),
        ("task", "done", "1"),
        ("event-type", "add", "stretched", "4"),
        ("event", "stretched"),
        ("reward", "add", "Tea", "5"),
        ("reward", "buy", "Tea"),
        ("profile", "add", "Bob"),
        ("task", "delete", "1"),
    ]
    for step in steps:
        run_cli(db, *step).ok()
    labels = [run_cli(db, "undo", "--json").json()["undone"] for _ in steps]
    assert labels == ["Delete “Dig deeper”", "Add profile “Bob”", "Buy “Tea”",
                      "Add reward “Tea”", "Log “stretched”", "Add event type “stretched”",
                      "Complete “Dig deeper”", "Edit “Dig deeper”", "Add “Dig”",
                      "Add project “Garden”"]
    assert run_cli(db, "task", "list", "--status", "all", "--json").json() == []
    assert run_cli(db, "event-type", "list", "--json").json() == []
    assert [p["name"] for p in run_cli(db, "profile", "list", "--json").json()] == ["default"]
    assert total(db) == ledger(db) == query(db, "SELECT sum(points) FROM ledger WHERE "
                                                "source = 'achievement'")[0][0]
    for _ in steps:
        run_cli(db, "redo").ok()
    assert [t["title"] for t in run_cli(db, "task", "list", "--status", "all",
                                        "--json").json()] == []  # deleted again
    assert run_cli(db, "reward", "history", "--json").json()[0]["reward"] == "Tea"
    assert total(db) == ledger(db)
    assert run_cli(db, "doctor", "--json").json()["ok"]


def test_a_refused_undo_exits_2_and_leaves_the_data(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    run_cli(db, "profile", "add", "Bob").ok()
    run_cli(db, "--profile", "Bob", "task", "add", "Bob's own").ok()
    result = run_cli(db, "undo")
    assert result.returncode == 2
    assert result.stderr.startswith("error: undo: cannot undo Add profile “Bob”: ")
    assert "Bob" in [p["name"] for p in run_cli(db, "profile", "list", "--json").json()]
    # Bob's own history is his: his task is undone as Bob
    assert run_cli(db, "--profile", "Bob", "undo", "--json").json()["undone"] == \
        "Add “Bob's own”"


def test_an_import_is_undone_and_imported_again(tmp_path: Path) -> None:
    """Issue 15: ``momentum undo`` after ``momentum import`` takes the whole import back
    (items, project, identities), so the same file imports again."""
    db = tmp_path / "m.sqlite3"
    todo = tmp_path / "todo.txt"
    todo.write_text("(A) Call the bank +Money\nx 2026-01-04 Pay rent +Money\n",
                    encoding="utf-8")
    run_cli(db, "import", "--format", "todotxt", str(todo), "--award").ok()
    assert len(run_cli(db, "task", "list", "--status", "all", "--json").json()) == 2
    text = run_cli(db, "undo").ok()
    assert text.startswith("Undid: Import todotxt: 2 tasks (-")
    assert run_cli(db, "task", "list", "--status", "all", "--json").json() == []
    assert "Money" not in run_cli(db, "project", "list").ok()
    assert total(db) == ledger(db)
    assert run_cli(db, "doctor", "--json").json()["ok"]
    again = run_cli(db, "import", "--format", "todotxt", str(todo), "--json").json()
    assert again["totals"]["added"] == 2
