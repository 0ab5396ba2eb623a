"""Schema history (SPEC §10, CONVENTIONS 9-10): a saved database from every schema revision
opens in this version - backed up first, upgraded to head, its data intact, the doctor
finding nothing to repair - and a file from a newer version is refused untouched.

The saved databases are ``tests/fixtures/schema-<revision>.sqlite3``, made by
``tests/fixtures/make_fixtures.py`` and frozen once committed; a meta-test fails when a
revision in ``migrations/versions`` has no fixture (run the script, then ``git add -f``).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from make_fixtures import fixture_path, revisions_in_order  # noqa: E402

from momentum_app.core.backups import check_file  # noqa: E402
from momentum_app.core.catalog import Kind  # noqa: E402
from momentum_app.core.clock import FixedClock  # noqa: E402
from momentum_app.core.db import (  # noqa: E402
    current_revision,
    head_revision,
    known_revisions,
    open_database,
)
from momentum_app.core.errors import DatabaseRefused  # noqa: E402
from momentum_app.core.models import SEARCH_INDEX_TABLES  # noqa: E402
from momentum_app.core.services import Momentum  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)
MAX_FIXTURE_BYTES = 300_000
REVISIONS = revisions_in_order()


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return list(conn.iterdump())


def same_but_v2(saved: dict[str, Any], path: Path | None = None,
                frozen: frozenset[int] = frozenset()) -> dict[str, Any]:
    """What was saved, read as the v1 rules wrote it: a file from before the rules version
    was kept is folded again when opened (SPEC v2 §4 moved the weekly streak's last
    activity date from its week's Monday to the day of its last goal completion, and a
    settings change that moves the calendar forward bridges the day it cut short — one
    counter row a day). SPEC v2 §4 streak freezes (rules version 3) bridge gaps: counters
    of scopes ``frozen`` and ``freezes``, and the daily_activity runs of the profiles in
    ``frozen`` (those with a frozen day) are judged again — the doctor run below checks
    them against the fold."""
    def monday(text: str | None) -> str | None:
        if text is None:
            return None
        day = date.fromisoformat(text)
        return (day - timedelta(days=day.weekday())).isoformat()
    def rejudged(pid: int, kind: str) -> bool:
        return kind == "daily_activity" and pid in frozen
    streaks = [(pid, kind, *((None, None) if rejudged(pid, kind) else (current, longest)),
                monday(last) if kind == "weekly_goal" else last)
               for pid, kind, current, longest, last in saved["streaks"]]
    counts = dict(saved["counts"])
    if path is not None:
        counts["counters"] -= query(path, "SELECT count(*) FROM counters WHERE scope IN "
                                          "('bridged', 'frozen', 'freezes')")[0][0]
    return {**saved, "streaks": streaks, "counts": counts}


def what_was_saved(path: Path) -> dict[str, Any]:
    """Row counts of every table, and the values a person would miss."""
    tables = [row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type = "
                                            "'table' AND name NOT LIKE 'sqlite_%' AND name "
                                            "!= 'alembic_version' ORDER BY name")]
    return {
        "counts": {t: query(path, f'SELECT count(*) FROM "{t}"')[0][0] for t in tables
                   if t not in SEARCH_INDEX_TABLES},  # added by 0003, derived from tasks
        "profiles": query(path, "SELECT id, name, timezone, day_start_hour, daily_task_target,"
                                " days_off FROM profiles ORDER BY id"),
        "projects": query(path, "SELECT id, name, goals_enabled FROM projects ORDER BY id"),
        "tasks": query(path, "SELECT id, title, status, complexity, due_date, repeat_rule, "
                             "completed_at, deleted_at FROM tasks ORDER BY id"),
        "goals": query(path, "SELECT id, title, status FROM goals ORDER BY id"),
        "steps": query(path, "SELECT id, goal_id, title, status FROM goal_steps ORDER BY id"),
        "slots": query(path, "SELECT id, title, start_at, end_at, status FROM time_slots "
                             "ORDER BY id"),
        "points": query(path, "SELECT profile_id, sum(CASE entry_type WHEN 'credit' THEN "
                              "points ELSE -points END) FROM ledger GROUP BY profile_id"),
        "streaks": query(path, "SELECT profile_id, type, current, longest, "
                               "last_activity_date FROM streaks ORDER BY profile_id, type"),
        "achievements": query(path, "SELECT profile_id, achievement_id FROM "
                                    "achievement_progress WHERE completed ORDER BY 1, 2"),
    }


@pytest.fixture(params=REVISIONS)
def saved(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    """A copy of one revision's fixture (the fixture itself is never opened)."""
    revision = request.param
    source = fixture_path(revision)
    if not source.exists():
        pytest.fail(f"no fixture for revision {revision}: run tests/fixtures/make_fixtures.py")
    target = tmp_path / "momentum.sqlite3"
    shutil.copyfile(source, target)
    return revision, target


