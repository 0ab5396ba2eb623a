"""The reward shop and the gamification mode through the real CLI, in a subprocess."""

from __future__ import annotations

from pathlib import Path

from cli_support import query, run_cli


def coins(db: Path) -> int:
    return int(run_cli(db, "progress", "--json").json()["coins"])


def test_too_few_coins_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    run_cli(db, "task", "add", "Stretch").ok()
    run_cli(db, "task", "done", "1").ok()
    have = coins(db)
    assert have > 0
    run_cli(db, "reward", "add", "Concert", str(have + 40)).ok()
    before = (query(db, "SELECT count(*) FROM events"),
              query(db, "SELECT count(*) FROM reward_purchases"))
    result = run_cli(db, "reward", "buy", "Concert")
    assert (result.returncode, result.stderr, result.stdout) == (2, "error: coins: 40 short\n",
                                                                 "")
    assert (query(db, "SELECT count(*) FROM events"),
            query(db, "SELECT count(*) FROM reward_purchases")) == before
    assert coins(db) == have


def test_once_only_refund_and_negative_coins_after_a_reversal(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    run_cli(db, "task", "add", "Write").ok()
    run_cli(db, "task", "done", "1").ok()
    earned = coins(db)
    run_cli(db, "reward", "add", "Day off", str(earned), "--once").ok()
    bought = run_cli(db, "reward", "buy", "Day off", "--json").json()
    assert (bought["cost"], bought["coins"]) == (earned, 0)
    again = run_cli(db, "reward", "buy", "Day off")
    assert again.returncode == 2 and again.stderr.startswith("error: name: ")
    assert "once-only" in again.stderr
    [listed] = run_cli(db, "reward", "list", "--json").json()
    assert listed == {"id": 1, "name": "Day off", "cost": earned, "repeatable": False,
                      "bought": 1, "affordable": False}
    # A reversal takes the task's coins back: more than are left.
    run_cli(db, "task", "reopen", "1").ok()
    progress = run_cli(db, "progress", "--json").json()
    assert progress["coins"] == progress["total_points"] - earned < 0
    # The refund gives the cost back; the purchase stays in the history, marked.
    refund = run_cli(db, "reward", "refund", "--json").json()
    assert refund["id"] == bought["id"] and refund["coins"] == progress["total_points"]
    [purchase] = run_cli(db, "reward", "history", "--json").json()
    assert purchase["refunded_at"] is not None
    assert query(db, "SELECT type, json_extract(meta, '$.cost') FROM events "
                     "WHERE type LIKE 'reward_%' ORDER BY id") == [
        ("reward_purchase", earned), ("reward_refund", earned)]
    twice = run_cli(db, "reward", "refund", str(bought["id"]))
    assert twice.returncode == 2 and "already refunded" in twice.stderr
    doctor = run_cli(db, "doctor", "--json").json()
    assert doctor["ok"] is True


def test_bad_reward_input(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    for args, field in ((("reward", "add", "Cake", "0"), "cost"),
                        (("reward", "add", "Cake", "100001"), "cost"),
                        (("reward", "add", "x" * 101, "5"), "name"),
                        (("reward", "buy", "Nothing"), "name"),
                        (("reward", "remove", "Nothing"), "name")):
        result = run_cli(db, *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith(f"error: {field}: "), result.stderr
        assert "Traceback" not in result.stderr
    assert query(db, "SELECT count(*) FROM rewards") == [(0,)]
    run_cli(db, "reward", "add", "Cake", "5").ok()
    assert "Removed reward Cake" in run_cli(db, "reward", "remove", "Cake").ok()
    assert run_cli(db, "reward", "list", "--json").json() == []


def test_game_mode_is_stored_per_profile(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    assert run_cli(db, "profile", "show", "--json").json()["game_mode"] == "full"
    run_cli(db, "profile", "add", "sam").ok()
    assert run_cli(db, "profile", "set", "--game", "off", "--json").json()["game_mode"] == "off"
    assert run_cli(db, "profile", "show", "--json").json()["game_mode"] == "off"
    assert "game_mode: off" in run_cli(db, "profile", "show").ok()
    assert run_cli(db, "--profile", "sam", "profile", "show", "--json").json()[
        "game_mode"] == "full"
    bad = run_cli(db, "profile", "set", "--game", "loud")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")
    assert run_cli(db, "profile", "show", "--json").json()["game_mode"] == "off"
    # The engine records everything in every mode.
    run_cli(db, "task", "add", "Quiet work").ok()
    run_cli(db, "task", "done", "1").ok()
    assert run_cli(db, "progress", "--json").json()["total_points"] > 0
