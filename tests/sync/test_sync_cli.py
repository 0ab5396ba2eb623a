"""SPEC v2 §13's sync scenarios through the command line (real files, a subprocess each).

Two or three databases share one folder; each test works on them offline, syncs, and
checks what every computer then shows, and that their fingerprints agree.
"""

from __future__ import annotations

import json

from sync_support import T0, T1, T2, T3, agree, cli, points, sync, tasks


def test_changes_travel_both_ways_and_points_agree(world):
    cli(world["a"], "task", "add", "Write report", "--complexity", "3", now=T0).ok()
    cli(world["a"], "task", "done", "1", "--at", T0, now=T0).ok()
    out = sync(world, "a", now=T0)
    assert out["sent"]["events"] >= 1 and out["segments_written"] == ["seg-00000001.msync"]
    got = sync(world, "b", now=T1)
    assert got["received"]["created tasks"] == 1 and got["points_arrived"] == points(world["a"])
    assert [t["title"] for t in tasks(world["b"])] == ["Write report"]
    assert tasks(world["b"])[0]["status"] == "done"
    cli(world["b"], "task", "add", "From B", now=T1).ok()
    cli(world["b"], "task", "done", "2", now=T1).ok()
    sync(world, "b", now=T1)
    back = sync(world, "a", now=T2)
    assert back["points_arrived"] > 0
    assert points(world["a"]) == points(world["b"]) > 0
    agree(world, "a", "b")


def test_text_output_says_what_came_in_and_went_out(world):
    cli(world["a"], "task", "add", "Plan", now=T0).ok()
    text = cli(world["a"], "sync", "--folder", str(world["folder"]), now=T0).ok()
    assert "  out: 1 new profile, 1 new project, 1 new task, 1 event (seg-" in text and "in:  nothing" in text  # the window's words
    status = cli(world["a"], "sync", "--status", "--json", now=T1).json()
    assert status["folder"] == str(world["folder"]) and status["last_report"]["sent"]
    again = cli(world["a"], "sync", "--json", now=T1).json()  # the last folder again
    assert again["folder"] == str(world["folder"]) and again["sent"] == {}


def test_later_edit_wins_per_field_whoever_syncs_first(world):
    cli(world["a"], "task", "add", "Draft", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["b"], "task", "edit", "1", "--title", "Title from B", now=T2).ok()  # later
    cli(world["a"], "task", "edit", "1", "--title", "Title from A", now=T1).ok()
    cli(world["a"], "task", "edit", "1", "--notes", "notes from A", now=T1).ok()
    sync(world, "b", now=T2)  # the later edit syncs first
    sync(world, "a", now=T3)
    sync(world, "b", now=T3)
    for name in ("a", "b"):
        task = tasks(world[name])[0]
        assert task["title"] == "Title from B" and task["notes"] == "notes from A"
    agree(world, "a", "b")


def test_delete_wins_over_a_concurrent_edit_and_can_be_restored(world):
    cli(world["a"], "task", "add", "Old chore", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["a"], "task", "delete", "1", now=T1).ok()
    cli(world["b"], "task", "edit", "1", "--title", "Chore (edited)", now=T2).ok()
    sync(world, "a", now=T2)
    sync(world, "b", now=T2)
    sync(world, "a", now=T2)
    assert tasks(world["a"]) == [] and tasks(world["b"]) == []
    cli(world["b"], "task", "restore", "1", now=T3).ok()
    sync(world, "b", now=T3)
    sync(world, "a", now=T3)
    assert [t["title"] for t in tasks(world["a"])] == ["Chore (edited)"]
    agree(world, "a", "b")


def test_same_item_completed_on_two_computers_counts_once(world):
    cli(world["a"], "task", "add", "Pay rent", "--complexity", "2", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["b"], "task", "done", "1", "--at", T2, now=T2).ok()
    cli(world["a"], "task", "done", "1", "--at", T1, now=T1).ok()  # earlier: this one counts
    alone = points(world["a"], now=T1)
    sync(world, "b", now=T2)
    sync(world, "a", now=T3)
    sync(world, "b", now=T3)
    assert points(world["a"]) == points(world["b"]) == alone
    history = cli(world["b"], "history", "--json", now=T3).json()
    credits = [h for h in history if h["source"] == "task_completion"]
    assert len(credits) == 1 and credits[0]["created_at"].startswith("2026-03-02T10:00")
    agree(world, "a", "b")
    # reopening it on the computer whose completion was set aside reopens the task
    cli(world["b"], "task", "reopen", "1", now=T3).ok()
    sync(world, "b", now=T3)
    sync(world, "a", now=T3)
    assert points(world["a"]) == points(world["b"]) == 0 or \
        points(world["a"]) == points(world["b"])
    assert tasks(world["a"])[0]["status"] == "open"
    agree(world, "a", "b")


