"""Sync scenarios found by the outside check of session 10 (SPEC v2 §13), through the
real command line on real files: each one failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_support import (T0, T1, T2, T3, agree, cli, encrypted_pair, folder_files, points,
                          sync, tasks)


def test_a_later_edit_of_another_field_does_not_restamp_an_earlier_edit(world):
    """A renames at T0, B renames at T1, then A edits the notes at T2, all offline: B's
    title is the later edit of the title and wins; A's notes win their own field."""
    cli(world["a"], "task", "add", "Draft", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["a"], "task", "edit", "1", "--title", "Title from A", now=T0).ok()
    cli(world["b"], "task", "edit", "1", "--title", "Title from B", now=T1).ok()
    cli(world["a"], "task", "edit", "1", "--notes", "notes from A", now=T2).ok()
    sync(world, "a", now=T3)
    sync(world, "b", now=T3)
    sync(world, "a", now=T3)
    for name in ("a", "b"):
        task = tasks(world[name])[0]
        assert (task["title"], task["notes"]) == ("Title from B", "notes from A"), name
    agree(world, "a", "b")


def test_no_passphrase_in_an_encrypted_folder_is_refused_even_with_nothing_to_read(
        world, tmp_path):
    """B synced once with the passphrase and read everything; a later sync without it
    must not write B's new task in clear beside the others' encrypted files."""
    secret = tmp_path / "pass.txt"
    encrypted_pair(world, secret)
    before, db_before = folder_files(world["folder"]), world["b"].read_bytes()
    run = cli(world["b"], "sync", "--folder", str(world["folder"]), now=T2)
    assert run.returncode == 2, run.stdout
    assert run.stderr.startswith("error: passphrase: ") and "encrypted" in run.stderr
    assert folder_files(world["folder"]) == before
    assert world["b"].read_bytes() == db_before
    again = sync(world, "b", "--passphrase-file", str(secret), now=T2)
    assert again["sent"]["created tasks"] == 1
    assert all(b"Also secret" not in data for data in folder_files(world["folder"]).values())


def _show(db: Path, task: str = "1") -> dict:
    return cli(db, "task", "show", task, "--json", now=T3).json()


def test_the_same_task_done_on_two_computers_shows_the_completion_that_counts(world):
    """A completes at T0, B at T1, apart; B syncs first. The earlier (A's) counts on both,
    and the task says it was completed then, not at the time of the one worth nothing."""
    cli(world["a"], "task", "add", "Pay rent", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["a"], "task", "done", "1", "--at", T0, now=T0).ok()
    cli(world["b"], "task", "done", "1", "--at", T1, now=T1).ok()
    sync(world, "b", now=T2)
    sync(world, "a", now=T2)
    sync(world, "b", now=T2)
    for name in ("a", "b"):
        credits = [h for h in cli(world[name], "history", "--json", now=T3).json()
                   if h["source"] == "task_completion"]
        assert [c["created_at"] for c in credits] == [T0], name
        assert (_show(world[name])["status"], _show(world[name])["completed_at"]) == \
            ("done", T0), name
    agree(world, "a", "b")


@pytest.mark.parametrize("synced_between", [True, False])
def test_a_reopen_while_apart_reopens_the_completion_that_counts(world, synced_between):
    """A completes at T0 (offline); B completes at T1 and reopens at T2 (syncing in
    between or not) before it has read A's completion: after both synced the task is
    open everywhere and worth nothing — not open with A's points still counted (only the
    First Step achievement's 10 stay: an achievement is never debited, SPEC §2)."""
    cli(world["a"], "task", "add", "Pay rent", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["a"], "task", "done", "1", now=T0).ok()
    cli(world["b"], "task", "done", "1", now=T1).ok()
    if synced_between:
        sync(world, "b", now=T1)
        sync(world, "a", now=T1)
    cli(world["b"], "task", "reopen", "1", now=T2).ok()
    sync(world, "b", now=T2)
    sync(world, "a", now=T3)
    sync(world, "b", now=T3)
    for name in ("a", "b"):
        task = _show(world[name])
        assert (task["status"], task["completed_at"], points(world[name])) == \
            ("open", None, 10), name
    agree(world, "a", "b")
