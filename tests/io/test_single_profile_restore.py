"""Issue #12 item 7: a single-profile JSON backup restores exactly.

Team Player and Top of the Board are earned from other profiles' activity, which a
single-profile backup does not hold. The restore carries them as ``achievement_carried``
events placed in the log where they were first earned, and the engine (``step``) turns
each into its unlock and credit: the restored profile reads exactly as it did, ``momentum
doctor``'s fold of the log agrees, and nothing is awarded twice.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from io_support import NOW, dump, run_cli, services, snapshot

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.errors import ValidationError
from momentum_app.core.services import Momentum

WEEK_ONE = datetime(2025, 12, 22, 10, 0, tzinfo=UTC)  # a Monday
SOCIAL = {"team_player", "top_of_the_board"}


@pytest.fixture(scope="module")
def social_template(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    """Ada and Bob active in the same week (both Team Player); Ada earns more that week
    and completes a task the week after, which finds her on top of the finished week
    (Top of the Board). Ada also has history before and after."""
    path = tmp_path_factory.mktemp("social") / "social.sqlite3"
    shutil.copyfile(template_db, path)
    database = open_database(path)
    try:
        clock = FixedClock(WEEK_ONE - timedelta(days=7))
        ada = Momentum(database, clock)
        ada.profiles.update(timezone="Europe/Paris", day_start_hour=0, name="Ada")
        ada.profiles.add("Bob", timezone="America/New_York")
        bob = Momentum(database, clock, "Bob")

        def done(app: Momentum, title: str, at: datetime, complexity: int = 3) -> None:
            clock.instant = at
            app.items.complete(Kind.TASK, app.items.add_task(title, complexity=complexity).id)

        done(ada, "Before anyone else", WEEK_ONE - timedelta(days=6))
        for day in range(3):
            done(ada, f"Ada {day}", WEEK_ONE + timedelta(days=day), complexity=5)
        done(bob, "Bob's one task", WEEK_ONE + timedelta(days=1, hours=4))
        done(ada, "Next week", WEEK_ONE + timedelta(days=8))
        done(ada, "And another", WEEK_ONE + timedelta(days=9))
        clock.instant = NOW
        unlocked = {a.id for a in ada.reads.achievements()}
        assert SOCIAL <= unlocked, unlocked
    finally:
        database.close()
    return path


@pytest.fixture
def social_db(social_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "social.sqlite3"
    shutil.copyfile(social_template, target)
    return target


def _restore(source: Path, target: Path, backup: Path) -> dict:
    exported = run_cli(source, "export", "--format", "json", "--out", str(backup), "--json")
    assert exported.returncode == 0, exported.stderr
    result = run_cli(target, "import", "--format", "json", str(backup), "--json")
    assert result.returncode == 0, result.stderr
    assert "differ" not in result.stderr
    return result.json()


def test_a_single_profile_backup_brings_back_what_other_profiles_helped_earn(
        social_db: Path, empty_db: Path, tmp_path: Path) -> None:
    data = _restore(social_db, empty_db, tmp_path / "ada.json")
    assert data["verification"]["matches_backup"] is True, data["verification"]
    assert data["verification"]["differences"] == {}
    assert [n for reason, n in data["notices"].items() if "carried over" in reason] == [2]
    before, after = snapshot(social_db), snapshot(empty_db)
    assert {a.id for a in after["achievements"] if a.completed} >= SOCIAL
    for part in ("progress", "history", "achievements", "streaks", "milestones", "tasks"):
        assert after[part] == before[part], part
    profiles = json.loads(run_cli(empty_db, "profile", "list", "--json").stdout)
    assert [p["name"] for p in profiles] == ["Ada"]
    # The doctor folds the log from nothing and finds what the restore wrote.
    doctor = run_cli(empty_db, "doctor", "--json")
    assert doctor.returncode == 0, doctor.stderr
    assert json.loads(doctor.stdout)["ok"] is True
    with services(empty_db) as app:
        assert app.doctor.run().ok
    # What the window and `history` show: each achievement credited once.
    credits = [row.reason for row in after["history"]
               if row.reason in ("Achievement: Team Player", "Achievement: Top of the Board")]
    assert sorted(credits) == ["Achievement: Team Player", "Achievement: Top of the Board"]


def test_restoring_again_or_from_a_restored_copy_never_doubles(
        social_db: Path, empty_db: Path, template_db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "ada.json"
    _restore(social_db, empty_db, backup)
    first = snapshot(empty_db)
    # The same backup again: the profile now has data, refused, nothing written.
    before = dump(empty_db)
    again = run_cli(empty_db, "import", "--format", "json", str(backup))
    assert again.returncode == 2 and again.stderr.startswith("error: profiles[0].name:")
    assert dump(empty_db) == before
    # A backup of the restored copy (its log holds the carried events), restored again.
    fresh = tmp_path / "fresh.sqlite3"
    shutil.copyfile(template_db, fresh)
    data = _restore(empty_db, fresh, tmp_path / "ada-again.json")
    assert data["verification"]["matches_backup"] is True, data["verification"]
    assert snapshot(fresh) == first
    with services(fresh) as app:
        assert app.doctor.run().ok
        # Carried once: the second restore found the carried events in the log.
        carried = [e for e in app.reads.history(limit=None)
                   if e.reason.startswith("Achievement: T")]
        assert len(carried) == 2


def test_doctor_fix_and_a_rebuild_do_not_award_twice(
        social_db: Path, empty_db: Path, tmp_path: Path) -> None:
    _restore(social_db, empty_db, tmp_path / "ada.json")
    first = snapshot(empty_db)
    fixed = run_cli(empty_db, "doctor", "--fix", "--json")
    assert fixed.returncode == 0, fixed.stderr
    assert snapshot(empty_db) == first
    # Later activity in the restored file earns no second Team Player or Top of the Board.
    later = run_cli(empty_db, "task", "add", "After the restore", "--json").json()
    assert run_cli(empty_db, "task", "done", str(later["id"])).returncode == 0
    after = snapshot(empty_db)
    assert after["progress"].total_points > first["progress"].total_points
    reasons = [row.reason for row in after["history"]]
    assert reasons.count("Achievement: Team Player") == 1
    assert reasons.count("Achievement: Top of the Board") == 1


def test_the_engine_carries_only_what_other_profiles_earn_and_only_once(
        db_path: Path) -> None:
    database = open_database(db_path)
    try:
        app = Momentum(database, FixedClock(WEEK_ONE))
        first = app.events.process_engine_event(catalog.ACHIEVEMENT_CARRIED_EVENT,
                                                {"achievement": "team_player"}, key="c:1")
        assert [a.id for a in first.achievements] == ["team_player"]
        assert first.points_awarded == 50
        again = app.events.process_engine_event(catalog.ACHIEVEMENT_CARRIED_EVENT,
                                                {"achievement": "team_player"}, key="c:2")
        assert again.achievements == () and again.points_awarded == 0
        with pytest.raises(ValidationError) as refused:  # earned by this profile's own log
            app.events.process_engine_event(catalog.ACHIEVEMENT_CARRIED_EVENT,
                                            {"achievement": "first_step"}, key="c:3")
        assert refused.value.field == "achievement"
        with pytest.raises(ValidationError):  # not through the public door
            app.events.process_event(catalog.ACHIEVEMENT_CARRIED_EVENT,
                                     {"achievement": "team_player"})
        assert app.doctor.run().ok
    finally:
        database.close()