def test_repeating_task_next_occurrence_is_made_once(world):
    cli(world["a"], "task", "add", "Water plants", "--due", "2026-03-02", "--repeat",
        "daily", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["a"], "task", "done", "1", now=T1).ok()
    cli(world["b"], "task", "done", "1", now=T2).ok()
    sync(world, "a", now=T2)
    sync(world, "b", now=T2)
    sync(world, "a", now=T3)
    for name in ("a", "b"):
        listed = tasks(world[name])
        assert len(listed) == 2, listed
        assert sorted(t["status"] for t in listed) == ["done", "open"]
    agree(world, "a", "b")


def test_profiles_meet_by_name_and_a_new_database_takes_the_folder(world):
    cli(world["a"], "profile", "add", "alice", "--timezone", "Europe/Paris", now=T0).ok()
    cli(world["a"], "--profile", "alice", "task", "add", "Alice's task", now=T0).ok()
    cli(world["a"], "--profile", "alice", "task", "done", "1", now=T0).ok()
    cli(world["a"], "profile", "set", "--timezone", "Asia/Tokyo", now=T0).ok()
    sync(world, "a", now=T0)
    cli(world["b"], "profile", "add", "alice", "--timezone", "UTC", now=T1).ok()
    cli(world["b"], "--profile", "alice", "task", "add", "Made on B", now=T1).ok()
    sync(world, "b", now=T1)
    sync(world, "a", now=T2)
    for name in ("a", "b"):
        names = [p["name"] for p in cli(world[name], "profile", "list", "--json").json()]
        assert sorted(names) == ["alice", "default"]
        titles = sorted(t["title"] for t in cli(world[name], "--profile", "alice", "task",
                                                 "list", "--status", "all", "--json").json())
        assert titles == ["Alice's task", "Made on B"]
    agree(world, "a", "b")
    # a new database: nothing entered, it simply takes what the folder holds
    fresh = sync(world, "c", now=T3)
    assert fresh["first_sync"] and fresh["sent"] == {}
    profiles = {p["name"]: p for p in cli(world["c"], "profile", "list", "--json").json()}
    theirs = {p["name"]: p for p in cli(world["a"], "profile", "list", "--json").json()}
    assert profiles["default"]["timezone"] == theirs["default"]["timezone"]
    assert profiles["alice"]["timezone"] == "UTC"  # b set it later than a
    assert cli(world["c"], "--profile", "alice", "progress", "--json").json()[
        "total_points"] == cli(world["a"], "--profile", "alice", "progress", "--json").json()[
        "total_points"] > 0
    agree(world, "a", "c")


def test_sync_tool_leftovers_are_ignored_and_reported(world):
    cli(world["a"], "task", "add", "Real", now=T0).ok()
    sync(world, "a", now=T0)
    mine = next(p for p in world["folder"].iterdir() if p.is_dir())
    real = (mine / "seg-00000001.msync").read_text()
    fake = real.replace("Real", "Fake")
    leftovers = ["seg-00000001.sync-conflict-20260302-101010-ABCDEFG.msync",
                 ".syncthing.seg-00000002.msync.tmp",
                 "seg-00000002 (Bob's conflicted copy 2026-03-02).msync",
                 "seg-00000002.msync.part"]
    for name in leftovers:
        (mine / name).write_text(fake)
    (world["folder"] / ".stfolder").mkdir()
    got = sync(world, "b", now=T1)
    assert len(got["ignored"]) == 4
    assert any("Syncthing conflict copy" in n for n in got["ignored"])
    assert any("Dropbox" in n for n in got["ignored"])
    assert any("Nextcloud" in n for n in got["ignored"])
    assert [t["title"] for t in tasks(world["b"])] == ["Real"]


