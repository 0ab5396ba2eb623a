"""JSON backup: versioned, complete, and restored by replaying the events."""

from __future__ import annotations

import json

from io_support import dump, services, snapshot

from momentum_app.core.exports import FORMAT, VERSION


def test_round_trip_into_an_empty_database_restores_identical_progress(
        seeded_db, empty_db, cli, tmp_path):
    backup = tmp_path / "backup.json"
    exported = cli(seeded_db, "export", "--format", "json", "--out", str(backup),
                   "--all-profiles", "--json").json()["exported"]
    assert exported["profiles"] == 2
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT == "momentum-backup"
    assert document["version"] == VERSION == 1
    assert document["scope"] == "all-profiles"
    ada = document["profiles"][0]
    for table in ("vacations", "projects", "goals", "goal_steps", "tasks", "time_slots",
                  "custom_achievements", "events"):
        assert table in ada
    assert {"ledger", "counters", "streaks", "achievement_progress",
            "milestone_grants"} <= set(ada["derived"])
    assert "Plant tomatoes 🍅" in backup.read_text(encoding="utf-8")  # not \\u-escaped

    imported = cli(empty_db, "import", "--format", "json", str(backup), "--json").json()
    assert imported["imported"]["profiles"] == 2
    assert imported["imported"]["events"] == exported["rows"]["events"]
    assert imported["verification"]["matches_backup"] is True
    assert imported["verification"]["differences"] == {}
    for profile in ("Ada, \"the\" Countess", "Bob"):
        before, after = snapshot(seeded_db, profile), snapshot(empty_db, profile)
        for part in ("progress", "history", "achievements", "streaks", "milestones", "tasks"):
            assert after[part] == before[part], (profile, part)
    assert any(a.id == "team_player" and a.completed
               for a in snapshot(empty_db, "Bob")["achievements"])
    with services(empty_db) as app:  # a rebuild from the events finds nothing to fix
        assert app.doctor.run().ok


def test_single_profile_backup_restores_into_the_empty_default_profile(
        seeded_db, empty_db, main, tmp_path):
    backup = tmp_path / "ada.json"
    assert main(seeded_db, "export", "--format", "json", "--out", str(backup)).returncode == 0
    result = main(empty_db, "import", "--format", "json", str(backup), "--json")
    assert result.returncode == 0, result.stderr
    profiles = json.loads(main(empty_db, "profile", "list", "--json").stdout)
    assert [p["name"] for p in profiles] == ["Ada, \"the\" Countess"]
    assert profiles[0]["is_default"] is True
    # Everything comes back, team_player too (Bob was active the same week): a replay of
    # Ada's events alone cannot earn it, so the restore carries it (issue #12 item 7).
    check = json.loads(result.stdout)["verification"]
    assert check["matches_backup"] is True and check["differences"] == {}
    before, after = snapshot(seeded_db), snapshot(empty_db)
    assert "team_player" in {a.id for a in after["achievements"] if a.completed}
    for part in ("progress", "history", "achievements", "streaks", "milestones"):
        assert after[part] == before[part], part
    # The same backup again: the profile now has data, so nothing is written.
    before = dump(empty_db)
    again = main(empty_db, "import", "--format", "json", str(backup))
    assert again.returncode == 2
    assert again.stderr.startswith("error: profiles[0].name: a profile named")
    assert dump(empty_db) == before


def test_edited_derived_data_is_rebuilt_and_reported(seeded_db, empty_db, main, tmp_path):
    backup = tmp_path / "backup.json"
    main(seeded_db, "export", "--format", "json", "--out", str(backup), "--all-profiles")
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["profiles"][0]["derived"]["ledger"][0]["points"] += 1000
    backup.write_text(json.dumps(document), encoding="utf-8")
    result = main(empty_db, "import", "--format", "json", str(backup), "--json")
    data = json.loads(result.stdout)
    assert data["verification"]["matches_backup"] is False
    assert data["verification"]["differences"]["ledger"] == {"missing": 1, "unexpected": 1}
    # the rebuilt points follow from the events, not from the edited copy
    assert snapshot(empty_db)["progress"] == snapshot(seeded_db)["progress"]


def test_backup_from_a_newer_version_or_another_format_is_refused(empty_db, main, tmp_path):
    before = dump(empty_db)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": FORMAT, "version": 99, "profiles": []}))
    result = main(empty_db, "import", "--format", "json", str(newer))
    assert result.returncode == 2 and "newer Momentum" in result.stderr
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"description": "a Taskwarrior file"}]))
    result = main(empty_db, "import", "--format", "json", str(other))
    assert result.returncode == 2 and result.stderr.startswith("error: format: not a Momentum")
    assert dump(empty_db) == before


def test_a_bad_field_deep_in_the_backup_is_named(seeded_db, empty_db, main, tmp_path):
    backup = tmp_path / "backup.json"
    main(seeded_db, "export", "--format", "json", "--out", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["profiles"][0]["tasks"][3]["due_date"] = "2026-02-30"
    backup.write_text(json.dumps(document), encoding="utf-8")
    before = dump(empty_db)
    result = main(empty_db, "import", "--format", "json", str(backup))
    assert result.returncode == 2
    assert result.stderr.startswith("error: profiles[0].tasks[3].due_date: not a date")
    document["profiles"][0]["tasks"][3]["due_date"] = None
    document["profiles"][0]["tasks"][3]["project_id"] = 999
    backup.write_text(json.dumps(document), encoding="utf-8")
    result = main(empty_db, "import", "--format", "json", str(backup))
    assert result.returncode == 2
    assert "profiles[0].tasks[3].project_id: no project 999" in result.stderr
    assert dump(empty_db) == before
