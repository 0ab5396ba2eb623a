"""Sync scenarios found by the outside check of session 13 (SPEC v2 §13), through the
real command line on real files: each one failed before its fix."""

from __future__ import annotations

from pathlib import Path

from sync_support import T0, T1, T2, T3, agree, cli, encrypted_pair, folder_files, sync, tasks


def test_a_wrong_passphrase_is_refused_even_with_nothing_new_to_read(world, tmp_path):
    """B has read everything (and wrote nothing yet); a sync with a wrong passphrase
    must not write B's new task encrypted with it: A could then never sync again."""
    secret, wrong = tmp_path / "pass.txt", tmp_path / "wrong.txt"
    encrypted_pair(world, secret)
    wrong.write_text("not it\n", encoding="utf-8")
    before, db_before = folder_files(world["folder"]), world["b"].read_bytes()
    run = cli(world["b"], "sync", "--folder", str(world["folder"]), "--passphrase-file",
              str(wrong), now=T2)
    assert run.returncode == 2, run.stdout
    assert run.stderr.startswith("error: passphrase: wrong passphrase: ")
    assert "nothing was applied" in run.stderr
    assert folder_files(world["folder"]) == before and world["b"].read_bytes() == db_before
    sync(world, "b", "--passphrase-file", str(secret), now=T2)
    sync(world, "a", "--passphrase-file", str(secret), now=T3)
    assert sorted(t["title"] for t in tasks(world["a"])) == ["Also secret", "Secret"]
    agree(world, "a", "b")


def test_purchases_from_two_computers_are_listed_and_refunded_newest_first(world):
    """A buys at T1, B at T2, apart: after both synced, `reward history` lists B's (the
    newer) first on both computers, and `reward refund` on B takes back its own, the latest
    purchase — not A's, which B holds under the higher local id."""
    cli(world["a"], "event-type", "add", "earned", "100", now=T0).ok()
    cli(world["a"], "event", "earned", "--at", T0, now=T0).ok()
    cli(world["a"], "reward", "add", "Movie", "10", now=T0).ok()
    sync(world, "a", now=T0)
    sync(world, "b", now=T0)
    cli(world["b"], "reward", "buy", "Movie", now=T2).ok()
    cli(world["a"], "reward", "buy", "Movie", now=T1).ok()
    for name, when in (("b", T2), ("a", T3), ("b", T3)):
        sync(world, name, now=when)
    for name in ("a", "b"):
        listed = cli(world[name], "reward", "history", "--json", now=T3).json()
        assert [p["purchased_at"] for p in listed] == [T2, T1], name
    agree(world, "a", "b")
    refunded = cli(world["b"], "reward", "refund", "--json", now=T3).json()
    assert refunded["purchased_at"] == T2


def _settings(db: Path) -> dict:
    (row,) = cli(db, "profile", "list", "--json", now=T3).json()
    return {"timezone": row["timezone"], "daily_target": row["daily_target"]}


def test_a_second_computer_installed_later_keeps_the_settings_chosen_on_the_first(world):
    """A chose its time zone and daily target at T0 and synced; B was installed at T1
    and used (a task) before its first sync at T2. B's default profile, made by Momentum
    with settings nobody chose, must not win over A's choices because it was made later —
    neither in the profile nor in the settings the fold applies (a completion on B then
    meets A's daily target of 1 on both, and doctor agrees)."""
    cli(world["a"], "profile", "set", "--daily-target", "1", "--timezone", "Europe/Paris",
        now=T0).ok()
    cli(world["a"], "task", "add", "A", now=T0).ok()
    sync(world, "a", now=T0)
    cli(world["b"], "task", "add", "B alone", now=T1).ok()
    sync(world, "b", now=T2)
    cli(world["b"], "task", "done", "2", now=T2).ok()
    sync(world, "b", now=T2)
    sync(world, "a", now=T3)
    for name in ("a", "b"):
        assert _settings(world[name]) == {"timezone": "Europe/Paris", "daily_target": 1}, name
        target = cli(world[name], "streaks", "--json", now=T3).json()[1]
        assert (target["type"], target["current"]) == ("daily_target", 1), name
    agree(world, "a", "b")
