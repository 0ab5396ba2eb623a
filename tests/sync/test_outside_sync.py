"""Sync scenarios found by the outside check of session 10 (SPEC v2 §13), through the
real command line on real files: each one failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_support import cli, explain, snapshot

T0 = "2026-03-02T09:00:00+00:00"
T1 = "2026-03-02T10:00:00+00:00"
T2 = "2026-03-02T11:00:00+00:00"
T3 = "2026-03-02T12:00:00+00:00"


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "Sync"
    folder.mkdir()
    return {"folder": folder, "a": tmp_path / "a.sqlite3", "b": tmp_path / "b.sqlite3",
            "c": tmp_path / "c.sqlite3"}


def sync(world: dict[str, Path], name: str, *extra: str, now: str = T3) -> dict:
    return cli(world[name], "sync", "--folder", str(world["folder"]), "--json", *extra,
               now=now).json()


def tasks(db: Path, now: str = T3) -> list[dict]:
    return cli(db, "task", "list", "--status", "all", "--json", now=now).json()


def agree(world: dict[str, Path], *names: str) -> None:
    first = snapshot(world[names[0]])
    for name in names[1:]:
        other = snapshot(world[name])
        assert other == first, explain(first, other)


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