def test_damaged_segment_is_skipped_and_read_again_later(world):
    cli(world["a"], "task", "add", "Whole", now=T0).ok()
    sync(world, "a", now=T0)
    segment = next(world["folder"].glob("*/seg-00000001.msync"))
    whole = segment.read_bytes()
    segment.write_bytes(whole[: len(whole) // 2])  # half copied
    got = sync(world, "b", now=T1)
    assert got["received"] == {} and any("incomplete" in p for p in got["problems"])
    assert tasks(world["b"]) == []
    segment.write_bytes(whole.replace(b"Whole", b"Wh0le"))  # a wrong checksum
    got = sync(world, "b", now=T1)
    assert any("checksum" in p for p in got["problems"]) and tasks(world["b"]) == []
    segment.write_bytes(whole)  # the sync tool finished copying
    got = sync(world, "b", now=T2)
    assert got["problems"] == [] and [t["title"] for t in tasks(world["b"])] == ["Whole"]


def test_segment_from_a_newer_version_is_refused_clearly(world):
    cli(world["a"], "task", "add", "Future", now=T0).ok()
    sync(world, "a", now=T0)
    segment = next(world["folder"].glob("*/seg-00000001.msync"))
    lines = segment.read_text().split("\n")
    header = json.loads(lines[0])
    header["momentum_sync"] = 99
    segment.write_text("\n".join([json.dumps(header)] + lines[1:]))
    got = sync(world, "b", now=T1)
    assert any("newer Momentum" in p and "nothing of it was applied" in p
               for p in got["problems"])
    assert tasks(world["b"]) == []


def test_passphrase_encrypts_and_a_wrong_one_changes_nothing(world, tmp_path):
    secret, wrong = tmp_path / "pass", tmp_path / "wrong"
    secret.write_text("correct horse battery staple\n")
    wrong.write_text("not it\n")
    cli(world["a"], "task", "add", "Secret plan", now=T0).ok()
    sync(world, "a", "--passphrase-file", str(secret), now=T0)
    segment = next(world["folder"].glob("*/seg-00000001.msync")).read_bytes()
    assert b"Secret plan" not in segment and b"AES-256-GCM" in segment
    for args in (("--passphrase-file", str(wrong)), ()):
        run = cli(world["c"], "sync", "--folder", str(world["folder"]), *args, now=T1)
        assert run.returncode == 2 and run.stderr.startswith("error: passphrase: ")
        assert "nothing was applied" in run.stderr and "Traceback" not in run.stderr
    assert tasks(world["c"]) == []
    assert cli(world["c"], "sync", "--status", "--json").json() is None
    assert len(list(world["folder"].iterdir())) == 1  # c wrote nothing
    sync(world, "b", "--passphrase-file", str(secret), now=T1)
    assert [t["title"] for t in tasks(world["b"])] == ["Secret plan"]
    # a's own files are checked too: a wrong passphrase on a is refused as well
    run = cli(world["a"], "sync", "--folder", str(world["folder"]), "--passphrase-file",
              str(wrong), now=T2)
    assert run.returncode == 2


def test_bad_folder_and_passphrase_file_are_bad_input(world, tmp_path):
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    for args, field in ((("--folder", str(afile)), "folder"),
                        (("--folder", str(tmp_path / "no" / "such")), "folder"),
                        (("--folder", str(world["folder"]), "--passphrase-file",
                          str(tmp_path / "missing")), "passphrase-file"),
                        ((), "folder")):
        run = cli(world["a"], "sync", *args)
        assert run.returncode == 2 and run.stderr.startswith(f"error: {field}: "), run.stderr


def profile_settings(world: dict, name: str) -> dict:
    (row,) = cli(world[name], "profile", "list", "--json", now=T3).json()
    return {"daily_target": row["daily_target"], "days_off": row["days_off"]}


def test_first_sync_of_a_used_computer_keeps_its_untouched_settings_older(world):
    """B was used alone with its default settings; A changed its daily target at T1 and
    synced. B's first sync (T2) must not stamp B's untouched settings as made at T2 —
    A's change is the later one — while a setting B itself changed later than A's wins."""
    cli(world["b"], "task", "add", "B alone", now=T0).ok()
    cli(world["a"], "task", "add", "A", now=T0).ok()
    cli(world["a"], "profile", "set", "--daily-target", "5", now=T1).ok()
    sync(world, "a", now=T1)
    cli(world["b"], "profile", "set", "--days-off", "sun", now=T2).ok()
    sync(world, "b", now=T2)
    sync(world, "a", now=T3)
    for name in ("a", "b"):
        assert profile_settings(world, name) == {"daily_target": 5, "days_off": ["sun"]}, name
    agree(world, "a", "b")
