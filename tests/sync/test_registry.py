"""What travels (SPEC v2 §13): every source table is registered, and the ones with
unusual keys — ``task_tags`` (two columns, no id) and rows whose local id SQLite gives
again after a delete — travel like the others. In-process, through the real services and
real SQLite files."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from momentum_app.core import models
from momentum_app.core.sync import registry
from sync_support import Replica, explain, snapshot

UTC = timezone.utc
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_every_table_is_synced_derived_or_local() -> None:
    """A new table must be put somewhere: registered to travel (one line in
    core/sync/registry.py), or named derived, fixed or this machine's own."""
    tables = set(models.Base.metadata.tables)
    synced = {entry.name for entry in registry.SYNCED} | {registry.EVENTS}
    placed = synced | registry.DERIVED | registry.LOCAL | registry.FIXED
    assert tables - placed == set(), (
        f"tables neither synced, derived nor local: {sorted(tables - placed)}; register "
        "them in momentum_app/core/sync/registry.py")
    assert not (synced & registry.DERIVED) and not (synced & registry.LOCAL)
    assert not (registry.DERIVED & registry.LOCAL) and not (synced & registry.FIXED)
    assert registry.DERIVED <= tables and registry.LOCAL - {"alembic_version"} <= tables
    # the source tables of the v2 issues travel
    assert {"task_tags", "tags", "reminders", "rewards", "reward_purchases"} <= synced
    # a derived table is one the fold writes (doctor rebuilds it)
    assert {model.__tablename__ for model in models.DERIVED_TABLES} == registry.DERIVED


@pytest.fixture
def pair(tmp_path: Path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    a = Replica(tmp_path / "a.sqlite3", START)
    b = Replica(tmp_path / "b.sqlite3", START)
    yield a, b, folder
    a.close()
    b.close()


def _tags(replica: Replica) -> dict[str, list[str]]:
    return {t.title: sorted(t.tags) for t in replica.app.items.list_tasks(status="all")}


def _both(a: Replica, b: Replica, folder: Path) -> None:
    for _ in range(2):
        a.sync(folder)
        b.sync(folder)
    left, right = snapshot(a.path), snapshot(b.path)
    assert left == right, explain(left, right)


def test_task_tags_travel_added_removed_and_replaced(pair) -> None:
    a, b, folder = pair
    task = a.app.items.add_task("Write", tags=["work", "deep"])
    _both(a, b, folder)
    assert _tags(b) == {"Write": ["deep", "work"]}
    # removed on A, another added on B, while apart
    a.app.items.edit_task(task.id, untag=["deep"])
    b_task = b.app.items.list_tasks(status="all")[0]
    b.app.items.edit_task(b_task.id, tags=["home"])
    _both(a, b, folder)
    assert _tags(a) == _tags(b) == {"Write": ["home", "work"]}
    # replaced wholesale: the deleted links' rowids are given again to new links
    a.app.items.edit_task(task.id, set_tags=["errand"])
    _both(a, b, folder)
    assert _tags(a) == _tags(b) == {"Write": ["errand"]}
    a.app.items.edit_task(task.id, set_tags=["work"])
    _both(a, b, folder)
    assert _tags(b) == {"Write": ["work"]}


def test_the_same_tag_added_on_both_sides_is_one_link(pair) -> None:
    a, b, folder = pair
    a.app.items.add_task("Call")
    _both(a, b, folder)
    b_task = b.app.items.list_tasks(status="all")[0]
    a_task = a.app.items.list_tasks(status="all")[0]
    a.app.items.edit_task(a_task.id, tags=["phone"])
    b.app.items.edit_task(b_task.id, tags=["phone"])
    _both(a, b, folder)
    assert _tags(a) == _tags(b) == {"Call": ["phone"]}
    a.app.items.edit_task(a_task.id, untag=["phone"])
    _both(a, b, folder)
    assert _tags(b) == {"Call": []}


def test_reminders_travel_and_a_replaced_reminder_is_replaced_everywhere(pair) -> None:
    a, b, folder = pair
    due = (START + timedelta(days=1)).date().isoformat()
    task = a.app.items.add_task("Dentist", due=f"{due} 15:00", remind=["30m"])
    _both(a, b, folder)

    def reminders(replica: Replica) -> list[int | None]:
        from sqlalchemy import select  # noqa: PLC0415
        with replica.db.reading() as session:
            return sorted(session.scalars(select(models.Reminder.offset_minutes)).all())

    assert reminders(b) == [30]
    a.app.items.edit_task(task.id, remind=["none"])
    a.app.items.edit_task(task.id, remind=["1h"])  # the freed id is given again
    _both(a, b, folder)
    assert reminders(b) == reminders(a) == [60]


def test_a_row_made_in_a_freed_id_still_travels(pair) -> None:
    """A tag that vanished (its last task untagged and the tag removed) frees its id;
    the next tag gets the same id and must travel as a new tag, not be taken for the
    gone one."""
    from sqlalchemy import delete  # noqa: PLC0415

    a, b, folder = pair
    task = a.app.items.add_task("Sort", tags=["old"])
    _both(a, b, folder)
    a.app.items.edit_task(task.id, set_tags=[])
    with a.db.transaction() as session:
        session.execute(delete(models.Tag))
    _both(a, b, folder)
    a.app.items.edit_task(task.id, tags=["new"])
    _both(a, b, folder)
    assert _tags(b) == {"Sort": ["new"]}


# --- a change is stamped when it was made, not when it was synced ----------------------------


def _at(replica: Replica, hours: float) -> None:
    replica.clock.instant = START + timedelta(hours=hours)


def test_a_later_settings_edit_wins_though_the_earlier_one_syncs_last(pair) -> None:
    """A changes the daily target at 10:00 and stays offline until 12:00; B changes it at
    11:00 and syncs at once. B's edit is the later one: it wins on both computers."""
    a, b, folder = pair
    _both(a, b, folder)
    _at(a, 1)
    a.app.profiles.update(daily_target=2)
    _at(b, 2)
    b.app.profiles.update(daily_target=4)
    b.sync(folder)
    _at(a, 3)
    _at(b, 3)
    _both(a, b, folder)
    assert a.app.profiles.current().daily_target == 4
    assert b.app.profiles.current().daily_target == 4


def test_a_later_rename_wins_and_a_delete_is_stamped_when_made(pair) -> None:
    """Projects keep no ``updated_at``: a rename is dated by the undo history, a delete by
    its own time."""
    a, b, folder = pair
    a.app.projects.add("Work")
    a.app.projects.add("Old")
    _both(a, b, folder)
    _at(a, 1)
    a.app.projects.rename("Work", "Job")
    _at(b, 2)
    b.app.projects.rename("Work", "Office")
    b.sync(folder)
    _at(a, 3)
    _at(b, 3)
    _both(a, b, folder)
    names = lambda r: sorted(p.name for p in r.app.projects.list())  # noqa: E731
    assert names(a) == names(b) and "Office" in names(a) and "Job" not in names(a)
    # B deletes "Old" at 4:00 and syncs at once; A renames it at 5:00 — the rename is
    # the later change of its field, the delete still wins over it (and stays restorable)
    _at(b, 4)
    b.app.projects.delete("Old")
    b.sync(folder)
    _at(a, 5)
    a.app.projects.rename("Old", "Older")
    _at(a, 6)
    _at(b, 6)
    _both(a, b, folder)
    assert names(a) == names(b) and "Old" not in names(a) and "Older" not in names(a)