def test_the_fixtures_hold_real_data(saved):
    revision, path = saved
    assert query(path, "SELECT version_num FROM alembic_version") == [(revision,)]
    assert check_file(path) == []
    counts = what_was_saved(path)["counts"]
    assert counts["profiles"] >= 2 and counts["projects"] >= 4
    assert query(path, "SELECT count(*) FROM tasks WHERE status = 'done'")[0][0] >= 10
    assert query(path, "SELECT count(*) FROM tasks WHERE status = 'open'")[0][0] >= 3
    for table in ("goals", "goal_steps", "time_slots", "vacations", "event_types", "events",
                  "ledger", "completions", "counters", "day_stats", "streaks",
                  "achievement_progress", "milestone_grants"):
        assert counts[table] > 0, table


def test_a_saved_database_is_backed_up_upgraded_and_keeps_its_data(saved):
    revision, path = saved
    before, as_saved = what_was_saved(path), dump(path)
    # bridged and frozen days already saved (a fixture made with the v2/v3 rules) were not
    # added on open: only the other counters are compared (as same_but_v2 does after it)
    before["counts"]["counters"] -= query(path, "SELECT count(*) FROM counters WHERE scope "
                                                "IN ('bridged', 'frozen', 'freezes')")[0][0]
    database = open_database(path)
    try:
        assert current_revision(database) == head_revision()
        if revision == head_revision():
            assert database.backup_made is None  # nothing to upgrade, nothing to back up
        else:
            backup = database.backup_made
            assert backup is not None and backup.parent == path.parent / "backups"
            assert dump(backup) == as_saved and check_file(backup) == []
        frozen = frozenset(row[0] for row in query(
            path, "SELECT DISTINCT profile_id FROM counters WHERE scope = 'frozen' AND value"))
        after = same_but_v2(what_was_saved(path), path, frozen)
        added = {t: n for t, n in after["counts"].items() if t not in before["counts"]}
        assert all(n == 0 for n in added.values()), added  # tables a later revision added
        after["counts"] = {t: n for t, n in after["counts"].items() if t in before["counts"]}
        expected = same_but_v2(before, frozen=frozen)
        # Rules version 3 only adds: a frozen gap lengthens a run (a higher multiplier, a
        # streak adjustment), never shortens one; the points are folded again by them.
        for (pid, points), (_, saved_points) in zip(after["points"], expected["points"]):
            assert points >= saved_points if pid in frozen else points == saved_points
        expected["points"] = after["points"]
        assert after == expected
        app = Momentum(database, FixedClock(NOW), "Ada")
        report = app.doctor.run()
        assert report.ok, report.to_json()
        assert report.events == before["counts"]["events"]
        history = app.reads.history(limit=None)
        assert app.reads.progress().total_points == sum(r.signed_points for r in history)
        # the search index covers the tasks saved before it existed (rebuilt by 0003)
        titles = {t.title for t in app.items.list_tasks(include_deleted=True)}
        assert titles
        for title in titles:
            found = app.items.list_tasks(search=title.upper(), include_deleted=True)
            assert title in {t.title for t in found}
        # and the person can carry on where they left off
        [task, *_] = app.items.list_tasks(status="open")
        assert app.items.complete(Kind.TASK, task.id).outcome.points_awarded > 0
        assert app.doctor.run().ok
    finally:
        database.close()


def test_a_saved_database_from_before_settings_were_logged_passes_the_doctor(saved):
    """Files written before settings changes were logged as events have none: the replay
    must then use the profile's settings as they are."""
    _revision, path = saved
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DELETE FROM events WHERE type = 'settings_changed'")
        conn.commit()
    database = open_database(path)
    try:
        assert Momentum(database, FixedClock(NOW), "Ada").doctor.run().ok
    finally:
        database.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "from-the-future.sqlite3"
    shutil.copyfile(fixture_path(REVISIONS[-1]), path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff_newer'")
        conn.commit()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DatabaseRefused, match="newer version"):
        open_database(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no -wal, no backups/


def test_every_schema_revision_has_a_saved_database():
    """Meta-test: a migration without a fixture fails here (run make_fixtures.py and
    commit the new file with ``git add -f``)."""
    assert set(REVISIONS) == known_revisions() and REVISIONS[-1] == head_revision()
    missing = [r for r in REVISIONS if not fixture_path(r).exists()]
    assert not missing, (f"no saved database for revision(s) {missing}: run "
                         "`python tests/fixtures/make_fixtures.py` and commit the file(s)")
    saved = {p.name for p in FIXTURES.glob("schema-*.sqlite3")}
    assert saved == {fixture_path(r).name for r in REVISIONS}, "a fixture of no revision"
    for revision in REVISIONS:
        size = fixture_path(revision).stat().st_size
        assert size < MAX_FIXTURE_BYTES, f"{revision}: {size} bytes"
