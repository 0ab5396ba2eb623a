"""A JSON backup's restore is one action of the undo history (issue 15): ``undo`` puts
the database back exactly as it was before (row for row, the history aside), ``redo``
restores the same file again, and both refuse clearly when they cannot be exact.

No Qt: the services in-process on a real file, and the real command line in a subprocess
for the end-to-end case; ``momentum restore`` (a whole database) is here too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from io_support import dump, services, snapshot

from momentum_app.core.errors import ValidationError
from momentum_app.core.imports import import_file

ADA = "Ada, \"the\" Countess"
#: What an undo does not put back: its own history, and FTS5's internal segments (the
#: index's content is compared through a search instead).
_NOT_COMPARED = ("undo_entries", "tasks_fts_data", "tasks_fts_idx", "tasks_fts_docsize")


def ok(result: Any) -> str:
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return str(result.stdout)


def rows(db: Path) -> list[str]:
    return [line for line in dump(db) if not any(f'"{t}"' in line for t in _NOT_COMPARED)]


def searched(db: Path, words: str) -> list[str]:
    with services(db) as app:
        return sorted(t.title for t in app.items.list_tasks(search=words, status="all"))


@pytest.fixture
def backup(seeded_db: Path, main, tmp_path: Path) -> Path:
    """Both seeded profiles (Ada, with a custom event type, and Bob) in one file."""
    path = tmp_path / "both.json"
    ok(main(seeded_db, "export", "--format", "json", "--out", str(path), "--all-profiles"))
    return path


@pytest.fixture
def used_db(empty_db: Path) -> Path:
    """A database with a life of its own: its default profile stays empty (the backup's
    default profile goes into it), another profile has a task."""
    with services(empty_db) as app:
        app.profiles.add("Carol", timezone="Europe/Paris")
        app.switch_profile("Carol")
        app.items.add_task("Carol's own")
    return empty_db


def test_undo_takes_a_restore_back_row_for_row_and_redo_restores_it_again(
        used_db: Path, backup: Path) -> None:
    before = rows(used_db)
    with services(used_db) as app:
        result = import_file(app, "json", backup)
        assert result.verification is not None and result.verification["matches_backup"]
        status = app.history.status()
        assert status.undo == f"Restore backup both.json: 2 profiles ({ADA}, Bob)"
    restored, seen = rows(used_db), snapshot(used_db)
    assert restored != before and searched(used_db, "tomatoes")
    with services(used_db) as app:
        undone = app.history.undo()
        assert undone.label == status.undo and undone.changes.touches(
            undone.changes.scopes.EVERYTHING)
    assert rows(used_db) == before  # every table, every row: the ids too
    assert searched(used_db, "tomatoes") == []
    with services(used_db) as app:
        assert [p.name for p in app.profiles.list()] == ["default", "Carol"]
        app.history.redo()
        assert app.history.status().undo == status.undo
    assert rows(used_db) == restored and snapshot(used_db) == seen
    with services(used_db) as app:
        app.history.undo()  # and again: the redo recorded its own inverse
    assert rows(used_db) == before


def test_undo_refuses_when_a_restored_profile_has_changed_since(used_db: Path,
                                                                backup: Path) -> None:
    with services(used_db) as app:
        import_file(app, "json", backup)
    with services(used_db, "Bob") as bob:
        bob.items.add_task("Made after the restore")
    kept = rows(used_db)
    with services(used_db) as app, pytest.raises(ValidationError) as refused:
        app.history.undo()
    assert "the restored profiles have changed since" in refused.value.message
    assert "taken off the history" in refused.value.message
    # nothing of the failed undo was written (its entry left the history, as any refusal)
    assert [line for line in rows(used_db) if "undo" not in line] == \
        [line for line in kept if "undo" not in line]


def test_redo_refuses_when_the_backup_file_changed(used_db: Path, backup: Path) -> None:
    with services(used_db) as app:
        import_file(app, "json", backup)
        app.history.undo()
    before = rows(used_db)
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["profiles"] = document["profiles"][:1]
    backup.write_text(json.dumps(document), encoding="utf-8")
    with services(used_db) as app, pytest.raises(ValidationError) as refused:
        app.history.redo()
    assert refused.value.field == "redo"
    assert f"the backup file {backup.resolve()} has changed since; import it again" in \
        refused.value.message
    assert rows(used_db) == before


def test_the_command_line_undoes_an_import_of_a_backup(used_db: Path, backup: Path,
                                                       cli, main) -> None:
    """The real command line in a subprocess for the import, the undo and the redo (the
    reads in-process, through the same entry point)."""
    before = rows(used_db)
    progress = main(used_db, "progress", "--json").json()
    ok(cli(used_db, "import", "--format", "json", str(backup)))
    assert main(used_db, "progress", "--json").json() != progress
    text = ok(cli(used_db, "undo"))
    assert text == f"Undid: Restore backup both.json: 2 profiles ({ADA}, Bob)\n"
    assert rows(used_db) == before
    assert main(used_db, "progress", "--json").json() == progress
    backup.unlink()
    refused = cli(used_db, "redo")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (f"error: redo: cannot redo Restore backup both.json: 2 "
                              f"profiles ({ADA}, Bob): the backup file {backup.resolve()} "
                              "is gone; import it again from where it is now (taken off "
                              "the history)\n")
    assert rows(used_db) == before


def test_undo_after_a_whole_database_restore_says_where_the_database_before_it_is(
        seeded_db: Path, cli, main, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    ok(main(seeded_db, "backup", "--out", str(copy)))
    ok(main(seeded_db, "task", "add", "After the backup"))
    ok(cli(seeded_db, "restore", str(copy)))
    restored = rows(seeded_db)
    refused = cli(seeded_db, "undo")
    assert refused.returncode == 2 and refused.stdout == ""
    message = refused.stderr
    assert message.startswith(f"error: undo: cannot undo the restore of the database from "
                              f"{copy.resolve()} (at ")
    before = next((tmp_path / "backups").glob("seeded-before-restore-*.sqlite3"))
    assert f"the database as it was before is at {before} (`momentum restore {before}` " \
           "brings it back)\n" in message
    assert rows(seeded_db) == restored  # refused: nothing changed, and it stays so
    assert main(seeded_db, "undo").stderr == message
    # A change made after it is undone as usual; the restore still stops the undo.
    ok(main(seeded_db, "task", "add", "After the restore"))
    assert ok(main(seeded_db, "undo")) == "Undid: Add “After the restore”\n"
    assert main(seeded_db, "undo").stderr == message
    # The copy it names is the database before the restore: restoring it brings back
    # the task added after the backup.
    ok(main(seeded_db, "restore", str(before)))
    titles = [t["title"] for t in main(seeded_db, "task", "list", "--json").json()]
    assert "After the backup" in titles
